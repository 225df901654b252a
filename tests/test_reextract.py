"""``scrapy reextract`` judging rejected pages again, and running in worker processes.

The archive comes from a real crawl of the mirror (``recorded``, tests/conftest.py), its
server stopped: reextract reads only the WARC files.
"""

from sqlite_utils import Database

from tests.test_warc import BOOKKEEPING, articles, copy_of, reextract, rejudgeable

TIMES = ("first_seen", "last_seen", "updated_at", "fetched_at", "replaced_at")  # when a run wrote, not what


def reject_as_older_code_did(archive, reason: str = "not_article") -> dict:
    """Take an article with one URL and one version out of the archive and leave its URL rejected with
    ``reason``, as a crawl by code that judged the page otherwise would have; the article's row as it was."""
    db = Database(archive)
    row = next(db.query(
        "select * from articles a where versions = 1 and dateline_place is not null"
        " and (select count(*) from article_urls u where u.article_id = a.id) = 1 order by id limit 1"))
    with db.conn:
        db.execute("delete from neardup_bands where article_id = ?", [row["id"]])
        db.execute("delete from article_urls where article_id = ?", [row["id"]])
        db.execute("delete from articles where id = ?", [row["id"]])
        db.execute("insert into rejected_urls (url, reason, status, permanent, attempts, first_seen, last_seen)"
                   " values (?, ?, 200, 1, 1, ?, ?)", [row["url"], reason, row["first_seen"], row["first_seen"]])
    db.close()
    return row


def test_a_page_once_judged_not_an_article_becomes_an_article_again(recorded, tmp_path):
    db_path, warc_dir, _ = recorded
    archive = copy_of(db_path, tmp_path / "archive.db")
    row = reject_as_older_code_did(archive)
    rejudged = rejudgeable(archive, warc_dir)
    total = len(articles(archive))

    done = reextract(archive, warc_dir)

    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == (
        f"{total} examined: 0 changed (0 new versions), {total} unchanged, 0 unreadable, 0 too large, 0 rejected; "
        f"{rejudged} rejected pages re-judged: 1 now articles"
    )
    db = Database(archive)
    assert db.execute("select count(*) from rejected_urls where url = ?", [row["url"]]).fetchone()[0] == 0
    restored = articles(archive, BOOKKEEPING)[row["url"]]
    assert restored == {k: v for k, v in row.items() if k not in BOOKKEEPING}  # title, text, dateline, location...
    found = db.execute("select a.url from articles_fts f join articles a on a.id = f.rowid where articles_fts match ?",
                       [f'"{row["title"]}"']).fetchall()
    assert (row["url"],) in found  # searchable again
    assert [u for u, in db.execute("select url from article_urls where article_id = (select id from articles"
                                   " where url = ?)", [row["url"]])] == [row["url"]]

    again = reextract(archive, warc_dir)
    assert again.stdout.strip().endswith(f"; {rejudged - 1} rejected pages re-judged: 0 now articles")


def test_a_rejected_page_that_repeats_an_article_is_linked_to_it(recorded, tmp_path):
    db_path, warc_dir, _ = recorded
    archive = copy_of(db_path, tmp_path / "archive.db")
    db = Database(archive)
    row = next(db.query("select * from articles a where versions = 1 and (select count(*) from article_urls u"
                        " where u.article_id = a.id) = 1 order by id limit 1"))
    moved = row["url"].replace(".html", "-moved.html")  # the article is known under another URL only
    with db.conn:
        db.execute("update articles set url = ? where id = ?", [moved, row["id"]])
        db.execute("update article_urls set url = ? where article_id = ?", [moved, row["id"]])
        db.execute("insert into rejected_urls (url, reason, permanent, attempts, first_seen, last_seen)"
                   " values (?, 'empty_body', 0, 1, '2025-01-01', '2025-01-01')", [row["url"]])

    done = reextract(archive, warc_dir, "-s", "ARCHIVE_WORKER_PROCESSES=0")

    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().endswith(" rejected pages re-judged: 1 now articles")
    assert db.execute("select count(*) from rejected_urls where url = ?", [row["url"]]).fetchone()[0] == 0
    assert db.execute("select count(*) from articles where url = ?", [row["url"]]).fetchone()[0] == 0
    duplicate = next(db.query("select article_id, title, similarity from duplicates where url = ?", [row["url"]]))
    assert duplicate == {"article_id": row["id"], "title": row["title"], "similarity": 1.0}


def snapshot(archive) -> dict:
    """Every table reextract writes, without the times of the writes."""
    db = Database(archive)
    return {
        table: sorted(
            (tuple((k, v) for k, v in record.items() if k not in TIMES) for record in db[table].rows), key=repr
        )
        for table in ("articles", "article_versions", "article_urls", "rejected_urls", "duplicates", "neardup_bands")
    }


def test_reextract_gives_the_same_archive_with_and_without_workers(recorded, tmp_path):
    db_path, warc_dir, _ = recorded
    results = {}
    for processes in ("0", "2"):
        archive = copy_of(db_path, tmp_path / f"archive-{processes}.db")
        reject_as_older_code_did(archive)
        db = Database(archive)
        with db.conn:
            db.execute("update articles set title = 'Wrong' where id in (select id from articles order by id limit 3)")
            db.execute("update articles set dateline_place = 'Nowhere' where id in"
                       " (select id from articles where dateline_place is not null order by id desc limit 3)")
        db.close()
        done = reextract(archive, warc_dir, "-s", f"ARCHIVE_WORKER_PROCESSES={processes}")
        assert done.returncode == 0, done.stderr
        results[processes] = done.stdout, snapshot(archive)

    assert " 6 changed (3 new versions)" in results["0"][0] and "1 now articles" in results["0"][0]
    assert results["2"] == results["0"]


def test_reextract_refuses_a_bad_number_of_workers_in_one_line(recorded, tmp_path):
    db_path, warc_dir, _ = recorded
    done = reextract(db_path, warc_dir, "-s", "ARCHIVE_WORKER_PROCESSES=-1")
    assert done.returncode == 1
    assert done.stderr.strip().splitlines() == ["Error: ARCHIVE_WORKER_PROCESSES must be 0 or more, not -1"]

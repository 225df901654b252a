"""The raw-page archive: WARC files written by a real crawl of the mirror, read back,
re-extracted (``scrapy reextract``) and replayed (``WARC_REPLAY``), with no server running.

One crawl of the mirror is recorded (``recorded``, tests/conftest.py, shared with the tests of reextract
and of replays) by a server of its own, which is stopped before anything reads the WARC files: whatever
works afterwards works without network.
"""

import gzip
import sqlite3
import subprocess
import sys
import zlib
from pathlib import Path
from urllib.parse import urlsplit

from sqlite_utils import Database

from crawler.commands.reextract import EXTRACTION_VERDICTS
from crawler.lock import ArchiveLock
from crawler.warc import Location, read_record, scan
from tests.conftest import REPO, SITE, SMALL_WARC, run_crawl

BOOKKEEPING = ("id", "first_seen", "last_seen", "updated_at")  # when, not what
LOCATION = ("warc_file", "warc_offset", "warc_length")


def copy_of(db_path: Path, target: Path) -> Path:
    """A consistent copy of an archive (SQLite's backup, WAL included)."""
    with sqlite3.connect(db_path) as source, sqlite3.connect(target) as copy:
        source.backup(copy)
    return target


def reextract(db_path: Path, warc_dir: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "scrapy", "reextract", *args, "-s", f"ARCHIVE_DB={db_path}", "-s", f"WARC_DIR={warc_dir}"],
        cwd=REPO, capture_output=True, text=True, timeout=120,
    )


def rejudgeable(db_path: Path, warc_dir: Path) -> int:
    """How many pages the extraction rejected have a response in the WARC files: those reextract judges again."""
    marks = ", ".join("?" * len(EXTRACTION_VERDICTS))
    rejected = {url for url, in Database(db_path).execute(
        f"select url from rejected_urls where reason in ({marks})", EXTRACTION_VERDICTS)}
    return len(rejected & {url for url, _ in scan(warc_dir)})


def articles(db_path: Path, leave_out=BOOKKEEPING) -> dict[str, dict]:
    return {row["url"]: {k: v for k, v in row.items() if k not in leave_out} for row in Database(db_path)["articles"].rows}


def test_every_article_points_at_the_page_as_served(recorded):
    db_path, warc_dir, _ = recorded
    rows = list(Database(db_path)["articles"].rows)
    assert len(rows) > 40
    for row in rows:
        record = read_record(warc_dir, Location(row["warc_file"], row["warc_offset"], row["warc_length"]))
        assert record.url == row["url"] or row["url"] in {r for r, in Database(db_path).execute(
            "select url from article_urls where article_id = ?", [row["id"]])}
        served = SITE / urlsplit(record.fetch_url).path.lstrip("/")
        assert record.status == 200
        assert record.content == served.read_bytes(), row["url"]


def test_warc_files_rotate_by_size(recorded):
    _, warc_dir, _ = recorded
    files = sorted(warc_dir.glob("*.warc.gz"))
    assert len(files) >= 3
    assert all(f.stat().st_size < SMALL_WARC + 100_000 for f in files)  # closed once past the size
    assert len({url for url, _ in scan(warc_dir)}) > 60  # discovery pages (feed, listings, robots.txt) too


def test_each_record_is_a_gzip_member_of_its_own_that_any_gzip_reader_opens(recorded):
    db_path, warc_dir, _ = recorded
    for path in warc_dir.glob("*.warc.gz"):
        assert gzip.decompress(path.read_bytes()).startswith(b"WARC/1.")
    row = next(iter(Database(db_path)["articles"].rows))
    with open(warc_dir / row["warc_file"], "rb") as file:
        file.seek(row["warc_offset"])
        member = file.read(row["warc_length"])
    reader = zlib.decompressobj(wbits=zlib.MAX_WBITS + 16)
    record = reader.decompress(member)
    assert reader.eof and not reader.unused_data  # the location holds one whole member, and nothing else
    assert record.startswith(b"WARC/1.") and b"WARC-Type: response" in record and row["url"].encode() in record


def test_a_cut_short_warc_file_keeps_its_earlier_records(recorded, tmp_path):
    _, warc_dir, _ = recorded
    first = min(warc_dir.glob("*.warc.gz"))
    in_first = [entry for entry in scan(warc_dir) if entry[1].file == first.name]
    last = in_first[-1][1]
    cut = tmp_path / first.name
    cut.write_bytes(first.read_bytes()[: last.offset + last.length // 2])  # a crawl killed mid-record
    assert list(scan(tmp_path)) == in_first[:-1]


def test_reextract_restores_corrupted_fields_from_the_raw_pages(recorded, tmp_path):
    db_path, warc_dir, _ = recorded
    archive = copy_of(db_path, tmp_path / "archive.db")
    before = articles(archive)
    rejudged = rejudgeable(archive, warc_dir)
    db = Database(archive)
    ids = [row[0] for row in db.execute("select id from articles where dateline_place is not null order by id limit 6")]
    retitled, blanked, misplaced = ids[:2], ids[2:4], ids[4:6]
    with db.conn:
        db.execute(f"update articles set title = 'Wrong' where id in ({retitled[0]}, {retitled[1]})")
        db.execute(f"update articles set text = '' where id in ({blanked[0]}, {blanked[1]})")
        db.execute(f"update articles set dateline_place = 'Nowhere', published_at = '1999-01-01'"
                   f" where id in ({misplaced[0]}, {misplaced[1]})")
    db.close()

    done = reextract(archive, warc_dir)

    assert done.returncode == 0, done.stderr
    total = len(before)
    assert done.stdout.strip() == (
        f"{total} examined: 6 changed (4 new versions), {total - 6} unchanged, 0 unreadable, 0 too large, 0 rejected; "
        f"{rejudged} rejected pages re-judged: 0 now articles"
    )
    assert articles(archive, BOOKKEEPING + ("versions",)) == {
        url: {k: v for k, v in row.items() if k != "versions"} for url, row in before.items()
    }
    db = Database(archive)
    versions = {row["article_id"]: row for row in db["article_versions"].rows}
    assert sorted(versions) == sorted(retitled + blanked)
    assert {versions[i]["title"] for i in retitled} == {"Wrong"}
    assert {versions[i]["text"] for i in blanked} == {""}
    assert all(versions[i]["warc_file"] for i in versions)  # the earlier version's raw page is known too
    assert {row["id"]: row["versions"] for row in db["articles"].rows if row["versions"] > 1} == {
        i: 2 for i in retitled + blanked
    }

    again = reextract(archive, warc_dir)
    assert again.stdout.strip() == (f"{total} examined: 0 changed (0 new versions), {total} unchanged, 0 unreadable, "
                                   f"0 too large, 0 rejected; {rejudged} rejected pages re-judged: 0 now articles")


def test_reextract_of_a_date_range_and_unreadable_records(recorded, tmp_path):
    db_path, warc_dir, _ = recorded
    archive = copy_of(db_path, tmp_path / "archive.db")
    db = Database(archive)
    day = db.execute("select substr(published_at, 1, 10) from articles order by published_at desc limit 1").fetchone()[0]
    on_day = db.execute("select count(*) from articles where published_at like ?", [f"{day}%"]).fetchone()[0]
    with db.conn:
        db.execute("update articles set warc_offset = warc_offset + 7 where id = (select min(id) from articles"
                   " where published_at like ?)", [f"{day}%"])
    db.close()

    done = reextract(archive, warc_dir, "--since", day, "--until", day)

    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == (
        f"{on_day} examined: 0 changed (0 new versions), {on_day - 1} unchanged, 1 unreadable, 0 too large, 0 rejected; "
        "0 rejected pages re-judged: 0 now articles"
    )


def test_reextract_fails_in_one_line(tmp_path):
    done = reextract(tmp_path / "missing.db", tmp_path, "--since", "2023-13-01")
    assert done.returncode == 1
    assert done.stderr.strip().splitlines() == [
        "Error: --since '2023-13-01' is not a day: write YYYY-MM-DD, e.g. 2023-03-02"
    ]


def test_reextract_waits_for_no_crawl(recorded):
    db_path, warc_dir, _ = recorded
    lock = ArchiveLock(db_path).acquire()
    try:
        done = reextract(db_path, warc_dir)
    finally:
        lock.release()
    assert done.returncode == 75
    assert done.stderr.startswith(f"Error: another crawl is writing to {db_path}")


def test_replay_from_warc_without_network(recorded, tmp_path):
    db_path, warc_dir, closed_url = recorded
    replayed_db = tmp_path / "replayed.db"

    # edition=all also asks for the Urdu feed, which the recorded crawl never fetched
    crawl = run_crawl(closed_url, replayed_db, "-a", "edition=all",
                      settings={"WARC_REPLAY": "1", "WARC_DIR": str(warc_dir)})

    assert crawl.returncode == 0, crawl.log[-3000:]
    assert articles(replayed_db, BOOKKEEPING + LOCATION) == articles(db_path, BOOKKEEPING + LOCATION)
    assert crawl.stat("replay/missing") == 1
    assert crawl.stat("replay/replayed") > 60
    assert crawl.stat("warc/records") == 0  # replay writes no WARC file of its own
    assert not (tmp_path / "warc").exists()
    failures = {k: v for k, v in crawl.stats.items() if k.startswith(("downloader/exception_type_count/",))}
    assert failures == {"downloader/exception_type_count/scrapy.exceptions.IgnoreRequest": crawl.stat("replay/missing")
                        + crawl.stat("fetch/failed/robots_txt")}
    for row in Database(replayed_db)["articles"].rows:  # every article points at the record it came from
        record = read_record(warc_dir, Location(row["warc_file"], row["warc_offset"], row["warc_length"]))
        assert record.url in {url for url, in Database(replayed_db).execute(
            "select url from article_urls where article_id = ?", [row["id"]])}

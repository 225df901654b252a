"""The archive does not depend on the order pages arrive in.

Copies of one story (a republished near-duplicate, an exact copy under another URL, the
same story filed under two numbers at the same minute) may reach the crawl in any order.
The copy published first, then the one the outlet numbered lowest, then the lowest URL,
is the article; the others are its duplicates. When an earlier copy arrives after a
later one was archived, it takes that article's place (same id) and the later copy
becomes its duplicate, keeping every URL, version and duplicate record.

"Identical archives" is checked with :func:`canonical`: every table a reader sees, keyed
by URL (an article id is replaced by its article's URL, since ids follow arrival order),
without the bookkeeping of a fetch (when it happened, where its raw page went in the WARC
files) and of runs (``crawl_runs``).
"""

import asyncio
import copy
import itertools
import json
from datetime import datetime, timezone

import pytest
from scrapy.utils.test import get_crawler
from sqlite_utils import Database

from crawler import settings
from pipelines.items import ArticleItem
from pipelines.dedup import DedupPipeline, content_hash, publication_order
from pipelines.neardup import Signature, jaccard, shingles
from pipelines.storage import StoragePipeline
from tests.conftest import run_crawl
from tests.mirror.build import article_path, article_url, build_site
from tests.mirror.server import ROUTES_FILE, MirrorServer
from tests.test_history import ARTICLES, BY_ID, REPUBLISHED_FROM_ID, republished, search, text_of

NOW = "2026-01-05T10:00:00+00:00"
FETCH_BOOKKEEPING = {"id", "first_seen", "last_seen", "updated_at", "fetched_at", "replaced_at",
                     "warc_file", "warc_offset", "warc_length"}
ORIGINAL = BY_ID[REPUBLISHED_FROM_ID]  # "Punjab Extends Relief Operations In Flood-Hit Districts"
TWIN_ID = 2052397  # "UAE, Pakistan Discuss Ways To Expand Trade ...", also filed under a second number


def exact_copy(article: dict, new_id: int, published_at: str, category: str) -> dict:
    """The same story, word for word, under another number and section."""
    return {**copy.deepcopy(article), "id": new_id, "published_at": published_at, "category": category}


NEAR_COPY = republished(ORIGINAL)  # the next day, retitled, reworded, trimmed: 2052410
EXACT_COPY = exact_copy(ORIGINAL, 2052415, "2025-09-19T11:00:00+05:00", "world")
TWIN = exact_copy(BY_ID[TWIN_ID], TWIN_ID + 1, BY_ID[TWIN_ID]["published_at"], "business")  # the same minute
COPIES = {ORIGINAL["id"]: [NEAR_COPY, EXACT_COPY], TWIN_ID: [TWIN]}


def canonical(db: Database) -> dict:
    """The archive as its readers see it, keyed by URL, without fetch times, WARC offsets, ids and runs."""
    url_of = dict(db.execute("select id, url from articles").fetchall())

    def rows(table: str, *keys: str) -> dict:
        found = {}
        for row in db[table].rows:
            row = {name: url_of.get(value, value) if name == "article_id" else value
                   for name, value in row.items() if name not in FETCH_BOOKKEEPING}
            found[tuple(row[key] for key in keys)] = row
        return found

    return {
        "articles": rows("articles", "url"),
        "article_urls": rows("article_urls", "url"),
        "duplicates": rows("duplicates", "url"),
        "article_versions": rows("article_versions", "article_id", "version"),
        "rejected_urls": {url: row[:4] for url, *row in db.execute(
            "select url, reason, status, permanent, attempts from rejected_urls")},
        "neardup_bands": sorted((band, url_of[article]) for band, article in db.execute("select * from neardup_bands")),
    }


def assert_consistent(db: Database) -> None:
    """Every URL leads to an article, every copy is one URL's, and the full-text index matches the articles."""
    ids = {row["id"] for row in db["articles"].rows}
    assert {row["article_id"] for row in db["article_urls"].rows} <= ids
    assert {row["article_id"] for row in db["duplicates"].rows} <= ids
    assert {row["url"] for row in db["duplicates"].rows} == {
        row["url"] for row in db["article_urls"].rows_where("relation = 'duplicate'")}
    assert db.execute("select count(*) from articles a join article_urls u on u.url = a.url and u.article_id = a.id"
                      " and u.relation = 'canonical'").fetchone()[0] == len(ids)
    db.execute("insert into articles_fts (articles_fts) values ('integrity-check')")
    assert full_text_index(db) == full_text_index(db, rebuilt=True)


def full_text_index(db: Database, rebuilt: bool = False) -> list[tuple]:
    """Every entry of the full-text index (term, article, column, offset), as kept or as rebuilt from the articles.

    FTS5's integrity check does not compare an external-content index with its content (SQLite 3.40).
    """
    db.execute("create virtual table if not exists temp.fts_entries using fts5vocab(main, articles_fts, instance)")
    db.execute("savepoint rebuild")
    if rebuilt:
        db.execute("insert into articles_fts (articles_fts) values ('rebuild')")
    entries = sorted(db.execute("select term, doc, col, offset from temp.fts_entries").fetchall())
    db.execute("rollback to rebuild")
    db.execute("release rebuild")
    return entries


def assert_copies_linked_to_the_first(db: Database) -> None:
    """Each story's first copy is the article, the others its duplicates, with their own title, text and similarity."""
    for first_id, copies in COPIES.items():
        first = BY_ID[first_id]
        [article] = db["articles"].rows_where("url = ?", [article_url(first)])
        assert (article["title"], article["text"], article["published_at"]) == (
            first["title"], text_of(first), first["published_at"])
        for copy_ in copies:
            [duplicate] = db["duplicates"].rows_where("url = ?", [article_url(copy_)])
            same = content_hash(text_of(copy_)) == content_hash(text_of(first))
            expected = 1.0 if same else round(jaccard(shingles(text_of(first)), shingles(text_of(copy_))), 4)
            assert (duplicate["article_id"], duplicate["title"], duplicate["text"], duplicate["similarity"]) == (
                article["id"], copy_["title"], text_of(copy_), expected)
        assert not db["articles"].count_where("url = ?", [article_url(copies[0])])


# --- the pipelines on a real archive file, pages fed in every order -------------------------------------


def page(article: dict, text: str | None = None) -> ArticleItem:
    """The item the extraction and dateline steps make of a mirror article's page."""
    url = article_url(article)
    published = datetime.fromisoformat(article["published_at"])
    return ArticleItem(
        url=url, fetched_url=url, body=b"", encoding="utf-8", fetched_at=NOW, outlet="urdupoint", language="en",
        title=article["title"], summary=article["summary"], text=text or text_of(article), author=article["author"],
        category=article["category"], tags=article["tags"], published_at=article["published_at"],
        published_at_utc=published.astimezone(timezone.utc).isoformat(),
    )


class Pipelines:
    """The dedup and storage pipelines of one crawl, writing a real archive file."""

    def __init__(self, path):
        self.crawler = get_crawler(settings_dict={
            "ARCHIVE_DB": str(path), "ARCHIVE_COMMIT_INTERVAL": 0,
            "NEARDUP_ENABLED": settings.NEARDUP_ENABLED, "NEARDUP_THRESHOLD": settings.NEARDUP_THRESHOLD})
        self.dedup = DedupPipeline.from_crawler(self.crawler)
        self.storage = StoragePipeline.from_crawler(self.crawler)
        self.dedup.open_spider()
        self.storage.open_spider()

    def feed(self, *items: ArticleItem) -> None:
        for item in items:
            self.storage.process_item(asyncio.run(self.dedup.process_item(item)))

    def close(self) -> None:
        self.storage.close_spider()
        self.dedup.close_spider()


def archive_fed(path, articles: list[dict]) -> Database:
    pipelines = Pipelines(path)
    pipelines.feed(*map(page, articles))
    pipelines.close()
    return Database(path)


ORDERS = list(itertools.permutations([ORIGINAL, NEAR_COPY, EXACT_COPY]))


@pytest.mark.parametrize("order", ORDERS, ids=["-".join(str(a["id"]) for a in order) for order in ORDERS])
def test_copies_fed_in_any_order_give_the_archive_fed_in_publication_order(tmp_path, order):
    twins = [BY_ID[TWIN_ID], TWIN] if order[0] is ORIGINAL else [TWIN, BY_ID[TWIN_ID]]
    expected = archive_fed(tmp_path / "published-order.db", [ORIGINAL, NEAR_COPY, EXACT_COPY, BY_ID[TWIN_ID], TWIN])
    archive = archive_fed(tmp_path / "archive.db", [*order, *twins])
    assert_copies_linked_to_the_first(archive)
    assert_consistent(archive)
    assert canonical(archive) == canonical(expected)


def test_ties_on_the_published_time_go_to_the_lowest_number_then_the_url():
    late, early = "2025-09-19T04:30:00+00:00", "2025-09-18T04:30:00+00:00"
    assert publication_order(early, "https://www.urdupoint.com/en/world/b-2052411.html") < publication_order(
        late, "https://www.urdupoint.com/en/world/a-2052410.html")
    assert publication_order(late, "https://www.urdupoint.com/en/world/b-2052410.html") < publication_order(
        late, "https://www.urdupoint.com/en/business/a-2052411.html")
    assert publication_order(late, "https://www.urdupoint.com/en/business/a-2052410.html") < publication_order(
        late, "https://www.urdupoint.com/en/world/a-2052410.html")
    assert publication_order(late, "https://www.urdupoint.com/en/world/a-2052411.html") < publication_order(
        None, "https://www.urdupoint.com/en/world/a-2052410.html")  # a copy without a time ranks after
    assert publication_order(late, "https://www.urdupoint.com/daily/livenews/2025-09-19/news-4381920.html") < (
        publication_order(late, "https://www.urdupoint.com/daily/livenews/2025-09-19/news-4382047.html"))


def test_an_earlier_copy_takes_the_place_of_an_edited_article_and_nothing_is_lost(tmp_path):
    later_edit = {**NEAR_COPY, "paragraphs": [*NEAR_COPY["paragraphs"], "Officials said the deadline may be extended."]}
    third = exact_copy(later_edit, 2052420, "2025-09-20T10:00:00+05:00", "business")  # a copy of the edited text
    pipelines = Pipelines(tmp_path / "archive.db")
    pipelines.feed(page(NEAR_COPY), page(NEAR_COPY, text_of(later_edit)), page(third))
    db = Database(tmp_path / "archive.db")
    [before] = db["articles"].rows
    pipelines.feed(page(ORIGINAL))
    stats = pipelines.crawler.stats.get_stats()

    [article] = db["articles"].rows  # the same row, with the original's page in it
    assert (article["id"], article["url"], article["title"], article["text"], article["versions"]) == (
        before["id"], article_url(ORIGINAL), ORIGINAL["title"], text_of(ORIGINAL), 2)
    assert [(v["version"], v["text"]) for v in db["article_versions"].rows] == [(1, text_of(NEAR_COPY))]
    assert {row["url"]: (row["article_id"], row["relation"]) for row in db["article_urls"].rows} == {
        article_url(ORIGINAL): (article["id"], "canonical"), article_url(NEAR_COPY): (article["id"], "duplicate"),
        article_url(third): (article["id"], "duplicate")}
    duplicates = {row["url"]: row for row in db["duplicates"].rows}
    for copy_ in (NEAR_COPY, third):  # the demoted page, and the copy that was linked to it: compared with the original
        assert {name: duplicates[article_url(copy_)][name] for name in ("title", "text", "similarity", "article_version")} == {
            "title": copy_["title"], "text": text_of(later_edit), "article_version": 2,
            "similarity": round(jaccard(shingles(text_of(ORIGINAL)), shingles(text_of(later_edit))), 4)}
        assert duplicates[article_url(copy_)]["text_diff"].splitlines()[:2] == [
            f"--- {article_url(ORIGINAL)}", f"+++ {article_url(copy_)}"]
    assert {band for band, in db.execute("select band from neardup_bands")} == set(Signature.of(text_of(ORIGINAL)).bands)
    assert search(db, '"Relief Operations In Punjab"') == []  # the copy's headline: no longer an article
    assert search(db, '"on Thursday extended"') == [article_url(ORIGINAL)]
    assert_consistent(db)
    assert (stats["archive/new"], stats["archive/updated"], stats["archive/duplicates"],
            stats["archive/replaced_by_earlier_copy"]) == (1, 1, 2, 1)

    pipelines.feed(page(ORIGINAL, text_of(ORIGINAL) + "\n\nA correction was issued."))  # the article's history goes on
    pipelines.close()
    assert [v["version"] for v in db["article_versions"].rows] == [1, 2]
    assert db["articles"].get(article["id"])["versions"] == 3


# --- real crawls of a mirror holding copies, with concurrency and worker processes on --------------------


def publish_copies(root):
    """``root``, a copy of the mirror, with the copies published beside their stories."""
    build_site(ARTICLES + [copy_ for copies in COPIES.values() for copy_ in copies], root)
    return root


@pytest.fixture
def copies_site(site_copy):
    """The mirror with the copies published beside their stories."""
    return publish_copies(site_copy)


def crawl_archive(site, db_path, after: dict | None = None):
    """A crawl of ``site`` with every page of ``after`` answered only once the pages it names were, plus 2 s."""
    routes = json.loads((site / ROUTES_FILE).read_text(encoding="utf-8"))
    routes.update(after={path: list(first) for path, first in (after or {}).items()},
                  slow={path: 2 for path in after or {}})
    (site / ROUTES_FILE).write_text(json.dumps(routes), encoding="utf-8")
    with MirrorServer(site) as server:
        crawl = run_crawl(server.url, db_path)
    assert crawl.returncode == 0, crawl.log[-3000:]
    return crawl, Database(db_path)


def test_two_crawls_of_one_mirror_give_identical_archives(copies_site, tmp_path):
    _, first = crawl_archive(copies_site, tmp_path / "first.db")
    _, second = crawl_archive(copies_site, tmp_path / "second.db")
    assert_copies_linked_to_the_first(first)
    assert_consistent(first)
    assert canonical(first) == canonical(second)


def test_the_archive_is_the_same_whichever_copy_arrives_first(copies_site, tmp_path):
    originals_last = {article_path(BY_ID[first]): [article_path(c) for c in copies] for first, copies in COPIES.items()}
    copies_last = {article_path(c): [article_path(BY_ID[first])] for first, copies in COPIES.items() for c in copies}
    late, swapped = crawl_archive(copies_site, tmp_path / "originals-last.db", originals_last)
    early, linked = crawl_archive(copies_site, tmp_path / "copies-last.db", copies_last)
    assert_copies_linked_to_the_first(swapped)
    assert_consistent(swapped)
    assert canonical(swapped) == canonical(linked)
    assert late.stat("archive/replaced_by_earlier_copy") >= len(COPIES)  # the originals met their copies archived
    assert early.stat("archive/replaced_by_earlier_copy") == 0
    assert late.stat("archive/duplicates") == early.stat("archive/duplicates") == 3
    assert late.stat("archive/new") == early.stat("archive/new")

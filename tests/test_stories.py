"""Stories: the same story carried by several outlets is an article of each outlet, linked as one story.

The dedup and storage pipelines write real archive files (:class:`tests.test_arrival_order.Pipelines`);
search is run as ``scrapy search`` in a subprocess and through datasette with the archive's metadata
and plugins; the migration upgrades an archive written with the schema before stories.

The copies: UrduPoint's story (``ORIGINAL``) and its own republication the next day (``NEAR_COPY``,
a duplicate within UrduPoint), Dawn's word-for-word copy filed an hour before UrduPoint's, and
APP's reworded copy (the text of ``NEAR_COPY``) filed a day later. Dawn's copy is the story's first
article, so every copy's ``story`` is Dawn's URL, whatever order they are archived in.
"""

import dataclasses
import itertools
import json
import shutil
import urllib.parse
import urllib.request
from datetime import datetime, timezone
from pathlib import Path

import pytest
import sqlite_utils
from sqlite_utils import Database

from pipelines import neardup, schema
from pipelines.archive import Archive
from pipelines.dedup import content_hash
from pipelines.items import ArticleItem
from pipelines.neardup import jaccard, shingles
from tests.conftest import run_crawl
from tests.mirror.server import MirrorServer
from tests.samples import scrapy
from tests.test_arrival_order import NEAR_COPY, ORIGINAL, Pipelines, assert_consistent, canonical, page
from tests.test_datasette import datasette_server, get, make_datasette
from tests.test_history import BY_ID, text_of

UNRELATED = BY_ID[2052397]  # "UAE, Pakistan Discuss Ways To Expand Trade ...": a story of its own


def carried_by(item: ArticleItem, outlet: str, host: str, published_at: str) -> ArticleItem:
    """``item`` as another outlet published it: its URL (keeping the number), outlet and time."""
    url = f"https://{host}/news/{item.url.rsplit('-', 1)[-1]}"
    published_utc = datetime.fromisoformat(published_at).astimezone(timezone.utc).isoformat()
    return dataclasses.replace(item, url=url, fetched_url=url, outlet=outlet, published_at=published_at,
                               published_at_utc=published_utc)


URDUPOINT = page(ORIGINAL)  # 2025-09-18 10:40 PKT
URDUPOINT_AGAIN = page(NEAR_COPY)  # UrduPoint's own republication, the next day: its duplicate
DAWN = carried_by(page(ORIGINAL), "dawn", "www.dawn.com", "2025-09-18T09:40:00+05:00")  # word for word, earlier
APP = carried_by(page(NEAR_COPY), "app", "www.app.com.pk", "2025-09-19T12:00:00+05:00")  # reworded, later
OTHER = page(UNRELATED)
NEAR = round(jaccard(shingles(text_of(ORIGINAL)), shingles(text_of(NEAR_COPY))), 4)


def archive_fed(path, items) -> Database:
    pipelines = Pipelines(path)
    pipelines.feed(*(dataclasses.replace(item) for item in items))  # the pipelines fill in the items they get
    pipelines.close()
    return Database(path)


def stories(db: Database) -> dict[str, tuple]:
    """Each article's ``(outlet, story, story_similarity)``, by URL."""
    return {url: tuple(rest) for url, *rest in db.execute("select url, outlet, story, story_similarity from articles")}


def test_two_outlets_carrying_one_story_give_two_articles_in_one_story(tmp_path):
    pipelines = Pipelines(tmp_path / "archive.db")
    pipelines.feed(dataclasses.replace(URDUPOINT), dataclasses.replace(DAWN))
    pipelines.close()
    db = Database(tmp_path / "archive.db")
    assert stories(db) == {
        URDUPOINT.url: ("urdupoint", DAWN.url, 1.0),  # the same text as the story's first article
        DAWN.url: ("dawn", DAWN.url, None),  # published first: the story's first article
    }
    assert db["duplicates"].count == 0
    assert {row["url"]: row["relation"] for row in db["article_urls"].rows} == {
        URDUPOINT.url: "canonical", DAWN.url: "canonical"}
    stats = pipelines.crawler.stats.get_stats()
    assert (stats["archive/new"], stats.get("archive/duplicates", 0), stats["archive/joined_story"]) == (2, 0, 1)
    assert_consistent(db)


def test_within_one_outlet_a_copy_is_a_duplicate_as_before(tmp_path):
    db = archive_fed(tmp_path / "archive.db", [URDUPOINT, URDUPOINT_AGAIN])
    assert stories(db) == {URDUPOINT.url: ("urdupoint", URDUPOINT.url, None)}  # alone in its story
    [duplicate] = db["duplicates"].rows
    assert (duplicate["url"], duplicate["similarity"]) == (URDUPOINT_AGAIN.url, NEAR)


def test_a_near_copy_of_another_outlet_joins_the_story_with_its_similarity(tmp_path):
    db = archive_fed(tmp_path / "archive.db", [URDUPOINT, APP, OTHER])
    assert stories(db) == {
        URDUPOINT.url: ("urdupoint", URDUPOINT.url, None),
        APP.url: ("app", URDUPOINT.url, NEAR),
        OTHER.url: ("urdupoint", OTHER.url, None),
    }
    assert db["duplicates"].count == 0


ALL = [URDUPOINT, URDUPOINT_AGAIN, DAWN, APP, OTHER]
ORDERS = list(itertools.permutations([URDUPOINT, URDUPOINT_AGAIN, DAWN, APP]))


@pytest.fixture(scope="module")
def published_order(tmp_path_factory) -> Database:
    return archive_fed(tmp_path_factory.mktemp("stories") / "archive.db", [DAWN, URDUPOINT, URDUPOINT_AGAIN, APP, OTHER])


def test_the_archive_fed_in_publication_order(published_order):
    assert stories(published_order) == {
        DAWN.url: ("dawn", DAWN.url, None),
        URDUPOINT.url: ("urdupoint", DAWN.url, 1.0),
        APP.url: ("app", DAWN.url, NEAR),
        OTHER.url: ("urdupoint", OTHER.url, None),
    }
    assert [row["url"] for row in published_order["duplicates"].rows] == [URDUPOINT_AGAIN.url]
    assert_consistent(published_order)


@pytest.mark.parametrize("order", ORDERS, ids=["-".join(item.outlet[0] + item.url[-8:-5] for item in order)
                                               for order in ORDERS])
def test_copies_archived_in_any_order_give_identical_rows(tmp_path, published_order, order):
    archive = archive_fed(tmp_path / "archive.db", [*order, OTHER])
    assert_consistent(archive)
    assert canonical(archive) == canonical(published_order)  # every table, the story columns included


def test_an_earlier_copy_arriving_late_renames_the_story(tmp_path):
    pipelines = Pipelines(tmp_path / "archive.db")
    pipelines.feed(dataclasses.replace(URDUPOINT_AGAIN), dataclasses.replace(APP))
    db = Database(tmp_path / "archive.db")
    assert stories(db) == {URDUPOINT_AGAIN.url: ("urdupoint", URDUPOINT_AGAIN.url, None),
                           APP.url: ("app", URDUPOINT_AGAIN.url, 1.0)}  # APP carried the republished text
    pipelines.feed(dataclasses.replace(URDUPOINT))  # UrduPoint's original takes its republication's place
    assert stories(db) == {URDUPOINT.url: ("urdupoint", URDUPOINT.url, None), APP.url: ("app", URDUPOINT.url, NEAR)}
    pipelines.feed(dataclasses.replace(DAWN))  # earlier still, from another outlet
    pipelines.close()
    assert {url: story for url, (_, story, _) in stories(db).items()} == dict.fromkeys(
        [URDUPOINT.url, APP.url, DAWN.url], DAWN.url)


def test_an_edit_keeps_the_article_in_its_story_with_its_new_similarity(tmp_path):
    pipelines = Pipelines(tmp_path / "archive.db")
    pipelines.feed(dataclasses.replace(DAWN), dataclasses.replace(URDUPOINT))
    edited = text_of(ORIGINAL) + "\n\nThe chief minister will visit the camps on Saturday."
    pipelines.feed(dataclasses.replace(URDUPOINT, text=edited))
    pipelines.close()
    db = Database(tmp_path / "archive.db")
    similarity = round(jaccard(shingles(text_of(ORIGINAL)), shingles(edited)), 4)
    assert stories(db)[URDUPOINT.url] == ("urdupoint", DAWN.url, similarity)
    assert [row["versions"] for row in db["articles"].rows_where("url = ?", [URDUPOINT.url])] == [2]


# --- the migration of an archive written before stories -----------------------------------------------


def test_the_migration_gives_existing_articles_their_stories(tmp_path, published_order):
    """An archive of several outlets written before stories, near-duplicates off (so APP's reworded
    copy is an article) and UrduPoint's exact copy of Dawn's story archived as an article too (as
    a crawl before stories did when its time was unknown): the migration joins them as a crawl does."""
    path = tmp_path / "archive.db"
    db = sqlite_utils.Database(path)
    schema.migrations.apply(db, stop_before="link_stories")
    for item in (URDUPOINT, DAWN, APP, OTHER):
        row = {"url": item.url, "outlet": item.outlet, "language": "en", "title": item.title, "text": item.text,
               "published_at": item.published_at, "published_at_utc": item.published_at_utc,
               "content_hash": content_hash(item.text), "first_seen": "2025-09-20T00:00:00+00:00",
               "last_seen": "2025-09-20T00:00:00+00:00"}
        article_id = db["articles"].insert(row).last_pk
        db["article_urls"].insert({"url": item.url, "article_id": article_id, "relation": "canonical",
                                   "first_seen": row["first_seen"]})
        db.conn.executemany("insert into neardup_bands (band, article_id) values (?, ?)",
                            neardup.index_rows([(article_id, item.text)]))
    db.conn.commit()
    db.close()

    archive = Archive.open(path)
    archive.close()
    migrated = Database(path)
    assert stories(migrated) == stories(published_order)
    assert {name for (name,) in migrated.execute("select name from _sqlite_migrations")} >= {"link_stories"}


def test_the_migration_of_a_one_outlet_archive_names_each_article_its_own_story(tmp_path):
    path = tmp_path / "archive.db"
    db = sqlite_utils.Database(path)
    schema.migrations.apply(db, stop_before="link_stories")
    for item in (URDUPOINT, OTHER):
        db["articles"].insert({"url": item.url, "outlet": item.outlet, "title": item.title, "text": item.text,
                               "content_hash": content_hash(item.text), "first_seen": "2025-09-20T00:00:00+00:00",
                               "last_seen": "2025-09-20T00:00:00+00:00"})
    db.conn.commit()
    Archive.open(path).close()
    assert stories(Database(path)) == {URDUPOINT.url: ("urdupoint", URDUPOINT.url, None),
                                       OTHER.url: ("urdupoint", OTHER.url, None)}


# --- search shows a story once, with the outlets that carried it ------------------------------------------


@pytest.fixture(scope="module")
def search_archive(published_order) -> str:
    return published_order.conn.execute("pragma database_list").fetchone()[2]


def test_scrapy_search_shows_a_story_once_with_its_outlets(search_archive):
    grouped = scrapy(search_archive, "search", "relief camps", "--json")
    assert (grouped.returncode, grouped.stderr) == (0, "")
    [story] = json.loads(grouped.stdout)
    assert (story["story"], story["outlets"], story["copies"]) == (DAWN.url, "app, dawn, urdupoint", 3)
    every = scrapy(search_archive, "search", "relief camps", "--json", "--every-copy")
    assert (every.returncode, every.stderr) == (0, "")
    results = json.loads(every.stdout)
    assert sorted(result["url"] for result in results) == sorted([DAWN.url, URDUPOINT.url, APP.url])
    assert story == results[0]  # the story's row is its best-ranked article
    assert {(result["story"], result["outlets"], result["copies"]) for result in results} == {
        (DAWN.url, "app, dawn, urdupoint", 3)}

    shown = scrapy(search_archive, "search", "relief camps")
    lines = shown.stdout.splitlines()
    assert lines[3] == " " * len("YYYY-MM-DD HH:MM  ") + "3 articles of this story, from: app, dawn, urdupoint"
    assert lines[-1] == "3 articles matched, 1 story"
    assert scrapy(search_archive, "search", "relief camps", "--every-copy").stdout.splitlines()[-1] == (
        "3 articles matched, 1 story")


def test_the_canned_search_shows_a_story_once_with_its_outlets(search_archive):
    ds = make_datasette(search_archive)
    response = get(ds, "/archive/search.json", q="relief camps", _shape="array")
    assert response.status_code == 200, response.text
    [row] = response.json()
    assert (row["outlets"], row["copies"]) == ("app, dawn, urdupoint", 3)
    every = get(ds, "/archive/search.json", q="relief camps", every_copy="yes", _shape="array").json()
    assert sorted(result["url"] for result in every) == sorted([DAWN.url, URDUPOINT.url, APP.url])
    assert every[0] == row
    copies = get(ds, "/archive/story_articles.json", id=str(row["article_id"]), _shape="array").json()
    assert [(copy_["url"], copy_["story_similarity"]) for copy_ in copies] == [
        (DAWN.url, None), (URDUPOINT.url, 1.0), (APP.url, NEAR)]


def test_the_served_search_groups_stories_as_scrapy_search_does(search_archive):
    """The README's serving command (scripts/serve.py), asked over HTTP."""
    grouped = json.loads(scrapy(search_archive, "search", "relief camps", "--json").stdout)
    with datasette_server(search_archive) as url:
        query = urllib.parse.urlencode({"q": "relief camps", "_shape": "array"})
        with urllib.request.urlopen(f"{url}/archive/search.json?{query}", timeout=30) as response:
            served = json.loads(response.read())
    assert [(row["article_id"], row["outlets"], row["copies"]) for row in served] == [
        (result["id"], result["outlets"], result["copies"]) for result in grouped]


def test_the_export_keeps_one_record_per_article_with_its_story(search_archive):
    exported = scrapy(search_archive, "export", "-o", "-", "--format", "jsonl", "--columns", "url,outlet,story")
    assert (exported.returncode, exported.stderr) == (0, "Exported 4 articles to standard output\n")
    assert sorted(list(json.loads(line).values()) for line in exported.stdout.splitlines()) == sorted([
        [DAWN.url, "dawn", DAWN.url], [URDUPOINT.url, "urdupoint", DAWN.url], [APP.url, "app", DAWN.url],
        [OTHER.url, "urdupoint", OTHER.url]])


# --- real crawls of two outlets carrying the same stories ---------------------------------------------------

TWO_OUTLETS = {"OUTLET_MODULES": "crawler.outlets,tests.story_outlets"}


@pytest.fixture
def republished_site(site_copy, tmp_path) -> Path:
    """The mirror as the second outlet publishes it: every page on its own site."""
    root = tmp_path / "wirecopy"
    shutil.copytree(site_copy, root)
    for path in root.rglob("*"):
        if path.is_file() and path.suffix in (".html", ".rss", ".xml", ".json", ".txt"):
            path.write_bytes(path.read_bytes().replace(b"www.urdupoint.com", b"www.wirecopy.example"))  # any charset
    return root


def crawl_both(first: tuple[str, Path], second: tuple[str, Path], db_path: Path) -> Database:
    for spider, site in (first, second):
        with MirrorServer(site) as server:
            crawl = run_crawl(server.url, db_path, "-a", "edition=en", settings=TWO_OUTLETS, spider=spider)
        assert crawl.returncode == 0, crawl.log[-3000:]
    return Database(db_path)


def test_two_outlets_crawled_in_either_order_give_one_story_per_article_pair(site_copy, republished_site, tmp_path):
    urdupoint, wirecopy = ("urdupoint", site_copy), ("wirecopy", republished_site)
    forth = crawl_both(urdupoint, wirecopy, tmp_path / "forth.db")
    back = crawl_both(wirecopy, urdupoint, tmp_path / "back.db")
    rows = stories(forth)
    originals = {url: row for url, row in rows.items() if row[0] == "urdupoint"}
    copies = {url: row for url, row in rows.items() if row[0] == "wirecopy"}
    assert originals and len(copies) == len(originals)  # each outlet's archive is complete
    for url, (_, story, similarity) in originals.items():  # the same time and number: UrduPoint's URL sorts first
        assert (story, similarity) == (url, None)
        assert copies[url.replace("www.urdupoint.com", "www.wirecopy.example")] == ("wirecopy", url, 1.0)
    assert_consistent(forth)
    assert canonical(forth) == canonical(back)

"""Every outlet's mirror, crawled as a user crawls the outlet: ``scrapy crawl NAME -s OUTLET_BASE_URL=<mirror>``.

Each outlet has a small mirror under ``tests/outlets/NAME/site`` modelled on what is known of
the real site (its profile's docstring gives the sources), and a ``manifest.json`` saying what
the crawl must archive: every article with its title, time, language, dateline and text,
and the pages that are not articles. (UrduPoint's own mirror, ``tests/site``, has tests of
its own, its backfill from dated sitemaps among them.)
"""

import json
import subprocess
import sys

import pytest
import sqlite_utils

from tests.conftest import CRAWL_TIMEOUT, REPO, run_crawl
from tests.mirror.server import MirrorServer

OUTLETS = REPO / "tests" / "outlets"
MIRRORS = sorted(path.parent.name for path in OUTLETS.glob("*/manifest.json"))
FIELDS = ("title", "published_at", "language", "dateline_place", "dateline_agency")


def manifest_of(name: str) -> dict:
    return json.loads((OUTLETS / name / "manifest.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module", params=MIRRORS)
def outlet(request, tmp_path_factory):
    """An outlet's mirror crawled twice into one archive: the second run finds nothing new."""
    name = request.param
    with MirrorServer(OUTLETS / name / "site") as server:
        db_path = tmp_path_factory.mktemp(name) / "archive.db"
        first = run_crawl(server.url, db_path, spider=name)
        fetched_first = list(server.requests)
        server.clear_requests()
        second = run_crawl(server.url, db_path, spider=name)
        yield {"name": name, "manifest": manifest_of(name), "first": first, "second": second, "db": db_path,
               "fetched_first": fetched_first, "fetched_second": list(server.requests), "url": server.url}


def articles_of(db_path) -> dict[str, dict]:
    return {row["url"]: row for row in sqlite_utils.Database(db_path)["articles"].rows}


def test_scrapy_list_shows_every_outlet_and_the_url_list_spider():
    done = subprocess.run([sys.executable, "-m", "scrapy", "list"], cwd=REPO, capture_output=True, text=True,
                          timeout=CRAWL_TIMEOUT)
    assert done.returncode == 0, done.stderr
    assert set(done.stdout.split()) >= {"urdupoint", *MIRRORS}


def test_the_crawl_archives_exactly_the_outlets_articles(outlet):
    assert outlet["first"].returncode == 0, outlet["first"].log[-3000:]
    expected = {article["url"]: article for article in outlet["manifest"]["articles"]}
    archived = articles_of(outlet["db"])
    assert sorted(archived) == sorted(expected)
    for url, article in expected.items():
        row = archived[url]
        assert {field: row[field] for field in FIELDS} == {field: article[field] for field in FIELDS}, url
        assert row["outlet"] == outlet["name"]
        assert row["text"].startswith(article["text_starts"]) and row["text"].endswith(article["text_ends"]), url


def test_pages_that_are_not_articles_are_not_archived(outlet):
    archived = articles_of(outlet["db"])
    assert not set(outlet["manifest"]["not_articles"]) & set(archived)


def test_a_second_run_fetches_no_article_again(outlet):
    assert outlet["second"].returncode == 0, outlet["second"].log[-3000:]
    article_paths = {url.split("/", 3)[3] for url in articles_of(outlet["db"])}
    fetched = {path.lstrip("/").split("?")[0] for _, path, _ in outlet["fetched_second"]}
    assert fetched and not fetched & article_paths
    assert outlet["second"].stat("item_scraped_count") == 0


def test_each_run_is_recorded_under_the_outlets_name(outlet):
    runs = list(sqlite_utils.Database(outlet["db"])["crawl_runs"].rows)
    assert [(run["spider"], run["finish_reason"]) for run in runs] == [(outlet["name"], "finished")] * 2
    assert all(status != 0 for *_, status in outlet["fetched_first"])


def test_an_outlet_without_dated_sitemaps_refuses_a_backfill(tmp_path):
    done = subprocess.run([sys.executable, "-m", "scrapy", "crawl", "dawn", "-a", "since=2024-01-01",
                           "-s", f"ARCHIVE_DB={tmp_path / 'archive.db'}"], cwd=REPO, capture_output=True, text=True,
                          timeout=CRAWL_TIMEOUT)
    assert (done.returncode, done.stderr.splitlines()) == (
        2, ["Error: dawn has no dated sitemaps to backfill from (-a since, until, days)"])

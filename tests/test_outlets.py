"""Every outlet's mirror, crawled as a user crawls the outlet: ``scrapy crawl NAME -s OUTLET_BASE_URL=<mirror>``.

Each outlet has a small mirror under ``tests/outlets/NAME/site`` modelled on what is known of
the real site (its profile's docstring gives the sources), and a ``manifest.json`` saying what
the crawl must archive: every article with its title, time, language, dateline and text,
and the pages that are not articles. (UrduPoint's own mirror, ``tests/site``, has tests of
its own, its backfill from dated sitemaps among them.)
"""

import json
import shutil
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


def sitemap(*ids: int) -> str:
    return ('<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
            + "".join(f"<url><loc>https://www.dawn.com/news/{id}</loc></url>" for id in ids) + "</urlset>")


@pytest.fixture
def moved_dawn(tmp_path):
    """Dawn's mirror after a redesign its profile does not know: the feeds, the news sitemap and the listing
    are gone. robots.txt names a sitemap index at a new address, listed oldest first, and the home page links
    one more article."""
    site = tmp_path / "site"
    shutil.copytree(OUTLETS / "dawn" / "site", site)
    for gone in ("feeds", "latest-news"):
        shutil.rmtree(site / gone) if (site / gone).is_dir() else (site / gone).unlink()
    (site / "robots.txt").write_text(
        (OUTLETS / "dawn" / "site" / "robots.txt").read_text().replace("/feeds/sitemap", "/sitemaps/index.xml"))
    newest_first = {"old": ("2019-01-01", [2031152]), "news-3": ("2026-09-14", [2031178]),
                    "news-2": ("2026-09-15T09:00:00+05:00", [2031187, 2031160]),
                    "news-1": ("2026-09-16T07:00:00+05:00", [2031205, 2031199])}
    (site / "sitemaps").mkdir()
    for name, (_, ids) in newest_first.items():
        (site / "sitemaps" / f"{name}.xml").write_text(sitemap(*ids))
    (site / "sitemaps" / "index.xml").write_text(
        '<?xml version="1.0" encoding="UTF-8"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        + "".join(f"<sitemap><loc>https://www.dawn.com/sitemaps/{name}.xml</loc><lastmod>{lastmod}</lastmod></sitemap>"
                  for name, (lastmod, _) in newest_first.items()) + "</sitemapindex>")
    (site / "index.html").write_text(
        '<html><body><a href="/news/2031171">Cotton arrivals drop</a> <a href="/live/pakistan-floods-2026">Live</a>'
        ' <a href="/authors/119/afp">AFP</a> <a href="/latest-news">Latest</a></body></html>')
    return site


def test_an_outlet_whose_feeds_sitemaps_and_listings_moved_is_crawled_from_robots_txt_and_its_home_page(
        moved_dawn, tmp_path):
    with MirrorServer(moved_dawn) as server:
        crawl = run_crawl(server.url, tmp_path / "archive.db", spider="dawn")
        fetched = {path for _, path, _ in server.requests}
    expected = {article["url"] for article in manifest_of("dawn")["articles"]} - {"https://www.dawn.com/news/2031152"}
    assert sorted(articles_of(tmp_path / "archive.db")) == sorted(expected)
    assert "/sitemaps/old.xml" not in fetched  # of the index, the three sitemaps modified last
    assert crawl.stat("discovery/fallback") == 1
    assert crawl.returncode == 1  # the profile needs mending: the run says so
    assert ("WARNING: The feeds, news sitemaps and listings of dawn gave no article link: reading the sitemaps "
            "its robots.txt names and its home page instead (its profile may be out of date)") in crawl.log
    assert ("ERROR: Health check discovery_fallback failed: the outlet's feeds, news sitemaps and listings gave no "
            "article link; the sitemaps its robots.txt names and its home page gave 6: its profile needs updating"
            ) in crawl.log


def test_an_outlet_whose_discovery_finds_its_articles_looks_nowhere_else(outlet):
    assert outlet["first"].stat("discovery/fallback") == outlet["second"].stat("discovery/fallback") == 0
    assert outlet["first"].stat("discovery/article_links") > 0

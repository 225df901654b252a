"""Runs that must not pass silently: a site that cannot be reached, raw pages that could not be kept.

Every crawl here is a real ``scrapy crawl`` against the mirror served over HTTP, against its
address once the server is stopped (a closed port), or against a host that cannot resolve.
"""

import json
import re
import shutil

import pytest
import sqlite_utils

from crawler import settings
from tests.conftest import SITE, run_crawl
from tests.mirror.server import MirrorServer

DISCOVERY_REQUESTS = 1 + len(settings.URDUPOINT_CATEGORIES)  # the feed and each category's listing
QUICK = {"RETRY_TIMES": "1"}


@pytest.fixture(scope="module")
def crawled_then_gone(tmp_path_factory):
    """``(folder, base URL)``: an archive, its HTTP cache and WARC files from a crawl of the mirror,
    whose server is then stopped: its address now refuses connections."""
    folder = tmp_path_factory.mktemp("crawled")
    with MirrorServer(SITE) as server:
        crawl = run_crawl(server.url, folder / "archive.db")
        base_url = server.url
    assert crawl.returncode == 0, crawl.log[-3000:]
    return folder, base_url


def health_of_last_run(db_path) -> dict:
    return json.loads(list(sqlite_utils.Database(db_path)["crawl_runs"].rows)[-1]["health"])


@pytest.mark.parametrize("where, reason", [("closed_port", "connection_refused"), ("unresolvable", "dns_lookup")])
def test_a_crawl_that_reaches_nothing_fails_with_one_line_naming_the_cause(crawled_then_gone, tmp_path, where, reason):
    folder, base_url = crawled_then_gone
    shutil.copytree(folder, tmp_path / "copy")  # the archive holds recent articles, the cache their feeds
    db_path = tmp_path / "copy" / "archive.db"
    base_url = base_url if where == "closed_port" else "http://www.urdupoint.invalid"
    crawl = run_crawl(base_url, db_path, settings=QUICK)

    assert crawl.returncode == 1
    line = f"site unreachable: {DISCOVERY_REQUESTS} of {DISCOVERY_REQUESTS} discovery requests failed ({reason})"
    assert crawl.log.count("ERROR:") == 1
    assert f"ERROR: Health check discovery failed: {line}" in crawl.log
    assert (crawl.stat("health/failed"), crawl.stat("health/failed/discovery")) == (1, 1)
    assert health_of_last_run(db_path) == {"discovery": line}
    assert crawl.stat("httpcache/errorrecovery") == 0  # no stale copy stood in for the site
    assert "Traceback" not in crawl.log


def test_a_robots_txt_that_cannot_be_read_is_one_warning_and_a_stat(crawled_then_gone, tmp_path):
    crawl = run_crawl(crawled_then_gone[1], tmp_path / "archive.db", settings=QUICK)  # no cached robots.txt
    assert crawl.stat("robotstxt/failed/connection_refused") == 1
    [line] = [line for line in crawl.log.splitlines() if "robots.txt" in line and "[crawler." in line]
    assert line.endswith(f"WARNING: Could not read {crawled_then_gone[1]}/robots.txt (connection_refused): "
                         "crawling as if the site had none")
    assert "Traceback" not in crawl.log


def test_a_site_that_answers_but_has_no_feed_or_listing_fails(site_copy, tmp_path):
    (site_copy / "en" / "sitemap" / "news.rss").unlink()
    shutil.rmtree(site_copy / "en" / "news")
    with MirrorServer(site_copy) as server:
        crawl = run_crawl(server.url, tmp_path / "archive.db", settings=QUICK | {"HEALTH_NEW_ARTICLES_WINDOW_HOURS": "0"})
    assert crawl.returncode == 1
    assert crawl.stat("downloader/response_count") > 0  # robots.txt
    assert (f"ERROR: Health check discovery failed: no feed, listing or sitemap could be read: "
            f"{DISCOVERY_REQUESTS} of {DISCOVERY_REQUESTS} discovery requests failed (http_404)") in crawl.log


def test_a_crawl_where_only_some_discovery_fails_passes(mirror, tmp_path):
    categories = ",".join([*settings.URDUPOINT_CATEGORIES, "no-such-category"])
    crawl = run_crawl(mirror.url, tmp_path / "archive.db", settings={"URDUPOINT_CATEGORIES": categories})
    assert crawl.returncode == 0, crawl.log[-3000:]
    assert f"WARNING: Could not read {mirror.url}/en/news/no-such-category.html: http_404" in crawl.log
    assert crawl.stat("discovery/requests") > DISCOVERY_REQUESTS + 1  # listings have further pages
    assert crawl.stat("health/failed") == 0
    assert health_of_last_run(tmp_path / "archive.db") == {}


def test_the_log_names_each_dropped_page_by_reason_and_url_without_its_html(mirror_crawl):
    crawl = mirror_crawl[0]
    dropped = [line for line in crawl.log.splitlines() if "Dropped:" in line]
    assert len(dropped) == sum(count for name, count in crawl.stats.items() if name.startswith("archive/rejected/"))
    assert all(re.search(r"INFO: Dropped: not archived \([a-z0-9_]+\): https?://\S+$", line) for line in dropped), dropped
    assert any("(not_article)" in line for line in dropped)  # a page fetched whole, then rejected
    assert "<html" not in crawl.log.lower() and "body=b'" not in crawl.log
    assert max(map(len, crawl.log.splitlines())) < 1000


def test_following_a_redirect_copies_no_internal_meta_keys(mirror_crawl):
    crawl = mirror_crawl[0]
    assert crawl.stat("fetch/redirected") > 0
    assert "internal meta keys" not in crawl.log

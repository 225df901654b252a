"""Running unattended: one crawl per archive at a time, a record of every run, health checks that fire.

Each health check is shown firing on a copy of the mirror broken the way real
sites break (a redesign that loses the body or the dates, a block by the bot
challenge, every link dead), and staying quiet on the healthy mirror.
"""

import json
import re
import signal
import time

import pytest
import sqlite_utils

from crawler.lock import ArchiveLock
from tests.conftest import article_count, run_crawl, start_crawl, wait_for
from tests.mirror.build import article_path, build_site, load_articles
from tests.mirror.server import MirrorServer

ARTICLES = load_articles()
# One request at a time, a little apart: a crawl of the mirror (some 90 requests) lasts about 8 s, in which a test acts.
SLOW = {"DOWNLOAD_DELAY": "0.08", "AUTOTHROTTLE_ENABLED": "False", "CONCURRENT_REQUESTS_PER_DOMAIN": "1"}


def every_article_count(manifest) -> int:
    """The articles a run of ``scrapy crawl urdupoint`` archives from the mirror: both editions' feeds and listings."""
    return len(manifest["articles"]) + len(manifest["urdu"]["rss_articles"])


def test_the_healthy_mirror_passes_every_check_and_the_run_is_recorded(mirror_crawl, archive):
    crawl = mirror_crawl[0]
    assert crawl.stat("health/failed") == 0
    [run] = archive["crawl_runs"].rows
    assert run["finish_reason"] == "finished" and run["finished_at"] >= run["started_at"]
    assert (run["pages_fetched"], run["new_articles"], json.loads(run["health"])) == (
        crawl.stat("downloader/response_count"),
        crawl.stat("archive/new"),
        {},
    )
    assert json.loads(run["errors"])["fetch/failed/http_404"] == 1


def test_a_crawl_started_while_another_runs_exits_at_once(mirror, tmp_path, manifest):
    db_path = tmp_path / "archive.db"
    first = start_crawl(mirror.url, db_path, SLOW)
    try:
        wait_for(lambda: article_count(db_path) > 0)
        started = time.monotonic()
        second = run_crawl(mirror.url, db_path)
        assert time.monotonic() - started < 15
        assert second.returncode == 75
        assert re.search(r"another crawl is writing to .*archive\.db \(pid \d+, since ", second.log)
        assert second.stats == {}  # it never started crawling
    finally:
        assert first.wait(timeout=120) == 0, first.stderr.read()
    assert article_count(db_path) == every_article_count(manifest)


def test_a_crawl_killed_midway_leaves_a_consistent_archive_the_next_run_completes(mirror, tmp_path, manifest):
    db_path = tmp_path / "archive.db"
    crawl = start_crawl(mirror.url, db_path, SLOW)
    wait_for(lambda: article_count(db_path) >= 5)
    crawl.send_signal(signal.SIGKILL)
    crawl.wait(timeout=30)
    archive = sqlite_utils.Database(db_path)
    assert archive.execute("pragma integrity_check").fetchone()[0] == "ok"
    archive.execute("insert into articles_fts(articles_fts) values('integrity-check')")
    assert 5 <= archive["articles"].count < every_article_count(manifest)
    [killed] = archive["crawl_runs"].rows
    assert killed["finished_at"] is None
    assert ArchiveLock(db_path).acquire()  # the kernel released the dead crawl's lock

    after = run_crawl(mirror.url, db_path)
    assert after.returncode == 0, after.log[-3000:]
    urls = [row["url"] for row in archive["articles"].rows]
    assert sorted(urls) == sorted(set(urls)) and len(urls) == every_article_count(manifest)
    assert archive.execute("select count(*) from articles a left join article_urls u on u.url = a.url "
                           "where u.article_id is null").fetchone()[0] == 0


def strip_dates(html: str) -> str:
    html = re.sub(r'"datePublished":\s*"[^"]*",?', "", html)
    html = re.sub(r'<meta property="article:published_time"[^>]*>', "", html)
    html = re.sub(r'<span class="article-date">[^<]*</span>', "", html)
    return re.sub(r"Published|\d+ (?:seconds|minutes|hours) ago", "", html)


def break_pages(root, change):
    for article in ARTICLES:
        page = root / article_path(article).lstrip("/")
        encoding = "cp1252" if b"windows-1252" in page.read_bytes() else "utf-8"
        page.write_text(change(page.read_text(encoding=encoding)), encoding=encoding)


def challenge_everything(root):
    routes = json.loads((root / "_routes.json").read_text())
    routes["status"].update({article_path(a): [503, "_challenge.html"] for a in ARTICLES})
    (root / "_routes.json").write_text(json.dumps(routes))


BREAKAGES = {
    "empty_body_rate": lambda root: break_pages(
        root, lambda html: re.sub(r'(<div class="detail_txt">).*?(</div>\s*<div class="social_sharer)', r"\1\2", html, flags=re.S)
    ),
    "published_at_missing": lambda root: break_pages(root, strip_dates),
    "dateline_missing": lambda root: build_site([a | {"dateline": None} for a in ARTICLES], root),
    "challenge_rate": challenge_everything,
    "rejected_rate": lambda root: [(root / article_path(a).lstrip("/")).unlink() for a in ARTICLES],
}


@pytest.mark.parametrize("check", BREAKAGES)
def test_each_health_check_fires_on_a_mirror_broken_its_way(site_copy, tmp_path, check):
    BREAKAGES[check](site_copy)
    with MirrorServer(site_copy) as server:
        crawl = run_crawl(server.url, tmp_path / "archive.db", "-a", "edition=en", settings={"CHALLENGE_RETRY_TIMES": "0"})
    assert crawl.returncode == 1
    assert crawl.stat(f"health/failed/{check}") == 1
    assert re.search(rf"ERROR: Health check {check} failed: .+", crawl.log)


def test_no_new_articles_for_too_long_fires(mirror, tmp_path):
    db_path = tmp_path / "archive.db"
    assert run_crawl(mirror.url, db_path).returncode == 0
    time.sleep(1.1)
    quiet = run_crawl(mirror.url, db_path, settings={"HEALTH_NEW_ARTICLES_WINDOW_HOURS": "0.0002"})  # 0.72 s
    assert quiet.returncode == 1
    assert quiet.stat("health/failed/no_new_articles") == 1
    assert "no new article was archived in the last 0.0002 hours" in quiet.log
    runs = list(sqlite_utils.Database(db_path)["crawl_runs"].rows)
    assert [json.loads(run["health"]).keys() for run in runs] == [set(), {"no_new_articles"}]

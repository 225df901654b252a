"""Runs that must not pass silently: a site that cannot be reached, raw pages that could not be kept;
and a log that names what went wrong without the pages themselves.

Every crawl here is a real ``scrapy crawl`` against the mirror served over HTTP, against its
address once the server is stopped (a closed port), or against a host that cannot resolve. A full
disk is a real one: a filesystem of 64 KiB mounted for the test (skipped where mounting is not
allowed), or a WARC folder that cannot be created (inside /dev/full).
"""

import errno
import json
import os
import re
import shutil
import subprocess
from io import BytesIO
from urllib.parse import urlsplit

import pytest
import sqlite_utils
from scrapy.exceptions import DropItem
from scrapy import Spider
from scrapy.http import HtmlResponse, Request
from scrapy.utils.test import get_crawler
from warcio.statusandheaders import StatusAndHeaders

from crawler.logformatter import ArchiveLogFormatter
from crawler.outlets.urdupoint import URDUPOINT
from crawler.warc import Location, MemberWriter, RotatingWarcWriter, read_record, scan
from pipelines.archive import Archive
from pipelines.items import ArticleItem
from tests.conftest import SITE, run_crawl
from tests.mirror.server import MirrorServer

SECTIONS = URDUPOINT.listings[0].sections  # the English listings walked on every run
DISCOVERY_REQUESTS = 1 + len(SECTIONS)  # the English feed and each category's listing, at least
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


def last_run(db_path) -> dict:
    return list(sqlite_utils.Database(db_path)["crawl_runs"].rows)[-1]


def health_of_last_run(db_path) -> dict:
    return json.loads(last_run(db_path)["health"])


@pytest.mark.parametrize("where, reason", [("closed_port", "connection_refused"), ("unresolvable", "dns_lookup")])
def test_a_crawl_that_reaches_nothing_fails_with_one_line_naming_the_cause(crawled_then_gone, tmp_path, where, reason):
    folder, base_url = crawled_then_gone
    shutil.copytree(folder, tmp_path / "copy")  # the archive holds recent articles, the cache their feeds
    db_path = tmp_path / "copy" / "archive.db"
    base_url = base_url if where == "closed_port" else "http://www.urdupoint.invalid"
    crawl = run_crawl(base_url, db_path, settings=QUICK)

    assert crawl.returncode == 1
    asked = crawl.stat("discovery/requests")
    assert asked >= DISCOVERY_REQUESTS
    line = f"site unreachable: {asked} of {asked} discovery requests failed ({reason})"
    assert crawl.log.count("ERROR:") == 1
    assert f"ERROR: Health check discovery failed: {line}" in crawl.log
    assert (crawl.stat("health/failed"), crawl.stat("health/failed/discovery")) == (1, 1)
    assert health_of_last_run(db_path) == {"discovery": line}
    assert crawl.stat("httpcache/errorrecovery") == 0  # no stale copy stood in for the site
    assert "Traceback" not in crawl.log


def test_a_robots_txt_that_cannot_be_read_is_one_warning_and_a_stat(crawled_then_gone, tmp_path):
    crawl = run_crawl(crawled_then_gone[1], tmp_path / "archive.db", settings=QUICK)  # no cached robots.txt
    assert crawl.stat("robotstxt/failed/connection_refused") == 1
    assert json.loads(last_run(tmp_path / "archive.db")["errors"])["robotstxt/failed/connection_refused"] == 1
    [line] = [line for line in crawl.log.splitlines() if "robots.txt" in line and "[crawler." in line]
    assert line.endswith(f"WARNING: Could not read {crawled_then_gone[1]}/robots.txt (connection_refused): "
                         "crawling as if the site had none")
    assert "Traceback" not in crawl.log


def test_a_site_that_answers_but_has_no_feed_or_listing_fails(site_copy, tmp_path):
    (site_copy / "en" / "sitemap" / "news.rss").unlink()
    (site_copy / "daily" / "livenews" / "rss.xml").unlink()
    shutil.rmtree(site_copy / "en" / "news")
    with MirrorServer(site_copy) as server:
        crawl = run_crawl(server.url, tmp_path / "archive.db", settings=QUICK | {"HEALTH_NEW_ARTICLES_WINDOW_HOURS": "0"})
    assert crawl.returncode == 1
    assert crawl.stat("downloader/response_count") > 0  # robots.txt
    asked = crawl.stat("discovery/requests")
    assert asked >= DISCOVERY_REQUESTS
    assert (f"ERROR: Health check discovery failed: no feed, listing or sitemap could be read: "
            f"{asked} of {asked} discovery requests failed (http_404)") in crawl.log


def test_a_crawl_where_only_some_discovery_fails_passes(mirror, tmp_path):
    sections = ",".join([*SECTIONS, "no-such-category"])
    crawl = run_crawl(mirror.url, tmp_path / "archive.db", settings={"OUTLET_SECTIONS": sections})
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


def test_at_debug_level_each_archived_page_is_named_by_its_url_not_printed(mirror, tmp_path):
    crawl = run_crawl(mirror.url, tmp_path / "archive.db", settings={"LOG_LEVEL": "DEBUG"})
    scraped = [line for line in crawl.log.splitlines() if line.startswith("ArticleItem")]
    assert len(scraped) == crawl.stat("item_scraped_count") > 40
    assert all(re.fullmatch(r"ArticleItem https://www\.urdupoint\.com/\S+", line) for line in scraped), scraped[:3]
    assert "body=b'" not in crawl.log


@pytest.mark.parametrize(("level", "made"), [("INFO", False), ("WARNING", False), ("DEBUG", True), (10, True)])
def test_the_per_page_debug_lines_are_made_only_when_the_crawl_logs_debug(level, made):
    crawler = get_crawler(settings_dict={"LOG_LEVEL": level})
    formatter, spider = ArchiveLogFormatter.from_crawler(crawler), Spider.from_crawler(crawler, name="probe")
    url = "https://www.urdupoint.com/en/pakistan/news-1.html"
    response = HtmlResponse(url, request=Request(url), body=b"<html></html>")
    item = ArticleItem(url=url, fetched_url=url, body=response.body, encoding="utf-8",
                       fetched_at="2023-03-02T10:00:00+00:00")
    crawled = formatter.crawled(response.request, response, spider)
    scraped = formatter.scraped(item, response, spider)
    assert (crawled is not None, scraped is not None) == (made, made)
    if made:
        assert scraped["args"]["item"] == f"ArticleItem {url}" and crawled["args"]["status"] == 200
    dropped = formatter.dropped(item, DropItem(f"not archived (empty_body): {url}"), response, spider)
    assert dropped["msg"] % dropped["args"] == f"Dropped: not archived (empty_body): {url}"  # whatever the level


def test_following_a_redirect_copies_no_internal_meta_keys(mirror_crawl):
    crawl = mirror_crawl[0]
    assert crawl.stat("fetch/redirected") > 0
    assert "internal meta keys" not in crawl.log


def articles_without_raw_page(db_path) -> list[str]:
    return [row[0] for row in sqlite_utils.Database(db_path).execute("select url from articles where warc_file is null")]


@pytest.fixture(scope="module")
def crawled_without_raw_pages(mirror, tmp_path_factory):
    """``(folder, crawl)``: a crawl of the mirror whose WARC folder cannot be written (it would be inside
    /dev/full), its archive in ``folder``."""
    folder = tmp_path_factory.mktemp("raw-pages-lost")
    crawl = run_crawl(mirror.url, folder / "archive.db", settings={"WARC_DIR": "/dev/full/warc"})
    return folder, crawl


@pytest.fixture
def raw_pages_lost(crawled_without_raw_pages, tmp_path):
    """``(archive, crawl)``: a copy of that crawl's archive, for the test to crawl again."""
    folder, crawl = crawled_without_raw_pages
    shutil.copytree(folder, tmp_path / "crawl")
    return tmp_path / "crawl" / "archive.db", crawl


def test_a_crawl_that_could_not_keep_raw_pages_fails_its_health(raw_pages_lost):
    db_path, crawl = raw_pages_lost
    assert crawl.returncode == 1
    articles = sqlite_utils.Database(db_path)["articles"].count
    assert articles > 40 and len(articles_without_raw_page(db_path)) == articles
    lost = crawl.stat("warc/failed")
    assert lost == crawl.stat("downloader/response_count") and crawl.stat("warc/records") == 0
    line = (f"{lost} of {lost} responses could not be written to the WARC files (enotdir): their raw pages are lost, "
            "and the articles among them will be fetched again by the next run that can write them")
    assert f"ERROR: Health check warc_failed failed: {line}" in crawl.log
    assert health_of_last_run(db_path) == {"warc_failed": line}
    assert json.loads(last_run(db_path)["errors"])["warc/failed/enotdir"] == lost
    assert crawl.log.count("Could not write") == 1  # the first failure; the rest are counted


def test_the_next_run_fetches_again_the_articles_whose_raw_page_was_lost(raw_pages_lost, mirror):
    db_path, _ = raw_pages_lost
    db = sqlite_utils.Database(db_path)
    before = {row["url"]: row for row in db["articles"].rows}
    warc_dir = db_path.parent / "warc"
    crawl = run_crawl(mirror.url, db_path, settings={"WARC_DIR": str(warc_dir)})

    assert crawl.returncode == 0, crawl.log[-3000:]
    assert health_of_last_run(db_path) == {}
    assert crawl.stat("archive/new") == 0 and crawl.stat("archive/updated") == 0
    assert crawl.stat("archive/unchanged") > 40
    after = {row["url"]: row for row in db["articles"].rows}
    assert after.keys() == before.keys() and db["article_versions"].count == 0
    assert all(after[url]["id"] == before[url]["id"] and after[url]["versions"] == 1 for url in after)
    assert articles_without_raw_page(db_path) == []
    for row in after.values():
        record = read_record(warc_dir, Location(row["warc_file"], row["warc_offset"], row["warc_length"]))
        urls = {url for url, in db.execute("select url from article_urls where article_id = ?", [row["id"]])}
        assert record.status == 200 and record.url in urls

    again = run_crawl(mirror.url, db_path, settings={"WARC_DIR": str(warc_dir)})
    assert again.stat("extract/articles") == 0  # every raw page kept: nothing fetched again


def test_without_warc_files_an_article_without_raw_page_is_not_fetched_again(raw_pages_lost, mirror):
    db_path, _ = raw_pages_lost
    crawl = run_crawl(mirror.url, db_path, settings={"WARC_ENABLED": "False"})
    assert crawl.returncode == 0, crawl.log[-3000:]
    assert crawl.stat("extract/articles") == 0 and crawl.stat("archive/skipped_archived") > 40


@pytest.fixture
def small_disk(tmp_path):
    """A folder on a filesystem of its own, 64 KiB big (tmpfs): writes to it soon meet a full disk."""
    mount_point = tmp_path / "small-disk"
    mount_point.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(mount_point)],
                             capture_output=True, text=True)
    if mounted.returncode:
        pytest.skip(f"cannot mount a small filesystem here: {mounted.stderr.strip()}")
    try:
        yield mount_point
    finally:
        subprocess.run(["umount", "--lazy", str(mount_point)], check=True)  # even while a file on it is open


def grow(mount_point, size: str) -> None:
    """Give the small filesystem more room, as an owner freeing space would."""
    subprocess.run(["mount", "-o", f"remount,size={size}", str(mount_point)], check=True)


def response_record(url: str, body: bytes):
    http = StatusAndHeaders("200 OK", [("Content-Type", "text/html")], protocol="HTTP/1.1")
    return MemberWriter(BytesIO()).create_warc_record(url, "response", payload=BytesIO(body), http_headers=http)


def test_a_warc_write_that_meets_a_full_disk_leaves_the_file_as_it_was(small_disk):
    warcs = RotatingWarcWriter(small_disk / "warc", 10**9, "test")
    written = {}
    with pytest.raises(OSError) as full:
        for n in range(100):
            url = f"https://www.urdupoint.com/en/pakistan/page-{n}.html"
            written[url] = warcs.write(response_record(url, os.urandom(6000)))  # random bytes do not compress
    assert full.value.errno == errno.ENOSPC and 3 < len(written) < 100
    [path] = (small_disk / "warc").glob("*.warc.gz")
    last = max(written.values(), key=lambda location: location.offset)
    assert path.stat().st_size == last.offset + last.length  # the record written in part was cut off

    grow(small_disk, "1m")
    url = "https://www.urdupoint.com/en/pakistan/after-space-was-freed.html"
    written[url] = warcs.write(response_record(url, b"<html>kept</html>"))
    warcs.close()
    assert dict(scan(small_disk / "warc")) == written  # every record readable, the file to its end
    assert read_record(small_disk / "warc", written[url]).content == b"<html>kept</html>"


def test_articles_whose_raw_page_met_a_full_disk_are_fetched_again_once_there_is_room(small_disk, mirror, tmp_path):
    db_path, warc_dir = tmp_path / "archive.db", small_disk / "warc"
    full = run_crawl(mirror.url, db_path, settings={"WARC_DIR": str(warc_dir)})
    assert full.returncode == 1 and full.stat("warc/failed/enospc") == full.stat("warc/failed") > 0
    missing = articles_without_raw_page(db_path)
    assert 0 < len(missing) < sqlite_utils.Database(db_path)["articles"].count

    grow(small_disk, "16m")
    mirror.clear_requests()
    after = run_crawl(mirror.url, db_path, settings={"WARC_DIR": str(warc_dir)})
    assert after.returncode == 0, after.log[-3000:]
    assert articles_without_raw_page(db_path) == [] and after.stat("archive/new") == 0
    fetched = {path for _, path, _ in mirror.requests}
    assert {urlsplit(url).path for url in missing} <= fetched
    readable = {location for _, location in scan(warc_dir)}  # each file to its end, the failed writes cut off
    for row in sqlite_utils.Database(db_path)["articles"].rows:
        location = Location(row["warc_file"], row["warc_offset"], row["warc_length"])
        assert location in readable and read_record(warc_dir, location).status == 200


def test_an_article_the_archive_cannot_store_is_named_by_its_url_in_the_error(small_disk, mirror, tmp_path):
    grow(small_disk, "2m")
    Archive.open(small_disk / "archive.db").close()
    room = os.statvfs(small_disk)
    (small_disk / "filler").write_bytes(bytes(room.f_bavail * room.f_frsize - 48 * 1024))  # the disk is nearly full
    db_path = tmp_path / "archive.db"  # the crawl's log and stats beside it, on a disk with room
    db_path.symlink_to(small_disk / "archive.db")
    crawl = run_crawl(mirror.url, db_path, settings={"ARCHIVE_COMMIT_INTERVAL": "0", "WARC_DIR": str(tmp_path / "warc")})
    errors = [line for line in crawl.log.splitlines() if "ERROR: Error processing" in line]
    assert errors and all(re.search(r"ERROR: Error processing (ArticleItem|RejectedPage) https://\S+$", line) for line in errors)
    assert "body=b'" not in crawl.log
    assert "Error caught on signal handler" not in crawl.log  # the run not recorded: one line (RunHistory.record_run)


def test_a_run_that_lost_raw_pages_does_not_count_as_complete(tmp_path):
    """The next run walks the listings down past such a run, to the articles whose page it lost."""
    archive = Archive.open(tmp_path / "archive.db")
    for day, health in (("01", {}), ("02", {"warc_failed": "3 of 9 responses could not be written"})):
        run = archive.start_run("urdupoint", "latest", f"2026-01-{day}T00:00:00+00:00")
        archive.finish_run(run, {"finished_at": f"2026-01-{day}T00:10:00+00:00", "finish_reason": "finished",
                                 "health": json.dumps(health)})
    assert archive.last_complete_run_end("urdupoint", "latest") == "2026-01-01T00:10:00+00:00"
    archive.close()


def test_an_article_stored_in_the_second_a_run_ended_is_within_the_next_runs_horizon(tmp_path):
    """Times are kept to the second, and a short run stores all its articles in its last one: the next run
    stops walking the listings at them."""
    archive = Archive.open(tmp_path / "archive.db")
    archive.db["article_urls"].insert({"url": "https://www.urdupoint.com/en/a-1.html", "article_id": 1,
                                       "relation": "canonical", "first_seen": "2026-01-01T00:10:00+00:00"})
    assert archive.was_archived_by("https://www.urdupoint.com/en/a-1.html", "2026-01-01T00:10:00+00:00")
    assert archive.was_archived_by("https://www.urdupoint.com/en/a-1.html", "2026-01-01T00:10:01+00:00")
    assert not archive.was_archived_by("https://www.urdupoint.com/en/a-1.html", "2026-01-01T00:09:59+00:00")
    assert not archive.was_archived_by("https://www.urdupoint.com/en/b-2.html", "2026-01-01T00:10:00+00:00")
    archive.close()


def test_a_crawl_whose_articles_the_archive_could_not_store_fails_in_lines_and_they_come_later(small_disk, mirror, tmp_path, manifest):
    """The English edition archived, the disk then filled: the Urdu articles the next run finds cannot be
    committed. That run fails its health, each failure in one line, and a run with room stores them."""
    grow(small_disk, "16m")
    db_path = tmp_path / "archive.db"  # the crawl's log and stats beside it, on a disk with room
    db_path.symlink_to(small_disk / "archive.db")
    settings = {"WARC_DIR": str(tmp_path / "warc")}
    assert run_crawl(mirror.url, db_path, "-a", "edition=en", settings=settings).returncode == 0
    english = sqlite_utils.Database(db_path)["articles"].count
    room = os.statvfs(small_disk)
    (small_disk / "filler").write_bytes(bytes(room.f_bavail * room.f_frsize - 48 * 1024))  # the disk is nearly full

    full = run_crawl(mirror.url, db_path, settings=settings)
    assert full.returncode == 1 and full.stat("archive/commit_failed") > 0
    assert "archive_writes_failed" in [name.removeprefix("health/failed/") for name in full.stats if name.startswith("health/failed/")]
    assert "Traceback" not in full.log, full.log[-3000:]
    assert re.search(r"ERROR: Health check archive_writes_failed failed: \d+ commit\(s\) to the archive failed", full.log)
    urdu_feed = set(manifest["urdu"]["rss_articles"])
    assert sqlite_utils.Database(db_path)["articles"].count < english + len(urdu_feed)

    (small_disk / "filler").unlink()
    after = run_crawl(mirror.url, db_path, settings=settings)
    assert after.returncode == 0, after.log[-3000:]
    urdu = {url for url, in sqlite_utils.Database(db_path).execute("select url from articles where language = 'ur'")}
    assert urdu == urdu_feed

"""A site having a bad day: slow answers, dropped connections, 429 and 503 with Retry-After, a redirect loop,
a gzip bomb.

The mirror is told to misbehave on some of the feed's articles (``_routes.json``, see
``tests/mirror/server.py``) and crawled as a user runs it. The crawl finishes, waits as
long as the site asks before asking again, records why each page it could not get
failed, and archives the rest; the next run, once the site has recovered, fetches
what failed for a passing reason. One crawl meets every misbehaviour at once, as a bad
day brings them, and each test below reads one consequence from it.
"""

import gzip
import http.client
import json
import shutil
import time
from dataclasses import dataclass
from datetime import datetime, timezone
from email.utils import format_datetime

import pytest
import sqlite_utils

from crawler.retry_after import retry_after_seconds
from tests.conftest import SITE, Crawl, run_crawl
from tests.mirror.build import PUBLIC_BASE
from tests.mirror.server import MirrorServer

TIMEOUT = 2  # seconds: the crawls' DOWNLOAD_TIMEOUT
SETTINGS = {
    "DOWNLOAD_TIMEOUT": str(TIMEOUT),
    "RETRY_TIMES": "1",  # one retry is enough to see a page recover, and keeps the slow page's cost low
    "RETRY_AFTER_MAX": "60",
    # One request at a time, so that the pause of the host after a 429 or 503 shows in the server's log.
    "CONCURRENT_REQUESTS_PER_DOMAIN": "1",
}
# Articles of the mirror's RSS feed, each given one misbehaviour.
SLOW = "/en/world/uae-pakistan-discuss-ways-to-expand-trade-and-2052397.html"
DROPPED_ONCE = "/en/world/un-agencies-appeal-for-funds-as-humanitarian-2052363.html"
NEVER_ANSWERED = "/en/health/free-hepatitis-screening-drive-launched-in-pu-2052355.html"
RATE_LIMITED = "/en/technology/broadband-subscribers-cross-150-million-says-2052277.html"
UNAVAILABLE = "/en/pakistan/punjab-extends-relief-operations-in-flood-hit-2052192.html"
UNAVAILABLE_FOR_AN_HOUR = "/en/sports/pakistan-reach-asia-cup-super-four-after-win-2052171.html"
LOOPING = "/en/agriculture/experts-advise-growers-to-protect-cotton-crop-1856289.html"
LOOP_PARTNER = "/en/agriculture/experts-advise-growers-round-and-round-1856290.html"
BOMB = "/en/health/sindh-sets-up-heatstroke-centres-in-public-ho-1856234.html"  # served gzipped, 64 MiB unzipped
MISBEHAVIOUR = {
    "slow": {SLOW: TIMEOUT + 2},
    "drop": {DROPPED_ONCE: 1, NEVER_ANSWERED: 1000},
    "retry_after": {
        RATE_LIMITED: [429, 1, 1],
        UNAVAILABLE: [503, 2, 1],
        UNAVAILABLE_FOR_AN_HOUR: [503, 3600, 1000],
    },
    "redirects": {LOOPING: [302, LOOP_PARTNER], LOOP_PARTNER: [302, LOOPING]},
    "headers": {BOMB: {"Content-Encoding": "gzip"}},
}
WELL_BEHAVED = (DROPPED_ONCE, RATE_LIMITED, UNAVAILABLE)  # misbehave, then answer within the run


@dataclass
class Run:
    crawl: Crawl
    requests: list[tuple[float, str, str, int]]  # the server's timed log
    archived: set[str]  # public URLs of the archive's articles after the run
    rejected: dict[str, str]  # public URL -> reason, from rejected_urls

    def answers(self, path: str) -> list[tuple[float, int]]:
        """(arrival time, status) of each request for ``path``, in order; status 0: the connection was dropped."""
        return [(moment, status) for moment, _, requested, status in self.requests if requested == path]


def run(server: MirrorServer, db_path, **settings) -> Run:
    server.clear_requests()
    crawl = run_crawl(server.url, db_path, settings={**SETTINGS, **settings})
    archive = sqlite_utils.Database(db_path)
    archived = {row["url"] for row in archive["articles"].rows}
    rejected = {row["url"]: row["reason"] for row in archive["rejected_urls"].rows}
    archive.close()
    return Run(crawl, server.timed_requests, archived, rejected)


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """A copy of the mirror, served, whose ``_routes.json`` the fixtures below change."""
    root = tmp_path_factory.mktemp("misbehaving") / "site"
    shutil.copytree(SITE, root)
    with MirrorServer(root) as server:
        yield root, server


@pytest.fixture(scope="module")
def bad_day(site) -> Run:
    root, server = site
    routes_file = root / "_routes.json"
    routes = json.loads(routes_file.read_text(encoding="utf-8"))
    routes_file.write_text(json.dumps({
        **routes, **MISBEHAVIOUR, "redirects": {**routes["redirects"], **MISBEHAVIOUR["redirects"]},
        "headers": {**routes["headers"], **MISBEHAVIOUR["headers"]},
    }), encoding="utf-8")
    page = root / BOMB.lstrip("/")
    article = page.read_bytes()
    page.write_bytes(gzip.compress(b"<html>" + b" " * 64 * 2**20))
    try:
        return run(server, root.parent / "archive.db")
    finally:
        routes_file.write_text(json.dumps(routes), encoding="utf-8")  # the site recovers
        page.write_bytes(article)


@pytest.fixture(scope="module")
def next_day(site, bad_day) -> Run:
    """The next run, on the recovered site, with the wait before trying a failed page again elapsed."""
    root, server = site
    return run(server, root.parent / "archive.db", ARCHIVE_RETRY_REJECTED_AFTER="0")


def public(path: str) -> str:
    return PUBLIC_BASE + path


def test_the_crawl_finishes_and_archives_what_the_site_gave(bad_day):
    assert bad_day.crawl.returncode == 0, bad_day.crawl.log[-3000:]
    assert bad_day.crawl.stats["finish_reason"] == "finished"
    assert {public(path) for path in WELL_BEHAVED} <= bad_day.archived
    assert bad_day.crawl.stat("archive/new") >= 40  # the mirror's other articles too


def test_a_page_slower_than_the_download_timeout_is_recorded_as_a_timeout(bad_day):
    assert public(SLOW) not in bad_day.archived
    assert bad_day.rejected[public(SLOW)] == "timeout"
    assert bad_day.crawl.stat("fetch/failed/timeout") == 1
    assert bad_day.crawl.stat("retry/count") >= 1


def test_a_dropped_connection_is_retried_and_the_page_archived_when_the_server_answers(bad_day):
    statuses = [status for _, status in bad_day.answers(DROPPED_ONCE)]
    assert statuses == [0, 200]
    assert public(DROPPED_ONCE) in bad_day.archived and public(DROPPED_ONCE) not in bad_day.rejected


def test_a_page_whose_connection_always_drops_is_recorded_as_connection_lost(bad_day):
    assert {status for _, status in bad_day.answers(NEVER_ANSWERED)} == {0}
    assert bad_day.rejected[public(NEVER_ANSWERED)] == "connection_lost"
    assert bad_day.crawl.stat("fetch/failed/connection_lost") == 1


@pytest.mark.parametrize("path, status, wait", [(RATE_LIMITED, 429, 1), (UNAVAILABLE, 503, 2)], ids=["429", "503"])
def test_retry_after_is_waited_for_before_asking_again(bad_day, path, status, wait):
    (asked, first), (again, second) = bad_day.answers(path)
    assert (first, second) == (status, 200)
    assert again - asked >= wait
    assert public(path) in bad_day.archived


@pytest.mark.parametrize("path, wait", [(RATE_LIMITED, 1), (UNAVAILABLE, 2)], ids=["429", "503"])
def test_the_whole_host_waits_not_only_the_retry(bad_day, path, wait):
    (asked, _), _ = bad_day.answers(path)
    meanwhile = [request for request in bad_day.requests if asked < request[0] < asked + wait]
    assert len(meanwhile) <= 1  # at most the one request sent as the answer came in, before it was read


def test_the_waits_are_counted_and_logged(bad_day):
    assert bad_day.crawl.stat("retry_after/waits") == 2
    assert bad_day.crawl.stat("retry_after/seconds") == 3
    assert "127.0.0.1 asks to wait 1 s (HTTP 429" in bad_day.crawl.log
    assert "127.0.0.1 asks to wait 2 s (HTTP 503" in bad_day.crawl.log


def test_a_wait_longer_than_retry_after_max_gives_the_page_up_for_this_run(bad_day):
    assert [status for _, status in bad_day.answers(UNAVAILABLE_FOR_AN_HOUR)] == [503]
    assert bad_day.rejected[public(UNAVAILABLE_FOR_AN_HOUR)] == "http_503"
    assert bad_day.crawl.stat("retry_after/given_up") == 1
    assert "more than RETRY_AFTER_MAX (60 s): giving up" in bad_day.crawl.log


def test_a_redirect_loop_is_recorded_and_not_followed_round(bad_day):
    assert bad_day.rejected[public(LOOPING)] == "redirect_loop"
    assert len(bad_day.answers(LOOPING)) == 1 and len(bad_day.answers(LOOP_PARTNER)) == 1


def test_a_listing_that_redirects_round_is_named_a_redirect_loop(site_copy, tmp_path):
    listing, partner = "/en/news/technology.html", "/en/news/technology-latest.html"
    (site_copy / "_routes.json").write_text(json.dumps({"redirects": {listing: [301, partner], partner: [302, listing]}}),
                                            encoding="utf-8")
    with MirrorServer(site_copy) as server:
        crawl = run(server, tmp_path / "archive.db").crawl
        asked = [path for _, _, path, _ in server.timed_requests if path in (listing, partner)]
    assert crawl.returncode == 0 and crawl.stats["finish_reason"] == "finished"
    assert asked == [listing, partner]  # once each: not followed round
    assert crawl.stat("fetch/failed/redirect_loop") == 1
    assert f"Not following {server.url}{listing} round: it redirects back to itself" in crawl.log


def test_a_gzip_bomb_is_refused_as_too_large_without_unzipping_it_all(bad_day):
    assert bad_day.rejected[public(BOMB)] == "too_large"
    assert bad_day.crawl.stat("fetch/failed/too_large") == 1


def test_the_next_run_fetches_the_pages_that_failed_for_a_passing_reason(next_day):
    assert next_day.crawl.returncode == 0, next_day.crawl.log[-3000:]
    failed = {SLOW, NEVER_ANSWERED, UNAVAILABLE_FOR_AN_HOUR, LOOPING, BOMB}
    assert {public(path) for path in failed} <= next_day.archived
    assert not {public(path) for path in failed} & set(next_day.rejected)
    assert next_day.crawl.stat("archive/new") == len(failed)


def get(server: MirrorServer, path: str) -> tuple[int, str | None]:
    """(status, Retry-After) of one request on a new connection."""
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        response.read()
        return response.status, response.getheader("Retry-After")
    finally:
        connection.close()


def test_the_mirror_misbehaves_as_many_times_as_told_then_serves_the_page(site_copy):
    (site_copy / "_routes.json").write_text(json.dumps({
        "drop": {RATE_LIMITED: 1}, "retry_after": {RATE_LIMITED: [429, "Thu, 01 Jan 2026 12:00:30 GMT", 2]},
        "slow": {UNAVAILABLE: 0.3},
    }), encoding="utf-8")
    with MirrorServer(site_copy) as server:
        with pytest.raises(http.client.RemoteDisconnected):
            get(server, RATE_LIMITED)
        assert [get(server, RATE_LIMITED) for _ in range(3)] == [
            (429, "Thu, 01 Jan 2026 12:00:30 GMT"), (429, "Thu, 01 Jan 2026 12:00:30 GMT"), (200, None),
        ]
        started = time.monotonic()
        assert get(server, UNAVAILABLE) == (200, None)
        assert time.monotonic() - started >= 0.3
        assert [status for _, _, path, status in server.timed_requests if path == RATE_LIMITED] == [0, 429, 429, 200]


@pytest.mark.parametrize("value, seconds", [
    (b"120", 120), (b" 7 ", 7), (b"0", 0),
    (format_datetime(datetime(2026, 1, 1, 12, 0, 30, tzinfo=timezone.utc), usegmt=True).encode(), 30),
    (b"Thu, 01 Jan 2026 11:00:00 GMT", 0),  # a moment already past: no wait
    (b"soon", None), (b"-5", None), (b"", None), (None, None),
])
def test_retry_after_is_read_as_seconds_or_an_http_date(value, seconds):
    now = datetime(2026, 1, 1, 12, 0, tzinfo=timezone.utc)
    assert retry_after_seconds(value, now) == seconds

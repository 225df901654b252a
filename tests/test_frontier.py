"""The shared frontier on a real redis-server: several real ``scrapy crawl urdupoint`` processes
against the mirror, counted by the mirror's own request log.

What is asserted is what was downloaded (each discovery page once per run across the processes,
every article a single crawl fetches, a killed process's requests fetched by another), so that it
holds whoever stores the items. A ``scrapy archive-writer`` stores them (``archive_writer``), as a
crawl process needs (tests/test_archive_writer.py tests what it stores).
"""

import collections
import json
import pickle
import re
import signal
import sqlite3
import subprocess
import sys
import time
from contextlib import closing
from datetime import datetime
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from tests.archive_writer import finish, start_writer
from tests.conftest import CRAWL_TIMEOUT, REPO, SITE, Crawl, crawl_command, wait_for
from tests.mirror.server import MirrorServer
from tests.redis_server import RedisServer, redis_server  # noqa: F401 (fixture)

ARTICLE = re.compile(r"-\d+\.html$")  # the mirror's article pages; feeds, listings and sitemaps are the rest
PREFIX = "news-archive:urdupoint:"
# What a crawl reaches of the frontier's modules without one: the spider's interfaces, which import no redis.
WITHOUT_REDIS = {"crawler.frontier.requested", "crawler.frontier.knowledge"}
FORBIDDEN = "/en/private/"  # robots.txt disallows it
# Long enough for a process to hold requests when it is killed; the mirror's fifty English articles, four at a time,
# take a process alone some seven seconds.
SLOW_ARTICLE_SECONDS = 0.5
IDLE_CHECK_SECONDS = 5  # Scrapy's engine looks again this often at a crawl that has nothing to do


def is_discovery(path: str) -> bool:
    return not ARTICLE.search(path) and path != "/robots.txt"


class CrawlProcess:
    """``scrapy crawl urdupoint -a edition=en`` on the frontier at ``frontier``, started in the background,
    with its own archive, stats file and log under ``work``."""

    def __init__(self, base_url: str, frontier: str, work: Path, **settings: str):
        work.mkdir(parents=True)
        self.stats_path, self.log_path = work / "stats.json", work / "crawl.log"
        options = {
            "OUTLET_BASE_URL": base_url,
            "ARCHIVE_DB": str(work / "archive.db"),
            "FRONTIER_URL": frontier,
            "STATS_FILE": str(self.stats_path),
            "LOG_FILE": str(self.log_path),
            "DOWNLOAD_DELAY": "0",  # a local mirror needs no politeness: slow pages are fetched four at a time
            "AUTOTHROTTLE_ENABLED": "False",
            "ARCHIVE_WORKER_PROCESSES": "0",  # the machine is shared: extraction in the crawl's own process
            **settings,
        }
        self.process = subprocess.Popen(crawl_command(("-a", "edition=en"), options), cwd=REPO,
                                        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)

    @property
    def pid(self) -> int:
        return self.process.pid

    def finish(self) -> Crawl:
        _, stderr = self.process.communicate(timeout=CRAWL_TIMEOUT)
        log = (self.log_path.read_text(encoding="utf-8") if self.log_path.exists() else "") + stderr
        stats = json.loads(self.stats_path.read_text(encoding="utf-8")) if self.stats_path.exists() else {}
        return Crawl(self.process.returncode, stats, log)

    def kill(self) -> None:
        self.process.send_signal(signal.SIGKILL)
        self.process.wait()


def frontier_lines(log: str) -> list[str]:
    return [line for line in log.splitlines() if " ERROR: " in line and "frontier" in line]


def writer_archive(tmp_path: Path) -> Path:
    """The archive a test's ``scrapy archive-writer`` stores into."""
    return tmp_path / "archive" / "archive.db"


def archived_paths(archive: Path) -> set[str]:
    """The paths of every URL that led to an article of ``archive``, as committed so far."""
    with closing(sqlite3.connect(archive)) as db:
        return {urlsplit(url).path for (url,) in db.execute("select url from article_urls")}


def held_paths(client, pid: int) -> list[str]:
    """The paths of the requests the process ``pid`` holds taken."""
    keys = list(client.scan_iter(f"{PREFIX}taken:*:{pid}:*"))
    entries = [entry for key in keys for entry in client.zrange(key, 0, -1)]
    return sorted(urlsplit(pickle.loads(entry)["url"]).path for entry in entries)


def slow_site(root: Path) -> Path:
    """``root``, a copy of the mirror, whose article pages each take SLOW_ARTICLE_SECONDS to answer."""
    routes_path = root / "_routes.json"
    routes = json.loads(routes_path.read_text(encoding="utf-8"))
    articles = ["/" + str(path.relative_to(root)) for path in root.glob("en/**/*.html") if ARTICLE.search(path.name)]
    routes["slow"] = dict.fromkeys(articles, SLOW_ARTICLE_SECONDS)
    routes_path.write_text(json.dumps(routes), encoding="utf-8")
    return root


@pytest.fixture
def archive_writer(redis_server, tmp_path):  # noqa: F811
    """``scrapy archive-writer`` on the test's Redis, storing what the crawl processes send, for the whole test."""
    writer = start_writer(writer_archive(tmp_path), redis_server)
    yield writer
    writer.send_signal(signal.SIGTERM)
    finish(writer)


@pytest.fixture(scope="module")
def single_crawl(tmp_path_factory):
    """What one process without a frontier downloads from the mirror: (path, status) -> times."""
    work = tmp_path_factory.mktemp("single")
    with MirrorServer(SITE) as server:
        crawl = CrawlProcess(server.url, "", work / "crawl").finish()
        assert crawl.returncode == 0, crawl.log[-3000:]
        return collections.Counter((path, status) for _, path, status in server.requests)


def test_two_processes_share_one_discovery_and_fetch_each_page_once(redis_server, archive_writer, single_crawl,  # noqa: F811
                                                                     site_copy, tmp_path):
    # Slow article pages, so that neither process can fetch every page before the other has started.
    with MirrorServer(slow_site(site_copy)) as server:
        crawls = [CrawlProcess(server.url, redis_server.url, tmp_path / name) for name in ("first", "second")]
        first, second = (crawl.finish() for crawl in crawls)
        downloads = collections.Counter((path, status) for _, path, status in server.requests)
    assert (first.returncode, second.returncode) == (0, 0), [line for crawl in (first, second)
                                                             for line in crawl.log.splitlines() if "ERROR" in line]
    # Both took part: together they downloaded what one process downloads, robots.txt once each.
    assert first.stat("scheduler/dequeued/redis") > 0 and second.stat("scheduler/dequeued/redis") > 0
    assert downloads.pop(("/robots.txt", 200)) == 2
    assert downloads == single_crawl - collections.Counter({("/robots.txt", 200): 1})
    # Feeds, listings and sitemaps: each read once in the run, by one of them.
    discovery = [path for (path, _), times in downloads.items() if is_discovery(path) for _ in range(times)]
    assert len(discovery) == len(set(discovery)) > 10
    assert ["Starting" in crawl.log for crawl in (first, second)].count(True) == 1
    assert not any("ScrapyDeprecationWarning" in crawl.log or "Traceback" in crawl.log for crawl in (first, second))
    # The run is over and cleared: a later run starts afresh.
    assert list(redis_server.client().scan_iter(PREFIX + "*")) == []


def test_a_later_run_reads_feeds_listings_and_sitemaps_again(redis_server, archive_writer, tmp_path):  # noqa: F811
    runs = []
    with MirrorServer(SITE) as server:
        for run in ("first", "second"):
            server.clear_requests()
            crawl = CrawlProcess(server.url, redis_server.url, tmp_path / run).finish()
            assert crawl.returncode == 0, crawl.log[-3000:]
            assert "Starting frontier run" in crawl.log
            runs.append(collections.Counter(path for _, path, _ in server.requests if is_discovery(path)))
    first, second = runs
    # Each read once in each run; the second walks the listings only down to what the first archived.
    assert set(first.values()) == set(second.values()) == {1}
    assert set(second) <= set(first) and any(path.endswith(".rss") or "rss" in path for path in second)


def test_processes_hold_only_what_they_have_not_finished_and_close_together(redis_server, archive_writer,  # noqa: F811
                                                                             single_crawl, tmp_path):
    """One listing page is held back: while it is awaited, every other page is finished and given up, and the
    process with nothing to do waits for the one holding it (its page may list more), then both close."""
    held_listing = "/en/news/world.html"
    client = redis_server.client()
    with MirrorServer(SITE) as server:
        server.hold(held_listing)
        crawls = [CrawlProcess(server.url, redis_server.url, tmp_path / name) for name in ("first", "second")]
        wait_for(lambda: sorted(held_paths(client, crawls[0].pid) + held_paths(client, crawls[1].pid)) == [held_listing]
                 and client.zcard(PREFIX + "requests") == 0, timeout=30, what="the held listing to be all that is held")
        time.sleep(IDLE_CHECK_SECONDS + 1)
        assert [crawl.process.poll() for crawl in crawls] == [None, None]  # both still open
        server.release(held_listing)
        first, second = (crawl.finish() for crawl in crawls)
        fetched = {path for _, path, _ in server.requests}
    assert (first.returncode, second.returncode) == (0, 0)
    finished = sorted(datetime.fromisoformat(crawl.stats["finish_time"]) for crawl in (first, second))
    assert (finished[1] - finished[0]).total_seconds() <= IDLE_CHECK_SECONDS + 1
    assert {path for path, _ in single_crawl} <= fetched


def test_a_killed_process_requests_go_back_on_the_queue_for_the_others(redis_server, archive_writer, single_crawl, site_copy, tmp_path):  # noqa: F811
    client = redis_server.client()
    with MirrorServer(slow_site(site_copy)) as server:
        settings = {"FRONTIER_REQUEUE_AFTER_SECONDS": "5"}
        doomed, survivor = (CrawlProcess(server.url, redis_server.url, tmp_path / name, **settings)
                            for name in ("doomed", "survivor"))
        wait_for(lambda: len([path for path in held_paths(client, doomed.pid) if ARTICLE.search(path)]) >= 3,
                 what="the first process to hold article requests")
        doomed.kill()
        killed_at = time.monotonic()
        held = held_paths(client, doomed.pid)
        crawl = survivor.finish()
        after_kill = collections.Counter(path for arrived, _, path, _ in server.timed_requests if arrived > killed_at)
        fetched = {path for _, path, _ in server.requests}
    assert crawl.returncode == 0, crawl.log[-3000:]
    assert crawl.stat("frontier/requeued") == len(held), held
    # Every request the killed process held was fetched again, by the survivor, after the kill (but a page
    # robots.txt forbids, which is refused again).
    assert held and [path for path in held if not after_kill[path] and not path.startswith(FORBIDDEN)] == []
    assert "put back on the queue" in crawl.log
    # Nothing lost: every page one process fetches was fetched, or is an article archived first from another of
    # its URLs (a page naming it as canonical), which the writer's knowledge, published after each commit, says.
    archived = archived_paths(writer_archive(tmp_path))
    assert [path for path, _ in single_crawl if path not in fetched and path not in archived] == []
    assert list(client.scan_iter(PREFIX + "*")) == []


def test_an_unreachable_redis_is_one_error_line_and_status_1_before_anything_is_fetched(tmp_path):
    port_without_redis = RedisServer(tmp_path / "none").port
    with MirrorServer(SITE) as server:
        crawl = CrawlProcess(server.url, f"redis://127.0.0.1:{port_without_redis}/0", tmp_path / "crawl").finish()
        assert server.requests == []
    assert crawl.returncode == 1
    [line] = [line for line in crawl.log.splitlines() if "ERROR" in line]
    assert "Not crawling: the frontier's Redis at redis://127.0.0.1:" in line and "Traceback" not in crawl.log


def test_redis_going_down_mid_crawl_stops_it_with_one_error_line_and_status_1(redis_server, archive_writer, site_copy, tmp_path):  # noqa: F811
    with MirrorServer(slow_site(site_copy)) as server:
        process = CrawlProcess(server.url, redis_server.url, tmp_path / "crawl")
        wait_for(lambda: any(ARTICLE.search(path) for _, path, _ in server.requests), what="an article fetched")
        redis_server.stop()
        crawl = process.finish()
    assert crawl.returncode == 1
    assert crawl.stats["finish_reason"] == "frontier_lost" and crawl.stat("frontier/lost") == 1
    [line] = frontier_lines(crawl.log)
    # Whichever part noticed first says it: the scheduler, the spider, or the items' pipeline.
    assert "Stopping:" in line and "the frontier's Redis" in line
    assert "Traceback" not in crawl.log


def test_a_redis_restarted_without_persistence_stops_the_crawl(redis_server, archive_writer, site_copy, tmp_path):  # noqa: F811
    with MirrorServer(slow_site(site_copy)) as server:
        process = CrawlProcess(server.url, redis_server.url, tmp_path / "crawl", FRONTIER_REQUEUE_AFTER_SECONDS="2")
        wait_for(lambda: any(ARTICLE.search(path) for _, path, _ in server.requests), what="an article fetched")
        redis_server.restart()
        crawl = process.finish()
    assert crawl.returncode == 1
    assert crawl.stats["finish_reason"] == "frontier_lost"
    [line] = frontier_lines(crawl.log)
    assert "Stopping: the frontier" in line
    assert "Traceback" not in crawl.log


def test_with_an_append_only_file_the_frontier_survives_a_restart_and_the_run_goes_on(single_crawl, site_copy, tmp_path):
    redis_server = RedisServer(tmp_path / "redis", appendonly=True).start()
    client = redis_server.client()
    writer = start_writer(writer_archive(tmp_path), redis_server)
    try:
        with MirrorServer(slow_site(site_copy)) as server:
            # The first gives a heartbeat every second, so that its last one is at most a second before Redis stops;
            # the second takes it for alive within 12 s of that (it joins its run), and for dead after.
            first = CrawlProcess(server.url, redis_server.url, tmp_path / "first", FRONTIER_REQUEUE_AFTER_SECONDS="4")
            wait_for(lambda: len([path for _, path, _ in server.requests if ARTICLE.search(path)]) >= 3,
                     what="articles fetched")
            redis_server.stop()
            wait_for(lambda: frontier_lines(first.log_path.read_text(encoding="utf-8")), what="the crawl to stop")
            before_restart = collections.Counter(path for _, path, _ in server.requests)
            redis_server.start()
            run_id = client.get(PREFIX + "run")
            queued, held = client.zcard(PREFIX + "requests"), held_paths(client, first.pid)
            assert finish(writer) is not None and writer.returncode == 1  # it stopped with Redis
            writer = start_writer(writer_archive(tmp_path), redis_server)  # and is started again
            second = CrawlProcess(server.url, redis_server.url, tmp_path / "second",
                                  FRONTIER_REQUEUE_AFTER_SECONDS="12").finish()
            stopped = first.finish()
            fetched = collections.Counter(path for _, path, _ in server.requests)
        left = list(client.scan_iter(PREFIX + "*"))
    finally:
        redis_server.stop()
        finish(writer)
    assert stopped.returncode == 1 and len(frontier_lines(stopped.log)) == 1
    # What the frontier held came back with Redis: the run, its queue, the stopped process's taken requests.
    assert run_id and queued > 0 and held
    assert second.returncode == 0, second.log[-3000:]
    assert f"Joining frontier run {run_id.decode()}" in second.log
    assert second.stat("frontier/requeued") == len(held)
    # The run went on where it stopped: no discovery page read twice (but those the first still held), nothing lost.
    after_restart = fetched - before_restart
    assert not {path for path in after_restart if is_discovery(path) and before_restart[path]} - set(held)
    assert {path for path, _ in single_crawl} <= set(fetched)
    assert left == []


def test_without_a_frontier_nothing_of_it_nor_redis_is_imported():
    script = ("import sys; from scrapy.utils.project import get_project_settings; "
              "from scrapy.spiderloader import get_spider_loader; import crawler.commands.crawl; "
              "get_spider_loader(get_project_settings()).load('urdupoint'); "
              "print(sorted(name for name in sys.modules if name.split('.')[0] in ('redis', 'scrapy_redis') "
              "or name.startswith('crawler.frontier.') and name not in WITHOUT_REDIS))")
    script = f"WITHOUT_REDIS = {sorted(WITHOUT_REDIS)}; {script}"
    result = subprocess.run([sys.executable, "-c", script], cwd=REPO, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"

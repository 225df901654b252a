"""Crawl processes sharing a frontier send their items to one archive writer, which stores them exactly once.

Everything is real: a ``redis-server`` of each test's own, the mirror over HTTP, ``scrapy crawl``
and ``scrapy archive-writer`` in subprocesses, killed with SIGKILL where the test says. A crawl
process runs with its ``ARCHIVE_DB`` in a folder of its own, as on another machine: it must never
create that file, and its WARC files are kept there.
"""

import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlite_utils import Database

from crawler.warc import Location, read_record
from tests.archive_writer import STREAM, WRITER_TIMEOUT, finish, start_writer, writer_command
from tests.conftest import REPO, SITE, run_crawl
from tests.mirror.server import MirrorServer
from tests.redis_server import RedisServer
from tests.test_frontier import CrawlProcess, slow_site
from tests.test_arrival_order import assert_consistent, canonical, publish_copies

KILLS = 12  # at most: the writer restarted and killed until it has stored the stream


def frontier_crawl(base_url: str, machine: Path, redis: RedisServer, *args: str, **settings: str):
    """A crawl process of the shared frontier, its ARCHIVE_DB (never created) in ``machine``."""
    machine.mkdir(exist_ok=True)
    return run_crawl(base_url, machine / "archive.db", *args, settings={"FRONTIER_URL": redis.url, **settings})


def drained(redis: RedisServer) -> None:
    """Wait until the writer has stored, published and acknowledged every entry on the stream."""
    client, deadline = redis.client(), time.monotonic() + WRITER_TIMEOUT
    while client.xlen(STREAM):
        assert time.monotonic() < deadline
        time.sleep(0.05)


def article_paths(requests) -> list[str]:
    return [path for _, path, _ in requests if path.startswith("/en/") and path.endswith(".html")
            and not path.startswith("/en/news/")]


@pytest.fixture
def redis(tmp_path):
    server = RedisServer(tmp_path / "redis").start()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def copies_site(tmp_path_factory):
    """The mirror with copies (tests/test_arrival_order.py), built once: the tests here only serve it."""
    root = tmp_path_factory.mktemp("copies") / "site"
    shutil.copytree(SITE, root)
    return publish_copies(root)


@pytest.fixture(scope="module")
def single_process(copies_site, tmp_path_factory):
    """The mirror with copies crawled by one process into its own archive, then crawled again with re-visits;
    the tests compare with it and never change it."""
    db_path = tmp_path_factory.mktemp("single") / "archive.db"
    with MirrorServer(copies_site) as server:
        first = run_crawl(server.url, db_path, "-a", "edition=en")
        server.clear_requests()
        again = run_crawl(server.url, db_path, "-a", "edition=en", "-a", "revisit_days=5000",
                          settings={"ARCHIVE_REVISIT_AFTER": "0"})
        requests = list(server.requests)
    assert first.returncode == 0 and again.returncode == 0, first.log[-3000:] + again.log[-3000:]
    return Database(db_path), first, again, requests


def test_a_crawl_process_sends_its_items_and_the_writer_stores_what_one_process_stores(
        copies_site, single_process, redis, tmp_path):
    single, single_first, single_again, single_requests = single_process
    db_path = tmp_path / "archive.db"
    machine = tmp_path / "crawl-machine"
    with MirrorServer(copies_site) as server:
        writer = start_writer(db_path, redis)
        first = frontier_crawl(server.url, machine, redis, "-a", "edition=en")
        drained(redis)
        server.clear_requests()
        again = frontier_crawl(server.url, machine, redis, "-a", "edition=en", "-a", "revisit_days=5000",
                               ARCHIVE_REVISIT_AFTER="0")
        requests = list(server.requests)
        drained(redis)
        writer.send_signal(signal.SIGTERM)
        stderr = finish(writer)
    assert first.returncode == 0 and again.returncode == 0, first.log[-3000:] + again.log[-3000:]
    assert writer.returncode == 0, stderr
    assert first.stat("frontier/items_sent") == single_first.stat("item_scraped_count") + single_first.stat(
        "item_dropped_count") > 40

    archive = Database(db_path)
    assert_consistent(archive)
    assert canonical(archive) == canonical(single)
    assert not (machine / "archive.db").exists()  # the crawl process never opened the archive

    # Each article's raw page is in the WARC files of the crawl process that fetched it.
    for article_id, file, offset, length in archive.execute("select id, warc_file, warc_offset, warc_length from articles"):
        urls = {url for url, in archive.execute("select url from article_urls where article_id = ?", [article_id])}
        assert read_record(machine / "warc", Location(file, offset, length)).url in urls

    # The second run asked the archive through what the writer published: it fetched the article pages one
    # process fetches (only re-visits, answered 304), skipped what is archived or rejected, and stopped
    # walking the listings at what the first run archived.
    assert sorted(article_paths(requests)) == sorted(article_paths(single_requests))
    assert {status for _, path, status in requests if path in article_paths(requests)} == {304}
    for name in ("revisit/requested", "revisit/not_modified"):
        assert again.stat(name) == single_again.stat(name) > 0, name
    assert again.stat("archive/skipped_archived") > 0 and again.stat("archive/skipped_rejected") > 0
    assert again.stat("discovery/listing/pages") < first.stat("discovery/listing/pages")

    runs = list(archive.query("select spider, mode, process, new_articles, pages_fetched, finish_reason from crawl_runs "
                              "order by id"))
    assert [(run["spider"], run["process"] is None) for run in runs] == [
        ("archive-writer", True), ("urdupoint", False), ("urdupoint", False)]
    assert [run["new_articles"] for run in runs] == [archive["articles"].count, archive["articles"].count, 0]
    assert [run["pages_fetched"] for run in runs[1:]] == [first.stat("downloader/response_count"),
                                                          again.stat("downloader/response_count")]
    assert {run["finish_reason"] for run in runs} == {"finished"}


def read_beside_the_writer(db_path: Path, query: str):
    """The first row of ``query``, read as datasette would beside the writer; None before the schema is there."""
    if not db_path.exists():
        return None
    with sqlite3.connect(f"file:{db_path}?mode=ro", uri=True) as conn:
        try:
            return conn.execute(query).fetchone()
        except sqlite3.OperationalError:  # the schema is not there yet
            return None


def stored_entries(db_path: Path) -> str | None:
    """The last stream entry the archive holds as stored."""
    row = read_beside_the_writer(db_path, "select entry_id from stream_positions")
    return row[0] if row else None


def stored_articles(db_path: Path) -> int:
    row = read_beside_the_writer(db_path, "select count(*) from articles")
    return row[0] if row else 0


@pytest.fixture(scope="module")
def one_crawl_on_the_stream(copies_site, tmp_path_factory) -> tuple[Path, dict]:
    """``(folder, keys)``: the items of one crawl on the stream, none stored (the crawl ran while no writer was
    reading); ``folder`` holds the archive the writer made and the crawl's own files, ``keys`` every key of that
    Redis, dumped (the stream with its consumer group), to be restored on each test's own."""
    folder = tmp_path_factory.mktemp("stream")
    redis = RedisServer(tmp_path_factory.mktemp("stream-redis")).start()
    try:
        db_path = folder / "archive.db"
        writer = start_writer(db_path, redis)
        writer.send_signal(signal.SIGTERM)
        assert finish(writer) is not None and writer.returncode == 0
        with MirrorServer(copies_site) as server:
            # The archive is empty while it crawls: no check of its newest article.
            crawl = frontier_crawl(server.url, folder / "crawl-machine", redis, "-a", "edition=en",
                                   HEALTH_NEW_ARTICLES_WINDOW_HOURS="0")
        assert crawl.returncode == 0, crawl.log[-3000:]
        client = redis.client()
        assert client.xlen(STREAM) == crawl.stat("frontier/items_sent") + 2  # and the run's start and end
        return folder, {key: (client.dump(key), max(client.pttl(key), 0)) for key in client.scan_iter()}
    finally:
        redis.stop()


@pytest.fixture
def items_on_stream(one_crawl_on_the_stream, redis, tmp_path):
    """That stream on the test's Redis, and a copy of the archive beside it; the archive's path."""
    folder, keys = one_crawl_on_the_stream
    shutil.copytree(folder, tmp_path / "stream")
    client = redis.client()
    for key, (value, ttl) in keys.items():
        client.restore(key, ttl, value)
    assert client.xlen(STREAM) > 40
    return tmp_path / "stream" / "archive.db"


def test_a_writer_killed_at_random_moments_stores_every_entry_once(items_on_stream, single_process, redis):
    db_path = items_on_stream
    client = redis.client()
    rng = random.Random(int(os.environ.get("KILL_SEED", time.time())))
    kills_while_storing = 0
    for _ in range(KILLS):
        if not client.xlen(STREAM):
            break
        before = client.xlen(STREAM)
        # One entry a transaction: as many moments between a commit and its acknowledgement as there are entries.
        # Killed as soon as it has stored a random share of the entries left, however fast this machine stores
        # them (on a quiet one it stores a thousand a second: a fixed delay drained the whole stream).
        left = rng.randrange(before // 2, before) if before > 3 else 0
        writer = start_writer(db_path, redis, settings={"FRONTIER_WRITER_BATCH": "1", "LOG_LEVEL": "WARNING"})
        deadline = time.monotonic() + WRITER_TIMEOUT
        while client.xlen(STREAM) > left and writer.poll() is None and time.monotonic() < deadline:
            pass
        writer.kill()
        writer.wait()
        assert_consistent(Database(db_path))
        kills_while_storing += 0 < client.xlen(STREAM) < before
    writer = start_writer(db_path, redis, "--exit-idle", "1")
    stderr = finish(writer)
    assert writer.returncode == 0, stderr
    assert client.xlen(STREAM) == 0
    assert kills_while_storing > 0
    archive = Database(db_path)
    assert_consistent(archive)
    assert canonical(archive) == canonical(single_process[0])


def test_an_entry_stored_but_not_acknowledged_is_recognised_and_not_stored_again(items_on_stream, single_process, redis):
    db_path = items_on_stream
    client = redis.client()
    entries = client.xlen(STREAM)
    writer = start_writer(db_path, redis, settings={"FRONTIER_WRITER_BATCH": "1000"})
    # Once the writer has taken the entries, Redis refuses it every write: it stores and commits them all, then
    # waits to publish and acknowledge them, and is killed there.
    deadline = time.monotonic() + 60
    while not client.xpending(STREAM, "archive-writer")["pending"]:
        assert time.monotonic() < deadline, "the writer never held entries it had not acknowledged"
        time.sleep(0.001)
    client.client_pause(10_000, all=False)
    deadline = time.monotonic() + 10
    while stored_entries(db_path) is None:
        assert time.monotonic() < deadline, "the writer did not commit"
        time.sleep(0.01)
    writer.kill()
    writer.wait()
    client.client_unpause()
    assert client.xpending(STREAM, "archive-writer")["pending"] == entries  # stored, not acknowledged
    stored = Database(db_path)["articles"].count
    assert stored > 0

    writer = start_writer(db_path, redis, "--exit-idle", "1")
    stderr = finish(writer)
    assert writer.returncode == 0, stderr
    assert client.xlen(STREAM) == 0
    archive = Database(db_path)
    assert archive["articles"].count == stored
    assert canonical(archive) == canonical(single_process[0])
    [stats] = [run["stats"] for run in archive.query("select stats from crawl_runs where spider = 'archive-writer' "
                                                      "and finish_reason = 'finished' order by id desc limit 1")]
    assert f'"writer/entries/already_stored": {entries}' in stats


def test_without_redis_the_writer_and_a_crawl_stop_with_one_line(redis, mirror, tmp_path):
    gone = RedisServer(tmp_path / "gone")  # its port, with no server on it
    writer = subprocess.run(writer_command(tmp_path / "archive.db", gone.url, settings={"LOG_FILE": ""}), cwd=REPO,
                            capture_output=True, text=True, timeout=WRITER_TIMEOUT)
    assert writer.returncode == 1
    assert "ERROR: The archive writer stops: cannot reach Redis at" in writer.stderr
    assert "Traceback" not in writer.stderr

    crawl = frontier_crawl(mirror.url, tmp_path / "crawl-machine", gone)
    assert crawl.returncode == 1
    assert f"ERROR: Not crawling: the frontier's Redis at {gone.url} cannot be reached" in crawl.log
    assert "Traceback" not in crawl.log

    crawl = frontier_crawl(mirror.url, tmp_path / "crawl-machine", redis)  # a Redis no writer published to
    assert crawl.returncode == 1
    assert "no archive writer has published the archive's state" in crawl.log
    assert not (tmp_path / "crawl-machine" / "archive.db").exists()


def test_redis_gone_mid_crawl_stops_the_crawl_and_the_writer_with_nothing_half_written(mirror, redis, tmp_path):
    db_path = tmp_path / "archive.db"
    writer = start_writer(db_path, redis)
    machine = tmp_path / "crawl-machine"
    machine.mkdir()
    slow = {"DOWNLOAD_DELAY": "0.1", "AUTOTHROTTLE_ENABLED": "False", "CONCURRENT_REQUESTS_PER_DOMAIN": "1",
            "FRONTIER_URL": redis.url}
    crawl = subprocess.Popen(
        [sys.executable, "-m", "scrapy", "crawl", "urdupoint", "-a", "edition=en",
         *(part for name, value in {"OUTLET_BASE_URL": mirror.url, "ARCHIVE_DB": str(machine / "archive.db"),
                                    "LOG_FILE": str(machine / "crawl.log"), **slow}.items()
           for part in ("-s", f"{name}={value}"))],
        cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 60
    while not stored_articles(db_path):
        assert time.monotonic() < deadline and crawl.poll() is None
        time.sleep(0.05)
    redis.stop()
    crawl_stderr = finish(crawl)
    writer_stderr = finish(writer)
    log = (machine / "crawl.log").read_text(encoding="utf-8") + crawl_stderr
    assert crawl.returncode == 1
    # One line says why, whichever noticed first: the scheduler, the spider asking what is archived, the pipeline.
    assert log.count("ERROR: Stopping:") == 1
    assert "Closing spider (frontier_lost)" in log
    assert "Traceback" not in log
    assert writer.returncode == 1
    writer_log = (tmp_path / "writer.log").read_text(encoding="utf-8") + writer_stderr
    assert writer_log.count("ERROR: The archive writer stops") == 1
    assert "Traceback" not in writer_log
    archive = Database(db_path)
    assert_consistent(archive)
    assert archive["articles"].count > 0


def test_two_crawl_processes_and_the_writer_archive_the_mirror_exactly_once(copies_site, single_process, redis,
                                                                            tmp_path):
    db_path = tmp_path / "archive.db"
    site = tmp_path / "site"
    shutil.copytree(copies_site, site)
    # Slow article pages, so that neither process can fetch every page before the other has started.
    with MirrorServer(slow_site(site)) as server:
        writer = start_writer(db_path, redis)
        processes = [CrawlProcess(server.url, redis.url, tmp_path / name) for name in ("one", "two")]
        crawls = [process.finish() for process in processes]
        drained(redis)
        writer.send_signal(signal.SIGTERM)
        stderr = finish(writer)
    assert [crawl.returncode for crawl in crawls] == [0, 0], crawls[0].log[-3000:] + crawls[1].log[-3000:]
    assert writer.returncode == 0, stderr
    assert all(crawl.stat("scheduler/dequeued/redis") > 0 for crawl in crawls)  # both took part
    single, single_first = single_process[0], single_process[1]
    assert sum(crawl.stat("frontier/items_sent") for crawl in crawls) == single_first.stat(
        "item_scraped_count") + single_first.stat("item_dropped_count")

    archive = Database(db_path)
    assert_consistent(archive)
    assert canonical(archive) == canonical(single)  # row by row, without ids, times and runs
    assert not any((tmp_path / name / "archive.db").exists() for name in ("one", "two"))
    # Each article's raw page is in the WARC files of the one process that fetched it.
    for article_id, file, offset, length in archive.execute("select id, warc_file, warc_offset, warc_length from articles"):
        urls = {url for url, in archive.execute("select url from article_urls where article_id = ?", [article_id])}
        found = [directory for directory in (tmp_path / "one" / "warc", tmp_path / "two" / "warc")
                 if (directory / file).exists()]
        assert len(found) == 1 and read_record(found[0], Location(file, offset, length)).url in urls

    runs = list(archive.query("select spider, process, new_articles, finish_reason from crawl_runs order by id"))
    assert [run["spider"] for run in runs] == ["archive-writer", "urdupoint", "urdupoint"]
    assert len({run["process"] for run in runs[1:]}) == 2
    assert sum(run["new_articles"] for run in runs[1:]) == runs[0]["new_articles"] == archive["articles"].count
    assert {run["finish_reason"] for run in runs} == {"finished"}


def test_an_entry_that_is_no_message_of_a_crawl_is_skipped_with_one_line(redis, tmp_path):
    db_path = tmp_path / "archive.db"
    client = redis.client()
    client.xadd(STREAM, {"message": b"\x80not json"})
    client.xadd(STREAM, {"message": b'{"kind": "article", "run": "x", "item": {"url": 1}}'})
    client.xadd(STREAM, {"other": b"field"})
    writer = start_writer(db_path, redis, "--exit-idle", "1")
    stderr = finish(writer)
    assert writer.returncode == 0, stderr
    log = (tmp_path / "writer.log").read_text(encoding="utf-8")
    assert log.count("skipped: not a message of this archive's crawls") == 3
    assert "Traceback" not in log
    assert client.xlen(STREAM) == 0
    [stats] = [run["stats"] for run in Database(db_path).query("select stats from crawl_runs")]
    assert '"writer/entries/malformed": 3' in stats


@pytest.mark.parametrize("arguments, error", [
    (["--exit-idle", "soon"], "Error: --exit-idle 'soon' is not a positive number of seconds"),
    (["-s", "FRONTIER_URL="], "Error: FRONTIER_URL is not set: name the Redis server the crawls share"),
    (["-s", "FRONTIER_WRITER_BATCH=0"], "Error: FRONTIER_WRITER_BATCH must be 1 or more, not 0"),
], ids=["exit-idle", "no-frontier", "batch"])
def test_a_wrong_option_or_setting_of_the_writer_is_one_line_and_status_1(arguments, error, tmp_path):
    command = writer_command(tmp_path / "archive.db", "redis://127.0.0.1:1/0") + arguments
    done = subprocess.run(command, cwd=REPO, capture_output=True, text=True, timeout=WRITER_TIMEOUT)
    assert done.returncode == 1
    [line] = done.stderr.strip().splitlines()
    assert line.startswith(error)
    assert not (tmp_path / "archive.db").exists()


def test_a_redis_restarted_without_persistence_stops_the_writer_with_one_line(items_on_stream, redis):
    db_path = items_on_stream
    writer = start_writer(db_path, redis, settings={"FRONTIER_WRITER_BATCH": "1"})
    deadline = time.monotonic() + 60
    while not stored_articles(db_path):
        assert time.monotonic() < deadline and writer.poll() is None
        time.sleep(0.01)
    redis.restart()  # without an append-only file: the stream and its consumer group are gone
    stderr = finish(writer)
    assert writer.returncode == 1
    log = (db_path.parent / "writer.log").read_text(encoding="utf-8") + stderr
    [line] = [line for line in log.splitlines() if " ERROR: " in line]
    assert "The archive writer stops:" in line
    assert "Traceback" not in log
    assert_consistent(Database(db_path))
    [reason] = [run["finish_reason"] for run in Database(db_path).query(
        "select finish_reason from crawl_runs where spider = 'archive-writer' order by id desc limit 1")]
    assert reason in ("writer_stopped", "frontier_lost")

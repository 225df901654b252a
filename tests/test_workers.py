"""The worker processes that extract pages: real processes, a crash costs one page at most."""

import asyncio
import gc
import json
import multiprocessing
import os
import signal
import subprocess
import sys
import time

import pytest
from scrapy.utils.test import get_crawler

from pipelines.items import ArticleItem, RejectedPage
from tests.samples import URDUPOINT_ONLY
from pipelines.workers import WorkerCrashed, WorkerPool
from pipelines.extract import ExtractPipeline
from tests.conftest import REPO, SITE, run_crawl
from tests.crawl_probe import probe_settings
from tests.mirror.server import MirrorServer
from tests.test_crash_safety import descendants
from tests.test_extract import article_html, page


def die_once(flag_path: str) -> int:
    """Kill the worker running it the first time, as a segfault in a C library would; then answer."""
    if not os.path.exists(flag_path):
        open(flag_path, "w").close()
        os.kill(os.getpid(), signal.SIGKILL)
    return os.getpid()


def always_die(*args) -> None:
    os.kill(os.getpid(), signal.SIGKILL)


def in_loop(pool: WorkerPool, awaitable):
    """``awaitable``'s result, in an event loop, the pool closed afterwards."""

    async def job():
        try:
            return await awaitable
        finally:
            pool.close()

    return asyncio.run(job())


def run(pool: WorkerPool, function, *args):
    return in_loop(pool, pool.run(function, *args))


def test_jobs_run_in_other_processes():
    assert run(WorkerPool(2), os.getpid) != os.getpid()


def test_the_workers_are_forked_with_what_the_fork_server_imported_frozen():
    assert run(WorkerPool(1), gc.get_freeze_count) > 10_000
    assert gc.get_freeze_count() == 0  # not the process that starts them


def test_an_inline_pool_runs_jobs_here():
    assert run(WorkerPool.inline(), os.getpid) == os.getpid()


def test_a_worker_that_dies_is_replaced_and_the_job_tried_again(tmp_path):
    pool = WorkerPool(1)
    assert run(pool, die_once, str(tmp_path / "died")) != os.getpid()
    assert (tmp_path / "died").exists()


def test_a_job_that_kills_its_worker_twice_is_given_up():
    with pytest.raises(WorkerCrashed):
        run(WorkerPool(1), always_die)


def test_a_crash_costs_only_the_job_that_was_running():
    stats = get_crawler().stats
    pool = WorkerPool(1, stats)  # both jobs go to the one worker: the second waits behind the first

    async def both():
        return await asyncio.gather(pool.run(always_die), pool.run(os.getpid), return_exceptions=True)

    died, answered = in_loop(pool, both())
    assert isinstance(died, WorkerCrashed)
    assert isinstance(answered, int) and answered != os.getpid()
    assert stats.get_value("workers/crashed") == 2


def test_a_jobs_own_error_reaches_its_caller_and_the_worker_lives_on():
    stats = get_crawler().stats
    pool = WorkerPool(1, stats)

    async def jobs():
        with pytest.raises(ValueError, match="invalid literal"):
            await pool.run(int, "not a number")
        return await pool.run(os.getpid)

    assert in_loop(pool, jobs()) != os.getpid()
    assert stats.get_value("workers/crashed") is None


def test_a_negative_number_of_workers_is_refused():
    with pytest.raises(ValueError, match="ARCHIVE_WORKER_PROCESSES"):
        WorkerPool.from_crawler(get_crawler(settings_dict={"ARCHIVE_WORKER_PROCESSES": -1}))


def test_workers_run_at_a_lower_priority_than_the_crawl():
    here = os.nice(0)
    assert run(WorkerPool(1, niceness=7), os.nice, 0) == min(here + 7, 19)
    assert run(WorkerPool(1, niceness=0), os.nice, 0) == here


def test_the_workers_niceness_comes_from_the_settings():
    assert WorkerPool.from_crawler(get_crawler(settings_dict={"ARCHIVE_WORKER_NICENESS": 3})).niceness == 3
    with pytest.raises(ValueError, match="ARCHIVE_WORKER_NICENESS"):
        WorkerPool.from_crawler(get_crawler(settings_dict={"ARCHIVE_WORKER_NICENESS": -1}))


def test_the_pipeline_extracts_in_a_worker_what_it_extracts_here():
    pipeline = ExtractPipeline(get_crawler().stats, URDUPOINT_ONLY)
    here = pipeline.extract_item(page(article_html()))
    pipeline.workers = WorkerPool(1)
    there = in_loop(pipeline.workers, pipeline.process_item(page(article_html())))
    assert isinstance(there, ArticleItem)
    assert (there.title, there.text, there.published_at) == (here.title, here.text, here.published_at)


def test_a_page_whose_worker_dies_twice_is_rejected_not_lost(monkeypatch):
    crawler = get_crawler()
    pipeline = ExtractPipeline(crawler.stats, URDUPOINT_ONLY)
    pipeline.workers = WorkerPool(1)
    monkeypatch.setattr("pipelines.extract.extract_and_sign", always_die)
    result = in_loop(pipeline.workers, pipeline.process_item(page(article_html())))
    assert isinstance(result, RejectedPage) and result.reason == "extraction_error"
    assert crawler.stats.get_value("extract/rejected/extraction_error") == 1


def test_starting_the_workers_does_not_hold_up_the_event_loop():
    async def first_job():
        pool = WorkerPool(1)
        pool.start()
        up_when_start_returns = list(pool.workers)  # the fork server takes a good part of a second
        pid = await pool.run(os.getpid)
        pool.close()
        return up_when_start_returns, pid

    up_when_start_returns, pid = asyncio.run(first_job())
    assert up_when_start_returns == [] and pid != os.getpid()


FORK_SERVER_AFTER_EXTENSIONS = """
import sys, time
from scrapy.utils.test import get_crawler
from pipelines.workers import WorkerPool
WorkerPool.from_crawler(get_crawler(settings_dict={"ARCHIVE_WORKER_PROCESSES": sys.argv[1]}))
print("made", flush=True)
time.sleep(30)
"""


@pytest.mark.parametrize(("processes", "fork_servers"), [("2", 1), ("0", 0)])
def test_the_fork_server_starts_when_the_crawls_extensions_are_made(processes, fork_servers):
    """It imports what the workers need while the crawl opens its archive and spider, before its engine starts."""
    script = subprocess.Popen([sys.executable, "-c", FORK_SERVER_AFTER_EXTENSIONS, processes], stdout=subprocess.PIPE, text=True)
    try:
        assert script.stdout.readline() == "made\n"
        time.sleep(0.2)  # the fork server's own start, not its imports: a few milliseconds
        started = []
        for pid in descendants(script.pid):
            with open(f"/proc/{pid}/cmdline", "rb") as cmdline:
                started.append(cmdline.read())
        # workers, forked from it, would carry its command line: none is started before the engine
        assert sum(b"multiprocessing.forkserver" in command for command in started) == fork_servers
    finally:
        script.kill()
        script.wait()


@pytest.mark.parametrize(("processes", "fork_servers"), [("2", 1), ("0", 0)])
def test_scrapy_crawl_starts_the_fork_server_before_the_crawls_extensions(tmp_path, processes, fork_servers):
    """``scrapy crawl`` starts it once its options are read: over a tenth of a second sooner than the crawl's
    extensions, whose first (the probe) finds it running already."""
    probe = tmp_path / "probe.json"
    with MirrorServer(SITE) as mirror:
        crawl = run_crawl(mirror.url, tmp_path / "archive.db",
                          settings={**probe_settings(probe, first=True), "ARCHIVE_WORKER_PROCESSES": processes})
    assert crawl.returncode == 0 and crawl.stats["archive/new"] > 0
    children = json.loads(probe.read_text())["children"]
    assert sum("multiprocessing.forkserver" in command for command in children) == fork_servers


SENTINEL = """
import os
with open(os.environ["IMPORTS_FILE"], "a") as imports:
    imports.write(f"{os.getpid()}\\n")


def marker():
    pass
"""
MAIN_SCRIPT = """
import asyncio, os
from sentinel import marker
from pipelines.workers import WorkerPool

async def ask_each_worker():
    pool = WorkerPool(3)
    pool.start()
    pids = set()
    while len(pids) < 3:  # a job on each: every worker is up and has run the script again
        pids |= set(await asyncio.gather(*(pool.run(os.getpid) for _ in range(12))))
    pool.close()
    return pids

if __name__ == "__main__":
    print(len(asyncio.run(ask_each_worker())))
"""


def test_workers_find_the_modules_the_main_script_imports_already_imported(tmp_path):
    """multiprocessing runs a main script again in each worker (the ``scrapy`` command imports Scrapy): the fork
    server imports what it imports from once, so that the workers do not."""
    (tmp_path / "sentinel.py").write_text(SENTINEL)
    script = tmp_path / "main.py"
    script.write_text(MAIN_SCRIPT)
    imports = tmp_path / "imports.txt"
    env = {**os.environ, "IMPORTS_FILE": str(imports), "PYTHONPATH": os.pathsep.join([str(tmp_path), str(REPO)])}
    result = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, env=env, timeout=60)
    assert result.stdout.strip() == "3", result.stderr
    assert len(imports.read_text().split()) == 2  # the main script's process and the fork server; none of the 3 workers


def test_when_no_worker_can_start_the_jobs_run_in_the_crawls_process(monkeypatch, caplog):
    def cannot_start(process):
        raise OSError("Resource temporarily unavailable")

    monkeypatch.setattr(multiprocessing.get_context("forkserver").Process, "start", cannot_start)
    assert run(WorkerPool(2), os.getpid) == os.getpid()
    assert "Could not start a worker process: Resource temporarily unavailable" in caplog.text

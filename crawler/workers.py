"""Worker processes for the pipelines' CPU-bound work, so that a crawl uses every core.

Scrapy downloads, parses and runs the item pipelines in one thread. Extracting an
article (parsing the page, trafilatura) and computing its MinHash cost a few
milliseconds of CPU each, which in that thread would both leave the other cores idle
and hold up the downloads. :class:`WorkerPool` (an extension, so one per crawl) runs
such functions in a pool of processes and lets the pipelines await their results:
downloads and storage go on in the crawl's thread meanwhile.

The functions sent must be pure and their arguments and results picklable: a worker
shares nothing with the crawl (no stats, no archive, no logging) — the pipelines
apply what comes back. The workers are started from a fork server that has imported
:data:`PRELOAD` once, so that starting them is cheap and does not copy the crawl's
threads. A worker that dies (a crash in a C library, the kernel's OOM killer) breaks
the pool: it is replaced and the job tried once more, then given up with
:class:`WorkerCrashed`. A worker ends by itself when the crawl's process is gone.

A script that starts a crawl itself (``CrawlerProcess``) must do so under
``if __name__ == "__main__":``, as :mod:`multiprocessing` requires: a worker
imports the script's main module.

``ARCHIVE_WORKER_PROCESSES`` sets the number of processes: empty for one per CPU
core available, ``0`` to run everything in the crawl's own process.
"""

import asyncio
import logging
import multiprocessing
import os
import threading
import time
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool

from scrapy import signals

logger = logging.getLogger(__name__)

PRELOAD = ["pipelines.extract", "pipelines.neardup"]  # what the workers need, imported once by the fork server
WATCH_INTERVAL = 0.5  # seconds between a worker's checks that the crawl still runs


class WorkerCrashed(Exception):
    """A job's worker process died twice: the job is given up, the crawl goes on."""


def cores_available() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def _ready() -> int:
    return os.getpid()


def _is_gone(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat", "rb") as stat:
            return stat.read().rsplit(b")", 1)[1].split()[0] == b"Z"  # a zombie: dead, not reaped yet
    except FileNotFoundError:
        return True
    except OSError:  # no /proc: ask the kernel
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return True
        except PermissionError:
            pass
        return False


def _end_with(crawl_pid: int) -> None:
    """Worker initializer: end this worker soon after the crawl's process is gone.

    A crawl killed with SIGKILL cannot stop its workers, and a worker waiting for work
    holds its queue's pipe open itself, so it would wait forever (and keep the fork
    server alive); a watching thread ends it instead.
    """

    def watch():
        while not _is_gone(crawl_pid):
            time.sleep(WATCH_INTERVAL)
        os._exit(1)

    threading.Thread(target=watch, name="crawl-watch", daemon=True).start()


class WorkerPool:
    def __init__(self, processes: int, stats=None):
        self.processes = processes
        self.stats = stats
        self.executor: ProcessPoolExecutor | None = None

    @classmethod
    def from_crawler(cls, crawler):
        value = crawler.settings.get("ARCHIVE_WORKER_PROCESSES")
        processes = cores_available() if value in (None, "") else int(value)
        if processes < 0:
            raise ValueError(f"ARCHIVE_WORKER_PROCESSES must be 0 or more, not {processes}")
        pool = cls(processes, crawler.stats)
        crawler.signals.connect(pool.start, signal=signals.engine_started)
        crawler.signals.connect(pool.close, signal=signals.engine_stopped)
        return pool

    @classmethod
    def of(cls, crawler) -> "WorkerPool":
        """The crawl's pool, or an inline one where the crawl has none (a crawler made for a test)."""
        try:
            return crawler.get_extension(cls) or cls.inline()
        except RuntimeError:  # no extension manager: the crawler never crawls
            return cls.inline()

    @classmethod
    def inline(cls) -> "WorkerPool":
        """A pool that runs each job in the calling process (tests, ``scrapy reextract``)."""
        return cls(0)

    def start(self) -> None:
        if self.processes:
            self._executor()

    def _executor(self) -> ProcessPoolExecutor:
        if self.executor is None:
            context = multiprocessing.get_context("forkserver")
            context.set_forkserver_preload(PRELOAD)
            self.executor = ProcessPoolExecutor(
                self.processes, mp_context=context, initializer=_end_with, initargs=(os.getpid(),)
            )
            for _ in range(self.processes):  # start them all now, not one per job as they are needed
                self.executor.submit(_ready)
            logger.info("Started %(count)d worker processes", {"count": self.processes})
        return self.executor

    async def run(self, function, *args):
        """``function(*args)``, computed in a worker process (in this one with no workers)."""
        if not self.processes:
            return function(*args)
        for _ in range(2):
            executor = self._executor()
            try:
                return await asyncio.wrap_future(executor.submit(function, *args))
            except BrokenProcessPool:
                self._replace_broken(executor)
        raise WorkerCrashed(f"the worker process running {function.__qualname__} died twice")

    def _replace_broken(self, executor: ProcessPoolExecutor) -> None:
        """Drop ``executor`` if it is still the pool's (the jobs it failed all report it)."""
        if executor is not self.executor:
            return
        logger.warning("A worker process died: starting new ones")
        if self.stats is not None:
            self.stats.inc_value("workers/crashed")
        executor.shutdown(wait=False, cancel_futures=True)
        self.executor = None

    def close(self) -> None:
        if self.executor is not None:
            self.executor.shutdown(wait=True, cancel_futures=True)
            self.executor = None

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
threads, and has frozen what it imported (:mod:`pipelines.freeze`). The fork server is
started as soon as ``scrapy crawl`` has read its options (:meth:`WorkerPool.boot_for`), or
else when the crawl makes its extensions, so that its imports (half a second or more)
overlap the crawl loading its spiders and opening its archive;
the workers are started from it once the engine runs, by a thread of their own, while
the crawl goes on downloading, and the jobs wait until a worker is up. A worker that
dies (a crash in a C library, the kernel's OOM killer) is replaced; the job it was
running is tried once more, then given up with :class:`WorkerCrashed`, and the jobs
waiting for it go to the others.

Each worker has a socket of its own to the crawl, which the crawl's event loop reads:
no thread in the crawl's process hands jobs over, where
:class:`concurrent.futures.ProcessPoolExecutor` has two, whose work and contention
for the GIL take time from the crawl's thread with every job. A worker holds at most
:data:`JOBS_PER_WORKER` jobs, so that it finds its next one waiting when it is done
even when the crawl's thread, busy with other pages, is a few milliseconds late to
send another; a page too big for the socket's buffer (widened to hold several whole
pages where the system allows) only goes to a worker with nothing to do, so that
sending it never waits for a job to end. A worker ends when
its socket closes: when the pool closes, or when the crawl's process is gone, even killed.

A script that starts a crawl itself (``CrawlerProcess``) must do so under
``if __name__ == "__main__":``, as :mod:`multiprocessing` requires: a worker
runs the script's main module again. The fork server imports the modules that script imports
from (:func:`main_script_modules`), so that running it again costs a worker nothing: the
``scrapy`` command is such a script, and its import of Scrapy took each worker a sixth of a second.

``ARCHIVE_WORKER_PROCESSES`` sets the number of processes: empty for one per CPU
core available, ``0`` to run everything in the crawl's own process.

The workers run at a lower priority (``ARCHIVE_WORKER_NICENESS`` added to their
niceness) than the crawl's process, which downloads, stores and feeds them: with as
many workers as cores, three busy processes share two cores, and at equal priority
the kernel gives each about two thirds of one, so the crawl's thread falls behind and
the workers wait for pages. Yielding to it, they take what it leaves, and the crawl
goes faster (``benchmarks/README.md`` has the figures). The default, 10, is ``nice``'s.
"""

import asyncio
import itertools
import logging
import multiprocessing
import multiprocessing.forkserver
import os
import pickle
import socket
import sys
import threading
import types
from collections import deque
from dataclasses import dataclass, field

logger = logging.getLogger(__name__)

# What the workers need, imported once by the fork server while the crawl starts; trafilatura
# (pipelines.body) would otherwise be imported by each worker at its first page: pipelines.extract
# imports it only where a page is read.
PRELOAD = ["pipelines.extract", "pipelines.body", "pipelines.neardup"]
FREEZE = "pipelines.freeze"  # imported after them by the fork server: what it has imported is frozen for the workers
JOBS_PER_WORKER = 4  # the job running and three more, ready in the socket (with fewer, workers wait on the crawl's thread)
# Asked of the kernel for the crawl's end of each worker's socket, where jobs wait: by default (208 KiB) it
# holds three jobs of 48 KiB, and a whole real page is often 250 KiB. Linux caps it at net.core.wmem_max.
SEND_BUFFER_BYTES = 2 * 1024 * 1024
SMALL_JOB_BYTES = 48 * 1024  # what a job may weigh and wait in a socket whose buffer cannot be asked about
CLOSE_TIMEOUT = 5  # seconds a worker has to end once its socket is closed


def main_script_modules() -> list[str]:
    """The modules the main script imported names from, when it is a script file (``scrapy``, a user's
    script): :mod:`multiprocessing` runs such a script again in every worker, where they are then found
    imported. A module run with ``python -m`` is not run again: none."""
    main = sys.modules.get("__main__")
    if main is None or getattr(main.__spec__, "name", None) is not None or not getattr(main, "__file__", None):
        return []
    modules = set()
    for value in vars(main).values():
        name = value.__name__ if isinstance(value, types.ModuleType) else getattr(value, "__module__", None)
        if name in sys.modules and name not in ("__main__", "builtins"):
            modules.add(name)
    return sorted(modules)


class WorkerCrashed(Exception):
    """A job's worker process died twice: the job is given up, the crawl goes on."""


def cores_available() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def _serve(connection, niceness: int) -> None:
    """A worker's life: run each job received, send back its result or its exception, until the socket closes."""
    if niceness and hasattr(os, "nice"):  # not on Windows
        os.nice(niceness)
    while True:
        try:
            number, function, args = pickle.loads(connection.recv_bytes())
        except (EOFError, OSError):  # the pool closed, or the crawl's process is gone
            return
        try:
            answer = pickle.dumps((number, True, function(*args)), protocol=pickle.HIGHEST_PROTOCOL)
        except Exception as error:  # the job's own error, or a result that cannot be pickled
            try:
                answer = pickle.dumps((number, False, error), protocol=pickle.HIGHEST_PROTOCOL)
            except Exception:
                answer = pickle.dumps((number, False, RuntimeError(repr(error))), protocol=pickle.HIGHEST_PROTOCOL)
        try:
            connection.send_bytes(answer)
        except OSError:
            return


@dataclass
class _Job:
    number: int
    payload: bytes  # (number, function, args), pickled
    name: str  # the function's, for messages
    future: asyncio.Future
    crashes: int = 0


@dataclass
class _Worker:
    process: multiprocessing.Process
    connection: object  # multiprocessing.connection.Connection, the crawl's end
    small_job_bytes: int  # a job this big is sent while others wait in the socket: they all fit its buffer
    jobs: dict = field(default_factory=dict)  # number -> _Job, in the order sent (the first is running)


def small_job_bytes(connection) -> int:
    """Widens the send buffer of ``connection``'s socket as far as the system lets (:data:`SEND_BUFFER_BYTES`);
    the size of a job that can be sent while :data:`JOBS_PER_WORKER` others are in it, without waiting."""
    try:
        with socket.fromfd(connection.fileno(), socket.AF_UNIX, socket.SOCK_STREAM) as end:  # a copy of the descriptor
            end.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, SEND_BUFFER_BYTES)
            granted = end.getsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF)  # Linux reports twice what it holds of data
    except OSError:  # not a Unix socket (Windows' pipes)
        return SMALL_JOB_BYTES
    return granted // (JOBS_PER_WORKER + 1)


class WorkerPool:
    def __init__(self, processes: int, stats=None, niceness: int = 0, preload: list[str] = PRELOAD):
        self.processes = processes
        self.niceness = niceness
        self.preload = preload  # modules the fork server imports once, for every worker
        self.stats = stats
        self.workers: list[_Worker] = []
        self.waiting: deque[_Job] = deque()
        self.numbers = itertools.count()
        self.loop: asyncio.AbstractEventLoop | None = None
        self.starting: list[threading.Thread] = []  # threads starting worker processes
        self.started: list[_Worker] = []  # workers up, not yet taken into the pool by the event loop
        self.started_lock = threading.Lock()

    @classmethod
    def from_settings(cls, settings, stats=None, preload: list[str] = PRELOAD) -> "WorkerPool":
        """A pool as ``ARCHIVE_WORKER_PROCESSES`` and ``ARCHIVE_WORKER_NICENESS`` ask (``scrapy reextract``
        uses one too); ValueError for a value out of range. It starts with its first job, in an event loop."""
        value = settings.get("ARCHIVE_WORKER_PROCESSES")
        processes = cores_available() if value in (None, "") else int(value)
        if processes < 0:
            raise ValueError(f"ARCHIVE_WORKER_PROCESSES must be 0 or more, not {processes}")
        niceness = settings.getint("ARCHIVE_WORKER_NICENESS")
        if niceness < 0:
            raise ValueError(f"ARCHIVE_WORKER_NICENESS must be 0 or more (a lower priority), not {niceness}")
        return cls(processes, stats, niceness, preload)

    @classmethod
    def from_crawler(cls, crawler):
        from scrapy import signals  # imported here, in the crawl's process: the workers do without Scrapy

        pool = cls.from_settings(crawler.settings, crawler.stats)
        pool.boot()
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
        """A pool that runs each job in the calling process (tests, a pipeline outside a crawl)."""
        return cls(0)

    @classmethod
    def boot_for(cls, settings) -> None:
        """Start the fork server of the crawl ``settings`` make, where they have a pool (as :meth:`boot`): the
        ``crawl`` command calls it as soon as its options are read, over a tenth of a second before Scrapy makes the
        crawl's extensions."""
        extensions = settings.getwithbase("EXTENSIONS")
        if extensions.get(f"{cls.__module__}.{cls.__qualname__}", extensions.get(cls)) is not None:
            cls.from_settings(settings).boot()

    def boot(self) -> None:
        """Start the fork server now, without waiting for it: it imports the modules the workers need (half a
        second or more) while the crawl opens its archive and its spider, and the workers forked from it once
        the engine starts are up sooner."""
        if self.processes:
            self._context()
            multiprocessing.forkserver.ensure_running()

    def _context(self):
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(main_script_modules() + self.preload + [FREEZE])
        return context

    def start(self) -> None:
        """Start every worker, without waiting for them: jobs wait until one is up."""
        if self.processes and self.loop is None:
            self.loop = asyncio.get_running_loop()
            self._start_workers(self.processes)
            logger.info("Starting %(count)d worker processes", {"count": self.processes})

    def _start_workers(self, count: int) -> None:
        thread = threading.Thread(target=self._spawn, args=(count,), name="archive-worker-start", daemon=True)
        self.starting.append(thread)
        thread.start()

    def _spawn(self, count: int) -> None:
        """In a thread of its own: start ``count`` worker processes, each handed to the event loop once up."""
        context = self._context()
        for _ in range(count):
            ours, theirs = context.Pipe()
            process = context.Process(target=_serve, args=(theirs, self.niceness), name="archive-worker", daemon=True)
            try:
                process.start()
            except Exception as error:  # no more processes, no memory: the jobs must not wait for ever
                self.loop.call_soon_threadsafe(self._not_started, error)
                return
            finally:
                theirs.close()
            with self.started_lock:
                self.started.append(_Worker(process, ours, small_job_bytes(ours)))
            try:
                self.loop.call_soon_threadsafe(self._adopt)
            except RuntimeError:  # the event loop is closed: close() has taken or stopped it
                pass

    def _adopt(self) -> None:
        """Take the workers started since into the pool, and give them jobs."""
        with self.started_lock:
            started, self.started = self.started, []
        for worker in started:
            self.workers.append(worker)
            self.loop.add_reader(worker.connection.fileno(), self._answer, worker)
        self._hand_out()

    def _not_started(self, error: Exception) -> None:
        """A worker process could not be started: with none running, the jobs run in the crawl's process."""
        logger.error("Could not start a worker process: %(error)s", {"error": error})
        if self.workers:
            return
        logger.warning("Extracting in the crawl's own process")
        self.processes = 0
        waiting, self.waiting = self.waiting, deque()
        for job in waiting:
            _, function, args = pickle.loads(job.payload)
            try:
                job.future.set_result(function(*args))
            except Exception as job_error:
                job.future.set_exception(job_error)

    async def run(self, function, *args):
        """``function(*args)``, computed in a worker process (in this one with no workers)."""
        if not self.processes:
            return function(*args)
        self.start()
        number = next(self.numbers)
        payload = pickle.dumps((number, function, args), protocol=pickle.HIGHEST_PROTOCOL)
        job = _Job(number, payload, getattr(function, "__qualname__", repr(function)), self.loop.create_future())
        self.waiting.append(job)
        self._hand_out()
        return await job.future

    def _hand_out(self) -> None:
        """Send waiting jobs, oldest first, to the least busy workers that can take them now."""
        while self.waiting:
            job = self.waiting[0]
            if job.future.done():  # its awaiter went away (cancelled)
                self.waiting.popleft()
                continue
            worker = min(self.workers, key=lambda w: len(w.jobs), default=None)
            if worker is None or len(worker.jobs) >= JOBS_PER_WORKER:
                return
            if worker.jobs and len(job.payload) > worker.small_job_bytes:
                return  # only a worker with nothing to do takes a big page: sending it must not wait
            self.waiting.popleft()
            worker.jobs[job.number] = job
            try:
                worker.connection.send_bytes(job.payload)
            except OSError:  # it died since its last answer
                self._lost(worker)

    def _answer(self, worker: _Worker) -> None:
        """The worker's socket is readable: an answer, or the end of a worker that died."""
        try:
            number, done, value = pickle.loads(worker.connection.recv_bytes())
        except (EOFError, OSError):
            self._lost(worker)
            return
        job = worker.jobs.pop(number)
        if not job.future.done():
            (job.future.set_result if done else job.future.set_exception)(value)
        self._hand_out()

    def _lost(self, worker: _Worker) -> None:
        """A worker died: replace it. The job it was running gets one more try; the others, never begun, go back."""
        if worker not in self.workers:
            return
        self._stop(worker, wait=0)
        logger.warning("A worker process died (exit code %(code)s): starting a new one",
                       {"code": worker.process.exitcode})
        if self.stats is not None:
            self.stats.inc_value("workers/crashed")
        jobs = list(worker.jobs.values())
        for n, job in enumerate(jobs):
            job.crashes += n == 0
        for job in reversed(jobs):
            if job.crashes >= 2:
                if not job.future.done():
                    job.future.set_exception(WorkerCrashed(f"the worker process running {job.name} died twice"))
            else:
                self.waiting.appendleft(job)
        self._start_workers(1)

    def _stop(self, worker: _Worker, wait: float) -> None:
        self.workers.remove(worker)
        self.loop.remove_reader(worker.connection.fileno())
        worker.connection.close()  # a worker waiting for a job reads the end of its socket and ends
        worker.process.join(wait)
        if worker.process.is_alive():
            worker.process.kill()
            worker.process.join()

    def close(self) -> None:
        for thread in self.starting:  # a start under way ends once the fork server is up
            thread.join()
        if self.loop is not None:
            self._adopt()
        unfinished = [*self.waiting, *(job for worker in self.workers for job in worker.jobs.values())]
        for worker in list(self.workers):
            self._stop(worker, wait=CLOSE_TIMEOUT)
        for job in unfinished:
            job.future.cancel()
        self.waiting.clear()

"""Benchmark (not a test): crawl processes sharing a frontier on Redis, and the one archive writer.

Run from the repository root (``redis-server`` must be installed: Debian's ``redis-server``)::

    python -m benchmarks.frontier_bench                  # 2,000 article pages, 1, 2 and 4 crawl processes
    python -m benchmarks.frontier_bench --size 5000 --processes 1,2

It generates (once, cached) a mirror of ``--size`` article pages with :mod:`benchmarks.generated_mirror`,
serves it from another process (:mod:`benchmarks.static_server`), and measures in one run:

1. **one process, no frontier**: ``scrapy crawl urdupoint`` backfilling the mirror's days into a fresh
   archive, the baseline;
2. **N crawl processes and the writer**, for each N of ``--processes``: a fresh archive and a fresh
   ``redis-server``, ``scrapy archive-writer`` beside the archive, and N ``scrapy crawl urdupoint``
   processes backfilling the same days on the shared frontier; pages/s is articles archived over the
   time from the crawls' start until the writer has stored the last item, with the CPU time of each
   crawl process (with its worker processes), of the writer, of Redis and of the mirror server;
3. **the writer's ceiling**: the items of a whole crawl left on the stream (no writer reading), then
   ``scrapy archive-writer`` alone storing them into a fresh archive: items/s from its first to its last
   entry, so that one can see how many crawl machines one writer serves;
4. **Redis memory per million queued requests**: a million article requests of the shape the frontier
   queues (scrapy-redis's pickled request dict, the outlet spider's meta), pushed into a sorted set as the
   frontier's queue does, with their URLs in the run's ``requested`` set, and, for the archive writer's
   side, a million archived URLs as it publishes them for the spiders; ``INFO memory`` before and after.

Crawls run without politeness delays (a local mirror needs none), as in :mod:`benchmarks.throughput_bench`,
whose measuring helpers this uses. The machine's cores are shared by every process of a run: on a
machine of 2 cores, 4 crawl processes measure contention, not scale; on many machines each crawl
process has its own.
"""

import argparse
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import redis

from benchmarks import generated_mirror, machine
from benchmarks.throughput_bench import CRAWL_SETTINGS, REPO, ServedMirror, cpu_seconds, descendants, our_crawl, rate

PROCESSES = (1, 2, 4)
SIZE = 2000
QUEUED = 1_000_000  # requests pushed to measure Redis's memory
PUSH_CHUNK = 10_000
SAMPLE_SECONDS = 0.5
STREAM = "news-archive:archive:items"
PUBLISHED = "news-archive:archive:published"


class Redis:
    """A ``redis-server`` of the benchmark's own on a free loopback port, without persistence."""

    def __init__(self, directory: Path):
        executable = shutil.which("redis-server")
        if executable is None:
            raise SystemExit("redis-server is not installed (Debian: apt-get install redis-server)")
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        directory.mkdir(parents=True, exist_ok=True)
        self.process = subprocess.Popen([executable, "--port", str(self.port), "--bind", "127.0.0.1", "--dir",
                                         str(directory), "--save", "", "--appendonly", "no"],
                                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.client = redis.Redis.from_url(self.url)
        for _ in range(200):
            try:
                self.client.ping()
                return
            except redis.ConnectionError:
                time.sleep(0.05)
        raise SystemExit("redis-server did not start")

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.process.kill()
        self.process.wait()


class CpuSampler:
    """CPU seconds of named processes and their descendants, sampled until stopped (a process's last sample stays)."""

    def __init__(self, roots: dict[str, int]):
        self.roots = roots
        self.cpu: dict[str, dict[int, float]] = {name: {} for name in roots}
        self.start = {name: cpu_seconds(pid) or 0.0 for name, pid in roots.items()}
        self.done = threading.Event()
        self.thread = threading.Thread(target=self.sample, daemon=True)
        self.thread.start()

    def sample(self):
        while not self.done.is_set():
            for name, pid in self.roots.items():
                for member in {pid} | descendants(pid):
                    seconds = cpu_seconds(member)
                    if seconds is not None:
                        self.cpu[name][member] = seconds
            self.done.wait(SAMPLE_SECONDS)

    def stop(self) -> dict[str, float]:
        self.done.set()
        self.thread.join()
        return {name: sum(samples.values()) - self.start[name] for name, samples in self.cpu.items()}


def scrapy(command: str, *args: str, settings: dict) -> list[str]:
    return [sys.executable, "-m", "scrapy", command, *args,
            *(part for name, value in settings.items() for part in ("-s", f"{name}={value}"))]


def start_writer(work: Path, frontier: Redis, *options: str) -> subprocess.Popen:
    """``scrapy archive-writer`` on a fresh archive in ``work``, once it has published it for the spiders."""
    work.mkdir(parents=True, exist_ok=True)
    frontier.client.delete(PUBLISHED)
    writer = subprocess.Popen(scrapy("archive-writer", *options, settings={
        "FRONTIER_URL": frontier.url, "ARCHIVE_DB": str(work / "archive.db"), "LOG_FILE": str(work / "writer.log")}),
        cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    while not frontier.client.exists(PUBLISHED):
        if writer.poll() is not None:
            raise SystemExit(f"the archive writer failed: {(work / 'writer.log').read_text()[-2000:]}")
        time.sleep(0.05)
    return writer


def start_crawl(mirror: ServedMirror, work: Path, frontier: Redis, days: list[str], **extra: str) -> subprocess.Popen:
    work.mkdir(parents=True, exist_ok=True)
    settings = {**CRAWL_SETTINGS, "OUTLET_BASE_URL": mirror.url, "ARCHIVE_DB": str(work / "archive.db"),
                "FRONTIER_URL": frontier.url, "STATS_FILE": str(work / "stats.json"), "LOG_FILE": str(work / "crawl.log"),
                **extra}
    return subprocess.Popen(scrapy("crawl", "urdupoint", "-a", f"since={days[0]}", "-a", f"until={days[-1]}",
                                   settings=settings), cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def drained(frontier: Redis) -> None:
    while frontier.client.xlen(STREAM):
        time.sleep(0.05)


def articles_in(archive: Path) -> int:
    import sqlite3

    with sqlite3.connect(archive) as conn:
        return conn.execute("select count(*) from articles").fetchone()[0]


def shared_crawl(mirror: ServedMirror, scratch: Path, days: list[str], processes: int) -> dict:
    """N crawl processes and the writer: articles archived, seconds, CPU of each part."""
    work = scratch / f"frontier-{processes}"
    with Redis(work / "redis") as frontier:
        writer = start_writer(work, frontier)
        mirror_cpu = cpu_seconds(mirror.process.pid)
        started = time.perf_counter()
        crawls = [start_crawl(mirror, work / f"crawl-{n}", frontier, days) for n in range(1, processes + 1)]
        sampler = CpuSampler({**{f"crawl process {n}": crawl.pid for n, crawl in enumerate(crawls, 1)},
                              "archive writer": writer.pid, "redis-server": frontier.process.pid})
        for crawl in crawls:
            crawl.wait()
        drained(frontier)
        seconds = time.perf_counter() - started
        cpu = sampler.stop()
        cpu["the mirror server"] = cpu_seconds(mirror.process.pid) - mirror_cpu
        writer.send_signal(signal.SIGTERM)
        writer.wait()
        memory = frontier.client.info("memory")["used_memory_peak"]
    return {"pages": articles_in(work / "archive.db"), "seconds": seconds, "cpu": cpu, "redis_peak": memory}


def writer_ceiling(mirror: ServedMirror, scratch: Path, days: list[str]) -> dict:
    """A whole crawl's items left on the stream, then the writer alone storing them: items/s."""
    work = scratch / "ceiling"
    with Redis(work / "redis") as frontier:
        publisher = start_writer(work / "empty", frontier)  # the spiders' knowledge: an empty archive
        publisher.send_signal(signal.SIGTERM)
        publisher.wait()
        start_crawl(mirror, work / "crawl", frontier, days).wait()
        entries = frontier.client.xlen(STREAM)
        writer = start_writer(work, frontier, "--exit-idle", "2")
        sampler = CpuSampler({"archive writer": writer.pid})
        while frontier.client.xlen(STREAM) == entries:  # until its first commit
            time.sleep(0.005)
        first, stored_first = time.perf_counter(), entries - frontier.client.xlen(STREAM)
        drained(frontier)
        seconds = time.perf_counter() - first
        cpu = sampler.stop()
        writer.wait()
    stored = entries - stored_first
    return {"entries": entries, "items_per_second": stored / seconds, "cpu_per_item_ms": cpu["archive writer"] / entries * 1000}


def request_shape():
    """The outlet spider, and how it makes an article request (fetched from the public address)."""
    from scrapy.utils.project import get_project_settings

    from crawler.spiderloader import OutletSpiderLoader
    from pipelines.urls import SiteAddress

    spidercls = OutletSpiderLoader.from_settings(get_project_settings()).load("urdupoint")
    spider = spidercls()
    spider.site = SiteAddress(spidercls.profile.public_base, None, aliases=spidercls.profile.host_aliases)
    return spider, spider.article_page_request


def redis_memory(scratch: Path) -> dict:
    """Bytes of Redis memory a million queued article requests take (queue and requested set), and a million
    archived URLs as the writer publishes them."""
    from scrapy_redis import picklecompat

    spider, article_request = request_shape()
    base = "https://www.urdupoint.com/en/pakistan/pakistan-and-china-agree-to-expand-trade-ties-"
    figures = {}
    with Redis(scratch / "memory") as frontier:
        client = frontier.client
        for name, write in (
            ("queued requests", lambda pipe, n: (
                pipe.zadd("news-archive:urdupoint:requests",
                          {picklecompat.dumps(article_request(f"{base}{3_000_000 + n}.html").to_dict(spider=spider)): -10}),
                pipe.sadd("news-archive:urdupoint:requested", f"{base}{3_000_000 + n}.html"))),
            ("archived URLs published", lambda pipe, n: pipe.hset(
                "news-archive:archive:urls", f"{base}{3_000_000 + n}.html", "2026-12-06T06:00:00+00:00 1")),
        ):
            before = client.info("memory")["used_memory"]
            for start in range(0, QUEUED, PUSH_CHUNK):
                pipe = client.pipeline(transaction=False)
                for n in range(start, start + PUSH_CHUNK):
                    write(pipe, n)
                pipe.execute()
            figures[name] = client.info("memory")["used_memory"] - before
            client.flushall()
        entry = picklecompat.dumps(article_request(f"{base}3000000.html").to_dict(spider=spider))
        figures["bytes of one queued request"] = len(entry)
    return figures


def mib(size: float) -> str:
    return f"{size / 2**20:,.0f} MiB"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", type=int, default=SIZE, help=f"article pages in the generated mirror (default {SIZE:,})")
    parser.add_argument("--seed", type=int, default=generated_mirror.SEED, help="seed of the generated mirror")
    parser.add_argument("--processes", default=",".join(map(str, PROCESSES)),
                        help="numbers of crawl processes to run, comma-separated (default 1,2,4)")
    parser.add_argument("--skip-memory", action="store_true", help="do not measure Redis's memory per million requests")
    args = parser.parse_args(argv)
    counts = [int(count) for count in args.processes.split(",")]
    print(f"machine: {machine.described()}, "
          f"redis-server {subprocess.run(['redis-server', '--version'], capture_output=True, text=True).stdout.split()[2]}")
    root = generated_mirror.mirror(args.size, args.seed)
    days = sorted({a["published_at"][:10] for a in generated_mirror.articles(args.size, args.seed)})
    print(f"mirror: {args.size:,} article pages over {len(days)} days in {root}")

    with tempfile.TemporaryDirectory() as scratch, ServedMirror(root) as mirror:
        scratch = Path(scratch)
        single = our_crawl(mirror, scratch / "single", days)
        print(f"\none process, no frontier: {single['pages']:,} articles in {single['seconds']:.1f} s, "
              f"{rate(single):.1f} pages/s")
        print(f"\n{'crawl processes':<16} {'articles':>8} {'seconds':>8} {'pages/s':>8} {'x one':>6}  CPU seconds a page, by process")
        for count in counts:
            shared = shared_crawl(mirror, scratch, days, count)
            per_page = ", ".join(f"{name} {seconds / shared['pages'] * 1000:.2f} ms" for name, seconds in shared["cpu"].items())
            print(f"{count:<16} {shared['pages']:>8,} {shared['seconds']:>8.1f} {rate(shared):>8.1f} "
                  f"{rate(shared) / rate(single):>6.2f}  {per_page}; Redis peak {mib(shared['redis_peak'])}")
        ceiling = writer_ceiling(mirror, scratch, days)
        print(f"\nthe writer alone, from a full stream of {ceiling['entries']:,} entries: "
              f"{ceiling['items_per_second']:,.0f} items/s, {ceiling['cpu_per_item_ms']:.2f} ms CPU an item")
    if not args.skip_memory:
        with tempfile.TemporaryDirectory() as scratch:
            figures = redis_memory(Path(scratch))
        print(f"\nRedis memory, a million of each: queued article requests (queue and requested set) "
              f"{mib(figures['queued requests'])}; archived URLs published for the spiders "
              f"{mib(figures['archived URLs published'])} (a queued request is {figures['bytes of one queued request']} "
              f"bytes pickled)")


if __name__ == "__main__":
    main()

"""Benchmark (not a test): the article page of a large archive, beside datasette's own row JSON.

Run from the repository root, with the project installed (``pip install -e .``: datasette finds
the article page through its entry point)::

    python -m benchmarks.article_page_bench                                  # the search benchmark's 1M archive
    python -m benchmarks.article_page_bench --archive benchmarks/.cache/bench-100k.db

It serves the archive with plain ``datasette`` (the README's settings), asks for the article
pages of randomly drawn articles (the same ones every run) and, as the baseline, the same rows as
datasette's ``.json``; it prints p50 and p95 of each, and the goal: a fifth of datasette's time
limit. Build the archive first with ``python -m benchmarks.search_bench`` (it is cached).
"""

import argparse
import http.client
import random
import sqlite3
import statistics
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DEFAULT_ARCHIVE = REPO / "benchmarks" / ".cache" / "bench-1m.db"
TIME_LIMIT_MS = 1000  # datasette's sql_time_limit_ms as the README serves it
GOAL_MS = TIME_LIMIT_MS / 5
START_TIMEOUT_SECONDS = 120
ARTICLE_PAGE = b'<article class="archived-article"'  # the reading room's page, not datasette's row page


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def article_ids(archive: Path, count: int) -> list[int]:
    """``count`` article ids drawn evenly from the whole archive, the same every run."""
    with sqlite3.connect(f"file:{archive}?mode=ro", uri=True) as conn:
        highest = conn.execute("select max(id) from articles").fetchone()[0]
    return random.Random(count).sample(range(1, highest + 1), count)


def serve(archive: Path, port: int) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "datasette", str(archive), "--port", str(port),
         "--setting", "sql_time_limit_ms", str(TIME_LIMIT_MS), "--setting", "suggest_facets", "off"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )


def wait_for(port: int) -> None:
    deadline = time.monotonic() + START_TIMEOUT_SECONDS
    while True:
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            connection.request("GET", "/-/versions.json")
            connection.getresponse().read()
            return
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


def timed(connection: http.client.HTTPConnection, path: str, expected: bytes = b"") -> float:
    """Milliseconds to fetch ``path`` whole; AssertionError unless it answers 200 with ``expected`` in it."""
    started = time.perf_counter()
    connection.request("GET", path)
    response = connection.getresponse()
    body = response.read()
    elapsed = (time.perf_counter() - started) * 1000
    assert response.status == 200 and expected in body, f"{path}: HTTP {response.status}, {body[:300]!r}"
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--archive", type=Path, default=DEFAULT_ARCHIVE)
    parser.add_argument("--pages", type=int, default=200, help="articles to ask for (default 200)")
    parser.add_argument("--port", type=int, default=8765)
    options = parser.parse_args()
    ids = article_ids(options.archive, options.pages)
    database = options.archive.stem
    server = serve(options.archive, options.port)
    try:
        wait_for(options.port)
        connection = http.client.HTTPConnection("127.0.0.1", options.port, timeout=30)
        for article_id in ids[:10]:  # warm the page cache and the plugin's first imports
            timed(connection, f"/{database}/articles/{article_id}")
        pages = [timed(connection, f"/{database}/articles/{article_id}", ARTICLE_PAGE) for article_id in ids]
        rows = [timed(connection, f"/{database}/articles/{article_id}.json") for article_id in ids]
    finally:
        server.terminate()
        server.wait(timeout=10)
    print(f"{options.archive.name}: {len(ids)} articles, goal p95 under {GOAL_MS:.0f} ms (a fifth of the time limit)")
    for name, times in (("article page", pages), ("row .json (datasette's, baseline)", rows)):
        print(f"  {name:36} p50 {statistics.median(times):6.1f} ms   p95 {percentile(times, 0.95):6.1f} ms"
              f"   max {max(times):6.1f} ms")


if __name__ == "__main__":
    main()

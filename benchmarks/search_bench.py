"""Benchmark (not a test): search and export on a large synthetic archive.

Run from the repository root::

    python -m benchmarks.search_bench              # 1,000,000 articles
    python -m benchmarks.search_bench --size 20000 # a quick run

The archive is built once per size with the real schema and kept in ``benchmarks/.cache/``
(migrated in place when the schema gains a migration, as a user's archive is; delete it
after changing ``benchmarks/synthetic.py``). On this project's 2-core machines the 1M
build takes about 15 minutes and 5.3 GiB, 100k about a minute. Then it measures:

* the ``search`` canned query through a running datasette server (HTTP, JSON), for
  22 varied queries, against a baseline of the same results ranked without the
  5,000-match window (plain SQLite, no HTTP);
* every page of the reading room (:data:`OTHER_PAGES`: search, article, articles list with
  its facets, coverage, map), p50 and p95 against a budget of a fifth of the time limit;
* ``scrapy search`` as a user runs it (a new process each time), against the
  baseline of one that finds nothing (the command's start-up);
* searches made to tie up the server (:data:`HOSTILE_QUERIES`): the time each takes to
  answer, and an unrelated page's time beside four of the costliest allowed at once;
* ``scrapy export`` of the whole archive (rows/s, peak memory) against an export of
  a tenth of it, to show that memory does not grow with the archive.
"""

import argparse
import http.client
import json
import os
import platform
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path

import datasette
import sqlite_utils

from benchmarks import synthetic
from crawler import snippets
from crawler.search import fts_query, search_match
from pipelines import schema
from tests.test_datasette import SETTINGS, datasette_server

REPO = Path(__file__).resolve().parent.parent
CACHE = REPO / "benchmarks" / ".cache"
GOAL_P95_MS = 50
TIME_LIMIT_MS = SETTINGS["sql_time_limit_ms"]  # datasette's, as the server is run

# (typed text, filters): common and rare words, names, phrases, OR, prefixes, Urdu, nonsense, filters.
QUERIES = [
    ("Pakistan", {}),
    ("government", {}),
    ("prime minister", {}),
    ('"prime minister"', {}),
    ("Imran Khan", {}),
    ("Shehbaz Sharif", {}),
    ("flood relief", {}),
    ("COVID-19 vaccine", {}),
    ("wheat prices", {}),
    ("petrol prices inflation", {}),
    ("cricket OR hockey", {}),
    ("polio vaccination Peshawar", {}),
    ("electri*", {}),
    ("سیلاب", {}),
    ("عمران خان", {}),
    ('"unbalanced quote', {}),
    ("zzyzx", {}),
    ("flood", {"since": "2024-01-01"}),
    ("Pakistan", {"since": "2015-03-01", "until": "2015-03-31"}),
    ("cricket", {"outlet": "urdupoint", "until": "2019-12-31"}),
    ("Pakistan", {"outlet": "urdupoint", "language": "ur"}),  # few of its matches pass the filters
    ("flood", {"language": "ur"}),
]

# Searches made to tie up the server (the issue's): each must answer, with results or a message, within
# the 1 s time limit; archive_snippet runs in Python, which the limit cannot interrupt.
HOSTILE_QUERIES = {
    "t* 80 times (240 characters)": " ".join(["t*"] * 80),
    "pakistan 12,000 times": " ".join(["pakistan"] * 12_000),
    "17 words": "a b c d e f g h i j k l m n o p q",
    "t* 66 times (the same word)": " ".join(["t*"] * 66),
    "16 prefixes of one word": " ".join("therefore"[:n] + "*" for n in range(1, 10)) + " t* ta* tal* talk* talks* th* the*",
    "16 common words": "the of and to in a is that for on said with was by as at",
    "16 prefixes": "a* b* c* d* e* f* g* h* i* l* m* n* o* p* r* s*",
}
HOSTILE_AT_ONCE = 4  # the four at once, while an unrelated page is timed
COSTLIEST = "16 prefixes"  # of those allowed: FTS5's work, in SQLite, which the time limit interrupts
UNRELATED_PAGE = "/archive/articles?_nofacet=1"

# Every page of the reading room a person opens, each timed `rounds` times after a warm-up.
OTHER_PAGES = {
    "search page (HTML), Pakistan": "/archive/search?q=Pakistan",
    "search page (HTML), Pakistan in Urdu articles of one outlet": "/archive/search?q=Pakistan&outlet=urdupoint&language=ur",
    "search page (HTML), nothing typed": "/archive/search",
    "article page": "/archive/articles/{middle}",  # the archive's middle article
    "articles list, 6 facets": "/archive/articles",
    "articles list of one outlet in Urdu, 6 facets": "/archive/articles?outlet=urdupoint&language=ur",
    "articles list of one category, 6 facets (datasette counts them)": "/archive/articles?category=sports",
    "articles list, every column, 6 facets": "/archive/articles?_columns=all",
    "articles table page, no facets": "/archive/articles?_nofacet=1",
    "articles_per_day, last 90 days": "/archive/articles_per_day.json",
    "articles_per_day, 2024": "/archive/articles_per_day.json?since=2024-01-01&until=2024-12-31",
    "coverage page, last 90 days": "/archive/-/coverage",
    "coverage page, 2024": "/archive/-/coverage?since=2024-01-01&until=2024-12-31",
    "place_map (the map's page)": "/archive/place_map",
    "place_map (the map's rows)": "/archive/place_map.json",
    "places_not_found": "/archive/places_not_found.json",
}
PAGE_BUDGET_MS = TIME_LIMIT_MS / 5  # every page's p95 within a fifth of the time limit

# The search query as it would be without the 5,000-match window: the same output, every match ranked.
FULL_RANKING = """
with query(expression) as (select coalesce(fts_query(:q), '""')),
matched(expression) as (select search_match((select expression from query), '', '', :indexed_values))
select
  (select substr(published_at, 1, 10) from articles where id = articles_fts.rowid) as date,
  (select title from articles where id = articles_fts.rowid) as title,
  archive_snippet((select text from articles where id = articles_fts.rowid), (select expression from query),
    '<mark>', '</mark>', '…', 24, 'html') as snippet,
  (select url from articles where id = articles_fts.rowid) as url,
  articles_fts.rowid as article_id
from articles_fts
where articles_fts match (select expression from matched)
  and (:since = '' and :until = '' and :outlet = '' and :language = '' or exists (
    select 1 from articles
    where articles.id = articles_fts.rowid
      and (:since = '' or substr(articles.published_at, 1, 10) >= :since)
      and (:until = '' or substr(articles.published_at, 1, 10) <= :until)
      and (:outlet = '' or articles.outlet = :outlet)
      and (:language = '' or articles.language = :language)))
order by bm25(articles_fts, 10.0, 3.0, 1.0, 0.0, 0.0), rowid desc
limit 50
"""


def label(size: int) -> str:
    for unit, factor in (("m", 1_000_000), ("k", 1_000)):
        if size % factor == 0:
            return f"{size // factor}{unit}"
    return str(size)


def archive_of(size: int) -> Path:
    """The cached synthetic archive of ``size`` articles: built if missing, brought up to the current schema."""
    path = CACHE / f"bench-{label(size)}.db"
    if not path.exists():
        CACHE.mkdir(parents=True, exist_ok=True)
        print(f"Building {path.relative_to(REPO)} ({size:,} articles), once...", flush=True)
        started = time.monotonic()
        synthetic.build(path, size)
        print(f"  built in {time.monotonic() - started:.0f} s, {path.stat().st_size / 2**30:.2f} GiB", flush=True)
    db = sqlite_utils.Database(path)
    try:
        schema.apply(db)
    finally:
        db.close()
    return path


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def params_of(q: str, filters: dict) -> dict:
    return {"q": q, "since": "", "until": "", "outlet": "", "language": "", **filters}


def timed_get(connection: http.client.HTTPConnection, path: str) -> tuple[float, int, bytes]:
    started = time.perf_counter()
    connection.request("GET", path)
    response = connection.getresponse()
    body = response.read()
    return (time.perf_counter() - started) * 1000, response.status, body


@contextmanager
def served_as_archive(db_path: Path):
    """A link named ``archive.db`` to ``db_path``, so that datasette names the database ``archive``
    as the paths here do (SQLite follows the link to the file and its write-ahead log)."""
    with tempfile.TemporaryDirectory(prefix="bench-") as folder:
        served = Path(folder) / "archive.db"
        served.symlink_to(db_path.resolve())
        yield served


def bench_datasette(db_path: Path, size: int, rounds: int) -> tuple:
    """Time the ``search`` canned query over HTTP: all samples, (rows, p50) per query, failed requests,
    other pages' times, and :func:`bench_hostile`'s. A failed request (a time-out: HTTP 400) counts
    with the time it took.
    """
    samples, per_query, failures, pages = [], [], [], {}
    with served_as_archive(db_path) as served, datasette_server(served, timeout=120) as url:
        connection = http.client.HTTPConnection(urllib.parse.urlsplit(url).netloc, timeout=60)
        for q, filters in QUERIES:
            path = "/archive/search.json?" + urllib.parse.urlencode({**params_of(q, filters), "_shape": "objects"})
            times, rows = [], 0
            for _ in range(rounds + 1):  # the first request warms the page cache
                ms, status, body = timed_get(connection, path)
                times.append(ms)
                if status == 200:
                    rows = len(json.loads(body)["rows"])
                else:
                    failures.append(f"{q!r} {filters}: HTTP {status} after {ms:.0f} ms")
            samples += times[1:]
            per_query.append((rows, statistics.median(times[1:])))
        hostile = bench_hostile(url)
        # A new connection: the server closes one left idle (keep-alive) while the hostile searches ran.
        connection = http.client.HTTPConnection(urllib.parse.urlsplit(url).netloc, timeout=60)
        for name, path in OTHER_PAGES.items():
            path = path.format(middle=size // 2)
            timed_get(connection, path)
            times, answers = [], set()
            for _ in range(rounds):
                ms, status, body = timed_get(connection, path)
                times.append(ms)
                timed_out = b"timed out" in body or b"too long" in body
                answers.add("" if status == 200 and not timed_out else
                            f" (HTTP {status})" if status != 200 else " (some queries timed out)")
            pages[name] = (percentile(times, 0.5), percentile(times, 0.95), "".join(sorted(answers)))
    return samples, per_query, failures, pages, hostile


def bench_hostile(url: str) -> tuple[list[tuple[str, float, str]], float, float]:
    """Time each of :data:`HOSTILE_QUERIES` through the server: (name, ms, what came back); then the
    unrelated page alone and while :data:`HOSTILE_AT_ONCE` of the costliest allowed run at once (ms)."""
    netloc = urllib.parse.urlsplit(url).netloc
    connection = http.client.HTTPConnection(netloc, timeout=120)
    results = []
    for name, q in HOSTILE_QUERIES.items():
        path = "/archive/search.json?" + urllib.parse.urlencode({"q": q, "_shape": "array"})
        try:
            ms, status, body = timed_get(connection, path)
        except (OSError, http.client.HTTPException) as error:  # the server may refuse a long request line
            connection = http.client.HTTPConnection(netloc, timeout=120)
            results.append((name, float("nan"), f"refused: {error.__class__.__name__}"))
            continue
        if status != 200:
            outcome = f"HTTP {status}" + (" (time limit)" if b"too long" in body else "")
        else:
            rows = json.loads(body)
            outcome = rows[0]["title"] if rows and rows[0]["article_id"] is None else f"{len(rows)} rows"
        results.append((name, ms, outcome))
    timed_get(connection, UNRELATED_PAGE)
    alone = timed_get(connection, UNRELATED_PAGE)[0]
    costliest = "/archive/search.json?" + urllib.parse.urlencode({"q": HOSTILE_QUERIES[COSTLIEST]})

    def hostile() -> None:
        timed_get(http.client.HTTPConnection(netloc, timeout=120), costliest)

    with ThreadPoolExecutor(HOSTILE_AT_ONCE) as pool:
        running = [pool.submit(hostile) for _ in range(HOSTILE_AT_ONCE)]
        time.sleep(0.05)  # let them start
        beside = timed_get(connection, UNRELATED_PAGE)[0]
        for future in running:
            future.result()
    return results, alone, beside


def bench_full_ranking(db_path: Path) -> list[float]:
    """The baseline: every match ranked (no window), straight from SQLite, one run per query after a warm-up."""
    conn = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    conn.create_function("fts_query", 1, fts_query, deterministic=True)
    conn.create_function("search_match", 4, search_match, deterministic=True)
    snippets.register(conn)
    indexed_values = conn.execute("select group_concat(value, ' ') from (select distinct outlet as value from articles"
                                  " union all select distinct language from articles)").fetchone()[0]
    times = []
    for q, filters in QUERIES:
        params = {**params_of(q, filters), "indexed_values": indexed_values}
        conn.execute(FULL_RANKING, params).fetchall()
        started = time.perf_counter()
        conn.execute(FULL_RANKING, params).fetchall()
        times.append((time.perf_counter() - started) * 1000)
    conn.close()
    return times


def run_scrapy(*args: str) -> tuple[float, int, int, str]:
    """Run ``python -m scrapy ARGS`` from the repository root: (seconds, peak RSS in KiB, exit code, stderr)."""
    started = time.perf_counter()
    process = subprocess.Popen([sys.executable, "-m", "scrapy", *args], cwd=REPO,
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    stderr = process.stderr.read()
    _, status, usage = os.wait4(process.pid, 0)  # this child's own peak RSS, unlike RUSAGE_CHILDREN
    process.returncode = os.waitstatus_to_exitcode(status)  # reaped: Popen must not wait for it again
    return time.perf_counter() - started, usage.ru_maxrss, process.returncode, stderr


def bench_scrapy_search(db_path: Path, rounds: int) -> tuple[list[float], list[float], list[float]] | str:
    setting = f"ARCHIVE_DB={db_path}"
    startup = []
    for _ in range(rounds):
        seconds, _, code, stderr = run_scrapy("search", "zzyzx", "--limit", "20", "--json", "-s", setting)
        if code != 0:
            return f"scrapy search failed (exit {code}): {stderr.strip()[-300:]}"
        startup.append(seconds * 1000)
    samples, per_query = [], []
    for q, filters in QUERIES:
        if "language" in filters:  # the command has no --language
            per_query.append(None)
            continue
        options = [part for name, value in filters.items() for part in (f"--{name}", value)]
        times = []
        for _ in range(rounds):
            seconds, _, code, stderr = run_scrapy("search", *options, "--limit", "20", "--json", "-s", setting, "--", q)
            if code != 0:
                return f"scrapy search {q!r} failed (exit {code}): {stderr.strip()[-300:]}"
            times.append(seconds * 1000)
        samples += times
        per_query.append(statistics.median(times))
    return samples, per_query, startup


def bench_export(db_path: Path, size: int) -> list[tuple[str, int, float, int, int]] | str:
    """Export a tenth of the archive, then all of it: (what, rows, seconds, peak RSS KiB, file bytes) each."""
    results, tenth = [], max(1, size // 10)
    with tempfile.TemporaryDirectory() as work:
        for what, rows, extra in (("a tenth", tenth, ["--limit", str(tenth)]), ("all", size, [])):
            output = Path(work) / "export.csv"
            seconds, peak, code, stderr = run_scrapy("export", "-o", str(output), *extra, "-s", f"ARCHIVE_DB={db_path}")
            if code != 0:
                return f"scrapy export failed (exit {code}): {stderr.strip()[-300:]}"
            results.append((what, rows, seconds, peak, output.stat().st_size))
            output.unlink()
    return results


def machine_note(db_path: Path) -> str:
    memory = next(line.split()[1] for line in Path("/proc/meminfo").read_text().splitlines() if line.startswith("MemTotal"))
    load = ", ".join(f"{value:.1f}" for value in os.getloadavg())
    return (f"{os.cpu_count()} cores (load average {load}), {int(memory) / 2**20:.0f} GiB RAM, Python {platform.python_version()}, "
            f"SQLite {sqlite3.sqlite_version}, datasette {datasette.__version__}, "
            f"archive {db_path.stat().st_size / 2**30:.2f} GiB")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=1_000_000, help="articles in the archive (default 1,000,000)")
    parser.add_argument("--rounds", type=int, default=5, help="timed runs of each query (default 5)")
    args = parser.parse_args()
    db_path = archive_of(args.size)
    print(f"\nMachine: {machine_note(db_path)}")
    print(f"Archive: {db_path.relative_to(REPO)}, {args.size:,} articles\n")

    samples, per_query, failures, pages, (hostile, alone, beside) = bench_datasette(db_path, args.size, args.rounds)
    full = bench_full_ranking(db_path)
    search = bench_scrapy_search(db_path, max(1, args.rounds // 2))
    print("search query                         rows  datasette p50  full ranking (sqlite)  scrapy search p50")
    for n, (q, filters) in enumerate(QUERIES):
        typed = q + "".join(f" {name}={value}" for name, value in filters.items())
        cli = "   skipped" if not isinstance(search, tuple) else "       n/a" if search[1][n] is None else f"{search[1][n]:9.0f} ms"
        rows, p50 = per_query[n]
        print(f"{typed[:36]:36} {rows:4}  {p50:10.1f} ms  {full[n]:17.1f} ms  {cli:>17}")
    p50, p95 = percentile(samples, 0.5), percentile(samples, 0.95)
    print(f"\ndatasette search over HTTP: p50 {p50:.1f} ms, p95 {p95:.1f} ms "
          f"({len(samples)} requests; goal p95 < {GOAL_P95_MS} ms: {'met' if p95 < GOAL_P95_MS else 'NOT met'})")
    for failure in failures:
        print(f"  failed: {failure}")
    print(f"load average now: {', '.join(f'{value:.1f}' for value in os.getloadavg())}")
    print(f"baseline, every match ranked (SQLite alone): p50 {percentile(full, 0.5):.1f} ms, "
          f"p95 {percentile(full, 0.95):.1f} ms, max {max(full):.0f} ms "
          f"(p95 {percentile(full, 0.95) / p95:.1f}x datasette's)")
    if isinstance(search, tuple):
        cli_samples, _, startup = search
        base = statistics.median(startup)
        print(f"scrapy search (a new process each): p50 {percentile(cli_samples, 0.5):.0f} ms, "
              f"p95 {percentile(cli_samples, 0.95):.0f} ms; start-up alone (no match) {base:.0f} ms, "
              f"so p95 is {percentile(cli_samples, 0.95) / base:.2f}x start-up")
    else:
        print(f"scrapy search: skipped ({search})")
    print(f"\npage (datasette, HTTP, {args.rounds} runs each)                            p50 ms   p95 ms")
    for name, (page_p50, page_p95, answer) in pages.items():
        late = "" if page_p95 <= PAGE_BUDGET_MS else f"  over {PAGE_BUDGET_MS:.0f} ms"
        print(f"{name:68} {page_p50:7.0f}  {page_p95:7.0f}{late}{answer}")
    print("\nhostile search (datasette, HTTP)     ms  answer")
    for name, ms, outcome in hostile:
        print(f"{name:34} {ms:6.0f}  {outcome[:70]}")
    late = [name for name, ms, _ in hostile if ms > TIME_LIMIT_MS]
    print(f"answered within the {TIME_LIMIT_MS} ms time limit: {'all' if not late else 'NOT ' + ', '.join(late)}")
    print(f"unrelated page {UNRELATED_PAGE}: {alone:.0f} ms alone, {beside:.0f} ms beside {HOSTILE_AT_ONCE} searches "
          f"{COSTLIEST!r} at once ({beside / alone:.1f}x)")

    exports = bench_export(db_path, args.size)
    if isinstance(exports, str):
        print(f"\nscrapy export: skipped ({exports})")
        return 0
    print("\nscrapy export -o FILE.csv      rows     seconds   rows/s     peak RSS   file")
    for what, rows, seconds, peak, size in exports:
        print(f"{what:28} {rows:9,} {seconds:9.1f} {rows / seconds:9,.0f} {peak / 1024:8.0f} MiB {size / 2**20:7.0f} MiB")
    print(f"peak memory, all / a tenth: {exports[1][3] / exports[0][3]:.2f}x for {exports[1][1] / exports[0][1]:.0f}x the rows")
    return 0


if __name__ == "__main__":
    sys.exit(main())

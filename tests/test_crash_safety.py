"""Crash safety: a crawl killed with SIGKILL at random points, again and again, never damages the archive.

After every kill the archive passes SQLite's integrity check and FTS5's, no article
is half written (every row complete, reachable from its URL, indexed), and a normal
run afterwards completes it with nothing missing and nothing doubled. The crawl's
worker processes (pipelines/workers.py) end with it.
"""

import os
import random
import sqlite3
import time

from tests.conftest import article_count, run_crawl, start_crawl, wait_for

KILLS = 20
SLOW = {"DOWNLOAD_DELAY": "0.05", "AUTOTHROTTLE_ENABLED": "False", "CONCURRENT_REQUESTS_PER_DOMAIN": "2"}


def assert_consistent(db_path) -> int:
    """Check the archive as a reader would find it; returns its number of articles."""
    if not db_path.exists():
        return 0
    with sqlite3.connect(db_path) as conn:
        assert conn.execute("pragma integrity_check").fetchone()[0] == "ok"
        if not conn.execute("select 1 from sqlite_master where name = 'articles_fts'").fetchone():
            return 0  # killed while the schema was being created: nothing archived yet
        conn.execute("insert into articles_fts(articles_fts) values('integrity-check')")
        half_written = conn.execute(
            """select count(*) from articles a
               where a.title = '' or a.text = '' or a.content_hash = ''
                  or not exists (select 1 from article_urls u where u.url = a.url and u.article_id = a.id)"""
        ).fetchone()[0]
        assert half_written == 0
        orphans = conn.execute(
            "select count(*) from article_urls u left join articles a on a.id = u.article_id where a.id is null"
        ).fetchone()[0]
        assert orphans == 0
        return conn.execute("select count(*) from articles").fetchone()[0]


def descendants(pid: int) -> set[int]:
    """The processes started by ``pid``, and by those, and so on (Linux /proc)."""
    parents = {}
    for entry in os.scandir("/proc"):
        try:
            with open(f"/proc/{entry.name}/stat", "rb") as stat:
                parents[int(entry.name)] = int(stat.read().rsplit(b")", 1)[1].split()[1])
        except (OSError, ValueError):
            continue
    found, frontier = set(), {pid}
    while frontier:
        frontier = {child for child, parent in parents.items() if parent in frontier} - found
        found |= frontier
    return found


def still_running(pids: set[int], within: float) -> set[int]:
    deadline = time.monotonic() + within
    while pids and time.monotonic() < deadline:
        pids = {pid for pid in pids if os.path.exists(f"/proc/{pid}")}
        time.sleep(0.1)
    return pids


def test_twenty_random_kills_then_a_normal_run_complete_the_archive(mirror, tmp_path, manifest):
    db_path = tmp_path / "archive.db"
    rng = random.Random(20261128)
    seen, left_behind = [], set()
    # The first crawl is killed as soon as it has stored an article; the time it took sets when the others are
    # killed, from early in start-up to well into storing, on a fast machine or a busy one alike.
    crawl = start_crawl(mirror.url, db_path, SLOW)
    started = time.monotonic()
    wait_for(lambda: article_count(db_path) or crawl.poll() is not None, timeout=120, what="the first article")
    assert crawl.poll() is None, f"the crawl ended before storing an article: {crawl.stderr.read()[-3000:]}"
    startup = time.monotonic() - started
    for number in range(KILLS):
        if number:
            crawl = start_crawl(mirror.url, db_path, SLOW)
            time.sleep(rng.uniform(0.2, 1.2) * startup)
        workers = descendants(crawl.pid)
        crawl.kill()
        crawl.wait(timeout=30)
        seen.append(assert_consistent(db_path))
        left_behind |= workers
    assert max(seen) > 0, "no kill happened after the first article was stored"
    assert left_behind, "no kill happened after the worker processes started"
    assert still_running(left_behind, within=10) == set()

    final = run_crawl(mirror.url, db_path)
    assert final.returncode == 0, final.log[-3000:]
    assert_consistent(db_path)
    with sqlite3.connect(db_path) as conn:
        urls = [row[0] for row in conn.execute("select url from articles")]
        runs = conn.execute("select finished_at is null from crawl_runs order by id").fetchall()
    every_article = {*manifest["articles"], *manifest["urdu"]["rss_articles"]}  # both editions, as a run archives
    assert (every_article - set(urls), set(urls) - every_article) == (set(), set())
    assert len(urls) == len(set(urls))
    # A run killed before it recorded itself leaves no row; one that finished before its kill is complete.
    assert runs[-1] == (0,) and len(runs) <= KILLS + 1

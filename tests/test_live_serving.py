"""Datasette serving the archive while a real crawl writes to it, as in production.

The archive is in WAL mode and datasette opens it without ``-i`` (immutable), so
every request sees the rows committed so far: the count rises during the crawl with
no restart, and no request fails or waits on a lock.
"""

import json
import subprocess
import threading
import time
import urllib.error
import urllib.parse
import urllib.request

import sqlite_utils

from pipelines import schema
from pipelines.archive import Archive
from tests.conftest import run_crawl
from tests.samples import ARTICLES, NOW, article, build_archive
from tests.test_datasette import SETTINGS, datasette_server, serve_command

# Slow the crawl down so that it lasts a few seconds (some 90 requests, one at a time: about 8 s, as many of the
# crawl's commits) and datasette is polled during it.
SLOW_CRAWL = {"DOWNLOAD_DELAY": "0.08", "CONCURRENT_REQUESTS_PER_DOMAIN": "1", "AUTOTHROTTLE_ENABLED": "False"}
POLL_SECONDS = 0.1
COUNT_PATH = "/archive.json?" + urllib.parse.urlencode({"sql": "select count(*) as n from articles", "_shape": "array"})
PATHS = (COUNT_PATH, "/archive/articles.json?_shape=array&_size=max", "/archive/search.json?q=pakistan&_shape=array",
         "/archive/articles_per_day.json?_shape=array")
LATE_NEWS = article("https://www.urdupoint.com/en/pakistan/canal-breach-repaired-1000099.html", "Canal breach repaired",
                    ["Engineers repaired the canal breach overnight."], "2023-03-04T09:00:00+05:00")


def fetch(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read().decode("utf-8")
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode("utf-8", "replace")


def test_datasette_serves_a_growing_archive_without_restart(mirror, tmp_path):
    db_path = tmp_path / "archive.db"
    schema.apply(sqlite_utils.Database(db_path))  # an archive exists before its first crawl ends
    assert not {"-i", "--immutable"} & set(serve_command(db_path, 0))
    counts, failures, crawls = [], [], []
    with datasette_server(db_path, SETTINGS) as url:
        crawl = threading.Thread(target=lambda: crawls.append(run_crawl(mirror.url, db_path, settings=SLOW_CRAWL)))
        crawl.start()
        while True:
            running = crawl.is_alive()
            for path in PATHS:
                status, body = fetch(url + path)
                if status != 200 or "database is locked" in body:
                    failures.append((path, status, body[:300]))
                elif path == COUNT_PATH:
                    counts.append(json.loads(body)[0]["n"])
            if not running:
                break
            time.sleep(POLL_SECONDS)
        crawl.join()
    final = sqlite_utils.Database(db_path).execute("select count(*) from articles").fetchone()[0]
    assert crawls and crawls[0].returncode == 0, crawls[0].log[-3000:] if crawls else "crawl did not finish"
    assert failures == []
    assert counts == sorted(counts), "datasette saw the archive shrink"
    assert final > 0 and counts[-1] == final
    seen_during_crawl = set(counts[:-1])
    assert len(seen_during_crawl - {0, final}) >= 1, f"no intermediate count seen during the crawl: {counts}"


def test_an_archive_under_another_name_is_served_with_its_configuration(tmp_path):
    """``make serve ARCHIVE=/data/urdupoint.db``: the canned queries and the crawl's new rows, all there."""
    (tmp_path / "data").mkdir()
    db_path = build_archive(tmp_path / "data" / "urdupoint.db")
    with datasette_server(db_path, SETTINGS) as url:
        # datasette names the database after its file; the plugin knows it for an archive by its tables
        status, body = fetch(url + "/urdupoint/search.json?" + urllib.parse.urlencode({"q": "wheat", "_shape": "array"}))
        assert status == 200
        assert {row["url"] for row in json.loads(body)} == {a.url for a in ARTICLES if "wheat" in f"{a.title} {a.text}".lower()}
        writer = Archive.open(db_path)  # as a crawl writes it, while datasette reads it
        writer.add_article(LATE_NEWS, LATE_NEWS.urls, NOW)
        status, body = fetch(url + COUNT_PATH.replace("/archive", "/urdupoint"))
        writer.close()
    assert status == 200 and json.loads(body)[0]["n"] == len(ARTICLES) + 1
    assert {path.name for path in db_path.parent.iterdir()} <= {"urdupoint.db", "urdupoint.db-wal", "urdupoint.db-shm"}


def test_serving_an_archive_that_does_not_exist_says_so(tmp_path):
    result = subprocess.run(serve_command(tmp_path / "nowhere.db", 0), capture_output=True, text=True, timeout=60)
    assert result.returncode == 1
    assert result.stderr.strip() == f"Error: no archive at {tmp_path / 'nowhere.db'}: run a crawl first (make demo, or scrapy crawl urdupoint)"

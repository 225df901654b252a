"""Shared fixtures: the mirror served over real HTTP, real crawls in subprocesses, real archives.

Scrapy's reactor cannot be restarted inside one process, so every crawl runs as
``scrapy crawl`` in a subprocess, exactly as a user or cron would run it.
"""

import contextlib
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest
import sqlite_utils

from pipelines import schema
from tests.mirror.server import MirrorServer

REPO = Path(__file__).resolve().parent.parent
SITE = REPO / "tests" / "site"
MANIFEST = REPO / "tests" / "mirror" / "manifest.json"
CRAWL_TIMEOUT = 180  # seconds; a mirror crawl takes a few
SMALL_WARC = 150_000  # bytes: the mirror's pages fill several WARC files of this size


@dataclass
class Crawl:
    returncode: int
    stats: dict
    log: str

    def stat(self, name: str) -> int:
        return self.stats.get(name, 0)


def crawl_command(args, settings: dict, spider: str = "urdupoint") -> list[str]:
    """``python -m scrapy crawl SPIDER ARGS -s NAME=value ...``."""
    return [sys.executable, "-m", "scrapy", "crawl", spider, *args,
            *(part for name, value in settings.items() for part in ("-s", f"{name}={value}"))]


def run_crawl(base_url: str, db_path: Path, *args: str, settings: dict | None = None, spider: str = "urdupoint") -> Crawl:
    """``scrapy crawl SPIDER`` against ``base_url`` into ``db_path``; returns its stats and log."""
    work = db_path.parent
    stats_path = work / f"stats-{os.getpid()}-{len(list(work.glob('stats-*')))}.json"
    log_path = stats_path.with_suffix(".log")
    options = {
        "OUTLET_BASE_URL": base_url,
        "ARCHIVE_DB": str(db_path),
        "STATS_FILE": str(stats_path),
        "LOG_FILE": str(log_path),
        "DOWNLOAD_DELAY": "0",  # a local mirror needs no politeness delay
        "AUTOTHROTTLE_START_DELAY": "0",
        **(settings or {}),
    }
    process = subprocess.run(crawl_command(args, options, spider), cwd=REPO, capture_output=True, text=True, timeout=CRAWL_TIMEOUT)
    log = (log_path.read_text(encoding="utf-8") if log_path.exists() else "") + process.stderr
    stats = json.loads(stats_path.read_text(encoding="utf-8")) if stats_path.exists() else {}
    return Crawl(process.returncode, stats, log)


def start_crawl(base_url: str, db_path: Path, settings: dict) -> subprocess.Popen:
    """``scrapy crawl urdupoint`` started in the background, for tests that stop or overlap it."""
    options = {"OUTLET_BASE_URL": base_url, "ARCHIVE_DB": str(db_path), "LOG_LEVEL": "WARNING", **settings}
    return subprocess.Popen(crawl_command((), options), cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)


def wait_for(condition, timeout: float = 60, what: str = "condition"):
    """``condition()``'s first true value, asked every 50 ms; AssertionError after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while not (result := condition()):
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.05)
    return result


def article_count(db_path) -> int:
    """How many articles a reader finds in the archive now, beside a running crawl: 0 before it has its schema."""
    try:
        with contextlib.closing(sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)) as conn:
            return conn.execute("select count(*) from articles").fetchone()[0]
    except sqlite3.Error:  # no file yet, or no table
        return 0


@pytest.fixture(scope="session", autouse=True)
def cache_folder(tmp_path_factory):
    """The user's cache folder (``XDG_CACHE_HOME``: the gazetteer's index and the language model,
    ``pipelines/cache.py``), this session's own: the tests and the crawls they start share it, and leave the
    user's alone."""
    with pytest.MonkeyPatch.context() as patch:
        folder = tmp_path_factory.mktemp("cache")
        patch.setenv("XDG_CACHE_HOME", str(folder))
        yield folder


@pytest.fixture(scope="session")
def manifest() -> dict:
    return json.loads(MANIFEST.read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def mirror():
    """The bundled mirror, served read-only for the whole session."""
    with MirrorServer(SITE) as server:
        yield server


@pytest.fixture
def site_copy(tmp_path) -> Path:
    """A private copy of the mirror that a test may change between crawls."""
    root = tmp_path / "site"
    shutil.copytree(SITE, root)
    return root


@pytest.fixture(scope="session")
def mirror_crawl(mirror, tmp_path_factory):
    """One crawl of the bundled mirror's English edition into a fresh archive, shared by the read-only
    tests of English articles (tests/test_crawl_urdu.py crawls both editions)."""
    db_path = tmp_path_factory.mktemp("archive") / "archive.db"
    mirror.clear_requests()
    crawl = run_crawl(mirror.url, db_path, "-a", "edition=en")
    assert crawl.returncode == 0, crawl.log[-3000:]
    return crawl, db_path, list(mirror.requests)


@pytest.fixture(scope="session")
def recorded(tmp_path_factory):
    """``(archive, WARC directory, closed base URL)``: a crawl of the mirror's English edition, its server stopped.
    Shared by the tests of WARC files, reextract and replays: each changes only copies of it."""
    db_path = tmp_path_factory.mktemp("recorded") / "archive.db"
    with MirrorServer(SITE) as server:
        crawl = run_crawl(server.url, db_path, "-a", "edition=en", settings={"WARC_MAX_SIZE": str(SMALL_WARC)})
        base_url = server.url
    assert crawl.returncode == 0, crawl.log[-3000:]
    assert crawl.stat("warc/records") > 0
    return db_path, db_path.parent / "warc", base_url


@pytest.fixture(scope="session")
def archive(mirror_crawl) -> sqlite_utils.Database:
    return sqlite_utils.Database(mirror_crawl[1])


@pytest.fixture
def fresh_db(tmp_path) -> sqlite_utils.Database:
    """An empty archive with the current schema, in a real SQLite file."""
    db = sqlite_utils.Database(tmp_path / "archive.db")
    schema.apply(db)
    return db


def command_in_process(command_class, db_path: Path, argv) -> "ScrapyCommand":
    """A project command (``scrapy search``, ``scrapy export``) run in this process on the archive at
    ``db_path``, as ``scrapy COMMAND ARGV`` runs it; the command is returned for its ``exitcode``."""
    import argparse

    from scrapy.settings import Settings

    command = command_class()
    command.settings = Settings()
    command.settings.setmodule("crawler.settings", priority="project")
    command.settings.set("ARCHIVE_DB", str(db_path), priority="cmdline")
    parser = argparse.ArgumentParser()
    command.add_options(parser)
    opts, args = parser.parse_known_args(list(argv))
    command.run(args, opts)
    return command

"""``scrapy archive-writer`` in a subprocess, for the tests of crawls sharing a frontier."""

import subprocess
import sys
import time
from pathlib import Path

from tests.conftest import REPO
from tests.redis_server import RedisServer

PUBLISHED = "news-archive:archive:published"  # set once the writer has published the archive for the spiders
STREAM = "news-archive:archive:items"
WRITER_TIMEOUT = 120  # seconds


def writer_command(db_path: Path, redis_url: str, *options: str, settings: dict | None = None) -> list[str]:
    values = {"FRONTIER_URL": redis_url, "ARCHIVE_DB": str(db_path), "LOG_FILE": str(db_path.parent / "writer.log"),
              **(settings or {})}
    return [sys.executable, "-m", "scrapy", "archive-writer", *options,
            *(part for name, value in values.items() for part in ("-s", f"{name}={value}"))]


def start_writer(db_path: Path, redis: RedisServer, *options: str, settings: dict | None = None) -> subprocess.Popen:
    """``scrapy archive-writer`` in the background, returned once it has published the archive for the spiders."""
    db_path.parent.mkdir(parents=True, exist_ok=True)
    client = redis.client()
    client.delete(PUBLISHED)
    writer = subprocess.Popen(writer_command(db_path, redis.url, *options, settings=settings), cwd=REPO,
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + WRITER_TIMEOUT
    while not client.exists(PUBLISHED):
        assert writer.poll() is None, writer.stderr.read()
        assert time.monotonic() < deadline
        time.sleep(0.05)
    return writer


def finish(process: subprocess.Popen) -> str:
    """Wait for ``process``; its standard error."""
    _, stderr = process.communicate(timeout=WRITER_TIMEOUT)
    return stderr

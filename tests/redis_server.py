"""A real ``redis-server`` for the shared-frontier tests, on a free loopback port of its own.

``.ci/run`` installs Debian's ``redis-server``. On a machine without it the tests that need one
are skipped with that reason, except under CI (``CI`` set), where a missing server fails them:
there the frontier must be tested, not passed over.
"""

import os
import shutil
import socket
import subprocess
import time
from pathlib import Path

import pytest
import redis

START_TIMEOUT = 10  # seconds for redis-server to answer PING


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def require_redis_server() -> str:
    """The path of ``redis-server``; skips the test where there is none (fails it under CI)."""
    path = shutil.which("redis-server")
    if path is None:
        if os.environ.get("CI"):
            pytest.fail("redis-server is not installed (.ci/run installs Debian's redis-server)")
        pytest.skip("redis-server is not installed")
    return path


class RedisServer:
    """``redis-server`` on 127.0.0.1 with its data in ``directory``; ``appendonly`` keeps an AOF there,
    so that what it held survives :meth:`restart`."""

    def __init__(self, directory: Path, appendonly: bool = False):
        self.executable = require_redis_server()
        self.directory = directory
        self.appendonly = appendonly
        self.port = free_port()
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def client(self) -> redis.Redis:
        return redis.Redis.from_url(self.url)

    def start(self) -> "RedisServer":
        self.directory.mkdir(parents=True, exist_ok=True)
        self.process = subprocess.Popen(
            [self.executable, "--port", str(self.port), "--bind", "127.0.0.1", "--dir", str(self.directory),
             "--save", "", "--appendonly", "yes" if self.appendonly else "no", "--appendfsync", "always",
             "--protected-mode", "yes", "--logfile", str(self.directory / "redis.log")],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + START_TIMEOUT
        while True:
            try:
                if self.client().ping():
                    return self
            except redis.ConnectionError:
                if self.process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"redis-server did not start: {self.log()}") from None
                time.sleep(0.05)

    def stop(self) -> None:
        """Stops the server at once (SIGKILL): what an AOF with ``appendfsync always`` holds survives it."""
        if self.process and self.process.poll() is None:
            self.process.kill()
            self.process.wait()
        self.process = None

    def restart(self) -> "RedisServer":
        self.stop()
        return self.start()

    def log(self) -> str:
        path = self.directory / "redis.log"
        return path.read_text(encoding="utf-8", errors="replace")[-2000:] if path.exists() else ""


@pytest.fixture
def redis_server(tmp_path):
    """A fresh ``redis-server`` for one test, stopped after it."""
    server = RedisServer(tmp_path / "redis").start()
    yield server
    server.stop()

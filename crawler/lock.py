"""One writer per archive: an operating-system lock held for the whole crawl.

The lock is ``flock`` on ``<archive>.lock``: the kernel releases it however the
process ends (Ctrl-C, kill -9, power loss), so a stale lock can never block the
next run, and no process id is ever guessed at. The file also records who holds
it, for the message the next run prints.
"""

import fcntl
import os
from datetime import datetime, timezone
from pathlib import Path


class ArchiveBusy(Exception):
    """Another process holds the archive's lock."""


class ArchiveLock:
    def __init__(self, archive_path: str | Path):
        self.path = Path(f"{archive_path}.lock")
        self.file = None

    def acquire(self) -> "ArchiveLock":
        self.path.parent.mkdir(parents=True, exist_ok=True)
        file = open(self.path, "a+", encoding="utf-8")
        try:
            fcntl.flock(file, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            file.seek(0)
            holder = file.read().strip() or "another process"
            file.close()
            raise ArchiveBusy(f"another crawl is writing to {self.path.with_suffix('')} ({holder})") from None
        file.seek(0)
        file.truncate()
        file.write(f"pid {os.getpid()}, since {datetime.now(timezone.utc).isoformat(timespec='seconds')}\n")
        file.flush()
        self.file = file
        return self

    def release(self) -> None:
        if self.file is not None:
            self.file.close()  # closing the descriptor releases the lock
            self.file = None

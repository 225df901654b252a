"""A command's output file (``-o FILE``, or ``-o -`` for standard output), written whole or not at all.

``scrapy export`` and ``scrapy report`` write into a hidden file beside FILE, synced to disk and renamed
over it once complete, so a failed or killed command leaves the old file as it was.
"""

import contextlib
import io
import os
import secrets
import stat
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TextIO

from crawler.commands import CommandError

STDOUT = "-"  # -o - writes to standard output


def replaceable(path: Path) -> os.stat_result | None:
    """The status of the file at ``path`` (None if there is none), refusing what a command must not replace."""
    try:
        status = path.lstat()
    except FileNotFoundError:
        return None
    except OSError as error:
        raise CommandError(f"cannot write {path}: {error.strerror or error}") from None
    if stat.S_ISLNK(status.st_mode):
        raise CommandError(f"{path} is a symbolic link (to {os.readlink(path)}): name the file itself")
    if stat.S_ISDIR(status.st_mode):
        raise CommandError(f"{path} is a folder: name a file")
    if not stat.S_ISREG(status.st_mode):
        raise CommandError(f"{path} is not a regular file (a FIFO, socket or device): use -o - and redirect it")
    return status


def write_file(write: Callable[[TextIO], int], path: Path, old: os.stat_result | None, encoding: str) -> int:
    """``write(out)`` into a new file beside ``path``, renamed over it once complete; returns its count."""
    part = path.with_name(f".{path.name}.{secrets.token_hex(8)}.part")
    try:
        descriptor = os.open(part, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
        try:
            written = _write_part(write, descriptor, old, encoding)
            os.replace(part, path)
        except BaseException:
            part.unlink(missing_ok=True)
            raise
    except OSError as error:
        raise CommandError(f"cannot write {path}: {error.strerror or error}") from None
    _sync_folder(path.parent)
    return written


def _write_part(write: Callable[[TextIO], int], descriptor: int, old: os.stat_result | None, encoding: str) -> int:
    """``write(out)`` into the new file open at ``descriptor``, then synced to disk; returns its count.

    It takes the permissions of the file it replaces; a new file keeps those that
    ``open()`` gives (0o666 less the umask).
    """
    # newline="": the csv module writes its own line ends, and .txt must be byte for byte.
    with open(descriptor, "w", encoding=encoding, newline="") as out:
        if old is not None:
            os.fchmod(descriptor, stat.S_IMODE(old.st_mode))
        written = write(out)
        out.flush()
        os.fsync(descriptor)
    return written


def _sync_folder(folder: Path) -> None:
    """Put the rename on disk; some file systems cannot sync a folder, and the file is in place either way."""
    with contextlib.suppress(OSError):
        descriptor = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(descriptor)
        finally:
            os.close(descriptor)


def write_stdout(write: Callable[[TextIO], int], encoding: str) -> int:
    """``write(out)`` to standard output, as bytes in ``encoding`` whatever the locale; returns its count.

    A closed pipe is raised as BrokenPipeError, for the command to stop quietly.
    """
    out = io.TextIOWrapper(sys.stdout.buffer, encoding=encoding, newline="")
    try:
        written = write(out)
        out.flush()
        return written
    except BrokenPipeError:
        raise
    except OSError as error:
        raise CommandError(f"cannot write to standard output: {error.strerror or error}") from None
    finally:
        out.detach()  # leaves sys.stdout open

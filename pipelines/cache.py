"""The user's cache folder: data that is slow to make from an installed package, kept for the next process.

Every worker process of every crawl reads the same data from the same packages (GeoNames' cities, py3langid's
model); made once and kept here, it is read in a fraction of the time. The folder is
``$XDG_CACHE_HOME/news-archive`` (``~/.cache/news-archive``). An entry (a file or a folder) is named by its kind
and by what it is made from (:func:`entry`), so that one made by other code, another version of a package or of
this project, is never read; it is written whole or not at all for the processes reading it at the same time
(:func:`keep`). A cache folder that cannot be written (a read-only home) costs only the time: each process makes
its own.
"""

import contextlib
import hashlib
import os
import shutil
from collections.abc import Callable, Iterable
from pathlib import Path


def cache_folder() -> Path | None:
    """``$XDG_CACHE_HOME/news-archive`` (``~/.cache/news-archive``); None without a home folder (a user of a
    container with no entry in its password file)."""
    cache_home = Path(os.environ.get("XDG_CACHE_HOME") or "")
    if not cache_home.is_absolute():  # unset, or relative, which the XDG specification says to ignore
        cache_home = Path(os.path.expanduser("~")) / ".cache"
        if not cache_home.is_absolute():  # expanduser found no home and left "~" as it was
            return None
    return cache_home / "news-archive"


def entry(kind: str, made_from: Iterable[bytes], suffix: str = "") -> Path | None:
    """Where an entry of ``kind`` (a name without ``-``) made from ``made_from`` is kept: ``<kind>-<digest><suffix>``
    in the cache folder; None without one."""
    folder = cache_folder()
    if folder is None:
        return None
    digest = hashlib.sha256()
    for part in made_from:
        digest.update(part)
    return folder / f"{kind}-{digest.hexdigest()[:16]}{suffix}"


def keep(path: Path, write: Callable[[Path], None]) -> None:
    """Keep at ``path`` the file or folder ``write`` writes at the path it is given (raising OSError where it
    cannot): whole or not at all for the processes reading it meanwhile. The entries of its kind that were
    there (made by other code, or found unreadable) are removed. A cache folder that cannot be written is left
    as it is."""
    kind = path.name.split("-", 1)[0]
    written = path.with_name(f".{path.name}.{os.getpid()}")  # hidden from the kind's entries until it is whole
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        for old in path.parent.glob(f"{kind}-*"):
            _remove(old)
        write(written)
        os.replace(written, path)  # a folder is not replaced: another process kept the same a moment before
    except OSError:
        _remove(written)


def _remove(path: Path) -> None:
    with contextlib.suppress(OSError):
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path)
        else:
            path.unlink(missing_ok=True)

"""Serve an archive with datasette and the shipped settings.

    python scripts/serve.py [ARCHIVE] [datasette options ...]    # ARCHIVE: archive.db by default

``make serve`` and ``make serve-public`` run this. It is ``datasette serve ARCHIVE`` with the
settings an archive of millions of articles needs (a 1 s query time limit, at most 1,000 rows, no
facet suggestions, which would try every column on every page); the reading room, the project's
datasette plugin, comes with the installed package (``pip install -e .``, which ``make setup``
runs) and recognises the archive whatever its file is called. Options after the archive go to
``datasette serve`` and win over the shipped settings. With ``--setting default_allow_sql off``
(``make serve-public``), the plugin also keeps from the public the archive's path, the internal
tables and raw FTS5 search (crawler/reading_room/search.py).
"""

import importlib.metadata
import signal
import subprocess
import sys
from pathlib import Path

SETTINGS = {"sql_time_limit_ms": "1000", "max_returned_rows": "1000", "suggest_facets": "off"}
DEFAULT_ARCHIVE = "archive.db"
PLUGIN = "crawler.reading_room.search"  # one of the package's datasette entry points


def command(archive: Path, options: list[str]) -> list[str]:
    """``datasette serve`` of ``archive`` with the shipped settings, then ``options``."""
    settings = [part for name, value in SETTINGS.items() for part in ("--setting", name, value)]
    return [sys.executable, "-m", "datasette", "serve", str(archive), *settings, *options]


def installed() -> bool:
    """Whether the package, and so its datasette plugin, is installed in this Python."""
    return any(entry.value == PLUGIN for entry in importlib.metadata.entry_points(group="datasette"))


def serve(archive: Path, options: list[str]) -> int:
    """Run datasette on ``archive`` until it ends or this process is asked to stop; its exit status
    (128 + the signal's number when a signal ended it, as a shell reports it)."""
    server = subprocess.Popen(command(archive, options))
    signal.signal(signal.SIGTERM, lambda *_: server.terminate())
    try:
        status = server.wait()
    except KeyboardInterrupt:  # Ctrl-C reached datasette too; wait for it to finish
        status = server.wait()
    return 128 - status if status < 0 else status


def main(argv: list[str]) -> int:
    archive = Path(argv[0]) if argv and not argv[0].startswith("-") else Path(DEFAULT_ARCHIVE)
    options = argv[1:] if argv and not argv[0].startswith("-") else argv
    if not archive.is_file():
        print(f"Error: no archive at {archive}: run a crawl first (make demo, or scrapy crawl urdupoint)", file=sys.stderr)
        return 1
    if not installed():
        print("Error: the reading room is not installed: run make setup (pip install -e .)", file=sys.stderr)
        return 1
    return serve(archive, options)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

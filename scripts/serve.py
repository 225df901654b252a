"""Serve an archive with datasette and the project's configuration, whatever its file is called.

    python scripts/serve.py [ARCHIVE] [datasette options ...]    # ARCHIVE: archive.db by default

``make serve`` and ``make serve-public`` run this. The configuration
(``datasette/metadata.yml``) describes the database ``archive``, and datasette names a
database after its file, so an archive with another name (``-s ARCHIVE_DB=/data/urdupoint.db``)
is served through a link named ``archive.db`` in a temporary folder. SQLite follows the
link, so the write-ahead log read is the one a running crawl writes: new articles show
without a restart. Options after the archive go to ``datasette serve`` and win over the
shipped settings (a 1 s query time limit, at most 1,000 rows, no facet suggestions).
With ``--setting default_allow_sql off`` (``make serve-public``), the plugin also keeps from
the public the archive's path, the internal tables and raw FTS5 search
(datasette/plugins/archive_search.py).
"""

import signal
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
CONFIGURATION = ["--metadata", str(REPO / "datasette" / "metadata.yml"), "--plugins-dir", str(REPO / "datasette" / "plugins")]
SETTINGS = {"sql_time_limit_ms": "1000", "max_returned_rows": "1000", "suggest_facets": "off"}
SERVED_NAME = "archive.db"  # the name metadata.yml's database "archive" is served under


def command(served: Path, options: list[str]) -> list[str]:
    """``datasette serve`` of the file ``served`` (named ``archive.db``) with the configuration."""
    settings = [part for name, value in SETTINGS.items() for part in ("--setting", name, value)]
    return [sys.executable, "-m", "datasette", "serve", str(served), *CONFIGURATION, *settings, *options]


def serve(archive: Path, options: list[str]) -> int:
    """Run datasette on ``archive`` until it ends or this process is asked to stop; its exit status
    (128 + the signal's number when a signal ended it, as a shell reports it)."""
    with tempfile.TemporaryDirectory(prefix="archive-serve-") as folder:
        served = archive
        if archive.name != SERVED_NAME:
            served = Path(folder) / SERVED_NAME
            served.symlink_to(archive.resolve())
        server = subprocess.Popen(command(served, options), cwd=REPO)  # from the root: the plugin imports crawler
        signal.signal(signal.SIGTERM, lambda *_: server.terminate())
        try:
            status = server.wait()
        except KeyboardInterrupt:  # Ctrl-C reached datasette too; wait for it to finish
            status = server.wait()
    return 128 - status if status < 0 else status


def main(argv: list[str]) -> int:
    archive = Path(argv[0]) if argv and not argv[0].startswith("-") else Path(SERVED_NAME)
    options = argv[1:] if argv and not argv[0].startswith("-") else argv
    if not archive.is_file():
        print(f"Error: no archive at {archive}: run a crawl first (make demo, or scrapy crawl urdupoint)", file=sys.stderr)
        return 1
    return serve(archive, options)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

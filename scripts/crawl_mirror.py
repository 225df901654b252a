"""Crawl the bundled offline mirror of UrduPoint into an archive, as the README's first command.

Serves ``tests/site`` on 127.0.0.1 (a free port), runs ``scrapy crawl urdupoint``
against it (the newest articles, then a backfill of the mirror's days, both
editions), and says how to browse the result. Usage::

    python scripts/crawl_mirror.py [--archive archive.db] [scrapy crawl options...]
"""

import argparse
import json
import sqlite3
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from tests.mirror.server import MirrorServer  # noqa: E402


def mirror_days() -> str:
    """Every day the mirror has a daily sitemap for, English and Urdu, comma-separated."""
    manifest = json.loads((REPO / "tests" / "mirror" / "manifest.json").read_text(encoding="utf-8"))
    return ",".join(sorted({*manifest["sitemap_days"], *manifest["urdu"]["sitemap_days"]}))


def crawl(base_url: str, archive: Path, *args: str) -> int:
    command = [
        sys.executable, "-m", "scrapy", "crawl", "urdupoint",
        "-s", f"OUTLET_BASE_URL={base_url}",
        "-s", f"ARCHIVE_DB={archive}",
        # A mirror on this machine needs no politeness delay.
        "-s", "DOWNLOAD_DELAY=0",
        "-s", "AUTOTHROTTLE_START_DELAY=0",
        *args,
    ]
    return subprocess.run(command, cwd=REPO).returncode


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--archive", default="archive.db", help="archive file to create or update (default: archive.db)")
    args, scrapy_args = parser.parse_known_args()
    archive = Path(args.archive).resolve()
    with MirrorServer(REPO / "tests" / "site") as mirror:
        print(f"Serving the bundled mirror at {mirror.url}\n1. The newest articles (feeds and listings)", flush=True)
        returncode = crawl(mirror.url, archive, *scrapy_args)
        if returncode == 0:
            print("\n2. A backfill of the mirror's days from its daily sitemaps", flush=True)
            returncode = crawl(mirror.url, archive, "-a", f"days={mirror_days()}", *scrapy_args)
    if returncode != 0:
        print(f"The crawl failed (exit {returncode}); see the log above.", file=sys.stderr)
        return returncode
    with sqlite3.connect(archive) as conn:
        articles = conn.execute("select count(*) from articles").fetchone()[0]
        urls = conn.execute("select count(*) from article_urls").fetchone()[0]
    print(f"\n{archive.name}: {articles} articles reachable from {urls} URLs.")
    print("Browse and search it:  make serve   (then open http://127.0.0.1:8001/archive/search)")
    return 0


if __name__ == "__main__":
    sys.exit(main())

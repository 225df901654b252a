"""An extension for tests, made first or last of the crawl's extensions: it writes to the file
``CRAWL_PROBE_FILE`` names, as JSON, what the crawl's process holds at that point (Scrapy imports
each extension as it makes it): the command lines of the processes it has started (``children``;
the workers' fork server is ``python -c 'from multiprocessing.forkserver ...'``) and the names of
the modules it has imported (``modules``)."""

import json
import os
import sys
from pathlib import Path

from crawler import settings
from tests.test_crash_safety import descendants

PROBE = "tests.crawl_probe.CrawlProbe"


class CrawlProbe:
    @classmethod
    def from_crawler(cls, crawler):
        children = []
        for pid in descendants(os.getpid()):
            try:
                children.append(Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace"))
            except OSError:
                continue
        held = {"children": children, "modules": sorted(sys.modules)}
        Path(crawler.settings["CRAWL_PROBE_FILE"]).write_text(json.dumps(held), encoding="utf-8")
        return cls()


def probe_settings(probe_file: Path, first: bool) -> dict[str, str]:
    """The ``-s`` settings of a crawl that runs the probe, first or last of its extensions."""
    order = -1 if first else 1000
    return {"EXTENSIONS": json.dumps({**settings.EXTENSIONS, PROBE: order}), "CRAWL_PROBE_FILE": str(probe_file)}

"""The Redis keys of an outlet's frontier, and this process's name in it.

Every key starts with ``FRONTIER_KEY_PREFIX`` and the spider's (outlet's) name, so that several
outlets, and several archives, can share one Redis: ``news-archive:<outlet>:requests``.
"""

import os
import secrets
import socket
from dataclasses import dataclass

# This process's name among the frontier's processes. The random part tells apart a process
# from an earlier, dead one that had the same process id on the same machine.
PROCESS_NAME = f"{socket.gethostname()}:{os.getpid()}:{secrets.token_hex(4)}"


@dataclass(frozen=True)
class FrontierKeys:
    prefix: str
    spider: str

    def key(self, name: str) -> str:
        return f"{self.prefix}:{self.spider}:{name}"

    @property
    def requests(self) -> str:
        """Sorted set: the requests waiting, scored by their negated priority (scrapy-redis's queue)."""
        return self.key("requests")

    @property
    def dupefilter(self) -> str:
        """Set: the fingerprints of the requests scheduled in this run (feeds, listings, sitemaps)."""
        return self.key("dupefilter")

    @property
    def requested(self) -> str:
        """Set: the article URLs asked for in this run."""
        return self.key("requested")

    @property
    def run(self) -> str:
        """String: the id of the run the processes share."""
        return self.key("run")

    @property
    def processes(self) -> str:
        """Sorted set: the processes of the run, scored by the (Redis) time of their last heartbeat."""
        return self.key("processes")

    def taken(self, process: str = PROCESS_NAME) -> str:
        """Sorted set: the requests ``process`` has taken and not finished, scored as in the queue
        (the scripts of :mod:`crawler.frontier.run` name it the same way)."""
        return self.key(f"taken:{process}")

    def claims(self, process: str = PROCESS_NAME) -> str:
        """Set: the article URLs ``process`` claimed (in ``requested``) whose request it has not queued yet."""
        return self.key(f"claims:{process}")

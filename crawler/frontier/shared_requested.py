"""The article URLs asked for in a frontier run, one Redis set for all its processes
(:class:`crawler.frontier.requested.RequestedUrls` is the interface, and the one-process set).

A URL claimed here is also pending under this process's name until its request is queued
(:mod:`crawler.frontier.queue` clears it in the same step). A process killed in between leaves it
pending: its claims are then withdrawn with its taken requests given back (:mod:`crawler.frontier.run`),
so that the page that listed the URL, fetched again, asks for it again.
"""

import redis

from crawler.frontier.connection import connect, frontier_keys, is_lost, stop_crawl
from crawler.frontier.keys import FrontierKeys
from crawler.frontier.requested import RequestedUrls


# KEYS: requested, this process's claims. ARGV: the URL. Returns 1 when claimed now.
CLAIM = """
if redis.call('SADD', KEYS[1], ARGV[1]) == 0 then return 0 end
redis.call('SADD', KEYS[2], ARGV[1])
return 1
"""


class SharedRequestedUrls(RequestedUrls):
    def __init__(self, crawler, server: redis.Redis, keys: FrontierKeys):
        self.crawler = crawler
        self.keys = [keys.requested, keys.claims()]
        self.script = server.register_script(CLAIM)

    @classmethod
    def for_crawler(cls, crawler) -> "SharedRequestedUrls":
        settings = crawler.settings
        return cls(crawler, connect(settings["FRONTIER_URL"]), frontier_keys(settings, crawler.spidercls.name))

    def claim(self, url: str) -> bool:
        if is_lost(self.crawler):
            return False
        try:
            return self.script(keys=self.keys, args=[url]) == 1
        except redis.RedisError as error:
            stop_crawl(self.crawler, f"the frontier's Redis failed ({error})")
            return False

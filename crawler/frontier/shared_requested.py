"""The article URLs asked for in a frontier run, one Redis set for all its processes
(:class:`crawler.frontier.requested.RequestedUrls` is the interface, and the one-process set)."""

import redis

from crawler.frontier.connection import connect, frontier_keys, is_lost, stop_crawl
from crawler.frontier.requested import RequestedUrls


class SharedRequestedUrls(RequestedUrls):
    def __init__(self, crawler, server: redis.Redis, key: str):
        self.crawler = crawler
        self.server = server
        self.key = key

    @classmethod
    def for_crawler(cls, crawler) -> "SharedRequestedUrls":
        settings = crawler.settings
        return cls(crawler, connect(settings["FRONTIER_URL"]), frontier_keys(settings, crawler.spidercls.name).requested)

    def claim(self, url: str) -> bool:
        if is_lost(self.crawler):
            return False
        try:
            return self.server.sadd(self.key, url) == 1
        except redis.RedisError as error:
            stop_crawl(self.crawler, f"the frontier's Redis failed ({error})")
            return False

"""scrapy-redis's scheduler over the frontier's queue (:class:`~crawler.frontier.queue.TakingQueue`)
and duplicate filter (:class:`~crawler.frontier.dupefilter.FrontierDupeFilter`).

Unlike scrapy-redis's own, it queues a request and records its fingerprint in one step (the queue's
script: a process killed in between would leave a page marked seen that nobody queued), keeps the
queue and the fingerprints when its process closes (the run's other processes still use them;
:mod:`crawler.frontier.run` clears them when the run is over),
counts its stats without the ``spider`` argument that Scrapy 2.19 deprecates (the same
``scheduler/enqueued/redis`` and ``scheduler/dequeued/redis``), and stops the crawl in one line when
Redis fails (:func:`~crawler.frontier.connection.stop_crawl`) rather than raise into the engine.
"""

import redis
from scrapy_redis.scheduler import Scheduler

from crawler.frontier.connection import connect, frontier_keys, is_lost, stop_crawl
from crawler.frontier.dupefilter import FrontierDupeFilter
from crawler.frontier.keys import FrontierKeys
from crawler.frontier.queue import TakingQueue


# Sent once a request a callback gave is in the frontier's queue, or dropped as seen: what
# crawler.frontier.finished waits for before a page counts as finished. Scrapy's request_scheduled
# comes before the queuing, and its callbacks' output is handed on several at a time, so the last
# requests a page gave (a listing's next page) may still wait when its callback has ended.
request_queued = object()


class FrontierScheduler(Scheduler):
    def __init__(self, crawler, server, keys: FrontierKeys, dupefilter: FrontierDupeFilter):
        super().__init__(server, persist=True, queue_key=keys.requests, dupefilter=dupefilter,
                         dupefilter_key=keys.dupefilter)
        self.crawler = crawler
        self.keys = keys
        self.stats = crawler.stats

    @classmethod
    def from_crawler(cls, crawler):
        settings = crawler.settings
        server = connect(settings["FRONTIER_URL"])
        keys = frontier_keys(settings, crawler.spidercls.name)
        dupefilter = FrontierDupeFilter(server, key=keys.dupefilter, debug=settings.getbool("DUPEFILTER_DEBUG"))
        return cls(crawler, server, keys, dupefilter)

    def open(self, spider):
        self.spider = spider
        self.queue = TakingQueue(self.server, spider, self.keys)

    def close(self, reason):
        """Nothing to flush: the run's other processes share the queue and the fingerprints."""

    def enqueue_request(self, request):
        if is_lost(self.crawler):
            return False
        try:
            queued = self.queue.push(request, "" if request.dont_filter else self.df.request_fingerprint(request))
        except redis.RedisError as error:
            self.lost(error)
            return False
        self.crawler.signals.send_catch_log(request_queued, request=request)
        if not queued:  # seen in this run, by this process or another: the health checks count the latter's
            self.stats.inc_value("frontier/already_queued")
            self.df.log(request, self.spider)
            return False
        self.stats.inc_value("scheduler/enqueued/redis")
        return True

    def next_request(self):
        if is_lost(self.crawler):
            return None
        try:
            request = self.queue.pop()
        except redis.RedisError as error:
            self.lost(error)
            return None
        if request is not None:
            self.stats.inc_value("scheduler/dequeued/redis")
        return request

    def has_pending_requests(self):
        if is_lost(self.crawler):
            return False
        try:
            return len(self.queue) > 0
        except redis.RedisError as error:
            self.lost(error)
            return False

    def lost(self, error: redis.RedisError) -> None:
        stop_crawl(self.crawler, f"the frontier's Redis failed ({error})")

"""When a request a process took from the frontier is finished, so that it leaves the process's
taken set (:mod:`crawler.frontier.queue`) and nobody fetches it again.

A page is finished when all its callback gave has been handed on: each of its requests in the
frontier's queue (or dropped there as seen: ``request_queued``), and each of its items through the
item pipelines (``item_scraped``, ``item_dropped`` or ``item_error``). Never earlier: a process killed between its download and the end of its items gives the request back, to
be fetched again, rather than lose an article. A download that failed is finished when the item its
errback gave (the spiders' errbacks give one at most: the page's rejection) is through the pipelines.
A request whose end is not seen here (a failed feed or listing, whose errback gives nothing; a
callback that raised) stays taken until its process is idle, when all it took is done with
(:mod:`crawler.frontier.run`): if the process is killed first it is fetched once more, which costs a
download and loses nothing.
"""

from dataclasses import dataclass

import redis
from scrapy import Request, signals
from scrapy.exceptions import NotConfigured
from twisted.python.failure import Failure

from crawler.frontier.connection import connect, frontier_keys, is_lost, stop_crawl
from crawler.frontier.queue import ENTRY, finish
from crawler.frontier.scheduler import request_queued


@dataclass
class Progress:
    """What is left of one page's output."""

    outputs: int = 0  # requests not yet queued and items not yet out of the item pipelines
    output_done: bool = False  # the callback has given all it gives


class FinishedRequests:
    """Spider middleware, nearest the engine: it sees everything a callback gives."""

    def __init__(self, crawler, server: redis.Redis, taken: str):
        self.crawler = crawler
        self.server = server
        self.taken = taken
        self.pages: dict = {}  # response -> Progress
        self.page_of: dict = {}  # request given by a callback, not queued yet -> the response it came from

    @classmethod
    def from_crawler(cls, crawler):
        settings = crawler.settings
        if not settings.get("FRONTIER_URL"):
            raise NotConfigured
        middleware = cls(crawler, connect(settings["FRONTIER_URL"]), frontier_keys(settings, crawler.spidercls.name).taken())
        for signal in (signals.item_scraped, signals.item_dropped, signals.item_error):
            crawler.signals.connect(middleware.item_done, signal=signal)
        crawler.signals.connect(middleware.request_done, signal=request_queued)
        return middleware

    async def process_spider_output(self, response, result):
        progress = self.pages.setdefault(response, Progress())
        try:
            async for output in result:
                if isinstance(output, Request):
                    output.meta.pop(ENTRY, None)  # a new request, not the one this page was taken as
                    self.page_of[output] = response
                if output is not None:
                    progress.outputs += 1
                yield output
        finally:
            progress.output_done = True
            self.settle(response)

    def item_done(self, response, **kwargs) -> None:
        if isinstance(response, Failure):  # the item of a failed download's errback
            self.finish(response.request)
            return
        self.output_done(response)

    def request_done(self, request) -> None:
        response = self.page_of.pop(request, None)
        if response is not None:
            self.output_done(response)

    def output_done(self, response) -> None:
        progress = self.pages.get(response)
        if progress is not None:
            progress.outputs -= 1
            self.settle(response)

    def settle(self, response) -> None:
        progress = self.pages[response]
        if progress.output_done and progress.outputs == 0:
            del self.pages[response]
            self.finish(response.request)

    def finish(self, request) -> None:
        if is_lost(self.crawler):
            return
        try:
            finish(self.server, self.taken, request)
        except redis.RedisError as error:
            stop_crawl(self.crawler, f"the frontier's Redis failed ({error})")

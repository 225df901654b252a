"""The Scrapy add-on that puts a crawl on the shared frontier when ``FRONTIER_URL`` is set.

It swaps in the frontier's scheduler (whose duplicate filter is the frontier's, whatever
``DUPEFILTER_CLASS`` says) and adds the run's extension and the spider middleware that sees
requests finished. Without ``FRONTIER_URL`` it is off, and nothing of the frontier, nor redis,
is imported.
"""

from scrapy.exceptions import NotConfigured

SCHEDULER = "crawler.frontier.scheduler.FrontierScheduler"
RUN_EXTENSION = "crawler.frontier.run.FrontierRun"
# Nearest the engine (Scrapy's own spider middlewares start at 25), so that it sees all a callback gives.
FINISHED_MIDDLEWARE = ("crawler.frontier.finished.FinishedRequests", 10)


class Frontier:
    @classmethod
    def from_crawler(cls, crawler):
        if not crawler.settings.get("FRONTIER_URL"):
            raise NotConfigured
        return cls()

    def update_settings(self, settings) -> None:
        settings.set("SCHEDULER", SCHEDULER, priority="addon")
        settings["EXTENSIONS"][RUN_EXTENSION] = 0
        path, order = FINISHED_MIDDLEWARE
        settings["SPIDER_MIDDLEWARES"][path] = order

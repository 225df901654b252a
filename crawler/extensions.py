"""StatsFile: writes the final crawl stats as JSON, for cron jobs, monitoring and tests."""

import json
import logging
from pathlib import Path

from scrapy import signals
from scrapy.exceptions import NotConfigured

logger = logging.getLogger(__name__)


class StatsFile:
    def __init__(self, crawler, path: str):
        self.crawler = crawler
        self.path = Path(path)

    @classmethod
    def from_crawler(cls, crawler):
        path = crawler.settings.get("STATS_FILE")
        if not path:
            raise NotConfigured
        extension = cls(crawler, path)
        crawler.signals.connect(extension.spider_closed, signal=signals.spider_closed)
        return extension

    def spider_closed(self, spider, reason):
        stats = dict(self.crawler.stats.get_stats(), finish_reason=reason)
        self.path.write_text(json.dumps(stats, default=str, indent=2, sort_keys=True), encoding="utf-8")
        logger.info("Crawl stats written to %(path)s", {"path": self.path})

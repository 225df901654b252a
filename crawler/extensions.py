"""Extensions that report on a crawl.

* :class:`RunHistory` records every run in the archive's ``crawl_runs`` table and
  runs the health checks (:mod:`crawler.health`) at its end;
* :class:`StatsFile` writes the final crawl stats as JSON, for cron jobs,
  monitoring and tests.
"""

import json
import logging
import sqlite3
from dataclasses import replace
from datetime import datetime, timezone
from pathlib import Path

from scrapy import signals
from scrapy.exceptions import NotConfigured

from crawler.frontier.stream import FrontierUnreachable, StreamedRuns
from crawler.health import Thresholds, check_health, total
from pipelines.archive import Archive, utc_now

logger = logging.getLogger(__name__)


class RunHistory:
    def __init__(self, crawler, archive_path: str, thresholds: Thresholds):
        self.crawler = crawler
        self.archive_path = archive_path
        self.thresholds = thresholds
        self.archive = None
        self.run_id = None

    @classmethod
    def from_crawler(cls, crawler):
        extension = cls(crawler, crawler.settings["ARCHIVE_DB"], Thresholds.from_settings(crawler.settings))
        crawler.signals.connect(extension.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(extension.spider_closed, signal=signals.spider_closed)
        return extension

    def spider_opened(self, spider):
        if self.crawler.settings.get("FRONTIER_URL"):  # the run's row is written by scrapy archive-writer
            self.archive = StreamedRuns.of(self.crawler)
        else:
            self.archive = Archive.open(self.archive_path)
        self.run_id = self.archive.start_run(spider.name, getattr(spider, "run_mode", None), utc_now())

    def spider_closed(self, spider, reason):
        stats = self.crawler.stats
        thresholds = self.thresholds
        try:
            newest = self.archive.last_new_article_at()
        except FrontierUnreachable:  # Redis is gone: the run fails for the items it could not send, not for this
            newest, thresholds = None, replace(thresholds, new_articles_window_hours=0)
        failed = check_health(stats.get_stats(), newest, datetime.now(timezone.utc), thresholds)
        for check, explanation in failed.items():
            stats.set_value(f"health/failed/{check}", 1)
            logger.error("Health check %(check)s failed: %(explanation)s", {"check": check, "explanation": explanation})
        stats.set_value("health/failed", len(failed))
        values = stats.get_stats()
        errors = {
            name: count
            for name, count in values.items()
            if name.startswith(("fetch/failed/", "extract/rejected/", "sitemap/failed/", "discovery/failed/",
                                "robotstxt/failed/", "warc/failed/"))
        }
        self.record_run(
            self.run_id,
            {
                "finished_at": utc_now(),
                "finish_reason": reason,
                "pages_fetched": values.get("downloader/response_count", 0),
                "new_articles": values.get("archive/new", 0),
                "updated_articles": values.get("archive/updated", 0),
                "duplicates": values.get("archive/duplicates", 0),
                "skipped": total(values, "archive/skipped_"),
                "errors": json.dumps(errors, sort_keys=True),
                "health": json.dumps(failed, sort_keys=True),
                "stats": json.dumps(values, default=str, sort_keys=True),
            },
        )
        self.archive.close()

    def record_run(self, run_id: int, fields: dict) -> None:
        """Write the run's row; a failure (the archive's disk is full) is one line and fails the run."""
        try:
            self.archive.finish_run(run_id, fields)
        except FrontierUnreachable as error:  # the run already failed, and said why
            logger.warning("This run is not recorded in crawl_runs: %(error)s", {"error": error})
        except sqlite3.Error as error:
            stats = self.crawler.stats
            stats.set_value("health/failed/run_not_recorded", 1)
            stats.inc_value("health/failed")
            logger.error("Could not record this run in crawl_runs: %(error)s", {"error": error})


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

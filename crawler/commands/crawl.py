"""``scrapy crawl``: Scrapy's own command, with what an unattended archive crawl needs.

* One crawl writes to an archive at a time. The command holds the archive's lock
  (:mod:`crawler.lock`) for the whole run; a crawl started while another is
  still going exits at once with status 75 (``EX_TEMPFAIL``) and one line saying
  who holds the lock. Safe to run from cron every 15 minutes.
* A crawl whose health checks (:mod:`crawler.health`, run by
  :class:`crawler.extensions.RunHistory`) failed
  exits with status 1, so that cron mails the owner.
"""

from scrapy.commands.crawl import Command as ScrapyCrawlCommand

from crawler.commands import holding_archive_lock


class Command(ScrapyCrawlCommand):
    crawler = None

    def long_desc(self) -> str:
        return (
            "Run a spider into the archive (setting ARCHIVE_DB). Exits with status 75 at once if another "
            "crawl is writing to the same archive, and with status 1 if the run's health checks fail. "
            "Example: scrapy crawl urdupoint -a since=2023-03-01 -a until=2023-03-31"
        )

    def _create_crawler(self, spidercls):
        self.crawler = super()._create_crawler(spidercls)
        return self.crawler

    def run(self, args, opts) -> None:
        crawl = super().run
        holding_archive_lock(self, self.settings["ARCHIVE_DB"], lambda: crawl(args, opts))
        if self.exitcode == 0 and self.crawler is not None and self.crawler.stats.get_value("health/failed"):
            self.exitcode = 1

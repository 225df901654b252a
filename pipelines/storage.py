"""StoragePipeline: writes each article to the archive in one transaction.

* a new article becomes a row in ``articles`` with all its URLs in ``article_urls``;
* a page that already is an archived article adds its URLs to it (and refreshes it
  if the text changed);
* a page whose body repeats an archived article is linked to it as a duplicate;
* a rejected page is recorded in ``rejected_urls`` with its reason, then dropped.
"""

import logging

from scrapy.exceptions import DropItem

from crawler.items import ArticleItem, RejectedPage
from pipelines.archive import Archive, utc_now

logger = logging.getLogger(__name__)

# Rejections that will not change by asking again: such URLs are not fetched on later runs.
PERMANENT_REJECTIONS = frozenset({"http_404", "http_410", "not_article", "not_text", "binary"})


class StoragePipeline:
    def __init__(self, archive_path: str, stats):
        self.archive_path = archive_path
        self.stats = stats
        self.archive = None

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler.settings["ARCHIVE_DB"], crawler.stats)

    def open_spider(self):
        self.archive = Archive.open(self.archive_path)

    def close_spider(self):
        self.archive.close()

    def process_item(self, item):
        now = utc_now()
        if isinstance(item, RejectedPage):
            self.archive.reject(item.url, item.reason, item.status, item.reason in PERMANENT_REJECTIONS, now)
            self.stats.inc_value(f"archive/rejected/{item.reason}")
            raise DropItem(f"not archived ({item.reason}): {item.url}", log_level="INFO")
        if not isinstance(item, ArticleItem):
            return item
        urls = item.urls
        if item.article_id is not None:
            if self.archive.content_hash_of(item.article_id) == item.content_hash:
                self.archive.link_urls(item.article_id, urls, "alias", now)
                self.stats.inc_value("archive/unchanged")
            else:
                self.archive.update_article(item.article_id, item, urls, now)
                self.stats.inc_value("archive/updated")
        elif item.duplicate_of is not None:
            self.archive.link_urls(item.duplicate_of, urls, "duplicate", now)
            self.stats.inc_value("archive/duplicates")
            logger.info("%(url)s repeats article %(id)d: linked", {"url": item.fetched_url, "id": item.duplicate_of})
        else:
            item.article_id = self.archive.add_article(item, urls, now)
            self.stats.inc_value("archive/new")
        return item

"""StoragePipeline: writes each article to the archive, all of it or nothing.

* a new article becomes a row in ``articles`` with all its URLs in ``article_urls``;
* a page that already is an archived article adds its URLs to it; when its title or
  text changed, it becomes the article's new version and the one it replaces is kept
  in ``article_versions`` (an unchanged page adds no version);
* a page whose body repeats an archived article of its outlet, exactly or nearly, is linked
  to it as a duplicate, its own title, text and differences kept in ``duplicates``; when the
  page was published before that article (:func:`pipelines.dedup.is_earlier_copy`), it
  takes the article's place and the article's page becomes its duplicate instead;
* a page whose body repeats other outlets' articles is an article (or a duplicate) of its own
  outlet all the same, in their story (:mod:`pipelines.stories`);
* a re-visit answered 304 marks the article seen; one answered 404 or 410 marks it
  gone (it stays in the archive);
* a rejected page is recorded in ``rejected_urls`` with its reason, then dropped.
"""

import logging
from types import SimpleNamespace

from scrapy.exceptions import DropItem, NotConfigured

from pipelines.items import ArticleGone, ArticleItem, ArticleNotModified, RejectedPage
from pipelines.archive import CrawlArchive, utc_now
from pipelines.dedup import is_earlier_copy

logger = logging.getLogger(__name__)

# Rejections that will not change by asking again: such URLs are not fetched on later runs.
PERMANENT_REJECTIONS = frozenset({"http_404", "http_410", "not_article", "not_text", "binary"})


def folded(text: str | None) -> str:
    return " ".join((text or "").split())


def is_same_version(current: dict, item: ArticleItem) -> bool:
    """Whether a fetch shows the article's current title and text (white space aside)."""
    return folded(current["title"]) == folded(item.title) and folded(current["text"]) == folded(item.text)


class StoragePipeline:
    def __init__(self, crawler):
        self.crawler = crawler
        self.stats = crawler.stats
        self.archive = None

    @classmethod
    def from_crawler(cls, crawler):
        if crawler.settings.get("FRONTIER_URL"):
            raise NotConfigured  # a crawl process sharing a frontier sends its items to scrapy archive-writer, which stores
        return cls(crawler)

    @classmethod
    def on_archive(cls, archive, stats, settings):
        """The pipeline outside a crawl (scrapy archive-writer, scrapy reextract): on ``archive``, counting in
        ``stats``; no spider runs."""
        pipeline = cls(SimpleNamespace(spider=None, stats=stats, settings=settings))
        pipeline.archive = archive
        return pipeline

    def open_spider(self):
        self.archive = CrawlArchive.acquire(self.crawler)

    def close_spider(self):
        CrawlArchive.release(self.crawler)

    def process_item(self, item):
        now = utc_now()
        if isinstance(item, RejectedPage):
            self.archive.reject(item.url, item.reason, item.status, item.reason in PERMANENT_REJECTIONS, now, item.extractor_version)
            self.stats.inc_value(f"archive/rejected/{item.reason}")
            raise DropItem(f"not archived ({item.reason}): {item.url}", log_level="INFO")
        if isinstance(item, ArticleNotModified):
            self.archive.mark_not_modified(item.url, now)
            return item
        if isinstance(item, ArticleGone):
            self.archive.mark_gone(item.url, now)
            logger.info("%(url)s is gone (HTTP %(status)d): kept, marked gone", {"url": item.url, "status": item.status})
            return item
        if not isinstance(item, ArticleItem):
            return item
        urls = item.urls
        if item.article_id is not None:
            if is_same_version(self.archive.current_version(item.article_id), item):
                self.archive.refresh(item.article_id, item, urls, now)
                self.stats.inc_value("archive/unchanged")
            else:
                version = self.archive.add_version(item.article_id, item, urls, now)
                self.stats.inc_value("archive/updated")
                logger.info("%(url)s changed: version %(version)d of article %(id)d",
                            {"url": item.fetched_url, "version": version, "id": item.article_id})
        elif item.duplicate_of is not None:
            self.store_copy(item, urls, now)
        else:
            item.article_id = self.archive.add_article(item, urls, now)
            self.stats.inc_value("archive/new")
            if item.same_story:
                self.stats.inc_value("archive/joined_story")
                logger.info("%(url)s repeats articles %(ids)s of other outlets: archived, in their story",
                            {"url": item.fetched_url, "ids": list(item.same_story)})
        return item

    def store_copy(self, item: ArticleItem, urls: list[str], now: str) -> None:
        """A page repeating an archived article: linked to it, or put in its place when published before it."""
        similarity = item.similarity or 1.0
        article = self.archive.current_version(item.duplicate_of)
        self.stats.inc_value("archive/duplicates")
        if is_earlier_copy(item, article):
            self.archive.put_in_place_of(item.duplicate_of, item, urls, similarity, now)
            self.stats.inc_value("archive/replaced_by_earlier_copy")
            logger.info("%(url)s repeats article %(id)d (similarity %(similarity).2f) and was published first: it is "
                        "the article now, and %(article)s its duplicate",
                        {"url": item.fetched_url, "id": item.duplicate_of, "similarity": similarity,
                         "article": article["url"]})
        else:
            self.archive.add_duplicate(item.duplicate_of, item, urls, similarity, now)
            logger.info("%(url)s repeats article %(id)d (similarity %(similarity).2f): linked",
                        {"url": item.fetched_url, "id": item.duplicate_of, "similarity": similarity})

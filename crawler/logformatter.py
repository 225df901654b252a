"""Scrapy's log lines, naming an item by its kind and URL instead of printing it whole.

An item is the page it came from, raw HTML included: Scrapy's own formatter printed
each rejected page as 14,000 characters on one line (and, at DEBUG, every archived
one). A dropped item's line is the storage pipeline's ``DropItem`` message, which
already says why and which URL (``not archived (empty_body): https://...``).

A line below the crawl's ``LOG_LEVEL`` is not made at all: Scrapy makes its two DEBUG lines of
every page (crawled, scraped) and only its log handler drops them: 1.5% of what the crawl's
process does with a page.
"""

import logging

from scrapy.logformatter import LogFormatter


def named(item) -> str:
    """``ArticleItem https://...``: the item's kind and URL, as a log line names it."""
    url = getattr(item, "url", None)
    return f"{type(item).__name__} {url}" if url else type(item).__name__


def level_number(level) -> int:
    """``LOG_LEVEL`` as a number: ``"INFO"`` and ``20`` are 20; what is neither, ``NOTSET`` (every line)."""
    number = level if isinstance(level, int) else logging.getLevelName(str(level).upper())
    return number if isinstance(number, int) else logging.NOTSET


class ArchiveLogFormatter(LogFormatter):
    def __init__(self, level: int = logging.NOTSET):
        self.level = level  # the least level of a line the crawl logs

    @classmethod
    def from_crawler(cls, crawler):
        return cls(level_number(crawler.settings.get("LOG_LEVEL")))

    def crawled(self, request, response, spider):
        return super().crawled(request, response, spider) if self.level <= logging.DEBUG else None

    def scraped(self, item, response, spider):
        if self.level > logging.DEBUG:
            return None
        line = super().scraped(item, response, spider)
        return {**line, "args": {**line["args"], "item": named(item)}}

    def dropped(self, item, exception, response, spider):
        line = super().dropped(item, exception, response, spider)
        return {**line, "msg": "Dropped: %(exception)s", "args": {"exception": exception}}

    def item_error(self, item, exception, response, spider):
        line = super().item_error(item, exception, response, spider)
        return {**line, "args": {"item": named(item)}}

"""Scrapy's log lines, naming an item by its kind and URL instead of printing it whole.

An item is the page it came from, raw HTML included: Scrapy's own formatter printed
each rejected page as 14,000 characters on one line (and, at DEBUG, every archived
one). A dropped item's line is the storage pipeline's ``DropItem`` message, which
already says why and which URL (``not archived (empty_body): https://...``).
"""

from scrapy.logformatter import LogFormatter


def named(item) -> str:
    """``ArticleItem https://...``: the item's kind and URL, as a log line names it."""
    url = getattr(item, "url", None)
    return f"{type(item).__name__} {url}" if url else type(item).__name__


class ArchiveLogFormatter(LogFormatter):
    def scraped(self, item, response, spider):
        line = super().scraped(item, response, spider)
        return {**line, "args": {**line["args"], "item": named(item)}}

    def dropped(self, item, exception, response, spider):
        line = super().dropped(item, exception, response, spider)
        return {**line, "msg": "Dropped: %(exception)s", "args": {"exception": exception}}

    def item_error(self, item, exception, response, spider):
        line = super().item_error(item, exception, response, spider)
        return {**line, "args": {"item": named(item)}}

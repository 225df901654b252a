"""Scrapy's log lines, naming a dropped item by its reason and URL instead of printing it whole.

An item is the page it came from, raw HTML included: Scrapy's own formatter printed a
rejected page as 14,000 characters on one line. The storage pipeline's ``DropItem``
message already says why and which URL (``not archived (empty_body): https://...``).
"""

from scrapy.logformatter import LogFormatter


class ArchiveLogFormatter(LogFormatter):
    def dropped(self, item, exception, response, spider):
        line = super().dropped(item, exception, response, spider)
        return {**line, "msg": "Dropped: %(exception)s", "args": {"exception": exception}}

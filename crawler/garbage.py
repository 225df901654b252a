"""GarbageCollection: fewer, cheaper runs of Python's cycle collector during a crawl.

CPython looks for garbage cycles among its youngest objects every 700 new container
objects, and through the whole heap every hundred such runs. A crawl makes requests,
responses, deferreds and items by the million, nearly all freed at once by reference
counting, and its heap holds everything Scrapy, Twisted, lxml and trafilatura imported:
with the defaults the crawl's process spends a good share of its time in the collector,
half of it walking the whole heap.

When the engine starts, this extension moves what start-up made into the collector's
permanent generation (modules, classes and settings are never garbage) and raises the
youngest generation's threshold to ``GC_THRESHOLD``: most objects are then freed before a
run looks at them. Cycles are still collected, later. Both are undone when the engine stops.
"""

import gc

from scrapy import signals
from scrapy.exceptions import NotConfigured


class GarbageCollection:
    def __init__(self, threshold: int):
        self.threshold = threshold
        self.saved: tuple[int, ...] | None = None

    @classmethod
    def from_crawler(cls, crawler):
        threshold = crawler.settings.getint("GC_THRESHOLD")
        if threshold <= 0:
            raise NotConfigured
        extension = cls(threshold)
        crawler.signals.connect(extension.engine_started, signal=signals.engine_started)
        crawler.signals.connect(extension.engine_stopped, signal=signals.engine_stopped)
        return extension

    def engine_started(self) -> None:
        self.saved = gc.get_threshold()
        gc.freeze()
        gc.set_threshold(self.threshold, *self.saved[1:])

    def engine_stopped(self) -> None:
        if self.saved is not None:
            gc.set_threshold(*self.saved)
            gc.unfreeze()
            self.saved = None

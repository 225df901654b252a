"""The crawl process's end of the items stream: finished items and its run go to the archive writer.

With ``FRONTIER_URL`` set, a crawl process runs the extraction and dateline pipelines as
always, then :class:`StreamPipeline` puts each item on a Redis Stream
(``<FRONTIER_KEY_PREFIX>:archive:items``) instead of deduplicating and storing it: the one
``scrapy archive-writer`` beside the archive does that (:mod:`crawler.frontier.writer`).
:class:`StreamedRuns` sends the run's start and end the same way, for its ``crawl_runs`` row.

An item is on the stream once ``XADD`` returns: Redis keeps it until the writer has stored
it and acknowledged it. A process killed before that loses only the items it had not sent,
whose URLs are not archived, so the next run fetches them again.

When Redis cannot be reached the run stops at once (:func:`crawler.frontier.connection.stop_crawl`:
one ERROR line, exit status 1), and the items it had not sent are counted in
``frontier/items_not_sent``, which fails its health check ``archive_writes_failed``.
"""

import weakref

from scrapy.exceptions import DropItem, NotConfigured

from crawler.frontier.knowledge import archive_knowledge
from crawler.frontier.keys import PROCESS_NAME
from crawler.frontier.messages import encode_item, encode_run
from pipelines.items import ArticleItem
from pipelines.neardup import Signature
from pipelines.workers import WorkerPool


def items_stream_key(prefix: str) -> str:
    return f"{prefix}:archive:items"


class FrontierUnreachable(Exception):
    """The frontier's Redis server cannot be reached."""


class ItemStream:
    """One crawl process's sender of messages to the items stream, shared by its pipeline and run history."""

    _open: "weakref.WeakKeyDictionary[object, ItemStream]" = weakref.WeakKeyDictionary()

    def __init__(self, client, key: str, crawler):
        self.client = client
        self.key = key
        self.crawler = crawler
        self.run = PROCESS_NAME  # the crawl process's run: its row in crawl_runs
        self.failed = False

    @classmethod
    def of(cls, crawler) -> "ItemStream":
        stream = cls._open.get(crawler)
        if stream is None:
            from crawler.frontier.connection import connect  # imports redis: only for a frontier

            settings = crawler.settings
            stream = cls._open[crawler] = cls(connect(settings["FRONTIER_URL"]),
                                              items_stream_key(settings["FRONTIER_KEY_PREFIX"]), crawler)
        return stream

    def send(self, message: bytes) -> bool:
        """Add ``message`` to the stream; False when Redis cannot be reached (the crawl is stopped, with one line)."""
        from redis import RedisError

        from crawler.frontier.connection import stop_crawl

        if self.failed:
            return False
        try:
            self.client.xadd(self.key, {"message": message})
        except RedisError as error:
            self.failed = True
            stop_crawl(self.crawler, f"cannot send items to the archive writer through the frontier's Redis ({error})")
            return False
        return True


class StreamPipeline:
    """Sends each item to the archive writer; on when ``FRONTIER_URL`` is set (the dedup and storage pipelines are then off)."""

    def __init__(self, crawler):
        self.crawler = crawler
        self.stream = ItemStream.of(crawler)
        self.workers = WorkerPool.inline()

    @classmethod
    def from_crawler(cls, crawler):
        if not crawler.settings.get("FRONTIER_URL"):
            raise NotConfigured
        return cls(crawler)

    def open_spider(self):
        self.workers = WorkerPool.of(self.crawler)

    async def process_item(self, item):
        if isinstance(item, ArticleItem) and (item.signed is None or item.signed[0] != item.text):
            # The dateline pipeline cut the text the signature was computed with: sign what is stored.
            item.signed = (item.text, await self.workers.run(Signature.of, item.text))
        if self.stream.send(encode_item(item, self.stream.run)):
            self.crawler.stats.inc_value("frontier/items_sent")
            return item
        self.crawler.stats.inc_value("frontier/items_not_sent")
        raise DropItem(f"not sent to the archive writer (Redis unreachable): {getattr(item, 'url', '')}", log_level="DEBUG")


class StreamedRuns:
    """What :class:`crawler.extensions.RunHistory` asks of the archive, for a crawl process in a shared frontier:
    the run's row is written by the archive writer from the run's start and end sent on the stream."""

    def __init__(self, stream: ItemStream, knowledge):
        self.stream = stream
        self.knowledge = knowledge  # crawler.frontier.knowledge.FrontierKnowledge: what the writer published

    @classmethod
    def of(cls, crawler) -> "StreamedRuns":
        return cls(ItemStream.of(crawler), archive_knowledge(crawler))

    def start_run(self, spider: str, mode: str | None, now: str) -> str:
        self.stream.send(encode_run("run_started", self.stream.run, {"spider": spider, "mode": mode, "started_at": now}))
        return self.stream.run

    def finish_run(self, run: str, fields: dict) -> None:
        if not self.stream.send(encode_run("run_finished", run, fields)):
            raise FrontierUnreachable("the run's end could not be sent to the archive writer")

    def last_new_article_at(self) -> str | None:
        from redis import RedisError

        try:
            return self.knowledge.last_new_article_at()
        except RedisError as error:
            raise FrontierUnreachable(f"cannot read what the archive writer published: {error}") from None

    def close(self) -> None:
        self.knowledge.close()

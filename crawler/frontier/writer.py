"""The archive writer: stores what crawl processes sharing a frontier put on the items stream.

One writer per archive (it holds the archive's lock, as a crawl does) reads the items stream
(:mod:`crawler.frontier.stream`) as the one consumer of a consumer group, and runs each item
through the dedup and storage pipelines exactly as a crawl of one process does. It stores a
batch of entries in one transaction, records the last entry's id in that same transaction
(``stream_positions``), commits, publishes what changed for the spiders
(:mod:`crawler.frontier.knowledge`), then acknowledges and deletes the entries. So:

* killed before the commit, it has stored nothing of the batch, and the next writer reads the
  entries again from the group's pending list;
* killed after the commit and before the acknowledgement, the next writer meets entries at or
  before the recorded position, and acknowledges them without storing them twice.

The entries of one stream are delivered in order, so the last position is enough to know them.
A crawl process's ``run_started`` and ``run_finished`` messages become its ``crawl_runs`` row,
with the counts of what the writer stored of its items; the writer has a row of its own.
"""

import logging
import sqlite3
from dataclasses import dataclass, field

import redis
from scrapy.exceptions import DropItem

from crawler.frontier.knowledge import KnowledgePublisher
from crawler.frontier.messages import MalformedMessage, decode
from pipelines.archive import Archive, utc_now
from pipelines.dedup import DedupPipeline
from pipelines.items import ArticleGone, ArticleItem, ArticleNotModified
from pipelines.storage import StoragePipeline

logger = logging.getLogger(__name__)

GROUP = "archive-writer"  # the items stream's consumer group, and its one consumer
STORED_COUNTS = ("archive/new", "archive/updated", "archive/duplicates")  # counted on the sending run's row


class Counts(dict):
    """The writer's stats, as the pipelines keep them (``inc_value``), without a crawler."""

    def inc_value(self, key: str, count: int = 1, start: int = 0) -> None:
        self[key] = self.get(key, start) + count

    def set_value(self, key: str, value) -> None:
        self[key] = value

    def get_value(self, key: str, default=None):
        return self.get(key, default)

    def get_stats(self) -> dict:
        return dict(self)


def entry_order(entry_id: str) -> tuple[int, int]:
    """A stream entry id (``1700000000000-3``) as numbers that sort as the stream does."""
    milliseconds, sequence = entry_id.split("-")
    return int(milliseconds), int(sequence)


class WriterStopped(Exception):
    """The writer cannot go on (Redis lost its stream, a commit failed): one line, exit status 1."""


@dataclass
class Batch:
    """What one transaction stored, for the knowledge published after its commit."""

    ids: list[str] = field(default_factory=list)
    urls: set[str] = field(default_factory=set)
    article_ids: set[int] = field(default_factory=set)
    runs: bool = False


class ArchiveWriter:
    def __init__(self, archive: Archive, client: redis.Redis, stream: str, settings, stats: Counts, batch_size: int,
                 prefix: str):
        self.archive = archive
        self.client = client
        self.stream = stream
        self.batch_size = batch_size
        self.stats = stats
        self.publisher = KnowledgePublisher(client, prefix, archive)
        self.dedup = DedupPipeline.on_archive(archive, stats, settings)
        self.storage = StoragePipeline.on_archive(archive, stats, settings)
        self.stopping = False

    def start(self) -> None:
        """Make the stream's consumer group (reading from the stream's start), and publish the archive."""
        try:
            self.client.xgroup_create(self.stream, GROUP, id="0", mkstream=True)
        except redis.ResponseError as error:
            if "BUSYGROUP" not in str(error):
                raise
        self.publisher.publish_all()
        logger.info("Published the archive's state for the spiders; reading %(stream)s", {"stream": self.stream})

    async def run(self, idle_exit: float | None) -> None:
        """Store entries until asked to stop, or (``idle_exit`` seconds) until none came for that long.
        The entries this writer's group delivered before and never acknowledged come first."""
        pending = True
        idle = 0.0
        while not self.stopping:
            block_ms = None if pending else 1000
            entries = self._read("0" if pending else ">", block_ms)
            if pending and not entries:
                pending = False
                continue
            if not entries:
                idle += 1
                if idle_exit is not None and idle >= idle_exit:
                    logger.info("No entry for %(seconds)g s: stopping", {"seconds": idle_exit})
                    return
                continue
            idle = 0.0
            await self.store(entries)

    def _read(self, position: str, block_ms: int | None) -> list[tuple[str, dict]]:
        try:
            answer = self.client.xreadgroup(GROUP, GROUP, {self.stream: position}, count=self.batch_size, block=block_ms)
        except redis.ResponseError as error:
            if "NOGROUP" in str(error):
                raise WriterStopped(
                    f"the items stream {self.stream} or its consumer group is gone from Redis (restarted without "
                    "persistence?): what it held is lost, and the crawls will fetch those pages again") from None
            raise
        if not answer:
            return []
        return [(entry_id.decode(), values) for entry_id, values in answer[0][1]]

    async def store(self, entries: list[tuple[str, dict]]) -> None:
        """Store ``entries`` in one transaction, then acknowledge them."""
        batch = Batch()
        position = self.archive.stream_position(self.stream)
        for entry_id, values in entries:
            batch.ids.append(entry_id)
            if position is not None and entry_order(entry_id) <= entry_order(position):
                self.stats.inc_value("writer/entries/already_stored")
                continue
            await self.store_entry(entry_id, values.get(b"message"), batch)
            self.archive.record_stream_position(self.stream, entry_id, utc_now())
        try:
            self.archive.commit()
        except sqlite3.Error as error:  # the disk is full, or the file went away
            self.archive.db.conn.rollback()
            self.stats.inc_value("archive/commit_failed")
            raise WriterStopped(f"could not commit to the archive: {error}; the entries stay on the stream") from None
        self.publisher.publish_changes(batch.urls, batch.article_ids, batch.runs)
        pipe = self.client.pipeline()
        pipe.xack(self.stream, GROUP, *batch.ids)
        pipe.xdel(self.stream, *batch.ids)
        pipe.execute()
        self.stats.inc_value("writer/entries", len(batch.ids))

    async def store_entry(self, entry_id: str, data: bytes | None, batch: Batch) -> None:
        try:
            message = decode(data or b"")
        except MalformedMessage as error:
            self.stats.inc_value("writer/entries/malformed")
            logger.warning("Stream entry %(id)s skipped: not a message of this archive's crawls (%(error)s)",
                           {"id": entry_id, "error": error})
            return
        kind, run = message["kind"], message["run"]
        if kind == "run_started":
            self.archive.start_process_run(run, message["fields"])
            return
        if kind == "run_finished":
            self.archive.finish_process_run(run, message["fields"], utc_now())
            batch.runs = True
            return
        item = message["item"]
        before = [self.stats.get(name, 0) for name in STORED_COUNTS]
        try:
            item = await self.dedup.process_item(item)
            self.storage.process_item(item)
        except DropItem:
            pass  # a rejected page: recorded, as a crawl records it
        except (AttributeError, KeyError, TypeError, ValueError) as error:  # a message whose fields do not fit
            self.stats.inc_value("writer/entries/malformed")
            logger.warning("Stream entry %(id)s skipped: its %(kind)s could not be stored (%(error)s)",
                           {"id": entry_id, "kind": kind, "error": error})
            return
        stored = [self.stats.get(name, 0) - count for name, count in zip(STORED_COUNTS, before)]
        if any(stored):
            self.archive.count_for_process_run(run, *stored)
        self.stats.inc_value(f"writer/items/{kind}")
        batch.urls.update(item.urls if isinstance(item, ArticleItem) else [item.url])
        if isinstance(item, ArticleItem):
            batch.article_ids.update(i for i in (item.article_id, item.duplicate_of) if i is not None)
        elif isinstance(item, (ArticleNotModified, ArticleGone)):
            article_id = self.archive.article_id_for_url(item.url)
            if article_id is not None:
                batch.article_ids.add(article_id)

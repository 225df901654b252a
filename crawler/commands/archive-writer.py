"""``scrapy archive-writer``: the one process that stores what crawl processes sharing a frontier send.

With ``FRONTIER_URL`` set, ``scrapy crawl OUTLET`` processes (on this machine or others) put
their finished items on a Redis Stream; this command, run beside the archive, stores them
(:mod:`crawler.frontier.writer`) and publishes what the spiders need to know of the archive
(:mod:`crawler.frontier.knowledge`). It holds the archive's lock like a crawl (exit status 75
when another process holds it), runs until stopped (Ctrl-C or SIGTERM end it after the batch
it is storing) or, with ``--exit-idle SECONDS``, until no entry came for that long. Redis
unreachable, or a commit that fails, stops it with one ``ERROR`` line and exit status 1,
nothing half written: the entries it had not committed stay on the stream for the next writer.
"""

import argparse
import logging
import signal

from scrapy.commands import ScrapyCommand
from scrapy.utils.log import configure_logging

from crawler.commands import CommandError, fail, holding_archive_lock, positional

logger = logging.getLogger(__name__)

WRITER_RUN = "archive-writer"  # the writer's own crawl_runs row names it as its spider


class Command(ScrapyCommand):
    requires_project = True
    requires_crawler_process = False

    def syntax(self) -> str:
        return "[options]"

    def short_desc(self) -> str:
        return "Store what crawl processes sharing a frontier on Redis (FRONTIER_URL) send"

    def long_desc(self) -> str:
        return (
            "Read the items that scrapy crawl processes sharing a frontier (setting FRONTIER_URL) put on "
            "their Redis Stream, deduplicate and store them into the archive (setting ARCHIVE_DB) as a crawl "
            "does, and publish in Redis what the spiders need to know of the archive. Holds the archive's "
            "lock: exits with status 75 at once if another process holds it, with status 1 if Redis cannot "
            "be reached or a commit fails. Runs until Ctrl-C or SIGTERM, or --exit-idle. "
            "Example: scrapy archive-writer -s FRONTIER_URL=redis://127.0.0.1:6379/0 --exit-idle 60"
        )

    def add_options(self, parser: argparse.ArgumentParser) -> None:
        super().add_options(parser)
        parser.add_argument("--exit-idle", metavar="SECONDS",
                            help="stop once no item has arrived for this many seconds (default: run until stopped)")

    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        try:
            if positional(args):
                raise CommandError(f"unexpected argument {positional(args)[0]!r} (see --help)")
            idle = self.idle_seconds(opts.exit_idle)
            if not self.settings.get("FRONTIER_URL"):
                raise CommandError("FRONTIER_URL is not set: name the Redis server the crawls share, "
                                   "e.g. -s FRONTIER_URL=redis://127.0.0.1:6379/0")
            batch = self.settings.getint("FRONTIER_WRITER_BATCH")
            if batch < 1:
                raise CommandError(f"FRONTIER_WRITER_BATCH must be 1 or more, not {batch}")
        except CommandError as error:
            fail(self, error)
            return
        configure_logging(self.settings)
        holding_archive_lock(self, self.settings["ARCHIVE_DB"], lambda: self.write(idle, batch))

    @staticmethod
    def idle_seconds(text: str | None) -> float | None:
        if text is None:
            return None
        try:
            seconds = float(text)
        except ValueError:
            seconds = -1
        if not seconds > 0:
            raise CommandError(f"--exit-idle {text!r} is not a positive number of seconds")
        return seconds

    def write(self, idle: float | None, batch: int) -> None:
        import asyncio
        import sqlite3

        import redis

        from crawler.frontier.connection import connect
        from crawler.frontier.stream import items_stream_key
        from crawler.frontier.writer import ArchiveWriter, Counts, WriterStopped
        from pipelines.archive import Archive, utc_now

        settings = self.settings
        prefix = settings["FRONTIER_KEY_PREFIX"]
        archive = Archive.open(settings["ARCHIVE_DB"], grouped=True)
        stats = Counts()
        run_id = archive.start_run(WRITER_RUN, None, utc_now())
        archive.commit()
        writer = ArchiveWriter(archive, connect(settings["FRONTIER_URL"]), items_stream_key(prefix), settings,
                               stats, batch, prefix)

        def stop(signum, frame):
            logger.info("Stopping after the batch being stored (%(signal)s)", {"signal": signal.Signals(signum).name})
            writer.stopping = True

        signal.signal(signal.SIGINT, stop)
        signal.signal(signal.SIGTERM, stop)
        reason = "finished"
        try:
            writer.start()
            asyncio.run(writer.run(idle))
        except WriterStopped as error:
            logger.error("The archive writer stops: %(error)s", {"error": error})
            reason = "writer_stopped"
        except sqlite3.Error as error:  # the disk is full, or the file went away, while storing
            logger.error("The archive writer stops: cannot write the archive: %(error)s; what it had not committed "
                         "stays on the stream", {"error": error})
            stats.inc_value("archive/commit_failed")
            reason = "writer_stopped"
        except redis.RedisError as error:
            logger.error("The archive writer stops: cannot reach Redis at %(url)s: %(error)s; what it had not "
                         "committed stays on the stream", {"url": settings["FRONTIER_URL"], "error": error})
            reason = "frontier_lost"
        archive.db.conn.rollback()  # a batch not committed: its entries are read again by the next writer
        try:
            self.record(archive, run_id, reason, stats)
        except sqlite3.Error as error:
            logger.error("Could not record the writer's run in crawl_runs: %(error)s", {"error": error})
        logger.info("Archive writer: %(entries)d entries stored or acknowledged, %(new)d new articles",
                    {"entries": stats.get("writer/entries", 0), "new": stats.get("archive/new", 0)})
        if reason != "finished":
            self.exitcode = 1

    @staticmethod
    def record(archive, run_id: int, reason: str, stats: dict) -> None:
        """The writer's own row of crawl_runs, finished."""
        import json

        from pipelines.archive import ARTICLES_LOST, utc_now

        failed = {ARTICLES_LOST: "a commit to the archive failed"} if stats.get("archive/commit_failed") else {}
        archive.finish_run(run_id, {
            "finished_at": utc_now(),
            "finish_reason": reason,
            "new_articles": stats.get("archive/new", 0),
            "updated_articles": stats.get("archive/updated", 0),
            "duplicates": stats.get("archive/duplicates", 0),
            "health": json.dumps(failed, sort_keys=True),
            "stats": json.dumps(stats, sort_keys=True),
        })
        archive.close()

"""``scrapy reextract``: rebuild archived articles from their raw pages with the current extraction code.

Each article's raw page is read back from the WARC files (``crawler/warc.py``; no
network), rebuilt as the :class:`~crawler.items.ArticleItem` the spider gave, and run
through the extraction and dateline pipelines as a crawl would. An article whose
fields come out different is updated: a changed title or text becomes a new version
(:meth:`pipelines.archive.Archive.add_version`), other changes (dateline, published
time, ...) are made in place. The archive's lock is held as by a crawl.
"""

import argparse
import json
import sys
from collections import Counter
from pathlib import Path
from typing import Any, ClassVar

from scrapy.commands import ScrapyCommand

from crawler import queries
from crawler.commands import (
    CommandError,
    add_filter_options,
    fail,
    filters_from,
    holding_archive_lock,
    positional,
)
from crawler.items import ArticleItem
from crawler.warc import Location, read_record, warc_dir

# What re-extraction may change; a change of title or text makes a new version.
EXTRACTED_FIELDS = (
    "language", "title", "summary", "text", "author", "category", "tags", "published_at", "published_at_utc",
    "dateline", "dateline_place", "dateline_agency", "dateline_date", "content_hash",
)


class Counts(Counter):
    """Stats as the pipelines keep them, without a crawler."""

    def inc_value(self, key: str, count: int = 1, start: int = 0) -> None:
        self[key] += count


class Command(ScrapyCommand):
    requires_project = True
    requires_crawler_process = False
    default_settings: ClassVar[dict[str, Any]] = {"LOG_ENABLED": False}

    def syntax(self) -> str:
        return "[options]"

    def short_desc(self) -> str:
        return "Rebuild archived articles from their raw pages with the current extraction code"

    def long_desc(self) -> str:
        return (
            "Read each article's raw page back from the WARC files (setting WARC_DIR; no network), extract it "
            "again with the current code and update the archive (setting ARCHIVE_DB) where the result changed: "
            "a changed title or text becomes a new version, other fields are corrected in place. Prints a "
            "summary. Exits with status 75 at once if a crawl is writing to the archive. "
            "Example: scrapy reextract --since 2023-03-01 --until 2023-03-31"
        )

    def add_options(self, parser: argparse.ArgumentParser) -> None:
        super().add_options(parser)
        add_filter_options(parser, limit_help="re-extract at most N articles, newest first")

    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        try:
            if positional(args):
                raise CommandError(f"unexpected argument {positional(args)[0]!r} (see --help)")
            filters = filters_from(opts)
            path = self.settings["ARCHIVE_DB"]
            if not Path(path).is_file():
                raise CommandError(f"no archive at {path}: crawl first, or name it with -s ARCHIVE_DB=PATH")
            counts = holding_archive_lock(self, path, lambda: self._reextract(path, filters))
            if counts is None:
                return
        except CommandError as error:
            fail(self, error)
            return
        print(
            f"{counts['examined']} examined: {counts['changed']} changed ({counts['versions']} new versions), "
            f"{counts['unchanged']} unchanged, {counts['unreadable']} unreadable, {counts['rejected']} rejected"
        )

    def _reextract(self, path: str, filters: queries.Filters) -> Counter:
        from scrapy.spiderloader import get_spider_loader
        from tqdm import tqdm

        from pipelines.archive import Archive

        archive = Archive.open(path)
        try:
            sql, params = queries.select("a.id", filters, queries.NEWEST_FIRST)
            ids = [row[0] for row in archive.db.execute(sql, params).fetchall()]
            directory = warc_dir(self.settings)
            loader = get_spider_loader(self.settings)
            rebuild = Rebuilder(archive, directory, loader)
            counts = Counter()
            for article_id in tqdm(ids, unit="article", file=sys.stderr, disable=not sys.stderr.isatty()):
                counts["examined"] += 1
                counts.update(rebuild.article(article_id))
            return counts
        finally:
            archive.close()


class Rebuilder:
    """Re-extracts articles of one archive from the raw pages in one WARC directory."""

    def __init__(self, archive, directory: Path, spider_loader):
        # Imported here, not at the top: Scrapy imports every command on every start.
        from pipelines.dateline import DatelinePipeline
        from pipelines.extract import ExtractPipeline

        self.archive = archive
        self.directory = directory
        self.spider_loader = spider_loader
        self.spiders = {}
        self.stats = Counts()
        self.extract = ExtractPipeline(self.stats)
        self.default_hints = self.extract.hints
        self.dateline = DatelinePipeline(self.stats)

    def spider(self, outlet: str):
        """An instance of the outlet's spider, for its extraction hints (it fetches nothing)."""
        if outlet not in self.spiders:
            try:
                self.spiders[outlet] = self.spider_loader.load(outlet)()
            except KeyError:
                self.spiders[outlet] = None
        return self.spiders[outlet]

    def article(self, article_id: int) -> list[str]:
        """Re-extract one article; what happened, as counter keys."""
        from pipelines.archive import utc_now
        from pipelines.dedup import content_hash
        from pipelines.storage import is_same_version

        row = dict(zip(
            [d[0] for d in self.archive.db.execute("select * from articles limit 0").description],
            self.archive.db.execute("select * from articles where id = ?", [article_id]).fetchone(),
        ))
        if not row.get("warc_file"):
            return ["unreadable"]
        try:
            record = read_record(self.directory, Location(row["warc_file"], row["warc_offset"], row["warc_length"]))
            encoding = getattr(record.page(), "encoding", None)
        except (OSError, ValueError, EOFError):
            return ["unreadable"]
        spider = self.spider(row["outlet"])
        # The pipeline asks its crawler's spider for the page's hints (page_hints_for): no crawler runs here.
        self.extract.crawler = type("Crawler", (), {"spider": spider})
        self.extract.hints = getattr(spider, "page_hints", None) or self.default_hints
        item = ArticleItem(
            url=row["url"], fetched_url=record.url, body=record.content, encoding=encoding, fetched_at=utc_now(),
            outlet=row["outlet"], etag=record.header("ETag"), last_modified=record.header("Last-Modified"),
            language=spider.edition_of(row["url"]) if hasattr(spider, "edition_of") else None,
            warc_file=row["warc_file"], warc_offset=row["warc_offset"], warc_length=row["warc_length"],
        )
        result = self.dateline.process_item(self.extract.extract_item(item))
        if not isinstance(result, ArticleItem):
            return ["rejected"]
        item.content_hash = content_hash(item.text)
        new = {name: json.dumps(item.tags, ensure_ascii=False) if name == "tags" else getattr(item, name)
               for name in EXTRACTED_FIELDS}
        if all(new[name] == row[name] for name in EXTRACTED_FIELDS):
            return ["unchanged"]
        if not is_same_version(row, item):
            self.archive.add_version(article_id, item, [], utc_now())
            return ["changed", "versions"]
        self.archive.update_fields(article_id, {name: value for name, value in new.items() if value != row[name]})
        return ["changed"]

"""``scrapy reextract``: rebuild archived articles from their raw pages with the current extraction code.

Each article's raw page is read back from the WARC files (``crawler/warc.py``; no
network), rebuilt as the :class:`~pipelines.items.ArticleItem` the spider gave, and run
through the extraction and dateline pipelines as a crawl would. An article whose
fields come out different is updated: a changed title or text becomes a new version
(:meth:`pipelines.archive.Archive.add_version`), other changes (dateline, published
time, ...) are made in place. The archive's lock is held as by a crawl.

Pages the extraction rejected (``rejected_urls`` with a reason of
:data:`EXTRACTION_VERDICTS`) are judged again from the last response recorded for
their URL, found by scanning the WARC files as a replay does (the rejection keeps no
location, and older archives must be re-judged too): one that is an article now goes
through the dedup and storage pipelines as in a crawl, which removes its rejection.

Reading and extracting run in the worker processes a crawl uses
(:class:`pipelines.workers.WorkerPool`, ``ARCHIVE_WORKER_PROCESSES``); the results are
applied to the archive in this process, in the order the pages were sent, so that they
are the same with any number of workers.
"""

import argparse
import asyncio
import itertools
import json
import sys
from collections import Counter, deque
from dataclasses import dataclass
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
from pipelines.items import ArticleItem
from crawler.warc import Location, TooLarge, read_record, scan, warc_dir

# What re-extraction may change; a change of title or text makes a new version.
EXTRACTED_FIELDS = (
    "language", "title", "summary", "text", "author", "category", "tags", "published_at", "published_at_utc",
    "dateline", "dateline_place", "dateline_agency", "dateline_date", "place", "place_latitude", "place_longitude",
    "content_hash",
)
# Rejections that are the extraction's judgement of a page, which newer code may judge otherwise.
EXTRACTION_VERDICTS = ("not_article", "no_title", "empty_body", "malformed_html", "extraction_error")
# What the workers' fork server imports: extract_page needs no MinHash, so pipelines.neardup is imported by
# a worker only when a re-judged page needs its signature.
WORKER_PRELOAD = ["pipelines.extract", "pipelines.body", "crawler.commands.reextract"]
JOBS_AHEAD = 8  # pages sent a worker ahead of the one being applied: as many as it holds (JOBS_PER_WORKER), twice


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
            "a changed title or text becomes a new version, other fields are corrected in place. Without "
            "--since, --until or --limit, pages rejected by the extraction (not_article, no_title, ...) are "
            "judged again too, and those that are articles now are archived. Runs in the worker processes "
            "of setting ARCHIVE_WORKER_PROCESSES. Prints a summary. Exits with status 75 at once if a crawl "
            "is writing to the archive. Example: scrapy reextract --since 2023-03-01 --until 2023-03-31"
        )

    def add_options(self, parser: argparse.ArgumentParser) -> None:
        super().add_options(parser)
        add_filter_options(parser, limit_help="re-extract at most N articles, newest first")

    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        from pipelines.workers import WorkerPool

        try:
            if positional(args):
                raise CommandError(f"unexpected argument {positional(args)[0]!r} (see --help)")
            filters = filters_from(opts, self.settings)
            path = self.settings["ARCHIVE_DB"]
            if not Path(path).is_file():
                raise CommandError(f"no archive at {path}: crawl first, or name it with -s ARCHIVE_DB=PATH")
            try:
                pool = WorkerPool.from_settings(self.settings, preload=WORKER_PRELOAD)
            except ValueError as error:
                raise CommandError(str(error)) from None
            counts = holding_archive_lock(self, path, lambda: asyncio.run(self._reextract(path, filters, pool)))
            if counts is None:
                return
        except CommandError as error:
            fail(self, error)
            return
        print(
            f"{counts['examined']} examined: {counts['changed']} changed ({counts['versions']} new versions), "
            f"{counts['unchanged']} unchanged, {counts['unreadable']} unreadable, {counts['too_large']} too large, "
            f"{counts['rejected']} rejected; {counts['rejudged']} rejected pages re-judged: "
            f"{counts['now_articles']} now articles"
        )

    async def _reextract(self, path: str, filters: queries.Filters, pool) -> Counter:
        from tqdm import tqdm

        from pipelines.archive import Archive

        pool.start()  # the workers' fork server imports the extraction while this process gets ready
        try:
            archive = Archive.open(path)
            try:
                sql, params = queries.select("a.id", filters, queries.NEWEST_FIRST)
                ids = [row[0] for row in archive.db.execute(sql, params).fetchall()]
                rebuild = Rebuilder(archive, warc_dir(self.settings), self.settings, pool)
                judged_again = not (filters.since or filters.until or filters.limit)  # rejected pages have no day
                rejected = rebuild.rejected_pages(filters.outlet) if judged_again else []
                with tqdm(total=len(ids) + len(rejected), unit="page", file=sys.stderr,
                          disable=not sys.stderr.isatty()) as progress:
                    jobs = itertools.chain(map(rebuild.article_job, ids), rejected)  # each article's row read when sent
                    return await rebuild.run(jobs, progress.update)
            finally:
                archive.close()
        finally:
            pool.close()


@dataclass
class Job:
    """A page to read again: an archived article's (``row``), or a rejected page's (``row`` None)."""

    url: str
    outlet: str
    location: Location | None
    row: dict | None = None


@dataclass
class Reading:
    """What a worker made of a raw page: the response's details and the extraction, or the ``problem``."""

    problem: str | None = None  # "unreadable" or "too_large"
    fetched_url: str | None = None
    encoding: str | None = None
    etag: str | None = None
    last_modified: str | None = None
    extraction: Any = None  # pipelines.extract.Extraction


def read_and_extract(extract, directory: Path, location: Location, max_size: int, url: str, language: str | None,
                     hints) -> Reading:
    """In a worker process: the raw page at ``location``, extracted by ``extract`` (``pipelines.extract``'s
    ``extract_page``, or ``extract_and_sign`` for a page that may become a new article)."""
    from pipelines.extract import Page

    try:
        record = read_record(directory, location, max_size)
        encoding = getattr(record.page(), "encoding", None)
    except TooLarge:
        return Reading("too_large")
    except (OSError, ValueError, EOFError):
        return Reading("unreadable")
    extraction = extract(Page(url, record.url, record.content, encoding, language), hints)
    return Reading(None, record.url, encoding, record.header("ETag"), record.header("Last-Modified"), extraction)


class Rebuilder:
    """Re-extracts articles, and re-judges rejected pages, of one archive from the raw pages in one WARC directory."""

    def __init__(self, archive, directory: Path, settings, pool):
        # Imported here, not at the top: Scrapy imports every command on every start.
        from pipelines.dateline import DatelinePipeline
        from pipelines.dedup import DedupPipeline
        from pipelines.extract import ExtractPipeline
        from pipelines.profile import Profiles
        from pipelines.storage import StoragePipeline

        self.archive = archive
        self.directory = directory
        self.max_size = settings.getint("DOWNLOAD_MAXSIZE")
        self.pool = pool
        self.stats = Counts()
        # Each page is read with its outlet's profile, looked up by the row's outlet, as a crawl's pipelines do.
        self.profiles = Profiles.from_settings(settings)
        self.extract = ExtractPipeline(self.stats, self.profiles)
        self.dateline = DatelinePipeline(self.stats, self.profiles)
        # A re-judged page that is an article now is stored as a crawl stores it. No spider runs.
        self.dedup = DedupPipeline.on_archive(archive, self.stats, settings)
        self.storage = StoragePipeline.on_archive(archive, self.stats, settings)

    def article_job(self, article_id: int) -> Job:
        cursor = self.archive.db.execute("select * from articles where id = ?", [article_id])
        row = dict(zip([d[0] for d in cursor.description], cursor.fetchone()))
        location = Location(row["warc_file"], row["warc_offset"], row["warc_length"]) if row["warc_file"] else None
        return Job(row["url"], row["outlet"], location, row)

    def rejected_pages(self, outlet: str | None) -> list[Job]:
        """The pages rejected by the extraction that a WARC file holds a response for, the last one recorded.

        The WARC files are named after the spider that wrote them (``crawler.warc.RotatingWarcWriter``):
        an outlet's spider is the page's outlet; a page of a URL list (``scrapy crawl urls``) has the
        outlet that spider gives it (:func:`crawler.spiders.urls.outlet_name`).
        """
        from crawler.spiders.urls import outlet_name

        marks = ", ".join("?" * len(EXTRACTION_VERDICTS))
        urls = [url for url, in self.archive.db.execute(
            f"select url from rejected_urls where reason in ({marks}) order by url", EXTRACTION_VERDICTS)]
        if not urls:
            return []
        wanted = set(urls)
        last = {url: location for url, location in scan(self.directory, self.stats) if url in wanted}
        spiders = {url: last[url].file.split("-", 1)[0] for url in urls if url in last}
        jobs = [Job(url, spider if spider in self.profiles else outlet_name(url, self.profiles), last[url])
                for url, spider in spiders.items()]
        return [job for job in jobs if outlet is None or job.outlet == outlet]

    async def run(self, jobs, progress) -> Counter:
        """Read and extract each job's page in the workers, applying the results in order; what happened, counted."""
        counts = Counter()
        ahead = deque()
        for job in jobs:
            ahead.append((job, asyncio.ensure_future(self.read(job))))
            if len(ahead) > JOBS_AHEAD * max(self.pool.processes, 1):
                counts.update(await self.apply(*ahead.popleft()))
                progress()
        while ahead:
            counts.update(await self.apply(*ahead.popleft()))
            progress()
        return counts

    async def read(self, job: Job) -> Reading:
        from pipelines.workers import WorkerCrashed
        from pipelines.extract import Extraction, extract_and_sign, extract_page

        if job.location is None:
            return Reading("unreadable")
        profile = self.profiles.get(job.outlet)
        extract = extract_page if job.row is not None else extract_and_sign
        try:
            return await self.pool.run(read_and_extract, extract, self.directory, job.location, self.max_size,
                                       job.url, profile.language_of(job.url), profile.hints_for(job.url))
        except WorkerCrashed as crash:
            return Reading(extraction=Extraction(rejection=("extraction_error", str(crash))))

    async def apply(self, job: Job, reading: asyncio.Future) -> list[str]:
        """Apply what a worker read of ``job``'s page to the archive; what happened, as counter keys."""
        from pipelines.archive import utc_now

        reading = await reading
        if reading.problem is not None:
            if job.row is None:
                return []  # a rejected page whose record cannot be read stays rejected
            if reading.problem == "too_large":
                print(f"Skipped {job.url}: its raw page is over DOWNLOAD_MAXSIZE ({self.max_size} bytes)",
                      file=sys.stderr)
            return ["examined", reading.problem]
        location = {"warc_file": job.location.file, "warc_offset": job.location.offset,
                    "warc_length": job.location.length}
        # The page itself stayed in the worker: nothing after extraction reads it.
        item = ArticleItem(
            url=job.url, fetched_url=reading.fetched_url, body=b"", encoding=reading.encoding, fetched_at=utc_now(),
            outlet=job.outlet, etag=reading.etag, last_modified=reading.last_modified,
            language=self.profiles.get(job.outlet).language_of(job.url), **location,
        )
        result = self.dateline.process_item(self.extract.apply(item, reading.extraction))
        if job.row is None:
            return ["rejudged", *await self.store(result)]
        if not isinstance(result, ArticleItem):
            return ["examined", "rejected"]
        return ["examined", *self.update(job.row, item)]

    def update(self, row: dict, item: ArticleItem) -> list[str]:
        """Correct an archived article from its re-extracted page."""
        from pipelines.archive import utc_now
        from pipelines.dedup import content_hash
        from pipelines.storage import is_same_version

        item.content_hash = content_hash(item.text)
        new = {name: json.dumps(item.tags, ensure_ascii=False) if name == "tags" else getattr(item, name)
               for name in EXTRACTED_FIELDS}
        if all(new[name] == row[name] for name in EXTRACTED_FIELDS):
            return ["unchanged"]
        if not is_same_version(row, item):
            self.archive.add_version(row["id"], item, [], utc_now())
            return ["changed", "versions"]
        self.archive.update_fields(row["id"], {name: value for name, value in new.items() if value != row[name]})
        return ["changed"]

    async def store(self, result) -> list[str]:
        """A re-judged page that is an article now goes through the dedup and storage pipelines, as in a crawl."""
        if not isinstance(result, ArticleItem):
            return []
        self.storage.process_item(await self.dedup.process_item(result))
        return ["now_articles"]

"""``scrapy extract URL|FILE ...``: what the archive would store of a page, as JSON, archiving nothing.

How a user checks a new outlet's profile or a site's new layout: each page is read by the
extraction and dateline pipelines exactly as a crawl reads it (the outlet's profile found by the
page's URL, as ``scrapy crawl urls`` finds it, or named with ``--outlet``), and the record printed,
or the reason it would be rejected. No archive is opened and no WARC file written.

A URL is fetched with a plain HTTP GET (:func:`fetch`): the project's ``USER_AGENT``, its
``DOWNLOAD_TIMEOUT`` and ``DOWNLOAD_MAXSIZE``, and the site's robots.txt obeyed when
``ROBOTSTXT_OBEY`` is on. Redirects are followed, and the page is read at the URL it came from.
A file is read from disk, with no network: ``--url`` says where the page lives (its outlet,
edition and hints depend on it); without it the page is read at its ``file://`` address, on the
generic path.
"""

import argparse
import json
import sys
import urllib.error
import urllib.request
import urllib.robotparser
from pathlib import Path
from typing import Any, ClassVar
from urllib.parse import urljoin, urlsplit

from scrapy.commands import ScrapyCommand
from scrapy.exceptions import UsageError

from crawler.commands import CommandError, fail, positional

# Where the published time came from (extract/published_at/<source>) and how its zone was found.
ZONE_STATS = {"naive": "naive", "page_offset": "page_offset"}
NOT_SOURCES = {"missing", "day_only", *ZONE_STATS}
RECORD_FIELDS = (
    "title", "summary", "author", "category", "tags", "language", "published_at", "published_at_utc",
    "dateline", "dateline_place", "dateline_agency", "dateline_date", "canonical_url", "text",
)


class Command(ScrapyCommand):
    requires_project = True
    requires_crawler_process = False
    default_settings: ClassVar[dict[str, Any]] = {"LOG_ENABLED": False}

    def syntax(self) -> str:
        return "[options] <url|file> ..."

    def short_desc(self) -> str:
        return "Print, as JSON, what the archive would store of pages, archiving nothing"

    def long_desc(self) -> str:
        return (
            "Extract each page (an http(s) URL, fetched politely: the project's USER_AGENT, robots.txt obeyed; or "
            "an HTML file, read with no network) as a crawl would, and print the record the archive would keep: "
            "title, text, published time with its source and zone, dateline fields, language, author, category, "
            "tags, outlet and the profile used, or the reason the page would be rejected. One page prints one "
            "JSON object, several a JSON array. Exits with status 1 when no page gave an article. "
            "Example: scrapy extract https://www.example.com/news/a-story.html ; "
            "scrapy extract saved.html --url https://www.example.com/news/a-story.html"
        )

    def add_options(self, parser: argparse.ArgumentParser) -> None:
        super().add_options(parser)
        parser.add_argument("--url", metavar="URL", help="the address of the page in the one FILE given")
        parser.add_argument("--outlet", metavar="NAME", help="read the pages with this outlet's profile")

    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        from pipelines.profile import Profiles

        try:
            pages = positional(args)
            if not pages:
                raise UsageError("name at least one URL or HTML file")
            if opts.url and (len(pages) != 1 or is_web_address(pages[0])):
                raise CommandError("--url goes with one HTML file, the page saved from that URL")
            profiles = Profiles.from_settings(self.settings)
            if opts.outlet and opts.outlet not in profiles:
                known = ", ".join(profile.name for profile in profiles)
                raise CommandError(f"no outlet profile named {opts.outlet!r} (profiles: {known})")
            records = [self.record(page, opts, profiles) for page in pages]
        except CommandError as error:
            fail(self, error)
            return
        print(json.dumps(records[0] if len(records) == 1 else records, ensure_ascii=False, indent=2))
        if not any(record.get("rejected") is None and record.get("error") is None for record in records):
            self.exitcode = 1

    def record(self, page: str, opts: argparse.Namespace, profiles) -> dict:
        """What the archive would keep of ``page`` (a URL or a file), or why it would keep nothing."""
        from crawler.spiders.urls import outlet_name

        if is_web_address(page):
            url = checked(page)
            try:
                fetched_url, body, encoding = fetch(url, self.settings)
            except FetchError as error:
                return {"url": url, "error": str(error)}
        else:
            try:
                body = Path(page).read_bytes()
            except OSError as error:
                raise CommandError(f"cannot read {page}: {error.strerror}") from None
            url = checked(opts.url) if opts.url else Path(page).resolve().as_uri()
            fetched_url, encoding = url, None
        profile = profiles.get(opts.outlet) if opts.outlet else profiles.for_url(url)
        outlet = profile.name if profile else outlet_name(url, profiles)
        return extracted_record(url, fetched_url, body, encoding, outlet, profile, profiles)


def extracted_record(url: str, fetched_url: str, body: bytes, encoding: str | None, outlet: str, profile,
                     profiles) -> dict:
    """The page read by the extraction and dateline pipelines, as a crawl reads it, as a JSON-ready dict."""
    from crawler.commands.reextract import Counts
    from pipelines.archive import utc_now
    from pipelines.dateline import DatelinePipeline
    from pipelines.extract import ExtractPipeline
    from pipelines.items import ArticleItem

    stats = Counts()
    item = ArticleItem(url=url, fetched_url=fetched_url, body=body, encoding=encoding, fetched_at=utc_now(),
                       outlet=outlet, language=profile.language_of(url) if profile else None)
    result = DatelinePipeline(stats, profiles).process_item(ExtractPipeline(stats, profiles).extract_item(item))
    record = {"url": url, "fetched_url": fetched_url, "outlet": outlet, "profile": profile.name if profile else None}
    if not isinstance(result, ArticleItem):
        return {**record, "rejected": result.reason}
    published = [key.rsplit("/", 1)[1] for key in stats if key.startswith("extract/published_at/")]
    source = next((name for name in published if name not in NOT_SOURCES), "day_only" if "day_only" in published else None)
    zone = next((ZONE_STATS[name] for name in published if name in ZONE_STATS), None)
    if source and zone is None:
        zone = "outlet" if profile and profile.timezone else "written"
    return {**record, "rejected": None, "published_at_source": source, "published_at_zone": zone,
            **{name: getattr(result, name) for name in RECORD_FIELDS}}


def checked(url: str) -> str:
    """``url`` canonical; CommandError when it is not an http(s) URL."""
    from crawler.spiders.urls import checked_url

    try:
        return checked_url(url)
    except ValueError as error:
        raise CommandError(str(error)) from None


def is_web_address(text: str) -> bool:
    return urlsplit(text).scheme.lower() in ("http", "https")


class FetchError(Exception):
    """A page that could not be fetched, said in a sentence."""


def fetch(url: str, settings) -> tuple[str, bytes, str | None]:
    """``(final URL, body, declared encoding)`` of a plain GET of ``url`` with the crawl's User-Agent, timeout
    and size limit; FetchError when robots.txt forbids it (with ROBOTSTXT_OBEY), or the fetch fails."""
    agent = settings.get("USER_AGENT")
    timeout = settings.getfloat("DOWNLOAD_TIMEOUT")
    if settings.getbool("ROBOTSTXT_OBEY") and not robots_allow(url, agent, timeout):
        raise FetchError(f"robots.txt of {urlsplit(url).netloc} forbids fetching {url}")
    request = urllib.request.Request(url, headers={"User-Agent": agent})
    limit = settings.getint("DOWNLOAD_MAXSIZE")
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            body = response.read(limit + 1 if limit else -1)
            if limit and len(body) > limit:
                raise FetchError(f"{url} is over DOWNLOAD_MAXSIZE ({limit} bytes)")
            return response.url, body, response.headers.get_content_charset()
    except urllib.error.HTTPError as error:
        raise FetchError(f"{url} answered HTTP {error.code}") from None
    except (urllib.error.URLError, OSError) as error:
        raise FetchError(f"could not fetch {url}: {getattr(error, 'reason', error)}") from None


def robots_allow(url: str, agent: str, timeout: float) -> bool:
    """Whether the site's robots.txt lets ``agent`` fetch ``url``; a robots.txt that cannot be read allows
    everything, a 401 or 403 nothing (as Python's parser and Scrapy's middleware read them)."""
    robots = urllib.robotparser.RobotFileParser()
    try:
        with urllib.request.urlopen(urllib.request.Request(urljoin(url, "/robots.txt"), headers={"User-Agent": agent}),
                                    timeout=timeout) as response:
            robots.parse(response.read().decode("utf-8", errors="replace").splitlines())
    except urllib.error.HTTPError as error:
        if error.code in (401, 403):
            return False
        return True
    except (urllib.error.URLError, OSError):
        return True
    return robots.can_fetch(agent, url)

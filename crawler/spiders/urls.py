"""``scrapy crawl urls``: archive the pages a list names, from any site, with no outlet profile.

    scrapy crawl urls -a urls=reading-list.txt        # one URL a line; '#' comments and blank lines ignored
    scrapy crawl urls -a url=https://example.com/news/a-story.html
    scrapy crawl urls -a urls=list.txt -a report=report.json   # what became of each URL, as JSON

Each page goes through the same pipelines as any crawl (extraction, datelines, duplicates,
storage; the lock, WARC files, ``crawl_runs`` and health checks too), under the outlet of the
profile whose site it is on (:meth:`pipelines.profile.Profiles.for_url`), or else under its site's
registered domain (``www.bbc.co.uk`` -> ``bbc.co.uk``, by the public suffix list that tldextract
ships; nothing is downloaded), read on the generic path. A URL listed twice (in any canonical
form) is fetched once. Listed URLs are fetched even when archived before: the list is what the
user asks for now (an unchanged page adds no version).

A redirect is followed only within the listed page's site: http or https, the same registered
domain (an address, or a name without a public suffix such as ``localhost``, must match
exactly), and the same port unless both are their scheme's default; any other is
``redirect_off_site``. Loopback, private, link-local, multicast and reserved addresses, by the
address a host resolves to, are refused (``private_address``) unless listed with
``-a allow_private=...`` (:mod:`crawler.addresses`).

At the end the spider logs one line per URL that was not archived, with its reason, and counts
them (``urls/listed``, ``urls/archived``, ``urls/not_archived``); ``-a report=FILE`` writes the same
as JSON. A run that archived none of its URLs fails its health checks (exit status 1).
"""

import json
import logging
import os
from collections import Counter
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path
from urllib.parse import urlsplit

import tldextract
from scrapy import signals

from crawler.addresses import AddressPolicy
from crawler.spiders.articles import ArticleSpider
from pipelines.archive import Archive
from pipelines.items import ArticleItem, RejectedPage
from pipelines.profile import Profiles
from pipelines.urls import DEFAULT_PORTS, canonicalize, origin

logger = logging.getLogger(__name__)

ADDRESS_MIDDLEWARE = "crawler.addresses.PrivateAddressMiddleware"
ADDRESS_MIDDLEWARE_ORDER = 50  # before robots.txt (100): a refused host's robots.txt is not fetched either
ARCHIVED = "archived"

# -a NAME=VALUE: what each argument of the spider means (``scrapy crawl -h`` lists them).
SPIDER_ARGUMENTS = {
    "urls": ("FILE", "archive the pages listed in FILE, one URL a line ('#' comments)"),
    "url": ("URL", "archive this page (with or without a list)"),
    "allow_private": ("ADDRESS,...", "fetch these loopback or private addresses, networks or hosts"),
    "report": ("FILE", "write what became of each URL to FILE, as JSON"),
}

# The public suffix list of the tldextract release installed (pinned), never one downloaded at run time.
_suffixes = tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None, include_psl_private_domains=True)


@cache
def registered_domain(host: str) -> str:
    """The domain a host name belongs to (``news.bbc.co.uk`` -> ``bbc.co.uk``); an address, or a name
    without a public suffix (``localhost``), is its own."""
    host = host.lower().strip("[]")
    return _suffixes(host).top_domain_under_public_suffix or host


def outlet_name(url: str, profiles: Profiles) -> str:
    """The archive's ``outlet`` for a page at ``url``: its profile's name, or its site's registered domain."""
    profile = profiles.for_url(url)
    return profile.name if profile else registered_domain(urlsplit(url).hostname or "")


def same_site(url: str, other: str) -> bool:
    """Whether two URLs are on one site: http(s), one registered domain, and one port unless both are the default."""
    first, second = origin(url), origin(other)
    if first is None or second is None or second[0] not in DEFAULT_PORTS:
        return False
    (scheme, host, port), (other_scheme, other_host, other_port) = first, second
    if registered_domain(host) != registered_domain(other_host):
        return False
    return (scheme, port) == (other_scheme, other_port) or (
        port == DEFAULT_PORTS.get(scheme) and other_port == DEFAULT_PORTS[other_scheme])


def checked_url(text: str) -> str:
    """``text`` as a canonical http(s) URL; ValueError saying what is wrong with it."""
    parts = urlsplit(text)
    if parts.scheme.lower() not in DEFAULT_PORTS or not parts.hostname or any(c.isspace() for c in text):
        raise ValueError(f"not an http(s) URL: {text!r}")
    try:
        parts.port
    except ValueError:
        raise ValueError(f"not a valid port in {text!r}") from None
    return canonicalize(text)


def read_url_list(path: str) -> list[str]:
    """The URLs of a list file, one a line; blank lines and ``#`` comments are skipped.
    ValueError naming the file and line of the first that is not an http(s) URL."""
    try:
        lines = Path(path).read_text(encoding="utf-8-sig").splitlines()
    except (OSError, UnicodeDecodeError) as error:
        raise ValueError(f"cannot read the URL list {path}: {getattr(error, 'strerror', None) or error}") from None
    urls = []
    for number, line in enumerate(lines, start=1):
        line = line.split(" #", 1)[0].strip()  # a '#' right after the URL is its fragment
        if not line or line.startswith("#"):
            continue
        try:
            urls.append(checked_url(line))
        except ValueError as error:
            raise ValueError(f"{path} line {number}: {error}") from None
    return urls


@dataclass(frozen=True)
class UrlListArguments:
    """What ``-a NAME=VALUE`` asks of a URL-list crawl, checked."""

    urls: tuple[str, ...]  # canonical, each once, in the order first listed
    listed: int  # lines and -a url given, repeats included
    address_policy: AddressPolicy
    report: Path | None

    @classmethod
    def of(cls, arguments: dict[str, str]) -> "UrlListArguments":
        """The arguments, checked (ValueError naming what is wrong): once a process for the same arguments and the
        same list file, which ``scrapy crawl`` checks before the crawl starts and the spider is then made from (a list
        of 100,000 URLs takes over a second to read and check)."""
        try:
            listed = os.stat(arguments["urls"]) if "urls" in arguments else None
        except OSError:  # reading it says why
            listed = None
        version = (listed.st_ino, listed.st_size, listed.st_mtime_ns) if listed else None
        return cls._checked(tuple(sorted(arguments.items())), version)

    @classmethod
    @lru_cache(maxsize=1)
    def _checked(cls, items: tuple[tuple[str, str], ...], list_version: tuple | None) -> "UrlListArguments":
        arguments = dict(items)
        unknown = sorted(set(arguments) - set(SPIDER_ARGUMENTS))
        if unknown:
            raise ValueError(f"unknown argument -a {unknown[0]}=... (arguments: {', '.join(SPIDER_ARGUMENTS)})")
        urls = read_url_list(arguments["urls"]) if "urls" in arguments else []
        if "url" in arguments:
            urls.append(checked_url(arguments["url"].strip()))
        if not urls:
            raise ValueError("no URL to archive: give -a urls=FILE (one URL a line) or -a url=URL"
                             if "urls" not in arguments else f"the URL list {arguments['urls']} holds no URL")
        report = arguments.get("report")
        return cls(tuple(dict.fromkeys(urls)), len(urls), AddressPolicy.allowing(arguments.get("allow_private")),
                   Path(report) if report else None)


class UrlsSpider(ArticleSpider):
    """Archives the pages of ``-a urls=FILE`` and ``-a url=URL``."""

    name = "urls"
    arguments = SPIDER_ARGUMENTS

    def __init__(self, **arguments: str):
        super().__init__()
        run = UrlListArguments.of(arguments)
        self.urls = run.urls
        self.listed = run.listed
        self.address_policy = run.address_policy  # read by crawler.addresses.PrivateAddressMiddleware
        self.report_path = run.report
        self.outcomes: dict[str, str] = {}  # listed URL -> ARCHIVED or why not

    @classmethod
    def check_arguments(cls, arguments: dict[str, str]) -> None:
        """Raise ValueError, naming the argument or the list's line, if ``arguments`` are wrong."""
        UrlListArguments.of(arguments)

    @classmethod
    def update_settings(cls, settings):
        super().update_settings(settings)
        middlewares = settings.getdict("DOWNLOADER_MIDDLEWARES")
        middlewares[ADDRESS_MIDDLEWARE] = ADDRESS_MIDDLEWARE_ORDER
        settings.set("DOWNLOADER_MIDDLEWARES", middlewares, priority="spider")

    @classmethod
    def from_crawler(cls, crawler, *args, **kwargs):
        spider = super().from_crawler(crawler, *args, **kwargs)
        spider.profiles = Profiles.from_settings(crawler.settings)
        crawler.signals.connect(spider.item_scraped, signal=signals.item_scraped)
        crawler.signals.connect(spider.item_dropped, signal=signals.item_dropped)
        return spider

    async def start(self):
        self.pages = list(dict.fromkeys(map(self.public_address, self.urls)))  # an outlet's URLs in its public form
        stats = self.crawler.stats
        stats.set_value("urls/listed", len(self.pages))
        stats.set_value("urls/archived", 0)
        if self.listed > len(self.pages):
            stats.set_value("urls/repeated", self.listed - len(self.pages))
        logger.info("Archiving %(count)d listed URL(s)", {"count": len(self.pages)})
        for url in self.pages:
            yield self.article_page_request(url)

    # --- article pages (crawler.spiders.articles.ArticleSpider fetches them) -----------------

    def public_address(self, fetched_url: str) -> str:
        """Canonical; under an outlet's public address when it is on an outlet's site."""
        profile = self.profiles.for_url(canonicalize(fetched_url))
        return profile.public_form(fetched_url) if profile else canonicalize(fetched_url)

    def fetch_address(self, public_url: str) -> str:
        return public_url

    def redirect_target(self, url: str, asked: str) -> str | None:
        return self.public_address(url) if same_site(asked, url) else None

    def redirect_refusal(self, url: str | None, asked: str) -> str:
        return "redirect_off_site" if url else "redirect_without_location"

    def article_fields(self, url: str) -> dict:
        profile = self.profiles.for_url(url)
        return {"outlet": outlet_name(url, self.profiles), "language": profile.language_of(url) if profile else None}

    # --- what became of each URL -------------------------------------------------------------

    def item_scraped(self, item):
        if isinstance(item, ArticleItem) and self.outcomes.get(item.url) != ARCHIVED:
            self.outcomes[item.url] = ARCHIVED
            self.crawler.stats.inc_value("urls/archived")

    def item_dropped(self, item):
        """A page the pipelines did not archive: its reason is the RejectedPage's, or the one the archive recorded."""
        if self.outcomes.get(item.url) != ARCHIVED:
            self.outcomes[item.url] = item.reason if isinstance(item, RejectedPage) else None

    def closed(self, reason):
        pages = getattr(self, "pages", ())
        unreached = f"not fetched (the run ended: {reason})"
        lost = {url: self.outcomes.get(url, unreached) for url in pages if self.outcomes.get(url) != ARCHIVED}
        if None in lost.values():  # rejected by the extraction: its reason is in the archive
            archive = Archive.open(self.settings["ARCHIVE_DB"])
            try:
                for url in [url for url, why in lost.items() if why is None]:
                    row = archive.db.execute("select reason from rejected_urls where url = ?", [url]).fetchone()
                    lost[url] = row[0] if row else "not archived"
            finally:
                archive.close()
        archived = len(pages) - len(lost)
        self.crawler.stats.set_value("urls/not_archived", len(lost))
        lines = "".join(f"\n  {url}: {why}" for url, why in lost.items())
        logger.log(logging.WARNING if lost else logging.INFO,
                   "URL list: %(archived)d of %(listed)d archived, %(lost)d not archived%(lines)s",
                   {"archived": archived, "listed": len(pages), "lost": len(lost), "lines": lines})
        if self.report_path is not None:
            report = {"listed": len(pages), "archived": archived, "not_archived": len(lost),
                      "reasons": dict(Counter(lost.values()).most_common()),
                      "urls": [{"url": url, "reason": why} for url, why in lost.items()]}
            self.report_path.write_text(json.dumps(report, indent=2, ensure_ascii=False), encoding="utf-8")

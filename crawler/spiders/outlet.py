"""The outlet spider: crawls any outlet of :mod:`crawler.outlets` by its profile.

Every outlet is a spider of its own name (``scrapy crawl <outlet>``;
:mod:`crawler.spiderloader` makes one :class:`OutletSpider` subclass per outlet). A run
archives every edition of the outlet (``-a edition=all``, the default), or one:
``-a edition=en``. Each page is extracted with its edition's hints (the outlet's profile,
:class:`pipelines.profile.Profile`, which the pipelines look up by the item's outlet).

Discovery, in the order a scheduled run needs it:

* the outlet's feeds and news sitemaps, for the newest articles;
* each section's listing pages, newest first, followed page by page until a page
  shows an article archived before the last complete run ended (to the end on an
  archive that no run has completed yet, so an interrupted run's gaps get filled);
* with ``-a since=YYYY-MM-DD -a until=YYYY-MM-DD``, instead, the outlet's dated sitemaps of
  that range, for backfill (each read once, a monthly one once per month);
* when a run's feeds, news sitemaps and listings gave no article link at all (the site moved
  them), where a site says its articles are: the sitemaps its ``robots.txt`` names (of an index,
  the newest) and its home page (``OUTLET_DISCOVERY_FALLBACK``; the health check
  ``discovery_fallback`` then fails, since the profile needs mending).

A link is only fetched when it is one of the outlet's article URLs in an edition being
archived, and its article is not archived yet, so a run on an unchanged site downloads no
article page; nor when its URL was rejected for a lasting reason (a 404, a page that is not
an article), unless the run asks for that reason with ``-a retry_rejected=not_article,...`` or
the extractor that judged the page was older than today's
(``pipelines.extract.EXTRACTOR_VERSION``). With ``-a revisit_days=N`` a run also re-visits the
archived articles published in the last N days (at most ``ARCHIVE_REVISIT_MAX``, none fetched
in the last ``ARCHIVE_REVISIT_AFTER``), conditionally, so that edits and removed pages are seen.
Extraction, deduplication and storage are the pipelines' job; the spider only hands over what
it fetched.
"""

import logging
import re
import warnings
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from urllib.parse import urlsplit

from parsel import Selector
from scrapy import Request, signals
from scrapy.exceptions import DontCloseSpider, ScrapyDeprecationWarning
from scrapy.utils.sitemap import sitemap_urls_from_robots

from crawler.errors import failure_reason
from crawler.health import DISCOVERY_FAILURES, UNREACHABLE
from crawler.frontier.knowledge import archive_knowledge
from crawler.frontier.requested import RequestedUrls
from crawler.outlet import Listing, Outlet
from crawler.spiders.articles import ARTICLE_REQUEST_META, REDIRECT_STATUSES, ArticleSpider
from crawler.sitemaps import SitemapError, read_sitemap
from crawler.warc import records_responses
from pipelines.extract import EXTRACTOR_VERSION
from pipelines.items import ArticleGone, ArticleNotModified
from pipelines.urls import SiteAddress

logger = logging.getLogger(__name__)

ALL_EDITIONS = "all"  # -a edition=all: every edition of the outlet, the default
# Feeds, listings and sitemaps are cached and asked for again conditionally every run
# (HTTPCACHE_POLICY: RFC 2616), so an unchanged one costs a 304 and no body.
REVALIDATE = {"Cache-Control": "max-age=0"}
REVISIT_PRIORITY = 5  # re-visits after new articles, before more discovery
GONE_STATUSES = (404, 410)
REVISIT_ANSWERS = [304, *GONE_STATUSES]  # not modified, gone: answers a re-visit handles itself
FALLBACK_SITEMAPS = 3  # of a sitemap index robots.txt names, the sitemaps a fallback discovery reads: the newest
DISCOVERY_FALLBACK = "discovery/fallback"  # the stats of the fallback discovery, and the meta key of its requests


def counted_as(request: Request, kind: str) -> str:
    """The stats prefix a discovery request's failure is counted under: ``kind``'s, or the fallback discovery's."""
    return DISCOVERY_FALLBACK if request.meta.get(DISCOVERY_FALLBACK) else kind


def newest_sitemaps(entries: list[dict], count: int) -> list[str]:
    """The ``count`` sitemaps of an index's ``entries`` modified last (their W3C ``lastmod`` dates sort as
    text); its first ``count`` when not every entry says when it was modified."""
    if all(entry.get("lastmod") for entry in entries):
        entries = sorted(entries, key=lambda entry: entry["lastmod"], reverse=True)
    return [entry["loc"] for entry in entries[:count]]


def backfill_days(since: str | None, until: str | None, days: str | None = None, today: date | None = None) -> list[date] | None:
    """The days of a backfill, oldest first; None when no range or list of days was asked for.

    ``days`` is a comma-separated list (``2023-03-02,2024-06-01``), e.g. the bad days of
    an earlier backfill's report; it does not go with since/until. ``until`` defaults to
    ``today`` (the outlet's; UTC's when not given).
    """
    if days is not None:
        if since is not None or until is not None:
            raise ValueError("-a days=... does not go with -a since/until")
        try:
            return sorted({date.fromisoformat(day.strip()) for day in days.split(",") if day.strip()})
        except ValueError as error:
            raise ValueError(f"days must be dates written YYYY-MM-DD, separated by commas ({error})") from None
    if since is None and until is None:
        return None
    if since is None:
        raise ValueError("-a until=... needs -a since=YYYY-MM-DD as well")
    try:
        first = date.fromisoformat(since)
        last = date.fromisoformat(until) if until else today or datetime.now(timezone.utc).date()
    except ValueError as error:
        raise ValueError(f"since/until must be dates written YYYY-MM-DD ({error})") from None
    if first > last:
        raise ValueError(f"since ({first}) is after until ({last})")
    return [first + timedelta(days=n) for n in range((last - first).days + 1)]


REASON = re.compile(r"[a-z][a-z0-9_]*")  # a rejection reason as rejected_urls and the stats name it


def rejection_reasons(reasons: str | None) -> frozenset[str]:
    """The reasons of ``-a retry_rejected=not_article,...``: URLs rejected for them are fetched again."""
    named = frozenset(reason.strip() for reason in (reasons or "").split(",") if reason.strip())
    malformed = sorted(reason for reason in named if not REASON.fullmatch(reason))
    if malformed:
        raise ValueError(f"retry_rejected must name rejection reasons such as not_article, not {malformed[0]!r}")
    return named


def editions_of(edition: str | None, languages: tuple[str, ...]) -> tuple[str, ...]:
    """The languages ``-a edition=`` asks to archive, among the outlet's ``languages`` (or all of them)."""
    asked = (edition or ALL_EDITIONS).strip().lower()
    if asked == ALL_EDITIONS:
        return languages
    if asked in languages:
        return (asked,)
    raise ValueError(f"edition must be one of {', '.join((*languages, ALL_EDITIONS))}, not {edition!r}")


# -a NAME=VALUE: what each argument of the spider means (``scrapy crawl -h`` lists them).
SPIDER_ARGUMENTS = {
    "edition": ("LANGUAGE|all", "one edition or all of them (the default)"),
    "since": ("YYYY-MM-DD", "backfill the daily sitemaps from this day"),
    "until": ("YYYY-MM-DD", "the last day of a backfill (default: today)"),
    "days": ("YYYY-MM-DD,...", "backfill these days (not with since/until)"),
    "revisit_days": ("N", "re-visit the articles of the last N days"),
    "retry_rejected": ("REASON,...", "fetch URLs rejected for these reasons again"),
}


def arguments_of(outlet: Outlet) -> dict[str, tuple[str, str]]:
    """The ``-a`` arguments a run of ``outlet`` takes: its editions, and a backfill where it has dated sitemaps."""
    arguments = {**SPIDER_ARGUMENTS, "edition": ("|".join((*outlet.languages, ALL_EDITIONS)), SPIDER_ARGUMENTS["edition"][1])}
    if not outlet.dated_sitemap:
        for backfill in ("since", "until", "days"):
            del arguments[backfill]
    return arguments


@dataclass(frozen=True)
class RunArguments:
    """What the spider's ``-a NAME=VALUE`` arguments ask of a run, checked."""

    backfill: list[date] | None  # the days of a backfill, or None for the newest articles
    editions: tuple[str, ...]
    revisit_days: int | None
    retry_rejected: frozenset[str]  # rejection reasons whose URLs are fetched again

    @classmethod
    def of(cls, arguments: dict[str, str], outlet: Outlet) -> "RunArguments":
        """The run ``arguments`` ask of ``outlet``; ValueError naming the argument when one is wrong or unknown."""
        unknown = sorted(set(arguments) - set(SPIDER_ARGUMENTS))
        if unknown:
            raise ValueError(f"unknown argument -a {unknown[0]}=... (arguments: {', '.join(SPIDER_ARGUMENTS)})")
        if not outlet.dated_sitemap and {"since", "until", "days"} & set(arguments):
            raise ValueError(f"{outlet.name} has no dated sitemaps to backfill from (-a since, until, days)")
        return cls(
            backfill=backfill_days(arguments.get("since"), arguments.get("until"), arguments.get("days"),
                                   datetime.now(outlet.timezone or timezone.utc).date()),
            editions=editions_of(arguments.get("edition"), outlet.languages),
            revisit_days=revisit_window(arguments.get("revisit_days")),
            retry_rejected=rejection_reasons(arguments.get("retry_rejected")),
        )


def revisit_window(days: str | None) -> int | None:
    """The days of ``-a revisit_days=N``; None when not asked for."""
    if days is None:
        return None
    try:
        window = int(days)
    except ValueError:
        raise ValueError(f"revisit_days must be a whole number of days, not {days!r}") from None
    if window < 1:
        raise ValueError(f"revisit_days must be at least 1, not {window}")
    return window


class OutletSpider(ArticleSpider):
    """Crawls the outlet of its ``profile``; one subclass per outlet, named after it (:mod:`crawler.spiderloader`)."""

    profile: Outlet  # set on each outlet's subclass
    arguments = SPIDER_ARGUMENTS

    def __init__(self, **arguments: str):
        super().__init__()
        run = RunArguments.of(arguments, self.profile)
        self.backfill = run.backfill
        self.editions = run.editions
        self.revisit_days = run.revisit_days
        self.retry_rejected = run.retry_rejected
        self.run_mode = "latest" if self.backfill is None else "backfill"
        self.day_report: dict[date, str] = {}  # one line per backfilled day

    @classmethod
    def for_outlet(cls, outlet: Outlet) -> type["OutletSpider"]:
        """The spider class of ``outlet``, named after it."""
        return type(f"{outlet.name.title().replace('_', '')}Spider", (cls,),
                    {"name": outlet.name, "profile": outlet, "arguments": arguments_of(outlet), "__module__": cls.__module__})

    @property
    def outlet(self) -> str:
        return self.profile.name

    @classmethod
    def check_arguments(cls, arguments: dict[str, str]) -> None:
        """Raise ValueError, naming the argument, if ``arguments`` (``-a NAME=VALUE``) are wrong:
        ``scrapy crawl`` checks them before any of the crawl's machinery starts."""
        RunArguments.of(arguments, cls.profile)

    @classmethod
    def from_crawler(cls, crawler, *args, **kwargs):
        spider = super().from_crawler(crawler, *args, **kwargs)
        settings = crawler.settings
        former = cls.former_settings(settings)

        def named(name: str) -> str:
            """Today's setting name, or the former one set instead."""
            return former.get(name, name)

        spider.site = SiteAddress(cls.profile.public_base, settings.get(named("OUTLET_BASE_URL")) or None,
                                  aliases=cls.profile.host_aliases)
        spider.allowed_domains = [spider.site.fetch_domain]
        spider.sections = settings.getlist(named("OUTLET_SECTIONS")) or None  # None: each listing's own
        spider.max_listing_pages = settings.getint(named("OUTLET_MAX_LISTING_PAGES"))
        spider.sitemap_maxsize = settings.getint("SITEMAP_MAXSIZE")
        spider.keeps_raw_pages = records_responses(settings)  # an article without its raw page is fetched again
        spider.retry_rejected_after = timedelta(seconds=settings.getint("ARCHIVE_RETRY_REJECTED_AFTER"))
        spider.revisit_max = settings.getint("ARCHIVE_REVISIT_MAX")
        spider.revisit_after = timedelta(seconds=settings.getint("ARCHIVE_REVISIT_AFTER"))
        spider.discovery_fallback = settings.getbool("OUTLET_DISCOVERY_FALLBACK")
        spider.fell_back = False
        crawler.signals.connect(spider.discover_elsewhere, signal=signals.spider_idle)
        return spider

    @classmethod
    def former_settings(cls, settings) -> dict[str, str]:
        """Today's setting name -> the former name to read instead, where the outlet's profile names one that
        is set, at least as firmly as today's; each read with a deprecation warning."""
        instead = {}
        for old, new in cls.profile.former_settings:
            if settings.get(old) is not None:
                warnings.warn(f"The {old} setting is deprecated: use {new}", ScrapyDeprecationWarning, stacklevel=2)
                if (settings.getpriority(new) or 0) <= settings.getpriority(old):
                    instead[new] = old
        return instead

    async def start(self):
        self.archive = archive_knowledge(self.crawler)  # the archive, or what its writer published in Redis
        self.requested = RequestedUrls.for_crawler(self.crawler)  # shared by a frontier's processes
        # Listings are walked down to what the last complete walk archived: an
        # interrupted run's articles do not stop the walk, so its gaps are filled.
        self.listing_horizon = self.archive.last_complete_run_end(self.name, "latest")
        for request in self.revisit_requests():
            yield request
        if self.backfill is not None:
            for request in self.backfill_requests():
                yield request
            return
        for feed in self.profile.feeds:
            if self.in_editions(feed.language):
                yield self.discovery_request(feed.path, self.parse_feed)
        for path in self.profile.news_sitemaps:
            yield self.discovery_request(path, self.parse_sitemap, days=())
        for listing in self.profile.listings:
            if self.in_editions(listing.language):
                for section in self.sections or listing.sections:
                    yield self.discovery_request(listing.path.format(section=section), self.parse_listing,
                                                 listing=listing, section=section, page=1)

    def in_editions(self, language: str | None) -> bool:
        """Whether a feed or listing of ``language`` (None: any) lists editions being archived."""
        return language is None or language in self.editions

    def backfill_requests(self) -> list[Request]:
        """One request per dated sitemap of the backfill's days (a monthly one once for its days)."""
        sitemaps: dict[str, list[date]] = {}
        for day in self.backfill:
            sitemaps.setdefault(self.profile.dated_sitemap.format(day=day), []).append(day)
        logger.info("Backfilling %(days)d day(s) from %(sitemaps)d dated sitemap(s)",
                    {"days": len(self.backfill), "sitemaps": len(sitemaps)})
        return [self.discovery_request(path, self.parse_sitemap, days=tuple(days)) for path, days in sitemaps.items()]

    def closed(self, reason):
        if self.backfill is not None:
            self.report_backfill()
        if hasattr(self, "archive"):
            self.archive.close()

    def report_backfill(self) -> None:
        """Log what each day of the backfill gave, the bad days included, and count them."""
        failed = [day for day, line in self.day_report.items() if not line[0].isdigit()]
        self.crawler.stats.set_value("backfill/days", len(self.backfill))
        self.crawler.stats.set_value("backfill/days_failed", len(failed))
        lines = [f"  {day}: {self.day_report.get(day, 'not reached')}" for day in self.backfill]
        logger.info("Backfill of %(days)d day(s), %(failed)d without a readable sitemap:\n%(lines)s",
                    {"days": len(self.backfill), "failed": len(failed), "lines": "\n".join(lines)})

    # --- discovery -------------------------------------------------------------------

    def discovery_request(self, path: str, callback, fallback: bool = False, **cb_kwargs) -> Request:
        """A request for a feed, listing or sitemap at ``path``; one of the fallback discovery's
        (:meth:`discover_elsewhere`) is counted apart, so that the ``discovery`` health check judges the profile's."""
        self.crawler.stats.inc_value(f"{DISCOVERY_FALLBACK if fallback else 'discovery'}/requests")
        return Request(
            self.site.to_fetch(self.profile.public_base + path),
            callback=callback,
            errback=self.discovery_failed,
            cb_kwargs=cb_kwargs,
            headers=REVALIDATE,
            meta={DISCOVERY_FALLBACK: True} if fallback else {},
        )

    def parse_feed(self, response):
        feed = Selector(text=response.text, type="xml")
        links = feed.xpath(
            "//*[local-name()='item']/*[local-name()='link']/text()"
            " | //*[local-name()='entry']/*[local-name()='link']/@href"
        ).getall()
        self.crawler.stats.inc_value("discovery/feed/links", len(links))
        if not links:
            logger.warning("The feed at %(url)s lists no links", {"url": response.url})
        for link in links:
            request = self.article_request(response, link)
            if request:
                yield request

    def parse_listing(self, response, listing: Listing, section: str, page: int):
        links = self.listing_links(response, listing)
        self.crawler.stats.inc_value("discovery/listing/pages")
        self.crawler.stats.inc_value("discovery/listing/links", len(links))
        reached_archive = False
        for link in links:
            url = self.article_url(response, link)
            if url and self.listing_horizon and self.archive.was_archived_by(url, self.listing_horizon):
                reached_archive = True
            request = self.article_request(response, link)
            if request:
                yield request
        if reached_archive:
            logger.debug("Listing %(url)s reaches archived articles: not paging further", {"url": response.url})
            return
        if self.max_listing_pages and page >= self.max_listing_pages:
            return
        next_path = self.next_listing_path(response, listing, section, page)
        if next_path:
            yield self.discovery_request(next_path, self.parse_listing, listing=listing, section=section, page=page + 1)

    def next_listing_path(self, response, listing: Listing, section: str, page: int) -> str | None:
        """The public path of the listing's next page, if this page links to it."""
        linked = {self.site.to_public(response.urljoin(href)) for href in response.css("a::attr(href)").getall()}
        if listing.next_path:
            path = listing.next_path.format(section=section, page=page + 1)
            wanted = self.site.to_public(self.profile.public_base + path)
            return path if wanted in linked else None
        for href in response.xpath("//a[@rel='next']/@href | //link[@rel='next']/@href").getall():
            url = self.site.to_public(response.urljoin(href))
            if self.site.is_on_site(url):
                parts = urlsplit(url)
                return parts.path + (f"?{parts.query}" if parts.query else "")
        return None

    def listing_links(self, response, listing: Listing) -> list[str]:
        """Article links of a listing page: the last article link of each entry box.

        Pages without the listing's entry boxes fall back to every link on the page
        (article URLs are filtered later), and the fallback is counted.
        """
        entries = response.css(listing.entry) if listing.entry else []
        if not entries:
            if listing.entry:
                self.crawler.stats.inc_value("discovery/listing/fallback_all_links")
            return response.css("a::attr(href)").getall()
        links = []
        for entry in entries:
            hrefs = [href for href in entry.css("a::attr(href)").getall() if self.article_url(response, href)]
            links.extend(hrefs[-1:])
        return links

    def sitemap_request(self, url: str, days: tuple[date, ...], newest: int | None, fallback: bool) -> Request:
        """A request for the sitemap at ``url`` (public), counted as :meth:`discovery_request` counts."""
        path = urlsplit(url)
        return self.discovery_request(path.path + (f"?{path.query}" if path.query else ""), self.parse_sitemap,
                                      fallback, days=days, newest=newest)

    def parse_sitemap(self, response, days: tuple[date, ...], newest: int | None = None):
        """A sitemap: of the backfill's ``days``, or (no days) one of the newest articles; an index's sitemaps
        are read too (its ``newest`` only, when given)."""
        try:
            sitemap = read_sitemap(response.body, self.sitemap_maxsize)
        except SitemapError as error:
            self.crawler.stats.inc_value(f"{counted_as(response.request, 'sitemap')}/failed/{error.reason}")
            self.report_days(days, f"sitemap {error.reason}: {error}")
            logger.warning("Sitemap %(url)s skipped: %(error)s", {"url": response.url, "error": error})
            return
        entries = [entry for entry in sitemap if entry.get("loc")]  # a sitemap is read once
        locs = [entry["loc"] for entry in entries]
        if sitemap.type == "sitemapindex":
            entries = [entry for entry in entries if self.site.is_on_site(entry["loc"])]
            for loc in newest_sitemaps(entries, newest) if newest else [entry["loc"] for entry in entries]:
                yield self.sitemap_request(loc, days, newest, response.meta.get(DISCOVERY_FALLBACK, False))
            return
        self.crawler.stats.inc_value("sitemap/read")
        if days:
            self.crawler.stats.inc_value("sitemap/days_read", len(days))
        self.crawler.stats.inc_value("sitemap/urls", len(locs))
        urls = [self.article_url(response, loc) for loc in locs]
        articles = [url for url in urls if url]
        new = 0
        for url in urls:
            request = self.request_for_article(url)
            if request:
                new += 1
                yield request
        report = f"{len(locs)} URLs, {len(articles)} articles, {new} not yet archived"
        self.report_days(days, report)
        logger.info("Sitemap %(url)s: %(report)s", {"url": response.url, "report": report})

    def report_days(self, days: tuple[date, ...], line: str) -> None:
        for day in days:
            self.day_report[day] = line

    def discover_elsewhere(self):
        """When the run is about to end and its feeds, news sitemaps and listings gave no article link at all,
        look once where a site says its articles are: the sitemaps its robots.txt names, and its home page.

        Not in a backfill (its dated sitemaps are all it reads), nor in a process of a shared frontier whose
        discovery the run's other processes did. The ``discovery_fallback`` health check fails after it.
        """
        stats = self.crawler.stats
        if (self.fell_back or not self.discovery_fallback or self.backfill is not None or not self.site_answered()
                or stats.get_value("discovery/article_links") or stats.get_value("frontier/already_queued")):
            return
        self.fell_back = True
        stats.inc_value(DISCOVERY_FALLBACK)
        logger.warning("The feeds, news sitemaps and listings of %(outlet)s gave no article link: reading the "
                       "sitemaps its robots.txt names and its home page instead (its profile may be out of date)",
                       {"outlet": self.outlet})
        for request in (self.discovery_request("/robots.txt", self.parse_robots, fallback=True),
                        self.discovery_request("/", self.parse_home_page, fallback=True)):
            self.crawler.engine.crawl(request)
        raise DontCloseSpider

    def site_answered(self) -> bool:
        """Whether the site answered any of the run's discovery requests, if only with an error status."""
        stats = self.crawler.stats.get_stats()
        unanswered = sum(count for name, count in stats.items()
                         if name.startswith(DISCOVERY_FAILURES) and name.rsplit("/", 1)[1] in UNREACHABLE)
        return stats.get("discovery/requests", 0) > unanswered

    def parse_robots(self, response):
        """The sitemaps robots.txt names on the site, for a fallback discovery."""
        urls = [public for url in sitemap_urls_from_robots(response.body, base_url=response.url)
                if self.site.is_on_site(public := self.site.to_public(url))]
        self.crawler.stats.inc_value(f"{DISCOVERY_FALLBACK}/sitemaps", len(urls))
        for url in urls:
            yield self.sitemap_request(url, (), FALLBACK_SITEMAPS, fallback=True)

    def parse_home_page(self, response):
        """The article links of the home page, for a fallback discovery."""
        links = response.css("a::attr(href)").getall()
        self.crawler.stats.inc_value(f"{DISCOVERY_FALLBACK}/home_page_links", len(links))
        for link in links:
            request = self.article_request(response, link)
            if request:
                yield request

    def discovery_failed(self, failure):
        reason, _ = failure_reason(failure)
        kind = "sitemap" if failure.request.callback == self.parse_sitemap else "discovery"
        self.crawler.stats.inc_value(f"{counted_as(failure.request, kind)}/failed/{reason}")
        if kind == "sitemap":
            self.report_days(failure.request.cb_kwargs["days"], f"no sitemap read ({reason})")
        logger.warning("Could not read %(url)s: %(reason)s", {"url": failure.request.url, "reason": reason})

    # --- articles --------------------------------------------------------------------

    def article_url(self, response, link: str) -> str | None:
        """The public, canonical URL of ``link`` if it is an article of this site, else None."""
        return self.public_article_url(response.urljoin(link.strip()))

    def public_article_url(self, url: str) -> str | None:
        """The public, canonical form of an absolute ``url`` if it is an article of this outlet
        in an edition being archived, else None."""
        url = self.site.to_public(self.profile.public_form(url))
        if not self.site.is_on_site(url):
            return None
        return url if self.profile.language_of(url) in self.editions else None

    def article_request(self, response, link: str) -> Request | None:
        return self.request_for_article(self.article_url(response, link))

    def request_for_article(self, url: str | None) -> Request | None:
        """The request for the article at ``url`` (public, canonical; None for a link to no article), unless it
        is archived already, its rejection stands, or it is requested already."""
        if url is None:
            self.crawler.stats.inc_value("discovery/not_article_url")
            return None
        self.crawler.stats.inc_value("discovery/article_links")
        if self.archive.is_archived(url, with_raw_page=self.keeps_raw_pages):
            self.crawler.stats.inc_value("archive/skipped_archived")
            return None
        if self.archive.rejection_stands(url, self.retry_rejected_after, datetime.now(timezone.utc), self.retry_rejected,
                                         EXTRACTOR_VERSION):
            self.crawler.stats.inc_value("archive/skipped_rejected")
            return None
        if not self.requested.claim(url):
            return None
        return self.article_page_request(url)

    # --- re-visits of archived articles -------------------------------------------------

    def revisit_requests(self) -> list[Request]:
        """Conditional requests for the archived articles of the last ``revisit_days`` days."""
        if not self.revisit_days or self.revisit_max <= 0:
            return []
        now = datetime.now(timezone.utc)
        articles = self.archive.articles_to_revisit(
            (now - timedelta(days=self.revisit_days)).isoformat(timespec="seconds"),
            (now - self.revisit_after).isoformat(timespec="seconds"),
            self.revisit_max,
        )
        self.crawler.stats.set_value("revisit/requested", len(articles))
        logger.info("Re-visiting %(count)d archived article(s) published in the last %(days)d day(s)",
                    {"count": len(articles), "days": self.revisit_days})
        requests = []
        for article in articles:
            if not self.requested.claim(article["url"]):
                continue  # re-visited by another process of the frontier
            validators = {"If-None-Match": article["etag"], "If-Modified-Since": article["last_modified"]}
            requests.append(Request(
                self.site.to_fetch(article["url"]),
                callback=self.parse_revisit,
                errback=self.revisit_failed,
                priority=REVISIT_PRIORITY,
                headers={name: value for name, value in validators.items() if value},
                # Redirects are followed as for any article page (parse_article checks each hop).
                meta={"public_url": article["url"], **ARTICLE_REQUEST_META,
                      "handle_httpstatus_list": [*REDIRECT_STATUSES, *REVISIT_ANSWERS]},
                dont_filter=True,
            ))
        return requests

    def parse_revisit(self, response):
        url = response.meta["public_url"]
        if response.status == 304:
            self.crawler.stats.inc_value("revisit/not_modified")
            yield ArticleNotModified(url)
        elif response.status in GONE_STATUSES:
            self.crawler.stats.inc_value("revisit/gone")
            yield ArticleGone(url, response.status)
        else:
            if response.status not in REDIRECT_STATUSES:
                self.crawler.stats.inc_value("revisit/fetched")
            yield from self.parse_article(response)

    def revisit_failed(self, failure):
        """A re-visit that failed changes nothing: the article stays as archived, and is tried next time."""
        reason, _ = failure_reason(failure)
        self.crawler.stats.inc_value(f"revisit/failed/{reason}")
        logger.warning("Could not re-visit %(url)s: %(reason)s", {"url": failure.request.url, "reason": reason})



    # --- article pages (crawler.spiders.articles.ArticleSpider fetches them) -------------

    def public_address(self, fetched_url: str) -> str:
        return self.site.to_public(fetched_url)

    def fetch_address(self, public_url: str) -> str:
        return self.site.to_fetch(public_url)

    def redirect_target(self, url: str, asked: str) -> str | None:
        """Only an article of this outlet, in an edition being archived."""
        return self.public_article_url(url)

    def redirect_refusal(self, url: str | None, asked: str) -> str:
        return "redirect_off_site" if url and not self.site.is_on_site(url) else "redirect_not_article"

    def article_fields(self, url: str) -> dict:
        return {"outlet": self.outlet, "language": self.profile.language_of(url)}

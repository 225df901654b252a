"""What every spider that archives article pages shares: how an article page is asked for,
how its redirects are followed, and what it hands the pipelines.

An article request skips Scrapy's redirect middleware and duplicate filter: the spider follows
each redirect itself (:meth:`ArticleSpider.follow_redirect`), checking every hop against its own
idea of the site (the outlet's article URLs for :class:`crawler.spiders.outlet.OutletSpider`, the
listed page's site for :class:`crawler.spiders.urls.UrlsSpider`), so that the old URL that led to
a page is kept beside it. A page becomes an :class:`~pipelines.items.ArticleItem` holding only
what was fetched; a failure becomes a :class:`~pipelines.items.RejectedPage` with its reason.
"""

import logging
from pathlib import Path

from scrapy import Request, Spider
from scrapy.http import TextResponse

from crawler.errors import Refused, failure_reason
from pipelines.archive import utc_now
from pipelines.items import ArticleItem, RejectedPage

logger = logging.getLogger(__name__)

ARTICLE_PRIORITY = 10  # fetch articles as soon as found, keeping the queue short
REDIRECT_STATUSES = (301, 302, 303, 307, 308)
ARTICLE_REQUEST_META = {
    # The spider follows an article's redirects itself (see follow_redirect).
    "dont_redirect": True,
    "handle_httpstatus_list": list(REDIRECT_STATUSES),
    # Articles are fetched once (re-visits send their own validators): no HTTP cache.
    "dont_cache": True,
}
ARTICLE_META_KEYS = ("public_url", *ARTICLE_REQUEST_META)  # what an article request's meta holds from the spider


def warc_location(response) -> dict:
    """The item fields saying where the raw response is kept in the WARC files, if it is."""
    location = response.meta.get("warc_record")
    if location is None:
        return {}
    return {"warc_file": location.file, "warc_offset": location.offset, "warc_length": location.length}


def header(response, name: str) -> str | None:
    value = response.headers.get(name)
    return value.decode("latin-1") if value else None


class ArticleSpider(Spider):
    """A spider that fetches article pages. Subclasses say where a URL is fetched from, which
    redirect targets are the same article's, and whose and in what language an article is."""

    @classmethod
    def update_settings(cls, settings):
        super().update_settings(settings)
        if not settings.get("HTTPCACHE_DIR"):  # beside the archive it serves, not in the folder the crawl runs in
            settings.set("HTTPCACHE_DIR", str(Path(f"{settings['ARCHIVE_DB']}.httpcache").resolve()), priority="spider")

    def public_address(self, fetched_url: str) -> str:
        """The public, canonical URL of a page fetched from ``fetched_url``."""
        raise NotImplementedError

    def fetch_address(self, public_url: str) -> str:
        """Where the page of ``public_url`` is fetched from."""
        raise NotImplementedError

    def redirect_target(self, url: str, asked: str) -> str | None:
        """The public URL of an absolute redirect target that the article asked for at public URL ``asked``
        may be followed to, or None."""
        raise NotImplementedError

    def redirect_refusal(self, url: str | None, asked: str) -> str:
        """Why a redirect to ``url`` (None when the Location header was empty) is not followed: a rejection reason."""
        raise NotImplementedError

    def article_fields(self, url: str) -> dict:
        """The item's ``outlet`` and ``language`` for the article at public ``url`` (language None: read from the page)."""
        raise NotImplementedError

    def article_page_request(self, url: str) -> Request:
        """The request for the article page at public ``url``."""
        return Request(
            self.fetch_address(url),
            callback=self.parse_article,
            errback=self.article_failed,
            priority=ARTICLE_PRIORITY,
            meta={"public_url": url, **ARTICLE_REQUEST_META},
            # The spider deduplicates article URLs itself: Scrapy's filter would also drop the
            # redirect of an old URL to a page already fetched, and the old URL would be lost.
            dont_filter=True,
        )

    def follow_redirect(self, response):
        """Follow an article's redirect only to a target :meth:`redirect_target` accepts, at most
        REDIRECT_MAX_TIMES hops.

        Article requests skip Scrapy's duplicate filter, which would also skip its
        off-site check: so the spider checks every hop itself.
        """
        url = response.meta["public_url"]
        hops = [*response.meta.get("via", []), self.public_address(response.url)]
        location = response.headers.get(b"Location", b"").decode("latin-1")
        absolute = response.urljoin(location) if location else None
        target = self.redirect_target(absolute, url) if absolute else None
        if target is None:
            reason = self.redirect_refusal(absolute, url)
        elif len(hops) > self.settings.getint("REDIRECT_MAX_TIMES") or target in hops:
            reason = "redirect_loop"
        else:
            self.crawler.stats.inc_value("fetch/redirected")
            # Only the spider's own meta keys: Scrapy's (download_latency, retry_times) and the WARC
            # record belong to the hop just fetched.
            meta = {key: value for key, value in response.meta.items() if key in ARTICLE_META_KEYS}
            yield response.request.replace(url=self.fetch_address(target), meta={**meta, "via": hops})
            return
        self.crawler.stats.inc_value(f"fetch/failed/{reason}")
        logger.warning("Not following %(url)s to %(location)r: %(reason)s", {"url": response.url, "location": location, "reason": reason})
        yield RejectedPage(url, reason, response.status)

    def parse_article(self, response):
        url = response.meta["public_url"]
        if response.status in REDIRECT_STATUSES:
            yield from self.follow_redirect(response)
            return
        if not isinstance(response, TextResponse):
            self.crawler.stats.inc_value("fetch/failed/not_text")
            logger.warning("Not a text page at %(url)s (%(type)s)", {"url": response.url, "type": response.headers.get("Content-Type")})
            yield RejectedPage(url, "not_text", response.status)
            return
        yield ArticleItem(
            url=url,
            fetched_url=self.public_address(response.url),
            body=response.body,
            encoding=response.encoding,
            fetched_at=utc_now(),
            via=response.meta.get("via", []),
            etag=header(response, "ETag"),
            last_modified=header(response, "Last-Modified"),
            **self.article_fields(url),
            **warc_location(response),
        )

    def article_failed(self, failure):
        reason, status = failure_reason(failure)
        self.crawler.stats.inc_value(f"fetch/failed/{reason}")
        logger.warning("Could not fetch article %(url)s: %(reason)s", {
            "url": failure.request.url, "reason": str(failure.value) if isinstance(failure.value, Refused) else reason})
        yield RejectedPage(failure.request.meta["public_url"], reason, status)

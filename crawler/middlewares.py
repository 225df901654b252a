"""Downloader middlewares: bot-challenge pages, and redirects that would leave the outlet's address.

A challenge page (Cloudflare "Just a moment...") is not the page asked for: it must
never reach a parser that could store it as an article. It is counted, retried a few
times (the retry keeps AutoThrottle's delay), and then given up for this run with a
logged reason.

Scrapy's off-site check compares host names only, so a feed, listing or sitemap that
redirects to another port (or scheme) of the outlet's host would be followed to a
server that is not the outlet. The redirect middlewares here refuse any redirect away
from the scheme, host and port the spider fetches from (its ``site``, a
:class:`pipelines.urls.SiteAddress`). Article pages follow their redirects in the spider
(``OutletSpider.follow_redirect``), which checks each hop the same way.
"""

import logging

from scrapy import Request
from scrapy.downloadermiddlewares.redirect import MetaRefreshMiddleware, RedirectMiddleware
from scrapy.downloadermiddlewares.retry import get_retry_request
from scrapy.exceptions import IgnoreRequest, NotConfigured

from pipelines.challenge import is_challenge

logger = logging.getLogger(__name__)


class ChallengeDetected(IgnoreRequest):
    """The server answered with a challenge page instead of the page."""


class ChallengeMiddleware:
    def __init__(self, crawler, retry_times: int):
        self.crawler = crawler
        self.retry_times = retry_times
        self.stats = crawler.stats

    @classmethod
    def from_crawler(cls, crawler):
        retry_times = crawler.settings.getint("CHALLENGE_RETRY_TIMES")
        if retry_times < 0:
            raise NotConfigured
        return cls(crawler, retry_times)

    def process_response(self, request, response):
        if not is_challenge(response.status, response.headers, response.body):
            return response
        self.stats.inc_value("challenge/detected")
        retry = get_retry_request(
            request,
            spider=self.crawler.spider,
            reason="challenge",
            max_retry_times=self.retry_times,
            logger=logger,
            give_up_log_level="WARNING",  # being challenged is the site's choice, not a crawler error
        )
        if retry is not None:
            return retry
        self.stats.inc_value("challenge/given_up")
        raise ChallengeDetected(f"challenge page (HTTP {response.status}) at {response.url}")


class RedirectOffSite(IgnoreRequest):
    """A redirect leads away from the address the outlet is fetched from."""


class SameOriginRedirects:
    """Refuses the redirect a redirect middleware returns when it leaves the spider's fetch address.

    The refused request's errback sees :class:`RedirectOffSite`; every refusal is counted
    as ``fetch/failed/redirect_off_site``, as the spider counts an article's. A spider
    without a ``site`` (``scrapy shell``, ``scrapy fetch``) is left to Scrapy's own check.
    """

    def process_response(self, request, response):
        result = super().process_response(request, response)
        site = getattr(self.crawler.spider, "site", None)
        if isinstance(result, Request) and site is not None and not site.is_fetch_origin(result.url):
            self.crawler.stats.inc_value("fetch/failed/redirect_off_site")
            raise RedirectOffSite(f"{request.url} redirects off site, to {result.url}")
        return result


class SameOriginRedirectMiddleware(SameOriginRedirects, RedirectMiddleware):
    """Scrapy's RedirectMiddleware (3xx with Location), kept to the spider's fetch address."""


class SameOriginMetaRefreshMiddleware(SameOriginRedirects, MetaRefreshMiddleware):
    """Scrapy's MetaRefreshMiddleware (``<meta http-equiv="refresh">``), kept to the spider's fetch address."""

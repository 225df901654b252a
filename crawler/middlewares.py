"""Downloader middleware that recognises bot-challenge pages (Cloudflare "Just a moment...").

A challenge page is not the page asked for: it must never reach a parser that
could store it as an article. It is counted, retried a few times (the retry
keeps AutoThrottle's delay), and then given up for this run with a logged reason.
"""

import logging

from scrapy.downloadermiddlewares.retry import get_retry_request
from scrapy.exceptions import IgnoreRequest, NotConfigured

logger = logging.getLogger(__name__)

CHALLENGE_MARKERS = (
    b"<title>Just a moment...</title>",
    b"cf-browser-verification",
    b"challenge-platform",
    b"cf_chl_opt",
    b"Attention Required! | Cloudflare",
)
CHALLENGE_STATUSES = {403, 429, 503}


class ChallengeDetected(IgnoreRequest):
    """The server answered with a challenge page instead of the page."""


def is_challenge(status: int, headers, body: bytes) -> bool:
    if headers.get(b"cf-mitigated", b"").lower() == b"challenge":
        return True
    head = body[:20000]
    return status in CHALLENGE_STATUSES | {200} and any(marker in head for marker in CHALLENGE_MARKERS)


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

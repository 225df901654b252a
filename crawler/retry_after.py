"""Downloader middleware that waits as long as a 429 or 503 answer's ``Retry-After`` asks.

Scrapy's RetryMiddleware retries a 429 or 503 at once (as soon as the download
delay allows) and ignores ``Retry-After``: a site that is rate-limiting us, or down
for maintenance, gets asked again before it said it would be ready, and so do its
other pages meanwhile. Here the site's answer is honoured: the retry of that request
waits the time asked for, and so does every other request to the same host, because
the whole download slot is paused. The pause uses the reactor's clock, so nothing
blocks. A wait longer than ``RETRY_AFTER_MAX`` gives the URL up for this run (the
spider records it as a passing failure, fetched again on a later run) rather than
stall the crawl for it, and so do ``RETRY_TIMES`` retries that all met a Retry-After.

It sits between ChallengeMiddleware and RetryMiddleware: a Cloudflare challenge
served as 503 is a challenge first.

An answer without ``Retry-After`` (or with one that cannot be read) is left to
RetryMiddleware, as before; with ``RETRY_ENABLED`` off nothing is retried here either.
"""

import logging
from datetime import datetime, timezone
from email.utils import parsedate_to_datetime
from time import monotonic

from scrapy.downloadermiddlewares.retry import get_retry_request
from scrapy.exceptions import NotConfigured
from scrapy.utils.asyncio import call_later
from scrapy.utils.response import response_status_message

logger = logging.getLogger(__name__)

RETRY_AFTER_STATUSES = (429, 503)


def retry_after_seconds(value: bytes | None, now: datetime) -> float | None:
    """The seconds a ``Retry-After`` value asks to wait (delay-seconds or an HTTP date); None if unreadable."""
    text = (value or b"").decode("latin-1").strip()
    if text.isdigit():
        return float(text)
    try:
        moment = parsedate_to_datetime(text)
    except (TypeError, ValueError):
        return None
    if moment.tzinfo is None:  # an HTTP date is GMT even when it does not say so
        moment = moment.replace(tzinfo=timezone.utc)
    return max(0.0, (moment - now).total_seconds())


class RetryAfterMiddleware:
    def __init__(self, crawler, max_wait: float):
        self.crawler = crawler
        self.stats = crawler.stats
        self.max_wait = max_wait
        self.paused_until: dict[str, float] = {}  # download slot -> monotonic time its pause ends

    @classmethod
    def from_crawler(cls, crawler):
        if not crawler.settings.getbool("RETRY_ENABLED"):
            raise NotConfigured
        return cls(crawler, crawler.settings.getfloat("RETRY_AFTER_MAX"))

    def process_response(self, request, response):
        if response.status not in RETRY_AFTER_STATUSES or request.meta.get("dont_retry"):
            return response
        wait = retry_after_seconds(response.headers.get(b"Retry-After"), datetime.now(timezone.utc))
        if wait is None:
            return response
        host = request.meta.get("download_slot", "")
        if wait > self.max_wait:
            logger.warning(
                "%(host)s asks to wait %(wait)g s (HTTP %(status)d), more than RETRY_AFTER_MAX (%(max)g s): "
                "giving up %(url)s for this run",
                {"host": host, "wait": wait, "status": response.status, "max": self.max_wait, "url": request.url},
            )
            return self.given_up(request, response)
        retry = get_retry_request(
            request,
            spider=self.crawler.spider,
            reason=response_status_message(response.status),
            logger=logger,
            give_up_log_level="WARNING",  # the site asked us to come back later: not a crawler error
        )
        if retry is None:
            return self.given_up(request, response)
        self.pause(host, wait)
        self.stats.inc_value("retry_after/waits")
        self.stats.inc_value("retry_after/seconds", wait)
        logger.info(
            "%(host)s asks to wait %(wait)g s (HTTP %(status)d at %(url)s): pausing requests to it",
            {"host": host, "wait": wait, "status": response.status, "url": request.url},
        )
        return retry

    def given_up(self, request, response):
        """The answer, passed on as an HTTP error (RetryMiddleware must not retry it at once after all)."""
        self.stats.inc_value("retry_after/given_up")
        request.meta["dont_retry"] = True
        return response

    def pause(self, key: str, seconds: float) -> None:
        """Hold back every request of download slot ``key`` for ``seconds`` (a longer pause stands).

        Scrapy's downloader holds a slot's queue while ``slot.latercall`` is pending
        (that is how it keeps the download delay): the pause is such a call, scheduled
        for when it ends. The slot's last request is dated then, so the download delay
        counts from the end of the pause and the slot is not collected as idle meanwhile.
        """
        downloader = self.crawler.engine.downloader
        slot = downloader.slots.get(key)
        until = monotonic() + seconds
        if slot is None or seconds <= 0 or until <= self.paused_until.get(key, 0):
            return
        self.paused_until[key] = until
        if slot.latercall:
            slot.latercall.cancel()
        slot.lastseen = max(slot.lastseen, until)

        def resume():
            slot.latercall = None
            self.paused_until.pop(key, None)
            downloader._process_queue(slot)

        slot.latercall = call_later(seconds, resume)

"""Short, stable names for why a request failed, used in log lines and crawl stats."""

import re

from scrapy.exceptions import IgnoreRequest
from scrapy.spidermiddlewares.httperror import HttpError

from crawler.middlewares import ChallengeDetected, RedirectOffSite

KNOWN_ERRORS = {  # Twisted's names, and those Scrapy (2.19) wraps them in
    "TimeoutError": "timeout",
    "DownloadTimeoutError": "timeout",
    "TCPTimedOutError": "timeout",
    "DNSLookupError": "dns_lookup",
    "ConnectionRefusedError": "connection_refused",
    "ConnectionLost": "connection_lost",
    "ResponseNeverReceived": "connection_lost",
    "ResponseFailed": "connection_lost",
    "DownloadFailedError": "connection_lost",  # ResponseFailed, ResponseNeverReceived
    "ResponseDataLossError": "connection_lost",  # cut off mid-body
    "DownloadConnectionRefusedError": "connection_refused",
    "CannotResolveHostError": "dns_lookup",
    "CancelledError": "cancelled",
    "DownloadCancelledError": "too_large",
}


class Refused(IgnoreRequest):
    """A request the crawler refuses to make: ``reason`` names why (the stats' and the archive's
    slug), the message explains it in a sentence."""

    def __init__(self, reason: str, message: str):
        super().__init__(message)
        self.reason = reason


def snake_case(name: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


def failure_reason(failure) -> tuple[str, int | None]:
    """``(reason, HTTP status or None)`` for a request's failure."""
    error = failure.value
    if isinstance(error, HttpError):
        return f"http_{error.response.status}", error.response.status
    if isinstance(error, Refused):
        return error.reason, None
    if isinstance(error, ChallengeDetected):
        return "challenge", None
    if isinstance(error, RedirectOffSite):
        return "redirect_off_site", None
    if any(words in str(error).lower() for words in ("max size", "maxsize")):  # too big, or a gzip bomb
        return "too_large", None
    if isinstance(error, IgnoreRequest):
        return ("robots_txt" if "robots.txt" in str(error) else "ignored"), None
    name = type(error).__name__
    return KNOWN_ERRORS.get(name, snake_case(name)), None

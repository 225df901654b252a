import pytest
from scrapy.exceptions import (
    CannotResolveHostError,
    DownloadConnectionRefusedError,
    DownloadFailedError,
    DownloadTimeoutError,
    IgnoreRequest,
    ResponseDataLossError,
)
from scrapy.http import Request, Response
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.internet.error import ConnectionRefusedError, DNSLookupError, TimeoutError
from twisted.python.failure import Failure

from crawler.errors import failure_reason
from crawler.middlewares import ChallengeDetected


def http_error(status):
    return HttpError(Response("http://127.0.0.1/x", status=status, request=Request("http://127.0.0.1/x")))


@pytest.mark.parametrize(
    "error, expected",
    [
        (http_error(404), ("http_404", 404)),
        (http_error(500), ("http_500", 500)),
        (ChallengeDetected("challenge page (HTTP 503)"), ("challenge", None)),
        (IgnoreRequest("Forbidden by robots.txt"), ("robots_txt", None)),
        (TimeoutError(), ("timeout", None)),
        (DNSLookupError(), ("dns_lookup", None)),
        (ConnectionRefusedError(), ("connection_refused", None)),
        (ValueError("odd"), ("value_error", None)),
    ],
    ids=["404", "500", "challenge", "robots", "timeout", "dns", "refused", "unknown"],
)
def test_failures_have_short_stable_names(error, expected):
    assert failure_reason(Failure(error)) == expected


@pytest.mark.parametrize(
    "error, expected",
    [
        (DownloadTimeoutError("took longer than 2 seconds"), "timeout"),
        (DownloadFailedError("[<Failure ConnectionDone>]"), "connection_lost"),
        (ResponseDataLossError(), "connection_lost"),
        (DownloadConnectionRefusedError(), "connection_refused"),
        (CannotResolveHostError(), "dns_lookup"),
    ],
    ids=["timeout", "dropped", "data_loss", "refused", "dns"],
)
def test_scrapys_own_download_errors_have_the_same_names(error, expected):
    assert failure_reason(Failure(error)) == (expected, None)

"""What a crawl does with a site it cannot reach: say so once, and never pass for a crawl that read the site.

* :class:`RobotsTxtMiddleware` obeys robots.txt as Scrapy's does. Scrapy's logs a
  robots.txt it could not download as an ERROR with the whole traceback (60 lines for
  a DNS failure), then crawls as if the site had none; this one crawls the same way,
  with one WARNING line and a stat, ``robotstxt/failed/<reason>``, instead. And every
  request that waited for a site's robots.txt is judged by it: Scrapy 2.19's hands the
  parser to the first of them only, and lets the others through unjudged.
* :class:`HttpCacheMiddleware` is Scrapy's HTTP cache without its error recovery: a
  feed or listing that could not be downloaded is not answered with its stale copy,
  which lists only links already seen and would hide the failure from the
  ``discovery`` health check (:mod:`crawler.health`).
"""

import logging

from scrapy.downloadermiddlewares.httpcache import HttpCacheMiddleware as ScrapyHttpCacheMiddleware
from scrapy.downloadermiddlewares.robotstxt import RobotsTxtMiddleware as ScrapyRobotsTxtMiddleware
from scrapy.exceptions import IgnoreRequest
from scrapy.utils.httpobj import urlparse_cached
from twisted.python.failure import Failure

from crawler.errors import failure_reason

logger = logging.getLogger(__name__)


class RobotsTxtMiddleware(ScrapyRobotsTxtMiddleware):
    async def robot_parser(self, request):
        """The parser of the request's site, whether or not the request waited for its robots.txt.

        Scrapy's awaits the Deferred that robots.txt's download fires; the first awaiter takes its
        result and leaves None, "no robots.txt", to the others. Once it has fired, the parser (or
        None after a failed download) is in ``_parsers``: it is read from there.
        """
        await super().robot_parser(request)
        return self._parsers[urlparse_cached(request).netloc]

    def process_exception(self, request, exception):
        """The failure of this middleware's own robots.txt request, once retries are spent, as one line.

        Scrapy's middleware takes an ``IgnoreRequest`` quietly and crawls as if there
        were no robots.txt, as it does after any other failure.
        """
        if isinstance(exception, IgnoreRequest) or not is_robots_txt_request(request):
            return None
        reason, _ = failure_reason(Failure(exception))
        self.crawler.stats.inc_value(f"robotstxt/failed/{reason}")
        logger.warning("Could not read %(url)s (%(reason)s): crawling as if the site had none",
                       {"url": request.url, "reason": reason})
        raise IgnoreRequest(f"robots.txt not read: {reason}")


def is_robots_txt_request(request) -> bool:
    return bool(request.meta.get("dont_obey_robotstxt")) and urlparse_cached(request).path == "/robots.txt"


class HttpCacheMiddleware(ScrapyHttpCacheMiddleware):
    def process_exception(self, request, exception):
        """Let the failure stand (to be retried, then reported), never answered by the stale copy."""
        request.meta.pop("cached_response", None)
        return None

"""The connection to the frontier's Redis, and what a crawl does when it is gone.

A crawl cannot go on without its frontier: another process may hold what it would fetch next, and
what it finds could not be shared. So a Redis that cannot be reached (down, restarted, its data lost)
stops the crawl with one ERROR line, the stat ``frontier/lost`` and the finish reason
``frontier_lost``, and ``scrapy crawl`` exits with status 1.
"""

import logging

import redis
from scrapy.utils.defer import deferred_from_coro
from redis.backoff import ExponentialBackoff
from redis.retry import Retry

from crawler.frontier.keys import FrontierKeys

logger = logging.getLogger(__name__)

CONNECT_TIMEOUT = 5  # seconds to reach Redis
ANSWER_TIMEOUT = 10  # seconds for an answer; the crawl waits meanwhile (the client is synchronous)
# A blip of a second or two is ridden out; a Redis down for longer stops the crawl.
RETRIES = 3
LOST_REASON = "frontier_lost"  # the finish reason of a crawl stopped by its frontier


def connect(url: str) -> redis.Redis:
    """A client of the Redis at ``url`` (``redis://host:6379/0``)."""
    return redis.Redis.from_url(url, socket_connect_timeout=CONNECT_TIMEOUT, socket_timeout=ANSWER_TIMEOUT,
                                retry=Retry(ExponentialBackoff(cap=1.0, base=0.1), RETRIES))


def frontier_keys(settings, spider_name: str) -> FrontierKeys:
    return FrontierKeys(settings.get("FRONTIER_KEY_PREFIX"), spider_name)


def unreachable(url: str) -> str | None:
    """Why the Redis at ``url`` cannot be used, in a line; None when it answers."""
    try:
        connect(url).ping()
    except (redis.RedisError, ValueError) as error:
        return f"the frontier's Redis at {url} cannot be reached ({error})"
    return None


def stop_crawl(crawler, why: str) -> None:
    """Stop the crawl because its frontier is gone, saying ``why`` once, however many parts notice."""
    stats = crawler.stats
    if stats.get_value("frontier/lost"):
        return
    stats.set_value("frontier/lost", 1)
    logger.error("Stopping: %(why)s", {"why": why})
    engine = crawler.engine
    if engine is not None and engine.spider is not None:
        deferred_from_coro(engine.close_spider_async(reason=LOST_REASON))


def is_lost(crawler) -> bool:
    """Whether the crawl was stopped by its frontier: then nothing asks Redis again."""
    return bool(crawler.stats.get_value("frontier/lost"))

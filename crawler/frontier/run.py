"""The processes that share a frontier run: joining it, heartbeats, giving back a dead process's
requests, and ending the run together.

A process joins the run of the processes that are alive (heard from within
``FRONTIER_REQUEUE_AFTER_SECONDS``). When none is, it starts a new run: the fingerprints of the
last one and its requested article URLs are cleared, so that feeds, listings and sitemaps are read
again, and what the queue still holds (a run stopped early, the requests of processes that died) is
kept and fetched.

Each process gives a heartbeat every quarter of ``FRONTIER_REQUEUE_AFTER_SECONDS``. A process not
heard from for that long is taken for dead: the requests it had taken go back on the queue, for the
others (``frontier/requeued`` in their stats). A process with nothing left to do stays open while
another still holds requests, whose pages may give more; the processes close together when the
queue is empty and nobody holds anything, and the last one out clears the run's keys.

Redis's own clock (``TIME``) dates the heartbeats, so the machines' clocks need not agree.
"""

import logging
import uuid

import redis
from scrapy import signals
from scrapy.exceptions import DontCloseSpider, NotConfigured
from scrapy.utils.asyncio import create_looping_call

from crawler.frontier.connection import connect, frontier_keys, is_lost, stop_crawl
from crawler.frontier.keys import PROCESS_NAME, FrontierKeys

logger = logging.getLogger(__name__)

HEARTBEATS_PER_TIMEOUT = 4  # a process misses three heartbeats before it is taken for dead

# The scripts below all take the run's KEYS (run, processes, requests, dupefilter, requested) and ARGV
# (this process, its run id, FRONTIER_REQUEUE_AFTER_SECONDS, the outlet's key prefix, which names the
# processes' taken sets and claims). They share: Redis's time in seconds; giving a taken set back to the
# queue; burying the processes not heard from in time: their taken requests given back, their pending
# claims of article URLs withdrawn (crawler.frontier.shared_requested).
COMMON = """
local run, processes, requests, dupefilter, requested = KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5]
local process, run_id, timeout, prefix = ARGV[1], ARGV[2], tonumber(ARGV[3]), ARGV[4]
local function now()
  local time = redis.call('TIME')
  return tonumber(time[1]) + tonumber(time[2]) / 1000000
end
local function give_back(who)
  local taken = prefix .. 'taken:' .. who
  local count = redis.call('ZCARD', taken)
  if count > 0 then
    redis.call('ZUNIONSTORE', requests, 2, requests, taken, 'AGGREGATE', 'MIN')
    redis.call('DEL', taken)
  end
  return count
end
local function bury_dead()
  local requeued = 0
  for _, dead in ipairs(redis.call('ZRANGEBYSCORE', processes, '-inf', '(' .. (now() - timeout))) do
    requeued = requeued + give_back(dead)
    local claims = prefix .. 'claims:' .. dead
    for _, url in ipairs(redis.call('SMEMBERS', claims)) do redis.call('SREM', requested, url) end
    redis.call('DEL', claims)
    redis.call('ZREM', processes, dead)
  end
  return requeued
end
"""

# Returns {run id, whether the run is new, requests given back, requests queued}.
JOIN = COMMON + """
local requeued = bury_dead()
local new = 0
if redis.call('ZCARD', processes) == 0 or not redis.call('GET', run) then
  redis.call('DEL', dupefilter, requested)
  redis.call('SET', run, run_id)
  new = 1
end
redis.call('ZADD', processes, now(), process)
return {redis.call('GET', run), new, requeued, redis.call('ZCARD', requests)}
"""

# Returns 0 when the run is gone, 1 when this process was taken for dead and has come back, 2 otherwise.
HEARTBEAT = COMMON + """
if redis.call('GET', run) ~= run_id then return 0 end
local known = redis.call('ZSCORE', processes, process)
redis.call('ZADD', processes, now(), process)
if known then return 2 end
return 1
"""

# This process is idle: what it took is done with, what it claimed is queued or dropped. Returns {-1}
# when the run is gone, else {requests given back, requests queued, requests held by the other processes}.
SETTLE = COMMON + """
if redis.call('GET', run) ~= run_id then return {-1} end
redis.call('DEL', prefix .. 'taken:' .. process, prefix .. 'claims:' .. process)
redis.call('ZADD', processes, now(), process)
local requeued = bury_dead()
local held = 0
for _, other in ipairs(redis.call('ZRANGE', processes, 0, -1)) do
  held = held + redis.call('ZCARD', prefix .. 'taken:' .. other)
end
return {requeued, redis.call('ZCARD', requests), held}
"""

# What this process still holds goes back on the queue; the last one out of a finished run clears it.
# Returns 1 when the run was cleared.
LEAVE = COMMON + """
give_back(process)
redis.call('DEL', prefix .. 'claims:' .. process)
redis.call('ZREM', processes, process)
if redis.call('GET', run) == run_id and redis.call('ZCARD', processes) == 0
   and redis.call('ZCARD', requests) == 0 then
  redis.call('DEL', run, dupefilter, requested)
  return 1
end
return 0
"""


class FrontierRun:
    """Extension: this process's membership of its outlet's frontier run."""

    def __init__(self, crawler, server: redis.Redis, keys: FrontierKeys, requeue_after: float):
        self.crawler = crawler
        self.keys = keys
        self.requeue_after = requeue_after
        self.run_id: str | None = None
        self.heartbeats = None
        self.scripts = {name: server.register_script(script)
                        for name, script in {"join": JOIN, "heartbeat": HEARTBEAT, "settle": SETTLE, "leave": LEAVE}.items()}

    @classmethod
    def from_crawler(cls, crawler):
        settings = crawler.settings
        if not settings.get("FRONTIER_URL"):
            raise NotConfigured
        extension = cls(crawler, connect(settings["FRONTIER_URL"]), frontier_keys(settings, crawler.spidercls.name),
                        settings.getfloat("FRONTIER_REQUEUE_AFTER_SECONDS"))
        crawler.signals.connect(extension.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(extension.spider_idle, signal=signals.spider_idle)
        crawler.signals.connect(extension.spider_closed, signal=signals.spider_closed)
        return extension

    def call(self, script: str, run_id: str | None = None):
        """Run one of the scripts for this process (of run ``run_id``, by default its own); None, the crawl
        stopped, when Redis fails."""
        if is_lost(self.crawler):
            return None
        keys = self.keys
        try:
            return self.scripts[script](keys=[keys.run, keys.processes, keys.requests, keys.dupefilter, keys.requested],
                                        args=[PROCESS_NAME, run_id or self.run_id, self.requeue_after, keys.key("")])
        except redis.RedisError as error:
            stop_crawl(self.crawler, f"the frontier's Redis failed ({error})")
            return None

    def spider_opened(self, spider):
        joined = self.call("join", uuid.uuid4().hex)
        if joined is None:
            return
        run_id, new, requeued, queued = joined
        self.run_id = run_id.decode()
        self.count_requeued(requeued)
        logger.info("%(how)s frontier run %(run)s of %(spider)s as %(process)s (%(queued)d requests queued)",
                    {"how": "Starting" if new else "Joining", "run": self.run_id, "spider": spider.name,
                     "process": PROCESS_NAME, "queued": queued})
        self.heartbeats = create_looping_call(self.heartbeat)
        self.heartbeats.start(self.requeue_after / HEARTBEATS_PER_TIMEOUT, now=False)

    def heartbeat(self) -> None:
        state = self.call("heartbeat")
        if state == 0:
            self.run_gone()
        elif state == 1:
            logger.warning("This process was silent for over %(seconds)g s and taken for dead: its requests went "
                           "back on the queue (some pages may be fetched twice)", {"seconds": self.requeue_after})

    def spider_idle(self, spider):
        settled = self.call("settle")
        if settled is None:
            return
        if settled[0] == -1:
            self.run_gone()
            return
        requeued, queued, held = settled
        self.count_requeued(requeued)
        if queued or held:
            raise DontCloseSpider

    def count_requeued(self, requeued: int) -> None:
        if requeued:
            self.crawler.stats.inc_value("frontier/requeued", requeued)
            logger.warning("%(count)d request(s) of crawl processes not heard from for %(seconds)g s put back on the queue",
                           {"count": requeued, "seconds": self.requeue_after})

    def run_gone(self) -> None:
        stop_crawl(self.crawler, "the frontier's run is gone from Redis (restarted without persistence, or flushed): "
                                 "what this crawl had queued is lost")

    def spider_closed(self, spider, reason):
        if self.heartbeats is not None and self.heartbeats.running:
            self.heartbeats.stop()
        if self.run_id is None:
            return
        cleared = self.call("leave")
        if cleared:
            logger.info("Frontier run %(run)s is over: its keys are cleared", {"run": self.run_id})

"""scrapy-redis's priority queue, where a request taken by a process stays held under its name
until it is finished, and where queuing a request is one step.

scrapy-redis pops a request off the queue for good: a process killed with requests in its
downloader loses them. Here popping moves the request, in one step, into the sorted set of the
requests this process has taken (:meth:`FrontierKeys.taken`), with its queue score. It leaves that
set when it is finished (:mod:`crawler.frontier.finished`), or when it comes back to the queue as a
retry or a redirect of itself. The requests of a process that stops giving heartbeats go back on
the queue (:mod:`crawler.frontier.run`).

Pushing is one step too (a script): the duplicate filter's fingerprint is added with the request,
never without it, and the article URL the request was claimed for (:mod:`crawler.frontier.requested`)
stops being pending. A process killed between two commands would otherwise leave a page marked seen
that nobody queued, and nobody would fetch it in this run.

The entry a request was taken as rides in its ``meta`` (``frontier_entry``), never in the queue.
"""

from scrapy_redis.queue import PriorityQueue

from crawler.frontier.keys import FrontierKeys

ENTRY = "frontier_entry"  # request.meta: the queue entry the request was taken as
PUBLIC_URL = "public_url"  # request.meta: the article URL an article request asks for (crawler.spiders.articles)

# The first request of the queue (the highest priority), moved into this process's taken set.
# KEYS: requests, taken.
TAKE = """
local first = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
if first[1] == nil then return nil end
redis.call('ZREM', KEYS[1], first[1])
redis.call('ZADD', KEYS[2], first[2], first[1])
return first[1]
"""

# KEYS: requests, taken, dupefilter, claims. ARGV: request, score, fingerprint ('' for none: not filtered),
# the entry it replaces ('' for none), its article URL ('' for none). Returns 1 if queued, 0 if a duplicate.
PUSH = """
if ARGV[4] ~= '' then redis.call('ZREM', KEYS[2], ARGV[4]) end
if ARGV[3] ~= '' and redis.call('SADD', KEYS[3], ARGV[3]) == 0 then return 0 end
redis.call('ZADD', KEYS[1], ARGV[2], ARGV[1])
if ARGV[5] ~= '' then redis.call('SREM', KEYS[4], ARGV[5]) end
return 1
"""


class TakingQueue(PriorityQueue):
    """The queue of an outlet's frontier, as this process takes from and pushes to it."""

    def __init__(self, server, spider, keys: FrontierKeys, serializer=None):
        super().__init__(server, spider, keys.requests, serializer)
        self.keys = keys
        self.taken = keys.taken()
        self.take = server.register_script(TAKE)
        self.put = server.register_script(PUSH)

    def _encode_request(self, request):
        record = request.to_dict(spider=self.spider)
        record["meta"] = {name: value for name, value in request.meta.items() if name != ENTRY}
        return self.serializer.dumps(record)

    def push(self, request, fingerprint: str = "") -> bool:
        """Queue ``request`` unless ``fingerprint`` (empty: none) was seen in this run; a retry or
        redirect of a taken request takes its place. False for a duplicate."""
        keys = self.keys
        return bool(self.put(keys=[keys.requests, self.taken, keys.dupefilter, keys.claims()],
                             args=[self._encode_request(request), -request.priority, fingerprint,
                                   request.meta.get(ENTRY, ""), request.meta.get(PUBLIC_URL, "")]))

    def pop(self, timeout=0):
        entry = self.take(keys=[self.key, self.taken])
        if entry is None:
            return None
        request = self._decode_request(entry)
        request.meta[ENTRY] = entry
        return request


def finish(server, taken: str, request) -> None:
    """``request``, one this process took, is done with: nobody need fetch it again."""
    entry = request.meta.get(ENTRY)
    if entry is not None:
        server.zrem(taken, entry)

"""scrapy-redis's priority queue, where a request taken by a process stays held under its name
until it is finished.

scrapy-redis pops a request off the queue for good: a process killed with requests in its
downloader loses them. Here popping moves the request, in one step, into the sorted set of the
requests this process has taken (:meth:`FrontierKeys.taken`), with its queue score. It leaves that
set when it is finished (:mod:`crawler.frontier.finished`), or when it comes back to the queue as a
retry or a redirect of itself. The requests of a process that stops giving heartbeats go back on
the queue (:mod:`crawler.frontier.run`).

The entry a request was taken as rides in its ``meta`` (``frontier_entry``), never in the queue.
"""

from scrapy_redis.queue import PriorityQueue

from crawler.frontier.keys import FrontierKeys

ENTRY = "frontier_entry"  # request.meta: the queue entry the request was taken as

# The first request of the queue (the highest priority), moved into this process's taken set.
TAKE = """
local first = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
if first[1] == nil then return nil end
redis.call('ZREM', KEYS[1], first[1])
redis.call('ZADD', KEYS[2], first[2], first[1])
return first[1]
"""


class TakingQueue(PriorityQueue):
    """The queue of an outlet's frontier; ``key`` is its requests' key, ``taken`` this process's taken set."""

    def __init__(self, server, spider, key, serializer=None, taken: str | None = None):
        super().__init__(server, spider, key, serializer)
        self.taken = taken
        self.take = server.register_script(TAKE)

    @classmethod
    def of(cls, server, spider, keys: FrontierKeys) -> "TakingQueue":
        return cls(server, spider, keys.requests, taken=keys.taken())

    def _encode_request(self, request):
        record = request.to_dict(spider=self.spider)
        record["meta"] = {name: value for name, value in request.meta.items() if name != ENTRY}
        return self.serializer.dumps(record)

    def push(self, request):
        """Queue ``request``; a retry or redirect of a taken request takes its place, in one step."""
        data = self._encode_request(request)
        entry = request.meta.get(ENTRY)
        if entry is None:
            self.server.zadd(self.key, {data: -request.priority})
            return
        with self.server.pipeline() as transaction:
            transaction.zadd(self.key, {data: -request.priority})
            transaction.zrem(self.taken, entry)
            transaction.execute()

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

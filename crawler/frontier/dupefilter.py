"""scrapy-redis's duplicate filter, shared by every process of the frontier, naming redirect loops
as the project's own filter does (:class:`crawler.dupefilter.NamesRedirectLoops`).

Feeds, listings and sitemaps are asked for by every process that starts; the shared filter lets
each through once in a run, which is how discovery is done once across all processes. Its
fingerprints are cleared when the run ends (:mod:`crawler.frontier.run`), so that the next run
reads them again.
"""

from scrapy_redis.dupefilter import RFPDupeFilter

from crawler.dupefilter import NamesRedirectLoops


class FrontierDupeFilter(NamesRedirectLoops, RFPDupeFilter):
    """Its fingerprints are added by the queue, with the request, in one step (:mod:`crawler.frontier.queue`):
    the scheduler asks it only for a request's fingerprint, and to log what was dropped."""

"""Scrapy's duplicate filter, which also names a redirect loop among the pages it drops.

A feed, listing or sitemap that redirects round (``/a`` to ``/b``, ``/b`` back to
``/a``) ends when the redirect to a page already asked for is dropped as a duplicate:
Scrapy counts that as ``dupefilter/filtered`` only, like any link met twice. When the
dropped request's URL is one of its own redirect chain, this filter also counts it as
``fetch/failed/redirect_loop`` and logs a warning, as article pages' loops are
(``OutletSpider.follow_redirect``), so that the run's report names it.
"""

import logging

from scrapy.dupefilters import RFPDupeFilter

logger = logging.getLogger(__name__)


class NamesRedirectLoops:
    """Mixed into a duplicate filter: a dropped request that closes its own redirect chain is a redirect loop."""

    def log(self, request, spider) -> None:
        chain = request.meta.get("redirect_urls", [])
        if request.url in chain:
            spider.crawler.stats.inc_value("fetch/failed/redirect_loop")
            logger.warning("Not following %(url)s round: it redirects back to itself (%(chain)s)",
                           {"url": chain[0], "chain": " -> ".join([*chain, request.url])})
        super().log(request, spider)


class RedirectLoopDupeFilter(NamesRedirectLoops, RFPDupeFilter):
    pass

"""Scrapy's spider loader, with one spider per outlet.

Besides the spiders of ``SPIDER_MODULES`` (``urls``), every outlet profile found in the
modules of ``OUTLET_MODULES`` (:class:`pipelines.profile.Profiles`) that is a crawlable
:class:`crawler.outlet.Outlet` is a spider of its name: ``scrapy list`` shows them all, and
``scrapy crawl <outlet>`` runs :class:`crawler.spiders.outlet.OutletSpider` on that outlet's profile.
"""

from scrapy.spiderloader import SpiderLoader

from crawler.outlet import Outlet
from crawler.spiders.outlet import OutletSpider
from pipelines.profile import Profiles


class OutletSpiderLoader(SpiderLoader):
    def __init__(self, settings):
        self.profiles = Profiles.from_settings(settings)
        super().__init__(settings)

    def _load_all_spiders(self) -> None:
        for profile in self.profiles:
            if isinstance(profile, Outlet):
                spider = OutletSpider.for_outlet(profile)
                self._found[spider.name].append(("OUTLET_MODULES", spider.__name__))
                self._spiders[spider.name] = spider
        super()._load_all_spiders()

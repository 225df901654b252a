"""The crawl's stats collector: Scrapy's in-memory one, counting the same, without a cost on every call."""

import warnings

from scrapy.statscollectors import MemoryStatsCollector
from scrapy.utils.project import get_project_settings
from scrapy.utils.test import get_crawler

from crawler.stats import StatsCollector


def test_a_crawl_counts_with_the_projects_collector():
    crawler = get_crawler(settings_dict={"STATS_CLASS": get_project_settings()["STATS_CLASS"]})
    assert type(crawler.stats) is StatsCollector


def test_it_counts_as_scrapys_does_and_takes_the_spider_argument_without_a_warning():
    theirs, ours = (cls(get_crawler()) for cls in (MemoryStatsCollector, StatsCollector))
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # Scrapy's own collector warns about spider=; components still pass it
        ours.inc_value("archive/new", spider=None)
    theirs.inc_value("archive/new")
    for stats in (theirs, ours):
        stats.inc_value("archive/new", 2)
        stats.max_value("largest", 5)
        stats.max_value("largest", 3)
        stats.min_value("least", 5)
        stats.min_value("least", 3)
        stats.set_value("outlet", "dawn")
    assert ours.get_stats() == theirs.get_stats() == {"archive/new": 3, "largest": 5, "least": 3, "outlet": "dawn"}
    assert ours.get_value("archive/new") == 3 and ours.get_value("missing", 0) == 0

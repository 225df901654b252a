"""The crawl's garbage collector: runs less often while the engine runs, as Python set it afterwards."""

import gc

import pytest
from scrapy.exceptions import NotConfigured
from scrapy.utils.test import get_crawler

from crawler import settings
from crawler.garbage import GarbageCollection


@pytest.fixture
def collector_as_python_set_it():
    thresholds = gc.get_threshold()
    yield thresholds
    gc.set_threshold(*thresholds)
    gc.unfreeze()


def test_while_the_engine_runs_the_young_generation_waits_longer_and_start_up_objects_are_frozen(
    collector_as_python_set_it,
):
    extension = GarbageCollection.from_crawler(get_crawler(settings_dict={"GC_THRESHOLD": 12345}))
    extension.engine_started()
    assert gc.get_threshold() == (12345, *collector_as_python_set_it[1:])
    assert gc.get_freeze_count() > 1000  # the modules, classes and functions start-up made
    extension.engine_stopped()
    assert gc.get_threshold() == collector_as_python_set_it
    assert gc.get_freeze_count() == 0


def test_a_threshold_of_zero_leaves_the_collector_alone():
    with pytest.raises(NotConfigured):
        GarbageCollection.from_crawler(get_crawler(settings_dict={"GC_THRESHOLD": 0}))


def test_the_project_settings_turn_it_on():
    assert settings.GC_THRESHOLD > 700 and "crawler.garbage.GarbageCollection" in settings.EXTENSIONS

"""A second outlet for the stories' crawl tests: the mirror's UrduPoint articles republished word for
word on another site, as a wire's clients republish its stories (``scrapy crawl wirecopy``, with
``-s OUTLET_MODULES=crawler.outlets,tests.story_outlets``)."""

import dataclasses

from crawler.outlets.urdupoint import URDUPOINT

WIRECOPY = dataclasses.replace(URDUPOINT, name="wirecopy", display_name="Wire Copy",
                               public_base="https://www.wirecopy.example", host_aliases=(), path_aliases=())

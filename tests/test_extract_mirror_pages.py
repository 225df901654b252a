"""Extraction of every mirror article, as served and in markup unlike the mirror's.

The live site will not match the mirror exactly, so each page is also extracted
with every class and id attribute stripped (the site's hints then find nothing),
and with no hints at all: the generic path (trafilatura, JSON-LD, meta tags, the
byline reader) must still give the same fields.
"""

import re
from dataclasses import replace

import pytest
from scrapy.utils.test import get_crawler

from pipelines.items import ArticleItem
from tests.samples import URDUPOINT, URDUPOINT_ONLY
from pipelines.dateline import DatelinePipeline
from pipelines.extract import ExtractPipeline
from pipelines.hints import PageHints
from pipelines.profile import Profiles
from tests.conftest import SITE
from tests.mirror.build import article_path, article_url, load_articles

ARTICLES = load_articles()


def as_served(html: bytes) -> bytes:
    return html


def without_classes(html: bytes) -> bytes:
    return re.sub(rb'\s(?:class|id)="[^"]*"', b"", html)


MARKUP = {"as-served": (as_served, URDUPOINT_ONLY), "no-classes": (without_classes, URDUPOINT_ONLY),
          # the outlet's profile without its layout: no edition's hints, only its zone, brand and title suffix
          "no-hints": (as_served, Profiles([replace(URDUPOINT, name="urdupoint", editions=(), hints=PageHints())]))}


@pytest.mark.parametrize("markup", MARKUP)
@pytest.mark.parametrize("expected", ARTICLES, ids=[a["slug"] for a in ARTICLES])
def test_article_fields_survive_other_markup(expected, markup):
    change, profiles = MARKUP[markup]
    stats = get_crawler().stats
    url = article_url(expected)
    body = change((SITE / article_path(expected).lstrip("/")).read_bytes())
    encoding = "cp1252" if b"charset=windows-1252" in body else "utf-8"
    item = ExtractPipeline(stats, profiles).extract_item(
        ArticleItem(url=url, fetched_url=url, body=body, encoding=encoding, fetched_at="2026-01-01T00:00:00+00:00",
                    outlet="urdupoint")
    )
    item = DatelinePipeline(stats, profiles).process_item(item)
    assert (item.title, item.author, item.published_at, item.text) == (
        expected["title"],
        expected["author"],
        expected["published_at"],
        "\n\n".join(expected["paragraphs"]),
    )

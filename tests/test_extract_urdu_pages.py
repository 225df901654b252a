"""Extraction of every Urdu page of the mirror, as served and without its class and id attributes.

The fields must come out as the ground truth has them: the title, the body without ads,
scripts or the "continued" marker ``(جاری ہے)`` (dropped: it only marks where the page
breaks the story for an ad), the publication time from JSON-LD (``+0500``) or, on pages
without it, from the visible Urdu date, the tags of the tag cloud, language ``ur``, and
the Urdu dateline split into place, agency and date. Without classes the tag cloud
cannot be told from other links, so tags come only from the page's keywords then.
"""

import re

import pytest
from scrapy.utils.test import get_crawler

from pipelines.items import ArticleItem
from crawler.spiders.urdupoint import PAGE_HINTS, URDU_PAGE_HINTS, UrduPointSpider
from pipelines.dateline import DatelinePipeline
from pipelines.extract import ExtractPipeline
from tests.conftest import SITE
from tests.mirror.build import load_urdu_articles, urdu_path, urdu_url

URDU = load_urdu_articles()
NOT_TEXT = ("(جاری ہے)", "جاری ہے)", "googletag", "adsbygoogle", "gpt-ad", "متعلقہ خبریں", "مزید خبریں", "شیئرز",
            "تبصرے", "مرتبہ پڑھی گئی")


def without_classes(html: bytes) -> bytes:
    return re.sub(rb'\s(?:class|id)="[^"]*"', b"", html)


def extract(a: dict, markup: str):
    stats = get_crawler().stats
    body = (SITE / urdu_path(a)[1:]).read_bytes()
    body = without_classes(body) if markup == "no-classes" else body
    item = ExtractPipeline(stats, URDU_PAGE_HINTS).extract_item(
        ArticleItem(url=urdu_url(a), fetched_url=urdu_url(a), body=body, encoding="utf-8",
                    fetched_at="2026-01-01T00:00:00+00:00", language="ur")
    )
    return DatelinePipeline(stats).process_item(item), stats


@pytest.mark.parametrize("markup", ["as-served", "no-classes"])
@pytest.mark.parametrize("expected", URDU, ids=[str(a["id"]) for a in URDU])
def test_urdu_article_fields(expected, markup):
    item, stats = extract(expected, markup)
    tags_readable = markup == "as-served" or expected["template"] == "current"
    dateline = expected["expected"] or dict.fromkeys(("dateline", "dateline_place", "dateline_agency", "dateline_date"))
    assert {
        "title": item.title,
        "summary": item.summary,
        "text": item.text,
        "language": item.language,
        "published_at": item.published_at,
        "tags": item.tags,
        "author": item.author,
        "category": item.category,
        "dateline": (item.dateline, item.dateline_place, item.dateline_agency, item.dateline_date),
    } == {
        "title": expected["title"],
        "summary": expected["summary"],
        "text": "\n\n".join(expected["paragraphs"]),
        "language": "ur",
        "published_at": expected["published_at"],
        "tags": expected["tags"] if tags_readable else [],
        "author": None,
        "category": None,  # Urdu URLs name no section
        "dateline": tuple(dateline.values()),
    }
    assert not any(junk in item.text for junk in NOT_TEXT)
    source = "jsonld" if expected["template"] == "current" else "hint"  # hint: the visible Urdu date
    assert stats.get_value(f"extract/published_at/{source}") == 1


def test_the_spider_gives_each_edition_its_hints():
    spider = UrduPointSpider()
    assert spider.page_hints_for(urdu_url(URDU[0])) is URDU_PAGE_HINTS
    assert spider.page_hints_for("https://www.urdupoint.com/en/world/a-1.html") is PAGE_HINTS


def test_the_pipeline_asks_the_spider_for_the_hints_of_each_page():
    crawler = get_crawler(UrduPointSpider)
    crawler.spider = UrduPointSpider()
    pipeline = ExtractPipeline.from_crawler(crawler)
    pipeline.open_spider()
    assert pipeline.hints_for(urdu_url(URDU[0])) is URDU_PAGE_HINTS
    assert pipeline.hints_for("https://www.urdupoint.com/en/world/a-1.html") is PAGE_HINTS
    assert ExtractPipeline(get_crawler().stats, URDU_PAGE_HINTS).hints_for("https://x.example/") is URDU_PAGE_HINTS

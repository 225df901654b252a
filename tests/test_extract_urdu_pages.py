"""Extraction of every Urdu page of the mirror, as served and without its class and id attributes.

The fields must come out as the ground truth has them: the title, the body without ads,
scripts or the "continued" marker ``(جاری ہے)`` (dropped: it only marks where the page
breaks the story for an ad), the publication time from JSON-LD (``+0500``) or, on pages
without it, from the visible Urdu date, the tags of the tag cloud, language ``ur``, and
the Urdu dateline split into place, agency and date. Without classes the tag cloud
cannot be told from other links, so tags come only from the page's keywords then.
"""

import re
from zoneinfo import ZoneInfo

import pytest
from scrapy.utils.test import get_crawler

from pipelines.items import ArticleItem
from pipelines.dateline import DatelinePipeline
from pipelines.extract import ExtractPipeline
from pipelines.hints import PageHints
from tests.conftest import SITE
from tests.mirror.build import load_urdu_articles, urdu_path, urdu_url
from tests.samples import PAGE_HINTS, URDU_PAGE_HINTS, URDUPOINT_ONLY

URDU = load_urdu_articles()
NOT_TEXT = ("(جاری ہے)", "جاری ہے)", "googletag", "adsbygoogle", "gpt-ad", "متعلقہ خبریں", "مزید خبریں", "شیئرز",
            "تبصرے", "مرتبہ پڑھی گئی")


def without_classes(html: bytes) -> bytes:
    return re.sub(rb'\s(?:class|id)="[^"]*"', b"", html)


def extract(a: dict, markup: str):
    stats = get_crawler().stats
    body = (SITE / urdu_path(a)[1:]).read_bytes()
    body = without_classes(body) if markup == "no-classes" else body
    item = ExtractPipeline(stats, URDUPOINT_ONLY).extract_item(
        ArticleItem(url=urdu_url(a), fetched_url=urdu_url(a), body=body, encoding="utf-8",
                    fetched_at="2026-01-01T00:00:00+00:00", language="ur", outlet="urdupoint")
    )
    return DatelinePipeline(stats, URDUPOINT_ONLY).process_item(item), stats


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


def test_the_pipeline_reads_each_page_with_its_outlets_hints_for_its_edition():
    pipeline = ExtractPipeline.from_crawler(get_crawler(settings_dict={"OUTLET_MODULES": ["crawler.outlets"]}))
    urdu = ArticleItem(urdu_url(URDU[0]), urdu_url(URDU[0]), b"", "utf-8", "", outlet="urdupoint")
    english = ArticleItem("https://www.urdupoint.com/en/world/a-1.html", "", b"", "utf-8", "", outlet="urdupoint")
    elsewhere = ArticleItem("https://x.example/a", "", b"", "utf-8", "", outlet="x.example")
    assert pipeline.hints_for(urdu) == URDU_PAGE_HINTS != pipeline.hints_for(english) == PAGE_HINTS
    assert URDU_PAGE_HINTS.timezone == PAGE_HINTS.timezone == ZoneInfo("Asia/Karachi")
    assert pipeline.hints_for(elsewhere) == PageHints()  # an outlet without a profile: no hints, no zone

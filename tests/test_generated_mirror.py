"""The benchmarks' generated mirror: deterministic, and extracted exactly as it was made."""

import pytest
from scrapy.utils.test import get_crawler

from benchmarks import generated_mirror
from pipelines.items import ArticleItem
from tests.samples import URDUPOINT_ONLY
from pipelines.dateline import DatelinePipeline
from pipelines.extract import ExtractPipeline
from tests.mirror import build

SIZE = 120


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    return generated_mirror.mirror(SIZE, cache=tmp_path_factory.mktemp("generated"))


def files(root):
    return {path.relative_to(root).as_posix(): path.read_bytes() for path in sorted(root.rglob("*")) if path.is_file()}


def test_the_same_size_and_seed_give_the_same_bytes(site, tmp_path):
    assert files(generated_mirror.mirror(SIZE, cache=tmp_path)) == files(site)


def test_it_has_every_article_and_the_ways_to_find_them(site):
    assert len(generated_mirror.article_paths(site)) == SIZE
    days = SIZE // generated_mirror.ARTICLES_PER_DAY + 1
    assert len(list(site.glob("sitemap/daily/data/*/*.xml.gz"))) == days
    assert (site / "en/sitemap/news.rss").exists() and (site / "en/news/pakistan.html").exists()
    assert "Sitemap: https://www.urdupoint.com/sitemap.xml" in (site / "robots.txt").read_text()


def test_every_article_comes_out_as_it_was_generated(site):
    stats = get_crawler().stats
    extract, dateline = ExtractPipeline(stats, URDUPOINT_ONLY), DatelinePipeline(stats, URDUPOINT_ONLY)
    for record in generated_mirror.articles(SIZE):
        url = build.article_url(record)
        body = (site / build.article_path(record).lstrip("/")).read_bytes()
        item = dateline.process_item(extract.extract_item(
            ArticleItem(url=url, fetched_url=url, body=body, encoding="utf-8", fetched_at="", outlet="urdupoint")))
        assert (item.title, item.text, item.published_at) == (
            record["title"], "\n\n".join(record["paragraphs"]), record["published_at"])


def test_local_sitemaps_name_the_local_server(tmp_path):
    site = generated_mirror.mirror(SIZE, cache=tmp_path)
    index = generated_mirror.write_local_sitemaps(site, "http://mirror.localhost:8000")
    assert index == "http://mirror.localhost:8000/local-sitemaps/sitemap.xml"
    day = next((site / "local-sitemaps").glob("2024-*.xml")).read_text()
    assert "http://mirror.localhost:8000/en/" in day and build.PUBLIC_BASE not in day

import gzip

import pytest

from crawler.sitemaps import SitemapError, read_sitemap
from crawler.spiders.outlet import newest_sitemaps

URLSET = (
    b'<?xml version="1.0" encoding="UTF-8"?>'
    b'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
    b"<url><loc>https://www.urdupoint.com/en/</loc></url>"
    b"<url><loc>https://www.urdupoint.com/en/world/a-1.html</loc></url>"
    b"</urlset>"
)


def locs(sitemap):
    return [entry["loc"] for entry in sitemap]


def test_gzipped_and_plain_sitemaps_read_the_same():
    assert locs(read_sitemap(gzip.compress(URLSET, mtime=0), 10_000)) == locs(read_sitemap(URLSET, 10_000)) == [
        "https://www.urdupoint.com/en/",
        "https://www.urdupoint.com/en/world/a-1.html",
    ]


@pytest.mark.parametrize(
    "body, reason",
    [
        (gzip.compress(URLSET, mtime=0)[:-20], "corrupt"),
        (b"\x1f\x8b\x08\x00garbage-garbage-garbage", "corrupt"),
        (gzip.compress(b"<urlset>" + b" " * 200_000 + b"</urlset>", mtime=0), "oversized"),
        (b"<html><body>Just a moment...</body></html>", "malformed"),
        (b"\x00\x01\x02 not xml at all", "malformed"),
        (b"", "malformed"),
    ],
    ids=["truncated-gzip", "corrupt-gzip", "gzip-bomb", "html-page", "binary", "empty"],
)
def test_unreadable_sitemaps_say_why(body, reason):
    with pytest.raises(SitemapError) as raised:
        read_sitemap(body, 100_000)
    assert raised.value.reason == reason


def test_of_an_index_the_newest_sitemaps_are_those_modified_last_else_the_first_listed():
    dated = [{"loc": "a", "lastmod": "2019-01-01"}, {"loc": "b", "lastmod": "2026-09-16T07:00:00+05:00"},
             {"loc": "c", "lastmod": "2026-09-14"}]
    assert newest_sitemaps(dated, 2) == ["b", "c"]
    assert newest_sitemaps([*dated, {"loc": "d"}], 2) == ["a", "b"]

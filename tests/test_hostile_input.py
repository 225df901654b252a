"""Hostile input, property-based: whatever a server sends, nothing crashes and nothing hangs.

Every parser that sees outside data is fed random and adversarial input; each must
return a value of its documented kind (or raise only its documented error).
"""

import gzip
import re
import sqlite3
import string

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scrapy.utils.test import get_crawler

from pipelines.items import ArticleItem, RejectedPage
from pipelines.normalise import fold
from crawler.search import fts_query, query_problem
from crawler.sitemaps import SitemapError, read_sitemap
from tests.samples import URDUPOINT_ONLY
from pipelines.urls import canonicalize
from pipelines.dateline import Dateline, parse_dateline
from pipelines.dates import parse_published
from pipelines.extract import ExtractPipeline, decode_html

FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

TAGS = ["html", "head", "body", "div", "p", "span", "script", "style", "h1", "h2", "table", "td", "br", "a", "meta"]
SCRIPTS = st.sampled_from(["Latin", "Arabic", "Hebrew", "Cyrillic", "Han", "Devanagari"])
ANY_TEXT = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=400)
FTS5_OPERATORS = {"AND", "OR", "NOT", "NEAR"}  # typed alone, a query's operators, not words
RTL_MIX = st.lists(
    st.sampled_from(["کراچی", "اسلام آباد", "\u200f", "\u202e", "\u200c", "(", ")", "۔", "ء", "2024", "Karachi", " ", ":"]),
    max_size=40,
).map("".join)


@st.composite
def html_soup(draw):
    """Random, often unbalanced markup with text in several scripts and odd attributes."""
    parts = []
    for _ in range(draw(st.integers(0, 60))):
        tag = draw(st.sampled_from(TAGS))
        kind = draw(st.sampled_from(["open", "close", "text", "attr", "comment", "cdata"]))
        if kind == "open":
            parts.append(f"<{tag}>")
        elif kind == "close":
            parts.append(f"</{tag}>")
        elif kind == "attr":
            parts.append(f'<{tag} class="{draw(st.text(string.ascii_letters + " _-", max_size=20))}" id=x>')
        elif kind == "comment":
            parts.append("<!-- " + draw(ANY_TEXT) + " -->")
        elif kind == "cdata":
            parts.append("<![CDATA[" + draw(ANY_TEXT) + "]]>")
        else:
            parts.append(draw(st.one_of(ANY_TEXT, RTL_MIX)))
    return "".join(parts)


def extract(body: bytes, encoding: str | None = "utf-8"):
    """The pipeline's answer, which must be a named decision, not its last-resort catch of a crash."""
    url = "https://www.urdupoint.com/en/pakistan/x-1.html"
    pipeline = ExtractPipeline(get_crawler().stats, URDUPOINT_ONLY)
    result = pipeline.extract_item(ArticleItem(url=url, fetched_url=url, body=body, encoding=encoding, fetched_at="",
                                                 outlet="urdupoint"))
    assert getattr(result, "reason", None) != "extraction_error"
    return result


@FAST
@given(html_soup(), st.sampled_from(["utf-8", "cp1252", "latin-1", "utf-16", "shift_jis", "bogus-charset", None]))
def test_any_markup_in_any_declared_encoding_is_extracted_or_rejected(soup, encoding):
    body = soup.encode("utf-8", errors="replace")
    assert isinstance(extract(body, encoding), (ArticleItem, RejectedPage))


@FAST
@given(st.binary(max_size=5000))
def test_any_bytes_are_extracted_or_rejected(body):
    result = extract(body)
    assert isinstance(result, (ArticleItem, RejectedPage))
    if isinstance(result, ArticleItem):
        assert result.title and result.text


@FAST
@given(st.binary(max_size=3000), st.sampled_from(["utf-8", "cp1252", "utf-16", "gb18030", "bogus", None]))
def test_decoding_always_gives_text(body, encoding):
    text, how = decode_html(body, encoding)
    assert isinstance(text, str) and how in {"declared", "repaired", "lossy"}


@FAST
@given(st.one_of(ANY_TEXT, RTL_MIX, st.text(alphabet="()-:/,. 0123456789UrduPointNews", max_size=300)))
def test_parse_dateline_returns_a_dateline_or_nothing(text):
    found = parse_dateline(text, URDUPOINT_ONLY.get("urdupoint").hints.dateline_brand)
    assert found is None or (isinstance(found, Dateline) and found.body in text)


@FAST
@given(st.one_of(
    ANY_TEXT,
    st.from_regex(r"\d{1,5}-\d{1,3}-\d{1,3}T\d{1,3}:\d{1,3}(:\d{1,3})?([+-]\d{2}:?\d{2}|Z)?", fullmatch=True),
    st.from_regex(r"(Published )?[A-Z][a-z]{2,8} \d{1,3}(st|nd|rd|th)?, \d{1,6} \| \d{1,2}:\d{2} [AP]M", fullmatch=True),
))
def test_absurd_dates_are_refused_not_guessed(value):
    parsed = parse_published(value)
    assert parsed is None or 1995 <= parsed.year <= 2100


@st.composite
def sitemap_shaped(draw) -> bytes:
    """A root element of any name around entries with random locations, sometimes gzipped."""
    root = draw(st.sampled_from(["urlset", "sitemapindex", "html", "rss", "sitemap"]))
    entries = draw(st.lists(st.tuples(st.sampled_from(["url", "sitemap", "item"]), ANY_TEXT), max_size=5))
    xml = "".join(f"<{tag}><loc>{loc}</loc></{tag}>" for tag, loc in entries)
    body = f"<?xml version='1.0'?><{root}>{xml}</{root}>".encode("utf-8")
    return gzip.compress(body, mtime=0) if draw(st.booleans()) else body


@FAST
@given(st.one_of(st.binary(max_size=4000), sitemap_shaped()))
def test_sitemaps_of_any_bytes_are_read_or_refused_with_a_reason(body):
    try:
        sitemap = read_sitemap(body, 100_000)
    except SitemapError as error:
        assert error.reason in {"corrupt", "oversized", "malformed"}
        return
    assert sitemap.type in {"urlset", "sitemapindex"}
    assert all(isinstance(entry, dict) for entry in sitemap)  # the spider reads each entry's "loc"


@FAST
@given(st.binary(max_size=2000), st.integers(1, 200))
def test_truncated_gzip_sitemaps_are_refused(payload, cut):
    data = gzip.compress(b"<urlset>" + payload + b"</urlset>", mtime=0)
    with pytest.raises(SitemapError):
        read_sitemap(data[: max(len(data) - cut, 1)], 100_000)


@FAST
@given(ANY_TEXT)
def test_any_typed_query_is_valid_fts5(text):
    conn = sqlite3.connect(":memory:")
    conn.execute("create virtual table t using fts5(x, tokenize='unicode61 remove_diacritics 2')")
    query = fts_query(text)
    if query is None:  # a search too long or of too many words, or nothing left to search but the operators
        assert query_problem(text) is not None or [
            word for word in re.findall(r"[^\W_]+", fold(text)) if word not in FTS5_OPERATORS] == []
        return
    conn.execute("select * from t where t match ?", [query]).fetchall()


@FAST
@given(st.text(max_size=200))
def test_any_link_canonicalises_or_fails_cleanly(link):
    try:
        result = canonicalize("https://www.urdupoint.com/" + link)
    except ValueError:
        return  # an unparseable URL (bad port, bad IPv6) is refused by urllib, never stored
    assert result.startswith("https://www.urdupoint.com/")

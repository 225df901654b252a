"""A snippet's text is escaped for where it is shown, then marked: tags or escape sequences written
in an article never pass for the highlight, in datasette's rendered page nor in ``scrapy search``."""

import json
from pathlib import Path

import pytest

from pipelines.archive import Archive
from tests.samples import article, scrapy, scrapy_on_terminal
from tests.test_datasette import get, make_datasette

TAGGED = article(
    "https://www.urdupoint.com/en/business/tagged-1.html",
    "Markup \x1b[31mprices\x1b[0m in a title",
    ["The page said <mark>secret</mark> and <b>bold</b> &amp; more about the wheat \x1b[1mfake bold\x1b[0m harvest."],
    "2023-03-01T10:00:00+05:00",
)


@pytest.fixture(scope="module")
def db(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("escaping") / "archive.db"
    archive = Archive.open(path)
    try:
        archive.add_article(TAGGED, TAGGED.urls, "2023-03-05T08:00:00+00:00")
    finally:
        archive.close()
    return path


def test_a_tag_in_the_text_is_shown_as_text_on_the_search_page(db):
    ds = make_datasette(db)
    [row] = get(ds, "/archive/search.json", q="wheat", _shape="array").json()
    assert "said &lt;mark&gt;secret&lt;/mark&gt; and &lt;b&gt;bold&lt;/b&gt; &amp;amp; more" in row["snippet"]
    assert row["snippet"].count("<mark>") == 1 and "<mark>wheat</mark>" in row["snippet"]
    page = get(ds, "/archive/search", q="wheat").text
    assert "said &lt;mark&gt;secret&lt;/mark&gt; and &lt;b&gt;bold&lt;/b&gt; &amp;amp; more about the <mark>wheat</mark>" in page
    assert "<mark>secret" not in page and "<b>bold" not in page


def test_a_snippet_cell_with_other_tags_is_escaped_whole(db):
    ds = make_datasette(db)
    response = get(ds, "/archive", sql="select '<mark>x</mark><script>alert(1)</script>' as snippet")
    assert "&lt;mark&gt;x&lt;/mark&gt;&lt;script&gt;" in response.text and "<script>alert" not in response.text


def test_scrapy_search_shows_the_text_as_written_with_its_own_marks(db):
    result = scrapy(db, "search", "wheat", "--json")
    [row] = json.loads(result.stdout)
    assert "said <mark>secret</mark> and <b>bold</b> &amp; more about the [wheat] \ufffd[1m" in row["snippet"]


def test_scrapy_search_on_a_terminal_bolds_only_the_match(db):
    shown = scrapy_on_terminal(db, "search", "wheat", stream="stdout")
    assert shown.count("\x1b[1m") == 1 and "\x1b[1mwheat\x1b[0m" in shown
    assert "\x1b[1mwheat\x1b[0m \ufffd[1mfake" in shown
    assert "Markup \ufffd[31mprices\ufffd[0m in a title" in shown and "\x1b[31m" not in shown
    assert "<mark>secret</mark>" in shown

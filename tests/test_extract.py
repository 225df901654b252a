"""ExtractPipeline on hostile and odd pages: each is rejected with a named reason or repaired."""

import pytest
from scrapy.utils.test import get_crawler

from pipelines.items import ArticleItem, RejectedPage
from tests.samples import URDUPOINT_ONLY
from pipelines.body import extract_body
from pipelines.extract import ExtractPipeline, decode_html, parse_html
from pipelines.profile import Profiles
from pipelines.hints import PageHints

BODY = " ".join(["The provincial cabinet approved the new wheat support price on Monday."] * 6)
ARTICLE = """<html lang="en"><head><title>{title} - UrduPoint</title>
<script type="application/ld+json">{{"@type": "NewsArticle", "headline": "{title}",
 "datePublished": "2024-03-23T16:50:00+05:00", "author": {{"@type": "Person", "name": "Sumaira FH"}}}}</script>
</head><body><div class="main_bar fl news_article"><h1>{title}</h1>
<div class="detail_txt">{body}</div><div class="social_sharer">Share Tweet WhatsApp</div></div></body></html>"""


def page(body: bytes, encoding: str | None = "utf-8") -> ArticleItem:
    url = "https://www.urdupoint.com/en/pakistan/cabinet-approves-1702211.html"
    return ArticleItem(url=url, fetched_url=url, body=body, encoding=encoding, fetched_at="2026-01-01T00:00:00+00:00",
                       outlet="urdupoint")


@pytest.fixture
def extract():
    crawler = get_crawler()
    pipeline = ExtractPipeline(crawler.stats, URDUPOINT_ONLY)
    return pipeline


def article_html(title="Cabinet approves wheat price", body=f"<p>{BODY}</p>") -> bytes:
    return ARTICLE.format(title=title, body=body).encode("utf-8")


def test_an_article_page_gives_its_fields(extract):
    item = extract.extract_item(page(article_html()))
    assert (item.title, item.author, item.published_at) == (
        "Cabinet approves wheat price",
        "Sumaira FH",
        "2024-03-23T16:50:00+05:00",
    )
    assert item.text == BODY
    assert "Share" not in item.text


CHALLENGE = b"""<!DOCTYPE html><html><head><title>Just a moment...</title></head><body>
<div>Checking if the site connection is secure</div><script src="/cdn-cgi/challenge-platform/h/b/orchestrate/jsch/v1"></script>
</body></html>"""


@pytest.mark.parametrize(
    "body, reason",
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 20, "binary"),
        (b"", "malformed_html"),
        (b"   \n  ", "malformed_html"),
        (CHALLENGE, "challenge"),
        (b"<html><body><h1>About us</h1><p>UrduPoint is a news site.</p></body></html>", "not_article"),
        (article_html(body=""), "empty_body"),
        (article_html(title="", body=f"<p>{BODY}</p>").replace(b"<h1></h1>", b"").replace(b"<title> - UrduPoint</title>", b""), "no_title"),
    ],
    ids=["binary", "empty", "blank", "challenge", "not-article", "empty-body", "no-title"],
)
def test_bad_pages_are_rejected_with_a_reason(extract, body, reason):
    result = extract.extract_item(page(body))
    assert isinstance(result, RejectedPage)
    assert result.reason == reason
    assert extract.stats.get_value(f"extract/rejected/{reason}") == 1


def test_a_page_whose_header_lies_about_its_encoding_is_repaired(extract):
    body = article_html(body="<p>The £5 fee, said Zoë Müller, “is fair”. " + BODY + "</p>").decode().encode("cp1252")
    body = body.replace(b"<html lang", b'<html><head><meta charset="windows-1252"></head><html lang', 1)
    item = extract.extract_item(page(body, encoding="utf-8"))
    assert item.text.startswith("The £5 fee, said Zoë Müller, “is fair”.")
    assert extract.stats.get_value("extract/encoding/repaired") == 1


@pytest.mark.parametrize(
    "encoded, encoding",
    [
        (lambda html: html.encode("utf-8"), "utf-8"),
        (lambda html: html.encode("utf-8"), None),
        (lambda html: b"\xef\xbb\xbf" + html.encode("utf-8"), "utf-8"),  # a byte order mark
        (lambda html: html.replace("fee", "fee\x0b").encode("utf-8"), "utf-8"),  # a control character lxml refuses
        (lambda html: html.encode("cp1252"), "cp1252"),
        (lambda html: html.encode("utf-16"), "utf-16"),
    ],
    ids=["utf8", "utf8-undeclared", "utf8-bom", "utf8-control-character", "cp1252", "utf16"],
)
def test_the_text_comes_through_whatever_encoding_the_page_is_served_in(extract, encoded, encoding):
    html = article_html(body="<p>The £5 fee, said Zoë Müller, “is fair”. " + BODY + "</p>").decode()
    item = extract.extract_item(page(encoded(html), encoding=encoding))
    assert item.text.startswith("The £5 fee") and "Zoë Müller, “is fair”." in item.text
    assert extract.stats.get_value("extract/encoding/repaired") is None


@pytest.mark.parametrize(
    "body, encoding, expected",
    [
        ("café".encode("utf-8"), "utf-8", ("café", "declared")),
        ("café".encode("cp1252"), "cp1252", ("café", "declared")),
        ("café".encode("utf-8"), "cp1252", ("café", "repaired")),
        ("café".encode("cp1252"), "utf-8", ("café", "repaired")),
        ('<meta charset="iso-8859-1">caf\xe9'.encode("latin-1"), "utf-8", ('<meta charset="iso-8859-1">café', "repaired")),
    ],
    ids=["utf8", "cp1252", "utf8-declared-as-cp1252", "lying-header", "meta-declared"],
)
def test_decoding(body, encoding, expected):
    assert decode_html(body, encoding) == expected


@pytest.mark.parametrize(
    "body",
    [
        b"<div>" * 50_000 + b"deep" + b"</div>" * 50_000,
        b"<html><body><p>" + b"x" * 3_000_000 + b"</p></body></html>",
        b"<html><body><p>unclosed <b>tags <i>everywhere <table><tr><td>cell",
        "<html dir='rtl'><body><p>\u202eمخلوط text עברית \u200f</p></body></html>".encode(),
    ],
    ids=["deeply-nested", "huge-line", "unclosed-tags", "mixed-scripts"],
)
def test_odd_markup_never_crashes(extract, body):
    result = extract.extract_item(page(body))
    assert isinstance(result, (ArticleItem, RejectedPage))


UNMARKED = """<html lang="en"><head><title>Cabinet approves wheat price</title>{og_type}</head><body>
<div class="v2-page"><h1>Cabinet approves wheat price</h1>{date_line}
<div class="v2-text"><p>{body}</p></div></div></body></html>"""
ARTICLE_URL = "https://www.urdupoint.com/en/pakistan/cabinet-approves-1702211.html"


def unmarked_page(url: str, og_type: str | None = None, date_line: str = "") -> ArticleItem:
    """A page no metadata marks as an article, and whose class names the hints do not know."""
    og = f'<meta property="og:type" content="{og_type}">' if og_type else ""
    body = UNMARKED.format(og_type=og, date_line=date_line, body=BODY).encode()
    return ArticleItem(url=url, fetched_url=url, body=body, encoding="utf-8", fetched_at="2026-01-01T00:00:00+00:00",
                       outlet="urdupoint")


@pytest.mark.parametrize(
    "url, og_type, reason",
    [
        (ARTICLE_URL, None, None),
        ("https://www.urdupoint.com/en/news/pakistan.html", None, "not_article"),  # a listing's URL
        (ARTICLE_URL, "website", "not_article"),  # at an article URL, marked as something else (a gallery)
    ],
    ids=["article-url", "listing-url", "article-url-marked-website"],
)
def test_an_undated_page_without_metadata_is_an_article_at_an_article_url(extract, url, og_type, reason):
    result = extract.extract_item(unmarked_page(url, og_type))
    if reason:
        assert isinstance(result, RejectedPage) and result.reason == reason
    else:
        assert (result.title, result.text, result.published_at) == ("Cabinet approves wheat price", BODY, None)
        assert extract.stats.get_value("extract/published_at/missing") == 1


@pytest.mark.parametrize(
    "date_line",
    ['<div class="v2-by">Sumaira FH <span>Published</span> <span>March 02, 2023 | 05:20 PM</span></div>',
     '<div class="v2-when">Mar 2, 2023 at 5:20 PM</div>'],
    ids=["byline", "date-alone"],
)
def test_the_time_comes_from_the_visible_date_line_when_nothing_marks_it(extract, date_line):
    item = extract.extract_item(unmarked_page("https://www.urdupoint.com/en/news/pakistan-2.html", date_line=date_line))
    assert (item.title, item.text, item.published_at) == ("Cabinet approves wheat price", BODY, "2023-03-02T17:20:00+05:00")
    assert extract.stats.get_value("extract/published_at/visible_date") == 1


# Another outlet's page, read on the generic path (no site hints): its own markup, its own time zone.
OTHER_OUTLET_URL = "https://news.example.com/story/river-levels"
OTHER_OUTLET = """<html lang="en"><head><title>River levels fall after storm</title>{head}</head><body>
<header><a href="/">Example News</a></header><div class="story"><h1>River levels fall after storm</h1>{date_line}
<p>{body}</p></div></body></html>"""
RIVER_BODY = " ".join(["Water levels on the river fell through the night as the storm moved east."] * 8)


def other_outlet_page(head: str = "", date_line: str = "", url: str = OTHER_OUTLET_URL) -> ArticleItem:
    body = OTHER_OUTLET.format(head=head, date_line=date_line, body=RIVER_BODY).encode()
    return ArticleItem(url=url, fetched_url=url, body=body, encoding="utf-8", fetched_at="2026-01-01T00:00:00+00:00")


@pytest.fixture
def generic():
    return ExtractPipeline(get_crawler().stats, Profiles())


@pytest.mark.parametrize(
    "written, expected",
    [
        ("2015-07-10T21:53:00-04:00", ("2015-07-10T21:53:00-04:00", "2015-07-11T01:53:00+00:00")),  # keeps its offset
        ("2023-06-07T20:54:26Z", ("2023-06-07T20:54:26+00:00", "2023-06-07T20:54:26+00:00")),
        # naive: written without offset, its UTC copy the same wall time read as UTC
        ("2023-06-07T20:54:26", ("2023-06-07T20:54:26", "2023-06-07T20:54:26+00:00")),
    ],
    ids=["new-york-evening", "utc-evening", "naive"],
)
def test_without_an_outlet_zone_a_time_keeps_its_own_offset(generic, written, expected):
    head = f'<meta property="og:type" content="article"><meta property="article:published_time" content="{written}">'
    item = generic.extract_item(other_outlet_page(head))
    assert (item.published_at, item.published_at_utc) == expected
    assert generic.stats.get_value("extract/published_at/naive") == (1 if written == "2023-06-07T20:54:26" else None)


def test_without_an_outlet_zone_a_naive_time_takes_the_offset_another_time_on_the_page_is_written_with(generic):
    head = ('<script type="application/ld+json">{"@type": "NewsArticle", "datePublished": "2023-06-07T20:54:26"}</script>'
            '<meta property="article:published_time" content="2023-06-07T20:54:26-04:00">')
    item = generic.extract_item(other_outlet_page(head))
    assert (item.published_at, item.published_at_utc) == ("2023-06-07T20:54:26-04:00", "2023-06-08T00:54:26+00:00")
    assert generic.stats.get_value("extract/published_at/page_offset") == 1


def test_urdupoint_hints_write_every_time_in_pakistan_time(extract):
    body = article_html().replace(b"2024-03-23T16:50:00+05:00", b"2024-03-23T21:50:00-04:00")
    item = extract.extract_item(page(body))
    assert (item.published_at, item.published_at_utc) == ("2024-03-24T06:50:00+05:00", "2024-03-24T01:50:00+00:00")


def test_without_an_outlet_profile_a_page_with_a_headline_and_a_substantial_body_is_an_article(generic):
    item = generic.extract_item(other_outlet_page())
    assert (item.title, item.text, item.published_at) == ("River levels fall after storm", RIVER_BODY, None)


TEASERS = "".join(
    f'<li><a href="/story/{n}">Story number {n} of the day in full detail</a> A short teaser of the story {n} '
    "written to make readers click through to the whole article.</li>" for n in range(12))


@pytest.mark.parametrize(
    "head, body, url",
    [
        ("", "<p>Water levels fell.</p>", OTHER_OUTLET_URL),  # a stub
        ('<meta property="og:type" content="video.other">', None, OTHER_OUTLET_URL),
        ('<meta property="og:type" content="profile">', None, OTHER_OUTLET_URL),
        ('<meta property="og:type" content="website">', None, "https://news.example.com/"),  # the home page
        ("", f"<ul>{TEASERS}</ul>", "https://news.example.com/section/rivers"),
        ("<title>404 Page not found</title>", None, OTHER_OUTLET_URL),
    ],
    ids=["short-body", "video", "profile", "home-page", "teaser-listing", "not-found"],
)
def test_without_an_outlet_profile_a_page_that_is_something_else_is_not_an_article(generic, head, body, url):
    html = other_outlet_page(head, url=url).body
    if body:
        html = html.replace(f"<p>{RIVER_BODY}</p>".encode(), body.encode())
    if "404" in head:
        html = html.replace(b"<h1>River levels fall after storm</h1>", b"<h1>404 Page not found</h1>")
        html = html.replace(b"<title>River levels fall after storm</title>", b"")
    result = generic.extract_item(ArticleItem(url=url, fetched_url=url, body=html, encoding="utf-8",
                                              fetched_at="2026-01-01T00:00:00+00:00"))
    assert isinstance(result, RejectedPage) and result.reason == "not_article"


def test_without_an_outlet_profile_a_website_page_that_is_not_the_home_page_is_an_article(generic):
    item = generic.extract_item(other_outlet_page('<meta property="og:type" content="website">'))
    assert (item.title, item.text) == ("River levels fall after storm", RIVER_BODY)


@pytest.mark.parametrize(
    "head, date_line, url, expected, source",
    [
        ('<meta name="publishdate" content="2016-10-14T09:30:00-04:00">', "", OTHER_OUTLET_URL,
         "2016-10-14T09:30:00-04:00", "meta_date"),
        ('<meta name="date" content="2016-10-14T09:30:00+02:00">', "", OTHER_OUTLET_URL,
         "2016-10-14T09:30:00+02:00", "meta_date"),
        ('<meta name="dcterms.created" content="2016-10-14T09:30:00Z">', "", OTHER_OUTLET_URL,
         "2016-10-14T09:30:00+00:00", "dublin_core"),
        ('<meta name="DC.date.issued" content="2016-10-14T09:30:00Z">', "", OTHER_OUTLET_URL,
         "2016-10-14T09:30:00+00:00", "dublin_core"),
        ("", '<time itemprop="datePublished" datetime="2016-10-14T09:30:00-07:00">Oct 14</time>', OTHER_OUTLET_URL,
         "2016-10-14T09:30:00-07:00", "time_element"),
        ("", "", "https://news.example.com/2016/10/14/river-levels", "2016-10-14", "url"),
    ],
    ids=["publishdate", "date", "dcterms-created", "dc-date-issued", "time-element", "url"],
)
def test_the_time_is_read_where_other_outlets_write_it(generic, head, date_line, url, expected, source):
    item = generic.extract_item(other_outlet_page(head, date_line, url))
    assert item.published_at == expected
    assert generic.stats.get_value(f"extract/published_at/{source}") == 1


def test_a_time_in_the_metadata_wins_over_the_day_in_the_url(generic):
    head = '<meta name="publishdate" content="2016-10-13T23:30:00-04:00">'
    item = generic.extract_item(other_outlet_page(head, url="https://news.example.com/2016/10/14/river-levels"))
    assert item.published_at == "2016-10-13T23:30:00-04:00"


def test_a_schema_org_social_media_posting_is_an_article_with_its_date(generic):
    head = ('<script type="application/ld+json">{"@type": "SocialMediaPosting", "headline": "River levels fall after storm",'
            ' "datePublished": "2014-09-02T08:35:27-04:00"}</script>')
    item = generic.extract_item(other_outlet_page(head))
    assert (item.title, item.published_at) == ("River levels fall after storm", "2014-09-02T08:35:27-04:00")
    assert generic.stats.get_value("extract/published_at/jsonld") == 1


def test_an_east_asian_date_line_under_the_headline_gives_the_time(generic):
    item = generic.extract_item(other_outlet_page(date_line="<div><span>2018年6月18日 10:01</span><span>発信地：東京</span></div>"))
    assert item.published_at == "2018-06-18T10:01:00"  # naive: the page names no offset
    assert generic.stats.get_value("extract/published_at/visible_date") == 1


def test_the_date_line_follows_the_headline_not_a_logo_heading_before_it(generic):
    page = other_outlet_page(date_line="<div>2018年6月18日 10:01</div>")
    page.body = page.body.replace(b"<header>", b'<header><h1><img alt="Example News"></h1><ul><li>World</li>'
                                  + b"".join(b"<li>Section %d</li>" % n for n in range(12)) + b"</ul>")
    assert generic.extract_item(page).published_at == "2018-06-18T10:01:00"


def test_a_body_that_precise_reading_cuts_to_its_first_block_is_read_whole(generic):
    """trafilatura's favor_precision keeps one paragraph of a body whose paragraphs each sit in nested blocks."""
    paragraphs = [f"Part {n}: water levels on the river fell through the night as the storm moved east and crews"
                  " worked to clear the banks. Farmers along the lower reaches said the water had reached their"
                  " fields but spared the houses." for n in range(6)]
    blocks = "".join(f"<div class='block'><div class='box'><div class='content'><p>{p}</p></div></div></div>"
                     for p in paragraphs)
    html = f"<html><body><section><div class='col-main'><h1>River levels fall</h1>{blocks}</div></section></body></html>"
    item = generic.extract_item(ArticleItem(url=OTHER_OUTLET_URL, fetched_url=OTHER_OUTLET_URL, body=html.encode(),
                                            encoding="utf-8", fetched_at="2026-01-01T00:00:00+00:00"))
    assert item.text == "\n\n".join(paragraphs)
    assert generic.stats.get_value("extract/body/trafilatura_recall") == 1


def test_an_impossible_day_in_the_url_is_not_a_date(generic):
    item = generic.extract_item(other_outlet_page(url="https://news.example.com/2016/19/14/river-levels"))
    assert (item.title, item.published_at) == ("River levels fall after storm", None)


def stories_read_both_ways(paragraph: str, link: str) -> list[tuple[str, str]]:
    """A hinted story element, and the way its body is read: paragraphs, which trafilatura reads; links all through,
    which it keeps none of, so that the hinted element's own text is the body. ``{n}`` numbers each."""
    return [
        ("".join(f"<p>{paragraph.format(n=n)}</p>" for n in range(4)), "trafilatura_in_hint"),
        ("<ul>" + "".join(f'<li><a href="/n/{n}">{link.format(n=n)}</a></li>' for n in range(6)) + "</ul>", "hint_text"),
    ]


@pytest.mark.parametrize(
    "story, method",
    stories_read_both_ways("امتحانات کی ڈیٹ\u200cشیٹ جاری کر دی گئی، پرچہ نمبر {n} پیر کو ہوگا",
                           "امتحانات کی ڈیٹ\u200cشیٹ جاری کر دی گئی نمبر {n}"),
)
def test_a_zero_width_non_joiner_comes_through_whichever_way_the_body_is_read(story, method):
    page = parse_html(f'<html><body><div class="story">{story}</div><footer>About us</footer></body></html>')
    text, how = extract_body(page, "https://example.com/khabar/1", PageHints(body="//div[@class='story']"))
    assert how == method
    assert "ڈیٹ\u200cشیٹ" in text and "\ufffc" not in text


@pytest.mark.parametrize(
    "story, method",
    stories_read_both_ways("Wheat output rose in district {n}, the provincial crop report said on Monday.",
                           "Wheat output rose in district {n}, the crop report said"),
)
def test_a_drawings_labels_are_not_body_text_whichever_way_the_body_is_read(story, method):
    chart = '<svg viewBox="0 0 100 50"><title>Wheat output chart</title><text x="1" y="9">Tonnes by district</text></svg>'
    page = parse_html(f'<html><body><div class="story">{chart}{story}</div></body></html>')
    text, how = extract_body(page, "https://example.com/news/1", PageHints(body="//div[@class='story']"))
    assert how == method and "Wheat output rose in district 3" in text
    assert "chart" not in text and "Tonnes" not in text

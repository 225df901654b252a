"""Meta tags as read_metadata reads them: one walk over the page's tags, names looked up after."""

import pytest

from pipelines.extract import parse_html
from pipelines.hints import PageHints
from pipelines.metadata import MetaTags, byline_author, day_in_url, find_byline, may_show_byline_words, read_metadata


def meta_tags(head: str, after_html: str = "") -> MetaTags:
    return MetaTags(parse_html(f"<html><head>{head}</head><body><p>Text</p></body></html>{after_html}"))


def test_a_name_gives_the_first_non_empty_content_on_the_page_whichever_attribute_names_it():
    tags = meta_tags(
        '<meta property="og:title" content="  "><meta itemprop="og:title">'
        '<meta name="og:title" content=" Cabinet  approves &amp;amp; wheat "><meta property="og:title" content="Later">'
    )
    assert tags.content("og:title") == "Cabinet approves & wheat"


def test_the_first_name_that_has_content_wins_over_the_later_ones():
    tags = meta_tags(
        '<meta name="twitter:description" content="From Twitter"><meta property="og:description" content="From OG">'
    )
    assert tags.content("description", "og:description", "twitter:description") == "From OG"
    assert tags.content("keywords", "news_keywords") is None


def test_article_tags_are_every_non_empty_article_tag_property_in_page_order():
    tags = meta_tags(
        '<meta property="article:tag" content="Wheat"><meta property="article:tag" content=" ">'
        '<meta name="article:tag" content="Not a property"><meta property="article:tag" content="Wheat">'
        '<meta property="article:tag" content="Punjab">'
    )
    assert tags.article_tags == ["Wheat", "Wheat", "Punjab"]


def test_tags_the_parser_leaves_after_the_closing_html_tag_are_read_too():
    tags = meta_tags("", after_html='<meta name="author" content="Sumaira FH">')
    assert tags.content("author") == "Sumaira FH"


STORY = '{"@type": "NewsArticle", "headline": "River levels fall", "datePublished": "2016-10-14T09:00:00Z"}'


def metadata_of(*blocks: str):
    scripts = "".join(f'<script type="application/ld+json">{block}</script>' for block in blocks)
    return read_metadata(parse_html(f"<html><head>{scripts}</head><body><p>Text</p></body></html>"), PageHints())


@pytest.mark.parametrize(
    "block",
    [
        f"<![CDATA[{STORY}]]>",
        f"\n//<![CDATA[\n{STORY}\n//]]>\n",
        f'{{"@context": "https://schema.org", "@graph": [{{"@type": "WebSite", "name": "Example"}}, {STORY}]}}',
        f'{{"@type": "WebPage", "name": "Example", "mainEntity": {STORY}}}',
        f'[{{"@type": "BreadcrumbList"}}, {STORY}]',
    ],
    ids=["cdata", "commented-cdata", "graph", "main-entity", "list"],
)
def test_the_article_is_read_from_json_ld_however_it_is_wrapped_or_nested(block):
    meta = metadata_of(block)
    assert (meta.title, meta.published[0], meta.marked_as_article, meta.invalid_jsonld) == (
        "River levels fall", ("jsonld", "2016-10-14T09:00:00Z"), True, 0)


def test_an_invalid_block_among_valid_ones_is_counted_and_the_others_read():
    meta = metadata_of('{"@type": "WebSite", "name": ', STORY)
    assert (meta.title, meta.invalid_jsonld) == ("River levels fall", 1)


@pytest.mark.parametrize(
    "headline, heading",
    [
        ("HEC budget cut rejected Senate body seeks review", "HEC budget cut rejected, Senate body seeks review"),
        ("Sindh to hire 12000 teachers", "Sindh to hire 12,000 teachers"),
    ],
    ids=["commas", "a-numbers-comma"],
)
def test_a_json_ld_headline_stripped_of_commas_is_written_as_the_page_heading_writes_it(headline, heading):
    page = parse_html(
        f'<html><head><script type="application/ld+json">{{"@type": "NewsArticle", "headline": "{headline}"}}'
        f"</script></head><body><h1>{heading}</h1><p>Text</p></body></html>")
    assert read_metadata(page, PageHints()).title == heading


def test_a_date_hint_on_a_time_element_gives_its_machine_readable_time():
    page = parse_html('<html><body><h1>Cotton yarn firm</h1><div class="meta"><time datetime="2005-03-07T15:42:12+05:00">'
                      "07 March, 2005</time></div><p>Text</p></body></html>")
    published = read_metadata(page, PageHints(date="//div[@class='meta']/time")).published
    assert published[0] == ("hint", "2005-03-07T15:42:12+05:00")


def test_the_word_by_is_not_part_of_a_bylines_author():
    assert byline_author("By Sadia Rahman") == "Sadia Rahman"


def title_of(head: str, body: str) -> tuple[str | None, str | None]:
    meta = read_metadata(parse_html(f"<html><head>{head}</head><body>{body}<p>Text</p></body></html>"), PageHints())
    return meta.title, meta.sources.get("title")


@pytest.mark.parametrize(
    "head, body, expected",
    [
        ("<title>Children who eat lentils early may avoid allergy</title>", "<h1>Allergies Health Centre</h1>",
         ("Children who eat lentils early may avoid allergy", "title")),
        ("<title>Caching WebAssembly modules on disk · Quill</title>",
         "<h1>Quill</h1><h1>Caching WebAssembly modules on disk</h1>", ("Caching WebAssembly modules on disk", "h1")),
        ("<title>Get your test coverage right | Code | Sana Mirza</title>", "<h1>Hi, I'm Sana.</h1>",
         ("Get your test coverage right | Code", "title")),
        ("<title>Notes on the monsoon - Kamran A. Baig ( kbaig )</title>", "<h1>Notes on the monsoon</h1>",
         ("Notes on the monsoon", "h1")),
        ("<title>Rain in Lahore: what the forecast says, and the flooding that was not - Daily Lens</title>",
         "<h1>Daily Lens</h1>", ("Rain in Lahore: what the forecast says, and the flooding that was not", "title")),
        ('<meta name="application-name" content="Daily Lens"><title>Daily Lens - Wheat</title>', "",
         ("Wheat", "title")),
        ("<title>Gwadar - a port in waiting</title>", "", ("Gwadar - a port in waiting", "title")),
        ("", "<h1>Cotton prices firm</h1>", ("Cotton prices firm", "h1")),
        ('<meta property="og:title" content="Cotton prices firm | Daily Lens"><title>Cotton</title>',
         "<h1>Daily Lens</h1>", ("Cotton prices firm | Daily Lens", "meta")),
    ],
    ids=["section-h1", "logo-h1-first", "blog-h1", "h1-without-owner", "site-h1", "site-first",
         "dash-in-headline", "h1-only", "og-title-as-written"],
)
def test_without_metadata_the_headline_is_the_h1_the_title_agrees_with_else_the_title_without_its_last_part(
        head, body, expected):
    assert title_of(head, body) == expected


@pytest.mark.parametrize(
    "head, expected",
    [
        ('<meta property="og:site_name" content="Daily Lens">'
         '<meta property="og:title" content="Cotton prices firm -- Daily Lens">', "Cotton prices firm"),
        ('<script type="application/ld+json">{"@type": "NewsArticle", "headline": "Cotton prices firm | Daily Lens",'
         ' "publisher": {"@type": "Organization", "name": "Daily Lens"}}</script>', "Cotton prices firm"),
        ('<meta property="og:site_name" content="Daily Lens">'
         '<meta property="og:title" content="Daily Lens wins a press award | Herald">',
         "Daily Lens wins a press award | Herald"),
    ],
    ids=["og-title", "json-ld-headline", "name-inside-the-headline"],
)
def test_a_metadata_title_loses_the_site_name_the_page_gives_after_or_before_it(head, expected):
    assert title_of(head, "<h1>Cotton prices firm</h1>")[0] == expected


@pytest.mark.parametrize(
    "url, day",
    [
        ("https://example.com/2016/10/14/river-levels-fall", "2016-10-14"),
        ("http://www.example.cn/fortune/2023-11/17/c_1129981476.htm", "2023-11-17"),
        ("https://example.com/news/2023-11-17/river-levels-fall", "2023-11-17"),
        ("https://example.com/n1/20231117/river-levels-fall", "2023-11-17"),
        ("https://example.com/2016/13/45/a-number-not-a-day", None),
        ("https://example.com/story/20231117123/a-story-number", None),
    ],
    ids=["slashes", "year-month-then-day", "dashes", "digits", "impossible", "story-number"],
)
def test_the_day_a_url_is_filed_under(url, day):
    assert day_in_url(url) == day


@pytest.mark.parametrize(
    "head, published",
    [
        ('<meta name="DC.Date.Created" content="2031-03-07">', ("meta", "2031-03-07")),
        ('<meta name="parsely-pub-date" content="2031-03-07T09:00:00Z">', ("meta", "2031-03-07T09:00:00Z")),
        ('<meta property="og:published_time" content="2031-03-07T09:00:00+05:00">',
         ("meta", "2031-03-07T09:00:00+05:00")),
        ('<script type="application/ld+json">{"@type": "NewsArticle", "dateCreated": "2031-03-08T01:00:00Z"}</script>'
         '<meta property="article:published_time" content="2031-03-07T17:00:00-08:00">',
         ("meta", "2031-03-07T17:00:00-08:00")),
        ('<script type="application/ld+json">{"@type": "NewsArticle", "dateCreated": "2031-03-08T01:00:00Z"}</script>',
         ("jsonld_created", "2031-03-08T01:00:00Z")),
        ('<script type="application/ld+json">{"@type": "NewsArticle", "datePublished": ["2031-03-07"]}</script>',
         ("jsonld", "2031-03-07")),
        ('<meta property="og:article:published_time" content="2031-03-07T09:00:00+05:00">',
         ("meta", "2031-03-07T09:00:00+05:00")),
    ],
    ids=["dublin-core-any-case", "parsely", "og-published-time", "created-after-published-meta", "created-alone",
         "published-list", "og-article-published-time"],
)
def test_the_publication_time_is_read_from_every_common_source(head, published):
    meta = read_metadata(parse_html(f"<html><head>{head}</head><body><p>Text</p></body></html>"), PageHints())
    assert meta.published[0] == published


def test_a_microdata_element_that_is_not_a_meta_tag_gives_its_content():
    page = parse_html('<html><body><h1>Cotton yarn firm</h1>'
                      '<span itemprop="datePublished" content="2031-03-07T09:00:00Z">7 March</span>'
                      "<p>Text</p></body></html>")
    assert read_metadata(page, PageHints()).published[0] == ("microdata", "2031-03-07T09:00:00Z")


def test_a_hatom_published_abbr_gives_its_title():
    page = parse_html('<html><body><h1>Cotton yarn firm</h1>'
                      '<abbr class="entry published" title="2031-03-07T09:00:00-08:00">9:00 AM</abbr>'
                      "<p>Text</p></body></html>")
    assert read_metadata(page, PageHints()).published[0] == ("microdata", "2031-03-07T09:00:00-08:00")


def test_a_page_no_source_dates_is_dated_by_htmldate_from_its_text():
    page = parse_html("<html><body><h1>Cotton yarn firm</h1><p>Posted by Sadia on 2024-03-07, all posts</p>"
                      "<p>Text</p></body></html>")
    assert read_metadata(page, PageHints(), url="https://example.com/cotton").published == [("htmldate", "2024-03-07")]


def test_a_page_with_no_date_anywhere_has_none():
    page = parse_html("<html><body><h1>Cotton yarn firm</h1><p>Text</p></body></html>")
    assert read_metadata(page, PageHints(), url="https://example.com/cotton").published == []


@pytest.mark.parametrize(
    "html, shows, byline",
    [
        ('<div>Sumaira FH <span>Published</span> <span>March 02, 2023</span></div>', True,
         "Sumaira FH Published March 02, 2023"),
        ("<p>Updated 37 seconds ago</p>", True, "Updated 37 seconds ago"),
        ("<span>Re</span>Published on Monday", True, None),  # the word alone in the text, but no date
        ('<script type="application/ld+json">{"datePublished": "2023-03-02"}</script>', False, None),
        ('<meta itemprop="datePublished" content="2023-03-02"><p>RePublished in 2023</p>', False, None),
    ],
)
def test_a_page_is_searched_for_a_byline_only_where_its_html_holds_the_words_of_one(html, shows, byline):
    assert may_show_byline_words(html) is shows
    page = f"<html><body>{html}<p>{'Body text. ' * 30}</p></body></html>"
    found = find_byline(parse_html(page), PageHints(), page)
    assert (" ".join(found.text_content().split()) if found is not None else None) == byline

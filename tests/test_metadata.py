"""Meta tags as read_metadata reads them: one walk over the page's tags, names looked up after."""

from pipelines.extract import parse_html
from pipelines.metadata import MetaTags


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

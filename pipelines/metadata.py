"""Page metadata: JSON-LD first, then meta tags, then the outlet's visible markup (hints).

Each field records where it came from, so the extract pipeline can count fallbacks.
"""

import html
import json
import logging
import re
from dataclasses import dataclass, field
from datetime import date
from urllib.parse import urlsplit

from htmldate import find_date
from lxml import etree

from pipelines.dates import CJK_DATE, WRITTEN_DATE
from pipelines.hints import PageHints, compiled
from pipelines.titles import agreeing_heading, bare_title, punctuated, without_site_name

logger = logging.getLogger(__name__)

ARTICLE_TYPES = frozenset(
    {
        "NewsArticle",
        "Article",
        "ReportageNewsArticle",
        "AnalysisNewsArticle",
        "OpinionNewsArticle",
        "BackgroundNewsArticle",
        "BlogPosting",
        "LiveBlogPosting",
        "Report",
        # schema.org's other kinds of Article
        "SocialMediaPosting",
        "DiscussionForumPosting",
        "TechArticle",
        "ScholarlyArticle",
        "ReviewNewsArticle",
        "AskPublicNewsArticle",
        "SatiricalArticle",
    }
)
HANDLE_OR_DATE = re.compile(
    r"\s*(?:\(@|@|Published\b|Updated\b|\d+\s+(?:seconds?|minutes?|hours?|days?|weeks?|months?|years?)\s+ago\b"
    r"|(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)[a-z]*\s+\d)",
)


@dataclass
class PageMetadata:
    title: str | None = None
    summary: str | None = None
    author: str | None = None
    section: str | None = None
    tags: list[str] = field(default_factory=list)
    published: list[tuple[str, str]] = field(default_factory=list)  # (source, raw value), best first
    canonical_url: str | None = None
    language: str | None = None  # as the page declares it: <html lang>, JSON-LD inLanguage or og:locale
    marked_as_article: bool = False  # JSON-LD article type or og:type article
    marked_as_other: bool = False  # og:type names something else (a website, a gallery) and no JSON-LD an article
    page_type: str | None = None  # og:type, lower-cased
    sources: dict[str, str] = field(default_factory=dict)  # field -> where it came from
    invalid_jsonld: int = 0


def clean(text) -> str | None:
    if not isinstance(text, str):
        return None
    text = " ".join(html.unescape(text).split())  # str.split() splits where re's \s matches, at a quarter of the cost
    return text or None


def first_text(tree, xpath: str | None) -> str | None:
    return first_text_of(compiled(xpath)(tree)) if xpath else None


def first_text_of(nodes) -> str | None:
    """The first non-empty text of ``nodes`` (elements, or the strings an XPath gives), cleaned."""
    for node in nodes:
        text = clean(node if isinstance(node, str) else node.text_content())
        if text:
            return text
    return None


class MetaTags:
    """The page's ``<meta>`` tags, read in one walk rather than one whole-tree XPath per name.

    ``content(*names)`` is the first of ``names`` that has one: the first non-empty
    content, in document order, of a tag whose property, name or itemprop is that name.
    ``article_tags`` are the non-empty contents of the ``article:tag`` properties, in order.
    """

    def __init__(self, tree: etree._Element):
        self.contents: dict[str, str] = {}
        self.article_tags: list[str] = []
        for tag in compiled("//meta")(tree):  # not tree.iter(): the parser can leave tags outside <html>
            content = clean(tag.get("content"))
            if not content:
                continue
            for name in (tag.get("property"), tag.get("name"), tag.get("itemprop")):
                if name is not None:
                    self.contents.setdefault(name.casefold(), content)  # DC.date and dc.date alike
            if tag.get("property") == "article:tag":
                self.article_tags.append(content)

    def content(self, *names: str) -> str | None:
        return next((self.contents[key] for key in map(str.casefold, names) if key in self.contents), None)


# XHTML habits around a script's JSON: ``<![CDATA[ ... ]]>``, or the same markers behind ``//`` comments.
CDATA_MARKERS = re.compile(r"^\s*(?://\s*)?<!\[CDATA\[|(?://\s*)?\]\]>\s*$")
# In every script CDATA_MARKERS changes: the others skip its search, which is tried at each character (30 us a script).
CDATA_STRINGS = ("<![CDATA[", "]]>")
NESTING_KEYS = ("@graph", "mainEntity")  # where a JSON-LD object holds the article: a graph, a WebPage's main entity


def without_cdata_markers(script: str) -> str:
    return CDATA_MARKERS.sub("", script) if any(marker in script for marker in CDATA_STRINGS) else script


def jsonld_objects(tree) -> tuple[list[dict], int]:
    """All JSON-LD objects on the page (graphs, main entities and lists flattened) and the count of invalid blocks."""
    objects, invalid = [], 0
    for script in compiled("//script[@type='application/ld+json']/text()")(tree):
        try:
            data = json.loads(without_cdata_markers(script), strict=False)
        except ValueError:
            invalid += 1
            continue
        stack = [data]
        while stack:
            item = stack.pop()
            if isinstance(item, list):
                stack.extend(item)
            elif isinstance(item, dict):
                objects.append(item)
                stack.extend(item[key] for key in NESTING_KEYS if key in item)
    return objects, invalid


def types_of(obj: dict) -> set[str]:
    kind = obj.get("@type", [])
    return set(kind) if isinstance(kind, list) else {kind}


def names_of(value) -> list[str]:
    """Names from a JSON-LD author/keywords value: a string, an object with name, or a list of those."""
    values = value if isinstance(value, list) else [value]
    names = []
    for v in values:
        name = v.get("name") if isinstance(v, dict) else v
        if isinstance(name, str):
            names.extend(part for part in (clean(p) for p in name.split(",")) if part)
    return names


def unique(values) -> list[str]:
    seen, result = set(), []
    for value in values:
        key = value.casefold()
        if key not in seen:
            seen.add(key)
            result.append(value)
    return result


def byline_author(byline: str | None) -> str | None:
    """The name at the start of a byline such as ``Fahad Shabbir (@FahadShabbir) Published ...``."""
    if not byline:
        return None
    name = BY.sub("", HANDLE_OR_DATE.split(byline, maxsplit=1)[0].strip(" ,|-"))
    if not name or len(name) > 60 or any(ch.isdigit() for ch in name):
        return None
    return name


BY = re.compile(r"^By\s+", re.IGNORECASE)  # "By Sadia Rahman": the word is not the name
BYLINE_WORDS = "//text()[contains(., 'Published') or contains(., ' ago')][not(ancestor::script or ancestor::style)]"
BYLINE = re.compile(r"\bPublished\b.*\d{4}|\b\d+\s+(?:second|minute|hour|day|week|month)s?\s+ago\b")
BYLINE_MAX_CHARS = 160


def find_byline(tree: etree._Element, hints: PageHints, html: str) -> etree._Element | None:
    """The byline element of the page ``tree`` was parsed from (``html``): the hint's, else the largest short block
    reading ``... Published <date>`` or ``... 37 seconds ago ...`` (the first such on the page)."""
    if hints.byline:
        found = compiled(hints.byline)(tree)
        if found:
            return found[0]
    if not may_show_byline_words(html):
        return None
    for text in compiled(BYLINE_WORDS)(tree)[:50]:
        node = text.getparent()
        if text.is_tail:
            node = node.getparent()
        if node is None or len(clean(node.text_content()) or "") > BYLINE_MAX_CHARS:
            continue
        while node.getparent() is not None and node.getparent().tag not in ("body", "html"):
            if len(clean(node.getparent().text_content()) or "") > BYLINE_MAX_CHARS:
                break
            node = node.getparent()
        if BYLINE.search(clean(node.text_content()) or ""):  # the words and the date may sit in elements of their own
            return node
    return None


def may_show_byline_words(html: str) -> bool:
    """Whether the page's ``html`` may show a text :data:`BYLINE_WORDS` finds and :data:`BYLINE` then reads: one
    holding `` ago``, or ``Published`` as a word of its own (not the ``datePublished`` of most pages' JSON-LD).
    Searching the page's string takes a fiftieth of the time the XPath takes to make each of its text nodes a
    string to test (a millisecond on a real page of 250 KB), and two pages in three show neither."""
    if " ago" in html:
        return True
    start = html.find("Published")
    while start != -1:
        if not html[start - 1 : start].isalpha():
            return True
        start = html.find("Published", start + 1)
    return False


# The lines that follow the headline: where a page shows its date when nothing marks it up.
AFTER_HEADLINE = "following::text()[normalize-space()][not(ancestor::script or ancestor::style)][position() <= 12]"
DATE_LINE_MAX_CHARS = 80


def headline_element(tree: etree._Element, title: str | None) -> etree._Element | None:
    """The ``<h1>`` that reads as the page's ``title``, else the first: a site's logo may be an h1 too."""
    headings = compiled("//h1")(tree)
    return next((h1 for h1 in headings if clean(h1.text_content()) == title), headings[0] if headings else None)


def visible_date_line(tree: etree._Element, title: str | None) -> str | None:
    """The first short line after the headline that shows a written date (``March 02, 2023 | 05:20 PM``, ``2023年3月2日``)."""
    headline = headline_element(tree, title)
    for text in compiled(AFTER_HEADLINE)(headline) if headline is not None else ():
        line = clean(text)
        if line and len(line) <= DATE_LINE_MAX_CHARS and (WRITTEN_DATE.search(line) or CJK_DATE.search(line)):
            return line
    return None


def hinted_date(tree: etree._Element, xpath: str | None) -> str | None:
    """The date the hint's element shows: a ``<time>``'s machine-readable ``datetime``, else its text."""
    found = compiled(xpath)(tree) if xpath else []
    if found and getattr(found[0], "tag", None) == "time" and found[0].get("datetime"):
        return clean(found[0].get("datetime"))
    return first_text_of(found)


# Meta names of the publication time, as sites and their CMSs write them (compared ignoring case).
PUBLISHED_META = (
    "article:published_time", "datePublished", "pubdate", "publish-date", "og:published_time", "article:published",
    "og:article:published_time", "og:article:published", "article.published", "og:pubdate", "og:publish_date",
    "published_time", "published-date", "date_published", "publication_date", "parsely-pub-date", "sailthru.date",
    "citation_publication_date", "OriginalPublicationDate", "dc.date.created", "dc.date.publication",
    "rnews:datePublished", "dcsext.articlefirstpublished", "cxenseparse:recs:publishtime", "displaydate",
)


def jsonld_date(article: dict, key: str) -> str | None:
    """The article's date under ``key`` (the first, when a list)."""
    value = article.get(key)
    value = value[0] if isinstance(value, list) and value else value
    return value if isinstance(value, str) and value.strip() else None


# The article's own time element: marked as its publication time, else the first in the article.
TIME_ELEMENT = "(//time[@itemprop='datePublished'] | //article//time)/@datetime"
# <span itemprop="datePublished" content="...">, <abbr itemprop="datePublished" title="...">, hAtom's <abbr class="published">
MICRODATA = ("//*[@itemprop='datePublished'][not(self::meta)]/@*[name()='content' or name()='title']"
             " | //abbr[contains(concat(' ', normalize-space(@class), ' '), ' published ')]/@title")
# /2016/10/14/slug, /2023-11/17/c_1.htm, /2023-11-17/slug, /20231117/slug
URL_DAY = re.compile(
    r"/(?P<year>(?:19|20)\d\d)(?:[/-](?P<month>[01]?\d)[/-](?P<day>[0-3]?\d)|(?P<month_>[01]\d)(?P<day_>[0-3]\d))/"
)


def htmldate_day(tree: etree._Element, url: str | None) -> str | None:
    """The day htmldate reads in the page (its markup, then dates in its text; no extensive search):
    the last resort of a page that marks up no date the sources above know."""
    return find_date(tree, url=url, extensive_search=False, original_date=True)


def day_in_url(url: str | None) -> str | None:
    """The ``YYYY-MM-DD`` a URL's path is filed under (``/2016/10/14/slug``, ``/2023-11/17/``,
    ``/20231117/``), or None when it names none or an impossible day."""
    match = URL_DAY.search(urlsplit(url).path) if url else None
    if not match:
        return None
    try:
        day = date(int(match["year"]), int(match["month"] or match["month_"]), int(match["day"] or match["day_"]))
    except ValueError:  # /2016/13/45/: a number, not a day
        return None
    return day.isoformat()


SITE_TYPES = frozenset({"WebSite", "Organization", "NewsMediaOrganization"})


def site_names(objects: list[dict], article: dict, meta_tags: MetaTags) -> list[str]:
    """What the page calls its site: ``og:site_name``, ``application-name``, the JSON-LD publisher
    and the JSON-LD website or organisation."""
    publisher = article.get("publisher")
    names = [meta_tags.content("og:site_name"), meta_tags.content("application-name"),
             publisher.get("name") if isinstance(publisher, dict) else None]
    names += [obj.get("name") for obj in objects if types_of(obj) & SITE_TYPES]
    return [name for name in map(clean, names) if name]



def read_metadata(tree: etree._Element, hints: PageHints, byline: str | None = None, url: str | None = None) -> PageMetadata:
    """Metadata of the page at ``url``; ``byline`` is the byline's text, when one was found."""
    meta = PageMetadata()
    objects, meta.invalid_jsonld = jsonld_objects(tree)
    article = next((obj for obj in objects if types_of(obj) & ARTICLE_TYPES), {})
    meta_tags = MetaTags(tree)
    page_type = (meta_tags.content("og:type") or "").lower()
    meta.marked_as_article = bool(article) or page_type == "article"
    meta.marked_as_other = not meta.marked_as_article and bool(page_type)
    meta.page_type = page_type or None
    sites = site_names(objects, article, meta_tags)

    def named(title: str | None) -> str | None:
        """A title without the site's name after (or before) it, which some pages' metadata keep."""
        return title and without_site_name(title, sites)

    def pick(name, *candidates):
        """The first value of ``candidates``, ``(source, read)`` pairs read in order
        only until one gives a value: the later ones search the whole tree."""
        for source, read in candidates:
            value = read()
            if value:
                meta.sources[name] = source
                return value
        return None

    headings = [text for text in (clean(h1.text_content()) for h1 in compiled("//h1")(tree)) if text]
    shared_title = meta_tags.content("og:title", "twitter:title")
    document_title = first_text(tree, "//title")
    meta.title = pick(
        "title",
        ("jsonld", lambda: named(clean(article.get("headline")))),
        ("meta", lambda: named(shared_title)),
        ("hint", lambda: first_text(tree, f"{hints.container}//h1" if hints.container else None)),
        ("h1", lambda: agreeing_heading(document_title, headings, sites)),
        ("title", lambda: bare_title(document_title, sites)),
        ("h1", lambda: headings[0] if headings else None),
    )
    if meta.title and meta.sources["title"] == "jsonld":
        meta.title = punctuated(meta.title, [shared_title, *headings[:1]])
    if meta.title and hints.title_suffix:
        meta.title = hints.title_suffix.sub("", meta.title) or meta.title
    meta.summary = pick(
        "summary",
        ("jsonld", lambda: clean(article.get("description"))),
        ("meta", lambda: meta_tags.content("description", "og:description", "twitter:description")),
        ("hint", lambda: first_text(tree, hints.summary)),
    )
    meta.author = pick(
        "author",
        ("jsonld", lambda: ", ".join(names_of(article.get("author"))) or None),
        ("meta", lambda: meta_tags.content("author", "article:author")),
        ("byline", lambda: byline_author(byline)),
    )
    meta.section = pick(
        "section",
        ("jsonld", lambda: clean(article.get("articleSection") if isinstance(article.get("articleSection"), str) else None)),
        ("meta", lambda: meta_tags.content("article:section")),
    )
    tags = names_of(article.get("keywords")) or names_of(meta_tags.content("keywords", "news_keywords"))
    tags += meta_tags.article_tags
    if not tags and hints.tags:  # the page's visible tag links (Urdu pages: div.tagcloud)
        tags = [text for text in (clean(link.text_content()) for link in compiled(hints.tags)(tree)) if text]
    meta.tags = unique(tags)
    meta.published = [
        (source, value)
        for source, value in (
            ("jsonld", jsonld_date(article, "datePublished")),
            ("meta", meta_tags.content(*PUBLISHED_META)),
            ("hint", hinted_date(tree, hints.date)),
            ("visible_date", byline),
            ("meta_date", meta_tags.content("publishdate", "publish_date", "date")),
            ("dublin_core", meta_tags.content("dcterms.created", "DC.date.issued", "dcterms.issued", "DC.date")),
            ("jsonld_created", jsonld_date(article, "dateCreated")),  # when written: the publication's day, mostly
            ("microdata", first_text(tree, MICRODATA)),
            ("time_element", first_text(tree, TIME_ELEMENT)),
        )
        if value
    ] or [("visible_date", line) for line in [visible_date_line(tree, meta.title)] if line]
    meta.published += [("url", day) for day in [day_in_url(url)] if day]
    if not meta.published:
        meta.published = [("htmldate", day) for day in [htmldate_day(tree, url)] if day]
    meta.canonical_url = first_text(tree, "//link[@rel='canonical']/@href") or meta_tags.content("og:url")
    meta.language = (clean((compiled("/html/@lang")(tree) or [None])[0]) or clean(article.get("inLanguage"))
                     or meta_tags.content("og:locale"))
    return meta

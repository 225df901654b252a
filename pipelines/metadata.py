"""Page metadata: JSON-LD first, then meta tags, then the outlet's visible markup (hints).

Each field records where it came from, so the extract pipeline can count fallbacks.
"""

import html
import json
import logging
import re
from dataclasses import dataclass, field

from lxml import etree

from pipelines.hints import PageHints

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
    }
)
TITLE_SUFFIX = re.compile(r"\s*[-|–—]\s*(?:UrduPoint|Urdu Point)[^-|–—]*$", re.IGNORECASE)
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
    language: str | None = None
    marked_as_article: bool = False  # JSON-LD article type or og:type article
    sources: dict[str, str] = field(default_factory=dict)  # field -> where it came from
    invalid_jsonld: int = 0


def clean(text) -> str | None:
    if not isinstance(text, str):
        return None
    text = re.sub(r"\s+", " ", html.unescape(text)).strip()
    return text or None


def first_text(tree, xpath: str | None) -> str | None:
    if not xpath:
        return None
    for node in tree.xpath(xpath):
        text = clean(node if isinstance(node, str) else node.text_content())
        if text:
            return text
    return None


def meta_content(tree, *names: str) -> str | None:
    for name in names:
        value = first_text(tree, f"//meta[@property='{name}' or @name='{name}' or @itemprop='{name}']/@content")
        if value:
            return value
    return None


def jsonld_objects(tree) -> tuple[list[dict], int]:
    """All JSON-LD objects on the page (graphs and lists flattened) and the count of invalid blocks."""
    objects, invalid = [], 0
    for script in tree.xpath("//script[@type='application/ld+json']/text()"):
        try:
            data = json.loads(script, strict=False)
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
                stack.extend(v for k, v in item.items() if k == "@graph")
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
    name = HANDLE_OR_DATE.split(byline, maxsplit=1)[0].strip(" ,|-")
    if not name or len(name) > 60 or any(ch.isdigit() for ch in name):
        return None
    return name


BYLINE_WORDS = "//text()[contains(., 'Published') or contains(., ' ago')][not(ancestor::script or ancestor::style)]"
BYLINE = re.compile(r"\bPublished\b.*\d{4}|\b\d+\s+(?:second|minute|hour|day|week|month)s?\s+ago\b")
BYLINE_MAX_CHARS = 160


def find_byline(tree: etree._Element, hints: PageHints) -> etree._Element | None:
    """The byline element: the hint's, else the largest short block reading ``... Published <date>``
    or ``... 37 seconds ago ...`` (the first such on the page)."""
    if hints.byline:
        found = tree.xpath(hints.byline)
        if found:
            return found[0]
    for text in tree.xpath(BYLINE_WORDS)[:50]:
        node = text.getparent()
        if text.is_tail:
            node = node.getparent()
        if node is None or len(clean(node.text_content()) or "") > BYLINE_MAX_CHARS:
            continue
        if not BYLINE.search(clean(node.text_content()) or ""):
            continue
        while node.getparent() is not None and node.getparent().tag not in ("body", "html"):
            if len(clean(node.getparent().text_content()) or "") > BYLINE_MAX_CHARS:
                break
            node = node.getparent()
        return node
    return None


def read_metadata(tree: etree._Element, hints: PageHints, byline: str | None = None) -> PageMetadata:
    """Metadata of the page; ``byline`` is the byline's text, when one was found."""
    meta = PageMetadata()
    objects, meta.invalid_jsonld = jsonld_objects(tree)
    article = next((obj for obj in objects if types_of(obj) & ARTICLE_TYPES), {})
    meta.marked_as_article = bool(article) or (meta_content(tree, "og:type") or "").lower() == "article"

    def pick(name, *candidates):
        for source, value in candidates:
            if value:
                meta.sources[name] = source
                return value
        return None

    meta.title = pick(
        "title",
        ("jsonld", clean(article.get("headline"))),
        ("meta", meta_content(tree, "og:title", "twitter:title")),
        ("hint", first_text(tree, f"{hints.container}//h1" if hints.container else None)),
        ("h1", first_text(tree, "//h1")),
        ("title", first_text(tree, "//title")),
    )
    if meta.title:
        meta.title = TITLE_SUFFIX.sub("", meta.title) or meta.title
    meta.summary = pick(
        "summary",
        ("jsonld", clean(article.get("description"))),
        ("meta", meta_content(tree, "description", "og:description", "twitter:description")),
        ("hint", first_text(tree, hints.summary)),
    )
    meta.author = pick(
        "author",
        ("jsonld", ", ".join(names_of(article.get("author"))) or None),
        ("meta", meta_content(tree, "author", "article:author")),
        ("byline", byline_author(byline)),
    )
    meta.section = pick(
        "section",
        ("jsonld", clean(article.get("articleSection") if isinstance(article.get("articleSection"), str) else None)),
        ("meta", meta_content(tree, "article:section")),
    )
    tags = names_of(article.get("keywords")) or names_of(meta_content(tree, "keywords", "news_keywords"))
    tags += [clean(t) for t in tree.xpath("//meta[@property='article:tag']/@content") if clean(t)]
    if not tags and hints.tags:  # the page's visible tag links (Urdu pages: div.tagcloud)
        tags = [text for text in (clean(link.text_content()) for link in tree.xpath(hints.tags)) if text]
    meta.tags = unique(tags)
    meta.published = [
        (source, value)
        for source, value in (
            ("jsonld", article.get("datePublished") if isinstance(article.get("datePublished"), str) else None),
            ("meta", meta_content(tree, "article:published_time", "datePublished", "pubdate", "publish-date")),
            ("hint", first_text(tree, hints.date)),
            ("byline", byline),
        )
        if value
    ]
    meta.canonical_url = first_text(tree, "//link[@rel='canonical']/@href") or meta_content(tree, "og:url")
    meta.language = clean((tree.xpath("/html/@lang") or [None])[0]) or clean(article.get("inLanguage"))
    return meta

"""ExtractPipeline: turns a fetched page into an article's fields, or rejects it with a reason.

Rejections (each a WARNING, a ``extract/rejected/<reason>`` stat and a
``RejectedPage`` for the archive): ``binary`` bodies, ``malformed_html``,
``challenge`` pages, pages ``not_article`` (no article markup and no body),
``no_title`` and ``empty_body``. Fallbacks are counted under ``extract/<field>/<source>``.
"""

import codecs
import logging
import re
from urllib.parse import urlsplit

import lxml.html
from lxml import etree
from w3lib.encoding import html_body_declared_encoding

from crawler.items import ArticleItem, RejectedPage
from crawler.middlewares import is_challenge
from pipelines.body import extract_body
from pipelines.dates import in_outlet_time, in_utc, parse_published
from pipelines.hints import READ_APART, PageHints
from pipelines.metadata import clean, find_byline, read_metadata

logger = logging.getLogger(__name__)


def slug(text: str | None) -> str | None:
    return re.sub(r"[^\w]+", "-", text.strip().lower()).strip("-") or None if text else None


class Rejected(Exception):
    def __init__(self, reason: str, detail: str):
        super().__init__(detail)
        self.reason = reason


def codec_name(encoding: str | None) -> str | None:
    try:
        return codecs.lookup(encoding).name if encoding else None
    except LookupError:
        return None


def decode_html(body: bytes, encoding: str | None) -> tuple[str, str]:
    """``(text, how)``: the page decoded as declared, or repaired when the declaration lies.

    Valid UTF-8 with non-ASCII bytes is practically never another encoding's text,
    so it wins over a declared single-byte encoding; text that does not decode as
    declared tries the page's own meta declaration, then UTF-8, then Windows-1252.
    """
    declared = codec_name(encoding) or "utf-8"
    if declared != "utf-8" and max(body, default=0) >= 0x80:
        try:
            return body.decode("utf-8"), "repaired"
        except UnicodeDecodeError:
            pass
    text = body.decode(declared, errors="replace")
    if "\ufffd" not in text:
        return text, "declared"
    for candidate in (html_body_declared_encoding(body), "utf-8", "cp1252"):
        if codec_name(candidate) not in (None, declared):
            try:
                return body.decode(candidate), "repaired"
            except UnicodeDecodeError:
                continue
    return text, "lossy"


CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")  # never text; lxml refuses them


def parse_html(text: str) -> etree._Element:
    if "\x00" in text[:4096]:
        raise Rejected("binary", "the body contains NUL bytes: not an HTML page")
    text = CONTROL_CHARACTERS.sub(" ", text)
    try:
        tree = lxml.html.document_fromstring(text.encode("utf-8"), parser=lxml.html.HTMLParser(encoding="utf-8"))
    except (etree.ParserError, ValueError) as error:
        raise Rejected("malformed_html", f"unparseable HTML ({error})") from error
    if tree is None or not len(tree):
        raise Rejected("malformed_html", "no HTML elements")
    return tree


class ExtractPipeline:
    def __init__(self, stats, hints: PageHints | None = None):
        self.stats = stats
        self.hints = hints or PageHints()
        self.crawler = None

    @classmethod
    def from_crawler(cls, crawler):
        pipeline = cls(crawler.stats)
        pipeline.crawler = crawler
        return pipeline

    def open_spider(self):
        """Take the page hints of the spider being run, if it offers any."""
        self.hints = getattr(self.crawler.spider, "page_hints", None) or self.hints

    def hints_for(self, url: str) -> PageHints:
        """The hints for the page at ``url``: the spider's ``page_hints_for(url)`` when it has
        layouts by URL (UrduPoint's English and Urdu editions), else its ``page_hints``."""
        hints_for_url = getattr(self.crawler and self.crawler.spider, "page_hints_for", None)
        return (hints_for_url(url) if hints_for_url else None) or self.hints

    def process_item(self, item):
        if not isinstance(item, ArticleItem):
            return item
        try:
            self.extract(item)
        except Rejected as rejection:
            self.stats.inc_value(f"extract/rejected/{rejection.reason}")
            logger.warning("Rejected %(url)s: %(reason)s", {"url": item.fetched_url, "reason": rejection})
            return RejectedPage(item.url, rejection.reason)
        except Exception:  # a page that breaks a library must cost one page, not the crawl
            self.stats.inc_value("extract/rejected/extraction_error")
            logger.exception("Extraction failed on %(url)s", {"url": item.fetched_url})
            return RejectedPage(item.url, "extraction_error")
        self.stats.inc_value("extract/articles")
        return item

    def extract(self, item: ArticleItem) -> None:
        if is_challenge(200, {}, item.body):
            raise Rejected("challenge", "a bot-challenge page, not the article")
        text, how = decode_html(item.body, item.encoding)
        if how != "declared":
            self.stats.inc_value(f"extract/encoding/{how}")
            logger.info("Encoding of %(url)s %(how)s (declared %(enc)s)", {"url": item.fetched_url, "how": how, "enc": item.encoding})
        tree = parse_html(text)
        hints = self.hints_for(item.url)
        byline = find_byline(tree, hints)
        if byline is not None:
            byline.set(READ_APART, "")
        meta = read_metadata(tree, hints, clean(byline.text_content()) if byline is not None else None)
        for heading in tree.xpath("//h2 | //h3 | //h4"):
            if meta.summary and clean(heading.text_content()) == meta.summary:
                heading.set(READ_APART, "")  # the visible summary repeats the meta description
        if meta.invalid_jsonld:
            self.stats.inc_value("extract/jsonld/invalid", meta.invalid_jsonld)
        body, method = extract_body(tree, item.fetched_url, hints)
        self.stats.inc_value(f"extract/body/{method}")
        if not meta.marked_as_article and (body is None or not meta.published):
            raise Rejected("not_article", "no article markup and no dated body text")
        if not meta.title:
            raise Rejected("no_title", "no headline in JSON-LD, meta tags or h1")
        if body is None:
            raise Rejected("empty_body", "no body text found")

        item.title = meta.title
        item.summary = meta.summary
        item.text = body
        item.author = meta.author
        item.category = self.category(item, meta.canonical_url, hints) or slug(meta.section)
        item.tags = meta.tags
        item.canonical_url = meta.canonical_url
        item.language = (meta.language or item.language or "").split("-")[0].lower() or None
        self.fill_published(item, meta.published)
        for name in ("title", "summary", "author"):
            self.stats.inc_value(f"extract/{name}/{meta.sources.get(name, 'missing')}")

    def category(self, item: ArticleItem, canonical_link: str | None, hints: PageHints | None = None) -> str | None:
        """The section named by the page's canonical URL (or the URL fetched), where the site's URLs name it."""
        pattern = (hints or self.hints).category_in_url
        for url in (canonical_link, item.fetched_url, item.url):
            match = pattern and url and pattern.match(urlsplit(url).path)
            if match:
                return match["category"]
        return None

    def fill_published(self, item: ArticleItem, candidates: list[tuple[str, str]]) -> None:
        """The first candidate with a full time wins; a date alone is kept only if nothing better exists."""
        day_only = None
        for source, value in candidates:
            moment = parse_published(value)
            if moment is None:
                continue
            if hasattr(moment, "hour"):
                item.published_at, item.published_at_utc = in_outlet_time(moment), in_utc(moment)
                self.stats.inc_value(f"extract/published_at/{source}")
                return
            day_only = day_only or moment
        if day_only:
            item.published_at = item.published_at_utc = day_only.isoformat()
            self.stats.inc_value("extract/published_at/day_only")
        else:
            self.stats.inc_value("extract/published_at/missing")
            logger.warning("No publication time found on %(url)s", {"url": item.fetched_url})

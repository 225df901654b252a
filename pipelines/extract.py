"""ExtractPipeline: turns a fetched page into an article's fields, or rejects it with a reason.

Rejections (each a WARNING, a ``extract/rejected/<reason>`` stat and a
``RejectedPage`` for the archive): ``binary`` bodies, ``malformed_html``,
``challenge`` pages, pages ``not_article`` (see :func:`is_article`: no article markup, and no
body text that is dated or at one of the outlet's article URLs, ``PageHints.article_url``; for an
outlet without such URLs, no substantial body either, :func:`reads_as_article`),
``no_title`` and ``empty_body``. Fallbacks are counted under ``extract/<field>/<source>``; a time
read from the page's visible date line under ``extract/published_at/visible_date``.

:func:`extract_page` does the work, in a worker process (:mod:`pipelines.workers`): it
reads only the page it is given and returns the fields with the stats and log lines,
which the pipeline applies in the crawl's process.
"""

import codecs
import logging
import re
import traceback
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, tzinfo
from urllib.parse import urlsplit

import lxml.html
from lxml import etree
from w3lib.encoding import html_body_declared_encoding

from pipelines.items import ArticleItem, RejectedPage
from pipelines.workers import WorkerCrashed, WorkerPool
from pipelines.challenge import is_challenge
from pipelines.dateline import Dateline, keeps_body, parse_dateline
from pipelines.dates import in_outlet_time, in_utc, parse_published
from pipelines.hints import READ_APART, PageHints, compiled
from pipelines.language import detect_language
from pipelines.metadata import PageMetadata, clean, find_byline, read_metadata
from pipelines.neardup import Signature
from pipelines.places import Place, locate
from pipelines.profile import Profiles

logger = logging.getLogger(__name__)

# Raise it when the rules that reject a page change (is_article's among them): a rejection by an older
# version lapses, so its URL is fetched and judged again (pipelines.archive.Archive.rejection_stands).
# 2: a page at an article URL with a headline and a body is an article without metadata.
# 3: on an outlet without a profile, a page with a headline and a substantial body is an article.
# 4: more pages are dated (meta names, microdata, /2023-11/17/ URLs, htmldate), and a dated page is an article.
EXTRACTOR_VERSION = 4


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


def declared_codec(encoding: str | None) -> str:
    """The codec of the encoding a page was served in; UTF-8 where none is declared, or one unknown."""
    return codec_name(encoding) or "utf-8"


def decode_html(body: bytes, encoding: str | None) -> tuple[str, str]:
    """``(text, how)``: the page decoded as declared, or repaired when the declaration lies.

    Valid UTF-8 with non-ASCII bytes is practically never another encoding's text,
    so it wins over a declared single-byte encoding; text that does not decode as
    declared tries the page's own meta declaration, then UTF-8, then Windows-1252.
    """
    declared = declared_codec(encoding)
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


# Control characters are never text and lxml refuses them: each becomes a space. None is part
# of a multi-byte UTF-8 sequence, so the encoded page's bytes can be translated, a table lookup per byte.
CONTROL_CHARACTERS_TO_SPACE = bytes.maketrans(bytes([*range(0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0x7F]), b" " * 30)


def html_parser() -> etree.HTMLParser:
    """lxml.html's parser, with its element classes chosen in C: lxml.html's own parser asks a Python
    method for the class of every element a walk meets (trafilatura's walks meet each many times), to
    give form fields classes of their own that nothing here uses."""
    parser = etree.HTMLParser(encoding="utf-8")
    parser.set_element_class_lookup(etree.ElementDefaultClassLookup(
        element=lxml.html.HtmlElement, comment=lxml.html.HtmlComment, pi=lxml.html.HtmlProcessingInstruction,
        entity=lxml.html.HtmlEntity))
    return parser


HTML_PARSER = html_parser()


def parse_html(text: str, utf8: bytes | None = None) -> etree._Element:
    """The page's tree; ``utf8`` is ``text`` encoded as UTF-8 where the caller has it already (a page served
    as valid UTF-8 is its own body): encoding a real page again took a tenth of its parsing time."""
    if "\x00" in text[:4096]:
        raise Rejected("binary", "the body contains NUL bytes: not an HTML page")
    body = (utf8 if utf8 is not None else text.encode("utf-8")).translate(CONTROL_CHARACTERS_TO_SPACE)
    try:
        tree = lxml.html.document_fromstring(body, parser=HTML_PARSER)
    except (etree.ParserError, ValueError) as error:
        raise Rejected("malformed_html", f"unparseable HTML ({error})") from error
    if tree is None or not len(tree):
        raise Rejected("malformed_html", "no HTML elements")
    return tree


@dataclass
class Page:
    """What extraction reads of a fetched page; sent to a worker process (pipelines/workers.py)."""

    url: str
    fetched_url: str
    body: bytes
    encoding: str | None
    language: str | None

    @classmethod
    def of(cls, item: ArticleItem) -> "Page":
        return cls(item.url, item.fetched_url, item.body, item.encoding, item.language)


@dataclass
class Extraction:
    """What extraction made of a page: the item's fields, or why there are none.

    A worker process has no crawl stats and no log, so the stats to count and the
    lines to log travel back with the result and the pipeline applies them.
    """

    fields: dict = field(default_factory=dict)
    rejection: tuple[str, str] | None = None  # (reason, detail)
    counts: Counter = field(default_factory=Counter)
    notes: list[tuple[int, str, dict]] = field(default_factory=list)  # (level, message, arguments) to log
    dated: tuple[str, Dateline | None] | None = None  # see extract_and_sign
    signed: tuple[str, Signature] | None = None  # see extract_and_sign
    located: tuple[str, Place | None] | None = None  # see extract_and_sign

    def count(self, key: str, value: int = 1) -> None:
        self.counts[key] += value

    def note(self, level: int, message: str, arguments: dict | None = None) -> None:
        self.notes.append((level, message, arguments or {}))


def extract_page(page: Page, hints: PageHints) -> Extraction:
    """The article's fields from ``page``, or a named rejection; never raises."""
    extraction = Extraction()
    try:
        extraction.fields = read_article(page, hints, extraction)
    except Rejected as rejection:
        extraction.rejection = (rejection.reason, str(rejection))
    except Exception:  # a page that breaks a library must cost one page, not the crawl
        extraction.rejection = ("extraction_error", traceback.format_exc())
    return extraction


def extract_and_sign(page: Page, hints: PageHints) -> Extraction:
    """:func:`extract_page`, and the dedup and dateline pipelines' slow steps done ahead in the same trip
    to a worker process: the dateline the text starts with, the near-duplicate signature of the text as
    the dateline pipeline will leave it, and where the dateline's place is (:func:`pipelines.places.locate`,
    whose gazetteer takes a second to load: a worker's, not the crawl's). The pipelines use them only if
    the text and the place they get are those."""
    extraction = extract_page(page, hints)
    if extraction.rejection is None:
        found = parse_dateline(extraction.fields["text"], hints.dateline_brand)
        extraction.dated = (extraction.fields["text"], found)
        text = found.body if keeps_body(found) else extraction.fields["text"]
        extraction.signed = (text, Signature.of(text))
        if keeps_body(found) and found.place:
            extraction.located = (found.place, locate(found.place))
    return extraction


def read_article(page: Page, hints: PageHints, extraction: Extraction) -> dict:
    # Imported where a page is read: trafilatura's import takes half a second, which the crawl's own
    # process, handing its pages to the workers (their fork server imports it), does without.
    from pipelines.body import extract_body

    if is_challenge(200, {}, page.body):
        raise Rejected("challenge", "a bot-challenge page, not the article")
    text, how = decode_html(page.body, page.encoding)
    if how != "declared":
        extraction.count(f"extract/encoding/{how}")
        extraction.note(logging.INFO, "Encoding of %(url)s %(how)s (declared %(enc)s)", {"how": how, "enc": page.encoding})
    tree = parse_html(text, page.body if how == "declared" and declared_codec(page.encoding) == "utf-8" else None)
    byline = find_byline(tree, hints, text)
    if byline is not None:
        byline.set(READ_APART, "")
    meta = read_metadata(tree, hints, clean(byline.text_content()) if byline is not None else None, page.fetched_url)
    if meta.summary:
        for heading in compiled("//h2 | //h3 | //h4")(tree):
            if clean(heading.text_content()) == meta.summary:
                heading.set(READ_APART, "")  # the visible summary repeats the meta description
    if meta.invalid_jsonld:
        extraction.count("extract/jsonld/invalid", meta.invalid_jsonld)
    body, method = extract_body(tree, page.fetched_url, hints)
    extraction.count(f"extract/body/{method}")
    if not (is_article(meta, body is not None, at_article_url(page, hints))
            or (hints.article_url is None and reads_as_article(meta, body, page.fetched_url, tree))):
        raise Rejected("not_article", "no article markup, and no body text that is dated, at an article URL or long")
    if not meta.title:
        raise Rejected("no_title", "no headline in JSON-LD, meta tags or h1")
    if body is None:
        raise Rejected("empty_body", "no body text found")
    for name in ("title", "summary", "author"):
        extraction.count(f"extract/{name}/{meta.sources.get(name, 'missing')}")
    return {
        "title": meta.title,
        "summary": meta.summary,
        "text": body,
        "author": meta.author,
        "category": category(page, meta.canonical_url, hints) or slug(meta.section),
        "tags": meta.tags,
        "canonical_url": meta.canonical_url,
        "language": page_language(meta.language or page.language, body, extraction),
        **published_fields(meta.published, extraction, hints.timezone),
    }


LANGUAGE_SAMPLE_CHARS = 2000  # of the body read to tell its language: as sure as the whole text, a fraction of the time


def page_language(declared: str | None, text: str, extraction: Extraction) -> str | None:
    """The ISO 639-1 code of the language the page declares (``en-GB``, ``en_GB``: ``en``), or, where it
    declares none, the one py3langid reads in its text (``extract/language/detected``)."""
    code = re.split(r"[-_]", declared or "")[0].strip().lower()
    if code:
        return code
    extraction.count("extract/language/detected")
    return detect_language(text[:LANGUAGE_SAMPLE_CHARS])


def at_article_url(page: Page, hints: PageHints) -> bool:
    """Whether the page was read at a URL the outlet's profile (``hints.article_url``) calls an article's."""
    return bool(hints.article_url and hints.article_url.match(urlsplit(page.fetched_url).path))


def is_article(meta: PageMetadata, has_body: bool, at_article_url: bool) -> bool:
    """Whether the page is an article: its metadata says so, or it has body text that is dated or at
    one of the outlet's article URLs where no metadata says it is something else (a gallery). A
    redesign or a CMS bug can drop the metadata for a day; the articles stay at the outlet's article
    URLs, with a headline and a body."""
    if meta.marked_as_article:
        return True
    return has_body and (bool(meta.published) or (at_article_url and not meta.marked_as_other))


# An outlet without a profile (no hints.article_url): a page with a headline and this much body text is an article.
GENERIC_ARTICLE_MIN_CHARS = 500
NOT_ARTICLE_PAGE_TYPES = ("video", "music", "profile", "book", "product", "gallery", "photo")  # og:type prefixes
HOME_PATHS = frozenset({"", "index.html", "index.htm", "index.php"})
NOT_FOUND_TITLE = re.compile(r"\b404\b|\bpage not found\b|\bnot be found\b", re.IGNORECASE)
TEASER_SHARE = 0.75  # a body whose paragraphs this often hold a headline-long link is a listing of teasers
HEADLINE_MIN_CHARS = 25  # a link this long reads as a headline, not as "more" or a name


def reads_as_article(meta: PageMetadata, body: str | None, url: str, tree: etree._Element) -> bool:
    """Whether a page of an outlet the crawl has no profile of is an article without saying so: a
    headline and a substantial body, and neither markup nor text that makes it something else (a
    video or profile page, a home page, a "not found" template, a listing of teasers)."""
    if not meta.title or body is None or len(body) < GENERIC_ARTICLE_MIN_CHARS:
        return False
    if NOT_FOUND_TITLE.search(meta.title) or (meta.page_type or "").startswith(NOT_ARTICLE_PAGE_TYPES):
        return False
    if meta.page_type == "website" and urlsplit(url).path.strip("/") in HOME_PATHS:
        return False
    return not is_teaser_listing(body, tree)


def is_teaser_listing(body: str, tree: etree._Element) -> bool:
    """Whether nearly every paragraph of the body holds a headline linking elsewhere: teasers of articles.
    An article links in some paragraphs, seldom in nearly all."""
    link_texts = (clean(link.text_content()) for link in tree.iter("a"))
    headlines = {text for text in link_texts if text and len(text) >= HEADLINE_MIN_CHARS}
    paragraphs = body.split("\n\n")
    teasers = sum(any(headline in paragraph for headline in headlines) for paragraph in paragraphs)
    return teasers >= TEASER_SHARE * len(paragraphs)


def category(page: Page, canonical_link: str | None, hints: PageHints) -> str | None:
    """The section named by the page's canonical URL (or the URL fetched), where the site's URLs name it."""
    pattern = hints.category_in_url
    for url in (canonical_link, page.fetched_url, page.url):
        match = pattern and url and pattern.match(urlsplit(url).path)
        if match:
            return match["category"]
    return None


def page_offset(candidates: list[tuple[str, str]], zone: tzinfo | None) -> tzinfo | None:
    """The offset the first of the page's times that is written with one is written with."""
    moments = (parse_published(value, zone) for _, value in candidates)
    return next((moment.tzinfo for moment in moments if isinstance(moment, datetime) and moment.tzinfo), None)


DAY_ONLY_COUNTS = {"url": "url", "htmldate": "guessed"}  # the stats a day without a time counts under, by source


def published_fields(candidates: list[tuple[str, str]], extraction: Extraction, zone: tzinfo | None) -> dict:
    """The first candidate with a full time wins; a date alone is kept only if nothing better exists.

    Times are written in the outlet's ``zone``. Without one, each keeps its own offset, and a time
    written without one takes the offset another of the page's times is written with
    (``extract/published_at/page_offset``). With no offset anywhere on the page, it is not given
    one: ``published_at`` is written without offset (``extract/published_at/naive``), and
    ``published_at_utc`` is the same wall time read as UTC, so that it sorts among the others to
    within the page's unknown offset.
    """
    day_only = None
    for source, value in candidates:  # parsed only until one gives a time: dateutil is slow
        moment = parse_published(value, zone)
        if moment is None:
            continue
        if isinstance(moment, datetime):
            extraction.count(f"extract/published_at/{source}")
            if moment.tzinfo is None and (offset := page_offset(candidates, zone)) is not None:
                extraction.count("extract/published_at/page_offset")
                moment = moment.replace(tzinfo=offset)
            elif moment.tzinfo is None:
                extraction.count("extract/published_at/naive")
                return {"published_at": moment.isoformat(), "published_at_utc": in_utc(moment)}
            return {"published_at": in_outlet_time(moment, zone), "published_at_utc": in_utc(moment)}
        day_only = day_only or (source, moment)
    if day_only:
        source, day_only = day_only
        # A day htmldate read from the page's text is a guess, not a date the page gives: the health
        # check counts it as missing, so that a redesign that drops the dates is still noticed.
        extraction.count(f"extract/published_at/{DAY_ONLY_COUNTS.get(source, 'day_only')}")
        return {"published_at": day_only.isoformat(), "published_at_utc": day_only.isoformat()}
    extraction.count("extract/published_at/missing")
    extraction.note(logging.WARNING, "No publication time found on %(url)s")
    return {}


class ExtractPipeline:
    """Extracts each fetched page in a worker process (:class:`pipelines.workers.WorkerPool`)."""

    def __init__(self, stats, profiles: Profiles):
        self.stats = stats
        self.profiles = profiles
        self.crawler = None
        self.workers = WorkerPool.inline()

    @classmethod
    def from_crawler(cls, crawler):
        pipeline = cls(crawler.stats, Profiles.from_settings(crawler.settings))
        pipeline.crawler = crawler
        return pipeline

    def open_spider(self):
        self.workers = WorkerPool.of(self.crawler)

    def hints_for(self, item: ArticleItem) -> PageHints:
        """The hints for the item's page: its outlet's profile's, for the page's edition."""
        return self.profiles.get(item.outlet).hints_for(item.url)

    async def process_item(self, item):
        if not isinstance(item, ArticleItem):
            return item
        try:
            extraction = await self.workers.run(extract_and_sign, Page.of(item), self.hints_for(item))
        except WorkerCrashed as crash:
            extraction = Extraction(rejection=("extraction_error", str(crash)))
        return self.apply(item, extraction)

    def extract_item(self, item):
        """What :meth:`process_item` gives, computed here and now (``scrapy reextract``, tests)."""
        if not isinstance(item, ArticleItem):
            return item
        return self.apply(item, extract_page(Page.of(item), self.hints_for(item)))

    def apply(self, item: ArticleItem, extraction: Extraction):
        """``item`` with the extracted fields, or the :class:`RejectedPage` it is; stats and log lines counted."""
        for key, value in extraction.counts.items():
            self.stats.inc_value(key, value)
        for level, message, arguments in extraction.notes:
            logger.log(level, message, {"url": item.fetched_url, **arguments})
        if extraction.rejection is not None:
            reason, detail = extraction.rejection
            self.stats.inc_value(f"extract/rejected/{reason}")
            if reason == "extraction_error":
                logger.error("Extraction failed on %(url)s: %(detail)s", {"url": item.fetched_url, "detail": detail})
            else:
                logger.warning("Rejected %(url)s: %(reason)s", {"url": item.fetched_url, "reason": detail})
            return RejectedPage(item.url, reason, extractor_version=EXTRACTOR_VERSION)
        for name, value in extraction.fields.items():
            setattr(item, name, value)
        item.dated = extraction.dated
        item.signed = extraction.signed
        item.located = extraction.located
        self.stats.inc_value("extract/articles")
        return item

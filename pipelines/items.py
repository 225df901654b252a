"""Items passed from the spiders to the pipelines.

An :class:`ArticleItem` leaves the spider holding only what was fetched; the
pipelines fill the extracted fields in order (extract, dateline, dedup) and the
storage pipeline writes it. A :class:`RejectedPage` records a URL that will not
become an article, so that the archive can say why.
"""

from dataclasses import dataclass, field


@dataclass
class ArticleItem:
    # Fetched
    url: str  # public, canonical URL the spider asked for
    fetched_url: str  # public URL the body came from, after redirects
    body: bytes
    encoding: str | None  # the encoding Scrapy decoded the page with (header, BOM or meta)
    fetched_at: str  # ISO 8601, UTC
    via: list[str] = field(default_factory=list)  # other URLs that led to this page (redirects)
    outlet: str = ""
    etag: str | None = None  # the response's validators, sent back when the article is re-visited
    last_modified: str | None = None
    warc_file: str | None = None  # where the raw response is kept: WARC file (relative to WARC_DIR),
    warc_offset: int | None = None  # offset of its record,
    warc_length: int | None = None  # and the record's length (crawler/warc.py)
    # Extracted
    language: str | None = None
    title: str | None = None
    summary: str | None = None
    text: str | None = None
    author: str | None = None
    category: str | None = None
    tags: list[str] = field(default_factory=list)
    published_at: str | None = None  # ISO 8601 with the outlet's offset
    published_at_utc: str | None = None  # the same instant in UTC, for sorting and ranges
    canonical_url: str | None = None  # the page's own canonical link, canonicalised
    dateline: str | None = None
    dateline_place: str | None = None
    dateline_agency: str | None = None
    dateline_date: str | None = None  # as written in the dateline, ISO date
    place: str | None = None  # the dateline's place under one English name, with its coordinates (pipelines/places.py)
    place_latitude: float | None = None
    place_longitude: float | None = None
    # Deduplication
    content_hash: str | None = None
    article_id: int | None = None  # the archived article this page already is, if any
    duplicate_of: int | None = None  # the archived article whose body this page repeats, if any
    similarity: float | None = None  # of this body to duplicate_of's: 1.0 for the same text, else Jaccard of shingles
    same_story: tuple[int, ...] = ()  # archived articles of other outlets whose bodies this one repeats
    minhash_bands: tuple[int, ...] | None = None  # the body's near-duplicate index keys; None: not computed yet
    dated: tuple | None = None  # (text, the Dateline it starts with or None), read ahead with the extraction
    signed: tuple | None = None  # (text, its near-duplicate Signature), computed ahead with the extraction
    located: tuple | None = None  # (dateline place, its Place or None), computed ahead with the extraction

    @property
    def urls(self) -> list[str]:
        """Every URL that led to this page, the canonical one first, without repeats."""
        return list(dict.fromkeys(u for u in (self.canonical_url, self.url, self.fetched_url, *self.via) if u))


@dataclass
class ArticleNotModified:
    """A re-visited article's URL answered 304 Not Modified: it is unchanged."""

    url: str  # public, canonical URL


@dataclass
class ArticleGone:
    """A re-visited article's URL answered 404 or 410: the article stays archived, marked gone."""

    url: str  # public, canonical URL
    status: int


@dataclass
class RejectedPage:
    url: str  # public, canonical URL
    reason: str  # short slug, also used in the crawl stats
    status: int | None = None
    extractor_version: int | None = None  # for a page the extractor rejected: its EXTRACTOR_VERSION

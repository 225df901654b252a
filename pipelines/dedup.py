"""DedupPipeline: decides which archived article, if any, a fetched page already is.

Two pages are the same article when a URL leads to it (the canonical link, the
requested URL, the URL after redirects, all canonicalised: tracking parameters,
fragments and host case removed). A page under a new URL whose body is the same
text as an archived article's, or nearly the same (a republished story: another
headline, a trimmed paragraph, another dateline; see :mod:`pipelines.neardup`),
is a duplicate of it when both are of one outlet. The storage pipeline then links the page
to that article instead of adding another. A page repeating another outlet's article is an
article of its own outlet, in that article's story (:mod:`pipelines.stories`).

Which copy of a story is the article does not depend on the order the pages arrive
in: the copy published first is (then the one the outlet numbered lowest, then the
URL: :func:`publication_order`). When a page is an earlier copy of an archived
article, the storage pipeline puts it in the article's place and links the archived
page to it as a duplicate, so two crawls of one site give the same archive.

The body's MinHash signature is computed in a worker process (pipelines/workers.py),
with the page's extraction, before anything is looked up, so that the lookups and the
storage pipeline's write that follows run together, with no other page's write in between.
"""

import hashlib
from types import SimpleNamespace
from urllib.parse import urlsplit

from scrapy.exceptions import NotConfigured

from pipelines.items import ArticleItem
from pipelines.workers import WorkerPool
from pipelines.archive import Archive, CrawlArchive
from pipelines.neardup import NearDuplicates, Signature
from pipelines.profile import Profiles
from pipelines.stories import publication_order


def content_hash(text: str) -> str:
    """SHA-256 of the body with case and white space folded: the same text however it was laid out."""
    folded = " ".join(text.split()).casefold()  # str.split() splits where re's \s matches, at a quarter of the cost
    return hashlib.sha256(folded.encode("utf-8")).hexdigest()


def is_earlier_copy(item: ArticleItem, article: dict) -> bool:
    """Whether the page ranks before the archived ``article`` (its ``url`` and ``published_at_utc``) it repeats."""
    return publication_order(item.published_at_utc, item.urls[0]) < publication_order(
        article["published_at_utc"], article["url"])


def find_copies(archive: Archive, near_duplicates: NearDuplicates | None, item: ArticleItem,
                signature: Signature) -> bool:
    """Find the archived article of the page's outlet that its body repeats (``item.duplicate_of``,
    with ``item.similarity``) and those of other outlets (``item.same_story``: the page, or the
    article it repeats, joins their story); whether the duplicate was found near, not exact.

    Exact copies first (the content hash); near ones (``near_duplicates``, None when off) unless
    the outlet's exact copy was found.
    """
    others = []
    for article_id, outlet in archive.articles_with_hash(item.content_hash):
        if outlet == item.outlet and item.duplicate_of is None:
            item.duplicate_of, item.similarity = article_id, 1.0
        elif outlet != item.outlet:
            others.append(article_id)
    near = False
    if item.duplicate_of is None and near_duplicates is not None:
        for match in near_duplicates.matches(signature):
            if match.outlet == item.outlet and item.duplicate_of is None:
                item.duplicate_of, item.similarity, near = match.article_id, match.similarity, True
            elif match.outlet != item.outlet:
                others.append(match.article_id)
    item.same_story = tuple(dict.fromkeys(others))
    return near


class DedupPipeline:
    def __init__(self, crawler, neardup_threshold: float | None):
        self.crawler = crawler
        self.profiles = Profiles.from_settings(crawler.settings)
        self.neardup_threshold = neardup_threshold  # None: exact duplicates only
        self.archive = None
        self.near_duplicates = None
        self.workers = WorkerPool.inline()

    @classmethod
    def from_crawler(cls, crawler):
        if crawler.settings.get("FRONTIER_URL"):
            raise NotConfigured  # a crawl process sharing a frontier sends its items to scrapy archive-writer, which dedups
        return cls.configured(crawler)

    @classmethod
    def configured(cls, crawler):
        """The pipeline as the settings ask, wherever it runs (a crawl, scrapy archive-writer, scrapy reextract)."""
        settings = crawler.settings
        threshold = settings.getfloat("NEARDUP_THRESHOLD") if settings.getbool("NEARDUP_ENABLED") else None
        if threshold is not None and not 0 < threshold <= 1:
            raise ValueError(f"NEARDUP_THRESHOLD must be a similarity in (0, 1], not {threshold}")
        return cls(crawler, threshold)

    @classmethod
    def on_archive(cls, archive: Archive, stats, settings):
        """The pipeline outside a crawl (scrapy archive-writer, scrapy reextract): on ``archive``, counting in
        ``stats``, configured by ``settings``; no spider runs."""
        pipeline = cls.configured(SimpleNamespace(spider=None, stats=stats, settings=settings))
        pipeline.use(archive)
        return pipeline

    def open_spider(self):
        self.use(CrawlArchive.acquire(self.crawler))
        self.workers = WorkerPool.of(self.crawler)

    def use(self, archive: Archive) -> None:
        self.archive = archive
        if self.neardup_threshold is not None:
            self.near_duplicates = NearDuplicates(archive, self.neardup_threshold)

    def close_spider(self):
        CrawlArchive.release(self.crawler)

    def canonical_url(self, item: ArticleItem) -> str:
        """The page's canonical link when it names an article of the same outlet, else the URL fetched."""
        link = item.canonical_url
        profile = self.profiles.get(item.outlet)
        if link and profile.site is None and urlsplit(link).hostname != urlsplit(item.fetched_url).hostname:
            return item.fetched_url  # an outlet without a profile: its site is the page's host
        return (link and profile.article_url(link)) or item.fetched_url

    async def signature_of(self, item: ArticleItem) -> Signature:
        """The body's signature: the one computed with the extraction if it is of this text, else one computed now."""
        signed, item.signed = item.signed, None
        if signed is not None and signed[0] == item.text:
            return signed[1]
        return await self.workers.run(Signature.of, item.text)

    async def process_item(self, item):
        if not isinstance(item, ArticleItem):
            return item
        signature = await self.signature_of(item)
        item.minhash_bands = signature.bands  # what the archive indexes if the text is stored as an article's
        item.canonical_url = self.canonical_url(item)
        item.content_hash = content_hash(item.text)
        item.article_id = self.archive.article_id_for_urls([item.url, item.fetched_url, *item.via])
        if item.article_id is None:
            by_canonical = self.archive.article_id_for_url(item.canonical_url)
            if by_canonical is not None and self.archive.content_hash_of(by_canonical) != item.content_hash:
                # A canonical link naming another article's URL is a site bug, not an identity.
                self.crawler.stats.inc_value("dedup/canonical_link_ignored")
                item.canonical_url = item.fetched_url
                by_canonical = self.archive.article_id_for_url(item.canonical_url)
            item.article_id = by_canonical
        if item.article_id is None:
            if find_copies(self.archive, self.near_duplicates, item, signature):
                self.crawler.stats.inc_value("dedup/near_duplicate")
            if item.same_story:
                self.crawler.stats.inc_value("dedup/same_story")
        return item

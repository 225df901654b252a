"""The SQLite archive as the crawl sees it: lookups, and writes that are all or nothing.

The spider asks it what is already known (to fetch only what is new); the dedup
pipeline asks it which article a page already is; the storage pipeline writes
through it. The two pipelines share one connection (:class:`CrawlArchive`), so that
the dedup pipeline's lookups see every write before them; the spider and the
extensions open their own. WAL mode lets readers and the one writer work side by side.

Each write (an article with its URLs, keys and story, a duplicate link, an earlier copy put
in an article's place, a rejection) is one unit: it happens whole or not at all. A write that
adds an article to a story, or may change which is its story's first article (a new version,
an earlier copy taking an article's place), settles the story in the same unit
(:mod:`pipelines.stories`). A crawl groups its writes into one transaction per
``ARCHIVE_COMMIT_INTERVAL`` seconds: one commit per article rewrote the full-text index's pages
for every article, and a killed crawl loses only what it archived in that last interval, which
its next run fetches again.
"""

import contextlib
import json
import logging
import sqlite3
import weakref
from datetime import datetime, timedelta, timezone
from pathlib import Path

import sqlite_utils
from twisted.internet.task import LoopingCall

from pipelines import neardup, schema, stories

logger = logging.getLogger(__name__)

BUSY_TIMEOUT_SECONDS = 30  # a reader (datasette) may hold the file briefly; wait rather than fail
CACHE_KIB = 16 * 1024  # SQLite's page cache: with the default 2 MiB each archived article waits on
# reads of the index pages its 32 near-duplicate keys land on, all over the file
# Pages of write-ahead log after which a commit copies them into the file (SQLite's default: 1,000, 4 MiB). Every
# article changes the same pages of the full-text index and of the other indexes, which each copy writes again:
# copied every 40 MiB, storing an article takes a tenth less CPU. The log is synced at each copy: a power cut (not
# a killed crawl) may undo the commits since, whose pages the next run fetches again.
WAL_CHECKPOINT_PAGES = 10_000
MAX_RETRY_AFTER = timedelta(days=7)  # the longest wait before a page rejected for a passing reason is fetched again

ARTICLE_FIELDS = (
    "outlet",
    "language",
    "title",
    "summary",
    "text",
    "author",
    "category",
    "published_at",
    "published_at_utc",
    "dateline",
    "dateline_place",
    "dateline_agency",
    "dateline_date",
    "place",
    "place_latitude",
    "place_longitude",
    "content_hash",
)
# What a version is: the fields an edit can change (outlet and language never do).
VERSION_FIELDS = tuple(name for name in ARTICLE_FIELDS if name not in ("outlet", "language")) + ("tags",)
WARC_FIELDS = ("warc_file", "warc_offset", "warc_length")  # where the version's raw page is kept
STORY_FIELDS = frozenset({"url", "published_at_utc", "text", "content_hash"})  # what a story's first article depends on
COPY_FIELDS = ("title", "author", "published_at", "text", "content_hash")  # what ``duplicates`` keeps of a copy


# The health checks (crawler.health) failed by a run that lost work: such a run is not complete.
RAW_PAGES_LOST = "warc_failed"  # raw pages could not be written to the WARC files
ARTICLES_LOST = "archive_writes_failed"  # writes to the archive failed
WORK_LOST = (RAW_PAGES_LOST, ARTICLES_LOST)


def utc_now() -> str:
    return datetime.now(tz=timezone.utc).isoformat(timespec="seconds")


REJECTION_COLUMNS = "reason, permanent, attempts, last_seen, extractor_version"  # what rejection_stands judges


def rejection_stands(rejection, retry_after: timedelta, now: datetime, retry_reasons: frozenset[str] = frozenset(),
                     extractor_version: int | None = None) -> bool:
    """Whether a URL's ``rejection`` (a row of :data:`REJECTION_COLUMNS`) stands: see :meth:`Archive.rejection_stands`."""
    reason, permanent, attempts, last_seen, judged_by = rejection
    if reason in retry_reasons or (judged_by is not None and extractor_version is not None
                                   and judged_by < extractor_version):
        return False
    wait = min(retry_after * 2 ** max(attempts - 1, 0), MAX_RETRY_AFTER)
    return bool(permanent) or now < datetime.fromisoformat(last_seen) + wait


def _warc_location(item) -> dict:
    """The item's WARC record location, when its raw page was kept."""
    if getattr(item, "warc_file", None) is None:
        return {}
    return {name: getattr(item, name) for name in WARC_FIELDS}


def _validators(item, url: str) -> dict:
    """The response's ETag and Last-Modified, when the page was fetched from the article's own URL."""
    if item.fetched_url != url:
        return {}
    return {"etag": item.etag, "last_modified": item.last_modified}


def bands_of(item) -> tuple[int, ...]:
    """The near-duplicate index keys of the item's text: as the dedup pipeline computed them, else now."""
    return neardup.Signature.of(item.text).bands if item.minhash_bands is None else item.minhash_bands


class Archive:
    def __init__(self, db: sqlite_utils.Database, grouped: bool = False):
        self.db = db
        self.grouped = grouped  # writes gather in one transaction until commit(), else each commits at once
        self.commits = 0

    @classmethod
    def open(cls, path: str | Path, grouped: bool = False) -> "Archive":
        """Open (creating if needed) the archive at ``path``, migrated to the current schema."""
        conn = sqlite3.connect(str(path), timeout=BUSY_TIMEOUT_SECONDS)
        db = sqlite_utils.Database(conn)
        schema.apply(db)
        # In WAL mode NORMAL syncs at checkpoints, not at every commit: a killed crawl still
        # loses nothing it committed; only a power cut may undo the last commits, never corrupt.
        conn.execute("pragma synchronous = normal")
        conn.execute(f"pragma cache_size = -{CACHE_KIB}")
        conn.execute(f"pragma wal_autocheckpoint = {WAL_CHECKPOINT_PAGES}")
        # An insert that fires triggers (the full-text index, the counts) keeps a statement journal, and each
        # article's savepoint one more, of every page it changes: in temporary files, one write call a page (200 an
        # article, half the crawl's system time); in memory, each freed as its statement or savepoint ends.
        conn.execute("pragma temp_store = memory")
        return cls(db, grouped)

    def close(self) -> None:
        self.commit()
        self.db.close()

    def commit(self) -> None:
        """Commit the writes gathered so far, if any."""
        if self.db.conn.in_transaction:
            self.db.conn.execute("COMMIT")
            self.commits += 1

    @contextlib.contextmanager
    def _write(self):
        """One write, all or nothing: in a transaction of its own, or a savepoint of the gathering one."""
        if self.grouped and not self.db.conn.in_transaction:
            self.db.conn.execute("BEGIN")
        with self.db.atomic():  # within a transaction: a savepoint, undone alone if the write fails
            yield

    # --- lookups ---------------------------------------------------------------

    def article_id_for_url(self, url: str) -> int | None:
        row = self.db.execute("select article_id from article_urls where url = ?", [url]).fetchone()
        return row[0] if row else None

    def article_id_for_urls(self, urls) -> int | None:
        for url in urls:
            article_id = self.article_id_for_url(url)
            if article_id is not None:
                return article_id
        return None

    def article_id_for_hash(self, content_hash: str) -> int | None:
        row = self.db.execute(
            "select id from articles where content_hash = ? order by id limit 1", [content_hash]
        ).fetchone()
        return row[0] if row else None

    def articles_with_hash(self, content_hash: str) -> list[tuple[int, str]]:
        """``(id, outlet)`` of the articles whose body has ``content_hash``, oldest archived first."""
        return self.db.execute(
            "select id, outlet from articles where content_hash = ? order by id", [content_hash]
        ).fetchall()

    def content_hash_of(self, article_id: int) -> str | None:
        row = self.db.execute("select content_hash from articles where id = ?", [article_id]).fetchone()
        return row[0] if row else None

    def current_version(self, article_id: int) -> dict | None:
        """The article's URL, current title, text and publication time, and how many versions it has had."""
        row = self.db.execute(
            "select url, title, text, published_at_utc, versions from articles where id = ?", [article_id]
        ).fetchone()
        return dict(zip(("url", "title", "text", "published_at_utc", "versions"), row)) if row else None

    def near_duplicate_candidates(self, bands, limit: int, per_band: int) -> list[tuple[int, str, str]]:
        """``(id, outlet, text)`` of up to ``limit`` articles sharing band keys with ``bands``, most shared first.

        Each key contributes its ``per_band`` newest articles only: a key that thousands of
        articles share (a daily brief written from one template) costs no more than a rare one.
        """
        if not bands or not self._shares_a_band(bands):
            return []
        hits = " union all ".join(
            ["select article_id from (select article_id from neardup_bands where band = ? order by article_id desc limit ?)"]
            * len(bands)
        )
        return self.db.execute(
            f"""
            with hits (article_id) as ({hits}),
            shared (article_id, bands) as (
                select article_id, count(*) from hits group by article_id order by 2 desc, 1 desc limit ?
            )
            select articles.id, articles.outlet, articles.text from shared join articles on articles.id = shared.article_id
            order by shared.bands desc, articles.id desc
            """,
            [value for band in bands for value in (band, per_band)] + [limit],
        ).fetchall()

    def _shares_a_band(self, bands) -> bool:
        """Whether any article has one of ``bands``: most new texts share none, and this probe
        costs a fraction of the query that gathers the candidates."""
        marks = ", ".join("?" * len(bands))
        query = f"select exists (select 1 from neardup_bands where band in ({marks}))"
        return self.db.execute(query, list(bands)).fetchone()[0]

    def articles_to_revisit(self, published_since: str, seen_before: str, limit: int) -> list[dict]:
        """Articles published since ``published_since`` (UTC), not gone, and last fetched at or before
        ``seen_before``, least recently fetched first: their URL and validators for a conditional request."""
        rows = self.db.execute(
            """
            select id, url, etag, last_modified from articles
            where published_at_utc >= ? and gone_at is null and last_seen <= ?
            order by last_seen, published_at_utc desc, id limit ?
            """,
            [published_since, seen_before, limit],
        ).fetchall()
        return [dict(zip(("id", "url", "etag", "last_modified"), row)) for row in rows]

    def is_archived(self, url: str, with_raw_page: bool = False) -> bool:
        """Whether ``url`` leads to an archived article; ``with_raw_page``: one whose raw page is kept.

        An article whose page could not be written to the WARC files (a full disk) counts
        as not archived while raw pages are kept, so that a later run fetches it again and
        keeps its page.
        """
        if not with_raw_page:
            return self.article_id_for_url(url) is not None
        row = self.db.execute(
            "select 1 from article_urls join articles on articles.id = article_urls.article_id "
            "where article_urls.url = ? and articles.warc_file is not null",
            [url],
        ).fetchone()
        return row is not None

    def was_archived_by(self, url: str, moment: str) -> bool:
        """Whether ``url`` led to an article by ``moment`` (ISO 8601, UTC). Times are kept to the second: an
        article stored in the second a run ended was stored by its end (a short run stores all its articles
        in its last second), one stored later in that second is taken for one of the run's."""
        row = self.db.execute(
            "select 1 from article_urls where url = ? and first_seen <= ?", [url, moment]
        ).fetchone()
        return row is not None

    def rejection_stands(self, url: str, retry_after: timedelta, now: datetime,
                         retry_reasons: frozenset[str] = frozenset(), extractor_version: int | None = None) -> bool:
        """Whether ``url`` was rejected and should not be fetched now.

        A rejection lapses when its reason is one of ``retry_reasons`` (``-a retry_rejected=...``),
        or when the extractor judged the page and was older than ``extractor_version``, the
        current one. Otherwise a permanent rejection (a 404, a page that is not an article) stands;
        a passing one (a challenge, an empty page) stands for ``retry_after``,
        doubled with each further failure, up to :data:`MAX_RETRY_AFTER`.
        """
        row = self.db.execute(f"select {REJECTION_COLUMNS} from rejected_urls where url = ?", [url]).fetchone()
        return row is not None and rejection_stands(row, retry_after, now, retry_reasons, extractor_version)

    # --- writes (each all or nothing) ---------------------------------------------

    def add_article(self, item, urls: list[str], now: str) -> int:
        """Insert a new article under ``urls[0]``, linking every URL that led to it, indexing its
        body for the near-duplicate check and joining it to the stories of ``item.same_story``
        (a story of its own when none); returns its id."""
        row = {name: getattr(item, name) for name in ARTICLE_FIELDS}
        row.update(url=urls[0], tags=json.dumps(item.tags, ensure_ascii=False), first_seen=now, last_seen=now,
                   updated_at=now, story=urls[0], **_validators(item, urls[0]), **_warc_location(item))
        bands = bands_of(item)
        with self._write():
            article_id = self._insert("articles", row)
            self._link(article_id, [(url, "canonical" if n == 0 else "alias") for n, url in enumerate(urls)], now)
            self._forget_rejections(urls)
            self._index_bands(article_id, bands)
            if item.same_story:
                stories.join(self.db, [article_id, *item.same_story])
        return article_id

    def _insert(self, table: str, row: dict) -> int:
        """Insert ``row``; its id. Plain SQL: sqlite-utils' ``insert`` reads the schema on every call."""
        columns = ", ".join(f"[{name}]" for name in row)
        values = ", ".join(f":{name}" for name in row)
        return self.db.execute(f"insert into [{table}] ({columns}) values ({values})", row).lastrowid

    def add_version(self, article_id: int, item, urls: list[str], now: str) -> int:
        """Make a newer fetch of an article its current version, keeping the one it replaces in
        ``article_versions``; returns the new version's number."""
        current = self.current_version(article_id)
        row = {name: getattr(item, name) for name in ARTICLE_FIELDS}
        row.update(tags=json.dumps(item.tags, ensure_ascii=False), last_seen=now, updated_at=now, gone_at=None,
                   versions=current["versions"] + 1, **_validators(item, current["url"]))
        row.update({name: getattr(item, name, None) for name in WARC_FIELDS})
        old_bands = neardup.Signature.of(current["text"]).bands
        new_bands = bands_of(item)
        columns = ", ".join(VERSION_FIELDS + WARC_FIELDS)
        with self._write():
            self.db.execute(
                f"""
                insert into article_versions (article_id, version, {columns}, fetched_at, replaced_at)
                select id, versions, {columns}, coalesce(updated_at, first_seen), ? from articles where id = ?
                """,
                [now, article_id],
            )
            self.db["articles"].update(article_id, row)
            self._link(article_id, [(url, "alias") for url in urls], now)
            self.db.conn.executemany(
                "delete from neardup_bands where band = ? and article_id = ?", [(band, article_id) for band in old_bands]
            )
            self._index_bands(article_id, new_bands)
            self._settle_story(article_id)
        return row["versions"]

    def refresh(self, article_id: int, item, urls: list[str], now: str) -> None:
        """An unchanged fetch of an article: link the URLs that led to it, mark it seen (and not gone)."""
        url = self.current_version(article_id)["url"]
        with self._write():
            self.db["articles"].update(article_id, {"last_seen": now, "gone_at": None, **_validators(item, url),
                                                    **_warc_location(item)})
            self._link(article_id, [(u, "alias") for u in urls], now)
            self._forget_rejections(urls)

    def add_duplicate(self, article_id: int, item, urls: list[str], similarity: float, now: str) -> None:
        """Link a page that repeats an article to it, keeping the copy's title, text and differences."""
        current = self.current_version(article_id)
        copy = {name: getattr(item, name) for name in COPY_FIELDS}
        copy.update(url=urls[0], fetched_at=item.fetched_at or now)
        with self._write():
            self.db["articles"].update(article_id, {"last_seen": now})
            self._link(article_id, [(url, "duplicate") for url in urls], now)
            self._forget_rejections(urls)
            self._keep_copy(article_id, current, copy, similarity, self._urls_linked(article_id, urls, "duplicate"))
            if item.same_story:  # the copy repeats other outlets' articles: the article's story is theirs
                stories.join(self.db, [article_id, *item.same_story])

    def put_in_place_of(self, article_id: int, item, urls: list[str], similarity: float, now: str) -> None:
        """Make a page the article it repeats, which was published after it; that article's page
        becomes one of its duplicates.

        The row keeps its id, so that everything pointing at it (its URLs, versions and
        duplicates, links into the archive) stays valid, and takes the page's fields, URL and
        index keys. The URLs that led to the page it held become duplicate links, each kept in
        ``duplicates`` with that page's title, text and differences; its earlier versions stay
        in ``article_versions``, numbered before the current one; the article's other
        duplicates are compared with the new text.
        """
        demoted = self._current_copy(article_id)
        row = {name: getattr(item, name) for name in ARTICLE_FIELDS}
        row.update(url=urls[0], tags=json.dumps(item.tags, ensure_ascii=False), last_seen=now, updated_at=now,
                   gone_at=None, etag=None, last_modified=None)
        row.update(**_validators(item, urls[0]), **{name: getattr(item, name, None) for name in WARC_FIELDS})
        old_bands = neardup.Signature.of(demoted["text"]).bands
        new_bands = bands_of(item)
        with self._write():
            own_urls = [url for url, in self.db.execute(
                "select url from article_urls where article_id = ? and relation != 'duplicate'", [article_id])]
            self.db.execute(
                "update article_urls set relation = 'duplicate' where article_id = ? and relation != 'duplicate'",
                [article_id],
            )
            self.db["articles"].update(article_id, row)
            self._link(article_id, [(url, "canonical" if n == 0 else "alias") for n, url in enumerate(urls)], now)
            self._forget_rejections(urls)
            self.db.conn.executemany(
                "delete from neardup_bands where band = ? and article_id = ?", [(band, article_id) for band in old_bands]
            )
            self._index_bands(article_id, new_bands)
            current = self.current_version(article_id)
            self._compare_copies_again(article_id, current, item.content_hash)
            self._keep_copy(article_id, current, demoted, similarity, own_urls)
            self._settle_story(article_id)  # the article's URL and time changed: it may be its story's first now
            if item.same_story:
                stories.join(self.db, [article_id, *item.same_story])

    def update_fields(self, article_id: int, fields: dict) -> None:
        """Correct fields of an article's current version in place (``scrapy reextract``)."""
        with self._write():
            self.db["articles"].update(article_id, fields)
            if STORY_FIELDS.intersection(fields):
                self._settle_story(article_id)

    def mark_not_modified(self, url: str, now: str) -> None:
        """The article at ``url`` answered 304 Not Modified to a re-visit."""
        with self._write():
            self.db.execute(
                "update articles set last_seen = ?, gone_at = null where id = (select article_id from article_urls where url = ?)",
                [now, url],
            )

    def mark_gone(self, url: str, now: str) -> None:
        """The article at ``url`` answered 404 or 410 to a re-visit: keep it, marked gone since ``now``."""
        with self._write():
            self.db.execute(
                "update articles set gone_at = coalesce(gone_at, ?) where id = (select article_id from article_urls where url = ?)",
                [now, url],
            )

    def reject(self, url: str, reason: str, status: int | None, permanent: bool, now: str,
               extractor_version: int | None = None) -> None:
        """Record that ``url`` gave no article; ``extractor_version`` when the extractor judged the page."""
        with self._write():
            self.db.execute(
                """
                insert into rejected_urls (url, reason, status, permanent, attempts, first_seen, last_seen,
                    extractor_version)
                values (?, ?, ?, ?, 1, ?, ?, ?)
                on conflict (url) do update set reason = excluded.reason, status = excluded.status,
                    permanent = excluded.permanent, attempts = attempts + 1, last_seen = excluded.last_seen,
                    extractor_version = excluded.extractor_version
                """,
                [url, reason, status, int(permanent), now, now, extractor_version],
            )

    def start_run(self, spider: str, mode: str | None, now: str) -> int:
        with self._write():
            return self.db["crawl_runs"].insert({"spider": spider, "mode": mode, "started_at": now}).last_pk

    def last_complete_run_end(self, spider: str, mode: str) -> str | None:
        """When the last run of ``spider`` in ``mode`` that was not interrupted, and lost no work, finished.

        A run that lost raw pages or articles it could not store does not count: the next one
        walks the listings past its articles, and fetches again those missing or without their page.
        """
        lost = " and ".join("json_extract(coalesce(health, '{}'), ?) is null" for _ in WORK_LOST)
        row = self.db.execute(
            f"select max(finished_at) from crawl_runs where spider = ? and mode = ? and finish_reason = 'finished' "
            f"and {lost}",
            [spider, mode, *(f"$.{check}" for check in WORK_LOST)],
        ).fetchone()
        return row[0]

    def finish_run(self, run_id: int, fields: dict) -> None:
        with self._write():
            self.db["crawl_runs"].update(run_id, fields)

    def start_process_run(self, process: str, fields: dict) -> None:
        """The row of a crawl process's run in a shared frontier (``fields``: spider, mode, started_at); once."""
        with self._write():
            self.db.execute(
                "insert into crawl_runs (process, spider, mode, started_at, new_articles, updated_articles, duplicates) "
                "values (?, ?, ?, ?, 0, 0, 0) on conflict (process) where process is not null do nothing",
                [process, fields["spider"], fields.get("mode"), fields["started_at"]],
            )

    def count_for_process_run(self, process: str, new: int, updated: int, duplicates: int) -> None:
        """Add what the archive writer stored of a crawl process's items to its run's row."""
        with self._write():
            self.db.execute(
                "update crawl_runs set new_articles = new_articles + ?, updated_articles = updated_articles + ?, "
                "duplicates = duplicates + ? where process = ?",
                [new, updated, duplicates, process],
            )

    def finish_process_run(self, process: str, fields: dict, now: str) -> None:
        """The end of a crawl process's run, stored ``now``; its counts of what was stored are the writer's.

        It ends when the writer stores its end, after all its articles: ``finished_at`` is the later of the
        process's end and ``now``, so that no article of the run was first seen after its end (the listings'
        horizon, :meth:`last_complete_run_end`), as in a crawl of one process."""
        kept = {name: value for name, value in fields.items()
                if name not in ("new_articles", "updated_articles", "duplicates")}
        kept["finished_at"] = max(kept.get("finished_at") or now, now)
        with self._write():
            self.db["crawl_runs"].update(self._process_run_id(process), kept)

    def _process_run_id(self, process: str) -> int:
        [(run_id,)] = self.db.execute("select id from crawl_runs where process = ?", [process]).fetchall()
        return run_id

    def stream_position(self, stream: str) -> str | None:
        """The id of the last entry of ``stream`` stored (:meth:`record_stream_position`)."""
        row = self.db.execute("select entry_id from stream_positions where stream = ?", [stream]).fetchone()
        return row[0] if row else None

    def record_stream_position(self, stream: str, entry_id: str, now: str) -> None:
        """Record, in the transaction that stored it, that ``stream``'s entry ``entry_id`` is stored."""
        with self._write():
            self.db.execute(
                "insert into stream_positions (stream, entry_id, updated_at) values (?, ?, ?) "
                "on conflict (stream) do update set entry_id = excluded.entry_id, updated_at = excluded.updated_at",
                [stream, entry_id, now],
            )

    def last_new_article_at(self) -> str | None:
        return self.db.execute("select max(first_seen) from articles").fetchone()[0]

    def _current_copy(self, article_id: int) -> dict:
        """The page the article row holds, as a ``duplicates`` row would keep it."""
        columns = ("url", *COPY_FIELDS, "coalesce(updated_at, first_seen)")
        values = self.db.execute(f"select {', '.join(columns)} from articles where id = ?", [article_id]).fetchone()
        return dict(zip(("url", *COPY_FIELDS, "fetched_at"), values))

    def _keep_copy(self, article_id: int, article: dict, copy: dict, similarity: float, urls: list[str]) -> None:
        """A ``duplicates`` row for each of ``urls``: the ``copy`` (``COPY_FIELDS``, its first ``url`` and
        ``fetched_at``) with its differences from the ``article``'s current version."""
        row = {
            "article_id": article_id,
            "similarity": similarity,
            "article_version": article["versions"],
            **{name: copy[name] for name in COPY_FIELDS},
            "text_diff": neardup.text_diff(article["text"], copy["text"], article["url"], copy["url"]),
            "fetched_at": copy["fetched_at"],
        }
        self.db.conn.executemany(
            f"insert or ignore into duplicates (url, {', '.join(row)}) values (?{', ?' * len(row)})",
            [(url, *row.values()) for url in urls],
        )

    def _compare_copies_again(self, article_id: int, article: dict, content_hash: str) -> None:
        """Give the article's duplicates their similarity to, and differences from, its current text."""
        shingles = neardup.shingle_hashes(article["text"])
        copies = self.db.execute(
            "select url, text, content_hash, text_diff from duplicates where article_id = ? and text is not null",
            [article_id],
        ).fetchall()
        updates = []
        for url, text, copy_hash, diff in copies:
            similarity = 1.0 if copy_hash == content_hash else neardup.jaccard(shingles, neardup.shingle_hashes(text))
            new_diff = neardup.text_diff(article["text"], text, article["url"], neardup.copy_label(diff, url))
            updates.append((round(similarity, 4), article["versions"], new_diff, url))
        self.db.conn.executemany(
            "update duplicates set similarity = ?, article_version = ?, text_diff = ? where url = ?", updates
        )

    def _link(self, article_id: int, urls_and_relations, now: str) -> None:
        self.db.conn.executemany(
            "insert or ignore into article_urls (url, article_id, relation, first_seen) values (?, ?, ?, ?)",
            [(url, article_id, relation, now) for url, relation in urls_and_relations],
        )

    def _urls_linked(self, article_id: int, urls: list[str], relation: str) -> list[str]:
        """Those of ``urls`` that lead to ``article_id`` with ``relation`` (a URL never changes article)."""
        marks = ", ".join("?" * len(urls))
        rows = self.db.execute(
            f"select url from article_urls where article_id = ? and relation = ? and url in ({marks})",
            [article_id, relation, *urls],
        ).fetchall()
        return [row[0] for row in rows]

    def _settle_story(self, article_id: int) -> None:
        """Settle the article's story after a change to it (:func:`pipelines.stories.settle`)."""
        [(name,)] = self.db.execute("select story from articles where id = ?", [article_id]).fetchall()
        stories.settle(self.db, [name])

    def _index_bands(self, article_id: int, bands) -> None:
        self.db.conn.executemany(
            "insert or ignore into neardup_bands (band, article_id) values (?, ?)", [(band, article_id) for band in bands]
        )

    def _forget_rejections(self, urls: list[str]) -> None:
        self.db.conn.executemany("delete from rejected_urls where url = ?", [(url,) for url in urls])


class CrawlArchive:
    """The one connection a crawl's pipelines share to read and write the archive.

    The dedup pipeline must see the storage pipeline's writes, even those not committed
    yet, to know that a page it meets is an article just archived: both take this
    connection with :meth:`acquire` and give it back with :meth:`release`. It gathers
    writes for ``ARCHIVE_COMMIT_INTERVAL`` seconds, commits every interval even when no
    write comes to close the transaction, and commits and closes when the last user
    releases it (pipelines close before the extensions' ``spider_closed`` runs).
    """

    _open: "weakref.WeakKeyDictionary[object, CrawlArchive]" = weakref.WeakKeyDictionary()

    def __init__(self, archive: Archive, stats):
        self.archive = archive
        self.stats = stats
        self.users = 0
        self.flush = LoopingCall(self.commit)

    @classmethod
    def acquire(cls, crawler) -> Archive:
        shared = cls._open.get(crawler)
        if shared is None:
            interval = crawler.settings.getfloat("ARCHIVE_COMMIT_INTERVAL")
            if interval < 0:
                raise ValueError(f"ARCHIVE_COMMIT_INTERVAL must be 0 or more seconds, not {interval}")
            archive = Archive.open(crawler.settings["ARCHIVE_DB"], grouped=interval > 0)
            shared = cls._open[crawler] = cls(archive, crawler.stats)
            if interval:
                shared.flush.start(interval, now=False)
        shared.users += 1
        return shared.archive

    @classmethod
    def release(cls, crawler) -> None:
        shared = cls._open[crawler]
        shared.users -= 1
        if shared.users == 0:
            del cls._open[crawler]
            if shared.flush.running:
                shared.flush.stop()
            shared.commit()
            shared.archive.close()
            if shared.archive.grouped:
                shared.stats.set_value("archive/commits", shared.archive.commits)

    def commit(self) -> None:
        try:
            self.archive.commit()
        except sqlite3.Error as error:  # the disk is full, or the file went away: what was gathered is lost
            self.archive.db.conn.rollback()
            self.stats.inc_value("archive/commit_failed")
            logger.error("Could not commit to the archive: %(error)s; this run's last writes are lost and "
                         "their pages will be fetched again", {"error": error})

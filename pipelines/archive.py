"""The SQLite archive as the crawl sees it: lookups, and writes of one transaction each.

The spider asks it what is already known (to fetch only what is new); the dedup
pipeline asks it which article a page already is; the storage pipeline writes
through it. Each opens its own connection: WAL mode lets readers and the one
writer work side by side.
"""

import json
import sqlite3
from datetime import datetime, timedelta, timezone
from pathlib import Path

import sqlite_utils

from pipelines import schema

BUSY_TIMEOUT_SECONDS = 30
MAX_RETRY_AFTER = timedelta(days=7)  # a reader (datasette) may hold the file briefly; wait rather than fail

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
    "content_hash",
)


def utc_now() -> str:
    return datetime.now(tz=timezone.utc).isoformat(timespec="seconds")


class Archive:
    def __init__(self, db: sqlite_utils.Database):
        self.db = db

    @classmethod
    def open(cls, path: str | Path) -> "Archive":
        """Open (creating if needed) the archive at ``path``, migrated to the current schema."""
        conn = sqlite3.connect(str(path), timeout=BUSY_TIMEOUT_SECONDS)
        db = sqlite_utils.Database(conn)
        schema.apply(db)
        return cls(db)

    def close(self) -> None:
        self.db.close()

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

    def content_hash_of(self, article_id: int) -> str | None:
        row = self.db.execute("select content_hash from articles where id = ?", [article_id]).fetchone()
        return row[0] if row else None

    def is_archived(self, url: str) -> bool:
        return self.article_id_for_url(url) is not None

    def was_archived_before(self, url: str, moment: str) -> bool:
        """Whether ``url`` led to an article already before ``moment`` (ISO 8601, UTC)."""
        row = self.db.execute(
            "select 1 from article_urls where url = ? and first_seen < ?", [url, moment]
        ).fetchone()
        return row is not None

    def rejection_stands(self, url: str, retry_after: timedelta, now: datetime) -> bool:
        """Whether ``url`` was rejected and should not be fetched now.

        A permanent rejection (a 404, a page that is not an article) always stands;
        a passing one (a challenge, an empty page) stands for ``retry_after``,
        doubled with each further failure, up to :data:`MAX_RETRY_AFTER`.
        """
        row = self.db.execute(
            "select permanent, attempts, last_seen from rejected_urls where url = ?", [url]
        ).fetchone()
        if row is None:
            return False
        permanent, attempts, last_seen = row
        wait = min(retry_after * 2 ** max(attempts - 1, 0), MAX_RETRY_AFTER)
        return bool(permanent) or now < datetime.fromisoformat(last_seen) + wait

    # --- writes (one transaction each) -------------------------------------------

    def add_article(self, item, urls: list[str], now: str) -> int:
        """Insert a new article under ``urls[0]``, linking every URL that led to it; returns its id."""
        row = {name: getattr(item, name) for name in ARTICLE_FIELDS}
        row.update(url=urls[0], tags=json.dumps(item.tags, ensure_ascii=False), first_seen=now, last_seen=now)
        with self.db.atomic():
            article_id = self.db["articles"].insert(row).last_pk
            self._link(article_id, [(url, "canonical" if n == 0 else "alias") for n, url in enumerate(urls)], now)
            self._forget_rejections(urls)
        return article_id

    def update_article(self, article_id: int, item, urls: list[str], now: str) -> None:
        """Replace an article's extracted fields with a newer fetch of it."""
        row = {name: getattr(item, name) for name in ARTICLE_FIELDS}
        row.update(tags=json.dumps(item.tags, ensure_ascii=False), last_seen=now)
        with self.db.atomic():
            self.db["articles"].update(article_id, row)
            self._link(article_id, [(url, "alias") for url in urls], now)

    def link_urls(self, article_id: int, urls: list[str], relation: str, now: str) -> None:
        """Record URLs as leading to an existing article and mark it seen."""
        with self.db.atomic():
            self.db["articles"].update(article_id, {"last_seen": now})
            self._link(article_id, [(url, relation) for url in urls], now)
            self._forget_rejections(urls)

    def reject(self, url: str, reason: str, status: int | None, permanent: bool, now: str) -> None:
        with self.db.atomic():
            self.db.execute(
                """
                insert into rejected_urls (url, reason, status, permanent, attempts, first_seen, last_seen)
                values (?, ?, ?, ?, 1, ?, ?)
                on conflict (url) do update set reason = excluded.reason, status = excluded.status,
                    permanent = excluded.permanent, attempts = attempts + 1, last_seen = excluded.last_seen
                """,
                [url, reason, status, int(permanent), now, now],
            )

    def start_run(self, spider: str, mode: str | None, now: str) -> int:
        with self.db.atomic():
            return self.db["crawl_runs"].insert({"spider": spider, "mode": mode, "started_at": now}).last_pk

    def last_complete_run_end(self, spider: str, mode: str) -> str | None:
        """When the last run of ``spider`` in ``mode`` that was not interrupted finished."""
        row = self.db.execute(
            "select max(finished_at) from crawl_runs where spider = ? and mode = ? and finish_reason = 'finished'",
            [spider, mode],
        ).fetchone()
        return row[0]

    def finish_run(self, run_id: int, fields: dict) -> None:
        with self.db.atomic():
            self.db["crawl_runs"].update(run_id, fields)

    def last_new_article_at(self) -> str | None:
        return self.db.execute("select max(first_seen) from articles").fetchone()[0]

    def _link(self, article_id: int, urls_and_relations, now: str) -> None:
        self.db.conn.executemany(
            "insert or ignore into article_urls (url, article_id, relation, first_seen) values (?, ?, ?, ?)",
            [(url, article_id, relation, now) for url, relation in urls_and_relations],
        )

    def _forget_rejections(self, urls: list[str]) -> None:
        self.db.conn.executemany("delete from rejected_urls where url = ?", [(url,) for url in urls])

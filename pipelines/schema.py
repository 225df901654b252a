"""The archive's schema: every table, index and trigger, created and migrated here only.

Add a change as a new function decorated with ``@migrations()``; never edit one
that has shipped. ``apply(db)`` brings any archive up to date and is what both
the crawl and the tests call.
"""

import sqlite_utils
from sqlite_utils import Migrations

migrations = Migrations("archive")

# unicode61 folds case; remove_diacritics 2 folds accents on any letter (é, ü, ā).
FTS_TOKENIZER = "unicode61 remove_diacritics 2"


@migrations()
def create_articles(db: sqlite_utils.Database):
    db["articles"].create(
        {
            "id": int,
            "url": str,
            "outlet": str,
            "language": str,
            "title": str,
            "summary": str,
            "text": str,
            "author": str,
            "category": str,
            "tags": str,  # JSON array
            "published_at": str,  # ISO 8601 with the outlet's offset
            "published_at_utc": str,
            "dateline": str,
            "dateline_place": str,
            "dateline_agency": str,
            "dateline_date": str,
            "content_hash": str,
            "first_seen": str,
            "last_seen": str,
        },
        pk="id",
        not_null={"url", "outlet", "title", "text", "content_hash", "first_seen", "last_seen"},
    )
    db["articles"].create_index(["url"], unique=True)
    db["articles"].create_index(["content_hash"])
    db["articles"].create_index(["published_at_utc"])
    db["articles"].enable_fts(["title", "summary", "text"], create_triggers=True, tokenize=FTS_TOKENIZER)


@migrations()
def create_article_urls(db: sqlite_utils.Database):
    """Every URL that ever led to an article, so that none is fetched twice or lost."""
    db["article_urls"].create(
        {"url": str, "article_id": int, "relation": str, "first_seen": str},
        pk="url",
        foreign_keys=[("article_id", "articles", "id")],
        not_null={"article_id", "relation", "first_seen"},
    )
    db["article_urls"].create_index(["article_id"])


@migrations()
def create_rejected_urls(db: sqlite_utils.Database):
    """URLs that did not give an article, with the reason; permanent ones are not fetched again."""
    db["rejected_urls"].create(
        {
            "url": str,
            "reason": str,
            "status": int,
            "permanent": int,
            "attempts": int,
            "first_seen": str,
            "last_seen": str,
        },
        pk="url",
        not_null={"reason", "permanent", "attempts", "first_seen", "last_seen"},
    )


@migrations()
def create_crawl_runs(db: sqlite_utils.Database):
    """One row per crawl: written when it starts (so an interrupted run shows, unfinished) and when it ends."""
    db["crawl_runs"].create(
        {
            "id": int,
            "spider": str,
            "mode": str,  # "latest" (feeds and listings) or "backfill" (daily sitemaps)
            "started_at": str,
            "finished_at": str,  # null while running, or when the run was killed
            "finish_reason": str,
            "pages_fetched": int,
            "new_articles": int,
            "updated_articles": int,
            "duplicates": int,
            "skipped": int,
            "errors": str,  # JSON: {reason: count}
            "health": str,  # JSON: {failed check: explanation}
            "stats": str,  # JSON: every crawl stat
        },
        pk="id",
        not_null={"spider", "started_at"},
    )


def apply(db: sqlite_utils.Database) -> None:
    """Bring ``db`` up to the current schema and switch it to WAL mode."""
    db.enable_wal()
    migrations.apply(db)

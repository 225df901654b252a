"""Which articles ``scrapy search`` and ``scrapy export`` read: their shared filters, as SQL.

Both commands build their statement here, so that ``--since``, ``--until``,
``--outlet``, ``--search`` and ``--limit`` mean exactly the same in each.

Days are Pakistan days, both ends included: ``--since 2023-03-02`` keeps what was
published from 2023-03-02 00:00 Pakistan time on, ``--until 2023-03-02`` what was
published before 2023-03-03 00:00 Pakistan time. So an article falls on the day its
own byline shows, not its UTC day (an article of 2023-03-02 02:00 PKT is
2023-03-01 in UTC). The bounds are compared with the indexed ``published_at_utc``.
An article known only by its day stores that bare ``YYYY-MM-DD`` there, which sorts
between the bounds of that day, so the same filters keep it; an article without a
date is left out by either filter.

Search text goes through :func:`crawler.search.fts_query`, so any typed text is a
valid FTS5 query; text with nothing searchable in it matches no article.
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone

from crawler.search import fts_query
from pipelines.dates import PAKISTAN_TIME

# bm25 weights of the FTS columns title, summary, text: a word in the title says most.
RELEVANCE = "bm25(articles_fts, 10.0, 3.0, 1.0)"
BEST_MATCH = f"{RELEVANCE}, a.id"  # bm25 is lower for a better match
NEWEST_FIRST = "a.published_at_utc desc, a.id desc"  # undated articles last


@dataclass(frozen=True)
class Filters:
    since: date | None = None
    until: date | None = None
    outlet: str | None = None
    search: str | None = None  # as the user typed it
    limit: int | None = None


def day_start_utc(day: date) -> str:
    """The instant ``day`` starts in Pakistan, written as ``published_at_utc`` is."""
    return datetime.combine(day, time(0), tzinfo=PAKISTAN_TIME).astimezone(timezone.utc).isoformat()


def select(columns: str, filters: Filters, order_by: str) -> tuple[str, dict]:
    """``select columns`` over the articles that ``filters`` keep, and its named parameters.

    ``columns`` and ``order_by`` name the articles table ``a``; with a search, also
    ``articles_fts`` (for ``bm25()``; its ``snippet()`` would show the folded text the index
    holds, so snippets come from ``archive_snippet()``, :mod:`crawler.snippets`).
    """
    source, where, params = _matching(filters)
    sql = f"select {columns} from {source} where {where} order by {order_by}"
    if filters.limit is not None:
        sql += " limit :limit"
        params["limit"] = filters.limit
    return sql, params


def count(filters: Filters) -> tuple[str, dict]:
    """``select count(*)`` of the articles that ``filters`` keep, ``limit`` included."""
    sql, params = select("a.id", filters, "a.id")
    return f"select count(*) from ({sql})", params


def _matching(filters: Filters) -> tuple[str, str, dict]:
    source = "articles a"
    conditions, params = [], {}
    if filters.search is not None:
        source = "articles_fts join articles a on a.id = articles_fts.rowid"
        match = fts_query(filters.search)
        if match is None:
            conditions.append("0")
        else:
            conditions.append("articles_fts match :match")
            params["match"] = match
    if filters.since is not None:
        conditions.append("a.published_at_utc >= :since")
        params["since"] = day_start_utc(filters.since)
    if filters.until is not None:
        conditions.append("a.published_at_utc < :until")
        params["until"] = day_start_utc(filters.until + timedelta(days=1))
    if filters.outlet is not None:
        conditions.append("a.outlet = :outlet collate nocase")
        params["outlet"] = filters.outlet
    return source, " and ".join(conditions) or "1", params

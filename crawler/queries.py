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

``scrapy search`` ranks only the :data:`SEARCH_WINDOW` newest matches (:func:`best_matches`),
as datasette's canned query ``search`` does, and counts them (:func:`matched`); ``scrapy export
--search`` keeps every match. A search shows each story once (:mod:`pipelines.stories`): the
best-ranked of the articles of a story that matched, with the outlets that carried the story
(:data:`STORY_OUTLETS`) and how many articles it has (:data:`STORY_ARTICLES`); asked for every
copy, it shows each article.
"""

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone, tzinfo

from crawler.search import fts_query, query_problem, search_match

# bm25 weights of the FTS columns title, summary, text (a word in the title says most), then outlet
# and language, which only a search's filters are matched in: they do not change the ranking.
RELEVANCE = "bm25(articles_fts, 10.0, 3.0, 1.0, 0.0, 0.0)"
BEST_MATCH = f"{RELEVANCE}, a.id"  # bm25 is lower for a better match
NEWEST_FIRST = "a.published_at_utc desc, a.id desc"  # undated articles last
# A search ranks the newest SEARCH_WINDOW matches that pass the filters, not every match: ranking
# all the articles that hold a common word takes seconds. The canned query ``search`` of
# crawler/reading_room/archive.yml has the same number in its SQL ("limit 5000"), and says it to its users.
SEARCH_WINDOW = 5000
DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
# Of the story ``best.story`` of a search's row, from the index on (story, outlet): the outlets that
# carried it, in alphabetical order, and how many articles (copies, one per outlet or more) it has.
STORY_OUTLETS = ("(select group_concat(outlet, ', ') from (select distinct outlet from articles"
                 " where story = best.story order by outlet))")
STORY_ARTICLES = "(select count(*) from articles where story = best.story)"


@dataclass(frozen=True)
class Filters:
    since: date | None = None
    until: date | None = None
    outlet: str | None = None
    search: str | None = None  # as the user typed it
    limit: int | None = None
    zone: tzinfo = timezone.utc  # where the days of since and until begin and end (ARCHIVE_TIMEZONE)


def parse_day(text: str) -> date | None:
    """The day ``text`` writes as YYYY-MM-DD, or None when it is not one."""
    try:
        return date.fromisoformat(text) if DAY.fullmatch(text) else None
    except ValueError:
        return None


def not_a_day(name: str, text: str) -> str:
    """What to tell the user who gave ``text`` for the day ``name``."""
    return f"{name} {text!r} is not a day: write YYYY-MM-DD, e.g. 2023-03-02"


def search_problem(typed: str | None, since: str | None, until: str | None) -> str | None:
    """Why the search for ``typed`` between the days ``since`` and ``until`` (YYYY-MM-DD, or empty for
    none) cannot be run, or None: the SQL function ``search_problem`` of the canned query ``search``."""
    if problem := query_problem(typed):
        return problem
    days = {}
    for name, text in (("since", since), ("until", until)):
        if text:
            days[name] = parse_day(text)
            if days[name] is None:
                return not_a_day(name, text)
    if len(days) == 2 and days["since"] > days["until"]:
        return f"since {since} is after until {until}"
    return None


def day_start_utc(day: date, zone: tzinfo = timezone.utc) -> str:
    """The instant ``day`` starts in ``zone``, written as ``published_at_utc`` is.

    That instant of 1 January of year 1 is in year 0, which Python does not represent, nor
    can an article's date be: ``""`` sorts before every date stored, as that instant does.
    """
    if day == date.min:
        return ""
    return datetime.combine(day, time(0), tzinfo=zone).astimezone(timezone.utc).isoformat()


def day_end_utc(day: date, zone: tzinfo = timezone.utc) -> str:
    """The instant ``day`` ends in ``zone`` (the next one starts), written as ``published_at_utc`` is;
    after the last day Python represents, ``"~"``, which sorts after every date stored."""
    return "~" if day == date.max else day_start_utc(day + timedelta(days=1), zone)


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


def best_matches(columns: str, filters: Filters, every_copy: bool = False) -> tuple[str, dict]:
    """``select columns`` of the best ``filters.limit`` of the :data:`SEARCH_WINDOW` newest articles
    that match ``filters.search`` and pass its other filters, best first, and its named parameters;
    one article per story (its best-ranked), unless ``every_copy``.

    The strategy, and so the rows, are those of datasette's canned query ``search``
    (crawler/reading_room/archive.yml, whose comment explains each step), with this module's filters.
    ``columns`` name the article ``a``, its score ``best.score`` (``bm25()``, lower for a
    better match) and its story ``best.story``; a tie goes to the newest archived. ``:match``
    is the typed words' expression (for snippets), ``'""'`` (which matches nothing) when nothing
    searchable was typed; ``:matched`` the MATCH, with the outlet (:func:`crawler.search.search_match`,
    which keeps the typed words to the searched columns: these queries run on any connection, where
    the canned query asks the archive which words its outlets and languages have).
    """
    steps, params = _candidates(filters, score=RELEVANCE)
    steps.append(_STORIES)
    limit = "" if filters.limit is None else " limit :limit"
    kept = "" if every_copy else " where first = 1"
    steps.append(f"best(id, score, story) as (select id, score, story from stories{kept} order by score, id desc{limit})")
    if filters.limit is not None:
        params["limit"] = filters.limit
    sql = (
        "with recursive " + ",\n".join(steps)
        + f"\nselect {columns} from best join articles a on a.id = best.id order by best.score, best.id desc"
    )
    return sql, params


def matched(filters: Filters) -> tuple[str, dict]:
    """``select count(*), count(distinct story)``: how many articles :func:`best_matches` ranks, plus
    one when more matched (:data:`SEARCH_WINDOW` + 1 says that older matches were left out), and
    how many stories they are. Nothing is scored."""
    steps, params = _candidates(filters, score="0")
    params["window"] = SEARCH_WINDOW + 1
    return "with recursive " + ",\n".join(steps) + (
        "\nselect count(*), count(distinct s.story) from candidates"
        " join articles s indexed by idx_articles_id_story on s.id = candidates.id"), params


def _candidates(filters: Filters, score: str) -> tuple[list[str], dict]:
    """The steps of a ``with`` that end with ``candidates(id, score)``: the ``:window`` newest
    articles that match ``filters.search`` and pass its other filters, each with ``score``."""
    conditions, params = _conditions(filters)
    params.update(match=fts_query(filters.search) or '""', window=SEARCH_WINDOW)
    params["matched"] = search_match(params["match"], filters.outlet)
    steps, walk = [], ["articles_fts match :matched"]
    if filters.since is not None or filters.until is not None:
        # Only the rowids from the lowest to the highest id of the articles of the UTC days
        # around the dates asked for: FTS5 walks no match outside them.
        steps += [_DAYS, _BOUNDS]
        walk.append("rowid between (select low from bounds) and (select high from bounds)")
        params["since_day"] = filters.since.isoformat() if filters.since else ""
        params["until_day"] = filters.until.isoformat() if filters.until else ""
    if conditions:
        walk.append(f"exists (select 1 from articles a where a.id = articles_fts.rowid and {' and '.join(conditions)})")
    steps.append(
        f"candidates(id, score) as materialized (\n  select rowid, {score} from articles_fts\n"
        f"  where {' and '.join(walk)}\n  order by rowid desc limit :window\n)"
    )
    return steps, params


# The canned query's step that ranks each candidate among its story's (first: the best), reading
# the story from the index on (id, story), not from the row (where it follows the long text).
_STORIES = """stories(id, score, story, first) as (
  select candidates.id, score, s.story, row_number() over (partition by s.story order by score, candidates.id desc)
  from candidates join articles s indexed by idx_articles_id_story on s.id = candidates.id
)"""

# The steps of the canned query that bound the rowids by the dates (:since_day, :until_day, '' for none).
_DAYS = """days(day) as (
  select min(substr(published_at_utc, 1, 10)) from articles
  where (:since_day != '' or :until_day != '') and substr(published_at_utc, 1, 10) >= coalesce(date(nullif(:since_day, ''), '-1 day'), '')
  union all
  select (select min(substr(published_at_utc, 1, 10)) from articles where substr(published_at_utc, 1, 10) > day)
  from days where day < coalesce(date(:until_day, '+1 day'), '9999-12-31')
)"""
_BOUNDS = """bounds(low, high) as materialized (
  select
    case
      when :since_day = '' and :until_day = '' then 0
      else coalesce(min((select min(id) from articles where substr(published_at_utc, 1, 10) = day)), 0)
    end,
    case
      when :until_day != ''
        then coalesce(max((select max(id) from articles where substr(published_at_utc, 1, 10) = day)), 0)
      when :since_day = '' or exists (select 1 from articles where published_at_utc >= date(:since_day, '-1 day'))
        then 9223372036854775807
      else 0
    end
  from days where day <= coalesce(date(:until_day, '+1 day'), '9999-12-31')
)"""


def _matching(filters: Filters) -> tuple[str, str, dict]:
    source = "articles a"
    conditions, params = _conditions(filters)
    if filters.search is not None:
        source = "articles_fts join articles a on a.id = articles_fts.rowid"
        match = fts_query(filters.search)
        if match is None:
            conditions.insert(0, "0")
        else:
            conditions.insert(0, "articles_fts match :matched")
            params.update(match=match, matched=search_match(match, filters.outlet))
    return source, " and ".join(conditions) or "1", params


def _conditions(filters: Filters) -> tuple[list[str], dict]:
    """The conditions on the article ``a`` of ``--since``, ``--until`` and ``--outlet``."""
    conditions, params = [], {}
    if filters.since is not None:
        conditions.append("a.published_at_utc >= :since")
        params["since"] = day_start_utc(filters.since, filters.zone)
    if filters.until is not None:
        conditions.append("a.published_at_utc < :until")
        params["until"] = day_end_utc(filters.until, filters.zone)
    if filters.outlet is not None:
        conditions.append("a.outlet = :outlet collate nocase")
        params["outlet"] = filters.outlet
    return conditions, params

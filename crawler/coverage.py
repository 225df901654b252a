"""What an archive covers: articles per day per outlet, the crawl runs and how they ended, and the
categories, agencies and dateline places it holds most.

Read by the reading room's pictures (``crawler/reading_room/pictures.py``, through datasette,
whose time limit each query keeps) and by ``scrapy report`` (a plain connection), so this module
gives the SQL and builds the figures from its rows; :func:`read` runs it all on a connection.
Every query reads an index only, or the counts the schema keeps, whatever the archive's size: the
articles of a range of days per outlet from the index on (day, outlet), a ranking from
``article_counts``.

An article's day is its day in its outlet's zone, the first ten characters of ``published_at``
(as ``articles_per_day`` counts); a run's day is the day it started in ``zone``.
"""

import json
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

DEFAULT_DAYS = 90  # days shown when no range is asked for: those up to the newest article's
MAX_DAYS = 366  # the longest range drawn
TOP = 15  # rows of each ranking

NEWEST_DAY_SQL = "select max(substr(published_at, 1, 10)) from articles"
DAY_COUNTS_SQL = """
select substr(published_at, 1, 10) as day, outlet, count(*) as articles
from articles
where substr(published_at, 1, 10) between :first and :last
group by day, outlet
"""
# Runs started from a day before the range to a day after it: a run's day is taken in ``zone``.
RUNS_SQL = """
select id, spider, mode, started_at, finished_at, finish_reason, new_articles, health
from crawl_runs
where started_at >= :since and started_at < :until
order by started_at
"""
LAST_RUNS_SQL = """
select id, spider, mode, started_at, finished_at, finish_reason, new_articles, health
from crawl_runs order by started_at desc limit :limit
"""
# The values with most articles in a range of days, from the counts the schema keeps
# (``article_counts``): a few rows per day, whatever the archive's size.
RANKED = {"category": "Categories", "agency": "Agencies", "place": "Dateline places"}
TOP_SQL = """
select value, sum(articles) as articles from article_counts
where facet = :facet and day between :first and :last
group by value having articles > 0 order by articles desc, value limit :limit
"""
NOT_FOUND_SQL = """
select count(distinct dateline_place), count(*) from articles indexed by idx_articles_place
where place is null and dateline_place is not null
"""


@dataclass(frozen=True)
class Run:
    id: int
    spider: str
    mode: str | None
    started_at: str  # ISO 8601, UTC
    finished_at: str | None  # None: killed, or still running
    finish_reason: str | None
    new_articles: int | None
    failed_checks: tuple[tuple[str, str], ...]  # the health checks it failed, with their explanations

    @classmethod
    def from_row(cls, row) -> "Run":
        run_id, spider, mode, started_at, finished_at, finish_reason, new_articles, health = tuple(row)
        try:
            failed = tuple(sorted((str(check), str(why)) for check, why in json.loads(health or "{}").items()))
        except (ValueError, TypeError, AttributeError):
            failed = (("health", f"unreadable: {health}"),)
        return cls(run_id, spider, mode, started_at, finished_at, finish_reason, new_articles, failed)

    @property
    def problem(self) -> str | None:
        """What went wrong, in words; None for a run that finished and passed its health checks."""
        if self.finished_at is None:
            return "did not finish (killed, or still running)"
        if self.finish_reason != "finished":
            return f"stopped: {self.finish_reason or 'no reason recorded'}"
        if self.failed_checks:
            return "failed health checks: " + "; ".join(f"{check} ({why})" for check, why in self.failed_checks)
        return None

    def day(self, zone: ZoneInfo) -> date:
        return datetime.fromisoformat(self.started_at).astimezone(zone).date()


@dataclass
class Coverage:
    first: date
    last: date
    counts: dict[str, dict[date, int]]  # outlet -> day -> articles, days with articles only
    runs: list[Run] = field(default_factory=list)
    zone: ZoneInfo = ZoneInfo("UTC")

    @property
    def days(self) -> list[date]:
        return [self.first + timedelta(days=n) for n in range((self.last - self.first).days + 1)]

    @property
    def outlets(self) -> list[str]:
        """Outlets with articles in the range, and those that ran in it (a run that archived nothing shows too)."""
        return sorted(set(self.counts) | {run.spider for run in self.runs})

    def empty_days(self, outlet: str) -> list[date]:
        counts = self.counts.get(outlet, {})
        return [day for day in self.days if not counts.get(day)]

    def runs_of(self, outlet: str, day: date) -> list[Run]:
        return [run for run in self.runs if run.spider == outlet and run.day(self.zone) == day]


def day_range(newest: str | None, first: date | None, last: date | None) -> tuple[date, date]:
    """The days to draw: those asked for, else :data:`DEFAULT_DAYS` up to ``last`` or the newest
    article's day (today without articles). A range longer than :data:`MAX_DAYS` keeps its last days."""
    if last is None:
        last = first + timedelta(days=DEFAULT_DAYS - 1) if first else _day(newest) or date.today()
    if first is None:
        first = last - timedelta(days=DEFAULT_DAYS - 1)
    return max(first, last - timedelta(days=MAX_DAYS - 1)), last


def _day(text: str | None) -> date | None:
    try:
        return date.fromisoformat(text) if text else None
    except ValueError:
        return None


def runs_params(first: date, last: date) -> dict:
    return {"since": (first - timedelta(days=1)).isoformat(), "until": (last + timedelta(days=2)).isoformat()}


def top_params(facet: str, first: date, last: date) -> dict:
    return {"facet": facet, "first": first.isoformat(), "last": last.isoformat(), "limit": TOP}


def build(first: date, last: date, day_rows, run_rows, zone: ZoneInfo) -> Coverage:
    counts: dict[str, dict[date, int]] = {}
    for day, outlet, articles in map(tuple, day_rows):
        if (parsed := _day(day)) is not None:
            counts.setdefault(outlet, {})[parsed] = articles
    runs = [run for run in map(Run.from_row, run_rows) if first <= run.day(zone) <= last]
    return Coverage(first, last, counts, runs, zone)


@dataclass
class Report:
    """Everything ``scrapy report`` shows."""

    coverage: Coverage
    last_runs: list[Run]
    rankings: dict[str, list[tuple[str, int]]]  # title -> (value, articles in the days drawn), most first
    places_not_found: tuple[int, int]  # distinct dateline places not located, and their articles


def read(conn, zone: ZoneInfo, first: date | None = None, last: date | None = None, runs: int = 20) -> Report:
    """The whole :class:`Report` from a connection to the archive."""
    first, last = day_range(conn.execute(NEWEST_DAY_SQL).fetchone()[0], first, last)
    day_rows = conn.execute(DAY_COUNTS_SQL, {"first": first.isoformat(), "last": last.isoformat()}).fetchall()
    run_rows = conn.execute(RUNS_SQL, runs_params(first, last)).fetchall()
    rankings = {title: [tuple(row) for row in conn.execute(TOP_SQL, top_params(facet, first, last))]
                for facet, title in RANKED.items()}
    return Report(
        coverage=build(first, last, day_rows, run_rows, zone),
        last_runs=[Run.from_row(row) for row in conn.execute(LAST_RUNS_SQL, {"limit": runs})],
        rankings=rankings,
        places_not_found=tuple(conn.execute(NOT_FOUND_SQL).fetchone()),
    )

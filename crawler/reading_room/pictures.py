"""The reading room's pictures: the coverage page, the map of dateline places, the places not found.

* ``/<database>/-/coverage`` (``?since=YYYY-MM-DD&until=YYYY-MM-DD``, default the 90 days up to
  the newest article): articles per day per outlet, days without articles and runs that failed,
  were stopped or did not finish marked (:func:`crawler.charts.coverage_chart`); the runs of
  those days that went wrong; the categories, agencies and dateline places with most articles,
  each linked to its articles. Drawn as SVG on the server, as ``scrapy report`` draws it: no
  script, nothing fetched, each query under datasette's time limit.
* The canned query ``place_map``: one row per place, with ``latitude`` and ``longitude``, so
  that datasette-cluster-map draws one marker per place (its number of articles in the popup).
* The canned query ``places_not_found``: dateline places the gazetteers did not know, most
  articles first.

Only on databases that are archives; the others are left as datasette shows them.
"""

from datetime import date, timedelta
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from datasette import hookimpl
from datasette.utils import tilde_decode
from datasette.utils.asgi import NotFound, Response
from markupsafe import Markup

from crawler import charts, coverage, settings
from crawler.reading_room import archive_names, is_archive_named
from pipelines.schema import COUNTED
from crawler.queries import not_a_day, parse_day

# Places and their articles from the counts the schema keeps (article_counts), each place's
# coordinates from the index on place: a few rows per day and two lookups per place.
PLACE_MAP_SQL = """
select
  value as place,
  (select place_latitude from articles where place = value) as latitude,
  (select place_longitude from articles where place = value) as longitude,
  sum(articles) as articles
from article_counts
where facet = 'place'
group by value having articles > 0
order by articles desc, place
"""
# Read from the index on place, whose entries without a place hold the place as written: grouping
# by it through its own index instead reads every article's row (seconds at a million articles).
PLACES_NOT_FOUND_SQL = """
select dateline_place as written, count(*) as articles
from articles indexed by idx_articles_place
where place is null and dateline_place is not null
group by dateline_place
order by articles desc, written
"""
CANNED_QUERIES = {
    "place_map": {
        "title": "Map of dateline places",
        "description": "Where the news comes from: each place the datelines name, with its number of articles. "
                       "Every spelling of a place (Lahore, LAHORE, لاہور) is one place.",
        "sql": PLACE_MAP_SQL.strip(),
        "hide_sql": True,
    },
    "places_not_found": {
        "title": "Dateline places not found",
        "description": "Places the datelines name that the gazetteers do not know, so they are not on the map.",
        "sql": PLACES_NOT_FOUND_SQL.strip(),
        "hide_sql": True,
    },
}


@hookimpl
def canned_queries(datasette, database):
    return CANNED_QUERIES if is_archive_named(datasette, database) else None


@hookimpl
def register_routes():
    return [(r"^/(?P<database>[^/.]+)/-/coverage$", coverage_page)]


@hookimpl
def menu_links(datasette):
    return [{"href": datasette.urls.database(name) + "/-/coverage", "label": f"Coverage of {name}"}
            for name in archive_names(datasette)]


async def coverage_page(datasette, request) -> Response:
    name = tilde_decode(request.url_vars["database"])
    if not is_archive_named(datasette, name):
        raise NotFound(f"{name} is not a news archive")
    database = datasette.get_database(name)
    problems, days = _days_asked(request)
    context = {"database": name, "problems": problems, "since": request.args.get("since", ""),
               "until": request.args.get("until", "")}
    if not problems:
        context.update(await _pictures(datasette, database, name, *days))
    html = await datasette.render_template("archive_coverage.html", context, request=request)
    return Response.html(html, status=400 if problems else 200)


def _days_asked(request) -> tuple[list[str], tuple[date | None, date | None]]:
    problems, days = [], []
    for option in ("since", "until"):
        text = request.args.get(option, "").strip()
        day = parse_day(text) if text else None
        if text and day is None:
            problems.append(not_a_day(option, text))
        days.append(day)
    if days[0] and days[1] and days[0] > days[1]:
        problems.append(f"since {days[0]} is after until {days[1]}")
    return problems, tuple(days)


async def _pictures(datasette, database, name: str, since: date | None, until: date | None) -> dict:
    zone = ZoneInfo(settings.ARCHIVE_TIMEZONE)
    newest = (await database.execute(coverage.NEWEST_DAY_SQL)).first()[0]
    first, last = coverage.day_range(newest, since, until)
    day_rows = await database.execute(coverage.DAY_COUNTS_SQL, {"first": first.isoformat(), "last": last.isoformat()})
    run_rows = await database.execute(coverage.RUNS_SQL, coverage.runs_params(first, last))
    drawn = coverage.build(first, last, day_rows.rows, run_rows.rows, zone)
    rankings = []
    for facet, title in coverage.RANKED.items():
        rows = await database.execute(coverage.TOP_SQL, coverage.top_params(facet, first, last))
        link = _facet_link(datasette, name, COUNTED[facet])
        rankings.append(Markup(charts.ranking_chart(title, [tuple(row) for row in rows.rows], link)))
    not_found = (await database.execute(coverage.NOT_FOUND_SQL)).first()
    return {
        "first": first,
        "last": last,
        "chart": Markup(charts.coverage_chart(drawn)),
        "bad_runs": [(run, run.day(zone)) for run in drawn.runs if run.problem],
        "rankings": rankings,
        "places_not_found": tuple(not_found),
        "map_url": datasette.urls.query(name, "place_map"),
        "not_found_url": datasette.urls.query(name, "places_not_found"),
        "runs_url": datasette.urls.table(name, "crawl_runs") + "?_sort_desc=started_at",
        "earlier_url": "?" + urlencode({"until": (first - timedelta(days=1)).isoformat()}),
    }


def _facet_link(datasette, name: str, column: str):
    base = datasette.urls.table(name, "articles")
    return lambda value: f"{base}?{urlencode({column: value})}"

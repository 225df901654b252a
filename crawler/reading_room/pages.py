"""Datasette plugin of the reading room: what every archive's pages say and offer.

* Each database that is an archive (:func:`crawler.reading_room.is_archive`), whatever its file is
  called, gets the descriptions, facets and sort orders of ``archive.yml`` (``get_metadata``) and
  its canned queries, the ranked ``search`` among them (``canned_queries``). Metadata given with
  ``datasette -m`` still wins, queries included.
* The package's ``templates/`` folder is put before datasette's own templates, after any
  ``--template-dir``, so its templates extend datasette's (``{% extends "default:query.html" %}``)
  for archives only: datasette finds a plugin's templates only in a plugin that is a package.
"""

import copy
from functools import cache
from pathlib import Path

from datasette import Response, hookimpl
from datasette.utils import parse_metadata
from datasette.views.base import DatasetteError

from crawler.reading_room import archive_names, is_archive_named, profiles
from crawler.reading_room.article_text import web_link
from crawler.reading_room.search import snippet_html
from crawler.search import fts_query

HERE = Path(__file__).resolve().parent
TEMPLATES = HERE / "templates"
TITLE = "News archive"
SEARCH_ARGS = ("q", "since", "until", "outlet", "language", "every_copy")
# Any of these asks the articles table for its columns as datasette shows them: every one, or a choice.
LIST_COLUMNS_ARGS = {"_columns", "_col", "_nocol"}
LANGUAGE_NAMES = {"en": "English", "ur": "Urdu"}
# The values of one column, smallest first, each found by one seek in the column's index (the
# archive indexes every column the articles table is faceted on): a skip-scan that costs the
# same at a million articles as at ten.
DISTINCT_VALUES = """with recursive seen(value) as (
  select min({column}) from articles
  union all
  select (select min({column}) from articles where {column} > value) from seen where value is not null
) select value from seen where value is not null"""


@cache
def archive_metadata() -> dict:
    """``archive.yml``: the metadata of one archive database, its canned queries included."""
    return parse_metadata((HERE / "archive.yml").read_text(encoding="utf-8"))


@hookimpl
def get_metadata(datasette, key, database, table):
    names = archive_names(datasette)
    if not names:
        return {}
    described = {name: value for name, value in archive_metadata().items() if name != "queries"}
    # A fresh copy for each: datasette merges other metadata into what a hook returns.
    return {"title": TITLE, "databases": {name: copy.deepcopy(described) for name in names}}


@hookimpl
def canned_queries(datasette, database, actor):
    if not is_archive_named(datasette, database):
        return None
    # datasette lets a hook's query replace one of the same name given with -m: not these.
    given = datasette.metadata("queries", database=database, fallback=False) or {}
    return {name: copy.deepcopy(query) for name, query in archive_metadata()["queries"].items() if name not in given}


@hookimpl
def prepare_jinja2_environment(env, datasette):
    searchpath = env.loader.loaders[0].searchpath  # datasette's FileSystemLoader, its own templates last
    if str(TEMPLATES) not in searchpath:
        searchpath.insert(len(searchpath) - 1, str(TEMPLATES))
    env.filters["archive_snippet"] = snippet_html
    env.filters["web_link"] = web_link


@hookimpl
def extra_template_vars(template, database, table, request, datasette):
    """What the search page and the articles list of an archive show beyond datasette's own pages."""
    if request is None or not is_archive_named(datasette, database):
        return {}
    if template == "query.html" and request.url_vars.get("table") == "search":
        return search_page_vars(datasette.get_database(database), request)
    if template == "query.html":
        return {"archive_query": True}
    if template == "table.html" and table == "articles":
        return {"archive_list": not (LIST_COLUMNS_ARGS & set(request.args))}
    return {}


@hookimpl
def handle_exception(datasette, request, exception):
    """The search page of an archive whose query ran out of time says what to do, where datasette
    would show its SQL and the setting's name. Its JSON and CSV keep datasette's error."""
    if not (isinstance(exception, DatasetteError) and exception.title == "SQL Interrupted" and request is not None):
        return None
    database = request.url_vars.get("database")
    if request.url_vars.get("table") != "search" or request.url_vars.get("format") or not is_archive_named(
            datasette, database):
        return None

    async def page() -> Response:
        context = {"database": database, "typed": request.args.get("q", "")}
        html = await datasette.render_template("archive_search_slow.html", context, request=request)
        return Response.html(html, status=400)

    return page


def search_page_vars(db, request) -> dict:
    """The search form's choices and what was asked, for templates/archive_search.html."""
    asked = {name: request.args.get(name, "") for name in SEARCH_ARGS}

    async def choices() -> dict:
        outlets = await db.execute(DISTINCT_VALUES.format(column="outlet"))
        languages = await db.execute(DISTINCT_VALUES.format(column="language"))
        labels = outlet_labels()
        return {
            "archive_search": True,
            "asked": asked,
            "searched": "q" in request.args,
            "nothing_to_search": nothing_to_search(asked["q"]) if "q" in request.args else None,
            "outlet_choices": [(row[0], labels.get(row[0], row[0])) for row in outlets.rows],
            "outlet_names": labels,
            "language_choices": [(row[0], LANGUAGE_NAMES.get(row[0], row[0])) for row in languages.rows],
        }

    return choices


def nothing_to_search(typed: str) -> str | None:
    """What to tell the person whose search ``typed`` holds nothing to search for, or None."""
    if not typed.strip():
        return "Type a word to search for."
    if fts_query(typed) is None:
        return f"Nothing to search for in “{typed}”: type words or numbers."
    return None


@cache
def outlet_labels() -> dict[str, str]:
    """Each known outlet's name as it signs, by its name in the archive."""
    return {profile.name: profile.display_name or profile.name for profile in profiles()}



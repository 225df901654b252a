"""Datasette plugin of the reading room: safe full-text queries and the search page's cells.

* ``fts_query(text)`` in SQL is :func:`crawler.search.fts_query`, so that the canned
  ``search`` query accepts whatever a person types (``COVID-19``, ``"unbalanced``,
  ``AND``) without an FTS5 syntax error, folded as the index is; ``search_problem(q, since, until)``
  is :func:`crawler.queries.search_problem`, which tells the user a date that is no day; ``archive_snippet``
  is :func:`crawler.snippets.snippet`, FTS5's ``snippet()`` over the text as written; ``search_match``
  is :func:`crawler.search.search_match`, a search's MATCH with its outlet and language.
* Cells are rendered so in archives only (:func:`crawler.reading_room.is_archive`).
* A ``snippet`` cell is HTML, as ``archive_snippet(..., 'html')`` writes it: the text escaped,
  then marked with ``<mark>``. A cell with any other tag (from SQL of one's own) is escaped
  whole, since the article text is untrusted.
* An ``article_id`` cell links to the archived article, which outlives the site's page.
* Datasette's own table search (``?_search=``) folds what is typed as the index is folded,
  so Urdu typed with Arabic letters finds the article there too, and looks for it in the
  searched text only: the index also holds each article's outlet and language.
* Urdu cells are shown right to left (``lang="ur" dir="rtl"``, styled by ``/-/archive.css``).
* In public (``default_allow_sql off``, ``make serve-public``): no archive path in
  ``/-/databases.json``, no internal table, no ``_searchmode=raw`` (:func:`public`).
"""

import re
from pathlib import Path
from urllib.parse import unquote_plus

from datasette import hookimpl
from datasette.utils import escape_fts
from datasette.utils.asgi import Response
from markupsafe import Markup, escape

from crawler import snippets
from crawler.queries import search_problem
from crawler.reading_room import is_archive_named
from crawler.search import SEARCHED, fts_query, search_match
from pipelines.normalise import fold

MARKS = re.compile("</?mark>")
ARABIC_SCRIPT = re.compile("[\u0600-\u06ff]")
NOT_TEXT_COLUMNS = {"url", "tags", "article_id"}
TABLE_CELL_CHARS = 300
SNIPPET_SHARE_OF_TIME_LIMIT = 0.25  # of sql_time_limit_ms: what a query's snippets may take together
SEARCH_MMAP_BYTES = 2**31 - 2**16  # SQLite's SQLITE_MAX_MMAP_SIZE: a larger value is cut to it
ARCHIVE_CSS = (Path(__file__).resolve().parent / "static" / "archive.css").read_text(encoding="utf-8")


@hookimpl(trylast=True)  # after datasette's own prepare_connection, so this escape_fts replaces it
def prepare_connection(conn, database, datasette):
    # Pages read through mmap (the file's first 2 GiB, SQLite's most) skip a copy and a system
    # call each, which speeds up the slowest searches; the page cache keeps SQLite's default size
    # (a larger one does not help search and slows articles_per_day: benchmarks/README.md).
    conn.execute(f"pragma mmap_size = {SEARCH_MMAP_BYTES}")
    conn.create_function("fts_query", 1, fts_query, deterministic=True)
    conn.create_function("search_problem", 3, search_problem, deterministic=True)
    conn.create_function("search_match", 4, search_match, deterministic=True)
    searched = table_search if is_archive_named(datasette, database) else lambda typed: fold(escape_fts(typed))
    conn.create_function("escape_fts", 1, searched, deterministic=True)
    # The time limit cannot stop a Python function: the snippets of one query get a share of it.
    snippets.register(conn, seconds=datasette.setting("sql_time_limit_ms") / 1000 * SNIPPET_SHARE_OF_TIME_LIMIT)


def table_search(typed: str) -> str:
    """datasette's ``escape_fts`` for a table's ``?_search=``: the words folded as the index is,
    looked for in the searched text only (not in the outlet and language the index also holds)."""
    escaped = fold(escape_fts(typed))
    return f"{SEARCHED} : ({escaped})" if escaped else escaped


def public(datasette) -> bool:
    """Whether ``datasette`` serves the public, as ``make serve-public`` runs it: without SQL of
    one's own (``default_allow_sql off``). It then shows only what the archive's tables and queries
    say: not the archive's path on the server, the internal tables, nor FTS5's raw query syntax."""
    return not datasette.setting("default_allow_sql")


@hookimpl
def register_routes(datasette):
    routes = [(r"^/-/archive\.css$", lambda: Response(ARCHIVE_CSS, content_type="text/css; charset=utf-8"))]
    if public(datasette):
        routes.append((r"^/-/databases(\.json)?$", databases_without_paths))
    return routes


def databases_without_paths(datasette) -> Response:
    """``/-/databases.json`` without each database's path on the server (datasette's own route
    comes after a plugin's)."""
    return Response.json([
        {name: value for name, value in database.items() if name != "path"}
        for database in datasette._connected_databases()
    ])


@hookimpl
def permission_allowed(datasette, action, resource):
    """In public, the tables datasette hides (the full-text index and its shadow tables, those
    the archive's metadata hides) are not served at all: their pages answer 403."""
    if action != "view-table" or not public(datasette):
        return None

    async def internal():
        database, table = resource
        return False if table in await datasette.get_database(database).hidden_table_names() else None

    return internal()


@hookimpl
def asgi_wrapper(datasette):
    """In public, ``_searchmode`` is dropped from every query string: a table's search reads
    what is typed as words (escaped), never as FTS5's raw syntax (``_searchmode=raw``)."""

    def wrap(app):
        if not public(datasette):
            return app

        async def without_searchmode(scope, receive, send):
            if scope["type"] == "http":  # read each name as datasette will (%5F is "_")
                pairs = scope["query_string"].split(b"&")
                kept = [pair for pair in pairs if unquote_plus(pair.split(b"=")[0].decode("latin-1")) != "_searchmode"]
                scope = {**scope, "query_string": b"&".join(kept)}
            await app(scope, receive, send)

        return without_searchmode

    return wrap


@hookimpl
def extra_css_urls():
    return ["/-/archive.css"]


def snippet_html(value: str | None) -> Markup:
    """A search snippet as ``archive_snippet(..., 'html')`` makes it (its text escaped, then marked
    with ``<mark>``) as HTML; any other tag means it was made otherwise, and it is escaped whole."""
    if value is None:
        return Markup("")
    return Markup(value) if "<" not in MARKS.sub("", value) else escape(value)


def right_to_left(html) -> Markup:
    return Markup('<div lang="ur" dir="rtl">{}</div>').format(html)


@hookimpl
def render_cell(value, column, table, database, datasette):
    if value is None or not is_archive_named(datasette, database):
        return None
    if column == "snippet" and isinstance(value, str):
        html = snippet_html(value)
        return right_to_left(html) if ARABIC_SCRIPT.search(value) else html
    if column == "article_id" and isinstance(value, int):
        return Markup('<a href="{}">{}</a>').format(datasette.urls.row(database, "articles", str(value)), value)
    if isinstance(value, str) and column not in NOT_TEXT_COLUMNS and ARABIC_SCRIPT.search(value):
        if table is not None and len(value) > TABLE_CELL_CHARS:
            value = value[:TABLE_CELL_CHARS] + "…"  # as datasette truncates the cells it renders itself
        return right_to_left(value)
    return None

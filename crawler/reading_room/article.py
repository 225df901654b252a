"""The article page: an archived article as a person reads it, with all the archive knows of it.

In an archive, ``/<db>/articles/<id>`` is this page instead of datasette's row page (a plugin's
routes come before datasette's own); the row's ``.json``, ``.csv`` and the row page of any other
database stay datasette's. Around the article: every URL that led to it, its earlier versions
with a word diff against the next, its duplicates, the other outlets' articles of its story,
the previous and next article of its outlet and day, and the page as archived:

* ``/<db>/articles/<id>/raw`` (``?version=N`` for an earlier version) serves the recorded page
  from its WARC record under a CSP ``sandbox`` without scripts, shown on the article page in an
  ``<iframe sandbox="">``: it is displayed, never run;
* ``/<db>/articles/<id>/source`` serves it as plain text.

The WARC files are looked for in ``warc/`` beside the database file, as the crawl writes them
by default, or where the plugin setting ``warc_dir`` says (``plugins: archive_article: warc_dir:``
in datasette's metadata), as the crawl's ``WARC_DIR`` did.
"""

import base64
import hashlib
import json
import re
from pathlib import Path

from datasette import hookimpl
from datasette.utils import tilde_decode
from datasette.utils.asgi import Forbidden, NotFound, Request, Response
from scrapy.http import TextResponse

from crawler.reading_room import is_archive, profiles, project_settings
from crawler.reading_room.article_text import isolated, paragraphs, reader_time, record_time, web_link, word_diff
from crawler.warc import Location, read_record

PLUGIN = "archive_article"
DATABASE = r"(?P<database>[^/.]+)"  # as datasette's own routes match a database
ARTICLE_ROUTE = rf"^/{DATABASE}/(?P<table>articles)/(?P<pks>[0-9]+)$"
RAW_ROUTE = rf"^/{DATABASE}/articles/(?P<pks>[0-9]+)/(?P<form>raw|source)$"
CSS_ROUTE = r"^/-/reading-room/article\.css$"
CSS_URL = "/-/reading-room/article.css"
CSS = Path(__file__).with_name("static") / "article.css"
RIGHT_TO_LEFT_LANGUAGES = {"ur", "ar", "fa", "ps", "sd"}
STORY_ARTICLES_SHOWN = 50
# From the index on story (+ keeps SQLite from walking every article's time in order instead, as
# it chose when its statistics said that stories were large: seconds at a million articles).
STORY_ARTICLES_SQL = ("select id, outlet, title, published_at, story_similarity from articles where story = ? and id != ?"
                      " order by +published_at_utc, id limit ?")
# The article page runs no script of the archive's: datasette's own files, and of inline scripts only
# datasette's menu-closing one (a click outside an open <details> closes it), allowed by its hash.
PAGE_POLICY = ("default-src 'self'; script-src 'self' {menu_script}; style-src 'self' 'unsafe-inline';"
               " img-src 'self' data:; frame-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'")
MENU_SCRIPT_TEMPLATE = "_close_open_menus.html"  # datasette's, included by its base.html on every page
INLINE_SCRIPT = re.compile(r"<script>(.*?)</script>", re.S)
# The recorded page: its own scripts, forms, plugins and fetches all refused, its origin opaque.
RAW_PAGE_POLICY = "sandbox; default-src 'none'; style-src 'unsafe-inline'; img-src data:"
# The UTC times between which any zone's day falls (UTC+14 starts it first, UTC-12 ends it last).
DAY_STARTS_FROM, DAY_ENDS_BY = "-14 hours", "+36 hours"


@hookimpl
def prepare_jinja2_environment(env):
    # The reading room's templates/ folder is put on datasette's template path by reading_room.pages.
    env.filters["record_time"] = record_time


@hookimpl
def register_routes():
    return [(ARTICLE_ROUTE, article_page), (RAW_ROUTE, raw_page), (CSS_ROUTE, stylesheet)]


def stylesheet() -> Response:
    return Response(CSS.read_text(encoding="utf-8"), content_type="text/css; charset=utf-8")


async def visible_archive(datasette, request):
    """The archive the request names; None when the database is not an archive. Forbidden when the
    reader may not see its articles."""
    try:
        db = datasette.get_database(route=tilde_decode(request.url_vars["database"]))
    except KeyError:
        raise NotFound("Database not found")
    if not is_archive(db):
        return None
    visible, _ = await datasette.check_visibility(
        request.actor, permissions=[("view-table", (db.name, "articles")), ("view-database", db.name), "view-instance"]
    )
    if not visible:
        raise Forbidden("You do not have permission to view this table")
    return db


async def article_page(datasette, request, send):
    db = await visible_archive(datasette, request)
    if db is None:
        return await datasette_row_page(datasette, request, send)
    article_id = int(request.url_vars["pks"])
    article = await one(db, "select * from articles where id = ?", [article_id])
    if article is None:
        raise NotFound("No article has this number")
    context = await article_context(datasette, db, article)
    html = await datasette.render_template("article.html", context, request=request, view_name="article")
    return Response.html(html, headers={"Content-Security-Policy": await page_policy(datasette)})


async def page_policy(datasette) -> str:
    """The article page's CSP, which allows datasette's menu-closing script as its templates write
    it (a ``--template-dir`` may replace it) and no other inline script."""
    menu = await datasette.jinja_env.get_template(MENU_SCRIPT_TEMPLATE).render_async()
    return PAGE_POLICY.format(menu_script=" ".join(script_hash(script) for script in INLINE_SCRIPT.findall(menu)))


def script_hash(script: str) -> str:
    """The CSP source that allows the inline script whose text is ``script``: ``'sha256-…'``."""
    return "'sha256-" + base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode("ascii") + "'"


async def datasette_row_page(datasette, request, send):
    """Datasette's own row page, as its route (which has a ``format``, None for HTML) would serve it."""
    from datasette.views.row import RowView  # datasette's views import its plugins: not at import time

    route = {"kwargs": {**request.url_vars, "format": None}}
    return await RowView.as_view(datasette)(Request({**request.scope, "url_route": route}, request.receive), send)


async def one(db, sql: str, params) -> dict | None:
    rows = (await db.execute(sql, params)).rows
    return dict(rows[0]) if rows else None


async def every(db, sql: str, params) -> list[dict]:
    return [dict(row) for row in (await db.execute(sql, params)).rows]


async def article_context(datasette, db, article: dict) -> dict:
    profile = profiles().get(article["outlet"])
    rtl = article["language"] in RIGHT_TO_LEFT_LANGUAGES
    versions = await every(
        db,
        "select version, title, text, fetched_at, replaced_at, warc_file is not null as has_raw_page"
        " from article_versions where article_id = ? order by version",
        [article["id"]],
    )
    later = [*versions[1:], article]  # each version is compared with the one that replaced it
    duplicates = await every(
        db, "select url, similarity, title, text, fetched_at from duplicates where article_id = ?"
            " order by similarity desc, url", [article["id"]])
    row_url = datasette.urls.row(db.name, "articles", str(article["id"]))
    return {
        "database": db.name,
        "article": article,
        "css_url": datasette.urls.path(CSS_URL),
        "outlet_name": profile.display_name or article["outlet"],
        "language": article["language"] or "",
        "direction": "rtl" if rtl else "ltr",
        "title": isolated(article["title"], rtl),
        "summary": isolated(article["summary"], rtl) if article["summary"] else None,
        "published": reader_time(article["published_at"], profile.timezone),
        "dateline": [part for part in (article["dateline_place"], article["dateline_agency"]) if part],
        "tags": [isolated(tag, rtl) for tag in tags_of(article["tags"])],
        "paragraphs": paragraphs(article["text"], rtl),
        "link": web_link(article["url"]),
        "addresses": [{**row, "link": web_link(row["url"])} for row in await every(
            db, "select url, relation, first_seen from article_urls where article_id = ?"
                " order by relation = 'canonical' desc, first_seen, url", [article["id"]])],
        "versions": [
            {**version, "title_diff": word_diff(version["title"], newer["title"]) if version["title"] != newer["title"]
             else None, "text_diff": word_diff(version["text"], newer["text"])}
            for version, newer in zip(versions, later)
        ],
        "duplicates": [
            {**copy, "link": web_link(copy["url"]),
             "text_diff": word_diff(article["text"], copy["text"]) if copy["text"] is not None else None}
            for copy in duplicates
        ],
        "story": await story_articles(datasette, db, article),
        "previous": await neighbour(datasette, db, article, before=True),
        "next": await neighbour(datasette, db, article, before=False),
        "has_raw_page": article["warc_file"] is not None,
        "row_url": row_url,
        "json_url": datasette.urls.row(db.name, "articles", str(article["id"]), format="json"),
    }


def tags_of(value: str | None) -> list[str]:
    try:
        tags = json.loads(value or "[]")
    except json.JSONDecodeError:
        return [value]
    return [str(tag) for tag in tags] if isinstance(tags, list) else [str(tags)]


async def story_articles(datasette, db, article: dict) -> list[dict]:
    """The other articles of the article's story, oldest first (they are other outlets' copies)."""
    if not article.get("story"):
        return []
    rows = await every(db, STORY_ARTICLES_SQL, [article["story"], article["id"], STORY_ARTICLES_SHOWN])
    return [{**row, "href": datasette.urls.row(db.name, "articles", str(row["id"])),
             "outlet_name": profiles().get(row["outlet"]).display_name or row["outlet"],
             "published": reader_time(row["published_at"], profiles().get(row["outlet"]).timezone)} for row in rows]


async def neighbour(datasette, db, article: dict, before: bool) -> dict | None:
    """The article of the same outlet and day (the outlet's day, as its ``published_at`` writes it)
    published just before (or after) this one; ties in time go by id.

    Read from the ``published_at_utc`` index, within the UTC times that can hold the outlet's day:
    ``+outlet`` keeps SQLite from choosing the outlet's index, which would read every article of it.
    """
    if not article["published_at"] or not article["published_at_utc"]:
        return None
    day = article["published_at"][:10]
    compare, order = ("<", "desc") if before else (">", "asc")
    row = await one(
        db,
        f"""
        select id, title from articles
        where published_at_utc >= strftime('%Y-%m-%dT%H:%M', :day, '{DAY_STARTS_FROM}')
          and published_at_utc < strftime('%Y-%m-%dT%H:%M', :day, '{DAY_ENDS_BY}')
          and (published_at_utc, id) {compare} (:utc, :id)
          and +outlet = :outlet and substr(published_at, 1, 10) = :day
        order by published_at_utc {order}, id {order} limit 1
        """,
        {"day": day, "utc": article["published_at_utc"], "id": article["id"], "outlet": article["outlet"]},
    )
    if row is None:
        return None
    return {**row, "href": datasette.urls.row(db.name, "articles", str(row["id"]))}


async def raw_page(datasette, request):
    """The article's page as archived: sandboxed HTML (``raw``) or plain text (``source``)."""
    db = await visible_archive(datasette, request)
    if db is None:
        raise NotFound("Not an archive")
    article_id, version = int(request.url_vars["pks"]), request.args.get("version")
    if version:
        location = await one(db, "select warc_file, warc_offset, warc_length from article_versions"
                                 " where article_id = ? and version = ?", [article_id, version])
    else:
        location = await one(db, "select warc_file, warc_offset, warc_length from articles where id = ?", [article_id])
    if location is None or location["warc_file"] is None:
        raise NotFound("The archive holds no raw page of this article")
    try:
        record = read_record(warc_dir(datasette, db), Location(*location.values()),
                             project_settings().getint("DOWNLOAD_MAXSIZE"))
    except (OSError, ValueError) as error:
        raise NotFound(f"The raw page cannot be read: {error}")
    headers = {"X-Content-Type-Options": "nosniff", "Content-Security-Policy": RAW_PAGE_POLICY}
    kind = "text/plain" if request.url_vars["form"] == "source" else "text/html"
    return Response(page_text(record), content_type=f"{kind}; charset=utf-8", headers=headers)


def page_text(record) -> str:
    """The recorded page decoded as the crawl read it (its declared or sniffed encoding)."""
    page = record.page()
    return page.text if isinstance(page, TextResponse) else record.content.decode("utf-8", "replace")


def warc_dir(datasette, db) -> Path:
    """Where the archive's WARC files are: the plugin's ``warc_dir``, else ``warc/`` beside the database."""
    configured = (datasette.plugin_config(PLUGIN, database=db.name) or {}).get("warc_dir")
    if configured:
        return Path(configured)
    if not db.path:
        raise NotFound("An archive in memory has no raw pages")
    return Path(db.path).resolve().parent / "warc"

"""The reading room (crawler/reading_room/, the project's datasette plugin) on a real archive file,
through datasette's own client.

Also home of what the other datasette tests share: a small archive of realistic
articles, the plugin registered in this process, and the serving command exactly as the README gives it.
"""

import asyncio
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
import tomllib
import urllib.request
from contextlib import contextmanager
from importlib import import_module
from pathlib import Path

import pytest
from datasette.app import Datasette
from datasette.plugins import pm

from crawler.reading_room.pages import archive_metadata
from pipelines.archive import Archive
from pipelines.items import ArticleItem

REPO = Path(__file__).resolve().parent.parent
# As in the README's command. Suggested facets try every column of the table on every page view:
# on millions of rows each attempt runs into its time limit, so they are off.
SETTINGS = {"sql_time_limit_ms": 1000, "max_returned_rows": 1000, "suggest_facets": False}
PUBLIC_SETTINGS = {**SETTINGS, "default_allow_sql": False}
NOW = "2024-09-01T00:00:00+00:00"

# (category, published_at, published_at_utc, title, text, language, outlet)
ARTICLES = [
    ("pakistan", "2024-08-26T10:00:00+05:00", "2024-08-26T05:00:00+00:00",
     "Flood relief operations continue in Sindh",
     "HYDERABAD, (APP - UrduPoint / Pakistan Point News - 26th Aug, 2024) :Relief camps were set up in "
     "twelve districts as the Indus rose again. The NDMA said rescue teams reached stranded families.",
     "en", "urdupoint"),
    ("pakistan", "2024-08-27T09:15:00+05:00", "2024-08-27T04:15:00+00:00",
     "Punjab cabinet approves wheat support price",
     "LAHORE, (UrduPoint / Pakistan Point News - 27th Aug, 2024) :The cabinet approved a support price "
     "for wheat after farmers protested. Officials said the flood in the south would not delay sowing.",
     "en", "urdupoint"),
    ("health", "2024-08-27T18:40:00+05:00", "2024-08-27T13:40:00+00:00",
     "COVID-19 vaccination drive extended to schools",
     "ISLAMABAD, (APP - UrduPoint / Pakistan Point News - 27th Aug, 2024) :The COVID-19 vaccination "
     "drive will reach schools next week, the health ministry said. Parents asked about <script>alert(1)</script> "
     "side effects were told the vaccine is safe.",
     "en", "urdupoint"),
    # Past midnight in Pakistan, still the 27th in UTC: a Pakistan day counts it on the 28th.
    ("sports", "2024-08-28T02:30:00+05:00", "2024-08-27T21:30:00+00:00",
     "Pakistan name squad for Bangladesh Test series",
     "KARACHI, (UrduPoint / Pakistan Point News - 28th Aug, 2024) :The PCB named a fifteen-man squad. "
     "The captain said the team had recovered from the rain-hit camp.",
     "en", "urdupoint"),
    ("world", "2024-08-28T11:00:00+05:00", "2024-08-28T06:00:00+00:00",
     "Floods hit Bangladesh as monsoon rains continue",
     "DHAKA, Aug 28 (Xinhua) -- Floods in eastern Bangladesh displaced thousands, officials said. "
     "Rescue boats were sent to cut-off villages.",
     "en", "dawn"),
    ("business", "2024-08-29T12:00:00+05:00", "2024-08-29T07:00:00+00:00",
     "Rupee gains against dollar in interbank trading",
     "KARACHI, (UrduPoint / Pakistan Point News - 29th Aug, 2024) :The rupee gained 12 paisa. Dealers "
     "said remittances were strong ahead of the new fiscal measures.",
     "en", "urdupoint"),
    ("pakistan", "2024-08-27T20:00:00+05:00", "2024-08-27T15:00:00+00:00",
     "سندھ میں سیلاب سے متاثرہ علاقوں میں امدادی کارروائیاں",
     "حیدرآباد (اُردو پوائنٹ اخبارتازہ ترین - اے پی پی۔ 27 اگست2024ء) سندھ میں سیلاب سے متاثرہ اضلاع میں "
     "امدادی کیمپ قائم کر دیے گئے۔",
     "ur", "urdupoint"),
    ("pakistan", "2024-08-29T08:00:00+05:00", "2024-08-29T03:00:00+00:00",
     "وزیراعظم کا کسانوں کے لیے امدادی پیکج کا اعلان",
     "اسلام آباد (اُردو پوائنٹ اخبارتازہ ترین - 29 اگست2024ء) وزیراعظم نے سیلاب سے متاثرہ کسانوں کے لیے "
     "امدادی پیکج کا اعلان کیا۔",
     "ur", "urdupoint"),
]


def article_item(number: int, category, published_at, published_at_utc, title, text, language, outlet):
    edition = "ur" if language == "ur" else "en"
    url = f"https://www.urdupoint.com/{edition}/{category}/story-{number}.html"
    return ArticleItem(
        url=url,
        fetched_url=url,
        body=b"",
        encoding="utf-8",
        fetched_at=NOW,
        via=[f"https://urdupoint.com/{edition}/{category}/story-{number}.html"],
        outlet=outlet,
        language=language,
        title=title,
        summary=None,
        text=text,
        category=category,
        published_at=published_at,
        published_at_utc=published_at_utc,
        dateline_place=text.split(",")[0].split(" (")[0],
        dateline_agency=next((agency for agency in ("APP", "Xinhua") if f"{agency} " in text), None),
        content_hash=f"hash-{number}",
    )


def build_archive(path: Path) -> Path:
    """A real archive file at ``path`` holding :data:`ARTICLES`, written as the crawl writes."""
    archive = Archive.open(path)
    try:
        for number, fields in enumerate(ARTICLES, start=1):
            item = article_item(number, *fields)
            archive.add_article(item, item.urls, NOW)
    finally:
        archive.close()
    return path


def serve_command(db_path: Path, port: int, settings: dict = SETTINGS) -> list[str]:
    """The README's serving command (``make serve`` runs it) for ``db_path``, on 127.0.0.1."""
    command = [sys.executable, str(REPO / "scripts" / "serve.py"), str(db_path), "--host", "127.0.0.1", "--port", str(port)]
    for name, value in settings.items():
        command += ["--setting", name, ("on" if value else "off") if isinstance(value, bool) else str(value)]
    return command


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def plain_datasette_command(db_path: Path, port: int) -> list[str]:
    """``datasette ARCHIVE`` as anyone types it, no option but the address: the installed package's
    entry points bring the reading room."""
    return [sys.executable, "-m", "datasette", "serve", str(db_path), "--host", "127.0.0.1", "--port", str(port)]


@contextmanager
def datasette_server(db_path: Path, settings: dict = SETTINGS, timeout: float = 30, command=None):
    """A real ``datasette`` server on 127.0.0.1 serving ``db_path``, started with the README's serving
    command or ``command(db_path, port)``; yields its base URL."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    # A file, not a pipe: nobody reads the access log while the server runs, and a full pipe would block it.
    with tempfile.TemporaryFile(mode="w+") as log:
        process = subprocess.Popen(command(db_path, port) if command else serve_command(db_path, port, settings),
                                   cwd=Path(db_path).parent,
                                   stdout=log, stderr=subprocess.STDOUT, text=True)
        try:
            deadline = time.monotonic() + timeout
            while True:
                if process.poll() is not None:
                    log.seek(0)
                    raise RuntimeError(f"datasette exited: {log.read()[-3000:]}")
                try:
                    with urllib.request.urlopen(url + "/-/versions.json", timeout=2):
                        break
                except OSError:
                    if time.monotonic() > deadline:
                        raise
                    time.sleep(0.1)
            yield url
        finally:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def register_reading_room() -> None:
    """Register in this process every module pyproject.toml declares as a datasette entry point, as
    ``datasette`` loads them from the installed package (which these tests do not need)."""
    entry_points = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]["entry-points"]["datasette"]
    for module in map(import_module, entry_points.values()):
        if not pm.is_registered(module):
            pm.register(module)


def make_datasette(db_path: Path, settings: dict = SETTINGS, **options) -> Datasette:
    """datasette serving ``db_path`` with the reading room, as ``datasette ARCHIVE`` serves it."""
    register_reading_room()
    return Datasette([str(db_path)], settings=settings, **options)


def get(ds: Datasette, path: str, **params):
    """GET ``path`` from ``ds`` (pytest-asyncio is not a dependency: one event loop per call)."""
    return asyncio.run(ds.client.get(path, params=params or None))


@pytest.fixture(scope="module")
def db_path(tmp_path_factory) -> Path:
    return build_archive(tmp_path_factory.mktemp("datasette") / "archive.db")


@pytest.fixture(scope="module")
def ds(db_path) -> Datasette:
    return make_datasette(db_path)


def search(ds, q, **filters):
    response = get(ds, "/archive/search.json", q=q, _shape="array", **filters)
    assert response.status_code == 200, response.text
    return response.json()


def test_search_ranks_title_matches_first_with_highlighted_snippets(ds):
    rows = search(ds, "flood")
    # In the title (weighted 10) before in the body only, although the body one is newer.
    assert [row["title"] for row in rows] == [
        "Flood relief operations continue in Sindh", "Punjab cabinet approves wheat support price"]
    assert [row["title"] for row in search(ds, "flood*")][2:] == ["Punjab cabinet approves wheat support price"]
    assert "<mark>flood</mark>" in rows[1]["snippet"]  # the snippet is cut from the body
    assert rows[0]["url"].startswith("https://www.urdupoint.com/en/")
    assert rows[0]["date"] == rows[0]["date"][:10] and rows[0]["article_id"]


def test_search_page_renders_marks_and_escapes_the_rest(ds):
    page = get(ds, "/archive/search", q="vaccine")
    assert page.status_code == 200
    assert "<mark>vaccine</mark>" in page.text
    assert "<script>alert(1)" not in page.text
    assert "&lt;script&gt;alert(1)" in page.text
    assert 'href="https://www.urdupoint.com/en/health/story-3.html"' in page.text  # the original page
    assert '<a href="/archive/articles/3">COVID-19 vaccination drive extended to schools</a>' in page.text


@pytest.mark.parametrize(
    "q",
    ['"unbalanced', "COVID-19", "AND", "OR", "NOT x", "(", "a*", "*", "سیلاب", "", "   ", 'flood"', "NEAR(a b)",
     "'; drop table articles; --", "title:flood", "^flood", "🙂"],
)
def test_any_typed_query_gives_a_page_not_an_sql_error(ds, q):
    data = get(ds, "/archive/search.json", q=q)
    assert data.status_code == 200, data.text[:500]
    assert data.json()["ok"] is True and data.json()["error"] is None
    page = get(ds, "/archive/search", q=q)
    assert page.status_code == 200 and "message-error" not in page.text


def test_search_of_nothing_searchable_is_empty(ds):
    for q in ("", "AND", "(", "*"):
        assert search(ds, q) == []


def test_typed_syntax_is_read_as_words(ds):
    assert [row["title"] for row in search(ds, "COVID-19")] == ["COVID-19 vaccination drive extended to schools"]
    assert len(search(ds, '"unbalanced flood')) == 0
    assert {row["title"] for row in search(ds, "rupee OR squad")} == {
        "Rupee gains against dollar in interbank trading", "Pakistan name squad for Bangladesh Test series"}
    assert len(search(ds, "vaccin*")) == 1


def test_search_finds_urdu_words_however_typed_and_shows_them_as_written(ds):
    urdu = sorted(fields[3] for fields in ARTICLES if fields[5] == "ur")
    assert sorted(row["title"] for row in search(ds, "سیلاب")) == urdu
    rows = search(ds, "سيلاب")  # typed with the Arabic yeh
    assert sorted(row["title"] for row in rows) == urdu
    assert all("<mark>سیلاب</mark>" in row["snippet"] for row in rows)


def test_table_search_box_folds_urdu_typed_with_arabic_letters(ds):
    typed = get(ds, "/archive/articles.json", _search="سيلاب", _shape="array")  # Arabic yeh
    assert typed.status_code == 200, typed.text[:500]
    assert sorted(row["title"] for row in typed.json()) == sorted(
        fields[3] for fields in ARTICLES if fields[5] == "ur")


def test_urdu_is_shown_right_to_left(ds):
    page = get(ds, "/archive/search", q="سیلاب")
    assert page.text.count('<p class="archive-result-snippet" lang="ur" dir="rtl">') == 2 and "/-/archive.css" in page.text
    table = get(ds, "/archive/articles", _columns="all")
    assert '<div lang="ur" dir="rtl">' in table.text
    css = get(ds, "/-/archive.css")
    assert css.status_code == 200 and "direction: rtl" in css.text
    english = get(ds, "/archive/search", q="flood")
    assert 'dir="rtl"' not in english.text


def test_search_filters_by_pakistan_day_and_outlet(ds):
    assert [row["date"] for row in search(ds, "flood*", since="2024-08-27")] == ["2024-08-28", "2024-08-27"]
    assert [row["date"] for row in search(ds, "flood*", until="2024-08-26")] == ["2024-08-26"]
    assert [row["title"] for row in search(ds, "squad", since="2024-08-28", until="2024-08-28")] == [
        "Pakistan name squad for Bangladesh Test series"]  # 21:30 UTC on the 27th
    assert search(ds, "squad", until="2024-08-27") == []
    assert [row["title"] for row in search(ds, "flood*", outlet="dawn")] == ["Floods hit Bangladesh as monsoon rains continue"]
    assert search(ds, "flood", since="2030-01-01") == []


def message(text: str) -> list[dict]:
    """The one row the search gives when it cannot run: the message, in the title column."""
    return [{"date": None, "title": text, "snippet": None, "url": None, "outlet": None, "language": None,
             "dateline_place": None, "outlets": None, "copies": None, "article_id": None, "matches": None, "more": None}]


def test_search_says_when_a_date_is_not_a_day(ds):
    assert search(ds, "flood*", since="last week") == message(
        "since 'last week' is not a day: write YYYY-MM-DD, e.g. 2023-03-02")
    assert search(ds, "flood*", until="2024-13-45") == message(
        "until '2024-13-45' is not a day: write YYYY-MM-DD, e.g. 2023-03-02")
    assert search(ds, "flood*", until="2024-02-30")[0]["title"].startswith("until '2024-02-30' is not a day")
    assert search(ds, "flood*", since="2024-08-28", until="2024-08-27") == message(
        "since 2024-08-28 is after until 2024-08-27")
    page = get(ds, "/archive/search", q="flood", since="last week")
    assert page.status_code == 200 and "since &#39;last week&#39; is not a day" in page.text


def test_search_filters_on_the_first_and_last_days_there_are(ds):
    everything = search(ds, "flood*")
    assert len(everything) == 3
    for filters in ({"until": "9999-12-31"}, {"since": "0001-01-01"}, {"since": "0001-01-01", "until": "9999-12-31"}):
        assert search(ds, "flood*", **filters) == everything, filters
    assert search(ds, "flood*", since="9999-12-31") == search(ds, "flood*", until="0001-01-01") == []


def test_articles_per_day_counts_pakistan_days_newest_first(ds):
    response = get(ds, "/archive/articles_per_day.json", _shape="array")
    assert response.status_code == 200, response.text
    assert response.json() == [
        {"day": "2024-08-29", "outlet": "urdupoint", "articles": 2},
        {"day": "2024-08-28", "outlet": "dawn", "articles": 1},
        {"day": "2024-08-28", "outlet": "urdupoint", "articles": 1},
        {"day": "2024-08-27", "outlet": "urdupoint", "articles": 3},
        {"day": "2024-08-26", "outlet": "urdupoint", "articles": 1},
    ]
    ranged = get(ds, "/archive/articles_per_day.json", _shape="array", since="2024-08-27", until="2024-08-28").json()
    assert [(row["day"], row["articles"]) for row in ranged] == [("2024-08-28", 1), ("2024-08-28", 1), ("2024-08-27", 3)]


def test_articles_per_day_says_when_a_date_is_not_a_day(ds):
    def per_day(**days):
        return get(ds, "/archive/articles_per_day.json", _shape="array", **days).json()

    assert per_day(until="2024-13-45") == [
        {"day": "until '2024-13-45' is not a day: write YYYY-MM-DD, e.g. 2023-03-02", "outlet": None, "articles": None}]
    assert per_day(since="last week")[0]["day"] == "since 'last week' is not a day: write YYYY-MM-DD, e.g. 2023-03-02"
    assert per_day(since="2024-08-29", until="2024-08-28")[0]["day"] == "since 2024-08-29 is after until 2024-08-28"
    assert per_day(since="0001-01-01", until="9999-12-31") == per_day(since="2024-08-01")


def test_articles_per_day_counts_from_an_index_alone(db_path):
    from crawler.queries import search_problem

    conn = sqlite3.connect(db_path)
    conn.create_function("search_problem", 3, search_problem, deterministic=True)
    sql = archive_metadata()["queries"]["articles_per_day"]["sql"]
    plan = [row[3] for row in conn.execute(f"explain query plan {sql}", {"since": "2024-01-01", "until": "2024-12-31"})]
    conn.close()
    assert any(step.startswith("SEARCH articles USING COVERING INDEX idx_articles_day_outlet") for step in plan), plan


def test_article_urls_of_lists_the_canonical_url_first(ds):
    rows = get(ds, "/archive/article_urls_of.json", id="2", _shape="array").json()
    assert [row["relation"] for row in rows] == ["canonical", "alias"]
    assert rows[0]["url"] == "https://www.urdupoint.com/en/pakistan/story-2.html"


def test_articles_table_sorts_newest_first_with_facets(ds):
    data = get(ds, "/archive/articles.json", _shape="objects").json()
    assert data["human_description_en"] == "sorted by published_at_utc descending"
    utc = [row["published_at_utc"] for row in data["rows"]]
    assert utc == sorted(utc, reverse=True)
    assert set(data["facet_results"]) == {"outlet", "language", "category", "author", "place", "dateline_agency"}
    page = get(ds, "/archive/articles")
    assert page.status_code == 200
    assert all(f'data-column="{column}"' in page.text for column in data["facet_results"])
    assert data["suggested_facets"] == []
    assert "sorted by published_at_utc descending" in page.text


def test_shadow_tables_are_hidden_and_every_table_described(ds):
    data = get(ds, "/archive.json").json()
    visible = {table["name"] for table in data["tables"] if not table["hidden"]}
    hidden = {table["name"] for table in data["tables"] if table["hidden"]}
    assert {"articles", "article_urls", "rejected_urls"} <= visible
    assert {"articles_fts", "articles_fts_data", "articles_fts_idx", "_sqlite_migrations"} <= hidden
    described = archive_metadata()["tables"]
    assert all(described.get(table, {}).get("description") for table in visible), "describe new tables in archive.yml"
    assert {query["name"] for query in data["queries"]} == {"search", "articles_per_day", "article_urls_of", "article_history",
                                                           "story_articles", "place_map", "places_not_found"}


def test_settings_limit_query_time_and_rows(ds):
    assert {name: get(ds, "/-/settings.json").json()[name] for name in SETTINGS} == SETTINGS
    endless = "with recursive n(x) as (select 1 union all select x + 1 from n) select count(*) from n"
    started = time.monotonic()
    response = get(ds, "/archive.json", sql=endless)
    assert response.status_code == 400
    assert "SQL query took too long" in response.json()["error"]
    assert time.monotonic() - started < 5


def test_nothing_is_writable(ds):
    queries = asyncio.run(ds.get_canned_queries("archive", None))
    assert queries and not any(query.get("write") for query in queries.values())
    before = get(ds, "/archive.json", sql="select count(*) as n from articles").json()["rows"]
    response = get(ds, "/archive.json", sql="delete from articles")
    assert response.status_code == 400  # datasette runs only SELECT, on read-only connections
    assert get(ds, "/archive.json", sql="select count(*) as n from articles").json()["rows"] == before
    with pytest.raises(sqlite3.OperationalError, match="readonly"):
        asyncio.run(ds.get_database("archive").execute_fn(lambda conn: conn.execute("create table x (y)")))


def test_public_settings_refuse_arbitrary_sql_but_serve_the_queries(db_path):
    public = make_datasette(db_path, PUBLIC_SETTINGS)
    assert get(public, "/archive.json", sql="select 1").status_code == 403
    assert get(public, "/archive/search.json", q="flood").status_code == 200
    assert get(public, "/archive/articles.json").status_code == 200

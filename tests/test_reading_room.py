"""Plain ``datasette ARCHIVE`` (no option, no metadata file, run from anywhere) over an archive of
any name: the installed package's entry points bring the reading room, which knows an archive by
its tables and leaves other databases alone."""

import html
import json
import sqlite3
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from crawler.reading_room import ARCHIVE_TABLES, is_archive
from crawler.reading_room.pages import archive_metadata
from pipelines.archive import Archive
from tests.test_datasette import build_archive, datasette_server, get, make_datasette, plain_datasette_command


def fetch_json(url: str):
    with urllib.request.urlopen(url, timeout=30) as response:
        return json.loads(response.read())


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    folder = tmp_path_factory.mktemp("data")
    db_path = build_archive(folder / "urdupoint.db")
    with datasette_server(db_path, command=plain_datasette_command) as url:
        yield url


def test_plain_datasette_loads_the_reading_room_through_the_entry_points(served):
    hooks = {hook for plugin in fetch_json(served + "/-/plugins.json") if plugin["name"] == "news-archive"
             for hook in plugin["hooks"]}  # each entry point's module is listed under the package's name
    assert {"prepare_connection", "get_metadata", "canned_queries", "render_cell"} <= hooks


def test_plain_datasette_answers_the_ranked_search_of_an_archive_of_any_name(served):
    query = urllib.parse.urlencode({"q": "flood", "_shape": "array"})
    rows = fetch_json(f"{served}/urdupoint/search.json?{query}")
    assert [row["title"] for row in rows] == [
        "Flood relief operations continue in Sindh", "Punjab cabinet approves wheat support price"]
    assert "<mark>flood</mark>" in rows[1]["snippet"]


def test_plain_datasette_describes_the_archive(served):
    data = fetch_json(served + "/urdupoint/articles.json?_shape=objects&_size=1")
    assert data["human_description_en"] == "sorted by published_at_utc descending"
    assert set(data["facet_results"]) == {"outlet", "language", "category", "author", "place", "dateline_agency"}
    metadata = fetch_json(served + "/-/metadata.json")
    columns = metadata["databases"]["urdupoint"]["tables"]["articles"]["columns"]
    assert columns["dateline_place"] == "Place named in the dateline (the desk's city)."
    queries = {query["name"] for query in fetch_json(served + "/urdupoint.json")["queries"]}
    assert {"search", "articles_per_day", "story_articles"} <= queries


def test_a_database_that_is_not_an_archive_is_left_alone(tmp_path):
    other = tmp_path / "notes.db"
    with sqlite3.connect(other) as conn:
        conn.execute("create table articles (id integer primary key, title text)")  # a name, not the schema
    archive = build_archive(tmp_path / "news.db")
    ds = make_datasette(other)
    ds.add_database(ds.databases["notes"].__class__(ds, path=str(archive)), name="news")
    assert [is_archive(ds.databases[name]) for name in ("notes", "news")] == [False, True]
    assert {query["name"] for query in get(ds, "/notes.json").json()["queries"]} == set()
    assert "search" in {query["name"] for query in get(ds, "/news.json").json()["queries"]}
    assert get(ds, "/-/metadata.json").json()["databases"].keys() == {"news"}
    assert ARCHIVE_TABLES <= {table["name"] for table in get(ds, "/news.json").json()["tables"]}


@pytest.fixture(scope="module")
def ds(tmp_path_factory):
    return make_datasette(build_archive(tmp_path_factory.mktemp("room") / "archive.db"))


def with_window(db_path, window: int):
    """The archive served with the search ranking ``window`` matches where it ranks 5,000."""
    search = archive_metadata()["queries"]["search"]
    sql = search["sql"]
    assert sql.count("limit 5000\n") == 1 and sql.count("count(*) < 5000 ") == 1
    sql = sql.replace("limit 5000\n", f"limit {window}\n").replace("count(*) < 5000 ", f"count(*) < {window} ")
    return make_datasette(db_path, metadata={"databases": {"archive": {"queries": {"search": {**search, "sql": sql}}}}})


def test_the_search_page_speaks_to_people(ds):
    page = get(ds, "/archive/search", q="flood").text
    assert "Run SQL" not in page and "Custom SQL query" not in page and 'type="submit" value="Search"' in page
    assert "2 articles match, best first." in page
    assert '<select name="outlet">' in page and '<option value="dawn">' in page
    assert '<select name="language">' in page and '<option value="ur">Urdu</option>' in page
    assert get(ds, "/archive/search.csv", q="flood").text.splitlines()[0] == (
        "date,title,snippet,url,outlet,language,dateline_place,outlets,copies,article_id,matches,more")


def test_the_search_counts_its_matches_and_says_when_older_ones_were_not_ranked(ds, tmp_path):
    rows = get(ds, "/archive/search.json", q="flood*", _shape="array").json()
    assert [(row["matches"], row["more"]) for row in rows] == [(3, 0)] * 3
    narrow = with_window(Path(ds.databases["archive"].path), 2)
    rows = get(narrow, "/archive/search.json", q="flood*", _shape="array").json()
    assert [(row["matches"], row["more"]) for row in rows] == [(2, 1)] * 2  # the newest 2 of 3 ranked
    assert [(row["matches"], row["more"]) for row in get(
        narrow, "/archive/search.json", q="flood*", outlet="dawn", _shape="array").json()] == [(1, 0)]
    assert [(row["matches"], row["more"]) for row in get(
        narrow, "/archive/search.json", q="flood*", since="2024-08-27", _shape="array").json()] == [(2, 0)] * 2
    page = get(narrow, "/archive/search", q="flood*").text
    assert "More than 2 articles match: the newest 2 are ranked, best first." in page


def test_the_search_keeps_one_language(ds):
    def titles(**filters):
        return [row["title"] for row in get(ds, "/archive/search.json", _shape="array", **filters).json()]

    assert titles(q="سیلاب", language="ur") == titles(q="سیلاب") != []
    assert titles(q="سیلاب", language="en") == []
    assert titles(q="flood", language="EN") == titles(q="flood")


@pytest.mark.parametrize(("typed", "said"), [
    ("", "Type a word to search for."), ("   ", "Type a word to search for."),
    ("(", "Nothing to search for in “(”: type words or numbers."),
])
def test_an_empty_search_is_told_what_to_type(ds, typed, said):
    page = get(ds, "/archive/search", q=typed).text
    assert f'archive-search-message">{said}</p>' in html.unescape(page) and "archive-result" not in page
    assert "archive-search-message" not in get(ds, "/archive/search").text  # the page before any search


def test_the_articles_list_shows_headlines_linked_without_the_body(ds):
    page = get(ds, "/archive/articles").text
    assert '<a href="/archive/articles/3">COVID-19 vaccination drive extended to schools</a>' in page
    assert "Relief camps were set up" not in page and "archive-list" in page
    full = get(ds, "/archive/articles", _columns="all").text
    assert "Relief camps were set up" in full and "archive-list-table" not in full
    data = get(ds, "/archive/articles.json", _shape="array").json()
    assert "text" in data[0]  # the JSON keeps every column


def test_a_file_becomes_an_archive_when_a_crawl_creates_its_tables(tmp_path):
    """A datasette may be started on the file a first crawl is about to write."""
    path = tmp_path / "archive.db"
    sqlite3.connect(path).close()
    ds = make_datasette(path)
    assert not is_archive(ds.databases["archive"]) and "search" not in {
        query["name"] for query in get(ds, "/archive.json").json()["queries"]}
    archive = Archive.open(path)
    archive.close()
    assert is_archive(ds.databases["archive"])
    assert get(ds, "/archive/search.json", q="flood", _shape="array").json() == []


@pytest.mark.parametrize("query", ["articles_per_day", "article_urls_of", "story_articles", "article_history"])
def test_the_other_queries_of_an_archive_are_asked_in_words(ds, query):
    page = get(ds, f"/archive/{query}", id="1").text
    assert "Run SQL" not in page and "Custom SQL query" not in page and 'type="submit" value="Show"' in page
    assert "select " not in page.lower()  # the SQL stays out of sight
    own_sql = get(ds, "/archive", sql="select 1 as one").text
    assert "Run SQL" in own_sql  # SQL of one's own keeps datasette's page


def test_a_search_that_runs_out_of_time_says_what_to_do(tmp_path):
    """A search that reads too many matches answers with a sentence, not datasette's SQL error."""
    search = archive_metadata()["queries"]["search"]
    endless = "with recursive n(x) as (select 1 union all select x + 1 from n) select count(*) as title from n"
    slow = make_datasette(build_archive(tmp_path / "archive.db"), {"sql_time_limit_ms": 50},
                          metadata={"databases": {"archive": {"queries": {"search": {**search, "sql": endless}}}}})
    page = get(slow, "/archive/search", q="flood")
    assert page.status_code == 400 and "The search took too long. Add words or dates to narrow it" in page.text
    assert "sql_time_limit_ms" not in page.text and 'value="flood"' in page.text
    data = get(slow, "/archive/search.json", q="flood")
    assert data.status_code == 400 and "SQL query took too long" in data.json()["error"]

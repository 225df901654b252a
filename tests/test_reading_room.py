"""Plain ``datasette ARCHIVE`` (no option, no metadata file, run from anywhere) over an archive of
any name: the installed package's entry points bring the reading room, which knows an archive by
its tables and leaves other databases alone."""

import json
import sqlite3
import urllib.parse
import urllib.request

import pytest

from crawler.reading_room import ARCHIVE_TABLES, is_archive
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
    assert set(data["facet_results"]) == {"outlet", "language", "category", "author", "dateline_place", "dateline_agency"}
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

"""``make serve-public``: a real datasette server started as the Makefile starts it, over an archive
of another name (``urdupoint.db``), shows the public only the articles' tables and queries: not where
the archive is, not the internal tables, not FTS5's raw syntax."""

import json
import re
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from tests.test_datasette import REPO, SETTINGS, build_archive, datasette_server, get, make_datasette

INTERNAL_TABLES = ["articles_fts", "articles_fts_data", "articles_fts_idx", "articles_fts_docsize",
                   "articles_fts_config", "articles_fts_source", "neardup_bands", "_sqlite_migrations"]
PAGES = ["/", "/.json", "/-/databases", "/-/databases.json", "/-/versions.json", "/-/plugins.json",
         "/-/settings.json", "/-/threads.json", "/-/metadata.json", "/urdupoint", "/urdupoint.json",
         "/urdupoint/articles", "/urdupoint/articles.json", "/urdupoint/search?q=flood", "/urdupoint/articles/1",
         "/urdupoint/no_such_table", "/urdupoint.json?sql=select+1"]
RAW_ONLY = "_search=flood+OR+squad"  # raw FTS5: either word; read as words: "flood", "OR" and "squad"


def serve_public_options() -> dict:
    """The settings the Makefile's serve-public gives scripts/serve.py, beside its shipped ones."""
    recipe = re.search(r"^serve-public:.*\n\t\$\(DATASETTE\)(.*)$", (REPO / "Makefile").read_text(), re.M)[1].split()
    return {recipe[n + 1]: recipe[n + 2] for n, part in enumerate(recipe) if part == "--setting"}


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    db_path = build_archive(tmp_path_factory.mktemp("public") / "urdupoint.db")
    settings = {**SETTINGS, **serve_public_options()}
    assert settings["default_allow_sql"] == "off"
    with datasette_server(db_path, settings) as url:
        yield url, db_path


def fetch(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return response.status, response.read().decode("utf-8")
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode("utf-8")


def test_no_page_shows_where_the_archive_is(served):
    url, db_path = served
    for page in PAGES:
        status, body = fetch(url + page)
        assert status in (200, 403, 404), (page, status)
        assert str(db_path.parent) not in body and "/tmp/" not in body, page
    databases = json.loads(fetch(url + "/-/databases.json")[1])
    assert [database["name"] for database in databases] == ["urdupoint"]
    assert "path" not in databases[0] and databases[0]["route"] == "urdupoint"


@pytest.mark.parametrize("table", INTERNAL_TABLES)
def test_internal_tables_are_not_served(served, table):
    url, _ = served
    for page in (f"/urdupoint/{table}", f"/urdupoint/{table}.json", f"/urdupoint/{table}/1.json"):
        assert fetch(url + page)[0] == 403, page


def test_the_archive_lists_only_its_public_tables(served):
    url, _ = served
    tables = {table["name"] for table in json.loads(fetch(url + "/urdupoint.json")[1])["tables"]}
    assert {"articles", "article_urls", "rejected_urls", "crawl_runs"} <= tables
    assert not tables & set(INTERNAL_TABLES)
    for page in ("/", "/urdupoint"):
        body = fetch(url + page)[1]
        assert "hidden table" not in body
        assert not [table for table in INTERNAL_TABLES if f'href="/urdupoint/{table}' in body], page
    assert fetch(url + "/urdupoint/articles.json")[0] == 200


def test_table_search_reads_what_is_typed_as_words(served, tmp_path):
    url, db_path = served
    private = make_datasette(db_path)  # make serve: raw FTS5 syntax is there, and finds more
    raw = get(private, f"/urdupoint/articles.json?_shape=array&{RAW_ONLY}&_searchmode=raw").json()
    words = get(private, f"/urdupoint/articles.json?_shape=array&{RAW_ONLY}").json()
    assert len(raw) == 3 and words == []
    for mode in ("_searchmode=raw", "%5Fsearchmode=raw", "_searchmode=raw&_searchmode=raw"):
        status, body = fetch(f"{url}/urdupoint/articles.json?_shape=array&{RAW_ONLY}&{mode}")
        assert (status, json.loads(body)) == (200, []), mode
    status, body = fetch(f"{url}/urdupoint/articles.json?_shape=array&_search=squad&_searchmode=raw")
    assert [row["title"] for row in json.loads(body)] == ["Pakistan name squad for Bangladesh Test series"]


def test_the_public_server_still_serves_search(served):
    url, _ = served
    status, body = fetch(url + "/urdupoint/search.json?_shape=array&q=flood")
    assert status == 200 and [row["title"] for row in json.loads(body)][0] == "Flood relief operations continue in Sindh"
    assert fetch(url + "/urdupoint.json?sql=select+1")[0] == 403

"""A search kept to an outlet and a language asks the full-text index for them (schema migration
index_search_filters): its work does not grow with the matches of other outlets and languages,
its results follow every write of the articles, and typed words are not found in those columns.

Through datasette's canned ``search`` (in process), ``scrapy search``'s SQL (crawler/queries.py) and
the ``search`` SQL itself on a real SQLite file, whose steps are counted rather than timed
(benchmarks/search_bench.py times them at a million articles)."""

import sqlite3
from pathlib import Path

import pytest
import sqlite_utils

from crawler import queries, snippets
from crawler.queries import search_problem
from crawler.reading_room.pages import archive_metadata
from crawler.search import fts_query, search_match
from pipelines import schema
from tests.test_datasette import build_archive, get, make_datasette

SEARCH_SQL = archive_metadata()["queries"]["search"]["sql"]
FEW = 3  # articles of the outlet and language searched, the oldest ones


def flood_archive(path: Path, others: int) -> Path:
    """``FEW`` articles of dawn in Urdu, then ``others`` of urdupoint in English, all about a flood."""
    db = sqlite_utils.Database(path)
    schema.apply(db)
    db["articles"].insert_all(
        {"id": n, "url": f"https://example.com/{n}", "story": f"https://example.com/{n}", "outlet": "dawn" if n <= FEW else "urdupoint",
         "language": "ur" if n <= FEW else "en", "title": f"Flood report {n}", "text": "The flood rose again.",
         "content_hash": f"hash-{n}", "first_seen": "2024-08-01T00:00:00+00:00",
         "last_seen": "2024-08-01T00:00:00+00:00", "published_at": "2024-08-01T10:00:00+05:00",
         "published_at_utc": "2024-08-01T05:00:00+00:00"}
        for n in range(1, FEW + others + 1))
    db.close()
    return path


def search_steps(path: Path, **asked) -> tuple[list[int], int]:
    """The ids the canned ``search`` finds for ``asked`` and how many SQLite virtual machine steps
    (in thousands) it took."""
    conn = sqlite3.connect(path)
    conn.create_function("fts_query", 1, fts_query, deterministic=True)
    conn.create_function("search_problem", 3, search_problem, deterministic=True)
    conn.create_function("search_match", 3, search_match, deterministic=True)
    snippets.register(conn)
    thousands = 0

    def count() -> int:
        nonlocal thousands
        thousands += 1
        return 0

    conn.set_progress_handler(count, 1000)
    params = {"q": "", "since": "", "until": "", "outlet": "", "language": "", "every_copy": "", **asked}
    ids = [row[-3] for row in conn.execute(SEARCH_SQL, params)]
    conn.close()
    return sorted(ids), thousands


def test_a_filtered_search_does_not_walk_the_other_outlets_matches(tmp_path):
    found, small = search_steps(flood_archive(tmp_path / "small.db", 200), q="flood", outlet="dawn", language="ur")
    assert found == list(range(1, FEW + 1))
    found, large = search_steps(flood_archive(tmp_path / "large.db", 4000), q="flood", outlet="dawn", language="ur")
    assert found == list(range(1, FEW + 1))
    assert large < small + 5  # 20 times the matches of other outlets; checking each one made it 20 times
    _, unfiltered = search_steps(tmp_path / "large.db", q="flood")
    assert unfiltered > 10 * large  # what walking the matches costs, for scale


@pytest.fixture
def db_path(tmp_path):
    return build_archive(tmp_path / "archive.db")


def searched(ds, **asked) -> list[str]:
    rows = get(ds, "/archive/search.json", _shape="array", **{"since": "", "until": "", "outlet": "", "language": "",
                                                             "every_copy": "", **asked}).json()
    return sorted(row["title"] for row in rows)


def test_filtered_searches_follow_every_write_of_the_articles(db_path):
    ds = make_datasette(db_path)
    urdu = searched(ds, q="flood", language="ur")
    english = searched(ds, q="flood", language="EN")  # as the filter compares: whatever the case
    assert english and searched(ds, q="flood") == sorted(urdu + english)
    db = sqlite_utils.Database(db_path)
    moved = db.execute("select id, title from articles where language = 'en' and text like '%flood%'").fetchone()
    db.execute("update articles set language = 'ur', outlet = 'dawn' where id = ?", [moved[0]])
    db.close()
    assert searched(ds, q="flood", language="ur", outlet="Dawn") == [moved[1]]
    assert moved[1] not in searched(ds, q="flood", language="en")


@pytest.mark.parametrize("outlet", ["urdupoint", "URDUPOINT", "---", '"', "url\x00point"])
def test_any_outlet_typed_is_compared_exactly(db_path, outlet):
    ds = make_datasette(db_path)
    expected = searched(ds, q="flood") if outlet.lower() == "urdupoint" else []
    assert searched(ds, q="flood", outlet=outlet) == expected


def test_typed_words_are_looked_for_in_the_text_not_the_outlet_or_language(db_path):
    ds = make_datasette(db_path)
    db = sqlite_utils.Database(db_path)
    assert db.execute("select count(*) from articles_fts where articles_fts match 'language : en'").fetchone()[0] > 0
    db.close()
    assert searched(ds, q="en") == [] and searched(ds, q="ur") == []
    assert get(ds, "/archive/articles.json", _search="en", _shape="array").json() == []
    filters = queries.Filters(search="ur", limit=10)
    conn = sqlite3.connect(db_path)
    snippets.register(conn)
    sql, params = queries.best_matches("a.id", filters)
    assert conn.execute(sql, params).fetchall() == []
    conn.close()

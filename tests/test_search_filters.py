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
from datasette.utils import escape_fts

from crawler import queries, snippets
from crawler.queries import search_problem
from crawler.reading_room.pages import archive_metadata
from crawler.search import fts_query, search_match
from pipelines import schema
from pipelines.normalise import fold
from tests.test_datasette import build_archive, get, make_datasette

SEARCH_SQL = archive_metadata()["queries"]["search"]["sql"]
FEW = 3  # articles of the outlet and language searched, the oldest ones


def dated_flood_archive(path: Path, older: int) -> Path:
    """``older`` articles about a flood from 2020, then the search window's worth of them from 2024."""
    db = sqlite_utils.Database(path)
    schema.apply(db)
    db["articles"].insert_all(
        {"id": n, "url": f"https://example.com/{n}", "story": f"https://example.com/{n}", "outlet": "dawn",
         "language": "en", "title": f"Flood report {n}", "text": "The flood rose again.", "content_hash": f"hash-{n}",
         "first_seen": "2024-08-01T00:00:00+00:00", "last_seen": "2024-08-01T00:00:00+00:00",
         "published_at": f"{year}-08-01T10:00:00+05:00", "published_at_utc": f"{year}-08-01T05:00:00+00:00"}
        for n in range(1, older + queries.SEARCH_WINDOW + 1) for year in [2020 if n <= older else 2024])
    db.close()
    return path


def test_a_search_since_a_day_does_not_walk_the_matches_before_it(tmp_path):
    """The newest 5,000 matches are all after the day: looking for one more (``more``) stops at the day."""
    _, small = search_steps(dated_flood_archive(tmp_path / "small.db", 200), q="flood", since="2024-01-01")
    found, large = search_steps(dated_flood_archive(tmp_path / "large.db", 4000), q="flood", since="2024-01-01")
    assert len(found) == 50
    assert large < small + 5  # 20 times the older matches; walking them cost steps in proportion


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
    conn.create_function("search_match", 4, search_match, deterministic=True)
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


def test_an_archive_made_before_gets_its_filters_indexed(tmp_path):
    db = sqlite_utils.Database(tmp_path / "archive.db")
    schema.migrations.apply(db, stop_before="index_search_filters")
    db["articles"].insert_all(
        {"id": n, "url": f"https://example.com/{n}", "story": f"https://example.com/{n}", "outlet": outlet,
         "language": language, "title": "Flood report", "text": "The flood rose.", "content_hash": f"hash-{n}",
         "first_seen": "2024-08-01T00:00:00+00:00", "last_seen": "2024-08-01T00:00:00+00:00"}
        for n, outlet, language in [(1, "dawn", "ur"), (2, "dawn", "en"), (3, "urdupoint", "ur")])
    schema.apply(db)
    found = db.execute("select rowid from articles_fts where articles_fts match ? order by rowid",
                       [search_match(fts_query("flood"), "Dawn", "UR")]).fetchall()
    assert found == [(1,)]
    db.close()


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


@pytest.mark.parametrize("typed", ["en", "ur", "e*", "urdupoint", "URDUPOINT", "dawn", '"point dawn"'])
def test_typed_words_are_looked_for_in_the_text_not_the_outlet_or_language(db_path, typed):
    db = sqlite_utils.Database(db_path)
    db["articles"].insert({"id": 100, "url": "https://example.com/100", "story": "https://example.com/100",
                           "outlet": "urdupoint dawn", "language": "en", "title": "Quiet day", "text": "Nothing happened.",
                           "content_hash": "hash-100", "first_seen": "2024-08-01T00:00:00+00:00",
                           "last_seen": "2024-08-01T00:00:00+00:00"})
    assert db.execute("""select rowid from articles_fts where articles_fts match 'outlet : "urdupoint dawn"'""").fetchall() == [(100,)]

    def in_text(expression: str) -> list[str]:
        return sorted(title for title, in db.execute(
            "select title from articles where id in (select rowid from articles_fts where articles_fts match ?)",
            [f"{{title summary text}} : ({expression})"]))

    searched_in_text, table_search_in_text = in_text(fts_query(typed)), in_text(fold(escape_fts(typed)))
    db.close()
    ds = make_datasette(db_path)
    assert searched(ds, q=typed) == searched_in_text and "Quiet day" not in searched_in_text
    table_search = get(ds, "/archive/articles.json", _search=typed, _shape="array").json()
    assert sorted(row["title"] for row in table_search) == table_search_in_text
    conn = sqlite3.connect(db_path)
    sql, params = queries.best_matches("a.title", queries.Filters(search=typed, limit=50))
    assert sorted(title for title, in conn.execute(sql, params)) == searched_in_text
    conn.close()


# (typed, outlet, language, the archive's outlets and languages, the MATCH)
MATCHES = [
    ("flood", "", "", "dawn urdupoint en ur", '("flood")'),
    ("flood", "Dawn", "ur", "dawn urdupoint en ur", '("flood") AND outlet : "Dawn" AND language : "ur"'),
    ("flood OR rain", "dawn.com", "", "dawn.com en", '(("flood" OR "rain")) AND outlet : "dawn.com"'),
    ("dawn", "", "", "dawn urdupoint en ur", '{title summary text} : ("dawn")'),
    ("Dawn's", "", "", "dawn en", '{title summary text} : ("Dawn\'s")'),
    ("u*", "", "", "dawn urdupoint en ur", '{title summary text} : ("u"*)'),
    ("com", "", "", "dawn.com en", '{title summary text} : ("com")'),
    ("flood", "", "", None, '{title summary text} : ("flood")'),  # the archive's words unknown
    ("flood", "---", '"', "dawn en", '("flood")'),  # no word: left to the exact comparison
    ("flood", "x\x00y", "", "dawn en", '("flood") AND outlet : "x y"'),
]


@pytest.mark.parametrize("typed, outlet, language, indexed, expected", MATCHES, ids=[row[0] + row[1] for row in MATCHES])
def test_search_match(typed, outlet, language, indexed, expected):
    assert search_match(fts_query(typed), outlet, language, indexed) == expected

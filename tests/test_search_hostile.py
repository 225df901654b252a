"""Searches made to tie up the server: a snippet's work is linear and bounded, a search's size is
bounded, and what is too long gets a message, through real datasette and a real SQLite file.

archive_snippet runs in Python inside SQLite, where datasette's time limit cannot stop it: these
tests count the work rather than time it (benchmarks/search_bench.py times the same queries).
"""

import random
import sqlite3
import sys
from pathlib import Path

import pytest

from crawler import snippets
from crawler.reading_room.pages import archive_metadata
from pipelines.normalise import fold
from crawler.search import MAX_QUERY_CHARS, fts_query, query_problem
from crawler.snippets import MAX_INSTANCES, MAX_QUERY_WORDS, MAX_TEXT_CHARS, search_phrases, snippet
from pipelines import schema
from pipelines.archive import Archive
from tests.test_datasette import ARTICLES, NOW, SETTINGS, article_item, get, make_datasette

WORDS = ["Pakistan", "government", "minister", "said", "the", "of", "and", "to", "in", "flood", "relief",
         "trade", "talks", "therefore", "wheat", "price"]
# The searches of the issue: 240 characters of prefixes, one word thousands of times, and more than the most
# words allowed. NESTED_PREFIXES: the most allowed, each a prefix of the next (each finds "therefore").
HOSTILE = {
    "prefixes-240-chars": " ".join(["t*"] * 80),
    "one-word-7000-times": " ".join(["pakistan"] * 7_000),  # the 12,000 do not fit in a URL of httpx
    "too-many-words": " ".join(WORDS + ["zebra"]),
}
NESTED_PREFIXES = " ".join("therefore"[:n] + "*" for n in range(1, 10)) + " t* ta* tal* talk* talks* th* the*"


def long_text(words: int, seed: int = 1) -> str:
    rng = random.Random(seed)
    return " ".join(rng.choice(WORDS) + ("." if rng.random() < 0.05 else "") for _ in range(words))


def operations(function, *args) -> int:
    """How many Python and C functions ``function(*args)`` calls: its work, however busy the machine."""
    calls = 0

    def count(frame, event, arg):
        nonlocal calls
        calls += event in ("call", "c_call")

    sys.setprofile(count)
    try:
        function(*args)
    finally:
        sys.setprofile(None)
    return calls


@pytest.mark.parametrize("typed", ["t*", "the", "minister said", NESTED_PREFIXES])
def test_a_snippets_work_grows_linearly_with_the_text(typed):
    match = fts_query(typed)
    small, large = (operations(snippet, long_text(words), match, "[", "]", "…", 24) for words in (1_000, 4_000))
    assert large < 4.6 * small  # four times the text; scoring each window afresh made it 16 times


def test_the_work_stops_growing_at_the_bounds():
    match = fts_query(NESTED_PREFIXES)
    bounded, huge = (operations(snippet, long_text(words), match, "[", "]", "…", 24) for words in (16_000, 160_000))
    assert huge < 1.2 * bounded


def test_snippets_of_a_long_article_are_fts5s_own():
    """On 8,000 words (whose snippets took 90 s before), the fragments FTS5's snippet() chooses."""
    text = long_text(8_000)
    assert len(text) < MAX_TEXT_CHARS
    conn = sqlite3.connect(":memory:")
    conn.execute(f"create virtual table f using fts5(t, tokenize='{schema.FTS_TOKENIZER}')")
    conn.execute("insert into f values (?)", [text])
    for typed in ["Pakistan", "flood relief", '"trade talks"', "wheat OR price", "therefor*", "minister said the"]:
        match = fts_query(typed)
        assert len(snippets._instances(snippets._words(text)[0], search_phrases(match))) < MAX_INSTANCES
        [(expected,)] = conn.execute("select snippet(f, 0, '[', ']', '…', 24) from f where f match ?", [match])
        assert snippet(text, match, "[", "]", "…", 24) == expected, typed


def test_a_text_is_read_up_to_its_bound():
    filler = long_text(20_000)[: MAX_TEXT_CHARS - 100]
    filler = filler[: filler.rfind(" ")]
    assert snippet(filler + " zebra crossing", fts_query("zebra"), "[", "]", "…", 4).endswith("[zebra] crossing")
    beyond = filler + " " * 200 + "zebra crossing"
    shown = snippet(beyond, fts_query("zebra"), "[", "]", "…", 4)
    assert "[" not in shown and shown.endswith("…") and shown == snippet(beyond, fts_query("zzz"), "[", "]", "…", 4)
    near_the_end = filler + " zebra " + "word " * 100
    shown = snippet(near_the_end, fts_query("zebra"), "[", "]", "…", 4)
    assert "[zebra]" in shown and shown.endswith("…") and len(shown) < 100


def test_a_match_expression_given_in_sql_is_read_up_to_its_bound():
    phrases = search_phrases(" AND ".join(f'"w{n} x{n}"' for n in range(100)) + ' "' + "y " * 10_000 + '"')
    assert sum(len(words) for words, _ in phrases) == MAX_QUERY_WORDS
    assert [words for words, _ in phrases][:2] == [["w0", "x0"], ["w1", "x1"]]


def test_searches_are_bounded_and_repeats_count_once():
    assert fts_query(" ".join(["t*"] * 60)) == '"t"*'  # 179 characters, one term
    assert fts_query("wheat wheat OR flour wheat") == '"wheat" AND ("wheat" OR "flour")'
    assert query_problem(HOSTILE["prefixes-240-chars"]) == "the search is too long: 239 characters, at most 200"
    assert query_problem(HOSTILE["too-many-words"]) == "the search is too long: 17 words, at most 16"
    assert query_problem('"' + " ".join(WORDS[:10]) + '" ' + " ".join(WORDS[10:]) + " x") == (
        "the search is too long: 17 words, at most 16")  # a phrase's words count each
    assert query_problem("COVID-19 " * 8) is None and len("COVID-19 " * 8) < MAX_QUERY_CHARS
    assert query_problem(" ".join(WORDS)) is None and fts_query(" ".join(["a"] * 300)) is None


def test_the_search_page_tells_the_bounds():
    search = archive_metadata()["queries"]["search"]
    assert f"{MAX_QUERY_WORDS} words and {MAX_QUERY_CHARS} characters at most" in " ".join(
        search["description_html"].split())


@pytest.fixture(scope="module")
def ds(tmp_path_factory):
    """The datasette test archive, and three articles of 8,000 words that say every word."""
    path: Path = tmp_path_factory.mktemp("hostile") / "archive.db"
    archive = Archive.open(path)
    try:
        for number, fields in enumerate(ARTICLES, start=1):
            item = article_item(number, *fields)
            archive.add_article(item, item.urls, NOW)
        for number in range(3):
            fields = ("pakistan", f"2024-08-30T1{number}:00:00+05:00", f"2024-08-30T0{number + 5}:00:00+00:00",
                      f"Long report {number}", long_text(8_000, seed=number), "en", "urdupoint")
            item = article_item(100 + number, *fields)
            archive.add_article(item, item.urls, NOW)
    finally:
        archive.close()
    # These tests check what the searches answer; a query's snippets get a share of the time limit
    # (snippets.Deadline, tested below), which a busy machine could spend on these long articles.
    return make_datasette(path, {**SETTINGS, "sql_time_limit_ms": 20_000})


def search(ds, q):
    response = get(ds, "/archive/search.json", q=q, _shape="array")
    assert response.status_code == 200, response.text[:500]
    return response.json()


@pytest.mark.parametrize("name", HOSTILE)
def test_a_hostile_search_gets_a_message(ds, name):
    problem = query_problem(HOSTILE[name])
    assert problem and search(ds, HOSTILE[name]) == [
        {"date": None, "title": problem, "snippet": None, "url": None, "outlets": None, "copies": None,
         "article_id": None}]
    page = get(ds, "/archive/search", q=HOSTILE[name])
    assert page.status_code == 200 and "the search is too long" in page.text


@pytest.mark.parametrize("q", ["t* " * 66, NESTED_PREFIXES, " ".join(WORDS), "the"])
def test_the_longest_searches_allowed_answer_with_snippets(ds, q):
    rows = search(ds, q)
    assert rows and all(row["article_id"] for row in rows)
    long_reports = [row for row in rows if row["title"].startswith("Long report")]
    assert len(long_reports) == 3
    assert all("<mark>" in row["snippet"] and len(row["snippet"]) < 1000 for row in long_reports)
    assert all(fold(row["snippet"]) == row["snippet"] for row in long_reports)  # ASCII: nothing to fold


def snippets_of(conn: sqlite3.Connection, match: str) -> list[str]:
    return [row[0] for row in conn.execute("select archive_snippet(text, ?, '[', ']', '…', 24) from texts", [match])]


def test_a_querys_snippets_stop_being_made_when_its_time_is_spent():
    """Datasette's time limit cannot stop a Python function: past its share of the limit, a query's
    rows show their first words, unmarked, and the next query has its whole share again (the loop)."""
    conn = sqlite3.connect(":memory:")
    conn.execute("create table texts (text)")
    conn.executemany("insert into texts values (?)", [(long_text(8_000, seed),) for seed in range(40)])
    match = fts_query("wheat price")
    snippets.register(conn)
    unbounded = snippets_of(conn, match)
    assert all("[" in made for made in unbounded)

    snippets.register(conn, seconds=0.001)  # less than one snippet of 8,000 words takes
    for _ in range(2):
        bounded = snippets_of(conn, match)
        assert bounded[0] == unbounded[0]  # a query's first snippet is always made in full
        leads = [made for made in bounded[1:] if "[" not in made]
        assert leads, "no snippet fell back once the query's time was spent"
        for made in leads:
            text_start = conn.execute("select text from texts where text like ? || '%'", [made.removesuffix("…")]).fetchone()
            assert text_start is not None and len(made.split()) == 24  # the text's own first 24 words


def test_datasette_answers_within_its_time_limit_however_many_long_articles_a_query_shows(tmp_path):
    """Snippets of 400 articles of MAX_TEXT_CHARS take several seconds; datasette's limit (2 s here)
    cannot stop them, so without a deadline the query fails. With it, the query answers in time (its
    snippets take half a second): its first rows snippets, the rest the articles' first words."""
    path = tmp_path / "texts.db"
    conn = sqlite3.connect(path)
    conn.execute("create table texts (text)")
    texts = [long_text(16_000, seed)[:MAX_TEXT_CHARS] for seed in range(5)]
    conn.executemany("insert into texts values (?)", [(texts[n % 5],) for n in range(400)])
    conn.commit()
    conn.close()
    datasette = make_datasette(path, {"sql_time_limit_ms": 2000})
    sql = "select archive_snippet(text, :match, '[', ']', '…', 24, 'html') as snippet from texts"
    response = get(datasette, "/texts.json", sql=sql, match=fts_query("wheat price"), _shape="array")
    assert response.status_code == 200, response.text
    shown = [row["snippet"] for row in response.json()]
    assert len(shown) == 400 and "[" in shown[0]
    leads = [made for made in shown if "[" not in made]
    assert leads and all(texts[0].startswith(made.removesuffix("…")) or any(
        text.startswith(made.removesuffix("…")) for text in texts) for made in leads)

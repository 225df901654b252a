"""``scrapy search``, run as a user runs it: a subprocess from the repo root over a real archive."""

import json
import random
import subprocess
from pathlib import Path

import pytest

from crawler import queries
from crawler.commands.search import DEFAULT_LIMIT
from crawler.commands.search import Command as SearchCommand
from crawler.reading_room.pages import archive_metadata
from pipelines.archive import Archive
from tests.samples import (
    APP_WHEAT,
    ARTICLES,
    COTTON,
    COVID,
    FLOUR,
    NOW,
    SEED,
    URDU_RAIN,
    URDU_WHEAT,
    WHEAT_PRICE,
    article,
    assert_one_line_error,
    build_archive,
    scrapy,
    scrapy_all,
    scrapy_on_terminal,
)
from tests.conftest import command_in_process
from tests.test_datasette import get, make_datasette
from tests.test_datasette import SETTINGS as DATASETTE_SETTINGS

FILTERS = {
    "since": (["wheat", "--since", "2023-03-03"], [FLOUR]),
    # FLOUR was published on 3 March in Pakistan (2 March in UTC): not on or before 2 March.
    "until-pakistan-day": (["wheat", "--until", "2023-03-02", "--outlet", "urdupoint"], [WHEAT_PRICE]),
    "one-day": (["wheat", "--since", "2023-03-01", "--until", "2023-03-01"], [WHEAT_PRICE]),
    "outlet": (["wheat", "--outlet", "app"], [APP_WHEAT]),
    "limit": (["wheat", "--limit", "2"], [APP_WHEAT, WHEAT_PRICE]),
    "urdu": (["گندم"], [URDU_WHEAT]),
    "bare-day": (["بارش", "--since", "2023-02-20", "--until", "2023-02-20"], [URDU_RAIN]),
    "after-bare-day": (["بارش", "--since", "2023-02-21"], []),
}
TYPED_QUERIES = {  # as typed -> every article it finds
    '"wheat crop': [WHEAT_PRICE],  # an unbalanced quote: two words
    "COVID-19": [COVID],
    "AND": [],  # nothing left to search
    "OR": [],
    "NOT": [],
    "(": [],
    "a*": [item for item in ARTICLES if item.language == "en"],  # a word starting with a: every English one
    "گندم OR wheat": [URDU_WHEAT, WHEAT_PRICE, FLOUR, APP_WHEAT],
    "wheat OR cotton": [WHEAT_PRICE, FLOUR, APP_WHEAT, COTTON],
    '"wheat crop"': [WHEAT_PRICE],
}
BAD_INPUT = {
    "no-terms": [],
    "empty": [""],
    "blank": ["   "],
    "no-such-day": ["wheat", "--since", "2023-02-30"],
    "not-iso": ["wheat", "--until", "03/02/2023"],
    "since-after-until": ["wheat", "--since", "2023-03-02", "--until", "2023-03-01"],
    "limit-0": ["wheat", "--limit", "0"],
    "limit-word": ["wheat", "--limit", "ten"],
    "typo": ["wheat", "--sinse", "2023-03-01"],
}


@pytest.fixture(scope="module")
def db(tmp_path_factory) -> Path:
    return build_archive(tmp_path_factory.mktemp("search") / "archive.db")


@pytest.fixture(scope="module")
def runs(db) -> dict[str, subprocess.CompletedProcess]:
    """Every ``scrapy search`` of this module but the terminal one, run at once."""
    cases = {
        "wheat": ["wheat", "--json"],
        "lavrov": ["Lavrov"],
        "zebra": ["zebra"],
        "zebra-json": ["zebra", "--json"],
        "after-double-dash": ["--json", "--", "-5%", "cotton"],
        **{f"filter:{name}": [*args, "--json"] for name, (args, _) in FILTERS.items()},
        **{f"query:{query}": [query, "--json"] for query in TYPED_QUERIES},
        **{f"bad:{name}": args for name, args in BAD_INPUT.items()},
    }
    return scrapy_all(db, {name: ["search", *args] for name, args in cases.items()})


def json_results(result: subprocess.CompletedProcess) -> list[dict]:
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    return json.loads(result.stdout)


def titles(results: list[dict]) -> list[str]:
    return [result["title"] for result in results]


def test_title_match_ranks_above_body_match(runs):
    wheat = json_results(runs["wheat"])
    # FLOUR says "wheat" twice in its text; the others once in their (longer) title.
    assert set(titles(wheat)[:2]) == {WHEAT_PRICE.title, APP_WHEAT.title}
    assert titles(wheat)[2:] == [FLOUR.title]
    assert [result["rank"] for result in wheat] == sorted(result["rank"] for result in wheat)


def test_json_has_every_key(runs):
    price = next(result for result in json_results(runs["wheat"]) if result["title"] == WHEAT_PRICE.title)
    assert price == {
        "id": ARTICLES.index(WHEAT_PRICE) + 1,
        "url": WHEAT_PRICE.url,
        "outlet": "urdupoint",
        "title": WHEAT_PRICE.title,
        "published_at": "2023-03-01T10:05:00+05:00",
        "rank": price["rank"],
        "snippet": price["snippet"],
        "story": WHEAT_PRICE.url,  # no other outlet carried it: a story of its own
        "outlets": "urdupoint",
        "copies": 1,
    }
    assert isinstance(price["rank"], float)


def test_snippet_highlights_the_term(runs):
    flour = next(result for result in json_results(runs["wheat"]) if result["title"] == FLOUR.title)
    assert "received no [wheat] from the Sindh" in flour["snippet"]
    assert "\n" not in flour["snippet"]


def test_prints_date_title_url_and_snippet(runs):
    result = runs["lavrov"]
    assert (result.returncode, result.stderr) == (0, "")
    lines = result.stdout.splitlines()
    assert lines[0] == f"2023-03-02 17:20  {SEED.title}"
    assert lines[1].strip() == SEED.url
    assert "[Lavrov]" in lines[2]


def test_highlights_in_bold_on_a_terminal(db):
    shown = scrapy_on_terminal(db, "search", "Lavrov", stream="stdout")
    assert "\x1b[1mLavrov\x1b[0m" in shown
    assert "[Lavrov]" not in shown


def test_says_when_nothing_matches(runs):
    result = runs["zebra"]
    assert (result.returncode, result.stdout, result.stderr) == (0, "No articles match: zebra\n", "")
    assert json_results(runs["zebra-json"]) == []


@pytest.mark.parametrize("name", FILTERS)
def test_filters(runs, name):
    expected = FILTERS[name][1]
    assert titles(json_results(runs[f"filter:{name}"])) == [item.title for item in expected]


@pytest.mark.parametrize("query", TYPED_QUERIES)
def test_any_typed_query_is_safe(runs, query):
    found = titles(json_results(runs[f"query:{query}"]))
    assert sorted(found) == sorted(item.title for item in TYPED_QUERIES[query])


def test_takes_terms_that_look_like_options_after_double_dash(runs):
    assert titles(json_results(runs["after-double-dash"])) == [COTTON.title]


@pytest.mark.parametrize("name", BAD_INPUT)
def test_bad_input_gives_one_line(runs, name):
    assert_one_line_error(runs[f"bad:{name}"])


def test_missing_archive_is_not_created(tmp_path):
    missing = tmp_path / "missing.db"
    result = scrapy(missing, "search", "wheat")
    assert_one_line_error(result)
    assert "no archive at" in result.stderr
    assert not missing.exists()


def test_a_file_that_is_no_archive(tmp_path):
    notes = tmp_path / "notes.db"
    notes.write_text("wheat prices, March 2023\n")
    result = scrapy(notes, "search", "wheat")
    assert_one_line_error(result)
    assert "cannot read the archive" in result.stderr


def test_reads_beside_a_crawl_that_is_writing(tmp_path):
    db = build_archive(tmp_path / "archive.db")
    crawl = Archive.open(db)
    crawl.db.conn.execute("begin immediate")
    crawl.db.conn.execute("update articles set title = 'Not yet committed' where url = ?", [SEED.url])
    try:
        result = scrapy(db, "search", "Lavrov", "--json")
    finally:
        crawl.db.conn.rollback()
        crawl.close()
    assert titles(json_results(result)) == [SEED.title]


# --- the window: scrapy search ranks what datasette's canned query "search" ranks ------------------

SHIPPED_WINDOW = queries.SEARCH_WINDOW  # matches ranked by a search; the tests below rank fewer:
WINDOW = 4  # a few articles are enough to tell
WINDOW_CASES = [  # (typed, filters, --limit)
    ("wheat", {}, None),
    ("wheat", {}, 3),
    ("wheat", {"since": "2023-01-20"}, None),
    ("wheat", {"until": "2023-01-20"}, None),
    ("wheat", {"since": "2023-01-05", "until": "2023-01-25"}, 2),
    ("wheat", {"since": "2023-01-10", "until": "2023-01-10"}, None),  # a Pakistan day, not a UTC one
    ("wheat", {"outlet": "app"}, None),
    ("wheat", {"outlet": "APP"}, None),  # an outlet is found however it is capitalised, as scrapy export finds it
    ("wheat", {"outlet": "urdupoint", "since": "2023-01-08"}, None),
    ('"wheat price"', {}, None),
    ("wheat OR barley", {"until": "2023-01-28"}, None),
    ("whe*", {}, None),
    ("zebra", {}, None),
]


@pytest.fixture(scope="module")
def window_db(tmp_path_factory) -> Path:
    """Articles that say "wheat" (or "barley", "price") from none to four times, some in the title,
    archived in another order than published, two outlets."""
    rng = random.Random(5)
    words = ["crop", "farmers", "market", "rain", "district", "minister", "said", "the", "report", "water",
             "canal", "seed", "sowing", "yield", "board", "Punjab", "Sindh", "growers", "stock", "mills"]
    days = [f"2023-01-{day:02}" for day in range(1, 31)]
    rng.shuffle(days)
    path = tmp_path_factory.mktemp("window") / "archive.db"
    archive = Archive.open(path)
    try:
        for n, day in enumerate(days[:24]):
            text = " ".join(rng.choice(words) for _ in range(30 + n))
            for term in rng.sample(["wheat", "wheat", "wheat price", "barley", "wheat", "Wheat"], rng.randrange(5)):
                at = rng.randrange(len(text))
                text = f"{text[:at]} {term}. {text[at:]}"
            title = f"{rng.choice(words).title()} {'Wheat ' if n % 5 == 0 else ''}report number {n}"
            hour = "00:30" if n % 4 == 0 else "12:00"  # before 05:00 in Pakistan: the UTC day before
            published = day if n == 7 else f"{day}T{hour}:00+05:00"
            outlet = "app" if n % 3 == 0 else "urdupoint"
            item = article(f"https://example.com/{n}", title, [text], published, outlet=outlet)
            archive.add_article(item, item.urls, NOW)
    finally:
        archive.close()
    return path


def search_in_process(db: Path, args: list[str], capsys) -> list[dict]:
    """``scrapy search ARGS --json`` run in this process, so that a test can change the window."""
    assert command_in_process(SearchCommand, db, [*args, "--json"]).exitcode == 0
    return json.loads(capsys.readouterr().out)


def canned_search(db: Path, window: int, typed: str, filters: dict) -> list[int]:
    """The ids of the rows of the canned query ``search``, with ``window`` for its 5,000."""
    search = archive_metadata()["queries"]["search"]
    assert search["sql"].count(f"limit {SHIPPED_WINDOW}\n") == 1
    search = {**search, "sql": search["sql"].replace(f"limit {SHIPPED_WINDOW}\n", f"limit {window}\n")}
    ds = make_datasette(db, DATASETTE_SETTINGS, metadata={"databases": {"archive": {"queries": {"search": search}}}})
    response = get(ds, "/archive/search.json", q=typed, _shape="array", **filters)
    assert response.status_code == 200, response.text
    return [row["article_id"] for row in response.json()]


def test_the_window_is_the_canned_querys():
    search = archive_metadata()["queries"]["search"]
    assert f"order by rowid desc\n  limit {queries.SEARCH_WINDOW}\n" in search["sql"]
    assert search["description_html"].count(f"{queries.SEARCH_WINDOW:,}") == 2  # what it tells its users
    assert f"{queries.SEARCH_WINDOW:,} most recently archived" in SearchCommand().long_desc()


@pytest.mark.parametrize(("typed", "filters", "limit"), WINDOW_CASES)
def test_ranks_the_newest_matches_as_the_canned_query_does(window_db, monkeypatch, capsys, typed, filters, limit):
    monkeypatch.setattr(queries, "SEARCH_WINDOW", WINDOW)
    args = [typed, *(f"--{name}={value}" for name, value in filters.items())]
    args += [] if limit is None else [f"--limit={limit}"]
    found = [result["id"] for result in search_in_process(window_db, args, capsys)]
    assert found == canned_search(window_db, WINDOW, typed, filters)[: limit or DEFAULT_LIMIT]


def test_the_window_leaves_out_older_better_matches(window_db, monkeypatch, capsys):
    """What the test above compares differs from ranking every match: the window matters."""
    everything = [result["id"] for result in search_in_process(window_db, ["wheat", "--limit=100"], capsys)]
    monkeypatch.setattr(queries, "SEARCH_WINDOW", WINDOW)
    windowed = [result["id"] for result in search_in_process(window_db, ["wheat", "--limit=100"], capsys)]
    assert len(everything) > WINDOW == len(windowed)
    assert windowed == sorted(windowed, key=everything.index)  # the same order, fewer articles
    assert windowed != everything[:WINDOW]
    assert set(windowed) == set(sorted(everything)[-WINDOW:])  # the newest archived


# --- the last line: how many articles matched ----------------------------------------------------

def search_text_in_process(db: Path, args: list[str], capsys) -> list[str]:
    """The lines ``scrapy search ARGS`` prints, run in this process, so that a test can change the window."""
    assert command_in_process(SearchCommand, db, args).exitcode == 0
    return capsys.readouterr().out.splitlines()


@pytest.mark.parametrize(("args", "said"), [
    (["wheat"], "3 articles matched"),
    (["wheat", "--limit", "2"], "3 articles matched; the best 2 are shown (--limit N shows more)"),
    (["Lavrov"], "1 article matched"),
    (["wheat", "--outlet", "app"], "1 article matched"),
])
def test_says_how_many_articles_matched(db, args, said):
    result = scrapy(db, "search", *args)
    assert (result.returncode, result.stderr) == (0, "")
    assert result.stdout.splitlines()[-1] == said
    assert said not in scrapy(db, "search", *args, "--json").stdout  # the JSON is the array alone


@pytest.mark.parametrize(("typed", "filters", "limit"), WINDOW_CASES)
def test_the_count_is_of_every_match_that_passes_the_filters(window_db, capsys, typed, filters, limit):
    args = [typed, *(f"--{name}={value}" for name, value in filters.items())]
    everything = search_in_process(window_db, [*args, "--limit=100"], capsys)
    lines = search_text_in_process(window_db, args + ([] if limit is None else [f"--limit={limit}"]), capsys)
    if not everything:
        assert lines == [f"No articles match: {typed}"]
    else:
        assert lines[-1].startswith(f"{len(everything)} article{'s' if len(everything) > 1 else ''} matched")


def test_says_when_more_matched_than_were_ranked(window_db, monkeypatch, capsys):
    matches = len(search_in_process(window_db, ["wheat", "--limit=100"], capsys))
    monkeypatch.setattr(queries, "SEARCH_WINDOW", matches)  # every match ranked, no more
    assert search_text_in_process(window_db, ["wheat", "--limit=100"], capsys)[-1] == f"{matches} articles matched"
    monkeypatch.setattr(queries, "SEARCH_WINDOW", matches - 1)
    assert search_text_in_process(window_db, ["wheat", "--limit=3"], capsys)[-1] == (
        f"More than {matches - 1} articles matched; the {matches - 1} newest were ranked, the best 3 are shown "
        "(add words or dates to reach older ones)")

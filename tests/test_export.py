"""``crawler.export`` and ``crawler.queries`` on their own: formula cells, the text layout, the writers, the filters."""

import csv
import io
import json
import sqlite3
from datetime import date

import pytest

from crawler.export import EXPORT_COLUMNS, neutralise_formula, txt_article, write_csv, write_jsonl, write_txt
from crawler.queries import NEWEST_FIRST, Filters, day_start_utc, select
from pipelines.archive import Archive
from tests.samples import (
    APP_WHEAT,
    ARTICLES,
    COVID,
    FLOUR,
    FORMULA,
    NOW,
    SEED,
    URDU_RAIN,
    URDU_WHEAT,
    WHEAT_PRICE,
    article,
    URDUPOINT,
    URDUPOINT_ONLY,
)

# The user's own example, byte for byte (shared/seed-article.txt).
SEED_TXT = """\
 date 2023-03-02 UrduPoint.com

Blinken Presses Russia's Lavrov Over Ukraine On G20 Sidelines

Published March 02, 2023 | 05:20 PM

New Delhi, March 2 (UrduPoint / Pakistan Point News - 2nd Mar, 2023 ) :The United States and Russia met to air their differences in their highest one-to-one contact since the invasion of Ukraine last year on the sidelines of a G20 meeting dominated by divisions over the conflict.

US Secretary of State and Antony Blinken and Russian Foreign Minister Sergey Lavrov spoke briefly at the meeting of the world's top diplomats in New Delhi, which failed to reach a joint declaration after objections from Moscow's delegation.

Lavrov told the assembled foreign ministers that Western representatives had derailed the meeting in an effort to scapegoat Russia for their own failings, disrespecting efforts by the Indian hosts to reach agreement on other issues.

"I want to apologise to the Indian presidency and to our colleagues from countries of the global South for the obscene behaviour of some Western delegations, which have turned the G20's agenda into a farce," Lavrov said, according to Russian news agency TASS.

Blinken met briefly with Lavrov on the sidelines of the talks to reaffirm Washington's commitment to protecting Ukraine after growing support from European allies for peace initiatives.

Blinken wanted to "disabuse the Russians of any notion that our support might be wavering" on Ukraine, a US official said on condition of anonymity.

Thursday's G20 meeting looked set to draw to a close without a joint statement -- the second such meeting of the bloc to fail to reach an accord in as many weeks after delegates failed to reach a consensus position on Ukraine.

"On the issue, which very frankly concerned the Ukraine conflict, there were divergences, there were differences, which we couldn't reconcile," Indian Foreign Minister S. Jaishankar told reporters.

Discussions over the joint statement faltered on several issues including Russia's insistence on an investigation into the sabotage of the Nord Stream pipeline last year, Lavrov told reporters through an interpreter.

Russia and Western countries have traded accusations of responsibility for the September explosions.

The last time Blinken and Lavrov were in the same room, at a G20 meeting in Bali last July, the latter stormed out according to Western officials.

"""


def exported_seed_txt(article_id: int) -> str:
    """The seed article as ``scrapy export`` writes it: the user's example, then its URL and id."""
    return SEED_TXT + f"Source: {SEED.url} | archive id {article_id}\n\n"


def row(item, **changes) -> dict:
    """The export row of ``item``, as the archive gives it."""
    values = {name: getattr(item, name, None) for name in EXPORT_COLUMNS}
    values.update(id=1, tags=json.dumps(item.tags, ensure_ascii=False), other_urls=" ".join(item.urls[1:]) or None)
    return {**values, **changes}


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        pytest.param('=HYPERLINK("http://evil.example","x")', '\'=HYPERLINK("http://evil.example","x")', id="equals"),
        pytest.param("+92 300 1234567", "'+92 300 1234567", id="plus"),
        pytest.param("-5% cotton arrivals", "'-5% cotton arrivals", id="minus"),
        pytest.param("@SUM(A1:A9)", "'@SUM(A1:A9)", id="at"),
        pytest.param("\t=1+1", "'\t=1+1", id="tab"),
        pytest.param("\r=1+1", "'\r=1+1", id="carriage-return"),
        pytest.param("\n=1+1", "'\n=1+1", id="line-feed"),
        pytest.param("|calc", "'|calc", id="pipe"),
        pytest.param("\0=1+1", "'\0=1+1", id="nul"),
        pytest.param(" =1+1", "' =1+1", id="space-then-equals"),
        pytest.param("\u00a0=1+1", "'\u00a0=1+1", id="no-break-space-then-equals"),
        pytest.param("\u200b=1+1", "'\u200b=1+1", id="zero-width-space-then-equals"),
        pytest.param("\ufeff=1+1", "'\ufeff=1+1", id="byte-order-mark-then-equals"),
        pytest.param("\u200b \u00a0@SUM(A1)", "'\u200b \u00a0@SUM(A1)", id="invisibles-then-at"),
        pytest.param("   -5", "'   -5", id="spaces-then-minus"),
        pytest.param(" |calc", "' |calc", id="space-then-pipe"),
        pytest.param("＝1+1", "'＝1+1", id="full-width-equals"),
        pytest.param("＋92 300 1234567", "'＋92 300 1234567", id="full-width-plus"),
        pytest.param("－5", "'－5", id="full-width-minus"),
        pytest.param("＠SUM(A1:A9)", "'＠SUM(A1:A9)", id="full-width-at"),
        pytest.param("｜calc", "'｜calc", id="full-width-pipe"),
        pytest.param(" ＝1+1", "' ＝1+1", id="space-then-full-width-equals"),
        pytest.param("Wheat = flour + water", "Wheat = flour + water", id="inside"),
        pytest.param("Wheat | flour", "Wheat | flour", id="pipe-inside"),
        pytest.param(" Wheat", " Wheat", id="space-then-a-word"),
        pytest.param("\u200bگندم", "\u200bگندم", id="zero-width-space-then-urdu"),
        pytest.param(" ", " ", id="only-a-space"),
        pytest.param("'=1+1", "'=1+1", id="already-quoted"),
        pytest.param("گندم", "گندم", id="urdu"),
        pytest.param("", "", id="empty"),
        pytest.param(None, None, id="null"),
        pytest.param(-5, -5, id="negative-number"),
        pytest.param(1653838, 1653838, id="number"),
    ],
)
def test_neutralise_formula(value, expected):
    assert neutralise_formula(value) == expected


def test_seed_article_in_its_own_layout():
    assert txt_article(row(SEED), URDUPOINT) == exported_seed_txt(1)


def test_txt_layout_from_fields():
    paragraphs = WHEAT_PRICE.text.split("\n\n")
    assert txt_article(row(WHEAT_PRICE), URDUPOINT) == (
        " date 2023-03-01 UrduPoint.com\n"
        "\n"
        f"{WHEAT_PRICE.title}\n"
        "\n"
        "Published March 01, 2023 | 10:05 AM\n"
        "\n"
        f"{WHEAT_PRICE.dateline} :{paragraphs[0]}\n"
        "\n"
        f"{paragraphs[1]}\n"
        "\n"
        f"Source: {WHEAT_PRICE.url} | archive id 1\n"
        "\n"
    )


@pytest.mark.parametrize(
    ("published_at", "first_line", "byline"),
    [
        ("2023-03-02T17:20:00+05:00", " date 2023-03-02 UrduPoint.com", "Published March 02, 2023 | 05:20 PM"),
        ("2023-03-02T00:05:00+05:00", " date 2023-03-02 UrduPoint.com", "Published March 02, 2023 | 12:05 AM"),
        ("2023-03-02T12:00:00+05:00", " date 2023-03-02 UrduPoint.com", "Published March 02, 2023 | 12:00 PM"),
        ("2023-12-09T09:07:00+05:00", " date 2023-12-09 UrduPoint.com", "Published December 09, 2023 | 09:07 AM"),
        ("2023-03-02T20:30:00+00:00", " date 2023-03-03 UrduPoint.com", "Published March 03, 2023 | 01:30 AM"),
        ("2023-02-20", " date 2023-02-20 UrduPoint.com", "Published February 20, 2023"),
    ],
    ids=["pm", "after-midnight", "noon", "december", "utc-next-day-in-pakistan", "bare-day"],
)
def test_txt_dates_are_pakistan_time(published_at, first_line, byline):
    lines = txt_article(row(COVID, published_at=published_at), URDUPOINT).split("\n")
    assert (lines[0], lines[4]) == (first_line, byline)


def test_txt_without_date_or_dateline():
    undated = article("https://www.app.com.pk/x/", "Rain Expected", ["First.", "Second."], None, outlet="app")
    expected = " app\n\nRain Expected\n\nFirst.\n\nSecond.\n\nSource: https://www.app.com.pk/x/ | archive id 1\n\n"
    assert txt_article(row(undated)) == expected


def test_txt_of_urdu():
    text = txt_article(row(URDU_WHEAT), URDUPOINT)
    assert text.startswith(f" date 2023-03-01 UrduPoint.com\n\n{URDU_WHEAT.title}\n\nPublished March 01, 2023 | 07:55 PM\n\n")
    assert f"\n\n{URDU_WHEAT.dateline} :پنجاب کابینہ نے" in text


def test_write_txt_puts_a_form_feed_line_between_articles():
    out = io.StringIO()
    assert write_txt([row(SEED), row(COVID)], out, URDUPOINT_ONLY) == 2
    assert out.getvalue() == exported_seed_txt(1) + "\f\n" + txt_article(row(COVID), URDUPOINT)
    assert out.getvalue().split("\n").count("\f") == 1


def test_write_txt_names_each_articles_url_and_id():
    out = io.StringIO()
    write_txt([row(SEED, id=7), row(URDU_RAIN, id=12)], out, URDUPOINT_ONLY)
    seed, rain = out.getvalue().split("\f\n")
    assert seed.endswith(f"\n\nSource: {SEED.url} | archive id 7\n\n")
    assert rain.endswith(f"\n\nSource: {URDU_RAIN.url} | archive id 12\n\n")


def test_write_csv():
    out = io.StringIO(newline="")
    assert write_csv([row(FORMULA), row(URDU_RAIN)], out, EXPORT_COLUMNS) == 2
    header, formula, rain = csv.reader(io.StringIO(out.getvalue(), newline=""))
    assert header == list(EXPORT_COLUMNS)
    assert formula[EXPORT_COLUMNS.index("title")] == "'" + FORMULA.title
    assert formula[EXPORT_COLUMNS.index("summary")] == "'" + FORMULA.summary
    assert rain[EXPORT_COLUMNS.index("title")] == URDU_RAIN.title
    assert rain[EXPORT_COLUMNS.index("dateline")] == ""  # None


def test_write_csv_unsanitized_and_some_columns():
    out = io.StringIO(newline="")
    write_csv([row(FORMULA)], out, ["url", "title"], sanitize=False)
    assert list(csv.reader(io.StringIO(out.getvalue(), newline=""))) == [["url", "title"], [FORMULA.url, FORMULA.title]]


def test_write_jsonl():
    out = io.StringIO()
    assert write_jsonl([row(SEED), row(URDU_RAIN)], out, EXPORT_COLUMNS) == 2
    seed, rain = (json.loads(line) for line in out.getvalue().splitlines())
    assert list(seed) == list(EXPORT_COLUMNS)
    assert seed["tags"] == SEED.tags
    assert seed["other_urls"] == SEED.via
    assert (rain["tags"], rain["other_urls"], rain["title"]) == ([], [], URDU_RAIN.title)


@pytest.mark.parametrize(
    ("day", "start"),
    [
        (date(2023, 3, 2), "2023-03-01T19:00:00+00:00"),
        (date(2008, 7, 1), "2008-06-30T18:00:00+00:00"),  # Pakistan kept summer time in 2008
    ],
)
def test_day_start_utc(day, start):
    assert day_start_utc(day, URDUPOINT.timezone) == start


@pytest.fixture
def conn(fresh_db) -> sqlite3.Connection:
    archive = Archive(fresh_db)
    undated = article("https://www.urdupoint.com/en/undated-1.html", "Undated Wheat Note", ["Wheat."], None)
    for item in [*ARTICLES, undated]:
        archive.add_article(item, item.urls, NOW)
    fresh_db.conn.row_factory = sqlite3.Row
    return fresh_db.conn


def titles_for(conn: sqlite3.Connection, **filters) -> list[str]:
    sql, params = select("a.title", Filters(**filters, zone=URDUPOINT.timezone), NEWEST_FIRST)  # the days of the archive's zone
    return [found["title"] for found in conn.execute(sql, params)]


def test_select_without_filters_gives_all_newest_first_undated_last(conn):
    assert titles_for(conn)[-1] == "Undated Wheat Note"
    assert len(titles_for(conn)) == len(ARTICLES) + 1


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({"since": date(2023, 2, 20), "until": date(2023, 2, 20)}, [URDU_RAIN.title]),
        ({"since": date(2023, 3, 3)}, [FLOUR.title]),
        ({"outlet": "APP"}, [APP_WHEAT.title]),
        ({"search": "wheat", "since": date(2023, 3, 1), "limit": 1}, [FLOUR.title]),
        ({"search": "AND ("}, []),
    ],
    ids=["bare-day", "since", "outlet-any-case", "search-since-limit", "nothing-searchable"],
)
def test_select_filters(conn, filters, expected):
    assert titles_for(conn, **filters) == expected

"""The reading room's pictures, served by plain ``datasette ARCHIVE`` through the package's entry point:
the coverage chart in a real browser, the map's query and markers, the places not found.

The browser tests need Playwright and Debian's Chromium (skipped without them, as in
tests/test_browser.py); their screenshots are left in test-artifacts/.
"""

import asyncio
import json
import re
import urllib.error
import urllib.request
from contextlib import contextmanager
from pathlib import Path

import pytest
import sqlite_utils
from datasette.app import Datasette
from scrapy.utils.test import get_crawler

from crawler import coverage
from crawler.reading_room.pictures import PLACE_MAP_SQL, PLACES_NOT_FOUND_SQL
from pipelines.archive import Archive
from pipelines.dateline import DatelinePipeline
from pipelines.dedup import content_hash
from pipelines.items import ArticleItem
from pipelines.profile import Profiles
from tests.test_browser import CHROMIUM, CHROMIUM_ARGS
from tests.test_datasette import datasette_server, plain_datasette_command

REPO = Path(__file__).resolve().parent.parent
ARTIFACTS = REPO / "test-artifacts"
HOSTILE_CATEGORY = '<script>alert("category")</script>'
HOSTILE_OUTLET = "<img src=x onerror=alert('outlet')>"
HOSTILE_CHECK = "<img src=x onerror=alert('health')>"
FIRST, LAST = "2024-08-20", "2024-08-26"  # the week drawn
# outlet -> {day: [(dateline, category)]}: the articles of each day
ARTICLES = {
    "urdupoint": {
        "2024-08-20": [("LAHORE:", "pakistan"), ("لاہور (اے پی پی):", "pakistan")],
        "2024-08-21": [("KARACHI:", "business")],
        "2024-08-23": [("Lahore:", "pakistan"), ("GULABKOT:", "pakistan"), ("", HOSTILE_CATEGORY)],
        "2024-08-26": [("ISLAMABAD (APP):", "world")],
    },
    "dawn": {"2024-08-20": [("KARACHI:", "pakistan")], "2024-08-24": [("کراچی (اے پی پی):", "pakistan")]},
    HOSTILE_OUTLET: {"2024-08-22": [("QUETTA:", "pakistan")]},
}
EMPTY_DAYS = {
    "urdupoint": ["2024-08-22", "2024-08-24", "2024-08-25"],
    "dawn": ["2024-08-21", "2024-08-22", "2024-08-23", "2024-08-25", "2024-08-26"],
    HOSTILE_OUTLET: ["2024-08-20", "2024-08-21", "2024-08-23", "2024-08-24", "2024-08-25", "2024-08-26"],
}
# (spider, started_at UTC, finished_at, finish_reason, failed health checks); days are Pakistan's
RUNS = [
    ("urdupoint", "2024-08-22T01:00:00+00:00", "2024-08-22T01:10:00+00:00", "finished", {}),  # fine: no mark
    ("urdupoint", "2024-08-23T20:00:00+00:00", None, None, {}),  # killed; 24 August in Pakistan
    ("dawn", "2024-08-25T03:00:00+00:00", "2024-08-25T03:01:00+00:00", "shutdown", {}),
    ("urdupoint", "2024-08-26T03:00:00+00:00", "2024-08-26T03:20:00+00:00", "finished", {"discovery": HOSTILE_CHECK}),
]
BAD_RUNS = {("urdupoint", "2024-08-24"), ("dawn", "2024-08-25"), ("urdupoint", "2024-08-26")}
LAHORE = {"place": "Lahore", "latitude": 31.558, "longitude": 74.3507, "articles": 3}
KARACHI = {"place": "Karachi", "latitude": 24.8608, "longitude": 67.0104, "articles": 3}


def build_pictures_archive(path: Path) -> Path:
    """An archive of :data:`ARTICLES` (their datelines read and geocoded by the dateline pipeline) and
    :data:`RUNS`, written through the crawl's own archive class."""
    dateline = DatelinePipeline(get_crawler().stats, Profiles())
    archive = Archive.open(path)
    number = 0
    for outlet, days in ARTICLES.items():
        for day, articles in days.items():
            for written, category in articles:
                number += 1
                url = f"https://example.com/{number}"
                text = f"{written} The council met on day {number} to discuss the budget."
                item = ArticleItem(url=url, fetched_url=url, body=b"", encoding="utf-8",
                                   fetched_at=f"{day}T12:00:00+00:00", outlet=outlet, language="en",
                                   title=f"Council meeting {number}", category=category,
                                   published_at=f"{day}T10:00:00+05:00", published_at_utc=f"{day}T05:00:00+00:00")
                item.text = text
                dateline.process_item(item)
                item.content_hash = content_hash(item.text)
                archive.add_article(item, item.urls, f"{day}T12:00:00+00:00")
    for spider, started_at, finished_at, reason, failed in RUNS:
        run_id = archive.start_run(spider, "latest", started_at)
        if finished_at:
            archive.finish_run(run_id, {"finished_at": finished_at, "finish_reason": reason,
                                        "health": json.dumps(failed)})
    archive.close()
    return path


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    """The pictures archive under a name that is not "archive", and a database that is no archive."""
    work = tmp_path_factory.mktemp("pictures")
    archive = build_pictures_archive(work / "newsroom.db")
    other = sqlite_utils.Database(work / "other.db")
    other["articles"].insert({"id": 1, "title": "not an archive"})
    other.close()
    also_other = lambda path, port: [*plain_datasette_command(path, port), str(work / "other.db")]  # noqa: E731
    with datasette_server(archive, command=also_other) as url:
        yield url


def get_json(url: str):
    with urllib.request.urlopen(url, timeout=10) as response:
        return json.loads(response.read())


def test_the_map_query_has_one_row_per_place_whatever_its_spelling(served):
    rows = get_json(f"{served}/newsroom/place_map.json?_shape=array")
    assert rows == [
        KARACHI,  # KARACHI and کراچی
        LAHORE,  # LAHORE, Lahore and لاہور
        {"place": "Islamabad", "latitude": 33.7215, "longitude": 73.0433, "articles": 1},
        {"place": "Quetta", "latitude": 30.1841, "longitude": 67.0014, "articles": 1},
    ]


def test_the_places_not_found_are_listed_and_counted(served):
    assert get_json(f"{served}/newsroom/places_not_found.json?_shape=array") == [{"written": "Gulabkot", "articles": 1}]
    with urllib.request.urlopen(f"{served}/newsroom/-/coverage?since={FIRST}&until={LAST}", timeout=10) as response:
        page = response.read().decode("utf-8")
    assert "1 dateline place (1 article) not found in the gazetteers is not on it" in page


def test_the_menu_leads_to_each_archives_coverage_only(served):
    with urllib.request.urlopen(f"{served}/", timeout=10) as response:
        page = response.read().decode("utf-8")
    assert '<a href="/newsroom/-/coverage">Coverage of newsroom</a>' in page
    assert "/other/-/coverage" not in page


def test_a_database_that_is_not_an_archive_gets_no_pictures(served):
    with pytest.raises(urllib.error.HTTPError) as error:
        urllib.request.urlopen(f"{served}/other/-/coverage", timeout=10)
    assert error.value.code == 404
    with pytest.raises(urllib.error.HTTPError) as error:
        urllib.request.urlopen(f"{served}/other/place_map.json", timeout=10)
    assert error.value.code == 404


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("since=2023-13-45", "since '2023-13-45' is not a day: write YYYY-MM-DD"),
        ("until=yesterday", "until 'yesterday' is not a day"),
        ("since=2024-08-26&until=2024-08-20", "since 2024-08-26 is after until 2024-08-20"),
    ],
    ids=["impossible-day", "not-a-date", "reversed"],
)
def test_a_bad_range_is_told_not_drawn(served, query, message):
    with pytest.raises(urllib.error.HTTPError) as error:
        urllib.request.urlopen(f"{served}/newsroom/-/coverage?{query}", timeout=10)
    page = error.value.read().decode("utf-8")
    assert error.value.code == 400
    assert message.replace("'", "&#39;") in page
    assert "<svg" not in page.split("</header>")[1]


def test_every_query_of_the_pictures_reads_an_index_or_the_counts_and_calls_no_python(tmp_path):
    """Speed at a million articles: no query reads the articles table itself (only its indexes, or the
    counts the schema keeps), and none calls a Python function per row."""
    db = sqlite_utils.Database(build_pictures_archive(tmp_path / "archive.db"))
    day_range = {"first": FIRST, "last": LAST}
    plans = {
        "days": (coverage.DAY_COUNTS_SQL, day_range),
        "newest": (coverage.NEWEST_DAY_SQL, {}),
        "map": (PLACE_MAP_SQL, {}),
        "not_found": (PLACES_NOT_FOUND_SQL, {}),
        "not_found_count": (coverage.NOT_FOUND_SQL, {}),
        **{facet: (coverage.TOP_SQL, {"facet": facet, **day_range, "limit": coverage.TOP}) for facet in coverage.RANKED},
    }
    for name, (sql, params) in plans.items():
        steps = [row[3] for row in db.execute(f"explain query plan {sql}", params).fetchall()]
        reads = [step for step in steps if step.startswith(("SCAN", "SEARCH"))]
        assert reads, (name, steps)
        for step in reads:
            assert ("COVERING INDEX" in step or step.startswith(("SEARCH article_counts", "SCAN article_counts"))), (name, steps)
    assert db.execute("explain query plan " + coverage.TOP_SQL, {"facet": "place", **day_range, "limit": 1}
                      ).fetchone()[3].startswith("SEARCH article_counts USING PRIMARY KEY (facet=? AND day>? AND day<?)")
    builtins = {row[0] for row in db.execute("select name from pragma_function_list where builtin = 1")}
    called = {word.lower() for sql in (coverage.DAY_COUNTS_SQL, PLACE_MAP_SQL, PLACES_NOT_FOUND_SQL, coverage.TOP_SQL)
              for word in re.findall(r"(\w+)\s*\(", sql)}
    assert called <= builtins | {"in"}, called - builtins


def test_the_counts_follow_every_write_of_the_articles(tmp_path):
    db = sqlite_utils.Database(build_pictures_archive(tmp_path / "archive.db"))

    def recounted():
        return sorted(
            row for facet, column in (("category", "category"), ("agency", "dateline_agency"), ("place", "place"))
            for row in db.execute(f"select '{facet}', substr(published_at, 1, 10), {column}, outlet, count(*)"
                                  f" from articles where {column} is not null group by 2, 3, 4"))

    def kept():
        return sorted(db.execute("select * from article_counts where articles > 0"))

    assert kept() == recounted()
    db.execute("update articles set category = 'world', place = null, published_at = '2024-08-30T10:00:00+05:00'"
               " where id in (1, 2)")
    db.execute("delete from articles where id = 3")
    assert kept() == recounted()


sync_api = pytest.importorskip("playwright.sync_api", reason="Playwright is not installed (pip install playwright)")
needs_chromium = pytest.mark.skipif(not CHROMIUM.exists(), reason="Chromium is not installed (apt-get install chromium)")


@contextmanager
def browser_page(base_url: str):
    """A Chromium page that fails the test on any dialog (a script of the archive's text ran) and
    fetches nothing but the served pages (the map's tiles are the only outside requests)."""
    dialogs = []
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
            page.route("**/*", lambda route: route.continue_() if route.request.url.startswith(base_url)
                       else route.abort())
            yield page
        finally:
            browser.close()
    assert dialogs == [], f"the page ran a script of the archive: {dialogs}"


@needs_chromium
def test_the_coverage_chart_has_one_mark_per_day_with_empty_days_and_bad_runs_marked(served):
    with browser_page(served) as page:
        page.goto(f"{served}/newsroom/-/coverage?since={FIRST}&until={LAST}")
        chart = page.locator("svg.coverage")
        sync_api.expect(chart).to_be_visible()
        days = [f"2024-08-{day}" for day in range(20, 27)]
        panels = {panel.get_attribute("data-outlet"): panel for panel in chart.locator("g.outlet").all()}
        assert sorted(panels) == sorted(ARTICLES)
        for outlet, panel in panels.items():
            marks = panel.locator("rect.day")
            assert [marks.nth(n).get_attribute("data-day") for n in range(marks.count())] == days
            empty = panel.locator("rect.day.empty")
            assert [empty.nth(n).get_attribute("data-day") for n in range(empty.count())] == EMPTY_DAYS[outlet]
            for mark in empty.all():
                assert mark.bounding_box()["height"] > 0  # drawn, not only in the markup
            counts = {mark.get_attribute("data-day"): int(mark.get_attribute("data-articles"))
                      for mark in panel.locator("rect.day:not(.empty)").all()}
            assert counts == {day: len(articles) for day, articles in ARTICLES[outlet].items()}
        runs = chart.locator("path.run.failed")
        assert {(run.locator("xpath=..").get_attribute("data-outlet"), run.get_attribute("data-day"))
                for run in runs.all()} == BAD_RUNS
        assert runs.count() == len(BAD_RUNS)
        table = page.locator("table.bad-runs tbody tr")
        assert [row.locator("td").nth(4).inner_text() for row in table.all()] == ["2024-08-24", "2024-08-25", "2024-08-26"]
        assert HOSTILE_CHECK in table.nth(2).inner_text()
        ranking = page.locator("svg.ranking").filter(has_text="Categories")
        assert HOSTILE_CATEGORY in ranking.text_content()
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "coverage.png"), full_page=True)


@needs_chromium
def test_the_map_has_one_marker_per_place(served):
    with browser_page(served) as page:
        page.goto(f"{served}/newsroom/place_map")
        page.wait_for_selector(".leaflet-marker-icon")
        page.wait_for_timeout(500)  # markers are added in chunks
        singles = page.locator(".leaflet-marker-icon:not(.marker-cluster)").count()
        in_clusters = sum(int(text) for text in page.locator(".marker-cluster span").all_inner_texts())
        assert singles + in_clusters == 4  # Karachi, Lahore, Islamabad, Quetta
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "place_map.png"), full_page=True)


def test_an_empty_archive_has_a_coverage_page_that_says_so(fresh_db):
    datasette = Datasette([fresh_db.conn.execute("pragma database_list").fetchone()[2]])
    response = asyncio.run(datasette.client.get("/archive/-/coverage"))
    assert response.status_code == 200
    assert "No articles and no crawl runs in these days." in response.text
    assert "Every dateline place was found." in response.text

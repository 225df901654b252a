"""``scrapy report -o FILE``: one self-contained HTML file, run as a user runs it."""

import re
import sqlite3
from html.parser import HTMLParser

import pytest
import sqlite_utils

from pipelines import schema
from tests.samples import assert_one_line_error, scrapy, scrapy_all
from tests.test_pictures import (ARTICLES, ARTIFACTS, CHROMIUM, CHROMIUM_ARGS, FIRST, HOSTILE_CATEGORY, HOSTILE_CHECK,
                                 HOSTILE_OUTLET, LAST, RUNS, build_pictures_archive)


class Tags(HTMLParser):
    """The names and attributes of every tag of a page."""

    def __init__(self):
        super().__init__()
        self.names, self.attributes = set(), []

    def handle_starttag(self, tag, attrs):
        self.names.add(tag)
        self.attributes.extend(attrs)


@pytest.fixture(scope="module")
def archive(tmp_path_factory):
    return build_pictures_archive(tmp_path_factory.mktemp("report") / "newsroom.db")


@pytest.fixture(scope="module")
def written(archive):
    """The report of the pictures archive's week, written by ``scrapy report``."""
    path = archive.parent / "report.html"
    result = scrapy(archive, "report", "-o", str(path), "--since", FIRST, "--until", LAST)
    assert result.returncode == 0, result.stderr
    assert result.stderr == f"Wrote the report of 7 days ({FIRST} to {LAST}) to {path}\n"
    return path


def test_the_report_holds_the_coverage_chart_runs_and_rankings(written):
    html = written.read_text(encoding="utf-8")
    chart = html[html.index('<svg class="coverage"'):html.index("</svg>")]
    assert len(re.findall(r'<rect class="day[ "]', chart)) == len(ARTICLES) * 7  # one mark per outlet and day
    assert len(re.findall(r'<rect class="day empty"', chart)) == 3 + 5 + 6
    assert len(re.findall(r'<path class="run failed"', chart)) == 3
    runs = re.findall(r"<tr><td>(\d+)</td>", html)
    assert runs == [str(number) for number in range(len(RUNS), 0, -1)]  # the last runs, newest first
    assert html.count('<td class="problem">') == 3
    assert re.findall(r'<g class="bar" data-value="([^"]*)"', html) == [
        "pakistan", "&lt;script&gt;alert(&quot;category&quot;)&lt;/script&gt;", "business", "world",  # categories
        "APP",  # agencies
        "Karachi", "Lahore", "Islamabad", "Quetta",  # places
    ]
    assert "1 dateline place (1 article) not found in the gazetteers" in html


def test_the_report_needs_nothing_from_outside_and_runs_nothing_of_the_archive(written):
    html = written.read_text(encoding="utf-8")
    tags = Tags()
    tags.feed(html)
    assert "script" not in tags.names and "link" not in tags.names and "img" not in tags.names
    assert {name for name, _ in tags.attributes} & {"src", "href", "srcset", "action"} == set()
    assert not [value for _, value in tags.attributes if re.search(r"https?:|//|url\(", value or "")]
    style = html[html.index("<style>"):html.index("</style>")]
    assert not re.search(r"url\(|@import|https?:", style)
    for hostile in (HOSTILE_CATEGORY, HOSTILE_OUTLET, HOSTILE_CHECK):
        assert hostile not in html
    assert "&lt;img src=x onerror=alert(&#x27;health&#x27;)&gt;" in html


def test_the_report_shows_in_a_browser_offline_and_runs_nothing(written):
    sync_api = pytest.importorskip("playwright.sync_api", reason="Playwright is not installed")
    if not CHROMIUM.exists():
        pytest.skip("Chromium is not installed (apt-get install chromium)")
    dialogs, requests = [], []
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1100, "height": 900})
            page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
            page.on("request", lambda request: requests.append(request.url))
            page.goto(written.as_uri())
            sync_api.expect(page.locator("svg.coverage rect.day")).to_have_count(len(ARTICLES) * 7)
            ARTIFACTS.mkdir(exist_ok=True)
            page.screenshot(path=str(ARTIFACTS / "report.png"), full_page=True)
        finally:
            browser.close()
    assert dialogs == []
    assert requests == [written.as_uri()]


def test_the_report_goes_to_standard_output_with_dash(archive):
    result = scrapy(archive, "report", "-o", "-", "--runs", "2")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("<!DOCTYPE html>")
    assert re.findall(r"<tr><td>(\d+)</td>", result.stdout) == ["4", "3"]


def test_bad_input_is_one_line_and_status_1(archive, tmp_path):
    cases = {
        "no-output": ["report"],
        "impossible-day": ["report", "-o", str(tmp_path / "r.html"), "--since", "2023-13-45"],
        "reversed": ["report", "-o", str(tmp_path / "r.html"), "--since", "2024-08-26", "--until", "2024-08-20"],
        "no-runs": ["report", "-o", str(tmp_path / "r.html"), "--runs", "0"],
        "unknown-option": ["report", "-o", str(tmp_path / "r.html"), "--colour"],
        "a-folder": ["report", "-o", str(tmp_path)],
    }
    results = scrapy_all(archive, cases)
    for name, result in results.items():
        assert_one_line_error(result)
        assert result.returncode == 1, name
    assert "--since '2023-13-45' is not a day" in results["impossible-day"].stderr
    missing = scrapy(tmp_path / "none.db", "report", "-o", str(tmp_path / "r.html"))
    assert_one_line_error(missing)
    assert not (tmp_path / "r.html").exists()


def test_an_archive_made_before_places_is_told_to_be_brought_up_to_date(tmp_path):
    db = sqlite_utils.Database(tmp_path / "old.db")
    schema.migrations.apply(db, stop_before="geocode_dateline_places")
    db.close()
    result = scrapy(tmp_path / "old.db", "report", "-o", str(tmp_path / "r.html"))
    assert_one_line_error(result)
    assert "was made by an older version (no such " in result.stderr
    assert result.stderr.endswith("): a crawl brings it up to date\n")
    with sqlite3.connect(tmp_path / "old.db") as conn:  # the report only reads
        assert "place" not in {row[1] for row in conn.execute("pragma table_info(articles)")}

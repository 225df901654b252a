"""The reading room as a person uses it: headless Chromium searches an archive served by datasette,
follows a result to its article and scans the articles list.

Needs Playwright (pip) and Debian's Chromium at /usr/bin/chromium; skipped without either.
Screenshots are kept in each test's tmp folder and in test-artifacts/.
"""

import shutil
from pathlib import Path

import pytest

from pipelines.archive import Archive
from tests.test_datasette import NOW, REPO, article_item, build_archive, datasette_server

sync_api = pytest.importorskip("playwright.sync_api", reason="Playwright is not installed (pip install playwright)")

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
ARTIFACTS = REPO / "test-artifacts"
# What an article could hold to run in the reader's browser: each would set window.pwned or open a dialog.
HOSTILE = ('<script>window.pwned = 1; alert("script")</script><img src=x onerror="window.pwned = 1; alert(1)">'
           '<svg onload="alert(2)"></svg>')

pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason="Chromium is not installed (apt-get install chromium)")


def keep_screenshot(page, tmp_path: Path, name: str) -> Path:
    """A full-page screenshot in the test's tmp folder, copied to test-artifacts/ for CI to keep."""
    path = tmp_path / name
    page.screenshot(path=str(path), full_page=True)
    ARTIFACTS.mkdir(exist_ok=True)
    shutil.copy(path, ARTIFACTS / name)
    return path


def hostile_archive(path: Path) -> Path:
    """The test archive, plus an article whose headline and body are markup that would run."""
    build_archive(path)
    item = article_item(99, "world", "2024-08-30T10:00:00+05:00", "2024-08-30T05:00:00+00:00",
                        f"Hostile headline {HOSTILE}", f"KARACHI, Aug 30 (APP): hostile body {HOSTILE} ends here.",
                        "en", "dawn")
    archive = Archive.open(path)
    try:
        archive.add_article(item, item.urls, NOW)
    finally:
        archive.close()
    return path


@pytest.fixture
def browser():
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture
def served(tmp_path):
    """A real datasette server, started as ``make serve`` starts it, over an archive called urdupoint.db."""
    with datasette_server(hostile_archive(tmp_path / "urdupoint.db")) as url:
        yield url + "/urdupoint"


@pytest.fixture
def page(browser, served):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.goto(served + "/search")
    yield page
    assert dialogs == [], "something from the archive ran in the browser"
    assert page.evaluate("typeof window.pwned") == "undefined"


def search(page, words: str, **choices):
    page.fill("input[name=q]", words)
    for name, label in choices.items():
        page.select_option(f"select[name={name}]", label=label)
    page.click("input[type=submit]")
    page.wait_for_load_state()


def test_a_search_shows_ranked_results_that_lead_to_their_articles(page, served, tmp_path):
    search(page, "flood")
    titles = page.locator(".archive-result-title a")
    assert titles.all_inner_texts() == ["Flood relief operations continue in Sindh", "Punjab cabinet approves wheat support price"]
    sync_api.expect(page.locator(".archive-count")).to_have_text("2 articles match, best first.")
    meta = page.locator(".archive-result-meta").first.inner_text()
    assert "2024-08-26" in meta and "HYDERABAD" in meta and "UrduPoint" in meta
    mark = page.locator(".archive-result-snippet mark")
    sync_api.expect(mark).to_have_count(1)
    sync_api.expect(mark).to_be_visible()
    sync_api.expect(mark).to_have_text("flood")
    assert page.locator(".archive-result-original").first.get_attribute("href").startswith("https://www.urdupoint.com/")
    assert "Run SQL" not in page.content() and "Custom SQL query" not in page.content()
    keep_screenshot(page, tmp_path, "search.png")
    titles.first.click()
    page.wait_for_url(served + "/articles/1")
    assert "Flood relief operations continue in Sindh" in page.inner_text("body")


def test_outlet_and_language_are_chosen_not_typed(page):
    outlets = page.locator("select[name=outlet] option").all_inner_texts()
    assert outlets[0] == "Every outlet" and len(outlets) == 3 and any("UrduPoint" in label for label in outlets)
    assert page.locator("select[name=language] option").all_inner_texts() == ["Every language", "English", "Urdu"]
    search(page, "flood*", outlet="Dawn")
    assert page.locator(".archive-result-title a").all_inner_texts() == ["Floods hit Bangladesh as monsoon rains continue"]
    search(page, "سیلاب", outlet="Every outlet", language="Urdu")
    sync_api.expect(page.locator(".archive-result-title a[dir=rtl]")).to_have_count(2)


def test_a_bad_date_or_nothing_to_search_is_said_plainly(page, served, tmp_path):
    page.goto(served + "/search?q=flood&since=2023-13-45")
    message = page.locator(".archive-search-message")
    sync_api.expect(message).to_have_text("since '2023-13-45' is not a day: write YYYY-MM-DD, e.g. 2023-03-02")
    assert page.locator(".archive-result").count() == 0
    keep_screenshot(page, tmp_path, "search-bad-date.png")
    page.goto(served + "/search")
    search(page, "   ")
    sync_api.expect(message).to_have_text("Type a word to search for.")
    page.goto(served + "/search")
    assert page.locator(".archive-search-message").count() == 0 and page.locator(".archive-count").count() == 0


def test_typed_syntax_errors_are_not_shown_to_the_reader(page):
    search(page, '"COVID-19 AND (')
    assert page.locator(".message-error").count() == 0
    assert page.locator(".archive-result-title a").all_inner_texts() == ["COVID-19 vaccination drive extended to schools"]


def test_urdu_typed_with_arabic_letters_is_found_and_shown_as_written(page):
    search(page, "سيلاب")  # the Arabic yeh, as an Arabic keyboard types it
    marks = page.locator(".archive-result-snippet mark")
    sync_api.expect(marks).to_have_count(2)
    assert marks.all_inner_texts() == ["سیلاب", "سیلاب"]  # the Urdu yeh of the text


def test_an_article_holding_markup_runs_nothing(page, served, tmp_path):
    search(page, "hostile")
    title = page.locator(".archive-result-title a")
    sync_api.expect(title).to_have_count(1)
    assert "<script>" in title.inner_text() and "onerror" in title.inner_text()  # shown as text
    assert page.locator(".archive-results img, .archive-results script, .archive-results svg").count() == 0
    keep_screenshot(page, tmp_path, "search-hostile.png")
    page.goto(served + "/articles")
    assert "Hostile headline <script>" in page.locator("table.archive-list-table td.col-title").first.inner_text()
    assert page.locator("table.archive-list-table tbody :is(img, svg, script)").count() == 0


def test_the_articles_list_shows_what_a_person_scans_with_facets_first(page, served, tmp_path):
    page.goto(served + "/articles")
    headers = page.locator("table.archive-list-table th").all_inner_texts()
    assert [header.replace("\u00a0▲", "") for header in headers] == ["Published", "Outlet", "Headline", "Place", "Category"]
    table_top = page.locator("table.archive-list-table").bounding_box()["y"]
    facets = page.locator(".facet-results").bounding_box()
    assert facets["y"] < table_top and facets["y"] < 700  # above the rows, on the first screen
    assert page.locator(".column-descriptions").bounding_box()["y"] > table_top
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 1280, f"the list is {width} px wide"
    keep_screenshot(page, tmp_path, "articles.png")
    newest = page.locator("table.archive-list-table td.col-title a").first
    assert newest.inner_text().startswith("Hostile headline") and newest.get_attribute("href") == "/urdupoint/articles/9"
    newest.click()
    page.wait_for_url(served + "/articles/9")
    page.goto(served + "/articles")
    page.click("text=Every column")
    page.wait_for_url("**/articles?_columns=all")
    assert page.locator("table.rows-and-columns th.col-text").count() == 1

"""The search page as a person uses it: headless Chromium types a query into datasette and reads the results.

Needs Playwright (pip) and Debian's Chromium at /usr/bin/chromium; skipped without either.
A screenshot of the results is left in test-artifacts/search.png.
"""

from pathlib import Path

import pytest

from tests.test_datasette import REPO, build_archive, datasette_server

sync_api = pytest.importorskip("playwright.sync_api", reason="Playwright is not installed (pip install playwright)")

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
SCREENSHOT = REPO / "test-artifacts" / "search.png"

pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason="Chromium is not installed (apt-get install chromium)")


@pytest.fixture
def page(tmp_path):
    with datasette_server(build_archive(tmp_path / "archive.db")) as url, sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            page.goto(url + "/archive/search")
            yield page
        finally:
            browser.close()


def test_typed_search_shows_ranked_results_with_highlights(page):
    page.fill("input[name=q]", "flood")
    page.click("input[type=submit]")
    page.wait_for_url("**/archive/search?q=flood*")
    titles = page.locator("table.rows-and-columns td.col-title").all_inner_texts()
    assert titles == ["Flood relief operations continue in Sindh", "Punjab cabinet approves wheat support price"]
    mark = page.locator("td.col-snippet mark")
    sync_api.expect(mark).to_have_count(1)
    sync_api.expect(mark).to_be_visible()
    sync_api.expect(mark).to_have_text("flood")
    assert page.locator("td.col-url a").first.get_attribute("href").startswith("https://www.urdupoint.com/")
    SCREENSHOT.parent.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOT), full_page=True)


def test_typed_syntax_errors_are_not_shown_to_the_reader(page):
    page.fill("input[name=q]", '"COVID-19 AND (')
    page.click("input[type=submit]")
    page.wait_for_load_state()
    assert page.locator(".message-error").count() == 0
    assert page.locator("table.rows-and-columns td.col-title").all_inner_texts() == [
        "COVID-19 vaccination drive extended to schools"]


def test_urdu_typed_with_arabic_letters_is_found_and_shown_as_written(page):
    page.fill("input[name=q]", "سيلاب")  # the Arabic yeh, as an Arabic keyboard types it
    page.click("input[type=submit]")
    page.wait_for_load_state()
    marks = page.locator("td.col-snippet mark")
    sync_api.expect(marks).to_have_count(2)
    assert marks.all_inner_texts() == ["سیلاب", "سیلاب"]  # the Urdu yeh of the text

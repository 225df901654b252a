"""The article page, served by plain ``datasette archive.db`` (the plugin found through its entry point)
over real HTTP, on an archive written as the crawl writes it, with the raw pages in a real WARC file.

Also read in headless Chromium (Playwright + Debian's chromium): the body's width, Urdu right to left,
a version diff, and hostile text that must run nothing. Screenshots are left in test-artifacts/.
"""

import base64
import hashlib
import html
import json
import re
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from email.message import Message
from dataclasses import replace
from io import BytesIO
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from markupsafe import escape
from warcio.statusandheaders import StatusAndHeaders

from crawler.reading_room.article import STORY_ARTICLES_SQL
from crawler.reading_room.article_text import reader_time, word_diff
from crawler.warc import MemberWriter, RotatingWarcWriter
from pipelines.archive import Archive
from tests.samples import NOW, SEED, SEED_PARAGRAPHS, URDU_WHEAT, article
from tests.test_datasette import free_port

REPO = Path(__file__).resolve().parent.parent
ARTIFACTS = REPO / "test-artifacts"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]



def installed(folder: Path) -> bool:
    """Whether datasette, started in ``folder``, finds the plugin through its entry point (the project
    is installed), as in a check from the repository root a build's leftover ``*.egg-info`` would say."""
    check = ("import importlib.metadata as m; print(any(e.value == 'crawler.reading_room.article'"
             " for e in m.entry_points(group='datasette')))")
    return subprocess.run([sys.executable, "-c", check], cwd=folder, capture_output=True, text=True).stdout.strip() == "True"

KARACHI = ZoneInfo("Asia/Karachi")
HOSTILE = '<script>alert("script")</script><img src=x onerror="alert(\'img\')">'
# The first version of the seed article: the second paragraph was reworded when the page was edited.
FIRST_SEED_PARAGRAPHS = [SEED_PARAGRAPHS[0], SEED_PARAGRAPHS[1].replace("spoke briefly", "talked for ten minutes"),
                         *SEED_PARAGRAPHS[2:]]
RAW_PAGE = (
    "<!DOCTYPE html><html><head><meta charset='utf-8'><title>Blinken Presses Russia's Lavrov</title>"
    "<script>alert('raw page script')</script></head><body><h1>Blinken Presses Russia's Lavrov Over Ukraine</h1>"
    "<img src=x onerror=\"alert('raw page onerror')\"><p>The United States and Russia met.</p></body></html>"
)
URDU = replace(URDU_WHEAT, text=URDU_WHEAT.text + "\n\nوزیر نے کہا کہ COVID-19 کے بعد Rs3,900 کی قیمت مناسب ہے۔")


def day_article(number: int, title: str, published_at: str, **fields):
    return article(f"https://www.urdupoint.com/en/world/day-story-{number}.html", title,
                   [f"Paragraph of the day's story number {number}, about something else entirely."], published_at,
                   **fields)


def warc_page(writer: RotatingWarcWriter, url: str, page: str) -> dict:
    """A response record of ``page`` at ``url`` in the WARC files, as the crawl writes it; its location fields."""
    http = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1")
    record = MemberWriter(BytesIO()).create_warc_record(url, "response", payload=BytesIO(page.encode("utf-8")),
                                                         http_headers=http)
    location = writer.write(record)
    return {"warc_file": location.file, "warc_offset": location.offset, "warc_length": location.length}


def build_archive(path: Path) -> dict[str, int]:
    """The archive: the seed article in two versions with raw pages, a duplicate, another outlet's copy,
    articles of the same day before and after it, an Urdu article and a hostile one; their ids."""
    writer = RotatingWarcWriter(path.parent / "warc", 10**9, "urdupoint")
    first = replace(SEED, text="\n\n".join(FIRST_SEED_PARAGRAPHS),
                    **warc_page(writer, SEED.url, RAW_PAGE.replace("met.", "met (first version).")))
    latest = replace(SEED, **warc_page(writer, SEED.url, RAW_PAGE))
    writer.close()
    archive = Archive.open(path)
    ids = {"earlier": archive.add_article(day_article(1, "Earlier the same day", "2023-03-02T09:00:00+05:00"),
                                          [day_article(1, "", None).url], NOW)}
    ids["seed"] = archive.add_article(first, first.urls, NOW)
    archive.add_version(ids["seed"], latest, latest.urls, "2023-03-06T08:00:00+00:00")
    ids["later"] = archive.add_article(day_article(2, "Later the same day", "2023-03-02T21:00:00+05:00"),
                                       [day_article(2, "", None).url], NOW)
    ids["next day"] = archive.add_article(day_article(3, "The next day", "2023-03-03T01:00:00+05:00"),
                                          [day_article(3, "", None).url], NOW)
    ids["other outlet"] = archive.add_article(day_article(4, "Daily brief", "2023-03-02T18:00:00+05:00",
                                                          outlet="dawn"), [day_article(4, "", None).url], NOW)
    copy = replace(SEED, url="https://www.urdupoint.com/en/pakistan/blinken-lavrov-g20-1653900.html",
                   title="Blinken, Lavrov Meet On G20 Sidelines", text=SEED.text.replace("New Delhi", "Delhi"))
    archive.add_duplicate(ids["seed"], copy, [copy.url], 0.87, NOW)
    story_copy = replace(SEED, url="https://www.app.com.pk/world/blinken-presses-lavrov/", outlet="app",
                         title="Blinken presses Lavrov at G20", same_story=(ids["seed"],))
    ids["story"] = archive.add_article(story_copy, story_copy.urls, NOW)
    ids["urdu"] = archive.add_article(URDU, URDU.urls, NOW)
    hostile = article("https://www.urdupoint.com/en/world/hostile-1.html", f"Headline {HOSTILE}",
                      [f"A body holding {HOSTILE} in its text.", "Second paragraph."], "2023-03-04T10:00:00+05:00",
                      summary=HOSTILE, author=HOSTILE, category=HOSTILE, tags=[HOSTILE],
                      dateline_place=HOSTILE, via=["javascript:alert('url')"])
    ids["hostile"] = archive.add_article(hostile, hostile.urls, NOW)
    archive.close()
    return ids


@contextmanager
def plain_datasette(*db_paths: Path, options: tuple[str, ...] = (), timeout: float = 30):
    """``datasette FILES OPTIONS`` as a user runs it (no option needed); yields its base URL."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    with tempfile.TemporaryFile(mode="w+") as log:
        process = subprocess.Popen([sys.executable, "-m", "datasette", *map(str, db_paths), *options, "--port", str(port)],
                                   cwd=db_paths[0].parent, stdout=log, stderr=subprocess.STDOUT)
        try:
            deadline = time.monotonic() + timeout
            while True:
                if process.poll() is not None:
                    log.seek(0)
                    raise RuntimeError(f"datasette exited: {log.read()[-3000:]}")
                try:
                    with urllib.request.urlopen(url + "/-/versions.json", timeout=2):
                        break
                except OSError:
                    if time.monotonic() > deadline:
                        raise
                    time.sleep(0.1)
            yield url
        finally:
            process.terminate()
            process.wait(timeout=10)


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    """The archive (named as no default would name it) and a database that is no archive, served."""
    folder = tmp_path_factory.mktemp("reading-room")
    if not installed(folder):
        pytest.skip("the project is not installed (pip install -e .): datasette cannot find its plugin")
    ids = build_archive(folder / "urdupoint.db")
    other = folder / "other.db"
    with sqlite3_connection(other) as conn:
        conn.execute("create table articles (id integer primary key, title text)")
        conn.execute("insert into articles values (1, 'Not an archive')")
    with plain_datasette(folder / "urdupoint.db", other) as url:
        yield url, ids


@contextmanager
def sqlite3_connection(path: Path):
    import sqlite3

    conn = sqlite3.connect(path)
    try:
        with conn:
            yield conn
    finally:
        conn.close()


def fetch(url: str) -> tuple[int, Message, str]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.headers, response.read().decode("utf-8")
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read().decode("utf-8")


def article_page(served, name: str) -> str:
    url, ids = served
    status, headers, page = fetch(f"{url}/urdupoint/articles/{ids[name]}")
    assert status == 200, page[:2000]
    assert "script-src 'self'" in headers["Content-Security-Policy"]
    return page


def text_of(page: str) -> str:
    """The page's text as a reader sees it, roughly: tags dropped, entities read, white space folded."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page)).split())


def test_article_reads_as_an_article(served):
    page = article_page(served, "seed")
    seen = text_of(page)
    assert "<h1 class=\"headline\">Blinken Presses Russia&#39;s Lavrov Over Ukraine On G20 Sidelines</h1>" in page
    assert "Thursday 2 March 2023, 17:20 PKT" in seen
    assert "New Delhi" in seen and "By Sumaira FH" in seen and "UrduPoint.com · world" in seen
    assert re.findall(r'<li dir="auto">([^<]+)</li>', page) == ["Ukraine", "Russia", "G20", "New Delhi"]
    assert SEED.summary in seen
    body = re.search(r'<div class="article-body">(.*?)</div>', page, re.S).group(1)
    assert [html.unescape(p) for p in re.findall(r"<p>(.*?)</p>", body, re.S)] == SEED_PARAGRAPHS


def test_article_shows_every_url_its_copies_and_its_story(served):
    url, ids = served
    page = article_page(served, "seed")
    for address in [SEED.url, *SEED.via, "https://www.urdupoint.com/en/pakistan/blinken-lavrov-g20-1653900.html"]:
        assert f'<a href="{address}">{address}</a>' in page
    seen = text_of(page)
    assert "87% similar" in seen and "Blinken, Lavrov Meet On G20 Sidelines" in seen
    assert "<del>New</del>" in page  # the copy's text against the article's: "New Delhi" became "Delhi"
    assert f'<a href="/urdupoint/articles/{ids["story"]}" dir="auto">Blinken presses Lavrov at G20</a>' in page


def test_previous_and_next_are_the_outlets_articles_of_the_same_day(served):
    url, ids = served
    page = article_page(served, "seed")
    assert f'<a rel="prev" class="previous" href="/urdupoint/articles/{ids["earlier"]}">' in page
    assert f'<a rel="next" class="next" href="/urdupoint/articles/{ids["later"]}">' in page
    later = article_page(served, "later")
    assert f'rel="prev" class="previous" href="/urdupoint/articles/{ids["seed"]}"' in later
    assert 'rel="next"' not in later  # the next day's article and another outlet's are not its neighbours


def test_each_version_shows_the_words_the_next_one_changed(served):
    page = article_page(served, "seed")
    assert "This is version 2." in text_of(page)
    diff = re.search(r'<div class="diff diff-text" lang="en" dir="ltr">(.*?)</div>', page, re.S).group(1)
    assert re.findall(r"<del>(.*?)</del>", diff) == ["talked for ten minutes"]
    assert re.findall(r"<ins>(.*?)</ins>", diff) == ["spoke briefly"]


def test_urdu_reads_right_to_left_with_latin_runs_isolated(served):
    page = article_page(served, "urdu")
    assert '<article class="archived-article" lang="ur" dir="rtl">' in page
    assert html.escape(URDU.title, quote=False) in page
    assert '<bdi dir="ltr">COVID-19</bdi>' in page and '<bdi dir="ltr">Rs3,900</bdi>' in page
    assert re.findall(r'<li dir="auto">([^<]+)</li>', page) == URDU.tags
    assert "Wednesday 1 March 2023, 19:55 PKT" in text_of(page) and "لاہور · APP" in text_of(page)


def test_raw_page_is_served_from_its_warc_record_sandboxed(served):
    url, ids = served
    status, headers, raw = fetch(f"{url}/urdupoint/articles/{ids['seed']}/raw")
    assert status == 200 and raw == RAW_PAGE
    assert headers["Content-Security-Policy"].startswith("sandbox;") and "script-src" not in headers["Content-Security-Policy"]
    assert headers["Content-Type"] == "text/html; charset=utf-8"
    status, headers, source = fetch(f"{url}/urdupoint/articles/{ids['seed']}/source")
    assert (status, headers["Content-Type"], source) == (200, "text/plain; charset=utf-8", RAW_PAGE)
    assert headers["X-Content-Type-Options"] == "nosniff"
    status, _, first = fetch(f"{url}/urdupoint/articles/{ids['seed']}/raw?version=1")
    assert status == 200 and "met (first version)." in first
    page = article_page(served, "seed")
    assert f'<iframe class="raw-page" sandbox="" src="/urdupoint/articles/{ids["seed"]}/raw"' in page
    assert fetch(f"{url}/urdupoint/articles/{ids['urdu']}/raw")[0] == 404  # archived without its page


def test_hostile_text_is_escaped_everywhere(served):
    page = article_page(served, "hostile")
    assert "<script>alert" not in page and "<img src=x" not in page
    assert page.count(escape(HOSTILE)) >= 8  # title, headline, summary, author, category, tag, dateline, body
    assert not re.search(r'href="\s*javascript:', page, re.I)
    assert "<code>javascript:alert(&#39;url&#39;)</code>" in page  # shown, not linked


def test_the_only_inline_script_allowed_is_datasettes_menu_closer(served):
    url, ids = served
    status, headers, page = fetch(f"{url}/urdupoint/articles/{ids['hostile']}")
    # datasette's, then those of other plugins (the map's settings): refused as any inline script
    scripts = re.findall(r"<script>(.*?)</script>", page, re.S)
    assert "Close any open details elements" in scripts[0] and len(scripts) > 1
    digest = base64.b64encode(hashlib.sha256(scripts[0].encode("utf-8")).digest()).decode("ascii")
    script_src = re.search(r"script-src ([^;]*);", headers["Content-Security-Policy"]).group(1)
    assert script_src.split() == ["'self'", f"'sha256-{digest}'"]


def test_a_storys_articles_are_read_from_its_index_whatever_the_statistics_say(tmp_path):
    """Even when the planner's statistics say every article is of one story (as after an upgrade
    that gave each its own story, before the next analyze)."""
    with sqlite3_connection(tmp_path / "archive.db") as conn:
        conn.execute("create table articles (id integer primary key, story text, outlet text, title text,"
                     " published_at text, published_at_utc text, story_similarity real)")
        conn.execute("create index idx_articles_story on articles (story, outlet)")
        conn.execute("create index idx_articles_published_at_utc on articles (published_at_utc)")
        conn.execute("analyze")
        conn.execute("insert into sqlite_stat1 values ('articles', 'idx_articles_story', '1000000 1000000 1000000'),"
                     " ('articles', 'idx_articles_published_at_utc', '1000000 1')")
        conn.execute("analyze sqlite_master")  # reload the statistics
        plan = [row[3] for row in conn.execute(f"explain query plan {STORY_ARTICLES_SQL}", ["s", 1, 50])]
    assert plan[0].startswith("SEARCH articles USING INDEX idx_articles_story (story=?)"), plan


def test_the_row_json_and_other_databases_stay_datasettes(served):
    url, ids = served
    status, _, data = fetch(f"{url}/urdupoint/articles/{ids['seed']}.json")
    assert status == 200 and json.loads(data)["rows"][0][2] == "urdupoint"
    status, _, page = fetch(f"{url}/other/articles/1")
    assert status == 200 and "Not an archive" in page and "archived-article" not in page
    assert fetch(f"{url}/urdupoint/articles/999999")[0] == 404


def test_raw_pages_are_found_where_the_plugin_setting_says(tmp_path):
    if not installed(tmp_path):
        pytest.skip("the project is not installed (pip install -e .): datasette cannot find its plugin")
    ids = build_archive(tmp_path / "archive.db")
    (tmp_path / "warc").rename(tmp_path / "raw-pages")  # as a crawl run with -s WARC_DIR=raw-pages keeps them
    metadata = tmp_path / "metadata.json"
    metadata.write_text(json.dumps({"plugins": {"archive_article": {"warc_dir": str(tmp_path / "raw-pages")}}}))
    with plain_datasette(tmp_path / "archive.db") as url:
        assert fetch(f"{url}/archive/articles/{ids['seed']}/raw")[0] == 404
    with plain_datasette(tmp_path / "archive.db", options=("-m", str(metadata))) as url:
        status, _, raw = fetch(f"{url}/archive/articles/{ids['seed']}/raw")
    assert (status, raw) == (200, RAW_PAGE)


@pytest.mark.parametrize(
    ("published_at", "zone", "expected"),
    [
        ("2023-03-02T17:20:00+05:00", KARACHI, "Thursday 2 March 2023, 17:20 PKT"),
        ("2023-03-02T12:20:00+00:00", KARACHI, "Thursday 2 March 2023, 17:20 PKT"),
        ("2023-03-02T23:30:00+00:00", KARACHI, "Friday 3 March 2023, 04:30 PKT"),
        ("2023-03-02T17:20:00+05:00", None, "Thursday 2 March 2023, 17:20 UTC+05:00"),
        ("2023-03-02T17:20:00", KARACHI, "Thursday 2 March 2023, 17:20"),
        ("2023-02-20", KARACHI, "Monday 20 February 2023"),
        ("sometime in March", KARACHI, "sometime in March"),
        (None, KARACHI, None),
    ],
    ids=["in its zone", "utc to its zone", "next day there", "no zone: own offset", "naive stays naive", "a day",
         "not a time", "none"],
)
def test_published_time_in_the_readers_words(published_at, zone, expected):
    assert reader_time(published_at, zone) == expected


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("the cabinet met on Monday", "the cabinet met on Tuesday", "the cabinet met on <del>Monday</del> <ins>Tuesday</ins>"),
        ("a <b> c", "a <i> c", "a <del>&lt;b&gt;</del> <ins>&lt;i&gt;</ins> c"),
        ("one\n\ntwo", "one\n\ntwo three", "one <br><br> two <ins>three</ins>"),
        (" ".join(f"w{n}" for n in range(40)) + " old", " ".join(f"w{n}" for n in range(40)) + " new",
         '<span class="unchanged">… 28 words unchanged …</span> ' + " ".join(f"w{n}" for n in range(28, 40))
         + " <del>old</del> <ins>new</ins>"),
    ],
    ids=["a word", "escaped", "paragraphs", "long unchanged stretch cut"],
)
def test_word_diff(old, new, expected):
    assert word_diff(old, new) == expected


# --- in a real browser -----------------------------------------------------------------------------

@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.exists():
        pytest.skip("Chromium is not installed (apt-get install chromium)")
    sync_api = pytest.importorskip("playwright.sync_api", reason="Playwright is not installed")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture
def page(browser):
    """A page on which any dialog (an ``alert`` of the archive's text) fails the test."""
    dialogs = []
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    yield page
    page.close()
    assert dialogs == [], f"the page ran the archive's script: {dialogs}"


def screenshot(page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / name), full_page=True)


def width_in_ch(page, selector: str) -> float:
    """The element's width in its own font's ``ch``."""
    return page.eval_on_selector(selector, """element => {
        const probe = document.createElement('span');
        probe.style.cssText = 'display:inline-block;width:10ch;visibility:hidden;position:absolute';
        element.appendChild(probe);
        const ch = probe.getBoundingClientRect().width / 10;
        probe.remove();
        return element.getBoundingClientRect().width / ch;
    }""")


def test_the_body_is_whole_at_a_readable_width(served, page):
    url, ids = served
    page.goto(f"{url}/urdupoint/articles/{ids['seed']}")
    assert page.locator("h1.headline").inner_text() == SEED.title
    assert page.locator(".article-body p").all_inner_texts() == SEED_PARAGRAPHS
    assert 60 <= width_in_ch(page, ".article-body") <= 75
    assert page.locator(".article-body p").first.is_visible()
    screenshot(page, "article-en.png")


def test_urdu_is_laid_out_right_to_left(served, page):
    url, ids = served
    page.goto(f"{url}/urdupoint/articles/{ids['urdu']}")
    body = page.locator(".article-body")
    assert body.evaluate("element => getComputedStyle(element).direction") == "rtl"
    assert "Nastaliq" in body.evaluate("element => getComputedStyle(element).fontFamily")
    assert page.locator("article.archived-article").get_attribute("dir") == "rtl"
    latin = page.locator(".article-body bdi", has_text="COVID-19")
    assert latin.evaluate("element => getComputedStyle(element).direction") == "ltr"
    screenshot(page, "article-ur.png")


def test_a_version_diff_shows_the_changed_words(served, page):
    url, ids = served
    page.goto(f"{url}/urdupoint/articles/{ids['seed']}#versions")
    diff = page.locator("#version-1 .diff-text")
    assert diff.locator("del").all_inner_texts() == ["talked for ten minutes"]
    assert diff.locator("ins").all_inner_texts() == ["spoke briefly"]
    assert diff.locator("del").evaluate("element => getComputedStyle(element).textDecorationLine") == "line-through"
    diff.scroll_into_view_if_needed()
    page.screenshot(path=str(ARTIFACTS / "article-versions.png"))


def test_a_click_outside_an_open_menu_closes_it(served, page):
    """datasette's own menu-closing script runs on the article page: its CSP allows that one script."""
    url, ids = served
    refused = []
    page.on("console", lambda message: refused.append(message.text) if message.text.startswith("Executing inline script violates") else None)
    page.goto(f"{url}/urdupoint/articles/{ids['seed']}")
    differences = page.locator("details", has_text="How its text differs")
    differences.locator("summary").click()
    assert differences.evaluate("element => element.open")
    page.locator("h1.headline").click()
    assert not differences.evaluate("element => element.open")
    assert len(refused) == page.locator("script:not([src])").count() - 1  # every other inline script


def test_hostile_title_and_body_run_nothing(served, page):
    url, ids = served
    page.goto(f"{url}/urdupoint/articles/{ids['hostile']}")
    assert page.locator("h1.headline").inner_text() == f"Headline {HOSTILE}"
    assert HOSTILE in page.locator(".article-body p").first.inner_text()
    assert page.locator(".tags li").all_inner_texts() == [HOSTILE]
    screenshot(page, "article-hostile.png")
    page.goto(f"{url}/urdupoint/articles/{ids['seed']}/raw")  # the raw page alone: sandboxed by its CSP
    assert page.locator("h1").inner_text() == "Blinken Presses Russia's Lavrov Over Ukraine"
    page.goto(f"{url}/urdupoint/articles/{ids['seed']}#raw-page")  # the raw page's own scripts, in its iframe
    frame = page.frame_locator("iframe.raw-page")
    assert frame.locator("h1").inner_text() == "Blinken Presses Russia's Lavrov Over Ukraine"
    page.wait_for_timeout(500)  # time for an onerror to fire, had it been allowed to
    screenshot(page, "article-hostile-raw.png")

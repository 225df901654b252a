"""``scrapy extract``: the record a page would give, printed as JSON, from a URL served over real HTTP
or from a file with no network; no archive is touched."""

import json
import subprocess
import sys

import pytest

from tests.conftest import REPO, SITE
from tests.mirror.server import MirrorServer

URLS_SITE = REPO / "tests" / "urls_site"
URDUPOINT_PAGE = "en/pakistan/punjab-extends-relief-operations-in-flood-hit-2052192.html"


def extract(*arguments: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "scrapy", "extract", *arguments], cwd=REPO,
                          capture_output=True, text=True, timeout=60)


@pytest.fixture(scope="module")
def urls_server():
    with MirrorServer(URLS_SITE) as server:
        yield server


def test_a_url_is_fetched_and_its_record_printed(urls_server, tmp_path):
    urls_server.clear_requests()
    done = extract(f"{urls_server.url}/ledger/old/harbour-ferries", "-s", f"ARCHIVE_DB={tmp_path / 'archive.db'}")
    assert done.returncode == 0, done.stderr
    record = json.loads(done.stdout)
    text = record.pop("text")
    assert record == {
        "url": f"{urls_server.url}/ledger/old/harbour-ferries",
        "fetched_url": f"{urls_server.url}/ledger/2024/05/harbour-ferries.html",
        "outlet": "127.0.0.1", "profile": None, "rejected": None,
        "published_at_source": "jsonld", "published_at_zone": "naive",
        "title": "Winter ferries to run twice a day",
        "summary": "The harbour council extends the ferry timetable into the winter months.",
        "author": "Mara Quill", "category": None, "tags": [], "language": "en",
        "published_at": "2024-05-12T09:30:00", "published_at_utc": "2024-05-12T09:30:00+00:00",
        "dateline": None, "dateline_place": None, "dateline_agency": None, "dateline_date": None,
        "canonical_url": None,
    }
    assert text.startswith("The harbour council voted on Tuesday") and text.endswith("stays for good.")
    assert [path for _, path, _ in urls_server.requests] == [
        "/robots.txt", "/ledger/old/harbour-ferries", "/ledger/2024/05/harbour-ferries.html"]
    assert not (tmp_path / "archive.db").exists()


def test_a_saved_page_is_read_with_the_profile_of_its_url_and_no_network(tmp_path):
    page = tmp_path / "saved.html"
    page.write_bytes((SITE / URDUPOINT_PAGE).read_bytes())
    done = extract(str(page), "--url", f"https://www.urdupoint.com/{URDUPOINT_PAGE}")
    assert done.returncode == 0, done.stderr
    record = json.loads(done.stdout)
    assert {name: record[name] for name in ("outlet", "profile", "language", "published_at", "published_at_source",
                                             "published_at_zone", "category", "dateline_place", "dateline_agency",
                                             "dateline_date")} == {
        "outlet": "urdupoint", "profile": "urdupoint", "language": "en", "published_at": "2025-09-18T10:40:00+05:00",
        "published_at_source": "jsonld", "published_at_zone": "outlet", "category": "pakistan",
        "dateline_place": "Lahore", "dateline_agency": "APP", "dateline_date": "2025-09-18"}
    assert record["title"] == "Punjab Extends Relief Operations In Flood-Hit Districts"


def test_an_urdu_file_without_a_url_is_read_on_the_generic_path(tmp_path):
    done = extract(str(URLS_SITE / "akhbar" / "khabar-4521.html"))
    assert done.returncode == 0, done.stderr
    record = json.loads(done.stdout)
    assert (record["url"], record["outlet"], record["profile"], record["language"], record["published_at"]) == (
        (URLS_SITE / "akhbar" / "khabar-4521.html").as_uri(), "", None, "ur", "2024-05-13T18:45:00+05:00")


def test_pages_that_give_no_article_say_why_and_exit_1(urls_server):
    done = extract(f"{urls_server.url}/ledger/about/", f"{urls_server.url}/private/memo.html",
                   f"{urls_server.url}/ledger/2024/05/missing.html")
    assert done.returncode == 1
    assert json.loads(done.stdout) == [
        {"url": f"{urls_server.url}/ledger/about/", "fetched_url": f"{urls_server.url}/ledger/about/",
         "outlet": "127.0.0.1", "profile": None, "rejected": "not_article"},
        {"url": f"{urls_server.url}/private/memo.html",
         "error": f"robots.txt of {urls_server.url[7:]} forbids fetching {urls_server.url}/private/memo.html"},
        {"url": f"{urls_server.url}/ledger/2024/05/missing.html",
         "error": f"{urls_server.url}/ledger/2024/05/missing.html answered HTTP 404"},
    ]


@pytest.mark.parametrize(
    "arguments, error",
    [
        (["{dir}/absent.html"], "Error: cannot read {dir}/absent.html: No such file or directory"),
        (["{dir}/page.html", "{dir}/page.html", "--url", "https://example.com/a"], "Error: --url goes with one HTML file"),
        (["{dir}/page.html", "--url", "example.com/a"], "Error: not an http(s) URL: 'example.com/a'"),
        (["{dir}/page.html", "--outlet", "nosuch"], "Error: no outlet profile named 'nosuch' (profiles: app, brecorder, dawn, thenews, tribune, urdupoint)"),
    ],
    ids=["missing-file", "url-with-two-files", "bad-url", "unknown-outlet"],
)
def test_a_wrong_argument_is_one_line(tmp_path, arguments, error):
    (tmp_path / "page.html").write_text("<html><body><h1>x</h1></body></html>", encoding="utf-8")
    done = extract(*(argument.format(dir=tmp_path) for argument in arguments))
    assert done.returncode == 1
    assert done.stderr.strip().splitlines()[-1].startswith(error.format(dir=tmp_path))

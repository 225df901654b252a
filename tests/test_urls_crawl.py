"""``scrapy crawl urls``: a list of URLs over pages of made-up outlets (tests/urls_site/), served over
real HTTP on 127.0.0.1 and crawled in a subprocess into a real archive, then exported and re-extracted."""

import json
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from pipelines.extract import EXTRACTOR_VERSION
from tests.conftest import REPO, run_crawl
from tests.mirror.server import MirrorServer

URLS_SITE = REPO / "tests" / "urls_site"
FERRIES = "/ledger/2024/05/harbour-ferries.html"
OLD_FERRIES = "/ledger/old/harbour-ferries"  # 301 to FERRIES
LIBRARY = "/akhbar/khabar-4521.html"  # Urdu, declaring no language
MARKET = "/courier/news/market-day.html"  # French, lang="fr-FR"
MOVED = "/courier/moved.html"  # 302 to another port of 127.0.0.1
ABOUT = "/ledger/about/"  # not an article
MISSING = "/ledger/2024/05/missing.html"  # 404
MEMO = "/private/memo.html"  # forbidden by robots.txt


def url_list(base: str) -> str:
    return f"""# Reading list: comments, blank lines and repeats are fine
{base}{FERRIES}
{base}{FERRIES}?utm_source=newsletter   # the same page, with tracking
{base}{FERRIES}#comments
{base}{OLD_FERRIES}

{base}{LIBRARY}
{base}{MARKET}
{base}{MOVED}
{base}{ABOUT}
{base}{MISSING}
{base}{MEMO}
"""


def run_urls(base: str, db_path: Path, *arguments: str):
    return run_crawl(base, db_path, *arguments, spider="urls")


def rows(db_path: Path, sql: str) -> list[tuple]:
    with sqlite3.connect(db_path) as db:
        return db.execute(sql).fetchall()


@pytest.fixture(scope="module")
def urls_server():
    with MirrorServer(URLS_SITE) as server:
        yield server


@pytest.fixture(scope="module")
def list_crawl(urls_server, tmp_path_factory):
    """One crawl of the reading list, loopback allowed (the test server is on 127.0.0.1)."""
    work = tmp_path_factory.mktemp("urls")
    listing = work / "list.txt"
    listing.write_text(url_list(urls_server.url), encoding="utf-8")
    urls_server.clear_requests()
    crawl = run_urls(urls_server.url, work / "archive.db", "-a", f"urls={listing}", "-a", "allow_private=127.0.0.1",
                     "-a", f"report={work / 'report.json'}")
    return crawl, work, list(urls_server.requests)


def test_each_listed_page_is_fetched_once_and_archived(list_crawl, urls_server):
    crawl, work, requests = list_crawl
    assert crawl.returncode == 0, crawl.log[-3000:]
    assert (crawl.stat("urls/listed"), crawl.stat("urls/repeated"), crawl.stat("urls/archived")) == (8, 2, 4)
    fetched = [path for method, path, status in requests if method == "GET"]
    # The tracking and fragment forms are the listed page: it is fetched for its line, and once more
    # at the end of the old URL's redirect.
    assert fetched.count(FERRIES) == 2 and not [path for path in fetched if "utm_source" in path]
    assert fetched.count("/robots.txt") == 1
    articles = rows(work / "archive.db", "select url, outlet, language, published_at, published_at_utc from articles order by url")
    base = urls_server.url
    assert articles == [
        (f"{base}{LIBRARY}", "127.0.0.1", "ur", "2024-05-13T18:45:00+05:00", "2024-05-13T13:45:00+00:00"),
        (f"{base}{MARKET}", "127.0.0.1", "fr", "2024-05-14T08:00:00+02:00", "2024-05-14T06:00:00+00:00"),
        # No offset anywhere on the page: written naive, its UTC copy the same wall time.
        (f"{base}{FERRIES}", "127.0.0.1", "en", "2024-05-12T09:30:00", "2024-05-12T09:30:00+00:00"),
    ]
    assert crawl.stat("extract/published_at/naive") == 2  # the page, read for its line and for the old URL
    assert crawl.stat("extract/language/detected") == 1  # the Urdu page; the English one says en_GB in og:locale
    assert [path.name.split("-")[0] for path in (work / "warc").iterdir()] == ["urls"]
    assert rows(work / "archive.db", "select spider, finish_reason from crawl_runs") == [("urls", "finished")]
    assert [path.name for path in (work / "archive.db.httpcache").iterdir()] == ["urls"]  # robots.txt, beside the archive


def test_the_pages_not_archived_are_reported_with_their_reasons(list_crawl, urls_server):
    crawl, work, _ = list_crawl
    base = urls_server.url
    reasons = {
        f"{base}{MOVED}": "redirect_off_site",
        f"{base}{ABOUT}": "not_article",
        f"{base}{MISSING}": "http_404",
        f"{base}{MEMO}": "robots_txt",
    }
    report = json.loads((work / "report.json").read_text(encoding="utf-8"))
    assert report == {"listed": 8, "archived": 4, "not_archived": 4,
                      "reasons": {reason: 1 for reason in reasons.values()},
                      "urls": [{"url": url, "reason": reason} for url, reason in reasons.items()]}
    assert "URL list: 4 of 8 archived, 4 not archived" in crawl.log
    for url, reason in reasons.items():
        assert f"\n  {url}: {reason}\n" in crawl.log
    assert dict(rows(work / "archive.db", "select url, reason from rejected_urls")) == reasons
    assert crawl.stat("urls/not_archived") == 4


def test_a_redirect_within_the_site_is_followed_and_one_to_another_port_is_not(list_crawl, urls_server):
    crawl, _, requests = list_crawl
    assert crawl.stat("fetch/redirected") == 1
    assert crawl.stat("fetch/failed/redirect_off_site") == 1
    assert ("GET", MOVED, 302) in requests
    assert "Not following" in crawl.log and "127.0.0.1:9/courier/news/market-day.html" in crawl.log


def test_the_export_maps_every_listed_url_to_its_record(list_crawl, urls_server):
    _, work, _ = list_crawl
    out = work / "export.jsonl"
    subprocess.run([sys.executable, "-m", "scrapy", "export", "-o", str(out), "-s", f"ARCHIVE_DB={work / 'archive.db'}"],
                   cwd=REPO, check=True, capture_output=True)
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    by_url = {url: record["title"] for record in records for url in [record["url"], *record["other_urls"]]}
    base = urls_server.url
    assert by_url == {
        f"{base}{FERRIES}": "Winter ferries to run twice a day",
        f"{base}{OLD_FERRIES}": "Winter ferries to run twice a day",
        f"{base}{LIBRARY}": "لاہور میں نئی عوامی لائبریری کا افتتاح",
        f"{base}{MARKET}": "Le marché du port rouvre samedi",
    }


def test_reextract_judges_a_listed_page_again_under_its_own_outlet(list_crawl, urls_server, tmp_path):
    """A rejected page of a URL list is found in the WARC files named after the urls spider: when it is
    an article now, it is archived under the outlet the crawl would have given it, not "urls"."""
    _, work, _ = list_crawl
    db_path = tmp_path / "archive.db"
    shutil.copy(work / "archive.db", db_path)
    shutil.copytree(work / "warc", tmp_path / "warc")
    library = f"{urls_server.url}{LIBRARY}"
    with sqlite3.connect(db_path) as db:  # as an older extractor that judged the page not an article left it
        (article_id,) = db.execute("select id from articles where url = ?", [library]).fetchone()
        for table in ("article_urls", "neardup_bands"):
            db.execute(f"delete from {table} where article_id = ?", [article_id])
        db.execute("delete from articles where id = ?", [article_id])
        db.execute("insert into rejected_urls (url, reason, permanent, attempts, first_seen, last_seen, extractor_version)"
                   " values (?, 'not_article', 1, 1, '2024-05-13T00:00:00+00:00', '2024-05-13T00:00:00+00:00', ?)",
                   [library, EXTRACTOR_VERSION])
    done = subprocess.run([sys.executable, "-m", "scrapy", "reextract", "-s", f"ARCHIVE_DB={db_path}"],
                          cwd=REPO, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "2 rejected pages re-judged: 1 now articles" in done.stdout
    assert rows(db_path, f"select outlet, language from articles where url = '{library}'") == [("127.0.0.1", "ur")]


def test_a_loopback_address_is_refused_unless_allowed(urls_server, tmp_path):
    """By the address, by a name that resolves to it, and in IPv6."""
    by_name = urls_server.url.replace("127.0.0.1", "localhost")
    in_ipv6 = urls_server.url.replace("127.0.0.1", "[::1]")
    listing = tmp_path / "list.txt"
    listing.write_text(f"{urls_server.url}{MARKET}\n{by_name}{LIBRARY}\n{in_ipv6}{FERRIES}\n", encoding="utf-8")
    urls_server.clear_requests()
    crawl = run_urls(urls_server.url, tmp_path / "archive.db", "-a", f"urls={listing}")
    assert crawl.returncode == 1  # nothing listed was archived: the health check fails the run
    assert urls_server.requests == []  # not even robots.txt
    assert crawl.stat("fetch/failed/private_address") == 3
    assert crawl.stat("health/failed/urls_not_archived") == 1
    assert crawl.stat("health/failed/discovery") == 0
    assert "127.0.0.1 is a loopback address: not fetched unless listed in -a allow_private=127.0.0.1" in crawl.log
    assert "localhost (127.0.0.1) is a loopback address" in crawl.log or "localhost (::1) is a loopback address" in crawl.log
    assert "::1 is a loopback address: not fetched unless listed in -a allow_private=::1" in crawl.log
    assert rows(tmp_path / "archive.db", "select url, reason from rejected_urls order by url") == [
        (f"{urls_server.url}{MARKET}", "private_address"), (f"{in_ipv6}{FERRIES}", "private_address"),
        (f"{by_name}{LIBRARY}", "private_address")]


def test_a_run_whose_every_url_failed_exits_non_zero(urls_server, tmp_path):
    listing = tmp_path / "list.txt"
    listing.write_text(f"{urls_server.url}{MISSING}\n{urls_server.url}{ABOUT}\n", encoding="utf-8")
    crawl = run_urls(urls_server.url, tmp_path / "archive.db", "-a", f"urls={listing}", "-a", "allow_private=127.0.0.0/8")
    assert crawl.returncode == 1
    assert crawl.stat("health/failed/urls_not_archived") == 1
    assert "none of the 2 URLs listed was archived" in crawl.log


@pytest.mark.parametrize(
    "lines, arguments, error",
    [
        (None, ["urls={dir}/absent.txt"], "cannot read the URL list {dir}/absent.txt: No such file or directory"),
        ("# nothing yet\n\n", ["urls={list}"], "the URL list {list} holds no URL"),
        ("https://example.com/a.html\nexample.com/b.html\n", ["urls={list}"],
         "{list} line 2: not an http(s) URL: 'example.com/b.html'"),
        ("ftp://example.com/a.html\n", ["urls={list}"], "{list} line 1: not an http(s) URL: 'ftp://example.com/a.html'"),
        (None, [], "no URL to archive: give -a urls=FILE (one URL a line) or -a url=URL"),
        (None, ["url=https://example.com/a.html", "allow_private=10.0.0.5,not/valid"],
         "allow_private must list addresses, networks or host names, not 'not/valid'"),
        (None, ["url=https://example.com/a.html", "edition=en"], "unknown argument -a edition=..."),
    ],
    ids=["missing-file", "no-url", "malformed-line", "not-http", "no-argument", "bad-allow-list", "unknown-argument"],
)
def test_a_bad_argument_is_one_line_and_exit_status_2(tmp_path, lines, arguments, error):
    listing = tmp_path / "list.txt"
    if lines is not None:
        listing.write_text(lines, encoding="utf-8")
    options = [part for argument in arguments for part in ("-a", argument.format(dir=tmp_path, list=listing))]
    done = subprocess.run([sys.executable, "-m", "scrapy", "crawl", "urls", *options, "-s", f"ARCHIVE_DB={tmp_path / 'a.db'}"],
                          cwd=REPO, capture_output=True, text=True, timeout=60)
    assert done.returncode == 2
    assert done.stderr.strip().splitlines()[-1].startswith(f"Error: {error.format(dir=tmp_path, list=listing)}")
    assert not (tmp_path / "a.db").exists()


def test_every_page_that_waited_for_robots_txt_is_judged_by_it(tmp_path):
    """robots.txt slow to come: all the listed pages wait for it, and the forbidden one is still refused."""
    site = tmp_path / "site"
    shutil.copytree(URLS_SITE, site)
    routes = json.loads((site / "_routes.json").read_text(encoding="utf-8"))
    (site / "_routes.json").write_text(json.dumps({**routes, "slow": {"/robots.txt": 1}}), encoding="utf-8")
    with MirrorServer(site) as server:
        listing = tmp_path / "list.txt"
        listing.write_text("\n".join(f"{server.url}{path}" for path in (FERRIES, LIBRARY, MARKET, MEMO)), encoding="utf-8")
        crawl = run_urls(server.url, tmp_path / "archive.db", "-a", f"urls={listing}", "-a", "allow_private=127.0.0.1")
        fetched = [path for _, path, _ in server.requests]
    assert crawl.returncode == 0, crawl.log[-3000:]
    assert MEMO not in fetched and FERRIES in fetched
    assert dict(rows(tmp_path / "archive.db", "select url, reason from rejected_urls")) == {f"{server.url}{MEMO}": "robots_txt"}

"""The whole path as a user runs it: ``scrapy crawl urdupoint`` over HTTP from the mirror into a real archive.

Expected values come from the mirror's ground truth, ``tests/mirror/articles.json``,
which the pages were generated from; the seed article is also checked against the
values the user gave.
"""

import copy
import itertools
import json
import re
import subprocess
import sys
from datetime import date

import pytest

from pipelines.urls import canonicalize
from tests.conftest import CRAWL_TIMEOUT, REPO, SITE, crawl_command, run_crawl
from tests.crawl_probe import probe_settings
from tests.mirror.build import article_url, build_site, load_articles
from tests.mirror.server import MirrorServer

ARTICLES = load_articles()
ARTICLE_PAGE = re.compile(r"^/en/[a-z-]+/[^/]+-\d+\.html|^/daily/livenews/[\d-]+/news-\d+\.html")
FURNITURE = (
    "Related Topics",
    "Recent Stories",
    "More Stories From",
    "WhatsApp",
    "googletag",
    "adsbygoogle",
    "Advertisement",
    "Why is this news not on TV",
)


def row_of(archive, url: str) -> dict:
    rows = list(archive["articles"].rows_where("url = ?", [url]))
    assert len(rows) == 1, f"{url}: {len(rows)} rows"
    return rows[0]


def article_pages_requested(requests) -> list[str]:
    return [path for _, path, _ in requests if ARTICLE_PAGE.match(path)]


@pytest.mark.parametrize("expected", ARTICLES, ids=[a["slug"] for a in ARTICLES])
def test_every_article_is_archived_once_with_its_fields(archive, expected):
    row = row_of(archive, article_url(expected))
    dateline = expected["expected"] if expected["dateline"] else {}
    assert {
        "outlet": row["outlet"],
        "language": row["language"],
        "title": row["title"],
        "summary": row["summary"],
        "author": row["author"],
        "category": row["category"],
        "tags": json.loads(row["tags"]),
        "published_at": row["published_at"],
        "text": row["text"],
        "dateline_place": row["dateline_place"],
        "dateline_agency": row["dateline_agency"],
        "dateline_date": row["dateline_date"],
    } == {
        "outlet": "urdupoint",
        "language": "en",
        "title": expected["title"],
        "summary": expected["summary"],
        "author": expected["author"],
        "category": expected["category"],
        "tags": expected["tags"],
        "published_at": expected["published_at"],
        "text": "\n\n".join(expected["paragraphs"]),
        "dateline_place": dateline.get("dateline_place"),
        "dateline_agency": dateline.get("dateline_agency"),
        "dateline_date": dateline.get("dateline_date"),
    }


def test_the_users_example_article(archive, manifest):
    row = row_of(archive, manifest["seed"])
    assert row["title"] == "Blinken Presses Russia's Lavrov Over Ukraine On G20 Sidelines"
    assert row["published_at"] == "2023-03-02T17:20:00+05:00"
    assert row["published_at_utc"] == "2023-03-02T12:20:00+00:00"
    assert row["dateline"] == "New Delhi, March 2 (UrduPoint / Pakistan Point News - 2nd Mar, 2023 )"
    assert (row["dateline_place"], row["dateline_agency"], row["dateline_date"]) == ("New Delhi", None, "2023-03-02")
    assert row["text"].startswith("The United States and Russia met to air their differences")
    assert row["text"].endswith("the latter stormed out according to Western officials.")
    assert row["text"].count("\n\n") == 10  # eleven paragraphs


def test_only_articles_are_archived_and_each_once(archive, manifest):
    assert sorted(row["url"] for row in archive["articles"].rows) == sorted(manifest["articles"])


def test_no_page_furniture_in_any_body(archive):
    for row in archive["articles"].rows:
        for furniture in FURNITURE:
            assert furniture not in row["text"], f"{furniture!r} in {row['url']}"
        assert "UrduPoint / Pakistan Point News" not in row["text"] or not row["dateline"]


def test_every_url_that_led_to_an_article_leads_to_its_record(archive, manifest):
    article_of = {row["url"]: row["article_id"] for row in archive["article_urls"].rows}
    id_of = {row["url"]: row["id"] for row in archive["articles"].rows}
    assert all(article_of[url] == id_of[url] for url in id_of)
    for alias, primary in manifest["aliases"].items():
        assert article_of[canonicalize(alias)] == id_of[primary], alias


def test_pages_that_are_not_articles_are_recorded_with_their_reason(archive, manifest, mirror_crawl):
    special = manifest["special_pages"]
    rejected = {row["url"]: row for row in archive["rejected_urls"].rows}
    assert {url: (rejected[url]["reason"], rejected[url]["permanent"]) for url in (
        special["challenge"], special["gallery"], special["empty_body"], special["missing"], special["private"]
    )} == {
        special["challenge"]: ("challenge", 0),
        special["gallery"]: ("not_article", 1),
        special["empty_body"]: ("empty_body", 0),
        special["missing"]: ("http_404", 1),
        special["private"]: ("robots_txt", 0),
    }
    requested = [path for _, path, _ in mirror_crawl[2]]
    assert not any(path.startswith("/en/private/") for path in requested), "robots.txt was not obeyed"


def test_a_page_in_a_legacy_encoding_is_read_correctly(archive, manifest):
    text = row_of(archive, manifest["legacy_encoding"])["text"]
    expected = next(a for a in ARTICLES if article_url(a) == manifest["legacy_encoding"])
    assert text == "\n\n".join(expected["paragraphs"])
    assert "\ufffd" not in text and any(ord(ch) > 127 for ch in text)


def test_crawl_stats_say_what_happened(mirror_crawl, manifest):
    crawl = mirror_crawl[0]
    assert {
        name: crawl.stat(name)
        for name in (
            "archive/new",
            "archive/unchanged",
            "fetch/failed/http_404",
            "fetch/failed/challenge",
            "fetch/failed/robots_txt",
            "extract/rejected/not_article",
            "extract/rejected/empty_body",
            "dateline/missing",
        )
    } == {
        "archive/new": len(manifest["articles"]),
        "archive/unchanged": 2,  # the second-category copy (canonical link) and the old URL that redirects
        "fetch/failed/http_404": 1,
        "fetch/failed/challenge": 1,
        "fetch/failed/robots_txt": 1,
        "extract/rejected/not_article": 1,
        "extract/rejected/empty_body": 1,
        "dateline/missing": sum(1 for a in ARTICLES if not a["dateline"]),
    }
    assert crawl.stat("challenge/detected") == 3  # the first answer and two polite retries
    assert 1 <= crawl.stat("archive/commits") < crawl.stat("archive/new")  # writes gathered, not committed one by one
    assert crawl.stats["finish_reason"] == "finished"


def test_a_crawl_opens_no_console_that_runs_code(mirror_crawl):
    """Scrapy's telnet console and remote-control server would let a local process run code in the crawl."""
    log = mirror_crawl[0].log
    enabled = log[log.index("Enabled extensions:"):log.index("Enabled downloader middlewares:")]
    assert "crawler.extensions.RunHistory" in enabled
    assert "TelnetConsole" not in enabled and "RemoteControl" not in enabled
    assert "Telnet console listening" not in log and "Remote control HTTP server" not in log


def test_a_crawl_does_not_import_the_remote_control(tmp_path):
    """Scrapy imports every extension it lists, even one turned off: the project lists no remote control,
    whose aiohttp took a tenth of a second of each start."""
    probe = tmp_path / "probe.json"
    with MirrorServer(SITE) as mirror:
        crawl = run_crawl(mirror.url, tmp_path / "archive.db", settings=probe_settings(probe, first=False))
    assert crawl.returncode == 0 and crawl.stats["archive/new"] > 0
    modules = json.loads(probe.read_text())["modules"]
    assert "scrapy.extensions.telnet" in modules  # the probe, made last, came after Scrapy's own extensions
    assert "scrapy.extensions.remote_control" not in modules and "aiohttp" not in modules


def test_full_text_search_finds_articles(archive, manifest):
    from crawler import queries

    sql, params = queries.select("a.url", queries.Filters(search="Lavrov"), queries.BEST_MATCH)
    assert [url for (url,) in archive.execute(sql, params)] == [manifest["seed"]]


def test_a_second_run_fetches_nothing_and_a_new_article_is_archived_by_the_next(site_copy, tmp_path, manifest):
    """As a schedule runs ``scrapy crawl urdupoint``: both editions."""
    db_path = tmp_path / "archive.db"
    with MirrorServer(site_copy) as server:
        first = run_crawl(server.url, db_path)
        assert first.returncode == 0, first.log[-3000:]

        server.clear_requests()
        second = run_crawl(server.url, db_path)
        assert second.returncode == 0, second.log[-3000:]
        assert article_pages_requested(server.requests) == []
        # Feeds and listings are asked for conditionally: unchanged, they cost a 304 without a body.
        assert ("GET", "/en/sitemap/news.rss", 304) in server.requests
        assert ("GET", "/en/news/pakistan.html", 304) in server.requests
        assert second.stat("httpcache/revalidate") >= 2
        assert second.stat("archive/new") == 0
        assert second.stat("archive/skipped_archived") >= len(ARTICLES) // 2
        assert second.stat("archive/skipped_rejected") >= 2  # the 404 and the empty page (tried later)

        newest = max(ARTICLES, key=lambda a: a["id"])
        added = copy.deepcopy(newest) | {
            "id": newest["id"] + 100,
            "title": "Senate Passes Bill To Set Up Climate Adaptation Fund For Provinces",
            "slug": "senate-passes-bill-to-set-up-climate-adaptati",
            "summary": "The Senate on Thursday passed a bill to set up a fund for climate adaptation projects",
            "paragraphs": [
                "The Senate on Thursday passed a bill to set up a fund for climate adaptation projects in the "
                "provinces, with an initial allocation of Rs10 billion.",
                "The bill, moved by the Minister for Climate Change, was passed by a majority vote after a debate "
                "in which members from all parties called for the money to reach the most vulnerable districts.",
            ],
            "published_at": "2025-09-18T23:50:00+05:00",
        }
        build_site([*ARTICLES, added], site_copy)
        server.clear_requests()
        third = run_crawl(server.url, db_path)
        assert third.returncode == 0, third.log[-3000:]
        assert article_pages_requested(server.requests) == [
            "/en/" + added["category"] + "/" + added["slug"] + f"-{added['id']}.html"
        ]
    assert third.stat("archive/new") == 1
    from sqlite_utils import Database

    archive = Database(db_path)
    assert archive["articles"].count == len(manifest["articles"]) + len(manifest["urdu"]["rss_articles"]) + 1
    assert row_of(archive, article_url(added))["text"] == "\n\n".join(added["paragraphs"])


def test_backfill_walks_the_daily_sitemaps_of_a_date_range(mirror, tmp_path, manifest):
    db_path = tmp_path / "archive.db"
    mirror.clear_requests()
    crawl = run_crawl(mirror.url, db_path, "-a", "edition=en", "-a", "since=2023-03-01", "-a", "until=2023-03-03")
    assert crawl.returncode == 0, crawl.log[-3000:]
    from sqlite_utils import Database

    archived = sorted(row["url"] for row in Database(db_path)["articles"].rows)
    on_those_days = sorted(
        article_url(a) for a in ARTICLES if date(2023, 3, 1) <= date.fromisoformat(a["published_at"][:10]) <= date(2023, 3, 3)
    )
    assert archived == on_those_days
    assert crawl.stat("sitemap/days_read") == 1  # 2023-03-02
    assert crawl.stat("sitemap/failed/corrupt") == 1  # 2023-03-03
    assert crawl.stat("sitemap/failed/http_404") == 1  # 2023-03-01: no sitemap
    assert (crawl.stat("backfill/days"), crawl.stat("backfill/days_failed")) == (3, 2)
    on_0302 = sum(1 for a in ARTICLES if a["published_at"].startswith("2023-03-02"))
    assert re.search(r"2023-03-01: no sitemap read \(http_404\)\n\s+2023-03-02: \d+ URLs, "
                     rf"{on_0302} articles, {on_0302} not yet archived\n\s+2023-03-03: sitemap corrupt", crawl.log)
    assert not any(path.startswith("/en/news/") or path.endswith(".rss") for _, path, _ in mirror.requests)


@pytest.mark.parametrize(
    "args, message",
    [
        (["-a", "since=2023-13-45"], "since/until must be dates written YYYY-MM-DD (month must be in 1..12)"),
        (["-a", "since=2023-03-05", "-a", "until=2023-03-01"], "since (2023-03-05) is after until (2023-03-01)"),
        (["-a", "until=2023-03-01"], "-a until=... needs -a since=YYYY-MM-DD as well"),
        (["-a", "days=2023-03-02,yesterday"],
         "days must be dates written YYYY-MM-DD, separated by commas (Invalid isoformat string: 'yesterday')"),
        (["-a", "days=2023-03-02", "-a", "since=2023-03-01"], "-a days=... does not go with -a since/until"),
        (["-a", "edition=fr"], "edition must be one of en, ur, all, not 'fr'"),
        (["-a", "revisit_days=week"], "revisit_days must be a whole number of days, not 'week'"),
        (["-a", "retry_rejected=not article"], "retry_rejected must name rejection reasons such as not_article, "
                                               "not 'not article'"),
        (["-a", "editon=ur"], "unknown argument -a editon=... (arguments: edition, since, until, days, revisit_days, "
                              "retry_rejected)"),
    ],
    ids=["impossible-date", "reversed-range", "until-alone", "bad-day", "days-and-range", "unknown-edition",
         "revisit-days-not-a-number", "reason-not-a-slug", "misspelt-argument"],
)
def test_a_bad_spider_argument_fails_in_one_line_before_anything_starts(tmp_path, args, message):
    db_path = tmp_path / "archive.db"
    done = subprocess.run(crawl_command(args, {"ARCHIVE_DB": str(db_path)}), cwd=REPO, capture_output=True, text=True,
                          timeout=CRAWL_TIMEOUT)
    assert (done.returncode, done.stderr.splitlines(), done.stdout) == (2, [f"Error: {message}"], "")
    assert not db_path.exists() and not list(tmp_path.iterdir())  # no archive, lock, cache or WARC file


def test_crawl_help_lists_each_spiders_arguments():
    from crawler.spiders.outlet import SPIDER_ARGUMENTS

    done = subprocess.run([sys.executable, "-m", "scrapy", "crawl", "-h"], cwd=REPO, capture_output=True, text=True,
                          timeout=CRAWL_TIMEOUT)
    assert done.returncode == 0, done.stderr
    from crawler.spiders.urls import UrlsSpider

    listed = done.stdout.split("Spider arguments (-a NAME=VALUE)\n", 1)[1].splitlines()[1:]
    start = listed.index("  urdupoint:")
    ends = [n for n, line in enumerate(listed) if n > start and not line.startswith("    ")]
    rows = [line.split(None, 2) for line in listed[start + 1:(ends or [None])[0]]]  # a line each: -a NAME=VALUE  meaning
    values = {**{name: value for name, (value, _) in SPIDER_ARGUMENTS.items()}, "edition": "en|ur|all"}
    assert rows == [["-a", f"{name}={values[name]}", meaning] for name, (_, meaning) in SPIDER_ARGUMENTS.items()]
    assert [row[1].split("=")[0] for row in rows] == ["edition", "since", "until", "days", "revisit_days", "retry_rejected"]
    dawns = next(n for n, line in enumerate(listed) if not line.startswith("    ") and "dawn" in line)
    dawn_rows = list(itertools.takewhile(lambda line: line.startswith("    "), listed[dawns + 1:]))
    assert [row.split()[1].split("=")[0] for row in dawn_rows] == ["edition", "revisit_days", "retry_rejected"]
    urls = listed.index("  urls:")
    urls_rows = [line.split(None, 2) for line in itertools.takewhile(lambda line: line.startswith("    "), listed[urls + 1:])]
    assert urls_rows == [["-a", f"{name}={value}", meaning] for name, (value, meaning) in UrlsSpider.arguments.items()]
    assert [row[1].split("=")[0] for row in urls_rows] == ["urls", "url", "allow_private", "report"]


def test_pages_over_the_size_cap_are_refused_not_half_stored(mirror, tmp_path):
    cap = 15_000
    db_path = tmp_path / "archive.db"
    crawl = run_crawl(mirror.url, db_path, "-a", "edition=en", settings={"DOWNLOAD_MAXSIZE": str(cap)})
    assert crawl.returncode == 0, crawl.log[-3000:]
    from sqlite_utils import Database

    from tests.conftest import SITE

    archive = Database(db_path)
    size_of = {article_url(a): (SITE / article_url(a).split("/", 3)[3]).stat().st_size for a in ARTICLES}
    too_large = {row["url"] for row in archive["rejected_urls"].rows_where("reason = 'too_large'")}
    archived = {row["url"] for row in archive["articles"].rows}
    assert too_large and all(size_of.get(url, cap + 1) > cap for url in too_large)
    assert all(size_of[url] <= cap for url in archived)
    assert crawl.stat("fetch/failed/too_large") == len(too_large)


@pytest.mark.parametrize(
    "days, expected",
    [("2024-06-01,2023-03-02", [date(2023, 3, 2), date(2024, 6, 1)]), ("2023-03-02, 2023-03-02,", [date(2023, 3, 2)])],
    ids=["sorted", "repeats-and-spaces"],
)
def test_a_backfill_can_name_its_days(days, expected):
    from crawler.spiders.outlet import backfill_days

    assert backfill_days(None, None, days) == expected


def test_named_days_are_backfilled_and_reported(mirror, tmp_path, manifest):
    crawl = run_crawl(mirror.url, tmp_path / "archive.db", "-a", "days=2023-03-03,2023-03-02")
    assert crawl.returncode == 0, crawl.log[-3000:]
    assert (crawl.stat("backfill/days"), crawl.stat("backfill/days_failed")) == (2, 1)
    from sqlite_utils import Database

    archived = {row["url"] for row in Database(tmp_path / "archive.db")["articles"].rows}
    assert archived == {article_url(a) for a in ARTICLES if a["published_at"].startswith("2023-03-02")}


def test_a_backfill_without_until_runs_to_today_in_pakistan():
    from datetime import datetime

    from crawler.outlets.urdupoint import URDUPOINT
    from crawler.spiders.outlet import RunArguments

    days = RunArguments.of({"since": "2026-01-01"}, URDUPOINT).backfill
    assert days[0] == date(2026, 1, 1)
    assert days[-1] == datetime.now(URDUPOINT.timezone).date()
    assert len(days) == len(set(days)) == (days[-1] - days[0]).days + 1


def test_the_settings_named_after_urdupoint_still_work_with_a_deprecation_warning(mirror, tmp_path):
    former = {"OUTLET_BASE_URL": "", "URDUPOINT_BASE_URL": mirror.url, "URDUPOINT_CATEGORIES": "health",
              "URDUPOINT_MAX_LISTING_PAGES": "1"}
    crawl = run_crawl(mirror.url, tmp_path / "archive.db", "-a", "edition=en", settings=former)
    assert crawl.returncode == 0, crawl.log[-3000:]
    for old, new in [("URDUPOINT_BASE_URL", "OUTLET_BASE_URL"), ("URDUPOINT_CATEGORIES", "OUTLET_SECTIONS"),
                     ("URDUPOINT_MAX_LISTING_PAGES", "OUTLET_MAX_LISTING_PAGES")]:
        assert f"The {old} setting is deprecated: use {new}" in crawl.log
    assert crawl.stat("discovery/listing/pages") == 1  # the health listing's first page only
    assert crawl.stat("item_scraped_count") > 0  # from the mirror, the address the former setting named

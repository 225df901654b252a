"""The Urdu edition crawled as a user crawls it: ``scrapy crawl urdupoint`` (both editions) over the
mirror (the feeds and listings), then backfills of the older Urdu days from the daily sitemaps.

Expected values come from ``tests/mirror/urdu_articles.json``. Search runs as ``scrapy search`` and
``scrapy export`` run, in subprocesses, on the archive the crawls wrote.
"""

import csv
import io
import json
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import pytest
from sqlite_utils import Database

from crawler import queries
from pipelines.dates import in_utc
from tests.conftest import Crawl, run_crawl
from tests.mirror.build import load_urdu_articles, urdu_url
from tests.samples import scrapy, scrapy_all

URDU = load_urdu_articles()
BY_ID = {a["id"]: a for a in URDU}
OLDER_DAYS = [("2015-02-13", "2015-02-15"), ("2023-11-22", "2023-11-22")]  # not in the feed: sitemaps only
COMPARED = ("language", "title", "summary", "text", "author", "category", "tags", "published_at",
            "published_at_utc", "dateline", "dateline_place", "dateline_agency", "dateline_date", "content_hash")


@dataclass
class UrduCrawls:
    latest: Crawl
    backfills: list[Crawl]
    requests: list
    db_path: Path

    @property
    def archive(self) -> Database:
        return Database(self.db_path)


@pytest.fixture(scope="session")
def urdu_crawls(mirror, tmp_path_factory) -> UrduCrawls:
    db_path = tmp_path_factory.mktemp("urdu") / "archive.db"
    mirror.clear_requests()
    latest = run_crawl(mirror.url, db_path)  # no -a edition: both editions
    assert latest.returncode == 0, latest.log[-3000:]
    requests = list(mirror.requests)
    backfills = []
    for since, until in OLDER_DAYS:
        backfills.append(run_crawl(mirror.url, db_path, "-a", "edition=ur", "-a", f"since={since}", "-a", f"until={until}"))
        assert backfills[-1].returncode == 0, backfills[-1].log[-3000:]
    return UrduCrawls(latest, backfills, requests, db_path)


def row_of(archive: Database, url: str) -> dict:
    rows = list(archive["articles"].rows_where("url = ?", [url]))
    assert len(rows) == 1, f"{url}: {len(rows)} rows"
    return rows[0]


@pytest.mark.parametrize("expected", URDU, ids=[str(a["id"]) for a in URDU])
def test_every_urdu_article_is_archived_once_with_its_fields(urdu_crawls, expected):
    row = row_of(urdu_crawls.archive, urdu_url(expected))
    dateline = expected["expected"] or dict.fromkeys(("dateline", "dateline_place", "dateline_agency", "dateline_date"))
    assert {name: row[name] for name in (*COMPARED[:-1], "outlet")} | {"tags": json.loads(row["tags"])} == {
        "outlet": "urdupoint",
        "language": "ur",
        "title": expected["title"],
        "summary": expected["summary"],
        "text": "\n\n".join(expected["paragraphs"]),
        "author": None,
        "category": None,
        "tags": expected["tags"],
        "published_at": expected["published_at"],
        "published_at_utc": in_utc(datetime.fromisoformat(expected["published_at"])),
        **dateline,
    }


def test_the_feed_finds_the_newest_and_the_sitemaps_the_older_ones(urdu_crawls, manifest):
    latest, (days_2015, day_2023) = urdu_crawls.latest, urdu_crawls.backfills
    urdu = manifest["urdu"]
    assert latest.stat("archive/new") == len(manifest["articles"]) + len(urdu["rss_articles"])
    assert (days_2015.stat("archive/new"), day_2023.stat("archive/new")) == (3, 3)
    assert day_2023.stat("archive/skipped_archived") == 1  # the evening story was in the feed
    assert ("GET", "/daily/livenews/rss.xml", 200) in urdu_crawls.requests
    archived = sorted(row["url"] for row in urdu_crawls.archive["articles"].rows_where("language = 'ur'"))
    assert archived == sorted(urdu["articles"]) == sorted(urdu["rss_articles"] + urdu["sitemap_only"])


def test_old_host_links_are_archived_under_todays_public_url(urdu_crawls, manifest):
    urls = {row["url"] for row in urdu_crawls.archive["article_urls"].rows}
    assert set(manifest["urdu"]["old_host_links"].values()) <= urls
    assert not any("daily.urdupoint.com" in url for url in urls)


def test_the_english_edition_is_archived_as_an_english_crawl_archives_it(urdu_crawls, archive, manifest):
    both = {row["url"]: row for row in urdu_crawls.archive["articles"].rows_where("language = 'en'")}
    english_only = {row["url"]: row for row in archive["articles"].rows}
    assert sorted(both) == sorted(english_only) == sorted(manifest["articles"])
    for url, row in english_only.items():
        assert {name: both[url][name] for name in COMPARED} == {name: row[name] for name in COMPARED}, url
    assert not list(archive["articles"].rows_where("language != 'en'"))  # -a edition=en: English only


def test_an_urdu_only_run_fetches_no_english_page(mirror, tmp_path, manifest):
    mirror.clear_requests()
    crawl = run_crawl(mirror.url, tmp_path / "archive.db", "-a", "edition=ur")
    assert crawl.returncode == 0, crawl.log[-3000:]
    paths = [path for _, path, _ in mirror.requests]
    assert not [path for path in paths if not path.startswith("/daily/") and path != "/robots.txt"]
    archived = sorted(row["url"] for row in Database(tmp_path / "archive.db")["articles"].rows)
    assert archived == manifest["urdu"]["rss_articles"]


# --- search and export over what was crawled ----------------------------------------------

# (typed, the Urdu article it must find, the words its snippet must show as the page wrote them)
URDU_SEARCHES = [
    ("كها", 4381542, "[كها]"),  # Arabic letters typed, Arabic letters in the text
    ("کہا کہ دھابیجی", 4381542, "[كها] [كه]"),  # Urdu letters typed, Arabic letters in the text
    ("وزیراعلی", 3882954, "[وزیراعلیٰ]"),  # without the khari zabar
    ("موقف", 3882790, "[مؤقف]"),  # without the hamza
    ("لیے مشینری", 3882954, "[لئے] نئی [مشینری]"),  # the other spelling of "for"
    ("گئے شاہراہیں", 4051133, "[گۓ]"),  # the composed yeh barree with hamza
    ('"ڈیٹ شیٹ"', 4219733, "[ڈیٹ\u200cشیٹ]"),  # a phrase across the zero-width non-joiner
    ("۶۵ لاکھ", 3761388, "[۶۵] [لاکھ]"),  # Urdu digits typed and written
    ("65 لاکھ", 3761388, "[۶۵] [لاکھ]"),  # ASCII digits typed
    ("پاکـستان اسٹاک", 3761702, "[پاکستان] [اسٹاک]"),  # tatweel typed
]


@pytest.fixture(scope="module")
def searches(urdu_crawls) -> dict:
    cases = {typed: ["search", "--json", "--limit", "50", "--", typed] for typed, _, _ in URDU_SEARCHES}
    cases |= {"en:Lavrov": ["search", "--json", "Lavrov"], "en:wheat": ["search", "--json", "--limit", "50", "wheat"]}
    return scrapy_all(urdu_crawls.db_path, cases)


@pytest.mark.parametrize("typed, article, shown", URDU_SEARCHES, ids=[s[0] for s in URDU_SEARCHES])
def test_urdu_typed_either_way_finds_the_article_and_shows_its_own_words(searches, typed, article, shown):
    result = searches[typed]
    assert result.returncode == 0 and result.stderr == "", result.stderr
    by_url = {hit["url"]: hit for hit in json.loads(result.stdout)}
    hit = by_url[urdu_url(BY_ID[article])]
    assert shown in hit["snippet"]


def test_english_search_results_are_unchanged(searches, archive, manifest):
    lavrov = json.loads(searches["en:Lavrov"].stdout)
    assert [hit["url"] for hit in lavrov] == [manifest["seed"]]
    assert "[Lavrov]" in lavrov[0]["snippet"]
    wheat = [hit["url"] for hit in json.loads(searches["en:wheat"].stdout)]
    sql, params = queries.select("a.url", queries.Filters(search="wheat"), queries.BEST_MATCH)
    assert wheat == [url for (url,) in archive.execute(sql, params)]


def test_an_urdu_csv_export_opens_in_a_spreadsheet(urdu_crawls, tmp_path):
    """UTF-8 with a byte-order mark: what Excel needs to read Urdu rather than mojibake."""
    out = tmp_path / "urdu.csv"
    result = scrapy(urdu_crawls.db_path, "export", "-o", str(out), "--bom", "--search", "موقف",
                    "--columns", "url,language,title,dateline_place,dateline_agency,text")
    assert result.returncode == 0, result.stderr
    data = out.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    expected = BY_ID[3882790]
    assert rows == [{
        "url": urdu_url(expected),
        "language": "ur",
        "title": expected["title"],
        "dateline_place": "اسلام آباد",
        "dateline_agency": "",
        "text": "\n\n".join(expected["paragraphs"]),
    }]

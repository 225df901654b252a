"""The mirror itself: its ground truth, its generator and its HTTP server."""

import gzip
import http.client
import json
import re
import zlib
from collections import Counter
from datetime import datetime
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from tests.mirror.build import (
    PUBLIC_BASE,
    SITE_DIR,
    article_path,
    article_url,
    build_manifest,
    build_site,
    lead_paragraph,
    listing_path,
    load_articles,
    slugify,
)
from tests.mirror.server import MirrorServer

MANIFEST = Path(__file__).resolve().parent / "mirror" / "manifest.json"
ARTICLES = load_articles()
BY_ID = {a["id"]: a for a in ARTICLES}


def path_of(url: str) -> str:
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def fetch(server: MirrorServer, path: str, method: str = "GET"):
    """(status, headers, body) without following redirects."""
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
    try:
        conn.request(method, path)
        response = conn.getresponse()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
    finally:
        conn.close()


@pytest.fixture(scope="module")
def mirror_server():
    with MirrorServer(SITE_DIR) as server:
        yield server


@pytest.fixture(scope="module")
def manifest_data() -> dict:
    return json.loads(MANIFEST.read_text(encoding="utf-8"))


# ---------------------------------------------------------------- the generator

def tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_committed_site_equals_a_fresh_build(tmp_path):
    build_site(load_articles(), tmp_path)
    committed, fresh = tree(SITE_DIR), tree(tmp_path)
    assert sorted(committed) == sorted(fresh)
    assert [p for p in fresh if committed[p] != fresh[p]] == []


def test_committed_manifest_equals_a_fresh_one(manifest_data):
    assert manifest_data == build_manifest(load_articles())
    assert json.loads((SITE_DIR / "_manifest.json").read_text(encoding="utf-8")) == manifest_data


def test_build_is_repeatable_and_removes_stale_files(tmp_path):
    (tmp_path / "stale.html").write_text("old")
    build_site(ARTICLES, tmp_path)
    first = tree(tmp_path)
    build_site(ARTICLES, tmp_path)
    assert tree(tmp_path) == first
    assert "stale.html" not in first


def test_build_without_extras_has_only_the_plain_site(tmp_path):
    build_site(ARTICLES, tmp_path, extras=False)
    files = tree(tmp_path)
    assert json.loads(files["_routes.json"]) == {"content_types": {}, "headers": {}, "redirects": {}, "status": {}}
    assert "_challenge.html" not in files
    assert not any(p.startswith("en/private/") for p in files)
    assert {article_path(a)[1:] for a in ARTICLES} <= set(files)
    manifest = json.loads(files["_manifest.json"])
    assert manifest["aliases"] == {} and manifest["corrupt_sitemap_days"] == []
    assert manifest["legacy_encoding"] is None


# ---------------------------------------------------------------- the server

def test_serves_an_article(mirror_server, manifest_data):
    seed = BY_ID[[a["id"] for a in ARTICLES if article_url(a) == manifest_data["seed"]][0]]
    status, headers, body = fetch(mirror_server, article_path(seed))
    assert status == 200
    assert headers["content-type"] == "text/html; charset=utf-8"
    html = body.decode("utf-8")
    assert "<title>Blinken Presses Russia's Lavrov Over Ukraine On G20 Sidelines - UrduPoint</title>" in html
    assert f"<p>{lead_paragraph(seed)}</p>" in html


def test_query_string_is_ignored_for_lookup(mirror_server):
    path = article_path(ARTICLES[0])
    assert fetch(mirror_server, path + "?utm_source=x&utm_medium=y")[2] == fetch(mirror_server, path)[2]


def test_serves_a_gzipped_day_sitemap_as_a_file(mirror_server, manifest_data):
    day = manifest_data["sitemap_days"][0]
    status, headers, body = fetch(mirror_server, f"/sitemap/daily/data/{day[:4]}/{day}.xml.gz")
    assert status == 200
    assert headers["content-type"] == "application/x-gzip"
    assert "content-encoding" not in headers
    assert "<loc>" in gzip.decompress(body).decode("utf-8")


def test_corrupt_sitemap_is_served_but_does_not_gunzip(mirror_server, manifest_data):
    day = manifest_data["corrupt_sitemap_days"][0]
    status, _, body = fetch(mirror_server, f"/sitemap/daily/data/{day[:4]}/{day}.xml.gz")
    assert status == 200 and body[:2] == b"\x1f\x8b"
    with pytest.raises((EOFError, OSError, zlib.error)):
        gzip.decompress(body)


def test_redirect(mirror_server, manifest_data):
    old = manifest_data["special_pages"]["redirect"]
    status, headers, _ = fetch(mirror_server, path_of(old))
    assert status == 301
    assert headers["location"] == path_of(manifest_data["aliases"][old])


def test_challenge_page(mirror_server, manifest_data):
    status, headers, body = fetch(mirror_server, path_of(manifest_data["special_pages"]["challenge"]))
    assert status == 503
    assert headers["cf-mitigated"] == "challenge" and headers["server"] == "cloudflare"
    html = body.decode("utf-8")
    for marker in ("<title>Just a moment...</title>", "challenge-platform", "cf-browser-verification",
                   "Checking if the site connection is secure", "Enable JavaScript and cookies to continue"):
        assert marker in html


def test_unknown_paths_and_private_files_are_404(mirror_server):
    for path in ("/en/world/no-such-story-1.html", "/_routes.json", "/_challenge.html", "/_manifest.json",
                 "/en/../_routes.json", "/daily/livenews/2023-03-02/news-3456789.html"):
        status, headers, body = fetch(mirror_server, path)
        assert status == 404, path
        assert headers["content-type"].startswith("text/html") and b"Not Found" in body


def test_content_types(mirror_server, manifest_data):
    assert fetch(mirror_server, "/robots.txt")[1]["content-type"].startswith("text/plain")
    assert fetch(mirror_server, "/en/sitemap/news.rss")[1]["content-type"].startswith("application/rss+xml")
    status, headers, body = fetch(mirror_server, path_of(manifest_data["legacy_encoding"]))
    assert status == 200 and headers["content-type"] == "text/html"
    assert b'charset=windows-1252' in body and "Renée Müller".encode("cp1252") in body
    with pytest.raises(UnicodeDecodeError):
        body.decode("utf-8")


def test_head_and_directory_index(mirror_server):
    status, headers, body = fetch(mirror_server, "/en/", method="HEAD")
    assert status == 200 and body == b"" and int(headers["content-length"]) > 0
    assert fetch(mirror_server, "/en")[:2][0] == 301


def test_records_requests(mirror_server):
    mirror_server.clear_requests()
    fetch(mirror_server, "/robots.txt")
    fetch(mirror_server, "/en/nothing.html?x=1")
    fetch(mirror_server, "/en/", method="HEAD")
    assert mirror_server.requests == [
        ("GET", "/robots.txt", 200),
        ("GET", "/en/nothing.html?x=1", 404),
        ("HEAD", "/en/", 200),
    ]
    mirror_server.clear_requests()
    assert mirror_server.requests == []


def test_every_manifest_url_answers_as_documented(mirror_server, manifest_data):
    for url in manifest_data["articles"]:
        assert fetch(mirror_server, path_of(url))[0] == 200, url
    for alias, primary in manifest_data["aliases"].items():
        status, headers, body = fetch(mirror_server, path_of(alias))
        if status == 301:
            assert headers["location"] == path_of(primary)
        else:
            assert status == 200 and body == fetch(mirror_server, path_of(primary))[2]
            assert f'<link rel="canonical" href="{primary}">' in body.decode("utf-8")
    special = manifest_data["special_pages"]
    expected = {"gallery": 200, "challenge": 503, "missing": 404, "empty_body": 200, "private": 200,
                "urdu_in_sitemap": 404}
    for kind, status in expected.items():
        assert fetch(mirror_server, path_of(special[kind]))[0] == status, kind
    for url in manifest_data["not_articles"]:
        assert url not in manifest_data["articles"]


# ---------------------------------------------------------------- the ground truth

FIELDS = {"id", "category", "slug", "title", "summary", "author", "author_handle", "published_at", "tags",
          "dateline", "expected", "paragraphs", "template"}


def body_length(a: dict) -> int:
    return len(" ".join([lead_paragraph(a), *a["paragraphs"][1:]]))


def test_article_records_are_complete():
    assert len(ARTICLES) >= 44
    assert len({a["category"] for a in ARTICLES}) >= 5
    for a in ARTICLES:
        assert set(a) == FIELDS, a["id"]
        assert a["template"] in {"current", "older", "dateonly", "legacy"}
        assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:00\+05:00", a["published_at"]), a["id"]
        assert a["title"] and a["summary"] and a["author"] and a["tags"]
        assert (a["dateline"] is None) == (a["expected"] is None), a["id"]
        if a["dateline"]:
            assert not a["paragraphs"][0].startswith(a["dateline"][:10]), a["id"]


def test_ids_urls_and_slugs():
    assert len({a["id"] for a in ARTICLES}) == len(ARTICLES)
    assert len({article_url(a) for a in ARTICLES}) == len(ARTICLES)
    assert len({a["title"] for a in ARTICLES}) == len(ARTICLES)
    for a in ARTICLES:
        assert a["slug"] == slugify(a["title"]) and len(a["slug"]) <= 45
        assert article_url(a) == f"{PUBLIC_BASE}/en/{a['category']}/{a['slug']}-{a['id']}.html"
    assert sum(len(re.sub(r"[^a-z0-9]+", "-", a["title"].lower()).strip("-")) > 45 for a in ARTICLES) > 20


def test_ids_rise_with_time():
    ordered = sorted(ARTICLES, key=lambda a: a["published_at"])
    assert [a["id"] for a in ordered] == sorted(a["id"] for a in ARTICLES)
    for a in ARTICLES:
        year = int(a["published_at"][:4])
        assert {2021: 1.2e6, 2022: 1.35e6, 2023: 1.6e6, 2024: 1.75e6, 2025: 1.95e6}[year] < a["id"] < 2.1e6


def test_dates_spread_over_days():
    days = Counter(a["published_at"][:10] for a in ARTICLES)
    assert 6 <= len(days) <= 8
    assert min(days.values()) >= 3
    assert {d[:4] for d in days} >= {"2021", "2022", "2023", "2024", "2025"}


def test_bodies_lengths_and_briefs():
    lengths = [body_length(a) for a in ARTICLES]
    assert sum(600 <= n <= 2500 for n in lengths) >= 0.75 * len(ARTICLES)
    assert any(200 <= n <= 250 for n in lengths)
    assert any(280 <= n <= 320 for n in lengths)
    for a in ARTICLES:
        assert 3 <= len(a["paragraphs"]) <= 8 or a["title"].startswith("Blinken"), a["id"]


def test_desks_share_boilerplate():
    sentences = Counter(p for a in ARTICLES for p in a["paragraphs"][1:])
    assert sum(1 for n in sentences.values() if n >= 2) >= 2


def test_seed_article(manifest_data):
    [seed] = [a for a in ARTICLES if article_url(a) == manifest_data["seed"]]
    assert seed["category"] == "world" and 1_650_000 <= seed["id"] <= 1_660_000
    assert seed["published_at"] == "2023-03-02T17:20:00+05:00" and seed["template"] == "current"
    assert seed["title"] == "Blinken Presses Russia's Lavrov Over Ukraine On G20 Sidelines"
    assert seed["dateline"] == "New Delhi, March 2 (UrduPoint / Pakistan Point News - 2nd Mar, 2023 ) :"
    assert seed["expected"] == {"dateline_place": "New Delhi", "dateline_agency": None, "dateline_date": "2023-03-02"}
    assert seed["paragraphs"][0].startswith("The United States and Russia met")
    assert seed["paragraphs"][-1].endswith("the latter stormed out according to Western officials.")
    assert len(seed["paragraphs"]) == 11


BRAND = r"UrduPoint / Pakistan Point News"
DATELINE_STYLES = {
    "wire_until_sept_2023": lambda d, a: re.fullmatch(rf"[A-Z][A-Z ()]+,? \({BRAND} - \d+\w\w \w+, \d{{4}} \) :", d)
    and a["published_at"] < "2023-10",
    "wire_from_oct_2023": lambda d, a: re.fullmatch(rf"[A-Z][A-Z ]+, \({BRAND} - \d+\w\w \w+, \d{{4}}\)", d)
    and a["published_at"] >= "2023-10",
    "agency_before_brand": lambda d, a: f"(APP - {BRAND} - " in d,
    "international_month_day": lambda d, a: re.match(r"[A-Z][a-z]+( [A-Z][a-z]+)?, [A-Z][a-z]+ \d+ \(", d),
    "sputnik": lambda d, a: "(UrduPoint News / Sputnik - " in d,
    "wam": lambda d, a: f"({BRAND} / WAM - " in d,
    "staff": lambda d, a: re.fullmatch(r"[A-Z]+: \(UrduPoint/UrduPoint / Pakistan Point News-[A-Z][a-z]+ \d+\w\w, \d{4}\)", d),
    "zero_padded_ordinal": lambda d, a: re.search(r"- 0\d(st|nd|rd|th) ", d),
    "full_month_name": lambda d, a: re.search(r"\d(st|nd|rd|th) (January|February|March|April|May|June|July|August|"
                                              r"September|October|November|December),", d),
    "city_without_comma": lambda d, a: re.match(r"[A-Z]+ \(", d),
    "separator_space_paren_colon": lambda d, a: d.endswith(" ) :"),
    "separator_paren_colon": lambda d, a: d.endswith(" ):"),
    "separator_paren_dash_colon": lambda d, a: d.endswith(") -:"),
    "no_separator": lambda d, a: d.endswith(")"),
    "place_with_parentheses": lambda d, a: d.startswith("MIRPUR (AJK) ,"),
    "lower_case_or_misspelt_brand": lambda d, a: "(UrduPoint / Pakistan Point News" not in d
    and "(UrduPoint/UrduPoint" not in d and "UrduPoint News / Sputnik" not in d and "(APP - " not in d,
}


@pytest.mark.parametrize("style", sorted(DATELINE_STYLES), ids=sorted(DATELINE_STYLES))
def test_every_dateline_style_is_present(style):
    assert any(DATELINE_STYLES[style](a["dateline"], a) for a in ARTICLES if a["dateline"])


def test_articles_without_dateline_and_wrong_desk_dates():
    assert sum(a["dateline"] is None for a in ARTICLES) >= 2
    dated = [a for a in ARTICLES if a["expected"]]
    published = {a["id"]: datetime.fromisoformat(a["published_at"]).date() for a in dated}
    written = {a["id"]: datetime.fromisoformat(a["expected"]["dateline_date"]).date() for a in dated}
    assert any((published[i] - written[i]).days == 1 for i in published)
    assert any(published[i].year == written[i].year + 1 and published[i].month == written[i].month == 1
               for i in published)


def test_expected_dateline_fields_follow_the_dateline():
    for a in ARTICLES:
        if not a["dateline"]:
            continue
        place, agency = a["expected"]["dateline_place"], a["expected"]["dateline_agency"]
        assert a["dateline"].lower().startswith(place.lower()), a["id"]
        written = a["dateline"][: len(place)]
        assert place == (place.title() if written.isupper() else written) or place == "Mirpur (AJK)", a["id"]
        assert agency in (None, "APP", "Sputnik", "WAM")
        if agency:
            assert agency in a["dateline"], a["id"]
        assert re.fullmatch(r"\d{4}-\d\d-\d\d", a["expected"]["dateline_date"])
    assert {a["expected"]["dateline_agency"] for a in ARTICLES if a["expected"]} == {None, "APP", "Sputnik", "WAM"}


def test_templates_are_all_used():
    assert Counter(a["template"] for a in ARTICLES).keys() == {"current", "older", "dateonly", "legacy"}


# ---------------------------------------------------------------- the site's shape

def read(path: str) -> str:
    return (SITE_DIR / path.lstrip("/")).read_bytes().decode("utf-8", errors="replace")


def links(html: str) -> list[str]:
    return re.findall(r'href="([^"]+)"', html)


def test_every_article_is_in_its_listing_newest_first(manifest_data):
    for category, pages in manifest_data["listings"].items():
        hrefs, entries = [], 0
        for n, url in enumerate(pages, start=1):
            html = read(path_of(url))
            boxes = re.findall(r'<div class="txt_box">(.*?)</div>', html, re.S)
            assert 1 <= len(boxes) <= 5 and (len(boxes) == 5 or n == len(pages))
            entries += len(boxes)
            for box in boxes:
                box_links = links(box)
                assert 1 <= len(box_links) <= 2 and (len(box_links) == 1 or box_links[0].startswith("/en/team/"))
                hrefs.append(box_links[-1])
            assert ('class="next"' in html) == (n < len(pages))
        ids = [int(re.search(r"-(\d+)\.html$", h).group(1)) for h in hrefs]
        assert ids == sorted(ids, reverse=True), category
        for a in ARTICLES:
            if a["category"] == category:
                assert article_path(a) in hrefs, a["id"]
    assert listing_path("world", 2) == "/en/news/world-updates2.html"


def test_rss_feed(manifest_data):
    rss = read("/en/sitemap/news.rss")
    items = re.findall(r"<item>(.*?)</item>", rss, re.S)
    assert len(items) == 15
    item_links = [re.search(r"<link>(.*?)</link>", i).group(1).replace("&amp;", "&") for i in items]
    assert all(u.startswith(PUBLIC_BASE + "/en/") for u in item_links)
    assert manifest_data["special_pages"]["tracking"] in item_links
    assert all(re.search(r"<pubDate>\w{3}, \d\d \w{3} \d{4} \d\d:\d\d:\d\d \+0500</pubDate>", i) for i in items)
    assert all("<description>UrduPoint/UrduPoint / Pakistan Point News-" in i for i in items)


def test_day_sitemaps(manifest_data):
    articles = set(manifest_data["articles"])
    for day in manifest_data["sitemap_days"]:
        xml = gzip.decompress((SITE_DIR / f"sitemap/daily/data/{day[:4]}/{day}.xml.gz").read_bytes()).decode()
        locs = re.findall(r"<loc>(.*?)</loc>", xml)
        assert not set(locs[:2]) & articles
        assert {u for u in articles if BY_ID[int(u.rsplit("-", 1)[1][:-5])]["published_at"][:10] == day} <= set(locs)
    assert "Sitemap:" not in read("/robots.txt")
    assert "Disallow: /en/private/" in read("/robots.txt")


def test_article_page_furniture():
    for a in ARTICLES:
        html = read(article_path(a))
        assert f'<link rel="canonical" href="{article_url(a)}">' in html
        assert 'content="https://www.urdupoint.com/en/images/logo/' in html  # og:image is the logo
        assert '<div class="main_bar fl news_article">' in html and '<div class="detail_txt">' in html
        for block in ("social_sharer", "Related Topics", "Recent Stories", "More Stories From", "comments_area",
                      "googletag.cmd.push", "adsbygoogle", 'id="gpt-ad-inarticle-'):
            assert block in html, (a["id"], block)
        assert ('"@type": "NewsArticle"' in html) == (a["template"] != "older")
        assert ("article:published_time" in html) == (a["template"] in ("current", "older"))
        if a["template"] == "legacy":
            assert '"datePublished": "' + a["published_at"][:-3] + '00"' in html
            assert "<br><br>" in html

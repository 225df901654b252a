"""The mirror's Urdu edition: its ground truth (``urdu_articles.json``) and the pages, feed and
sitemaps built from it, each in the shape the facts give for the real site."""

import gzip
import json
import re
from collections import Counter
from datetime import datetime

import pytest

from pipelines.dateline import parse_dateline
from tests.samples import URDU_PAGE_HINTS
from tests.mirror.build import (
    PUBLIC_BASE,
    SITE_DIR,
    build_site,
    load_articles,
    load_urdu_articles,
    sitemap_path,
    urdu_lead,
    urdu_path,
    urdu_url,
)
from tests.mirror.server import MirrorServer
from tests.test_mirror import fetch, tree

URDU = load_urdu_articles()
MANIFEST = json.loads((SITE_DIR / "_manifest.json").read_text(encoding="utf-8"))["urdu"]
FIELDS = {"id", "published_at", "template", "title", "summary", "tags", "dateline", "expected", "paragraphs",
          "date_digits", "continued", "continued_after"}


def page(a: dict) -> str:
    return (SITE_DIR / urdu_path(a)[1:]).read_text(encoding="utf-8")


def body_of(html: str) -> str:
    return re.search(r'<div class="detail_txt urdu[^"]*">(.*?)\n</div>\n<div class="social_sharer', html, re.DOTALL)[1]


# ---------------------------------------------------------------- the ground truth

def test_the_records_are_complete_and_distinct():
    assert len(URDU) >= 25
    for a in URDU:
        assert set(a) == FIELDS, a["id"]
        assert a["template"] in {"current", "nojsonld", "legacy"} and a["date_digits"] in {"ascii", "urdu", "arabic"}
        assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:00\+05:00", a["published_at"]), a["id"]
        assert a["title"] and a["summary"] and a["tags"] and 3 <= len(a["paragraphs"]) <= 5
        assert all(re.search("[\u0600-\u06ff]", p) for p in a["paragraphs"])
        assert (a["dateline"] is None) == (a["expected"] is None)
        assert 0 <= a["continued_after"] < len(a["paragraphs"]) - 1
    for key in ("id", "title", "summary"):
        assert len({a[key] for a in URDU}) == len(URDU), key
    assert len({p for a in URDU for p in a["paragraphs"]}) == sum(len(a["paragraphs"]) for a in URDU)


def test_ids_rise_with_time_and_days_are_apart_from_the_english_edition():
    ordered = sorted(URDU, key=lambda a: a["published_at"])
    assert [a["id"] for a in ordered] == sorted(a["id"] for a in URDU)
    english_days = {a["published_at"][:10] for a in load_articles()}
    days = Counter(a["published_at"][:10] for a in URDU)
    assert not set(days) & english_days and len(days) >= 5 and min(days.values()) >= 3


def test_each_dateline_reads_as_expected():
    for a in URDU:
        found = parse_dateline(urdu_lead(a), URDU_PAGE_HINTS.dateline_brand)
        if a["dateline"] is None:
            assert found is None, a["id"]
            continue
        assert found.body == a["paragraphs"][0], a["id"]
        assert (found.raw, found.place, found.agency, found.date and found.date.isoformat()) == tuple(
            a["expected"].values()), a["id"]


URDU_STYLES = {
    "agency_after_brand": lambda a: "(اُردو پوائنٹ اخبارتازہ ترین - اے پی پی۔ " in (a["dateline"] or ""),
    "the_2015_style": lambda a: re.search(r"\(اُردو پوائنٹ اخبارآن لائن۔\d+فروری۔2015ء\)$", a["dateline"] or ""),
    "the_facts_example": lambda a: a["dateline"] == "گوجرانوالہ (اُردو پوائنٹ اخبارتازہ ترین - اے پی پی۔ 05 مارچ2024ء)",
    "own_desk_no_agency": lambda a: a["dateline"] and a["expected"]["dateline_agency"] is None,
    "stray_colon_before_city": lambda a: (a["dateline"] or "").startswith(":"),
    "urdu_digits": lambda a: re.search("[۰-۹]", a["dateline"] or ""),
    "arabic_indic_digits": lambda a: re.search("[٠-٩]", a["dateline"] or ""),
    "two_word_city": lambda a: a["expected"] and " " in a["expected"]["dateline_place"],
    "desk_date_a_day_behind": lambda a: a["expected"] and a["expected"]["dateline_date"] < a["published_at"][:10],
    "no_dateline": lambda a: a["dateline"] is None,
    "urdu_digits_in_text": lambda a: any(re.search("[۰-۹]", p) for p in a["paragraphs"]),
    "arabic_keyboard_letters_in_text": lambda a: any(re.search("[كيه]", p) for p in a["paragraphs"]),
    "khari_zabar_in_text": lambda a: any("\u0670" in p for p in a["paragraphs"]),
    "hamza_forms_in_text": lambda a: any(re.search("[ؤۓ]|لئے", p) for p in a["paragraphs"]),
    "zero_width_non_joiner_in_text": lambda a: any("\u200c" in p for p in a["paragraphs"]),
    "visible_date_in_urdu_digits": lambda a: a["date_digits"] == "urdu",
    "visible_date_in_arabic_indic_digits": lambda a: a["date_digits"] == "arabic",
    "continued_marker_ends_a_paragraph": lambda a: a["continued"] == "end_of_paragraph",
}


@pytest.mark.parametrize("style", sorted(URDU_STYLES))
def test_every_urdu_style_is_present(style):
    assert any(URDU_STYLES[style](a) for a in URDU)


def test_agencies_and_templates_are_all_used():
    agencies = {a["expected"]["dateline_agency"] for a in URDU if a["expected"]}
    assert {"APP", "Online", "INP", "NNI", "PPI", "AFP", "Sana News", None} <= agencies
    assert agencies - {"APP", "Online", "INP", "NNI", "PPI", "AFP", "Sana News", None}  # one left as written
    assert Counter(a["template"] for a in URDU).keys() == {"current", "nojsonld", "legacy"}


# ---------------------------------------------------------------- the pages

def test_article_pages_are_written_right_to_left_with_the_sites_markup():
    for a in URDU:
        html = page(a)
        assert '<html lang="ur" dir="rtl">' in html
        assert '<h1 class="fs24 lh48 urdu ar rtl">' in html
        assert f'<link rel="canonical" href="{urdu_url(a)}">' in html
        tags = re.search(r'<div class="tagcloud rtl ar urdu">(.*?)</div>', html, re.DOTALL)[1]
        assert re.findall(r">([^<]+)</a>", tags) == a["tags"]
        body = body_of(html)
        for inside in ("googletag.cmd.push(", f'id="gpt-ad-ur-inarticle-{a["id"]}"', "(جاری ہے)"):
            assert inside in body, (a["id"], inside)
        assert ('"@type": "NewsArticle"' in html) == (a["template"] == "current")
        assert ('<meta name="keywords"' in html) == (a["template"] == "current")
        assert ("<br><br>" in body) == (a["template"] == "legacy")


def test_the_visible_date_and_the_json_ld_time():
    dates = {}
    for a in URDU:
        html = page(a)
        dates[a["id"]] = re.search(r'<span class="date">([^<]+)</span>', html)[1]
        if a["template"] == "current":
            stamp = datetime.fromisoformat(a["published_at"]).strftime("%Y-%m-%dT%H:%M:%S+0500")
            assert f'"datePublished": "{stamp}"' in html
    assert "جمعہ 18 جولائی 2025 19:55" in dates.values()  # the facts' example, as written
    assert any(re.fullmatch("[\u0600-\u06ff ]+ [۰-۹]{2} [\u0600-\u06ff]+ [۰-۹]{4} [۰-۹]{2}:[۰-۹]{2}", d) for d in dates.values())
    assert any(re.search("[٠-٩]{4}", d) for d in dates.values())


def test_the_urdu_feed_lists_the_newest_articles():
    rss = (SITE_DIR / "daily/livenews/rss.xml").read_text(encoding="utf-8")
    links = re.findall(r"<link>(.*?)</link>", rss)[1:]
    newest = sorted(URDU, key=lambda a: a["published_at"], reverse=True)[:20]
    assert links == [urdu_url(a) for a in newest] and sorted(links) == MANIFEST["rss_articles"]
    assert "<language>ur</language>" in rss and rss.count("+0500</pubDate>") == 20


def test_the_daily_sitemaps_list_the_urdu_articles_older_ones_on_the_old_host():
    for day in MANIFEST["sitemap_days"]:
        xml = gzip.decompress((SITE_DIR / sitemap_path(day)[1:]).read_bytes()).decode("utf-8")
        locs = re.findall(r"<loc>(.*?)</loc>", xml)
        assert locs[:2] == [PUBLIC_BASE + "/daily/", PUBLIC_BASE + "/daily/livenews/"]
        expected = [a for a in sorted(URDU, key=lambda a: a["published_at"]) if a["published_at"][:10] == day]
        old = {old: new for old, new in MANIFEST["old_host_links"].items()}
        assert [old.get(loc, loc) for loc in locs[2:]] == [urdu_url(a) for a in expected]
    assert MANIFEST["old_host_links"] and all(u.startswith("http://daily.urdupoint.com/livenews/")
                                               for u in MANIFEST["old_host_links"])


def test_the_english_files_are_the_same_with_or_without_the_urdu_edition(tmp_path):
    build_site(load_articles(), tmp_path / "with", urdu=URDU)
    build_site(load_articles(), tmp_path / "without", urdu=[])
    with_urdu, without = tree(tmp_path / "with"), tree(tmp_path / "without")
    assert set(without) <= set(with_urdu)
    assert [p for p in without if without[p] != with_urdu[p]] == ["_manifest.json"]
    assert {p.split("/")[0] for p in set(with_urdu) - set(without)} == {"daily", "sitemap"}


def test_the_server_serves_the_urdu_edition():
    with MirrorServer(SITE_DIR) as server:
        status, headers, body = fetch(server, urdu_path(URDU[-1]))
        assert status == 200 and headers["content-type"] == "text/html; charset=utf-8"
        assert URDU[-1]["title"] in body.decode("utf-8")
        status, headers, _ = fetch(server, "/daily/livenews/rss.xml")
        assert status == 200 and headers["content-type"].startswith("application/xml")
        assert fetch(server, urdu_path(URDU[0]).removeprefix("/daily"))[0] == 404  # the old host's path

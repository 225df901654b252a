"""A redesign, or a CMS bug for a day: the article pages lose their class names, JSON-LD and meta
tags, and keep their headline, visible date line and body. They are still articles, at the
outlet's article URLs; and a page judged not an article can be fetched again.

The redesigned copy of the mirror is made here from the bundled one and served by a real server;
``scrapy crawl`` runs in a subprocess into a real archive.
"""

import re
import shutil
import sqlite3
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from sqlite_utils import Database

from pipelines.extract import EXTRACTOR_VERSION
from tests.conftest import SITE, run_crawl
from tests.mirror.build import article_path, article_url, load_articles
from tests.mirror.server import MirrorServer

ARTICLES = load_articles()
ENGLISH = ("-a", "edition=en")


def redesigned(html: str) -> str:
    """The page after the redesign: every class renamed, no JSON-LD, no meta tag but the charset's."""
    html = re.sub(r'<script type="application/ld\+json">.*?</script>\s*', "", html, flags=re.S)
    html = re.sub(r"<meta (?!charset|http-equiv)[^>]*>\s*", "", html)
    return re.sub(r'class="([^"]*)"', lambda m: 'class="{}"'.format(" ".join(f"v2-{name}" for name in m[1].split())), html)


def rewrite(root, path: str, change) -> None:
    page = root / path.lstrip("/")
    encoding = "cp1252" if b"windows-1252" in page.read_bytes() else "utf-8"
    page.write_text(change(page.read_text(encoding=encoding)), encoding=encoding)


def shows_time(article: dict) -> bool:
    """Whether the article's visible date line shows the time (the ``dateonly`` template shows the day)."""
    return article["template"] != "dateonly"


def test_redesigned_article_pages_are_archived_with_the_time_of_their_visible_date_line(site_copy, tmp_path, manifest):
    for path in [*map(article_path, ARTICLES), urlsplit(manifest["special_pages"]["second_category"]).path]:
        rewrite(site_copy, path, redesigned)
    assert "application/ld+json" not in (site_copy / article_path(ARTICLES[0]).lstrip("/")).read_text()
    db_path = tmp_path / "archive.db"
    with MirrorServer(site_copy) as server:
        crawl = run_crawl(server.url, db_path, *ENGLISH)
    assert crawl.returncode == 0, crawl.log[-3000:]

    rows = {row["url"]: row for row in Database(db_path)["articles"].rows}
    assert sorted(rows) == sorted(manifest["articles"])
    for article in ARTICLES:
        row = rows[article_url(article)]
        published = article["published_at"] if shows_time(article) else article["published_at"][:10]
        assert (row["title"], row["author"], row["text"], row["published_at"]) == (
            article["title"], article["author"], "\n\n".join(article["paragraphs"]), published
        ), article_url(article)
    sources = {name: count for name, count in crawl.stats.items() if name.startswith("extract/published_at/")}
    assert set(sources) == {"extract/published_at/visible_date", "extract/published_at/day_only"}
    assert sum(sources.values()) == crawl.stat("extract/articles")  # every page's time from its date line

    # What is not an article is still rejected: the gallery, the challenge, the dead link.
    special = manifest["special_pages"]
    rejected = {row["url"]: row["reason"] for row in Database(db_path)["rejected_urls"].rows}
    assert {url: rejected.get(url) for url in (special["gallery"], special["challenge"], special["missing"])} == {
        special["gallery"]: "not_article", special["challenge"]: "challenge", special["missing"]: "http_404"
    }
    assert crawl.stat("extract/rejected/not_article") == 1


def judged_by_an_older_extractor(db_path, url: str) -> tuple[str, ...]:
    """Make the URL's rejection one an older extractor made (as before an upgrade); no argument needed."""
    with sqlite3.connect(db_path) as conn:
        conn.execute("update rejected_urls set extractor_version = ? where url = ?", [EXTRACTOR_VERSION - 1, url])
    return ()


AGAIN = {
    "asked": lambda db_path, url: ("-a", "retry_rejected=not_article"),
    "judged-by-an-older-extractor": judged_by_an_older_extractor,
}


NEWEST = max(ARTICLES, key=lambda a: a["id"])  # in the feed and on the first listing page


@pytest.fixture(scope="module")
def rejected_then_skipped(tmp_path_factory) -> tuple[Path, Path]:
    """``(site, folder)``: a CMS bug serves the newest article's URL with the gallery's template for a day, and the
    run of that day rejects it as not an article; the bug is fixed, and the next day's run skips the URL. The
    archive and its run's files are in ``folder``; each test crawls a copy of it again."""
    work = tmp_path_factory.mktemp("cms-bug")
    site, folder = work / "site", work / "archive"
    shutil.copytree(SITE, site)
    folder.mkdir()
    path, url = article_path(NEWEST), article_url(NEWEST)
    page, gallery = site / path.lstrip("/"), SITE / "en/world/photo-gallery-g20-leaders-in-new-delhi-1650999.html"
    original = page.read_bytes()
    shutil.copyfile(gallery, page)
    db_path = folder / "archive.db"
    with MirrorServer(site) as server:
        bug_day = run_crawl(server.url, db_path, *ENGLISH)
        assert bug_day.returncode == 0, bug_day.log[-3000:]
        rejected = list(Database(db_path)["rejected_urls"].rows_where("url = ?", [url]))
        assert [(row["reason"], row["extractor_version"]) for row in rejected] == [("not_article", EXTRACTOR_VERSION)]

        page.write_bytes(original)  # the bug is fixed
        server.clear_requests()
        next_day = run_crawl(server.url, db_path, *ENGLISH)
        assert next_day.returncode == 0, next_day.log[-3000:]
        assert path not in [requested for _, requested, _ in server.requests]
        assert next_day.stat("archive/skipped_rejected") >= 1
    return site, folder


@pytest.mark.parametrize("again", AGAIN)
def test_a_page_rejected_as_not_an_article_is_judged_again_when_asked_or_after_an_upgrade(rejected_then_skipped,
                                                                                           tmp_path, again):
    """A CMS bug serves an article's URL with the gallery's template for a day: the URL is rejected
    as not an article and skipped after, until a run asks for it (``-a retry_rejected=not_article``)
    or an extractor newer than the one that judged it runs."""
    site, folder = rejected_then_skipped
    shutil.copytree(folder, tmp_path / "archive")
    path, url = article_path(NEWEST), article_url(NEWEST)
    db_path = tmp_path / "archive" / "archive.db"
    with MirrorServer(site) as server:
        retried = run_crawl(server.url, db_path, *ENGLISH, *AGAIN[again](db_path, url))
        assert retried.returncode == 0, retried.log[-3000:]
        assert ("GET", path, 200) in server.requests
    archive = Database(db_path)
    [row] = archive["articles"].rows_where("url = ?", [url])
    assert (row["title"], row["published_at"]) == (NEWEST["title"], NEWEST["published_at"])
    assert archive["rejected_urls"].count_where("url = ?", [url]) == 0
    assert retried.stat("archive/new") == 1

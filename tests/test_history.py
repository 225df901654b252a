"""Nothing lost while the site changes: crawls of a mirror that is edited between runs.

Between two ``scrapy crawl urdupoint`` runs an article is edited, a story is republished
under a new URL with a new headline and a trimmed body, and an article is removed. The
archive must keep one record per story, every earlier version, the republished copy as a
duplicate link, and the removed article (marked gone); re-visits (``-a revisit_days=N``)
ask conditionally where the server gives validators.
"""

import asyncio
import copy
import hashlib
import threading
from datetime import date, datetime, timezone
from email.utils import formatdate, parsedate_to_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from datasette.app import Datasette
from sqlite_utils import Database

from crawler import settings
from pipelines.items import ArticleItem
from crawler.spiders.outlet import revisit_window
from pipelines.archive import Archive, utc_now
from pipelines.dedup import content_hash
from pipelines.neardup import jaccard, shingles
from tests.conftest import REPO, run_crawl
from tests.mirror.build import article_path, article_url, build_site, load_articles, slugify
from tests.mirror.server import MirrorServer, content_type_for

ARTICLES = load_articles()
BY_ID = {a["id"]: a for a in ARTICLES}
EDITED_ID = 2052277  # "Broadband Subscribers Cross 150 Million, Says PTA"
REMOVED_ID = 2052355  # "Free Hepatitis Screening Drive Launched In Punjab"
REPUBLISHED_FROM_ID = 2052192  # "Punjab Extends Relief Operations In Flood-Hit Districts"
WINDOW_START = date(2025, 9, 17)  # re-visits reach the mirror's newest day, 2025-09-18, and no further
IN_WINDOW = sorted(article_url(a) for a in ARTICLES if a["published_at"] >= WINDOW_START.isoformat())
AFTER_EVERY_RUN = {"ARCHIVE_REVISIT_AFTER": "0"}  # runs seconds apart: re-visit what the last run fetched


def revisit_days() -> list[str]:
    return ["-a", f"revisit_days={(datetime.now(timezone.utc).date() - WINDOW_START).days}"]


def text_of(article: dict) -> str:
    return "\n\n".join(article["paragraphs"])


def edited(article: dict) -> dict:
    changed = copy.deepcopy(article)
    changed["title"] = "Broadband Subscribers Cross 151 Million, Says PTA"
    changed["paragraphs"][0] = changed["paragraphs"][0].replace("crossed 150 million", "crossed 151 million")
    changed["paragraphs"].append("The authority said the figures were provisional and would be revised next month.")
    return changed


def republished(article: dict) -> dict:
    """The flood story again, on the next day, under a new URL: new headline, first lines reworded, two paragraphs cut."""
    copy_ = copy.deepcopy(article)
    title = "Relief Operations In Punjab's Flood-Hit Districts Extended By Two Weeks"
    copy_.update(id=2052410, title=title, slug=slugify(title), published_at="2025-09-19T09:30:00+05:00",
                 paragraphs=copy_["paragraphs"][:-2])
    copy_["paragraphs"][0] = copy_["paragraphs"][0].replace("on Thursday extended", "has extended")
    return copy_


def url_map(archive: Database) -> dict[str, int]:
    return {row["url"]: row["article_id"] for row in archive["article_urls"].rows}


def search(archive: Database, expression: str) -> list[str]:
    """URLs of the articles the full-text index matches."""
    return [url for url, in archive.execute(
        "select articles.url from articles_fts join articles on articles.id = articles_fts.rowid"
        " where articles_fts match ? order by articles.id", [expression])]


def row_of(archive: Database, url: str) -> dict:
    [row] = archive["articles"].rows_where("url = ?", [url])
    return row


@pytest.mark.parametrize(
    "value, expected",
    [(None, None), ("3", 3), ("365", 365), ("0", ValueError), ("-2", ValueError), ("week", ValueError), ("1.5", ValueError)],
    ids=["off", "three-days", "a-year", "zero", "negative", "word", "fraction"],
)
def test_revisit_days_is_a_whole_number_of_days(value, expected):
    if expected is ValueError:
        with pytest.raises(ValueError, match="revisit_days must be"):
            revisit_window(value)
    else:
        assert revisit_window(value) == expected


def test_a_bad_revisit_days_stops_the_crawl_with_a_clear_message(mirror, tmp_path):
    crawl = run_crawl(mirror.url, tmp_path / "archive.db", "-a", "revisit_days=week")
    assert crawl.returncode != 0
    assert "revisit_days must be a whole number of days, not 'week'" in crawl.log


def test_edits_republished_stories_and_removed_pages_lose_nothing(site_copy, tmp_path):
    db_path = tmp_path / "archive.db"
    original, removed, source = BY_ID[EDITED_ID], BY_ID[REMOVED_ID], BY_ID[REPUBLISHED_FROM_ID]
    changed, copy_ = edited(original), republished(source)
    with MirrorServer(site_copy) as server:
        first = run_crawl(server.url, db_path, "-a", "edition=en")
        assert first.returncode == 0, first.log[-3000:]
        before = url_map(Database(db_path))
        first_fetch = row_of(Database(db_path), article_url(original))

        build_site([changed if a is original else a for a in ARTICLES if a is not removed] + [copy_], site_copy)
        server.clear_requests()
        second = run_crawl(server.url, db_path, "-a", "edition=en", *revisit_days(), settings=AFTER_EVERY_RUN)
        assert second.returncode == 0, second.log[-3000:]
        requested = ["https://www.urdupoint.com" + path for _, path, _ in server.requests]
        revisited = sorted(u for u in requested if u in IN_WINDOW)

        third = run_crawl(server.url, db_path, "-a", "edition=en", *revisit_days(), settings=AFTER_EVERY_RUN)
        assert third.returncode == 0, third.log[-3000:]

    assert revisited == IN_WINDOW  # every archived article of the window, and only those
    # The mirror answers conditional requests: a page whose bytes did not change is a 304;
    # one whose furniture changed (its "Recent Stories") is fetched, and adds no version.
    fetched = second.stat("revisit/fetched")
    assert {name: second.stat(name) for name in (
        "revisit/requested", "revisit/gone", "archive/updated", "archive/unchanged",
        "archive/new", "archive/duplicates", "dedup/near_duplicate")} == {
        "revisit/requested": len(IN_WINDOW), "revisit/gone": 1,
        "archive/updated": 1, "archive/unchanged": fetched - 1,
        "archive/new": 0, "archive/duplicates": 1, "dedup/near_duplicate": 1}
    assert fetched + second.stat("revisit/not_modified") == len(IN_WINDOW) - 1
    # An unchanged re-fetch adds no version; the gone article is not asked for again.
    assert (third.stat("revisit/requested"), third.stat("archive/updated")) == (len(IN_WINDOW) - 1, 0)
    assert third.stat("archive/unchanged") + third.stat("revisit/not_modified") == len(IN_WINDOW) - 1

    archive = Database(db_path)
    after = url_map(archive)
    ids = {row["id"] for row in archive["articles"].rows}
    # Every URL ever archived still leads to the same article, and every article is there.
    assert before.items() <= after.items()
    assert set(after) - set(before) == {article_url(copy_)}
    assert set(after.values()) <= ids and archive["articles"].count == len(ARTICLES)

    # The edit: the article shows the latest, and how many versions; the first is kept with its fetch time.
    now = row_of(archive, article_url(original))
    assert (now["title"], now["text"], now["versions"], now["gone_at"]) == (changed["title"], text_of(changed), 2, None)
    assert [(v["version"], v["title"], v["text"], v["fetched_at"], v["replaced_at"])
            for v in archive["article_versions"].rows_where("article_id = ?", [now["id"]])] == [
        (1, original["title"], text_of(original), first_fetch["updated_at"], now["updated_at"])]
    assert archive["article_versions"].count == 1

    # The republished copy: a duplicate link with its similarity, title, text and differences.
    story = row_of(archive, article_url(source))
    assert after[article_url(copy_)] == story["id"]
    assert archive.execute("select relation from article_urls where url = ?", [article_url(copy_)]).fetchone() == ("duplicate",)
    [duplicate] = archive["duplicates"].rows_where("article_id = ?", [story["id"]])
    similarity = jaccard(shingles(text_of(source)), shingles(text_of(copy_)))
    assert similarity >= settings.NEARDUP_THRESHOLD
    assert {name: duplicate[name] for name in ("url", "similarity", "article_version", "title", "text")} == {
        "url": article_url(copy_), "similarity": round(similarity, 4), "article_version": 1,
        "title": copy_["title"], "text": text_of(copy_)}
    assert [line for line in duplicate["text_diff"].splitlines() if line[:1] in "+-" and line[:3] not in ("+++", "---")] == [
        "-" + source["paragraphs"][0], "+" + copy_["paragraphs"][0], *("-" + p for p in source["paragraphs"][-2:])]
    # Search shows the story once: the copy is not an article.
    assert search(archive, '"relief operations"') == [article_url(source)]
    assert search(archive, '"extended by two weeks"') == []

    # The removed article: still archived, marked gone.
    gone = row_of(archive, article_url(removed))
    assert gone["gone_at"] is not None and gone["text"] == text_of(removed) and gone["versions"] == 1


class ConditionalSite(BaseHTTPRequestHandler):
    """Serves a mirror directory with ETag and Last-Modified, answering 304 to a matching conditional GET.

    (The shared mirror server sends no validators.) Records each request's path and
    conditional headers in ``server.log``.
    """

    protocol_version = "HTTP/1.1"

    def do_GET(self):
        path = urlsplit(self.path).path
        parts = [p for p in path.split("/") if p]
        target = self.server.root.joinpath(*parts, *(["index.html"] if path.endswith("/") else []))
        inm, ims = self.headers.get("If-None-Match"), self.headers.get("If-Modified-Since")
        if any(p.startswith("_") or p == ".." for p in parts) or not target.is_file():
            self.server.log.append((path, inm, ims, 404))
            return self.answer(404, b"<html><body>Not Found</body></html>", "text/html; charset=utf-8", {})
        body = target.read_bytes()
        validators = {"ETag": etag_of(body), "Last-Modified": formatdate(int(target.stat().st_mtime), usegmt=True)}
        if inm is not None:  # RFC 9110: If-None-Match wins over If-Modified-Since
            not_modified = validators["ETag"] in [tag.strip() for tag in inm.split(",")]
        else:
            not_modified = ims is not None and parsedate_to_datetime(ims).timestamp() >= int(target.stat().st_mtime)
        self.server.log.append((path, inm, ims, 304 if not_modified else 200))
        if not_modified:
            return self.answer(304, b"", None, validators)
        return self.answer(200, body, content_type_for(target.name), validators)

    def answer(self, status: int, body: bytes, content_type: str | None, headers: dict) -> None:
        self.send_response(status)
        if content_type:
            self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for name, value in headers.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format, *args):  # noqa: A002 - quiet
        pass


def etag_of(body: bytes) -> str:
    return '"' + hashlib.sha1(body).hexdigest()[:20] + '"'


@pytest.fixture
def conditional_site(site_copy):
    server = ThreadingHTTPServer(("127.0.0.1", 0), ConditionalSite)
    server.daemon_threads = True
    server.root, server.log = Path(site_copy), []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()
    thread.join()


def article_requests(server) -> list[tuple]:
    public = {article_path(a): article_url(a) for a in ARTICLES}
    return sorted((public[path], inm, ims, status) for path, inm, ims, status in server.log if path in public)


def test_revisits_are_conditional_bounded_and_a_304_adds_no_version(conditional_site, site_copy, tmp_path):
    server, db_path = conditional_site, tmp_path / "archive.db"
    url = f"http://127.0.0.1:{server.server_address[1]}"
    first = run_crawl(url, db_path, "-a", "edition=en")
    assert first.returncode == 0, first.log[-3000:]
    stored = {row["url"]: (row["etag"], row["last_modified"]) for row in Database(db_path)["articles"].rows}
    assert {u: etag for u, (etag, _) in stored.items()} == {
        article_url(a): etag_of((site_copy / article_path(a).lstrip("/")).read_bytes()) for a in ARTICLES}
    assert all(last_modified.endswith(" GMT") for _, last_modified in stored.values())

    # At most ARCHIVE_REVISIT_MAX re-visits, each sending back the stored validators; 304: nothing changes.
    server.log.clear()
    started = utc_now()
    second = run_crawl(url, db_path, "-a", "edition=en", *revisit_days(), settings={**AFTER_EVERY_RUN, "ARCHIVE_REVISIT_MAX": "3"})
    assert second.returncode == 0, second.log[-3000:]
    requests = article_requests(server)
    assert len(requests) == 3 and {u for u, *_ in requests} <= set(IN_WINDOW)
    assert requests == [(u, *stored[u], 304) for u, *_ in requests]
    assert (second.stat("revisit/requested"), second.stat("revisit/not_modified"), second.stat("archive/updated")) == (3, 3, 0)
    archive = Database(db_path)
    assert archive["article_versions"].count == 0
    assert all(row_of(archive, u)["last_seen"] >= started for u, *_ in requests)  # seen, though not fetched

    # A changed page is fetched in full (its ETag no longer matches) and becomes a new version.
    # (Only the last paragraph changes, so that no other page's furniture changes with it.)
    original = BY_ID[EDITED_ID]
    changed = copy.deepcopy(original)
    changed["paragraphs"][-1] += " The auction is planned for next year."
    build_site([changed if a is original else a for a in ARTICLES], site_copy)
    server.log.clear()
    third = run_crawl(url, db_path, "-a", "edition=en", *revisit_days(), settings=AFTER_EVERY_RUN)
    assert third.returncode == 0, third.log[-3000:]
    statuses = {u: status for u, _, _, status in article_requests(server)}
    assert statuses == {u: 200 if u == article_url(original) else 304 for u in IN_WINDOW}
    assert (third.stat("revisit/not_modified"), third.stat("revisit/fetched"), third.stat("archive/updated")) == (
        len(IN_WINDOW) - 1, 1, 1)
    archive = Database(db_path)
    row = row_of(archive, article_url(original))
    assert (row["versions"], row["text"], row["etag"]) == (
        2, text_of(changed), etag_of((site_copy / article_path(original).lstrip("/")).read_bytes()))
    assert [v["text"] for v in archive["article_versions"].rows] == [text_of(original)]


def test_datasette_shows_an_articles_versions_and_duplicates_from_its_page(tmp_path):
    db_path = tmp_path / "archive.db"
    archive = Archive.open(db_path)
    paragraphs = BY_ID[REPUBLISHED_FROM_ID]["paragraphs"]
    url, copy_url = article_url(BY_ID[REPUBLISHED_FROM_ID]), "https://www.urdupoint.com/en/business/relief-2052410.html"

    def page(url: str, title: str, text: str) -> ArticleItem:
        return ArticleItem(url=url, fetched_url=url, body=b"", encoding="utf-8", fetched_at="2025-09-18T06:00:00+00:00",
                           outlet="urdupoint", title=title, text=text, content_hash=content_hash(text))

    article_id = archive.add_article(page(url, "Relief extended", "\n\n".join(paragraphs[:-1])), [url], "2025-09-18T06:00:00+00:00")
    archive.add_version(article_id, page(url, "Relief extended", "\n\n".join(paragraphs)), [url], "2025-09-18T09:00:00+00:00")
    archive.add_duplicate(article_id, page(copy_url, "Relief operations extended", "\n\n".join(paragraphs[:-2])), [copy_url],
                          0.8, "2025-09-19T06:00:00+00:00")
    archive.close()

    ds = Datasette([str(db_path)])
    data = asyncio.run(ds.client.get(f"/archive/articles/{article_id}.json", params={"_extras": "foreign_key_tables"})).json()
    links = {(t["other_table"], t["other_column"]): t["count"] for t in data["foreign_key_tables"]}
    assert links == {("article_versions", "article_id"): 1, ("duplicates", "article_id"): 1, ("article_urls", "article_id"): 2}
    from tests.test_datasette import make_datasette

    configured = make_datasette(db_path)  # the article page of the reading room
    html = asyncio.run(configured.client.get(f"/archive/articles/{article_id}")).text
    assert 'id="version-1"' in html and f'<a href="{copy_url}">{copy_url}</a>' in html
    history = asyncio.run(configured.client.get("/archive/article_history.json",
                                                params={"id": str(article_id), "_shape": "array"})).json()
    assert [(row["entry"], row["url"], row["similarity"]) for row in history] == [
        ("version 1", None, None), ("version 2 (current)", url, None), ("duplicate", copy_url, 0.8)]

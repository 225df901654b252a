"""Off-site safety: whatever the pages say, the spider fetches nothing outside the outlet's address.

The mirror's feed and listings are salted with links to another host (a real
server on 127.0.0.2 that records every request), in every form a page can
carry one, and an article redirects there; that server must see no request.
The outlet's address is its scheme, host *and port*: feeds, listings, sitemaps and
articles that redirect to another port of the mirror's own host (127.0.0.1, where
another recording server listens) are refused as well.
"""

import json
import threading
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from pipelines.urls import SiteAddress
from tests.conftest import run_crawl
from tests.mirror.server import MirrorServer


ENTRY = '<div class="txt_box">'


@contextmanager
def recording_server(host: str):
    """A real HTTP server on ``host`` that answers every GET with a page and records its path.

    Yields the server's ``http://host:port`` address and the list of paths asked for.
    """
    seen: list[str] = []

    class Recorder(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 (http.server's naming)
            seen.append(self.path)
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.end_headers()
            self.wfile.write(b"<html><body><h1>Elsewhere</h1></body></html>")

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer((host, 0), Recorder)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://{host}:{server.server_address[1]}", seen
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def elsewhere():
    try:
        with recording_server("127.0.0.2") as recorded:
            yield recorded
    except OSError as error:
        pytest.skip(f"127.0.0.2 is not available on this machine's loopback: {error}")


@pytest.fixture
def another_port():
    """A recording server on the mirror's host, 127.0.0.1, at another port."""
    with recording_server("127.0.0.1") as recorded:
        yield recorded


def add_to_listing(listing, links: list[str]) -> None:
    """Put an entry box for each link at the top of a listing page of the mirror."""
    html = listing.read_text(encoding="utf-8")
    entries = "".join(f'<div class="txt_box"><h4>x</h4><a href="{link}">x</a></div>' for link in links)
    assert ENTRY in html
    listing.write_text(html.replace(ENTRY, entries + ENTRY, 1), encoding="utf-8")


def test_links_and_redirects_to_other_hosts_are_never_followed(site_copy, tmp_path, elsewhere):
    elsewhere, seen = elsewhere
    other = [
        f"{elsewhere}/en/world/looks-like-an-article-1999999.html",
        "https://evil.example/en/world/looks-like-an-article-1999998.html",
        f"//127.0.0.2:{elsewhere.rsplit(':', 1)[1]}/en/pakistan/protocol-relative-1999997.html",
    ]
    feed = site_copy / "en" / "sitemap" / "news.rss"
    items = "".join(f"<item><title>x</title><link>{link}</link></item>" for link in other)
    feed.write_text(feed.read_text(encoding="utf-8").replace("<item>", items + "<item>", 1), encoding="utf-8")
    add_to_listing(site_copy / "en" / "news" / "world.html", other)
    routes = json.loads((site_copy / "_routes.json").read_text(encoding="utf-8"))
    routes["redirects"]["/en/world/moved-abroad-1999996.html"] = [302, other[0]]
    (site_copy / "_routes.json").write_text(json.dumps(routes), encoding="utf-8")
    feed.write_text(
        feed.read_text(encoding="utf-8").replace(
            "<item>", "<item><title>y</title><link>https://www.urdupoint.com/en/world/moved-abroad-1999996.html</link></item><item>", 1
        ),
        encoding="utf-8",
    )

    with MirrorServer(site_copy) as mirror:
        crawl = run_crawl(mirror.url, tmp_path / "archive.db")
        assert any(path == "/en/world/moved-abroad-1999996.html" for _, path, _ in mirror.requests)
    assert crawl.returncode == 0, crawl.log[-3000:]
    assert seen == []
    assert crawl.stat("fetch/failed/redirect_off_site") == 1  # the redirect abroad
    assert crawl.stat("archive/new") > 0


FEED = "/en/sitemap/news.rss"
LISTING = "/en/news/world.html"
REFRESHING_LISTING = "/en/news/sports.html"
SITEMAP = "/sitemap/daily/data/2023/2023-03-02.xml.gz"
MOVED_ARTICLE = "/en/world/moved-to-another-port-1999994.html"


def test_redirects_to_another_port_of_the_outlets_host_are_refused(site_copy, tmp_path, another_port):
    other, seen = another_port
    routes = json.loads((site_copy / "_routes.json").read_text(encoding="utf-8"))
    for path in (FEED, LISTING, SITEMAP, MOVED_ARTICLE):
        routes["redirects"][path] = [302, other + path]
    (site_copy / "_routes.json").write_text(json.dumps(routes), encoding="utf-8")
    (site_copy / REFRESHING_LISTING.lstrip("/")).write_text(
        f'<html><head><meta http-equiv="refresh" content="0; url={other}{REFRESHING_LISTING}"></head><body></body></html>',
        encoding="utf-8",
    )
    add_to_listing(site_copy / "en" / "news" / "pakistan.html", [MOVED_ARTICLE])

    with MirrorServer(site_copy) as mirror:
        latest = run_crawl(mirror.url, tmp_path / "archive.db")
        backfill = run_crawl(mirror.url, tmp_path / "archive.db", "-a", "days=2023-03-02")
        asked = {path for _, path, _ in mirror.requests}

    assert {FEED, LISTING, REFRESHING_LISTING, SITEMAP, MOVED_ARTICLE} <= asked  # each redirect was met
    assert seen == []
    assert latest.returncode == 0, latest.log[-3000:]
    assert latest.stat("fetch/failed/redirect_off_site") == 4  # feed, listing, meta refresh, article
    assert latest.stat("discovery/failed/redirect_off_site") == 3
    assert latest.stat("archive/new") > 0  # the rest of the site is crawled
    assert backfill.stat("fetch/failed/redirect_off_site") == 1
    assert backfill.stat("sitemap/failed/redirect_off_site") == 1
    warnings = [line for line in latest.log.splitlines() if " WARNING: " in line and "redirect_off_site" in line]
    assert len(warnings) == 4, warnings  # one line for each
    assert any(f"Could not read {mirror.url}{FEED}: redirect_off_site" in line for line in warnings)
    assert any(f"Not following {mirror.url}{MOVED_ARTICLE}" in line for line in warnings)


@pytest.mark.parametrize(
    ("url", "on_site"),
    [
        ("http://127.0.0.1:8123/en/world/a-1.html", True),  # the fetch address
        ("http://127.0.0.1:8124/en/world/a-1.html", False),  # another port of its host
        ("https://127.0.0.1:8123/en/world/a-1.html", False),  # another scheme
        ("http://127.0.0.1/en/world/a-1.html", False),  # the scheme's default port
        ("https://www.urdupoint.com/en/world/a-1.html", True),  # the public address
        ("http://urdupoint.com:80/en/world/a-1.html", True),  # a public host, at the default port
        ("https://www.urdupoint.com:8443/en/world/a-1.html", False),
        ("ftp://www.urdupoint.com/en/world/a-1.html", False),
        ("http://127.0.0.1:99999999/en/", False),  # not a port at all
    ],
)
def test_the_site_is_its_fetch_address_and_its_public_hosts(url, on_site):
    site = SiteAddress("https://www.urdupoint.com", "http://127.0.0.1:8123", aliases=("urdupoint.com",))
    assert site.is_on_site(url) is on_site
    assert site.is_fetch_origin(url) is (on_site and url.startswith("http://127.0.0.1:8123/"))

"""Off-site safety: whatever the pages say, the spider fetches nothing outside the outlet's address.

The mirror's feed and listings are salted with links to another host (a real
server on 127.0.0.2 that records every request), in every form a page can
carry one, and an article redirects there; that server must see no request.
"""

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from tests.conftest import run_crawl
from tests.mirror.server import MirrorServer


class Recorder(BaseHTTPRequestHandler):
    seen: list[str] = []

    def do_GET(self):  # noqa: N802 (http.server's naming)
        self.seen.append(self.path)
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.end_headers()
        self.wfile.write(b"<html><body><h1>Elsewhere</h1></body></html>")

    def log_message(self, *args):
        pass


@pytest.fixture
def elsewhere():
    try:
        server = ThreadingHTTPServer(("127.0.0.2", 0), Recorder)
    except OSError as error:
        pytest.skip(f"127.0.0.2 is not available on this machine's loopback: {error}")
    Recorder.seen = []
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.2:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_links_and_redirects_to_other_hosts_are_never_followed(site_copy, tmp_path, elsewhere):
    other = [
        f"{elsewhere}/en/world/looks-like-an-article-1999999.html",
        "https://evil.example/en/world/looks-like-an-article-1999998.html",
        f"//127.0.0.2:{elsewhere.rsplit(':', 1)[1]}/en/pakistan/protocol-relative-1999997.html",
    ]
    feed = site_copy / "en" / "sitemap" / "news.rss"
    items = "".join(f"<item><title>x</title><link>{link}</link></item>" for link in other)
    feed.write_text(feed.read_text(encoding="utf-8").replace("<item>", items + "<item>", 1), encoding="utf-8")
    listing = site_copy / "en" / "news" / "world.html"
    anchors = "".join(f'<div class="txt_box"><h4>x</h4><a href="{link}">x</a></div>' for link in other)
    listing.write_text(listing.read_text(encoding="utf-8").replace("<body>", "<body>" + anchors, 1), encoding="utf-8")
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
    assert Recorder.seen == []
    assert crawl.stat("fetch/failed/redirect_off_site") == 1  # the redirect abroad
    assert crawl.stat("archive/new") > 0

"""The benchmarks' lean static server: the mirror's files over real HTTP/1.1, as the mirror server gives them."""

import http.client
import subprocess
import sys

import pytest

from tests.conftest import REPO, SITE
from tests.mirror.server import MirrorServer

ARTICLE = "/en/pakistan/ajk-development-working-party-approves-11-sch-1652235.html"


@pytest.fixture(scope="module")
def address():
    server = subprocess.Popen([sys.executable, "-m", "benchmarks.static_server", "--root", str(SITE)],
                              cwd=REPO, stdout=subprocess.PIPE, text=True)
    try:
        yield server.stdout.readline().strip().removeprefix("http://")
    finally:
        server.terminate()
        server.wait()


def fetch(connection: http.client.HTTPConnection, method: str, path: str, **headers) -> tuple[int, dict, bytes]:
    connection.request(method, path, headers=headers)
    response = connection.getresponse()
    return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()


def test_it_serves_every_file_and_header_the_mirror_server_serves(address):
    files = sorted(path for path in SITE.rglob("*") if path.is_file() and not path.name.startswith("_"))
    served = [*files[::7], *(path for path in files if path.name.endswith((".gz", ".xml", ".rss", ".txt")))]
    with MirrorServer(SITE) as mirror:
        reference = http.client.HTTPConnection(mirror.url.removeprefix("http://"))
        connection = http.client.HTTPConnection(address)  # one connection, kept alive throughout
        for path in served:
            url = "/" + path.relative_to(SITE).as_posix()
            status, headers, body = fetch(connection, "GET", url)
            expected_status, expected, expected_body = fetch(reference, "GET", url)
            assert (status, body) == (expected_status, expected_body) == (200, path.read_bytes())
            for name in ("content-type", "content-length", "etag", "last-modified"):
                assert headers[name] == expected[name], (url, name)


def test_a_missing_or_hidden_file_is_a_404_and_head_has_no_body(address):
    connection = http.client.HTTPConnection(address)
    assert fetch(connection, "GET", "/en/no-such-page.html")[0] == 404
    assert fetch(connection, "GET", "/_routes.json")[0] == 404
    status, headers, body = fetch(connection, "HEAD", ARTICLE)
    assert (status, body) == (200, b"") and int(headers["content-length"]) == (SITE / ARTICLE.lstrip("/")).stat().st_size


def test_a_request_with_the_current_etag_is_answered_not_modified(address):
    connection = http.client.HTTPConnection(address)
    etag = fetch(connection, "GET", ARTICLE)[1]["etag"]
    assert fetch(connection, "GET", ARTICLE, **{"If-None-Match": etag})[:3:2] == (304, b"")

"""The mirror server's ``queries`` route (a listing paged by ``?page=N`` served from a file per page), and a page
held back until the test releases it."""

import json
import threading
import urllib.error
import urllib.request

import pytest

from tests.mirror.server import ROUTES_FILE, MirrorServer


def test_a_path_with_a_routed_query_serves_its_own_file_and_other_queries_the_path(tmp_path):
    (tmp_path / "latest.html").write_text("<p>page one</p>")
    (tmp_path / "_latest-2.html").write_text("<p>page two</p>")
    (tmp_path / ROUTES_FILE).write_text(json.dumps({"queries": {"/latest.html?page=2": "_latest-2.html"}}))
    with MirrorServer(tmp_path) as server:
        def get(path: str) -> tuple[int, str, str]:
            with urllib.request.urlopen(server.url + path) as response:
                return response.status, response.headers["Content-Type"], response.read().decode()

        assert get("/latest.html?page=2") == (200, "text/html; charset=utf-8", "<p>page two</p>")
        assert get("/latest.html?page=3")[2] == get("/latest.html")[2] == "<p>page one</p>"
        assert get("/latest.html?utm_source=x")[2] == "<p>page one</p>"
        with pytest.raises(urllib.error.HTTPError) as hidden:  # the page's file stays hidden under its own name
            urllib.request.urlopen(server.url + "/_latest-2.html")
        assert hidden.value.code == 404


def test_a_held_page_is_answered_only_once_released(tmp_path):
    (tmp_path / "held.html").write_text("<p>held</p>")
    (tmp_path / "other.html").write_text("<p>other</p>")
    answers = []
    with MirrorServer(tmp_path) as server:
        server.hold("/held.html")
        waiting = threading.Thread(target=lambda: answers.append(urllib.request.urlopen(server.url + "/held.html").read()))
        waiting.start()
        with urllib.request.urlopen(server.url + "/other.html") as response:  # the other pages are answered meanwhile
            assert response.read() == b"<p>other</p>"
        waiting.join(timeout=0.5)
        assert waiting.is_alive() and answers == [] and ("GET", "/held.html", 200) not in server.requests
        server.release("/held.html")
        waiting.join(timeout=10)
        assert answers == [b"<p>held</p>"]
        with urllib.request.urlopen(server.url + "/held.html") as response:  # and from then on at once
            assert response.read() == b"<p>held</p>"

"""Serve a mirror directory over real HTTP on 127.0.0.1, the way the site answers.

The document root maps URL paths to files (``/en/`` serves ``en/index.html``).  The query
string is ignored when looking a path up, so ``?utm_source=x`` variants serve the same page
(unless ``queries``, below, names the path with that query).
Files whose name starts with ``_`` are never served; ``_routes.json`` holds what a plain file
tree cannot say (it is re-read on every request, so a test may edit a copy between crawls)::

    {"redirects":     {"/old.html": [301, "/new.html"]},
     "status":        {"/a.html": [503, "_challenge.html"], "/gone.html": [410, null]},
     "content_types": {"/legacy.html": "text/html"},
     "headers":       {"/a.html": {"Server": "cloudflare", "cf-mitigated": "challenge"}},
     "queries":       {"/latest?page=2": "_latest-2.html"}}

``queries`` serves another file (named from the document root, hidden names allowed) for a
path asked with exactly that query string, as a site whose listings page by ``?page=N`` does;
the same path with any other query string, or none, is served as usual.

It can also be told to misbehave, per path, the way a struggling or rate-limiting site does::

    {"after":         {"/a.html": ["/b.html"]},   # answer only once /b.html has been answered (20 s at most)
     "slow":          {"/a.html": 3},             # answer only after 3 seconds (more, after "after")
     "drop":          {"/a.html": 2},             # close the first 2 connections without a byte
     "retry_after":   {"/a.html": [429, 2, 1]}}   # answer the first request 429, with Retry-After: 2

``retry_after`` is ``[status, Retry-After value, times]``: the value is sent as written, so a
string such as ``"Wed, 21 Oct 2026 07:28:00 GMT"`` sends an HTTP date. ``drop`` and
``retry_after`` count the requests they acted on, for the server's lifetime; after that the path
is served as it would be without them. A redirect loop needs no key of its own: two
``redirects`` that point at each other. ``after`` makes the order pages arrive in a test's
choice, whatever order they are asked for in (with ``slow``, a margin after the pages waited for).

A test may also hold a page back for as long as it needs: ``server.hold("/a.html")`` makes its
requests wait, from then on, until ``server.release("/a.html")`` (or HOLD_TIMEOUT, or the server's stop).

Files are served with an ``ETag`` (a hash of the bytes) and ``Last-Modified`` (the file's
time), and a request whose ``If-None-Match`` or ``If-Modified-Since`` still holds gets a 304.

Every response is recorded as ``(method, path_with_query, status)`` in ``server.requests``
(a dropped connection with status ``0``), and with the ``time.monotonic()`` it arrived at in
front, ``(time, method, path_with_query, status)``, in ``server.timed_requests``.

    >>> with MirrorServer(Path("tests/site")) as server:      # doctest: +SKIP
    ...     urllib.request.urlopen(server.url + "/robots.txt").status
    200

Command line: ``python -m tests.mirror.server [--root tests/site] [--port 0]`` prints the URL
and serves until killed.  Standard library only.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import socket
import threading
import time
from email.utils import formatdate, parsedate_to_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit

DEFAULT_ROOT = Path(__file__).resolve().parent.parent / "site"
ROUTES_FILE = "_routes.json"
AFTER_TIMEOUT = 20  # seconds an "after" path waits for the paths it follows, at most
HOLD_TIMEOUT = 60  # seconds a held path waits for its release, at most
CONTENT_TYPES = {  # by file-name ending, longest first
    ".xml.gz": "application/x-gzip",  # the body *is* the gzip file: no Content-Encoding
    ".gz": "application/x-gzip",
    ".html": "text/html; charset=utf-8",
    ".htm": "text/html; charset=utf-8",
    ".rss": "application/rss+xml; charset=utf-8",
    ".xml": "application/xml; charset=utf-8",
    ".txt": "text/plain; charset=utf-8",
    ".json": "application/json",
    ".css": "text/css",
    ".js": "application/javascript",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".ico": "image/x-icon",
}
NOT_FOUND_BODY = (b"<!DOCTYPE html>\n<html><head><title>404 Not Found</title></head>"
                  b"<body><h1>Not Found</h1><p>The requested URL was not found on this server.</p></body></html>\n")


def content_type_for(name: str) -> str:
    for ending, value in CONTENT_TYPES.items():
        if name.endswith(ending):
            return value
    return "application/octet-stream"


def local_path(root: Path, path: str) -> Path | None:
    """Where URL ``path`` lies under ``root`` (resolved); None for a hidden (``_``) name or a path out of it."""
    parts = [p for p in path.split("/") if p]
    if any(p.startswith("_") or p in (".", "..") or "\\" in p for p in parts):
        return None
    target = root.joinpath(*parts).resolve() if parts else root
    return target if target == root or root in target.parents else None


def file_for(root: Path, path: str) -> Path | None:
    """The file served at URL ``path`` (a directory's ``index.html`` for a path ending in ``/``), if any."""
    target = local_path(root, path)
    if target is None:
        return None
    if path.endswith("/"):
        target = target / "index.html"
    return target if target.is_file() else None


def validators(body: bytes, modified: float) -> dict:
    """The ETag and Last-Modified headers of a file with ``body``, last modified at ``modified``."""
    return {"ETag": f'"{hashlib.sha1(body).hexdigest()[:20]}"', "Last-Modified": formatdate(int(modified), usegmt=True)}


def status_body(status: int, text: str) -> bytes:
    return f"<!DOCTYPE html>\n<html><head><title>{status} {text}</title></head><body><h1>{text}</h1></body></html>\n".encode()


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: "_Server"

    def do_GET(self):
        self._serve(send_body=True)

    def do_HEAD(self):
        self._serve(send_body=False)

    def parse_request(self):
        self._arrived = time.monotonic()  # the request line has just been read
        return super().parse_request()

    def log_request(self, code="-", size="-"):
        """Called by ``send_response``: record instead of logging to stderr."""
        self.server.mirror._record(self._arrival(), self.command, self.path, int(code))

    def _arrival(self) -> float:
        return getattr(self, "_arrived", None) or time.monotonic()

    def log_message(self, format, *args):  # noqa: A002 - quiet: no stderr line per request
        pass

    def version_string(self):
        return getattr(self, "_server_header", None) or "cloudflare"

    def _serve(self, send_body: bool) -> None:
        path = unquote(urlsplit(self.path).path) or "/"
        routes = self.server.mirror._routes()
        extra = dict(routes.get("headers", {}).get(path, {}))
        self._server_header = extra.pop("Server", None)

        if path in routes.get("after", {}):
            self.server.mirror._wait_for_answers(routes["after"][path])
        if path in routes.get("slow", {}):
            time.sleep(routes["slow"][path])
        self.server.mirror._wait_for_release(path)
        if path in routes.get("drop", {}) and self.server.mirror._count("drop", path, routes["drop"][path]):
            return self._drop()
        if path in routes.get("retry_after", {}):
            status, retry_after, times = routes["retry_after"][path]
            if self.server.mirror._count("retry_after", path, times):
                return self._respond(status, status_body(status, "Error"), "text/html; charset=utf-8", send_body,
                                     {"Retry-After": str(retry_after), **extra})
        if self.path in routes.get("queries", {}):
            name = routes["queries"][self.path]
            return self._serve_file(self.server.mirror.root / name.lstrip("/"), content_type_for(name), send_body, extra)
        if path in routes.get("redirects", {}):
            status, location = routes["redirects"][path]
            body = status_body(status, "Moved")
            return self._respond(status, body, "text/html; charset=utf-8", send_body, {"Location": location, **extra})
        if path in routes.get("status", {}):
            status, name = routes["status"][path]
            body = (self.server.mirror.root / name).read_bytes() if name else status_body(status, "Error")
            ctype = routes.get("content_types", {}).get(path) or content_type_for(name or ".html")
            return self._respond(status, body, ctype, send_body, extra)
        target = file_for(self.server.mirror.root, path)
        if target is None:
            if self.server.mirror._is_dir(path):
                return self._respond(301, status_body(301, "Moved"), "text/html; charset=utf-8", send_body,
                                     {"Location": path + "/"})
            return self._respond(404, NOT_FOUND_BODY, "text/html; charset=utf-8", send_body, {})
        ctype = routes.get("content_types", {}).get(path) or content_type_for(target.name)
        self._serve_file(target, ctype, send_body, extra)

    def _serve_file(self, target: Path, ctype: str, send_body: bool, extra: dict) -> None:
        """``target`` with its validators, or a 304 when the request's still hold."""
        body, modified = target.read_bytes(), int(target.stat().st_mtime)
        headers = validators(body, modified)
        if self._not_modified(headers["ETag"], modified):
            return self._respond(304, b"", ctype, send_body, {**headers, **extra})
        return self._respond(200, body, ctype, send_body, {**headers, **extra})

    def _drop(self) -> None:
        """Close the connection without answering, as a server that crashed or was cut off."""
        self.server.mirror._record(self._arrival(), self.command, self.path, 0)
        self.close_connection = True
        self.connection.shutdown(socket.SHUT_RDWR)

    def _not_modified(self, etag: str, modified: int) -> bool:
        """Whether the request's validators (If-None-Match first, else If-Modified-Since) still hold."""
        if_none_match = self.headers.get("If-None-Match")
        if if_none_match is not None:
            return etag in {tag.strip().removeprefix("W/") for tag in if_none_match.split(",")} or if_none_match.strip() == "*"
        try:
            since = parsedate_to_datetime(self.headers.get("If-Modified-Since", ""))
        except (TypeError, ValueError):
            return False
        return since is not None and modified <= since.timestamp()

    def _respond(self, status: int, body: bytes, ctype: str, send_body: bool, headers: dict) -> None:
        self.send_response(status)
        if status != 304:  # a 304 has no body, and describes none
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(body)))
        for name, value in headers.items():
            self.send_header(name, value)
        self.end_headers()
        if send_body:
            self.wfile.write(body)


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    mirror: "MirrorServer"

    def handle_error(self, request, client_address):
        pass  # a client that hangs up mid-response is not an error worth a traceback


class MirrorServer:
    """A ``ThreadingHTTPServer`` over ``root`` on 127.0.0.1, run in a daemon thread.

    ``url`` is ``http://127.0.0.1:PORT``; ``requests`` is a copy of the list of
    ``(method, path_with_query, status)`` served so far, ``timed_requests`` the same with the
    time each arrived at in front; ``clear_requests()`` empties both.
    """

    def __init__(self, root: Path, host: str = "127.0.0.1", port: int = 0):
        self.root = Path(root).resolve()
        self.host, self.port = host, port
        self._lock = threading.Lock()
        self._requests: list[tuple[float, str, str, int]] = []
        self._counts: dict[tuple[str, str], int] = {}  # (misbehaviour, path) -> requests it acted on
        self._answered: set[str] = set()  # paths answered in the server's lifetime
        self._answer_given = threading.Condition(self._lock)
        self._held: dict[str, threading.Event] = {}  # path -> set once the test releases it
        self._httpd: _Server | None = None
        self._thread: threading.Thread | None = None

    # -- lifecycle
    def start(self) -> "MirrorServer":
        self._httpd = _Server((self.host, self.port), _Handler)
        self._httpd.mirror = self
        self.port = self._httpd.server_address[1]
        self._thread = threading.Thread(target=self._httpd.serve_forever, name="mirror-server", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        for path in list(self._held):
            self.release(path)
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()
            self._thread.join()
            self._httpd = self._thread = None

    def __enter__(self) -> "MirrorServer":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    # -- pages held back
    def hold(self, path: str) -> None:
        """Requests for ``path`` wait, from now on, until :meth:`release` (HOLD_TIMEOUT at most)."""
        with self._lock:
            self._held[path] = threading.Event()

    def release(self, path: str) -> None:
        """Answer the requests for ``path`` that wait, and those that come after, at once."""
        with self._lock:
            released = self._held.pop(path, None)
        if released is not None:
            released.set()

    def _wait_for_release(self, path: str) -> None:
        with self._lock:
            held = self._held.get(path)
        if held is not None:
            held.wait(HOLD_TIMEOUT)

    # -- request log
    @property
    def requests(self) -> list[tuple[str, str, int]]:
        with self._lock:
            return [(method, path, status) for _, method, path, status in self._requests]

    @property
    def timed_requests(self) -> list[tuple[float, str, str, int]]:
        with self._lock:
            return list(self._requests)

    def clear_requests(self) -> None:
        with self._lock:
            self._requests.clear()

    def _record(self, arrived: float, method: str, path: str, status: int) -> None:
        with self._lock:
            self._requests.append((arrived, method, path, status))
            self._answered.add(unquote(urlsplit(path).path))
            self._answer_given.notify_all()

    def _wait_for_answers(self, paths: list[str]) -> None:
        with self._answer_given:
            self._answer_given.wait_for(lambda: self._answered.issuperset(paths), AFTER_TIMEOUT)

    def _count(self, misbehaviour: str, path: str, times: int) -> bool:
        """Whether ``misbehaviour`` acts on this request to ``path``: one of its first ``times``."""
        with self._lock:
            done = self._counts.get((misbehaviour, path), 0)
            if done >= times:
                return False
            self._counts[misbehaviour, path] = done + 1
            return True

    # -- file system
    def _routes(self) -> dict:
        path = self.root / ROUTES_FILE
        return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}

    def _is_dir(self, path: str) -> bool:
        target = local_path(self.root, path)
        return bool(target and not path.endswith("/") and (target / "index.html").is_file())


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Serve the UrduPoint mirror on 127.0.0.1.",
                                     epilog="Example: python -m tests.mirror.server --root tests/site --port 8000")
    parser.add_argument("--root", type=Path, default=DEFAULT_ROOT, help="document root (default: tests/site)")
    parser.add_argument("--port", type=int, default=0, help="port to listen on (default: 0, any free port)")
    args = parser.parse_args(argv)
    if not args.root.is_dir():
        parser.exit(1, f"error: no such directory: {args.root}\n")
    with MirrorServer(args.root, port=args.port) as server:
        print(server.url, flush=True)
        try:
            threading.Event().wait()
        except KeyboardInterrupt:
            pass


if __name__ == "__main__":
    main()

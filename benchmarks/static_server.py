"""A lean static HTTP/1.1 server for the benchmarks: a mirror's files, and nothing else.

``tests.mirror.server`` can misbehave on demand, as the tests need, and is built on
:mod:`http.server`: a thread per connection and about 0.45 ms of CPU a request. On a
2-core machine that CPU is taken from the crawl being measured, where the live site's
server costs the crawl's machine nothing. This one answers from one asyncio event loop, with
the same files, content types, validators and 404 page, for about 0.17 ms a request.

Run from the repository root::

    python -m benchmarks.static_server --root DIR     # prints its URL, serves until killed
"""

import argparse
import asyncio
from pathlib import Path
from urllib.parse import unquote, urlsplit

from tests.mirror.server import NOT_FOUND_BODY, content_type_for, file_for, validators

HEADERS_END = b"\r\n\r\n"


def response_head(status: str, headers: dict) -> bytes:
    lines = [f"HTTP/1.1 {status}", "Server: benchmark-mirror", *(f"{name}: {value}" for name, value in headers.items())]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")


NOT_FOUND = response_head("404 Not Found", {"Content-Type": "text/html; charset=utf-8",
                                            "Content-Length": len(NOT_FOUND_BODY)}), NOT_FOUND_BODY


class StaticFiles:
    def __init__(self, root: Path):
        self.root = root.resolve()

    def answer(self, method: str, target: str, if_none_match: str | None) -> tuple[bytes, bytes]:
        """``(status line and headers, body)`` for a request."""
        found = file_for(self.root, unquote(urlsplit(target).path) or "/")
        if found is None:
            return NOT_FOUND if method != "HEAD" else (NOT_FOUND[0], b"")
        body = found.read_bytes()
        headers = validators(body, found.stat().st_mtime)
        if if_none_match is not None and headers["ETag"] in if_none_match:
            return response_head("304 Not Modified", headers), b""
        head = response_head("200 OK", {"Content-Type": content_type_for(found.name), "Content-Length": len(body),
                                        **headers})
        return head, body if method != "HEAD" else b""


class Connection(asyncio.Protocol):
    """One keep-alive connection: requests answered in the order they come."""

    def __init__(self, files: StaticFiles):
        self.files = files
        self.pending = b""

    def connection_made(self, transport):
        self.transport = transport

    def data_received(self, data: bytes) -> None:
        self.pending += data
        while HEADERS_END in self.pending:
            request, _, self.pending = self.pending.partition(HEADERS_END)
            request_line, *header_lines = request.decode("latin-1").split("\r\n")
            method, target, _ = request_line.split(" ", 2)
            headers = dict(line.split(":", 1) for line in header_lines if ":" in line)
            if_none_match = next((value for name, value in headers.items() if name.lower() == "if-none-match"), None)
            head, body = self.files.answer(method, target, if_none_match)
            self.transport.write(head + body)


async def serve(root: Path, port: int) -> None:
    files = StaticFiles(root)
    server = await asyncio.get_running_loop().create_server(lambda: Connection(files), "127.0.0.1", port)
    print(f"http://127.0.0.1:{server.sockets[0].getsockname()[1]}", flush=True)
    await server.serve_forever()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--root", type=Path, required=True, help="the mirror's document root")
    parser.add_argument("--port", type=int, default=0, help="port to listen on (default: 0, any free port)")
    args = parser.parse_args(argv)
    asyncio.run(serve(args.root, args.port))


if __name__ == "__main__":
    main()

"""Run trafilatura's command-line crawler against a mirror on 127.0.0.1, for the throughput benchmark.

    python -m benchmarks.run_trafilatura [--fix-url-store] -- --sitemap http://mirror.localhost:PORT/... -o DIR

Two things stand between trafilatura's crawler and a local mirror, and this launcher
changes only those before handing over to ``trafilatura.cli.main``:

* courlan (its URL filter) refuses URLs whose host is an IP address with a port, so the
  mirror is named ``mirror.localhost`` and that name is resolved to 127.0.0.1 here;
* with ``--fix-url-store``: courlan 1.4.0's ``UrlStore(compressed=True)``, which the
  command line uses, never marks a URL as visited (``get_url`` marks a decompressed copy
  and then stores the old list again), so the crawler downloads its first URL over and
  over and never finishes. This option makes the store uncompressed, where marking works.
"""

import socket
import sys

MIRROR_HOST = "mirror.localhost"


def resolve_mirror_host() -> None:
    real = socket.getaddrinfo

    def getaddrinfo(host, *args, **kwargs):
        return real("127.0.0.1" if host == MIRROR_HOST else host, *args, **kwargs)

    socket.getaddrinfo = getaddrinfo


def uncompressed_url_store() -> None:
    from courlan import urlstore

    original = urlstore.UrlStore.__init__

    def init(self, *args, **kwargs):
        kwargs["compressed"] = False
        original(self, *args, **kwargs)

    urlstore.UrlStore.__init__ = init


def main() -> None:
    args = sys.argv[1:]
    if args and args[0] == "--fix-url-store":
        uncompressed_url_store()
        args = args[1:]
    if args and args[0] == "--":
        args = args[1:]
    resolve_mirror_host()
    from trafilatura.cli import main as trafilatura_main

    sys.argv = ["trafilatura", *args]
    trafilatura_main()


if __name__ == "__main__":
    main()

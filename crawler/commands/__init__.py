"""The project's commands over the archive (``scrapy search``, ``scrapy export``) and what they share.

Scrapy makes a command of every ``ScrapyCommand`` subclass in this package, named
after its module, so what the commands share lives here as functions, not as a
base class.

A command never lets a traceback reach the user for something the user can fix
(a mistyped option, a missing archive, an unwritable file): it raises
:class:`CommandError`, which :func:`fail` reports as one line on stderr with exit
status 1. Option values are checked here rather than by argparse, whose errors
print the usage line too.
"""

import argparse
import os
import sqlite3
import sys
from datetime import date
from pathlib import Path
from urllib.request import pathname2url
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from crawler import queries, snippets
from crawler.lock import ArchiveBusy, ArchiveLock
from crawler.search import query_problem

MAX_LIMIT = 2**63 - 1  # SQLite's largest integer
EXIT_ARCHIVE_BUSY = 75  # EX_TEMPFAIL: another process holds the archive's lock; try again later
# Seconds to wait for the crawl's write transaction rather than fail, as the crawl's own
# pipelines.archive.BUSY_TIMEOUT_SECONDS (not imported: sqlite_utils would slow every scrapy command).
BUSY_TIMEOUT_SECONDS = 30


class CommandError(Exception):
    """A failure the user can fix, reported as one line."""


def fail(command, error: CommandError) -> None:
    print(f"Error: {error}", file=sys.stderr)
    command.exitcode = 1


def add_filter_options(parser: argparse.ArgumentParser, limit_help: str) -> None:
    day = "YYYY-MM-DD"
    parser.add_argument("--since", metavar=day, help="only articles published on or after this day (in ARCHIVE_TIMEZONE)")
    parser.add_argument("--until", metavar=day, help="only articles published on or before this day (in ARCHIVE_TIMEZONE)")
    parser.add_argument("--outlet", metavar="NAME", help="only articles of this outlet (its spider's name, or a site's domain)")
    parser.add_argument("--limit", metavar="N", help=limit_help)


def filters_from(opts: argparse.Namespace, settings, search: str | None = None, limit: int | None = None) -> queries.Filters:
    """The filters the options ask for; ``limit`` is the default when ``--limit`` is not given.
    Days begin and end in the ``ARCHIVE_TIMEZONE`` setting's zone."""
    since, until = parse_day("--since", opts.since), parse_day("--until", opts.until)
    if since and until and since > until:
        raise CommandError(f"--since {since} is after --until {until}")
    if opts.limit is not None:
        limit = parse_limit(opts.limit)
    outlet, search = utf8("--outlet", opts.outlet), utf8("the search", search)
    if problem := query_problem(search):
        raise CommandError(problem)
    return queries.Filters(since=since, until=until, outlet=outlet, search=search, limit=limit,
                           zone=archive_timezone(settings))


def archive_timezone(settings) -> ZoneInfo:
    try:
        return ZoneInfo(settings["ARCHIVE_TIMEZONE"])
    except (ZoneInfoNotFoundError, ValueError):
        raise CommandError(f"ARCHIVE_TIMEZONE {settings['ARCHIVE_TIMEZONE']!r} is not a time zone such as Asia/Karachi") from None


def utf8(what: str, text: str | None) -> str | None:
    """``text``, refused when it came from bytes that are not UTF-8.

    Python keeps such bytes of the command line as lone surrogates, which SQLite and the
    output cannot encode; the message shows each of them as U+FFFD.
    """
    if text is not None and not text.isascii():
        try:
            text.encode("utf-8")
        except UnicodeEncodeError:
            shown = text.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
            raise CommandError(f"{what} {shown!r} is not valid UTF-8 text: check the terminal's encoding") from None
    return text


def parse_day(option: str, text: str | None) -> date | None:
    if text is None:
        return None
    day = queries.parse_day(utf8(option, text))
    if day is None:
        raise CommandError(queries.not_a_day(option, text))
    return day


def parse_limit(text: str) -> int:
    digits = utf8("--limit", text).lstrip("0")
    if not text.isascii() or not text.isdigit() or not digits:
        raise CommandError(f"--limit {text!r} is not a positive whole number")
    if len(digits) > len(str(MAX_LIMIT)) or int(digits) > MAX_LIMIT:  # Python reads at most 4,300 digits
        raise CommandError(f"--limit {text} is too large: at most {MAX_LIMIT:,}")
    return int(digits)


def positional(args: list[str]) -> list[str]:
    """The arguments, less ``--``; an option that argparse did not know is refused.

    argparse hands unknown options to ``run()`` among the arguments. After ``--``,
    everything is an argument: ``scrapy search -- -5%``.
    """
    end = args.index("--") if "--" in args else len(args)
    unknown = [arg for arg in args[:end] if arg.startswith("-") and arg != "-"]
    if unknown:
        raise CommandError(f"unknown option {utf8('the option', unknown[0])} (see --help)")
    return [utf8("the argument", arg) for arg in args[:end] + args[end + 1 :]]


def open_archive(path: str) -> sqlite3.Connection:
    """A read-only connection to the archive at ``path``; a missing archive is not created.

    Read-only, with the crawl's busy timeout, so that it reads beside a running
    crawl (the archive is in WAL mode).
    """
    if not Path(path).is_file():
        raise CommandError(f"no archive at {path}: crawl first, or name it with -s ARCHIVE_DB=PATH")
    uri = f"file:{pathname2url(os.fsencode(Path(path).resolve()))}?mode=ro"  # bytes: any file name, UTF-8 or not
    try:
        conn = sqlite3.connect(uri, uri=True, timeout=BUSY_TIMEOUT_SECONDS)
        conn.execute("select rowid from articles_fts limit 0")
    except sqlite3.Error as error:
        raise CommandError(f"cannot read the archive {path}: {error}") from None
    conn.row_factory = sqlite3.Row
    snippets.register(conn)  # archive_snippet(): snippets of the text as written
    return conn


def holding_archive_lock(command, path: str, work):
    """The result of ``work()``, run while holding the archive's lock (:mod:`crawler.lock`).

    When another process holds it: one line saying who, exit status 75 (``EX_TEMPFAIL``,
    try again later) on ``command``, and None.
    """
    lock = ArchiveLock(path)
    try:
        lock.acquire()
    except ArchiveBusy as busy:
        print(f"Error: {busy}; exiting.", file=sys.stderr)
        command.exitcode = EXIT_ARCHIVE_BUSY
        return None
    try:
        return work()
    finally:
        lock.release()

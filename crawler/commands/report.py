"""``scrapy report -o FILE``: the archive's coverage as one self-contained HTML file (``crawler/report.py``).

The file is replaced only once complete, as ``scrapy export`` replaces its file.
"""

import argparse
import sqlite3
import sys
from pathlib import Path
from typing import Any, ClassVar

from scrapy.commands import ScrapyCommand

from crawler import coverage, report
from crawler.commands import CommandError, archive_timezone, fail, open_archive, parse_day, parse_limit, positional
from crawler.commands.output import STDOUT, replaceable, write_file, write_stdout

DEFAULT_RUNS = 20


class Command(ScrapyCommand):
    requires_project = True
    requires_crawler_process = False
    default_settings: ClassVar[dict[str, Any]] = {"LOG_ENABLED": False}

    def syntax(self) -> str:
        return "-o FILE [options]"

    def short_desc(self) -> str:
        return "Write the archive's coverage report: one HTML file with its charts"

    def long_desc(self) -> str:
        return (
            "Write a report of the archive (setting ARCHIVE_DB) to FILE (-o - for standard output), one HTML "
            "file that needs nothing else (no network, no script; charts drawn inline as SVG), to mail after "
            "a cron run or attach to a ticket: articles per day per outlet with the days without articles and "
            "the runs that failed, were stopped or did not finish marked; the last runs and their health; the "
            f"categories, agencies and dateline places with most articles; the dateline places not found. "
            f"Without --since and --until, the chart shows the {coverage.DEFAULT_DAYS} days up to the newest "
            f"article's (at most {coverage.MAX_DAYS} days). FILE is replaced only once the report is complete. "
            "Example: scrapy report -o report.html --since 2023-03-01 --until 2023-03-31"
        )

    def add_options(self, parser: argparse.ArgumentParser) -> None:
        super().add_options(parser)
        parser.add_argument("-o", "--output", metavar="FILE", help="HTML file to write (replaced); - for stdout")
        day = "YYYY-MM-DD"
        parser.add_argument("--since", metavar=day, help="first day of the chart (an outlet's own day)")
        parser.add_argument("--until", metavar=day, help="last day of the chart")
        parser.add_argument("--runs", metavar="N", help=f"list the N last crawl runs (default: {DEFAULT_RUNS})")

    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        try:
            self._report(args, opts)
        except CommandError as error:
            fail(self, error)
        except BrokenPipeError:  # the reader of standard output has gone: stop quietly
            self.exitcode = 1

    def _report(self, args: list[str], opts: argparse.Namespace) -> None:
        if extra := positional(args):
            raise CommandError(f"unexpected argument {extra[0]!r} (see --help)")
        if not opts.output:
            raise CommandError("name the file to write with -o FILE (e.g. -o report.html), or -o - for standard output")
        path = None if opts.output == STDOUT else Path(opts.output)
        old = None if path is None else replaceable(path)
        since, until = parse_day("--since", opts.since), parse_day("--until", opts.until)
        if since and until and since > until:
            raise CommandError(f"--since {since} is after --until {until}")
        runs = DEFAULT_RUNS if opts.runs is None else parse_limit(opts.runs)
        zone = archive_timezone(self.settings)
        archive = self.settings["ARCHIVE_DB"]
        conn = open_archive(archive)
        try:
            made = coverage.read(conn, zone, since, until, runs)
        except sqlite3.Error as error:
            if str(error).startswith(("no such column", "no such table")):  # made before places were counted
                raise CommandError(f"the archive {archive} was made by an older version ({error}): a crawl brings "
                                   "it up to date") from None
            raise CommandError(f"cannot read the archive {archive}: {error}") from None
        finally:
            conn.close()
        html = report.render(made, Path(archive).name)
        write = lambda out: out.write(html)  # noqa: E731 - the export's writers take a function of the file
        if path is None:
            write_stdout(write, "utf-8")
        else:
            write_file(write, path, old, "utf-8")
        days = len(made.coverage.days)
        where = "standard output" if path is None else path
        print(f"Wrote the report of {days} days ({made.coverage.first} to {made.coverage.last}) to {where}",
              file=sys.stderr)

"""``scrapy export -o FILE``: archived articles to a CSV, JSON Lines or plain text file, or to standard output.

The file is replaced only once the new one is complete: the export writes a hidden
``.NAME.*.part`` file beside it, syncs it to disk and renames it over ``NAME``. An
export that fails or is killed midway leaves the old file as it was (a killed one
also leaves its ``.part`` file, which may be deleted). Renaming would replace a
symbolic link by a file, and cannot write into a FIFO or a device, so these are
refused: name the file the link points to, or use ``-o -`` and redirect.
"""

import argparse
import sqlite3
import sys
from functools import partial
from pathlib import Path
from typing import Any, ClassVar, TextIO

from scrapy.commands import ScrapyCommand
from tqdm import tqdm

from crawler import export, queries
from crawler.commands import CommandError, add_filter_options, fail, filters_from, open_archive, positional
from crawler.commands.output import STDOUT, replaceable, write_file, write_stdout
from pipelines.profile import Profiles

FORMATS = ("csv", "jsonl", "txt")  # --format, or else the output file's extension
FORMAT_NAMES = "csv, jsonl or txt"


class Command(ScrapyCommand):
    requires_project = True
    requires_crawler_process = False
    default_settings: ClassVar[dict[str, Any]] = {"LOG_ENABLED": False}

    def syntax(self) -> str:
        return "-o FILE [options]"

    def short_desc(self) -> str:
        return "Export archived articles to CSV, JSON Lines or plain text"

    def long_desc(self) -> str:
        return (
            "Export the articles of the archive (setting ARCHIVE_DB), newest first, to FILE (-o - for standard "
            "output); --format, or else FILE's extension, picks the format: csv, jsonl or txt (an outlet's "
            "text-file layout, each article followed by its URL and id, articles separated by a form feed). "
            "FILE is replaced only once the export is complete; a symbolic link, FIFO or device is refused. "
            "Columns, in order: "
            + ", ".join(export.EXPORT_COLUMNS)
            + ". CSV cells that a spreadsheet would run as formulas get a leading ' unless --no-sanitize. "
            'Example: scrapy export -o wheat.csv --search "wheat price" --since 2023-03-01 --bom'
        )

    def add_options(self, parser: argparse.ArgumentParser) -> None:
        super().add_options(parser)
        parser.add_argument(
            "-o", "--output", metavar="FILE", help="file to write (replaced): .csv, .jsonl or .txt; - for stdout"
        )
        parser.add_argument(
            "--format", metavar="FORMAT", help="csv, jsonl or txt: needed with -o -, else overrides FILE's extension"
        )
        parser.add_argument("--search", metavar="TERMS", help="only articles matching these search terms")
        add_filter_options(parser, limit_help="export only the N newest articles")
        parser.add_argument(
            "--columns", metavar="A,B,...", help="export only these columns, comma-separated (csv, jsonl)"
        )
        parser.add_argument(
            "--bom", action="store_true", help="start with a UTF-8 byte-order mark, for Excel (csv, txt)"
        )
        parser.add_argument(
            "--no-sanitize",
            dest="sanitize",
            action="store_false",
            help="leave cells that look like spreadsheet formulas as they are (csv)",
        )

    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        try:
            self._export(args, opts)
        except CommandError as error:
            fail(self, error)
        except BrokenPipeError:  # the reader of standard output has gone (scrapy export -o - | head): stop quietly
            self.exitcode = 1

    def _export(self, args: list[str], opts: argparse.Namespace) -> None:
        if extra := positional(args):
            raise CommandError(f"unexpected argument {extra[0]!r}: give search terms with --search")
        path, fmt = _output(opts)
        old = None if path is None else replaceable(path)
        columns = _columns(opts.columns, fmt)
        _check_format_options(opts, fmt)
        if opts.search is not None and not opts.search.strip():
            raise CommandError("--search needs search terms")
        filters = filters_from(opts, self.settings, search=opts.search)
        conn = open_archive(self.settings["ARCHIVE_DB"])
        try:
            sql, params = queries.select(export.columns_sql(columns), filters, queries.NEWEST_FIRST)
            rows = conn.execute(sql, params)  # a cursor: each row is read as it is written
            if _shows_progress(path):
                total = conn.execute(*queries.count(filters)).fetchone()[0]
                rows = tqdm(rows, total=total, unit=" articles", file=sys.stderr, leave=False)
            write = partial(_write_rows, rows, fmt=fmt, columns=columns, sanitize=opts.sanitize,
                            profiles=Profiles.from_settings(self.settings))
            encoding = "utf-8-sig" if opts.bom else "utf-8"
            written = write_stdout(write, encoding) if path is None else write_file(write, path, old, encoding)
        except sqlite3.Error as error:
            raise CommandError(f"cannot read the archive {self.settings['ARCHIVE_DB']}: {error}") from None
        finally:
            conn.close()
        where = "standard output" if path is None else path
        print(f"Exported {written} article{'' if written == 1 else 's'} to {where}", file=sys.stderr)


def _output(opts: argparse.Namespace) -> tuple[Path | None, str]:
    """The file to write (None for standard output) and the format."""
    if not opts.output:
        raise CommandError("name the file to write with -o FILE (.csv, .jsonl or .txt), or -o - for standard output")
    path = None if opts.output == STDOUT else Path(opts.output)
    if opts.format is not None:
        if opts.format.lower() not in FORMATS:
            raise CommandError(f"--format {opts.format!r} is not {FORMAT_NAMES}")
        return path, opts.format.lower()
    if path is None:
        raise CommandError(f"-o - writes to standard output: name its format with --format ({FORMAT_NAMES})")
    fmt = path.suffix.lower().removeprefix(".")
    if fmt not in FORMATS:
        raise CommandError(f"cannot tell the format of {path}: end its name in .csv, .jsonl or .txt, or give --format")
    return path, fmt


def _columns(text: str | None, fmt: str) -> tuple[str, ...]:
    if text is None:
        return export.EXPORT_COLUMNS
    if fmt == "txt":
        raise CommandError("--columns does not apply to txt, whose layout is fixed")
    wanted = [name.strip() for name in text.split(",") if name.strip()]
    unknown = [name for name in wanted if name not in export.EXPORT_COLUMNS]
    if unknown:
        raise CommandError(f"unknown column {unknown[0]!r}: choose from {', '.join(export.EXPORT_COLUMNS)}")
    if not wanted:
        raise CommandError("--columns names no column")
    return tuple(name for name in export.EXPORT_COLUMNS if name in wanted)


def _check_format_options(opts: argparse.Namespace, fmt: str) -> None:
    if opts.bom and fmt not in ("csv", "txt"):
        raise CommandError("--bom applies to csv and txt only")
    if not opts.sanitize and fmt != "csv":
        raise CommandError("--no-sanitize applies to csv only")


def _shows_progress(path: Path | None) -> bool:
    """A progress bar on stderr when it is a terminal, unless the export itself goes to that terminal."""
    return sys.stderr.isatty() and not (path is None and sys.stdout.isatty())


def _write_rows(rows, out: TextIO, fmt: str, columns: tuple[str, ...], sanitize: bool, profiles: Profiles) -> int:
    if fmt == "csv":
        return export.write_csv(rows, out, columns, sanitize=sanitize)
    if fmt == "jsonl":
        return export.write_jsonl(rows, out, columns)
    return export.write_txt(rows, out, profiles)



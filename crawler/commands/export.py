"""``scrapy export -o FILE``: archived articles to a CSV, JSON Lines or plain text file."""

import argparse
import sqlite3
import sys
from pathlib import Path
from typing import Any, ClassVar

from scrapy.commands import ScrapyCommand
from tqdm import tqdm

from crawler import export, queries
from crawler.commands import CommandError, add_filter_options, fail, filters_from, open_archive, positional

FORMATS = (".csv", ".jsonl", ".txt")  # chosen by the output file's extension


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
            "Export the articles of the archive (setting ARCHIVE_DB), newest first, to FILE; its extension "
            "picks the format: .csv, .jsonl or .txt (UrduPoint's text-file layout, articles separated by a "
            "form feed). Columns, in order: " + ", ".join(export.EXPORT_COLUMNS) + ". CSV cells that a "
            "spreadsheet would run as formulas get a leading ' unless --no-sanitize. "
            'Example: scrapy export -o wheat.csv --search "wheat price" --since 2023-03-01 --bom'
        )

    def add_options(self, parser: argparse.ArgumentParser) -> None:
        super().add_options(parser)
        parser.add_argument("-o", "--output", metavar="FILE", help="file to write (replaced): .csv, .jsonl or .txt")
        parser.add_argument("--search", metavar="TERMS", help="only articles matching these search terms")
        add_filter_options(parser, limit_help="export only the N newest articles")
        parser.add_argument(
            "--columns", metavar="A,B,...", help="export only these columns, comma-separated (.csv, .jsonl)"
        )
        parser.add_argument(
            "--bom", action="store_true", help="start with a UTF-8 byte-order mark, for Excel (.csv, .txt)"
        )
        parser.add_argument(
            "--no-sanitize",
            dest="sanitize",
            action="store_false",
            help="leave cells that look like spreadsheet formulas as they are (.csv)",
        )

    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        try:
            self._export(args, opts)
        except CommandError as error:
            fail(self, error)

    def _export(self, args: list[str], opts: argparse.Namespace) -> None:
        if extra := positional(args):
            raise CommandError(f"unexpected argument {extra[0]!r}: give search terms with --search")
        path, suffix = _output(opts)
        columns = _columns(opts.columns, suffix)
        _check_format_options(opts, suffix)
        if opts.search is not None and not opts.search.strip():
            raise CommandError("--search needs search terms")
        filters = filters_from(opts, search=opts.search)
        conn = open_archive(self.settings["ARCHIVE_DB"])
        try:
            sql, params = queries.select(export.columns_sql(columns), filters, queries.NEWEST_FIRST)
            rows = conn.execute(sql, params)  # a cursor: each row is read as it is written
            total = conn.execute(*queries.count(filters)).fetchone()[0] if sys.stderr.isatty() else None
            written = _write(rows, total, path, suffix, columns, opts)
        except sqlite3.Error as error:
            raise CommandError(f"cannot read the archive {self.settings['ARCHIVE_DB']}: {error}") from None
        finally:
            conn.close()
        print(f"Exported {written} article{'' if written == 1 else 's'} to {path}", file=sys.stderr)


def _output(opts: argparse.Namespace) -> tuple[Path, str]:
    if not opts.output:
        raise CommandError("name the file to write with -o FILE (.csv, .jsonl or .txt)")
    path = Path(opts.output)
    suffix = path.suffix.lower()
    if suffix not in FORMATS:
        raise CommandError(f"cannot tell the format of {path}: its name must end in {', '.join(FORMATS)}")
    return path, suffix


def _columns(text: str | None, suffix: str) -> tuple[str, ...]:
    if text is None:
        return export.EXPORT_COLUMNS
    if suffix == ".txt":
        raise CommandError("--columns does not apply to .txt, whose layout is fixed")
    wanted = [name.strip() for name in text.split(",") if name.strip()]
    unknown = [name for name in wanted if name not in export.EXPORT_COLUMNS]
    if unknown:
        raise CommandError(f"unknown column {unknown[0]!r}: choose from {', '.join(export.EXPORT_COLUMNS)}")
    if not wanted:
        raise CommandError("--columns names no column")
    return tuple(name for name in export.EXPORT_COLUMNS if name in wanted)


def _check_format_options(opts: argparse.Namespace, suffix: str) -> None:
    if opts.bom and suffix not in (".csv", ".txt"):
        raise CommandError("--bom applies to .csv and .txt only")
    if not opts.sanitize and suffix != ".csv":
        raise CommandError("--no-sanitize applies to .csv only")


def _write(rows, total: int | None, path: Path, suffix: str, columns: tuple[str, ...], opts) -> int:
    """Write ``rows`` to ``path``, with a progress bar when ``total`` is known; returns the count."""
    try:
        # newline="": the csv module writes its own line ends, and .txt must be byte for byte.
        with path.open("w", encoding="utf-8-sig" if opts.bom else "utf-8", newline="") as out:
            if total is not None:
                rows = tqdm(rows, total=total, unit=" articles", file=sys.stderr, leave=False)
            if suffix == ".csv":
                return export.write_csv(rows, out, columns, sanitize=opts.sanitize)
            if suffix == ".jsonl":
                return export.write_jsonl(rows, out, columns)
            return export.write_txt(rows, out)
    except OSError as error:
        raise CommandError(f"cannot write {path}: {error.strerror or error}") from None

"""``scrapy search TERMS``: the archived stories that match, best match first.

A story carried by several outlets (:mod:`pipelines.stories`) is shown once, by its best-ranked
article, with the outlets that carried it; ``--every-copy`` shows each outlet's article.
"""

import argparse
import json
import os
import sqlite3
import sys
from typing import Any, ClassVar

from scrapy.commands import ScrapyCommand

from crawler import queries, snippets
from crawler.commands import CommandError, add_filter_options, fail, filters_from, open_archive, positional

DEFAULT_LIMIT = 20
SNIPPET_TOKENS = 16  # words of text around the match
BOLD = ("\x1b[1m", "\x1b[0m")
BRACKETS = ("[", "]")
INDENT = " " * len("YYYY-MM-DD HH:MM  ")  # lines under a result's title start under it
shown = snippets.ESCAPES["terminal"]  # a title or URL as printed: no control characters of the page


class Command(ScrapyCommand):
    requires_project = True
    requires_crawler_process = False
    default_settings: ClassVar[dict[str, Any]] = {"LOG_ENABLED": False}

    def syntax(self) -> str:
        return "[options] <terms>"

    def short_desc(self) -> str:
        return "Search the archived articles, best match first"

    def long_desc(self) -> str:
        return (
            "Search the titles, summaries and texts of the articles in the archive (setting ARCHIVE_DB); "
            "a match in the title ranks highest. Every word must match; a \"quoted phrase\" must match as "
            "written, OR between two words accepts either, and word* matches any word it begins. "
            "Urdu is found however it is typed: Arabic or Urdu letters, with or without vowel marks or hamza. "
            "Each result shows its publication time (Pakistan), title, URL and the matching words of its text; "
            "the last line says how many articles matched. A story that several outlets carried is shown once, "
            "by its best-matching article, with the outlets that carried it (--every-copy shows each article). "
            f"When more than {queries.SEARCH_WINDOW:,} articles match, the {queries.SEARCH_WINDOW:,} most recently "
            "archived of them (that pass --since, --until and --outlet) are ranked, as by the archive's "
            "datasette search: add words or dates to reach older ones. "
            'Example: scrapy search "wheat price" --since 2023-03-01 --limit 5'
        )

    def add_options(self, parser: argparse.ArgumentParser) -> None:
        super().add_options(parser)
        add_filter_options(parser, limit_help=f"show at most N results (default: {DEFAULT_LIMIT})")
        parser.add_argument(
            "--json",
            action="store_true",
            help="print one JSON array of results (id, url, outlet, title, published_at, rank, snippet, "
            "story, outlets, copies)",
        )
        parser.add_argument(
            "--every-copy",
            action="store_true",
            help="show each outlet's article of a story, not the story once",
        )

    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        try:
            self._search(args, opts)
        except CommandError as error:
            fail(self, error)

    def _search(self, args: list[str], opts: argparse.Namespace) -> None:
        terms = " ".join(positional(args))
        if not terms.strip():
            raise CommandError('give the words to search for, e.g. scrapy search "wheat price"')
        filters = filters_from(opts, self.settings, search=terms, limit=DEFAULT_LIMIT)
        marks = BRACKETS if opts.json or not _terminal() else BOLD
        results, matched, stories = self._results(filters, opts.every_copy, marks)
        if opts.json:
            print(json.dumps(results, ensure_ascii=False, indent=2))
        elif not results:
            print(f"No articles match: {terms}")
        else:
            for result in results:
                print(f"{_when(result['published_at']):<{len(INDENT)}}{shown(result['title'])}")
                print(f"{INDENT}{shown(result['url'])}")
                print(f"{INDENT}{result['snippet']}")
                if result["copies"] > 1:
                    print(f"{INDENT}{result['copies']} articles of this story, from: {shown(result['outlets'])}")
                print()
            print(_how_many(matched, stories, len(results), opts.every_copy))

    def _results(self, filters: queries.Filters, every_copy: bool,
                 marks: tuple[str, str]) -> tuple[list[dict], int, int]:
        """The results, and how many articles and stories matched (:func:`crawler.queries.matched`)."""
        # The snippet shows the text as written (the index holds it folded), so it is made by
        # archive_snippet (crawler.snippets), and only for the rows shown: after the limit. Its text
        # is escaped for a terminal, so that no escape sequence in it passes for the bold of a mark.
        columns = (
            "a.id, a.url, a.outlet, a.title, a.published_at, best.score as rank, "
            f"archive_snippet(a.text, :match, :mark_start, :mark_end, '…', {SNIPPET_TOKENS}, 'terminal') as snippet, "
            f"best.story, {queries.STORY_OUTLETS} as outlets, {queries.STORY_ARTICLES} as copies"
        )
        sql, params = queries.best_matches(columns, filters, every_copy)
        params.update(mark_start=marks[0], mark_end=marks[1])
        conn = open_archive(self.settings["ARCHIVE_DB"])
        try:
            rows = conn.execute(sql, params)
            results = [{**dict(row), "snippet": " ".join(row["snippet"].split())} for row in rows]
            [(matched, stories)] = conn.execute(*queries.matched(filters))
            return results, matched, stories
        except sqlite3.Error as error:
            raise CommandError(f"cannot read the archive {self.settings['ARCHIVE_DB']}: {error}") from None
        finally:
            conn.close()


def _how_many(matched: int, stories: int, shown: int, every_copy: bool) -> str:
    """The last line: how many articles matched (``SEARCH_WINDOW + 1``: more than were ranked), and in
    how many stories when fewer."""
    window = queries.SEARCH_WINDOW
    if matched > window:
        return (f"More than {window:,} articles matched; the {window:,} newest were ranked, "
                f"the best {shown:,} are shown (add words or dates to reach older ones)")
    said = f"{matched:,} article{'' if matched == 1 else 's'} matched"
    if stories < matched:
        said += f", {stories:,} stor{'y' if stories == 1 else 'ies'}"
    shown_of = matched if every_copy else stories
    return said if shown == shown_of else f"{said}; the best {shown:,} are shown (--limit N shows more)"


def _terminal() -> bool:
    """Whether to highlight with ANSI bold: output to a terminal, and no NO_COLOR (no-color.org)."""
    return sys.stdout.isatty() and not os.environ.get("NO_COLOR")


def _when(published_at: str | None) -> str:
    """``2023-03-02 17:20`` (the outlet's time, as stored), ``2023-03-02`` for a bare day."""
    return published_at[:16].replace("T", " ") if published_at else "undated"

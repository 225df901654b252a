"""Archived articles written out as CSV, JSON Lines or plain text, one row at a time.

Columns, in this order (:data:`EXPORT_COLUMNS`; ``scrapy export --columns`` picks
a subset, kept in this order):

    id, url, outlet, language, published_at, published_at_utc, title, summary,
    author, category, tags, dateline, dateline_place, dateline_agency,
    dateline_date, text, first_seen, last_seen, other_urls, story

Each is the archive's ``articles`` column of that name, except ``other_urls``: the
other URLs that led to the article (aliases, redirects; table ``article_urls``),
oldest first. An export keeps one record per article: the articles of one story carried by
several outlets share its ``story``, the URL of its first-published article
(:mod:`pipelines.stories`). In CSV, ``tags`` is the JSON array the archive stores and
``other_urls`` is joined by spaces; in JSON Lines both are arrays.

CSV is meant to be opened in a spreadsheet, so by default a cell that a
spreadsheet would run as a formula is neutralised (:func:`neutralise_formula`).

Plain text reproduces the layout of the article text files news outlets publish, each
followed by a line naming its URL and id, articles separated by a line holding
only a form feed (see :func:`txt_article`).
"""

import csv
import json
import unicodedata
from collections.abc import Iterable, Mapping
from datetime import date, datetime, tzinfo
from typing import TextIO

from pipelines.profile import Profile, Profiles


EXPORT_COLUMNS = (
    "id",
    "url",
    "outlet",
    "language",
    "published_at",
    "published_at_utc",
    "title",
    "summary",
    "author",
    "category",
    "tags",
    "dateline",
    "dateline_place",
    "dateline_agency",
    "dateline_date",
    "text",
    "first_seen",
    "last_seen",
    "other_urls",
    "story",
)

OTHER_URLS_SQL = (
    "(select group_concat(url, ' ') from (select url from article_urls"
    " where article_id = a.id and url != a.url order by first_seen, url))"
)

# What a spreadsheet (Excel, LibreOffice, Google Sheets) may read as the start of a
# formula: OWASP's list for CSV injection (= + - @, tab, CR, LF), NUL (OWASP ASVS
# 1.2.10), and the pipe that some spreadsheets take as a DDE command. Compared after
# NFKC folding, so that the full-width forms (＝ ＋ － ＠ ｜) that some spreadsheets
# fold to these count too.
FORMULA_STARTS = frozenset("=+-@\t\r\n|\0")

MONTHS = (  # not strftime("%B"), which follows the locale
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)
ARTICLE_SEPARATOR = "\f\n"


def columns_sql(columns: Iterable[str]) -> str:
    """The select list for ``columns``, over the articles table ``a``."""
    return ", ".join(f"{OTHER_URLS_SQL} as other_urls" if name == "other_urls" else f"a.{name}" for name in columns)


def neutralise_formula(value):
    """``value``, with a leading ``'`` if it is text that a spreadsheet would run as a formula.

    A title such as ``=HYPERLINK("http://evil", "Click")`` would otherwise become a
    live link or command when the CSV is opened. The ``'`` shows in the cell:
    the price of never running one.
    """
    if isinstance(value, str) and _starts_like_a_formula(value):
        return "'" + value
    return value


def _starts_like_a_formula(text: str) -> bool:
    """Whether ``text`` starts with a formula character, or its first visible character is one (after NFKC)."""
    first = text[:1]
    if first in FORMULA_STARTS:
        return True
    if first.isascii() and not first.isspace():  # most cells: visible ASCII, nothing to fold or skip
        return False
    return unicodedata.normalize("NFKC", _first_visible(text)) in FORMULA_STARTS


def _first_visible(text: str) -> str:
    """The first character of ``text`` that is neither white space nor invisible ("" if none).

    Spreadsheets skip leading spaces, no-break spaces, zero-width spaces and
    byte-order marks (Unicode's format characters) before they look for a formula.
    """
    for char in text:
        if not (char.isspace() or unicodedata.category(char) == "Cf"):
            return char
    return ""


def write_csv(rows: Iterable[Mapping], out: TextIO, columns: Iterable[str], sanitize: bool = True) -> int:
    """Write a header and ``rows`` to ``out`` (opened with ``newline=""``); returns the row count."""
    columns = list(columns)
    writer = csv.writer(out)
    writer.writerow(columns)
    written = 0
    for row in rows:
        values = (row[name] for name in columns)
        writer.writerow([neutralise_formula(value) for value in values] if sanitize else values)
        written += 1
    return written


def write_jsonl(rows: Iterable[Mapping], out: TextIO, columns: Iterable[str]) -> int:
    """Write one JSON object per row to ``out``; returns the row count."""
    columns = list(columns)
    written = 0
    for row in rows:
        record = {name: row[name] for name in columns}
        if "tags" in record:
            record["tags"] = json.loads(record["tags"] or "[]")
        if "other_urls" in record:
            record["other_urls"] = (record["other_urls"] or "").split()
        out.write(json.dumps(record, ensure_ascii=False) + "\n")
        written += 1
    return written


def write_txt(rows: Iterable[Mapping], out: TextIO, profiles: Profiles = Profiles()) -> int:
    """Write each row as :func:`txt_article`, with its outlet's profile, a form-feed line between two;
    returns the row count."""
    written = 0
    for row in rows:
        if written:
            out.write(ARTICLE_SEPARATOR)
        out.write(txt_article(row, profiles.get(row["outlet"])))
        written += 1
    return written


def txt_article(article: Mapping, outlet: Profile | None = None) -> str:
    """One article in the layout of the text files news outlets publish, signed as its ``outlet`` signs::

         date 2023-03-02 Outlet.com

        Blinken Presses Russia's Lavrov Over Ukraine On G20 Sidelines

        Published March 02, 2023 | 05:20 PM

        New Delhi, March 2 (Outlet / Outlet News - 2nd Mar, 2023 ) :The United...

        ...last paragraph

        Source: https://www.outlet.com/en/world/blinken-...-1653838.html | archive id 1

    The last line, after the outlet's layout, names the article's URL and its ``id``
    in the archive. The outlet signs with its profile's ``display_name`` (else its name), and
    days and times are in its profile's zone (else as archived). The dateline is put back before
    the text as ``{dateline} :`` (the separator the page used is not stored). Without a
    publication date, the first line is only the outlet and there is no
    ``Published`` line; with a date but no time, ``Published`` gives the date only.
    """
    signature = (outlet and outlet.display_name) or article["outlet"]
    if article["published_at"]:
        day, byline = _published(article["published_at"], outlet and outlet.timezone)
        lines = [f" date {day} {signature}", "", article["title"], "", byline]
    else:
        lines = [f" {signature}", "", article["title"]]
    text = article["text"]
    if article["dateline"]:
        text = f"{article['dateline']} :{text}"
    for paragraph in text.split("\n\n"):
        lines += ["", paragraph]
    lines += ["", f"Source: {article['url']} | archive id {article['id']}"]
    return "\n".join(lines) + "\n\n"


def _published(published_at: str, zone: tzinfo | None) -> tuple[str, str]:
    """``("2023-03-02", "Published March 02, 2023 | 05:20 PM")`` for an ISO 8601 date or time."""
    if len(published_at) == len("YYYY-MM-DD"):
        day = date.fromisoformat(published_at)
        return day.isoformat(), f"Published {MONTHS[day.month - 1]} {day.day:02d}, {day.year}"
    moment = datetime.fromisoformat(published_at)
    moment = moment.astimezone(zone) if zone and moment.tzinfo else moment
    clock = f"{(moment.hour % 12) or 12:02d}:{moment.minute:02d} {'AM' if moment.hour < 12 else 'PM'}"
    return (
        moment.date().isoformat(),
        f"Published {MONTHS[moment.month - 1]} {moment.day:02d}, {moment.year} | {clock}",
    )

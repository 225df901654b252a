"""How the article page writes an archived article's text: times in words, paragraphs, Urdu's
embedded Latin, word diffs and links. Every function escapes what it is given and returns
:class:`~markupsafe.Markup` (or plain text for the template to escape): an article's text is
untrusted, and nothing in it may become markup.
"""

import difflib
import re
from datetime import date, datetime, tzinfo
from urllib.parse import urlsplit

from markupsafe import Markup, escape

PARAGRAPH_BREAK = re.compile(r"\n\s*\n|\n")
# A run of Latin letters and digits inside Urdu (COVID-19, Rs3,900, 2023, "Prime Minister"), with the
# spaces and punctuation between its words: isolated, it keeps its own left-to-right order.
LATIN_RUN = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9.,:%/'&+\-]|\s(?=[A-Za-z0-9]))*")
WORDS = re.compile(r"\n\s*\n|\S+")  # words, and paragraph breaks as tokens of their own
UNCHANGED_CONTEXT_WORDS = 12  # of a long unchanged stretch, the words kept on either side of a change
WEB_SCHEMES = ("http", "https")


def reader_time(published_at: str | None, zone: tzinfo | None) -> str | None:
    """``published_at`` as a reader says it: "Thursday 2 March 2023, 17:20 PKT".

    An aware time is given in the outlet's ``zone`` (its profile's), else in its own offset;
    a time without an offset stays as written, without a zone; a day alone stays a day.
    """
    if not published_at:
        return None
    try:
        if len(published_at) == len("YYYY-MM-DD"):
            return _day(date.fromisoformat(published_at))
        moment = datetime.fromisoformat(published_at)
    except ValueError:
        return published_at
    if moment.tzinfo is None:
        return f"{_day(moment)}, {moment:%H:%M}"
    if zone is not None:
        moment = moment.astimezone(zone)
    return f"{_day(moment)}, {moment:%H:%M} {moment.tzname()}"


def record_time(moment: str | None) -> str:
    """A time the archive recorded (UTC), shortly: "5 March 2023, 08:00 UTC"."""
    try:
        parsed = datetime.fromisoformat(moment or "")
    except ValueError:
        return moment or ""
    zone = f" {parsed.tzname()}" if parsed.tzinfo else ""
    return f"{parsed.day} {parsed:%B %Y, %H:%M}{zone}"


def _day(day: date) -> str:
    return f"{day:%A} {day.day} {day:%B %Y}"  # strftime's C locale: English names


def isolated(text: str, right_to_left: bool) -> Markup:
    """``text`` escaped; in right-to-left text, each Latin run in a ``<bdi dir="ltr">`` of its own,
    so that numbers and English words read in their order and do not drag the punctuation around."""
    if not right_to_left:
        return escape(text)
    pieces, end = [], 0
    for run in LATIN_RUN.finditer(text):
        pieces.append(escape(text[end:run.start()]))
        pieces.append(Markup('<bdi dir="ltr">{}</bdi>').format(run.group()))
        end = run.end()
    pieces.append(escape(text[end:]))
    return Markup("").join(pieces)


def paragraphs(text: str | None, right_to_left: bool) -> list[Markup]:
    """The body's paragraphs (the archive separates them by blank lines), each escaped."""
    return [isolated(part.strip(), right_to_left) for part in PARAGRAPH_BREAK.split(text or "") if part.strip()]


def word_diff(old: str, new: str) -> Markup:
    """The words of ``old`` and ``new`` with what was removed in ``<del>`` and what was added in
    ``<ins>``; a long unchanged stretch is cut to its ends, around "…". Paragraph breaks are kept."""
    old_words, new_words = WORDS.findall(old or ""), WORDS.findall(new or "")
    matcher = difflib.SequenceMatcher(None, old_words, new_words, autojunk=False)
    opcodes = matcher.get_opcodes()
    out = []
    for index, (tag, i1, i2, j1, j2) in enumerate(opcodes):
        if tag == "equal":
            out.append(_unchanged(old_words[i1:i2], first=index == 0, last=index == len(opcodes) - 1))
            continue
        if i2 > i1:
            out.append(Markup("<del>{}</del>").format(_words(old_words[i1:i2])))
        if j2 > j1:
            out.append(Markup("<ins>{}</ins>").format(_words(new_words[j1:j2])))
    return Markup(" ").join(out)


def _unchanged(words: list[str], first: bool, last: bool) -> Markup:
    before = 0 if first else UNCHANGED_CONTEXT_WORDS  # context kept after the change before it
    after = 0 if last else UNCHANGED_CONTEXT_WORDS  # context kept before the change after it
    if len(words) <= before + after + 1:
        return _words(words)
    skipped = len(words) - before - after
    kept = [_words(words[:before]), Markup('<span class="unchanged">… {:,} words unchanged …</span>').format(skipped),
            _words(words[len(words) - after:])]
    return Markup(" ").join(part for part in kept if part)


def _words(words: list[str]) -> Markup:
    return Markup(" ").join(Markup("<br><br>") if word.isspace() else escape(word) for word in words)


def web_link(url: str | None) -> str | None:
    """``url`` if it is a web address a link may point to; None for anything else (``javascript:``, ``data:``)."""
    if url and urlsplit(url.strip()).scheme.lower() in WEB_SCHEMES:
        return url
    return None

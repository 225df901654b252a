"""Snippets of an article's own text around the words a search found: the SQL function ``archive_snippet``.

The full-text index holds folded text (:mod:`pipelines.normalise`), so FTS5's own
``snippet()`` would show that folded text: Urdu without its vowel marks, Arabic
letters swapped for Urdu ones. ``archive_snippet`` shows the article as written.
It takes the same arguments as ``snippet(articles_fts, 2, ...)``, but the text and
the MATCH expression instead of the FTS table::

    archive_snippet(articles.text, :match, '<mark>', '</mark>', '…', 24)

It reads the text the way the index does (SQLite's unicode61 tokenizer over the
folded text), so it marks exactly the words the index matched, and picks the
fragment as FTS5 does: the window of ``tokens`` words with the most distinct
search terms (a repeat counts little), centred on them, or starting at a sentence
when that scores better. Sentences end with ``.`` or ``:``, as for FTS5, and also
with the Urdu ``۔`` and ``؟``. Without a match in the text (the words were in the
title), it gives the text's first ``tokens`` words.

The function is registered on a connection by :func:`register`: ``scrapy search``
does it; any other reader (the datasette plugin) must too. Call it only for the
rows shown, after ``limit``: it reads each text in Python. Its work is linear in the
text and bounded (:data:`MAX_TEXT_CHARS`, :data:`MAX_INSTANCES`, :data:`MAX_QUERY_WORDS`),
since nothing can interrupt it once SQLite has called it; registered with a time budget,
the snippets of one query stop being made when it is spent (:class:`Deadline`).
"""

import bisect
import contextlib
import functools
import heapq
import html
import itertools
import re
import sqlite3
import time
import unicodedata
from collections import Counter

from pipelines.normalise import FOLDS, fold

SQL_NAME = "archive_snippet"
_REMOVED = "".join(sorted(char for char, replacement in FOLDS.items() if not replacement))
# A word as unicode61 reads the folded text: letters, digits and private-use characters;
# characters that folding removes (vowel marks, tatweel, joiners) do not split it, nor do
# Latin accents (U+0300-U+036F).
_LETTER = rf"(?:(?![{re.escape(_REMOVED)}])[^\W_]|[\ue000-\uf8ff])"  # tatweel is a letter, but folded away
WORD = re.compile(rf"{_LETTER}(?:{_LETTER}|[{re.escape(_REMOVED)}\u0300-\u036f])*")
# Without any of those characters (most English text), a word is a run of letters and digits:
# the same words, found in half the time.
PLAIN_WORD = re.compile(r"[^\W_]+")
NOT_PLAIN = re.compile(rf"[{re.escape(_REMOVED)}\u0300-\u036f\ue000-\uf8ff]")
# In ASCII text (19 articles in 20), a word is a run of ASCII letters and digits and its key is the
# word in lower case (folding and accents change no ASCII character): in the lower-cased text, this
# finds the keys themselves, with no match object per word.
ASCII_KEY = re.compile(r"[a-z0-9]+")
# SENTENCE_END in ASCII text, where a word follows: one pattern for each of "." and ":", which
# are found in a quarter of the time of one pattern for both.
ASCII_SENTENCE_ENDS = [re.compile(rf"{re.escape(end)}[ \t\n\r]+(?=[a-z0-9])") for end in ".:"]
SENTENCE_END = re.compile(r"[.:۔؟][ \t\n\r]+")  # ends where a sentence's first word starts
PHRASE = re.compile(r'"((?:[^"]|"")*)"(\*?)|([^\s"()]+)')
OPERATORS = frozenset({"AND", "OR", "NOT", "NEAR"})
FIRST_SENTENCE_BONUS, SENTENCE_BONUS, NEW_TERM, REPEATED_TERM = 120, 100, 1000, 1  # as FTS5 scores
# How a snippet's text is escaped for where it is shown (its marks are not): "html" for a page
# (the text may hold tags, "<mark>" among them), "terminal" for one, where the control characters
# in a text (an escape sequence could fake the bold of a mark, or worse) are shown as U+FFFD.
TERMINAL_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
ESCAPES = {
    "html": functools.partial(html.escape, quote=False),
    "terminal": functools.partial(TERMINAL_CONTROL.sub, "\ufffd"),
}
# A snippet is made in Python, which datasette's time limit cannot interrupt (it stops a query only
# between two calls), so each call's work is bounded: it reads the text's first MAX_TEXT_CHARS
# characters (an article of 8,000 words has about 50,000) and weighs the first MAX_INSTANCES words found.
MAX_TEXT_CHARS = 100_000
MAX_INSTANCES = 2_000
# Each word searched for costs a pass over the text: a search has at most MAX_QUERY_WORDS words
# (crawler.search.query_problem), and a MATCH expression given in SQL is read no further.
MAX_QUERY_WORDS = 16
LEAD_CHARS = 200  # what lead() shows of a text without a word


@functools.lru_cache(maxsize=65536)  # a text repeats its words: this halves a snippet's cost
def word_key(word: str) -> str:
    """How the index compares a word: folded, Latin accents removed, lower case."""
    decomposed = unicodedata.normalize("NFD", fold(word))
    return "".join(c for c in decomposed if not "\u0300" <= c <= "\u036f").lower()


@functools.lru_cache(maxsize=256)  # the same for every row of a query
def search_phrases(match: str | None) -> list[tuple[list[str], bool]]:
    """The phrases of a MATCH expression (as ``crawler.search.fts_query`` writes them):
    each a list of word keys, and whether its last word is a prefix. Cached: callers must not change it.

    Only its first :data:`MAX_QUERY_WORDS` words are read: all that ``fts_query`` writes.
    """
    phrases, budget = [], MAX_QUERY_WORDS  # words left to read
    for found in PHRASE.finditer(match or ""):
        if not budget:
            break
        if found[1] is not None:
            text, prefix = found[1].replace('""', '"'), bool(found[2])
        elif found[3] in OPERATORS:
            continue
        else:
            text, prefix = found[3].rstrip("*"), found[3].endswith("*")
        keys = [word_key(word[0]) for word in itertools.islice(WORD.finditer(fold(text)), budget)]
        if keys:
            phrases.append((keys, prefix))
            budget -= len(keys)
    return phrases


def _positions(keys: list[str], key: str, stop: int):
    """Each position of ``key`` in ``keys`` before ``stop``, in order, as they are asked for
    (``list.index`` looks in C: faster than a loop over them)."""
    position = -1
    try:
        while True:
            position = keys.index(key, position + 1, stop)
            yield position
    except ValueError:
        return


def _instances(keys: list[str], phrases) -> list[tuple[int, int, int]]:
    """``(position, length, phrase)`` of the first :data:`MAX_INSTANCES` phrases found in the words
    ``keys``, in text order. Each phrase's positions are looked for only as far as they are needed."""
    found = [
        zip(_phrase_positions(keys, phrase, prefix), itertools.repeat(len(phrase)), itertools.repeat(number))
        for number, (phrase, prefix) in enumerate(phrases)
    ]
    return list(itertools.islice(heapq.merge(*found), MAX_INSTANCES))


def _phrase_positions(keys: list[str], phrase: list[str], prefix: bool):
    """Each position of ``phrase`` in ``keys``, in order, as they are asked for."""
    size, first, middle, last = len(phrase), phrase[0], phrase[1:-1], phrase[-1]
    if size == 1 and prefix:
        return itertools.compress(itertools.count(), map(str.startswith, keys, itertools.repeat(last)))
    return (
        n for n in _positions(keys, first, len(keys) - size + 1)
        if keys[n + 1 : n + size - 1] == middle
        and (keys[n + size - 1] == last or (prefix and keys[n + size - 1].startswith(last)))
    )


def _window_scores(instances, size: int):
    """``score(start)``: FTS5's score of the window of ``size`` words from ``start``, with its first
    and end word, for starts that never decrease.

    Each instance enters the window and leaves it once, so that all the windows of a text cost
    time linear in its instances (scoring each window afresh would cost their square).
    """
    counts, entered, left, distinct = Counter(), 0, 0, 0

    def score(start: int) -> tuple[int, int, int]:
        nonlocal entered, left, distinct
        while entered < len(instances) and instances[entered][0] < start + size:
            counts[instances[entered][2]] += 1
            distinct += counts[instances[entered][2]] == 1
            entered += 1
        while left < entered and instances[left][0] < start:
            counts[instances[left][2]] -= 1
            distinct -= counts[instances[left][2]] == 0
            left += 1
        if left == entered:
            return 0, -1, 0
        position, length, _ = instances[entered - 1]
        return NEW_TERM * distinct + REPEATED_TERM * (entered - left - distinct), instances[left][0], position + length

    return score


def _words(text: str):
    """The keys of the words of ``text``, the numbers of the words that start a sentence, and
    ``window(first, last)``: the words from number ``first`` to ``last``, as matches.
    :func:`_ascii_words` gives the same as :func:`_unicode_words`, faster (tests/test_search_urdu.py)."""
    return _ascii_words(text) if text.isascii() else _unicode_words(text)


def _unicode_words(text: str):
    """:func:`_words` for any text."""
    words = list((PLAIN_WORD if NOT_PLAIN.search(text) is None else WORD).finditer(text))
    starts = [0] if words else []  # the first word, and each right after a sentence end and white space
    for found in SENTENCE_END.finditer(text):
        n = bisect.bisect_left(words, found.end(), key=re.Match.start)
        if 0 < n < len(words) and words[n].start() == found.end():
            starts.append(n)
    return [word_key(w[0]) for w in words], starts, lambda first, last: words[first : last + 1]


def _ascii_words(text: str):
    """:func:`_unicode_words` for ASCII ``text``, in half the time.

    It reads the lower-cased text a sentence at a time: the keys of each sentence's words in
    one ``findall``, and where the sentence starts, from which the words shown are found again.
    """
    lower = text.lower()
    ends = sorted(found.end() for pattern in ASCII_SENTENCE_ENDS for found in pattern.finditer(lower))
    keys, starts, offsets, previous = [], [0], [0], 0  # offsets: where the sentence of each of starts begins
    for end in ends:
        keys += ASCII_KEY.findall(lower, previous, end)
        previous = end
        if keys:  # the word after the end is not the first
            starts.append(len(keys))
            offsets.append(end)
    keys += ASCII_KEY.findall(lower, previous)

    def window(first: int, last: int) -> list[re.Match]:
        sentence = bisect.bisect_right(starts, first) - 1
        found = PLAIN_WORD.finditer(text, offsets[sentence])
        return list(itertools.islice(found, first - starts[sentence], last + 1 - starts[sentence]))

    return keys, starts, window


def _best_start(starts: list[int], count: int, instances, size: int) -> int:
    """Where the window of ``size`` words with the best score starts: at a found word (centred on
    what the window holds) or at the start of its sentence, as FTS5 chooses."""
    best_score, best_start, scored, scored_sentence = 0, 0, -1, -1
    at_instance, at_sentence = _window_scores(instances, size), _window_scores(instances, size)
    for position, _, _ in instances:
        if position == scored:  # a window scored again would score the same: never better
            continue
        scored = position
        score, first, end = at_instance(position)
        if score > best_score:
            adjusted = first - int((size - (end - first)) / 2)  # centred on what it holds
            best_score, best_start = score, max(0, min(adjusted, count - size))
        if count > size:
            sentence = starts[bisect.bisect_right(starts, position) - 1]
            if scored_sentence < sentence < position:
                scored_sentence = sentence
                score = at_sentence(sentence)[0]
                score += FIRST_SENTENCE_BONUS if sentence == 0 else SENTENCE_BONUS
                if score > best_score:
                    best_score, best_start = score, sentence
    return best_start


def snippet(text: str | None, match: str | None, start: str = "[", end: str = "]", ellipsis: str = "…",
            tokens: int = 16, escape=str) -> str | None:
    """The fragment of ``text`` best showing what ``match`` found, the found words between
    ``start`` and ``end``, ``ellipsis`` where text was cut; ``escape(piece)`` for each piece of the
    text, not for the marks, so that a mark written in the text is not taken for one."""
    if text is None:
        return None
    whole = len(text) <= MAX_TEXT_CHARS
    text = text if whole else text[:MAX_TEXT_CHARS]
    keys, starts, window = _words(text)
    if not keys:
        return escape(text)
    size, count = max(int(tokens), 1), len(keys)
    instances = _instances(keys, search_phrases(match))
    first = _best_start(starts, count, instances, size) if instances else 0
    last = min(first + size, count) - 1
    shown = window(first, last)  # words first to last
    marks = []  # [first word, last word] of each run of found words, overlapping finds merged
    for position, length, _ in instances:
        if marks and position <= marks[-1][1]:
            marks[-1][1] = max(marks[-1][1], position + length - 1)
        else:
            marks.append([position, position + length - 1])
    opens = {a for a, b in marks if first <= a <= last}
    closes = {min(b, last) for a, b in marks if first <= a <= last}
    out, offset = [ellipsis if first > 0 else ""], shown[0].start() if first > 0 else 0
    for n, word in enumerate(shown, first):
        if n in opens:
            out += [escape(text[offset : word.start()]), start]
            offset = word.start()
        if n in closes:
            out += [escape(text[offset : word.end()]), end]
            offset = word.end()
    if last >= count - 1 and whole:
        out.append(escape(text[offset:]))
    else:
        out += [escape(text[offset : shown[-1].end()]), ellipsis]
    return "".join(out)


def lead(text: str | None, ellipsis: str = "…", tokens: int = 16, escape=str) -> str | None:
    """The first ``tokens`` words of ``text``, unmarked: what a snippet shows once its query's
    time is spent (:class:`Deadline`). Its work does not grow with the text."""
    if text is None:
        return None
    words = list(itertools.islice(PLAIN_WORD.finditer(text), max(int(tokens), 1)))
    cut = words[-1].end() if words else min(len(text), LEAD_CHARS)
    return escape(text[:cut]) + (ellipsis if cut < len(text) else "")


class Deadline:
    """How long the snippets of one SQL statement may take together, on one connection.

    SQLite calls a Python function between two of its steps, and datasette's time limit
    (a progress handler, run between steps) cannot stop it: a query showing 50 long
    articles could run its snippets well past the limit. SQLite says when each statement
    starts (the connection's trace callback, set by :func:`register`), which starts the
    count afresh. Once a statement's snippets have taken their time, its other rows show
    their text's first words, unmarked (:func:`lead`).
    """

    def __init__(self, seconds: float):
        self.seconds = seconds
        self.spent = 0.0

    def restart(self, statement: str | None = None) -> None:
        self.spent = 0.0

    @contextlib.contextmanager
    def call(self):
        """Yields whether this call is still within its statement's time; counts the time it takes."""
        began = time.monotonic()
        try:
            yield self.spent < self.seconds
        finally:
            self.spent += time.monotonic() - began


def register(conn: sqlite3.Connection, seconds: float | None = None) -> None:
    """Make ``archive_snippet(text, match, start, end, ellipsis, tokens)`` callable in SQL on ``conn``,
    and ``archive_snippet(..., tokens, escape)`` with the text escaped by :data:`ESCAPES` ``[escape]``.

    With ``seconds``, the snippets of one statement take about that long at most (:class:`Deadline`),
    counted from the statement's start by ``conn``'s trace callback, which this sets.
    """
    deadline = Deadline(seconds) if seconds else None
    if deadline is not None:
        conn.set_trace_callback(deadline.restart)

    def archive_snippet(text, match, start, end, ellipsis, tokens, escape=None):
        escaping = ESCAPES[escape] if escape is not None else str
        if deadline is None:
            return snippet(text, match, start, end, ellipsis, tokens, escaping)
        with deadline.call() as in_time:
            if in_time:
                return snippet(text, match, start, end, ellipsis, tokens, escaping)
            return lead(text, ellipsis, tokens, escaping)

    for arguments in (6, 7):
        conn.create_function(SQL_NAME, arguments, archive_snippet, deterministic=deadline is None)

"""Full-text queries as people type them, made safe for SQLite FTS5.

FTS5 has its own query syntax, and raw input such as ``Imran Khan's "PTI``,
``COVID-19`` or ``AND`` raises syntax errors. :func:`fts_query` turns any text into
a valid MATCH expression: every word becomes a quoted term (all must match: AND),
a balanced ``"quoted phrase"`` stays a phrase, ``OR`` between two terms stays an
alternative, and a trailing ``*`` asks for a prefix. The text is folded first as the
index is (:func:`pipelines.normalise.fold`), so that Urdu typed with Arabic letters, vowel
marks or another hamza form finds the article all the same. A term typed twice counts
once; text longer than :data:`MAX_QUERY_CHARS` characters or
:data:`crawler.snippets.MAX_QUERY_WORDS` words is refused (:func:`query_problem` says why).
"""

import re

from pipelines.normalise import fold
from pipelines.fts import SEARCHED_COLUMNS
from crawler.snippets import MAX_QUERY_WORDS, WORD, search_phrases, word_key

TOKEN = re.compile(r'"(?P<phrase>[^"]*)"|(?P<word>[^\s"]+)')
CONTROL = re.compile(r"[\x00-\x1f\x7f]")  # FTS5 cuts a string at NUL: never part of a query
PUNCTUATION_ONLY = re.compile(r"^[\W_]+$")
MAX_QUERY_CHARS = 200  # longer text is refused, unread: see query_problem
SEARCHED = "{" + " ".join(SEARCHED_COLUMNS) + "}"  # the columns of articles_fts typed words are looked for in
TOKEN_CHARACTER = re.compile(r"[^\W_]")  # of a letter or digit, which unicode61 makes a token


def quote(term: str) -> str:
    return '"' + term.replace('"', '""') + '"'


def query_problem(text: str | None) -> str | None:
    """Why ``text`` is too long to search, or None.

    Each word searched for costs a pass over the text of every snippet (:mod:`crawler.snippets`),
    in Python, which datasette's time limit cannot interrupt: a search is at most
    :data:`MAX_QUERY_CHARS` characters and ``MAX_QUERY_WORDS`` different words, those of its
    phrases and of OR's alternatives included, as the snippets count them.
    """
    if text is not None and len(text) > MAX_QUERY_CHARS:
        return f"the search is too long: {len(text):,} characters, at most {MAX_QUERY_CHARS}"
    words = sum(len(WORD.findall(expression)) for alternatives in _terms(text) for expression in alternatives)
    if words > MAX_QUERY_WORDS:
        return f"the search is too long: {words} words, at most {MAX_QUERY_WORDS}"
    return None


def fts_query(text: str | None) -> str | None:
    """A safe FTS5 MATCH expression for ``text``, or None when nothing searchable is left or
    it is too long (:func:`query_problem`)."""
    if query_problem(text) is not None:
        return None
    parts = _terms(text)
    return " AND ".join(f"({' OR '.join(alts)})" if len(alts) > 1 else alts[0] for alts in parts) or None


def search_match(expression: str, outlet: str | None = None, language: str | None = None,
                 indexed_values: str | None = None) -> str:
    """The MATCH of ``articles_fts`` for ``expression`` (:func:`fts_query`'s), with the articles of
    ``outlet`` and in ``language`` when given: FTS5 then walks only their matches (schema migration
    ``index_search_filters``). The caller still compares the outlet and language exactly; a value
    without a letter or digit, which the index holds no token of, is left to that comparison alone.

    The typed words must not be found in the outlet and language columns: when one of them could
    be a word of ``indexed_values`` (the archive's outlets and languages; None: any word could), the
    expression is kept to the searched columns (``{title summary text} : (...)``), which costs FTS5
    a look at each match's positions: two fifths more time for common words at a million articles.
    """
    kept_to = f"{SEARCHED} : " if indexed_values is None or _could_be_found_in(expression, indexed_values) else ""
    parts = [f"{kept_to}({expression})"]
    for column, value in (("outlet", outlet), ("language", language)):
        value = fold(CONTROL.sub(" ", value or ""))
        if TOKEN_CHARACTER.search(value):
            parts.append(f"{column} : {quote(value)}")
    return " AND ".join(parts)


def _could_be_found_in(expression: str, text: str) -> bool:
    """Whether a word or prefix of ``expression`` is one of the words of ``text`` as the index
    compares them (:func:`crawler.snippets.word_key`)."""
    words = {word_key(found[0]) for found in WORD.finditer(fold(text))}
    for keys, prefix in search_phrases(expression):
        if any(key in words for key in keys) or prefix and any(word.startswith(keys[-1]) for word in words):
            return True
    return False


def _terms(text: str | None) -> list[tuple[str, ...]]:
    """The terms of ``text`` that must all match, each its alternatives as FTS5 expressions;
    a term or alternative typed again is left out: it would match nothing more."""
    parts: list[list[str]] = []
    pending_or = False
    text = fold(CONTROL.sub(" ", text or "")).replace("\u201c", '"').replace("\u201d", '"')
    for match in TOKEN.finditer(text):
        phrase, word = match["phrase"], match["word"]
        if word in ("AND", "NOT", "NEAR"):
            continue
        if word == "OR":
            pending_or = bool(parts)
            continue
        if phrase is not None:
            term = " ".join(phrase.split())
            expression = quote(term) if term else None
        else:
            prefix = word.endswith("*")
            term = word.rstrip("*")
            if not term or PUNCTUATION_ONLY.match(term):
                continue
            expression = quote(term) + ("*" if prefix else "")
        if expression is None:
            continue
        if pending_or:
            parts[-1].append(expression)
            pending_or = False
        else:
            parts.append([expression])
    return list(dict.fromkeys(tuple(dict.fromkeys(alternatives)) for alternatives in parts))

"""Full-text queries as people type them, made safe for SQLite FTS5.

FTS5 has its own query syntax, and raw input such as ``Imran Khan's "PTI``,
``COVID-19`` or ``AND`` raises syntax errors. :func:`fts_query` turns any text into
a valid MATCH expression: every word becomes a quoted term (all must match: AND),
a balanced ``"quoted phrase"`` stays a phrase, ``OR`` between two terms stays an
alternative, and a trailing ``*`` asks for a prefix. The text is folded first as the
index is (:func:`crawler.normalise.fold`), so that Urdu typed with Arabic letters, vowel
marks or another hamza form finds the article all the same.
"""

import re

from crawler.normalise import fold

TOKEN = re.compile(r'"(?P<phrase>[^"]*)"|(?P<word>[^\s"]+)')
CONTROL = re.compile(r"[\x00-\x1f\x7f]")  # FTS5 cuts a string at NUL: never part of a query
PUNCTUATION_ONLY = re.compile(r"^[\W_]+$")


def quote(term: str) -> str:
    return '"' + term.replace('"', '""') + '"'


def fts_query(text: str | None) -> str | None:
    """A safe FTS5 MATCH expression for ``text``, or None when nothing searchable is left."""
    parts: list[list[str]] = []  # terms that must all match, each a list of alternatives
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
    return " AND ".join(f"({' OR '.join(alts)})" if len(alts) > 1 else alts[0] for alts in parts) or None

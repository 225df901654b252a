"""Which of a page's titles is its headline, when the page has no metadata to say so.

A page names its article in several places: JSON-LD's ``headline`` and ``og:title`` (read first,
as written: the name the article is shared and cited under, in the sites' and readers' own
style; only the site's name is cut, which some sites keep there), the ``<h1>`` and the document's ``<title>``. Without metadata the ``<h1>`` alone misleads:
on many pages it is the site's logo, the blog's name or a section's (``Allergies Health Center``),
while the ``<title>`` nearly always names the article, followed by the site's name. So the
headline is the ``<h1>`` the ``<title>`` agrees with, else the ``<title>`` without the site's name
(or its last part), and only then the first ``<h1>``.
"""

import re

# Between a headline and a site's or section's name, spaced: `` | ``, `` - ``, `` -- ``, `` · ``, `` :: ``.
SEPARATOR = re.compile(r"\s+(?:[|\-–—·•»~/]|--|::)\s+")
WORD = re.compile(r"[^\W_]+")
AGREEING_SHARE = 0.5  # of the longer one's letters the shorter one must hold to name the same article


def words(text: str) -> list[str]:
    return WORD.findall(text.casefold())


def runs_inside(inner: list[str], outer: list[str]) -> bool:
    """Whether ``inner``'s words appear one after another in ``outer``."""
    width = len(inner)
    return width > 0 and any(outer[start:start + width] == inner for start in range(len(outer) - width + 1))


def letters(tokens: list[str]) -> int:
    return sum(map(len, tokens))


def agrees(heading: str, title: str) -> bool:
    """Whether a heading and a title name the same article: the words of one run inside the other's
    and hold at least half of its letters (a logo's ``V8`` runs inside ``Outside the web · V8`` too)."""
    shorter, longer = sorted((words(heading), words(title)), key=letters)
    return runs_inside(shorter, longer) and letters(shorter) >= AGREEING_SHARE * letters(longer)


def without_site_name(title: str, site_names: list[str]) -> str:
    """``title`` without one of ``site_names`` after its last separator or before its first
    (``Headline -- Sott.net``, ``CNN - Headline``); unchanged when neither end is one."""
    names = {name.casefold() for name in site_names}
    separators = list(SEPARATOR.finditer(title))
    if separators and title[separators[-1].end():].strip().casefold() in names:
        return title[:separators[-1].start()].strip() or title
    if separators and title[:separators[0].start()].strip().casefold() in names:
        return title[separators[0].end():].strip() or title
    return title


def without_last_part(title: str) -> str:
    """A ``<title>`` without what follows its last separator (``Headline | Blog name``), when what
    stays is the longer part; a title whose first part is the short one is kept whole."""
    separators = list(SEPARATOR.finditer(title))
    if not separators:
        return title
    head, tail = title[:separators[-1].start()].strip(), title[separators[-1].end():].strip()
    return head if len(head) > len(tail) else title


def bare_title(document_title: str | None, site_names: list[str]) -> str | None:
    """The ``<title>`` without the site's name, else without its last part."""
    if not document_title:
        return None
    bare = without_site_name(document_title, site_names)
    return without_last_part(document_title) if bare == document_title else bare


def agreeing_heading(document_title: str | None, headings: list[str], site_names: list[str]) -> str | None:
    """The first ``<h1>`` that the ``<title>`` agrees with: the headline as the page shows it."""
    bare = bare_title(document_title, site_names)
    return next((heading for heading in headings if agrees(heading, bare)), None) if bare else None


def punctuated(headline: str, others: list[str | None]) -> str:
    """The headline as another of the page's titles writes it, when that one has the same words and more
    punctuation: some sites strip the commas from their JSON-LD headline (``12000 teachers``,
    ``cut rejected Senate``)."""
    letters_only = "".join(words(headline))  # 12000 and 12,000 alike
    return next((other for other in others
                 if other and len(other) > len(headline) and "".join(words(other)) == letters_only), headline)

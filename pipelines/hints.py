"""What an outlet's profile knows about its page layout, offered to extraction as hints.

Extraction never depends on a hint: trafilatura, JSON-LD and meta tags come first,
and a page whose markup differs from the hints still yields an article. Hints make
the result cleaner (the body element narrows trafilatura's search, furniture is
pruned first) and every fallback taken is counted in the crawl stats.
"""

import re
from dataclasses import dataclass, field
from datetime import tzinfo
from functools import lru_cache

from lxml import etree

READ_APART = "data-archive-read-apart"  # marks elements read as fields (byline, summary), kept out of the body


@lru_cache(maxsize=256)
def compiled(xpath: str) -> etree.XPath:
    """``xpath`` compiled once: ``tree.xpath(xpath)`` compiles it again on every call, and
    hints and metadata run the same few expressions on every page."""
    return etree.XPath(xpath)


HEADED_BLOCKS = ("div", "section", "aside", "ul")  # the blocks a heading may start


def headed(*headings: str) -> str:
    """XPath of a block whose first child is a heading starting with one of ``headings``.

    The first child's whole text is only read when its first words may start a heading: reading
    every block's first child whole (a page's main column, often) was the costliest XPath of a page.
    """
    first_text = "normalize-space(descendant-or-self::text()[normalize-space()][1])"
    may_be = " or ".join(f"starts-with({first_text}, '{word}')" for word in sorted({h.split()[0] for h in headings}))
    tests = " or ".join(f"starts-with(normalize-space(), '{h}')" for h in headings)
    blocks = " or ".join(f"self::{tag}" for tag in HEADED_BLOCKS)
    return f"//*[{blocks}][./*[1][{may_be}][{tests}]]"


def has_class(name: str) -> str:
    """XPath test for one class among several, as CSS's ``.name`` does."""
    return f"contains(concat(' ', normalize-space(@class), ' '), ' {name} ')"


# Blocks no article body contains, whatever the site: removed before extraction (pipelines.body.prune_furniture),
# by their tag, their id or class (ads, comments), or the heading they start with. trafilatura drops the head
# and drawings (svg) itself, but only after copying the page and testing its elements several times: on real
# pages they are an eighth of its elements, and the same text comes out without them, 2% sooner.
FURNITURE_TAGS = frozenset({"script", "style", "noscript", "iframe", "nav", "footer", "form", "head", "svg"})
AD_ID_PREFIXES = ("gpt-", "div-gpt-ad")  # Google Publisher Tag slots
AD_CLASS = "adsbygoogle"  # of an <ins>
COMMENT_BLOCKS = frozenset({"div", "section", "aside"})  # with "comments" in their id or class, or "comment-" in their class
RELATED_HEADINGS = (
    "Related Topics",
    "Related Stories",
    "Related News",
    "Related Articles",
    "Recent Stories",
    "Recent News",
    "More Stories",
    "Latest News",
    "Most Read",
    "Most Popular",
    "Comments",
    "Leave a Comment",
)


@dataclass(frozen=True)
class PageHints:
    container: str | None = None  # XPath of the article's main block
    body: str | None = None  # XPath of the element(s) holding the body text
    byline: str | None = None  # XPath of the byline (author, often the visible date too)
    date: str | None = None  # XPath of the visible publication date and time
    summary: str | None = None  # XPath of the visible summary
    category_in_url: re.Pattern | None = None  # a URL path pattern whose group "category" names the section
    article_url: re.Pattern | None = None  # the URL paths of the outlet's articles: a page there with a
    # headline and a body is an article though no metadata says so (a redesign or a CMS bug may drop it)
    furniture: tuple[str, ...] = field(default_factory=tuple)  # XPaths of blocks that are never body text
    tags: str | None = None  # XPath of the visible tag links, read when the metadata names no keywords
    markers: tuple[str, ...] = field(default_factory=tuple)  # texts the site puts into the body, never
    # article text, such as a "continued" line before an ad; removed wherever they stand
    timezone: tzinfo | None = None  # the outlet's zone: a time without an offset is read in it and every
    # time is written in it. None (an outlet without a profile): a time keeps its own offset, one without is UTC
    title_suffix: re.Pattern | None = None  # the outlet's name after a headline in <title>, cut off
    dateline_brand: re.Pattern | None = None  # the names the outlet's datelines sign with (pipelines/dateline.py)

    @property
    def prune(self) -> list[str]:
        """What the outlet's pages have removed before the body is extracted, after the furniture of every
        site: the fields read apart, and the outlet's own furniture."""
        fields = [xpath for xpath in (self.byline, self.date, self.summary) if xpath]
        return [*fields, *self.furniture]

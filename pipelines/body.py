"""Article body text: trafilatura on the pruned page, the outlet's body element as fallback.

trafilatura's own defaults are tuned for generic crawling; here comments are
never body text, tables are kept (results, prices), and short briefs must not be
dropped, so its minimum sizes are lowered to what a news brief really is.
"""

import copy
import re
from functools import cache

import lxml.html
import trafilatura
from lxml import etree
from trafilatura.settings import Extractor, use_config

from pipelines.hints import (
    AD_CLASS,
    AD_ID_PREFIXES,
    COMMENT_BLOCKS,
    FURNITURE_TAGS,
    HEADED_BLOCKS,
    READ_APART,
    RELATED_HEADINGS,
    PageHints,
    compiled,
)

MIN_BODY_CHARS = 80  # a brief shorter than this is a stub, not an article
RECALL_CHECK_MAX_CHARS = 1000  # a whole page's precise body shorter than this is read again without favor_precision,
RECALL_GAIN = 3  # and that reading is kept when it finds this many times the text
# trafilatura deletes characters that are not printable, the zero-width non-joiner among them;
# in Urdu it keeps a letter from joining the next (ڈیٹ‌شیٹ), so it is carried through as U+FFFC.
ZWNJ, ZWNJ_STAND_IN = "\u200c", "\ufffc"

TRAFILATURA_CONFIG = use_config()
TRAFILATURA_CONFIG.set("DEFAULT", "MIN_EXTRACTED_SIZE", str(MIN_BODY_CHARS))
TRAFILATURA_CONFIG.set("DEFAULT", "MIN_OUTPUT_SIZE", str(MIN_BODY_CHARS))
TRAFILATURA_CONFIG.set("DEFAULT", "EXTRACTION_TIMEOUT", "0")  # signals do not work off the main thread


def normalise_paragraphs(text: str) -> str:
    """One paragraph per block, separated by a blank line, spaces collapsed."""
    lines = (re.sub(r"[ \t\u00a0]+", " ", line).strip() for line in text.splitlines())
    return "\n\n".join(line for line in lines if line)


def drop_markers(text: str, markers: tuple[str, ...]) -> str:
    """``text`` (paragraphs) without the site's ``markers``, wherever they stand; a paragraph
    that was only a marker goes too. Spaces inside a marker may vary: ``( جاری ہے )``."""
    for marker in markers:
        pattern = re.compile(r"[ \t]*" + r"\s*".join(map(re.escape, "".join(marker.split()))) + r"[ \t]*")
        text = pattern.sub(" ", text)
    return normalise_paragraphs(text.replace("\n\n", "\n"))


def drop(nodes: list[etree._Element]) -> None:
    """Remove ``nodes`` from their tree, in place, each keeping the text that follows it."""
    for node in nodes:
        parent = node.getparent()
        if parent is not None:
            node.drop_tree() if hasattr(node, "drop_tree") else parent.remove(node)


def prune(tree: etree._Element, xpaths: list[str]) -> None:
    """Remove what ``xpaths`` select from ``tree``, in place."""
    for xpath in xpaths:
        drop(compiled(xpath)(tree))


def is_furniture(element: etree._Element) -> bool:
    """Whether ``element`` is a block no article body contains, by its tag, id or class (pipelines.hints)."""
    tag, attributes = element.tag, element.attrib
    if tag in FURNITURE_TAGS or READ_APART in attributes:
        return True
    if not attributes:
        return False
    identifier, classes = attributes.get("id", ""), attributes.get("class", "")
    return (
        identifier.startswith(AD_ID_PREFIXES)
        or (tag == "ins" and AD_CLASS in classes)
        or (tag in COMMENT_BLOCKS and ("comments" in identifier or "comments" in classes or "comment-" in classes))
    )


def headed_blocks(tree: etree._Element, headings: tuple[str, ...]) -> list[etree._Element]:
    """The blocks whose first child's text starts with one of ``headings``, as :func:`pipelines.hints.headed`
    selects them; the first child's whole text is read only when its first words may start one."""
    first_words = tuple({heading.split()[0] for heading in headings})
    found = []
    for block in tree.iter(*HEADED_BLOCKS):
        first = next((child for child in block if isinstance(child.tag, str)), None)
        text = first is not None and next((text for text in first.itertext() if text.strip()), None)
        if text and " ".join(text.split()).startswith(first_words):
            if " ".join(first.text_content().split()).startswith(headings):
                found.append(block)
    return found


def prune_furniture(tree: etree._Element) -> None:
    """Remove from ``tree``, in place, what no article body contains on any site: furniture, then the blocks
    a related-stories or comments heading starts, then the headline: one walk of the tree and one of its
    blocks, where an XPath per test took twelve walks."""
    drop([element for element in tree.iter() if is_furniture(element)])
    drop(headed_blocks(tree, RELATED_HEADINGS))
    drop(list(tree.iter("h1")))


BLOCK_TAGS = frozenset(
    "p div table ul ol dl h1 h2 h3 h4 h5 h6 blockquote section article aside figure header footer nav "
    "form iframe pre hr script style noscript".split()
)
LOOSE_TEXT_MIN_CHARS = 40
# The divs with text of their own, the only ones that may hold loose text: found by libxml2 in half the time
# a walk of every div takes in Python.
DIVS_WITH_TEXT = "//div[text()[normalize-space()]]"


def loose_text_length(div: etree._Element) -> int:
    return sum(len((text or "").strip()) for text in (div.text, *(child.tail for child in div)))


def wrap_loose_text(div: etree._Element) -> None:
    """Give text written straight into ``div`` (split by ``<br>``) paragraphs of its own.

    Older pages put the body directly in the div, paragraphs separated by
    ``<br><br>``; trafilatura reads paragraphs and drops such loose text.
    """
    pieces = [("text", div.text)] if div.text else []
    for child in list(div):
        is_block = not isinstance(child.tag, str) or child.tag in BLOCK_TAGS
        pieces.append(("br" if child.tag == "br" else "block" if is_block else "inline", child))
        if child.tail:
            pieces.append(("text", child.tail))
        child.tail = None
        div.remove(child)
    div.text = None
    paragraph = None
    for kind, value in pieces:
        if kind in ("br", "block"):
            paragraph = None
            if kind == "block":
                div.append(value)
            continue
        if paragraph is None:
            if kind == "text" and not value.strip():
                continue
            paragraph = etree.SubElement(div, "p")
        if kind == "inline":
            paragraph.append(value)
        elif len(paragraph):
            paragraph[-1].tail = (paragraph[-1].tail or "") + value
        else:
            paragraph.text = (paragraph.text or "") + value


def element_text(node: etree._Element) -> str:
    """Text of a body element, a paragraph per block element or double line break."""
    node = copy.deepcopy(node)
    for br in node.xpath(".//br"):
        br.tail = "\n" + (br.tail or "")
    for block in node.xpath(".//p | .//div | .//li | .//h2 | .//h3 | .//h4 | .//blockquote"):
        block.tail = "\n" + (block.tail or "")
        block.text = "\n" + (block.text or "")
    return node.text_content()


@cache
def trafilatura_options(precise: bool, fast: bool) -> Extractor:
    """trafilatura's options for one kind of reading, made once and copied for each page (whose URL they carry):
    made by ``extract`` at every call, they read their numbers from the configuration each time, and a small
    page's extraction took 4% longer."""
    return Extractor(config=TRAFILATURA_CONFIG, fast=fast, precision=precise, comments=False, tables=True, dedup=False)


def trafilatura_text(document: etree._Element, url: str, precise: bool, fast: bool = False) -> str | None:
    options = copy.copy(trafilatura_options(precise, fast))
    options.url = options.source = url
    return trafilatura.extract(document, options=options)


def longer_without_precision(document: etree._Element, url: str, text: str | None, method: str) -> tuple[str | None, str]:
    """``(text, method)``: trafilatura's default reading of a whole page when it finds several times the
    text its precise reading kept. Precision keeps a sidebar out of a long body, but on some pages
    it keeps only the first block of the article (a lead before a figure), which no hint corrects."""
    fuller = trafilatura_text(document, url, precise=False)
    if fuller and len(fuller) >= RECALL_GAIN * len(text or ""):
        return fuller, "trafilatura_recall"
    return text, method


def extract_body(tree: etree._Element, url: str, hints: PageHints) -> tuple[str | None, str]:
    """``(text, method)``: the body as plain paragraphs, and which path found it.

    When the hinted body element is on the page, trafilatura reads only a copy of it,
    pruned of furniture (no sidebar or comment can leak in); otherwise it reads the whole
    page, pruned (``tree`` is pruned in place then). Either way without its fallback
    extractors (readability, jusText): on whole pages they cost a third of its time for no
    gain in body F1 on the real pages of ``benchmarks/extraction_bench.py`` (0.962 with them,
    0.961 without); a short reading is checked against its default one instead.
    """
    scope = compiled(hints.body)(tree) if hints.body else []
    if scope:
        document = lxml.html.Element("html")
        body = etree.SubElement(document, "body")
        body.extend(copy.deepcopy(element) for element in scope)
        method = "trafilatura_in_hint"
    else:
        document, method = tree, "trafilatura"
    prune_furniture(document)
    prune(document, hints.prune)
    scope = list(body) if scope else []  # the copies that pruning left
    for div in scope or compiled(DIVS_WITH_TEXT)(document):
        if loose_text_length(div) >= LOOSE_TEXT_MIN_CHARS:
            wrap_loose_text(div)
    if ZWNJ in etree.tostring(document, method="text", encoding="unicode"):  # a quarter of the walk's time
        for node in document.iter():  # only where there is one: setting a text makes lxml build its node again
            if node.text and ZWNJ in node.text:
                node.text = node.text.replace(ZWNJ, ZWNJ_STAND_IN)
            if node.tail and ZWNJ in node.tail:
                node.tail = node.tail.replace(ZWNJ, ZWNJ_STAND_IN)
    text = trafilatura_text(document, url, precise=True, fast=True)
    if not scope and len(text or "") < RECALL_CHECK_MAX_CHARS:
        text, method = longer_without_precision(document, url, text, method)
    text = text and text.replace(ZWNJ_STAND_IN, ZWNJ)
    text = drop_markers(text, hints.markers) if text and hints.markers else text
    if text and len(text) >= MIN_BODY_CHARS:
        return normalise_paragraphs(text), method
    if scope:
        text = normalise_paragraphs("\n".join(element_text(element) for element in scope).replace(ZWNJ_STAND_IN, ZWNJ))
        text = drop_markers(text, hints.markers) if hints.markers else text
        if len(text) >= MIN_BODY_CHARS:
            return text, "hint_text"
    return None, "none"

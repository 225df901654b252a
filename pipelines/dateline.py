"""Read the dateline at the start of an article body.

A dateline is the label a desk writes before the first sentence of a story::

    New Delhi, March 2 (Outlet / Outlet News - 2nd Mar, 2023 ) :The United...
    place      day     parenthesis: brand, agency, date      separator, body

Its parts, in order:

place
    The desk's city, not always where the event happened: Latin (``GUJRANWALA``,
    ``New Delhi``, ``MIRPUR (AJK)``, ANI's ``NEW DELHI [India]``, ``KABUL, Afghanistan``)
    or Urdu (``لندن``), then an optional ``,``, ``:``, ``،`` or ``۔`` (doubled too).
    International desks add a month and day (``Paris, May 7``, ``ISLAMABAD, Aug 25``,
    ``گلاب کوٹ۔7مارچ``); PPI adds a full date (``Lahore, December 07, 2022``).
parenthesis
    Who filed the story, and when. Some outlets name their own brand (the names in their
    profile's ``dateline_brands``, given to :func:`parse_dateline` as ``brand``), an optional
    wire agency before or after it, and the date:

    - ``(APP - Outlet / Outlet News - 1st Jun, 2024)``
    - ``(Outlet News / Sputnik - 03rd December, 2021)``
    - ``(<the brand in Urdu> - اے پی پی۔ 05 مارچ2024ء)``

    Others name only the agency or broadcaster: ``(APP)``, ``(Xinhua)``,
    ``(PPI-OT)``, ``(Dunya News)``, ``(اے پی پی)``, or the outlet's own desk:
    ``(Staff Reporter)``, ``(نمائندہ جنگ)``; both are looked up in :mod:`pipelines.agencies`.
    Some put the date after it: ``(APP) Aug 25:``, ``(اے پی پی) 25 اگست:``, ``(APP):Aug 25``
    (colon glued to the date), ``(APP):Aug25``.
separator
    `` :``, ``):``, ``) -:``, ``::``, `` -- ``, `` - ``, `` — ``, or nothing (some outlets'
    own desks, and IANS ``NEW DELHI, March 2 (IANS) The``).

Outlets without a parenthesis write an ALL-CAPS city and a colon, a dash or a line break:
``KARACHI:``, ``HYDERABAD, Jan 20:``, ``GULABKOT/NEW SAMARPUR:``, ``FAISALABAD - ``,
``LAHORE -``, ``PESHAWAR—The``, ``HYDERABAD: March 7 -``, ``ALDERTON, RURITANIA:``,
``ALDERTON, Ruritania:``, or the city alone on its line. City pages may write it in title case: ``Karachi: The``,
``Karachi, Mar 7: The``, ``D.I. Khan:``. A place in title case or in Urdu alone on its line,
before a dash (``Quetta — The``) or, in Urdu, before a colon (``کراچی:``) is one only when
:func:`pipelines.places.locate` knows it.

What :func:`parse_dateline` accepts and returns:

- Only the first :data:`HEAD_CHARS` characters are searched, from the start of the text, or
  from the end of the summary points (``• ...`` lines) a print story may open with, or of a
  byline on its own line (``By Sadia Rahman``, ``Our Staff Reporter``); those stay at the
  start of ``body``.
- A parenthesis makes a dateline when it names the outlet's brand (with any separator
  or none; the brand's patterns cover its misspellings), or when it names a known agency and
  comes after an ALL-CAPS or Urdu place or a date with a separator, after a title-case
  place with a separator and a sentence, or after an ALL-CAPS, Urdu or known place or a
  date and before a sentence that does not go on from the parenthesis (``(اے پی پی) نے``).
  So ``Prime Minister (PM) Shehbaz Sharif said`` and ``Shopping (online): prices`` are not
  datelines. An ALL-CAPS place with only a date in
  the parenthesis is an older business-paper style: ``GULABKOT (March 7 2031):``.
- Without a parenthesis, the place is an ALL-CAPS group of one to four words (or
  several joined by ``/`` or ``,``), or a title-case one of up to three words followed by
  a colon and a sentence (``Karachi: the city`` is not one). Labels (``NOTE``,
  ``Breaking News``, ``Watch``) and phrases (``Prime Minister Said``) are not places.
- A date after the agency's parenthesis is the dateline's when a separator follows it or
  the colon is glued to it; ``(APP): Aug 25 marks`` leaves ``Aug 25 marks`` in the body.
- ``raw`` runs from the first character of the place (or of the parenthesis when there
  is no place) to the closing parenthesis or the date after it, or to the end of the
  place or date in the forms without one. Leading whitespace, a stray ``:`` and the
  separator are left out.
- ``body`` is everything after the separator, with leading whitespace removed.
- ``date`` is the first full date (day, month, year) in the parenthesis, else the one
  after the place, else the one after the parenthesis, kept as written even when the
  desk got it wrong. It is None when no date has a year, or the date is impossible.
- ``agency`` is the agency's one Latin name (``اے پی پی`` and ``A.P.P.`` are ``APP``,
  ``PPI-OT`` is ``PPI``, ``Xinhau`` is ``Xinhua``) or, when unknown and the outlet's
  brand is there, as written; it is None when the parenthesis names only the outlet.
"""

import datetime
import logging
import re
from dataclasses import dataclass, replace

from pipelines.items import ArticleItem
from pipelines.agencies import agency_name, is_own_desk
from pipelines.places import locate, locate_place
from pipelines.profile import Profiles
from pipelines.urdu import URDU_MONTHS, URDU_WEEKDAYS, to_ascii_digits

logger = logging.getLogger(__name__)

HEAD_CHARS = 300  # datelines are short; looking no further keeps any input fast

# Labels that open a text like a place before a colon or alone on a line (compared in capitals).
_NOT_PLACES = frozenset(
    {"NOTE", "UPDATE", "UPDATED", "BREAKING", "BREAKING NEWS", "CORRECTION", "EDITOR'S NOTE",
     "EDITORIAL", "OPINION", "ANALYSIS", "EXCLUSIVE", "LIVE", "WATCH", "VIDEO", "PHOTO", "PHOTOS",
     "READ MORE", "ALSO READ", "RELATED", "EXPLAINER", "REVIEW", "COMMENT", "FACT CHECK",
     "INTERVIEW", "ADVERTISEMENT", "SPONSORED", "DISCLAIMER", "SOURCE", "SOURCES"}
)
# Words that make a title-case opening a phrase rather than a place ("Prime Minister Said:").
_NOT_PLACE_WORDS = frozenset(
    "The A An And Of In On At For To By With From Says Said Say Minister Chief President".split()
)

_ENGLISH_MONTHS = "jan feb mar apr may jun jul aug sep oct nov dec".split()

_DIGIT = "[0-9۰-۹٠-٩]"
_YEAR = f"{_DIGIT}{{4}}"
_MONTH = (
    r"\b(?i:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)(?![A-Za-z])\.?"  # Aug25 too, not Mayor
)
_DAY = rf"{_DIGIT}{{1,2}}(?i:st|nd|rd|th)?\b"
_ENGLISH_DATE = rf"(?:{_DAY}\s*{_MONTH}|{_MONTH},?\s*{_DAY})(?:,?\s*{_YEAR})?"  # Aug, 25 too
_URDU_GAP = r"[\s۔،,/-]{0,3}"
_URDU_MONTH = "|".join(sorted(URDU_MONTHS, key=len, reverse=True))  # مئی before مئ
_URDU_WEEKDAY = "|".join(sorted(URDU_WEEKDAYS, key=len, reverse=True))
_URDU_DAY_MONTH = rf"{_DIGIT}{{1,2}}{_URDU_GAP}(?:{_URDU_MONTH})(?:{_URDU_GAP}{_YEAR}ء?)?"  # 7مارچ, 05 مارچ2024ء
_URDU_DATE = rf"(?:(?:{_URDU_WEEKDAY}){_URDU_GAP})?{_URDU_DAY_MONTH}"

_LATIN_WORD = r"[A-Za-z][A-Za-z.'’-]{0,24}"
_CAPS_WORD = r"[A-Z][A-Z.'’-]{0,24}"
_URDU_WORD = "[\u0621-\u065f\u066e-\u06d3\u06d5-\u06ef\u06fa-\u06ff\u200c]{1,25}"  # no digits or ۔
_GAP = r"[^\S\n]{1,3}"  # spaces inside a place, not a line break
_ABBREVIATION = r"(?:[^\S\n]*\([A-Za-z]{1,4}\))?"  # the (AJK) of MIRPUR (AJK)
_BRACKETED_COUNTRY = r"(?:[^\S\n]*\[[A-Za-z ]{2,24}\])?"  # ANI's NEW DELHI [India]
_COUNTRY_AFTER_COMMA = r"(?:,[^\S\n]*[A-Z][A-Za-z]{2,24}(?=[^\S\n]*[,(]))?"  # KABUL, Afghanistan (AP)
_LATIN_PLACE = rf"{_LATIN_WORD}(?:{_GAP}{_LATIN_WORD}){{0,4}}{_ABBREVIATION}{_BRACKETED_COUNTRY}"
_CAPS_PLACE = rf"[A-Z][A-Z.'’-]{{2,24}}(?:{_GAP}{_CAPS_WORD}){{0,3}}{_ABBREVIATION}"
_TITLE_WORD = r"(?:[A-Z][a-z][a-z.'’-]{1,23}|(?:[A-Z]\.){1,3})"  # Karachi, and the initials of D.I. Khan
_TITLE_PLACE = rf"{_TITLE_WORD}(?:{_GAP}{_TITLE_WORD}){{0,2}}{_ABBREVIATION}"
# GULABKOT/NEW SAMARPUR and ALDERTON, RURITANIA
_CAPS_PLACES = rf"{_CAPS_PLACE}(?:[^\S\n]*[/,][^\S\n]*{_CAPS_PLACE}){{0,4}}"
_URDU_PLACE = rf"{_URDU_WORD}(?:{_GAP}{_URDU_WORD}){{0,3}}"

_SENTENCE_OPENER = r"""[A-Z0-9"“‘']"""  # how an English sentence after a dateline starts
_LEAD = r"[\s\ufeff\u200e\u200f:]*"  # whitespace, BOM, direction marks, a stray colon
_SEPARATOR = rf"\s*(?:-*\s*[:;]{{1,2}}-*|-{{1,2}}(?=\s|{_SENTENCE_OPENER})|[–—](?=\s|{_SENTENCE_OPENER}))"

_PARENTHESIS_DATELINE = re.compile(
    rf"""{_LEAD}
    (?P<raw>
        (?:(?P<place>{_LATIN_PLACE}{_COUNTRY_AFTER_COMMA}|{_URDU_PLACE})(?:\s*[,:،۔]{{1,2}})?\s*)?
        (?:(?P<when>{_ENGLISH_DATE}|{_URDU_DATE})(?:\s*[,،۔])?\s*)?
        \((?P<inner>[^()]{{1,200}})\)
    )
    (?P<separator>{_SEPARATOR})?""",
    re.VERBOSE,
)
# The date after an agency's parenthesis: (APP) Aug 25: , (اے پی پی) 25 اگست: , (APP):Aug 25
_DATE_AFTER_AGENCY = re.compile(
    rf"(?P<colon>\s*:)?\s*(?P<date>{_ENGLISH_DATE}|{_URDU_DATE})(?P<separator>{_SEPARATOR})?"
)
_BARE_DATELINE = re.compile(
    rf"""{_LEAD}
    (?P<raw>(?P<place>{_CAPS_PLACES}(?:,[^\S\n]*{_TITLE_PLACE})?)(?:[,:]{{0,2}}\s*(?P<when>{_ENGLISH_DATE}))?)
    (?P<separator>\s*[:;]{{1,2}}|(?:\s+[-–—]{{1,2}}|[^\S\n]*[–—])(?=\s|\Z|{_SENTENCE_OPENER})
        |-(?=[A-Z][a-z])|[^\S\n]*\n(?=\s*{_SENTENCE_OPENER}))""",
    re.VERBOSE,
)
_TITLE_DATELINE = re.compile(  # city pages: "Gulabkot: The city administration …", "Gulabkot, Mar 7: The"
    rf"""{_LEAD}
    (?P<raw>(?P<place>{_TITLE_PLACE}(?:\s*[,/]\s*{_TITLE_PLACE})?)(?:,?[^\S\n]*(?P<when>{_ENGLISH_DATE}))?)
    (?P<separator>[^\S\n]*:)(?=[^\S\n]*{_SENTENCE_OPENER})""",
    re.VERBOSE,
)
# A place in title case or in Urdu, alone on its line or before a dash (or, in Urdu, a colon): a
# dateline only when it names a place the gazetteer knows ("Quetta — Gunmen", "کراچی: وفاقی").
_KNOWN_PLACE_DATELINE = re.compile(
    rf"""{_LEAD}
    (?P<raw>(?P<place>{_TITLE_PLACE}|{_URDU_PLACE})(?:[^\S\n]*[,،۔]?[^\S\n]*(?P<when>{_ENGLISH_DATE}|{_URDU_DATE}))?)
    (?P<separator>(?<=[\u0621-\u06ff\d])[^\S\n]*:{{1,2}}|(?:[^\S\n]+[-–—]{{1,2}}|[^\S\n]*۔)(?=\s)
        |[^\S\n]*[–—](?=\s|{_SENTENCE_OPENER})|-(?=[A-Z][a-z])|[^\S\n]*\n)(?=\s*(?:{_SENTENCE_OPENER}|[\u0621-\u06ff]))""",
    re.VERBOSE,
)
_DATE = re.compile(f"{_ENGLISH_DATE}|{_URDU_DATE}")
_MONTH_NAME = re.compile(f"{_MONTH}|{_URDU_MONTH}")
_NUMBER = re.compile("[0-9]+")
# A print story's summary points before its dateline ("• Supply cut by 20pc\n\nKARACHI: The..."): they stay in the body.
_SUMMARY_BULLETS = re.compile(r"(?:[•▪●■◆][^\S\n]*[^\n]{1,300}\n+){1,6}")
# A byline on its own line before the dateline ("Our Staff Reporter\n\nLAHORE - The"): it stays in the body.
_BYLINE_LINE = re.compile(r"\s*(?P<line>[^\n]{1,60}?)[^\S\n]*\n+")
_BY = re.compile(r"By[^\S\n]+\S", re.IGNORECASE)
_NAME_EDGES = " \t\n\r\xa0\u200c\u200e\u200f/:;,،۔-–—"
_FULL_STOP_AFTER_NAME = re.compile(r"(?<=[A-Za-z]{2})\.$")
_CAPS_RUN = re.compile(r"\([A-Z]{1,4}\)|[A-Z]+")  # (AJK) or a word, in an ALL-CAPS place
_URDU_LETTER = re.compile("[\u0621-\u06ff]")
# Words that go on with the sentence a parenthesis stands in: postpositions and conjunctions.
_URDU_CONTINUATION = re.compile(
    r"\s*(?:نے|کا|کی|کے|کو|میں|سے|پر|تک|اور|یا|نیز|بھی|کہ|ہے|ہیں|تھا|تھی|تھے)(?![\u0621-\u06ff])"
)
_SENTENCE_START = re.compile(rf"\s*(?:{_SENTENCE_OPENER}|[\u0621-\u06ff])")  # English or Urdu


@dataclass(frozen=True)
class Dateline:
    """A dateline read from the start of a text; the module docstring gives the rules."""

    raw: str  # as written, without surrounding whitespace and separator
    place: str | None  # the desk's city, normalised
    agency: str | None  # Latin name of the wire agency; None for the outlet's own desk
    date: datetime.date | None  # as written; None without a full date
    body: str  # the text after the dateline and its separator


def parse_dateline(text: str, brand: re.Pattern | None = None) -> Dateline | None:
    """Return the dateline that *text* starts with, or None when it has none.

    ``brand`` matches the names the outlet signs its own datelines with (its profile's
    ``dateline_brands``): a parenthesis naming it is a dateline whatever else it holds.
    """
    found = _dateline_at_start(text, brand)
    if found is None and (bullets := _SUMMARY_BULLETS.match(text[:HEAD_CHARS])):
        found = _dateline_at_start(text[bullets.end():], brand)
        return found and replace(found, body=bullets[0] + found.body)
    if found is None and (byline := _BYLINE_LINE.match(text[:HEAD_CHARS])) and _is_byline(byline["line"]):
        found = _dateline_at_start(text[byline.end():], brand)
        return found and replace(found, body=text[byline.start("line"):byline.end()] + found.body)
    return found


def _is_byline(line: str) -> bool:
    """Whether a short first line names the story's writer (``By Sadia Rahman``) or the outlet's desk."""
    return bool(_BY.match(line)) or is_own_desk(line)


def _dateline_at_start(text: str, brand: re.Pattern | None) -> Dateline | None:
    head = text[:HEAD_CHARS]
    if (match := _PARENTHESIS_DATELINE.match(head)) and (found := _parenthesis_dateline(text, match, brand)):
        return found
    match = _BARE_DATELINE.match(head) or _TITLE_DATELINE.match(head)
    if match and _may_be_place(match["place"]):
        return _dateline(text, match, None, match["when"])
    match = _KNOWN_PLACE_DATELINE.match(head)
    if match and _may_be_place(match["place"]) and locate(match["place"]):
        return _dateline(text, match, None, match["when"])
    return None


def _parenthesis_dateline(text: str, match: re.Match, brand: re.Pattern | None) -> Dateline | None:
    """The dateline of a parenthesis naming the outlet's ``brand``, or a known agency after a place or date."""
    found = _DATE.search(match["inner"])
    names = match["inner"][: found.start()] if found else match["inner"]
    if brand and brand.search(names):
        return _dateline(text, match, _agency(brand.sub(" ", names)), found and found[0], match["when"])
    name = names.strip(_NAME_EDGES)
    if not (agency := agency_name(name)) and not is_own_desk(name):
        return _dated_parenthesis(text, match, found[0]) if found and not name else None
    ending = _date_after_agency(text, match)
    after = (ending or match).end()
    head = text[:HEAD_CHARS]
    sentence_follows = bool(_SENTENCE_START.match(head, after)) and not _URDU_CONTINUATION.match(head, after)
    if _from_wire(match, ending, sentence_follows):
        dates = (found and found[0], match["when"], ending and ending["date"])
        return _dateline(text, match, agency, *dates, ending=ending)
    return None


def _dated_parenthesis(text: str, match: re.Match, date: str) -> Dateline | None:
    """The older business-paper style ``GULABKOT (March 7 2031):``: only a date, after a place in capitals."""
    if match["separator"] and (match["place"] or "").isupper():
        return _dateline(text, match, None, date)
    return None


def _date_after_agency(text: str, match: re.Match) -> re.Match | None:
    """The date after the agency's parenthesis, with a separator after it or a colon glued before it."""
    ending = _DATE_AFTER_AGENCY.match(text[:HEAD_CHARS], match.end("raw"))
    if ending and (ending["separator"] or ending.end("colon") == ending.start("date")):
        return ending
    return None


def _from_wire(match: re.Match, ending: re.Match | None, sentence_follows: bool) -> bool:
    """Whether an agency's parenthesis is a dateline, not a word's gloss: ``Shopping (online): prices``.

    It is when a date or a separator follows a place in capitals or in Urdu
    (``BEIJING, Oct. 8 (Xinhua) --``, ``گلاب کوٹ۔7مارچ (اے پی پی):``), or a separator and
    a sentence follow a title-case place (``Peshawar (APP): The``); without a separator it
    needs a date, a place in capitals or Urdu or one the gazetteer knows, then a sentence
    (``NEW DELHI, March 2 (IANS) The``, ``اسلام آباد (این این آئی) وفاقی``); an Urdu one
    does not go on with a postposition (``وزیراعظم (اے پی پی) نے کہا``).
    """
    place = match["place"] or ""
    dated = bool(match["when"] or ending)
    if not (match["separator"] or ending):
        strong_place = place.isupper() or bool(_URDU_LETTER.match(place)) or bool(place and locate(place))
        return (dated or strong_place) and sentence_follows
    return dated or place.isupper() or bool(_URDU_LETTER.match(place)) or sentence_follows


def _may_be_place(place: str) -> bool:
    """Whether a place-shaped opening is not a label (``NOTE:``) or a phrase (``Prime Minister Said:``)."""
    words = place.split()
    return (
        " ".join(words).upper() not in _NOT_PLACES
        and not any(word.capitalize() in _NOT_PLACE_WORDS for word in words)
    )


def keeps_body(found: Dateline | None) -> bool:
    """Whether the dateline pipeline cuts ``found`` from the text: not when the dateline is all there is."""
    return found is not None and bool(found.body.strip())


def body_after_dateline(text: str, brand: re.Pattern | None = None) -> str:
    """The text as the dateline pipeline leaves it."""
    found = parse_dateline(text, brand)
    return found.body if keeps_body(found) else text


def _dateline(
    text: str, match: re.Match, agency: str | None, *written_dates: str | None, ending: re.Match | None = None
) -> Dateline:
    """The dateline of *match*, up to the end of *ending* (a date after the agency) when there is one."""
    return Dateline(
        raw=text[match.start("raw") : ending.end("date")] if ending else match["raw"],
        place=match["place"] and _normalise_place(match["place"]),
        agency=agency,
        date=next(filter(None, map(_to_date, written_dates)), None),
        body=text[(ending or match).end() :].lstrip(),
    )


def _normalise_place(place: str) -> str:
    """Collapse spaces; title-case each ALL-CAPS part of a Latin place but keep (AJK) as it is."""
    place = " ".join(place.split()).rstrip("-")  # "KARACHI- (…": the hyphen is a separator
    place = _FULL_STOP_AFTER_NAME.sub("", place)  # "ISLAMABAD. Aug 25": not the stop of "D.I."
    if "," in place:  # ALDERTON, Ruritania
        return ", ".join(map(_normalise_place, place.split(",")))
    name, bracket, country = place.partition("[")  # NEW DELHI [India]
    if not name.isupper():  # mixed case, or Urdu, which has no case
        return place
    return _CAPS_RUN.sub(_capitalise, name) + bracket + country


def _capitalise(run: re.Match) -> str:
    return run[0] if run[0][0] == "(" else run[0].capitalize()


def _agency(names: str) -> str | None:
    """Latin name of the agency in *names* (the parenthesis without brand and date), else as written."""
    name = names.strip(_NAME_EDGES)
    if not any(char.isalpha() for char in name):  # nothing, or a date in an unknown shape
        return None
    return agency_name(name) or name


def _to_date(written: str | None) -> datetime.date | None:
    """Date of an English or Urdu date matched by _DATE; None without a year or if impossible."""
    numbers = _NUMBER.findall(to_ascii_digits(written or ""))
    if len(numbers) != 2:  # day and year; no year means no full date
        return None
    month_name = _MONTH_NAME.search(written)[0]
    month = URDU_MONTHS.get(month_name) or _ENGLISH_MONTHS.index(month_name[:3].lower()) + 1
    try:
        return datetime.date(int(numbers[1]), month, int(numbers[0]))
    except ValueError:  # 30 February, year 0000
        return None


class DatelinePipeline:
    """Cuts the dateline from the start of an article's text into the ``dateline*`` fields.

    The dateline date is kept as written; the page's publication time stays the
    authority for when the article appeared.
    """

    def __init__(self, stats, profiles: Profiles):
        self.stats = stats
        self.profiles = profiles

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler.stats, Profiles.from_settings(crawler.settings))

    def process_item(self, item):
        if not isinstance(item, ArticleItem):
            return item
        dated, item.dated = item.dated, None
        if dated is not None and dated[0] == item.text:  # read with the extraction, in a worker process
            found = dated[1]
        else:
            found = parse_dateline(item.text, self.profiles.get(item.outlet).hints_for(item.url).dateline_brand)
        if found is None:
            self.stats.inc_value("dateline/missing")
            return item
        if not keeps_body(found):
            self.stats.inc_value("dateline/without_body")
            logger.warning("Only a dateline in the text of %(url)s: kept as text", {"url": item.fetched_url})
            return item
        item.dateline = found.raw
        item.dateline_place = found.place
        item.dateline_agency = found.agency
        item.dateline_date = found.date.isoformat() if found.date else None
        locate_place(item, self.stats)
        item.text = found.body
        self.stats.inc_value("dateline/found")
        if found.date is None:
            self.stats.inc_value("dateline/without_date")
        return item

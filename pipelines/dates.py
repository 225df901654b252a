"""Publication times as the archive keeps them: in the outlet's offset (or the page's own), with a UTC copy.

Sites write times in many shapes: ISO 8601 (``+05:00`` or ``+0500``), bylines such
as ``Published March 02, 2023 | 05:20 PM`` or ``Mon 30th November 2020 | 04:15 PM``,
East Asian ``2018年6月18日 10:01``.
A time without an offset is the outlet's local time (its profile's zone, ``PageHints.timezone``);
where no outlet zone is known, a time keeps the offset it is written with, and one written
without stays naive (:func:`parse_published` with no ``default_zone``), which the extraction
marks. Urdu pages write ``جمعہ 18 جولائی 2025 19:55`` (:func:`pipelines.urdu.parse_urdu_date`).
Nothing is parsed fuzzily: dateutil's fuzzy mode invents dates out of unrelated words.
"""

import re
from datetime import date, datetime, timedelta, timezone

from dateutil import parser as dateutil_parser

from pipelines.urdu import parse_urdu_date

EARLIEST_PLAUSIBLE = datetime(1995, 1, 1, tzinfo=timezone.utc)  # before any Pakistani news site
FUTURE_TOLERANCE = timedelta(days=2)

MONTH = r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?"
ORDINAL_DAY = r"\d{1,2}(?:st|nd|rd|th)?"
TIME = r"\d{1,2}:\d{2}(?::\d{2})?\s*(?:[AaPp]\.?[Mm]\.?)?"
WRITTEN_DATE = re.compile(
    rf"(?P<date>{MONTH}\s+{ORDINAL_DAY},?\s+\d{{4}}|{ORDINAL_DAY}\s+{MONTH},?\s+\d{{4}})"
    rf"(?:\s*(?:\||at|,)?\s*(?P<time>{TIME}))?"
)

# East Asian pages write 2016年10月14日, often followed by the time (2018年6月18日 10:01, or after a weekday: (金) 10:01).
CJK_DATE = re.compile(
    r"(?P<year>\d{4})\s*年\s*(?P<month>\d{1,2})\s*月\s*(?P<day>\d{1,2})\s*日"
    r"(?:\D{0,6}?(?P<hour>\d{1,2}):(?P<minute>\d{2})(?::(?P<second>\d{2}))?)?"
)
ISO_BASIC = re.compile(r"\d{8}T\d{4}")  # ISO 8601's basic format: 20180619T055000+0900


def parse_published(value: str | None, default_zone=timezone.utc) -> datetime | date | None:
    """A datetime (or a bare date when no time is written) from ``value``, or None. A time written
    without offset is in ``default_zone``; with ``default_zone`` None it is returned naive.

    Implausible results (before 1995, or more than two days ahead) count as None.
    """
    if not value or not value.strip():
        return None
    value = value.strip()
    parsed = _parse_iso(value) or _parse_written(value) or _parse_cjk(value) or parse_urdu_date(value)
    if parsed is None:
        return None
    if isinstance(parsed, datetime):
        if parsed.tzinfo is None and default_zone is not None:
            parsed = parsed.replace(tzinfo=default_zone)
        if not EARLIEST_PLAUSIBLE <= as_utc_wall_time(parsed) <= datetime.now(timezone.utc) + FUTURE_TOLERANCE:
            return None
    elif not EARLIEST_PLAUSIBLE.date() <= parsed <= date.today() + FUTURE_TOLERANCE:
        return None
    return parsed


def _parse_iso(value: str) -> datetime | date | None:
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        try:
            return date.fromisoformat(value)
        except ValueError:  # 2023-13-45
            return None
    if not (re.match(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}", value) or ISO_BASIC.match(value)):
        return None
    try:
        return dateutil_parser.isoparse(value.replace(" ", "T", 1))
    except (ValueError, OverflowError):
        return None


def _parse_written(value: str) -> datetime | date | None:
    match = WRITTEN_DATE.search(value)
    if not match:
        return None
    day_text = re.sub(r"(\d)(st|nd|rd|th)\b", r"\1", match["date"])
    try:
        day = dateutil_parser.parse(day_text, fuzzy=False).date()
        if not match["time"]:
            return day
        clock = dateutil_parser.parse(match["time"], fuzzy=False).time()
    except (ValueError, OverflowError):
        return None
    return datetime.combine(day, clock)


def _parse_cjk(value: str) -> datetime | date | None:
    match = CJK_DATE.search(value)
    if not match:
        return None
    numbers = {name: int(number) for name, number in match.groupdict().items() if number is not None}
    try:
        return datetime(**numbers) if "hour" in numbers else date(**numbers)
    except ValueError:
        return None


def as_utc_wall_time(moment: datetime) -> datetime:
    """``moment`` if aware; a naive one's wall time read as UTC (a naive time's ``published_at_utc``)."""
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def in_outlet_time(moment: datetime, zone=None) -> str:
    """ISO 8601 in the outlet's offset, e.g. ``2023-03-02T17:20:00+05:00``; in the moment's own
    offset when ``zone`` is None (no outlet zone known)."""
    return (moment.astimezone(zone) if zone else moment).isoformat()


def in_utc(moment: datetime) -> str:
    """ISO 8601 in UTC, for sorting and range queries, e.g. ``2023-03-02T12:20:00+00:00``; a naive
    moment's wall time as if it were UTC (off by the page's unknown offset, at most 14 hours)."""
    return as_utc_wall_time(moment).astimezone(timezone.utc).isoformat()

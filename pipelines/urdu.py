"""Urdu calendar words and digits, shared by the code that reads Urdu pages.

Urdu pages write dates with Urdu month names and often with Urdu (Persian)
digits, e.g. ``جمعہ 18 جولائی 2025`` or ``۱۴ فروری ۲۰۱۵ء`` (the ``ء`` after a year
abbreviates عیسوی, "of the Common Era").
"""

import re
from datetime import date, datetime, time

# Month name → month number. The short forms without the final ی are common typings.
URDU_MONTHS = {
    "جنوری": 1,
    "فروری": 2,
    "مارچ": 3,
    "اپریل": 4,
    "مئی": 5,
    "مئ": 5,
    "جون": 6,
    "جولائی": 7,
    "جولائ": 7,
    "اگست": 8,
    "ستمبر": 9,
    "اکتوبر": 10,
    "نومبر": 11,
    "دسمبر": 12,
}

# Weekday name → number as datetime.date.weekday() counts it (Monday is 0).
URDU_WEEKDAYS = {
    "پیر": 0,
    "سوموار": 0,
    "منگل": 1,
    "بدھ": 2,
    "جمعرات": 3,
    "جمعہ": 4,
    "ہفتہ": 5,
    "اتوار": 6,
}

_ASCII_DIGITS = str.maketrans("۰۱۲۳۴۵۶۷۸۹٠١٢٣٤٥٦٧٨٩", "0123456789" * 2)


def to_ascii_digits(text: str) -> str:
    """Return *text* with Urdu/Persian (۰-۹) and Arabic-Indic (٠-٩) digits made ASCII.

    Every other character is kept, so the result has the same length as *text*.
    """
    return text.translate(_ASCII_DIGITS)


# --- Dates written in Urdu --------------------------------------------------------------

# Words for the part of the day before or after a 12-hour time: "شام 7:55" (evening), "صبح 9 بجے".
URDU_DAY_PARTS = {"صبح": "am", "دوپہر": "pm", "سہ پہر": "pm", "شام": "pm", "رات": "night"}

_INVISIBLE = re.compile("[\u200c\u200d\u200e\u200f\u061c\ufeff\u0640]")  # joiners, direction marks, tatweel
_GAP = r"[\s۔،,/-]*"
_URDU_MONTH_NAMES = "|".join(sorted(URDU_MONTHS, key=len, reverse=True))  # مئی before مئ
_URDU_WEEKDAY_NAMES = "|".join(sorted(URDU_WEEKDAYS, key=len, reverse=True))
_DAY_PART = "|".join(sorted(URDU_DAY_PARTS, key=len, reverse=True))
_URDU_DATE = re.compile(
    rf"(?:(?:{_URDU_WEEKDAY_NAMES}){_GAP})?"
    rf"(?<![0-9])(?P<day>[0-9]{{1,2}}){_GAP}(?P<month>{_URDU_MONTH_NAMES}){_GAP}(?P<year>[0-9]{{4}})(?![0-9])\s*ء?"
    rf"(?:{_GAP}(?:بوقت\s*)?(?P<before>{_DAY_PART})?\s*"
    rf"(?P<hour>[0-9]{{1,2}})\s*:\s*(?P<minute>[0-9]{{2}})(?:\s*:\s*(?P<second>[0-9]{{2}}))?(?![0-9])"
    rf"\s*(?:(?P<ampm>[AaPp]\.?[Mm]\.?)|بجے)?\s*(?P<after>{_DAY_PART})?)?"
)


def parse_urdu_date(text: str) -> datetime | date | None:
    """The first Urdu date in ``text``: a naive datetime when a time follows it, else a date.

    Reads ``جمعہ 18 جولائی 2025 19:55``, ``۱۴ فروری ۲۰۱۵ء``, ``05 مارچ2024ء``,
    ``18 جولائی 2025ء، شام 7:55`` or ``7:55 PM``: day, Urdu month name (:data:`URDU_MONTHS`),
    four-digit year with or without ``ء``, in any of Urdu, Arabic-Indic or ASCII digits,
    then optionally a 24-hour time, or a 12-hour one with AM/PM or a part of the day
    (:data:`URDU_DAY_PARTS`). A weekday before the date is read past, not checked: the
    numbers are the date. None when there is no such date, or it is impossible (30 فروری).
    """
    found = _URDU_DATE.search(_INVISIBLE.sub("", to_ascii_digits(text or "")))
    if not found:
        return None
    try:
        day = date(int(found["year"]), URDU_MONTHS[found["month"]], int(found["day"]))
        if found["hour"] is None:
            return day
        hour = _hour_of_day(int(found["hour"]), found["ampm"], found["before"] or found["after"])
        return datetime.combine(day, time(hour, int(found["minute"]), int(found["second"] or 0)))
    except ValueError:  # 30 فروری, 25:00, 13 PM
        return None


def _hour_of_day(hour: int, ampm: str | None, day_part: str | None) -> int:
    """The 24-hour hour of ``hour`` read with AM/PM or an Urdu part of the day, if any."""
    half = (ampm or "").lower().replace(".", "")[:2] or URDU_DAY_PARTS.get(day_part or "")
    if half is None:
        return hour
    if not 1 <= hour <= 12:
        raise ValueError(f"{hour} is not a 12-hour clock hour")
    if half == "night":  # رات 11 بجے is 23:00, رات 2 بجے is 02:00
        half = "pm" if hour >= 6 and hour != 12 else "am"
    return hour % 12 + (12 if half == "pm" else 0)

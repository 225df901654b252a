"""Urdu publication times (``pipelines.urdu.parse_urdu_date`` through ``parse_published``): a table.

Each row is a way an Urdu page or dateline writes a date, with the ISO time the
archive must keep (Pakistan time), the bare day when no time is written, or None.
"""

import pytest

from pipelines.dates import in_outlet_time, parse_published
from pipelines.urdu import parse_urdu_date
from tests.samples import PAGE_HINTS

PAKISTAN = PAGE_HINTS.timezone  # UrduPoint's zone, as its profile gives it

# (id, written, expected: ISO datetime in Pakistan time, ISO date, or None)
URDU_DATES = [
    ("page-date-weekday-24h", "جمعہ 18 جولائی 2025 19:55", "2025-07-18T19:55:00+05:00"),
    ("page-date-without-weekday", "18 جولائی 2025 19:55", "2025-07-18T19:55:00+05:00"),
    ("page-date-with-seconds", "پیر 03 مارچ 2025 08:05:30", "2025-03-03T08:05:30+05:00"),
    ("urdu-digits", "ہفتہ ۱۴ فروری ۲۰۱۵ ۱۸:۲۲", "2015-02-14T18:22:00+05:00"),
    ("arabic-indic-digits", "منگل ٠٩ جنوری ٢٠٢٤ ١١:٤٠", "2024-01-09T11:40:00+05:00"),
    ("mixed-digits", "بدھ ۲۲ نومبر 2023 21:05", "2023-11-22T21:05:00+05:00"),
    ("year-suffix-hamza", "18 جولائی 2025ء 19:55", "2025-07-18T19:55:00+05:00"),
    ("urdu-comma-before-time", "18 جولائی 2025ء، 19:55", "2025-07-18T19:55:00+05:00"),
    ("evening-12h", "18 جولائی 2025ء، شام 7:55", "2025-07-18T19:55:00+05:00"),
    ("morning-12h-with-bajay", "12 مئی 2021ء صبح 9:05 بجے", "2021-05-12T09:05:00+05:00"),
    ("night-late", "18 جولائی 2025ء رات 11:30", "2025-07-18T23:30:00+05:00"),
    ("night-after-midnight", "18 جولائی 2025ء رات 2:10 بجے", "2025-07-18T02:10:00+05:00"),
    ("latin-pm", "18 جولائی 2025 7:55 PM", "2025-07-18T19:55:00+05:00"),
    ("label-before-date", "تاریخ اشاعت: جمعرات 24 اپریل 2025 14:10", "2025-04-24T14:10:00+05:00"),
    ("direction-marks-and-tatweel", "\u200fجمعہ 18 جولـائی 2025\u200f 19:55", "2025-07-18T19:55:00+05:00"),
    ("day-only", "۱۴ فروری ۲۰۱۵ء", "2015-02-14"),
    ("day-only-year-glued", "05 مارچ2024ء", "2024-03-05"),
    ("dateline-style-separators", "14فروری۔2015ء", "2015-02-14"),
    ("mai-without-yeh", "03 مئ 2021", "2021-05-03"),
    ("short-july", "01 جولائ 2024ء", "2024-07-01"),
    ("impossible-day", "30 فروری 2024 10:00", None),
    ("impossible-time", "18 جولائی 2025 25:10", None),
    ("twelve-hour-beyond-12", "18 جولائی 2025 13:10 PM", None),
    ("no-year", "جمعہ 18 جولائی", None),
    ("weekday-and-words-only", "جمعہ کو اجلاس ہوگا", None),
    ("english-month-in-urdu-text", "18 July 2025 کو اجلاس", "2025-07-18"),
    ("too-old", "14 فروری 1990", None),
    ("far-future", "14 فروری 2090 10:00", None),
]


@pytest.mark.parametrize(
    "written, expected", [row[1:] for row in URDU_DATES], ids=[row[0] for row in URDU_DATES]
)
def test_urdu_dates(written, expected):
    parsed = parse_published(written, PAKISTAN)
    if expected is None or len(expected) == len("YYYY-MM-DD"):
        assert (parsed.isoformat() if parsed else None) == expected
    else:
        assert in_outlet_time(parsed, PAKISTAN) == expected


def test_the_weekday_is_read_past_not_checked():
    # 18 July 2025 was a Friday; a desk's wrong weekday does not lose the date.
    assert parse_urdu_date("پیر 18 جولائی 2025 19:55") == parse_urdu_date("جمعہ 18 جولائی 2025 19:55")


def test_no_urdu_date_is_invented_from_numbers_and_words():
    for text in ("2025 میں 18 جولائی", "18 19:55", "جولائی", "", "کراچی میں 18 افراد 2025 تک"):
        assert parse_urdu_date(text) is None, text

from datetime import date, timezone

import pytest

from pipelines.dates import in_outlet_time, in_utc, parse_published
from tests.samples import PAGE_HINTS

PAKISTAN = PAGE_HINTS.timezone  # UrduPoint's zone, as its profile gives it


@pytest.mark.parametrize(
    "value, expected",
    [
        ("2023-03-02T17:20:00+05:00", "2023-03-02T17:20:00+05:00"),
        ("2023-03-02T17:20:00+0500", "2023-03-02T17:20:00+05:00"),
        ("2023-03-02T12:20:00Z", "2023-03-02T17:20:00+05:00"),
        ("2023-03-02T17:20:00", "2023-03-02T17:20:00+05:00"),
        ("2023-03-02 17:20:00", "2023-03-02T17:20:00+05:00"),
        ("Published March 02, 2023 | 05:20 PM", "2023-03-02T17:20:00+05:00"),
        ("March 02, 2023 | 05:20 PM", "2023-03-02T17:20:00+05:00"),
        ("Faizan Hashmi 37 seconds ago Mon 30th November 2020 | 04:15 PM", "2020-11-30T16:15:00+05:00"),
        ("Fahad Shabbir (@FahadShabbir) Published March 23, 2024 | 04:50 PM", "2024-03-23T16:50:00+05:00"),
        ("Sept 3, 2024 at 9:05 am", "2024-09-03T09:05:00+05:00"),
    ],
    ids=["iso-colon", "iso-no-colon", "iso-utc", "iso-naive", "iso-space", "byline", "article-date",
         "older-byline", "current-byline", "sept"],
)
def test_times_are_kept_in_pakistan_time(value, expected):
    assert in_outlet_time(parse_published(value, PAKISTAN), PAKISTAN) == expected


@pytest.mark.parametrize(
    "value, expected",
    [("Published March 23, 2024", date(2024, 3, 23)), ("2023-03-02", date(2023, 3, 2)), ("02nd Mar, 2023", date(2023, 3, 2))],
    ids=["byline-date-only", "iso-date", "ordinal"],
)
def test_a_date_without_time_stays_a_date(value, expected):
    assert parse_published(value, PAKISTAN) == expected


@pytest.mark.parametrize(
    "value",
    ["", "   ", None, "garbage", "3000-01-01", "1900-05-01T10:00:00+05:00", "February 30, 2023 | 10:00 AM",
     "جمعہ کو 18 ارکان نے 2025 کے بجٹ پر بات کی", "2023-13-45"],
    ids=["empty", "blank", "none", "words", "far-future", "far-past", "impossible-day", "urdu-words-not-guessed",
         "impossible-iso-date"],
)
def test_nothing_is_guessed(value):
    assert parse_published(value) is None


def test_utc_copy_is_the_same_instant():
    assert in_utc(parse_published("2023-03-02T17:20:00+05:00")) == "2023-03-02T12:20:00+00:00"


@pytest.mark.parametrize(
    "value, expected",
    [
        ("20180619T055000+0900", "2018-06-19T05:50:00+09:00"),
        ("2018年6月18日 10:01", "2018-06-18T10:01:00+00:00"),  # no offset written, no outlet zone: UTC
        ("2018年6月18日(月) 10:01", "2018-06-18T10:01:00+00:00"),
        ("2016 年 10 月 14 日", "2016-10-14"),
    ],
    ids=["iso-basic", "cjk-with-time", "cjk-after-weekday", "cjk-date-only"],
)
def test_other_ways_of_writing_a_time(value, expected):
    parsed = parse_published(value, timezone.utc)
    assert (in_outlet_time(parsed, None) if hasattr(parsed, "hour") else parsed.isoformat()) == expected


def test_an_impossible_east_asian_date_is_not_guessed():
    assert parse_published("2018年13月18日 10:01") is None


def test_a_time_without_offset_stays_naive_when_no_zone_is_given():
    assert parse_published("2023-03-02T17:20:00", None).isoformat() == "2023-03-02T17:20:00"
    assert parse_published("2023-03-02T17:20:00+05:00", None).isoformat() == "2023-03-02T17:20:00+05:00"
    assert parse_published("2099-03-02T17:20:00", None) is None  # implausible, naive or not
    assert in_utc(parse_published("2023-03-02T17:20:00", None)) == "2023-03-02T17:20:00+00:00"

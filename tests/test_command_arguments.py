"""What ``scrapy search``, ``scrapy export`` and ``scrapy reextract`` share: their arguments
(crawler/commands/__init__.py), run as a user runs them over a real archive."""

import csv
import json
import os
import subprocess
from pathlib import Path

import pytest

from tests.samples import ARTICLES, SEED, assert_one_line_error, build_archive, scrapy, scrapy_all

NOT_UTF8 = b"\xff\xfe"  # bytes a terminal in another encoding sends; Python keeps them as surrogates
BAD_ARGUMENTS = {
    "not-utf8-terms": ["search", b"wheat" + NOT_UTF8],
    "not-utf8-after-double-dash": ["search", "--", NOT_UTF8],
    "not-utf8-option": ["search", "wheat", b"--" + NOT_UTF8],
    "not-utf8-outlet": ["search", "wheat", "--outlet", NOT_UTF8],
    "not-utf8-since": ["search", "wheat", "--since", NOT_UTF8],
    "not-utf8-limit": ["search", "wheat", "--limit", NOT_UTF8],
    "limit-beyond-sqlite": ["search", "wheat", "--limit", "99999999999999999999999"],
    "limit-beyond-python": ["search", "wheat", "--limit", "9" * 5000],
    "limit-zeros": ["search", "wheat", "--limit", "000"],
    "arabic-indic-digits": ["search", "wheat", "--since", "٢٠٢٣-٠٣-٠٢"],
    "year-zero": ["search", "wheat", "--since", "0000-12-31"],
    "search-too-many-words": ["search", *"abcdefghijklmnopq"],
    "search-too-long": ["search", *["t*"] * 80],
    "export-not-utf8-search": ["export", "-o", "{out}", "--search", NOT_UTF8],
    "export-not-utf8-outlet": ["export", "-o", "{out}", "--outlet", NOT_UTF8],
    "export-search-too-long": ["export", "-o", "{out}", "--search", " ".join(["t*"] * 80)],
    "export-limit-beyond-sqlite": ["export", "-o", "{out}", "--limit", "99999999999999999999999"],
    "reextract-not-utf8-until": ["reextract", "--until", NOT_UTF8],
    "reextract-not-utf8-argument": ["reextract", NOT_UTF8],
    "reextract-limit-beyond-sqlite": ["reextract", "--limit", "99999999999999999999999"],
}
# The first and last days Python and SQLite know are days like any other.
EVERY_DAY = ["--since", "0001-01-01", "--until", "9999-12-31"]
EXTREME_DAYS = {
    "search-every-day": ["search", "a*", "--json", "--limit", "100", *EVERY_DAY],
    "search-no-filter": ["search", "a*", "--json", "--limit", "100"],
    "search-until-last-day": ["search", "a*", "--json", "--limit", "100", "--until", "9999-12-31"],
    "search-first-day-only": ["search", "a*", "--json", "--until", "0001-01-01"],
    "search-last-day-only": ["search", "a*", "--json", "--since", "9999-12-31"],
    "search-largest-limit": ["search", "a*", "--json", "--limit", "9223372036854775807"],
    "export-every-day": ["export", "-o", "{out}", *EVERY_DAY],
    "export-last-day-only": ["export", "-o", "{out}", "--since", "9999-12-31"],
    "reextract-first-day-only": ["reextract", "--since", "0001-01-01", "--until", "0001-01-01"],
}


@pytest.fixture(scope="module")
def runs(tmp_path_factory) -> tuple[dict[str, subprocess.CompletedProcess], Path]:
    work = tmp_path_factory.mktemp("arguments")
    db = build_archive(work / "archive.db")
    cases = {
        name: [str(work / f"{name}.csv") if arg == "{out}" else arg for arg in args]
        for name, args in {**BAD_ARGUMENTS, **EXTREME_DAYS}.items()
    }
    return scrapy_all(db, cases), work


@pytest.mark.parametrize("name", BAD_ARGUMENTS)
def test_bad_arguments_give_one_line(runs, name):
    results, work = runs
    assert_one_line_error(results[name])
    assert not (work / f"{name}.csv").exists()


def test_bytes_that_are_not_utf8_are_named_as_such(runs):
    error = runs[0]["not-utf8-terms"].stderr
    assert error == "Error: the argument 'wheat\ufffd\ufffd' is not valid UTF-8 text: check the terminal's encoding\n"
    assert "is too large: at most 9,223,372,036,854,775,807" in runs[0]["limit-beyond-sqlite"].stderr
    assert runs[0]["search-too-many-words"].stderr == "Error: the search is too long: 17 words, at most 16\n"


def ids(result: subprocess.CompletedProcess) -> list[int]:
    assert (result.returncode, result.stderr) == (0, ""), result.stderr
    return [row["id"] for row in json.loads(result.stdout)]


def test_the_first_and_last_days_filter_like_any_day(runs):
    results, work = runs
    everything = ids(results["search-no-filter"])  # every sample article is dated
    assert len(everything) > 3
    assert ids(results["search-every-day"]) == everything
    assert ids(results["search-until-last-day"]) == ids(results["search-every-day"])
    assert ids(results["search-largest-limit"]) == everything
    assert ids(results["search-first-day-only"]) == ids(results["search-last-day-only"]) == []
    with open(work / "export-every-day.csv", encoding="utf-8") as exported:
        assert len(list(csv.DictReader(exported))) == len(ARTICLES)
    assert results["export-last-day-only"].returncode == 0
    with open(work / "export-last-day-only.csv", encoding="utf-8") as exported:
        assert list(csv.DictReader(exported)) == []
    reextract = results["reextract-first-day-only"]
    assert (reextract.returncode, reextract.stderr) == (0, "")
    assert reextract.stdout.startswith("0 examined")


def test_reads_an_archive_whose_file_name_is_not_utf8(tmp_path):
    db = build_archive(tmp_path / os.fsdecode(b"archive-" + NOT_UTF8 + b".db"))
    result = scrapy(db, "search", "Lavrov", "--json")
    assert (result.returncode, result.stderr) == (0, "")
    assert [row["title"] for row in json.loads(result.stdout)] == [SEED.title]

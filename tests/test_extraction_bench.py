"""The extraction benchmark: its scoring, and a run on a folder of pages written for it.

The folder ``tests/extraction_bench_pages`` has the layout the benchmark reads (``truth.jsonl``
and ``pages/<id>.html``): a news article, a blog post whose truth has no title or date, and a
binary file the project must reject.
"""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from benchmarks.extraction_bench import normalised_title, same_day, same_day_in_truth_zone, title_matches, token_scores

REPO = Path(__file__).resolve().parent.parent
PAGES = REPO / "tests" / "extraction_bench_pages"


def bench(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "benchmarks.extraction_bench", *args],
                          cwd=REPO, capture_output=True, text=True, timeout=120)


def test_token_scores_count_words_as_a_lower_cased_multiset():
    precision, recall, f1 = token_scores("The cat sat, the CAT!", "the cat sat on the mat")
    assert (precision, recall) == (4 / 5, 4 / 6)  # the, the, cat, sat of 5 found; of 6 expected
    assert f1 == pytest.approx(2 * (4 / 5) * (4 / 6) / (4 / 5 + 4 / 6))
    assert token_scores("the cat sat on the mat", "The cat sat on the mat.") == (1.0, 1.0, 1.0)


def test_token_scores_of_nothing_found_are_zero():
    assert token_scores(None, "the cat") == (0.0, 0.0, 0.0)
    assert token_scores("dogs bark", "the cat") == (0.0, 0.0, 0.0)


def test_titles_match_after_whitespace_normalisation_only():
    assert normalised_title("  Harbour ferry\n returns\tafter  repairs ") == "Harbour ferry returns after repairs"
    assert title_matches("Harbour ferry\nreturns", "Harbour  ferry returns")
    assert not title_matches("harbour ferry returns", "Harbour ferry returns")
    assert not title_matches("Harbour ferry returns | The Courier", "Harbour ferry returns")
    assert not title_matches(None, "Harbour ferry returns")


def test_dates_compare_their_day_as_written_without_time_zone_conversion():
    assert same_day("2015-07-10", "2015-07-10T23:53:00-04:00")
    assert same_day("2015-07-10T09:53:00+05:00", "2015-07-10T09:53:00-04:00")
    assert same_day("2023-06-07T20:54:26.829Z", "2023-06-07")
    # the same instant, written in Pakistan's offset, falls on the next day: a miss as written
    assert not same_day("2015-07-11T08:53:00+05:00", "2015-07-10T23:53:00-04:00")
    assert not same_day(None, "2015-07-10")
    assert not same_day("July 10, 2015", "2015-07-10")


def test_a_miss_only_by_time_zone_is_told_apart():
    assert same_day_in_truth_zone("2015-07-11T08:53:00+05:00", "2015-07-10T23:53:00-04:00")
    assert same_day_in_truth_zone("2023-06-08T01:54:26.829000+05:00", "2023-06-07T20:54:26.829Z")
    assert not same_day_in_truth_zone("2015-07-12T08:53:00+05:00", "2015-07-10T23:53:00-04:00")
    assert not same_day_in_truth_zone("2013-12-31T02:42:01+05:00", "2013-12-30T00:00:00")  # truth has no offset
    assert not same_day_in_truth_zone(None, "2015-07-10T23:53:00-04:00")


def test_the_benchmark_scores_a_folder_of_pages_side_by_side(tmp_path):
    scores_path = tmp_path / "scores.json"
    run = bench(str(PAGES), "--json", str(scores_path))
    assert run.returncode == 0, run.stderr
    assert "Traceback" not in run.stderr
    out = run.stdout
    assert "all: 3 pages" in out and "blog: 2 pages" in out and "news: 1 pages" in out
    assert "| body F1 (mean)" in out and "| title exact" in out and "| published same day" in out
    table = out.split("all: 3 pages")[1].split("\n\n")[0]
    assert "| title exact" in table and table.count("/2)") == 4  # titles and dates: 2 pages with truth, each side
    assert "rejected by the project: 1, binary 1" in out
    assert "time a page: the project takes" in out

    scores = {row["id"]: row for row in json.loads(scores_path.read_text(encoding="utf-8"))}
    assert set(scores) == {"bench-harbour-ferry", "bench-orchard-blog", "bench-not-a-page"}
    ferry = scores["bench-harbour-ferry"]
    assert ferry["project"]["score"]["f1"] > 0.9 and ferry["project"]["score"]["title"] is True
    assert ferry["trafilatura"]["score"]["published"] is True  # 2024-03-05, the day as written
    blog = scores["bench-orchard-blog"]
    assert blog["project"]["score"]["title"] is None and blog["project"]["score"]["published"] is None
    assert blog["project"]["score"]["f1"] > 0.9  # found without a URL: read at its file URL
    broken = scores["bench-not-a-page"]["project"]
    assert broken["extracted"]["rejected"] == "binary"
    assert broken["score"] == {"precision": 0.0, "recall": 0.0, "f1": 0.0, "title": False, "published": False}
    assert "text" not in broken["extracted"]  # no page text in the scores


def test_a_folder_without_truth_is_one_error_line(tmp_path):
    run = bench(str(tmp_path))
    assert run.returncode == 2
    assert run.stderr.strip() == f"Error: {tmp_path} has no truth.jsonl"
    assert run.stdout == ""


def test_a_truth_line_naming_a_missing_page_is_one_error_line(tmp_path):
    (tmp_path / "truth.jsonl").write_text(json.dumps({"id": "gone", "file": "pages/gone.html", "text": "x"}) + "\n")
    run = bench(str(tmp_path))
    assert run.returncode == 2
    lines = run.stderr.strip().splitlines()
    assert len(lines) == 1 and "gone.html" in lines[0]
    assert lines[0].startswith(f"Error: {tmp_path / 'truth.jsonl'} line 1:")

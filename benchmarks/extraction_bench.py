"""Benchmark (not a test): extraction quality on real pages with truth, the project beside bare trafilatura.

Run from the repository root::

    python -m benchmarks.extraction_bench FOLDER          # e.g. ../shared/realpages
    python -m benchmarks.extraction_bench FOLDER --json scores.json

``FOLDER`` holds ``truth.jsonl`` (one JSON object a page: ``id``, ``file``, ``source``, ``url``,
``title``, ``text``, ``published``) and the pages it names (``pages/<id>.html``, UTF-8). Every
page is extracted twice in this one process:

1. **the project's generic path**, as a crawl without site hints extracts it: the extraction
   pipeline's :func:`pipelines.extract.extract_page` with empty :class:`~pipelines.hints.PageHints`,
   the page served as UTF-8 at its truth ``url`` (a ``file:`` URL where that is null), then the
   dateline cut the dateline pipeline makes. A rejected page scores 0 body F1, no title, no date;
2. **bare trafilatura**: ``trafilatura.extract(html, output_format="json", with_metadata=True,
   url=...)`` with its defaults (comments go to the JSON's ``comments``, not scored).

Scoring (the folder's convention): body is the bag-of-words token F1 of the extracted text
against the truth's; title an exact match after whitespace normalisation, over pages with a
title in the truth; published a hit when the extracted date falls on the truth's calendar day,
both compared as written (no time zone conversion), over pages with a date in the truth. It
prints the figures side by side, for all pages and for each source; the pages where the
project loses most body F1 to trafilatura; the rejected pages with their reasons; the date
misses; and the time a page takes each extractor, as a ratio.
"""

import argparse
import json
import os
import platform
import re
import statistics
import sys
import time
from collections import Counter
from dataclasses import asdict, dataclass
from datetime import datetime
from pathlib import Path

import trafilatura

from pipelines.dateline import body_after_dateline
from pipelines.extract import Page, extract_page
from pipelines.hints import PageHints

WORST_SHOWN = 10  # pages listed where the project loses most body F1 to trafilatura
DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


class BadFolder(Exception):
    """The folder is not a set of pages with truth: reported in one line."""


def tokens(text: str | None) -> Counter:
    return Counter(re.findall(r"\w+", (text or "").lower()))


def token_scores(predicted: str | None, truth: str) -> tuple[float, float, float]:
    """``(precision, recall, f1)`` of the bag of lower-cased word tokens of ``predicted`` against ``truth``."""
    found, expected = tokens(predicted), tokens(truth)
    overlap = sum((found & expected).values())
    if not overlap:
        return 0.0, 0.0, 0.0
    precision, recall = overlap / sum(found.values()), overlap / sum(expected.values())
    return precision, recall, 2 * precision * recall / (precision + recall)


def normalised_title(title: str | None) -> str | None:
    return " ".join(title.split()) if title else None


def title_matches(predicted: str | None, truth: str) -> bool:
    return normalised_title(predicted) == normalised_title(truth)


def written_day(value: str | None) -> str | None:
    """The ``YYYY-MM-DD`` a date or ISO datetime starts with, as written (no time zone conversion)."""
    match = DAY.match(value.strip()) if value else None
    return match.group() if match else None


def same_day(predicted: str | None, truth: str) -> bool:
    return written_day(predicted) is not None and written_day(predicted) == written_day(truth)


def same_day_in_truth_zone(predicted: str | None, truth: str) -> bool:
    """Whether ``predicted`` falls on the truth's day once moved to the truth's own offset: a miss
    that is only the extractor writing the time in another zone (both must carry an offset)."""
    try:
        moment, expected = datetime.fromisoformat(predicted or ""), datetime.fromisoformat(truth)
    except ValueError:
        return False
    if moment.tzinfo is None or expected.tzinfo is None:
        return False
    return moment.astimezone(expected.tzinfo).date() == expected.date()


@dataclass
class Result:
    """What one extractor made of one page."""

    text: str | None = None
    title: str | None = None
    published: str | None = None
    rejected: str | None = None  # the project's rejection reason
    seconds: float = 0.0


@dataclass
class Score:
    precision: float
    recall: float
    f1: float
    title: bool | None  # None: no title in the truth
    published: bool | None  # None: no date in the truth


def score(result: Result, truth: dict) -> Score:
    precision, recall, f1 = token_scores(result.text, truth["text"])
    return Score(
        precision,
        recall,
        f1,
        title_matches(result.title, truth["title"]) if truth.get("title") else None,
        same_day(result.published, truth["published"]) if truth.get("published") else None,
    )


def read_truth(folder: Path) -> list[dict]:
    """The truth of every page in ``folder``, each with its page's ``html`` read as UTF-8 and a ``url``."""
    truth_path = folder / "truth.jsonl"
    if not truth_path.is_file():
        raise BadFolder(f"{folder} has no truth.jsonl")
    pages = []
    for number, line in enumerate(truth_path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            page = json.loads(line)
            html_path = folder / page["file"]
            page["html"] = html_path.read_bytes()
            page["url"] = page.get("url") or html_path.resolve().as_uri()
            page.setdefault("source", "")
            page["text"] = page["text"] or ""
        except (ValueError, KeyError, TypeError, OSError) as error:
            raise BadFolder(f"{truth_path} line {number}: {error}") from error
        pages.append(page)
    if not pages:
        raise BadFolder(f"{truth_path} names no pages")
    return pages


def run_project(page: dict) -> Result:
    """The project's generic path: extraction without site hints, then the dateline cut."""
    started = time.perf_counter()
    extraction = extract_page(Page(page["url"], page["url"], page["html"], "utf-8", None), PageHints())
    text = body_after_dateline(extraction.fields["text"]) if extraction.rejection is None else None
    seconds = time.perf_counter() - started
    if extraction.rejection is not None:
        return Result(rejected=extraction.rejection[0], seconds=seconds)
    fields = extraction.fields
    return Result(text, fields["title"], fields.get("published_at"), seconds=seconds)


def run_trafilatura(page: dict) -> Result:
    """Bare trafilatura with its defaults; bytes that are not UTF-8 reach it as U+FFFD."""
    html = page["html"].decode("utf-8", errors="replace")
    started = time.perf_counter()
    output = trafilatura.extract(html, output_format="json", with_metadata=True, url=page["url"])
    seconds = time.perf_counter() - started
    found = json.loads(output) if output else {}
    return Result(found.get("text"), found.get("title"), found.get("date"), seconds=seconds)


EXTRACTORS = {"project": run_project, "trafilatura": run_trafilatura}


def measure(pages: list[dict]) -> list[dict]:
    """Per page: its id and source, and each extractor's result and score."""
    rows = []
    for page in pages:
        row = {"id": page["id"], "source": page["source"], "truth_published": page.get("published")}
        for name, run in EXTRACTORS.items():
            result = run(page)
            row[name] = {"result": result, "score": score(result, page)}
        rows.append(row)
    return rows


def rate(values: list[bool | None]) -> tuple[int, int]:
    """``(hits, counted)`` over the values that count (not None)."""
    counted = [value for value in values if value is not None]
    return sum(counted), len(counted)


def summary(rows: list[dict], name: str) -> dict:
    scores = [row[name]["score"] for row in rows]
    return {
        "pages": len(rows),
        "f1": statistics.fmean(s.f1 for s in scores),
        "precision": statistics.fmean(s.precision for s in scores),
        "recall": statistics.fmean(s.recall for s in scores),
        "title": rate([s.title for s in scores]),
        "published": rate([s.published for s in scores]),
        "rejected": sum(row[name]["result"].rejected is not None for row in rows),
        "ms": statistics.fmean(row[name]["result"].seconds for row in rows) * 1000,
    }


def fraction(hits_counted: tuple[int, int]) -> str:
    hits, counted = hits_counted
    return f"{hits / counted:.3f} ({hits}/{counted})" if counted else "-"


def print_table(label: str, rows: list[dict]) -> None:
    ours, theirs = summary(rows, "project"), summary(rows, "trafilatura")
    print(f"\n{label}: {len(rows)} pages")
    print(f"| {'':<24} | {'project':>16} | {'trafilatura':>16} |")
    print(f"| {'-' * 24} | {'-' * 16} | {'-' * 16} |")
    for key, caption in (("f1", "body F1 (mean)"), ("precision", "body precision"), ("recall", "body recall")):
        print(f"| {caption:<24} | {ours[key]:>16.3f} | {theirs[key]:>16.3f} |")
    print(f"| {'title exact':<24} | {fraction(ours['title']):>16} | {fraction(theirs['title']):>16} |")
    print(f"| {'published same day':<24} | {fraction(ours['published']):>16} | {fraction(theirs['published']):>16} |")
    print(f"| {'pages rejected':<24} | {ours['rejected']:>16} | {theirs['rejected']:>16} |")
    print(f"| {'ms a page (mean)':<24} | {ours['ms']:>16.2f} | {theirs['ms']:>16.2f} |")


def print_losses(rows: list[dict]) -> None:
    losses = sorted(rows, key=lambda row: row["project"]["score"].f1 - row["trafilatura"]["score"].f1)
    print("\nwhere the project loses most body F1 to trafilatura (project / trafilatura):")
    losing = [row for row in losses[:WORST_SHOWN] if row["project"]["score"].f1 < row["trafilatura"]["score"].f1]
    if not losing:
        print("  none")
    for row in losing:
        ours, theirs = row["project"], row["trafilatura"]
        note = f", rejected: {ours['result'].rejected}" if ours["result"].rejected else ""
        print(f"  {row['id']:<40} {ours['score'].f1:.3f} / {theirs['score'].f1:.3f}"
              f" (P {ours['score'].precision:.2f}, R {ours['score'].recall:.2f}{note})")


def print_rejections(rows: list[dict]) -> None:
    rejected = [row for row in rows if row["project"]["result"].rejected]
    reasons = Counter(row["project"]["result"].rejected for row in rejected)
    counted = "".join(f", {reason} {n}" for reason, n in reasons.most_common())
    print(f"\nrejected by the project: {len(rejected)}{counted}")
    for row in rejected:
        print(f"  {row['id']:<40} {row['project']['result'].rejected}")


def print_date_misses(rows: list[dict]) -> None:
    misses = [row for row in rows if row["project"]["score"].published is False]
    zone_only = [row for row in misses
                 if same_day_in_truth_zone(row["project"]["result"].published, row["truth_published"])]
    print(f"\ndate misses of the project: {len(misses)}, {len(zone_only)} of them the same instant's day in another"
          " time zone (truth / project / trafilatura):")
    for row in misses:
        zone = " (zone)" if row in zone_only else ""
        print(f"  {row['id']:<40} {row['truth_published']} / {row['project']['result'].published}"
              f" / {row['trafilatura']['result'].published}{zone}")


def write_json(rows: list[dict], path: Path) -> None:
    """Per-page scores and extracted metadata (no page text), for analysis."""
    records = [
        {
            "id": row["id"],
            "source": row["source"],
            "truth_published": row["truth_published"],
            **{
                name: {
                    "score": asdict(row[name]["score"]),
                    "extracted": {key: value for key, value in asdict(row[name]["result"]).items() if key != "text"},
                }
                for name in EXTRACTORS
            },
        }
        for row in rows
    ]
    path.write_text(json.dumps(records, indent=1, ensure_ascii=False), encoding="utf-8")


def machine_note() -> str:
    return (f"{os.cpu_count()} cores, Python {platform.python_version()}, trafilatura {trafilatura.__version__}, "
            f"load average {os.getloadavg()[0]:.2f}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("folder", type=Path, help="a folder with truth.jsonl and the pages it names")
    parser.add_argument("--json", type=Path, metavar="PATH", help="write the per-page scores to PATH")
    args = parser.parse_args(argv)
    try:
        pages = read_truth(args.folder)
    except BadFolder as error:
        print(f"Error: {error}", file=sys.stderr)
        return 2
    print(f"machine: {machine_note()}")
    rows = measure(pages)
    print_table("all", rows)
    for source in sorted({row["source"] for row in rows}):
        print_table(source, [row for row in rows if row["source"] == source])
    print_losses(rows)
    print_rejections(rows)
    print_date_misses(rows)
    ours, theirs = summary(rows, "project"), summary(rows, "trafilatura")
    print(f"\ntime a page: the project takes {ours['ms'] / theirs['ms']:.2f}x the time of bare trafilatura")
    if args.json:
        write_json(rows, args.json)
        print(f"per-page scores: {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

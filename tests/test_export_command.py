"""``scrapy export``, run as a user runs it: a subprocess from the repo root over a real archive."""

import csv
import io
import json
import re
import sqlite3
import subprocess
import tracemalloc
from contextlib import closing
from pathlib import Path

import pytest
import sqlite_utils
from scrapy.utils.project import get_project_settings

from crawler.commands.export import Command as ExportCommand
from crawler.export import EXPORT_COLUMNS, txt_article
from pipelines.profile import Profiles
from pipelines import schema
from tests.conftest import command_in_process
from tests.test_export import exported_seed_txt, row
from tests.samples import (
    ARTICLES,
    COTTON,
    FLOUR,
    FORMULA,
    NEWEST_FIRST,
    SEED,
    URDU_WHEAT,
    WHEAT_PRICE,
    assert_one_line_error,
    build_archive,
    scrapy,
    scrapy_all,
    scrapy_on_terminal,
)

BOM = b"\xef\xbb\xbf"
SYNTHETIC_ARTICLES = 20_000


@pytest.fixture(scope="module")
def db(tmp_path_factory) -> Path:
    return build_archive(tmp_path_factory.mktemp("export") / "archive.db")


@pytest.fixture(scope="module")
def out(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("out")
    (folder / "a-folder.csv").mkdir()
    return folder


GOOD = {
    "csv": ["-o", "all.csv"],
    "csv-bom": ["-o", "bom.csv", "--bom"],
    "csv-unsanitized": ["-o", "raw.csv", "--no-sanitize"],
    "csv-columns": ["-o", "columns.csv", "--columns", "url, title"],
    "jsonl": ["-o", "all.jsonl"],
    "jsonl-filtered": ["-o", "wheat.jsonl", "--search", "wheat", "--outlet", "urdupoint", "--since", "2023-03-01"],
    "jsonl-limit": ["-o", "newest.jsonl", "--limit", "3"],
    "txt": ["-o", "all.txt"],
    "txt-seed": ["-o", "seed.txt", "--search", "Lavrov", "--until", "2023-03-02"],
    "txt-bom": ["-o", "bom.txt", "--bom", "--search", "Lavrov"],
    "format-over-extension": ["-o", "jsonl-in.csv", "--format", "jsonl"],
    "format-without-extension": ["-o", "articles.out", "--format", "CSV"],
}
TO_STDOUT = {
    "stdout-jsonl": ["-o", "-", "--format", "jsonl"],
    "stdout-csv-bom": ["-o", "-", "--format", "csv", "--bom"],
    "stdout-txt": ["-o", "-", "--format", "txt", "--search", "Lavrov"],
}
BAD = {
    "no-output": [],
    "unknown-format": ["-o", "bad.xlsx"],
    "no-extension": ["-o", "bad"],
    "malformed-since": ["-o", "since.csv", "--since", "2023-3-1"],
    "malformed-until": ["-o", "until.csv", "--until", "tomorrow"],
    "no-such-folder": ["-o", "no-such-folder/out.csv"],
    "a-folder": ["-o", "a-folder.csv"],
    "unknown-column": ["-o", "column.csv", "--columns", "title,body"],
    "columns-for-txt": ["-o", "columns.txt", "--columns", "title"],
    "bom-for-jsonl": ["-o", "bom.jsonl", "--bom"],
    "no-sanitize-for-txt": ["-o", "raw.txt", "--no-sanitize"],
    "empty-search": ["-o", "empty.csv", "--search", " "],
    "negative-limit": ["-o", "limit.csv", "--limit", "-1"],
    "unknown-option": ["-o", "typo.csv", "--bomb"],
    "stray-argument": ["wheat", "-o", "stray.csv"],
    "stdout-without-format": ["-o", "-"],
    "unknown-format-option": ["-o", "format.csv", "--format", "xlsx"],
    "bom-for-jsonl-format": ["-o", "format-bom.csv", "--format", "jsonl", "--bom"],
    "columns-for-txt-format": ["-o", "format-columns.csv", "--format", "txt", "--columns", "title"],
}


def in_folder(args: list[str], folder: Path) -> list[str]:
    """``args`` with the file named by ``-o`` (but standard output, ``-``) put in ``folder``."""
    return [str(folder / arg) if previous == "-o" and arg != "-" else arg for previous, arg in zip(["", *args], args)]


@pytest.fixture(scope="module")
def runs(db, out) -> dict[str, subprocess.CompletedProcess]:
    """Every ``scrapy export`` of this module but the terminal one, run at once; files go to ``out``."""
    cases = {**GOOD, **TO_STDOUT, **{f"bad:{name}": args for name, args in BAD.items()}}
    return scrapy_all(db, {name: ["export", *in_folder(args, out)] for name, args in cases.items()})


def exported(runs, out: Path, name: str) -> bytes:
    """The file that case ``name`` wrote; its command said so in one line."""
    result, path = runs[name], out / GOOD[name][1]
    assert result.returncode == 0, result.stderr
    assert re.fullmatch(rf"Exported \d+ articles? to {re.escape(str(path))}\n", result.stderr)
    return path.read_bytes()


def archive_ids(db: Path) -> dict[str, int]:
    """Each article's id in the archive ``db``, by URL."""
    with closing(sqlite3.connect(db)) as conn:
        return dict(conn.execute("select url, id from articles"))


def csv_rows(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8"), newline="")))


def test_csv_has_the_documented_columns_newest_first(runs, out):
    header, *rows = csv_rows(exported(runs, out, "csv"))
    assert runs["csv"].stderr == f"Exported {len(ARTICLES)} articles to {out / 'all.csv'}\n"
    assert header == list(EXPORT_COLUMNS)
    by_name = [dict(zip(header, values)) for values in rows]
    assert [found["url"] for found in by_name] == [item.url for item in NEWEST_FIRST]
    seed = by_name[NEWEST_FIRST.index(SEED)]
    assert seed["text"] == SEED.text
    assert seed["published_at_utc"] == "2023-03-02T12:20:00+00:00"
    assert json.loads(seed["tags"]) == SEED.tags
    assert seed["other_urls"] == " ".join(SEED.via)
    urdu = by_name[NEWEST_FIRST.index(URDU_WHEAT)]
    assert (urdu["title"], urdu["text"], urdu["dateline"]) == (URDU_WHEAT.title, URDU_WHEAT.text, URDU_WHEAT.dateline)


def test_csv_neutralises_formulas_by_default(runs, out):
    header, *rows = csv_rows(exported(runs, out, "csv"))
    formula = dict(zip(header, rows[NEWEST_FIRST.index(FORMULA)]))
    cotton = dict(zip(header, rows[NEWEST_FIRST.index(COTTON)]))
    assert formula["title"] == "'" + FORMULA.title
    assert formula["summary"] == "'" + FORMULA.summary
    assert (cotton["summary"], cotton["author"]) == ("'" + COTTON.summary, "'" + COTTON.author)
    assert cotton["title"] == COTTON.title


def test_csv_keeps_formulas_with_no_sanitize(runs, out):
    header, *rows = csv_rows(exported(runs, out, "csv-unsanitized"))
    formula = dict(zip(header, rows[NEWEST_FIRST.index(FORMULA)]))
    assert (formula["title"], formula["summary"]) == (FORMULA.title, FORMULA.summary)


def test_bom_only_when_asked(db, runs, out):
    plain, with_bom = exported(runs, out, "csv"), exported(runs, out, "csv-bom")
    assert not plain.startswith(BOM)
    assert with_bom == BOM + plain
    assert exported(runs, out, "txt-bom") == BOM + exported_seed_txt(archive_ids(db)[SEED.url]).encode("utf-8")


def test_csv_columns_keep_the_documented_order(runs, out):
    header, first, *_ = csv_rows(exported(runs, out, "csv-columns"))
    assert header == ["url", "title"]
    assert first == [FLOUR.url, FLOUR.title]


def test_jsonl(runs, out):
    records = [json.loads(line) for line in exported(runs, out, "jsonl").decode("utf-8").splitlines()]
    assert [list(record) for record in records] == [list(EXPORT_COLUMNS)] * len(ARTICLES)
    urdu = records[NEWEST_FIRST.index(URDU_WHEAT)]
    assert (urdu["title"], urdu["tags"], urdu["other_urls"]) == (URDU_WHEAT.title, URDU_WHEAT.tags, [])
    assert records[NEWEST_FIRST.index(SEED)]["other_urls"] == SEED.via
    assert records[NEWEST_FIRST.index(FORMULA)]["title"] == FORMULA.title  # JSON is not a spreadsheet


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("jsonl-filtered", [FLOUR, WHEAT_PRICE]),
        ("jsonl-limit", NEWEST_FIRST[:3]),
    ],
)
def test_filters(runs, out, name, expected):
    records = [json.loads(line) for line in exported(runs, out, name).decode("utf-8").splitlines()]
    assert [record["url"] for record in records] == [item.url for item in expected]
    assert runs[name].stderr.startswith(f"Exported {len(expected)} articles to ")


def test_txt_of_the_seed_article_is_the_users_example(db, runs, out):
    assert exported(runs, out, "txt-seed") == exported_seed_txt(archive_ids(db)[SEED.url]).encode("utf-8")
    assert runs["txt-seed"].stderr.startswith("Exported 1 article to ")


def test_txt_holds_every_article_between_form_feed_lines(db, runs, out):
    ids = archive_ids(db)
    text = exported(runs, out, "txt").decode("utf-8")
    assert text == "\f\n".join(txt_article(row(item, id=ids[item.url]), Profiles.from_settings(get_project_settings()).get(item.outlet))
                                for item in NEWEST_FIRST)
    assert text.split("\n").count("\f") == len(ARTICLES) - 1
    assert exported_seed_txt(ids[SEED.url]) in text


def test_txt_names_each_articles_url_and_id(db, runs, out):
    articles = exported(runs, out, "txt").decode("utf-8").split("\f\n")
    named = [re.findall(r"^Source: (\S+) \| archive id (\d+)$", text, re.M) for text in articles]
    assert named == [[(item.url, str(archive_ids(db)[item.url]))] for item in NEWEST_FIRST]


def test_format_overrides_the_extension(runs, out):
    records = [json.loads(line) for line in exported(runs, out, "format-over-extension").decode("utf-8").splitlines()]
    assert [record["url"] for record in records] == [item.url for item in NEWEST_FIRST]
    assert exported(runs, out, "format-without-extension") == exported(runs, out, "csv")


def test_jsonl_to_standard_output(runs, out):
    result = runs["stdout-jsonl"]
    assert (result.returncode, result.stderr) == (0, f"Exported {len(ARTICLES)} articles to standard output\n")
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert records == [json.loads(line) for line in exported(runs, out, "jsonl").decode("utf-8").splitlines()]
    assert not (out / "-").exists()


def test_csv_and_txt_to_standard_output(db, runs, out):
    csv_out, txt_out = runs["stdout-csv-bom"], runs["stdout-txt"]
    assert (csv_out.returncode, txt_out.returncode) == (0, 0), csv_out.stderr + txt_out.stderr
    assert csv_out.stdout.startswith("\ufeff")
    assert csv_rows(csv_out.stdout.removeprefix("\ufeff").encode("utf-8")) == csv_rows(exported(runs, out, "csv"))
    assert txt_out.stdout == exported_seed_txt(archive_ids(db)[SEED.url])


@pytest.mark.parametrize("name", BAD)
def test_bad_input_gives_one_line_and_no_file(runs, out, name):
    assert_one_line_error(runs[f"bad:{name}"])
    if "-o" in BAD[name]:
        assert not (out / BAD[name][BAD[name].index("-o") + 1]).is_file()


def test_missing_archive_is_not_created(tmp_path):
    missing = tmp_path / "missing.db"
    result = scrapy(missing, "export", "-o", str(tmp_path / "out.csv"))
    assert_one_line_error(result)
    assert "no archive at" in result.stderr
    assert not missing.exists() and not (tmp_path / "out.csv").exists()


def test_progress_bar_on_a_terminal_only(db, tmp_path):
    shown = scrapy_on_terminal(db, "export", "-o", str(tmp_path / "all.csv"), stream="stderr")
    assert f"/{len(ARTICLES)}" in shown  # tqdm's "n/total"
    assert shown.rstrip().endswith(f"Exported {len(ARTICLES)} articles to {tmp_path / 'all.csv'}")


def export_in_process(db: Path, *argv: str) -> int:
    """The export command run in this process, as ``scrapy export ARGV`` runs it."""
    return command_in_process(ExportCommand, db, argv).exitcode


def synthetic_archive(path: Path, count: int) -> Path:
    db = sqlite_utils.Database(path)
    schema.apply(db)
    paragraph = "The provincial government announced new measures for farmers on Monday. " * 6
    db["articles"].insert_all(
        {
            "url": f"https://www.urdupoint.com/en/pakistan/article-{n}.html",
            "outlet": "urdupoint",
            "title": f"Article number {n}",
            "text": f"{paragraph}\n\n{paragraph}",
            "published_at_utc": f"2023-01-01T00:00:{n % 60:02d}+00:00",
            "content_hash": str(n),
            "first_seen": "2023-01-01T00:00:00+00:00",
            "last_seen": "2023-01-01T00:00:00+00:00",
        }
        for n in range(count)
    )
    db.close()
    return path


def test_streams_in_constant_memory(tmp_path):
    """Exporting ten times the articles must not take ten times the memory (no fetchall)."""
    db = synthetic_archive(tmp_path / "big.db", SYNTHETIC_ARTICLES)
    assert export_in_process(db, "-o", str(tmp_path / "warm-up.csv"), "--limit", "10") == 0
    tracemalloc.start()
    try:
        assert export_in_process(db, "-o", str(tmp_path / "tenth.csv"), "--limit", str(SYNTHETIC_ARTICLES // 10)) == 0
        tenth = tracemalloc.get_traced_memory()[1]
        tracemalloc.reset_peak()
        assert export_in_process(db, "-o", str(tmp_path / "all.csv")) == 0
        everything = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert len(csv_rows((tmp_path / "all.csv").read_bytes())) == SYNTHETIC_ARTICLES + 1
    assert everything < 2 * tenth, (tenth, everything)

"""Where ``scrapy export`` writes: FILE, replaced only with a complete export and only if it is a
plain file, or standard output (``-o -``), whose reader may stop reading.

A ``scrapy export`` subprocess is killed (SIGKILL) once it has started writing, or
made to fail midway by a file-size limit (``RLIMIT_FSIZE``), under which a write
past the limit fails with EFBIG (Python ignores the SIGXFSZ that comes with it).
"""

import os
import re
import resource
import signal
import stat
import subprocess
import time
from pathlib import Path

import pytest

from tests.samples import COMMAND_TIMEOUT, REPO, assert_one_line_error, command_line, scrapy
from tests.test_export_command import SYNTHETIC_ARTICLES, csv_rows, synthetic_archive

OLD_EXPORT = "id,title\r\n1,The export of yesterday\r\n"
FILE_SIZE_LIMIT = 256 * 1024  # bytes: well below the export's, above what else the command writes (SQLite's -shm)
PART = re.compile(r"\.all\.csv\.[0-9a-f]{16}\.part")


@pytest.fixture(scope="module")
def db(tmp_path_factory) -> Path:
    """An archive whose CSV export is some 20 MB: a second or more of writing."""
    return synthetic_archive(tmp_path_factory.mktemp("replace") / "archive.db", SYNTHETIC_ARTICLES)


@pytest.fixture
def old(tmp_path) -> Path:
    """Yesterday's export, which a failed export must leave as it is."""
    target = tmp_path / "out" / "all.csv"
    target.parent.mkdir()
    target.write_bytes(OLD_EXPORT.encode("utf-8"))
    return target


def others_beside(target: Path) -> list[Path]:
    return [path for path in target.parent.iterdir() if path != target]


def test_killed_midway_leaves_the_old_export(db, old):
    export = subprocess.Popen(command_line(db, "export", "-o", str(old)), cwd=REPO, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + COMMAND_TIMEOUT
        while not any(path.stat().st_size for path in others_beside(old)) and export.poll() is None:
            assert time.monotonic() < deadline, "the export never started writing"
            time.sleep(0.005)
        assert export.poll() is None, export.stderr.read()
        export.send_signal(signal.SIGSTOP)
        (part,) = others_beside(old)  # still there while it is stopped: the export had not finished
    finally:
        export.kill()
        export.wait()
    assert export.returncode == -signal.SIGKILL
    assert old.read_bytes() == OLD_EXPORT.encode("utf-8")
    assert PART.fullmatch(part.name)
    assert 0 < part.stat().st_size and part.read_bytes().startswith(b"id,url,outlet,")
    assert export.stderr.read() == b""


def test_failing_midway_leaves_the_old_export_and_nothing_else(db, old):
    def limit_file_size():
        resource.setrlimit(resource.RLIMIT_FSIZE, (FILE_SIZE_LIMIT, FILE_SIZE_LIMIT))

    result = subprocess.run(
        command_line(db, "export", "-o", str(old)),
        cwd=REPO,
        capture_output=True,
        encoding="utf-8",
        env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"},  # no .pyc past the limit
        preexec_fn=limit_file_size,
        timeout=COMMAND_TIMEOUT,
    )
    assert_one_line_error(result)
    assert result.stderr == f"Error: cannot write {old}: File too large\n"
    assert old.read_bytes() == OLD_EXPORT.encode("utf-8")
    assert others_beside(old) == []


def test_a_complete_export_replaces_the_file_and_keeps_its_permissions(db, old, tmp_path):
    old.chmod(0o640)
    fresh = tmp_path / "out" / "fresh.csv"
    assert scrapy(db, "export", "-o", str(old), "--limit", "3").returncode == 0
    assert scrapy(db, "export", "-o", str(fresh), "--limit", "3").returncode == 0
    assert old.read_bytes() == fresh.read_bytes()
    assert len(csv_rows(old.read_bytes())) == 4  # the header and 3 articles
    assert stat.S_IMODE(old.stat().st_mode) == 0o640
    (tmp_path / "by-open").touch()  # a new export gets the permissions open() gives
    assert stat.S_IMODE(fresh.stat().st_mode) == stat.S_IMODE((tmp_path / "by-open").stat().st_mode)
    assert sorted(path.name for path in old.parent.iterdir()) == ["all.csv", "fresh.csv"]


@pytest.mark.parametrize("pointed", ["all.csv", "nowhere.csv", "link.csv"], ids=["to-a-file", "dangling", "loop"])
def test_a_symbolic_link_is_refused_and_left_alone(db, old, pointed):
    link = old.parent / "link.csv"
    link.symlink_to(pointed)
    result = scrapy(db, "export", "-o", str(link))
    assert_one_line_error(result)
    assert result.stderr == f"Error: {link} is a symbolic link (to {pointed}): name the file itself\n"
    assert os.readlink(link) == pointed
    assert old.read_bytes() == OLD_EXPORT.encode("utf-8")
    assert sorted(path.name for path in old.parent.iterdir()) == ["all.csv", "link.csv"]


def assert_refused_as_not_a_file(result: subprocess.CompletedProcess, target: Path) -> None:
    assert_one_line_error(result)
    assert result.stderr == (
        f"Error: {target} is not a regular file (a FIFO, socket or device): use -o - and redirect it\n"
    )


def test_a_fifo_is_refused(db, tmp_path):
    """Opening a FIFO to write would wait for a reader: the command must refuse it before."""
    fifo = tmp_path / "pipe.csv"
    os.mkfifo(fifo)
    assert_refused_as_not_a_file(scrapy(db, "export", "-o", str(fifo)), fifo)
    assert stat.S_ISFIFO(fifo.stat().st_mode)
    assert list(tmp_path.iterdir()) == [fifo]


def test_a_device_is_refused(db):
    assert_refused_as_not_a_file(scrapy(db, "export", "-o", os.devnull, "--format", "csv"), Path(os.devnull))
    assert stat.S_ISCHR(Path(os.devnull).stat().st_mode)


def test_a_reader_that_stops_reading_stops_the_export_quietly(db):
    """``scrapy export -o - --format csv | head -c 1000``: no traceback for the closed pipe."""
    command = command_line(db, "export", "-o", "-", "--format", "csv")
    export = subprocess.Popen(command, cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    first = export.stdout.read(1000)
    export.stdout.close()
    assert export.wait(timeout=COMMAND_TIMEOUT) == 1
    assert first.startswith(b"id,url,outlet,")
    assert export.stderr.read() == b""


def test_a_full_standard_output_gives_one_line(db):
    with open("/dev/full", "wb") as full:
        result = subprocess.run(
            command_line(db, "export", "-o", "-", "--format", "jsonl"),
            cwd=REPO,
            stdout=full,
            stderr=subprocess.PIPE,
            encoding="utf-8",
            timeout=COMMAND_TIMEOUT,
        )
    assert_one_line_error(result)
    assert result.stderr == "Error: cannot write to standard output: No space left on device\n"

"""WARC files as bad input: damaged bytes, things that are not files, locations out of the
WARC folder, and decompression bombs, met by replay (``WARC_REPLAY``), ``scrapy reextract``
and :func:`crawler.warc.read_record`: each is skipped or refused with its count, never a
crash, a hang or the memory of the whole inflated page.
"""

import gzip
import json
import os
import shutil
from urllib.parse import urlsplit

import pytest
from sqlite_utils import Database

from crawler.warc import Location, TooLarge, read_record, scan
from tests.conftest import SITE, run_crawl
from tests.mirror.build import PUBLIC_BASE
from tests.mirror.server import MirrorServer
from tests.test_warc import BOOKKEEPING, LOCATION, articles, copy_of, reextract

BOMB = "/en/health/sindh-sets-up-heatstroke-centres-in-public-ho-1856234.html"  # served gzipped, 64 MiB unzipped
BOMB_SIZE = 64 * 2**20


def warc_copy(warc_dir, target):
    shutil.copytree(warc_dir, target)
    return target


def flip_byte(path, offset: int) -> None:
    with open(path, "r+b") as file:
        file.seek(offset)
        byte = file.read(1)[0]
        file.seek(offset)
        file.write(bytes([byte ^ 0x40]))


class Counts(dict):
    """Stats as a crawl keeps them."""

    def inc_value(self, key, count=1):
        self[key] = self.get(key, 0) + count


def test_a_damaged_record_costs_only_itself_in_a_replay(recorded, tmp_path):
    db_path, warc_dir, closed_url = recorded
    warcs = warc_copy(warc_dir, tmp_path / "warc")
    first = min(warcs.glob("*.warc.gz"))
    records = [(url, location) for url, location in scan(warcs) if location.file == first.name]
    archived = articles(db_path, BOOKKEEPING + LOCATION)
    once = [url for url, _ in records if sum(u == url for u, _ in scan(warcs)) == 1]
    damaged_url, damaged = next((url, loc) for url, loc in records[2:] if url in archived and url in once)
    flip_byte(first, damaged.offset + damaged.length // 2)  # early in the file: most of its records follow

    crawl = run_crawl(closed_url, tmp_path / "replayed.db", settings={"WARC_REPLAY": "1", "WARC_DIR": str(warcs)})

    assert crawl.returncode == 0, crawl.log[-3000:]
    assert crawl.stat("warc/skipped/damaged") == 1
    assert "Traceback" not in crawl.log
    del archived[damaged_url]
    assert articles(tmp_path / "replayed.db", BOOKKEEPING + LOCATION) == archived  # every other page replayed
    missing = [line for line in crawl.log.splitlines() if "Not in the WARC files" in line]
    assert any(line.endswith(urlsplit(damaged_url).path) for line in missing)  # the damaged page, as not recorded
    assert crawl.stat("replay/missing") == len(missing)


def test_a_damaged_gzip_header_and_a_cut_short_end_are_skipped(recorded, tmp_path):
    _, warc_dir, _ = recorded
    warcs = warc_copy(warc_dir, tmp_path / "warc")
    first = min(warcs.glob("*.warc.gz"))
    records = [entry for entry in scan(warcs) if entry[1].file == first.name]
    flip_byte(first, records[1][1].offset)  # the second record's gzip magic: no member starts there
    last = records[-1][1]
    os.truncate(first, last.offset + last.length // 2)  # and the file ends inside its last record
    counts = Counts()

    found = [entry for entry in scan(warcs, counts) if entry[1].file == first.name]

    assert found == records[:1] + records[2:-1]
    assert counts == {"warc/skipped/damaged": 1, "warc/skipped/cut_short": 1}


@pytest.fixture
def cluttered_warcs(recorded, tmp_path):
    """A copy of the WARC folder holding a folder and a FIFO named like WARC files."""
    _, warc_dir, _ = recorded
    warcs = warc_copy(warc_dir, tmp_path / "warc")
    (warcs / "a-folder.warc.gz").mkdir()
    os.mkfifo(warcs / "a-fifo.warc.gz")
    return warcs


def test_folders_and_fifos_named_like_warc_files_are_skipped_by_a_replay(recorded, cluttered_warcs, tmp_path):
    db_path, _, closed_url = recorded

    crawl = run_crawl(closed_url, tmp_path / "replayed.db", settings={"WARC_REPLAY": "1", "WARC_DIR": str(cluttered_warcs)})

    assert crawl.returncode == 0, crawl.log[-3000:]
    assert crawl.stat("warc/skipped/not_a_file") == 2
    assert articles(tmp_path / "replayed.db", BOOKKEEPING + LOCATION) == articles(db_path, BOOKKEEPING + LOCATION)


def test_folders_and_fifos_named_like_warc_files_are_skipped_by_reextract(recorded, cluttered_warcs, tmp_path):
    db_path, _, _ = recorded
    archive = copy_of(db_path, tmp_path / "archive.db")
    with Database(archive).conn as conn:  # a rejected page makes reextract scan the WARC files
        conn.execute("insert into rejected_urls (url, reason, permanent, attempts, first_seen, last_seen)"
                     " values ('https://www.urdupoint.com/en/none.html', 'not_article', 1, 1, '2025', '2025')")
    total = len(articles(archive))

    done = reextract(archive, cluttered_warcs)

    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith(f"{total} examined: 0 changed (0 new versions), {total} unchanged, 0 unreadable")


def test_read_record_refuses_what_is_not_a_record_inside_the_warc_folder(recorded, tmp_path):
    db_path, warc_dir, _ = recorded
    row = next(iter(Database(db_path)["articles"].rows))
    good = Location(row["warc_file"], row["warc_offset"], row["warc_length"])
    outside = tmp_path / "outside"
    outside.mkdir()
    shutil.copy(warc_dir / good.file, outside / good.file)
    links = tmp_path / "links"
    links.mkdir()
    (links / "link.warc.gz").symlink_to(outside / good.file)
    size = (warc_dir / good.file).stat().st_size
    assert read_record(outside, good).url == row["url"]  # the copy is a good record where it is

    refused = {
        "a path up and out": (warc_dir, Location(os.path.relpath(outside / good.file, warc_dir), good.offset, good.length)),
        "an absolute path": (warc_dir, Location(str(outside / good.file), good.offset, good.length)),
        "a link out of the folder": (links, Location("link.warc.gz", good.offset, good.length)),
        "/dev/zero, a terabyte": (warc_dir, Location("/dev/zero", 0, 2**40)),
        "the folder itself": (warc_dir, Location(".", 0, 10)),
        "past the end of the file": (warc_dir, Location(good.file, good.offset, size)),
        "a negative offset": (warc_dir, Location(good.file, -1, good.length)),
    }
    for what, (directory, location) in refused.items():
        with pytest.raises(ValueError, match="not inside|not a regular file|holds no record"):
            read_record(directory, location)
            pytest.fail(f"read {what}")


def test_reextract_refuses_locations_outside_the_warc_folder(recorded, tmp_path):
    db_path, warc_dir, _ = recorded
    archive = copy_of(db_path, tmp_path / "archive.db")
    db = Database(archive)
    first, second = [row for row in db["articles"].rows][:2]
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    shutil.copy(warc_dir / second["warc_file"], elsewhere / second["warc_file"])
    escape = os.path.relpath(elsewhere / second["warc_file"], warc_dir)  # ../../elsewhere/<file>: a good record
    with db.conn:
        db["articles"].update(first["id"], {"warc_file": "/dev/zero", "warc_offset": 0, "warc_length": 2**40})
        db["articles"].update(second["id"], {"warc_file": escape})
    db.close()
    total = len(articles(archive))

    done = reextract(archive, warc_dir)

    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    assert done.stdout.startswith(f"{total} examined: 0 changed (0 new versions), {total - 2} unchanged, 2 unreadable, ")


@pytest.fixture(scope="module")
def bomb_crawl(tmp_path_factory):
    """``(archive, WARC folder, closed base URL)`` of a crawl of the mirror where one article is a gzip bomb."""
    work = tmp_path_factory.mktemp("bomb")
    root = work / "site"
    shutil.copytree(SITE, root)
    routes_file = root / "_routes.json"
    routes = json.loads(routes_file.read_text(encoding="utf-8"))
    routes["headers"] = {**routes["headers"], BOMB: {"Content-Encoding": "gzip"}}
    routes_file.write_text(json.dumps(routes), encoding="utf-8")
    (root / BOMB.lstrip("/")).write_bytes(gzip.compress(b"<html>" + b" " * BOMB_SIZE))
    with MirrorServer(root) as server:
        crawl = run_crawl(server.url, work / "archive.db")
        base_url = server.url
    assert crawl.returncode == 0, crawl.log[-3000:]
    assert crawl.stat("fetch/failed/too_large") == 1  # refused by the crawl, but in the WARC files
    return work / "archive.db", work / "warc", base_url


def bomb_location(warc_dir) -> Location:
    return next(location for url, location in scan(warc_dir) if url.endswith(BOMB))


def test_read_record_refuses_a_page_that_inflates_past_the_limit(bomb_crawl):
    _, warc_dir, _ = bomb_crawl
    location = bomb_location(warc_dir)
    with pytest.raises(TooLarge, match="decodes to over 8388608 bytes"):
        read_record(warc_dir, location, max_size=8 * 2**20)
    assert len(read_record(warc_dir, location, max_size=BOMB_SIZE + 6).content) == BOMB_SIZE + 6


def test_a_replay_refuses_a_gzip_bomb_as_too_large(bomb_crawl, tmp_path):
    db_path, warc_dir, closed_url = bomb_crawl

    crawl = run_crawl(closed_url, tmp_path / "replayed.db", settings={"WARC_REPLAY": "1", "WARC_DIR": str(warc_dir)})

    assert crawl.returncode == 0, crawl.log[-3000:]
    assert crawl.stat("replay/too_large") == 1
    assert crawl.stat("fetch/failed/too_large") == 1  # refused as the crawl refused it
    rejected = {row["url"]: row["reason"] for row in Database(tmp_path / "replayed.db")["rejected_urls"].rows}
    assert {url: reason for url, reason in rejected.items() if url.endswith(BOMB)} == {
        row["url"]: row["reason"] for row in Database(db_path)["rejected_urls"].rows if row["url"].endswith(BOMB)
    } == {PUBLIC_BASE + BOMB: "too_large"}
    assert [line for line in crawl.log.splitlines() if "over DOWNLOAD_MAXSIZE" in line][0].endswith(
        "decodes to over 8388608 bytes")
    assert "Traceback" not in crawl.log
    assert articles(tmp_path / "replayed.db", BOOKKEEPING + LOCATION) == articles(db_path, BOOKKEEPING + LOCATION)


def test_reextract_refuses_a_gzip_bomb_as_too_large(bomb_crawl, tmp_path):
    db_path, warc_dir, _ = bomb_crawl
    archive = copy_of(db_path, tmp_path / "archive.db")
    db = Database(archive)
    row = next(iter(db["articles"].rows))
    location = bomb_location(warc_dir)
    with db.conn:
        db["articles"].update(row["id"], {"warc_file": location.file, "warc_offset": location.offset,
                                          "warc_length": location.length})
    db.close()
    total = len(articles(archive))

    done = reextract(archive, warc_dir, "--outlet", "urdupoint", "--limit", str(total))

    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith(f"{total} examined: 0 changed (0 new versions), {total - 1} unchanged, 0 unreadable, "
                                  "1 too large, 0 rejected")
    assert done.stderr.splitlines() == [f"Skipped {row['url']}: its raw page is over DOWNLOAD_MAXSIZE (8388608 bytes)"]

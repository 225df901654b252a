"""Writes to the archive: each whole or not at all, alone or gathered into one transaction.

A crawl gathers its writes for ``ARCHIVE_COMMIT_INTERVAL`` seconds (pipelines.archive.CrawlArchive);
these check, on a real SQLite file, what a reader sees meanwhile and what a failed write leaves.
"""

import sqlite3

import pytest

from pipelines.archive import Archive
from tests.samples import NOW, article

URL = "https://www.urdupoint.com/en/pakistan/wheat-price-fixed-1000001.html"
OTHER_URL = "https://www.urdupoint.com/en/pakistan/flood-relief-extended-1000002.html"


def titles_seen_by_a_reader(path) -> list[str]:
    with sqlite3.connect(path) as reader:
        return [row[0] for row in reader.execute("select title from articles order by id")]


def test_a_write_on_its_own_is_committed_at_once(tmp_path):
    archive = Archive.open(tmp_path / "archive.db")
    archive.add_article(article(URL, "Wheat price fixed", ["The price of wheat was fixed."], None), [URL], NOW)
    assert titles_seen_by_a_reader(tmp_path / "archive.db") == ["Wheat price fixed"]
    archive.close()


def test_gathered_writes_reach_readers_together_at_the_commit(tmp_path):
    archive = Archive.open(tmp_path / "archive.db", grouped=True)
    archive.add_article(article(URL, "Wheat price fixed", ["The price of wheat was fixed."], None), [URL], NOW)
    archive.reject(OTHER_URL, "empty_body", 200, False, NOW)
    assert archive.article_id_for_url(URL) is not None  # the writer sees its own writes at once
    assert titles_seen_by_a_reader(tmp_path / "archive.db") == []

    archive.commit()
    assert titles_seen_by_a_reader(tmp_path / "archive.db") == ["Wheat price fixed"]
    assert archive.commits == 1
    archive.close()


def test_a_failed_write_among_gathered_ones_undoes_itself_only(tmp_path):
    archive = Archive.open(tmp_path / "archive.db", grouped=True)
    archive.add_article(article(URL, "Wheat price fixed", ["The price of wheat was fixed."], None), [URL], NOW)
    broken = article(OTHER_URL, None, ["Relief was extended."], None)  # no title: the row cannot be written
    with pytest.raises(sqlite3.IntegrityError):
        archive.add_article(broken, [OTHER_URL, OTHER_URL + "?amp"], NOW)
    archive.close()  # commits what was gathered

    with sqlite3.connect(tmp_path / "archive.db") as reader:
        assert reader.execute("select title from articles").fetchall() == [("Wheat price fixed",)]
        assert reader.execute("select url from article_urls").fetchall() == [(URL,)]
        reader.execute("insert into articles_fts(articles_fts) values('integrity-check')")


def test_closing_commits_what_was_gathered(tmp_path):
    archive = Archive.open(tmp_path / "archive.db", grouped=True)
    archive.add_article(article(URL, "Wheat price fixed", ["The price of wheat was fixed."], None), [URL], NOW)
    archive.close()
    assert titles_seen_by_a_reader(tmp_path / "archive.db") == ["Wheat price fixed"]

import sqlite_utils

from crawler import queries
from pipelines import schema


def article(**fields):
    row = {
        "url": "https://www.urdupoint.com/en/world/a-1.html",
        "outlet": "urdupoint",
        "title": "Café owners in Lahore protest",
        "summary": "Traders protest",
        "text": "Owners of cafés said the new tax would close them.",
        "content_hash": "h1",
        "first_seen": "2026-01-01T00:00:00+00:00",
        "last_seen": "2026-01-01T00:00:00+00:00",
    }
    return row | fields


def search(db, query):
    """URLs of the articles matching ``query``, as ``scrapy search`` finds them (best first)."""
    sql, params = queries.select("a.url", queries.Filters(search=query), queries.BEST_MATCH)
    return [url for (url,) in db.execute(sql, params)]


def test_applying_twice_changes_nothing(tmp_path):
    db = sqlite_utils.Database(tmp_path / "a.db")
    schema.apply(db)
    tables = set(db.table_names())
    schema.apply(db)
    assert set(db.table_names()) == tables
    assert {"articles", "article_urls", "rejected_urls", "articles_fts"} <= tables
    assert db.execute("pragma journal_mode").fetchone()[0] == "wal"


def test_search_folds_case_and_diacritics(fresh_db):
    fresh_db["articles"].insert(article())
    assert search(fresh_db, "cafe") == ["https://www.urdupoint.com/en/world/a-1.html"]
    assert search(fresh_db, "CAFÉS") == ["https://www.urdupoint.com/en/world/a-1.html"]


def test_the_index_follows_updates_and_deletes(fresh_db):
    pk = fresh_db["articles"].insert(article()).last_pk
    fresh_db["articles"].update(pk, {"text": "Wheat prices rose in Multan."})
    assert search(fresh_db, "wheat") == ["https://www.urdupoint.com/en/world/a-1.html"]
    assert search(fresh_db, "cafes") == []
    fresh_db["articles"].delete(pk)
    assert search(fresh_db, "wheat") == []
    assert fresh_db.execute("insert into articles_fts(articles_fts) values('integrity-check')").fetchall() == []


def test_the_extractors_rejections_made_before_versions_were_kept_lapse(tmp_path):
    from datetime import datetime, timedelta, timezone

    from pipelines.archive import Archive
    from pipelines.extract import EXTRACTOR_VERSION

    db = sqlite_utils.Database(tmp_path / "a.db")
    schema.migrations.apply(db, stop_before="rejections_name_their_extractor")
    for url, reason in (("https://x/1.html", "not_article"), ("https://x/2.html", "http_404")):
        db["rejected_urls"].insert({"url": url, "reason": reason, "permanent": 1, "attempts": 1,
                                    "first_seen": "2026-01-01T00:00:00+00:00", "last_seen": "2026-01-01T00:00:00+00:00"})
    db.conn.commit()
    archive = Archive.open(tmp_path / "a.db")
    assert {row["url"]: row["extractor_version"] for row in archive.db["rejected_urls"].rows} == {
        "https://x/1.html": 1, "https://x/2.html": None}
    now = datetime.now(timezone.utc)
    assert not archive.rejection_stands("https://x/1.html", timedelta(hours=6), now, extractor_version=EXTRACTOR_VERSION)
    assert archive.rejection_stands("https://x/2.html", timedelta(hours=6), now, extractor_version=EXTRACTOR_VERSION)

"""The reading room: datasette plugins that make an archive readable in the browser."""

ARCHIVE_TABLES = frozenset({"articles", "articles_fts", "article_urls", "crawl_runs"})


def is_archive(db) -> bool:
    """Whether the datasette database ``db`` is a news archive, by its tables (not its file name)."""
    conn = db.connect()
    try:
        return ARCHIVE_TABLES <= {name for name, in conn.execute("select name from sqlite_master where type = 'table'")}
    finally:
        conn.close()

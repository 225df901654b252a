"""The reading room: datasette plugins that make an archive readable in the browser."""

ARCHIVE_TABLES = {"articles", "article_urls", "crawl_runs"}


async def is_archive(db) -> bool:
    """Whether the datasette database ``db`` is a news archive, by its tables (not its file name)."""
    return ARCHIVE_TABLES <= set(await db.table_names())

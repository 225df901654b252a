"""The reading room: the archive's datasette plugin, one module per part of it.

``pip install -e .`` registers each module (``pyproject.toml``, ``[project.entry-points.datasette]``),
so plain ``datasette archive.db`` loads them all. A datasette may serve other databases beside an
archive, under any file name: every hook acts only on the databases :func:`is_archive` recognises,
by their tables, not by their names.
"""

import os
import weakref
from functools import cache

from scrapy.settings import Settings

from pipelines.profile import Profiles

# Tables every archive has had from its first migration (pipelines/schema.py).
ARCHIVE_TABLES = frozenset({"articles", "articles_fts", "article_urls", "crawl_runs"})

_known = weakref.WeakKeyDictionary()  # database -> (its files' signature, whether an archive)


def is_archive(db) -> bool:
    """Whether datasette's :class:`~datasette.database.Database` ``db`` is a news archive.

    Hooks ask this many times a page, so the answer is kept until the database's file or its
    write-ahead log changes (a crawl may be creating the archive in a file being served)."""
    signature = _files_signature(db)
    known = _known.get(db)
    if known is not None and signature is not None and known[0] == signature:
        return known[1]
    conn = db.connect()
    try:
        names = {row[0] for row in conn.execute("select name from sqlite_master where type = 'table'")}
    finally:
        conn.close()
    answer = ARCHIVE_TABLES <= names
    _known[db] = (signature, answer)
    return answer


def archive_names(datasette) -> list[str]:
    """The names of the databases ``datasette`` serves that are archives."""
    return [name for name, db in datasette.databases.items() if is_archive(db)]


def is_archive_named(datasette, name: str | None) -> bool:
    """Whether ``datasette``'s database called ``name`` (as hooks receive it) is an archive."""
    db = datasette.databases.get(name) if name else None
    return db is not None and is_archive(db)


def _files_signature(db) -> tuple | None:
    """The modification times of ``db``'s file and its write-ahead log; None for a memory database."""
    if not db.path:
        return None
    times = []
    for path in (db.path, db.path + "-wal"):
        try:
            times.append(os.stat(path).st_mtime_ns)
        except OSError:
            times.append(None)
    return tuple(times)


@cache
def project_settings() -> Settings:
    """The crawler's settings, for the outlets' profiles and the largest page a crawl keeps."""
    settings = Settings()
    settings.setmodule("crawler.settings", priority="project")
    return settings


def profiles() -> Profiles:
    """The outlets' profiles, as the crawl finds them."""
    return Profiles.from_settings(project_settings())

"""Datasette plugin of the reading room: what every archive's pages say and offer.

* Each database that is an archive (:func:`crawler.reading_room.is_archive`), whatever its file is
  called, gets the descriptions, facets and sort orders of ``archive.yml`` (``get_metadata``) and
  its canned queries, the ranked ``search`` among them (``canned_queries``). Metadata given with
  ``datasette -m`` still wins, queries included.
* The package's ``templates/`` folder is put before datasette's own templates, after any
  ``--template-dir``, so its templates extend datasette's (``{% extends "default:query.html" %}``)
  for archives only: datasette finds a plugin's templates only in a plugin that is a package.
"""

import copy
from functools import cache
from pathlib import Path

from datasette import hookimpl
from datasette.utils import parse_metadata

from crawler.reading_room import archive_names, is_archive_named

HERE = Path(__file__).resolve().parent
TEMPLATES = HERE / "templates"
TITLE = "News archive"


@cache
def archive_metadata() -> dict:
    """``archive.yml``: the metadata of one archive database, its canned queries included."""
    return parse_metadata((HERE / "archive.yml").read_text(encoding="utf-8"))


@hookimpl
def get_metadata(datasette, key, database, table):
    names = archive_names(datasette)
    if not names:
        return {}
    described = {name: value for name, value in archive_metadata().items() if name != "queries"}
    # A fresh copy for each: datasette merges other metadata into what a hook returns.
    return {"title": TITLE, "databases": {name: copy.deepcopy(described) for name in names}}


@hookimpl
def canned_queries(datasette, database, actor):
    if not is_archive_named(datasette, database):
        return None
    # datasette lets a hook's query replace one of the same name given with -m: not these.
    given = datasette.metadata("queries", database=database, fallback=False) or {}
    return {name: copy.deepcopy(query) for name, query in archive_metadata()["queries"].items() if name not in given}


@hookimpl
def prepare_jinja2_environment(env, datasette):
    searchpath = env.loader.loaders[0].searchpath  # datasette's FileSystemLoader, its own templates last
    if str(TEMPLATES) not in searchpath:
        searchpath.insert(len(searchpath) - 1, str(TEMPLATES))

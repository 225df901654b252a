"""The archive's schema: every table, index and trigger, created and migrated here only.

Add a change as a new function decorated with ``@migrations()``; never edit one
that has shipped. ``apply(db)`` brings any archive up to date and is what both
the crawl and the tests call.
"""

import sqlite_utils
from sqlite_utils import Migrations

from pipelines.fts import FTS_TOKENIZER, SEARCH_FILTERS, SEARCHED_COLUMNS

migrations = Migrations("archive")


@migrations()
def create_articles(db: sqlite_utils.Database):
    db["articles"].create(
        {
            "id": int,
            "url": str,
            "outlet": str,
            "language": str,
            "title": str,
            "summary": str,
            "text": str,
            "author": str,
            "category": str,
            "tags": str,  # JSON array
            "published_at": str,  # ISO 8601 with the outlet's offset
            "published_at_utc": str,
            "dateline": str,
            "dateline_place": str,
            "dateline_agency": str,
            "dateline_date": str,
            "content_hash": str,
            "first_seen": str,
            "last_seen": str,
        },
        pk="id",
        not_null={"url", "outlet", "title", "text", "content_hash", "first_seen", "last_seen"},
    )
    db["articles"].create_index(["url"], unique=True)
    db["articles"].create_index(["content_hash"])
    db["articles"].create_index(["published_at_utc"])
    db["articles"].enable_fts(["title", "summary", "text"], create_triggers=True, tokenize=FTS_TOKENIZER)


@migrations()
def create_article_urls(db: sqlite_utils.Database):
    """Every URL that ever led to an article, so that none is fetched twice or lost."""
    db["article_urls"].create(
        {"url": str, "article_id": int, "relation": str, "first_seen": str},
        pk="url",
        foreign_keys=[("article_id", "articles", "id")],
        not_null={"article_id", "relation", "first_seen"},
    )
    db["article_urls"].create_index(["article_id"])


@migrations()
def create_rejected_urls(db: sqlite_utils.Database):
    """URLs that did not give an article, with the reason; permanent ones are not fetched again."""
    db["rejected_urls"].create(
        {
            "url": str,
            "reason": str,
            "status": int,
            "permanent": int,
            "attempts": int,
            "first_seen": str,
            "last_seen": str,
        },
        pk="url",
        not_null={"reason", "permanent", "attempts", "first_seen", "last_seen"},
    )


@migrations()
def create_crawl_runs(db: sqlite_utils.Database):
    """One row per crawl: written when it starts (so an interrupted run shows, unfinished) and when it ends."""
    db["crawl_runs"].create(
        {
            "id": int,
            "spider": str,
            "mode": str,  # "latest" (feeds and listings) or "backfill" (daily sitemaps)
            "started_at": str,
            "finished_at": str,  # null while running, or when the run was killed
            "finish_reason": str,
            "pages_fetched": int,
            "new_articles": int,
            "updated_articles": int,
            "duplicates": int,
            "skipped": int,
            "errors": str,  # JSON: {reason: count}
            "health": str,  # JSON: {failed check: explanation}
            "stats": str,  # JSON: every crawl stat
        },
        pk="id",
        not_null={"spider", "started_at"},
    )


@migrations()
def add_article_versions(db: sqlite_utils.Database):
    """Edit history: an article row always shows the latest version; earlier ones are kept.

    When a fetch of an archived article's URL gives another title or text (white space
    aside), the row in ``articles`` it replaces is copied into ``article_versions`` first,
    numbered from 1, with ``fetched_at`` (when that version was first fetched) and
    ``replaced_at`` (when the next one was). New columns of ``articles``:

    * ``versions``: how many versions the article has had, the current one included;
    * ``updated_at``: when the current version was first fetched (``first_seen`` for the first);
    * ``gone_at``: when a re-visit found the page removed (404 or 410); the article stays;
    * ``etag``, ``last_modified``: the HTTP validators of the last fetch of the article's URL,
      sent back as If-None-Match / If-Modified-Since when the crawl re-visits it.
    """
    articles = db["articles"]
    articles.add_column("versions", int, not_null_default=1)
    articles.add_column("updated_at", str)
    articles.add_column("gone_at", str)
    articles.add_column("etag", str)
    articles.add_column("last_modified", str)
    db.execute("update articles set updated_at = first_seen")
    db["article_versions"].create(
        {
            "id": int,
            "article_id": int,
            "version": int,
            "title": str,
            "summary": str,
            "text": str,
            "author": str,
            "category": str,
            "tags": str,
            "published_at": str,
            "published_at_utc": str,
            "dateline": str,
            "dateline_place": str,
            "dateline_agency": str,
            "dateline_date": str,
            "content_hash": str,
            "fetched_at": str,
            "replaced_at": str,
        },
        pk="id",
        foreign_keys=[("article_id", "articles", "id")],
        not_null={"article_id", "version", "title", "text", "content_hash", "fetched_at", "replaced_at"},
    )
    db["article_versions"].create_index(["article_id", "version"], unique=True)
    db["articles"].create_index(["gone_at"])


@migrations()
def create_duplicates(db: sqlite_utils.Database):
    """Copies of an article under other URLs: what each copy was, not another article.

    One row per URL linked to an article as a ``duplicate`` in ``article_urls``: a page
    with the same body (``similarity`` 1.0, by content hash) or a near-duplicate (the
    Jaccard similarity of the bodies' word 5-shingles, at least ``NEARDUP_THRESHOLD``;
    see ``pipelines/neardup.py``). The copy's title, text and fetch time are kept, and
    ``text_diff``, a paragraph diff from the article's text as it was (``article_version``)
    to the copy's. Copies are not rows of ``articles``, so search shows each story once.
    Links archived before this table existed are filled in with similarity 1.0.
    """
    db["duplicates"].create(
        {
            "url": str,
            "article_id": int,
            "similarity": float,
            "article_version": int,
            "title": str,
            "author": str,
            "published_at": str,
            "text": str,
            "text_diff": str,
            "content_hash": str,
            "fetched_at": str,
        },
        pk="url",
        foreign_keys=[("article_id", "articles", "id"), ("url", "article_urls", "url")],
        not_null={"article_id", "similarity", "fetched_at"},
    )
    db["duplicates"].create_index(["article_id"])
    db.execute(
        """
        insert into duplicates (url, article_id, similarity, article_version, fetched_at)
        select url, article_id, 1.0, 1, first_seen from article_urls where relation = 'duplicate'
        """
    )


@migrations()
def create_neardup_bands(db: sqlite_utils.Database):
    """The near-duplicate index: 32 MinHash band keys of each article's current text.

    Derived data (``pipelines/neardup.py`` computes it; the crawl keeps it in step with
    ``articles``): a body that shares a whole band with an article is compared with it.
    A table without rowid whose primary key is the lookup, so that the index costs one
    B-tree. Articles archived before it existed are indexed here, a thousand at a time.
    """
    from pipelines.neardup import index_rows  # and numpy: only when migrating

    db.execute(
        "create table neardup_bands (band integer not null, article_id integer not null,"
        " primary key (band, article_id)) without rowid"
    )
    last_id = 0
    while batch := db.execute(
        "select id, text from articles where id > ? order by id limit 1000", [last_id]
    ).fetchall():
        db.conn.executemany("insert or ignore into neardup_bands (band, article_id) values (?, ?)", index_rows(batch))
        last_id = batch[-1][0]


def index_for_search(db: sqlite_utils.Database, indexed: tuple[str, ...]) -> None:
    """``articles_fts`` over the folded ``indexed`` columns of ``articles`` (the view
    ``articles_fts_source``), kept by triggers that reindex an article only when one of them
    changes, and filled from the articles there are."""
    from pipelines.normalise import fold_view_sql

    columns = ", ".join(indexed)
    db.execute(fold_view_sql("articles_fts_source", "articles", "id", list(indexed)))
    db.execute(
        f"create virtual table articles_fts using fts5({columns}, content='articles_fts_source',"
        f" content_rowid='id', tokenize='{FTS_TOKENIZER}')"
    )
    add = f"insert into articles_fts (rowid, {columns}) select id, {columns} from articles_fts_source"
    remove = (
        f"insert into articles_fts (articles_fts, rowid, {columns})"
        f" select 'delete', id, {columns} from articles_fts_source"
    )
    changes = f"update of id, {columns} on articles"
    for trigger in (  # one statement each: executescript() would commit the migration's transaction
        f"create trigger articles_fts_insert after insert on articles begin {add} where id = new.id; end",
        f"create trigger articles_fts_delete before delete on articles begin {remove} where id = old.id; end",
        f"create trigger articles_fts_update_old before {changes} begin {remove} where id = old.id; end",
        f"create trigger articles_fts_update_new after {changes} begin {add} where id = new.id; end",
    ):
        db.execute(trigger)
    db.execute("insert into articles_fts (articles_fts) values ('rebuild')")


@migrations()
def search_folded_text(db: sqlite_utils.Database):
    """Full-text search over folded text, so that Urdu typed either way finds the article.

    ``articles_fts`` now indexes the view ``articles_fts_source``: the title, summary and
    text of ``articles`` with the letters Urdu is typed several ways folded to one
    (``pipelines.normalise``: Arabic and Urdu yeh, kaf and heh, hamza and madda forms, vowel
    marks, tatweel, invisible joiners, digits). Searches fold the typed words the same way
    (``crawler.search.fts_query``). The view is plain SQL, so any SQLite client writing
    ``articles`` keeps the index right, and ``rebuild`` and ``integrity-check`` work as
    usual. FTS5's ``snippet()`` would show the folded text: snippets of the text as
    written come from ``archive_snippet`` (``crawler.snippets``). The triggers replace
    sqlite-utils' ones, and reindex an article only when its indexed columns change.
    """
    for trigger in ("articles_ai", "articles_ad", "articles_au"):
        db.execute(f"drop trigger if exists [{trigger}]")
    db.execute("drop table if exists articles_fts")
    index_for_search(db, SEARCHED_COLUMNS)


@migrations()
def index_article_facets(db: sqlite_utils.Database):
    """An index per column datasette facets articles on, so counting values reads an index.

    Without them the articles page of a million-article archive takes over a second
    and its facets time out (benchmarks/search_bench.py).
    """
    for column in ("outlet", "language", "category", "author", "dateline_place", "dateline_agency"):
        db["articles"].create_index([column], if_not_exists=True)


@migrations()
def raw_page_locations(db: sqlite_utils.Database):
    """Where each article's raw page is kept: the WARC file (relative to ``WARC_DIR``), the
    offset and the length of its response record (``crawler/warc.py``); on earlier versions too.
    Null for articles archived before the raw pages were kept."""
    for table in ("articles", "article_versions"):
        db[table].add_column("warc_file", str)
        db[table].add_column("warc_offset", int)
        db[table].add_column("warc_length", int)


@migrations()
def index_published_days(db: sqlite_utils.Database):
    """Each article's UTC day with its id, so that the ``search`` canned query finds the lowest
    and highest id of the articles of a date range with two lookups per day it spans, instead of
    reading the range's every entry of the ``published_at_utc`` index (crawler/reading_room/archive.yml)."""
    db.execute(
        "create index if not exists idx_articles_published_day on articles (substr(published_at_utc, 1, 10), id)"
    )


@migrations()
def skip_folding_ascii_text(db: sqlite_utils.Database):
    """The view ``articles_fts_source`` gives ASCII text as it is, without the chain of
    ``replace()`` calls that cannot change it (``pipelines.normalise.fold_view_sql``): the
    same folded text, indexed in a third less time. The index itself does not change."""
    from pipelines.normalise import fold_view_sql

    db.execute("drop view articles_fts_source")
    db.execute(fold_view_sql("articles_fts_source", "articles", "id", list(SEARCHED_COLUMNS)))


@migrations()
def rejections_name_their_extractor(db: sqlite_utils.Database):
    """``rejected_urls.extractor_version``: for a page the extractor rejected, the version of its
    rules (``pipelines.extract.EXTRACTOR_VERSION``); null for a rejection before extraction (a 404).
    A rejection by an older version lapses, so the page is judged again by the current rules. The
    extractor's rejections recorded before this column existed were made by version 1."""
    db["rejected_urls"].add_column("extractor_version", int)
    db.execute(
        "update rejected_urls set extractor_version = 1 where reason in"
        " ('binary', 'malformed_html', 'not_article', 'no_title', 'empty_body', 'extraction_error')"
    )


@migrations()
def link_stories(db: sqlite_utils.Database):
    """Stories (``pipelines/stories.py``): the copies of one story carried by several outlets are
    articles of their outlets, linked as one story, not duplicates.

    ``articles.story`` names the article's story by the URL of its first article (its own URL when
    it is alone); ``story_similarity`` is its similarity to that article (null for the first).
    Indexed by story (with the outlet), to list a story's outlets, and by id with the story, so
    that a search groups its thousands of matches by story from the index alone: ``story`` comes
    after ``text`` in the row, so reading it from the table reads the text's overflow pages.
    Existing articles each start a story; in an archive of several outlets, those whose bodies
    repeat another outlet's article, exactly or at the default ``NEARDUP_THRESHOLD``, are then
    joined into stories, as a crawl joins them.
    """
    from pipelines import stories  # loads numpy: only when migrating
    from pipelines.archive import Archive
    from pipelines.neardup import DEFAULT_THRESHOLD, NearDuplicates, Signature

    db["articles"].add_column("story", str)
    db["articles"].add_column("story_similarity", float)
    db.execute("update articles set story = url")
    db.execute("create index idx_articles_story on articles (story, outlet)")
    db.execute("create index idx_articles_id_story on articles (id, story)")
    if db.execute("select count(distinct outlet) from articles").fetchone()[0] < 2:
        return
    near_duplicates = NearDuplicates(Archive(db), DEFAULT_THRESHOLD)
    last_id = 0
    while batch := db.execute(
        "select id, outlet, text, content_hash from articles where id > ? order by id limit 1000", [last_id]
    ).fetchall():
        for article_id, outlet, text, content_hash in batch:
            copies = {other for other, other_outlet in near_duplicates.archive.articles_with_hash(content_hash)
                      if other_outlet != outlet}
            copies.update(match.article_id for match in near_duplicates.matches(Signature.of(text))
                          if match.outlet != outlet)
            if copies:
                stories.join(db, [article_id, *copies])
        last_id = batch[-1][0]


@migrations()
def geocode_dateline_places(db: sqlite_utils.Database):
    """Where each article's dateline place is (``pipelines/places.py``): ``place``, its one English
    name, whatever the spelling (``لاہور`` and ``LAHORE`` are both ``Lahore``), and
    ``place_latitude``, ``place_longitude``; null when the dateline names no place or one the
    gazetteers do not know. On earlier versions too. The coordinates are not named ``latitude``
    and ``longitude``, so that a map plugin draws the map of places (the ``place_map`` query), not
    one of every article. Indexed by place with its coordinates and the place as written, so that
    the place facet, the map and the count of places not found read the index alone. Archives
    made before are geocoded here, each distinct dateline place once.
    """
    from pipelines.places import locate

    for table in ("articles", "article_versions"):
        db[table].add_column("place", str)
        db[table].add_column("place_latitude", float)
        db[table].add_column("place_longitude", float)
    db.execute("create index idx_articles_place on articles (place, place_latitude, place_longitude, dateline_place)")
    db.execute("create temp table located (written text primary key, place text, latitude real, longitude real)")
    written = db.execute("select dateline_place from articles where dateline_place is not null"
                         " union select dateline_place from article_versions where dateline_place is not null")
    db.conn.executemany("insert into located values (?, ?, ?, ?)",
                        [(name, place.name, place.latitude, place.longitude)
                         for (name,) in written.fetchall() if (place := locate(name))])
    for table in ("articles", "article_versions"):
        db.execute(f"update {table} set place = located.place, place_latitude = located.latitude,"
                   f" place_longitude = located.longitude from located where {table}.dateline_place = located.written")
    db.execute("drop table located")


@migrations()
def index_days_by_outlet(db: sqlite_utils.Database):
    """Each article's day in its outlet's zone (the first ten characters of ``published_at``) with
    its outlet, so that the coverage chart (``crawler/coverage.py``) counts a range of days' articles
    per outlet from the index alone. ``published_at`` itself ends the key because SQLite before 3.41
    reads a value of an indexed expression from the table row, not from the index, unless the
    columns it is computed from are in the index too."""
    db.execute("create index idx_articles_day_outlet on articles (substr(published_at, 1, 10), outlet, published_at)")


# What article_counts counts, by the column of articles that holds it.
COUNTED = {"category": "category", "agency": "dateline_agency", "place": "place"}


def keep_counts(db: sqlite_utils.Database, table: str, columns: tuple[str, ...], counted) -> None:
    """Triggers ``<table>_insert``, ``_delete`` and ``_update`` on ``articles`` that keep ``table``'s counts
    exact: ``counted(row, sign)`` gives the statements adding ``sign`` 1 to the counts of ``row`` (``new`` or
    ``old``); an update of ``columns`` takes the old row's counts off and adds the new one's."""
    for event, when, statements in (
        ("insert", "after insert", counted("new", "+")),
        ("delete", "after delete", counted("old", "-")),
        ("update", f"after update of {', '.join(columns)}", counted("old", "-") + counted("new", "+")),
    ):
        db.execute(f"create trigger {table}_{event} {when} on articles begin {' '.join(statements)} end")


@migrations()
def count_articles_by_day(db: sqlite_utils.Database):
    """``article_counts``: how many articles of each outlet and day (the first ten characters of
    ``published_at``, the outlet's day; empty when unknown) have each category, agency and place,
    so that the reading room ranks them over any range of days in the time of reading a few
    thousand rows, whatever the archive's size (``crawler/coverage.py``; counting a million
    articles' index entries took a quarter of a second). Kept by triggers, as the full-text index
    is, so that every writer of ``articles`` keeps it right; a value no article has any more keeps
    a row of 0. Archives made before are counted here.
    """
    db.execute(
        "create table article_counts (facet text not null, day text not null, value text not null,"
        " outlet text not null, articles integer not null, primary key (facet, day, value, outlet)) without rowid"
    )

    def counted(row: str, sign: str) -> list[str]:
        """One statement per facet adding ``sign`` 1 to the count of ``row`` (new or old)."""
        return [
            f"insert into article_counts (facet, day, value, outlet, articles)"
            f" select '{facet}', coalesce(substr({row}.published_at, 1, 10), ''), {row}.{column}, {row}.outlet, {sign}1"
            f" where {row}.{column} is not null"
            f" on conflict do update set articles = articles {sign} 1;"
            for facet, column in COUNTED.items()
        ]

    keep_counts(db, "article_counts", ("published_at", "outlet", *COUNTED.values()), counted)
    for facet, column in COUNTED.items():
        db.execute(
            f"insert into article_counts (facet, day, value, outlet, articles)"
            f" select '{facet}', coalesce(substr(published_at, 1, 10), ''), {column}, outlet, count(*) from articles"
            f" where {column} is not null group by 2, 3, 4"
        )


# The columns of articles whose values article_facet_counts counts: those the articles list is faceted
# on. Each is counted by outlet and language, and among the articles that have each value of one
# of the others (FACET_FILTERS; '' for all articles): what the list shows after a click on a facet.
FACETED = ("outlet", "language", "category", "author", "place", "dateline_agency")
FACET_FILTERS = ("", "category", "author", "place", "dateline_agency")


@migrations()
def count_articles_by_facet(db: sqlite_utils.Database):
    """``article_facet_counts``: how many articles of each outlet and language have each value of
    each column the articles list is faceted on (``facet`` names the column, ``value`` its value),
    among all articles (``filter_column`` empty) or among those whose ``filter_column`` has
    ``filter_value``, so that the list's facets, also once filtered on one of their values, are
    read from a few hundred rows, not counted over every article's index entry
    (``crawler/reading_room/facets.py``; six facets took half a second at a million articles,
    and over a second filtered on a category). ``language`` is empty for an article without one.
    Kept by triggers, as ``article_counts`` is; a value no article has any more keeps a row of 0.
    Archives made before are counted here, from a copy of the faceted columns: each count over
    the articles would read every article whole, its text included.
    """
    db.execute(
        "create table article_facet_counts (facet text not null, filter_column text not null,"
        " filter_value text not null, outlet text not null, language text not null, value text not null,"
        " articles integer not null,"
        " primary key (facet, filter_column, filter_value, outlet, language, value)) without rowid"
    )

    def among(row: str, column: str) -> tuple[str, str]:
        """The filter value of ``row`` for ``column`` ('' for none), and the condition that it has one."""
        return (f"{row}.{column}", f" and {row}.{column} is not null") if column else ("''", "")

    def counted(row: str, sign: str) -> list[str]:
        """One statement per faceted column and filter adding ``sign`` 1 to the counts of ``row``."""
        return [
            f"insert into article_facet_counts"
            f" (facet, filter_column, filter_value, outlet, language, value, articles)"
            f" select '{column}', '{filter_column}', {among(row, filter_column)[0]}, {row}.outlet,"
            f" coalesce({row}.language, ''), {row}.{column}, {sign}1"
            f" where {row}.{column} is not null{among(row, filter_column)[1]}"
            f" on conflict do update set articles = articles {sign} 1;"
            for column in FACETED for filter_column in FACET_FILTERS
        ]

    keep_counts(db, "article_facet_counts", FACETED, counted)
    db.execute(f"create temp table faceted as select {', '.join(FACETED)} from articles")
    for column in FACETED:
        for filter_column in FACET_FILTERS:
            filter_value, has_one = among("faceted", filter_column)
            db.execute(
                f"insert into article_facet_counts"
                f" (facet, filter_column, filter_value, outlet, language, value, articles)"
                f" select '{column}', '{filter_column}', {filter_value}, outlet, coalesce(language, ''), {column},"
                f" count(*) from faceted where {column} is not null{has_one} group by 3, 4, 5, 6"
            )
    db.execute("drop table faceted")


@migrations()
def index_search_filters(db: sqlite_utils.Database):
    """``articles_fts`` also indexes each article's outlet and language, after the searched text,
    so that a search kept to an outlet or a language asks for them in its MATCH
    (``crawler.search.search_match``) and FTS5 walks only the matches that have them: checking
    each match against the filters took over a second for a common word at a million articles
    when few of its matches had the outlet and language asked for. A typed word that could be a
    word of an outlet or a language is matched in the searched columns only (``{title summary
    text} : (...)``), so an outlet's name typed finds the articles that name it, not every article
    of the outlet. The index is rebuilt (minutes at a million articles).
    """
    for trigger in ("articles_fts_insert", "articles_fts_delete", "articles_fts_update_old", "articles_fts_update_new"):
        db.execute(f"drop trigger [{trigger}]")
    db.execute("drop table articles_fts")
    db.execute("drop view articles_fts_source")
    index_for_search(db, (*SEARCHED_COLUMNS, *SEARCH_FILTERS))


@migrations()
def index_facets_by_date(db: sqlite_utils.Database):
    """Each faceted column with the UTC time, so that the articles list filtered on a value of one
    (a click on a facet's value) reads its newest page from the index, newest first, instead of
    sorting every article that has the value: a category's list ran into the time limit at a
    million articles. Also the outlet with the language, so that the list of one outlet in one
    language is counted from an index (a sixth of a second at a million articles otherwise). They
    replace the indexes of the columns alone (``index_article_facets``), which begin as they do
    (the place's, which the map reads, stays). An archive that has statistics for the query
    planner (``analyze``) gets them for these indexes too.
    """
    for column in ("outlet", "language", "category", "author", "dateline_agency"):
        db.execute(f"drop index idx_articles_{column}")
    indexes = {f"idx_articles_{column}_published": f"{column}, published_at_utc" for column in FACETED}
    # One outlet in one language, as the facets and the search filter them: the list's count and page.
    indexes["idx_articles_outlet_language_published"] = "outlet, language, published_at_utc"
    for name, columns in indexes.items():
        db.execute(f"create index {name} on articles ({columns})")
    if db.execute("select 1 from sqlite_master where name = 'sqlite_stat1'").fetchone():
        for name in indexes:
            db.execute(f"analyze {name}")


@migrations()
def record_frontier_streams(db: sqlite_utils.Database):
    """For crawls sharing a frontier on Redis (``scrapy archive-writer``): ``crawl_runs.process`` names the
    crawl process a run's row is of, and ``stream_positions`` holds the last stream entry stored, written in
    the transaction that stored it, so that an entry delivered again after a crash is recognised, not stored twice."""
    db["crawl_runs"].add_column("process", str)
    db.execute("create unique index idx_crawl_runs_process on crawl_runs (process) where process is not null")
    db["stream_positions"].create({"stream": str, "entry_id": str, "updated_at": str}, pk="stream")


def apply(db: sqlite_utils.Database) -> None:
    """Bring ``db`` up to the current schema and switch it to WAL mode."""
    db.enable_wal()
    migrations.apply(db)

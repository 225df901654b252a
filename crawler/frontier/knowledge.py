"""What the spiders ask of the archive, answered from Redis when crawl processes share a frontier.

A spider asks the archive whether a URL is archived (and since when, for the listing
horizon), whether its rejection stands, when the last complete run ended and which articles
to re-visit; the run history asks when the newest article arrived. A crawl process in a
shared frontier never opens the archive (it may run on another machine): the archive
writer publishes those answers' data into Redis (:class:`KnowledgePublisher`) and the
spider reads them through :class:`FrontierKnowledge`, which answers the same questions as
:class:`pipelines.archive.Archive`. :func:`archive_knowledge` gives the spider one or the other.

The writer publishes the whole archive when it starts, built under temporary keys and
renamed over the old ones at once, then what each commit changed, after the commit: the
knowledge never claims what the archive has not committed, and when it lags behind, a page
is fetched once more and recognised by the writer's dedup. Keys (``<prefix>:archive:...``):

* ``urls``: hash, URL -> when it first led to an article, and ``1`` when the raw page is kept;
* ``rejected``: hash, URL -> its ``rejected_urls`` row (JSON);
* ``articles``: hash, article id -> what a re-visit needs (JSON); ``revisit``: sorted set of
  the ids by publication time;
* ``runs``: hash, ``spider mode`` -> when its last complete run ended;
* ``newest``: when the newest article arrived; ``published``: when the writer last published
  it all. A crawl refuses to start without ``published`` (no writer yet, or Redis lost it).
"""

import functools
import json
from datetime import datetime, timedelta, timezone

from scrapy.exceptions import CloseSpider

from pipelines.archive import REJECTION_COLUMNS, Archive, rejection_stands

PUBLISH_CHUNK = 10_000  # rows sent to Redis in one pipeline while publishing the whole archive
NAMES = ("urls", "rejected", "articles", "revisit", "runs", "newest")
REVISIT_COLUMNS = ("id", "url", "etag", "last_modified", "last_seen", "published_at_utc", "gone_at")


def knowledge_keys(prefix: str) -> dict[str, str]:
    return {name: f"{prefix}:archive:{name}" for name in (*NAMES, "published")}


def archive_knowledge(crawler):
    """What a crawl's spider reads the archive's state through: the archive itself, or in a shared
    frontier (``FRONTIER_URL``) what the archive writer published of it."""
    settings = crawler.settings
    if not settings.get("FRONTIER_URL"):
        return Archive.open(settings["ARCHIVE_DB"])
    from crawler.frontier.connection import connect  # imports redis: only for a frontier

    return FrontierKnowledge(connect(settings["FRONTIER_URL"]), settings["FRONTIER_KEY_PREFIX"], crawler)


def unpublished(settings) -> str | None:
    """Why the frontier's Redis cannot tell a crawl what the archive holds, in a line; None when it can."""
    from redis import RedisError

    from crawler.frontier.connection import connect

    key = knowledge_keys(settings["FRONTIER_KEY_PREFIX"])["published"]
    try:
        if connect(settings["FRONTIER_URL"]).exists(key):
            return None
    except RedisError as error:
        return f"the frontier's Redis at {settings['FRONTIER_URL']} cannot be reached ({error})"
    return (f"no archive writer has published the archive's state in the frontier's Redis (key {key}): start "
            "scrapy archive-writer beside the archive first (after a Redis restart without persistence too)")


def asked(question):
    """A question of :class:`FrontierKnowledge` that stops the crawl when Redis cannot answer it."""

    @functools.wraps(question)
    def answer(self, *args, **kwargs):
        from redis import RedisError

        try:
            return question(self, *args, **kwargs)
        except RedisError as error:
            self.lost(error)

    return answer


def epoch(moment: str) -> float:
    """Seconds since 1970 of an ISO time (a bare day: its midnight, UTC)."""
    parsed = datetime.fromisoformat(moment)
    return (parsed if parsed.tzinfo else parsed.replace(tzinfo=timezone.utc)).timestamp()


class FrontierKnowledge:
    """The archive's state as the writer published it: :class:`pipelines.archive.Archive`'s questions, answered from Redis.

    When Redis cannot be reached, a question stops the crawl with one ERROR line: the spider cannot know what to
    fetch."""

    def __init__(self, client, prefix: str, crawler):
        self.client = client
        self.keys = knowledge_keys(prefix)
        self.crawler = crawler  # the crawl to stop when Redis is lost

    def lost(self, error: Exception):
        """Redis could not answer: the crawl stops (:func:`crawler.frontier.connection.stop_crawl`)."""
        from crawler.frontier.connection import LOST_REASON, stop_crawl

        stop_crawl(self.crawler, f"cannot read what the archive writer published in the frontier's Redis ({error})")
        raise CloseSpider(LOST_REASON)

    def _url(self, url: str) -> tuple[str, bool] | None:
        value = self.client.hget(self.keys["urls"], url)
        if value is None:
            return None
        first_seen, raw = value.decode().split(" ")
        return first_seen, raw == "1"

    @asked
    def is_archived(self, url: str, with_raw_page: bool = False) -> bool:
        known = self._url(url)
        return known is not None and (known[1] or not with_raw_page)

    @asked
    def was_archived_by(self, url: str, moment: str) -> bool:
        known = self._url(url)
        return known is not None and known[0] <= moment

    @asked
    def rejection_stands(self, url: str, retry_after: timedelta, now: datetime,
                         retry_reasons: frozenset[str] = frozenset(), extractor_version: int | None = None) -> bool:
        value = self.client.hget(self.keys["rejected"], url)
        return value is not None and rejection_stands(json.loads(value), retry_after, now, retry_reasons, extractor_version)

    @asked
    def last_complete_run_end(self, spider: str, mode: str) -> str | None:
        value = self.client.hget(self.keys["runs"], f"{spider} {mode}")
        return value.decode() if value else None

    def last_new_article_at(self) -> str | None:
        value = self.client.get(self.keys["newest"])
        return value.decode() if value else None

    @asked
    def articles_to_revisit(self, published_since: str, seen_before: str, limit: int) -> list[dict]:
        """As :meth:`pipelines.archive.Archive.articles_to_revisit`, from the published articles."""
        ids = self.client.zrangebyscore(self.keys["revisit"], epoch(published_since) - 86400, "+inf")
        rows = [json.loads(value) for value in self.client.hmget(self.keys["articles"], ids) if value] if ids else []
        rows = [row for row in rows if row["published_at_utc"] >= published_since and row["gone_at"] is None
                and row["last_seen"] <= seen_before]
        rows.sort(key=lambda row: row["id"])
        rows.sort(key=lambda row: row["published_at_utc"], reverse=True)
        rows.sort(key=lambda row: row["last_seen"])
        return [{name: row[name] for name in ("id", "url", "etag", "last_modified")} for row in rows[:limit]]

    def close(self) -> None:
        self.client.close()


class KnowledgePublisher:
    """The archive writer's side: publishes the archive's state (all of it, or what changed) into Redis."""

    def __init__(self, client, prefix: str, archive: Archive):
        self.client = client
        self.keys = knowledge_keys(prefix)
        self.db = archive.db

    def publish_all(self) -> None:
        """Publish the whole archive, under temporary keys renamed over the old ones at once."""
        building = {name: f"{key}:building" for name, key in self.keys.items()}
        self.client.delete(*building.values())
        self._urls(building, "")
        self._rejections(building, "")
        self._articles(building, "")
        self._runs(building)
        pipe = self.client.pipeline()
        for name in NAMES:
            if name == "newest":
                continue
            if self.client.exists(building[name]):
                pipe.rename(building[name], self.keys[name])
            else:  # nothing of it in the archive: nothing in Redis either
                pipe.delete(self.keys[name])
        newest = self.db.execute("select max(first_seen) from articles").fetchone()[0]
        if newest:
            pipe.set(self.keys["newest"], newest)
        else:
            pipe.delete(self.keys["newest"])
        pipe.set(self.keys["published"], datetime.now(timezone.utc).isoformat(timespec="seconds"))
        pipe.execute()

    def publish_changes(self, urls: set[str], article_ids: set[int], runs: bool) -> None:
        """Publish the state of ``urls`` (archived or rejected), of ``article_ids``, and (``runs``) of the runs."""
        pipe = self.client.pipeline()
        if urls:
            marks = ", ".join("?" * len(urls))
            self._urls(self.keys, f"where u.url in ({marks})", list(urls), pipe)
            forgotten = urls - self._rejections(self.keys, f"where url in ({marks})", list(urls), pipe)
            if forgotten:  # archived since: their rejection was deleted
                pipe.hdel(self.keys["rejected"], *forgotten)
        if article_ids:
            marks = ", ".join("?" * len(article_ids))
            self._articles(self.keys, f"where id in ({marks})", list(article_ids), pipe)
            newest = self.db.execute("select max(first_seen) from articles").fetchone()[0]
            if newest:
                pipe.set(self.keys["newest"], newest)
        if runs:
            self._runs(self.keys, pipe)
        pipe.execute()

    def _send(self, rows, write, pipe=None) -> set:
        """``write(pipe, row)`` for every row, in pipelines of PUBLISH_CHUNK rows (into ``pipe`` when given); the
        rows' first values."""
        seen, own = set(), pipe is None
        pipe = pipe or self.client.pipeline(transaction=False)
        for n, row in enumerate(rows, 1):
            write(pipe, row)
            seen.add(row[0])
            if own and n % PUBLISH_CHUNK == 0:
                pipe.execute()
        if own:
            pipe.execute()
        return seen

    def _urls(self, keys, where: str, values=(), pipe=None) -> set:
        rows = self.db.execute(
            f"select u.url, u.first_seen, a.warc_file is not null from article_urls u join articles a on a.id = u.article_id "
            f"{where}", values)
        return self._send(rows, lambda p, row: p.hset(keys["urls"], row[0], f"{row[1]} {int(row[2])}"), pipe)

    def _rejections(self, keys, where: str, values=(), pipe=None) -> set:
        rows = self.db.execute(f"select url, {REJECTION_COLUMNS} from rejected_urls {where}", values)
        return self._send(rows, lambda p, row: p.hset(keys["rejected"], row[0], json.dumps(row[1:])), pipe)

    def _articles(self, keys, where: str, values=(), pipe=None) -> set:
        rows = self.db.execute(f"select {', '.join(REVISIT_COLUMNS)} from articles {where}", values)

        def write(p, row):
            article = dict(zip(REVISIT_COLUMNS, row))
            if article["published_at_utc"] is None:
                return
            p.hset(keys["articles"], article["id"], json.dumps(article))
            p.zadd(keys["revisit"], {article["id"]: epoch(article["published_at_utc"])})

        return self._send(rows, write, pipe)

    def _runs(self, keys, pipe=None) -> None:
        runs = self.db.execute("select distinct spider, mode from crawl_runs where mode is not null").fetchall()
        archive = Archive(self.db)
        ends = {f"{spider} {mode}": archive.last_complete_run_end(spider, mode) for spider, mode in runs}
        ends = {name: end for name, end in ends.items() if end}
        if ends:
            (pipe or self.client).hset(keys["runs"], mapping=ends)

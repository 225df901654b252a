"""Health checks run at the end of every crawl: the signs that an unattended archive has a problem.

Each check compares the run's stats (or the archive) with a threshold setting and,
when it fails, explains in plain words what is wrong and what it usually means.
A threshold of 0 (or an empty value) turns its check off. Four checks have no threshold,
since any such run failed: ``discovery`` (the run read nothing of the site), ``discovery_fallback``
(the outlet's feeds, sitemaps and listings gave no article link, and the run looked elsewhere),
``warc_failed`` (raw pages could not be kept) and ``archive_writes_failed`` (articles
could not be stored).

A crawl of a list of URLs (``scrapy crawl urls``, whose stats count ``urls/listed``) has no
site to discover, no schedule that should bring new articles and no outlet whose datelines
are expected: instead of ``discovery``, ``no_new_articles`` and the field fills, it fails
``urls_not_archived`` when none of its URLs was archived.
"""

from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta

from pipelines.archive import ARTICLES_LOST, RAW_PAGES_LOST

DISCOVERY_FAILURES = ("discovery/failed/", "sitemap/failed/")  # feeds, listings, sitemaps not read, by reason
UNREACHABLE = frozenset({"dns_lookup", "connection_refused", "timeout", "connection_lost"})  # no answer at all


@dataclass(frozen=True)
class Thresholds:
    new_articles_window_hours: float  # HEALTH_NEW_ARTICLES_WINDOW_HOURS
    max_rejected_rate: float  # HEALTH_MAX_REJECTED_RATE
    max_empty_body_rate: float  # HEALTH_MAX_EMPTY_BODY_RATE
    max_challenge_rate: float  # HEALTH_MAX_CHALLENGE_RATE
    min_field_fill: float  # HEALTH_MIN_FIELD_FILL
    min_pages: int  # HEALTH_MIN_PAGES: rates are judged only over at least this many pages

    @classmethod
    def from_settings(cls, settings) -> "Thresholds":
        return cls(
            new_articles_window_hours=settings.getfloat("HEALTH_NEW_ARTICLES_WINDOW_HOURS"),
            max_rejected_rate=settings.getfloat("HEALTH_MAX_REJECTED_RATE"),
            max_empty_body_rate=settings.getfloat("HEALTH_MAX_EMPTY_BODY_RATE"),
            max_challenge_rate=settings.getfloat("HEALTH_MAX_CHALLENGE_RATE"),
            min_field_fill=settings.getfloat("HEALTH_MIN_FIELD_FILL"),
            min_pages=settings.getint("HEALTH_MIN_PAGES"),
        )


def total(stats: dict, prefix: str) -> int:
    return sum(value for name, value in stats.items() if name.startswith(prefix) and isinstance(value, int))


def check_health(stats: dict, last_new_article_at: str | None, now: datetime, limits: Thresholds) -> dict[str, str]:
    """``{check: explanation}`` for every check that failed; empty when all is well."""
    failed = {}
    extracted = stats.get("extract/articles", 0)
    rejected = total(stats, "extract/rejected/") + total(stats, "fetch/failed/")
    pages = extracted + rejected

    url_list = "urls/listed" in stats
    unreachable = None if url_list else discovery_failure(stats)
    if unreachable:
        failed["discovery"] = unreachable
    if stats.get("discovery/fallback"):
        failed["discovery_fallback"] = (
            "the outlet's feeds, news sitemaps and listings gave no article link; the sitemaps its robots.txt "
            f"names and its home page gave {stats.get('discovery/article_links', 0)}: its profile needs updating"
        )
    if url_list and not stats.get("urls/archived"):
        failed["urls_not_archived"] = (
            f"none of the {stats['urls/listed']} URLs listed was archived (the reasons are logged, one line a URL)")
    lost = raw_pages_lost(stats)
    if lost:
        failed[RAW_PAGES_LOST] = lost
    if stats.get("frontier/items_not_sent"):
        failed[ARTICLES_LOST] = (
            f"{stats['frontier/items_not_sent']} item(s) could not be sent to the archive writer (Redis unreachable): "
            "they are not stored, and the next run fetches their pages again"
        )
    elif stats.get("archive/commit_failed"):
        failed[ARTICLES_LOST] = (
            f"{stats['archive/commit_failed']} commit(s) to the archive failed (a full disk, or the file went away): "
            "the articles they held are not stored, and the next run that can store them fetches them again"
        )
    if limits.new_articles_window_hours and not url_list:
        window = timedelta(hours=limits.new_articles_window_hours)
        if last_new_article_at is None:
            failed["no_new_articles"] = "the archive holds no article at all: nothing was ever extracted and stored"
        elif now - datetime.fromisoformat(last_new_article_at) > window:
            failed["no_new_articles"] = (
                f"no new article was archived in the last {limits.new_articles_window_hours:g} hours "
                f"(the newest arrived {last_new_article_at}): the feeds or listings may have moved"
            )
    if pages >= limits.min_pages:
        rates = {
            "rejected_rate": (rejected, limits.max_rejected_rate, "pages gave no article"),
            "empty_body_rate": (stats.get("extract/rejected/empty_body", 0), limits.max_empty_body_rate,
                                "article pages had no body text: the page layout may have changed"),
            "challenge_rate": (stats.get("challenge/given_up", 0), limits.max_challenge_rate,
                               "pages stayed behind a bot challenge: the site is blocking the crawler"),
        }
        for name, (count, limit, meaning) in rates.items():
            if limit and count / pages > limit:
                failed[name] = f"{count} of {pages} {meaning} ({count / pages:.0%}, limit {limit:.0%})"
    if limits.min_field_fill and extracted >= limits.min_pages and not url_list:
        fills = {
            "published_at": 1 - (stats.get("extract/published_at/missing", 0)
                                 + stats.get("extract/published_at/guessed", 0)) / extracted,
            "dateline": stats.get("dateline/found", 0) / extracted,
        }
        for field, fill in fills.items():
            if fill < limits.min_field_fill:
                failed[f"{field}_missing"] = (
                    f"only {fill:.0%} of the {extracted} articles extracted have a {field} "
                    f"(limit {limits.min_field_fill:.0%}): the usual sign of a site redesign"
                )
    return failed


def discovery_failure(stats: dict) -> str | None:
    """Why the run could not look for articles at all, or None when it could.

    Judged however few pages the run saw: a run that fetched no page, or whose every
    discovery request (feed, listing, sitemap) failed, read nothing of the site.
    """
    reasons = Counter()
    for prefix in DISCOVERY_FAILURES:
        reasons.update({name[len(prefix):]: count for name, count in stats.items() if name.startswith(prefix)})
    requested, failed = stats.get("discovery/requests", 0), sum(reasons.values())
    if stats.get("downloader/response_count", 0) and not (requested and failed >= requested):
        return None
    if not failed and stats.get("frontier/already_queued"):
        return None  # a process of a shared frontier whose requests the run's other processes had queued and fetched
    if not failed:
        return "no page was fetched"
    cause = "site unreachable" if UNREACHABLE.issuperset(reasons) else "no feed, listing or sitemap could be read"
    named = ", ".join(reason if len(reasons) == 1 else f"{reason} {count}" for reason, count in reasons.most_common())
    return f"{cause}: {failed} of {requested} discovery requests failed ({named})"


def raw_pages_lost(stats: dict) -> str | None:
    """How many responses could not be written to the WARC files, and why; None when none."""
    lost = stats.get("warc/failed", 0)
    if not lost:
        return None
    reasons = ", ".join(sorted(name.removeprefix("warc/failed/") for name in stats if name.startswith("warc/failed/")))
    return (
        f"{lost} of {lost + stats.get('warc/records', 0)} responses could not be written to the WARC files "
        f"({reasons}): their raw pages are lost, and the articles among them will be fetched again "
        "by the next run that can write them"
    )

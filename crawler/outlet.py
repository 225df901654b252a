"""An outlet as the crawler knows it: its profile, and where its articles are listed.

An :class:`Outlet` is a :class:`pipelines.profile.Profile` (what extraction needs) plus the
outlet's discovery: feeds, listing pages and their next-page rule, news sitemaps, and the
date-partitioned sitemaps a backfill reads. Each outlet is one module of
:mod:`crawler.outlets`; :class:`crawler.spiders.outlet.OutletSpider` crawls any of them, and
every outlet found there is a spider of its own name (:mod:`crawler.spiderloader`).
"""

from dataclasses import dataclass

from pipelines.profile import Edition, PathAlias, Profile

__all__ = ["Edition", "Feed", "Listing", "Outlet", "PathAlias"]


@dataclass(frozen=True)
class Feed:
    """An RSS or Atom feed (``path`` on the outlet's site), of one edition or of all."""

    path: str
    language: str | None = None  # the edition it lists; None: any


@dataclass(frozen=True)
class Listing:
    """A section's listing pages, newest first, walked page by page.

    ``path`` and ``next_path`` are formatted with ``section`` and, for ``next_path``, ``page``
    (2 for the second page). Without ``next_path`` the page's own ``rel="next"`` link is
    followed. Either way a walk goes on only to a next page that the current one links to.
    """

    path: str  # e.g. "/en/news/{section}.html"
    sections: tuple[str, ...] = ("",)  # walked on every run; the OUTLET_SECTIONS setting overrides them
    next_path: str | None = None  # e.g. "/en/news/{section}-updates{page}.html"
    entry: str | None = None  # CSS of one listed article's box, whose last article link is taken;
    # None, or a page without such boxes: every link on the page (non-articles are filtered out)
    language: str | None = None  # the edition it lists; None: any


@dataclass(frozen=True)
class Outlet(Profile):
    """An outlet: its :class:`~pipelines.profile.Profile`, and how its articles are found."""

    feeds: tuple[Feed, ...] = ()
    listings: tuple[Listing, ...] = ()
    news_sitemaps: tuple[str, ...] = ()  # sitemaps (or indexes) of the newest articles, read on every run
    dated_sitemap: str | None = None  # a backfill's sitemap of one day, formatted with ``day`` (a date):
    # "/sitemap/{day:%Y}/{day:%Y-%m-%d}.xml.gz"; a monthly one ("/sitemap-{day:%Y-%m}.xml") is read once per month
    former_settings: tuple[tuple[str, str], ...] = ()  # (old name, today's): still read for this outlet, with a
    # deprecation warning

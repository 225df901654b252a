"""Business Recorder (https://www.brecorder.com): Pakistan's business daily, English only.

Facts used, with their source and confidence ([V] seen in the site's own pages or feeds,
[C] from others' scraper code or notes, [U] unverified):

- Articles are ``/news/<id>/<slug>``; ``<link rel=canonical>`` and ``og:url`` drop the slug
  (``/news/<id>``), so articles are archived under that form [V] (the site's article pages).
  Ids are 8 digits from ``40000000`` on since the current CMS [V]; older stories keep 7-digit
  ids with a long number glued to the slug's end, still served at ``/news/<id>/<slug>-<n>`` [V].
- Not articles: AMP views ``/news/amp/<id>`` [V], the per-article feed ``/feeds/news/<id>`` [V],
  authors ``/authors/<id>/<slug>`` [V], tags ``/trends/<tag>`` [V], print days ``/print/<day>``
  [V], the live page ``/live`` [V], company pages ``/company/<symbol>`` [C].
- The RSS feed ``/feeds/latest-news`` [V] (full body in ``<description>``, ``+0500`` dates) and
  section feeds ``/feeds/pakistan``, ``/feeds/markets``, ``/feeds/business-finance``,
  ``/feeds/world`` [C] (a feed catalogue that found them answering 200).
- The news sitemap ``/feeds/sitemap``, declared by robots.txt [C] (a news scraper's notes on
  robots.txt). No dated sitemap is known [U], so there is no backfill.
- Listings ``/latest-news`` and section pages such as ``/pakistan``, with ``article.story``
  cards [C] (a scraper's selector config). No page 2 is known [U]: the listings are read at
  page 1 only (a ``rel="next"`` link would be followed if the site had one).
- Article markup [V] (a captured article page): ``article.story.single``, the headline in
  ``h1.story__title``, byline ``span.story__byline``, the date only in ``span.story__time``,
  body ``div.story__content``, tags ``div.story__tags``; a paragraph that is only a link to
  another ``/news/`` item is a "read also" teaser, not text. Every page opens with a PSX
  ticker. ``article:published_time`` and JSON-LD ``datePublished`` carry ``+05:00`` [V].
- Older markup (c. 2019): ``div.singletitle h2``, ``div.art-body``, ``div.singlemeta
  time[datetime]`` [C] (a 2019 parser of the site).
- ``<title>`` is ``<headline> - <Section> - Business Recorder`` [V]; the print edition's
  stories end ``Copyright Business Recorder, <year>`` [C] (a 2019 database dump and a test
  fixture found by content).
- Datelines: ``KARACHI: ...`` today, ``KARACHI (March 7 2005): ...`` on the old site [V]; desk
  stories have none [V]. They never sign with the outlet's name, so no dateline brand.
- Times are Pakistan time [V].
"""

import re
from zoneinfo import ZoneInfo

from crawler.outlet import Edition, Feed, Listing, Outlet
from pipelines.hints import PageHints, has_class

ARTICLE_PATH = re.compile(
    r"^/news/(?:(?P<id>40\d{6})(?:/(?P<slug>[a-z0-9-]+))?"  # today's ids; the canonical form has no slug
    r"|(?P<legacy_id>\d{7})/(?P<legacy_slug>[a-z0-9-]+-\d{8,}))$"  # old ids keep their slug and glued number
)

STORY = f"//article[{has_class('story')} and {has_class('single')}]"
CONTENT = f"//div[{has_class('story__content')}]"
OLD_CONTENT = f"//div[{has_class('art-body')}]"  # the old template's body, on stories it still serves
PAGE_HINTS = PageHints(
    container=STORY,
    body=f"{CONTENT} | {OLD_CONTENT}",
    byline=f"{STORY}//span[{has_class('story__byline')}]",
    date=f"{STORY}//span[{has_class('story__time')}] | //div[{has_class('singlemeta')}]/time",
    article_url=ARTICLE_PATH,
    tags=f"//div[{has_class('story__tags')}]//a",
    furniture=(
        f"//div[{has_class('story__tags')}]",
        # a paragraph that is nothing but a link to another story: "read also", not text
        f"{CONTENT}/p[a[contains(@href, '/news/')]][normalize-space() = normalize-space(a)]",
        f"{CONTENT}/p[starts-with(normalize-space(), 'Copyright Business Recorder')]",  # print trailer
        f"//div[{has_class('js-ticker')}]",  # the PSX ticker every page opens with
    ),
)

BRECORDER = Outlet(
    name="brecorder",
    display_name="Business Recorder",
    public_base="https://www.brecorder.com",
    host_aliases=("brecorder.com",),
    editions=(Edition("en", ARTICLE_PATH, PAGE_HINTS),),
    timezone=ZoneInfo("Asia/Karachi"),
    title_suffixes=("Business Recorder",),
    feeds=(Feed("/feeds/latest-news", "en"),),
    listings=(
        Listing("/{section}", sections=("latest-news", "pakistan", "markets"), entry="article.story", language="en"),
    ),
    news_sitemaps=("/feeds/sitemap",),
)

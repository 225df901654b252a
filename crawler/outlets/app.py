"""APP, the Associated Press of Pakistan (https://www.app.com.pk): the state news agency's English site.

Facts used, with their source and confidence ([V] seen in the site's own pages or article
text, [C] from others' scraper code or notes, [U] unverified):

- A WordPress site with the tagDiv "Newspaper" theme [V]. Articles are
  ``/<category>/<slug>/``, no numeric id, a trailing slash; WordPress adds ``-2``, ``-3`` to a
  repeated slug [V] (13.4k article URLs gathered from the site). Categories seen: national,
  global, domestic, business, sports, features, foreign-correspondent, diplomatic-corner,
  weather [V]; the pattern takes any category but the site's other first path parts.
- Not articles: photo captions ``/photos-section/<slug>/`` [V], category and listing pages
  (``/latest-news/``, ``/<category>/page/<n>/``, ``/category/<category>/...``, ``/page/<n>/``) [V],
  feeds ``.../feed/`` [C]; tag and author archives are WordPress's (``/tag/``, ``/author/``) [U].
- Feeds: ``/feed/`` and each category's ``/<category>/feed/`` [C] (a feed catalogue that found
  them answering 200). They carry a one-sentence summary only [C], so every story is fetched.
- No sitemap was found by a probe of robots.txt and the usual paths [C]; no backfill.
- Listings: ``/<category>/`` then ``/<category>/page/<n>/`` [C] (a scraper that walked the
  national listing), cards titled ``h3.entry-title.td-module-title a`` [C]. tagDiv's filters
  (``?filter_by=...``) and stray query strings return pages too [V]: only paths are followed.
- Article markup [C] (a scraper that saved 13.4k pages with it): headline ``h1.tdb-title-text``
  (the cloud template) or ``h1.entry-title`` (the classic one), body ``.tdb_single_content``
  or ``.td-post-content``, date ``time.entry-date[datetime]``; author boxes, share bars and
  related posts around the body.
- In the body [V] (measured over those 13.4k pages): an AdSense script paragraph, a WordPress
  video player before the dateline on video stories (its text is the player's, not the
  story's: the player element is dropped, [U] that it is WordPress's ``div.wp-video``), a
  trailing desk code ``APP/<ab>-<cd>``, bare ``x.com/.../status/<n>`` lines from tweets that
  did not embed, a ``By <Name>`` line on signed features, and on older stories the label
  "APP Digital News" glued to the lede.
- Datelines: ``ISLAMABAD, Mar 07 (APP):`` on 99% of stories, often without a space after the
  colon; ``(Xinhua/APP)`` for partners; ``ALMATY, Kazakhstan, Mar 07 (APP):`` abroad [V]. APP
  is the agency table's own "APP", so its datelines read as any outlet's APP copy does
  (``dateline_agency`` APP) and no dateline brand is declared.
- ``<title>`` ends ``- Associated Press Of Pakistan``, the name its feed items sign with [C].
- Times: Pakistan time expected [U]/[C]; a scraper's output mixed ``Z`` and ``+05:00`` labels.
- Urdu: an Urdu site at ``https://urdu.app.com.pk/urdu/`` is known only by its search page
  [C]; its article URLs and layout are not, so it is not modelled.
"""

import re
from zoneinfo import ZoneInfo

from crawler.outlet import Edition, Feed, Listing, Outlet
from pipelines.hints import PageHints, has_class

NOT_ARTICLE_SECTIONS = ("photos-section", "category", "tag", "author", "page", "feed", "wp-content", "wp-json")
ARTICLE_PATH = re.compile(
    rf"^/(?!(?:{'|'.join(NOT_ARTICLE_SECTIONS)})/)(?P<category>[a-z0-9-]+)/(?!(?:feed|page|amp)/)(?P<slug>[a-z0-9-]+)/$"
)

CONTENT = f"//div[{has_class('tdb_single_content')} or {has_class('td-post-content')}]"
PAGE_HINTS = PageHints(
    body=CONTENT,
    # a signed feature's "By <Name>" line, the body's first paragraph, before the dateline
    byline=f"{CONTENT}//p[1][starts-with(normalize-space(), 'By ') and string-length(normalize-space()) < 60]",
    category_in_url=ARTICLE_PATH,
    article_url=ARTICLE_PATH,
    markers=("APP Digital News",),  # a label older stories glue to the lede; not text
    furniture=(
        f"//div[{has_class('wp-video')}]",  # the video player: its fallback link is not text
        f"{CONTENT}//p[starts-with(normalize-space(), 'APP/') and string-length(normalize-space()) < 20]",  # desk code
        f"{CONTENT}//p[(starts-with(normalize-space(), 'https://x.com/') or starts-with(normalize-space(), "
        "'https://twitter.com/')) and not(contains(normalize-space(), ' '))]",  # a tweet that did not embed
        f"//*[{has_class('tdb-author-box')} or {has_class('td-post-sharing')}]",
        f"//*[{has_class('td_block_related_posts')}]",
    ),
)

APP = Outlet(
    name="app",
    display_name="Associated Press of Pakistan",
    public_base="https://www.app.com.pk",
    host_aliases=("app.com.pk",),
    editions=(Edition("en", ARTICLE_PATH, PAGE_HINTS),),
    timezone=ZoneInfo("Asia/Karachi"),
    title_suffixes=("Associated Press Of Pakistan",),
    feeds=(Feed("/feed/", "en"),),
    listings=(
        Listing(
            "/{section}/",
            sections=("national", "business"),
            next_path="/{section}/page/{page}/",
            entry="h3.td-module-title",
            language="en",
        ),
    ),
)

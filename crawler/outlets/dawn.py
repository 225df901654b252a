"""Dawn (https://www.dawn.com): the English daily's web stories and next-day print edition.

What the profile rests on, with its source and confidence ([V] seen in the site's own pages or
feeds, [C] in others' scraper code, [U] unverified):

- Articles are ``/news/<id>/<slug>``; canonical link and ``og:url`` drop the slug
  (``/news/<id>``), the form kept; old links are slug-less too [V] (dr-m-wasim/keepup-scrappers
  test_data/dawn/detail_sample.html; https://www.dawn.com/news/amp/291588). Web and print stories
  share one id sequence [V]. AMP ``/news/amp/<id>``, print ``/news/print/<id>``, live blogs
  ``/live/<slug>``, authors ``/authors/<id>/<slug>`` are not articles [V]; cross-posts link to
  ``images.dawn.com``, another site [V]. Whether ``/news/<id>`` redirects to the slug form [U].
- Feeds (RSS 2.0, full bodies, slug-less guids): ``/feeds/home``, ``/feeds/latest-news/`` [V]
  (https://www.dawn.com/feeds/latest-news/).
- News sitemap ``/feeds/sitemap``, declared in robots.txt [C] (iahmedd-k/Basarat-fyp-official
  dawn_source.py). No date-partitioned sitemap is known [U]; the daily archive
  ``/archive/<date>`` is disallowed by robots.txt [C], so there is no backfill.
- Listing ``/latest-news``: cards ``article.story``, link ``h2.story__title a.story__link`` [C]
  (keepup-scrappers config.yaml; evalchatbot/Media-Monitor dawn.py); no page 2 is known [U].
- Page [V] (detail_sample.html): container ``article.story.single``, no ``<h1>`` (headline in
  ``h2.story__title``), byline ``span.story__byline``, time ``span.story__time`` (the ISO
  time in ``span.timestamp--time``'s ``title``), body the article's first ``div.story__content``
  (the page has others, of widgets), figures ``figure.media`` with credited captions; the
  Business promo line ``Follow Dawn Business on ...`` inside the body [V] (gitcodeuu/xai_articles).
  Older template: ``span.story__time``, ``span.story__byline``, ``div.story__content`` [C]
  (alifirst01/web-news-crawlers-and-parsers parse_dawn.py).
- Titles ``<headline> - <Section> - DAWN.COM`` [V]; times Pakistan Standard Time, ``+05:00``,
  ``article:published_time`` written with a space before the time [V].
- Datelines: ALL-CAPS print datelines ``ISLAMABAD:``, ``LAHORE/FAISALABAD:``, after summary
  bullets, with soft hyphens inside; web stories have none [V] (gitcodeuu/xai_articles sample).
  No dateline names the brand, so there is no dateline brand.
"""

import re
from zoneinfo import ZoneInfo

from crawler.outlet import Edition, Feed, Listing, Outlet
from pipelines.hints import PageHints, has_class

ARTICLE_PATH = re.compile(r"^/news/(?P<id>\d+)(?:/(?P<slug>[^/]+))?/?$")  # not /news/amp/<id> or /news/print/<id>
STORY = f"//article[{has_class('story')} and {has_class('single')}]"
PAGE_HINTS = PageHints(
    container=STORY,
    body=f"({STORY}//div[{has_class('story__content')}] | //div[{has_class('story')}]/div[{has_class('story__content')}])[1]",
    byline=f"//*[{has_class('story__byline')}]",
    date=f"//*[{has_class('story__time')}]",
    article_url=ARTICLE_PATH,
    furniture=(
        f"//figure[{has_class('media')}]",
        "//p[starts-with(normalize-space(), 'Follow Dawn Business on')]",
        f"//*[{has_class('story__breadcrumbs')}]",
        f"//*[{has_class('badge')}]",
    ),
)

DAWN = Outlet(
    name="dawn",
    display_name="Dawn",
    public_base="https://www.dawn.com",
    host_aliases=("dawn.com",),
    editions=(Edition("en", ARTICLE_PATH, PAGE_HINTS),),
    timezone=ZoneInfo("Asia/Karachi"),
    title_suffixes=("DAWN.COM",),
    feeds=(Feed("/feeds/home", "en"), Feed("/feeds/latest-news/", "en")),
    listings=(Listing("/{section}", sections=("latest-news",), entry="article.story", language="en"),),
    news_sitemaps=("/feeds/sitemap",),
)

"""The News International (https://www.thenews.com.pk): web stories, the print edition, The News on Sunday.

What the profile rests on, with its source and confidence ([V] seen in the site's own pages or
feeds, [C] in others' scraper code, [U] unverified); this outlet is the least documented:

- Web stories ``/latest/<id>-<slug>`` [V]/[C], print stories ``/print/<id>-<slug>`` [V], The News on
  Sunday ``/tns/detail/<id>-<slug>`` [C], one id sequence [V]/[C] (https://www.thenews.com.pk/print/1107134-still-unsolved;
  an unattributed public scraper ``thenews.py``, March 2026). The site reads only the id [C].
  Category listings ``/latest/category/<name>`` are not articles [C]; magazines
  (``/magazine/<name>/<id>-<slug>``) are left out, as features without datelines [U].
- News sitemap ``/assets/uploads/google_news_latest.xml``, the best channel known [C]
  (SaqlainXoas/saaf-baat golden_days 2026-08-27 manifest.json). ``/sitemap.xml`` lists sections
  only [C]; no date-partitioned sitemap is known [U], so there is no backfill. The RSS feed
  ``/rss/1/1`` answered 200 while ~276 days stale [C] (saaf-baat prototype_ingest.py): not read.
- Listing ``/latest``, next pages ``/latest?page=N``, stories linked as ``/latest/<id>-`` [C]
  (``thenews.py``); ``/latest-stories`` cards ``div.writter-list-item-story`` [C]
  (alifirst01/web-news-crawlers-and-parsers send_thenews.py; keepup-scrappers config.yaml).
- Page [C] (parse_thenews.py 2019, keepup-scrappers 2025, ``thenews.py`` 2026,
  evalchatbot/Media-Monitor sites.py): container ``div.detail-content``, headline
  ``div.detail-heading h1`` (``h2`` on TNS), body ``div.story-detail`` with ``googletag`` scripts and
  ``Advertisement`` labels in it, date ``div.category-date`` (``Month DD, YYYY``), author
  ``div.category-source``, section ``div.category-name h2``; JSON-LD NewsArticle with
  ``datePublished`` [C]. Titles ``<headline> | <Section> | thenews.com.pk`` [C].
- Datelines: national pages ``PESHAWAR:``, city pages ``Karachi:`` in title case, and a photo
  caption (``— APP/File``) glued to the dateline in naive text [V] (https://www.thenews.com.pk/print/1025925-happy-new-year;
  a 2018 copy of the national feed): captions are furniture. No dateline names the brand.
- ``/print/`` was behind a Cloudflare challenge for scripts in March 2026 [C] (``thenews.py``).
  Times: Pakistan [U].
"""

import re
from zoneinfo import ZoneInfo

from crawler.outlet import Edition, Listing, Outlet
from pipelines.hints import PageHints, has_class

ARTICLE_PATH = re.compile(r"^/(?:latest|print|tns/detail)/(?P<id>\d+)-(?P<slug>[^/]+)$")
DETAIL = f"//div[{has_class('detail-content')}]"
PAGE_HINTS = PageHints(
    container=DETAIL,
    body=f"{DETAIL}//div[{has_class('story-detail')}]",
    byline=f"//div[{has_class('category-source')}]",
    date=f"//div[{has_class('category-date')}]",
    article_url=ARTICLE_PATH,
    furniture=(
        "//figure",
        f"//div[{has_class('category-name')}]",
        "//*[not(*)][normalize-space() = 'Advertisement']",
        f"//*[{has_class('latest-right')}]",
    ),
)

THENEWS = Outlet(
    name="thenews",
    display_name="The News International",
    public_base="https://www.thenews.com.pk",
    host_aliases=("thenews.com.pk",),
    editions=(Edition("en", ARTICLE_PATH, PAGE_HINTS),),
    timezone=ZoneInfo("Asia/Karachi"),
    title_suffixes=("thenews.com.pk", "The News International"),
    listings=(Listing("/{section}", sections=("latest",), next_path="/{section}?page={page}", language="en"),),
    news_sitemaps=("/assets/uploads/google_news_latest.xml",),
)

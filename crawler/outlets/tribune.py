"""The Express Tribune (https://tribune.com.pk): the English daily's web and print stories.

What the profile rests on, with its source and confidence ([V] seen in the site's own pages or
feeds, [C] in others' scraper code, [U] unverified):

- Articles are ``/story/<id>/<slug>``, the canonical keeping the slug; 2014 links end with ``/``
  [V] (dr-m-wasim/keepup-scrappers test_data/tribune/detail_sample.html) [C] (2014 form). The slug
  is not checked by the site [V]. AMP views add ``?amp=1`` [V] (a query, which a path pattern cannot
  exclude; their canonical link names the story). Author pages ``/author/<id>/<slug>`` (agencies
  and desks too) are not articles [V]; ``newslab.tribune.com.pk`` is another site [V].
- Feeds ``/feed/home``, ``/feed/pakistan`` (full bodies) [C] (rayan-02/News-Sentinel tribune.py;
  both answered in 2026, SaqlainXoas/saaf-baat golden_days manifest.json); one captured item had a
  two-digit year [C].
- Sitemaps: ``/sitemap.xml`` indexes ``/sitemap/posts-<N>.xml`` (``loc``, ``lastmod``), the newest
  month in ``posts-1.xml`` [C] (smsali97/pak-news-analysis collect_archive.py); read as the news
  sitemap. No Google News or date-partitioned sitemap is known [U], so there is no backfill.
- Listing ``/latest``, next pages ``/latest?page=2`` by ``a.page-link`` [V] (keepup-scrappers
  listing_sample.html); cards ``ul.listing-page li`` [C] (keepup-scrappers config.yaml;
  AdeenaLathiya/BitBulletin-scraping business.py).
- Page [V] (detail_sample.html): the only ``h1`` is the headline, ``p.story-excerpt`` the summary,
  ``div.left-authorbox`` the author and a date without time, ``span.story-text`` the body with ad
  slots and embeds (tweets, Instagram) between paragraphs, ``div.story-inner-caption`` the photo
  credit; ``article:published_time`` in UTC, JSON-LD ``datePublished`` in Pakistan time, JSON-LD
  ``headline`` without commas; titles end ``| The Express Tribune``. The dateline sits in
  ``strong.location-names`` [C] (BitBulletin-scraping), sometimes as a block of its own [V].
  Older markup ``div.story-content``, ``div.timestamp``, ``div.author``, title suffix
  ``- The Express Tribune`` [C] (alifirst01/web-news-crawlers-and-parsers parse_tribune.py).
- Datelines ``KARACHI:``, ``ALDERTON, RURITANIA:`` (city, country), none on web stories; print
  stories end ``Published in The Express Tribune, <date>.`` [V] (2015 feed copies). Agencies are
  named in the byline, not the dateline [V]; no dateline names the brand. Times are Pakistan time.
"""

import re
from zoneinfo import ZoneInfo

from crawler.outlet import Edition, Feed, Listing, Outlet
from pipelines.hints import PageHints, has_class

ARTICLE_PATH = re.compile(r"^/story/(?P<id>\d+)/(?P<slug>[^/]+)/?$")
PAGE_HINTS = PageHints(
    container=f"//div[{has_class('story-box-section')}]",
    body=f"//span[{has_class('story-text')}] | //div[{has_class('story-content')}]",
    byline=f"//div[{has_class('left-authorbox')}] | //div[{has_class('author')}]",
    date=f"//div[{has_class('left-authorbox')}]/span[2] | //div[{has_class('timestamp')}]",
    summary=f"//p[{has_class('story-excerpt')}]",
    article_url=ARTICLE_PATH,
    furniture=(
        f"//*[{has_class('story-inner-caption')}]",
        f"//blockquote[{has_class('twitter-tweet')} or {has_class('instagram-media')}]",
        f"//*[{has_class('most-read')}]",
    ),
)

TRIBUNE = Outlet(
    name="tribune",
    display_name="The Express Tribune",
    public_base="https://tribune.com.pk",
    editions=(Edition("en", ARTICLE_PATH, PAGE_HINTS),),
    timezone=ZoneInfo("Asia/Karachi"),
    title_suffixes=("The Express Tribune",),
    feeds=(Feed("/feed/home", "en"), Feed("/feed/pakistan", "en")),
    listings=(
        Listing("/{section}", sections=("latest",), next_path="/{section}?page={page}",
                entry="ul.listing-page li", language="en"),
    ),
    news_sitemaps=("/sitemap/posts-1.xml",),
)

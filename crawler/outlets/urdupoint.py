"""UrduPoint (https://www.urdupoint.com): English and Urdu editions.

English articles are ``/en/<category>/<slug>-<id>.html``, listed by the news feed and by each
category's listing ``/en/news/<category>.html`` (then ``<category>-updates2.html``, ...), in
``div.txt_box`` entry boxes. Urdu articles are ``/daily/livenews/YYYY-MM-DD/news-<N>.html``,
listed by ``/daily/livenews/rss.xml``; older links on ``daily.urdupoint.com``, with or
without ``/daily``, are the same articles and are kept under today's form. Daily gzipped
sitemaps (``/sitemap/daily/data/YYYY/YYYY-MM-DD.xml.gz``) list both editions, for backfill.
Datelines sign ``(UrduPoint / Pakistan Point News - 2nd Mar, 2023 )``, with a wire agency's
name before the brand when the story is a wire's; times on the pages are Pakistan time.
"""

import re
from zoneinfo import ZoneInfo

from crawler.outlet import Edition, Feed, Listing, Outlet, PathAlias
from pipelines.hints import PageHints, has_class, headed
from pipelines.urdu import URDU_MONTHS

NOT_ARTICLE_SECTIONS = ("news", "team", "tags", "videos", "photos", "search", "sitemap", "rss")
ARTICLE_PATH = re.compile(  # /en/<category>/<slug>-<id>.html, in any section but those above
    rf"^/en/(?!(?:{'|'.join(NOT_ARTICLE_SECTIONS)})/)(?P<category>[a-z0-9-]+)/(?P<slug>[^/]+)-(?P<id>\d+)\.html$"
)
URDU_ARTICLE_PATH = re.compile(r"^/daily/livenews/(?P<day>\d{4}-\d{2}-\d{2})/news-(?P<id>\d+)\.html$")

ARTICLE_BLOCK = f"//div[{has_class('news_article')}]"
SHARED_FURNITURE = (f"//*[{has_class('social_sharer')}]", f"//*[{has_class('breadcrumb')}]")
PAGE_HINTS = PageHints(
    container=ARTICLE_BLOCK,
    body=f"//div[{has_class('detail_txt')}]",
    date=f"//span[{has_class('article-date')}]",
    summary=f"{ARTICLE_BLOCK}//h2[not(ancestor::div[{has_class('detail_txt')}])]",
    category_in_url=re.compile(r"^/en/(?P<category>[a-z0-9-]+)/[^/]+-\d+\.html$"),
    article_url=ARTICLE_PATH,
    furniture=SHARED_FURNITURE,
)

# Urdu article pages: h1.fs24.lh48.urdu.ar.rtl, body div.detail_txt.urdu (ad scripts and
# gpt- slots inside, and a "(جاری ہے)" continued line before an ad), tags in
# div.tagcloud.rtl.ar.urdu, and a visible date "جمعہ 18 جولائی 2025 19:55" in an element of
# its own, found by its month name and clock (no class of it is known).
_NAMES_A_MONTH = " or ".join(f"contains(., '{month}')" for month in URDU_MONTHS)
URDU_VISIBLE_DATE = (  # a short leaf element, outside the body, with a month name and a clock's ":"
    "//*[not(self::script or self::style or self::title or self::p or self::a or self::h1)][not(*)]"
    f"[not(ancestor::div[{has_class('detail_txt')}])][string-length(normalize-space()) < 60]"
    f"[contains(., ':')][{_NAMES_A_MONTH}]"
)
URDU_PAGE_HINTS = PageHints(
    body=f"//div[{has_class('detail_txt')} and {has_class('urdu')}]",
    article_url=URDU_ARTICLE_PATH,
    date=URDU_VISIBLE_DATE,
    tags=f"//div[{has_class('tagcloud')} and {has_class('urdu')}]//a",
    markers=("(جاری ہے)",),  # "continued": where the page breaks the story for an ad; not text
    furniture=(
        *SHARED_FURNITURE,
        f"//*[{has_class('tagcloud')}]",
        headed("متعلقہ خبریں", "مزید خبریں", "تازہ ترین خبریں", "تبصرے"),
    ),
)

URDUPOINT = Outlet(
    name="urdupoint",
    display_name="UrduPoint.com",
    public_base="https://www.urdupoint.com",
    host_aliases=("urdupoint.com", "daily.urdupoint.com"),
    path_aliases=(PathAlias("daily.urdupoint.com", "/livenews/", "/daily/livenews/"),),
    editions=(
        Edition("en", ARTICLE_PATH, PAGE_HINTS),
        Edition("ur", URDU_ARTICLE_PATH, URDU_PAGE_HINTS),
    ),
    timezone=ZoneInfo("Asia/Karachi"),
    title_suffixes=("UrduPoint", "Urdu Point"),
    dateline_brands=(
        r"(?i:urdu\s*p(?:oi|io|o)nt(?:\s*news)?|paki?stan\s*p(?:oi|io|o)nt(?:\s*news)?)",  # Piont, Pakstan
        # اُردو پوائنٹ, then the brand's words اخبار ("paper") and تازہ ترین ("latest news")
        r"ا\u064f?ردو\s*پوائنٹ(?:\s*اخبار)?(?:\s*تازہ\s*ترین)?",
    ),
    feeds=(Feed("/daily/livenews/rss.xml", "ur"), Feed("/en/sitemap/news.rss", "en")),
    listings=(
        Listing(
            "/en/news/{section}.html",
            sections=("pakistan", "world", "middle-east", "business", "sports", "health", "agriculture", "technology"),
            next_path="/en/news/{section}-updates{page}.html",
            entry="div.txt_box",
            language="en",
        ),
    ),
    dated_sitemap="/sitemap/daily/data/{day:%Y}/{day:%Y-%m-%d}.xml.gz",
    former_settings=(  # named after this outlet while it was the only one
        ("URDUPOINT_BASE_URL", "OUTLET_BASE_URL"),
        ("URDUPOINT_CATEGORIES", "OUTLET_SECTIONS"),
        ("URDUPOINT_MAX_LISTING_PAGES", "OUTLET_MAX_LISTING_PAGES"),
    ),
)

"""Generate the static mirror of UrduPoint from ``articles.json`` (English) and ``urdu_articles.json`` (Urdu).

``python -m tests.mirror.build`` rewrites ``tests/site/`` and ``tests/mirror/manifest.json``.
The output is byte-for-byte deterministic: sorted inputs, gzip with ``mtime=0``, JSON with
sorted keys, and no "now" anywhere (every date on a page comes from an article).

What is modelled on which fact (see the facts sheet the project was given, summarised here):

* URLs: articles at ``/en/<category>/<slug>-<id>.html``; the slug is the lower-cased title with
  runs of other characters turned into hyphens, cut at 45 characters (often mid-word); ids are
  one site-wide number rising with time.  Listings at ``/en/news/<category>.html`` then
  ``-updates2.html`` ...; each entry a ``div.txt_box`` with ``h4``, ``p`` and the author page
  link *before* the article link.  Author pages ``/en/team/<name>.html`` are not articles.
* Article page: container ``div.main_bar.fl.news_article``; ``h1`` title, a byline, ``h2``
  summary, ``span.article-date``, body ``div.detail_txt`` (paragraphs in ``p``; on the legacy
  template text directly in the div with ``<br><br>``; an ad slot ``div#gpt-...`` and an inline
  script mid-body), then ``div.social_sharer``, "Related Topics", "Recent Stories", "More Stories
  From <Category>" and a comments box, none of which is article text.  ``og:image`` is the site
  logo.  Several JSON-LD blocks; ``datePublished`` written ``+05:00`` except on the legacy template
  (``+0500``), and no NewsArticle block at all on the ``older`` template.
* Bylines (the ``template`` field): ``current`` "Fahad Shabbir (@FahadShabbir) Published March 23,
  2024 | 04:50 PM"; ``older`` "Faizan Hashmi 37 seconds ago Mon 30th November 2020 | 04:15 PM";
  ``dateonly`` "Published March 23, 2024"; ``legacy`` the older text in table markup.
* Datelines: the body's first paragraph is ``dateline + separator + paragraphs[0]``, where the
  separator is empty when the dateline ends with ``:`` (the site glues ``) :The``) and one space
  otherwise (``... 2024) The``).  See :func:`lead_paragraph`.
* RSS 2.0 at ``/en/sitemap/news.rss`` with absolute public links and item descriptions that begin
  with a brand prefix ``UrduPoint/UrduPoint / Pakistan Point News-<Month> <day><ord>, <year>``.
* Daily sitemaps ``/sitemap/daily/data/YYYY/YYYY-MM-DD.xml.gz``; their first two entries are not
  articles.  No sitemap index and no ``Sitemap:`` line in robots.txt (none was seen).
* Cloudflare: a "Just a moment..." challenge page answered with 503 at an article-like URL.

With ``extras=True`` the site also gets the awkward pages a crawler must survive (see
:data:`SPECIAL_PAGES` and the ``*_ID`` constants): a photo gallery at an article-like URL, the
challenge, a dead link, an article shell with an empty body, a robots-disallowed ``/en/private/``
page, a 301 from an old slug, the same article under a second category, an RSS link with tracking
parameters, a windows-1252 page served without a charset, a corrupt (truncated) day sitemap and an
Urdu URL in a day sitemap.  ``manifest.json`` lists them for the tests.

The Urdu edition (see the section "the Urdu edition" below) is written on days without English
articles, so that every English file is the same with or without it.
"""

from __future__ import annotations

import gzip
import json
import re
from datetime import datetime, timedelta
from email.utils import format_datetime
from html import escape
from pathlib import Path

HERE = Path(__file__).resolve().parent
ARTICLES_JSON = HERE / "articles.json"
MANIFEST_JSON = HERE / "manifest.json"
SITE_DIR = HERE.parent / "site"

PUBLIC_BASE = "https://www.urdupoint.com"
LOGO_URL = PUBLIC_BASE + "/en/images/logo/urdupoint-english-logo.png"
SLUG_LENGTH = 45
LISTING_PAGE_SIZE = 5
RSS_SIZE = 15
RECENT_STORIES = 8
MORE_STORIES = 5
ROBOTS_TXT = "User-agent: *\nDisallow: /en/search/\nDisallow: /en/private/\n"
BRAND_PREFIX = "UrduPoint/UrduPoint / Pakistan Point News"
CATEGORY_NAMES = {
    "pakistan": "Pakistan",
    "world": "World",
    "middle-east": "Middle East",
    "business": "Business",
    "sports": "Sports",
    "health": "Health",
    "agriculture": "Agriculture",
    "technology": "Technology",
}
VIDEOS_PATH = "/en/videos/news.html"

# --- extras: which real articles get the awkward treatment (skipped if the id is absent) ---
SEED_ID = 1652312  # the user's example article, "Blinken Presses Russia's Lavrov ..."
SECOND_CATEGORY = {1856255: "business"}  # also served, byte-identical, under /en/business/
REDIRECTED_FROM = {2052232: "NDMA Issues Advisory Ahead Of Rain Spell"}  # old title -> old slug, 301
RSS_TRACKING_ID = 2052310  # its RSS link carries utm_* parameters
RSS_TRACKING_QUERY = "utm_source=rss&utm_medium=feed&utm_campaign=news"
LEGACY_ENCODING_ID = 1856351  # written as windows-1252, served as text/html without charset
URDU_SITEMAP_URL = PUBLIC_BASE + "/daily/livenews/2023-03-02/news-3456789.html"  # not served
URDU_SITEMAP_DAY = "2023-03-02"
CORRUPT_SITEMAP_DAYS = ["2023-03-03"]  # a day with no articles; its file is truncated gzip
CHALLENGE_FILE = "_challenge.html"

# Pages that are linked like articles but are not articles (none is in articles.json).
SPECIAL_PAGES = [
    {"kind": "gallery", "category": "world", "id": 1650999, "author": None,
     "title": "Photo Gallery: G20 Leaders In New Delhi", "published_at": "2023-02-27T21:30:00+05:00",
     "summary": "Foreign ministers of the G20 countries arrive in New Delhi for their meeting"},
    {"kind": "challenge", "category": "business", "id": 1700001, "author": "Umer Jamshaid",
     "title": "State Bank Keeps Policy Rate Unchanged At 21 Percent", "published_at": "2023-06-12T16:40:00+05:00",
     "summary": "The State Bank of Pakistan kept its key policy rate unchanged at 21 percent"},
    {"kind": "missing", "category": "sports", "id": 1740345, "author": "Muhammad Rameez",
     "title": "PCB Names New Selection Committee For National Teams", "published_at": "2023-09-14T19:10:00+05:00",
     "summary": "The Pakistan Cricket Board announced a new selection committee for the national teams"},
    {"kind": "empty_body", "category": "pakistan", "id": 1856199, "author": "Sumaira FH",
     "title": "Punjab Cabinet Approves Draft Of Local Government Bill", "published_at": "2024-06-01T11:05:00+05:00",
     "summary": "The Punjab cabinet approved the draft of the local government bill"},
    {"kind": "private", "category": "private", "listed_in": "health", "id": 1856390, "author": "Zeeshan Mehtab",
     "title": "Draft Briefing Notes On Heatwave Preparedness", "published_at": "2024-06-01T21:40:00+05:00",
     "summary": "Internal notes for the health desk on heatwave preparedness",
     "paragraphs": [
         "These draft notes were prepared for the health desk and are not for publication.",
         "Reporters should confirm the number of heatstroke centres with the provincial health "
         "department before filing, and attribute casualty figures to hospital officials by name.",
         "Photographs from emergency wards need the consent of patients or their families.",
     ]},
]
GALLERY_CAPTIONS = [
    "Foreign ministers pose for a group photograph at the Rashtrapati Bhavan Cultural Centre",
    "Delegates arrive for the opening session of the meeting",
    "Indian Foreign Minister S. Jaishankar welcomes a delegate",
    "Ministers during a break in the talks",
]
COMMENTS = [
    ("Asad Mehmood", "Good step, hope it is implemented properly this time."),
    ("Nadia Khan", "Why is this news not on TV? Share it so everyone knows."),
    ("Bilal Ahmed", "Same story every year, nothing changes on the ground."),
    ("Ayesha Siddiqui", "Very informative, thank you UrduPoint."),
    ("Kamran", "Please also report about the situation in our area."),
]
TEAM_BIO = ("{name} is a desk editor at UrduPoint English. {name} edits national and wire news "
            "and has been with the English desk for several years.")


# ---------------------------------------------------------------- articles and URLs

def slugify(title: str) -> str:
    """The site's slug: lower-case, other characters to single hyphens, cut at 45 characters."""
    slug = re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")
    return slug[:SLUG_LENGTH].strip("-")


def load_articles() -> list[dict]:
    """The ground-truth article records from ``articles.json``."""
    return json.loads(ARTICLES_JSON.read_text(encoding="utf-8"))


def article_path(a: dict) -> str:
    """Path of an article (or special page) on the site, e.g. ``/en/world/slug-123.html``."""
    return f"/en/{a['category']}/{a.get('slug') or slugify(a['title'])}-{a['id']}.html"


def article_url(a: dict) -> str:
    """Public URL of an article: ``https://www.urdupoint.com/en/<category>/<slug>-<id>.html``."""
    return PUBLIC_BASE + article_path(a)


def public(path: str) -> str:
    return PUBLIC_BASE + path


def published(a: dict) -> datetime:
    return datetime.fromisoformat(a["published_at"])


def lead_paragraph(a: dict) -> str:
    """The body's first paragraph as the site writes it: dateline, separator, text."""
    dateline, text = a.get("dateline"), a["paragraphs"][0] if a["paragraphs"] else ""
    if not dateline:
        return text
    return dateline + ("" if dateline.endswith(":") else " ") + text


def body_paragraphs(a: dict) -> list[str]:
    return [lead_paragraph(a), *a["paragraphs"][1:]] if a["paragraphs"] else []


def newest_first(items: list[dict]) -> list[dict]:
    return sorted(items, key=lambda a: (published(a), a["id"]), reverse=True)


def category_name(category: str) -> str:
    return CATEGORY_NAMES.get(category, category.replace("-", " ").title())


def author_path(name: str) -> str:
    return f"/en/team/{slugify(name)}.html"


def listing_path(category: str, page: int = 1) -> str:
    return f"/en/news/{category}.html" if page == 1 else f"/en/news/{category}-updates{page}.html"


# ---------------------------------------------------------------- date formats

def ordinal(day: int) -> str:
    suffix = "th" if 11 <= day % 100 <= 13 else {1: "st", 2: "nd", 3: "rd"}.get(day % 10, "th")
    return f"{day}{suffix}"


def fmt_date_time(dt: datetime) -> str:
    """``March 02, 2023 | 05:20 PM`` (current template, More Stories)."""
    return dt.strftime("%B %d, %Y | %I:%M %p")


def fmt_date(dt: datetime) -> str:
    """``March 02, 2023`` (date-only template)."""
    return dt.strftime("%B %d, %Y")


def fmt_weekday_date_time(dt: datetime) -> str:
    """``Mon 30th November 2020 | 04:15 PM`` (older and legacy templates)."""
    return f"{dt:%a} {ordinal(dt.day)} {dt:%B %Y | %I:%M %p}"


def fmt_iso(dt: datetime, colon: bool = True) -> str:
    text = dt.isoformat()
    return text if colon else text[:-3] + text[-2:]


def fmt_rss_prefix(dt: datetime) -> str:
    """``UrduPoint/UrduPoint / Pakistan Point News-July 21st, 2026``."""
    return f"{BRAND_PREFIX}-{dt:%B} {ordinal(dt.day)}, {dt.year}"


def time_ago(a: dict) -> str:
    """A frozen relative time, as in stored copies of older pages ("37 seconds ago")."""
    n = a["id"] % 57 + 2
    return f"{n} seconds ago" if a["id"] % 2 else f"{n % 50 + 2} minutes ago"


# ---------------------------------------------------------------- page furniture

def esc(text: str) -> str:
    return escape(text, quote=False)


def attr(text: str) -> str:
    return escape(text, quote=True)


def json_ld(data: dict) -> str:
    text = json.dumps(data, ensure_ascii=False, indent=2).replace("</", "<\\/")
    return f'<script type="application/ld+json">\n{text}\n</script>'


HEAD_ADS = """<script async src="https://securepubads.g.doubleclick.net/tag/js/gpt.js"></script>
<script>
  window.googletag = window.googletag || {cmd: []};
  googletag.cmd.push(function() {
    googletag.defineSlot('/21800000000/UP_EN_Leaderboard', [[728, 90], [970, 90]], 'gpt-ad-leaderboard').addService(googletag.pubads());
    googletag.defineSlot('/21800000000/UP_EN_Sidebar', [300, 250], 'gpt-ad-sidebar').addService(googletag.pubads());
    googletag.pubads().enableSingleRequest();
    googletag.pubads().collapseEmptyDivs();
    googletag.enableServices();
  });
</script>
<script async src="https://pagead2.googlesyndication.com/pagead/js/adsbygoogle.js?client=ca-pub-0000000000000000" crossorigin="anonymous"></script>"""

ADSENSE = """<div class="ad_box ac">
<ins class="adsbygoogle" style="display:block" data-ad-client="ca-pub-0000000000000000" data-ad-slot="{slot}" data-ad-format="auto" data-full-width-responsive="true"></ins>
<script>(adsbygoogle = window.adsbygoogle || []).push({{}});</script>
</div>"""

GPT_SLOT = """<div id="{slot}" class="ad_box ac" style="min-height:250px;">
<script>
googletag.cmd.push(function() {{ googletag.defineSlot('/21800000000/UP_EN_InArticle', [300, 250], '{slot}').addService(googletag.pubads()); googletag.display('{slot}'); }});
</script>
</div>"""

PAGE = """<!DOCTYPE html>
<html {language}>
<head>
{charset}
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
{meta}
<link rel="stylesheet" href="{assets}/css/{stylesheet}">
<link rel="icon" href="/favicon.ico">
{head_ads}
{json_ld}
</head>
<body class="{body_class}">
{header}
<div class="container clearfix">
{main}
{sidebar}
</div>
{footer}
<script src="{assets}/js/main.js?v={version}" defer></script>
</body>
</html>
"""


def render_header(categories: list[str]) -> str:
    items = "\n".join(
        f'<li><a href="{listing_path(c)}">{esc(category_name(c))}</a></li>' for c in categories
    )
    return f"""<header class="header">
<div class="top_bar clearfix">
<a href="/en/" class="logo fl"><img src="/en/images/logo/urdupoint-english-logo.png" alt="UrduPoint" width="220" height="50"></a>
<div class="top_links fr"><a href="https://www.urdupoint.com/daily/" lang="ur">اردو</a> | <a href="/en/contact-us.html">Contact</a></div>
</div>
<nav class="main_nav">
<ul class="clearfix">
<li><a href="/en/">Home</a></li>
{items}
<li><a href="{VIDEOS_PATH}">Videos</a></li>
</ul>
</nav>
<div id="gpt-ad-leaderboard" class="ad_box ac" style="min-height:90px;">
<script>googletag.cmd.push(function() {{ googletag.display('gpt-ad-leaderboard'); }});</script>
</div>
</header>"""


FOOTER = """<footer class="footer">
<div class="container">
<ul class="footer_links clearfix">
<li><a href="/en/about-us.html">About Us</a></li>
<li><a href="/en/contact-us.html">Contact Us</a></li>
<li><a href="/en/team/">Our Team</a></li>
<li><a href="/en/sitemap/news.rss">RSS</a></li>
</ul>
<div class="social_links">
<a href="https://www.facebook.com/UrduPoint" rel="nofollow">Facebook</a>
<a href="https://twitter.com/UrduPoint" rel="nofollow">Twitter</a>
<a href="https://www.youtube.com/urdupoint" rel="nofollow">YouTube</a>
</div>
<p class="copyright">Copyright &copy; 1997-2025 UrduPoint.com All Rights Reserved.</p>
</div>
</footer>"""


def render_sidebar() -> str:
    return f"""<aside class="side_bar fr">
<div id="gpt-ad-sidebar" class="ad_box ac" style="min-height:250px;">
<script>googletag.cmd.push(function() {{ googletag.display('gpt-ad-sidebar'); }});</script>
</div>
<div class="side_box">
<h3 class="side_title">Watch</h3>
<a href="{VIDEOS_PATH}">Latest News Videos</a>
</div>
{ADSENSE.format(slot="5550001111")}
</aside>"""


def organization_ld() -> dict:
    return {
        "@context": "https://schema.org",
        "@type": "Organization",
        "name": "UrduPoint",
        "url": PUBLIC_BASE + "/en/",
        "logo": {"@type": "ImageObject", "url": LOGO_URL, "width": 220, "height": 50},
        "sameAs": [
            "https://www.facebook.com/UrduPoint",
            "https://twitter.com/UrduPoint",
            "https://www.youtube.com/urdupoint",
        ],
    }


def website_ld() -> dict:
    return {
        "@context": "https://schema.org",
        "@type": "WebSite",
        "name": "UrduPoint",
        "url": PUBLIC_BASE + "/en/",
        "potentialAction": {
            "@type": "SearchAction",
            "target": PUBLIC_BASE + "/en/search/?q={search_term_string}",
            "query-input": "required name=search_term_string",
        },
    }


def breadcrumb_ld(trail: list[tuple[str, str]]) -> dict:
    return {
        "@context": "https://schema.org",
        "@type": "BreadcrumbList",
        "itemListElement": [
            {"@type": "ListItem", "position": i, "name": name, "item": url}
            for i, (name, url) in enumerate(trail, start=1)
        ],
    }


def page(*, title: str, meta: str, main: str, categories: list[str], blocks: list[dict],
         body_class: str, legacy_charset: bool = False) -> str:
    charset = ('<meta http-equiv="Content-Type" content="text/html; charset=windows-1252">'
               if legacy_charset else '<meta charset="utf-8">')
    return PAGE.format(
        language='lang="en"', charset=charset, assets="/en/assets", stylesheet="style.css?v=2.41", version="2.41",
        title=esc(title), meta=meta, head_ads=HEAD_ADS,
        json_ld="\n".join(json_ld(b) for b in blocks), body_class=body_class,
        header=render_header(categories), main=main, sidebar=render_sidebar(), footer=FOOTER,
    )


def simple_meta(description: str, path: str, og_type: str = "website") -> str:
    return "\n".join([
        f'<meta name="description" content="{attr(description)}">',
        f'<link rel="canonical" href="{attr(public(path))}">',
        f'<meta property="og:type" content="{og_type}">',
        f'<meta property="og:url" content="{attr(public(path))}">',
        f'<meta property="og:image" content="{LOGO_URL}">',
    ])


# ---------------------------------------------------------------- article pages

def article_meta(a: dict) -> str:
    lines = [
        f'<meta name="description" content="{attr(a["summary"])}">',
        f'<meta name="keywords" content="{attr(", ".join(a["tags"]))}">',
        f'<meta name="author" content="{attr(a["author"])}">',
        f'<link rel="canonical" href="{attr(article_url(a))}">',
        '<meta property="og:site_name" content="UrduPoint">',
        f'<meta property="og:title" content="{attr(a["title"])}">',
        f'<meta property="og:description" content="{attr(a["summary"])}">',
        '<meta property="og:type" content="article">',
        f'<meta property="og:url" content="{attr(article_url(a))}">',
        f'<meta property="og:image" content="{LOGO_URL}">',
        '<meta name="twitter:card" content="summary_large_image">',
        '<meta name="twitter:site" content="@UrduPoint">',
    ]
    if a["template"] in ("current", "older"):
        lines.append(f'<meta property="article:published_time" content="{fmt_iso(published(a))}">')
        lines.append(f'<meta property="article:section" content="{attr(category_name(a["category"]))}">')
    return "\n".join(lines)


def modified(a: dict) -> datetime:
    return published(a) + timedelta(minutes=7 * (a["id"] % 3))


def news_article_ld(a: dict) -> dict:
    colon = a["template"] != "legacy"
    return {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "mainEntityOfPage": {"@type": "WebPage", "@id": article_url(a)},
        "headline": a["title"],
        "description": a["summary"],
        "image": {"@type": "ImageObject", "url": LOGO_URL, "width": 220, "height": 50},
        "datePublished": fmt_iso(published(a), colon),
        "dateModified": fmt_iso(modified(a), colon),
        "author": {"@type": "Person", "name": a["author"]},
        "publisher": {"@type": "Organization", "name": "UrduPoint",
                      "logo": {"@type": "ImageObject", "url": LOGO_URL}},
        "articleSection": category_name(a["category"]),
        "keywords": ", ".join(a["tags"]),
        "inLanguage": "en",
    }


def article_ld_blocks(a: dict) -> list[dict]:
    trail = [("Home", PUBLIC_BASE + "/en/"),
             (category_name(a["category"]), public(listing_path(a["category"]))),
             (a["title"], article_url(a))]
    blocks = [organization_ld(), website_ld(), breadcrumb_ld(trail)]
    if a["template"] != "older":  # the older template carries no NewsArticle block at all
        blocks.append(news_article_ld(a))
    return blocks


def render_byline(a: dict) -> str:
    name, template, dt = a["author"], a["template"], published(a)
    link = f'<a href="{author_path(name)}" class="author_name">{esc(name)}</a>'
    if template == "current":
        handle = a.get("author_handle")
        handle_html = (f' <a href="https://twitter.com/{attr(handle)}" class="author_handle" rel="nofollow">(@{esc(handle)})</a>'
                       if handle else "")
        return (f'<div class="byline fs12 mb10">{link}{handle_html}\n'
                f'<span class="published">Published</span> <span class="article-date">{fmt_date_time(dt)}</span></div>')
    if template == "older":
        return (f'<div class="byline fs12 mb10">{link} <span class="time_ago">{time_ago(a)}</span> '
                f'<span class="article-date">{fmt_weekday_date_time(dt)}</span></div>')
    if template == "dateonly":
        return f'<div class="byline fs12 mb10">{link} Published <span class="article-date">{fmt_date(dt)}</span></div>'
    if template == "legacy":
        return ('<table class="byline_tbl" width="100%" cellpadding="0" cellspacing="0"><tr>'
                f'<td class="fs12"><font color="#555555">{esc(name)}</font> <span class="time_ago">{time_ago(a)}</span> '
                f'<span class="article-date">{fmt_weekday_date_time(dt)}</span></td></tr></table>')
    raise ValueError(f"unknown template {template!r} for article {a['id']}")


def render_body(a: dict) -> str:
    """``div.detail_txt``: paragraphs, an ad slot with an inline script in the middle."""
    paras = [esc(p) for p in body_paragraphs(a)]
    if not paras:
        return '<div class="detail_txt">\n</div>'
    ad = GPT_SLOT.format(slot=f"gpt-ad-inarticle-{a['id']}")
    middle = (len(paras) + 1) // 2
    parts = []
    for i, p in enumerate(paras):
        if i == middle:
            parts.append(ad)
        if a["template"] == "legacy":  # text directly in the div; only the last paragraph in <p>
            parts.append(f"<p>{p}</p>" if i == len(paras) - 1 and len(paras) > 2 else f"{p}<br><br>")
        else:
            parts.append(f"<p>{p}</p>")
    if middle >= len(paras):
        parts.append(ad)
    return '<div class="detail_txt">\n' + "\n".join(parts) + "\n</div>"


def render_sharer(a: dict) -> str:
    url = article_url(a)
    return f"""<div class="social_sharer clearfix">
<span class="share_count"><b>{a['id'] % 90 + 3}</b> Shares</span>
<a class="share_fb" href="https://www.facebook.com/sharer/sharer.php?u={attr(url)}" rel="nofollow">Share</a>
<a class="share_tw" href="https://twitter.com/intent/tweet?url={attr(url)}" rel="nofollow">Tweet</a>
<a class="share_wa" href="https://api.whatsapp.com/send?text={attr(url)}" rel="nofollow">WhatsApp</a>
<span class="share_count"><b>{a['id'] % 7}</b> Comments</span>
</div>"""


def render_tags(a: dict) -> str:
    links = "\n".join(f'<a href="/en/tags/{slugify(t)}.html">{esc(t)}</a>' for t in a["tags"])
    return f'<div class="related_topics">\n<h3 class="sec_title">Related Topics</h3>\n<div class="tagcloud">\n{links}\n</div>\n</div>'


def teaser(a: dict, limit: int = 100) -> str:
    text = a["paragraphs"][0] if a["paragraphs"] else a["summary"]
    if len(text) <= limit:
        return text
    return text[:limit].rsplit(" ", 1)[0] + "..."


def neighbours(a: dict, pool: list[dict], count: int) -> list[dict]:
    """The ``count`` stories published just before ``a`` (wrapping round to the newest)."""
    ordered = newest_first(pool)
    start = next((i for i, b in enumerate(ordered) if (published(b), b["id"]) < (published(a), a["id"])), 0)
    rotated = ordered[start:] + ordered[:start]
    return [b for b in rotated if b["id"] != a["id"]][:count]


def render_recent(a: dict, articles: list[dict]) -> str:
    items = "\n".join(
        f'<li><a href="{article_path(b)}"><h5 class="fs14">{esc(b["title"])}</h5></a>'
        f'<p class="fs12 teaser">{esc(teaser(b))}</p></li>'
        for b in neighbours(a, articles, RECENT_STORIES)
    )
    return f'<div class="recent_stories">\n<h3 class="sec_title">Recent Stories</h3>\n<ul>\n{items}\n</ul>\n</div>'


def render_more(a: dict, articles: list[dict]) -> str:
    same = [b for b in articles if b["category"] == a["category"]]
    items = "\n".join(
        f'<li><a href="{article_path(b)}">{esc(b["title"])}</a> '
        f'<span class="article-date">{fmt_date_time(published(b))}</span></li>'
        for b in neighbours(a, same, MORE_STORIES)
    )
    return (f'<div class="more_stories">\n<h3 class="sec_title">More Stories From {esc(category_name(a["category"]))}</h3>\n'
            f'<ul>\n{items}\n</ul>\n</div>')


def render_comments(a: dict) -> str:
    user, text = COMMENTS[a["id"] % len(COMMENTS)]
    return f"""<div class="comments_area" id="comments">
<h3 class="sec_title">Comments</h3>
<form class="comment_form" action="/en/comments/post" method="post"><textarea name="comment" placeholder="Write your comment here"></textarea><button type="submit">Post Comment</button></form>
<ul class="comment_list"><li><b class="c_user">{esc(user)}</b> <span class="c_time">1 year ago</span><p class="c_text">{esc(text)}</p></li></ul>
</div>"""


def render_article(a: dict, articles: list[dict], categories: list[str], legacy_charset: bool = False) -> str:
    main = "\n".join([
        '<div class="main_bar fl news_article">',
        f'<div class="breadcrumb fs12"><a href="/en/">Home</a> &raquo; '
        f'<a href="{listing_path(a["category"])}">{esc(category_name(a["category"]))}</a></div>',
        f'<h1 class="fs24 lh40 mb10">{esc(a["title"])}</h1>',
        render_byline(a),
        f'<h2 class="fs16 lh28 mb20 summary">{esc(a["summary"])}</h2>',
        ADSENSE.format(slot=f"77{a['id'] % 100000:05d}"),
        render_body(a),
        render_sharer(a),
        render_tags(a),
        render_recent(a, articles),
        render_more(a, articles),
        render_comments(a),
        "</div>",
    ])
    return page(title=f"{a['title']} - UrduPoint", meta=article_meta(a), main=main, categories=categories,
                blocks=article_ld_blocks(a), body_class=f"news_detail tpl_{a['template']}",
                legacy_charset=legacy_charset)


# ---------------------------------------------------------------- special (non-article) pages

def render_gallery(s: dict, categories: list[str]) -> str:
    figures = "\n".join(
        f'<figure class="gallery_item"><img src="/en/images/gallery/{s["id"]}-{i}.jpg" alt="{attr(c)}" width="640" height="427">'
        f'<figcaption>{esc(c)}</figcaption></figure>'
        for i, c in enumerate(GALLERY_CAPTIONS, start=1)
    )
    main = (f'<div class="main_bar fl photo_gallery">\n<h1 class="fs24 lh40 mb10">{esc(s["title"])}</h1>\n'
            f'<div class="gallery">\n{figures}\n</div>\n</div>')
    trail = [("Home", PUBLIC_BASE + "/en/"), ("Photo Gallery", public(article_path(s)))]
    return page(title=f"{s['title']} - UrduPoint", meta=simple_meta(s["summary"], article_path(s)), main=main,
                categories=categories, blocks=[organization_ld(), breadcrumb_ld(trail)], body_class="gallery_page")


def render_shell(s: dict, articles: list[dict], categories: list[str]) -> str:
    """An article page whose text was removed (empty body), or a private one (never to be fetched)."""
    record = {"paragraphs": [], "dateline": None, "tags": [], "template": "current", "author_handle": None, **s}
    return render_article(record, articles, categories)


CHALLENGE_PAGE = """<!DOCTYPE html><html lang="en-US"><head><title>Just a moment...</title><meta http-equiv="Content-Type" content="text/html; charset=UTF-8"><meta http-equiv="X-UA-Compatible" content="IE=Edge"><meta name="robots" content="noindex,nofollow"><meta name="viewport" content="width=device-width,initial-scale=1"><link href="/cdn-cgi/styles/challenges.css" rel="stylesheet"></head><body class="no-js"><div class="main-wrapper" role="main"><div class="main-content"><h1 class="zone-name-title h1"><img class="heading-favicon" src="/favicon.ico" alt="Icon for www.urdupoint.com" onerror="this.onerror=null;this.parentNode.removeChild(this)">www.urdupoint.com</h1><h2 id="challenge-running" class="h2">Checking if the site connection is secure</h2><noscript><div id="challenge-error-title"><div class="h2"><span class="icon-wrapper"><div class="heading-icon warning-icon"></div></span><span id="challenge-error-text">Enable JavaScript and cookies to continue</span></div></div></noscript><div id="trk_jschal_js" style="display:none;background-image:url('/cdn-cgi/images/trace/managed/nojs/transparent.gif?ray={ray}')"></div><div class="cf-browser-verification cf-im-under-attack"><div id="challenge-body-text" class="core-msg spacer">www.urdupoint.com needs to review the security of your connection before proceeding.</div></div><form id="challenge-form" action="{path}?__cf_chl_f_tk=Qm9ndXNUb2tlbkZvclRoZU1pcnJvcg" method="POST" enctype="application/x-www-form-urlencoded"><input type="hidden" name="md" value="bW9jay1tZC12YWx1ZQ"></form></div></div><script>(function(){{window._cf_chl_opt={{cvId: '2',cZone: 'www.urdupoint.com',cType: 'managed',cNounce: '48213',cRay: '{ray}',cHash: 'a1b2c3d4e5f60718',cFPWv: 'b',cTTimeMs: '1000',cMTimeMs: '0',cTplV: 5,cTplB: 'cf',cK: "",cRq: {{ru: 'aHR0cHM6Ly93d3cudXJkdXBvaW50LmNvbQ',ra: 'TW96aWxsYS81LjA',rm: 'R0VU',d: 'bW9jaw',t: 'MTY4NjU2ODAwMC4wMDAwMDA',cT: 0,m: 'bW9jaw',i1: 'bW9jaw',i2: 'bW9jaw',zh: 'bW9jaw',uh: 'bW9jaw',hh: 'bW9jaw',}}}};var cpo = document.createElement('script');cpo.src = '/cdn-cgi/challenge-platform/h/b/orchestrate/managed/v1?ray={ray}';window._cf_chl_opt.cOgUHash = location.hash === '' && location.href.indexOf('#') !== -1 ? '#' : location.hash;window._cf_chl_opt.cOgUQuery = location.search === '' && location.href.slice(0, location.href.length - window._cf_chl_opt.cOgUHash.length).indexOf('?') !== -1 ? '?' : location.search;if (window.history && window.history.replaceState) {{var ogU = location.pathname + window._cf_chl_opt.cOgUQuery + window._cf_chl_opt.cOgUHash;history.replaceState(null, null, "{path}?__cf_chl_rt_tk=Qm9ndXNSdFRva2Vu" + window._cf_chl_opt.cOgUHash);cpo.onload = function() {{history.replaceState(null, null, ogU);}};}}document.getElementsByTagName('head')[0].appendChild(cpo);}}());</script><div class="footer" role="contentinfo"><div class="footer-inner"><div class="clearfix diagnostic-wrapper"><div class="ray-id">Ray ID: <code>{ray}</code></div></div><div class="text-center" id="footer-text">Performance &amp; security by <a rel="noopener noreferrer" href="https://www.cloudflare.com?utm_source=challenge&amp;utm_campaign=m" target="_blank">Cloudflare</a></div></div></div></body></html>
"""
CHALLENGE_RAY = "7d5e1f0a9b3c4d21"


def challenge_headers() -> dict:
    return {
        "Server": "cloudflare",
        "CF-RAY": f"{CHALLENGE_RAY}-KHI",
        "cf-mitigated": "challenge",
        "Cache-Control": "private, max-age=0, no-store, no-cache, must-revalidate, post-check=0, pre-check=0",
    }


# ---------------------------------------------------------------- listings, home, team, static

def listing_entry(e: dict) -> str:
    """One ``div.txt_box``: author link first (when shown), then the article link with the h4."""
    author = (f'<a href="{author_path(e["author"])}" class="author_link fs12">{esc(e["author"])}</a>\n'
              if e.get("show_author") else "")
    return (f'<li class="clearfix"><div class="txt_box">\n{author}'
            f'<a href="{e["href"]}" class="news_link"><h4 class="fs16 lh26">{esc(e["title"])}</h4></a>\n'
            f'<p class="fs14 lh24">{esc(e["summary"])}</p>\n</div></li>')


def render_pagination(category: str, page_no: int, pages: int) -> str:
    links = []
    if page_no > 1:
        links.append(f'<a href="{listing_path(category, page_no - 1)}" class="prev">Previous</a>')
    for n in range(1, pages + 1):
        links.append(f'<span class="current">{n}</span>' if n == page_no
                     else f'<a href="{listing_path(category, n)}">{n}</a>')
    if page_no < pages:
        links.append(f'<a href="{listing_path(category, page_no + 1)}" class="next">Next</a>')
    return '<div class="pagination ac">\n' + "\n".join(links) + "\n</div>"


def render_listing(category: str, entries: list[dict], page_no: int, pages: int, categories: list[str]) -> str:
    items = []
    for i, e in enumerate(entries):
        if i == 3:
            items.append(f'<li class="ad_item">{ADSENSE.format(slot="6660002222")}</li>')
        items.append(listing_entry(e))
    name = category_name(category)
    heading = f"{name} News" + (f" - Page {page_no}" if page_no > 1 else "")
    main = (f'<div class="main_bar fl news_listing">\n<h1 class="fs24 mb20">{esc(heading)}</h1>\n'
            f'<ul class="list_news">\n' + "\n".join(items) + "\n</ul>\n"
            + render_pagination(category, page_no, pages) + "\n</div>")
    path = listing_path(category, page_no)
    trail = [("Home", PUBLIC_BASE + "/en/"), (name, public(listing_path(category)))]
    return page(title=f"Latest {name} News, Breaking {name} News - UrduPoint", main=main, categories=categories,
                meta=simple_meta(f"Latest {name} news and updates from UrduPoint.", path),
                blocks=[organization_ld(), breadcrumb_ld(trail)], body_class="news_listing_page")


def listing_entries(articles: list[dict], extras: bool) -> dict[str, list[dict]]:
    """Entries per listing category, newest first: every article plus the extra links."""
    entries: dict[str, list[dict]] = {}

    def add(category, item, href, show_author=True):
        entries.setdefault(category, []).append({
            "href": href, "title": item["title"], "summary": item["summary"], "author": item.get("author"),
            "show_author": bool(item.get("author")) and show_author, "published_at": item["published_at"],
            "id": item["id"],
        })

    for a in articles:
        add(a["category"], a, article_path(a), show_author=a["template"] != "legacy")
        if extras and a["id"] in SECOND_CATEGORY:
            add(SECOND_CATEGORY[a["id"]], a, second_category_path(a))
    if extras:
        for s in SPECIAL_PAGES:
            add(s.get("listed_in", s["category"]), s, article_path(s))
    return {c: newest_first(items) for c, items in entries.items()}


def render_home(articles: list[dict], categories: list[str]) -> str:
    latest = [{"href": article_path(a), "title": a["title"], "summary": a["summary"], "author": a["author"],
               "show_author": True} for a in newest_first(articles)[:10]]
    sections = "\n".join(f'<li><a href="{listing_path(c)}">More {esc(category_name(c))} News</a></li>'
                         for c in categories)
    main = ('<div class="main_bar fl home">\n<h1 class="fs24 mb20">Latest News</h1>\n<ul class="list_news">\n'
            + "\n".join(listing_entry(e) for e in latest)
            + f'\n</ul>\n<ul class="sections">\n{sections}\n</ul>\n</div>')
    return page(title="UrduPoint - Latest Pakistan News, World News, Business and Sports", main=main,
                meta=simple_meta("Latest news from Pakistan and the world in English.", "/en/"),
                categories=categories, blocks=[organization_ld(), website_ld()], body_class="home_page")


def render_team_page(name: str, handle: str | None, articles: list[dict], categories: list[str]) -> str:
    mine = newest_first([a for a in articles if a["author"] == name])
    items = "\n".join(f'<li><a href="{article_path(a)}">{esc(a["title"])}</a> '
                      f'<span class="article-date">{fmt_date_time(published(a))}</span></li>' for a in mine)
    handle_html = (f'<p class="handle"><a href="https://twitter.com/{attr(handle)}" rel="nofollow">@{esc(handle)}</a></p>\n'
                   if handle else "")
    main = (f'<div class="main_bar fl team_profile">\n<h1 class="fs24 mb10">{esc(name)}</h1>\n{handle_html}'
            f'<p class="bio">{esc(TEAM_BIO.format(name=name))}</p>\n'
            f'<h3 class="sec_title">Stories by {esc(name)}</h3>\n<ul class="author_news">\n{items}\n</ul>\n</div>')
    person = {"@context": "https://schema.org", "@type": "ProfilePage",
              "mainEntity": {"@type": "Person", "name": name, "jobTitle": "Desk Editor"}}
    return page(title=f"{name} - UrduPoint", main=main, categories=categories, body_class="team_page",
                meta=simple_meta(f"Stories by {name}, desk editor at UrduPoint English.", author_path(name), "profile"),
                blocks=[organization_ld(), person])


def render_team_index(authors: list[str], categories: list[str]) -> str:
    items = "\n".join(f'<li><a href="{author_path(n)}">{esc(n)}</a></li>' for n in authors)
    main = f'<div class="main_bar fl team">\n<h1 class="fs24 mb20">Our Team</h1>\n<ul>\n{items}\n</ul>\n</div>'
    return page(title="Our Team - UrduPoint", main=main, categories=categories, body_class="team_page",
                meta=simple_meta("The UrduPoint English desk.", "/en/team/"), blocks=[organization_ld()])


def render_static(title: str, text: str, path: str, categories: list[str]) -> str:
    main = f'<div class="main_bar fl static_page">\n<h1 class="fs24 mb20">{esc(title)}</h1>\n<p>{esc(text)}</p>\n</div>'
    return page(title=f"{title} - UrduPoint", main=main, categories=categories, body_class="static_page",
                meta=simple_meta(text, path), blocks=[organization_ld()])


def render_videos(categories: list[str]) -> str:
    videos = ["Weather Update: Rain Expected In Upper Parts Of Country", "Gold Rates In Pakistan Today",
              "Dollar Rate In Pakistan Today", "Prayer Timings Today"]
    items = "\n".join(f'<li class="video_item"><iframe src="https://www.youtube.com/embed/mirror{i:04d}" '
                      f'width="320" height="180" loading="lazy" title="{attr(v)}"></iframe><h4>{esc(v)}</h4></li>'
                      for i, v in enumerate(videos, start=1))
    main = f'<div class="main_bar fl videos">\n<h1 class="fs24 mb20">Latest News Videos</h1>\n<ul>\n{items}\n</ul>\n</div>'
    return page(title="Latest News Videos - UrduPoint", main=main, categories=categories, body_class="videos_page",
                meta=simple_meta("Latest news videos from UrduPoint.", VIDEOS_PATH), blocks=[organization_ld()])


# ---------------------------------------------------------------- RSS and sitemaps

def second_category_path(a: dict) -> str:
    return article_path({**a, "category": SECOND_CATEGORY[a["id"]]})


def redirect_old_path(a: dict) -> str:
    return article_path({**a, "slug": slugify(REDIRECTED_FROM[a["id"]])})


def rss_link(a: dict, extras: bool) -> str:
    if extras and a["id"] in REDIRECTED_FROM:
        return public(redirect_old_path(a))
    if extras and a["id"] == RSS_TRACKING_ID:
        return f"{article_url(a)}?{RSS_TRACKING_QUERY}"
    return article_url(a)


def render_rss(articles: list[dict], extras: bool) -> str:
    newest = newest_first(articles)[:RSS_SIZE]
    items = []
    for a in newest:
        link, dt = esc(rss_link(a, extras)), published(a)
        items.append(f"""<item>
<title>{esc(a['title'])}</title>
<link>{link}</link>
<guid isPermaLink="true">{link}</guid>
<description>{esc(fmt_rss_prefix(dt) + ' ' + a['summary'])}</description>
<category>{esc(category_name(a['category']))}</category>
<pubDate>{format_datetime(dt)}</pubDate>
</item>""")
    build_date = format_datetime(published(newest[0])) if newest else ""
    return f"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom">
<channel>
<title>UrduPoint.com - Latest English News</title>
<link>{PUBLIC_BASE}/en/</link>
<description>Latest Pakistan, world, business and sports news in English from UrduPoint.com</description>
<language>en-us</language>
<lastBuildDate>{build_date}</lastBuildDate>
<atom:link href="{PUBLIC_BASE}/en/sitemap/news.rss" rel="self" type="application/rss+xml"/>
{chr(10).join(items)}
</channel>
</rss>
"""


def sitemap_path(day: str) -> str:
    return f"/sitemap/daily/data/{day[:4]}/{day}.xml.gz"


def sitemap_xml(urls: list[tuple[str, str | None]]) -> str:
    rows = []
    for loc, lastmod in urls:
        extra = f"<lastmod>{lastmod}</lastmod><changefreq>daily</changefreq>" if lastmod else "<changefreq>hourly</changefreq>"
        rows.append(f"<url><loc>{esc(loc)}</loc>{extra}</url>")
    return ('<?xml version="1.0" encoding="UTF-8"?>\n'
            '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n' + "\n".join(rows) + "\n</urlset>\n")


def gzip_bytes(text: str) -> bytes:
    return gzip.compress(text.encode("utf-8"), compresslevel=9, mtime=0)


def day_sitemaps(articles: list[dict], extras: bool) -> dict[str, bytes]:
    by_day: dict[str, list[dict]] = {}
    for a in articles:
        by_day.setdefault(a["published_at"][:10], []).append(a)
    if extras:
        for s in SPECIAL_PAGES:
            if s["kind"] == "empty_body" and s["published_at"][:10] in by_day:
                by_day[s["published_at"][:10]].append(s)
    files = {}
    for n, day in enumerate(sorted(by_day)):
        items = sorted(by_day[day], key=lambda a: (published(a), a["id"]))
        second = listing_path(items[0]["category"]) if n % 2 == 0 else VIDEOS_PATH
        urls = [(PUBLIC_BASE + "/en/", None), (public(second), None)]
        urls += [(article_url(a), a["published_at"]) for a in items]
        if extras and day == URDU_SITEMAP_DAY:
            urls.insert(3, (URDU_SITEMAP_URL, f"{day}T09:14:00+05:00"))
        files[sitemap_path(day)] = gzip_bytes(sitemap_xml(urls))
    if extras:
        for day in CORRUPT_SITEMAP_DAYS:
            urls = [(PUBLIC_BASE + "/en/", None), (public(VIDEOS_PATH), None)]
            urls += [(f"{PUBLIC_BASE}/daily/livenews/{day}/news-{3457000 + i}.html", f"{day}T1{i}:00:00+05:00")
                     for i in range(6)]
            data = gzip_bytes(sitemap_xml(urls))
            files[sitemap_path(day)] = data[: len(data) // 2]  # truncated: the stream never ends
    return files


# ---------------------------------------------------------------- the Urdu edition
#
# Written from the facts on the Urdu article page: ``/daily/livenews/YYYY-MM-DD/news-<N>.html``,
# right-to-left markup (``<html lang="ur" dir="rtl">``), title ``h1.fs24.lh48.urdu.ar.rtl``, a visible
# date ``جمعہ 18 جولائی 2025 19:55`` (weekday, day, Urdu month, year, 24-hour time; in Urdu or
# Arabic-Indic digits on some pages), body ``div.detail_txt.urdu`` with ad scripts
# (``googletag.cmd.push``) and ``gpt-`` slots inside and the "continued" marker ``(جاری ہے)``
# before the in-article ad, tags in ``div.tagcloud.rtl.ar.urdu``. Templates (``template``):
# ``current`` has a NewsArticle JSON-LD block (``datePublished`` written ``+0500``) and keywords;
# ``nojsonld`` has neither (the visible date and the tag cloud are all there is); ``legacy`` is
# that, with the text directly in the div between ``<br><br>`` (2015 pages). The feed is RSS 2.0
# at ``/daily/livenews/rss.xml`` (the newest :data:`URDU_RSS_SIZE`); the daily sitemaps list the
# Urdu articles of their day, the older days (:data:`URDU_OLD_HOST_DAYS`) under the old host
# ``daily.urdupoint.com/livenews/...``. Urdu articles are kept to days without English ones, so
# that the English edition's files stay exactly as they were.

URDU_ARTICLES_JSON = HERE / "urdu_articles.json"
URDU_RSS_PATH = "/daily/livenews/rss.xml"
URDU_RSS_SIZE = 20
URDU_LOGO_URL = PUBLIC_BASE + "/daily/images/logo/urdupoint-urdu-logo.png"
URDU_OLD_HOST = "http://daily.urdupoint.com"
URDU_OLD_HOST_DAYS = ["2015-02-14"]
CONTINUED = "(جاری ہے)"
URDU_WEEKDAYS = ["پیر", "منگل", "بدھ", "جمعرات", "جمعہ", "ہفتہ", "اتوار"]
URDU_MONTHS = ["جنوری", "فروری", "مارچ", "اپریل", "مئی", "جون", "جولائی", "اگست", "ستمبر", "اکتوبر", "نومبر", "دسمبر"]
URDU_DIGITS = {"ascii": "0123456789", "urdu": "۰۱۲۳۴۵۶۷۸۹", "arabic": "٠١٢٣٤٥٦٧٨٩"}
URDU_RELATED, URDU_MORE = 5, 4
URDU_SECTIONS = [("/daily/", "صفحہ اول"), ("/daily/livenews/", "تازہ ترین"), ("/daily/pakistan.html", "پاکستان"),
                 ("/daily/world.html", "بین الاقوامی"), ("/daily/sports.html", "کھیل"),
                 ("/daily/business.html", "کاروبار"), ("/daily/health.html", "صحت")]
URDU_COMMENTS = [("عمران", "اچھی خبر ہے، امید ہے عمل بھی ہوگا۔"), ("سائرہ", "حکومت کو اس مسئلے پر فوری توجہ دینی چاہیے۔"),
                 ("احمد علی", "ہمارے علاقے کی خبر بھی دیں۔")]


def load_urdu_articles() -> list[dict]:
    """The ground-truth Urdu article records from ``urdu_articles.json``."""
    return json.loads(URDU_ARTICLES_JSON.read_text(encoding="utf-8"))


def urdu_path(a: dict) -> str:
    """``/daily/livenews/2025-07-18/news-4381920.html``: the day is the Pakistan day of publication."""
    return f"/daily/livenews/{a['published_at'][:10]}/news-{a['id']}.html"


def urdu_url(a: dict) -> str:
    return PUBLIC_BASE + urdu_path(a)


def urdu_old_host_url(a: dict) -> str:
    """The same article on the old Urdu host: ``http://daily.urdupoint.com/livenews/...``."""
    return URDU_OLD_HOST + urdu_path(a).removeprefix("/daily")


def urdu_digits(text: str, digits: str) -> str:
    return text.translate(str.maketrans("0123456789", URDU_DIGITS[digits]))


def fmt_urdu_date(dt: datetime, digits: str = "ascii") -> str:
    """``جمعہ 18 جولائی 2025 19:55`` (weekday, day, month, year, 24-hour time) in the page's digits."""
    return urdu_digits(f"{URDU_WEEKDAYS[dt.weekday()]} {dt:%d} {URDU_MONTHS[dt.month - 1]} {dt:%Y %H:%M}", digits)


def fmt_iso_urdu(dt: datetime) -> str:
    """``2025-07-18T19:55:00+0500``: Urdu pages write the offset without a colon."""
    return fmt_iso(dt, colon=False)


def urdu_lead(a: dict) -> str:
    """The body's first paragraph: dateline, a space, text (Urdu datelines end with their parenthesis)."""
    return f"{a['dateline']} {a['paragraphs'][0]}" if a["dateline"] else a["paragraphs"][0]


def urdu_body_paragraphs(a: dict) -> list[str]:
    return [urdu_lead(a), *a["paragraphs"][1:]]


URDU_HEAD_ADS = """<script async src="https://securepubads.g.doubleclick.net/tag/js/gpt.js"></script>
<script>
  window.googletag = window.googletag || {cmd: []};
  googletag.cmd.push(function() {
    googletag.defineSlot('/21800000000/UP_UR_Leaderboard', [[728, 90], [970, 90]], 'gpt-ad-ur-leaderboard').addService(googletag.pubads());
    googletag.defineSlot('/21800000000/UP_UR_Sidebar', [300, 250], 'gpt-ad-ur-sidebar').addService(googletag.pubads());
    googletag.pubads().enableSingleRequest();
    googletag.enableServices();
  });
</script>
<script async src="https://pagead2.googlesyndication.com/pagead/js/adsbygoogle.js?client=ca-pub-0000000000000000" crossorigin="anonymous"></script>"""

URDU_GPT_SLOT = """<div id="{slot}" class="ad_box ac" style="min-height:250px;">
<script>
googletag.cmd.push(function() {{ googletag.defineSlot('/21800000000/UP_UR_InArticle', [300, 250], '{slot}').addService(googletag.pubads()); googletag.display('{slot}'); }});
</script>
</div>"""


def render_urdu_header() -> str:
    items = "\n".join(f'<li><a href="{path}">{esc(name)}</a></li>' for path, name in URDU_SECTIONS)
    return f"""<header class="header urdu rtl">
<div class="top_bar clearfix">
<a href="/daily/" class="logo fr"><img src="/daily/images/logo/urdupoint-urdu-logo.png" alt="اردو پوائنٹ" width="220" height="50"></a>
<div class="top_links fl ltr"><a href="/en/" lang="en" dir="ltr">English</a> | <a href="/daily/contact-us.html">رابطہ</a></div>
</div>
<nav class="main_nav urdu ar rtl">
<ul class="clearfix">
{items}
</ul>
</nav>
<div id="gpt-ad-ur-leaderboard" class="ad_box ac" style="min-height:90px;">
<script>googletag.cmd.push(function() {{ googletag.display('gpt-ad-ur-leaderboard'); }});</script>
</div>
</header>"""


URDU_FOOTER = """<footer class="footer urdu rtl">
<div class="container">
<ul class="footer_links clearfix">
<li><a href="/daily/about-us.html">ہمارے بارے میں</a></li>
<li><a href="/daily/contact-us.html">رابطہ</a></li>
<li><a href="/daily/livenews/rss.xml">آر ایس ایس</a></li>
<li><a href="/en/" lang="en" dir="ltr">UrduPoint English</a></li>
</ul>
<p class="copyright">جملہ حقوق محفوظ ہیں &copy; 1997-2025 UrduPoint.com</p>
</div>
</footer>"""


def render_urdu_sidebar(a: dict, urdu: list[dict]) -> str:
    popular = "\n".join(f'<li><a href="{urdu_path(b)}">{esc(b["title"])}</a></li>'
                        for b in neighbours(a, urdu, URDU_RELATED + URDU_MORE)[URDU_RELATED:])
    return f"""<aside class="side_bar fl urdu rtl">
<div id="gpt-ad-ur-sidebar" class="ad_box ac" style="min-height:250px;">
<script>googletag.cmd.push(function() {{ googletag.display('gpt-ad-ur-sidebar'); }});</script>
</div>
<div class="side_box urdu ar rtl">
<h3 class="side_title">مقبول خبریں</h3>
<ul>
{popular}
</ul>
</div>
{ADSENSE.format(slot="5550003333")}
</aside>"""


def urdu_article_meta(a: dict) -> str:
    url = attr(urdu_url(a))
    lines = [f'<meta name="description" content="{attr(a["summary"])}">']
    if a["template"] == "current":
        lines.append(f'<meta name="keywords" content="{attr(", ".join(a["tags"]))}">')
    lines += [
        f'<link rel="canonical" href="{url}">',
        '<meta property="og:site_name" content="UrduPoint">',
        '<meta property="og:locale" content="ur_PK">',
        f'<meta property="og:title" content="{attr(a["title"])}">',
        f'<meta property="og:description" content="{attr(a["summary"])}">',
        '<meta property="og:type" content="article">',
        f'<meta property="og:url" content="{url}">',
        f'<meta property="og:image" content="{URDU_LOGO_URL}">',
        '<meta name="twitter:card" content="summary_large_image">',
    ]
    return "\n".join(lines)


def urdu_ld_blocks(a: dict) -> list[dict]:
    organization = {**organization_ld(), "url": PUBLIC_BASE + "/daily/",
                    "logo": {"@type": "ImageObject", "url": URDU_LOGO_URL, "width": 220, "height": 50}}
    trail = [("صفحہ اول", PUBLIC_BASE + "/daily/"), ("تازہ ترین خبریں", PUBLIC_BASE + "/daily/livenews/"),
             (a["title"], urdu_url(a))]
    blocks = [organization, breadcrumb_ld(trail)]
    if a["template"] == "current":
        blocks.append({
            "@context": "https://schema.org",
            "@type": "NewsArticle",
            "mainEntityOfPage": {"@type": "WebPage", "@id": urdu_url(a)},
            "headline": a["title"],
            "description": a["summary"],
            "image": {"@type": "ImageObject", "url": URDU_LOGO_URL, "width": 220, "height": 50},
            "datePublished": fmt_iso_urdu(published(a)),
            "dateModified": fmt_iso_urdu(modified(a)),
            "publisher": {"@type": "Organization", "name": "UrduPoint", "logo": {"@type": "ImageObject", "url": URDU_LOGO_URL}},
            "keywords": ", ".join(a["tags"]),
            "inLanguage": "ur",
        })
    return blocks


def render_urdu_body(a: dict) -> str:
    """``div.detail_txt.urdu``: the paragraphs, ``(جاری ہے)`` after paragraph ``continued_after`` (its own
    paragraph, or the end of that one), then the in-article ad slot; an AdSense unit before the last."""
    ad = URDU_GPT_SLOT.format(slot=f"gpt-ad-ur-inarticle-{a['id']}")
    legacy = a["template"] == "legacy"
    parts = []
    paragraphs = urdu_body_paragraphs(a)
    for i, text in enumerate(paragraphs):
        if i == len(paragraphs) - 1 and i > a["continued_after"] + 1:
            parts.append(ADSENSE.format(slot=f"88{a['id'] % 100000:05d}"))
        glued = i == a["continued_after"] and a["continued"] == "end_of_paragraph"
        body = esc(text) + (f" {CONTINUED}" if glued else "")
        parts.append(f"{body}<br><br>" if legacy else f"<p>{body}</p>")
        if i == a["continued_after"]:
            if not glued:
                parts.append(f"{CONTINUED}<br><br>" if legacy else f"<p>{CONTINUED}</p>")
            parts.append(ad)
    return '<div class="detail_txt urdu ar rtl fs18 lh48">\n' + "\n".join(parts) + "\n</div>"


def render_urdu_article(a: dict, urdu: list[dict]) -> str:
    dt = published(a)
    sharer = f"""<div class="social_sharer clearfix urdu rtl">
<span class="share_count"><b>{a['id'] % 90 + 3}</b> شیئرز</span>
<a class="share_fb" href="https://www.facebook.com/sharer/sharer.php?u={attr(urdu_url(a))}" rel="nofollow">فیس بک</a>
<a class="share_tw" href="https://twitter.com/intent/tweet?url={attr(urdu_url(a))}" rel="nofollow">ٹویٹر</a>
<a class="share_wa" href="https://api.whatsapp.com/send?text={attr(urdu_url(a))}" rel="nofollow">واٹس ایپ</a>
</div>"""
    tags = "\n".join(f'<a href="/daily/tags/{attr(t.replace(" ", "-"))}.html">{esc(t)}</a>' for t in a["tags"])
    near = neighbours(a, urdu, URDU_RELATED + URDU_MORE)
    related = "\n".join(f'<li><a href="{urdu_path(b)}">{esc(b["title"])}</a> '
                        f'<span class="date">{fmt_urdu_date(published(b))}</span></li>' for b in near[:URDU_RELATED])
    more = "\n".join(f'<li><a href="{urdu_path(b)}"><h5 class="fs16">{esc(b["title"])}</h5></a>'
                     f'<p class="fs14 teaser">{esc(teaser(b, 80))}</p></li>' for b in near[URDU_RELATED:])
    user, comment = URDU_COMMENTS[a["id"] % len(URDU_COMMENTS)]
    main = "\n".join([
        '<div class="main_bar fr urdu_news">',
        ('<div class="breadcrumb urdu ar rtl fs14"><a href="/daily/">صفحہ اول</a> &raquo; '
         '<a href="/daily/livenews/">تازہ ترین خبریں</a></div>'),
        f'<h1 class="fs24 lh48 urdu ar rtl">{esc(a["title"])}</h1>',
        (f'<div class="news_info urdu ar rtl fs14 mb10"><span class="date">{fmt_urdu_date(dt, a["date_digits"])}</span> '
         f'<span class="views">{a["id"] % 9000 + 120} مرتبہ پڑھی گئی</span></div>'),
        ADSENSE.format(slot=f"99{a['id'] % 100000:05d}"),
        render_urdu_body(a),
        sharer,
        f'<div class="tagcloud rtl ar urdu">\n{tags}\n</div>',
        f'<div class="related_news urdu ar rtl">\n<h3 class="sec_title">متعلقہ خبریں</h3>\n<ul>\n{related}\n</ul>\n</div>',
        f'<div class="more_news urdu ar rtl">\n<h3 class="sec_title">مزید خبریں</h3>\n<ul>\n{more}\n</ul>\n</div>',
        ('<div class="comments_area urdu rtl" id="comments">\n<h3 class="sec_title">تبصرے</h3>\n'
         '<form class="comment_form" action="/daily/comments/post" method="post"><textarea name="comment" '
         'placeholder="اپنا تبصرہ یہاں لکھیں"></textarea><button type="submit">تبصرہ بھیجیں</button></form>\n'
         f'<ul class="comment_list"><li><b class="c_user">{esc(user)}</b><p class="c_text">{esc(comment)}</p></li></ul>\n</div>'),
        "</div>",
    ])
    return PAGE.format(
        language='lang="ur" dir="rtl"', charset='<meta charset="utf-8">', assets="/daily/assets",
        stylesheet="urdu.css?v=3.12", version="3.12", title=esc(f"{a['title']} - UrduPoint"), meta=urdu_article_meta(a), head_ads=URDU_HEAD_ADS,
        json_ld="\n".join(json_ld(b) for b in urdu_ld_blocks(a)), body_class=f"urdu_news_detail tpl_{a['template']}",
        header=render_urdu_header(), main=main, sidebar=render_urdu_sidebar(a, urdu), footer=URDU_FOOTER,
    )


def render_urdu_rss(urdu: list[dict]) -> str:
    newest = newest_first(urdu)[:URDU_RSS_SIZE]
    items = "\n".join(f"""<item>
<title>{esc(a['title'])}</title>
<link>{esc(urdu_url(a))}</link>
<guid isPermaLink="true">{esc(urdu_url(a))}</guid>
<description>{esc(a['summary'])}</description>
<pubDate>{format_datetime(published(a))}</pubDate>
</item>""" for a in newest)
    build_date = format_datetime(published(newest[0])) if newest else ""
    return f"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom">
<channel>
<title>اردو پوائنٹ - تازہ ترین خبریں</title>
<link>{PUBLIC_BASE}/daily/</link>
<description>پاکستان اور دنیا بھر کی تازہ ترین خبریں</description>
<language>ur</language>
<lastBuildDate>{build_date}</lastBuildDate>
<atom:link href="{PUBLIC_BASE}{URDU_RSS_PATH}" rel="self" type="application/rss+xml"/>
{items}
</channel>
</rss>
"""


def urdu_sitemap_loc(a: dict) -> str:
    return urdu_old_host_url(a) if a["published_at"][:10] in URDU_OLD_HOST_DAYS else urdu_url(a)


def urdu_day_sitemaps(urdu: list[dict]) -> dict[str, bytes]:
    """A sitemap per day with Urdu articles: two pages that are not articles, then the day's articles."""
    by_day: dict[str, list[dict]] = {}
    for a in urdu:
        by_day.setdefault(a["published_at"][:10], []).append(a)
    files = {}
    for day, items in sorted(by_day.items()):
        urls = [(PUBLIC_BASE + "/daily/", None), (PUBLIC_BASE + "/daily/livenews/", None)]
        urls += [(urdu_sitemap_loc(a), fmt_iso(published(a))) for a in sorted(items, key=lambda a: (published(a), a["id"]))]
        files[sitemap_path(day)] = gzip_bytes(sitemap_xml(urls))
    return files


def urdu_site_files(urdu: list[dict]) -> dict[str, str | bytes]:
    urdu = sorted(urdu, key=lambda a: a["id"])
    files: dict[str, str | bytes] = {urdu_path(a)[1:]: render_urdu_article(a, urdu) for a in urdu}
    if urdu:
        files[URDU_RSS_PATH[1:]] = render_urdu_rss(urdu)
    files.update({path[1:]: data for path, data in urdu_day_sitemaps(urdu).items()})
    return files


def build_urdu_manifest(urdu: list[dict]) -> dict:
    urdu = sorted(urdu, key=lambda a: a["id"])
    in_rss = {urdu_url(a) for a in newest_first(urdu)[:URDU_RSS_SIZE]}
    old = [a for a in urdu if a["published_at"][:10] in URDU_OLD_HOST_DAYS]
    return {
        "articles": [urdu_url(a) for a in urdu],
        "rss": public(URDU_RSS_PATH),
        "rss_articles": sorted(in_rss),
        "sitemap_days": sorted({a["published_at"][:10] for a in urdu}),
        "sitemap_only": [urdu_url(a) for a in urdu if urdu_url(a) not in in_rss],
        "old_host_links": {urdu_old_host_url(a): urdu_url(a) for a in old},
    }


# ---------------------------------------------------------------- the whole site

def present(articles: list[dict], ids) -> list[dict]:
    return [a for a in articles if a["id"] in ids]


def categories_of(articles: list[dict], extras: bool) -> list[str]:
    cats = {a["category"] for a in articles}
    if extras:
        cats |= {s.get("listed_in", s["category"]) for s in SPECIAL_PAGES}
        cats |= {c for i, c in SECOND_CATEGORY.items() if present(articles, {i})}
    order = list(CATEGORY_NAMES)
    return sorted(cats, key=lambda c: (order.index(c) if c in order else len(order), c))


def authors_of(articles: list[dict], extras: bool) -> dict[str, str | None]:
    authors = {a["author"]: None for a in articles}
    for a in articles:
        authors[a["author"]] = authors[a["author"]] or a.get("author_handle")
    if extras:
        for s in SPECIAL_PAGES:
            if s.get("author"):
                authors.setdefault(s["author"], None)
    return dict(sorted(authors.items()))


def site_files(articles: list[dict], extras: bool = True, urdu: list[dict] | None = None) -> dict[str, bytes]:
    """Every file of the site, keyed by path relative to the document root.

    ``urdu``: the Urdu edition's articles; None is the bundled ones (``urdu_articles.json``).
    """
    urdu = load_urdu_articles() if urdu is None else urdu
    articles = sorted(articles, key=lambda a: a["id"])
    categories = categories_of(articles, extras)
    files: dict[str, str | bytes] = {"robots.txt": ROBOTS_TXT}

    for a in articles:
        legacy = extras and a["id"] == LEGACY_ENCODING_ID
        html = render_article(a, articles, categories, legacy_charset=legacy)
        data = html.encode("cp1252", "xmlcharrefreplace") if legacy else html.encode("utf-8")
        files[article_path(a)[1:]] = data
        if extras and a["id"] in SECOND_CATEGORY:
            files[second_category_path(a)[1:]] = data  # same bytes; canonical names the primary URL

    if extras:
        for s in SPECIAL_PAGES:
            if s["kind"] == "gallery":
                files[article_path(s)[1:]] = render_gallery(s, categories)
            elif s["kind"] in ("empty_body", "private"):
                files[article_path(s)[1:]] = render_shell(s, articles, categories)
            elif s["kind"] == "challenge":
                files[CHALLENGE_FILE] = CHALLENGE_PAGE.format(ray=CHALLENGE_RAY, path=article_path(s))

    for category, entries in listing_entries(articles, extras).items():
        chunks = [entries[i:i + LISTING_PAGE_SIZE] for i in range(0, len(entries), LISTING_PAGE_SIZE)]
        for n, chunk in enumerate(chunks, start=1):
            files[listing_path(category, n)[1:]] = render_listing(category, chunk, n, len(chunks), categories)

    authors = authors_of(articles, extras)
    for name, handle in authors.items():
        files[author_path(name)[1:]] = render_team_page(name, handle, articles, categories)
    files["en/team/index.html"] = render_team_index(list(authors), categories)
    files["en/index.html"] = render_home(articles, categories)
    files[VIDEOS_PATH[1:]] = render_videos(categories)
    files["en/about-us.html"] = render_static(
        "About Us", "UrduPoint.com is a Pakistani news and information portal in Urdu and English.",
        "/en/about-us.html", categories)
    files["en/contact-us.html"] = render_static(
        "Contact Us", "For news tips and corrections write to the English desk.", "/en/contact-us.html", categories)
    files["en/sitemap/news.rss"] = render_rss(articles, extras)
    files.update({path[1:]: data for path, data in day_sitemaps(articles, extras).items()})
    urdu_files = urdu_site_files(urdu)
    if clash := sorted(set(urdu_files) & set(files)):  # a day sitemap: the English one would change
        raise ValueError(f"Urdu articles must fall on days without English ones: {clash}")
    files.update(urdu_files)
    files["_routes.json"] = dump_json(build_routes(articles, extras))
    files["_manifest.json"] = dump_json(build_manifest(articles, extras, urdu))
    return {path: data if isinstance(data, bytes) else data.encode("utf-8") for path, data in sorted(files.items())}


def build_routes(articles: list[dict], extras: bool = True) -> dict:
    """``_routes.json`` for :class:`tests.mirror.server.MirrorServer`."""
    routes: dict = {"redirects": {}, "status": {}, "content_types": {}, "headers": {}}
    if not extras:
        return routes
    for a in present(articles, REDIRECTED_FROM):
        routes["redirects"][redirect_old_path(a)] = [301, article_path(a)]
    for a in present(articles, {LEGACY_ENCODING_ID}):
        routes["content_types"][article_path(a)] = "text/html"
    for s in SPECIAL_PAGES:
        if s["kind"] == "challenge":
            routes["status"][article_path(s)] = [503, CHALLENGE_FILE]
            routes["headers"][article_path(s)] = challenge_headers()
    return routes


def build_manifest(articles: list[dict], extras: bool = True, urdu: list[dict] | None = None) -> dict:
    """What the tests need to know about the site, in public URLs; the Urdu edition under ``urdu``."""
    urdu = load_urdu_articles() if urdu is None else urdu
    articles = sorted(articles, key=lambda a: a["id"])
    aliases, special = {}, {}
    days = sorted({a["published_at"][:10] for a in articles})
    if extras:
        for a in present(articles, SECOND_CATEGORY):
            aliases[public(second_category_path(a))] = article_url(a)
            special["second_category"] = public(second_category_path(a))
        for a in present(articles, REDIRECTED_FROM):
            aliases[public(redirect_old_path(a))] = article_url(a)
            special["redirect"] = public(redirect_old_path(a))
        for a in present(articles, {RSS_TRACKING_ID}):
            if a in newest_first(articles)[:RSS_SIZE]:
                aliases[rss_link(a, True)] = article_url(a)
                special["tracking"] = rss_link(a, True)
        for s in SPECIAL_PAGES:
            special[s["kind"]] = article_url(s)
        if URDU_SITEMAP_DAY in days:
            special["urdu_in_sitemap"] = URDU_SITEMAP_URL
    legacy = present(articles, {LEGACY_ENCODING_ID}) if extras else []
    if legacy:
        special["legacy_encoding"] = article_url(legacy[0])
    team = [public(author_path(n)) for n in authors_of(articles, extras)]
    not_articles = team + [u for k, u in special.items()
                           if k in ("gallery", "challenge", "missing", "empty_body", "private", "urdu_in_sitemap")]
    seed = present(articles, {SEED_ID})
    categories = categories_of(articles, extras)
    entries = listing_entries(articles, extras)
    return {
        "articles": [article_url(a) for a in articles],
        "aliases": dict(sorted(aliases.items())),
        "not_articles": sorted(not_articles),
        "legacy_encoding": article_url(legacy[0]) if legacy else None,
        "sitemap_days": days,
        "corrupt_sitemap_days": list(CORRUPT_SITEMAP_DAYS) if extras else [],
        "seed": article_url(seed[0]) if seed else None,
        "special_pages": dict(sorted(special.items())),
        "robots_disallowed": [special["private"]] if "private" in special else [],
        "rss": public("/en/sitemap/news.rss"),
        "rss_size": min(RSS_SIZE, len(articles)),
        "urdu": build_urdu_manifest(urdu),
        "listings": {c: [public(listing_path(c, n))
                         for n in range(1, (len(entries.get(c, [])) - 1) // LISTING_PAGE_SIZE + 2)]
                     for c in categories},
    }


def dump_json(data) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def build_site(articles: list[dict], out_dir: Path, extras: bool = True, urdu: list[dict] | None = None) -> None:
    """Write the whole static site under ``out_dir`` (URL path = file path).

    ``articles`` are the English edition's; ``urdu`` the Urdu edition's (None: the bundled
    ``urdu_articles.json``, [] for none). Files under ``out_dir`` that the build does not
    produce are deleted, so the directory is exactly the site.
    """
    out_dir = Path(out_dir)
    files = site_files(articles, extras, urdu)
    for rel, data in files.items():
        target = out_dir / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        if not target.exists() or target.read_bytes() != data:
            target.write_bytes(data)
    for old in sorted(out_dir.rglob("*"), reverse=True):
        rel = old.relative_to(out_dir).as_posix()
        if old.is_file() and rel not in files:
            old.unlink()
        elif old.is_dir() and not any(old.iterdir()):
            old.rmdir()


def main() -> None:
    articles, urdu = load_articles(), load_urdu_articles()
    build_site(articles, SITE_DIR, urdu=urdu)
    MANIFEST_JSON.write_text(dump_json(build_manifest(articles, urdu=urdu)), encoding="utf-8")
    print(f"wrote {SITE_DIR} ({len(articles)} English and {len(urdu)} Urdu articles) and {MANIFEST_JSON}")


if __name__ == "__main__":
    main()

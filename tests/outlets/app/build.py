"""Build the APP mirror (``site/``) and its ``manifest.json`` from ``articles.py``.

The pages follow the real site's shapes (see ``crawler/outlets/app.py``): WordPress with the
tagDiv theme, Yoast-style meta and JSON-LD graph (times in UTC there, in Pakistan time in the
page's ``<time>``), the summary-only RSS feed, category listings paged ``/page/<n>/``, and
the hazards of real bodies. Deterministic: ``python -m tests.outlets.app.build``.
"""

import html
import json
import re
from datetime import datetime, timezone
from email.utils import format_datetime
from pathlib import Path

from tests.outlets.app.articles import ARTICLES, PHOTO
from tests.outlets.mirror import expected_article, write_mirror

HERE = Path(__file__).resolve().parent
SITE = HERE / "site"
BASE = "https://www.app.com.pk"
SITE_NAME = "Associated Press Of Pakistan"
DATELINE = re.compile(r"^(?P<place>[A-Z]+(?:, [A-Z][a-z]+)?), [A-Z][a-z]+ \d\d? \((?:(?P<partner>[A-Za-z]+)/)?APP\):\s*")
LISTING_PAGES = {"national": ("National", 2), "business": ("Business", 1)}
BY_LINE = "By Saima Qureshi"
DESK_CODE = "APP/sqr-mnh"
TWEET_URL = "https://x.com/PakinKazakhstan/status/1765702230045001234"
VIDEO_FILE = "https://www.app.com.pk/wp-content/uploads/2024/03/kiln-drive.mp4"
AD = ('<p><ins class="adsbygoogle" style="display:block; text-align:center;" data-ad-layout="in-article" '
      'data-ad-format="fluid" data-ad-client="ca-pub-0000000000000000" data-ad-slot="1234567890"></ins>'
      "<script>(adsbygoogle=window.adsbygoogle||[]).push({});</script></p>")


def e(text: str) -> str:
    return html.escape(text, quote=True)


def when(article: dict) -> datetime:
    return datetime.fromisoformat(article["published"])


def url_of(article: dict) -> str:
    return f"{BASE}/{article['category']}/{article['slug']}/"


def page(title: str, head: str, body_class: str, main: str) -> str:
    return f"""<!doctype html >
<!--[if IE 8]>    <html class="ie8" lang="en"> <![endif]-->
<html lang="en-US">
<head>
<title>{e(title)}</title>
<meta charset="UTF-8" />
<meta name="viewport" content="width=device-width, initial-scale=1.0">
{head}
<link rel="alternate" type="application/rss+xml" title="{SITE_NAME} &raquo; Feed" href="{BASE}/feed/" />
<link rel='stylesheet' id='td-theme-css' href='{BASE}/wp-content/themes/Newspaper/style.css?ver=12.6.3' type='text/css' media='all' />
<script async src="https://pagead2.googlesyndication.com/pagead/js/adsbygoogle.js?client=ca-pub-0000000000000000" crossorigin="anonymous"></script>
</head>
<body class="{body_class} td-standard-pack global-block-template-1 tdb-template td-full-layout" itemscope="itemscope" itemtype="https://schema.org/WebPage">
<div class="td-scroll-up"><i class="td-icon-menu-up"></i></div>
<div id="td-outer-wrap" class="td-theme-wrap">
<div class="td-header-template-wrap">
  <div class="td-header-desktop-wrap"><a class="tdb-logo-a" href="{BASE}/"><img class="tdb-logo-img" src="{BASE}/wp-content/uploads/2021/03/app-logo.png" alt="APP"></a>
  <ul class="sf-menu"><li><a href="{BASE}/national/">National</a></li><li><a href="{BASE}/business/">Business</a></li>
  <li><a href="{BASE}/global/">International</a></li><li><a href="{BASE}/sports/">Sports</a></li>
  <li><a href="{BASE}/latest-news/">Latest News</a></li><li><a href="{BASE}/photos-section/">Photos</a></li></ul></div>
</div>
{main}
<div class="td-footer-template-wrap"><div class="tdb-block-inner">
  <p>Copyright &copy; 2024 APP. All Rights Reserved.</p>
  <ul><li><a href="{BASE}/about-us/">About Us</a></li><li><a href="{BASE}/contact-us/">Contact Us</a></li></ul>
</div></div>
</div>
</body>
</html>
"""


def body_html(article: dict) -> str:
    """The story's paragraphs with the hazards its ``extras`` name, as the site serves them."""
    extras = article["extras"]
    paragraphs = [e(text) for text in article["paragraphs"]]
    if "digital_news_label" in extras:
        dateline = DATELINE.match(article["paragraphs"][0])
        first = article["paragraphs"][0]
        paragraphs[0] = e(first[:dateline.end()] + "APP Digital News" + first[dateline.end():])
    blocks = [f"<p>{text}</p>" for text in paragraphs]
    if "ads" in extras:
        blocks.insert(2, AD)
        blocks.insert(5, AD)
    if "tweet" in extras:
        blocks.insert(3, f"<p>{TWEET_URL}</p>")
    if "by_line" in extras:
        blocks.insert(0, f"<p><strong>{BY_LINE}</strong></p>")
    if "video" in extras:
        blocks.insert(0, (
            f'<div style="width: 640px;" class="wp-video"><video class="wp-video-shortcode" id="video-1-1" '
            f'width="640" height="360" preload="metadata" controls="controls">'
            f'<source type="video/mp4" src="{VIDEO_FILE}?_=1" /><a href="{VIDEO_FILE}">{VIDEO_FILE}</a></video></div>'
        ))
    if "desk_code" in extras:
        blocks.append(f"<p>{DESK_CODE}</p>")
    return "\n".join(blocks)


def yoast_head(article: dict) -> str:
    published_utc = when(article).astimezone(timezone.utc).isoformat()
    graph = {
        "@context": "https://schema.org",
        "@graph": [
            {"@type": "Article", "@id": url_of(article) + "#article", "isPartOf": {"@id": url_of(article)},
             "author": {"name": "APP", "@id": f"{BASE}/#/schema/person/1"}, "headline": article["title"],
             "datePublished": published_utc, "dateModified": published_utc,
             "mainEntityOfPage": {"@id": url_of(article)}, "publisher": {"@id": f"{BASE}/#organization"},
             "articleSection": [article["category"].replace("-", " ").title()], "inLanguage": "en-US"},
            {"@type": "WebPage", "@id": url_of(article), "url": url_of(article),
             "name": f"{article['title']} - {SITE_NAME}", "datePublished": published_utc,
             "breadcrumb": {"@id": url_of(article) + "#breadcrumb"}, "inLanguage": "en-US"},
            {"@type": "Organization", "@id": f"{BASE}/#organization", "name": SITE_NAME, "url": f"{BASE}/"},
        ],
    }
    return f"""<meta name="robots" content="index, follow, max-image-preview:large, max-snippet:-1, max-video-preview:-1" />
<link rel="canonical" href="{url_of(article)}" />
<meta property="og:locale" content="en_US" />
<meta property="og:type" content="article" />
<meta property="og:title" content="{e(article['title'])} - {SITE_NAME}" />
<meta property="og:description" content="{e(article['paragraphs'][0][:150])}" />
<meta property="og:url" content="{url_of(article)}" />
<meta property="og:site_name" content="{SITE_NAME}" />
<meta property="article:published_time" content="{published_utc}" />
<meta name="author" content="APP" />
<script type="application/ld+json" class="yoast-schema-graph">{json.dumps(graph)}</script>"""


def cloud_page(article: dict) -> str:
    day = when(article)
    category = article["category"].replace("-", " ").title()
    main = f"""<div id="tdb-autoload-article" data-autoload="off">
<style>.tdb-title-text{{font-size:28px}}</style>
<div class="td-main-content-wrap td-container-wrap">
  <div class="tdc-row"><div class="vc_row td-pb-row tdc-element-style">
    <div class="td_block_wrap tdb_breadcrumbs"><span><a class="tdb-entry-crumb" href="{BASE}/">Home</a></span> <i class="tdb-bread-sep td-icon-right"></i> <span><a class="tdb-entry-crumb" href="{BASE}/{article['category']}/">{category}</a></span></div>
    <div class="td_block_wrap tdb_title tdi_57 tdb-single-title td-pb-border-top td_block_template_1">
      <div class="tdb-block-inner td-fix-index"><h1 class="tdb-title-text">{e(article['title'])}</h1></div></div>
    <div class="td_block_wrap tdb_single_date tdi_60 td-pb-border-top td_block_template_1 tdb-post-meta">
      <div class="tdb-block-inner td-fix-index"><time class="entry-date updated td-module-date" datetime="{day.isoformat()}">{day:%B} {day.day}, {day:%Y}</time></div></div>
    <div class="td_block_wrap tdb_single_post_share tdi_62 td-pb-border-top td_block_template_1">
      <div class="td-post-sharing td-ps-bg td-ps-notext"><a class="td-social-sharing-button td-social-facebook" href="https://www.facebook.com/sharer.php?u={url_of(article)}">Facebook</a> <a class="td-social-sharing-button td-social-twitter" href="https://twitter.com/intent/tweet?url={url_of(article)}">Twitter</a></div></div>
    <div class="td_block_wrap tdb_single_content tdi_66 td-pb-border-top td_block_template_1 td-post-content tagdiv-type">
      <div class="tdb-block-inner td-fix-index">
{body_html(article)}
      </div></div>
    <div class="td_block_wrap tdb_single_related tdi_70 td_block_related_posts">
      <h4 class="td-block-title"><span>RELATED ARTICLES</span></h4>
      <div class="td_module_flex td_module_related_posts"><h3 class="entry-title td-module-title"><a href="{BASE}/national/" title="More from national">More from this category</a></h3></div></div>
  </div></div>
</div>
</div>"""
    return page(f"{article['title']} - {SITE_NAME}", yoast_head(article),
                f"post-template-default single single-post single-format-standard {article['category']}", main)


def classic_page(article: dict) -> str:
    """The theme's older single-post template: the post in an ``<article>``, no JSON-LD."""
    day = when(article)
    main = f"""<div class="td-main-content-wrap td-container-wrap"><div class="td-container td-post-template-default">
  <div class="td-pb-row"><div class="td-pb-span8 td-main-content" role="main"><div class="td-ss-main-content">
    <article id="post-912077" class="post-912077 post type-post status-publish format-standard category-{article['category']}" itemscope itemtype="https://schema.org/Article">
      <div class="td-post-header">
        <ul class="td-category"><li class="entry-category"><a href="{BASE}/{article['category']}/">{article['category'].title()}</a></li></ul>
        <header class="td-post-title"><h1 class="entry-title">{e(article['title'])}</h1>
          <div class="td-module-meta-info"><span class="td-post-date"><time class="entry-date updated td-module-date" datetime="{day.isoformat()}">{day:%B} {day.day}, {day:%Y}</time></span>
          <div class="td-post-comments"><a href="{url_of(article)}#respond"><i class="td-icon-comments"></i>0</a></div></div>
        </header>
      </div>
      <div class="td-post-sharing-top"><div class="td-post-sharing td-ps-bg"><a href="https://www.facebook.com/sharer.php?u={url_of(article)}">Facebook</a></div></div>
      <div class="td-post-content tagdiv-type">
{body_html(article)}
      </div>
    </article>
  </div></div></div>
</div></div>"""
    head = f"""<link rel="canonical" href="{url_of(article)}" />
<meta property="og:type" content="article" />"""
    return page(f"{article['title']} - {SITE_NAME}", head, f"post-template-default single single-post {article['category']}", main)


def photo_page() -> str:
    url = f"{BASE}/photos-section/{PHOTO['slug']}/"
    code, caption = PHOTO["caption"].split("\n")
    main = f"""<div class="td-main-content-wrap td-container-wrap">
  <div class="td_block_wrap tdb_title"><div class="tdb-block-inner td-fix-index"><h1 class="tdb-title-text">{e(code)}</h1></div></div>
  <div class="td_block_wrap tdb_single_featured_image"><img src="{BASE}/wp-content/uploads/2024/03/{code}.jpg" alt=""></div>
  <div class="td_block_wrap tdb_single_content td-post-content"><div class="tdb-block-inner td-fix-index"><p>{e(code)}<br>{e(caption)}</p></div></div>
</div>"""
    head = f"""<link rel="canonical" href="{url}" />
<meta property="og:type" content="article" />
<meta property="og:title" content="{e(code)} - {SITE_NAME}" />
<meta property="article:published_time" content="{datetime.fromisoformat(PHOTO['published']).astimezone(timezone.utc).isoformat()}" />"""
    return page(f"{code} - {SITE_NAME}", head, "post-template-default single single-post photos-section", main)


def card(article: dict) -> str:
    day = when(article)
    url = url_of(article)
    return f"""
      <div class="td_module_flex td_module_flex_1 td_module_wrap td-animation-stack">
        <div class="td-module-container td-category-pos-">
          <div class="td-image-container"><div class="td-module-thumb"><a href="{url}" rel="bookmark" class="td-image-wrap" title="{e(article['title'])}"><span class="entry-thumb td-thumb-css" data-type="css_image"></span></a></div></div>
          <div class="td-module-meta-info">
            <h3 class="entry-title td-module-title"><a href="{url}" rel="bookmark" title="{e(article['title'])}">{e(article['title'])}</a></h3>
            <div class="td-editor-date"><span class="td-author-date"><span class="td-post-date"><time class="entry-date updated td-module-date" datetime="{day.isoformat()}">{day:%B} {day.day}, {day:%Y}</time></span></span></div>
            <span class="td-module-comments"><a href="{url}#respond">0</a></span>
            <div class="td-excerpt">{e(DATELINE.sub('', article['paragraphs'][0])[:140])}...</div>
          </div>
        </div>
      </div>"""


def listing_page(section: str, label: str, number: int, pages: int) -> str:
    key = section if number == 1 else f"{section}/{number}"
    listed = sorted((a for a in ARTICLES if key in a["found_in"]), key=when, reverse=True)
    path = f"{BASE}/{section}/" if number == 1 else f"{BASE}/{section}/page/{number}/"
    nav = "".join(
        f'<span class="current">{n}</span>' if n == number else f'<a href="{BASE}/{section}/{"" if n == 1 else f"page/{n}/"}" class="page" title="{n}">{n}</a>'
        for n in range(1, pages + 1)
    )
    head = f'<link rel="canonical" href="{path}" />'
    if number < pages:
        nav += f'<a href="{BASE}/{section}/page/{number + 1}/" aria-label="next-page"><i class="page-nav-icon td-icon-menu-right"></i></a>'
        head += f'\n<link rel="next" href="{BASE}/{section}/page/{number + 1}/" />'
    if number > 1:
        head += f'\n<link rel="prev" href="{BASE}/{section}/{"" if number == 2 else f"page/{number - 1}/"}" />'
    photo = ""
    if section == "national" and number == 1:  # photo captions sit among the cards on the site
        photo = f"""
      <div class="td_module_flex td_module_flex_1 td_module_wrap td-animation-stack">
        <div class="td-module-meta-info"><h3 class="entry-title td-module-title"><a href="{BASE}/photos-section/{PHOTO['slug']}/" rel="bookmark">{e(PHOTO['caption'].split(chr(10))[0])}</a></h3></div>
      </div>"""
    main = f"""<div class="td-main-content-wrap td-container-wrap">
  <div class="tdb-category-title"><h1 class="tdb-title-text">{label}</h1></div>
  <div class="td_block_wrap tdb_loop tdi_78 tdb-category-loop-posts td_block_template_1">
    <div id="tdi_78" class="td_block_inner tdb-block-inner td-fix-index">{photo}{"".join(card(a) for a in listed)}
    </div>
    <div class="page-nav td-pb-padding-side">{nav}<span class="pages">Page {number} of {pages}</span></div>
  </div>
  <div class="td_block_wrap td_block_popular"><h4 class="td-block-title">POPULAR NEWS</h4>
    <ul><li><a href="{BASE}/latest-news/">Latest News</a></li><li><a href="{BASE}/national/?filter_by=random_posts">Random</a></li></ul></div>
</div>"""
    return page(f"{label} Archives - {SITE_NAME}" if number == 1 else f"{label} Archives - Page {number} of {pages} - {SITE_NAME}",
                head, f"archive category category-{section}", main)


def latest_news_page() -> str:
    """``/latest-news/``: a category page of the newest stories, not an article."""
    listed = sorted(ARTICLES, key=when, reverse=True)[:4]
    main = f"""<div class="td-main-content-wrap"><div class="tdb-category-title"><h1 class="tdb-title-text">Latest News</h1></div>
  <div class="td_block_inner tdb-block-inner">{"".join(card(a) for a in listed)}</div></div>"""
    return page(f"Latest News Archives - {SITE_NAME}", f'<link rel="canonical" href="{BASE}/latest-news/" />', "archive category", main)


def home_page() -> str:
    """The home page, which also answers the old site's ``?p=...&section=...`` links."""
    listed = sorted(ARTICLES, key=when, reverse=True)[:6]
    main = f"""<div class="td-main-content-wrap"><h1 class="td-page-title">Home Blog</h1>
  <div class="td_block_inner">{"".join(card(a) for a in listed)}</div>
  <div class="page-nav"><a href="{BASE}/page/2/" class="page">2</a></div></div>"""
    return page(f"Home Blog - {SITE_NAME}", f'<link rel="canonical" href="{BASE}/" />\n<meta property="og:type" content="website" />',
                "home blog", main)


def feed() -> str:
    items = []
    for article in sorted((a for a in ARTICLES if "feed" in a["found_in"]), key=when, reverse=True):
        lede = DATELINE.sub("", article["paragraphs"][0]).split(". ")[0] + "."
        description = (f"<p>{SITE_NAME}<br><a href=\"{url_of(article)}\">{e(article['title'])}</a></p><p>{e(lede)}</p>"
                       f"<p>This post <a href=\"{url_of(article)}\">{e(article['title'])}</a> first appeared on "
                       f"<a href=\"{BASE}\">{SITE_NAME}</a> and owns the property.</p>")
        items.append(f"""	<item>
		<title>{e(article['title'])}</title>
		<link>{url_of(article)}</link>
		<dc:creator><![CDATA[APP]]></dc:creator>
		<pubDate>{format_datetime(when(article).astimezone(timezone.utc))}</pubDate>
		<category><![CDATA[{article['category'].replace('-', ' ').title()}]]></category>
		<guid isPermaLink="false">{BASE}/?p={912100 + len(items)}</guid>
		<description><![CDATA[{description}]]></description>
	</item>""")
    return f"""<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"
	xmlns:content="http://purl.org/rss/1.0/modules/content/"
	xmlns:dc="http://purl.org/dc/elements/1.1/"
	xmlns:atom="http://www.w3.org/2005/Atom"
	xmlns:sy="http://purl.org/rss/1.0/modules/syndication/">
<channel>
	<title>{SITE_NAME}</title>
	<atom:link href="{BASE}/feed/" rel="self" type="application/rss+xml" />
	<link>{BASE}</link>
	<description>National News Agency</description>
	<language>en-US</language>
	<sy:updatePeriod>hourly</sy:updatePeriod>
{chr(10).join(items)}
</channel>
</rss>
"""


ROBOTS = """User-agent: *
Disallow: /wp-admin/
Allow: /wp-admin/admin-ajax.php
"""


def expected(article: dict) -> dict:
    first, *rest = article["paragraphs"]
    dateline = DATELINE.match(first)
    text = "\n\n".join([first[dateline.end():], *rest])
    return expected_article(url_of(article), article["title"], when(article).isoformat(), text,
                            dateline["place"].title(), dateline["partner"] or "APP")


def build() -> None:
    files = {"/robots.txt": ROBOTS, "/": home_page(), "/feed/": feed(), "/latest-news/": latest_news_page(),
             f"/photos-section/{PHOTO['slug']}/": photo_page()}
    for article in ARTICLES:
        files[f"/{article['category']}/{article['slug']}/"] = (classic_page if article["layout"] == "classic" else cloud_page)(article)
    for section, (label, pages) in LISTING_PAGES.items():
        for number in range(1, pages + 1):
            path = f"/{section}/" if number == 1 else f"/{section}/page/{number}/"
            files[path] = listing_page(section, label, number, pages)
    routes = {"content_types": {"/feed/": "application/rss+xml; charset=UTF-8"}}
    manifest = {
        "outlet": "app",
        "articles": [expected(article) for article in ARTICLES],
        "not_articles": [
            f"{BASE}/photos-section/{PHOTO['slug']}/",
            f"{BASE}/latest-news/",
            f"{BASE}/national/page/2/",
            f"{BASE}/",
            f"{BASE}/feed/",
        ],
    }
    write_mirror(HERE, files, routes, manifest)


if __name__ == "__main__":
    build()

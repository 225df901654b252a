"""Generate the static mirror of Dawn (``site/``) and its ``manifest.json`` from ``articles.json``.

``python -m tests.outlets.dawn.build`` rewrites both, byte for byte the same on every run (no
"now", sorted JSON). The stories are made up; their shapes follow what is known of dawn.com
(the facts and their sources are in ``crawler/outlets/dawn.py``):

* Articles at ``/news/<id>/<slug>``, whose canonical link and ``og:url`` drop the slug; no ``<h1>``
  (the headline is ``h2.story__title``); ``span.story__byline``, ``span.story__time`` with the
  ISO time in a ``title``; the body in the article's first ``div.story__content``, a figure with
  a ``— Reuters`` style credit, a second ``story__content`` of widgets after the article;
  ``article:published_time`` written with a space (``2026-09-15 07:18:33+05:00``) and three
  JSON-LD blocks whose NewsArticle ``url`` is the site's root.
* Print stories open with an ALL-CAPS dateline (one place, two joined by ``/``, a soft hyphen
  inside one, summary bullets before one) and end ``Published in Dawn, September 15th, 2026``;
  web stories have no dateline and end with an agency credit or the Business promo line.
* The ``older`` template (the markup of older scrapers: no JSON-LD, a ``div.story__content``
  and a visible ``Published`` line) carries the editorial.
* Discovery: RSS ``/feeds/home`` and ``/feeds/latest-news/`` (full bodies, slug-less guids, one
  item cross-posted from ``images.dawn.com`` whose dawn.com guid redirects there), the Google
  News sitemap ``/feeds/sitemap``, and the ``/latest-news`` listing (``article.story`` cards, a
  live blog among them, no next page).
* Not articles: an author page, a live blog, the print view (disallowed by robots.txt), the AMP
  view, and the cross-post.
"""

from __future__ import annotations

import json
from datetime import datetime
from email.utils import format_datetime
from html import escape
from pathlib import Path

from tests.outlets.mirror import expected_article, write_mirror

HERE = Path(__file__).resolve().parent
BASE = "https://www.dawn.com"
SECTIONS = {"pakistan": "Pakistan", "business": "Business", "world": "World", "opinion": "Opinion"}
ROBOTS_TXT = ("User-agent: *\nDisallow: /archive/*\nDisallow: /search\nDisallow: /obituary\nDisallow: */print\n\n"
              f"Sitemap: {BASE}/feeds/sitemap\n")
HOME_FEED = (2031152, 2031160, 2031187, 2031205)
LATEST_FEED = (2031171, 2031178, 2031187, 2031199)
LIVE_BLOG = ("/live/pakistan-floods-2026", "Pakistan floods 2026: live updates")
CROSS_POST = (2031210, "https://images.dawn.com/news/1179321/designers-bring-ajrak-to-the-autumn-runway",
              "Designers bring ajrak to the autumn runway")
TIMESTAMP_FORMAT = "%B %d, %Y"


def article_url(article: dict) -> str:
    return f"{BASE}/news/{article['id']}/{article['slug']}"


def canonical_url(article: dict) -> str:
    return f"{BASE}/news/{article['id']}"


def published(article: dict) -> datetime:
    return datetime.fromisoformat(article["published"])


def clock(moment: datetime) -> str:
    return moment.strftime("%I:%M%p").lower()


def body_paragraphs(article: dict) -> list[str]:
    """The body as the reader sees it, paragraph by paragraph (what the manifest's text is cut from)."""
    paragraphs = list(article["paragraphs"])
    if article["dateline"]:
        paragraphs[0] = f"{article['dateline']} {paragraphs[0]}"
    paragraphs = [f"\u2022 {bullet}" for bullet in article.get("bullets", ())] + paragraphs
    return paragraphs + [text for text in (article.get("credit"), article.get("trailer")) if text]


def body_html(article: dict) -> str:
    section = SECTIONS[article["section"]]
    figure = (f'<figure class="media media--uneven"><div class="media__item"><img src="https://i.dawn.com/primary/2026/09/'
              f'{article["id"]}.jpg" alt=""></div><figcaption class="media__caption">A file photo used with the '
              f'{section.lower()} story. \u2014 Reuters/File</figcaption></figure>')
    paragraphs = "\n".join(f"<p>{escape(text)}</p>" for text in body_paragraphs(article))
    promo = (f'\n<p><strong><em>{escape(article["promo"])}</em></strong></p>' if article.get("promo") else "")
    return f'<div class="story__content overflow-hidden text-4 sm:text-4.5 pt-1 mt-1">\n{figure}\n{paragraphs}{promo}\n</div>'


def json_ld(article: dict) -> str:
    moment = published(article).isoformat()
    blocks = [
        {"@context": "https://schema.org", "@type": "Organization", "name": "DAWN.COM", "url": BASE,
         "logo": {"@type": "ImageObject", "url": f"{BASE}/_img/logo.png"}},
        {"@context": "https://schema.org", "@type": "BreadcrumbList", "itemListElement": [
            {"@type": "ListItem", "position": 1, "name": SECTIONS[article["section"]],
             "item": f"{BASE}/{article['section']}"}]},
        {"@context": "https://schema.org", "@type": "NewsArticle", "url": BASE + "/",
         "mainEntityOfPage": {"@type": "WebPage", "@id": canonical_url(article)},
         "headline": article["title"], "description": article["summary"],
         "datePublished": moment, "dateModified": moment,
         "author": [{"@type": "Person", "name": article["author"], "url": BASE + article["author_path"]}],
         "publisher": {"@type": "Organization", "name": "DAWN.COM"}},
    ]
    return "\n".join(f'<script type="application/ld+json">{json.dumps(block)}</script>' for block in blocks)


def head(title: str, extra: str) -> str:
    return (f'<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n<title>{escape(title)}</title>\n'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">\n{extra}\n</head>\n')


HEADER = ('<header><nav><a href="https://www.dawn.com/">DAWN.COM</a> <a href="https://www.dawn.com/latest-news">Latest</a> '
          '<a href="https://www.dawn.com/pakistan">Pakistan</a> <a href="https://www.dawn.com/business">Business</a> '
          '<a href="https://www.dawn.com/world">World</a> <a href="https://www.dawn.com/opinion">Opinion</a></nav></header>\n')
FOOTER = '<footer><p>Copyright &copy; 2026, Dawn</p></footer>\n</body>\n</html>\n'
WIDGETS = ('<div class="story__content"><div class="widget"><h3>JOIN OUR WHATSAPP CHANNEL</h3>'
           '<p>DAWN NEWS ENGLISH: watch the bulletin live. On DawnNews: the day\'s talk shows.</p></div></div>\n'
           '<div class="comments"><h3>Comments (12)</h3><p>Closed for comments.</p></div>\n')


def article_page(article: dict) -> str:
    moment = published(article)
    section = SECTIONS[article["section"]]
    meta_time = moment.isoformat(sep=" ")
    metas = "\n".join([
        f'<link rel="canonical" href="{canonical_url(article)}">',
        f'<link rel="amphtml" href="{BASE}/news/amp/{article["id"]}">',
        '<meta property="og:type" content="article">',
        f'<meta property="og:title" content="{escape(article["title"])}">',
        f'<meta property="og:url" content="{canonical_url(article)}">',
        f'<meta property="og:description" content="{escape(article["summary"])}">',
        f'<meta name="description" content="{escape(article["summary"])}">',
        f'<meta property="article:published_time" content="{meta_time}">',
        f'<meta property="article:modified_time" content="{meta_time}">',
        f'<meta property="article:section" content="{article["section"]}">',
        f'<meta property="article:author" content="{BASE}{article["author_path"]}">',
        f'<meta name="author" content="{escape(article["author"])}">',
    ])
    byline = (f'<span class="story__byline"><a class="story__byline__link" href="{BASE}{article["author_path"]}">'
              f'{escape(article["author"])}</a></span>')
    title = f'<h2 class="story__title"><a class="story__link" href="{article_url(article)}">{escape(article["title"])}</a></h2>'
    if article["template"] == "older":
        return (head(f"{article['title']} - {section} - DAWN.COM", metas) + "<body>\n" + HEADER
                + f'<div class="story">\n{title}\n<div class="story__byline">By {escape(article["author"])}</div>\n'
                f'<div class="story__time">Published {moment:%B %d, %Y} {clock(moment)}</div>\n'
                + body_html(article) + "\n</div>\n" + FOOTER)
    time = (f'<span class="story__time"><span class="timestamp--published"><span class="timestamp--date">'
            f'{moment.strftime(TIMESTAMP_FORMAT)}</span></span> <span class="timestamp--time timeago" '
            f'title="{moment.isoformat()}"><span class="timestamp__calendar">{moment:%b %d, %Y}</span> '
            f'<span class="timestamp__time">{clock(moment)}</span></span></span>')
    return (head(f"{article['title']} - {section} - DAWN.COM", metas + "\n" + json_ld(article)) + "<body>\n" + HEADER
            + f'<main>\n<article class="story  single" data-id="{article["id"]}" id="{article["id"]}">\n'
            f'<div class="story__breadcrumbs"><a href="{BASE}/{article["section"]}">{section}</a></div>\n'
            f"{title}\n{byline}\n{time}\n{body_html(article)}\n"
            f'<span class="badge"><a href="/{article["section"]}">{section}</a></span>\n'
            f'<a class="story__print" href="{BASE}/news/print/{article["id"]}">Print</a>\n'
            "</article>\n" + WIDGETS + "</main>\n" + FOOTER)


def listing_page(articles: list[dict]) -> str:
    cards = []
    for article in articles:
        cards.append(
            f'<article class="story box"><h2 class="story__title"><a class="story__link" href="{article_url(article)}">'
            f'{escape(article["title"])}</a></h2><span class="story__byline"><a href="{BASE}{article["author_path"]}">'
            f'{escape(article["author"])}</a></span><div class="story__excerpt">{escape(article["summary"])}</div>'
            f'<span class="timestamp--published">Published {published(article):%B %d, %Y} {clock(published(article))}</span></article>')
    path, title = LIVE_BLOG
    cards.insert(2, f'<article class="story box"><h2 class="story__title"><a class="story__link" href="{BASE}{path}">'
                    f'{escape(title)}</a></h2><span class="badge">Live</span></article>')
    return (head("Latest News - DAWN.COM", f'<link rel="canonical" href="{BASE}/latest-news">') + "<body>\n" + HEADER
            + '<main><h1>Latest News</h1>\n' + "\n".join(cards) + "\n</main>\n" + FOOTER)


def live_page() -> str:
    path, title = LIVE_BLOG
    updates = "\n".join(
        f'<div class="live-update"><span class="timestamp">{hour:02d}:15pm</span><p>Update {number}: rescue teams report '
        f'water receding from the villages near the embankment; relief goods are being moved by boat.</p></div>'
        for number, hour in enumerate((9, 7, 5, 3, 1), start=1))
    return (head(f"{title} - DAWN.COM", f'<link rel="canonical" href="{BASE}{path}">\n<meta property="og:type" content="website">')
            + "<body>\n" + HEADER + f'<main class="live-blog"><h2 class="story__title">{escape(title)}</h2>\n{updates}\n</main>\n' + FOOTER)


def author_page(name: str, path: str, articles: list[dict]) -> str:
    items = "\n".join(f'<article class="story"><h2 class="story__title"><a class="story__link" href="{article_url(a)}">'
                      f'{escape(a["title"])}</a></h2></article>' for a in articles)
    return (head(f"{name} - DAWN.COM", f'<link rel="canonical" href="{BASE}{path}">\n<meta property="og:type" content="profile">')
            + "<body>\n" + HEADER + f'<main><h1>{escape(name)}</h1>\n{items}\n</main>\n' + FOOTER)


def rss(title: str, path: str, articles: list[dict], cross_post: bool) -> str:
    items = []
    for article in articles:
        body = "".join(f"<p>{escape(text)}</p>" for text in body_paragraphs(article))
        items.append(
            f"<item><title>{escape(article['title'])}</title><link>{article_url(article)}</link>"
            f"<guid isPermaLink=\"true\">{canonical_url(article)}</guid>"
            f"<author>none@none.com ({escape(article['author'])})</author><category></category>"
            f"<pubDate>{format_datetime(published(article))}</pubDate>"
            f"<description><![CDATA[{body}]]></description><content:encoded><![CDATA[{body}]]></content:encoded>"
            f"<media:content url=\"https://i.dawn.com/primary/2026/09/{article['id']}.jpg\" medium=\"image\"/></item>")
    if cross_post:
        guid, url, heading = CROSS_POST
        items.insert(1, f"<item><title>{escape(heading)}</title><link>{BASE}/news/{guid}</link>"
                        f"<guid isPermaLink=\"true\">{BASE}/news/{guid}</guid><author>none@none.com ()</author>"
                        f"<pubDate>Tue, 15 Sep 2026 12:05:00 +0500</pubDate>"
                        f"<description><![CDATA[<p><a href=\"{url}\">Read the story on Images</a></p>]]></description></item>")
    return ('<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0" xmlns:media="http://search.yahoo.com/mrss/" '
            'xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel>'
            f"<title>{escape(title)}</title><link>{BASE}{path}</link><description>Dawn</description>"
            + "\n".join(items) + "\n</channel></rss>\n")


def news_sitemap(articles: list[dict]) -> str:
    urls = "\n".join(
        f"<url><loc>{article_url(a)}</loc><news:news><news:publication><news:name>Dawn</news:name>"
        f"<news:language>en</news:language></news:publication><news:publication_date>{published(a).isoformat()}"
        f"</news:publication_date><news:title>{escape(a['title'])}</news:title></news:news></url>"
        for a in sorted(articles, key=published, reverse=True))
    return ('<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
            'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">\n' + urls + "\n</urlset>\n")


def manifest_entry(article: dict) -> dict:
    """The article as the archive should hold it; the body's paragraphs are joined by a blank line."""
    paragraphs = body_paragraphs(article)
    if not article.get("bullets"):  # the dateline is cut; summary bullets before it stay in the body
        paragraphs[0] = article["paragraphs"][0]
    text = "\n\n".join(paragraphs)
    place = article["dateline"] and article["dateline"].rstrip(":").replace("\u00ad", "").title()
    return expected_article(canonical_url(article), article["title"], article["published"], text, place)


def build() -> None:
    articles = json.loads((HERE / "articles.json").read_text(encoding="utf-8"))
    by_id = {article["id"]: article for article in articles}
    files = {"robots.txt": ROBOTS_TXT}
    for article in articles:
        files[f"news/{article['id']}/{article['slug']}"] = article_page(article)
    files["latest-news"] = listing_page([a for a in sorted(articles, key=published, reverse=True) if a["template"] == "current"])
    files["feeds/home"] = rss("Dawn - Home", "/feeds/home", [by_id[i] for i in HOME_FEED], cross_post=True)
    files["feeds/latest-news/index.html"] = rss("Dawn - Latest News", "/feeds/latest-news/", [by_id[i] for i in LATEST_FEED], False)
    files["feeds/sitemap"] = news_sitemap(articles)
    files[LIVE_BLOG[0].lstrip("/")] = live_page()
    files["authors/119/afp"] = author_page("AFP", "/authors/119/afp", [by_id[2031199]])
    html = "text/html; charset=utf-8"
    rss_type = "application/rss+xml; charset=utf-8"
    routes = {
        "content_types": {
            "/latest-news": html, LIVE_BLOG[0]: html, "/authors/119/afp": html,
            "/feeds/home": rss_type, "/feeds/latest-news/": rss_type, "/feeds/sitemap": "application/xml; charset=utf-8",
            **{f"/news/{a['id']}/{a['slug']}": html for a in articles},
        },
        "redirects": {
            f"/news/{CROSS_POST[0]}": [301, CROSS_POST[1]],
            **{f"/news/{a['id']}": [301, f"/news/{a['id']}/{a['slug']}"] for a in articles},
        },
    }
    manifest = {
        "outlet": "dawn",
        "articles": [manifest_entry(a) for a in sorted(articles, key=lambda a: a["id"])],
        "not_articles": [
            f"{BASE}/authors/119/afp", f"{BASE}{LIVE_BLOG[0]}", f"{BASE}/news/print/2031152",
            f"{BASE}/news/amp/2031152", f"{BASE}/news/{CROSS_POST[0]}", CROSS_POST[1],
        ],
    }
    write_mirror(HERE, files, routes, manifest)


if __name__ == "__main__":
    build()

"""Generate the static mirror of The Express Tribune (``site/``) and its ``manifest.json`` from ``articles.json``.

``python -m tests.outlets.tribune.build`` rewrites both, byte for byte the same on every run (no
"now", sorted JSON). The stories are made up; their shapes follow what is known of tribune.com.pk
(the facts and their sources are in ``crawler/outlets/tribune.py``):

* Articles at ``/story/<id>/<slug>`` (canonical keeps the slug); the only ``h1`` holds the headline,
  ``p.story-excerpt`` the summary, ``div.left-authorbox`` the author link and a date without time,
  ``span.story-text`` the body with ``div#div-gpt-story-N`` ad slots and an embedded tweet between
  paragraphs; ``<title>`` and ``og:title`` end ``| The Express Tribune`` (on some pages with two spaces before the bar);
  ``article:published_time`` in UTC, JSON-LD ``datePublished`` in Pakistan time and its
  ``headline`` without the headline's commas.
* Datelines in ``strong.location-names``: ``KARACHI:`` before the lede, ``ISLAMABAD:`` as a
  paragraph of its own, ``TEHRAN, IRAN:`` for a foreign desk; web stories have none. Print stories
  end ``Published in The Express Tribune, September 15th, 2026.`` (once with two spaces before the year).
* The ``older`` template (``div.story-content``, ``div.timestamp``, ``div.author``, title suffix
  ``- The Express Tribune``, no JSON-LD) carries one story, at the 2014 URL form with a trailing slash.
* Discovery: RSS ``/feed/home`` and ``/feed/pakistan`` (one item with a two-digit year), the
  sitemap index ``/sitemap.xml`` and its newest child ``/sitemap/posts-1.xml`` (``loc`` and
  ``lastmod``, an author page among the stories), and the ``/latest`` listing (``ul.listing-page``
  cards) whose ``a.page-link`` leads to ``/latest?page=2`` (served by the mirror's ``queries`` route).
* Not articles: an author page, a ``newslab.tribune.com.pk`` long read, the listing's second page.
"""

from __future__ import annotations

import json
from datetime import datetime, timezone
from email.utils import format_datetime
from html import escape
from pathlib import Path

from tests.outlets.mirror import expected_article, write_mirror

HERE = Path(__file__).resolve().parent
BASE = "https://tribune.com.pk"
ROBOTS_TXT = f"User-agent: *\nDisallow: /search\n\nSitemap: {BASE}/sitemap.xml\n"  # the real one is not known
HOME_FEED = (2614062, 2614050, 2614021, 2614035)
PAKISTAN_FEED = (2614089, 2614021, 2614035)
TWO_DIGIT_YEAR_ITEM = 2614035  # one captured feed item dated "Mon, 15 Sep 26 08:47:05 +0500"
PAGE_ONE = (2614089, 2614077, 2614062, 2614050, 2614021)  # newest first
PAGE_TWO = (2614035, 2614101)
NEWSLAB = ("https://newslab.tribune.com.pk/the-vanishing-lakes/", "The vanishing lakes of the north")
AUTHOR_PAGE = ("/author/56/afp", "AFP")


def article_path(article: dict) -> str:
    tail = "/" if article["template"] == "older" else ""
    return f"/story/{article['id']}/{article['slug']}{tail}"


def article_url(article: dict) -> str:
    return BASE + article_path(article)


def published(article: dict) -> datetime:
    return datetime.fromisoformat(article["published"])


def body_paragraphs(article: dict) -> list[str]:
    """The body as the reader sees it (what the manifest's text is cut from): dateline, paragraphs, trailer."""
    paragraphs = list(article["paragraphs"])
    if article["dateline"] and article["dateline_form"] == "block":
        paragraphs.insert(0, article["dateline"])
    elif article["dateline"]:
        paragraphs[0] = f"{article['dateline']} {paragraphs[0]}"
    return paragraphs + ([article["trailer"]] if article["trailer"] else [])


def story_text(article: dict) -> str:
    """The body's markup: the dateline in ``strong.location-names``, ad slots after every second paragraph."""
    paragraphs = [f"<p>{escape(text)}</p>" for text in article["paragraphs"]]
    dateline = article["dateline"] and f'<strong class="location-names">{escape(article["dateline"])}</strong>'
    if dateline and article["dateline_form"] == "block":
        paragraphs.insert(0, f"<p>{dateline}</p>")
    elif dateline:
        paragraphs[0] = f"<p>{dateline} {escape(article['paragraphs'][0])}</p>"
    for slot in range(len(paragraphs) // 2 - 1, 0, -1):
        paragraphs.insert(slot * 2, f'<div id="div-gpt-story-{slot}" class="story-ad"><script>googletag.cmd.push(function() '
                                    f'{{ googletag.display("div-gpt-story-{slot}"); }});</script></div>')
    if article.get("tweet"):
        paragraphs.insert(article["tweet"], '<blockquote class="twitter-tweet"><p lang="en" dir="ltr">What a chase! '
                          'Series sealed in Pindi \U0001f3cf</p>&mdash; Cricket Fans (@cricfans_pk) '
                          '<a href="https://twitter.com/cricfans_pk/status/1835391">September 15, 2026</a></blockquote>')
    if article["trailer"]:
        paragraphs.append(f"<p><em>{escape(article['trailer'])}</em></p>")
    return "\n".join(paragraphs)


def head(title: str, extra: str) -> str:
    return (f'<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n<title>{escape(title)}</title>\n'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">\n{extra}\n</head>\n')


HEADER = ('<header><nav><a href="https://tribune.com.pk/">The Express Tribune</a> <a href="https://tribune.com.pk/latest">Latest</a> '
          '<a href="https://tribune.com.pk/pakistan">Pakistan</a> <a href="https://tribune.com.pk/business">Business</a> '
          '<a href="https://tribune.com.pk/world">World</a> <a href="https://tribune.com.pk/opinion">Opinion</a></nav></header>\n')
FOOTER = '<footer><p>&copy; 2026 The Express Tribune.</p></footer>\n</body>\n</html>\n'


def sidebar(others: list[dict]) -> str:
    links = "".join(f'<li><a href="{article_url(a)}">{escape(a["title"])}</a></li>' for a in others)
    return f'<div class="most-read"><h3>Most Read</h3><ul>{links}</ul></div>\n'


def json_ld(article: dict) -> str:
    moment = published(article).isoformat()
    block = {"@context": "https://schema.org", "@type": "NewsArticle",
             "mainEntityOfPage": {"@type": "WebPage", "@id": article_url(article)},
             "headline": article["title"].replace(",", ""), "description": article["summary"],
             "datePublished": moment, "dateModified": moment,
             "author": {"@type": "Person", "name": article["author"], "url": BASE + article["author_path"]},
             "publisher": {"@type": "Organization", "name": "The Express Tribune"}}
    return f'<script type="application/ld+json">{json.dumps(block)}</script>'


def article_page(article: dict, others: list[dict]) -> str:
    moment = published(article)
    utc = moment.astimezone(timezone.utc).isoformat()
    suffix = "  | The Express Tribune" if article["id"] % 2 else " | The Express Tribune"
    metas = [
        f'<link rel="canonical" href="{article_url(article)}">',
        '<meta property="og:type" content="article">',
        f'<meta property="og:url" content="{article_url(article)}">',
        f'<meta property="og:description" content="{escape(article["summary"])}">',
        f'<meta name="description" content="{escape(article["summary"])}">',
        f'<meta property="article:published_time" content="{utc}">',
        f'<meta property="article:section" content="{article["section"]}">',
        f'<meta name="author" content="{escape(article["author"])}">',
    ]
    if article["template"] == "older":
        metas.append(f'<meta property="og:title" content="{escape(article["title"])} - The Express Tribune">')
        return (head(f"{article['title']} - The Express Tribune", "\n".join(metas)) + "<body>\n" + HEADER
                + f'<div id="main-content"><h1 class="title">{escape(article["title"])}</h1>\n'
                f'<div class="author">By <a href="{BASE}{article["author_path"]}">{escape(article["author"])}</a></div>\n'
                f'<div class="timestamp">Published: {moment:%B %d, %Y}</div>\n'
                f'<div class="story-content">\n{story_text(article)}\n</div>\n</div>\n' + sidebar(others) + FOOTER)
    metas += [
        f'<link rel="amphtml" href="{article_url(article)}?amp=1">',
        f'<meta property="og:title" content="{escape(article["title"])}{suffix}">',
        '<meta property="og:article:section" content="News">',
        '<meta property="article:tag" content="Latest">',
        f'<meta property="article:author" content="{BASE}{article["author_path"]}">',
        json_ld(article),
    ]
    return (head(f"{article['title']}{suffix}", "\n".join(metas)) + "<body>\n" + HEADER
            + '<div class="storypage"><div class="story-box-section">\n'
            f'<h1>{escape(article["title"])}</h1>\n<p class="story-excerpt">{escape(article["summary"])}</p>\n'
            '<div class="mainstorycontent-parent"><div class="storypage-main-section2">\n'
            f'<span class="storypage-leftside"><div class="left-authorbox"><span><a href="{BASE}{article["author_path"]}">'
            f'{escape(article["author"])}</a></span><span>{moment:%B %d, %Y}</span></div></span>\n'
            '<div class="storypage-rightside">\n<span class="top-big-img"><div class="story-featuredimage">'
            f'<div class="featured-image-global"><img src="https://i.tribune.com.pk/media/images/{article["id"]}.jpg" alt=""></div>'
            '<div class="story-inner-caption">PHOTO: FILE</div></div></span>\n'
            f'<span class="story-text">\n{story_text(article)}\n</span>\n'
            '</div></div></div>\n</div></div>\n' + sidebar(others) + FOOTER)


def card(article: dict) -> str:
    url = article_url(article)
    return (f'<li><div class="row"><div class="col-md-4 horiz-news3-img"><a href="{url}"><img src="https://i.tribune.com.pk/'
            f'media/images/{article["id"]}-thumb.jpg" alt=""></a></div><div class="col-md-8"><div class="horiz-news3-caption">'
            f'<a href="{url}"><h2 class="title-heading">{escape(article["title"])}</h2></a><p>{escape(article["summary"])}</p>'
            f'<span class="listing-meta"><a href="{BASE}{article["author_path"]}">{escape(article["author"])}</a> | '
            f'{published(article):%B %d, %Y}</span></div></div></div></li>')


def listing_page(articles: list[dict], page: int, next_page: bool) -> str:
    cards = [card(a) for a in articles]
    if page == 1:
        url, title = NEWSLAB
        cards.insert(3, f'<li><div class="row"><div class="col-md-8"><div class="horiz-news3-caption"><a href="{url}">'
                        f'<h2 class="title-heading">{escape(title)}</h2></a><p>A Newslab long read.</p></div></div></div></li>')
    pages = [f'<li class="page-item"><a class="page-link" href="{BASE}/latest{"" if n == 1 else f"?page={n}"}">{n}</a></li>'
             for n in (1, 2)]
    if next_page:
        pages.append(f'<li class="page-item"><a class="page-link" href="{BASE}/latest?page={page + 1}">Next</a></li>')
    canonical = f"{BASE}/latest" + ("" if page == 1 else f"?page={page}")
    return (head("Latest News | The Express Tribune", f'<link rel="canonical" href="{canonical}">') + "<body>\n" + HEADER
            + '<div class="page-listing"><h1>Latest</h1>\n<ul class="listing-page">\n' + "\n".join(cards)
            + '\n</ul>\n<ul class="pagination">' + "".join(pages) + "</ul>\n</div>\n" + FOOTER)


def author_page(articles: list[dict]) -> str:
    path, name = AUTHOR_PAGE
    return (head(f"{name} | The Express Tribune", f'<link rel="canonical" href="{BASE}{path}">') + "<body>\n" + HEADER
            + f'<div class="page-listing"><h1>{name}</h1>\n<ul class="listing-page">\n'
            + "\n".join(card(a) for a in articles) + "\n</ul>\n</div>\n" + FOOTER)


def rss(name: str, articles: list[dict]) -> str:
    items = []
    for article in articles:
        date = format_datetime(published(article))
        if article["id"] == TWO_DIGIT_YEAR_ITEM and name == "pakistan":
            date = date.replace(" 2026 ", " 26 ")
        body = "".join(f"<p>{escape(text)}</p>" for text in body_paragraphs(article))
        items.append(f"<item><title>{escape(article['title'])}</title><link>{article_url(article)}</link>"
                     f"<guid isPermaLink=\"false\">{article['id']}</guid><pubDate>{date}</pubDate>"
                     f"<dc:creator>{escape(article['author'])}</dc:creator><category>{article['section']}</category>"
                     f"<description><![CDATA[{body}]]></description></item>")
    return ('<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/"><channel>'
            f"<title>The Express Tribune - {name}</title><link>{BASE}/</link><description>The Express Tribune</description>\n"
            + "\n".join(items) + "\n</channel></rss>\n")


def sitemaps(articles: list[dict]) -> tuple[str, str]:
    """The index ``/sitemap.xml`` and its newest child, ``/sitemap/posts-1.xml``."""
    index = ('<?xml version="1.0" encoding="UTF-8"?>\n<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
             f"<sitemap><loc>{BASE}/sitemap/posts-1.xml</loc><lastmod>2026-09-16T07:55:30+05:00</lastmod></sitemap>\n"
             "</sitemapindex>\n")
    entries = [(article_url(a), published(a).isoformat()) for a in sorted(articles, key=published, reverse=True)]
    entries.insert(2, (BASE + AUTHOR_PAGE[0], "2026-09-15T14:30:52+05:00"))
    urls = "\n".join(f"<url><loc>{loc}</loc><lastmod>{lastmod}</lastmod></url>" for loc, lastmod in entries)
    return index, ('<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
                   + urls + "\n</urlset>\n")


def manifest_entry(article: dict) -> dict:
    """The article as the archive should hold it; the body's paragraphs are joined by a blank line."""
    paragraphs = [*article["paragraphs"], *([article["trailer"]] if article["trailer"] else [])]
    text = "\n\n".join(" ".join(paragraph.split()) for paragraph in paragraphs)  # spaces run together as one
    place = article["dateline"] and ", ".join(part.strip().title() for part in article["dateline"].rstrip(":").split(","))
    return expected_article(article_url(article), article["title"], article["published"], text, place)


def build() -> None:
    articles = json.loads((HERE / "articles.json").read_text(encoding="utf-8"))
    by_id = {article["id"]: article for article in articles}
    files = {"robots.txt": ROBOTS_TXT}
    for article in articles:
        others = [a for a in articles if a is not article][:4]
        path = article_path(article).lstrip("/")
        files[path] = article_page(article, others)
    files["latest"] = listing_page([by_id[i] for i in PAGE_ONE], 1, next_page=True)
    files["_latest-2.html"] = listing_page([by_id[i] for i in PAGE_TWO], 2, next_page=False)
    files["feed/home"] = rss("home", [by_id[i] for i in HOME_FEED])
    files["feed/pakistan"] = rss("pakistan", [by_id[i] for i in PAKISTAN_FEED])
    files["sitemap.xml"], files["sitemap/posts-1.xml"] = sitemaps(articles)
    files[AUTHOR_PAGE[0].lstrip("/")] = author_page([by_id[2614050]])
    html = "text/html; charset=utf-8"
    rss_type = "application/rss+xml; charset=utf-8"
    routes = {
        "content_types": {
            "/latest": html, AUTHOR_PAGE[0]: html, "/feed/home": rss_type, "/feed/pakistan": rss_type,
            **{article_path(a): html for a in articles if a["template"] == "current"},
        },
        "queries": {"/latest?page=2": "_latest-2.html"},
    }
    manifest = {
        "outlet": "tribune",
        "articles": [manifest_entry(a) for a in sorted(articles, key=lambda a: a["id"])],
        "not_articles": [BASE + AUTHOR_PAGE[0], NEWSLAB[0], f"{BASE}/latest?page=2"],
    }
    write_mirror(HERE, files, routes, manifest)


if __name__ == "__main__":
    build()

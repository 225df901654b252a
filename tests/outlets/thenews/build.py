"""Generate the static mirror of The News International (``site/``) and its ``manifest.json`` from ``articles.json``.

``python -m tests.outlets.thenews.build`` rewrites both, byte for byte the same on every run (no
"now", sorted JSON). The stories are made up; their shapes follow what is known of
thenews.com.pk (the facts and their sources are in ``crawler/outlets/thenews.py``):

* Web stories at ``/latest/<id>-<slug>``, print stories at ``/print/<id>-<slug>``, The News on
  Sunday at ``/tns/detail/<id>-<slug>``, one id sequence. Pages: ``div.detail-content`` with the
  section in ``div.category-name h2``, the headline in ``div.detail-heading h1`` (``h2`` on TNS),
  ``div.category-source`` the author, ``div.category-date`` a date without time, and the body in
  ``div.story-detail`` with ``Advertisement`` labels and ``googletag`` scripts between paragraphs;
  a JSON-LD NewsArticle except on TNS (whose page has only the visible date); titles
  ``<headline> | <Section> | thenews.com.pk``.
* Datelines: national print pages ``PESHAWAR:``, city pages in title case ``Karachi:``, and a
  city page whose photo caption (credit ``— APP/File``) stands just before ``Lahore:The`` with no
  space after the colon; web stories have none.
* Discovery: the Google News sitemap ``/assets/uploads/google_news_latest.xml`` (every story,
  a magazine story and a print story behind a Cloudflare challenge among them) and the ``/latest``
  listing, whose second page is ``/latest?page=2`` (the mirror's ``status`` and ``queries``
  routes serve them, since ``/latest/`` is also the stories' folder).
* Not articles: a category listing, a magazine story (outside the profile's article paths), the
  print story answered with a 403 challenge, the listing's second page.
"""

from __future__ import annotations

import json
from datetime import date, datetime
from html import escape
from pathlib import Path

from tests.outlets.mirror import expected_article, write_mirror

HERE = Path(__file__).resolve().parent
CHALLENGE = HERE.parent.parent / "site" / "_challenge.html"  # the project's own Cloudflare challenge page
BASE = "https://www.thenews.com.pk"
ROBOTS_TXT = f"User-agent: *\nDisallow: /search\n\nSitemap: {BASE}/assets/uploads/google_news_latest.xml\n"
PAGE_ONE = (1421520, 1421511)
PAGE_TWO = (1421503,)
CHALLENGED = ("/print/1421495-traffic-plan-for-chehlum-processions-finalised", "Traffic plan for Chehlum processions finalised")
MAGAZINE = ("/magazine/instep-today/1421410-a-season-of-new-dramas", "A season of new dramas")
CATEGORY_PAGE = "/latest/category/national"


def article_path(article: dict) -> str:
    folder = "tns/detail" if article["kind"] == "tns" else article["kind"]
    return f"/{folder}/{article['id']}-{article['slug']}"


def article_url(article: dict) -> str:
    return BASE + article_path(article)


def published(article: dict) -> datetime | date:
    written = article["published"]
    return datetime.fromisoformat(written) if "T" in written else date.fromisoformat(written)


def lede(article: dict) -> str:
    """The first paragraph with its dateline: ``Lahore:The`` glued on city pages that had a caption before it."""
    first = article["paragraphs"][0]
    if not article["dateline"]:
        return first
    return f"{article['dateline']}{'' if article.get('glued') else ' '}{first}"


def story_detail(article: dict) -> str:
    paragraphs = [f"<p>{escape(text)}</p>" for text in [lede(article), *article["paragraphs"][1:]]]
    for slot in (4, 2):
        paragraphs.insert(slot, f'<div class="ads-detail"><span>Advertisement</span><div id="tn-ad-{slot}"><script>'
                                f'googletag.cmd.push(function() {{ googletag.display("tn-ad-{slot}"); }});</script></div></div>')
    if article.get("caption"):
        paragraphs.insert(0, f'<div class="medium-insert-images"><figure><img src="https://www.thenews.com.pk/assets/uploads/'
                             f'updates/{article["id"]}.jpg" alt=""><figcaption>{escape(article["caption"])}</figcaption></figure></div>')
    return '<div class="story-detail">\n' + "\n".join(paragraphs) + "\n</div>"


def head(title: str, extra: str) -> str:
    return (f'<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n<title>{escape(title)}</title>\n'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">\n{extra}\n</head>\n')


HEADER = (f'<header><nav><a href="{BASE}/">The News</a> <a href="{BASE}/latest">Latest</a> '
          f'<a href="{BASE}{CATEGORY_PAGE}">National</a> <a href="{BASE}/latest/category/world">World</a> '
          f'<a href="{BASE}/latest/category/business">Business</a> <a href="{BASE}/tns">TNS</a></nav></header>\n')
FOOTER = '<footer><p>Copyright &copy; 2026 The News International</p></footer>\n</body>\n</html>\n'


def json_ld(article: dict) -> str:
    moment = published(article).isoformat()
    block = {"@context": "https://schema.org", "@type": "NewsArticle",
             "mainEntityOfPage": {"@type": "WebPage", "@id": article_url(article)},
             "headline": article["title"], "description": article["summary"],
             "datePublished": moment, "dateModified": moment,
             "author": {"@type": "Person", "name": article["author"]},
             "publisher": {"@type": "Organization", "name": "The News International"}}
    return f'<script type="application/ld+json">{json.dumps(block)}</script>'


def article_page(article: dict, others: list[dict]) -> str:
    tns = article["kind"] == "tns"
    metas = [
        f'<link rel="canonical" href="{article_url(article)}">',
        '<meta property="og:type" content="article">',
        f'<meta property="og:title" content="{escape(article["title"])}">',
        f'<meta property="og:url" content="{article_url(article)}">',
        f'<meta property="og:description" content="{escape(article["summary"])}">',
        f'<meta name="description" content="{escape(article["summary"])}">',
        *([] if tns else [json_ld(article)]),
    ]
    heading = "h2" if tns else "h1"
    latest = "".join(f'<li><a href="{article_url(a)}">{escape(a["title"])}</a></li>' for a in others)
    return (head(f"{article['title']} | {article['category']} | thenews.com.pk", "\n".join(metas)) + "<body>\n" + HEADER
            + '<div class="detail-content">\n'
            f'<div class="category-name"><h2>{escape(article["category"])}</h2></div>\n'
            f'<div class="detail-heading"><{heading}>{escape(article["title"])}</{heading}></div>\n'
            f'<div class="category-source"><span>By</span> {escape(article["author"])}</div>\n'
            f'<div class="category-date">{published(article):%B %d, %Y}</div>\n'
            f"{story_detail(article)}\n</div>\n"
            f'<div class="latest-right"><h3>Most Popular</h3><ul>{latest}</ul></div>\n' + FOOTER)


def listing_page(articles: list[dict], page: int, next_page: bool) -> str:
    items = "\n".join(
        f'<div class="writter-list-item-story"><a href="{article_url(a)}"><h2>{escape(a["title"])}</h2></a>'
        f'<p>{escape(a["summary"])}</p><span class="latest_time">{published(a):%B %d, %Y}</span></div>' for a in articles)
    pages = f'<a class="page-link" href="{BASE}/latest?page={page + 1}">Next</a>' if next_page else ""
    if page > 1:
        pages = f'<a class="page-link" href="{BASE}/latest">Previous</a>' + pages
    canonical = f"{BASE}/latest" + ("" if page == 1 else f"?page={page}")
    return (head("Latest News | thenews.com.pk", f'<link rel="canonical" href="{canonical}">') + "<body>\n" + HEADER
            + f'<div class="detail-center"><h1>Latest</h1>\n{items}\n<div class="pagination">{pages}</div></div>\n' + FOOTER)


def category_page(articles: list[dict]) -> str:
    items = "\n".join(f'<li><a href="{article_url(a)}">{escape(a["title"])}</a></li>' for a in articles)
    return (head("National | thenews.com.pk", f'<link rel="canonical" href="{BASE}{CATEGORY_PAGE}">') + "<body>\n" + HEADER
            + f'<div class="detail-center"><h1>National</h1><ul>{items}</ul></div>\n' + FOOTER)


def news_sitemap(articles: list[dict]) -> str:
    entries = [(article_url(a), a["title"], published(a).isoformat()) for a in sorted(articles, key=lambda a: a["id"], reverse=True)]
    entries.insert(1, (BASE + CHALLENGED[0], CHALLENGED[1], "2026-09-15T06:30:00+05:00"))
    entries.insert(4, (BASE + MAGAZINE[0], MAGAZINE[1], "2026-09-14T11:00:00+05:00"))
    urls = "\n".join(
        f"<url><loc>{loc}</loc><news:news><news:publication><news:name>The News International</news:name>"
        f"<news:language>en</news:language></news:publication><news:publication_date>{when}</news:publication_date>"
        f"<news:title>{escape(title)}</news:title></news:news></url>" for loc, title, when in entries)
    return ('<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
            'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">\n' + urls + "\n</urlset>\n")


def magazine_page() -> str:
    path, title = MAGAZINE
    return (head(f"{title} | Instep | thenews.com.pk", f'<link rel="canonical" href="{BASE}{path}">\n'
                 '<meta property="og:type" content="article">') + "<body>\n" + HEADER
            + f'<div class="detail-content"><div class="detail-heading"><h1>{escape(title)}</h1></div>'
            '<div class="story-detail"><p>Instep looks at the television season ahead.</p></div></div>\n' + FOOTER)


def manifest_entry(article: dict) -> dict:
    """The article as the archive should hold it; the body's paragraphs are joined by a blank line."""
    text = "\n\n".join(article["paragraphs"])
    place = article["dateline"] and article["dateline"].rstrip(":").title()
    return expected_article(article_url(article), article["title"], article["published"], text, place)


def build() -> None:
    articles = json.loads((HERE / "articles.json").read_text(encoding="utf-8"))
    by_id = {article["id"]: article for article in articles}
    files = {"robots.txt": ROBOTS_TXT}
    for article in articles:
        files[article_path(article).lstrip("/")] = article_page(article, [a for a in articles if a is not article][:4])
    files["_latest.html"] = listing_page([by_id[i] for i in PAGE_ONE], 1, next_page=True)
    files["_latest-2.html"] = listing_page([by_id[i] for i in PAGE_TWO], 2, next_page=False)
    files["assets/uploads/google_news_latest.xml"] = news_sitemap(articles)
    files[CATEGORY_PAGE.lstrip("/")] = category_page([a for a in articles if a["category"] == "National"])
    files[MAGAZINE[0].lstrip("/")] = magazine_page()
    files["_challenge.html"] = CHALLENGE.read_text(encoding="utf-8").replace("www.urdupoint.com", "www.thenews.com.pk")
    html = "text/html; charset=utf-8"
    routes = {
        "content_types": {
            CATEGORY_PAGE: html, MAGAZINE[0]: html, **{article_path(a): html for a in articles},
        },
        "headers": {CHALLENGED[0]: {"Server": "cloudflare", "cf-mitigated": "challenge"}},
        "queries": {"/latest?page=2": "_latest-2.html"},
        "status": {"/latest": [200, "_latest.html"], CHALLENGED[0]: [403, "_challenge.html"]},
    }
    manifest = {
        "outlet": "thenews",
        "articles": [manifest_entry(a) for a in sorted(articles, key=lambda a: a["id"])],
        "not_articles": [BASE + CATEGORY_PAGE, BASE + MAGAZINE[0], BASE + CHALLENGED[0], f"{BASE}/latest?page=2"],
    }
    write_mirror(HERE, files, routes, manifest)


if __name__ == "__main__":
    build()

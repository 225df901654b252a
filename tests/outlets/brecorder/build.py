"""Build the Business Recorder mirror (``site/``) and its ``manifest.json`` from ``articles.py``.

The pages follow the real site's shapes (see ``crawler/outlets/brecorder.py``): the PSX ticker
on every page, ``article.story.single`` with the date only, ``+05:00`` times in meta tags and
JSON-LD, a slug-less canonical link, the RSS feed with the whole body, the news sitemap, and
``article.story`` cards on the listings. The site's paths have no file-name ending, so
``_routes.json`` gives each its content type. Deterministic: ``python -m tests.outlets.brecorder.build``.
"""

import html
import json
import re
from datetime import datetime
from email.utils import format_datetime
from pathlib import Path

from tests.outlets.brecorder.articles import ARTICLES, VIDEO
from tests.outlets.mirror import expected_article, write_mirror

HERE = Path(__file__).resolve().parent
BASE = "https://www.brecorder.com"
DATELINE = re.compile(r"^(?P<place>[A-Z]{3,})(?: \([^)]*\))?: ")  # how these stories open
LISTINGS = {"latest-news": "Latest", "pakistan": "Pakistan", "markets": "Markets"}
HTML_TYPE = "text/html; charset=utf-8"

TICKER = """<div class="bg-gray-900 w-full relative overflow-hidden flex js-ticker ticker-90">
  <div class="py-0.5 text-xs font-arial font-medium flex whitespace-nowrap">
    <div class="text-green-400 mx-10"><span class="text-white pr-1"><a href="https://markets.brecorder.com/market-live/companies-live/detailed-view/HUBC.html">HUBC</a></span>
      <span class="pr-1">121.40</span><span class="sr-only">Increased By</span><span>&#9650; 1.85 (1.55%)</span></div>
    <div class="text-red-100 mx-10"><span class="text-white pr-1"><a href="https://markets.brecorder.com/market-live/companies-live/detailed-view/OGDC.html">OGDC</a></span>
      <span class="pr-1">128.05</span><span class="sr-only">Decreased By</span><span>&#9660; -0.95 (-0.74%)</span></div>
    <div class="text-green-400 mx-10"><span class="text-white pr-1">KSE100</span>
      <span class="pr-1">65,214.06</span><span class="sr-only">Increased By</span><span>&#9650; 812.10 (1.26%)</span></div>
  </div>
</div>"""

HEADER = f"""<header class="pb-2">
{TICKER}
<nav class="container"><a href="https://www.brecorder.com/"><img src="https://www.brecorder.com/_img/logo.png" alt="Business Recorder"></a>
  <ul class="nav"><li><a href="/latest-news">Latest</a></li><li><a href="/pakistan">Pakistan</a></li>
  <li><a href="/markets">Markets</a></li><li><a href="/world">World</a></li><li><a href="/live">Live</a></li>
  <li><a href="/trends/budget-2024-25">Budget 2024-25</a></li></ul></nav>
</header>"""

FOOTER = """<footer><div class="container">
  <ul><li><a href="https://brecorder.com/contact">&bull; Contact Us</a></li>
  <li><a href="https://brecorder.com/privacy-policy">&bull; Privacy Policy</a></li>
  <li><a href="/feeds/latest-news">RSS</a></li></ul>
  2024 &copy; Business Recorder. All Rights Reserved.
</div></footer>"""


def e(text: str) -> str:
    return html.escape(text, quote=True)


def when(article: dict) -> datetime:
    return datetime.fromisoformat(article["published"])


def slug_url(article: dict) -> str:
    return f"{BASE}/news/{article['id']}/{article['slug']}"


def canonical(article: dict) -> str:
    """The URL the article is archived under: today's pages name the slug-less form."""
    return f"{BASE}/news/{article['id']}" if article["layout"] != "legacy" else slug_url(article)


def page(title: str, head: str, body_class: str, main: str) -> str:
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width,minimum-scale=1,initial-scale=1">
<title>{e(title)}</title>
{head}
<link rel="stylesheet" href="https://www.brecorder.com/_css/newskit.20240219110706.css" media="all">
<script async src="https://securepubads.g.doubleclick.net/tag/js/gpt.js"></script>
</head>
<body class="bg-orange-50 antialiased font-serif {body_class}">
{HEADER}
<div class="container">
{main}
<div id="div-gpt-ad-1682677755291-0" class="ad__wrapper__slot mt-8"><script>googletag.cmd.push(function() {{ googletag.display('div-gpt-ad-1682677755291-0'); }});</script></div>
</div>
{FOOTER}
</body>
</html>
"""


def body_html(article: dict) -> str:
    paragraphs = [f"<p>{e(text)}</p>" for text in article["paragraphs"]]
    if "read_also" in article:  # the site's inline teaser: a paragraph that is only a link
        other_id, other_title = article["read_also"]
        teaser = f'<p><a href="https://www.brecorder.com/news/{other_id}">{e(other_title)}</a></p>'
        paragraphs.insert(2, teaser)
    return "\n      ".join(paragraphs)


def current_page(article: dict) -> str:
    name, author_id, author_slug = article["author"]
    author_url = f"{BASE}/authors/{author_id}/{author_slug}"
    section = article["section"]
    day = when(article)
    jsonld = {
        "@context": "http://schema.org", "@type": "NewsArticle", "url": BASE,  # the CMS's root-url quirk
        "publisher": {"@type": "Organization", "name": "Brecorder", "url": BASE},
        "datePublished": day.isoformat(), "dateModified": day.isoformat(),
        "mainEntityOfPage": canonical(article), "headline": article["title"],
        "description": article["paragraphs"][0][:110] + "...",
        "author": [{"@type": "Person", "name": name, "url": author_url}],
    }
    tags_meta = "\n".join(f"<meta property='article:tag' content='{e(tag)}' />" for tag in article["tags"])
    head = f"""<meta name='description' content='{e(jsonld["description"])}' />
<link rel='canonical' href='{canonical(article)}' />
<link rel='alternate' type='application/rss+xml' title='{e(article["title"])}' href='{BASE}/feeds/news/{article["id"]}' />
<link rel='amphtml' href='{BASE}/news/amp/{article["id"]}' />
<meta property='og:site_name' content='Brecorder' />
<meta property='og:url' content='{canonical(article)}' />
<meta property='og:type' content='article' />
<meta property='og:title' content='{e(article["title"])}' />
<meta property='article:section' itemprop='articleSection' content='{section}' />
<meta property='article:published_time' content='{article["published"]}' />
<meta property='article:modified_time' content='{article["published"]}' />
{tags_meta}
<meta property='article:author' content='{author_url}' />
<meta name='author' content='{e(name)}' />
<script type="application/ld+json">{json.dumps({"@context": "http://schema.org", "@type": "BreadcrumbList", "itemListElement": [{"@type": "ListItem", "position": 1, "item": {"@id": f"{BASE}/{section}", "name": section.title()}}]})}</script>
<script type="application/ld+json">{json.dumps(jsonld)}</script>"""
    tags = "".join(
        f'<span class="badge"><a href="/trends/{tag.lower().replace(" ", "-")}">{e(tag)}</a></span>'
        for tag in article["tags"]
    )
    main = f"""<div class="flex flex-col md:flex-row">
  <div class="w-full md:w-2/3">
    <article class="story story--single single" id="{article['id']}">
      <span class="badge"><a href="/{section}">{section.title()}</a></span>
      <h1 class="story__title text-6 font-bold"><a class="story__link" href="{slug_url(article)}">{e(article['title'])}</a></h1>
      <div class="story__meta">
        <span class="story__byline"><a class="story__byline__link" href="{author_url}">{e(name)}</a></span>
        <span class="story__time">Published <span class="timestamp--published"><span class="timestamp--date">{day:%B} {day.day}, {day:%Y}</span></span></span>
      </div>
      <figure class="media"><div class="media__item"><img src="https://i.brecorder.com/primary/2024/03/{article['id']}.jpg" alt=""></div></figure>
      <div class="story__content overflow-hidden text-4 font-georgia">
      {body_html(article)}
      </div>
      <div class="story__tags">{tags}</div>
    </article>
    <section id="comments-{article['id']}" class="comments"><h3>Comments</h3><p>Comments are closed.</p></section>
  </div>
  <aside class="w-full md:w-1/3"><h4>Most Popular</h4><ol class="popular"><li><a href="/trends/psx">PSX</a></li></ol></aside>
</div>"""
    return page(f"{article['title']} - {section.title()} - Business Recorder", head, "single-story", main)


def legacy_page(article: dict) -> str:
    """The old site's template: no JSON-LD, no og tags, a headline in an h2."""
    day = when(article)
    main = f"""<div id="content" class="singlepage">
  <div class="singletitle"><h2>{e(article['title'])}</h2></div>
  <div class="singlemeta"><time datetime="{day.isoformat()}">{day:%d %B, %Y}</time></div>
  <div class="art-body">
    {"".join(f"<p>{e(text)}</p>" for text in article["paragraphs"])}
  </div>
</div>"""
    head = f"<link rel='canonical' href='{slug_url(article)}' />"
    return page(f"{article['title']} - Business Recorder", head, "single-story legacy", main)


def video_page() -> str:
    url = f"{BASE}/news/{VIDEO['id']}"
    head = f"""<link rel='canonical' href='{url}' />
<meta property='og:type' content='video.other' />
<meta property='og:title' content='{e(VIDEO["title"])}' />
<meta property='og:url' content='{url}' />
<script type="application/ld+json">{json.dumps({"@context": "http://schema.org", "@type": "VideoObject", "name": VIDEO["title"], "uploadDate": datetime.fromisoformat(VIDEO["published"]).isoformat(), "embedUrl": "https://www.youtube.com/embed/brvideo01"})}</script>"""
    main = f"""<article class="story story--single single story--video" id="{VIDEO['id']}">
  <span class="badge"><a href="/videos">Videos</a></span>
  <h1 class="story__title"><a class="story__link" href="{BASE}/news/{VIDEO['id']}/{VIDEO['slug']}">{e(VIDEO['title'])}</a></h1>
  <div class="media media--video"><iframe src="https://www.youtube.com/embed/brvideo01" allowfullscreen></iframe></div>
  <div class="story__content"><p>Watch the briefing.</p></div>
</article>"""
    return page(f"{VIDEO['title']} - Videos - Business Recorder", head, "single-story", main)


def author_page() -> str:
    cards = "".join(story_card(article) for article in ARTICLES if article["author"] and article["author"][0] == "BR Web Desk")
    main = f"""<div class="author-profile"><h1 class="author__name">BR Web Desk</h1>
  <p class="author__bio">News and updates from the Business Recorder web desk.</p>
  <a href="/authors/73001/br-web-desk/2">More</a></div>
<div class="stories">{cards}</div>"""
    head = f"<link rel='canonical' href='{BASE}/authors/73001/br-web-desk' /><meta property='og:type' content='profile' />"
    return page("BR Web Desk - Business Recorder", head, "author", main)


def live_page() -> str:
    updates = "".join(
        f'<div class="live__update"><span class="timeago" title="{when(a).isoformat()}">{when(a):%H:%M}</span>'
        f'<p>{e(a["paragraphs"][0][:140])}</p><a href="{slug_url(a)}">Read more</a></div>'
        for a in ARTICLES[:3]
    )
    main = f'<div class="live"><h1>Live: Markets and business updates</h1>{updates}</div>'
    return page("Live - Business Recorder", f"<link rel='canonical' href='{BASE}/live' />", "live", main)


def story_card(article: dict) -> str:
    return f"""
    <article class="story box border-b" data-id="{article['id']}">
      <figure class="media"><a href="{slug_url(article)}" class="media__link"><img src="https://i.brecorder.com/thumbnail/2024/03/{article['id']}.jpg" alt=""></a></figure>
      <h2 class="story__title"><a class="story__link" href="{slug_url(article)}">{e(article['title'])}</a></h2>
      <div class="story__excerpt">{e(article['paragraphs'][0][:160])}...</div>
      <span class="story__time"><span class="timeago" title="{when(article).isoformat()}">{when(article):%d %b, %Y}</span></span>
    </article>"""


def listing_page(section: str, label: str) -> str:
    cards = "".join(story_card(article) for article in sorted(ARTICLES, key=when, reverse=True) if section in article["found_in"])
    if section == "latest-news":  # the video story is listed like any other
        cards = story_card({**VIDEO, "paragraphs": [VIDEO["title"]]}) + cards
    main = f"""<h1 class="section__title">{label}</h1>
<div class="stories">{cards}
</div>
<aside><h4>Trending</h4><a href="/trends/budget-2024-25">Budget 2024-25</a> <a href="/authors/73001/br-web-desk">BR Web Desk</a></aside>"""
    head = f"<link rel='canonical' href='{BASE}/{section}' /><link rel='alternate' type='application/rss+xml' href='{BASE}/feeds/latest-news/' />"
    return page(f"{label} - Business Recorder", head, section, main)


def feed() -> str:
    items = []
    feed_articles = sorted((a for a in ARTICLES if "feed" in a["found_in"]), key=when, reverse=True)
    for article in feed_articles:
        first, *rest = article["paragraphs"]
        description = f"<p><strong>{e(first)}</strong></p>" + "".join(f"<p>{e(text)}</p>" for text in rest)
        items.append(f"""  <item>
    <title>{e(article['title'])}</title>
    <link>{slug_url(article)}</link>
    <guid isPermaLink="false">{article['id']}</guid>
    <pubDate>{format_datetime(when(article))}</pubDate>
    <dc:creator>{e(article['author'][0])}</dc:creator>
    <description><![CDATA[{description}]]></description>
    <media:content url="https://i.brecorder.com/large/2024/03/{article['id']}.jpg" medium="image"/>
  </item>""")
    video = f"""  <item>
    <title>{e(VIDEO['title'])}</title>
    <link>{BASE}/news/{VIDEO['id']}/{VIDEO['slug']}</link>
    <guid isPermaLink="false">{VIDEO['id']}</guid>
    <pubDate>{format_datetime(datetime.fromisoformat(VIDEO['published']))}</pubDate>
    <description><![CDATA[<p>Watch the briefing.</p>]]></description>
  </item>"""
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:media="http://search.yahoo.com/mrss/">
<channel>
  <title>Business Recorder - Latest</title>
  <link>{BASE}/latest-news</link>
  <description>Latest News on Business, Finance and Markets from Pakistan</description>
  <language>en</language>
{video}
{chr(10).join(items)}
</channel>
</rss>
"""


def news_sitemap() -> str:
    urls = []
    for article in sorted((a for a in ARTICLES if "sitemap" in a["found_in"]), key=when, reverse=True):
        urls.append(f"""  <url>
    <loc>{slug_url(article)}</loc>
    <lastmod>{when(article).isoformat()}</lastmod>
    <news:news>
      <news:publication><news:name>Business Recorder</news:name><news:language>en</news:language></news:publication>
      <news:publication_date>{when(article).isoformat()}</news:publication_date>
      <news:title>{e(article['title'])}</news:title>
    </news:news>
  </url>""")
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">
{chr(10).join(urls)}
</urlset>
"""


ROBOTS = """User-agent: *
Disallow: /search
Disallow: */print
""" + "".join(f"Disallow: /authors/*/{n}\n" for n in range(1, 10)) + f"""
Sitemap: {BASE}/feeds/sitemap
"""


def expected(article: dict) -> dict:
    paragraphs = [p for p in article["paragraphs"] if not p.startswith("Copyright Business Recorder")]
    dateline = DATELINE.match(paragraphs[0])
    text = "\n\n".join([paragraphs[0][dateline.end():] if dateline else paragraphs[0], *paragraphs[1:]])
    return expected_article(canonical(article), article["title"], when(article).isoformat(), text,
                            dateline["place"].title() if dateline else None)


def build() -> None:
    files: dict[str, tuple[str, str | None]] = {"/robots.txt": (ROBOTS, None)}
    for article in ARTICLES:
        render = legacy_page if article["layout"] == "legacy" else current_page
        files[f"/news/{article['id']}/{article['slug']}"] = (render(article), HTML_TYPE)
    files[f"/news/{VIDEO['id']}/{VIDEO['slug']}"] = (video_page(), HTML_TYPE)
    files["/authors/73001/br-web-desk"] = (author_page(), HTML_TYPE)
    files["/live"] = (live_page(), HTML_TYPE)
    for section, label in LISTINGS.items():
        files[f"/{section}"] = (listing_page(section, label), HTML_TYPE)
    files["/feeds/latest-news"] = (feed(), "application/rss+xml; charset=utf-8")
    files["/feeds/sitemap"] = (news_sitemap(), "application/xml; charset=utf-8")
    routes = {"content_types": {path: ctype for path, (_, ctype) in sorted(files.items()) if ctype}}
    manifest = {
        "outlet": "brecorder",
        "articles": [expected(article) for article in ARTICLES],
        "not_articles": [
            f"{BASE}/news/{VIDEO['id']}",
            f"{BASE}/authors/73001/br-web-desk",
            f"{BASE}/live",
            f"{BASE}/news/amp/{ARTICLES[0]['id']}",
            f"{BASE}/trends/budget-2024-25",
        ],
    }
    write_mirror(HERE, {path: text for path, (text, _) in files.items()}, routes, manifest)


if __name__ == "__main__":
    build()

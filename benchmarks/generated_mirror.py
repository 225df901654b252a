"""A large generated mirror of the English edition, for benchmarks only.

The pages are those of the bundled test mirror (``tests/mirror/build.py`` renders them:
every template, byline, dateline style, JSON-LD and page furniture), filled with
articles drawn from :mod:`benchmarks.synthetic`'s vocabulary. The same ``size`` and
``seed`` always give byte-identical files. ``ARTICLES_PER_DAY`` articles fall on each
day, so a 5,000-article mirror has 25 daily sitemaps and a 20,000-article one 100.

Besides the article pages it has what a crawl discovers them by: the RSS feed, the
category listings (walked page by page), the daily gzipped sitemaps the spider backfills
from, and a sitemap index (``/sitemap.xml``, named by robots.txt) for other crawlers.
The sitemaps name public ``https://www.urdupoint.com`` URLs, as the site's do;
:func:`write_local_sitemaps` writes copies that name a local server's URLs, for tools
that cannot map one address to the other.

Built once per size and seed into ``benchmarks/.cache/mirror-<size>-<seed>/``.
"""

import gzip
import hashlib
import random
import re
import shutil
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

from benchmarks import synthetic
from tests.mirror import build

CACHE = Path(__file__).resolve().parent / ".cache"
SEED = 20261128
FIRST_DAY = date(2024, 1, 1)
ARTICLES_PER_DAY = 200
FIRST_ID = 3_000_000
RELATED_WINDOW = 40  # "Recent Stories" and "More Stories" come from the articles just before
TEMPLATES = ["current"] * 6 + ["older", "dateonly", "dateonly", "legacy"]
AUTHORS = [("Fahad Shabbir", "FahadShabbir"), ("Umer Jamshaid", "UmerJamshaid"), ("Sumaira FH", None),
           ("Faizan Hashmi", None), ("Muhammad Irfan", None), ("Zeeshan Mehtab", None)]
CATEGORIES = list(build.CATEGORY_NAMES)
PAKISTAN_TIME = timezone(timedelta(hours=5))
ARTICLE_PATH = re.compile(r"^/en/(?!news/|team/)[a-z-]+/[^/]+-\d+\.html$")
SOURCES = [Path(build.__file__), Path(synthetic.__file__), Path(__file__)]


def _dateline(rng: random.Random, day: date) -> str | None:
    """One of the site's dateline styles (see tests/mirror/articles.json), or none."""
    place = rng.choice(synthetic.PLACES)
    short = f"{build.ordinal(day.day)} {day:%b}, {day.year}"
    style = rng.randrange(10)
    if style < 5:
        return f"{place.upper()}, (UrduPoint / Pakistan Point News - {short} ) :"
    if style < 7:
        return f"{place.title()}, {day:%b} {day.day} (UrduPoint / Pakistan Point News - {short} ) :"
    if style == 7:
        agency = rng.choice(["APP", "Xinhua", "WAM", "PPI"])
        return f"{place.upper()}, ({agency} - UrduPoint / Pakistan Point News - {short})"
    if style == 8:
        return f"{place.upper()} (UrduPoint News / Sputnik - {build.ordinal(day.day)} {day:%B}, {day.year})"
    return None


def articles(size: int, seed: int = SEED) -> list[dict]:
    """``size`` article records in the shape of ``tests/mirror/articles.json``, oldest first."""
    rng = random.Random(seed)
    vocabulary = synthetic.Vocabulary(rng, synthetic.COMMON + synthetic.NEWS, synthetic.LATIN_SYLLABLES, 30_000)
    records = []
    for n in range(size):
        day = FIRST_DAY + timedelta(days=n // ARTICLES_PER_DAY)
        minute = (n % ARTICLES_PER_DAY) * (24 * 60 // ARTICLES_PER_DAY) + rng.randrange(5)
        moment = datetime(day.year, day.month, day.day, tzinfo=PAKISTAN_TIME) + timedelta(minutes=minute)
        subject, topic = " ".join(rng.sample(synthetic.NEWS[:120], 2)), " ".join(rng.sample(synthetic.NEWS[120:], 2))
        title = f"{subject} {rng.choice(synthetic.TITLE_VERBS)} {topic}".title()
        author, handle = rng.choice(AUTHORS)
        records.append({
            "id": FIRST_ID + n,
            "category": rng.choice(CATEGORIES),
            "slug": build.slugify(title),
            "title": title,
            "summary": vocabulary.sentence(rng, rng.randint(15, 30)),
            "author": author,
            "author_handle": handle,
            "published_at": moment.isoformat(),
            "tags": rng.sample(synthetic.NEWS, 4),
            "dateline": _dateline(rng, day),
            "paragraphs": [vocabulary.sentence(rng, rng.randint(25, 60)) for _ in range(rng.randint(3, 9))],
            "template": rng.choice(TEMPLATES),
        })
    return records


def sitemap_index(days: list[str], base: str = build.PUBLIC_BASE) -> str:
    entries = "\n".join(f"<sitemap><loc>{base}{build.sitemap_path(day)}</loc></sitemap>" for day in days)
    return ('<?xml version="1.0" encoding="UTF-8"?>\n'
            f'<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n{entries}\n</sitemapindex>\n')


def site_files(records: list[dict]):
    """``(path, bytes)`` of every file of the generated site, page by page."""
    categories = CATEGORIES
    for i, a in enumerate(records):
        window = records[max(0, i - RELATED_WINDOW):i + 1]
        yield build.article_path(a)[1:], build.render_article(a, window, categories).encode("utf-8")
    for category, entries in build.listing_entries(records, extras=False).items():
        chunks = [entries[i:i + build.LISTING_PAGE_SIZE * 4] for i in range(0, len(entries), build.LISTING_PAGE_SIZE * 4)]
        for n, chunk in enumerate(chunks, start=1):
            html = build.render_listing(category, chunk, n, len(chunks), categories)
            yield build.listing_path(category, n)[1:], html.encode("utf-8")
    home = build.render_home(records[-50:], categories).encode("utf-8")
    yield "index.html", home
    yield "en/index.html", home
    yield "en/sitemap/news.rss", build.render_rss(records[-200:], extras=False).encode("utf-8")
    sitemaps = build.day_sitemaps(records, extras=False)
    yield from ((path[1:], data) for path, data in sitemaps.items())
    days = sorted({a["published_at"][:10] for a in records})
    yield "sitemap.xml", sitemap_index(days).encode("utf-8")
    yield "robots.txt", (build.ROBOTS_TXT + f"Sitemap: {build.PUBLIC_BASE}/sitemap.xml\n").encode("utf-8")


def fingerprint(size: int, seed: int) -> str:
    digest = hashlib.sha256(f"{size}:{seed}".encode())
    for source in SOURCES:
        digest.update(source.read_bytes())
    return digest.hexdigest()[:16]


def mirror(size: int, seed: int = SEED, cache: Path = CACHE) -> Path:
    """The directory of the generated site (built now if it is not cached yet)."""
    root = cache / f"mirror-{size}-{seed}"
    stamp = root / "_fingerprint"
    if stamp.exists() and stamp.read_text() == fingerprint(size, seed):
        return root
    partial = root.with_name(root.name + ".partial")
    shutil.rmtree(partial, ignore_errors=True)
    shutil.rmtree(root, ignore_errors=True)
    for path, data in site_files(articles(size, seed)):
        target = partial / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    (partial / "_fingerprint").write_text(fingerprint(size, seed))
    partial.rename(root)
    return root


def article_paths(root: Path) -> list[str]:
    """The mirror's article pages, as URL paths."""
    paths = ("/" + page.relative_to(root).as_posix() for page in root.glob("en/*/*.html"))
    return sorted(path for path in paths if ARTICLE_PATH.match(path))


def write_local_sitemaps(root: Path, base_url: str) -> str:
    """Plain copies of the sitemaps under ``/local-sitemaps/`` that name ``base_url``'s pages; their index's URL."""
    local = root / "local-sitemaps"
    shutil.rmtree(local, ignore_errors=True)
    local.mkdir()
    entries = []
    for sitemap in sorted(root.glob("sitemap/daily/data/*/*.xml.gz")):
        name = sitemap.name.removesuffix(".gz")
        text = gzip.decompress(sitemap.read_bytes()).decode("utf-8").replace(build.PUBLIC_BASE, base_url)
        (local / name).write_text(text, encoding="utf-8")
        entries.append(f"<sitemap><loc>{base_url}/local-sitemaps/{name}</loc></sitemap>")
    (local / "sitemap.xml").write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
        + "\n".join(entries) + "\n</sitemapindex>\n", encoding="utf-8")
    return f"{base_url}/local-sitemaps/sitemap.xml"

"""Stories: the copies of one story that several outlets carried, each an article of its outlet.

Within an outlet, a page whose body repeats an archived article is a duplicate of it
(:mod:`pipelines.dedup`). Across outlets it is not: each outlet's archive stays complete, so
the same wire story carried by two outlets is two articles, linked as one story.

A story is a group of articles whose bodies repeat one another's across outlets, exactly
(the content hash) or nearly (Jaccard similarity of word 5-shingles at least
``NEARDUP_THRESHOLD``): an article that repeats articles of two stories joins them into one.
A story never splits: an edit that makes an article differ from the others keeps it in its
story.

Each article's ``story`` names its story by the URL of the story's first article: the copy
published first, then the one its outlet numbered lowest, then the URL
(:func:`publication_order`, the rule that also picks which of an outlet's copies is the
article). So the name does not depend on the order the copies were archived in: when an
earlier copy arrives late, every article of the story is renamed after it. An article alone
in its story names it by its own URL. ``story_similarity`` is each article's similarity to the
story's first article (1.0 for the same text); null for the first article itself.
"""

import re
from urllib.parse import urlsplit

from pipelines import neardup

OUTLET_NUMBER = re.compile(r"(\d+)\D*$")  # the last number in a URL's path: the one the outlet gives the article


def publication_order(published_at_utc: str | None, url: str) -> tuple:
    """Where a copy of a story ranks among its copies: the first is the article.

    Published first (a copy without a time after those with one), then the lowest number
    the outlet gave it (``...-2052192.html``, ``news-3761204.html``), then the URL: nothing
    that depends on when the crawl met it, such as the archive's own ids.
    """
    number = OUTLET_NUMBER.search(urlsplit(url).path)
    return published_at_utc is None, published_at_utc or "", number is None, int(number[1]) if number else 0, url


def join(db, article_ids) -> str:
    """Make the stories of ``article_ids`` one story (:func:`settle`); its name."""
    ids = list(article_ids)
    names = [name for name, in db.execute(
        f"select distinct story from articles where id in ({', '.join('?' * len(ids))})", ids)]
    return settle(db, names)


def settle(db, names) -> str | None:
    """Name the articles of the stories ``names``, as one story, after its first article, and give
    each its similarity to that article; the story's name (None when no article has these names).

    Called after any change that may move a story's first article: a new member, an edit, an
    earlier copy taking an article's place (its URL changes).
    """
    names = list(dict.fromkeys(names))
    rows = db.execute(
        f"select id, url, published_at_utc, text, content_hash, story, story_similarity from articles"
        f" where story in ({', '.join('?' * len(names))})",
        names,
    ).fetchall()
    if not rows:
        return None
    first_id, first_url, _, first_text, first_hash, _, _ = min(rows, key=lambda row: publication_order(row[2], row[1]))
    first_shingles = None
    updates = []
    for article_id, _, _, text, content_hash, name, similarity in rows:
        if article_id == first_id:
            new_similarity = None
        elif content_hash == first_hash:
            new_similarity = 1.0
        else:
            if first_shingles is None:
                first_shingles = neardup.shingle_hashes(first_text)
            new_similarity = round(neardup.jaccard(first_shingles, neardup.shingle_hashes(text)), 4)
        if (name, similarity) != (first_url, new_similarity):
            updates.append((first_url, new_similarity, article_id))
    db.conn.executemany("update articles set story = ?, story_similarity = ? where id = ?", updates)
    return first_url

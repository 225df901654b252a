"""Search that finds Urdu however it was typed, and shows the article as it was written.

The index holds folded text (``pipelines.normalise``), the typed words are folded the
same way (``crawler.search.fts_query``), and snippets come from the original text
(``crawler.snippets``). Real Urdu words, each typed the ways people type them.
"""

import random
import re
import sqlite3
from unittest import mock

import pytest
import sqlite_utils
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from crawler import queries, snippets
from pipelines.normalise import FOLDS, fold, fold_view_sql
from crawler.search import fts_query
from crawler.snippets import register, snippet
from pipelines import schema
from tests.mirror.build import load_articles, load_urdu_articles

ARABIC_KEYBOARD = str.maketrans({"ک": "ك", "ی": "ي", "ہ": "ه"})

# (id, as stored in an article, as typed in a search box, whether the search finds it)
VARIANTS = [
    ("arabic-kaf-heh-in-text", "ترجمان نے كها كه", "کہا", True),
    ("arabic-kaf-heh-typed", "ترجمان نے کہا کہ", "كها", True),
    ("arabic-yeh-typed", "بجلی کی فراہمی", "بجلي", True),
    ("alef-maksura", "موسیٰ", "موسى", True),
    ("khari-zabar-removed", "وزیراعلیٰ پنجاب", "وزیراعلی", True),
    ("pesh-removed", "اُردو پوائنٹ", "اردو", True),
    ("zer-of-izafat-removed", "حکومتِ پاکستان", "حکومت", True),
    ("tanween-removed", "تقریباً تین دہائیاں", "تقریبا", True),
    ("shadda-removed", "محمّد علی", "محمد", True),
    ("hamza-waw", "حکومت کا مؤقف واضح ہے", "موقف", True),
    ("yeh-with-hamza-li-e", "اس کے لئے مشینری", "لیے", True),
    ("yeh-barree-with-hamza", "علاقے زیر آب آ گۓ", "گئے", True),
    ("alef-madda", "قرآن پاک", "قران", True),
    ("alef-hamza-above", "أمریکہ", "امریکہ", True),
    ("heh-with-izafat-hamza", "مسئلۂ کشمیر", "مسئلہ", True),
    ("teh-marbuta", "صلوٰة", "صلوۃ", True),
    ("tatweel-typed", "پاکستان کی ٹیم", "پاکـستان", True),
    ("zwnj-is-a-word-break", "امتحانات کی ڈیٹ\u200cشیٹ", '"ڈیٹ شیٹ"', True),
    ("zwj-removed", "لاہور\u200d میں", "لاہور", True),
    ("rlm-removed", "18 جولائی\u200f کو", "جولائی", True),
    ("urdu-digits", "۶۵ لاکھ بچے", "65", True),
    ("arabic-indic-digits", "٢٠٢٥ کا بجٹ", "2025", True),
    ("prefix", "وزیراعظم شہباز شریف", "وزیر*", True),
    ("bari-yeh-is-its-own-letter", "پاکستان کے عوام", "کی", False),
    ("choti-yeh-is-not-bari-yeh", "پاکستان کی ٹیم", "کے", False),
    ("do-chashmi-heh-kept-apart", "ترجمان نے کہا", "کھا", False),
    ("heh-kept-apart-from-do-chashmi", "کھانا پکانا", "کہانا", False),
    ("noon-ghunna-kept", "میں", "مین", False),
]


def archive_with(db: sqlite_utils.Database, *texts: str) -> list[int]:
    ids = []
    for n, text in enumerate(texts):
        row = {"url": f"https://www.urdupoint.com/daily/livenews/2025-07-18/news-{n}.html", "outlet": "urdupoint",
               "language": "ur", "title": f"خبر {n}", "text": text, "content_hash": f"h{n}",
               "first_seen": "2026-01-01T00:00:00+00:00", "last_seen": "2026-01-01T00:00:00+00:00"}
        ids.append(db["articles"].insert(row).last_pk)
    return ids


def found(db: sqlite_utils.Database, typed: str) -> list[int]:
    sql, params = queries.select("a.id", queries.Filters(search=typed), queries.BEST_MATCH)
    return [row[0] for row in db.execute(sql, params)]


@pytest.mark.parametrize("stored, typed, finds", [v[1:] for v in VARIANTS], ids=[v[0] for v in VARIANTS])
def test_a_word_typed_either_way_finds_the_article(fresh_db, stored, typed, finds):
    [article] = archive_with(fresh_db, stored)
    assert found(fresh_db, typed) == ([article] if finds else [])


def test_the_fold_table():
    assert fold("كها") == fold("کہا") == "کہا"
    assert fold("اُردو") == "اردو" and fold("وزیراعلیٰ") == "وزیراعلی" and fold("مؤقف") == "موقف"
    assert fold("لئے") == fold("لیے") and fold("گۓ") == fold("گئے")
    assert fold("۲۰۲۴") == fold("٢٠٢٤") == "2024"
    assert fold("کے") != fold("کی") and fold("کھا") != fold("کہا")  # distinct letters stay distinct
    assert fold("Café COVID-19") == "Café COVID-19"  # Latin is the tokenizer's business
    for char, replacement in FOLDS.items():  # one pass folds completely, so chained SQL replace() agrees
        assert not set(replacement) & set(FOLDS), char
        assert fold(fold(char)) == fold(char)


def test_the_index_reads_text_folded_exactly_as_python_folds_it(fresh_db):
    rng = random.Random(7)
    alphabet = [*FOLDS, *"ابپتٹثجچحخدڈذرڑزژسشصضطظعغفقکگلمنںوہھءیے ۔،.aZé19\n"]
    texts = ["".join(rng.choice(alphabet) for _ in range(rng.randrange(1, 300))) for _ in range(200)]
    texts += ["Wheat prices: Rs 4,000 per 40 kg.\n\nCOVID-19", "a\x00" + next(iter(FOLDS)), "ascii, then " + next(iter(FOLDS))]
    ids = archive_with(fresh_db, *texts)
    folded = dict(fresh_db.execute("select id, text from articles_fts_source").fetchall())
    assert [folded[i] for i in ids] == [fold(text) for text in texts]


def test_the_view_is_plain_sql_that_any_connection_reads(tmp_path):
    conn = sqlite3.connect(tmp_path / "plain.db")  # no function registered, no sqlite-utils
    conn.execute("create table t (id integer primary key, body text)")
    conn.execute(fold_view_sql("t_folded", "t", "id", ["body"]))
    conn.execute("insert into t (body) values (?), (null)", ["كها اُردو ۲۰۲۴"])
    assert conn.execute("select body from t_folded order by id").fetchall() == [("کہا اردو 2024",), (None,)]


def test_the_index_stays_consistent_through_writes_and_rebuilds(fresh_db):
    [first, second] = archive_with(fresh_db, "ترجمان نے كها كه بجلي", "وزیراعلیٰ پنجاب")
    fresh_db["articles"].update(first, {"last_seen": "2026-02-01T00:00:00+00:00"})  # not indexed: no reindex
    fresh_db["articles"].update(second, {"text": "حکومت کا مؤقف"})
    assert (found(fresh_db, "کہا"), found(fresh_db, "وزیراعلی"), found(fresh_db, "موقف")) == ([first], [], [second])
    fresh_db.execute("insert into articles_fts (articles_fts) values ('integrity-check')")
    fresh_db.execute("insert into articles_fts (articles_fts) values ('rebuild')")
    assert (found(fresh_db, "کہا"), found(fresh_db, "موقف")) == ([first], [second])
    fresh_db["articles"].delete(first)
    assert found(fresh_db, "کہا") == []
    fresh_db.execute("insert into articles_fts (articles_fts) values ('integrity-check')")


def test_an_archive_made_before_folding_is_reindexed_folded(tmp_path):
    db = sqlite_utils.Database(tmp_path / "old.db")
    schema.migrations.apply(db, stop_before="search_folded_text")
    [article] = archive_with(db, "ترجمان نے كها كه اُردو")
    assert found(db, "کہا") == found(db, "اردو") == []  # unfolded: Arabic letters, a pesh splitting the word
    schema.apply(db)
    assert found(db, "کہا") == found(db, "اردو") == [article]


# --- snippets ---------------------------------------------------------------------------

def test_a_snippet_shows_the_text_as_written_with_the_found_words_marked(fresh_db):
    text = "واٹر كارپوريشن كے ترجمان نے كها كه دھابیجی پمپنگ اسٹیشن پر بجلی کی بندش سے فراہمی متاثر ہوئی۔"
    archive_with(fresh_db, text)
    register(fresh_db.conn)
    match = fts_query("کہا بجلی")
    [(mine, fts5)] = fresh_db.execute(
        "select archive_snippet(a.text, :m, '[', ']', '…', 8), snippet(articles_fts, 2, '[', ']', '…', 8)"
        " from articles_fts join articles a on a.id = articles_fts.rowid where articles_fts match :m", {"m": match}
    ).fetchall()
    assert mine == "…[كها] كه دھابیجی پمپنگ اسٹیشن پر [بجلی] کی…"  # the Arabic letters as the page wrote them
    assert fts5 == fold(mine)  # what FTS5's snippet() shows: the folded text, marked at the same words


def test_a_snippet_marks_a_phrase_and_keeps_vowel_marks_inside_the_mark():
    text = "وزیراعلیٰ پنجاب مریم نواز نے صفائی مہم کا اعلان کیا۔"
    assert snippet(text, fts_query('"وزیراعلی پنجاب"'), "<b>", "</b>", "…", 16) == (
        "<b>وزیراعلیٰ پنجاب</b> مریم نواز نے صفائی مہم کا اعلان کیا۔"
    )
    assert snippet("پاکستانِ", fts_query("پاکستان")) == "[پاکستانِ]"
    assert snippet(None, '"x"') is None
    assert snippet("۔۔۔", '"x"') == "۔۔۔"


def test_a_snippet_starts_at_an_urdu_sentence_when_that_scores_better():
    text = ("پہلا جملہ بہت لمبا ہے اور اس میں کئی الفاظ ہیں جو تلاش سے متعلق نہیں۔ "
            "دوسرا جملہ گندم کی قیمت کے بارے میں ہے اور کسانوں کا ذکر کرتا ہے۔")
    assert snippet(text, fts_query("گندم"), tokens=10) == "…دوسرا جملہ [گندم] کی قیمت کے بارے میں ہے اور…"


@pytest.mark.parametrize("size", [8, 16, 24])
def test_the_snippet_matches_fts5s_own_on_folded_urdu(size):
    """Over folded text, archive_snippet and FTS5's snippet() choose and mark the same words.

    The Urdu full stop is written "." here: FTS5 starts fragments only at "." and ":",
    archive_snippet also at "۔" (the one place they differ, on purpose)."""
    rng = random.Random(size)
    conn = sqlite3.connect(":memory:")
    conn.execute(f"create virtual table f using fts5(t, tokenize='{schema.FTS_TOKENIZER}')")
    variants = {"ی": "ي", "ک": "ك", "ہ": "ه", "ا": "اَ", "ن": "نْ", "گئے": "گۓ", "لیے": "لئے"}
    originals = []
    for a in load_urdu_articles():
        text = "\n\n".join(a["paragraphs"])
        for plain, variant in variants.items():
            text = re.sub(plain, lambda m, v=variant: v if rng.random() < 0.2 else m[0], text)
        text = text.replace("۔", ".").replace("؟", "?")
        originals.append(text)
        conn.execute("insert into f values (?)", [fold(text)])
    words = sorted({w for a in load_urdu_articles() for w in " ".join(a["paragraphs"]).split() if len(w) > 2})
    for _ in range(60):
        match = fts_query(" OR ".join(rng.sample(words, rng.choice([1, 2, 3]))))
        rows = conn.execute("select rowid, snippet(f, 0, '[', ']', '…', ?) from f where f match ?", [size, match])
        for rowid, expected in rows:
            assert fold(snippet(originals[rowid - 1], match, "[", "]", "…", size)) == expected, (match, rowid)


def test_the_snippet_matches_fts5s_own_on_english():
    conn = sqlite3.connect(":memory:")
    conn.execute(f"create virtual table f using fts5(t, tokenize='{schema.FTS_TOKENIZER}')")
    texts = ["\n\n".join(a["paragraphs"]) for a in load_articles()]
    conn.executemany("insert into f values (?)", [[t] for t in texts])
    rng = random.Random(3)
    words = sorted({w.strip(".,\"'") for t in texts for w in t.split() if w.isalpha()})
    queries_typed = [rng.choice(words) for _ in range(40)] + [rng.choice(words)[:3] + "*" for _ in range(10)]
    queries_typed += [f"{rng.choice(words)} OR {rng.choice(words)}" for _ in range(10)] + ['"the government"', "Lavrov"]
    for typed in queries_typed:
        match = fts_query(typed)
        for rowid, expected in conn.execute("select rowid, snippet(f, 0, '[', ']', '…', 16) from f where f match ?", [match]):
            assert snippet(texts[rowid - 1], match, "[", "]", "…", 16) == expected, typed


# English-like text: words that queries find, in any case, between gaps that end sentences or do not.
SNIPPET_WORDS = ["wheat", "Wheat", "WHEAT", "wheats", "price", "prices", "Prime", "minister", "a", "the", "2023",
                 "covid", "19", "electric", "Electricity", "x", "Lavrov"]
SNIPPET_GAPS = [" ", "  ", ", ", ". ", ".  ", ".\n", ".\t", ":\r\n", ": ", ".", ":", "-", "'s ", ' "', '." ', "(",
                ") ", "\n\n", ". . ", "...", "_", ".5 ", " : ", "\x0b", ".\x0c"]
ASCII_TEXTS = st.one_of(
    st.tuples(
        st.sampled_from(["", *SNIPPET_GAPS]),
        st.lists(st.tuples(st.sampled_from(SNIPPET_WORDS), st.sampled_from(SNIPPET_GAPS)), max_size=120),
    ).map(lambda text: text[0] + "".join(word + gap for word, gap in text[1])),
    st.text(alphabet=st.characters(max_codepoint=127), max_size=300),
)
TYPED_TERMS = st.one_of(
    st.sampled_from(SNIPPET_WORDS),
    st.sampled_from(SNIPPET_WORDS).map(lambda word: word[:3] + "*"),
    st.lists(st.sampled_from(SNIPPET_WORDS), min_size=2, max_size=3).map(lambda words: '"' + " ".join(words) + '"'),
    st.lists(st.sampled_from(SNIPPET_WORDS), min_size=2, max_size=3).map(lambda words: '"' + " ".join(words) + '*"'),
    st.tuples(st.sampled_from(SNIPPET_WORDS), st.sampled_from(SNIPPET_WORDS)).map(" OR ".join),
)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(ASCII_TEXTS, st.lists(TYPED_TERMS, min_size=1, max_size=3), st.integers(1, 40))
def test_the_snippet_of_ascii_text_is_the_same_by_its_fast_path(text, terms, tokens):
    """snippets reads ASCII text its own faster way (_ascii_words): the same words, keys,
    sentence starts and snippets as the way it reads any text (_unicode_words)."""
    match = fts_query(" ".join(terms))
    fast, anyway = snippets._ascii_words(text), snippets._unicode_words(text)
    count = len(fast[0])
    assert fast[0] == anyway[0]
    assert fast[1] == anyway[1] or not count  # sentence starts; without words, there is no snippet to start
    for first in range(0, count, 5):
        last = min(first + tokens, count) - 1
        assert [m.span() for m in fast[2](first, last)] == [m.span() for m in anyway[2](first, last)]
    shown = snippet(text, match, "[", "]", "…", tokens)
    with mock.patch.object(snippets, "_words", snippets._unicode_words):
        assert shown == snippet(text, match, "[", "]", "…", tokens)


def test_archive_snippet_reads_words_where_the_index_does():
    """Its words of the original text are, one for one, unicode61's words of the folded text."""
    from crawler.snippets import WORD, word_key

    conn = sqlite3.connect(":memory:")
    conn.execute(f"create virtual table f using fts5(t, tokenize='{schema.FTS_TOKENIZER}')")
    conn.execute("create virtual table words using fts5vocab(f, 'instance')")
    rng = random.Random(11)
    alphabet = [*FOLDS, *"ابپتکگہھیےںء ۔،.:_-'aZéÉ19²\n\t", "\u0301", "\u200c", "\u200b", "\ue001", "\u0915\u093f"]
    for n in range(300):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randrange(0, 80)))
        conn.execute("insert into f (rowid, t) values (?, ?)", [n, fold(text)])
        indexed = [term for (term,) in conn.execute("select term from words where doc = ? order by offset", [n])]
        assert [word_key(word) for word in WORD.findall(text)] == indexed, repr(text)

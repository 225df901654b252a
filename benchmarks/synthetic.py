"""A deterministic synthetic archive of UrduPoint-like articles, for benchmarks only.

Text is drawn from a Zipf-weighted vocabulary: a few hundred real news words and
names (so that queries such as ``Imran Khan`` or ``flood relief`` match the way they
would on the real site) followed by a long tail of made-up rare words, so that the
full-text index has a realistic size and shape. One article in twenty is in Urdu.
The same ``size`` and ``seed`` always give the same archive.
"""

import json
import random
import sqlite3
from datetime import date, datetime, timedelta, timezone
from itertools import accumulate
from pathlib import Path

import sqlite_utils

from pipelines import schema
from pipelines.places import locate

SEED = 20240601
FIRST_DAY = date(2015, 1, 1)
DAYS = 11 * 365  # 2015 to 2025
BATCH = 5_000  # rows per transaction

COMMON = """the of to and in a said on for that is was with by at as from his has have it be are
he will an this were which had been also government minister would their they not its who more
people country year two new after first over other officials told police last under against
during between three million percent week day time while added including since meeting""".split()
NEWS = """Pakistan Pakistani Islamabad Lahore Karachi Peshawar Quetta Multan Faisalabad Rawalpindi
Hyderabad Sialkot Gujranwala Sukkur Gilgit Muzaffarabad Punjab Sindh Balochistan Khyber Pakhtunkhwa
Kashmir India China Afghanistan Iran Saudi Arabia UAE Turkey Russia Ukraine Gaza Israel Washington
Beijing Moscow London Kabul Delhi Imran Khan Shehbaz Sharif Nawaz Maryam Bilawal Bhutto Zardari
PTI PML-N PPP MQM JUI-F IMF NDMA WAPDA NAB ECP FBR SBP PSL PCB ICC APP Xinhua Sputnik WAM PPI
prime president chief court supreme high election elections assembly senate budget tax taxes
inflation petrol prices price wheat cotton sugar flour rice export exports imports rupee dollar
economy economic investment bank loan debt growth trade industry energy electricity gas power
load-shedding shortage flood floods relief rain rains monsoon earthquake heatwave smog climate
water dam drought health hospital hospitals doctors patients polio vaccine vaccination COVID-19
coronavirus dengue cases deaths cricket match team series wicket runs captain squad hockey
football Olympics gold medal students university universities school schools education exam
security terrorists attack blast killed injured soldiers army military operation border ceasefire
talks agreement visit delegation cooperation development project projects CPEC road motorway
railway airport traffic accident protest protesters strike farmers traders workers women children
minorities rights journalists media technology internet mobile digital solar agriculture crops
livestock fisheries tourism culture festival Eid Ramadan Independence Day""".split()
URDU = """کا کی کے میں نے سے پر کو اور ہے ہیں تھا تھی گیا گئی کہا کیا بھی یہ وہ ایک
پاکستان حکومت وزیراعظم عمران خان شہباز شریف لاہور کراچی اسلام آباد پشاور کوئٹہ ملتان
سیلاب بارش کرکٹ میچ ٹیم عدالت انتخابات اسمبلی بجٹ مہنگائی پٹرول قیمت گندم کسان پولیو ویکسین
اسپتال ڈاکٹر طلبہ یونیورسٹی تعلیم سکیورٹی دھماکا فوج سرحد معاہدہ ترقی منصوبہ بجلی گیس پانی""".split()
LATIN_SYLLABLES = "ka ri bar tan zo mel shi dra nur pol ves qui lam tor".split()
URDU_SYLLABLES = "کا ری بار تان زو میل شی در نور پول وس لام تور گل".split()
CATEGORIES = ["pakistan", "world", "business", "sports", "health", "agriculture", "technology", "middle-east"]
PLACES = ["ISLAMABAD", "LAHORE", "KARACHI", "PESHAWAR", "QUETTA", "MULTAN", "FAISALABAD", "Beijing",
          "Moscow", "London", "New Delhi", "Kabul", "Dubai", "Washington", "Paris", "Ankara"]
AGENCIES = ["APP", "APP", "APP", "Xinhua", "Sputnik", "WAM", "PPI", None]
AUTHORS = [None, None, "Sumaira FH", "Faizan Hashmi", "Muhammad Irfan", "Mohammad Ali", "Ijaz Ahmad",
           "Zeeshan Mehtab", "Fahad Shabbir", "Umer Jamshaid", "Sajid Ali", "Shahid Ghaffar"]
TITLE_VERBS = ["calls for", "urges", "announces", "reviews", "rejects", "welcomes", "discusses",
               "vows to tackle", "warns of", "inaugurates", "approves", "condemns"]


def _rare_words(rng: random.Random, syllables: list[str], count: int) -> list[str]:
    words = {"".join(rng.choices(syllables, k=rng.randint(2, 5))) for _ in range(count * 2)}
    ordered = sorted(words)  # sets iterate in a per-process order; sorting keeps runs identical
    rng.shuffle(ordered)
    return ordered[:count]


class Vocabulary:
    """Words with Zipf weights: the listed ones first, most frequent first, then a tail of rare made-up words."""

    def __init__(self, rng: random.Random, words: list[str], syllables: list[str], rare: int):
        self.words = words + _rare_words(rng, syllables, rare)
        self.cum_weights = list(accumulate(1.0 / (rank + 1) ** 1.05 for rank in range(len(self.words))))

    def words_of(self, rng: random.Random, count: int) -> list[str]:
        return rng.choices(self.words, cum_weights=self.cum_weights, k=count)

    def sentence(self, rng: random.Random, length: int) -> str:
        words = self.words_of(rng, length)
        return words[0].capitalize() + " " + " ".join(words[1:]) + "."


def _paragraphs(rng: random.Random, vocabulary: Vocabulary, words: int) -> str:
    sentences, written = [], 0
    while written < words:
        length = rng.randint(12, 30)
        sentences.append(vocabulary.sentence(rng, length))
        written += length
    return " ".join(sentences)


def _english(rng: random.Random, vocabulary: Vocabulary, day: date, place: str, agency: str | None):
    subject = " ".join(rng.sample(NEWS[:120], 2))
    topic = " ".join(rng.sample(NEWS[120:], 2))
    title = f"{subject} {rng.choice(TITLE_VERBS)} {topic}"
    title = title[0].upper() + title[1:]
    summary = vocabulary.sentence(rng, rng.randint(15, 30))
    brand = f"{agency} - UrduPoint / Pakistan Point News" if agency else "UrduPoint / Pakistan Point News"
    dateline = f"{place}, ({brand} - {day:%d %b, %Y})"
    text = f"{dateline} :{title} {_paragraphs(rng, vocabulary, rng.randint(120, 380))}"
    return "en", title, summary, text, dateline


def _urdu(rng: random.Random, vocabulary: Vocabulary, day: date):
    title = " ".join(rng.sample(URDU[21:], rng.randint(5, 9)))
    summary = " ".join(vocabulary.words_of(rng, 20))
    dateline = f"لاہور ({day:%d}-{day:%m}-{day:%Y})"
    text = dateline + " " + " ".join(vocabulary.words_of(rng, rng.randint(120, 300))) + "۔"
    return "ur", title, summary, text, dateline


def articles(size: int, seed: int = SEED):
    """``size`` article rows, oldest first (as a crawl that backfills day by day writes them)."""
    rng = random.Random(seed)
    english = Vocabulary(rng, COMMON + NEWS, LATIN_SYLLABLES, 30_000)
    urdu = Vocabulary(rng, URDU, URDU_SYLLABLES, 5_000)
    for n in range(size):
        day = FIRST_DAY + timedelta(days=n * DAYS // size)
        local = datetime(day.year, day.month, day.day, tzinfo=timezone(timedelta(hours=5))) + timedelta(
            seconds=rng.randrange(86_400)
        )
        place, agency = rng.choice(PLACES), rng.choice(AGENCIES)
        category = rng.choice(CATEGORIES)
        language, title, summary, text, dateline = (
            _urdu(rng, urdu, day) if n % 20 == 7 else _english(rng, english, day, place, agency)
        )
        slug = "-".join(title.lower().split()[:8])
        moment = local.astimezone(timezone.utc).isoformat()
        url = f"https://www.urdupoint.com/{'ur' if language == 'ur' else 'en'}/{category}/{slug}-{n + 1}.html"
        yield {
            "id": n + 1,
            "url": url,
            "outlet": "urdupoint",
            "language": language,
            "title": title,
            "summary": summary,
            "text": text,
            "author": rng.choice(AUTHORS),
            "category": category,
            "tags": json.dumps(rng.sample(NEWS, 3), ensure_ascii=False),
            "published_at": local.isoformat(),
            "published_at_utc": moment,
            "dateline": dateline,
            "dateline_place": "لاہور" if language == "ur" else place,
            **_located("لاہور" if language == "ur" else place),
            "dateline_agency": agency,
            "dateline_date": day.isoformat(),
            "content_hash": f"{rng.getrandbits(128):032x}",
            "first_seen": moment,
            "last_seen": moment,
            "story": url,  # each its own story, as the crawl stores an article no other outlet carried
        }


def _located(written: str) -> dict:
    """The place columns the dateline pipeline gives a dateline place (``pipelines/places.py``)."""
    place = locate(written)
    return {"place": place.name, "place_latitude": place.latitude, "place_longitude": place.longitude}


def build(path: Path, size: int) -> None:
    """Create the archive at ``path`` with the real schema, then fill it in large transactions.

    Rows go in through the schema's triggers, as the crawl writes them, so the
    full-text index is the one a crawl would have built.
    """
    partial = path.with_suffix(".partial")
    for leftover in (partial, Path(f"{partial}-wal"), Path(f"{partial}-shm")):
        leftover.unlink(missing_ok=True)
    conn = sqlite3.connect(partial)
    schema.apply(sqlite_utils.Database(conn))
    conn.execute("pragma synchronous = off")
    columns = None
    batch = []
    for row in articles(size):
        columns = columns or list(row)
        batch.append(tuple(row.values()))
        if len(batch) == BATCH:
            _insert(conn, columns, batch)
            batch = []
    if batch:
        _insert(conn, columns, batch)
    conn.execute("pragma wal_checkpoint(truncate)")
    conn.execute("analyze")
    conn.close()
    partial.rename(path)


def _insert(conn: sqlite3.Connection, columns: list[str], rows: list[tuple]) -> None:
    names = ", ".join(columns)
    marks = ", ".join("?" for _ in columns)
    url_at, id_at, seen_at = columns.index("url"), columns.index("id"), columns.index("first_seen")
    with conn:
        conn.executemany(f"insert into articles ({names}) values ({marks})", rows)
        conn.executemany(
            "insert into article_urls (url, article_id, relation, first_seen) values (?, ?, 'canonical', ?)",
            [(row[url_at], row[id_at], row[seen_at]) for row in rows],
        )

"""Benchmark: the cost of the near-duplicate check as the archive grows to a million articles.

Ingests ``--size`` synthetic articles (default 1,000,000) into a fresh archive file through
the crawl's own code: for each one, the body's signature and the duplicate check exactly as
``DedupPipeline`` makes it (:func:`pipelines.dedup.find_copies`: content hash, then
:class:`pipelines.neardup.NearDuplicates` over the band index), then ``Archive.add_article``
(joining the stories of other outlets' copies) or, for a duplicate, ``Archive.add_duplicate``.
One article in twenty is an injected near-duplicate of an earlier one (trimmed, retitled,
another dateline, words changed); one in fifty is a brief written from one of 50 templates (the
hard case for an index: thousands of similar short texts). With ``--outlets N`` the articles
are spread over N outlets, so that a copy of another outlet's article is an article of its own
in that article's story (:mod:`pipelines.stories`) rather than a duplicate. Everything is
seeded: the same ``--size``, ``--outlets`` and ``--seed`` give the same archive and the same
decisions.

It reports, at 10,000, 100,000 and 1,000,000 articles stored (those up to ``--size``):

* the cost of a check during ingest (the ``--window`` checks before the mark): mean,
  median and 95th percentile, in microseconds, and the ratio of the mean to the first mark's;
* the cost of a fixed set of ``--probes`` checks (half fresh stories, half near-duplicates
  of articles stored before the first mark), run at every mark without storing them (each
  the fastest of three runs, so that other work on the machine does not count), and the
  number of candidate texts compared per check;
* the process's resident memory at the mark and its peak, and the archive's size on disk.

It also reports how many injected near-duplicates were linked to their original (as its
duplicate, or in its story when another outlet's), and how many other articles were linked
to anything. Not a test: the numbers depend on the machine.

    python -m benchmarks.nearduplicates_bench --size 100000
    python -m benchmarks.nearduplicates_bench --size 1000000 --db /tmp/neardup-1m.db --keep

Writes commit every ``--batch`` articles (the crawl commits every article; that changes the
ingest time, not the check, which only reads). ``--no-fts`` drops the full-text index's
triggers to save ingest time: the check never reads the index.
"""

from __future__ import annotations

import argparse
import resource
import statistics
import tempfile
import time
from array import array
from pathlib import Path

import numpy as np

from crawler import settings
from pipelines.items import ArticleItem
from pipelines.archive import Archive
from pipelines.dedup import content_hash, find_copies
from pipelines.neardup import NearDuplicates, Signature

MARKS = (10_000, 100_000, 1_000_000)
NOW = "2026-01-01T00:00:00+00:00"
DUPLICATE_SHARE = 20  # one article in 20 (5%) repeats an earlier one
TEMPLATE_SHARE = 50  # one in 50 is a template brief
TEMPLATES = 50
BOILERPLATE = 300  # stock sentences a desk reuses ("The meeting was also attended by ...")
PROBE_RUNS = 3

COMMON = """the of to and in a said on for that is was with by at as from his has have it be are he
will an this were which had been also government minister would their they not its who more people
country year two new after first over other officials told police last under against during between
three million percent week day time while added including since meeting provincial federal district
chief court election assembly budget prices water health hospital schools security trade development
project road power gas flood rain relief farmers traders students team match series""".split()
SYLLABLES = "ka ri bar tan zo mel shi dra nur pol ves qui lam tor gul han sar pe di mo".split()
WEEKDAYS = "Monday Tuesday Wednesday Thursday Friday Saturday Sunday".split()
PLACES = "ISLAMABAD LAHORE KARACHI PESHAWAR QUETTA MULTAN FAISALABAD SIALKOT".split()


def mixed(*values: int) -> int:
    """A 64-bit hash of some integers (splitmix64 steps): cheap, deterministic, well spread."""
    h = 0x9E3779B97F4A7C15
    for value in values:
        h = (h ^ value) * 0xBF58476D1CE4E5B9 & 0xFFFFFFFFFFFFFFFF
        h = (h ^ (h >> 31)) * 0x94D049BB133111EB & 0xFFFFFFFFFFFFFFFF
        h ^= h >> 29
    return h


class Corpus:
    """Deterministic synthetic articles: ``article(i)`` is the same text on every run.

    Words follow a Zipf law over a vocabulary of about 40,000 (a few hundred real news words
    first), so unrelated stories share common words and the odd phrase, as real ones do;
    a desk's stock sentences (boilerplate) recur across stories; briefs come from templates.
    """

    def __init__(self, seed: int):
        self.seed = seed
        rng = np.random.default_rng(seed)
        rare = {"".join(rng.choice(SYLLABLES, size=rng.integers(2, 5))) for _ in range(40_000)}
        self.vocabulary = np.array(COMMON + rng.permutation(sorted(rare - set(COMMON))).tolist(), dtype=object)
        self.cumulative = np.cumsum(1 / np.arange(1, len(self.vocabulary) + 1) ** 1.05)
        self.boilerplate = [self.sentence(rng, 12, 20) for _ in range(BOILERPLATE)]
        self.templates = [
            [self.sentence(rng, 10, 16) + " {n0} " + self.sentence(rng, 6, 10) + " {day}.",
             self.sentence(rng, 5, 9) + " Rs {n1} " + self.sentence(rng, 4, 8) + " {n2}.",
             self.sentence(rng, 6, 10) + " {n3} percent."]
            for _ in range(TEMPLATES)
        ]

    def sentence(self, rng: np.random.Generator, low: int, high: int) -> str:
        count = int(rng.integers(low, high + 1))
        picked = np.searchsorted(self.cumulative, rng.random(count) * self.cumulative[-1])
        words = self.vocabulary[picked].tolist()
        if rng.random() < 0.3:
            words.insert(int(rng.integers(count)), str(int(rng.integers(2, 100_000))))
        return " ".join(words).capitalize()

    def paragraphs(self, rng: np.random.Generator, sentences_per_paragraph: list[int]) -> list[str]:
        """Paragraphs of sentences of 12 to 28 words, the words of the whole story drawn at once."""
        lengths = rng.integers(12, 29, size=sum(int(n) for n in sentences_per_paragraph))
        picked = np.searchsorted(self.cumulative, rng.random(int(lengths.sum())) * self.cumulative[-1])
        words = self.vocabulary[picked].tolist()
        for at in rng.choice(len(words), size=len(lengths) // 3 + 1):  # a number here and there
            words[int(at)] = str(int(rng.integers(2, 100_000)))
        sentences, start = [], 0
        for length in lengths.tolist():
            sentences.append(" ".join(words[start : start + length]).capitalize() + ".")
            start += length
        paragraphs, start = [], 0
        for count in sentences_per_paragraph:
            paragraphs.append(" ".join(sentences[start : start + int(count)]))
            start += int(count)
        return paragraphs

    def rng(self, i: int, salt: int = 0) -> np.random.Generator:
        return np.random.default_rng(mixed(self.seed, i, salt))

    def kind(self, i: int) -> str:
        roll = mixed(self.seed, i, 1) % (100 * TEMPLATE_SHARE)
        if i >= 1000 and roll % DUPLICATE_SHARE == 0:
            return "duplicate"
        return "template" if roll % TEMPLATE_SHARE == 1 else "story"

    def original_of(self, i: int) -> int:
        """The earlier article a duplicate repeats (never itself a duplicate)."""
        for attempt in range(1000):
            j = mixed(self.seed, i, 2, attempt) % i
            if self.kind(j) != "duplicate":
                return j
        raise AssertionError("unreachable: one article in twenty is a duplicate")

    def article(self, i: int) -> tuple[str, str]:
        """``(title, text)`` of article ``i``; paragraphs separated by a blank line."""
        kind = self.kind(i)
        if kind == "duplicate":
            return self.near_copy(self.article(self.original_of(i)), self.rng(i, 3))
        rng = self.rng(i)
        title = self.sentence(rng, 6, 11).title()
        if kind == "template":
            lines = self.templates[int(rng.integers(TEMPLATES))]
            numbers = {f"n{k}": f"{int(rng.integers(1, 1000)):,}" for k in range(4)}
            return title, "\n\n".join(line.format(day=WEEKDAYS[int(rng.integers(7))], **numbers) for line in lines)
        paragraphs = self.paragraphs(rng, [rng.integers(1, 4) for _ in range(int(rng.integers(3, 8)))])
        for _ in range(int(rng.choice((0, 0, 1, 1, 2)))):
            paragraphs.append(self.boilerplate[int(rng.integers(BOILERPLATE))] + ".")
        return title, "\n\n".join(paragraphs)

    def near_copy(self, original: tuple[str, str], rng: np.random.Generator) -> tuple[str, str]:
        """A republication: new headline, and one or two of: last paragraph cut, dateline, words changed."""
        title, text = original
        paragraphs = text.split("\n\n")
        edits = rng.permutation(("trim", "dateline", "words"))[: int(rng.integers(1, 3))]
        if "trim" in edits and len(paragraphs) >= 4:
            paragraphs = paragraphs[:-1]
        if "dateline" in edits:
            paragraphs[0] = f"{PLACES[int(rng.integers(len(PLACES)))]}, {WEEKDAYS[int(rng.integers(7))]} (APP): " + paragraphs[0]
        if "words" in edits:
            words = paragraphs[-1].split(" ")
            for _ in range(3):
                words[int(rng.integers(len(words)))] = COMMON[int(rng.integers(len(COMMON)))]
            paragraphs[-1] = " ".join(words)
        return "Republished: " + title, "\n\n".join(paragraphs)


def page(i: int, title: str, text: str, outlet: str) -> ArticleItem:
    url = f"https://bench.invalid/{outlet}/news/story-{i}.html"
    return ArticleItem(url=url, fetched_url=url, body=b"", encoding="utf-8", fetched_at=NOW, outlet=outlet,
                       language="en", title=title, text=text)


def check(archive: Archive, finder: NearDuplicates, item: ArticleItem) -> ArticleItem:
    """The body's signature and the duplicate check as DedupPipeline makes them; the item holds the
    decisions (``duplicate_of``, ``similarity``, ``same_story``), content hash and index keys."""
    signature = Signature.of(item.text)
    item.content_hash, item.minhash_bands = content_hash(item.text), signature.bands
    find_copies(archive, finder, item, signature)
    return item


def rss_mib() -> float:
    return int(Path("/proc/self/statm").read_text().split()[1]) * resource.getpagesize() / 2**20


def peak_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def describe(times: list[float]) -> tuple[float, float, float]:
    ordered = sorted(times)
    return statistics.fmean(ordered) * 1e6, ordered[len(ordered) // 2] * 1e6, ordered[int(len(ordered) * 0.95)] * 1e6


def outlet_of(seed: int, i: int, outlets: int) -> str:
    return f"outlet-{mixed(seed, i, 4) % outlets}"


def run(size: int, db_path: Path, seed: int, window: int, probes: int, batch: int, fts: bool, threshold: float,
        outlets: int) -> None:
    corpus = Corpus(seed)
    marks = sorted({m for m in MARKS if m <= size} | {size})
    archive = Archive.open(db_path)
    if not fts:
        for (trigger,) in archive.db.execute("select name from sqlite_master where type = 'trigger' and tbl_name = 'articles'").fetchall():
            archive.db.execute(f"drop trigger [{trigger}]")
    finder = NearDuplicates(archive, threshold)
    conn = archive.db.conn
    ids = array("q", [0]) * size  # article id of each index (0 for a duplicate)
    probe_texts = [corpus.article(10_000_000 + n)[1] for n in range(probes // 2)]
    first_mark = marks[0]
    probe_texts += [corpus.near_copy(corpus.article(j), corpus.rng(j, 9))[1]
                    for j in np.random.default_rng(seed).choice(first_mark, probes - probes // 2, replace=False).tolist()
                    if corpus.kind(j) != "duplicate"]
    found = injected = wrongly_linked = joined = 0
    window_times: list[float] = []
    rows = []
    started = time.perf_counter()
    print(f"ingesting {size:,} articles of {outlets} outlet{'s' if outlets > 1 else ''} into {db_path} "
          f"(threshold {threshold}, window {window}, {len(probe_texts)} probes)")
    for i in range(size):
        if i % batch == 0:
            if conn.in_transaction:
                conn.commit()
            conn.execute("begin")
        title, text = corpus.article(i)
        item = page(i, title, text, outlet_of(seed, i, outlets))
        t0 = time.perf_counter()
        check(archive, finder, item)
        elapsed = time.perf_counter() - t0
        stored = i  # articles already processed when this check ran
        next_mark = next(m for m in marks if m > stored)
        if stored >= next_mark - window:
            window_times.append(elapsed)
        linked = {item.duplicate_of, *item.same_story} - {None}
        if corpus.kind(i) == "duplicate":
            injected += 1
            found += ids[corpus.original_of(i)] in linked
            joined += item.duplicate_of is None and ids[corpus.original_of(i)] in item.same_story
        elif linked:
            wrongly_linked += 1
        if item.duplicate_of is not None:
            archive.add_duplicate(item.duplicate_of, item, [item.url], item.similarity, NOW)
        else:
            ids[i] = archive.add_article(item, [item.url], NOW)
        if i + 1 in marks:
            conn.commit()
            probe_times, candidates = [], []
            for n, text_ in enumerate(probe_texts):
                runs = []
                for _ in range(PROBE_RUNS):  # the fastest of three: what the check costs, not what a busy machine adds
                    probe = page(size + n, "", text_, outlet_of(seed, size + n, outlets))
                    t0 = time.perf_counter()
                    check(archive, finder, probe)
                    runs.append(time.perf_counter() - t0)
                probe_times.append(min(runs))
                candidates.append(len(archive.near_duplicate_candidates(
                    Signature.of(text_).bands, finder.max_candidates, finder.band_rows)))
            rows.append({
                "stored": i + 1,
                "ingest": describe(window_times),
                "probe": describe(probe_times),
                "candidates": statistics.fmean(candidates),
                "rss": rss_mib(),
                "peak": peak_rss_mib(),
                "disk": sum(p.stat().st_size for p in db_path.parent.glob(db_path.name + "*")) / 2**20,
                "elapsed": time.perf_counter() - started,
            })
            window_times = []
            print(f"  {i + 1:>9,} stored after {rows[-1]['elapsed']:,.0f} s", flush=True)
    if conn.in_transaction:
        conn.commit()
    archive.close()

    base_ingest, base_probe = rows[0]["ingest"][1], rows[0]["probe"][1]
    print()
    print("per-check cost of the duplicate check, microseconds (ratio: median against the first mark's)")
    print(f"{'stored':>10} | {'ingest mean':>11} {'p50':>7} {'p95':>7} {'ratio':>6} | {'probe mean':>10} {'p50':>7} {'p95':>7} "
          f"{'ratio':>6} {'cands':>6} | {'RSS MiB':>8} {'peak MiB':>8} {'disk MiB':>8}")
    for row in rows:
        mean, p50, p95 = row["ingest"]
        pmean, pp50, pp95 = row["probe"]
        print(f"{row['stored']:>10,} | {mean:>11.0f} {p50:>7.0f} {p95:>7.0f} {p50 / base_ingest:>6.2f} | {pmean:>10.0f} "
              f"{pp50:>7.0f} {pp95:>7.0f} {pp50 / base_probe:>6.2f} {row['candidates']:>6.2f} | {row['rss']:>8.0f} "
              f"{row['peak']:>8.0f} {row['disk']:>8.0f}")
    print()
    print(f"injected near-duplicates linked to their original: {found:,} of {injected:,} ({found / max(injected, 1):.1%}), "
          f"{joined:,} of them as articles of another outlet in its story; other articles linked: {wrongly_linked:,}")
    print(f"total time {time.perf_counter() - started:,.0f} s; peak memory {peak_rss_mib():,.0f} MiB")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        description="Measure the near-duplicate check's cost per article at 10k, 100k and 1M articles stored.",
        epilog="Example: python -m benchmarks.nearduplicates_bench --size 100000",
    )
    parser.add_argument("--size", type=int, default=1_000_000, help="articles to ingest (default 1,000,000)")
    parser.add_argument("--db", type=Path, help="archive file to create (default: a temporary file, deleted)")
    parser.add_argument("--keep", action="store_true", help="keep the archive file afterwards")
    parser.add_argument("--seed", type=int, default=20240601, help="seed of the synthetic corpus")
    parser.add_argument("--window", type=int, default=2000, help="ingest checks averaged before each mark")
    parser.add_argument("--probes", type=int, default=1000, help="fixed checks run at each mark")
    parser.add_argument("--batch", type=int, default=1000, help="articles per write transaction")
    parser.add_argument("--threshold", type=float, default=settings.NEARDUP_THRESHOLD,
                        help=f"NEARDUP_THRESHOLD (default {settings.NEARDUP_THRESHOLD}, as in crawler/settings.py)")
    parser.add_argument("--outlets", type=int, default=1, help="outlets the articles are spread over (default 1)")
    parser.add_argument("--no-fts", dest="fts", action="store_false", help="drop the full-text triggers (faster ingest)")
    args = parser.parse_args(argv)
    if args.size < 1000:
        parser.error("--size must be at least 1000")
    if args.outlets < 1:
        parser.error("--outlets must be at least 1")
    with tempfile.TemporaryDirectory() as scratch:
        db_path = args.db or Path(scratch) / "neardup-bench.db"
        if db_path.exists():
            parser.error(f"{db_path} exists: the benchmark needs a fresh archive")
        try:
            run(args.size, db_path, args.seed, min(args.window, args.size), args.probes, args.batch, args.fts,
                args.threshold, args.outlets)
        finally:
            if not args.keep:
                for path in db_path.parent.glob(db_path.name + "*"):
                    path.unlink()


if __name__ == "__main__":
    main()

"""Near-duplicate bodies: MinHash signatures over word shingles, banded for lookup in SQLite.

A republished story (a new headline, a trimmed last paragraph, another dateline or
agency, a copy edit) is not the same text, so the content hash misses it. Two bodies
are near-duplicates when the Jaccard similarity of their sets of word 5-shingles
(runs of five words, case folded) is at least ``NEARDUP_THRESHOLD`` (default 0.65).

Why MinHash with locality-sensitive hashing (LSH), and not SimHash:

* **The cost of a check does not grow with the archive.** Each body's 128 MinHash
  values are cut into 32 bands of 4; a band is stored as one 64-bit key in
  ``neardup_bands`` and found with one index lookup. A stored article becomes a
  candidate only when a whole band matches, which a pair of unrelated bodies (Jaccard
  similarity 0.05) does with a probability of 2e-4, so the candidates per check stay
  about as few at 1,000,000 articles as at 10,000. SimHash's banded index cuts 64 bits
  into a few blocks (4 x 16 bits for a Hamming distance of 3): each block value is
  shared by ``N / 65,536`` articles by chance, so candidates grow with the archive, and
  the distances a trimmed or copy-edited news story reaches (well over 3 bits) would need
  still shorter blocks and still more candidates.
* **The similarity means something.** MinHash estimates the Jaccard similarity of
  shingle sets, so the threshold reads "this share of the five-word runs is common to
  both", and it can be checked: candidates are compared on their real text, so the
  similarity stored with a duplicate link is exact, not an estimate.
* **Memory stays bounded.** The index lives in the archive (``datasketch.MinHashLSH``
  keeps its own in a Python dict, or in Redis), so a crawl starts in constant time and
  memory whatever the archive's size, and a key shared by thousands of articles (a daily
  brief from one template) is read only ``BAND_ROWS`` deep.

Words are hashed once each and shingles are hashed by chaining their words' hashes, with
numpy; the MinHash values are the least images of the shingle hashes under ``NUM_PERM``
affine permutations, all at once (:func:`minhash`). That is datasketch 2.0's ``affine32``
scheme with the same seed, which computed them before and gives the same values (the
tests hold the keys it gave): datasketch imports scipy and redis for its other sketches,
four tenths of a second of every crawl's start, for these few lines. Storage is in
:mod:`pipelines.archive`. The layout is fixed: changing ``SHINGLE_WORDS``, ``NUM_PERM``,
``BANDS``, ``SEED`` or the hashing invalidates the stored keys (rebuild ``neardup_bands``
with :func:`index_rows`).

A pair of bodies becomes a candidate with probability ``1 - (1 - J**4)**32``: 0.87 at
J = 0.5, 0.989 at J = 0.6, 0.998 at J = 0.65, 0.9998 at J = 0.7. A threshold under 0.5
is allowed, but then loses recall to the index rather than to the threshold.

On the labelled pairs of ``tests/neardup/pairs.json`` (44 true near-duplicates, 33 hard
negatives) the default threshold gives precision 1.00 and recall 0.93; 0.6 would give
0.98 and 0.95 (weekly template briefs reach 0.6), 0.7 gives 1.00 and 0.89.
``benchmarks/nearduplicates_bench.py`` measures the cost of a check up to a million articles.
"""

from __future__ import annotations

import difflib
import hashlib
import re
from dataclasses import dataclass
from functools import cache, lru_cache

import numpy as np

SHINGLE_WORDS = 5  # five-word runs: a changed word changes at most five shingles
NUM_PERM = 128
BANDS = 32
ROWS = NUM_PERM // BANDS  # 4 MinHash values per band
SEED = 20240601
DEFAULT_THRESHOLD = 0.65  # NEARDUP_THRESHOLD's default (crawler/settings.py), for a migration, which reads no settings
MAX_CANDIDATES = 20  # most stored articles whose text is compared per check, those sharing most bands first
BAND_ROWS = 64  # newest articles read per band key: template briefs can share a key by the thousand
PARAGRAPH_BREAK = "\n\n"

WORD = re.compile(r"\w+")
MULTIPLIER = np.uint64(0x9E3779B97F4A7C15)  # odd 64-bit constant: the polynomial that chains words, and bands


def words(text: str) -> list[str]:
    """The body's words, case folded: punctuation, spacing and layout do not count."""
    return WORD.findall(text.casefold())


def shingles(text: str) -> frozenset[str]:
    """The set of runs of ``SHINGLE_WORDS`` consecutive words (one run when the text is shorter).

    The readable form of what :func:`shingle_hashes` computes, for tests and for people.
    """
    tokens = words(text)
    if len(tokens) <= SHINGLE_WORDS:
        return frozenset([" ".join(tokens)]) if tokens else frozenset()
    return frozenset(" ".join(tokens[i : i + SHINGLE_WORDS]) for i in range(len(tokens) - SHINGLE_WORDS + 1))


@lru_cache(maxsize=1 << 16)  # words recur: the common part of a vocabulary stays hashed (about 10 MiB at most)
def _word_hash(word: str) -> int:
    return int.from_bytes(hashlib.blake2b(word.encode("utf-8"), digest_size=8).digest(), "little")


# MurmurHash3's finalisers, as (shift, multiplier, shift, multiplier, shift), for 64- and 32-bit values.
FMIX64 = (np.uint64(33), np.uint64(0xFF51AFD7ED558CCD), np.uint64(33), np.uint64(0xC4CEB9FE1A85EC53), np.uint64(33))
FMIX32 = (np.uint32(16), np.uint32(0x85EBCA6B), np.uint32(13), np.uint32(0xC2B2AE35), np.uint32(16))


def _mix(values: np.ndarray, finaliser: tuple = FMIX64) -> np.ndarray:
    """MurmurHash3's finaliser, element-wise (multiplication wraps around): every input bit moves every output
    bit. 64-bit, or 32-bit on uint32 values with ``FMIX32``."""
    first_shift, first_multiplier, second_shift, second_multiplier, last_shift = finaliser
    values = values ^ (values >> first_shift)
    values = values * first_multiplier
    values = values ^ (values >> second_shift)
    values = values * second_multiplier
    return values ^ (values >> last_shift)


def shingle_hashes(text: str) -> np.ndarray:
    """The sorted, distinct 64-bit hashes of the text's :func:`shingles`: what is compared and indexed.

    Each word is hashed once (blake2b), and a shingle's hash chains its words' hashes in order,
    so the whole text is hashed with a few vectorised operations. Two shingles share a hash
    by chance with odds of 2**-64.
    """
    tokens = words(text)
    if not tokens:
        return np.empty(0, dtype=np.uint64)
    hashes = np.fromiter(map(_word_hash, tokens), dtype=np.uint64, count=len(tokens))
    runs = max(len(tokens) - SHINGLE_WORDS + 1, 1)
    chained = hashes[:runs].copy()
    for k in range(1, min(SHINGLE_WORDS, len(tokens))):
        chained = chained * MULTIPLIER + hashes[k : k + runs]
    return np.unique(_mix(chained))


def jaccard(a: np.ndarray, b: np.ndarray) -> float:
    """Jaccard similarity of two sets given as sorted arrays of distinct values (or as sets)."""
    if not len(a) or not len(b):
        return 0.0
    if isinstance(a, np.ndarray):
        common = np.intersect1d(a, b, assume_unique=True).size
    else:
        common = len(a & b)
    return common / (len(a) + len(b) - common)


@cache
def _permutations() -> tuple[np.ndarray, np.ndarray]:
    """The ``NUM_PERM`` permutations ``h -> a * h + b`` modulo 2**32 (``a`` odd: each a bijection), as the arrays
    ``a`` and ``b``, drawn from NumPy's ``RandomState(SEED)`` as datasketch 2.0 draws those of its ``affine32``
    scheme."""
    generator = np.random.RandomState(SEED)
    a = generator.randint(0, 1 << 31, NUM_PERM, dtype=np.uint32) * np.uint32(2) + np.uint32(1)
    b = generator.randint(0, 1 << 32, NUM_PERM, dtype=np.uint32)
    return a, b


def minhash(hashes: np.ndarray) -> np.ndarray:
    """The ``NUM_PERM`` MinHash values (uint32) of a non-empty set of 64-bit shingle hashes: for each permutation,
    the least image of the hashes' low 32 bits, pre-mixed by MurmurHash3's 32-bit finaliser."""
    a, b = _permutations()
    mixed = _mix((hashes & np.uint64(0xFFFFFFFF)).astype(np.uint32), FMIX32)
    return (mixed[:, np.newaxis] * a + b).min(axis=0)


def band_keys(hashes: np.ndarray) -> list[int]:
    """One signed 64-bit key per band of the MinHash signature of a set of shingle hashes."""
    rows = minhash(hashes).astype(np.uint64).reshape(BANDS, ROWS)
    keys = np.arange(1, BANDS + 1, dtype=np.uint64)  # the band's number is part of its key
    for row in range(ROWS):
        keys = _mix(keys * MULTIPLIER + rows[:, row])
    return keys.view(np.int64).tolist()


@dataclass(frozen=True, eq=False)
class Signature:
    """What the near-duplicate check needs of a body: its shingle hashes (to compare) and band keys (to look up)."""

    shingles: np.ndarray
    bands: tuple[int, ...]

    @classmethod
    def of(cls, text: str) -> Signature:
        hashes = shingle_hashes(text)
        return cls(hashes, tuple(band_keys(hashes)) if len(hashes) else ())


@dataclass(frozen=True)
class Match:
    article_id: int
    similarity: float
    outlet: str


class NearDuplicates:
    """Finds the archived article whose body a new body repeats, through the archive's band index.

    ``archive`` is a :class:`pipelines.archive.Archive`; ``threshold`` the least Jaccard
    similarity of shingles that makes a near-duplicate.
    """

    def __init__(self, archive, threshold: float, max_candidates: int = MAX_CANDIDATES, band_rows: int = BAND_ROWS):
        if not 0 < threshold <= 1:
            raise ValueError(f"the near-duplicate threshold must be in (0, 1], not {threshold}")
        self.archive = archive
        self.threshold = threshold
        self.max_candidates = max_candidates
        self.band_rows = band_rows

    def matches(self, signature: Signature) -> list[Match]:
        """The archived articles at or above the threshold, of any outlet, most similar first.

        Cost: one index lookup per band (at most ``band_rows`` rows each) and at most
        ``max_candidates`` texts compared, whatever the size of the archive.
        """
        found = []
        candidates = self.archive.near_duplicate_candidates(signature.bands, self.max_candidates, self.band_rows)
        for article_id, outlet, text in candidates:
            similarity = jaccard(signature.shingles, shingle_hashes(text))
            if similarity >= self.threshold:
                found.append((similarity, Match(article_id, round(similarity, 4), outlet)))
        found.sort(key=lambda pair: -pair[0])  # stable: a tie goes to the candidate sharing most bands
        return [match for _, match in found]

    def find(self, signature: Signature) -> Match | None:
        """The most similar archived article at or above the threshold, or None."""
        found = self.matches(signature)
        return found[0] if found else None


def text_diff(old: str, new: str, old_label: str, new_label: str) -> str:
    """A unified diff of two bodies, paragraph by paragraph, without context; empty when equal."""
    return "\n".join(
        difflib.unified_diff(
            old.split(PARAGRAPH_BREAK), new.split(PARAGRAPH_BREAK), old_label, new_label, n=0, lineterm=""
        )
    )


def copy_label(diff: str | None, default: str) -> str:
    """The name a :func:`text_diff` gave the new text (its ``+++`` line); ``default`` when the diff is empty."""
    lines = (diff or "").split("\n", 2)
    return lines[1].removeprefix("+++ ") if len(lines) > 1 and lines[1].startswith("+++ ") else default


def index_rows(articles) -> list[tuple[int, int]]:
    """``(band key, article id)`` rows of the band index for ``(article id, text)`` pairs."""
    return [(key, article_id) for article_id, text in articles for key in Signature.of(text).bands]

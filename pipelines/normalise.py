"""Search normalisation: letters that Urdu text spells several ways, folded to one before search.

The same Urdu word reaches the archive typed in different ways: with Arabic
instead of Urdu letters (an Arabic keyboard's ``ي ك ه``), with or without
vowel marks (``اُردو`` / ``اردو``), with a hamza or madda or without one
(``مؤقف`` / ``موقف``, ``لئے`` / ``لیے``), stretched with tatweel, with invisible
joiners, with Urdu, Arabic-Indic or ASCII digits. :func:`fold` maps each of
these to one form. Both sides of a search are folded with the same table
(:data:`FOLDS`): the full-text index, by the SQL that :func:`fold_sql` writes
(``pipelines/schema.py``, so that any SQLite client writing ``articles`` keeps the
index right, with nothing to register), and the words a person types
(``crawler.search.fts_query``). Stored text is never changed: titles, bodies and
snippets (``crawler.snippets``) show what the page wrote.

What is folded:

* ``ي`` ``ى`` ``ئ`` to ``ی``: Arabic yeh, alef maksura, yeh with hamza (``لئے`` = ``لیے``);
  ``ۓ`` to ``یے``, as ``ئے`` is folded (``گۓ`` = ``گئے``).
* ``ك`` to ``ک``: the Arabic kaf.
* ``ه`` ``ۀ`` ``ۂ`` to ``ہ``: the Arabic heh, and heh with the izafat hamza (``قبلۂ`` = ``قبلہ``).
* ``ة`` to ``ۃ``: the Arabic teh marbuta to the Urdu one, which stays apart from ``ہ`` and ``ت``.
* ``آ`` ``أ`` ``إ`` ``ٱ`` ``ٲ`` ``ٳ`` to ``ا``: madda and hamza forms of alef (``قرآن`` = ``قران``,
  ``اسلام آباد`` = ``اسلام اباد``; the price: ``آن`` is found by ``ان``).
* ``ؤ`` to ``و`` (``مؤقف`` = ``موقف``).
* Urdu ``۰``-``۹`` and Arabic-Indic ``٠``-``٩`` digits to ``0``-``9``.
* Removed: vowel marks (aerab) U+064B-U+065F (tanween, zabar, zer, pesh, shadda, sukun,
  hamza and madda marks, ulta pesh ...), U+0670 khari zabar (``اعلیٰ`` = ``اعلی``),
  U+0610-U+061A (signs written over names, ``ؐ``); tatweel ``ـ`` (``پاکـستان`` = ``پاکستان``);
  the invisible zero-width joiner, soft hyphen, word joiner, U+FEFF and the direction
  marks LRM, RLM, ALM. Unfolded, unicode61 would split a word at each of them
  (``اُردو`` would be the two words ``ا`` and ``ردو``).

Left as they are, on purpose:

* ``ے`` (bari yeh) is a letter of its own, not a way of writing ``ی``: ``کے`` and ``کی``
  are different words.
* ``ھ`` (do-chashmi heh) marks aspiration: ``کھا`` (eat) and ``کہا`` (said) are different
  words. So an Arabic-keyboard ``بهی`` (for ``بھی``) folds to ``بہی`` and is not found
  by ``بھی``: the Arabic ``ه`` stands for both letters and the common one wins.
* The zero-width non-joiner (and zero-width space) separates words, as a space does:
  ``ہوں‌گے`` is found by ``ہوں گے``, not by ``ہوںگے``. SQLite's unicode61 tokenizer
  already treats them so; they need no folding.
* ``ں`` (noon ghunna), ``ء`` (hamza on its own), ``ۃ``, and Latin text: case and Latin
  accents are folded by the tokenizer (``unicode61 remove_diacritics 2``).
* Arabic presentation forms (U+FB50-U+FDFF, U+FE70-U+FEFF, from PDFs) are not folded.

Every replacement yields characters that are not themselves replaced, so folding
once is folding completely (:func:`fold` is idempotent), and folding character by
character (the SQL's chained ``replace()``) gives the same result as all at once.
"""

_LETTERS = {
    "\u064a": "\u06cc",  # ي Arabic yeh -> ی
    "\u0649": "\u06cc",  # ى alef maksura -> ی
    "\u0626": "\u06cc",  # ئ yeh with hamza above -> ی
    "\u06d3": "\u06cc\u06d2",  # ۓ yeh barree with hamza above -> یے
    "\u0643": "\u06a9",  # ك Arabic kaf -> ک
    "\u0647": "\u06c1",  # ه Arabic heh -> ہ
    "\u06c0": "\u06c1",  # ۀ heh with yeh above -> ہ
    "\u06c2": "\u06c1",  # ۂ heh goal with hamza above -> ہ
    "\u0629": "\u06c3",  # ة teh marbuta -> ۃ
    "\u0622": "\u0627",  # آ alef with madda above -> ا
    "\u0623": "\u0627",  # أ alef with hamza above -> ا
    "\u0625": "\u0627",  # إ alef with hamza below -> ا
    "\u0671": "\u0627",  # ٱ alef wasla -> ا
    "\u0672": "\u0627",  # ٲ alef with wavy hamza above -> ا
    "\u0673": "\u0627",  # ٳ alef with wavy hamza below -> ا
    "\u0624": "\u0648",  # ؤ waw with hamza above -> و
}
_MARKS = [
    *map(chr, range(0x0610, 0x061B)),  # Arabic signs written over names (ؐ ؑ ؒ ...)
    *map(chr, range(0x064B, 0x0660)),  # tanween, zabar, pesh, zer, shadda, sukun, madda, hamza marks ...
    "\u0670",  # khari zabar (superscript alef)
    "\u0640",  # tatweel
    "\u200d",  # zero-width joiner
    "\u00ad",  # soft hyphen
    "\u2060",  # word joiner
    "\ufeff",  # zero-width no-break space (byte-order mark)
    "\u200e",  # left-to-right mark
    "\u200f",  # right-to-left mark
    "\u061c",  # Arabic letter mark
]
_DIGITS = {chr(0x06F0 + n): str(n) for n in range(10)} | {chr(0x0660 + n): str(n) for n in range(10)}

FOLDS: dict[str, str] = {**_LETTERS, **dict.fromkeys(_MARKS, ""), **_DIGITS}
"""Each character that search folds, and what it becomes ("" for removed)."""

_TABLE = str.maketrans(FOLDS)
SQL_CHAIN_LENGTH = 20  # replace() calls nested in one SQL expression; SQLite's parser stack takes ~25


def fold(text: str) -> str:
    """``text`` with every character of :data:`FOLDS` replaced: the form search compares."""
    return text.translate(_TABLE)


def _replace_chain(expression: str, folds: list[tuple[str, str]]) -> str:
    for char, replacement in folds:
        target = " || ".join(f"char({ord(c)})" for c in replacement) or "''"
        expression = f"replace({expression}, char({ord(char)}), {target})"
    return expression


def fold_view_sql(view: str, table: str, key: str, columns: list[str]) -> str:
    """``create view``: ``key`` and each of ``columns`` of ``table`` folded as :func:`fold` does.

    Plain SQL (chained ``replace()``), so any SQLite connection can read the view.
    The replacements are split over steps of :data:`SQL_CHAIN_LENGTH`, since
    SQLite's parser refuses deeper nesting. Every character folded is outside ASCII,
    so text that is all ASCII (as many bytes as characters: most of the English
    edition) is given as written, without the 77 passes of the chain, which are
    most of the cost of indexing an article.
    """
    folds = sorted(FOLDS.items())
    written = {c: f"[{c} as written]" for c in columns}
    steps, source = [], table
    for n in range(0, len(folds), SQL_CHAIN_LENGTH):
        name = f"fold_step_{n // SQL_CHAIN_LENGTH + 1}"
        chain = folds[n : n + SQL_CHAIN_LENGTH]
        selected = ", ".join(
            f"{_replace_chain(f'[{c}]', chain)} as [{c}], {f'[{c}]' if source == table else written[c]} as {written[c]}"
            for c in columns
        )
        steps.append(f"{name} as (select [{key}], {selected} from [{source}])")
        source = name
    chosen = ", ".join(
        f"case when length(cast({written[c]} as blob)) = length({written[c]}) then {written[c]} else [{c}] end as [{c}]"
        for c in columns
    )
    return f"create view [{view}] as with\n  " + ",\n  ".join(steps) + f"\nselect [{key}], {chosen} from [{source}]"
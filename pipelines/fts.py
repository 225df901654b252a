"""The archive's full-text index (``articles_fts``): its tokenizer and columns, which the schema creates it with
(:mod:`pipelines.schema`) and searches are written for (:mod:`crawler.search`). A module of its own, so that a
search's parser does without sqlite-utils, which every ``scrapy`` command would otherwise import to list itself."""

# unicode61 folds case; remove_diacritics 2 folds accents on any letter (é, ü, ā).
FTS_TOKENIZER = "unicode61 remove_diacritics 2"
SEARCHED_COLUMNS = ("title", "summary", "text")  # articles_fts's columns, in bm25() weight order
# Indexed after them (migration index_search_filters), so that a search's filters are terms of its MATCH.
SEARCH_FILTERS = ("outlet", "language")

# The README's two commands: `make demo` (set up, crawl the bundled mirror) and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN = $(VENV)/bin

DATASETTE = $(BIN)/python -m datasette archive.db --metadata datasette/metadata.yml --plugins-dir datasette/plugins \
	--setting sql_time_limit_ms 1000 --setting max_returned_rows 1000 --setting suggest_facets off

.PHONY: demo test setup serve serve-public

setup: $(VENV)/.installed

$(VENV)/.installed: requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	touch $@

demo: setup
	$(BIN)/python scripts/crawl_mirror.py

test: setup
	$(BIN)/python -m pytest

serve: setup
	$(DATASETTE)

# Read-only for the public: tables, facets and the saved queries, no arbitrary SQL.
serve-public: setup
	$(DATASETTE) --setting default_allow_sql off --host 0.0.0.0 --port 8001

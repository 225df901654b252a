# The README's two commands: `make demo` (set up, crawl the bundled mirror) and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN = $(VENV)/bin

# `make serve ARCHIVE=/data/urdupoint.db` serves another archive (scripts/serve.py)
ARCHIVE ?= archive.db
DATASETTE = $(BIN)/python scripts/serve.py $(ARCHIVE)

.PHONY: demo test setup serve serve-public

setup: $(VENV)/.installed

# The pins first, then the project itself (editable), which registers its datasette plugin.
$(VENV)/.installed: requirements.txt pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	$(BIN)/python -m pip install --quiet -e .
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

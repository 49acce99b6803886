# Two commands do everything on a fresh machine: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

.PHONY: setup browser console demo serve test screenshots lint bench neo4j-start neo4j-stop neo4j-status kafka-start \
	kafka-stop kafka-status

setup: $(STAMP) browser  ## venv with the project (editable, dev extra); Neo4j and Kafka assembled
	@$(BIN)/stormops neo4j assemble
	@$(BIN)/stormops kafka assemble

browser:  ## Debian's chromium for the console's browser tests (no browser download)
	@command -v chromium >/dev/null 2>&1 || { apt-get update -qq >/dev/null && \
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium \
		>/dev/null; }

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[dev,mmm]'
	@touch $(STAMP)

neo4j-start: setup
	$(BIN)/stormops neo4j start

neo4j-stop:
	@if [ -x $(BIN)/stormops ]; then $(BIN)/stormops neo4j stop; else echo "Neo4j is not set up."; fi

neo4j-status: setup
	$(BIN)/stormops neo4j status

kafka-start: setup
	$(BIN)/stormops kafka start

kafka-stop:
	@if [ -x $(BIN)/stormops ]; then $(BIN)/stormops kafka stop; else echo "Kafka is not set up."; fi

kafka-status: setup
	$(BIN)/stormops kafka status

demo: neo4j-start kafka-start  ## sample data loaded and resolved; prints where to look
	$(BIN)/stormops demo

console: setup  ## Neo4j, the API and the console; prints the URL to open
	$(BIN)/stormops console

serve: neo4j-start  ## the HTTP API on http://127.0.0.1:8000 (OpenAPI at /docs)
	$(BIN)/stormops serve --workers 2

test: neo4j-start kafka-start  ## the whole suite against the real Neo4j and Kafka (never skipped)
	STORMOPS_REQUIRE_NEO4J=1 $(BIN)/python -m pytest -q

screenshots: neo4j-start kafka-start  ## refresh screenshots/console/ from the browser tests
	STORMOPS_REQUIRE_NEO4J=1 STORMOPS_SCREENSHOTS=$(CURDIR)/screenshots/console \
		$(BIN)/python -m pytest -q tests/console/test_browser.py tests/console/test_marketing_browser.py

lint: setup
	$(BIN)/ruff check .

bench: neo4j-start  ## benchmarks print figures and write bench/results/*.json
	$(BIN)/python bench/graph_core.py && $(BIN)/python bench/api_load.py

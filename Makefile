# Quick start: `make demo` runs the desk on a bundled sample wire; `make test` runs the whole suite.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test lint typecheck bench reliability fuzz clean

$(STAMP): pyproject.toml
	$(PY) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/wiredesk demo

test: $(STAMP)
	bash scripts/system-deps.sh
	$(BIN)/ruff check src tests
	$(BIN)/mypy
	$(BIN)/pytest -n 2 -q

lint: $(STAMP)
	$(BIN)/ruff check src tests
	$(BIN)/ruff format --check src tests

typecheck: $(STAMP)
	$(BIN)/mypy

bench: $(STAMP)
	sh bench/setup.sh
	$(BIN)/pip install --quiet -e '.[dev,bench]'
	$(BIN)/python -m bench $(BENCH_ARGS)

# The long reliability suite: 10k files and 20 kill -9s, hostile files, XSS in Chromium, the
# auth sweep and wrk for a minute. Set WIREDESK_TEST_PG to run the PostgreSQL half too.
reliability: $(STAMP)
	bash scripts/system-deps.sh
	WIREDESK_RELIABILITY=long $(BIN)/pytest -q -s -p no:cacheprovider tests/reliability

# Every parser fuzzed for minutes (20,000 examples per test) instead of CI's short run.
fuzz: $(STAMP)
	HYPOTHESIS_PROFILE=fuzz $(BIN)/pytest -q -n 2 -p no:cacheprovider tests/formats -k "fuzz or any_"

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache

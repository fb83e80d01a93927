# One entry point for people and CI. `make dev` installs and runs the stack on embedded
# defaults; `make check` runs lint, types and tests.
VENV ?= .venv
PYTHON ?= python3
BIN := $(VENV)/bin

.PHONY: install dev check lint types test

install: $(VENV)/.installed

# GraphiQL's JavaScript and CSS come from npm (pinned by tools/graphiql/package-lock.json)
# and are served by fedtasks_graphiql from tools/graphiql/node_modules.
# Apollo's composer and gateway (pinned) are the references of the differential tests that
# `make check` runs, so installing is what makes every test runnable on a fresh machine.
$(VENV)/.installed: pyproject.toml tools/graphiql/package-lock.json \
		tools/apollo-composition/package-lock.json tools/apollo-gateway/package-lock.json
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	npm ci --prefix tools/graphiql --no-audit --no-fund --loglevel=error
	npm ci --prefix tools/apollo-composition --no-audit --no-fund --loglevel=error
	npm ci --prefix tools/apollo-gateway --no-audit --no-fund --loglevel=error
	touch $@

dev: install
	$(BIN)/fedtasks dev

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

types: install
	$(BIN)/mypy

test: install
	$(BIN)/pytest

check: lint types test

# Benchmarks (bench/README.md): the `bench` extra (matplotlib, for the charts) and Apollo's
# gateway (npm, pinned by tools/apollo-gateway/package-lock.json), then the suite or the
# soak run. Both need Postgres at 127.0.0.1:5432 and redis-server installed.
.PHONY: bench-install bench soak

bench-install: install
	$(BIN)/pip install --quiet -e '.[bench]'
	npm ci --prefix tools/apollo-gateway --no-audit --no-fund --loglevel=error

bench: bench-install
	$(BIN)/python bench/suite.py

soak: bench-install
	$(BIN)/python bench/soak.py

# Differential composition fuzzer (tests/router/composition/fuzz): 20,000 generated subgraph
# sets composed by ours and by Apollo's composer; prints agreements and disagreement classes.
# CI runs the first 2,000 in the test-suite (test_fuzz.py). FUZZ_SETS and FUZZ_START pick others.
.PHONY: fuzz-composition
FUZZ_SETS ?= 20000
FUZZ_START ?= 0

fuzz-composition: install
	npm ci --prefix tools/apollo-composition --no-audit --no-fund --loglevel=error
	$(BIN)/python -m tests.router.composition.fuzz.differential --sets $(FUZZ_SETS) --start $(FUZZ_START)

# Needs only Python 3.11+ and make. Everything else lands in .venv.

SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

# The first of these that is Python 3.11 or newer (override: make PYTHON=/path/to/python3).
PYTHON ?= $(shell for p in python3.13 python3.12 python3.11 python3 python; do \
	command -v $$p >/dev/null 2>&1 && \
	$$p -c 'import sys; sys.exit(sys.version_info < (3, 11))' >/dev/null 2>&1 && \
	{ echo $$p; break; }; done)

.PHONY: help install run test check lint typecheck imports migrations-check openapi-check \
	hadolint openapi fmt bench clean

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F ':.*## ' '{printf "  %-12s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml
	@if [ -z "$(PYTHON)" ]; then echo "error: Python 3.11 or newer is needed (python3.11+ on PATH, or make PYTHON=...)" >&2; exit 1; fi
	@if [ ! -x $(BIN)/python ]; then echo "creating $(VENV) with $(PYTHON)"; $(PYTHON) -m venv $(VENV); fi
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	@touch $(STAMP)

install: $(STAMP) ## Create .venv and install (again only when pyproject.toml changed)

run: $(STAMP) ## Serve the API at http://127.0.0.1:8000 (embedded Postgres unless ASN_CAREER_DATABASE_URL)
	$(BIN)/asn-career serve --demo

# Two pytest-xdist workers, each with its own template and (embedded) server; a whole file
# goes to one worker so module fixtures are built once. One process alone leaves a core idle
# while Postgres clones a test's database or answers its queries.
TEST_WORKERS ?= 2

test: $(STAMP) ## Run the test suite (ASN_CAREER_TEST_DATABASE_URL or an embedded Postgres)
	$(BIN)/pytest -n $(TEST_WORKERS) --dist loadfile

check: lint typecheck imports migrations-check openapi-check hadolint ## Every static check CI runs

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(STAMP)
	$(BIN)/mypy

imports: $(STAMP)
	$(BIN)/lint-imports

# Against ASN_CAREER_DATABASE_URL when set (upgraded to head first), else a throw-away
# embedded Postgres.
migrations-check: $(STAMP)
ifdef ASN_CAREER_DATABASE_URL
	$(BIN)/asn-career migrate check --upgrade
else
	$(BIN)/asn-career migrate check --ephemeral
endif

openapi-check: $(STAMP)
	$(BIN)/asn-career export-openapi --check

hadolint: $(STAMP)
	$(BIN)/hadolint Dockerfile

openapi: $(STAMP) ## Regenerate openapi/openapi.json from the app
	$(BIN)/asn-career export-openapi

fmt: $(STAMP) ## Format and apply safe lint fixes
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# App against a raw Starlette + asyncpg baseline at 10k and 1M employees (benchmarks/README.md).
# Needs wrk (apt-get install -y wrk); BENCH_ARGS="--sizes 10k --duration 10" and so on.
bench: $(STAMP) ## Run the benchmarks (needs wrk; BENCH_ARGS=... for options)
	@command -v wrk >/dev/null 2>&1 || { echo "error: wrk is needed: apt-get install -y wrk" >&2; exit 1; }
	$(BIN)/python -m benchmarks $(BENCH_ARGS)

clean: ## Remove the virtualenv and caches (keeps .data, the embedded database)
	rm -rf $(VENV) build dist .pytest_cache .mypy_cache .ruff_cache .hypothesis
	find . -name __pycache__ -type d -prune -not -path './.git/*' -exec rm -rf {} +
	find . -name '*.egg-info' -type d -prune -not -path './.git/*' -exec rm -rf {} +

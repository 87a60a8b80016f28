# Masthead: `make run` serves a demo site on http://127.0.0.1:8000; `make test` runs the suite.

PYTHON ?= python3
VENV ?= .venv
HOST ?= 127.0.0.1
PORT ?= 8000
BIN := $(VENV)/bin
MASTHEAD := $(BIN)/masthead
PYTEST_ARGS ?=

.PHONY: run install test lint format bench clean help

help:
	@echo "make run    install, migrate, load demo content and serve on http://$(HOST):$(PORT)"
	@echo "make test   run the whole test suite (installs test tools first)"
	@echo "make bench  run the benchmarks and write bench/REPORT.md"
	@echo "make lint   ruff check and format check"

$(BIN)/python:
	$(PYTHON) -c 'import sys; sys.exit("Masthead needs Python 3.11 or newer") if sys.version_info < (3, 11) else None'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml $(VENV)/.installed
	$(BIN)/python -m pip install --quiet -e ".[test]"
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

install: $(VENV)/.installed

# The demo newsroom's name, unless the environment or .env names the site.
DEMO_NAME = $(if $(SITE_NAME),,$(if $(shell grep -s '^SITE_NAME=' .env),,SITE_NAME="The Harbour Gazette"))

run: $(VENV)/.installed
	@mkdir -p var
	@test -n "$$SECRET_KEY" || test -f var/secret_key || \
		$(BIN)/python -c 'import secrets; print(secrets.token_urlsafe(50))' > var/secret_key
	$(MASTHEAD) migrate --noinput
	$(MASTHEAD) demo
	$(DEMO_NAME) $(MASTHEAD) serve --host $(HOST) --port $(PORT)

test: $(VENV)/.installed-test node_modules/.installed
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: $(VENV)/.installed-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(VENV)/.installed-test
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

bench: $(VENV)/.installed-test
	$(BIN)/python -m bench

clean:
	rm -rf $(VENV) node_modules .pytest_cache .ruff_cache

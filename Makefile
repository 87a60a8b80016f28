# Masthead: `make run` serves a demo site on http://127.0.0.1:8000; `make test` runs the suite.

PYTHON ?= python3
VENV ?= .venv
HOST ?= 127.0.0.1
PORT ?= 8000
BIN := $(VENV)/bin
MASTHEAD := $(BIN)/masthead
PYTEST_ARGS ?= -n auto

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

# For `make run`: the demo newsroom's name and the address being served, unless the
# environment or .env says otherwise.
unset_in_env = $(if $($(1)),,$(if $(shell grep -s '^$(1)=' .env),,$(1)="$(2)"))
RUN_HOST = $(if $(filter 0.0.0.0,$(HOST)),127.0.0.1,$(HOST))
RUN_ENV = $(call unset_in_env,SITE_NAME,The Harbour Gazette) \
	$(call unset_in_env,SITE_URL,http://$(RUN_HOST):$(PORT))

run: $(VENV)/.installed
	@mkdir -p var
	@test -n "$$SECRET_KEY" || test -f var/secret_key || \
		$(BIN)/python -c 'import secrets; print(secrets.token_urlsafe(50))' > var/secret_key
	$(MASTHEAD) migrate --noinput
	$(RUN_ENV) $(MASTHEAD) demo
	$(RUN_ENV) $(MASTHEAD) serve --host $(HOST) --port $(PORT)

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

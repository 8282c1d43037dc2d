# Hamkori — run `make help` for the targets.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
MANAGE := $(BIN)/python manage.py
PO_FILES := $(shell find locale */locale -name '*.po' 2>/dev/null)
MO_FILES := $(PO_FILES:.po=.mo)
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: help install run serve test test-postgres test-e2e bench lint format messages audit clean

help: ## Show this help
	@grep -hE '^[a-zA-Z_-]+:.*?## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*?## "}; {printf "  \033[36m%-14s\033[0m %s\n", $$1, $$2}'

$(STAMP): pyproject.toml
	@scripts/check_prerequisites.sh
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $(STAMP)

%.mo: %.po
	msgfmt --check-format -o $@ $<

install: $(STAMP) $(MO_FILES) ## Create .venv, install Hamkori with its dev tools, compile translations (no-op when up to date)

run: install ## Install, migrate, load the demo data and serve http://127.0.0.1:8000 (SQLite)
	@mkdir -p var
	$(MANAGE) migrate --no-input
	$(MANAGE) load_demo_data
	$(MANAGE) demo_logins
	$(MANAGE) runserver $(HOST):$(PORT)

serve: install ## Serve with gunicorn and production settings (needs DJANGO_SECRET_KEY, DATABASE_URL)
	DJANGO_SETTINGS_MODULE=config.settings.production $(MANAGE) collectstatic --no-input
	DJANGO_SETTINGS_MODULE=config.settings.production $(BIN)/gunicorn config.wsgi --bind $(HOST):$(PORT) --workers 3

lint: install ## ruff check and format check
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install ## Format and fix with ruff
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

messages: install ## Extract translatable strings into every locale's .po files
	for app in . curriculum courses attendance assessments reports privacy accounts core; do \
	  (cd $$app && test -d locale && ../$(MANAGE) makemessages -l ru -l tg -l ky --no-obsolete --ignore='.venv/*' || true); \
	done

test: install lint ## Lint, check, makemigrations --check, then the test suite on SQLite
	DJANGO_SETTINGS_MODULE=config.settings.test $(MANAGE) check
	DJANGO_SETTINGS_MODULE=config.settings.test $(MANAGE) makemigrations --check --dry-run
	DJANGO_SETTINGS_MODULE=config.settings.production DJANGO_SECRET_KEY=$$(head -c 48 /dev/urandom | base64 | tr -d '\n=+/')xxxxxxxx $(MANAGE) check --deploy --fail-level WARNING
	$(BIN)/pytest -p no:playwright --ignore=tests/e2e

test-postgres: install ## The test suite on a throwaway PostgreSQL cluster (started and removed by scripts/with_postgres.sh)
	scripts/with_postgres.sh $(BIN)/pytest -p no:playwright --ignore=tests/e2e

test-e2e: install ## Browser tests in Debian's Chromium with axe-core and the Nu HTML checker
	scripts/install_e2e_tools.sh
	DJANGO_ALLOW_ASYNC_UNSAFE=true $(BIN)/pytest tests/e2e

bench: install ## Run every benchmark script under bench/
	@shopt -s nullglob; scripts=(bench/*.py); \
	if [ $${#scripts[@]} -eq 0 ]; then echo "No benchmark scripts in bench/ yet."; fi; \
	for script in "$${scripts[@]}"; do echo "== $$script"; $(BIN)/python $$script || exit 1; done

audit: install ## Check installed dependencies for known vulnerabilities (pip-audit; needs PyPI's JSON API)
	$(BIN)/pip-audit --skip-editable --strict --progress-spinner off

clean: ## Remove the virtualenv, the SQLite database and collected files
	rm -rf $(VENV) var/hamkori.sqlite3 var/static node_modules

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
# Every package pinned with its hashes; regenerated from pyproject.toml by `make lock`.
LOCK := requirements/dev.lock
# -qq: errors only, so `make run` is not buried in pip's notices (those of a machine's pip.conf too).
PIP := $(BIN)/python -m pip -qq --disable-pip-version-check

.PHONY: help install run worker serve test test-postgres test-e2e bench bench-pages bench-load lint format messages lock audit clean

help: ## Show this help
	@grep -hE '^[a-zA-Z0-9_-]+:.*?## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*?## "}; {printf "  \033[36m%-14s\033[0m %s\n", $$1, $$2}'

$(STAMP): pyproject.toml $(LOCK)
	@scripts/check_prerequisites.sh
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@echo "Installing the locked Python packages into $(VENV) (about a minute the first time) ..."
	@$(PIP) install --require-hashes -r $(LOCK)
	@$(PIP) install --no-deps -e .
	@mkdir -p var
	@touch $(STAMP)

%.mo: %.po
	@msgfmt --check-format -o $@ $<

install: $(STAMP) $(MO_FILES) ## Create .venv, install Hamkori with its dev tools, compile translations (no-op when up to date)

run: install ## Install, migrate, load the demo data and serve http://127.0.0.1:8000 (SQLite; HOST=, PORT= to change)
	@echo "Migrating the database (DATABASE_URL, default var/hamkori.sqlite3) ..."
	@$(MANAGE) migrate --no-input -v 0
	@echo "Loading the demo data ..."
	@$(MANAGE) load_demo_data --base-url http://$(HOST):$(PORT)
	@echo "Serving http://$(HOST):$(PORT)/ with the background worker beside it — press Ctrl+C to stop both."
	@scripts/run_dev.sh $(HOST):$(PORT)

worker: install ## Run the background worker alone (manage.py db_worker): bulk certificates, large exports, report rebuilds
	$(MANAGE) db_worker --backend background --no-reload

serve: install ## Serve with gunicorn and production settings (needs DJANGO_SECRET_KEY, HAMKORI_CODE_PEPPER, DATABASE_URL; run the worker beside it)
	@echo "Background jobs need a worker beside gunicorn, with the same settings and environment:"
	@echo "  DJANGO_SETTINGS_MODULE=config.settings.production $(MANAGE) db_worker --backend background   (docs/scaling.md)"
	DJANGO_SETTINGS_MODULE=config.settings.production $(MANAGE) collectstatic --no-input
	DJANGO_SETTINGS_MODULE=config.settings.production $(BIN)/gunicorn config.wsgi --preload --bind $(HOST):$(PORT) --workers 3

lint: install ## ruff check and format check
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install ## Format and fix with ruff
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

messages: install ## Extract translatable strings into every locale's .po files (the translators' source)
	@# From each folder that has a locale/ (makemessages writes to the nearest one); a failure stops here.
	@set -e; for app in . curriculum courses attendance assessments reports privacy accounts core; do \
	  (cd $$app && $(CURDIR)/$(BIN)/python $(CURDIR)/manage.py makemessages -l ru -l tg -l ky --no-obsolete \
	    --ignore='.venv/*' --ignore='node_modules/*' --ignore='var/*'); \
	done
	@echo "Catalogues updated: translate new entries in each app's locale/<lang>/LC_MESSAGES/django.po."

test: install lint ## Lint, check, makemigrations --check, then the test suite on SQLite
	DJANGO_SETTINGS_MODULE=config.settings.test $(MANAGE) check
	DJANGO_SETTINGS_MODULE=config.settings.test $(MANAGE) makemigrations --check --dry-run
	DJANGO_SETTINGS_MODULE=config.settings.production DJANGO_SECRET_KEY=$$(head -c 48 /dev/urandom | base64 | tr -d '\n=+/')xxxxxxxx HAMKORI_CODE_PEPPER=$$(head -c 48 /dev/urandom | base64 | tr -d '\n=+/') $(MANAGE) check --deploy --fail-level WARNING
	$(BIN)/pytest -p no:playwright --ignore=tests/e2e

test-postgres: install ## The test suite on a throwaway PostgreSQL cluster (started and removed by scripts/with_postgres.sh)
	scripts/with_postgres.sh $(BIN)/pytest -p no:playwright --ignore=tests/e2e

test-e2e: install ## Browser tests in Debian's Chromium with axe-core and the Nu HTML checker
	scripts/install_e2e_tools.sh
	DJANGO_ALLOW_ASYNC_UNSAFE=true $(BIN)/pytest tests/e2e

bench: install ## Run every benchmark script under bench/ (bench/bench_*.py)
	@shopt -s nullglob; scripts=(bench/bench_*.py); \
	if [ $${#scripts[@]} -eq 0 ]; then echo "No benchmark scripts in bench/ yet."; fi; \
	for script in "$${scripts[@]}"; do echo "== $$script"; $(BIN)/python $$script || exit 1; done

bench-pages: install ## Our pages as ratios to the bare home page, over HTTP against gunicorn, SQLite then PostgreSQL (bench/README.md)
	bench/run_pages.sh

bench-load: install ## Load test: gunicorn + throwaway PostgreSQL + locust at 50 and 100 users (bench/README.md)
	bench/run_load.sh

lock: ## Regenerate requirements/dev.lock from pyproject.toml with pip-tools (UPGRADE=1 moves every pin to the newest allowed)
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@$(PIP) install 'pip-tools>=7.6,<8'
	$(BIN)/pip-compile --quiet --generate-hashes --allow-unsafe --strip-extras --extra dev \
	  --no-emit-index-url --no-emit-find-links $(if $(UPGRADE),--upgrade) -o $(LOCK) pyproject.toml

audit: install ## Check the locked dependencies for known vulnerabilities (pip-audit; needs PyPI's JSON API)
	$(BIN)/pip-audit --requirement $(LOCK) --require-hashes --disable-pip --strict --progress-spinner off

clean: ## Remove the virtualenv, the SQLite database and collected files
	rm -rf $(VENV) var/hamkori.sqlite3 var/static node_modules

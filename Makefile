# Personvern: two commands do all the set-up on a fresh machine.
#   make run   install into .venv (with the demo extra), migrate, load the demo organisation,
#              start web + worker + scheduler on http://127.0.0.1:8000 (PORT=8010 make run for
#              another port) and the demo CRM on PORT+1 (CRM_PORT=...); Ctrl-C, or SIGTERM to
#              make, stops them all
#   make test  lint (ruff, and import-linter's layer contracts), type-check, migrations check,
#              tests on SQLite and then PostgreSQL, then schemathesis over the API on each

PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
PG_URL ?= postgres://postgres@127.0.0.1:5432/test
DEV := DJANGO_SETTINGS_MODULE=personvern.settings.development
PORT ?= 8000
CRM_PORT ?= $(shell echo $$(($(PORT) + 1)))

.PHONY: install run test lint typecheck migrations-check test-sqlite test-postgres test-api-fuzz browser clean

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --disable-pip-version-check -e ".[dev,demo]"
	bash scripts/install-pango.sh
	touch $@

install: $(VENV)/.installed

run: install
	$(DEV) $(BIN)/personvern migrate --noinput -v0
	$(DEV) PERSONVERN_DEMO_CRM_URL=http://127.0.0.1:$(CRM_PORT)/api $(BIN)/personvern demo
	exec env $(DEV) BIN=$(BIN) PORT=$(PORT) CRM_PORT=$(CRM_PORT) bash scripts/run-dev.sh

lint: install
	$(BIN)/ruff check personvern tests benchmarks
	$(BIN)/lint-imports --no-logo

typecheck: install
	$(BIN)/mypy personvern tests

migrations-check: install
	DJANGO_SETTINGS_MODULE=personvern.settings.test $(BIN)/personvern makemigrations --check --dry-run

browser:
	bash scripts/install-browser.sh

test-sqlite: install
	env -u DATABASE_URL $(BIN)/pytest -q -p no:cacheprovider

test-postgres: install
	PG_URL=$(PG_URL) BIN=$(BIN) bash scripts/test-postgres.sh

test-api-fuzz: install
	BIN=$(BIN) bash scripts/api-fuzz.sh sqlite
	BIN=$(BIN) PG_URL=$(PG_URL) bash scripts/test-postgres.sh --fuzz

test: install browser lint typecheck migrations-check test-sqlite test-postgres test-api-fuzz

clean:
	rm -rf $(VENV) var .mypy_cache .ruff_cache .pytest_cache

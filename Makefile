# Personvern: two commands do all the set-up on a fresh machine.
#   make run   install into .venv (with the demo extra), migrate, load the demo organisation,
#              start web + worker + scheduler on http://127.0.0.1:8000 (PORT=8010 make run for
#              another port) and the demo CRM on PORT+1 (CRM_PORT=...); Ctrl-C, or SIGTERM to
#              make, stops them all
#   make test  lint (ruff, and import-linter's layer contracts), type-check, migrations check,
#              then two lanes side by side: tests and schemathesis on SQLite, and on PostgreSQL

PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
PG_URL ?= postgres://postgres@127.0.0.1:5432/test
DEV := DJANGO_SETTINGS_MODULE=personvern.settings.development
PORT ?= 8000
CRM_PORT ?= $(shell echo $$(($(PORT) + 1)))
# Where the links in letters point while `make run` serves: the port it serves on.
RUN_PORTAL_URL = $(or $(PERSONVERN_PORTAL_URL),http://127.0.0.1:$(PORT))

.PHONY: install run test lint typecheck migrations-check test-sqlite test-postgres test-api-fuzz test-lane-sqlite test-lane-postgres browser clean

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --disable-pip-version-check -e ".[dev,demo]"
	bash scripts/install-pango.sh
	touch $@

install: $(VENV)/.installed

run: install
	$(DEV) $(BIN)/personvern migrate --noinput -v0
	$(DEV) PERSONVERN_PORTAL_URL=$(RUN_PORTAL_URL) \
	  PERSONVERN_DEMO_CRM_URL=http://127.0.0.1:$(CRM_PORT)/api $(BIN)/personvern demo
	exec env $(DEV) PERSONVERN_PORTAL_URL=$(RUN_PORTAL_URL) BIN=$(BIN) PORT=$(PORT) \
	  CRM_PORT=$(CRM_PORT) bash scripts/run-dev.sh

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

# The SQLite and the PostgreSQL lanes (tests, then schemathesis) share nothing — each has its
# own test databases, external source databases included (PV_TEST_EXTERNAL_DB) — so they run
# side by side on the two cores: about 15 minutes for `make test` instead of 22 one after the
# other. --output-sync keeps each lane's output together.
test: install browser lint typecheck migrations-check
	$(MAKE) -j2 --output-sync=recurse test-lane-sqlite test-lane-postgres

test-lane-sqlite: install
	$(MAKE) test-sqlite
	BIN=$(BIN) bash scripts/api-fuzz.sh sqlite

test-lane-postgres: install
	PV_TEST_EXTERNAL_DB=pv_src_ext_pg $(MAKE) test-postgres
	BIN=$(BIN) PG_URL=$(PG_URL) bash scripts/test-postgres.sh --fuzz

clean:
	rm -rf $(VENV) var .mypy_cache .ruff_cache .pytest_cache

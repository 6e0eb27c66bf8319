# Leerlus — the two commands: `make run` (whole product, embedded) and `make test` (whole suite).
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

JSLINT := .ci/jslint/node_modules/.bin/eslint

.PHONY: help run test bench lint typecheck install migration-reset i18n i18n-check

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip setuptools==84.2.1
	$(PY) -m pip install --quiet -e '.[test,train]'
	touch $(STAMP)

help:  ## this list
	@grep -E '^[a-z0-9-]+:.*## ' $(MAKEFILE_LIST) | sed -E 's/:.*## /\t/' | expand -t 18

install: $(STAMP)  ## create .venv with everything the product and the tests need

run: $(STAMP)  ## the whole product: web + worker + scheduler, embedded SQLite and Redis, demo data
	$(VENV)/bin/leerlus run

test: $(STAMP)  ## the whole test suite (embedded, or TEST_DATABASE_URL / TEST_REDIS_URL)
	$(PY) -m pytest $(PYTEST_ARGS)

bench: $(STAMP)  ## the benchmarks, ratios side by side
	$(PY) -m bench

$(JSLINT): .ci/jslint/package-lock.json
	cd .ci/jslint && npm ci --no-audit --no-fund --silent
	touch $@

lint: $(STAMP) $(JSLINT)  ## ruff (lint + format check), import-linter contracts, ESLint for the PWA
	$(VENV)/bin/ruff check server workers tests bench scripts
	$(VENV)/bin/ruff format --check server workers tests bench scripts
	$(VENV)/bin/lint-imports
	$(JSLINT) --config .ci/jslint/eslint.config.js pwa

typecheck: $(STAMP)  ## mypy; errors recorded in .ci/mypy-baseline.txt may only shrink
	$(VENV)/bin/mypy server workers | $(VENV)/bin/mypy-baseline filter

i18n: $(STAMP)  ## translations: extract the texts into the .po catalogues, then compile (.mo, pwa/locale/*.json)
	$(PY) scripts/i18n.py extract
	$(PY) scripts/i18n.py compile
	$(PY) scripts/i18n.py check || echo "(untranslated strings above: fill in their msgstr, then make i18n)"

i18n-check: $(STAMP)  ## list strings missing in nl/en (resident page: all six languages); fails if any
	$(PY) scripts/i18n.py check

migration-reset: $(STAMP)  ## before the first release only: regenerate the initial migration
	rm -f migrations/versions/0001_initial_schema.py
	tmp=$$(mktemp -d) && LEERLUS_INSTANCE_PATH=$$tmp DATABASE_URL=sqlite:///$$tmp/m.db \
		$(VENV)/bin/leerlus db migrate -m "initial schema" --rev-id 0001 && rm -rf $$tmp

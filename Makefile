# Leerlus — the two commands: `make run` (whole product, embedded) and `make test` (whole suite).
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: run test bench lint install migration-reset

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip setuptools==84.2.1
	$(PY) -m pip install --quiet -e '.[test,train]'
	touch $(STAMP)

install: $(STAMP)

run: $(STAMP)
	$(VENV)/bin/leerlus run

test: $(STAMP)
	$(PY) -m pytest $(PYTEST_ARGS)

bench: $(STAMP)
	$(PY) -m bench

lint: $(STAMP)
	$(VENV)/bin/ruff check server workers tests bench

# Before the first release only: regenerate the single initial migration from the models.
migration-reset: $(STAMP)
	rm -f migrations/versions/0001_initial_schema.py
	tmp=$$(mktemp -d) && LEERLUS_INSTANCE_PATH=$$tmp DATABASE_URL=sqlite:///$$tmp/m.db \
		$(VENV)/bin/leerlus db migrate -m "initial schema" --rev-id 0001 && rm -rf $$tmp

# Evac's everyday commands. Every target sets up .venv first, so a fresh clone needs only
# Python 3.11 or newer: `make run` is the embedded default (SQLite, Celery on kombu's
# filesystem transport) and needs no database or broker server.

VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
# pip runs only when requirements.txt is newer than this stamp, so repeat runs start at once.
STAMP := $(VENV)/.requirements-installed
# python3.11 if it is there, else python3 (checked to be 3.11 or newer before use).
PYTHON ?= $(shell command -v python3.11 || command -v python3)
# Extra arguments for pytest: make test ARGS="-k healthz -x"
ARGS ?=
# Extra arguments for seed_demo: make run SEED_ARGS=--reanchor (replay the week from now) or
# SEED_ARGS=--historical (the dates of 2022).
SEED_ARGS ?=

.DEFAULT_GOAL := help
.PHONY: help venv run prod-local migrate seed test lint screenshots

help:
	@echo "make run      set up, migrate, load the demo and start web, worker and beat"
	@echo "make prod-local  production settings on this machine's PostgreSQL and Redis"
	@echo "make test     the whole test suite (ARGS=... passes options to pytest)"
	@echo "make lint     ruff check and ruff format --check"
	@echo "make migrate  apply database migrations"
	@echo "make seed     load the January 2022 demo, replayed in the present (idempotent;"
	@echo "              SEED_ARGS=--reanchor replays it from now, --historical keeps 2022)"
	@echo "make screenshots  retake docs/screenshots/ in Chromium from the demo"

$(PY):
	@test -n "$(PYTHON)" || { echo "Evac needs Python 3.11 or newer: no python3 found" >&2; exit 1; }
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || { \
		echo "Evac needs Python 3.11 or newer; $(PYTHON) is $$($(PYTHON) --version 2>&1)" >&2; \
		exit 1; }
	$(PYTHON) -m venv $(VENV)

$(STAMP): requirements.txt | $(PY)
	$(PY) -m pip install --disable-pip-version-check --quiet -r requirements.txt
	@touch $@

venv: $(STAMP)

# The development commands default to DEBUG=1, so settings need no SECRET_KEY and runserver
# serves static files. A DEBUG already in the environment wins.
run migrate seed: export DEBUG ?= 1

migrate: venv
	$(PY) manage.py migrate --noinput

seed: migrate
	$(PY) manage.py seed_demo $(SEED_ARGS)

# honcho reads no .env file here (--env /dev/null): migrate and seed above don't either, and
# all of them must see the same database.
run: export PYTHONUNBUFFERED = 1
run: export EVAC_ADDR ?= 127.0.0.1:8000
run: seed
	@printf '\nEvac: http://%s/ (demo logins above)\n%s\n%s\n\n' \
		"$(EVAC_ADDR)" \
		"Second step for coordinator and officer: $(PY) manage.py demo_code coordinator (or officer) prints the code." \
		"Ctrl-C stops the web server, the worker and beat."
	@PATH="$(CURDIR)/$(BIN):$$PATH" $(BIN)/honcho start --procfile Procfile.dev --env /dev/null; \
	status=$$?; \
	if [ $$status -ne 0 ] && [ $$status -ne 130 ]; then \
		printf '\n%s\n%s\n' \
			"Evac stopped: one of its processes exited (status $$status) and honcho stopped the others." \
			"The first line \"<name>.1 stopped (rc=...)\" above names it; the lines before it say why." >&2; \
	fi; \
	exit $$status

# DEBUG off, PostgreSQL, Redis, gunicorn, two worker nodes and beat (scripts/prod_local.sh);
# needs a PostgreSQL and a Redis server on this machine. scripts/prod_local_check.sh starts it,
# checks it end to end and stops it (CI does).
prod-local: venv
	scripts/prod_local.sh

test: venv
	$(BIN)/pytest $(ARGS)

lint: venv
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

# The pictures in docs/screenshots/, retaken in Chromium by the browser tests: the staff pages
# and the public page from the demo as it is loaded today, the citizen's phone from its own test.
screenshots: venv
	EVAC_SCREENSHOTS=1 $(BIN)/pytest tests/browser/test_demo_screenshots.py \
		tests/browser/test_citizen_portal.py

# netlog: `make run` sets everything up and serves the local demo; `make test` runs
# the whole suite. Both are idempotent: set-up steps rerun only when their inputs change.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test setup lint format migrations-check clean bench load

setup: $(VENV)/.installed node_modules/.installed var

$(VENV)/.installed: requirements.txt requirements-dev.txt constraints.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements-dev.txt -c constraints.txt
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

var:
	mkdir -p var

# The local demo: SQLite in var/, jobs in-process, demo accounts (password netlog-demo).
run: export DEBUG ?= 1
run: setup
	$(BIN)/python manage.py migrate --verbosity 0
	$(BIN)/python manage.py seed_demo
	@echo "netlog: http://$(HOST):$(PORT)/ (sign in as recruiter / netlog-demo)"
	$(BIN)/python manage.py runserver $(HOST):$(PORT)

# The whole suite, on SQLite by default or on PostgreSQL when DATABASE_URL is set.
test: setup lint
	$(BIN)/pytest

# Benchmarks (not tests): generate data at two scales in the PostgreSQL database that
# DATABASE_URL names (a scratch one: it is replaced), measure every page and job there
# against the Django admin, and write bench/RESULTS.md. BENCH_SCALES=small is quicker.
bench: setup
	$(BIN)/python -m bench.run

# The load test: gunicorn on the loopback interface and Locust playing the agency's
# recruiters, against the database `make bench` filled (DATABASE_URL); writes
# bench/LOAD.md and fails on any error. LOAD_USERS, LOAD_SECONDS, LOAD_WORKERS;
# LOAD_FAULT=postgres restarts PostgreSQL midway and checks nothing was lost.
load: setup
	$(BIN)/python -m bench.load

lint: $(VENV)/.installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(VENV)/.installed
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

clean:
	rm -rf $(VENV) node_modules var

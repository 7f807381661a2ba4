# Riposte: `make run` serves the demo site, `make test` runs the whole suite.
# Both create .venv and install what they need on first use.

PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
PORT   ?= 8000
TEST_ARGS ?= -n auto

.DEFAULT_GOAL := help
.PHONY: help install install-dev run serve worker test lint format bench soak check-deploy clean

# The job worker (emails, the daily schedule); see jobs/outbox.py and README "Jobs".
WORKER := $(PY) manage.py jobs_worker
# Runs $(1) in the foreground with the job worker beside it; Ctrl-C or the server's
# exit stops both (the worker finishes its running job first).
define with_worker
	@trap 'kill -TERM $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT; \
	$(WORKER) & worker=$$!; \
	$(1)
endef

help:
	@echo "make run     serve the site with demo content on http://127.0.0.1:$(PORT), with the job worker"
	@echo "make test    run the whole test suite on PostgreSQL"
	@echo "make lint    ruff check and format check"
	@echo "make bench   print benchmark numbers (never part of the test run)"
	@echo "make soak    every fault of issue 12 at full length under load (~15 min); results in .data/soak/"
	@echo "make serve   gunicorn and the job worker, production settings (needs DJANGO_SECRET_KEY)"
	@echo "make worker  the job worker alone (emails, digests, cleanup)"

$(VENV)/bin/python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Riposte needs Python 3.11 or newer; set PYTHON=python3.11")'
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(VENV)/bin/python
	$(PY) -m pip install --quiet -e .
	@touch $@

$(VENV)/.installed-dev: pyproject.toml $(VENV)/.installed
	$(PY) -m pip install --quiet -e ".[dev]"
	@touch $@

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

run: export DJANGO_DEBUG ?= true
run: install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_demo
	$(call with_worker,$(PY) manage.py runserver 127.0.0.1:$(PORT))

serve: install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py collectstatic --noinput --verbosity 0
	$(call with_worker,$(VENV)/bin/gunicorn -c config/gunicorn.conf.py config.wsgi)

worker: install
	$(PY) manage.py migrate --noinput
	$(WORKER)

test: install-dev
	$(PY) -m pytest $(TEST_ARGS)

lint: install-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install-dev
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

bench: install-dev
	$(PY) bench/run.py

# Issue 12's faults for minutes each under mixed traffic; counts on stdout and in
# .data/soak/soak-<time>.jsonl; exits 1 if anything was lost, doubled or a 500.
soak: install-dev
	$(PY) bench/soak.py

check-deploy: install
	DJANGO_SECRET_KEY=$$($(PY) -c 'import secrets; print(secrets.token_urlsafe(64))') \
		$(PY) manage.py check --deploy --fail-level WARNING

clean:
	rm -rf $(VENV) staticfiles .pytest_cache .ruff_cache

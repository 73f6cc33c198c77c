# Claimdesk: `make run` installs and serves the demo; `make test` runs the whole suite.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
PORT ?= 8000
SIZE ?= small
# Development settings for `make run` only; production sets its own environment.
RUN_ENV := DEBUG=1 SECRET_KEY=$${SECRET_KEY:-dev-only-not-secret-$$(hostname)}

LOAD_USERS ?= 20
LOAD_SECONDS ?= 60
LOAD_PACE ?= people

.PHONY: help install run test lint format bench loadtest clean

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-10s %s\n", $$1, $$2}'

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $@

install: $(VENV)/.installed ## Create .venv and install Claimdesk with its development tools

run: install ## Install, migrate, seed the demo and serve on http://127.0.0.1:8000
	$(RUN_ENV) $(PY) manage.py migrate --no-input
	$(RUN_ENV) $(PY) manage.py seed_demo
	$(RUN_ENV) $(PY) manage.py runserver 127.0.0.1:$(PORT)

test: install ## Run the whole test suite (browser tests included), one worker a core
	$(PY) -m pytest -q -n auto --dist loadscope

lint: install ## ruff lint and format check
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install ## Format the code with ruff
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

bench: install ## Benchmark (SIZE=small|large; DATABASE_URL for PostgreSQL)
	$(PY) bench/run.py --size $(SIZE)

loadtest: install ## Load test: locust against gunicorn on PostgreSQL (LOAD_USERS, LOAD_SECONDS, LOAD_PACE, SIZE)
	$(PY) bench/loadtest.py --users $(LOAD_USERS) --seconds $(LOAD_SECONDS) --pace $(LOAD_PACE) --size $(SIZE)

clean: ## Remove the virtualenv and local databases
	rm -rf $(VENV) db.sqlite3 staticfiles

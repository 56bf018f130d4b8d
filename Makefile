# «Наставник» — the two commands a newcomer needs are `make run` and `make test`.
PY ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PYTHON := $(BIN)/python
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1:8000

.PHONY: run test lint format bench demo install migrate e2e clean

$(STAMP): requirements.txt requirements-dev.txt
	test -x $(PYTHON) || $(PY) -m venv $(VENV)
	$(PYTHON) -m pip install --quiet --upgrade pip
	$(PYTHON) -m pip install --quiet -r requirements-dev.txt
	touch $(STAMP)

install: $(STAMP)

migrate: install
	DEBUG=1 $(PYTHON) manage.py migrate --noinput

demo: migrate
	DEBUG=1 $(PYTHON) manage.py load_demo

# The web server, the task worker, the periodic jobs and the local MAX stub (Procfile), started
# and stopped together. The demo talks to the stub, never to the real MAX (docs/max.md).
MAX_API_URL ?= http://127.0.0.1:8025
MAX_BOT_TOKEN ?= stub-max-bot-token
MAX_WEBHOOK_SECRET ?= demo-secret
run: demo
	PATH="$(abspath $(BIN)):$$PATH" DEBUG=1 HOST=$(HOST) MAX_API_URL=$(MAX_API_URL) \
	  MAX_BOT_TOKEN=$(MAX_BOT_TOKEN) MAX_WEBHOOK_SECRET=$(MAX_WEBHOOK_SECRET) \
	  $(BIN)/honcho -f Procfile start

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	NASTAVNIK_TESTING=1 $(PYTHON) manage.py makemigrations --check --dry-run

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

test: lint
	NASTAVNIK_TESTING=1 $(BIN)/pytest -n 2 --dist loadfile

e2e: install
	NASTAVNIK_TESTING=1 $(BIN)/pytest -m e2e

bench: install
	NASTAVNIK_TESTING=1 $(PYTHON) bench/run.py

clean:
	rm -rf $(VENV) staticfiles test-artifacts

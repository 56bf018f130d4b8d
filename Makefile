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

run: demo
	DEBUG=1 $(PYTHON) manage.py runserver $(HOST)

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
	NASTAVNIK_TESTING=1 BENCH_BIG=$(BIG) $(PYTHON) bench/run.py

clean:
	rm -rf $(VENV) staticfiles test-artifacts

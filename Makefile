# changeready: `make run` serves the app with a demo workspace; `make test` runs the suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
STAMP := $(VENV)/.installed

.PHONY: install run test test-postgres test-browser lint format bench migrations-check lock clean

# Installs exactly what requirements/dev.txt pins, each file checked against its
# hash, then the project itself (editable, no further dependencies).
$(STAMP): requirements/dev.txt pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet --require-hashes -r requirements/dev.txt
	$(BIN)/pip install --quiet --no-deps -e .
	# Fails when pyproject.toml asks for something the lock does not hold.
	$(BIN)/pip check
	touch $(STAMP)

install: $(STAMP)

var:
	mkdir -p var

run: install var
	DEBUG=true $(BIN)/python manage.py migrate --no-input
	DEBUG=true $(BIN)/python manage.py seed_demo
	DEBUG=true PORT=$(PORT) $(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

# mypy's Django plugin loads the settings, which need DEBUG (or a SECRET_KEY).
lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	DEBUG=true $(BIN)/mypy

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

migrations-check: install
	DEBUG=true $(BIN)/python manage.py makemigrations --check --dry-run

# The whole suite but the browser tests (those need Chromium: `make test-browser`).
# Hypothesis's `ci` profile (changeready/conftest.py): no deadline, derandomised.
test: lint migrations-check
	HYPOTHESIS_PROFILE=ci $(BIN)/python -m pytest -m "not browser" -q

test-postgres: install
	DATABASE_URL=$${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/changeready} \
		HYPOTHESIS_PROFILE=ci $(BIN)/python -m pytest -m "not browser" -q

test-browser: install
	$(BIN)/python -m pytest -m browser -q

bench: install
	$(BIN)/python bench/run.py

# Re-pins requirements/*.txt from the ranges in pyproject.toml (run after
# changing a dependency; commit pyproject.toml and both files together).
LOCK := pip-compile --quiet --generate-hashes --strip-extras --allow-unsafe \
	--no-emit-index-url --no-emit-find-links
lock:
	$(PYTHON) -m venv var/lock-venv
	var/lock-venv/bin/pip install --quiet pip-tools
	var/lock-venv/bin/$(LOCK) -o requirements/base.txt pyproject.toml
	var/lock-venv/bin/$(LOCK) --extra dev -o requirements/dev.txt pyproject.toml

clean:
	rm -rf $(VENV) var staticfiles

# Progress: `make run` serves the demo, `make test` runs the linters and every test.
# Both install first: a .venv with the locked dependencies, made by uv for Python 3.13.

PYTHON ?= python3
UV := $(PYTHON) -m uv
UV_VERSION := 0.13.9
PORT ?= 8000
BIN := .venv/bin
# Development settings for the commands below; production sets its own (README).
DEV := DEBUG=1

.PHONY: install run test lint format benchmark

install:
	@$(UV) --version >/dev/null 2>&1 || $(PYTHON) -m pip install --quiet "uv==$(UV_VERSION)"
	@$(UV) sync --locked --quiet

run: install
	@$(DEV) $(BIN)/python manage.py migrate --noinput
	@$(DEV) $(BIN)/python manage.py seed_demo --if-empty
	@echo "\nProgress is at http://127.0.0.1:$(PORT)/ (Ctrl-C stops it)\n"
	@$(DEV) $(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

test: install lint
	SECRET_KEY=test-only-not-secret $(BIN)/pytest

lint:
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/djlint templates --lint --quiet
	$(DEV) $(BIN)/python manage.py check --fail-level WARNING
	$(DEV) $(BIN)/python manage.py makemigrations --check --dry-run

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

benchmark: install
	$(BIN)/python benchmarks/imports.py
	$(BIN)/python benchmarks/pages.py

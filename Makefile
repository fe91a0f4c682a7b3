# Progress: `make run` serves the demo, `make test` runs the linters and every test.
# Both install first: a .venv with the locked dependencies, made by uv for Python 3.13.

PYTHON ?= python3
UV := $(PYTHON) -m uv
UV_VERSION := 0.13.9
PORT ?= 8000
BIN := .venv/bin
# Development settings for the commands below; production sets its own (README).
DEV := DEBUG=1

# Days that break naive date code, for `make test-dates`: the first school day of September, the
# Christmas holiday, the first day of a half-term, the last week of the summer term, 29 February.
TEST_DATES := 2026-09-02 2026-12-24 2027-01-04 2027-07-19 2028-02-29
# The browser tests add minutes to a day's run: besides today, they run on the day the demo
# changes most, the first school day (its story from last year). A second date added about
# 800 s to CI on a slow day, close to its 90 minutes; test_demo_dates.py loads the demo on eleven.
BROWSER_DATES := 2026-09-02

# The README's screens (docs/screenshots): each role's journey on the demo as it stands on
# Monday 23 November 2026, refreshed by `make screenshots`.
SCREENS := meeting-form meeting-shortlist summary live-3-pupil-recorder presenter-1920x1080 \
	my-actions-start-and-follow-ups action-review import-preview
JOURNEYS := test_meetings test_live test_presenter test_follow_through test_actions test_pupils

.PHONY: install run test test-dates test-sqlite lint format benchmark benchmark-trust load-test screenshots

install:
	@$(UV) --version >/dev/null 2>&1 || $(PYTHON) -m pip install --quiet "uv==$(UV_VERSION)"
	@$(UV) sync --locked --quiet

run: install
	@$(DEV) $(BIN)/python manage.py migrate --noinput
	@$(DEV) $(BIN)/python manage.py seed_demo --if-empty
	@echo "\nProgress is at http://127.0.0.1:$(PORT)/ (Ctrl-C stops it)\n"
	@# The outbox's worker sends e-mails (to this console) beside the server, and stops with it.
	@$(DEV) $(BIN)/python manage.py db_worker --interval 2 & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	$(DEV) $(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

test: install lint
	SECRET_KEY=test-only-not-secret $(BIN)/pytest

# The suite as if today were each of TEST_DATES (PROGRESS_TEST_DATE): everything but the browser
# tests on each day, and those too on BROWSER_DATES. Tests that fix their own dates (`today`,
# demo_dates) would only repeat themselves. Each run has its own SQLite database file, so two
# days run at a time, each day's output kept together.
test-dates: install
	@$(MAKE) --no-print-directory -j2 --output-sync=target $(addprefix test-date-,$(TEST_DATES))

# CI's runs on the embedded SQLite default: every test but the browser tests as today is, and
# test-dates, two runs at a time. The two runs with the browser tests are the longest: the first
# goes beside the run as today is and the second follows it, so neither is left till last.
test-sqlite: install
	@$(MAKE) --no-print-directory -j2 --output-sync=target test-date-$(firstword $(BROWSER_DATES)) \
		test-sqlite-today $(addprefix test-date-,$(filter-out $(firstword $(BROWSER_DATES)),$(TEST_DATES)))

test-sqlite-today:
	@echo "== every test but the browser tests on SQLite, as today is"
	@env -u DATABASE_URL SECRET_KEY=test-only-not-secret $(BIN)/pytest -q -m "not browser"

test-date-%:
	@echo "== the suite as if today were $*"
	@env -u DATABASE_URL PROGRESS_TEST_DATE=$* SECRET_KEY=test-only-not-secret $(BIN)/pytest -q \
		-m "$(if $(filter $*,$(BROWSER_DATES)),not demo_dates,not browser and not demo_dates)"

lint:
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/djlint templates --lint --quiet
	$(DEV) $(BIN)/python manage.py check --fail-level WARNING
	$(DEV) $(BIN)/python manage.py makemigrations --check --dry-run

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

screenshots: install
	rm -rf .screenshots
	env -u DATABASE_URL PROGRESS_TEST_DATE=2026-11-23 SCREENSHOT_DIR=.screenshots \
		SCREENSHOT_TYPE=jpeg SECRET_KEY=test-only-not-secret $(BIN)/pytest -q \
		$(foreach journey,$(JOURNEYS),tests/browser/$(journey).py)
	mkdir -p docs/screenshots
	cd .screenshots && cp $(addsuffix .jpg,$(SCREENS)) ../docs/screenshots/
	rm -rf .screenshots

# The demo's pages through the test client, and an import; `make benchmark-trust` times the pages
# as production serves them (gunicorn, PostgreSQL) on a trust of fifty schools.
benchmark: install
	$(BIN)/python benchmarks/imports.py
	$(BIN)/python benchmarks/pages.py

# Load and recovery: the live meeting's screens, a recorder and a leader on gunicorn, with
# PostgreSQL (a server of the test's own) stopped and started under the load (benchmarks/load.py).
load-test: install
	$(BIN)/python benchmarks/load.py

# TRUST_DATABASE_URL (default: the progress_trust database on this machine) is migrated, and
# loaded with `seed_trust` when it has no school; writes benchmarks/results/trust.md.
benchmark-trust: install
	$(BIN)/python benchmarks/trust.py

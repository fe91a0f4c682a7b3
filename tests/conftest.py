import datetime as dt
import os
import shutil
import zlib
from pathlib import Path
from zoneinfo import ZoneInfo

import factory.random
import pytest
import time_machine

CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium")
LONDON = ZoneInfo("Europe/London")
# Ten in the morning: registers are taken and the school day is under way.
SCHOOL_TIME = dt.time(10, 0)
# A copy of shared/data/sample_pupils_export.csv: a made-up MIS export of 16 pupils.
SAMPLE = Path(__file__).parent / "data" / "sample_pupils_export.csv"


def test_date() -> dt.date | None:
    """The day the whole run takes as today, from PROGRESS_TEST_DATE (ISO), if set."""
    text = os.environ.get("PROGRESS_TEST_DATE")
    return dt.date.fromisoformat(text) if text else None


def at_school_time(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, SCHOOL_TIME, tzinfo=LONDON)


def pytest_report_header(config):
    day = test_date()
    lines = [f"today: {day:%A %-d %B %Y} (PROGRESS_TEST_DATE)" if day else "today: the real date"]
    if CHROMIUM:
        lines.append(f"browser tests: Chromium at {CHROMIUM}")
    else:
        lines.append(
            "browser tests: SKIPPED, Chromium not found "
            "(install Debian's chromium or set CHROMIUM_PATH)"
        )
    return lines


def pytest_collection_modifyitems(config, items):
    if test_date():
        _leave_out_tests_of_their_own_day(config, items)
    browser_tests = [item for item in items if item.get_closest_marker("browser")]
    if CHROMIUM or not browser_tests:
        return
    if os.environ.get("REQUIRE_BROWSER"):
        raise pytest.UsageError("REQUIRE_BROWSER is set but Chromium was not found.")
    skip = pytest.mark.skip(reason="Chromium not found")
    for item in browser_tests:
        item.add_marker(skip)


def _leave_out_tests_of_their_own_day(config, items):
    """A test that freezes its own date (`today`) runs the same whatever day the run takes as
    today: a dated run would only repeat it, so it leaves it out."""
    own_day = [item for item in items if "today" in getattr(item, "fixturenames", ())]
    if own_day:
        config.hook.pytest_deselected(items=own_day)
        items[:] = [item for item in items if "today" not in getattr(item, "fixturenames", ())]


@pytest.fixture(autouse=True, scope="session")
def _test_date():
    """With PROGRESS_TEST_DATE set, the whole session runs as if today were that day, from ten
    in the morning with the clock ticking on: the process's clock, so the live server of the
    browser tests sees it too. A test that freezes its own date (`today`) overrides it."""
    day = test_date()
    if day is None:
        yield
        return
    with time_machine.travel(at_school_time(day), tick=True):
        yield


@pytest.fixture(autouse=True, scope="session")
def _fast_settings():
    """Plain static files (no collectstatic manifest), a fast password hasher and a password
    alone to sign in (`MFA_REQUIRED` off), for the whole session, so that data made by session
    or module fixtures uses them too."""
    from django.conf import settings
    from django.test import override_settings

    overrides = override_settings(
        STORAGES={
            **settings.STORAGES,
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        },
        PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
        # Production requires two-step sign-in of leaders; the tests that are about it turn
        # it on (`tests/progress/test_two_step.py`), the rest sign in with a password alone.
        MFA_REQUIRED=False,
    )
    overrides.enable()
    yield
    overrides.disable()


@pytest.fixture(autouse=True)
def _same_names(request):
    """Each test draws the same made-up names every run, whatever ran before it: a test that
    looks for a name in a page without escaping it fails every time its pupil is O'Sullivan,
    not once in a hundred runs."""
    factory.random.reseed_random(zlib.crc32(request.node.nodeid.encode()))


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with nothing cached: what the live screens share is kept by a meeting's
    id and version, and a database rolled back after a test gives the next test's meeting the
    same id."""
    from django.core.cache import cache

    cache.clear()


TODAY = dt.date(2026, 11, 23)


@pytest.fixture
def today() -> dt.date:
    """Monday 23 November 2026, week 4 of Autumn 2 in the standard calendar, frozen at ten in the
    morning: the clock stands still, so times a test saves are the times it expects."""
    with time_machine.travel(at_school_time(TODAY), tick=False):
        yield TODAY


@pytest.fixture
def deliver(monkeypatch):
    """Run the outbox's worker until nothing more is ready, as `manage.py db_worker --batch`
    does in production, and return what reached the mail server (`mail.outbox`). The worker
    closes stale connections between tasks; inside a test's transaction, as Django's test
    client does, it must not."""
    from django.core import mail
    from django.core.management import call_command

    monkeypatch.setattr(
        "django_tasks_db.management.commands.db_worker.close_old_connections", lambda: None
    )

    def run():
        call_command("db_worker", "--batch", "--interval", "0", "--no-startup-delay", verbosity=0)
        return mail.outbox

    return run


@pytest.fixture
def drawn_pdfs(monkeypatch) -> list:
    """The documents of the PDFs the views draw, laid out in this process rather than in a child,
    to count their pages and read their text; each `.html` is the page it was drawn from."""
    from progress import pdf

    drawn = []

    def draw_here(page: str) -> bytes:
        document = pdf.layout(page)
        document.html = page
        drawn.append(document)
        return document.write_pdf()

    monkeypatch.setattr(pdf, "draw", draw_here)
    return drawn


@pytest.fixture
def no_lazy_loads(monkeypatch):
    """Every query set fetches in a mode built on Django's fetch modes that raises
    `FieldFetchBlocked` when a related object or deferred field is loaded for one of several rows
    a query returned: the query a row that a missing `select_related` or `prefetch_related`
    costs. A lone object's (the meeting's school) is one query whatever the data, and the
    budgets count it."""
    from django.db.models import FETCH_RAISE, query
    from django.db.models.fetch_modes import FetchPeers

    class RaiseForPeers(FetchPeers):
        def fetch(self, fetcher, instance):
            if sum(ref() is not None for ref in instance._state.peers) > 1:
                FETCH_RAISE.fetch(fetcher, instance)
            fetcher.fetch_one(instance)

        def __reduce__(self):
            """An object kept in the cache is pickled: it comes back in Django's own FETCH_PEERS
            mode (a class defined in a function cannot be pickled)."""
            return (FetchPeers, ())

    monkeypatch.setattr(query, "DEFAULT_FETCH_MODE", RaiseForPeers())

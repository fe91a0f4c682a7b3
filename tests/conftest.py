import datetime as dt
import os
import shutil
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium")
# A copy of shared/data/sample_pupils_export.csv: a made-up MIS export of 16 pupils.
SAMPLE = Path(__file__).parent / "data" / "sample_pupils_export.csv"


def pytest_report_header(config):
    if CHROMIUM:
        return f"browser tests: Chromium at {CHROMIUM}"
    return (
        "browser tests: SKIPPED, Chromium not found "
        "(install Debian's chromium or set CHROMIUM_PATH)"
    )


def pytest_collection_modifyitems(config, items):
    browser_tests = [item for item in items if item.get_closest_marker("browser")]
    if CHROMIUM or not browser_tests:
        return
    if os.environ.get("REQUIRE_BROWSER"):
        raise pytest.UsageError("REQUIRE_BROWSER is set but Chromium was not found.")
    skip = pytest.mark.skip(reason="Chromium not found")
    for item in browser_tests:
        item.add_marker(skip)


@pytest.fixture(autouse=True, scope="session")
def _fast_settings():
    """Plain static files (no collectstatic manifest) and a fast password hasher, for the whole
    session, so that data made by session or module fixtures uses them too."""
    from django.conf import settings
    from django.test import override_settings

    overrides = override_settings(
        STORAGES={
            **settings.STORAGES,
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        },
        PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
    )
    overrides.enable()
    yield
    overrides.disable()


@pytest.fixture
def today(monkeypatch) -> dt.date:
    """Monday 23 November 2026: week 4 of Autumn 2 in the standard calendar."""
    day = dt.date(2026, 11, 23)
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *args, **kwargs: day)
    return day

import importlib
import os
import re
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.apps import apps
from django.core.management import call_command

from tests.conftest import CHROMIUM

# Playwright's sync API runs an event loop in the test thread; Django's ORM refuses to run
# beside one unless told it is safe, which it is here: one thread, one test at a time.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

WCAG_22_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """Debian's Chromium, as root, with no reaching out to the network."""
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--lang=en-GB",
        ],
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    """A browser set up as in an English school: British dates in date pickers."""
    return {**browser_context_args, "locale": "en-GB", "timezone_id": "Europe/London"}


@pytest.fixture
def national_scales(transactional_db):
    """Browser tests run against a live server, whose database is emptied after each test, and
    with it the national assessment scales that a data migration adds: put them back."""
    from pupils.models import Scale

    if not Scale.objects.exists():
        importlib.import_module("pupils.migrations.0002_national_scales").add_scales(apps, None)


@pytest.fixture
def demo(live_server, national_scales):
    """The live server with the demo trust loaded."""
    call_command("seed_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
    return live_server


def sign_in(page, base_url: str, email: str) -> None:
    page.goto(f"{base_url}/")
    page.get_by_label("E-mail address").fill(email)
    page.get_by_label("Password").fill("progress-demo")
    page.get_by_role("button", name="Sign in").click()


def assert_accessible(page) -> None:
    """No WCAG 2.2 AA violation that axe-core can find on the page as it is now."""
    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_22_AA}})
    assert results.violations_count == 0, results.generate_report()


def screenshot(page, name: str) -> None:
    """Save a full-page screenshot to $SCREENSHOT_DIR, when set, for a person to look at."""
    if folder := os.environ.get("SCREENSHOT_DIR"):
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=Path(folder) / f"{name}.png", full_page=True)


def choose(select, starting: str) -> None:
    """Select the option whose label starts with `starting`: owners' labels carry live counts."""
    option = select.locator("option").filter(has_text=re.compile(f"^{re.escape(starting)}"))
    select.select_option(option.first.get_attribute("value"))

import os
import re
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core.management import call_command
from django.utils import timezone

from actions.review_dates import default_review_date
from tests.conftest import CHROMIUM
from tests.factories import put_back_national_scales

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
    with it the national assessment scales that a data migration adds: each test puts them back
    rather than rely on another test's data (or on `serialized_rollback`)."""
    put_back_national_scales()


@pytest.fixture
def demo(live_server, national_scales):
    """The live server with the demo trust loaded, dated from today like every other run."""
    call_command("seed_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
    return live_server


def named(name: str) -> re.Pattern:
    """A label matched whole, never a longer one that happens to contain it ("For" is not "Siân
    Okafor"). A label's text may end in the asterisk of a required field ("Barrier*"), and
    Playwright matches a pattern against the label's text before trimming it."""
    return re.compile(rf"^\s*{re.escape(name)}\s*\*?\s*$")


def oakfield():
    """The demo's primary school, whose calendar gives the dates the tests type."""
    from progress.models import School

    return School.objects.get(urn="999101")


def review_date(kind: str) -> str:
    """The review date Oakfield's calendar gives a Year 6 action of `kind` agreed today, as a
    date field takes it: a school day whatever today is."""
    day = default_review_date(
        school=oakfield(), kind=kind, agreed_on=timezone.localdate(), year_group=6
    )
    return day.isoformat()


def sign_in(page, base_url: str, email: str) -> None:
    page.goto(f"{base_url}/")
    page.get_by_label(named("E-mail address")).fill(email)
    page.get_by_label(named("Password")).fill("progress-demo")
    page.get_by_role("button", name="Sign in", exact=True).click()


def sign_in_as(page, base_url: str, user) -> None:
    """Sign in as a member of staff made by the factories (their password is PASSWORD)."""
    from tests.factories import PASSWORD

    page.goto(f"{base_url}/")
    page.get_by_label(named("E-mail address")).fill(user.email)
    page.get_by_label(named("Password")).fill(PASSWORD)
    page.get_by_role("button", name="Sign in", exact=True).click()


def assert_accessible(page) -> None:
    """No WCAG 2.2 AA violation that axe-core can find on the page as it is now, once it has
    loaded: a check run while the style sheets are still coming finds unstyled targets."""
    page.wait_for_load_state()
    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_22_AA}})
    assert results.violations_count == 0, results.generate_report()


def screenshot(page, name: str) -> None:
    """Save a full-page screenshot to $SCREENSHOT_DIR, when set, for a person to look at: a PNG,
    or a smaller JPEG with SCREENSHOT_TYPE=jpeg (the README's, `make screenshots`)."""
    if folder := os.environ.get("SCREENSHOT_DIR"):
        Path(folder).mkdir(parents=True, exist_ok=True)
        if os.environ.get("SCREENSHOT_TYPE") == "jpeg":
            page.screenshot(path=Path(folder) / f"{name}.jpg", full_page=True, quality=70)
        else:
            page.screenshot(path=Path(folder) / f"{name}.png", full_page=True)


def choose(select, starting: str) -> None:
    """Select the option whose label starts with `starting`: owners' labels carry live counts."""
    option = select.locator("option").filter(has_text=re.compile(f"^{re.escape(starting)}"))
    select.select_option(option.first.get_attribute("value"))

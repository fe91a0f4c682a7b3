import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible, screenshot, sign_in

pytestmark = pytest.mark.browser


def open_live(page, base_url: str, email: str) -> None:
    sign_in(page, base_url, email)
    page.get_by_role("link", name="Meetings", exact=True).click()
    page.get_by_role("region", name="Coming up").get_by_role(
        "link", name=re.compile("Pupils at risk")
    ).click()
    page.get_by_role("link", name="The live meeting").click()


@pytest.fixture
def two_screens(browser, browser_context_args):
    """Two people's browsers; closed after the test, so no poll outlives the live server."""
    contexts = [browser.new_context(**browser_context_args) for _ in range(2)]
    yield [context.new_page() for context in contexts]
    for context in contexts:
        context.close()


def test_chair_and_recorder_see_the_same_meeting(two_screens, demo):
    chair, recorder = two_screens
    open_live(chair, demo.url, "leader@oakfield.example")
    open_live(recorder, demo.url, "senco@oakfield.example")
    expect(recorder.get_by_text("The meeting has not started.")).to_be_visible()

    chair.get_by_role("button", name="Start the meeting").click()
    expect(
        chair.get_by_role("heading", name="1. Purpose and review of previous actions")
    ).to_be_visible()
    expect(
        chair.get_by_text(re.compile(r"Previous actions due for review \(\d+\)"))
    ).to_be_visible()
    expect(chair.get_by_text(re.compile(r"left in this part"))).to_be_visible()
    assert_accessible(chair)
    screenshot(chair, "live-chair")

    expect(
        recorder.get_by_role("heading", name="1. Purpose and review of previous actions")
    ).to_be_visible(timeout=8000)
    expect(recorder.get_by_role("button", name="Next")).to_have_count(0)  # only the chair moves on

    for _ in range(chair.get_by_role("button", name="Defer").count()):
        chair.get_by_placeholder("Reason to defer it").first.fill(
            "The owner reports at the next meeting"
        )
        chair.get_by_role("button", name="Defer").first.click()
    expect(chair.get_by_role("button", name="Defer")).to_have_count(0)
    chair.get_by_role("button", name="Next").click()
    chair.get_by_role("button", name="Next").click()
    expect(
        chair.get_by_role(
            "heading", name=re.compile(r"3\. Priority pupils.*: Tyler Brennan \(1 of")
        )
    ).to_be_visible()
    expect(recorder.get_by_role("heading", name=re.compile(r"Tyler Brennan \(1 of"))).to_be_visible(
        timeout=8000
    )
    expect(recorder.get_by_role("link", name="Log an action for Tyler Brennan")).to_be_visible()
    assert_accessible(recorder)
    screenshot(recorder, "live-recorder")

    chair.reload()
    expect(chair.get_by_role("heading", name=re.compile(r"Tyler Brennan \(1 of"))).to_be_visible()

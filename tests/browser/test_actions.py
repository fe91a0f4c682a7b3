import re

import pytest
from playwright.sync_api import expect

from meetings.focus import Focus
from tests.browser.conftest import assert_accessible, choose, named, screenshot, sign_in

pytestmark = pytest.mark.browser

GOOD = "Reteach adding fractions with unlike denominators in a group of four, Tuesday mornings for three weeks"


def test_the_recorder_is_told_as_they_type_and_a_specific_action_is_logged(page, demo):
    sign_in(page, demo.url, "senco@oakfield.example")  # the recorder of the coming Year 6 meeting
    page.get_by_role("link", name="Meetings", exact=True).click()
    page.get_by_role("region", name="Coming up", exact=True).get_by_role(
        "link", name=Focus.AT_RISK.label, exact=True
    ).click()
    page.get_by_role("link", name="Log an action", exact=True).click()
    assert_accessible(page)

    page.get_by_label(named("For")).select_option(index=1)
    page.get_by_label(named("Barrier")).fill(
        "Missed the lessons that introduced unlike denominators"
    )
    page.get_by_label(named("Barrier category")).select_option("knowledge")
    page.get_by_label(named("Action")).fill("needs support")
    page.get_by_label(named("Kind")).select_option("reteach")
    choose(page.get_by_label(named("Owner")), "Tom Bennett (Year 6 class teacher (6N))")

    expect(page.get_by_text("says what kind of help, not what will happen")).to_be_visible()
    expect(page.get_by_text(re.compile(r"Tom Bennett has \d+ open actions"))).to_be_visible()
    screenshot(page, "action-vague")

    page.get_by_label(named("Action")).fill(GOOD)
    expect(page.get_by_text("The action is specific enough to act on.", exact=True)).to_be_visible()
    page.get_by_role("button", name="Save the action", exact=True).click()

    expect(page.get_by_role("status").filter(has_text="Saved for")).to_be_visible()
    expect(page.get_by_label(named("For"))).not_to_have_value("")  # ready for the next entry


def test_an_owner_reviews_an_overdue_action(page, demo):
    sign_in(page, demo.url, "attendance@oakfield.example")
    page.get_by_role("link", name="My actions", exact=True).click()
    overdue = page.get_by_role("region", name="Overdue for review", exact=True)
    expect(overdue.get_by_role("heading", name="Overdue for review", exact=True)).to_be_visible()
    assert_accessible(page)
    screenshot(page, "my-actions")
    overdue.get_by_role("link", name="Record impact for Tyler Brennan", exact=True).click()

    expect(
        page.get_by_text(re.compile("The pupil.s data when the action was agreed"))
    ).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Partly", exact=True).check()
    page.get_by_label(named("If not, why not")).fill(
        "Parents came to one meeting of the two planned."
    )
    page.get_by_label(named("What changed")).fill("Mondays improved: 4 of the last 5 attended.")
    page.get_by_label(named("Evidence")).fill("Registers since the last meeting")
    page.get_by_label("+1 better", exact=True).check()
    page.get_by_label("Continue", exact=True).check()
    screenshot(page, "action-review")
    page.get_by_role("button", name="Record the review", exact=True).click()

    expect(page.get_by_text("Review recorded.", exact=True)).to_be_visible()


def test_a_leader_filters_the_school_log(page, demo):
    sign_in(page, demo.url, "leader@oakfield.example")
    page.get_by_role("link", name="Action log", exact=True).click()
    page.wait_for_url("**/actions/")  # loaded, with htmx ready to filter as the lists change
    page.get_by_label("Due", exact=True).select_option("overdue")

    expect(page).to_have_url(re.compile("due=overdue"))
    expect(page.locator("#action-log tbody tr").first).to_contain_text("overdue")
    assert_accessible(page)
    screenshot(page, "action-log")

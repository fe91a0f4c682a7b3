import re

import pytest
from playwright.sync_api import expect

from meetings.focus import Focus
from meetings.models import Meeting
from tests.browser.conftest import (
    assert_accessible,
    choose,
    named,
    review_date,
    screenshot,
    sign_in,
)

pytestmark = pytest.mark.browser

GOOD = "Reteach adding fractions with unlike denominators in a group of four, Tuesday mornings for three weeks"


def test_the_recorder_is_told_as_they_type_and_a_specific_action_is_logged(page, demo):
    meeting = (
        Meeting.objects.filter(focus=Focus.AT_RISK, status__in=Meeting.PREPARING)
        .filter(school__urn="999101")
        .earliest("date")
    )
    meeting.start(by=meeting.attendees.get(role="chair").user)
    sign_in(page, demo.url, "senco@oakfield.example")  # its recorder
    page.get_by_role("link", name="Meetings", exact=True).click()
    page.get_by_role("link", name=Focus.AT_RISK.label, exact=True).first.click()
    page.get_by_role("link", name="Log actions in the live meeting", exact=True).click()
    form = page.locator("#recorder")
    assert_accessible(page)

    form.get_by_label(named("For")).select_option(index=1)
    form.get_by_label(named("Barrier")).fill(
        "Missed the lessons that introduced unlike denominators"
    )
    form.get_by_label(named("Barrier category")).select_option("knowledge")
    form.get_by_label(named("Action")).fill("needs support")
    form.get_by_label(named("Kind")).select_option("reteach")
    choose(form.get_by_label(named("Owner")), "Tom Bennett (Year 6 class teacher (6N))")

    expect(
        form.get_by_text(re.compile("^Action: Say what will be done, not the kind of help"))
    ).to_be_visible()
    expect(form.get_by_text(re.compile(r"Tom Bennett has \d+ open actions"))).to_be_visible()
    screenshot(page, "action-vague")

    form.get_by_label(named("Action")).fill(GOOD)
    form.get_by_label(named("How we will know it worked")).fill(
        "A five-question check on unlike denominators at the end of the third week"
    )
    # The review date followed the kind: a reteach is checked within days, not weeks.
    expect(form.get_by_label(named("Review date"))).to_have_value(review_date("reteach"))
    expect(form.get_by_text("The action is specific enough to act on.", exact=True)).to_be_visible()
    form.get_by_role("button", name="Save the action", exact=True).click()

    form = page.locator("#recorder")  # the form comes back, empty
    expect(form.get_by_text(re.compile(r"^\s*Saved for"))).to_be_visible()
    expect(page.locator("#announcer")).to_contain_text("Saved for")  # said to a screen reader
    expect(form.get_by_label(named("For"))).not_to_have_value("")  # ready for the next entry


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

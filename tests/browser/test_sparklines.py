"""Pictures where decisions are made: the chair of the demo's coming Year 6 meeting sees each
pupil's absences by weekday and results over time in the review of previous actions, on the
review itself and with the pupil under discussion, with the figures of the pupil's profile."""

import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from meetings.agenda import Section
from meetings.focus import Focus
from meetings.models import Meeting
from progress.models import User
from pupils import sparklines
from pupils.snapshot import pupil_data
from tests.browser.conftest import assert_accessible, screenshot, sign_in

pytestmark = pytest.mark.browser
WEEKDAYS = re.compile(r"^Absence sessions by weekday this year: ")


@pytest.fixture
def under_way(demo):
    """The demo's Year 6 meeting started by its chair: the previous actions come first."""
    meeting = Meeting.objects.get(focus=Focus.AT_RISK, status__in=Meeting.PREPARING)
    meeting.start(by=User.objects.get(email="leader@oakfield.example"))
    return meeting


def pictures_of(page, base_url: str, pupil) -> list[str]:
    """The names of the pupil's pictures today: their absences by weekday, as their profile
    counts them (none on a day with no absences yet this year), and their maths results."""
    page.goto(f"{base_url}/pupils/{pupil.pk}/")
    profile = page.get_by_role("img", name=re.compile(r"^Absence sessions by weekday: "))
    names = []
    if profile.count():
        figures = profile.get_attribute("aria-label").split(": ", 1)[1]
        names.append(f"Absence sessions by weekday this year: {figures}")
    for row in pupil_data(pupil=pupil, on=timezone.localdate())["attainment"]:
        if row["subject"] == "Maths" and (trend := sparklines.trend("Maths", row["over_time"])):
            names.append(trend.label)
    assert names, f"{pupil.name} has nothing to draw"
    return names


def expect_drawn(region, names: list[str]) -> None:
    for name in names:
        expect(region.get_by_role("img", name=name, exact=True)).to_be_visible()
    if not any(WEEKDAYS.match(name) for name in names):
        expect(region.get_by_role("img", name=WEEKDAYS)).to_have_count(0)


def test_the_chair_sees_the_pictures_in_the_review_and_with_the_pupil(page, under_way, demo):
    chair = User.objects.get(email="leader@oakfield.example")
    action = next(a for a in under_way.actions_to_review().select_related("pupil") if a.pupil_id)
    sign_in(page, demo.url, chair.email)
    names = pictures_of(page, demo.url, action.pupil)
    live = f"{demo.url}/meetings/{under_way.pk}/live/"

    # The review of previous actions: each pupil's data then and now, and a picture of now.
    page.goto(live)
    item = page.locator("#live li").filter(has_text=f"{action.subject_name}: {action.text}")
    expect_drawn(item, names)
    assert_accessible(page)
    screenshot(page, "sparklines-live-review")

    # Reviewing it: the pictures stand beside the form.
    item.get_by_role("link", name=re.compile(r"^Review it")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        f"Review an action for {action.pupil.name}"
    )
    expect_drawn(page.locator("main"), names)
    assert_accessible(page)
    screenshot(page, "sparklines-action-review")

    # A leader's review of the same action, outside the meeting, as its owner's.
    page.goto(f"{demo.url}/actions/{action.pk}/review/")
    expect_drawn(page.locator("main"), names)

    # The pupils, one at a time: the pupil under discussion is drawn with their summary.
    for due in under_way.actions_to_review():
        under_way.defer(due, by=chair, reason="Owner away today")
    while under_way.section != Section.PUPILS:
        under_way.move(by=chair, forward=True)
    pupil = under_way.items.first().pupil
    names = pictures_of(page, demo.url, pupil)
    page.goto(live)
    expect_drawn(
        page.get_by_role("region", name=re.compile(rf"{re.escape(pupil.name)} \(1 of")), names
    )
    assert_accessible(page)
    screenshot(page, "sparklines-live-pupil")

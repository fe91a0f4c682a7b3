"""Destructive steps ask first, saying what will be lost; the school sets its own rules for
actions. Each screen checked with axe."""

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from meetings.agenda import Section
from meetings.models import Meeting, Summary
from progress.models import Role
from tests.browser.conftest import assert_accessible, named, screenshot, sign_in_as
from tests.factories import (
    CLOSING,
    AcademicYearFactory,
    MeetingFactory,
    PupilFactory,
    UserFactory,
)

pytestmark = pytest.mark.browser


@pytest.fixture
def meeting(transactional_db):
    school = AcademicYearFactory(start_year=timezone.localdate().year - 1).school
    leader = UserFactory(school=school, roles=[Role.SENIOR_LEADER])
    meeting = MeetingFactory(school=school, date=timezone.localdate() + dt.timedelta(days=7))
    meeting.set_attendees(
        chair=leader, recorder=meeting.attendees.get(role="recorder").user, others=[]
    )
    pupils = PupilFactory.create_batch(3, school=school, year_group=6)
    meeting.confirm_shortlist(
        by=leader, pupils=[(p, "maths fell") for p in pupils], groups=[], over_cap_reason=""
    )
    return meeting, leader, pupils


def test_deleting_a_meeting_says_whose_summaries_go_with_it(live_server, page, meeting):
    meeting, leader, pupils = meeting
    begun = Summary.objects.filter(item__pupil=pupils[0]).get()
    Summary.objects.filter(pk=begun.pk).update(status=Summary.Status.DRAFT)
    sign_in_as(page, live_server.url, leader)
    page.goto(f"{live_server.url}{meeting.get_absolute_url()}")

    page.get_by_role("link", name="Delete…", exact=True).click()

    expect(page.get_by_role("heading", level=1)).to_have_text(
        re.compile(r"^Delete the meeting on ")
    )
    expect(page.get_by_text("1 one-page summary teachers have started")).to_be_visible()
    expect(page.get_by_text(f"{pupils[0].name} by {begun.teacher}")).to_be_visible()
    assert_accessible(page)
    screenshot(page, "meeting-delete-confirm")
    page.get_by_role("link", name="Keep it", exact=True).click()
    assert Meeting.objects.filter(pk=meeting.pk).exists()

    page.get_by_role("link", name="Delete…", exact=True).click()
    page.get_by_role("button", name="Delete the meeting", exact=True).click()
    expect(page.get_by_role("status")).to_contain_text("Deleted the meeting on")
    assert not Meeting.objects.filter(pk=meeting.pk).exists()


def test_closing_with_pupils_undecided_names_them_first(live_server, page, meeting):
    meeting, leader, pupils = meeting
    meeting.start(by=leader)
    for action in meeting.unreviewed_actions():
        meeting.defer(action, by=leader, reason="Not due")
    while meeting.section != Section.SHARE:
        meeting.move(by=leader, forward=True)
    sign_in_as(page, live_server.url, leader)
    page.goto(f"{live_server.url}{meeting.get_absolute_url()}live/")

    page.get_by_role("link", name="Close the meeting and share the log", exact=True).click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Close the meeting")
    expect(page.get_by_text("No action was agreed for:")).to_be_visible()
    for pupil in pupils:
        expect(page.get_by_role("listitem").filter(has_text=pupil.name)).to_be_visible()
    assert_accessible(page)
    screenshot(page, "meeting-close-confirm")
    page.get_by_role("link", name="Go back to the meeting", exact=True).click()
    expect(page.get_by_role("heading", name=re.compile(r"^5\. Confirm the record"))).to_be_visible()
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.RUNNING

    page.get_by_role("link", name="Close the meeting and share the log", exact=True).click()
    difference = page.get_by_label(
        named("What will be different for pupils because this meeting happened?")
    )
    difference.fill("Better")
    page.get_by_role("button", name="Close it anyway and share the log", exact=True).click()
    expect(  # in the summary of the page's problems, which leads to the box
        page.get_by_role("link", name=re.compile("^Say in a sentence what will change for the"))
    ).to_be_visible()
    expect(difference).to_have_value("Better")  # what was typed is kept
    difference.fill(CLOSING["difference"])
    page.get_by_role("button", name="Close it anyway and share the log", exact=True).click()
    expect(page.get_by_role("status")).to_contain_text("Meeting closed. The log goes to")
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.CLOSED


def test_a_senior_leader_adds_the_schools_own_vague_phrases(live_server, page, meeting):
    _, leader, _ = meeting
    sign_in_as(page, live_server.url, leader)
    page.get_by_role("button", name=leader.display_name, exact=True).click()
    page.get_by_role("link", name="School settings", exact=True).click()
    assert_accessible(page)

    page.get_by_label(re.compile(r"^\s*The school's own vague phrases")).fill(
        "nurture group\nSLT to look at it"
    )
    page.get_by_label(re.compile(r"^\s*Open actions an owner may have")).fill("0")
    page.get_by_role("button", name="Save the settings", exact=True).click()
    expect(
        page.get_by_role("link", name="Enter a whole number of open actions from 1 to 50.")
    ).to_be_visible()
    expect(page.get_by_label(re.compile(r"^\s*The school's own vague phrases"))).to_have_value(
        "nurture group\nSLT to look at it"
    )
    assert_accessible(page)
    screenshot(page, "rules-for-actions-error")

    page.get_by_label(re.compile(r"^\s*Open actions an owner may have")).fill("8")
    page.get_by_role("button", name="Save the settings", exact=True).click()
    expect(page.get_by_role("status")).to_contain_text("Saved the school's settings.")

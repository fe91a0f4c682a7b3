"""After the meeting, in a browser: the chair closes it with what will be different for pupils;
an owner who was not in the room opens the link from their e-mail, says the action has started
and records the call home; the chair sees it all on the meeting's page, with the e-mails."""

import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from meetings.agenda import Section
from meetings.models import Meeting
from progress.models import Role
from tests.browser.conftest import assert_accessible, named, screenshot, sign_in_as
from tests.factories import (
    CLOSING,
    AcademicYearFactory,
    ActionFactory,
    MeetingFactory,
    PupilFactory,
    UserFactory,
)

pytestmark = pytest.mark.browser


@pytest.fixture
def meeting(transactional_db):
    """A meeting today at its last section: Amira's action is owned by a teacher who was not
    there, with a call home about attendance; Ben's by the chair."""
    today = timezone.localdate()
    school = AcademicYearFactory(start_year=today.year - (today.month < 9)).school
    meeting = MeetingFactory(school=school, date=today)
    amira, ben = (
        PupilFactory(school=school, year_group=6, legal_forename=name, legal_surname="Okafor")
        for name in ("Amira", "Ben")
    )
    meeting.confirm_shortlist(
        by=meeting.created_by,
        pupils=[(amira, "attendance"), (ben, "maths")],
        groups=[],
        over_cap_reason="",
    )
    Meeting.objects.filter(pk=meeting.pk).update(
        status=Meeting.Status.RUNNING, section=Section.SHARE
    )
    chair = meeting.attendees.get(role="chair").user
    absent = UserFactory(school=school, roles=[Role.TEACHER], display_name="Mr Absent")
    ActionFactory(
        school=school, meeting=meeting, pupil=amira, owner=absent, parent_contact="attendance"
    )
    ActionFactory(school=school, meeting=meeting, pupil=ben, owner=chair, kind="intervention")
    return meeting, chair, absent


def test_an_owner_who_was_not_there_follows_through_from_the_email(
    live_server, page, meeting, deliver
):
    meeting, chair, absent = meeting
    sign_in_as(page, live_server.url, chair)
    page.goto(f"{live_server.url}/meetings/{meeting.pk}/close/")
    page.get_by_label(
        named("What will be different for pupils because this meeting happened?")
    ).fill(CLOSING["difference"])
    assert_accessible(page)
    page.get_by_role("button", name="Close and share the log", exact=True).click()
    expect(page.get_by_role("status")).to_contain_text("Meeting closed.")

    [email] = [message for message in deliver() if message.to == [absent.email]]
    link = re.search(r"http://\S+/minutes/", email.body)[0]
    assert "Okafor" not in email.body

    page.context.clear_cookies()
    sign_in_as(page, live_server.url, absent)
    page.goto(link.replace("http://testserver", live_server.url))
    expect(page.get_by_role("heading", name=re.compile("^Minutes"))).to_be_visible()
    expect(page.get_by_role("heading", name="Amira Okafor", exact=True)).to_be_visible()
    expect(page.get_by_text("Ben Okafor")).to_have_count(0)
    assert_accessible(page)
    screenshot(page, "minutes-for-an-owner-not-there")

    # The start check has come: one click says it began.
    meeting.actions.update(start_check_on=timezone.localdate())
    page.get_by_role("link", name="My actions", exact=True).click()
    expect(page.get_by_role("heading", name="Has it started?", exact=True)).to_be_visible()
    expect(page.get_by_role("heading", name="Follow-ups", exact=True)).to_be_visible()
    assert_accessible(page)
    screenshot(page, "my-actions-start-and-follow-ups")
    page.get_by_role("link", name=re.compile(r"^Not yet\W+Amira Okafor$")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Has the action for Amira Okafor started?"
    )
    assert_accessible(page)
    screenshot(page, "action-start-check")
    page.go_back()
    page.get_by_role("button", name=re.compile(r"^Yes, it has started\W+Amira Okafor$")).click()
    expect(page.get_by_role("status")).to_contain_text("has started")
    expect(page.get_by_role("heading", name="Has it started?", exact=True)).to_have_count(0)

    # The call home: how, and what was agreed.
    page.get_by_role("link", name="Contact parents: Amira Okafor", exact=True).click()
    page.get_by_label(named("How")).select_option("Phone call")
    page.get_by_label(named("What was agreed")).fill("Mum will ring in by 9am on any day off.")
    assert_accessible(page)
    screenshot(page, "follow-up-parent-contact")
    page.get_by_role("button", name="Record it", exact=True).click()
    expect(page.get_by_role("status")).to_contain_text("Recorded: Contact parents")

    # The chair sees who started, what is done, and every e-mail delivered.
    page.context.clear_cookies()
    sign_in_as(page, live_server.url, chair)
    page.goto(f"{live_server.url}{meeting.get_absolute_url()}")
    log = page.get_by_role("table", name=re.compile("^Barrier, action, owner"))
    expect(log.get_by_role("row").filter(has_text="Amira")).to_contain_text("Started")
    expect(log.get_by_role("row").filter(has_text="Ben")).to_contain_text("No answer")
    follow_ups = page.get_by_role("table", name=re.compile("^Parent contacts"))
    expect(follow_ups).to_contain_text("phone call")
    emails = page.get_by_role("table", name=re.compile("^Who was sent what"))
    expect(emails.get_by_role("row")).to_have_count(1 + meeting.attendees.count() + 1)
    expect(emails).not_to_contain_text("trying again")
    assert_accessible(page)
    screenshot(page, "meeting-after-it-closed")

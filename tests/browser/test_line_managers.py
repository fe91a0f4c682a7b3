"""A head of year schedules a meeting for their own year, chooses its pupils and chairs it."""

import re

import pytest
from playwright.sync_api import expect

from meetings.models import Meeting
from progress.models import Role, School
from tests.browser.conftest import assert_accessible, named, screenshot, sign_in_as
from tests.conftest import TODAY, at_school_time
from tests.factories import (
    AcademicYearFactory,
    GroupFactory,
    PupilFactory,
    UserFactory,
    pupil_with_maths,
)

pytestmark = pytest.mark.browser


@pytest.mark.time_machine(at_school_time(TODAY), tick=True)
def test_a_head_of_year_schedules_and_chairs_a_meeting_for_their_year(
    live_server, page, transactional_db, national_scales
):
    year = AcademicYearFactory(
        start_year=2026, school__name="Riverside Academy", school__phase=School.Phase.SECONDARY
    )
    school = year.school
    head = UserFactory(
        school=school, roles=[Role.HEAD_OF_YEAR, Role.TEACHER], remit_year_groups=[9],
        display_name="Aisha Begum", job_title="Head of Year 9",
    )  # fmt: skip
    tutor = UserFactory(
        school=school, roles=[Role.TEACHER], display_name="Daniel Osei", job_title="Maths teacher"
    )
    nias = [pupil_with_maths(school, year, year_group=9, legal_forename="Nia") for _ in range(2)]
    GroupFactory(school=school, name="9A", year_group=9, teachers=[tutor], pupils=nias)
    GroupFactory(
        school=school, name="10A", year_group=10, teachers=[tutor],
        pupils=[PupilFactory(school=school, year_group=10)],
    )  # fmt: skip

    sign_in_as(page, live_server.url, head)
    expect(page.get_by_text("Head of year: Year 9")).to_be_visible()
    screenshot(page, "line-manager-home")
    page.get_by_role("link", name="Schedule a meeting", exact=True).click()

    scope = page.get_by_role("group", name="Scope")
    expect(scope.get_by_text("As head of Year 9 you schedule meetings for Year 9.")).to_be_visible()
    expect(scope.get_by_label("Year 9", exact=True)).to_be_visible()
    expect(scope.get_by_label("Year 10", exact=True)).to_have_count(0)
    expect(scope.get_by_label("10A", exact=True)).to_have_count(0)
    page.get_by_label(named("Focus")).select_option(value="at_risk")
    page.get_by_label(named("Purpose")).fill("Which Year 9 pupils are slipping in maths, and why?")
    page.get_by_label(named("Date")).fill("2026-11-30")
    page.get_by_label(named("Start time")).fill("15:45")
    page.get_by_label(named("Chair")).select_option(label="Aisha Begum (Head of Year 9)")
    page.get_by_label(named("Recorder")).select_option(label="Daniel Osei (Maths teacher)")
    # The whole school is not a head of year's to schedule: the form says so and keeps the rest.
    page.get_by_role("button", name="Schedule and choose pupils", exact=True).click()
    expect(page.get_by_role("alert")).to_contain_text(
        "As head of Year 9 you schedule meetings for Year 9."
    )
    assert_accessible(page)
    screenshot(page, "line-manager-meeting-refused")
    scope.get_by_label("Year 9", exact=True).check()
    expect(page.get_by_label(named("Purpose"))).to_have_value(
        "Which Year 9 pupils are slipping in maths, and why?"
    )
    assert_accessible(page)
    screenshot(page, "line-manager-meeting-form")
    page.get_by_role("button", name="Schedule and choose pupils", exact=True).click()

    expect(page.get_by_role("heading", name=re.compile("^Choose pupils"))).to_be_visible()
    page.get_by_role("button", name="Confirm the shortlist", exact=True).click()
    expect(page.get_by_role("heading", name="Summaries: 0 of 2 ready", exact=True)).to_be_visible()
    assert_accessible(page)
    screenshot(page, "line-manager-meeting-detail")

    page.get_by_role("link", name="The live meeting", exact=True).click()
    page.get_by_role("button", name="Start the meeting", exact=True).click()
    expect(page.get_by_role("heading", name=re.compile(r"^1\. Purpose and review"))).to_be_visible()
    assert_accessible(page)
    screenshot(page, "line-manager-chairs")
    meeting = Meeting.objects.get()
    assert (meeting.status, meeting.year_groups, meeting.created_by) == ("running", [9], head)

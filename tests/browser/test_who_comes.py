"""A leader is told who should come as they choose the scope, and invites the SENCO the agenda
calls for."""

import pytest
from playwright.sync_api import expect

from meetings.models import Attendee
from progress.models import Role
from pupils.models import Characteristics
from tests.browser.conftest import assert_accessible, screenshot, sign_in_as
from tests.conftest import TODAY, at_school_time
from tests.factories import (
    AcademicYearFactory,
    GroupFactory,
    MeetingFactory,
    PupilFactory,
    UserFactory,
)

pytestmark = pytest.mark.browser


@pytest.mark.time_machine(at_school_time(TODAY), tick=True)
def test_the_scope_names_its_line_manager_and_the_agenda_its_senco(
    live_server, page, transactional_db
):
    year = AcademicYearFactory(start_year=2026)
    school = year.school
    leader = UserFactory(school=school, roles=[Role.SENIOR_LEADER], display_name="Ms Lead")
    UserFactory(
        school=school, roles=[Role.PHASE_LEADER, Role.TEACHER], display_name="Sam Hill",
        remit_year_groups=[3, 4, 5, 6],
    )  # fmt: skip
    UserFactory(school=school, roles=[Role.SENCO], display_name="Priya Sharma")
    teacher = UserFactory(school=school, roles=[Role.TEACHER], display_name="Tom Bennett")
    group = GroupFactory(school=school, name="6N", teachers=[teacher])
    pupils = PupilFactory.create_batch(2, school=school, year_group=6)
    group.pupils.add(*pupils, through_defaults={"school": group.school})
    for pupil in pupils:
        Characteristics.objects.create(
            school=school, pupil=pupil, academic_year=year, sen_provision="K"
        )

    sign_in_as(page, live_server.url, leader)
    page.goto(f"{live_server.url}/meetings/new/")
    page.get_by_label("Year 6", exact=True).check()
    expect(
        page.get_by_text("The line manager usually leads: Sam Hill (phase leader, Year 6).")
    ).to_be_visible()
    expect(page.get_by_text("With 2 pupils on roll")).to_be_visible()
    assert_accessible(page)

    meeting = MeetingFactory(school=school, created_by=leader, people=[leader])
    meeting.attendees.get(role=Attendee.Role.RECORDER).user.set_roles([Role.TEACHER])
    meeting.confirm_shortlist(
        by=leader, pupils=[(pupil, "reading fell") for pupil in pupils], groups=[],
        over_cap_reason="",
    )  # fmt: skip
    page.goto(f"{live_server.url}{meeting.get_absolute_url()}")
    people = page.get_by_role("list", name="People")
    expect(people.get_by_role("listitem").filter(has_text="Tom Bennett")).to_contain_text(
        "Class or subject teacher, preparing summaries"
    )
    expect(page.get_by_text("2 pupils on the agenda have SEND: invite the SENCO.")).to_be_visible()
    assert_accessible(page)
    screenshot(page, "meeting-invite-senco")

    page.get_by_role("button", name="Invite Priya Sharma", exact=True).click()

    expect(
        page.get_by_text("Priya Sharma is invited: send the agenda to let them know.")
    ).to_be_visible()
    expect(page.get_by_text("invite the SENCO")).to_have_count(0)
    expect(people.get_by_role("listitem").filter(has_text="Priya Sharma")).to_contain_text("SENCO")

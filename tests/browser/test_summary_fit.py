"""A teacher prepares the summaries of a behaviour meeting: a pupil doing well, asked what is
working, and a pupil whose behaviour leads their summary, with effort, missed topics and the
SEND plan's review date beside it; the room's screen shows the same."""

import datetime as dt
import re

import pytest
from playwright.sync_api import expect

from meetings.agenda import Section
from meetings.focus import Focus
from meetings.models import Summary
from progress.models import Role
from pupils.models import BehaviourIncident, MissedTopic, Result
from tests.browser.conftest import assert_accessible, named, screenshot, sign_in_as
from tests.conftest import TODAY, at_school_time
from tests.factories import (
    AcademicYearFactory,
    GroupFactory,
    MeetingFactory,
    UserFactory,
    pupil_with_maths,
)

pytestmark = pytest.mark.browser


@pytest.fixture
def behaviour_meeting(live_server, national_scales):
    """A behaviour meeting a week ahead: Ava, doing well, and Jayden, whose incidents cluster
    after lunch in science, on SEN support, with effort graded and topics missed."""
    year = AcademicYearFactory(start_year=2026)
    school = year.school
    teacher = UserFactory(school=school, roles=[Role.TEACHER], display_name="Tom Bennett")
    ava = pupil_with_maths(school, year, codes=("WTS", "GDS"), legal_forename="Ava")
    jayden = pupil_with_maths(
        school, year, legal_forename="Jayden",
        census={"sen_provision": "K", "primary_need": "SEMH", "send_plan_review_on": dt.date(2027, 1, 13)},
    )  # fmt: skip
    GroupFactory(school=school, name="6N", teachers=[teacher], pupils=[ava, jayden])
    latest = Result.objects.filter(pupil=jayden).latest("point__date")
    Result.objects.filter(pk=latest.pk).update(effort=3)
    for topic in ("Fractions", "Multi-step problems"):
        MissedTopic.objects.create(school=school, result=latest, topic=topic)
    for days_ago, lesson, subject in [(2, "P5", "Science"), (6, "P5", "Science"), (9, "P5", "Maths"),
                                      (13, "P2", "Science"), (34, "P5", "Science")]:  # fmt: skip
        BehaviourIncident.objects.create(
            school=school, pupil=jayden, date=TODAY - dt.timedelta(days=days_ago), lesson=lesson,
            subject=subject, time=dt.time(14, 5) if lesson == "P5" else dt.time(10, 5),
            kind="Refusal to follow instructions", removed_from_lesson=days_ago == 2,
        )  # fmt: skip
    meeting = MeetingFactory(school=school, focus=Focus.BEHAVIOUR, people=[teacher])
    meeting.confirm_shortlist(
        by=meeting.created_by,
        pupils=[(ava, "Doing well: maths up 2 steps"), (jayden, "5 incidents, up from 1")],
        groups=[], over_cap_reason="", doing_well={ava.pk},
    )  # fmt: skip
    return meeting, teacher


@pytest.mark.time_machine(at_school_time(TODAY), tick=True)
def test_a_teacher_fills_a_doing_well_summary_and_a_behaviour_one(
    page, live_server, behaviour_meeting
):
    _, teacher = behaviour_meeting
    sign_in_as(page, live_server.url, teacher)
    summaries = page.get_by_role("region", name="Summaries to complete", exact=True)
    summaries.get_by_role("link", name=re.compile("^Ava ")).click()

    expect(page.get_by_text("was proposed as doing well")).to_be_visible()
    expect(page.get_by_label(named("Main concern"))).to_have_count(0)
    expect(page.get_by_label(named("The barrier you suspect"))).to_have_count(0)
    page.get_by_label(named("What is working?")).fill(
        "She talks the method through with a partner before writing anything down."
    )
    page.get_by_label(named("What can others learn from it?")).fill(
        "Talk partners before independent work: worth trying with the whole class."
    )
    page.get_by_label("1: excellent", exact=True).check()
    expect(page.get_by_text(re.compile("Draft saved at"))).to_be_visible()
    assert_accessible(page)
    screenshot(page, "summary-doing-well")
    page.get_by_role("button", name="Mark ready for the meeting", exact=True).click()
    expect(page.get_by_text("Summary ready for the meeting.", exact=True)).to_be_visible()

    page.goto(f"{live_server.url}/")
    summaries.get_by_role("link", name=re.compile("^Jayden ")).click()
    data = page.get_by_role("region", name=re.compile("^From school data"))
    behaviour = data.locator("p", has_text="Behaviour:")
    expect(behaviour).to_contain_text(
        "4 incidents in the last 4 weeks, 1 in the 4 weeks before; 1 removal from a lesson. "
        "4 of 5 in P5, 4 in Science, 4 after lunch."
    )
    # In a behaviour meeting behaviour comes first, before attainment.
    assert behaviour.evaluate(
        "b => !!(b.compareDocumentPosition(b.closest('section').querySelector('table')) & 4)"
    )
    expect(data.locator("p", has_text="Effort")).to_contain_text("Maths 3")
    expect(data.get_by_role("cell", name="Fractions, Multi-step problems")).to_be_visible()
    expect(data).to_contain_text("Support plan review: 13 Jan 2027")
    expect(page.get_by_label(named("Main concern"))).to_be_visible()
    expect(page.get_by_label("A wider class pattern", exact=True)).to_be_visible()
    assert_accessible(page)
    screenshot(page, "summary-behaviour")


@pytest.mark.time_machine(at_school_time(TODAY), tick=True)
def test_the_room_sees_behaviour_first_and_fits_the_screen(browser, browser_context_args,
                                                           live_server, behaviour_meeting):  # fmt: skip
    meeting, _ = behaviour_meeting
    chair = meeting.attendees.get(role="chair").user
    words = "Walks out when asked to start writing after lunch, and says the task is pointless. "
    Summary.objects.filter(item__doing_well=False).update(
        **dict.fromkeys(("main_concern", "barrier", "tried", "what_helped", "next_step"), words * 5)
    )  # every line at the length the room's screen shows
    meeting.start(by=chair)
    while meeting.section != Section.PUPILS:
        meeting.move(by=chair, forward=True)
    meeting.move(by=chair, forward=True)  # Jayden
    context = browser.new_context(**browser_context_args, viewport={"width": 1920, "height": 1080})
    room = context.new_page()
    sign_in_as(room, live_server.url, chair)
    room.goto(f"{live_server.url}/meetings/{meeting.pk}/live/?screen=room")

    lines = room.locator(".presenter-lines dt")
    expect(lines.first).to_have_text("Behaviour")
    expect(room.get_by_text("Missed topics", exact=True)).to_be_visible()
    assert room.evaluate(
        "document.documentElement.scrollHeight <= innerHeight"
        " && document.documentElement.scrollWidth <= innerWidth"
    ), "the room's screen scrolls"
    assert_accessible(room)
    screenshot(room, "presenter-behaviour")

    # The chair's own screen shows the whole summary, behaviour first, and its missed topics.
    room.goto(f"{live_server.url}/meetings/{meeting.pk}/live/")
    summary = room.locator(".summary-page")
    expect(summary.locator("p", has_text="Behaviour:")).to_contain_text("4 of 5 in P5")
    expect(summary.get_by_role("cell", name="Fractions, Multi-step problems")).to_be_visible()
    assert_accessible(room)
    screenshot(room, "live-behaviour")
    context.close()

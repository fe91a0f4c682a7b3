import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from meetings.focus import Focus
from tests.browser.conftest import assert_accessible, named, oakfield, screenshot, sign_in
from tests.conftest import TODAY, at_school_time

pytestmark = pytest.mark.browser


# Attendance "this year" needs registers this year: on the first school day of September there
# are none, and nobody is proposed for an attendance focus. So this journey runs in week 4 of a
# half-term, the clock ticking on from there.
@pytest.mark.time_machine(at_school_time(TODAY), tick=True)
def test_a_leader_schedules_a_meeting_and_confirms_a_shortlist(page, demo):
    sign_in(page, demo.url, "leader@oakfield.example")
    page.get_by_role("link", name="Meetings", exact=True).click()
    page.get_by_role("link", name="Schedule a meeting", exact=True).click()
    assert_accessible(page)

    page.get_by_label(named("Focus")).select_option(label="Attendance affecting progress")
    expect(
        page.get_by_text("This focus needs the attendance lead in the room: Karen Walsh.")
    ).to_be_visible()
    page.get_by_label(named("Purpose")).fill(
        "Which Year 6 absences are costing maths, and what do we do first?"
    )
    page.get_by_label("Year 6", exact=True).check()
    in_two_weeks = timezone.localdate() + dt.timedelta(days=14)
    page.get_by_label(named("Date")).fill(oakfield().next_school_day(in_two_weeks).isoformat())
    page.get_by_label(named("Start time")).fill("15:45")
    page.get_by_label("45 minutes", exact=True).check()
    page.get_by_label(named("Chair")).select_option(label="Sarah Okafor (Deputy headteacher)")
    page.get_by_label(named("Recorder")).select_option(label="Karen Walsh (Attendance lead)")
    # The chair and the recorder come whether ticked or not; a search finds the class teacher.
    people = page.get_by_role("group", name="Attendees")
    chosen = people.get_by_role("list", name="Chosen")
    expect(chosen.get_by_role("button")).to_have_count(1)  # the leader scheduling it
    expect(chosen.get_by_role("button", name="Remove Sarah Okafor (Deputy headteacher)"))
    people.get_by_label("Find a member of staff").fill("benn")
    people.get_by_label("Find a member of staff").press("Enter")
    expect(chosen.get_by_role("button")).to_have_count(2)
    expect(chosen.get_by_role("button", name="Remove Tom Bennett (Year 6 class teacher (6N))"))
    assert_accessible(page)
    screenshot(page, "meeting-form")
    page.get_by_role("button", name="Schedule and choose pupils", exact=True).click()

    expect(page.get_by_role("heading", name=re.compile("^Choose pupils"))).to_be_visible()
    expect(page.get_by_text(re.compile(r"attendance \d+\.\d% this year"))).not_to_have_count(0)
    assert_accessible(page)
    screenshot(page, "meeting-shortlist")
    # The strongest proposals are ticked up to the six a 45-minute meeting has room for.
    count = page.locator("[data-shortlist-count]")
    expect(count).to_have_text("6 of 6 items chosen.")
    for box in page.get_by_label(re.compile("^Discuss ")).all()[3:6]:
        box.uncheck()
    expect(count).to_have_text("3 of 6 items chosen.")
    expect(page.locator("#announcer")).to_have_text("3 of 6 items chosen.")
    page.get_by_role("button", name="Confirm the shortlist", exact=True).click()

    expect(page.get_by_role("heading", name="Summaries: 0 of 3 ready", exact=True)).to_be_visible()
    expect(page.get_by_text("Priority pupils, one at a time")).to_be_visible()
    assert_accessible(page)
    screenshot(page, "meeting-detail")

    # The next step is the primary button: send the agenda to the people coming.
    send = page.get_by_role("button", name="Send the agenda", exact=True)
    expect(send).to_have_class(re.compile(r"\bbtn-primary\b"))
    send.click()
    expect(page.get_by_role("status")).to_contain_text("Sent the agenda to 3 attendees.")
    assert_accessible(page)
    screenshot(page, "meeting-agenda-sent")


def test_a_teacher_completes_a_summary_without_retyping_data(page, demo):
    sign_in(page, demo.url, "teacher@oakfield.example")
    summaries = page.get_by_role("region", name="Summaries to complete", exact=True)
    summaries.get_by_role("link").first.click()

    data = page.get_by_role("article").get_by_role(
        "heading", name=re.compile(r"^From school data, \d+ \w+ \d{4}$")
    )
    expect(data).to_be_visible()
    expect(page.get_by_role("article").get_by_text("Attendance:")).to_be_visible()
    assert_accessible(page)
    page.get_by_label(named("Main concern")).fill(
        "Loses the thread of multi-step problems after the first step."
    )

    expect(page.get_by_text(re.compile("Draft saved at"))).to_be_visible()
    page.get_by_label(named("The barrier you suspect")).fill(
        "Working memory under load; misses Monday lessons."
    )
    page.get_by_label(named("The smallest useful next step")).fill(
        "Bar models for every two-step problem; check weekly."
    )
    page.get_by_role("button", name="Mark ready for the meeting", exact=True).click()

    expect(page.get_by_text("Summary ready for the meeting.", exact=True)).to_be_visible()
    screenshot(page, "summary")


def test_meeting_list_minutes_and_password_pages_are_accessible(page, demo):
    sign_in(page, demo.url, "leader@oakfield.example")
    page.get_by_role("link", name="Meetings", exact=True).click()
    expect(page.get_by_role("heading", name="Pupil progress meetings", exact=True)).to_be_visible()
    assert_accessible(page)
    earlier = page.get_by_role("region", name="Earlier", exact=True)
    earlier.get_by_role("link", name=Focus.AT_RISK.label, exact=True).first.click()  # the story's
    page.get_by_role("link", name="Minutes from the action log", exact=True).click()
    expect(page.get_by_role("heading", name=re.compile("^Minutes"))).to_be_visible()
    expect(page.get_by_text("Karen Walsh: Tyler Brennan (")).to_be_visible()
    assert_accessible(page)
    screenshot(page, "minutes")
    page.get_by_role("button", name="Sarah Okafor", exact=True).click()
    page.get_by_role("link", name="Change password", exact=True).click()
    assert_accessible(page)

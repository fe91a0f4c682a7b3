import datetime as dt
import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible, screenshot, sign_in

pytestmark = pytest.mark.browser


def test_a_leader_schedules_a_meeting_and_confirms_a_shortlist(page, demo):
    sign_in(page, demo.url, "leader@oakfield.example")
    page.get_by_role("link", name="Meetings", exact=True).click()
    page.get_by_role("link", name="Schedule a meeting").click()
    assert_accessible(page)

    page.get_by_label("Focus", exact=True).select_option(label="Attendance affecting progress")
    expect(
        page.get_by_text("This focus needs the attendance lead in the room: Karen Walsh.")
    ).to_be_visible()
    page.get_by_label("Purpose").fill(
        "Which Year 6 absences are costing maths, and what do we do first?"
    )
    page.get_by_label("Year 6").check()
    page.get_by_label("Date").fill((dt.date.today() + dt.timedelta(days=14)).isoformat())
    page.get_by_label("Start time").fill("15:45")
    page.get_by_label("45 minutes").check()
    page.get_by_label("Chair").select_option(label="Sarah Okafor (Deputy headteacher)")
    page.get_by_label("Recorder").select_option(label="Karen Walsh (Attendance lead)")
    page.get_by_label("Attendees").select_option(
        label=[
            "Sarah Okafor (Deputy headteacher)",
            "Karen Walsh (Attendance lead)",
            "Tom Bennett (Year 6 class teacher (6N))",
        ]
    )
    screenshot(page, "meeting-form")
    page.get_by_role("button", name="Schedule and choose pupils").click()

    expect(page.get_by_role("heading", name=re.compile("Choose pupils"))).to_be_visible()
    expect(page.get_by_text(re.compile(r"attendance \d+\.\d% this year"))).not_to_have_count(0)
    assert_accessible(page)
    screenshot(page, "meeting-shortlist")
    for box in page.get_by_label(re.compile("^Discuss ")).all()[:3]:
        box.check()
    page.get_by_role("button", name="Confirm the shortlist").click()

    expect(page.get_by_role("heading", name="Summaries: 0 of 3 ready")).to_be_visible()
    expect(page.get_by_text("Priority pupils, one at a time")).to_be_visible()
    assert_accessible(page)
    screenshot(page, "meeting-detail")


def test_a_teacher_completes_a_summary_without_retyping_data(page, demo):
    sign_in(page, demo.url, "teacher@oakfield.example")
    summaries = page.get_by_role("region", name="Summaries to complete")
    summaries.get_by_role("link").first.click()

    expect(page.get_by_role("heading", name="From school data", exact=False)).to_be_visible()
    expect(page.get_by_role("article").get_by_text("Attendance:")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Main concern").fill(
        "Loses the thread of multi-step problems after the first step."
    )

    expect(page.get_by_text(re.compile("Draft saved at"))).to_be_visible()
    page.get_by_label("The barrier you suspect").fill(
        "Working memory under load; misses Monday lessons."
    )
    page.get_by_label("The smallest useful next step").fill(
        "Bar models for every two-step problem; check weekly."
    )
    page.get_by_role("button", name="Mark ready for the meeting").click()

    expect(page.get_by_text("Summary ready for the meeting.")).to_be_visible()
    screenshot(page, "summary")


def test_meeting_list_minutes_and_password_pages_are_accessible(page, demo):
    sign_in(page, demo.url, "leader@oakfield.example")
    page.get_by_role("link", name="Meetings", exact=True).click()
    expect(page.get_by_role("heading", name="Pupil progress meetings")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("region", name="Earlier").get_by_role("link").first.click()
    page.get_by_role("link", name="Minutes from the action log").click()
    expect(page.get_by_role("heading", name=re.compile("^Minutes"))).to_be_visible()
    expect(page.get_by_text("Karen Walsh: Tyler Brennan (")).to_be_visible()
    assert_accessible(page)
    screenshot(page, "minutes")
    page.get_by_role("button", name="Sarah Okafor").click()
    page.get_by_role("link", name="Change password").click()
    assert_accessible(page)

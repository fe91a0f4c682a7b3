"""A leader looks at the school's year of meetings and schedules the next meeting of a series
that has slipped."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible, named, screenshot, sign_in
from tests.conftest import TODAY, at_school_time

pytestmark = pytest.mark.browser


# Monday 23 November 2026, week 4 of Autumn 2: the demo's Reception, Years 1, 2 and 4 have met
# this term, Year 3 and Year 6 are scheduled, and the monthly early-reading series has slipped.
@pytest.mark.time_machine(at_school_time(TODAY), tick=True)
def test_a_leader_sees_the_year_and_schedules_the_next_meeting_of_a_series(page, demo):
    sign_in(page, demo.url, "leader@oakfield.example")
    page.get_by_role("link", name="Meetings", exact=True).click()
    page.get_by_role("link", name="The year’s meetings", exact=True).click()

    expect(
        page.get_by_role("heading", name="The school’s year of meetings, 2026/27", exact=True)
    ).to_be_visible()
    year_groups = page.get_by_role("table", name=re.compile("^Meetings covering each year group"))
    year_4 = year_groups.get_by_role("row", name=re.compile("^Year 4 "))
    expect(year_4.get_by_text("Met this term", exact=True)).to_be_visible()
    year_3 = year_groups.get_by_role("row", name=re.compile("^Year 3 "))
    expect(year_3.get_by_text(re.compile(r"^Scheduled: \d+ \w{3}$"))).to_be_visible()
    series = page.get_by_role("table", name=re.compile("^Each series of meetings"))
    reading = series.get_by_role("row", name=re.compile("^Early reading, Years 1 and 2 "))
    expect(reading.get_by_text("Overdue", exact=True)).to_be_visible()
    assert_accessible(page)
    screenshot(page, "year-view")

    reading.get_by_role(
        "link", name="Schedule the next meeting of Early reading, Years 1 and 2", exact=True
    ).click()

    expect(
        page.get_by_role("heading", name=re.compile("^The next meeting of Early"))
    ).to_be_visible()
    expect(page.get_by_text("Proposed for Monday 30 November 2026")).to_be_visible()
    expect(page.get_by_label(named("Date"))).to_have_value("2026-11-30")
    expect(page.get_by_label(named("Series (optional)"))).to_have_value(
        "Early reading, Years 1 and 2"
    )
    expect(page.get_by_label(named("How often the series meets"))).to_have_value("monthly")
    expect(page.get_by_label("Year 1", exact=True)).to_be_checked()
    assert_accessible(page)
    screenshot(page, "meeting-next")

    page.get_by_role("button", name="Schedule and choose pupils", exact=True).click()

    expect(page.get_by_role("heading", name=re.compile("^Choose pupils"))).to_be_visible()
    page.get_by_role("link", name="Meetings", exact=True).click()
    page.get_by_role("link", name="The year’s meetings", exact=True).click()
    reading = page.get_by_role("row", name=re.compile("^Early reading, Years 1 and 2 "))
    expect(reading.get_by_text("Scheduled: 30 Nov", exact=True)).to_be_visible()

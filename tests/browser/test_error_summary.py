"""A leader sends the scheduling form empty: the page says what is wrong and leads to each box."""

import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from progress.models import Role
from tests.browser.conftest import assert_accessible, screenshot, sign_in_as
from tests.factories import AcademicYearFactory, UserFactory

pytestmark = pytest.mark.browser


def test_an_empty_form_opens_on_its_problems_each_a_link_to_its_field(
    live_server, page, transactional_db
):
    today = timezone.localdate()
    year = AcademicYearFactory(start_year=today.year - (today.month < 9))
    leader = UserFactory(school=year.school, roles=[Role.SENIOR_LEADER])

    sign_in_as(page, live_server.url, leader)
    page.goto(f"{live_server.url}/meetings/new/")
    page.get_by_role("button", name="Schedule and choose pupils", exact=True).click()

    problems = page.get_by_role("alert").filter(has_text="There is a problem")
    expect(problems).to_be_focused()
    expect(page).to_have_title(re.compile("^Error: Schedule a meeting"))
    expect(problems.get_by_role("link", name="Enter the date of the meeting.")).to_be_visible()
    assert_accessible(page)
    screenshot(page, "error-summary")

    problems.get_by_role("link", name="Choose a chair.").click()

    expect(page.locator("#id_chair")).to_be_focused()
    problems.get_by_role("link", name="Enter the date of the meeting.").click()
    expect(page.locator("#id_date")).to_be_focused()

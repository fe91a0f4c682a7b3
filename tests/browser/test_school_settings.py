import re

import pytest
from playwright.sync_api import expect

from progress.models import Role, SchoolSettings
from tests.browser.conftest import assert_accessible, named, screenshot, sign_in_as
from tests.factories import UserFactory

pytestmark = pytest.mark.browser


@pytest.fixture
def leader(transactional_db):
    """A senior leader whose school compares behaviour over 2 weeks rather than 4."""
    leader = UserFactory(roles=[Role.SENIOR_LEADER], display_name="Sarah Okafor")
    SchoolSettings.objects.create(school=leader.school, behaviour_weeks=2)
    return leader


def test_a_leader_changes_a_threshold_and_resets_another(live_server, page, leader):
    sign_in_as(page, live_server.url, leader)
    page.get_by_role("button", name="Sarah Okafor", exact=True).click()
    page.get_by_role("link", name="School settings", exact=True).click()

    expect(page.get_by_role("heading", name=re.compile("^School settings for"))).to_be_visible()
    weeks = page.get_by_label(named("Behaviour increasing: weeks compared"))
    expect(weeks).to_have_value("2")
    expect(page.get_by_text("Default: 4 weeks.")).to_be_visible()
    assert_accessible(page)
    screenshot(page, "school-settings")

    drop = page.get_by_label(named("Attendance drop, in percentage points"))
    drop.fill("25")
    page.get_by_role("button", name="Save the settings", exact=True).click()
    problem = page.get_by_role(
        "link", name="Enter a whole number of percentage points from 1 to 20."
    )
    expect(problem).to_be_visible()
    expect(drop).to_have_value("25")  # what was typed is kept
    assert_accessible(page)
    screenshot(page, "school-settings-error")

    drop.fill("2")
    page.get_by_role(
        "button", name="Reset to default for Behaviour increasing: weeks compared", exact=True
    ).click()

    expect(page.get_by_role("status")).to_have_text(
        "Saved the school's settings: \u201cBehaviour increasing: weeks compared\u201d is back "
        "to its default, 4 weeks."
    )
    expect(weeks).to_have_value("4")
    expect(drop).to_have_value("2")
    expect(
        page.get_by_role("button", name="Reset to default for Behaviour increasing: weeks compared")
    ).to_have_count(0)
    assert_accessible(page)
    screenshot(page, "school-settings-saved")
    saved = SchoolSettings.objects.get(school=leader.school)
    assert (saved.attendance_drop_points, saved.behaviour_weeks) == (2, None)

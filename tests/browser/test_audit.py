"""A leader reads the audit log: a change made on a page, and a look at SEND detail."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from progress.models import Role
from pupils.models import Characteristics
from tests.browser.conftest import assert_accessible, screenshot, sign_in_as
from tests.factories import AcademicYearFactory, ActionFactory, PupilFactory, UserFactory

pytestmark = pytest.mark.browser


def test_a_leader_reads_who_changed_and_who_looked(live_server, page, transactional_db):
    today = timezone.localdate()
    year = AcademicYearFactory(start_year=today.year - (today.month < 9))
    leader = UserFactory(school=year.school, roles=[Role.SENIOR_LEADER], display_name="Ms Lead")
    pupil = PupilFactory(school=year.school)  # no results: earlier browser tests flush scales
    Characteristics.objects.create(
        school=year.school, pupil=pupil, academic_year=year, sen_provision="K"
    )
    action = ActionFactory(school=year.school, pupil=pupil, owner=leader)

    sign_in_as(page, live_server.url, leader)
    page.goto(f"{live_server.url}/pupils/{pupil.pk}/")
    expect(
        page.get_by_role("link", name=f"Everything held about {pupil.forename}", exact=False)
    ).to_be_visible()
    page.goto(f"{live_server.url}/actions/{action.pk}/start/")
    page.get_by_role("button", name="Yes, it has started", exact=True).click()
    expect(page).to_have_url(f"{live_server.url}/actions/mine/")  # the menu of the next page
    page.get_by_role("button", name="Ms Lead", exact=True).click()
    page.get_by_role("link", name="Audit log", exact=True).click()

    changes = page.get_by_role(
        "table",
        name="Changes to meetings, summaries, actions, reviews, follow-ups and pupils' records",
    )
    expect(changes.get_by_role("row").filter(has_text="changed")).to_contain_text("Ms Lead")
    viewed = page.get_by_role(
        "table", name="Who viewed SEND detail or downloaded pupil data, and when"
    )
    expect(viewed).to_contain_text(f"Viewed SEND detail: {pupil.name}")
    assert_accessible(page)
    screenshot(page, "audit-log")

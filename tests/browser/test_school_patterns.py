"""A leader reads the school's patterns and the interventions on the demo, follows a picture to
the pupils behind it and starts a meeting's shortlist for them; the governors' files download."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible, named, screenshot, sign_in

pytestmark = pytest.mark.browser


def test_a_leader_follows_a_pattern_to_its_pupils_and_a_meeting(page, demo):
    sign_in(page, demo.url, "leader@oakfield.example")
    page.get_by_role("link", name="School patterns", exact=True).click()

    expect(page.get_by_role("heading", name="School patterns", exact=True)).to_be_visible()
    for name in (
        "Whole school, maths: attainment now against progress since the last assessment point",
        "Whole school: the share of sessions missed, by weekday and half-term",
        "Whole school: behaviour incidents by lesson and time of day, and weekday",
        "Whole school: disadvantaged and SEND pupils against other pupils on each measure",
    ):
        expect(page.get_by_role("img", name=name, exact=True)).to_be_visible()
    for summary in page.get_by_text("The figures as a table", exact=True).all():
        summary.click()
    assert_accessible(page)
    screenshot(page, "school-patterns")

    page.get_by_label(named("Year group")).select_option(label="Year 6")
    page.get_by_role("button", name="Show", exact=True).click()
    expect(
        page.get_by_role("img", name=re.compile("^Year 6: the share of sessions missed"))
    ).to_be_visible()
    page.get_by_text("The figures as a table", exact=True).nth(1).click()
    attendance = page.get_by_role("table", name=re.compile("^Year 6: the share of sessions"))
    attendance.get_by_role(
        "link", name=re.compile(r"absent\) pupils absent on a Monday")
    ).first.click()

    expect(
        page.get_by_role("heading", name=re.compile("^Absent at least one session on a Monday in"))
    ).to_be_visible()
    expect(page.get_by_role("link", name="Brennan, Tyler", exact=True)).to_be_visible()
    assert_accessible(page)
    screenshot(page, "school-patterns-pupils")

    page.get_by_role("link", name="Start a meeting’s shortlist for Year 6", exact=True).click()

    expect(page.get_by_role("heading", name="Schedule a pupil progress meeting")).to_be_visible()
    expect(page.get_by_label(named("Focus"))).to_have_value("attendance")
    expect(page.get_by_label("Year 6", exact=True)).to_be_checked()


def test_a_leader_sees_the_interventions_and_takes_the_governors_pdf(page, demo):
    sign_in(page, demo.url, "leader@oakfield.example")
    page.get_by_role("link", name="Interventions", exact=True).click()

    expect(page.get_by_role("heading", name="Interventions", exact=True)).to_be_visible()
    table = page.get_by_role("table", name="Each intervention’s figures")
    expect(table.get_by_role("link", name="Lexia reading", exact=True)).to_be_visible()
    expect(table.get_by_role("cell", name=re.compile(r"^£1,450 \(£\d+ a place\)$"))).to_be_visible()
    page.get_by_text(re.compile(r"^\d+ places, entry against exit$")).first.click()
    assert_accessible(page)
    screenshot(page, "interventions")

    with page.expect_download() as download:
        page.get_by_role("link", name="governors’ PDF", exact=True).click()
    assert re.fullmatch(
        r"interventions-governors-\d{4}-\d\d-\d\d\.pdf", download.value.suggested_filename
    )

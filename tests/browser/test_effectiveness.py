"""A leader asks whether the meetings are working: the figures of last half-term, the actions
behind one of them, the repeated concern the next shortlist proposes, and the governors' page."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible, screenshot, sign_in
from tests.conftest import TODAY, at_school_time

pytestmark = pytest.mark.browser


# Monday 23 November 2026, week 4 of Autumn 2: the demo's Year 6 meeting was held in Autumn 1
# with seven actions, and Tyler's attendance was raised at the two meetings of his series before
# it, last summer, without positive impact.
@pytest.mark.time_machine(at_school_time(TODAY), tick=True)
def test_a_leader_answers_are_our_meetings_working(page, demo):
    sign_in(page, demo.url, "leader@oakfield.example")
    page.get_by_role("link", name="Are our meetings working?", exact=True).click()
    expect(
        page.get_by_role("heading", name="Are our meetings working?", exact=True)
    ).to_be_visible()
    page.get_by_role("link", name="Last half-term", exact=True).click()

    expect(page.get_by_text("Autumn 1 2026/27", exact=True)).to_be_visible()
    clear = page.get_by_role("table", name=re.compile("^Are meetings leading to clear actions"))
    agreed = clear.get_by_role("row", name=re.compile("^Actions agreed"))
    expect(agreed.get_by_role("cell").first).to_have_text(re.compile(r"^\s*7 actions agreed"))
    different = page.get_by_role("table", name=re.compile("^Each meeting closed"))
    expect(
        different.get_by_text(re.compile("^Tyler's parents agree an attendance plan"))
    ).to_be_visible()
    assert_accessible(page)
    screenshot(page, "meetings-working")

    reviewed = page.get_by_role("table", name=re.compile("^Are actions happening and reviewed"))
    on_time = reviewed.get_by_role("row", name=re.compile("^Reviewed by their review date"))
    figure = on_time.get_by_role("link", name=re.compile(r"^\d+ actions reviewed by their")).first
    count = int(figure.inner_text().split()[0])
    figure.click()

    expect(page.get_by_role("heading", name="Action log", exact=True)).to_be_visible()
    expect(
        page.get_by_text(re.compile("those reviewed by their review date, of \\d+ meetings?"))
    ).to_be_visible()
    expect(
        page.get_by_text(f"{count} action{'s' if count != 1 else ''}", exact=True)
    ).to_be_visible()
    assert_accessible(page)
    screenshot(page, "meetings-working-log")
    page.go_back()

    page.get_by_role("link", name=re.compile(r"^1 pupil$")).click()
    expect(page.get_by_role("heading", name="Repeated concerns", exact=True)).to_be_visible()
    tyler = page.get_by_role("region", name=re.compile("^Tyler Brennan"))
    expect(tyler.get_by_role("heading")).to_have_text(
        re.compile("attendance, raised at 3 meetings")
    )
    coming = tyler.get_by_role("link", name=re.compile(r"^Pupils at risk of falling behind"))
    expect(coming).to_have_text(re.compile(r"on 30 Nov 2026$"))
    assert_accessible(page)
    screenshot(page, "repeated-concerns")

    coming.click()
    page.get_by_role("link", name="Choose pupils", exact=True).click()
    proposal = page.get_by_role("row", name=re.compile("Tyler Brennan"))
    expect(proposal.get_by_text("Raised again", exact=True)).to_be_visible()
    expect(proposal).to_contain_text("Raised at 3 meetings without positive impact: attendance")
    assert_accessible(page)
    screenshot(page, "shortlist-raised-again")

    page.goto(f"{demo.url}/meetings/working/?period=last-half-term")
    page.get_by_role("link", name="The governors’ version", exact=True).click()
    expect(page.get_by_text("For governors", exact=True)).to_be_visible()
    expect(page.get_by_text("Tyler's parents")).to_have_count(0)
    assert_accessible(page)
    screenshot(page, "meetings-working-governors")

    page.goto(f"{demo.url}/meetings/working/repeated/?for=governors")
    expect(page.get_by_text("Tyler Brennan")).to_have_count(0)
    by_year = page.get_by_role("table", name="Pupils with a repeated concern, by year group")
    expect(by_year.get_by_role("row", name="Year 6 fewer than 5")).to_be_visible()
    assert_accessible(page)
    screenshot(page, "repeated-concerns-governors")

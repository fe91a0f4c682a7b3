import pytest
from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible, screenshot, sign_in

pytestmark = pytest.mark.browser


def test_a_leader_gives_a_class_a_second_teacher(page, demo):
    sign_in(page, demo.url, "leader@oakfield.example")
    page.wait_for_load_state("load")  # the menu opens by script: a click before it is lost
    page.get_by_role("button", name="Sarah Okafor", exact=True).click()
    page.get_by_role("link", name="Classes and teachers", exact=True).click()

    expect(page.get_by_role("heading", name="Classes and teachers", exact=True)).to_be_visible()
    row = page.get_by_role("row").filter(has=page.get_by_role("rowheader", name="6N"))
    expect(row).to_contain_text("Tom Bennett")
    assert_accessible(page)

    page.get_by_role("link", name="Change teachers of 6N", exact=True).click()
    people = page.get_by_role("group", name="Teachers", exact=True)
    chosen = people.get_by_role("list", name="Chosen")
    expect(page.get_by_role("heading", name="Teachers of 6N", exact=True)).to_be_visible()
    expect(
        chosen.get_by_role("button", name="Remove Tom Bennett (Year 6 class teacher (6N))")
    ).to_be_visible()
    people.get_by_label("Find a member of staff").fill("sharma")
    people.get_by_label("Find a member of staff").press("Enter")
    expect(chosen.get_by_role("button", name="Remove Priya Sharma (SENCO)")).to_be_visible()
    assert_accessible(page)
    screenshot(page, "classes-edit")
    page.get_by_role("button", name="Save the teachers", exact=True).click()

    expect(page.get_by_role("status")).to_have_text(
        "Saved: 6N is taught by Priya Sharma and Tom Bennett."
    )
    expect(row).to_contain_text("Priya Sharma")
    expect(row).to_contain_text("Tom Bennett")
    assert_accessible(page)
    screenshot(page, "classes")

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible, named, screenshot, sign_in

pytestmark = pytest.mark.browser


def test_the_demo_leader_signs_in_and_sees_the_home_page(page, demo):
    page.goto(f"{demo.url}/")
    expect(page.get_by_role("heading", name="Sign in to Progress", exact=True)).to_be_visible()
    assert_accessible(page)
    screenshot(page, "login")

    sign_in(page, demo.url, "leader@oakfield.example")

    expect(page.get_by_role("heading", name="Welcome, Sarah Okafor", exact=True)).to_be_visible()
    expect(page.get_by_role("heading", name="Meetings to organise", exact=True)).to_be_visible()
    expect(page.get_by_role("heading", name="Oakfield Primary School", exact=True)).to_be_visible()
    assert_accessible(page)
    screenshot(page, "home-leader")


def test_a_teacher_sees_their_own_home_page(page, demo):
    sign_in(page, demo.url, "teacher@riverside.example")

    expect(page.get_by_role("heading", name="Welcome, Daniel Osei", exact=True)).to_be_visible()
    expect(page.get_by_role("heading", name="Summaries to complete", exact=True)).to_be_visible()
    expect(page.get_by_role("heading", name="Meetings to organise", exact=True)).to_have_count(0)
    assert_accessible(page)
    screenshot(page, "home-teacher")


def test_a_leader_corrects_a_half_term_date_with_the_keyboard(page, demo):
    sign_in(page, demo.url, "leader@oakfield.example")
    page.get_by_role("link", name="School calendar", exact=True).first.click()
    assert_accessible(page)
    screenshot(page, "calendar")
    page.get_by_role("link", name=re.compile(r"^Change dates for \d{4}\/\d{2}$")).first.click()
    assert_accessible(page)

    first_day = page.get_by_label("Autumn 1 first day", exact=True)
    original = first_day.input_value()
    first_day.fill("2000-01-01")
    first_day.press("Enter")

    problems = page.get_by_role("alert").filter(has_text="There is a problem")
    expect(problems.get_by_role("link", name=re.compile("is outside"))).to_be_visible()
    expect(problems).to_be_focused()  # htmx focuses the summary it swapped in
    expect(page.get_by_label("Autumn 1 first day", exact=True)).to_have_value("2000-01-01")
    assert_accessible(page)
    screenshot(page, "calendar-edit-error")

    page.get_by_label("Autumn 1 first day", exact=True).fill(original)
    page.get_by_role("button", name="Save dates", exact=True).click()

    expect(page.get_by_role("status")).to_contain_text("Saved the half-term dates for")
    expect(page.get_by_label("Autumn 1 first day", exact=True)).to_have_value(original)


def test_password_reset_and_not_found_pages_are_accessible(page, demo):
    page.goto(f"{demo.url}/")
    page.get_by_role("link", name="Forgotten your password?", exact=True).click()
    expect(page.get_by_role("heading", name="Reset your password", exact=True)).to_be_visible()
    assert_accessible(page)
    page.get_by_label(named("Email")).fill("senco@oakfield.example")
    page.get_by_role("button", name="Send the link", exact=True).click()
    expect(page.get_by_role("heading", name="Check your e-mail", exact=True)).to_be_visible()
    assert_accessible(page)

    sign_in(page, demo.url, "senco@oakfield.example")
    page.goto(f"{demo.url}/no-such-page/")
    expect(page.get_by_role("heading", name="Page not found", exact=True)).to_be_visible()
    assert_accessible(page)
    screenshot(page, "not-found")

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible, screenshot, sign_in

# serialized_rollback: the live server flushes the database, and the national assessment
# scales come from a data migration that must be there for every test.
pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_the_demo_leader_signs_in_and_sees_the_home_page(page, demo):
    page.goto(f"{demo.url}/")
    expect(page.get_by_role("heading", name="Sign in to Progress")).to_be_visible()
    assert_accessible(page)
    screenshot(page, "login")

    sign_in(page, demo.url, "leader@oakfield.example")

    expect(page.get_by_role("heading", name="Welcome, Sarah Okafor")).to_be_visible()
    expect(page.get_by_role("heading", name="Meetings to organise")).to_be_visible()
    expect(page.get_by_role("heading", name="Oakfield Primary School")).to_be_visible()
    assert_accessible(page)
    screenshot(page, "home-leader")


def test_a_teacher_sees_their_own_home_page(page, demo):
    sign_in(page, demo.url, "teacher@riverside.example")

    expect(page.get_by_role("heading", name="Welcome, Daniel Osei")).to_be_visible()
    expect(page.get_by_role("heading", name="Summaries to complete")).to_be_visible()
    expect(page.get_by_role("heading", name="Meetings to organise")).to_have_count(0)
    assert_accessible(page)
    screenshot(page, "home-teacher")


def test_a_leader_corrects_a_half_term_date_with_the_keyboard(page, demo):
    sign_in(page, demo.url, "leader@oakfield.example")
    page.get_by_role("link", name="School calendar").first.click()
    assert_accessible(page)
    screenshot(page, "calendar")
    page.get_by_role("link", name="Change dates").first.click()
    assert_accessible(page)

    first_day = page.get_by_label("Autumn 1 first day")
    original = first_day.input_value()
    first_day.fill("2000-01-01")
    first_day.press("Enter")

    expect(page.get_by_text("is outside")).to_be_visible()
    expect(page.get_by_label("Autumn 1 first day")).to_have_value("2000-01-01")
    assert_accessible(page)
    screenshot(page, "calendar-edit-error")

    page.get_by_label("Autumn 1 first day").fill(original)
    page.get_by_role("button", name="Save dates").click()

    expect(page.get_by_role("status")).to_contain_text("Saved the half-term dates for")
    expect(page.get_by_label("Autumn 1 first day")).to_have_value(original)


def test_password_reset_and_not_found_pages_are_accessible(page, demo):
    page.goto(f"{demo.url}/")
    page.get_by_role("link", name="Forgotten your password?").click()
    expect(page.get_by_role("heading", name="Reset your password")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Email").fill("senco@oakfield.example")
    page.get_by_role("button", name="Send the link").click()
    expect(page.get_by_role("heading", name="Check your e-mail")).to_be_visible()
    assert_accessible(page)

    sign_in(page, demo.url, "senco@oakfield.example")
    page.goto(f"{demo.url}/no-such-page/")
    expect(page.get_by_role("heading", name="Page not found")).to_be_visible()
    assert_accessible(page)
    screenshot(page, "not-found")

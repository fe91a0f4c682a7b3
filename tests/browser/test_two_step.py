"""A teacher turns on two-step sign-in from the menu, then signs in with a code."""

import pytest
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from progress.models import Role
from tests.browser.conftest import assert_accessible, named, screenshot, sign_in_as
from tests.factories import UserFactory

pytestmark = pytest.mark.browser


def code_now(app: TOTPDevice) -> str:
    app.refresh_from_db()
    return f"{TOTP(app.bin_key, app.step, app.t0, app.digits, app.drift).token():06d}"


def test_a_teacher_turns_it_on_then_signs_in_with_a_code(live_server, page, transactional_db):
    teacher = UserFactory(roles=[Role.TEACHER], display_name="Mr Teach")

    sign_in_as(page, live_server.url, teacher)
    page.get_by_role("button", name="Mr Teach", exact=True).click()
    page.get_by_role("link", name="Two-step sign-in", exact=True).click()
    expect(page.get_by_text("Off.", exact=True)).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Set up two-step sign-in").click()
    app = TOTPDevice.objects.get(user=teacher)
    page.get_by_label(named("Code")).fill(code_now(app))
    page.get_by_role("button", name="Turn on two-step sign-in").click()
    page.get_by_role("link", name="I have kept them: continue").click()

    page.get_by_role("button", name="Mr Teach", exact=True).click()
    page.get_by_role("link", name="Two-step sign-in", exact=True).click()
    expect(page.get_by_text("You have 10 recovery codes left.", exact=False)).to_be_visible()
    assert_accessible(page)
    screenshot(page, "two-step-manage")
    page.get_by_role("button", name="Mr Teach", exact=True).click()
    page.get_by_role("button", name="Sign out", exact=True).click()

    sign_in_as(page, live_server.url, teacher)
    expect(page.get_by_role("heading", name="Enter the code from your app")).to_be_visible()
    assert_accessible(page)
    screenshot(page, "two-step-code")
    app.last_t = -1  # the code used to set up may be shown again within the same half-minute
    app.save(update_fields=["last_t"])
    page.get_by_label(named("Code")).fill(code_now(app))
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("button", name="Mr Teach", exact=True)).to_be_visible()

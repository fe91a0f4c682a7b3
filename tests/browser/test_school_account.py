"""Signing in with the school's own account, against a real OpenID Connect provider on
loopback (django-oauth-toolkit, `tests/oidc_provider`), then the second step a leader owes."""

import socket
import subprocess
import sys
import time
import urllib.request

import pytest
from django.conf import settings as django_settings
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect
from time_machine import escape_hatch

from progress.models import Role
from tests.browser.conftest import assert_accessible, named, screenshot
from tests.factories import SchoolFactory, UserFactory
from tests.oidc_provider import serve

pytestmark = pytest.mark.browser

LEADER, STRANGER = "head@school.example", "stranger@school.example"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_provider(callback: str, folder, *, clock_ahead: float = 0):
    """The school's provider, with accounts for LEADER and STRANGER, trusting Progress; its
    clock `clock_ahead` seconds ahead of the tests' (another day's, under PROGRESS_TEST_DATE,
    as a real provider keeps the real time). Returns the process and the issuer's address."""
    port = free_port()
    offset = time.time() - escape_hatch.time.time() if escape_hatch.is_travelling() else 0
    process = subprocess.Popen(
        [sys.executable, "-m", "tests.oidc_provider.serve", str(port), callback, LEADER, STRANGER],
        cwd=django_settings.BASE_DIR,
        env={
            "OIDC_PROVIDER_DB": str(folder / "provider.sqlite3"),
            "PATH": "/usr/bin:/bin",
            "PROVIDER_CLOCK_OFFSET": str(offset + clock_ahead),
        },
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    issuer = f"http://127.0.0.1:{port}/o"
    deadline = time.monotonic() + 60
    while True:
        try:
            urllib.request.urlopen(f"{issuer}/.well-known/openid-configuration", timeout=2)
            return process, issuer
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                pytest.fail(f"The provider did not start: {process.stderr.read().decode()}")
            time.sleep(0.2)


@pytest.fixture(scope="module")
def provider(live_server, tmp_path_factory):
    process, issuer = start_provider(
        f"{live_server.url}/accounts/school/callback/", tmp_path_factory.mktemp("provider")
    )
    yield issuer
    process.terminate()
    process.wait(timeout=10)


def configure(settings, issuer: str) -> None:
    """Progress configured for the provider at `issuer`, as a school would by environment
    variables."""
    settings.OIDC_RP_CLIENT_ID = serve.CLIENT_ID
    settings.AUTHENTICATION_BACKENDS = [
        *settings.AUTHENTICATION_BACKENDS,
        "progress.school_accounts.SchoolAccountBackend",
    ]
    settings.OIDC_RP_CLIENT_SECRET = serve.CLIENT_SECRET
    settings.OIDC_PROVIDER_NAME = "school"
    settings.OIDC_ALLOWED_DOMAINS = ["school.example"]
    settings.OIDC_OP_AUTHORIZATION_ENDPOINT = f"{issuer}/authorize/"
    settings.OIDC_OP_TOKEN_ENDPOINT = f"{issuer}/token/"
    settings.OIDC_OP_USER_ENDPOINT = f"{issuer}/userinfo/"
    settings.OIDC_OP_JWKS_ENDPOINT = f"{issuer}/.well-known/jwks.json"
    settings.MFA_REQUIRED = True


@pytest.fixture
def school_sign_in(settings, provider):
    configure(settings, provider)


def sign_in_at_provider(page, base_url: str, email: str) -> None:
    page.goto(f"{base_url}/")
    page.get_by_role("link", name="Sign in with your school account", exact=True).click()
    expect(page.get_by_role("heading", name="Sign in to your school account")).to_be_visible()
    page.get_by_label("Username").fill(email)
    page.get_by_label("Password").fill(serve.PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def test_a_leader_signs_in_with_the_school_account_then_sets_up_the_second_step(
    live_server, page, school_sign_in, transactional_db
):
    school = SchoolFactory()
    leader = UserFactory(school=school, email=LEADER.upper(), roles=[Role.SENIOR_LEADER])

    page.goto(f"{live_server.url}/")
    assert_accessible(page)
    screenshot(page, "sign-in-school-account")
    sign_in_at_provider(page, live_server.url, LEADER)

    # Back in Progress, signed in as the account with that address, owing a second step.
    expect(page.get_by_role("heading", name="Set up two-step sign-in")).to_be_visible()
    expect(page.get_by_role("img", name="QR code to add Progress to an authenticator app"))
    assert_accessible(page)
    screenshot(page, "two-step-set-up")
    page.goto(f"{live_server.url}/meetings/")  # nothing else opens until it is done
    expect(page.get_by_role("heading", name="Set up two-step sign-in")).to_be_visible()

    app = TOTPDevice.objects.get(user=leader, confirmed=False)
    wrong = (TOTP(app.bin_key).token() + 500_000) % 1_000_000
    page.get_by_label(named("Code")).fill(f"{wrong:06d}")
    page.get_by_role("button", name="Turn on two-step sign-in").click()
    expect(
        page.get_by_role("link", name="That code is not right: try the one your app shows now.")
    ).to_be_visible()

    app.refresh_from_db()
    app.throttle_reset()  # the wrong code above asks for a second's wait
    page.get_by_label(named("Code")).fill(f"{TOTP(app.bin_key).token():06d}")
    page.get_by_role("button", name="Turn on two-step sign-in").click()
    codes = page.get_by_role("list", name="Recovery codes").get_by_role("listitem")
    expect(codes).to_have_count(10)
    assert_accessible(page)
    screenshot(page, "two-step-recovery-codes")
    page.get_by_role("link", name="I have kept them: continue").click()
    expect(page.get_by_role("button", name=leader.display_name)).to_be_visible()


def test_a_school_account_with_no_progress_account_is_turned_away(
    live_server, page, school_sign_in, transactional_db
):
    UserFactory(school=SchoolFactory(), email=LEADER, roles=[Role.SENIOR_LEADER])

    sign_in_at_provider(page, live_server.url, STRANGER)

    expect(page.get_by_role("alert")).to_contain_text(
        "Signing in with your school account did not work."
    )
    expect(page.get_by_role("link", name="Sign in with your school account")).to_be_visible()
    expect(page.get_by_role("heading", name="Sign in to Progress")).to_be_visible()


def test_an_id_token_from_a_provider_whose_clock_is_an_hour_ahead_is_refused(
    live_server, page, settings, tmp_path, transactional_db
):
    UserFactory(school=SchoolFactory(), email=LEADER, roles=[Role.SENIOR_LEADER])
    process, issuer = start_provider(
        f"{live_server.url}/accounts/school/callback/", tmp_path, clock_ahead=3600
    )
    configure(settings, issuer)
    try:
        sign_in_at_provider(page, live_server.url, LEADER)

        expect(page.get_by_role("alert")).to_contain_text(
            "Signing in with your school account did not work."
        )
    finally:
        process.terminate()
        process.wait(timeout=10)

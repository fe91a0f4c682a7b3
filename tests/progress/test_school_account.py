"""Who a school account signs in as. (The whole round trip, with a real provider, is in
`tests/browser/test_school_account.py`.)"""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse

from progress.models import Role
from progress.school_accounts import SchoolAccountBackend
from tests.factories import PASSWORD, SchoolFactory, UserFactory

pytestmark = pytest.mark.django_db


def set_up(settings) -> None:
    """School accounts as a school sets them up, by environment variables: `progress/settings.py`
    then lists their backend too."""
    settings.OIDC_RP_CLIENT_ID = "progress"
    settings.OIDC_ALLOWED_DOMAINS = ["school.example"]
    settings.AUTHENTICATION_BACKENDS = [
        *settings.AUTHENTICATION_BACKENDS,
        "progress.school_accounts.SchoolAccountBackend",
    ]


@pytest.fixture
def backend(settings):
    set_up(settings)
    return SchoolAccountBackend()


@pytest.fixture
def head(today):
    return UserFactory(email="head@school.example", roles=[Role.SENIOR_LEADER])


def matches(backend, **claims) -> list:
    return list(backend.filter_users_by_claims(claims))


def test_the_active_account_with_the_address_in_any_case(backend, head):
    assert matches(backend, email="Head@School.Example", email_verified=True) == [head]
    assert matches(backend, email="head@school.example") == [head]  # Microsoft sends no flag


def test_an_address_the_provider_has_not_verified_signs_in_nobody(backend, head):
    assert matches(backend, email=head.email, email_verified=False) == []


def test_no_address_or_an_unknown_one_signs_in_nobody(backend, head):
    assert matches(backend) == []
    assert matches(backend, email="") == []
    assert matches(backend, email="someone@else.example") == []


def test_a_deactivated_account_signs_in_nobody(backend, head):
    head.is_active = False
    head.save()
    assert matches(backend, email=head.email) == []


def test_nobody_new_is_made_and_nothing_is_changed(backend, head, settings):
    assert settings.OIDC_CREATE_USER is False
    assert backend.update_user(head, {"email": head.email, "name": "Someone Else"}) is head
    head.refresh_from_db()
    assert head.display_name != "Someone Else"


def test_an_address_outside_the_schools_domains_signs_in_nobody(backend, head, settings):
    outsider = UserFactory(email="head@elsewhere.example")
    assert matches(backend, email=outsider.email) == []
    settings.OIDC_ALLOWED_DOMAINS = ["elsewhere.example"]
    assert matches(backend, email=head.email) == []


def test_a_superuser_never_signs_in_with_a_school_account(backend, head):
    head.is_superuser = True
    head.save()
    assert matches(backend, email=head.email) == []


def test_with_google_the_account_must_be_in_the_schools_workspace(backend, head, settings):
    settings.OIDC_PROVIDER = "google"
    assert matches(backend, email=head.email, email_verified=True) == []
    assert matches(backend, email=head.email, hd="gmail.com") == []
    assert matches(backend, email=head.email, hd="school.example") == [head]


def test_the_password_form_never_reaches_the_provider(client, settings, head):
    """A sign-in with ?code= and ?state= in its address is still only a password sign-in."""
    set_up(settings)
    settings.OIDC_OP_TOKEN_ENDPOINT = "not-a-url"  # reaching for it would raise

    wrong = client.post(
        reverse("login") + "?code=a&state=b", {"username": head.email, "password": "wrong"}
    )
    right = client.post(
        reverse("login") + "?code=a&state=b", {"username": head.email, "password": PASSWORD}
    )

    assert wrong.status_code == 200
    assert right.status_code == 302


def test_other_schools_staff_share_no_address(backend, head):
    UserFactory(school=SchoolFactory(), email="other@school.example")
    assert matches(backend, email="head@school.example") == [head]


def test_without_a_client_id_there_is_no_school_sign_in(client, settings, today):
    settings.OIDC_RP_CLIENT_ID = ""
    assert client.get(reverse("oidc_authentication_init")).status_code == 404
    assert client.get(reverse("oidc_authentication_callback")).status_code == 404
    assert "school account" not in client.get(reverse("login")).text


def test_with_one_the_sign_in_page_offers_it_and_the_browser_is_sent_to_the_provider(
    client, settings, today
):
    set_up(settings)
    settings.OIDC_PROVIDER_NAME = "Microsoft"
    settings.OIDC_OP_AUTHORIZATION_ENDPOINT = "https://login.example/authorize"

    page = client.get(reverse("login"))
    sent = client.get(reverse("oidc_authentication_init"))

    assert "Sign in with your Microsoft account" in page.text
    assert sent.status_code == 302
    assert sent["Location"].startswith("https://login.example/authorize?")
    assert "code_challenge_method=S256" in sent["Location"]


def test_a_callback_with_no_sign_in_under_way_goes_back_to_sign_in(client, settings, today):
    set_up(settings)
    settings.OIDC_PROVIDER_NAME = "Google"

    back = client.get(reverse("oidc_authentication_callback"), {"code": "x", "state": "y"})

    assert back["Location"] == reverse("login")
    followed = client.get(back["Location"])
    assert "Signing in with your Google account did not work." in followed.text


@pytest.mark.parametrize(("client_id", "loaded"), [("", False), ("progress", True)])
def test_the_libraries_are_loaded_only_where_school_accounts_are_set_up(client_id, loaded):
    """A school that signs in with passwords never loads requests, PyJWT and cryptography:
    neither its backends nor its addresses do, even when asked for (about 14 MB a worker)."""
    script = (
        "import sys, django; django.setup();"
        "from django.contrib.auth import get_backends; from django.test import Client;"
        "get_backends(); answer = Client().get('/accounts/school/callback/').status_code;"
        "print(answer, sorted({'requests', 'jwt', 'mozilla_django_oidc'} & set(sys.modules)))"
    )
    environment = os.environ | {
        "DJANGO_SETTINGS_MODULE": "progress.settings", "SECRET_KEY": "test-only-not-secret",
        "DEBUG": "1",  # its 404 page needs no collected static files
        "ALLOWED_HOSTS": "testserver", "OIDC_RP_CLIENT_ID": client_id,
        "OIDC_ALLOWED_DOMAINS": "school.example",
    }  # fmt: skip
    run = subprocess.run(
        [sys.executable, "-c", script], env=environment, cwd=Path(__file__).parents[2],
        capture_output=True, text=True, check=True,
    )  # fmt: skip

    expected = "302 ['jwt', 'mozilla_django_oidc', 'requests']" if loaded else "404 []"
    assert run.stdout.strip() == expected

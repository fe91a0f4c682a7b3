"""Sign-in resists guessing, and a session ends when it should."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from progress.models import Role
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db
SIGNED_IN_AT = dt.datetime(2026, 11, 23, 10, 0, tzinfo=ZoneInfo("Europe/London"))  # `today`


def later(time_machine, minutes: int) -> None:
    """Move the clock to `minutes` after ten on `today`, and hold it there."""
    time_machine.move_to(SIGNED_IN_AT + dt.timedelta(minutes=minutes), tick=False)


def sign_in(client, email: str, password: str = PASSWORD, *, address: str = "203.0.113.7"):
    return client.post(
        reverse("login"), {"username": email, "password": password}, REMOTE_ADDR=address
    )


@pytest.fixture
def staff(today):
    return UserFactory(email="priya@school.example", roles=[Role.TEACHER])


class TestGuessing:
    def test_ten_wrong_passwords_pause_the_account_for_a_quarter_of_an_hour(
        self, client, staff, time_machine
    ):
        for _ in range(9):
            assert sign_in(client, staff.email, "wrong-guess").status_code == 200
        assert sign_in(client, staff.email, "wrong-guess").status_code == 429  # the tenth

        paused = sign_in(client, staff.email)  # even the right password, for now

        assert paused.status_code == 429
        assert "Sign-in paused for a quarter of an hour" in paused.text
        later(time_machine, 16)
        assert sign_in(client, staff.email)["Location"] == reverse("home")

    def test_guessing_across_accounts_from_one_address_is_paused_too(self, client, today):
        for n in range(10):
            sign_in(client, f"guess{n}@school.example", "wrong-guess", address="198.51.100.9")

        someone = UserFactory(email="someone@school.example")
        elsewhere = sign_in(client, someone.email, address="192.0.2.1")
        paused = sign_in(client, someone.email, address="198.51.100.9")

        assert elsewhere["Location"] == reverse("home")
        assert paused.status_code == 429

    def test_changing_the_capitals_of_the_email_is_the_same_account(self, client, staff):
        for n in range(10):
            spelling = staff.email.upper() if n % 2 else staff.email.title()
            sign_in(client, spelling, "wrong-guess", address=f"192.0.2.{n}")

        assert sign_in(client, staff.email, address="192.0.2.99").status_code == 429

    def test_behind_the_proxy_each_person_is_counted_by_their_own_address(self, client, staff):
        def through_proxy(email, password, person):
            return client.post(
                reverse("login"),
                {"username": email, "password": password},
                REMOTE_ADDR="127.0.0.1",
                HTTP_X_FORWARDED_FOR=f"10.9.9.9, {person}",  # the first part is the client's say
            )

        for n in range(10):
            through_proxy(f"guess{n}@school.example", "wrong-guess", "198.51.100.20")

        assert through_proxy(staff.email, PASSWORD, "198.51.100.20").status_code == 429
        assert through_proxy(staff.email, PASSWORD, "198.51.100.21")["Location"] == reverse("home")

    def test_the_admin_sign_in_counts_too(self, client, today):
        admin = UserFactory(email="ops@school.example", is_staff=True, is_superuser=True)
        for _ in range(10):
            client.post(
                reverse("admin:login"),
                {"username": admin.email, "password": "wrong-guess"},
                REMOTE_ADDR="203.0.113.8",
            )

        response = client.post(
            reverse("admin:login"),
            {"username": admin.email, "password": PASSWORD},
            REMOTE_ADDR="203.0.113.8",
        )

        assert response.status_code == 429

    def test_a_success_clears_earlier_mistakes(self, client, staff):
        for _ in range(9):
            sign_in(client, staff.email, "wrong-guess")
        sign_in(client, staff.email)
        client.logout()

        for _ in range(9):
            sign_in(client, staff.email, "wrong-guess")

        assert sign_in(client, staff.email)["Location"] == reverse("home")


class TestSessions:
    def test_signing_in_gives_a_new_session(self, client, staff):
        client.get(reverse("login"))
        client.session.save()
        before = client.session.session_key

        sign_in(client, staff.email)

        assert client.session.session_key != before

    def test_an_idle_hour_signs_you_out(self, client, staff, time_machine):
        sign_in(client, staff.email)
        later(time_machine, 59)
        assert client.get(reverse("home")).status_code == 200

        later(time_machine, 59 + 61)
        response = client.get(reverse("home"))

        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))

    def test_a_screen_polling_by_itself_is_not_activity(self, client, staff, time_machine):
        sign_in(client, staff.email)
        for minutes in range(5, 65, 5):  # a live screen left open, polling
            later(time_machine, minutes)
            client.get(reverse("home"), headers={"HX-Request": "true"})

        later(time_machine, 70)
        response = client.get(reverse("home"), headers={"HX-Request": "true"})

        assert response.status_code == 200
        assert response["HX-Redirect"] == reverse("login")

    def test_a_school_day_after_signing_in_ends_it_however_busy(self, client, staff, time_machine):
        sign_in(client, staff.email)
        for half_hours in range(1, 22):  # a request every half hour for over ten hours
            later(time_machine, 30 * half_hours)
            response = client.get(reverse("home"))

        assert response.status_code == 302

    def test_deactivating_a_member_of_staff_ends_their_session(self, client, staff):
        sign_in(client, staff.email)
        staff.is_active = False
        staff.save()

        assert client.get(reverse("home")).status_code == 302

    def test_a_password_changed_elsewhere_ends_the_session(self, client, staff):
        sign_in(client, staff.email)
        staff.set_password("another-long-passphrase")
        staff.save()

        assert client.get(reverse("home")).status_code == 302


def test_signed_in_pages_and_exports_are_never_stored(client, staff):
    staff.set_roles([Role.SENIOR_LEADER])
    sign_in(client, staff.email)

    for url in (
        reverse("home"),
        reverse("actions:my_actions"),
        reverse("action_log") + "?format=csv",
        reverse("pupils:pupil_list"),
    ):
        assert "no-store" in client.get(url)["Cache-Control"]

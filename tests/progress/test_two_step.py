"""Two-step sign-in: leaders must set up an authenticator app, everyone who has one gives a
code after the password, recovery codes work once, and wrong codes are slowed."""

import pytest
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from progress.models import Role
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def required(settings):
    settings.MFA_REQUIRED = True


@pytest.fixture
def leader(today):
    return UserFactory(email="lead@school.example", roles=[Role.SENIOR_LEADER])


@pytest.fixture
def teacher(today):
    return UserFactory(email="teach@school.example", roles=[Role.TEACHER])


def sign_in(client, user):
    response = client.post(reverse("login"), {"username": user.email, "password": PASSWORD})
    assert response.status_code == 302
    return response


def code_now(app: TOTPDevice) -> str:
    return f"{TOTP(app.bin_key, app.step, app.t0, app.digits, app.drift).token():06d}"


def wrong(app: TOTPDevice) -> str:
    return f"{(int(code_now(app)) + 500_000) % 1_000_000:06d}"


def set_up(client, user) -> list[str]:
    """Sets up the app for `user`, signed in, and returns the recovery codes shown."""
    client.get(reverse("two_step_set_up"))
    app = TOTPDevice.objects.get(user=user)
    response = client.post(reverse("two_step_set_up"), {"code": code_now(app)})
    assert response.status_code == 200
    return list(response.context["codes"])


def sign_in_with_app(client, user) -> TOTPDevice:
    """Signs in as `user`, whose app is set up, and gives the code."""
    sign_in(client, user)
    app = TOTPDevice.objects.get(user=user, confirmed=True)
    app.throttle_reset()
    app.last_t = -1  # the code just used may be used again, on a new sign-in, in a test
    app.save()
    assert client.post(reverse("two_step_code"), {"code": code_now(app)}).status_code == 302
    return app


class TestRequired:
    @pytest.mark.parametrize(
        "role",
        [
            Role.SENIOR_LEADER,
            Role.SENCO,
            Role.PASTORAL_LEAD,
            Role.ATTENDANCE_LEAD,
            Role.PUPIL_PREMIUM_LEAD,
            Role.SCHOOL_ADMIN,
        ],
    )
    def test_a_role_that_sees_send_detail_must_set_up_an_app_first(self, client, today, role):
        user = UserFactory(roles=[role])
        sign_in(client, user)

        for page in ["/", "/meetings/", "/actions/mine/", "/admin/"]:
            response = client.get(page)
            assert response.status_code == 302, page
            assert response["Location"].startswith(reverse("two_step_set_up"))

    def test_a_poll_is_sent_to_set_up_by_htmx(self, client, leader):
        sign_in(client, leader)
        response = client.get("/", headers={"HX-Request": "true"})
        assert response.status_code == 200
        assert response["HX-Redirect"] == reverse("two_step_set_up")

    def test_a_teacher_is_not_asked(self, client, teacher):
        sign_in(client, teacher)
        assert client.get("/").status_code == 200

    def test_when_the_school_does_not_require_it_a_leader_is_not_asked(
        self, client, leader, settings
    ):
        settings.MFA_REQUIRED = False
        sign_in(client, leader)
        assert client.get("/").status_code == 200

    def test_signing_out_still_works(self, client, leader):
        sign_in(client, leader)
        assert client.post(reverse("logout"))["Location"] == reverse("login")


class TestSettingUp:
    def test_the_page_shows_a_qr_code_and_the_key_as_text(self, client, leader):
        sign_in(client, leader)
        page = client.get(reverse("two_step_set_up"))

        app = TOTPDevice.objects.get(user=leader, confirmed=False)
        assert '<svg width="' in page.text  # the QR code, drawn in the page
        assert page.context["secret"].replace(" ", "") in app.config_url

    def test_a_wrong_code_is_refused_and_nothing_opens(self, client, leader):
        sign_in(client, leader)
        client.get(reverse("two_step_set_up"))
        app = TOTPDevice.objects.get(user=leader)

        response = client.post(reverse("two_step_set_up"), {"code": wrong(app)})

        assert "That code is not right: try the one your app shows now." in response.text
        assert not TOTPDevice.objects.filter(confirmed=True).exists()
        assert client.get("/").status_code == 302

    def test_the_right_code_turns_it_on_shows_ten_recovery_codes_and_opens_the_pages(
        self, client, leader
    ):
        sign_in(client, leader)
        codes = set_up(client, leader)

        assert len(set(codes)) == 10
        assert set(StaticToken.objects.values_list("token", flat=True)) == set(codes)
        assert client.get("/").status_code == 200

    def test_the_key_stays_the_same_until_it_is_confirmed(self, client, leader):
        sign_in(client, leader)
        first = client.get(reverse("two_step_set_up")).context["secret"]
        assert client.get(reverse("two_step_set_up")).context["secret"] == first


class TestSigningIn:
    def test_someone_with_an_app_gives_a_code_after_the_password(self, client, teacher):
        sign_in(client, teacher)
        set_up(client, teacher)
        client.post(reverse("logout"))

        sign_in(client, teacher)  # a teacher who chose it is asked too
        asked = client.get("/meetings/")
        assert asked["Location"] == f"{reverse('two_step_code')}?next=/meetings/"
        app = TOTPDevice.objects.get(user=teacher)
        app.last_t = -1
        app.save()
        given = client.post(asked["Location"], {"code": code_now(app), "next": "/meetings/"})

        assert given["Location"] == "/meetings/"
        assert client.get("/meetings/").status_code == 200

    def test_a_wrong_code_then_a_quick_retry_is_told_to_wait(self, client, leader):
        sign_in(client, leader)
        set_up(client, leader)
        client.post(reverse("logout"))
        sign_in(client, leader)
        app = TOTPDevice.objects.get(user=leader)

        first = client.post(reverse("two_step_code"), {"code": wrong(app)})
        second = client.post(reverse("two_step_code"), {"code": code_now(app)})

        assert "That code is not right" in first.text
        assert "Too many wrong codes: wait" in second.text
        assert client.get("/").status_code == 302

    def test_a_recovery_code_signs_in_once(self, client, leader):
        sign_in(client, leader)
        codes = set_up(client, leader)
        client.post(reverse("logout"))

        sign_in(client, leader)
        used = client.post(reverse("two_step_code"), {"code": codes[0].upper()}, follow=True)
        assert "You used a recovery code: 9 left." in used.text
        client.post(reverse("logout"))
        sign_in(client, leader)
        again = client.post(reverse("two_step_code"), {"code": codes[0]})

        assert "That code is not right" in again.text

    def test_the_next_address_must_be_on_this_site(self, client, leader):
        sign_in(client, leader)
        set_up(client, leader)
        client.post(reverse("logout"))
        sign_in(client, leader)
        app = TOTPDevice.objects.get(user=leader)
        app.last_t = -1
        app.save()

        given = client.post(
            reverse("two_step_code"), {"code": code_now(app), "next": "https://evil.example/"}
        )

        assert given["Location"] == reverse("home")


class TestManaging:
    def test_new_recovery_codes_replace_the_old(self, client, leader):
        sign_in(client, leader)
        old = set_up(client, leader)

        new = client.post(reverse("two_step_new_codes")).context["codes"]

        assert not set(old) & set(new)
        assert set(StaticToken.objects.values_list("token", flat=True)) == set(new)

    def test_the_page_says_how_many_codes_are_left(self, client, leader):
        sign_in(client, leader)
        set_up(client, leader)
        assert "You have 10 recovery codes left." in client.get(reverse("two_step")).text

    def test_a_teacher_turns_it_off_with_a_code(self, client, teacher):
        sign_in(client, teacher)
        codes = set_up(client, teacher)

        app = TOTPDevice.objects.get(user=teacher)
        refused = client.post(reverse("two_step_off"), {"code": wrong(app), "then": "off"})
        assert TOTPDevice.objects.filter(user=teacher).exists()
        done = client.post(reverse("two_step_off"), {"code": codes[3], "then": "off"})

        assert refused["Location"] == done["Location"] == reverse("two_step")
        assert not TOTPDevice.objects.filter(user=teacher).exists()
        assert not StaticToken.objects.exists()

    def test_a_leader_cannot_turn_it_off_only_move_to_a_new_phone(self, client, leader):
        sign_in(client, leader)
        codes = set_up(client, leader)

        off = client.post(reverse("two_step_off"), {"code": codes[0], "then": "off"})
        assert TOTPDevice.objects.filter(user=leader, confirmed=True).exists()
        moved = client.post(reverse("two_step_off"), {"code": codes[1], "then": "set_up"})

        assert off["Location"] == reverse("two_step")
        assert moved["Location"] == reverse("two_step_set_up")

    def test_the_old_phone_works_until_the_new_one_gives_a_right_code(self, client, leader):
        sign_in(client, leader)
        old_codes = set_up(client, leader)
        old = TOTPDevice.objects.get(user=leader, confirmed=True)
        client.post(reverse("two_step_off"), {"code": old_codes[0], "then": "set_up"})

        client.get(reverse("two_step_set_up"))  # set-up abandoned here: the old app still works
        assert TOTPDevice.objects.filter(pk=old.pk, confirmed=True).exists()
        new = TOTPDevice.objects.get(user=leader, confirmed=False)
        new_codes = client.post(reverse("two_step_set_up"), {"code": code_now(new)}).context[
            "codes"
        ]

        assert list(TOTPDevice.objects.filter(user=leader)) == [new]
        assert TOTPDevice.objects.get(pk=new.pk).confirmed
        assert not set(old_codes) & set(new_codes)

    def test_signed_out_the_pages_ask_for_sign_in(self, client, today):
        for name in ["two_step", "two_step_code", "two_step_set_up"]:
            assert client.get(reverse(name))["Location"].startswith(reverse("login"))


def test_nothing_but_the_second_step_opens_even_a_page_with_the_same_short_name(client, leader):
    sign_in(client, leader)
    assert client.get(reverse("admin:logout"))["Location"].startswith(reverse("two_step_set_up"))


def test_the_service_admin_resets_a_lost_phone(client, leader, admin_user):
    sign_in(client, leader)
    set_up(client, leader)
    client.post(reverse("logout"))
    client.force_login(admin_user)
    session = client.session
    session.pop("two_step_owed")  # a superuser owes a second step too: as if given
    session.save()

    client.post(
        reverse("admin:progress_user_changelist"),
        {"action": "reset_two_step", "_selected_action": [leader.pk]},
    )

    assert not TOTPDevice.objects.filter(user=leader).exists()
    assert not StaticToken.objects.exists()

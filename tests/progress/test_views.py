import datetime as dt
import re

import pytest
from django.core import mail
from django.db import OperationalError, connection
from django.urls import reverse

from progress.models import AcademicYear, Role, User
from tests.factories import PASSWORD, AcademicYearFactory, UserFactory

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true"}


class TestLogin:
    def test_anonymous_visitors_are_sent_to_sign_in(self, client):
        response = client.get(reverse("home"))

        assert response.status_code == 302
        assert response["Location"] == f"{reverse('login')}?next=/"

    def test_signs_in_with_the_email_in_any_case(self, client):
        UserFactory(email="tom.bennett@oakfield.example")

        response = client.post(
            reverse("login"), {"username": "Tom.Bennett@Oakfield.example", "password": PASSWORD}
        )

        assert response.status_code == 302
        assert response["Location"] == reverse("home")

    def test_a_wrong_password_keeps_the_email_and_says_so(self, client):
        UserFactory(email="tom@school.example")

        response = client.post(
            reverse("login"), {"username": "tom@school.example", "password": "x"}
        )

        assert response.status_code == 200
        assert b"Please enter a correct e-mail address and password" in response.content
        assert b'value="tom@school.example"' in response.content

    def test_sign_out_is_a_post(self, client):
        client.force_login(UserFactory())

        response = client.post(reverse("logout"))

        assert response.status_code == 302
        assert "_auth_user_id" not in client.session


class TestPasswordReset:
    def test_sends_a_link_and_nothing_else(self, client):
        user = UserFactory(email="priya@school.example", display_name="Priya Sharma")

        response = client.post(reverse("password_reset"), {"email": "PRIYA@school.example"})

        assert response.status_code == 302
        assert len(mail.outbox) == 1
        message = mail.outbox[0]
        assert message.to == [user.email]
        assert message.subject == "Reset your Progress password"
        assert "http://testserver/accounts/reset/" in message.body

    def test_an_unknown_address_sends_nothing_but_looks_the_same(self, client):
        response = client.post(reverse("password_reset"), {"email": "nobody@school.example"})

        assert response.status_code == 302
        assert response["Location"] == reverse("password_reset_done")
        assert mail.outbox == []

    def test_the_link_sets_a_new_password(self, client):
        UserFactory(email="priya@school.example")
        client.post(reverse("password_reset"), {"email": "priya@school.example"})
        link = re.search(r"http://testserver(\S+)", mail.outbox[0].body).group(1)

        set_password_page = client.get(link, follow=True)
        new_password = "a-new-long-passphrase"
        client.post(
            set_password_page.redirect_chain[-1][0],
            {"new_password1": new_password, "new_password2": new_password},
        )

        client.logout()
        signed_in = client.post(
            reverse("login"), {"username": "priya@school.example", "password": new_password}
        )
        assert signed_in["Location"] == reverse("home")


class TestCalendar:
    def test_lists_only_this_schools_years(self, client):
        mine = AcademicYearFactory(start_year=2026)
        AcademicYearFactory(start_year=2024)  # another school
        client.force_login(UserFactory(school=mine.school, roles=[Role.TEACHER]))

        response = client.get(reverse("calendar"))

        assert response.status_code == 200
        assert list(response.context["years"]) == [mine]
        assert "2024/25" not in response.text
        assert "Change dates" not in response.text

    def test_those_who_manage_school_data_may_change_dates(self, client):
        year = AcademicYearFactory()
        client.force_login(UserFactory(school=year.school, roles=[Role.SCHOOL_ADMIN]))

        response = client.get(reverse("calendar"))

        assert reverse("academic_year_edit", args=[year.pk]) in response.text

    def test_queries_do_not_grow_with_years(self, client, django_assert_max_num_queries):
        year = AcademicYearFactory(start_year=2020)
        for start_year in range(2021, 2027):
            AcademicYearFactory(school=year.school, start_year=start_year)
        client.force_login(UserFactory(school=year.school))

        # session, user, school, roles, years, half-terms
        with django_assert_max_num_queries(6):
            client.get(reverse("calendar"))


def form_data(year: AcademicYear, **changes) -> dict:
    data = {"version": year.version}
    for half_term in year.half_terms.all():
        data[f"starts_{half_term.number}"] = half_term.starts_on.isoformat()
        data[f"ends_{half_term.number}"] = half_term.ends_on.isoformat()
    return data | changes


class TestAcademicYearEdit:
    @pytest.fixture
    def year(self):
        return AcademicYearFactory(start_year=2026)

    @pytest.fixture
    def leader(self, year):
        return UserFactory(school=year.school, roles=[Role.SENIOR_LEADER])

    def url(self, year):
        return reverse("academic_year_edit", args=[year.pk])

    def test_a_leader_sees_the_dates(self, client, year, leader):
        client.force_login(leader)

        response = client.get(self.url(year))

        assert response.status_code == 200
        assert 'value="2026-09-02"' in response.text

    @pytest.mark.parametrize("role", [Role.TEACHER, Role.SENCO, Role.TEACHING_ASSISTANT])
    def test_others_in_the_school_may_not(self, client, year, role):
        client.force_login(UserFactory(school=year.school, roles=[role]))

        assert client.get(self.url(year)).status_code == 403
        assert client.post(self.url(year), form_data(year)).status_code == 403

    def test_another_schools_leader_gets_not_found(self, client, year):
        client.force_login(UserFactory(roles=[Role.SENIOR_LEADER]))

        assert client.get(self.url(year)).status_code == 404
        assert client.post(self.url(year), form_data(year)).status_code == 404

    def test_saving_redirects_to_the_calendar(self, client, year, leader):
        client.force_login(leader)

        response = client.post(self.url(year), form_data(year, starts_1="2026-09-03"))

        assert response.status_code == 302
        assert response["Location"] == reverse("calendar")
        assert year.half_terms.get(number=1).starts_on == dt.date(2026, 9, 3)

    def test_saving_with_htmx_returns_the_form_fragment(self, client, year, leader):
        client.force_login(leader)

        response = client.post(self.url(year), form_data(year, starts_1="2026-09-03"), headers=HTMX)

        assert response.status_code == 200
        assert response.text.lstrip().startswith('<form id="calendar-form"')
        assert "Saved the half-term dates for 2026/27." in response.text
        assert 'name="version" value="2"' in response.text
        assert response["Vary"] == "HX-Request, Cookie"

    def test_bad_dates_are_refused_with_reasons_and_kept(self, client, year, leader):
        client.force_login(leader)
        data = form_data(year, starts_1="2026-09-05", ends_2="2026-10-30", starts_3="2027-13-01")

        response = client.post(self.url(year), data, headers=HTMX)

        assert response.status_code == 422
        assert "5 Sep 2026 is a Saturday: choose a school day." in response.text
        assert "Autumn 2 cannot end before it starts (2 Nov 2026)." in response.text
        assert "Enter a valid date." in response.text
        assert 'value="2026-09-05"' in response.text
        assert 'value="2027-13-01"' in response.text
        assert year.half_terms.get(number=1).starts_on == dt.date(2026, 9, 2)

    def test_half_terms_must_not_overlap_or_leave_the_year(self, client, year, leader):
        client.force_login(leader)
        data = form_data(year, starts_2="2026-10-20", ends_6="2027-09-03")

        response = client.post(self.url(year), data)

        assert response.status_code == 422
        assert "Autumn 2 must start after Autumn 1 ends (23 Oct 2026)." in response.text
        assert "3 Sep 2027 is outside 2026/27 (1 Sep 2026 to 31 Aug 2027)." in response.text

    def test_a_clashing_edit_saves_nothing_and_keeps_what_was_typed(self, client, year, leader):
        client.force_login(leader)
        stale = form_data(year, starts_1="2026-09-03")
        client.post(self.url(year), form_data(year, ends_6="2027-07-21"))  # someone else first

        response = client.post(self.url(year), stale, headers=HTMX)

        assert response.status_code == 422
        assert "Someone else changed these dates while you were editing" in response.text
        assert 'value="2026-09-03"' in response.text
        assert year.half_terms.get(number=1).starts_on == dt.date(2026, 9, 2)
        assert year.half_terms.get(number=6).ends_on == dt.date(2027, 7, 21)


class TestAcademicYearCreate:
    def test_adds_the_year_after_the_latest(self, client, today):
        year = AcademicYearFactory(start_year=2026)
        client.force_login(UserFactory(school=year.school, roles=[Role.SCHOOL_ADMIN]))

        response = client.post(reverse("academic_year_create"))

        added = AcademicYear.objects.get(school=year.school, starts_on=dt.date(2027, 9, 1))
        assert response["Location"] == reverse("academic_year_edit", args=[added.pk])
        assert added.half_terms.count() == 6

    def test_adds_no_more_than_one_year_ahead(self, client, today):
        year = AcademicYearFactory(start_year=2027)
        client.force_login(UserFactory(school=year.school, roles=[Role.SENIOR_LEADER]))

        response = client.post(reverse("academic_year_create"), follow=True)

        assert "2027/28 is already set up" in response.text
        assert AcademicYear.objects.count() == 1

    def test_a_teacher_may_not(self, client):
        year = AcademicYearFactory()
        client.force_login(UserFactory(school=year.school, roles=[Role.TEACHER]))

        assert client.post(reverse("academic_year_create")).status_code == 403
        assert AcademicYear.objects.count() == 1

    def test_only_by_post(self, client):
        client.force_login(UserFactory(roles=[Role.SENIOR_LEADER]))

        assert client.get(reverse("academic_year_create")).status_code == 405


class TestHealthz:
    def test_ok_without_signing_in(self, client):
        response = client.get("/healthz")

        assert response.status_code == 200
        assert response.text == "ok"

    def test_503_when_the_database_does_not_answer(self, client, monkeypatch):
        def broken_cursor(*args, **kwargs):
            raise OperationalError("connection refused")

        monkeypatch.setattr(connection, "cursor", broken_cursor)

        response = client.get("/healthz")

        assert response.status_code == 503


class TestPages:
    def test_not_found_is_plain(self, client):
        client.force_login(UserFactory())

        response = client.get("/no-such-page/")

        assert response.status_code == 404
        assert "Page not found" in response.text
        assert "Traceback" not in response.text

    def test_server_error_page_renders_without_a_request(self):
        from django.template.loader import render_to_string

        assert "Something went wrong" in render_to_string("500.html")

    def test_scripts_carry_the_csp_nonce(self, client):
        client.force_login(UserFactory())

        response = client.get(reverse("home"))

        policy = response["Content-Security-Policy"]
        nonce = re.search(r"'nonce-([^']+)'", policy).group(1)
        assert "script-src 'self' 'nonce-" in policy
        assert response.text.count(f'nonce="{nonce}"') == 3  # htmx, Bootstrap, app.js
        assert "<script>" not in response.text

    def test_operators_without_a_school_see_an_empty_home(self, client):
        client.force_login(User.objects.create_superuser("ops@example.com", "pw", display_name="O"))

        assert client.get(reverse("home")).status_code == 200

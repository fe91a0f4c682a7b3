import datetime as dt

import pytest
from django.contrib.auth import authenticate
from django.db import IntegrityError
from django.test import RequestFactory

from progress.models import AcademicYear, HalfTerm, Holiday, Role, StaleEdit, User
from tests.factories import PASSWORD, AcademicYearFactory, SchoolFactory, UserFactory

# Sign-in is throttled per address (django-axes), so authenticating needs a request.
SIGN_IN = RequestFactory().post("/accounts/login/")
pytestmark = pytest.mark.django_db


class TestUser:
    def test_create_user_stores_the_email_in_lower_case(self):
        user = User.objects.create_user(
            "Sarah.Okafor@Oakfield.Example", "pw", display_name="S", school=SchoolFactory()
        )

        assert user.email == "sarah.okafor@oakfield.example"

    def test_signs_in_with_the_email_in_any_case(self):
        user = UserFactory(email="tom@school.example")

        assert authenticate(SIGN_IN, email="TOM@School.example", password=PASSWORD) == user

    def test_cannot_sign_in_when_inactive(self):
        UserFactory(email="gone@school.example", is_active=False)

        assert authenticate(SIGN_IN, email="gone@school.example", password=PASSWORD) is None

    def test_school_staff_must_belong_to_a_school(self):
        with pytest.raises(IntegrityError):
            User.objects.create_user("nobody@example.com", "pw", display_name="Nobody")

    def test_a_service_operator_may_have_no_school(self):
        operator = User.objects.create_superuser("ops@example.com", "pw", display_name="Ops")

        assert operator.school is None

    def test_set_roles_replaces_the_roles(self):
        user = UserFactory(roles=[Role.TEACHER, Role.SENCO])

        user.set_roles([Role.SENCO, Role.PASTORAL_LEAD])

        assert user.roles == {Role.SENCO, Role.PASTORAL_LEAD}
        assert User.objects.get(pk=user.pk).role_labels() == ["SENCO", "Pastoral lead"]

    @pytest.mark.parametrize(
        ("role", "is_leader", "manages_school_data"),
        [
            (Role.SENIOR_LEADER, True, True),
            (Role.SENCO, True, False),
            (Role.PASTORAL_LEAD, True, False),
            (Role.ATTENDANCE_LEAD, True, False),
            (Role.PUPIL_PREMIUM_LEAD, True, False),
            (Role.TEACHER, False, False),
            (Role.TEACHING_ASSISTANT, False, False),
            (Role.SCHOOL_ADMIN, False, True),
        ],
    )
    def test_what_each_role_may_do(self, role, is_leader, manages_school_data):
        user = UserFactory(roles=[role])

        assert user.is_leader is is_leader
        assert user.manages_school_data is manages_school_data

    def test_with_role(self):
        senco = UserFactory(roles=[Role.SENCO, Role.TEACHER])
        UserFactory(school=senco.school, roles=[Role.TEACHER])

        assert list(User.objects.with_role(Role.SENCO)) == [senco]


class TestForUser:
    def test_staff_see_only_their_own_school(self):
        me = UserFactory()
        colleague = UserFactory(school=me.school)
        UserFactory()  # another school

        assert set(User.objects.for_user(me)) == {me, colleague}

    def test_school_years_are_scoped_to_the_school(self):
        mine = AcademicYearFactory()
        AcademicYearFactory()
        me = UserFactory(school=mine.school)

        assert list(AcademicYear.objects.for_user(me)) == [mine]
        assert set(HalfTerm.objects.for_user(me)) == set(mine.half_terms.all())

    def test_a_user_without_a_school_sees_nothing(self):
        AcademicYearFactory()
        operator = User.objects.create_superuser("ops@example.com", "pw", display_name="Ops")

        assert not AcademicYear.objects.for_user(operator).exists()

    def test_an_anonymous_user_sees_nothing(self):
        from django.contrib.auth.models import AnonymousUser

        AcademicYearFactory()

        assert not AcademicYear.objects.for_user(AnonymousUser()).exists()


class TestAcademicYear:
    def test_create_standard_makes_six_half_terms_of_the_same_school(self):
        school = SchoolFactory()

        year = AcademicYear.objects.create_standard(school=school, start_year=2026)

        assert year.name == "2026/27"
        assert (year.starts_on, year.ends_on) == (dt.date(2026, 9, 1), dt.date(2027, 8, 31))
        assert [h.name for h in year.half_terms.all()] == [
            "Autumn 1", "Autumn 2", "Spring 1", "Spring 2", "Summer 1", "Summer 2",
        ]  # fmt: skip
        assert {h.school_id for h in year.half_terms.all()} == {school.pk}

    def test_one_year_per_school_and_start(self):
        year = AcademicYearFactory()

        with pytest.raises(IntegrityError):
            AcademicYear.objects.create_standard(school=year.school, start_year=2026)

    def test_terms_and_holidays_puts_a_holiday_between_half_terms(self):
        year = AcademicYear.objects.prefetch_related("half_terms").get(pk=AcademicYearFactory().pk)

        blocks = year.terms_and_holidays()

        assert len(blocks) == 11
        assert blocks[1] == Holiday(dt.date(2026, 10, 24), dt.date(2026, 11, 1))

    def test_set_half_term_dates_saves_and_moves_the_version_on(self):
        year = AcademicYearFactory()
        dates = {h.number: (h.starts_on, h.ends_on) for h in year.half_terms.all()}
        dates[1] = (dt.date(2026, 9, 3), dt.date(2026, 10, 23))

        year.set_half_term_dates(dates, version=1)

        year.refresh_from_db()
        assert year.version == 2
        assert year.half_terms.get(number=1).starts_on == dt.date(2026, 9, 3)

    def test_set_half_term_dates_refuses_a_stale_version_and_writes_nothing(self):
        year = AcademicYearFactory()
        dates = {h.number: (h.starts_on, h.ends_on) for h in year.half_terms.all()}
        year.set_half_term_dates(dates, version=1)  # someone else saved first
        dates[1] = (dt.date(2026, 9, 3), dt.date(2026, 10, 23))

        with pytest.raises(StaleEdit):
            year.set_half_term_dates(dates, version=1)

        assert year.half_terms.get(number=1).starts_on == dt.date(2026, 9, 2)


class TestHalfTerm:
    def test_week_of_counts_from_the_first_week(self):
        autumn_1 = AcademicYearFactory().half_terms.get(number=1)  # Wed 2 Sep 2026

        assert autumn_1.week_of(dt.date(2026, 9, 2)) == 1
        assert autumn_1.week_of(dt.date(2026, 9, 6)) == 1
        assert autumn_1.week_of(dt.date(2026, 9, 7)) == 2

    def test_school_days_left_counts_weekdays_including_today(self):
        autumn_1 = AcademicYearFactory().half_terms.get(number=1)  # ends Fri 23 Oct 2026

        assert autumn_1.school_days_left(dt.date(2026, 10, 23)) == 1
        assert autumn_1.school_days_left(dt.date(2026, 10, 17)) == 5  # from a Saturday
        assert autumn_1.school_days_left(dt.date(2026, 10, 24)) == 0


class TestSchoolDays:
    """When a school is open, from its calendar: 2026/27's standard half-terms."""

    @pytest.fixture
    def school(self):
        return AcademicYearFactory(start_year=2026).school

    @pytest.mark.parametrize(
        ("meeting", "expected"),
        [
            (dt.date(2026, 11, 30), dt.date(2026, 11, 26)),  # a Monday: the Thursday before
            (dt.date(2026, 11, 2), dt.date(2026, 10, 22)),  # first day after October half-term
            (dt.date(2027, 1, 4), dt.date(2026, 12, 17)),  # first day after Christmas
            (dt.date(2026, 12, 2), dt.date(2026, 11, 30)),  # a Wednesday: the Monday
        ],
    )
    def test_two_school_days_before(self, school, meeting, expected):
        assert school.school_day_before(meeting, count=2) == expected

    @pytest.mark.parametrize(
        ("day", "expected"),
        [
            (dt.date(2026, 11, 23), dt.date(2026, 11, 23)),  # open: the day itself
            (dt.date(2026, 11, 28), dt.date(2026, 11, 30)),  # a Saturday
            (dt.date(2026, 12, 21), dt.date(2027, 1, 4)),  # the Christmas holiday
            (dt.date(2027, 7, 23), dt.date(2027, 9, 1)),  # the summer, next year not entered
        ],
    )
    def test_the_next_school_day(self, school, day, expected):
        assert school.next_school_day(day) == expected

    def test_with_no_calendar_every_weekday_counts_and_the_year_is_missing(self):
        school = SchoolFactory()

        days = school.school_days(dt.date(2026, 12, 18), dt.date(2026, 12, 22))

        assert sorted(days) == [dt.date(2026, 12, 18), dt.date(2026, 12, 21), dt.date(2026, 12, 22)]
        assert days.missing_year(dt.date(2026, 12, 19)) == "2026/27"
        assert school.school_day_before(dt.date(2027, 1, 4), count=2) == dt.date(2026, 12, 31)

    def test_a_year_in_the_calendar_is_not_missing(self, school):
        days = school.school_days(dt.date(2027, 8, 30), dt.date(2027, 9, 2))

        assert sorted(days) == [dt.date(2027, 9, 1), dt.date(2027, 9, 2)]  # 2027/28 unknown
        assert days.missing_year(dt.date(2027, 8, 31)) == ""
        assert days.missing_year(dt.date(2027, 9, 1)) == "2027/28"

    def test_one_query_however_long(self, school, django_assert_num_queries):
        with django_assert_num_queries(1):
            school.school_days(dt.date(2026, 9, 1), dt.date(2027, 8, 31))

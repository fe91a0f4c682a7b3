import datetime as dt

import pytest
from django.urls import reverse

from progress.models import Role
from tests.conftest import at_school_time
from tests.factories import AcademicYearFactory, ActionFactory, UserFactory

pytestmark = pytest.mark.django_db


class TestHome:
    @pytest.mark.parametrize(
        ("roles", "shown", "hidden"),
        [
            ([Role.SENIOR_LEADER], ["Meetings to organise", "Staff accounts by role"], ["Summaries to complete"]),
            ([Role.SENCO], ["Meetings to organise", "Staff accounts by role"], ["Summaries to complete"]),
            ([Role.TEACHER], ["Summaries to complete", "Actions you own"], ["Meetings to organise", "Staff accounts by role"]),
            ([Role.TEACHING_ASSISTANT], ["Actions you own"], ["Summaries to complete", "Meetings to organise"]),
            ([Role.SCHOOL_ADMIN], ["Staff accounts by role"], ["Meetings to organise", "Summaries to complete"]),
            ([Role.PASTORAL_LEAD, Role.TEACHER], ["Meetings to organise", "Summaries to complete"], []),
        ],
    )  # fmt: skip
    def test_shows_what_each_role_does_next(self, client, roles, shown, hidden):
        client.force_login(UserFactory(roles=roles))

        response = client.get(reverse("home"))

        assert response.status_code == 200
        for text in shown:
            assert text in response.text
        for text in hidden:
            assert text not in response.text

    def test_shows_the_half_term_and_week(self, client, today):
        year = AcademicYearFactory(start_year=2026)
        client.force_login(UserFactory(school=year.school))

        response = client.get(reverse("home"))

        assert "Autumn 2 2026/27</strong>, week 4." in response.text
        assert "20 school days left" in response.text

    def test_overdue_and_due_soon_as_the_action_log_counts_them(self, client, today):
        leader = UserFactory(roles=[Role.SENIOR_LEADER])
        for days in (-1, 0, 7, 8):  # yesterday, today, a week ahead, a day beyond
            ActionFactory(
                school=leader.school, owner=leader, review_on=today + dt.timedelta(days=days)
            )
        client.force_login(leader)

        response = client.get(reverse("home"))

        assert "1 overdue for review.</p>" in response.text
        assert '?due=overdue">1 overdue for review</a>' in response.text
        assert '?due=soon">2 due within 7 days</a>' in response.text

    def test_in_a_holiday_names_the_next_half_term(self, client, time_machine):
        time_machine.move_to(at_school_time(dt.date(2026, 12, 24)), tick=False)
        year = AcademicYearFactory(start_year=2026)
        client.force_login(UserFactory(school=year.school))

        response = client.get(reverse("home"))

        assert "School holiday. Spring 1 starts on Monday 4 Jan 2027." in response.text

    def test_counts_only_this_schools_staff(self, client):
        leader = UserFactory(roles=[Role.SENIOR_LEADER])
        UserFactory.create_batch(3, school=leader.school, roles=[Role.TEACHER])
        UserFactory.create_batch(5, roles=[Role.TEACHER])  # another school

        client.force_login(leader)

        response = client.get(reverse("home"))

        assert ("Teacher", 3) in response.context["staff_by_role"]

    @pytest.mark.parametrize(
        ("day", "queries"),
        [
            (dt.date(2026, 11, 23), 12),  # in term: the half-term and its week
            (dt.date(2026, 12, 24), 13),  # in a holiday: one more, for the next half-term
        ],
    )
    def test_queries_do_not_grow_with_staff(
        self, client, django_assert_max_num_queries, time_machine, day, queries
    ):
        time_machine.move_to(at_school_time(day), tick=False)
        leader = UserFactory(roles=[Role.SENIOR_LEADER])
        AcademicYearFactory(school=leader.school)
        UserFactory.create_batch(30, school=leader.school)
        client.force_login(leader)

        # session, user, school, roles, half-term, meetings, summaries, my actions (2),
        # the school's overdue and due counts, staff by role
        with django_assert_max_num_queries(queries):
            client.get(reverse("home"))

"""The demo is believable on any date: loaded on days that break naive date arithmetic (the
summer holiday, the day before term, the first school day, half-terms, Christmas, Easter, the
last days of the summer term, 29 February), it keeps the story it tells on a plain school day."""

import contextlib
import datetime as dt
import os

import pytest
import time_machine
from django.core.management import call_command
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone

from actions.models import Action, Review
from meetings.demo import YEAR_ROUND_PLACE
from meetings.effectiveness import repeated_concerns
from meetings.models import Meeting
from meetings.shortlist import REPEATED, propose
from progress.models import AcademicYear, School, User
from pupils import facts
from pupils.models import (
    AssessmentPoint,
    AttendanceMark,
    AttendanceSummary,
    BehaviourIncident,
    Characteristics,
    Intervention,
    InterventionPlace,
    MissedTopic,
    Pupil,
)
from tests.conftest import at_school_time

pytestmark = pytest.mark.django_db

DATES = [
    dt.date(2026, 8, 15),  # a Saturday in the summer holiday
    dt.date(2026, 9, 1),  # the year has begun, term has not
    dt.date(2026, 9, 2),  # the first school day of the year
    dt.date(2026, 10, 26),  # October half-term
    dt.date(2026, 11, 23),  # an ordinary Monday in term
    dt.date(2026, 12, 24),  # the Christmas holiday
    dt.date(2027, 1, 4),  # the first day of a half-term
    dt.date(2027, 4, 1),  # the Easter holiday
    dt.date(2027, 7, 19),  # the last week of the summer term
    dt.date(2027, 7, 22),  # the last school day of the year
    dt.date(2028, 2, 29),
]


@pytest.fixture(
    scope="module",
    params=[pytest.param(None, id="today")]
    + [pytest.param(day, id=day.isoformat(), marks=pytest.mark.demo_dates) for day in DATES],
)
def demo_day(request, django_db_setup, django_db_blocker):
    """The demo loaded on a date, which stays today while its tests run; "today" is whatever the
    run takes as today (the real date, or PROGRESS_TEST_DATE). Rolled back afterwards, which is
    quicker than deleting it. Its foreign keys are checked once here: else PostgreSQL checks all
    of them again at the end of every test, which the test's rollback then undoes."""
    with contextlib.ExitStack() as stack:
        if request.param:
            stack.enter_context(time_machine.travel(at_school_time(request.param), tick=False))
        stack.enter_context(django_db_blocker.unblock())
        stack.enter_context(transaction.atomic())
        call_command("seed_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
        connection.check_constraints()
        yield timezone.localdate()
        transaction.set_rollback(True)


def is_school_day(school, day: dt.date) -> bool:
    return day in school.school_days(day, day)


def school_days_between(school, first: dt.date, last: dt.date) -> int:
    """School days after `first`, up to and including `last`."""
    return len(school.school_days(first + dt.timedelta(days=1), last))


def story_meetings():
    """The meetings the demo's story is about: not the rest of the year's, which are there for
    the year's view (`meetings.demo.YEAR_ROUND`)."""
    return Meeting.objects.exclude(place=YEAR_ROUND_PLACE)


def year_6_meeting() -> Meeting:
    return story_meetings().get(school__urn="999101", status__in=Meeting.PREPARING)


def tyler() -> Pupil:
    return Pupil.objects.get(legal_forename="Tyler", legal_surname="Brennan")


class TestDemoOnAnyDate:
    def test_meetings_and_their_deadlines_fall_on_school_days(self, demo_day):
        for meeting in Meeting.objects.select_related("school"):
            assert is_school_day(meeting.school, meeting.date), meeting.date
            assert is_school_day(meeting.school, meeting.summaries_due), meeting.summaries_due
            assert meeting.summaries_due < meeting.date

    def test_the_coming_meetings_are_a_few_school_days_ahead(self, demo_day):
        coming = story_meetings().exclude(status=Meeting.Status.CLOSED).select_related("school")
        assert coming.count() == 2
        for meeting in coming:
            ahead = school_days_between(meeting.school, demo_day, meeting.date)
            assert 1 <= ahead <= 7
            if ahead > 1:  # a school day is left for the summaries before the meeting
                assert meeting.summaries_due > demo_day

    def test_the_finished_meeting_was_held_some_school_weeks_ago(self, demo_day):
        finished = story_meetings().select_related("school").get(status=Meeting.Status.CLOSED)
        assert is_school_day(finished.school, finished.date)
        assert 20 <= school_days_between(finished.school, finished.date, demo_day) <= 30
        assert timezone.localtime(finished.closed_at).date() == finished.date

    def test_the_year_6_meeting_has_tyler_a_group_and_previous_actions_due(self, demo_day):
        meeting = year_6_meeting()
        items = list(meeting.items.prefetch_related("group_pupils"))
        assert tyler() in [item.pupil for item in items]
        (group,) = [item for item in items if not item.pupil_id]
        assert group.group_name == "6N fractions group"
        assert len(group.group_pupils.all()) >= 2
        assert {p.groups.get(kind="registration").name for p in group.group_pupils.all()} == {"6N"}
        due = list(meeting.previous_actions())
        assert len(due) == 4
        assert sum(action.review_on < demo_day for action in due) == 2  # overdue
        assert all(action.review_on <= meeting.date for action in due)

    def test_every_review_date_is_a_school_day(self, demo_day):
        oakfield = School.objects.get(urn="999101")
        for action in Action.objects.all():
            assert is_school_day(oakfield, action.review_on), action.review_on
        for intervention in Intervention.objects.exclude(review_on=None).select_related("school"):
            assert is_school_day(intervention.school, intervention.review_on), intervention
        plans = Characteristics.objects.exclude(send_plan_review_on=None).select_related("school")
        assert plans.exists()
        for record in plans:
            assert is_school_day(record.school, record.send_plan_review_on)

    def test_nothing_but_meetings_reviews_and_plans_is_after_today(self, demo_day):
        now = timezone.now()
        assert AttendanceMark.objects.latest("date").date < demo_day
        assert not AttendanceSummary.objects.filter(ends_on__gte=demo_day).exists()
        assert not AssessmentPoint.objects.filter(date__gt=demo_day).exists()
        assert not BehaviourIncident.objects.filter(date__gte=demo_day).exists()
        assert not InterventionPlace.objects.filter(starts_on__gt=demo_day).exists()
        assert not InterventionPlace.objects.filter(ends_on__gt=demo_day).exists()
        assert not Action.objects.filter(created_at__gt=now).exists()
        assert not Review.objects.filter(reviewed_at__gt=now).exists()

    def test_pupils_are_in_the_year_groups_of_the_year_shown(self, demo_day):
        """The year the coming meetings fall in: the one in progress, or in the summer holiday
        the one about to start. Every pupil has that year's census record."""
        oakfield = School.objects.get(urn="999101")
        years = AcademicYear.objects.filter(school=oakfield)
        shown = years.containing(year_6_meeting().date).get()
        this_year = years.containing(demo_day).get()
        school_left = oakfield.school_days(demo_day + dt.timedelta(days=1), this_year.ends_on)
        assert shown == (
            this_year
            if school_left
            else years.get(starts_on=this_year.ends_on + dt.timedelta(days=1))
        )
        assert tyler().year_group == 6
        records = Characteristics.objects.filter(academic_year__starts_on=shown.starts_on)
        assert records.count() == Pupil.objects.count()

    def test_registers_show_tylers_mondays_and_fridays_over_the_last_six_weeks(self, demo_day):
        pupil = tyler()
        oakfield = pupil.school
        six_weeks = sorted(oakfield.school_days(demo_day - dt.timedelta(weeks=20), demo_day))
        six_weeks = [day for day in six_weeks if day < demo_day][-30:]
        marks = AttendanceMark.objects.filter(pupil=pupil, date__in=six_weeks)
        assert {mark.date for mark in marks} == set(six_weeks)
        recent = facts.attendance_between(
            Pupil.objects.filter(pk=pupil.pk), six_weeks[0], six_weeks[-1]
        )[pupil.pk]
        assert 80 <= recent.percent <= 92
        assert set(recent.absences_by_weekday) == {1, 5}  # Mondays and Fridays only

    def test_tylers_maths_fell_from_exs_to_wts(self, demo_day):
        maths = list(tyler().results.filter(subject="Maths").order_by("point__date"))
        assert [result.step.code for result in maths[-2:]] == ["EXS", "WTS"]
        assert MissedTopic.objects.filter(result=maths[-1], topic="Fractions").exists()

    def test_the_demo_users_pages_tell_the_story(self, client, demo_day):
        meeting, pupil = year_6_meeting(), tyler()
        leader = User.objects.get(email="leader@oakfield.example")
        client.force_login(leader)
        pages = {
            reverse("home"): "Meetings to organise",
            reverse("meetings:meeting_detail", args=[meeting.pk]): "4 previous actions due",
            reverse("meetings:meeting_live", args=[meeting.pk]): "The meeting has not started.",
            reverse("pupils:pupil_detail", args=[pupil.pk]): "maths fell from EXS to WTS",
            reverse("action_log") + "?due=overdue": "Attendance lead meets parents",
            reverse("calendar"): "Half-terms and holidays",
        }
        for url, text in pages.items():
            response = client.get(url)
            assert response.status_code == 200, url
            assert text in response.text, url
        client.force_login(User.objects.get(email="attendance@oakfield.example"))
        mine = client.get(reverse("actions:my_actions"))
        heading, overdue, _ = mine.context["sections"][0]
        assert heading == "Overdue for review"
        assert [action.pupil for action in overdue] == [pupil]
        client.force_login(User.objects.get(email="teacher@riverside.example"))
        assert "Summaries to complete" in client.get(reverse("home")).text

    def test_several_pupils_in_one_class_missed_fair_testing(self, demo_day):
        for school, group in (("999101", "5N"), ("999102", "8C")):
            missed = MissedTopic.objects.filter(
                result__pupil__groups__name=group,
                result__school__urn=school,
                topic="Variables and fair testing",
            )
            assert missed.count() >= 5, group

    def test_the_years_view_shows_year_groups_met_scheduled_and_overdue(self, client, demo_day):
        """Oakfield's year of meetings (`meetings.demo.YEAR_ROUND`): the monthly early-reading
        series has slipped, so it is always overdue; Year 5 has had no meeting this year, so it
        is overdue once the autumn term has ended; the other year groups have met or are
        scheduled."""
        client.force_login(User.objects.get(email="leader@oakfield.example"))
        view = client.get(reverse("meetings:year_view")).context["view"]
        standings = {row.label: row.standing for row in view.year_groups}
        series = {row.series.name: row.standing.label for row in view.series}
        assert series["Early reading, Years 1 and 2"] == "Overdue"
        autumn_over = view.terms[0].ends_on < demo_day
        assert standings["Year 5"].label == ("Overdue" if autumn_over else "Due this term")
        kinds = {standing.kind for label, standing in standings.items() if label != "Year 5"}
        assert kinds <= {"met", "scheduled", "due"}
        assert kinds & {"met", "scheduled"}

    def test_tylers_attendance_is_a_repeated_concern_the_coming_meeting_proposes(
        self, client, demo_day
    ):
        """Raised at the two meetings of his series before the story's and at the story's,
        never with positive impact (`meetings.effectiveness`): the Year 6 meeting's shortlist
        proposes him with it, and the figures of the story's half-term count its seven
        actions."""
        leader = User.objects.get(email="leader@oakfield.example")
        (concern,) = repeated_concerns(leader, on=demo_day)
        assert (concern.pupil, concern.category, len(concern.meetings)) == (
            tyler(),
            "attendance",
            3,
        )
        assert concern.next_meeting == year_6_meeting()
        proposals = {p.pupil: p for p in propose(meeting=year_6_meeting(), on=demo_day)}
        assert REPEATED in proposals[tyler()].reasons
        story = story_meetings().get(status=Meeting.Status.CLOSED)
        client.force_login(leader)
        for period in ("half-term", "last-half-term", "term", "year", "last-year"):
            report = client.get(reverse("meetings:meetings_working"), {"period": period})
            assert report.status_code == 200
            rows = report.context["report"].meetings
            if story in [row.meetings[0].meeting for row in rows]:
                break
        (row,) = [row for row in rows if row.meetings[0].meeting == story]
        assert row.figures["agreed"].count == 7
        assert row.figures["reviewed"].count == 3

"""The rhythm of meetings (`meetings/rhythm.py`): how often each year group is expected to meet
and where it stands, the school's year of meetings, and the next meeting of a series proposed.

The school year is 2026/27 on the standard calendar: Autumn 1 Wed 2 Sep to Fri 23 Oct, Autumn 2
Mon 2 Nov to Fri 18 Dec, Spring 1 Mon 4 Jan to Fri 12 Feb, Spring 2 Mon 22 Feb to Fri 19 Mar,
Summer 1 Mon 5 Apr to Fri 28 May, Summer 2 Mon 7 Jun to Thu 22 Jul; 2027/28's Spring 1 starts
on Tuesday 4 January 2028."""

import datetime as dt
import html

import pytest
from django.urls import reverse

from actions.models import Action
from meetings import rhythm
from meetings.focus import Focus
from meetings.models import Item, Meeting, Series
from progress.models import Role
from tests.conftest import at_school_time
from tests.factories import (
    AcademicYearFactory,
    ActionFactory,
    GroupFactory,
    MeetingFactory,
    PupilFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db
CLOSED, SCHEDULED = Meeting.Status.CLOSED, Meeting.Status.SCHEDULED
D = dt.date


@pytest.fixture
def year(today):
    return AcademicYearFactory(start_year=2026)


@pytest.fixture
def school(year):
    return year.school


@pytest.fixture
def leader(school):
    return UserFactory(school=school, roles=[Role.SENIOR_LEADER])


def standing(year, meetings, on: dt.date, *, exam: bool = False):
    """Where a year group covered by `meetings` stands on `on`: a termly one, or an exam year."""
    if exam:
        return rhythm.standing(
            meetings=meetings, periods=rhythm.half_terms(year), on=on, unit="half-term"
        )
    return rhythm.standing(meetings=meetings, periods=rhythm.terms(year), on=on, unit="term")


def held(day: dt.date) -> Meeting:
    return Meeting(date=day, status=CLOSED)


def planned(day: dt.date) -> Meeting:
    return Meeting(date=day, status=SCHEDULED)


class TestTheSchoolsExpectation:
    def test_exam_years_meet_half_termly_and_the_others_termly(self):
        for year_group in (6, 11, 13):
            assert rhythm.expected_cadence(year_group) == Series.Cadence.HALF_TERMLY
        for year_group in (0, 1, 5, 7, 10, 12):
            assert rhythm.expected_cadence(year_group) == Series.Cadence.TERMLY

    def test_a_meeting_with_an_exam_year_keeps_its_cadence(self):
        assert rhythm.cadence_for([5, 6]) == Series.Cadence.HALF_TERMLY
        assert rhythm.cadence_for([3, 4]) == Series.Cadence.TERMLY
        assert rhythm.cadence_for([]) == Series.Cadence.TERMLY


class TestYearGroupStanding:
    def test_met_this_term_once_a_meeting_covering_it_has_started(self, year):
        assert standing(year, [held(D(2026, 10, 14))], D(2026, 11, 23)) == rhythm.Standing(
            "met", "Met this term", "held 14 Oct"
        )
        running = Meeting(date=D(2026, 11, 23), status=Meeting.Status.RUNNING)
        assert standing(year, [running], D(2026, 11, 23)).label == "Met this term"

    def test_scheduled_until_its_day_then_no_longer(self, year):
        coming = [planned(D(2026, 11, 30))]
        assert standing(year, coming, D(2026, 11, 23)).label == "Scheduled: 30 Nov"
        assert standing(year, coming, D(2026, 11, 30)).label == "Scheduled: 30 Nov"
        assert standing(year, coming, D(2026, 12, 1)).label == "Due this term"  # never started

    def test_due_with_ten_school_days_left_and_overdue_with_nine(self, year):
        assert standing(year, [], D(2026, 12, 7)) == rhythm.Standing(
            "due", "Due this term", "10 school days left, to 18 Dec"
        )
        assert standing(year, [], D(2026, 12, 8)) == rhythm.Standing(
            "overdue", "Overdue", "9 school days left and none scheduled"
        )
        assert standing(year, [], D(2026, 12, 18)).why == "1 school day left and none scheduled"

    def test_a_meeting_scheduled_in_the_last_days_is_not_overdue(self, year):
        assert standing(year, [planned(D(2026, 12, 16))], D(2026, 12, 14)).label == (
            "Scheduled: 16 Dec"
        )

    def test_overdue_from_the_first_day_of_a_term_after_one_without_a_meeting(self, year):
        assert standing(year, [], D(2027, 1, 4)) == rhythm.Standing(
            "overdue", "Overdue", "none held in Autumn term and none scheduled"
        )
        assert standing(year, [held(D(2026, 10, 14))], D(2027, 1, 4)).label == "Due this term"
        # A meeting that was planned but never started is no meeting.
        assert standing(year, [planned(D(2026, 12, 9))], D(2027, 1, 4)).label == "Overdue"

    def test_a_meeting_counts_for_its_own_term_only(self, year):
        last_day = [held(D(2026, 12, 18))]
        assert standing(year, last_day, D(2026, 12, 18)).label == "Met this term"
        assert standing(year, last_day, D(2027, 1, 4)).label == "Due this term"

    def test_in_a_holiday_the_term_to_come_is_judged(self, year):
        autumn = [held(D(2026, 10, 14))]
        assert standing(year, autumn, D(2026, 12, 24)) == rhythm.Standing(
            "due", "Due this term", "50 school days left, to 19 Mar"
        )
        assert standing(year, [], D(2026, 12, 24)).label == "Overdue"
        # October half-term is inside the autumn term.
        assert standing(year, [], D(2026, 10, 28)).why == "35 school days left, to 18 Dec"

    def test_the_first_term_of_a_year_is_never_overdue_for_the_year_before(self, year):
        assert standing(year, [], D(2026, 9, 2)).label == "Due this term"

    def test_an_exam_year_is_judged_by_the_half_term(self, year):
        autumn_1 = [held(D(2026, 10, 14))]
        assert standing(year, autumn_1, D(2026, 11, 23), exam=True) == rhythm.Standing(
            "due", "Due this half-term", "20 school days left, to 18 Dec"
        )
        assert standing(year, [], D(2026, 11, 23), exam=True) == rhythm.Standing(
            "overdue", "Overdue", "none held in Autumn 1 and none scheduled"
        )
        assert standing(year, autumn_1, D(2026, 10, 20), exam=True).label == "Met this half-term"
        assert standing(year, autumn_1, D(2026, 11, 23)).label == "Met this term"  # termly

    def test_nothing_is_judged_once_the_year_is_over(self, year):
        assert standing(year, [], D(2027, 8, 1)) is None


class TestCoverage:
    @pytest.fixture
    def classes(self, school):
        return {
            name: GroupFactory(school=school, name=name, year_group=int(name[0]))
            for name in ("5N", "5S", "6N", "6S")
        }

    def test_a_whole_school_meeting_covers_every_year_group_and_class(self, school, classes):
        whole = MeetingFactory(school=school, year_groups=[])
        assert rhythm.years_covered(whole, every=frozenset({0, 5, 6})) == {0, 5, 6}
        assert rhythm.classes_covered(whole, groups=list(classes.values())) == {
            group.pk for group in classes.values()
        }

    def test_a_class_meeting_covers_its_class_and_counts_for_its_year_group(self, school, classes):
        meeting = MeetingFactory(school=school, year_groups=[])
        meeting.groups.set([classes["6N"]], through_defaults={"school": meeting.school})
        assert rhythm.years_covered(meeting, every=frozenset({5, 6})) == {6}
        assert rhythm.classes_covered(meeting, groups=list(classes.values())) == {classes["6N"].pk}

    def test_a_year_group_meeting_covers_its_classes(self, school, classes):
        meeting = MeetingFactory(school=school, year_groups=[5, 6])
        assert rhythm.years_covered(meeting, every=frozenset({0, 5, 6})) == {5, 6}
        assert rhythm.classes_covered(meeting, groups=list(classes.values())) == {
            group.pk for group in classes.values()
        }


class TestNextDate:
    @pytest.fixture
    def calendar(self, school):
        AcademicYearFactory(school=school, start_year=2027)
        return rhythm.Calendar.of(school, first=D(2026, 9, 1), last=D(2028, 8, 31))

    def next_date(self, calendar, day, cadence):
        return rhythm.next_date(last=day, cadence=cadence, calendar=calendar)

    def test_termly_is_the_same_week_and_weekday_of_the_next_term(self, calendar):
        # Thursday of week 4 of Autumn 1: Thursday of week 4 of Spring 1.
        assert self.next_date(calendar, D(2026, 9, 24), "termly") == D(2027, 1, 28)

    def test_half_termly_is_the_same_week_and_weekday_of_the_next_half_term(self, calendar):
        assert self.next_date(calendar, D(2026, 9, 24), "half_termly") == D(2026, 11, 26)

    def test_a_week_the_next_half_term_does_not_have_gives_its_last_school_day(self, calendar):
        # Week 7 of Autumn 1; Spring 1 has six weeks.
        assert self.next_date(calendar, D(2026, 10, 15), "termly") == D(2027, 2, 12)
        assert self.next_date(calendar, D(2026, 12, 17), "half_termly") == D(2027, 2, 12)

    def test_a_day_before_the_next_half_term_starts_gives_its_first(self, calendar):
        # Monday of week 1 of Autumn 2 2027; Spring 1 2028 starts on a Tuesday.
        assert self.next_date(calendar, D(2027, 11, 1), "half_termly") == D(2028, 1, 4)

    def test_fortnightly_and_monthly_count_school_days_over_the_holidays(self, calendar):
        assert self.next_date(calendar, D(2026, 12, 10), "fortnightly") == D(2027, 1, 7)
        assert self.next_date(calendar, D(2026, 12, 3), "monthly") == D(2027, 1, 14)
        assert self.next_date(calendar, D(2026, 9, 24), "monthly") == D(2026, 10, 22)

    def test_the_summer_term_leads_to_next_years_autumn(self, calendar):
        assert self.next_date(calendar, D(2027, 6, 10), "termly") == D(2027, 11, 4)
        assert self.next_date(calendar, D(2027, 6, 10), "half_termly") == D(2027, 9, 2)

    def test_without_next_years_dates_a_term_is_thirteen_weeks_on_a_weekday(self, school):
        calendar = rhythm.Calendar.of(school, first=D(2026, 9, 1), last=D(2028, 8, 31))
        assert self.next_date(calendar, D(2027, 6, 10), "termly") == D(2027, 9, 9)
        assert self.next_date(calendar, D(2027, 7, 15), "half_termly") == D(2027, 9, 2)

    def test_every_next_date_is_a_school_day(self, school, calendar):
        open_days = school.school_days(D(2026, 9, 1), D(2028, 8, 31))
        for day in sorted(school.school_days(D(2026, 9, 1), D(2027, 8, 31))):
            for cadence in Series.Cadence:
                found = self.next_date(calendar, day, cadence)
                assert found in open_days, (day, cadence, found)
                assert found > day


class TestSeriesStanding:
    def test_overdue_once_its_date_has_passed_with_nothing_scheduled(self):
        on = D(2026, 11, 23)
        assert rhythm.series_standing(due_on=D(2026, 11, 20), scheduled_on=None, on=on) == (
            rhythm.Standing("overdue", "Overdue", "due 20 Nov by its cadence")
        )
        assert rhythm.series_standing(due_on=on, scheduled_on=None, on=on).label == "Due today"
        assert rhythm.series_standing(due_on=D(2026, 12, 1), scheduled_on=None, on=on).label == (
            "Due 1 Dec"
        )
        assert rhythm.series_standing(
            due_on=D(2026, 11, 20), scheduled_on=D(2026, 12, 2), on=on
        ).label == ("Scheduled: 2 Dec")
        assert rhythm.series_standing(due_on=None, scheduled_on=None, on=on).label == (
            "No meeting held yet"
        )


def words(response) -> str:
    """The page's HTML with its entities read and its white space as single spaces."""
    return " ".join(html.unescape(response.text).split())


def a_meeting(school, day: dt.date, years: list[int], *, status=CLOSED, **fields) -> Meeting:
    return MeetingFactory(school=school, date=day, year_groups=years, status=status, **fields)


class TestYearView:
    URL = reverse("meetings:year_view")

    @pytest.fixture
    def pupils(self, school):
        for year_group in (3, 4, 5, 6):
            PupilFactory(school=school, year_group=year_group)
            GroupFactory(school=school, name=f"{year_group}N", year_group=year_group)

    def rows(self, response) -> dict:
        return {row.label: row.standing.label for row in response.context["view"].year_groups}

    def test_a_leader_sees_which_year_groups_have_met_this_term(
        self, client, school, leader, pupils
    ):
        a_meeting(school, D(2026, 10, 14), [4, 6])
        a_meeting(school, D(2026, 12, 2), [3], status=SCHEDULED)
        client.force_login(leader)

        response = client.get(self.URL)

        assert response.status_code == 200
        assert self.rows(response) == {
            "Year 3": "Scheduled: 2 Dec",
            "Year 4": "Met this term",
            "Year 5": "Due this term",
            "Year 6": "Due this half-term",  # an exam year: it met in Autumn 1
        }
        assert "Met this term" in response.text
        assert "2026/27" in response.text

    def test_a_whole_school_meeting_covers_every_year_group(self, client, school, leader, pupils):
        a_meeting(school, D(2026, 11, 10), [])
        client.force_login(leader)

        rows = self.rows(client.get(self.URL))

        assert rows == {
            "Year 3": "Met this term",
            "Year 4": "Met this term",
            "Year 5": "Met this term",
            "Year 6": "Met this half-term",
        }

    def test_a_term_ended_without_a_meeting_is_overdue_and_shown_missed(
        self, client, school, leader, pupils, time_machine
    ):
        a_meeting(school, D(2026, 10, 14), [3, 4, 6])
        time_machine.move_to(at_school_time(D(2027, 1, 11)), tick=False)
        client.force_login(leader)

        response = client.get(self.URL)

        rows = {row.label: row for row in response.context["view"].year_groups}
        assert rows["Year 5"].standing.label == "Overdue"
        assert rows["Year 5"].cells[0].missed == ["None held"]
        assert rows["Year 6"].cells[0].missed == ["Autumn 2: none held"]
        assert rows["Year 3"].standing.label == "Due this term"

    def test_classes_and_subjects_covered_and_classes_without(self, client, school, leader, pupils):
        a_meeting(school, D(2026, 10, 14), [4], subject="Maths")
        class_meeting = a_meeting(school, D(2026, 11, 4), [])
        class_meeting.groups.set(
            [school.groups.get(name="6N")], through_defaults={"school": class_meeting.school}
        )
        client.force_login(leader)

        response = client.get(self.URL)

        view = response.context["view"]
        assert [group.name for group in view.classes_without] == ["3N", "5N"]
        assert "2 of 4 classes and sets have had no meeting this year: 3N, 5N." in words(response)
        assert [row.subject for row in view.subjects] == ["Maths"]
        assert view.no_subject == 1

    def test_a_series_is_overdue_once_its_date_has_passed_with_nothing_scheduled(
        self, client, school, leader, pupils
    ):
        reading = Series.objects.create(school=school, name="Reading", cadence="monthly")
        last = a_meeting(school, D(2026, 9, 24), [3], series=reading)
        termly = Series.objects.create(school=school, name="Year 4 termly")
        a_meeting(school, D(2026, 10, 15), [4], series=termly)
        coming = Series.objects.create(school=school, name="Year 6", cadence="half_termly")
        a_meeting(school, D(2026, 10, 15), [6], series=coming)
        a_meeting(school, D(2026, 11, 30), [6], series=coming, status=SCHEDULED)
        client.force_login(leader)

        response = client.get(self.URL)

        series = {row.series.name: row for row in response.context["view"].series}
        assert series["Reading"].due_on == D(2026, 10, 22)
        assert series["Reading"].standing.label == "Overdue"
        assert series["Year 4 termly"].standing.label == "Due 12 Feb"
        assert series["Year 6"].standing.label == "Scheduled: 30 Nov"
        next_meeting = reverse("meetings:meeting_create") + f"?after={last.pk}"
        assert f'href="{next_meeting}">Schedule the next meeting' in response.text

    def test_another_school_year_is_chosen_by_the_year_it_starts(self, client, school, leader):
        AcademicYearFactory(school=school, start_year=2025)
        a_meeting(school, D(2026, 3, 4), [5])
        client.force_login(leader)

        response = client.get(self.URL, {"year": "2025"})

        assert response.status_code == 200
        view = response.context["view"]
        assert view.year.name == "2025/26"
        assert view.current is None  # a year over: no standing this term
        assert [row.label for row in view.year_groups] == ["Year 5"]
        assert client.get(self.URL, {"year": "1999"}).status_code == 404
        assert client.get(self.URL, {"year": "next"}).status_code == 404

    def test_without_a_calendar_it_says_so(self, client, today):
        leader = UserFactory(roles=[Role.SENIOR_LEADER])
        client.force_login(leader)

        response = client.get(self.URL)

        assert response.status_code == 200
        assert "No school year is in the calendar yet." in response.text

    @pytest.mark.parametrize("role", [Role.TEACHER, Role.HEAD_OF_YEAR, Role.SCHOOL_ADMIN])
    def test_only_leaders_see_the_whole_schools_year(self, client, school, role):
        client.force_login(UserFactory(school=school, roles=[role]))
        assert client.get(self.URL).status_code == 403

    def test_a_leader_of_another_school_sees_only_their_own(self, client, school, pupils):
        a_meeting(school, D(2026, 10, 14), [4])
        other = AcademicYearFactory(start_year=2026).school
        client.force_login(UserFactory(school=other, roles=[Role.SENIOR_LEADER]))

        response = client.get(self.URL)

        assert response.status_code == 200
        assert response.context["view"].year_groups == []
        assert "Met this term" not in response.text

    def test_it_costs_the_same_queries_for_few_or_many_meetings(
        self, client, school, leader, pupils, django_assert_num_queries
    ):
        def meetings(count: int) -> None:
            for n in range(count):
                series = Series.objects.create(school=school, name=f"Series {n}-{count}")
                meeting = a_meeting(school, D(2026, 9, 9) + dt.timedelta(weeks=n % 12), [3 + n % 4])
                meeting.series = series
                meeting.save(update_fields=["series"])
                meeting.groups.set(
                    [school.groups.get(name=f"{3 + n % 4}N")],
                    through_defaults={"school": meeting.school},
                )

        client.force_login(leader)
        meetings(2)
        with django_assert_num_queries(YEAR_VIEW_QUERIES):
            assert client.get(self.URL).status_code == 200
        meetings(20)
        with django_assert_num_queries(YEAR_VIEW_QUERIES):
            assert client.get(self.URL).status_code == 200


YEAR_VIEW_QUERIES = 12


class TestNextMeetingProposed:
    @pytest.fixture
    def series(self, school):
        return Series.objects.create(
            school=school, name="Year 6 half-termly", cadence="half_termly"
        )

    @pytest.fixture
    def last(self, school, series):
        """Held on the Thursday of week 7 of Autumn 1: the next falls on Thursday 17 December,
        week 7 of Autumn 2."""
        meeting = a_meeting(
            school, D(2026, 10, 15), [6], series=series, place="Library", subject="Maths",
            purpose="Which Year 6 pupils need what next in maths?",
        )  # fmt: skip
        return meeting

    def url(self, meeting) -> str:
        return reverse("meetings:meeting_create") + f"?after={meeting.pk}"

    def test_the_form_is_filled_from_the_last_meeting(self, client, leader, last):
        client.force_login(leader)

        response = client.get(self.url(last))

        assert response.status_code == 200
        initial = response.context["form"].initial
        chair = last.attendees.get(role="chair").user
        recorder = last.attendees.get(role="recorder").user
        assert {name: initial[name] for name in (
            "focus", "purpose", "year_groups", "subject", "date", "starts_at", "length", "place",
            "chair", "recorder", "series_name", "series_cadence",
        )} == {
            "focus": Focus.AT_RISK, "purpose": "Which Year 6 pupils need what next in maths?",
            "year_groups": [6], "subject": "Maths", "date": D(2026, 12, 17),
            "starts_at": dt.time(15, 45), "length": 45, "place": "Library", "chair": chair,
            "recorder": recorder, "series_name": "Year 6 half-termly",
            "series_cadence": "half_termly",
        }  # fmt: skip
        assert set(initial["attendees"]) == {chair, recorder}
        assert "Proposed for <strong>Thursday 17 December 2026</strong>" in response.text
        assert 'value="2026-12-17"' in response.text
        assert "the same week of the next half-term as the meeting on 15 Oct" in response.text

    def test_carried_forward_the_series_open_actions_due_by_then_and_parked_items(
        self, client, school, leader, series, last
    ):
        earlier = a_meeting(school, D(2026, 9, 17), [6], series=series)
        due = [
            ActionFactory(school=school, meeting=last, review_on=D(2026, 12, 7)),
            ActionFactory(school=school, meeting=last, review_on=D(2026, 12, 17)),
            ActionFactory(school=school, meeting=earlier, review_on=D(2026, 11, 30)),
        ]
        ActionFactory(school=school, meeting=last, review_on=D(2027, 1, 11))  # after it
        ActionFactory(
            school=school, meeting=last, review_on=D(2026, 12, 7), status=Action.Status.COMPLETED
        )
        ActionFactory(school=school, meeting=a_meeting(school, D(2026, 10, 14), [6]))  # no series
        parked = Item.objects.create(
            school=school, meeting=last, pupil=PupilFactory(school=school), reason="maths fell",
            parked_at=dt.datetime(2026, 10, 15, 16, 20, tzinfo=dt.UTC), parked_note="Out of time",
        )  # fmt: skip
        Item.objects.create(
            school=school, meeting=last, pupil=PupilFactory(school=school), reason="discussed"
        )
        client.force_login(leader)

        response = client.get(self.url(last))

        proposal = response.context["proposal"]
        assert proposal.actions == sorted(due, key=lambda action: action.review_on)
        assert proposal.parked == [parked]
        text = words(response)
        assert (
            "<strong>Carried forward:</strong> 3 open actions due for review by then, 1 parked "
            "item."
        ) in text
        for action in due:
            assert action.pupil.name in text
        assert f"Parked: {parked.pupil.name}: Out of time" in text

    def test_a_date_the_cadence_has_passed_is_proposed_a_week_from_today(
        self, client, school, leader
    ):
        reading = Series.objects.create(school=school, name="Reading", cadence="monthly")
        last = a_meeting(school, D(2026, 9, 24), [3], series=reading)
        client.force_login(leader)

        response = client.get(self.url(last))

        assert response.context["form"].initial["date"] == D(2026, 11, 30)
        assert "by its cadence it was due on 22 Oct; a week from today leaves" in response.text

    def test_the_next_lands_on_a_school_day_after_the_holiday(self, client, school, leader):
        fortnightly = Series.objects.create(school=school, name="Y6", cadence="fortnightly")
        last = a_meeting(school, D(2026, 12, 10), [6], series=fortnightly, status=SCHEDULED)
        client.force_login(leader)

        assert client.get(self.url(last)).context["form"].initial["date"] == D(2027, 1, 7)

    def test_a_meeting_without_a_series_proposes_by_its_year_groups(self, client, school, leader):
        last = a_meeting(school, D(2026, 10, 15), [5, 6])
        client.force_login(leader)

        response = client.get(self.url(last))

        assert response.context["proposal"].cadence == Series.Cadence.HALF_TERMLY
        assert response.context["form"].initial["series_name"] == ""

    def test_scheduling_it_keeps_the_series_and_its_cadence(self, client, school, leader, last):
        PupilFactory(school=school, year_group=6)
        client.force_login(leader)
        form = client.get(self.url(last)).context["form"]
        data = {
            "focus": form.initial["focus"], "purpose": form.initial["purpose"],
            "year_groups": ["6"], "date": "2026-12-17", "starts_at": "15:45", "length": "45",
            "series_name": "Year 6 half-termly", "series_cadence": "half_termly",
            "chair": form.initial["chair"].pk, "recorder": form.initial["recorder"].pk,
        }  # fmt: skip

        response = client.post(self.url(last), data)

        assert response.status_code == 302, response.context["form"].errors
        made = Meeting.objects.get(date=D(2026, 12, 17))
        assert made.series == last.series
        assert Series.objects.get(pk=last.series_id).cadence == "half_termly"

    def test_a_teacher_may_not(self, client, school, last):
        client.force_login(UserFactory(school=school, roles=[Role.TEACHER]))
        assert client.get(self.url(last)).status_code == 403

    def test_another_schools_meeting_is_not_found(self, client, last):
        other = AcademicYearFactory(start_year=2026).school
        client.force_login(UserFactory(school=other, roles=[Role.SENIOR_LEADER]))
        assert client.get(self.url(last)).status_code == 404
        url = reverse("meetings:meeting_create")
        assert client.get(url, {"after": "x"}).status_code == 404

    def test_a_closed_or_past_meeting_offers_to_schedule_the_next(
        self, client, school, leader, last
    ):
        coming = a_meeting(school, D(2026, 12, 17), [6], status=SCHEDULED, series=last.series)
        client.force_login(leader)

        assert self.url(last) in client.get(last.get_absolute_url()).text
        assert "?after=" not in client.get(coming.get_absolute_url()).text
        teacher = UserFactory(school=school, roles=[Role.TEACHER])
        last.attendees.create(school=school, user=teacher)
        client.force_login(teacher)
        assert "?after=" not in client.get(last.get_absolute_url()).text


class TestTheSeriesCadenceOnTheForm:
    def data(self, school, **changes) -> dict:
        chair = UserFactory(school=school, roles=[Role.SENIOR_LEADER])
        recorder = UserFactory(school=school, roles=[Role.SENCO])
        return {
            "focus": Focus.AT_RISK, "purpose": "Which Year 6 pupils need what next in maths?",
            "year_groups": ["6"], "date": "2026-11-30", "starts_at": "15:45", "length": "45",
            "series_name": "Year 6 half-termly", "chair": chair.pk, "recorder": recorder.pk,
        } | changes  # fmt: skip

    @pytest.fixture
    def on_roll(self, school):
        PupilFactory(school=school, year_group=6)

    def test_a_new_series_takes_the_cadence_chosen(self, client, school, leader, on_roll):
        client.force_login(leader)

        response = client.post(
            reverse("meetings:meeting_create"),
            self.data(school, series_cadence="half_termly"),
        )

        assert response.status_code == 302
        assert Series.objects.get(name="Year 6 half-termly").cadence == "half_termly"

    def test_an_existing_series_keeps_its_cadence_unless_another_is_chosen(
        self, client, school, leader, on_roll
    ):
        series = Series.objects.create(school=school, name="Year 6 half-termly", cadence="monthly")
        client.force_login(leader)

        client.post(reverse("meetings:meeting_create"), self.data(school, series_cadence="termly"))
        series.refresh_from_db()
        assert series.cadence == "monthly"  # the form's default is no choice

        meeting = Meeting.objects.get(series=series)
        edit = reverse("meetings:meeting_edit", args=[meeting.pk])
        assert client.get(edit).context["form"].initial["series_cadence"] == "monthly"
        client.post(edit, self.data(school, series_cadence="fortnightly", version=meeting.version))
        series.refresh_from_db()
        assert series.cadence == "fortnightly"

    def test_the_help_says_what_to_choose(self, client, leader):
        client.force_login(leader)
        text = client.get(reverse("meetings:meeting_create")).text
        assert "How often the series meets" in text
        assert "half-termly or more often for exam years (Year 6, Year 11, Year 13)" in text

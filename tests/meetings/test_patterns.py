import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from meetings import patterns
from meetings.models import Meeting, Summary
from pupils.models import (
    AssessmentPoint,
    AttendanceMark,
    BehaviourIncident,
    Characteristics,
    MissedTopic,
    Result,
)
from tests.factories import AcademicYearFactory, MeetingFactory, PupilFactory, pupil_with_maths

pytestmark = pytest.mark.django_db
ON = dt.date(2026, 11, 23)


@pytest.fixture
def year(today):
    return AcademicYearFactory(start_year=2026)


def meeting_about(year, pupils):
    meeting = MeetingFactory(school=year.school, year_groups=[6])
    meeting.confirm_shortlist(
        by=meeting.created_by, pupils=[(p, "r") for p in pupils], groups=[], over_cap_reason="x"
    )
    return meeting, list(meeting.items.select_related("pupil", "summary"))


def texts(meeting, items) -> list[str]:
    return [p.text for p in patterns.find(meeting=meeting, items=items, on=ON)]


def test_the_same_gap_type_in_several_summaries(year):
    pupils = [pupil_with_maths(year.school, year, year_group=6) for _ in range(3)]
    meeting, items = meeting_about(year, pupils)
    Summary.objects.filter(item__in=items[:2]).update(gap=Summary.Gap.FLUENCY)
    items = list(meeting.items.select_related("pupil", "summary"))  # the summaries as saved

    assert "2 teachers' summaries say the gap is mainly fluency." in texts(meeting, items)


def test_the_same_topic_missed_by_several_pupils(year):
    pupils = [pupil_with_maths(year.school, year, year_group=6) for _ in range(3)]
    AssessmentPoint.objects.filter(name="Point 1").update(date=dt.date(2026, 11, 9))
    for pupil in pupils[:2]:
        latest = Result.objects.filter(pupil=pupil).latest("point__date")
        MissedTopic.objects.create(school=year.school, result=latest, topic="Fractions")
    meeting, items = meeting_about(year, pupils)

    found = patterns.find(meeting=meeting, items=items, on=ON)

    topic = next(p for p in found if p.topic == "Assessment")
    assert topic.text.startswith("2 of 3 pupils missed fractions in maths this half-term")
    assert set(topic.pupils) == {pupils[0].name, pupils[1].name}


def test_absences_on_the_same_weekdays(year):
    pupils = [pupil_with_maths(year.school, year, year_group=6) for _ in range(2)]
    marks = []
    for day in (dt.date(2026, 11, 2) + dt.timedelta(days=n) for n in range(19)):
        if day.weekday() >= 5:
            continue
        for pupil in pupils:
            code = "O" if day.weekday() == 0 else "/"
            marks += [AttendanceMark(school=year.school, pupil=pupil, date=day, session=s, code=code) for s in ("AM", "PM")]  # fmt: skip
    AttendanceMark.objects.bulk_create(marks)
    meeting, items = meeting_about(year, pupils)

    assert "12 of the 12 absences this half-term fell on Mondays." in texts(meeting, items)


def test_absences_in_the_first_days_of_a_half_term_are_no_weekday_pattern(year):
    pupils = [pupil_with_maths(year.school, year, year_group=6) for _ in range(2)]
    AttendanceMark.objects.bulk_create(
        AttendanceMark(school=year.school, pupil=pupil, date=day, session=session, code="O")
        for pupil in pupils
        for day in (dt.date(2026, 11, 2), dt.date(2026, 11, 3))
        for session in ("AM", "PM")
    )  # eight absences, all on the only two weekdays the half-term has had
    meeting, items = meeting_about(year, pupils)

    found = patterns.find(meeting=meeting, items=items, on=dt.date(2026, 11, 3))

    assert [p for p in found if p.topic == "Attendance"] == []


def test_pupil_premium_over_represented_against_the_scope(year):
    pupils = [
        pupil_with_maths(year.school, year, year_group=6, census={"pupil_premium": True})
        for _ in range(2)
    ]
    for _ in range(8):  # the rest of Year 6, none pupil premium
        pupil = PupilFactory(school=year.school, year_group=6)
        Characteristics.objects.create(school=year.school, pupil=pupil, academic_year=year)
    meeting, items = meeting_about(year, pupils)

    assert "Pupil premium pupils are 2 of the 2 here (100%), against 20% of Year 6." in texts(
        meeting, items
    )


def test_behaviour_clustered_in_one_lesson(year):
    pupils = [pupil_with_maths(year.school, year, year_group=6) for _ in range(2)]
    for day in range(4):
        BehaviourIncident.objects.create(
            school=year.school, pupil=pupils[day % 2], date=dt.date(2026, 11, 9 + day),
            lesson="P5", kind="Disruption",
        )  # fmt: skip
    meeting, items = meeting_about(year, pupils)

    assert "4 of the 4 behaviour incidents this half-term were in one lesson: P5." in texts(
        meeting, items
    )


def test_nothing_in_common_is_no_pattern(year):
    pupils = [pupil_with_maths(year.school, year, year_group=6) for _ in range(2)]
    meeting, items = meeting_about(year, pupils)

    assert texts(meeting, items) == []


def test_the_queries_do_not_grow_with_the_pupils(year):
    def queries_for(count: int) -> int:
        pupils = [pupil_with_maths(year.school, year, year_group=6) for _ in range(count)]
        meeting, items = meeting_about(year, pupils)
        meeting = Meeting.objects.get(pk=meeting.pk)  # as a request finds it, settings unread
        with CaptureQueriesContext(connection) as captured:
            patterns.find(meeting=meeting, items=items, on=ON)
        return len(captured)

    assert queries_for(2) == queries_for(7)

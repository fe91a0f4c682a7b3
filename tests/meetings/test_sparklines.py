"""Pictures where decisions are made (#16): the pupil's absences by weekday and each subject's
results over time, drawn on the live screen, the review of an action and the meeting pack, from
the data each shows, at no cost in queries."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from meetings.agenda import Section
from meetings.models import Meeting, Summary, summary_data
from progress.models import Role
from pupils import charts
from pupils.models import AttendanceMark
from tests.factories import (
    AcademicYearFactory,
    ActionFactory,
    MeetingFactory,
    UserFactory,
    pupil_with_a_pattern,
)

pytestmark = pytest.mark.django_db
HTMX = {"HX-Request": "true"}
WEEKDAYS = (
    'aria-label="Absence sessions by weekday this year: '
    'Monday 4, Tuesday 0, Wednesday 1, Thursday 0, Friday 3"'
)
TREND = 'aria-label="Maths: EXS, EXS, WTS"'


@pytest.fixture
def pupil(today):
    year = AcademicYearFactory(start_year=2026)
    return pupil_with_a_pattern(year.school, year)


@pytest.fixture
def teacher(pupil):
    return UserFactory(school=pupil.school, roles=[Role.TEACHER])


@pytest.fixture
def meeting(pupil, teacher):
    meeting = MeetingFactory(school=pupil.school, people=[teacher])
    meeting.confirm_shortlist(
        by=meeting.created_by, pupils=[(pupil, "maths fell")], groups=[], over_cap_reason=""
    )
    return meeting


@pytest.fixture
def due(meeting, pupil):
    """An action agreed for the pupil at last half-term's meeting, due for review now."""
    earlier = MeetingFactory(
        school=meeting.school, date=dt.date(2026, 10, 12), status=Meeting.Status.CLOSED
    )
    return ActionFactory(
        school=meeting.school, meeting=earlier, pupil=pupil, review_on=dt.date(2026, 11, 20),
        snapshot={"taken_on": "12 Oct 2026", "attendance": "97.0% this year",
                  "attainment": [{"subject": "Maths", "latest": "EXS (Point 1)"}]},
    )  # fmt: skip


def undrawn(monkeypatch) -> None:
    """Progress as it was before the pictures: the data has no figures to draw."""
    monkeypatch.setattr(charts, "weekday_counts", lambda attendance: None)
    monkeypatch.setattr(charts, "trend_figures", lambda subject: None)


def chair_of(meeting):
    return meeting.attendees.get(role="chair").user


def fragment_in(client, meeting, section: Section, *, as_user=None) -> str:
    """The live fragment at `section`, as the chair (or `as_user`) sees it."""
    client.force_login(chair_of(meeting))
    client.post(reverse("meetings:meeting_start", args=[meeting.pk]))
    Meeting.objects.filter(pk=meeting.pk).update(section=section)
    client.force_login(as_user or chair_of(meeting))
    return client.get(reverse("meetings:meeting_live_state", args=[meeting.pk]), headers=HTMX).text


class TestTheLiveScreen:
    def test_the_pupil_under_discussion_is_drawn_for_the_chair_and_an_attendee(
        self, client, meeting, teacher
    ):
        for person in (chair_of(meeting), teacher):
            page = fragment_in(client, meeting, Section.PUPILS, as_user=person)

            assert WEEKDAYS in page
            assert TREND in page
            assert page.count('role="img"') == 2

    def test_they_cost_the_fragment_no_query(self, client, meeting, monkeypatch):
        fragment_in(client, meeting, Section.PUPILS)
        url = reverse("meetings:meeting_live_state", args=[meeting.pk])

        def queries() -> tuple[int, bool]:
            with CaptureQueriesContext(connection) as captured:
                page = client.get(url, headers=HTMX).text
            return len(captured), TREND in page

        drawn = queries()
        undrawn(monkeypatch)

        assert drawn == (queries()[0], True)

    def test_a_ready_summarys_pictures_are_of_the_data_its_teacher_saw(
        self, client, meeting, pupil, today
    ):
        Summary.objects.update(status="ready", snapshot=summary_data(pupil=pupil, on=today))
        AttendanceMark.objects.filter(pupil=pupil, date=dt.date(2026, 9, 8)).update(code="N")

        page = fragment_in(client, meeting, Section.PUPILS)

        assert WEEKDAYS in page  # not the Tuesday absences recorded since

    def test_a_summary_kept_before_pictures_simply_has_none(self, client, meeting, pupil, today):
        kept = summary_data(pupil=pupil, on=today)
        del kept["weekday_absences"]
        for row in kept["attainment"]:
            del row["over_time"]
        Summary.objects.update(status="ready", snapshot=kept)

        page = fragment_in(client, meeting, Section.PUPILS)

        assert "EXS (Point 1)" in page
        assert 'role="img"' not in page
        assert "Over time" not in page

    def test_the_room_screen_leaves_them_to_the_summary(self, client, meeting):
        client.force_login(chair_of(meeting))
        client.post(reverse("meetings:meeting_start", args=[meeting.pk]))
        Meeting.objects.filter(pk=meeting.pk).update(section=Section.PUPILS)

        url = reverse("meetings:meeting_live_state", args=[meeting.pk])
        page = client.get(f"{url}?screen=room", headers=HTMX).text

        assert 'class="presenter' in page
        assert 'role="img"' not in page


class TestTheReview:
    def test_the_live_review_draws_the_pupil_now_beside_then_and_now(self, client, meeting, due):
        page = fragment_in(client, meeting, Section.REVIEW)

        assert "97.0% this year" in page  # then
        assert WEEKDAYS in page
        assert TREND in page

    def test_the_chairs_review_page_draws_them(self, client, meeting, due):
        fragment_in(client, meeting, Section.REVIEW)

        page = client.get(reverse("meetings:meeting_action_review", args=[meeting.pk, due.pk]))

        assert page.status_code == 200
        assert WEEKDAYS in page.text
        assert TREND in page.text

    def test_the_owners_review_page_draws_them(self, client, due):
        client.force_login(due.owner)

        page = client.get(reverse("actions:action_review", args=[due.pk])).text

        assert "Picture now" in page
        assert WEEKDAYS in page
        assert TREND in page


class TestThePack:
    def test_each_summary_page_draws_its_pupil(self, client, meeting, teacher, drawn_pdfs):
        client.force_login(teacher)

        response = client.get(reverse("meetings:meeting_pack", args=[meeting.pk]))

        assert response["Content-Type"] == "application/pdf"
        (pack,) = (document.html for document in drawn_pdfs)
        assert WEEKDAYS in pack
        assert TREND in pack

    def test_they_cost_the_pack_no_query(self, client, meeting, teacher, monkeypatch):
        client.force_login(teacher)
        url = reverse("meetings:meeting_pack", args=[meeting.pk])

        def queries() -> int:
            with CaptureQueriesContext(connection) as captured:
                assert client.get(url)["Content-Type"] == "application/pdf"
            return len(captured)

        drawn = queries()
        undrawn(monkeypatch)

        assert queries() == drawn

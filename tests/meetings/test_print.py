import datetime as dt

import pytest
from django.urls import reverse

from meetings.agenda import build_agenda
from meetings.models import Summary
from progress import pdf
from progress.models import Role
from tests.factories import MeetingFactory, PupilFactory, UserFactory

pytestmark = pytest.mark.django_db

WORDS = "Loses the thread of multi-step problems once a second operation is needed, and guesses. "


def longest(field: str) -> str:
    limit = Summary._meta.get_field(field).max_length
    return (WORDS * 20)[:limit]


def maximal_data() -> dict:
    """As much school data as a summary shows: eight subjects, three interventions."""
    return {
        "taken_on": "23 Nov 2026",
        "attainment": [
            {
                "subject": f"Subject {n}",
                "previous": "WTS (October 2026)",
                "latest": "EXS (November 2026)",
                "standing": "just below expected",
            }
            for n in range(8)
        ],
        "attendance": "86.8% this year, persistent absence; 12 late marks",
        "send": "EHC plan: Speech, language and communication needs then Social, emotional and mental health",
        "pupil_premium": True,
        "eal": True,
        "looked_after": "Previously looked after",
        "interventions": [
            f"Intervention with a long name number {n} since 14 Sep 2026 (entry: Reading age 8y 11m)"
            for n in range(3)
        ],
    }


@pytest.fixture
def summary():
    teacher = UserFactory(roles=[Role.TEACHER])
    meeting = MeetingFactory(school=teacher.school, date=dt.date(2026, 11, 30), people=[teacher])
    pupil = PupilFactory(
        school=teacher.school,
        legal_forename="Maximilian-Alexander",
        legal_surname="Featherstonehaugh-O’Connor",
    )
    meeting.confirm_shortlist(
        by=meeting.created_by, pupils=[(pupil, "maths fell")], groups=[], over_cap_reason=""
    )
    Summary.objects.filter(teacher=teacher).update(
        **{field: longest(field) for field in ("main_concern", "tried", "what_helped", "barrier", "next_step", "pupil_voice")},
        gap="knowledge", with_support="yes", breadth="across", status="ready",
    )  # fmt: skip
    return Summary.objects.select_related("item__pupil", "item__meeting", "teacher").get()


def test_a_maximal_summary_fits_one_a4_page(summary):
    meeting = summary.item.meeting
    context = {
        "meeting": meeting,
        "agenda": build_agenda(meeting=meeting, items=[summary.item]),
        "summaries": [(summary, maximal_data()), (summary, maximal_data())],
        "ready": 1,
        "asked": 1,
    }

    pages = pdf.document("meetings/meeting_pack.html", context).pages

    assert len(pages) == 3  # the agenda, then one page for each summary


def test_the_pack_downloads_as_a_pdf_for_an_attendee(client, summary):
    client.force_login(summary.teacher)

    response = client.get(reverse("meetings:meeting_pack", args=[summary.item.meeting.pk]))

    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert 'filename="meeting-pack-2026-11-30.pdf"' in response["Content-Disposition"]


def test_the_pack_is_not_found_for_a_teacher_not_attending(client, summary):
    client.force_login(UserFactory(school=summary.school, roles=[Role.TEACHER]))

    assert (
        client.get(reverse("meetings:meeting_pack", args=[summary.item.meeting.pk])).status_code
        == 404
    )

import datetime as dt

import pytest
from django.urls import reverse

from meetings.agenda import build_agenda
from meetings.focus import Focus
from meetings.models import Item, Summary
from progress import pdf
from progress.models import Role, User
from pupils.snapshot import missed_in_words
from tests.factories import MeetingFactory, PupilFactory, UserFactory

pytestmark = pytest.mark.django_db

WORDS = "Loses the thread of multi-step problems once a second operation is needed, and guesses. "


def longest(field: str) -> str:
    limit = Summary._meta.get_field(field).max_length
    return (WORDS * 20)[:limit]


def maximal_data() -> dict:
    """As much school data as a summary shows: eight subjects with long names, each with missed
    topics and effort; behaviour; three interventions and two open actions."""
    return {
        "taken_on": "23 Nov 2026",
        "attainment": [
            {
                "subject": f"Design and technology {n}",
                "previous": "WTS (October 2026)",
                "latest": "EXS (November 2026)",
                "standing": "just below expected",
                "missed": missed_in_words(
                    ["Adding unlike fractions", "Place value", *["Ratio"] * 13]
                ),
                # Its sparkline: as many results as one draws, up and down the scale.
                "over_time": {
                    "codes": ["PKS", "WTS", "EXS", "GDS", "EXS", "WTS", "EXS"],
                    "positions": [0, 1, 2, 3, 2, 1, 2],
                    "expected": 2,
                },
            }
            for n in range(8)
        ],
        "weekday_absences": [12, 0, 3, 1, 14],
        "missed_topics": [f"Design and technology {n}: Adding unlike fractions" for n in range(8)],
        # The longest attendance wording, which pushes the absences by weekday to a line of their own.
        "attendance": "88.1% last year, persistent absence; too early to judge this year (18 sessions)",
        "send": "EHC plan: Speech, language and communication needs then Social, emotional and mental health",
        "pupil_premium": True,
        "eal": True,
        "looked_after": "Previously looked after",
        "interventions": [
            f"Intervention with a long name number {n} since 14 Sep 2026 (entry: Reading age 8y 11m)"
            for n in range(3)
        ],
        # Effort for every subject, and behaviour as long as a summary words it.
        "effort": [
            {"subject": f"Design and technology {n}", "grade": 4, "words": "a cause for concern"}
            for n in range(8)
        ],
        "behaviour": {
            "counts": "12 incidents in the last 4 weeks, 11 in the 4 weeks before; 10 removals "
            "from lessons",
            "where": "14 of 23 at lunchtime and in Period 5 (7 each), 12 in Design and "
            "technology, 15 after lunch",
        },
        "send_review": "was due 14 Nov 2026",
        "open_actions": [
            f"{WORDS * 2} (Mrs Featherstonehaugh, review 7 Dec 2026)" for _ in range(2)
        ],
    }


@pytest.fixture(params=[Focus.AT_RISK, Focus.BEHAVIOUR])
def summary(request):
    teacher = UserFactory(roles=[Role.TEACHER])
    meeting = MeetingFactory(
        school=teacher.school, date=dt.date(2026, 11, 30), people=[teacher], focus=request.param
    )
    pupil = PupilFactory(
        school=teacher.school,
        legal_forename="Maximilian-Alexander",
        legal_surname="Featherstonehaugh-O’Connor",
    )
    meeting.confirm_shortlist(
        by=meeting.created_by, pupils=[(pupil, "maths fell")], groups=[], over_cap_reason=""
    )
    # Whoever prepares it has a long name, not a random one.
    User.objects.filter(school=teacher.school).update(
        display_name="Dr Christabel Featherstonehaugh-Montmorency-Smythe"
    )
    # Every word the teacher may write at its longest, whichever questions the item asks.
    Summary.objects.update(
        **{field: longest(field) for field in WORDS_ASKED},
        gap="knowledge", with_support="yes", breadth="across", reach="class", effort=4,
        status="ready",
    )  # fmt: skip
    return Summary.objects.select_related("item__pupil", "item__meeting", "teacher").get()


WORDS_ASKED = [
    "main_concern", "tried", "what_helped", "barrier", "next_step", "pupil_voice",
    "support_wanted", "what_is_working", "what_to_learn",
]  # fmt: skip


@pytest.mark.parametrize("doing_well", [False, True])
def test_a_maximal_summary_fits_one_a4_page(summary, doing_well):
    """With every word at its longest, and as much data as a summary shows: behaviour first in
    a behaviour meeting, effort, missed topics, the SEND plan's review date and the pictures
    (a trend for each subject, absences by weekday)."""
    Item.objects.filter(pk=summary.item_id).update(doing_well=doing_well)
    summary.item.doing_well = doing_well
    meeting = summary.item.meeting
    context = {
        "meeting": meeting,
        "agenda": build_agenda(meeting=meeting, items=[summary.item]),
        "summaries": [(summary, maximal_data()), (summary, maximal_data())],
        "ready": 1,
        "asked": 1,
    }

    document = pdf.document("meetings/meeting_pack.html", context)
    text = " ".join(" ".join(box.text for box in _text_boxes(document.pages[1]._page_box)).split())

    assert len(document.pages) == 3  # the agenda, then one page for each summary
    assert longest("pupil_voice")[-40:].strip() in text  # the last words, on the same page
    assert ("What is working?" in text) == doing_well
    assert ("Main concern" in text) == (not doing_well)
    for shown in ("Behaviour:", "Effort with the latest assessment", "Missed in the latest",
                  "Support plan review: was due 14 Nov 2026", "What support would help",
                  "Over time", "absences by day"):  # fmt: skip
        assert shown in text, shown
    behaviour_first = text.index("Behaviour:") < text.index("Design and technology 0")
    assert behaviour_first == meeting.leads_with_behaviour
    pictures = [
        box for box in _boxes(document.pages[1]._page_box) if "Replaced" in type(box).__name__
    ]
    assert len(pictures) == 9  # a trend for each subject, and the absences by weekday


def _text_boxes(box):
    """Every text box drawn on a page, in reading order."""
    return (each for each in _boxes(box) if hasattr(each, "text"))


def _boxes(box):
    """Every box drawn on a page, in reading order."""
    yield box
    for child in getattr(box, "children", []):
        yield from _boxes(child)


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

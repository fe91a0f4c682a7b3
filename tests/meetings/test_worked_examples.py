"""The guidance's three worked examples, end to end: in a running meeting the weak version is
refused as written and the better one accepted; afterwards its owner reviews it with evidence."""

import datetime as dt
import uuid

import pytest
from django.urls import reverse

from actions.models import Action, Review
from meetings.agenda import Section
from meetings.models import Meeting
from tests.factories import AcademicYearFactory, MeetingFactory, PupilFactory

pytestmark = pytest.mark.django_db

EXAMPLES = [
    {
        "weak": (
            "below expected standard in writing",
            "She needs intervention. We'll monitor her.",
        ),
        "barrier": "Ideas strong orally, written work short and poorly structured: planning and "
        "sentence construction",
        "barrier_category": "skill",
        "text": "For three weeks the class teacher gives a paragraph scaffold in independent "
        "writing and the teaching assistant rehearses the sentence orally first",
        "impact_check": "two independent writing samples at the end of the month",
        "kind": "classroom",
        "review_on": "2027-01-04",
    },
    {
        "weak": ("not making progress in maths", "Needs extra support."),
        "barrier": "The maths gaps match lessons missed on Mondays and Fridays; attendance 86%; "
        "missed the start of the fractions unit",
        "barrier_category": "attendance",
        "text": "Before any intervention the attendance lead contacts home, the class teacher "
        "sets a short catch-up task on the missed prerequisite, and the form tutor checks "
        "attendance patterns over two weeks",
        "impact_check": "",
        "kind": "attendance",
        "review_on": "2026-12-07",
    },
    {
        "weak": ("eight pupils did badly on the science assessment", "Put them into intervention."),
        "barrier": "Eight pupils missed the same questions on variables and fair testing",
        "barrier_category": "knowledge",
        "text": "The teacher reteaches variables and fair testing with a worked example and a "
        "practical scenario next lesson",
        "impact_check": "a five-question check two days later",
        "kind": "reteach",
        "review_on": "2026-11-27",
    },
]


@pytest.fixture
def meeting(today):
    school = AcademicYearFactory(start_year=2026).school
    meeting = MeetingFactory(school=school)
    pupils = PupilFactory.create_batch(3, school=school, year_group=5)
    meeting.confirm_shortlist(
        by=meeting.created_by, pupils=[(p, "from the data") for p in pupils], groups=[],
        over_cap_reason="",
    )  # fmt: skip
    meeting.start(by=meeting.created_by)
    Meeting.objects.filter(pk=meeting.pk).update(section=Section.PUPILS)
    return meeting


@pytest.mark.parametrize("example", EXAMPLES, ids=["writing", "attendance", "misconception"])
def test_weak_refused_better_accepted_then_reviewed_with_evidence(client, meeting, example):
    recorder = meeting.attendees.get(role="recorder").user
    client.force_login(recorder)
    url = reverse("meetings:meeting_action_create", args=[meeting.pk])
    entry = {
        "item": meeting.items.first().pk, "owner": recorder.pk, "kind": example["kind"],
        "barrier_category": example["barrier_category"], "review_on": example["review_on"],
        "impact_check": example["impact_check"],
    }  # fmt: skip
    weak_barrier, weak_text = example["weak"]

    weak = client.post(
        url, entry | {"barrier": weak_barrier, "text": weak_text, "key": uuid.uuid4()}
    )
    better = client.post(
        url, entry | {"barrier": example["barrier"], "text": example["text"], "key": uuid.uuid4()}
    )

    assert weak.status_code == 422
    assert "What is stopping progress, specifically?" in weak.text
    assert "Say what will be done, not the kind of help." in weak.text
    assert better.status_code == 302
    action = Action.objects.get()
    assert action.text == example["text"]

    # After the meeting its owner reviews it: "completed" needs evidence, then stands.
    review = reverse("actions:action_review", args=[action.pk])
    answers = {
        "version": action.version, "happened": "yes", "what_changed": "Two paragraphs planned",
        "decision": "completed", "impact": "1",
    }  # fmt: skip
    refused = client.post(review, answers | {"evidence": ""})
    done = client.post(review, answers | {"evidence": "Writing samples of 11 and 25 Dec"})

    assert refused.status_code == 422
    assert "Completing it needs evidence" in refused.text or "Impact needs evidence" in refused.text
    assert done.status_code == 302
    action.refresh_from_db()
    assert action.status == Action.Status.COMPLETED
    assert Review.objects.get().evidence == "Writing samples of 11 and 25 Dec"


def test_happened_with_impact_not_yet_known_stays_on_the_owners_list(client, meeting):
    action = Action.objects.create(
        school=meeting.school, meeting=meeting, pupil=meeting.items.first().pupil,
        barrier="Misses Mondays", barrier_category="attendance", kind="attendance",
        text="Attendance lead phones home after each Monday absence",
        owner=meeting.attendees.get(role="recorder").user, review_on=dt.date(2026, 11, 30),
    )  # fmt: skip
    client.force_login(action.owner)

    response = client.post(
        reverse("actions:action_review", args=[action.pk]),
        {
            "version": action.version,
            "happened": "yes",
            "evidence": "Call log",
            "what_changed": "Too early to say",
            "decision": "continue",
            "impact": "unknown",
        },
    )

    assert response.status_code == 302
    assert Review.objects.get().impact is None
    action.refresh_from_db()
    assert action.status == Action.Status.OPEN
    assert action in client.get(reverse("actions:my_actions")).context["sections"][0][1] + (
        client.get(reverse("actions:my_actions")).context["sections"][1][1]
        + client.get(reverse("actions:my_actions")).context["sections"][2][1]
    )


@pytest.mark.parametrize(
    ("answers", "message"),
    [
        ({"decision": "completed", "impact": "unknown", "evidence": "Books"},
         "Completing it needs its impact"),
        ({"decision": "stop", "impact": "0", "evidence": "Books"}, "Say why it stops"),
        ({"happened": "yes", "decision": "continue", "impact": "0", "evidence": ""},
         "Say what shows it happened"),
    ],
)  # fmt: skip
def test_a_review_tells_the_truth(client, meeting, answers, message):
    action = Action.objects.create(
        school=meeting.school, meeting=meeting, pupil=meeting.items.first().pupil,
        barrier="Misses Mondays", barrier_category="attendance", kind="attendance",
        text="Attendance lead phones home after each Monday absence",
        owner=meeting.attendees.get(role="recorder").user, review_on=dt.date(2026, 11, 30),
    )  # fmt: skip
    client.force_login(action.owner)
    base = {"version": action.version, "happened": "partly", "why_not": "Mum away",
            "what_changed": "Some Mondays attended"}  # fmt: skip

    response = client.post(reverse("actions:action_review", args=[action.pk]), base | answers)

    assert response.status_code == 422
    assert message in response.text
    assert not Review.objects.exists()

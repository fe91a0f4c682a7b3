"""The meeting as a state machine: scheduled, pupils chosen, agenda sent, running (in a section, on
an item), closed. Every change is refused in the wrong state with a clear message and changes
nothing; the right person in the right state makes it."""

import datetime as dt
import uuid

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils.html import escape

from actions.models import Action, Deferral, Review
from meetings.agenda import Section
from meetings.models import Change, Finding, Meeting, Refused, Series, Summary
from progress.models import Role
from tests.factories import (
    CLOSING,
    AcademicYearFactory,
    ActionFactory,
    MeetingFactory,
    PupilFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db
Status = Meeting.Status
PREPARING = [Status.SCHEDULED, Status.SHORTLISTED, Status.AGENDA_SENT]


@pytest.fixture
def meeting(today):
    """A Year 6 meeting in a series with three pupils, and one previous action due."""
    school = AcademicYearFactory(start_year=2026).school
    series = Series.objects.create(school=school, name="Year 6 half-termly")
    meeting = MeetingFactory(school=school, series=series)
    pupils = PupilFactory.create_batch(3, school=school, year_group=6)
    meeting.confirm_shortlist(
        by=meeting.created_by, pupils=[(p, "maths fell") for p in pupils], groups=[],
        over_cap_reason="",
    )  # fmt: skip
    earlier = MeetingFactory(school=school, series=series, date=dt.date(2026, 10, 12))
    Meeting.objects.filter(pk=earlier.pk).update(status=Status.CLOSED)
    ActionFactory(school=school, meeting=earlier, pupil=pupils[0], review_on=dt.date(2026, 11, 27))
    meeting.refresh_from_db()
    return meeting


def chair(meeting):
    return meeting.attendees.get(role="chair").user


def recorder(meeting):
    return meeting.attendees.get(role="recorder").user


def put(meeting, status, section=Section.REVIEW):
    """The meeting as if it had reached `status` (and, running, `section`) by its own steps."""
    Meeting.objects.filter(pk=meeting.pk).update(status=status, section=section)
    if status == Status.RUNNING:
        started = dt.datetime(2026, 11, 30, 15, 45, tzinfo=dt.UTC)
        Meeting.objects.filter(pk=meeting.pk).update(started_at=started)
        meeting.times.create(school=meeting.school, section=section, started_at=started)
    meeting.refresh_from_db()


def test_a_meeting_moves_through_its_states_in_order(client, meeting):
    assert meeting.status == Status.SHORTLISTED  # its pupils were chosen
    client.force_login(chair(meeting))

    client.post(reverse("meetings:meeting_send", args=[meeting.pk]))
    meeting.refresh_from_db()
    assert (meeting.status, meeting.agenda_sent_at is not None) == (Status.AGENDA_SENT, True)

    client.post(reverse("meetings:meeting_start", args=[meeting.pk]))
    meeting.refresh_from_db()
    assert (meeting.status, meeting.section) == (Status.RUNNING, Section.REVIEW)

    meeting.defer(meeting.previous_actions().get(), by=chair(meeting), reason="Owner away")
    for _ in range(1 + 3 + 2):  # patterns, three pupils, agree, share
        meeting.move(by=chair(meeting), forward=True)
    assert meeting.section == Section.SHARE
    client.post(reverse("meetings:meeting_close", args=[meeting.pk]), CLOSING)
    meeting.refresh_from_db()
    assert meeting.status == Status.CLOSED


def test_a_new_meeting_is_scheduled_until_its_pupils_are_chosen(today):
    school = AcademicYearFactory(start_year=2026).school
    meeting = MeetingFactory(school=school)

    assert meeting.status == Status.SCHEDULED
    assert meeting.refusal(Change.START) == (
        "Choose the pupils first: starting it needs them on the agenda."
    )


def test_changing_the_pupils_after_sending_asks_for_the_agenda_again(meeting):
    meeting.record_agenda_sent(by=chair(meeting))
    pupils = [item.pupil for item in meeting.items.all()]

    meeting.confirm_shortlist(
        by=chair(meeting), pupils=[(p, "maths fell") for p in pupils], groups=[],
        over_cap_reason="",
    )  # fmt: skip
    assert meeting.status == Status.AGENDA_SENT  # the same pupils: the agenda still holds

    meeting.confirm_shortlist(
        by=chair(meeting), pupils=[(p, "maths fell") for p in pupils[:2]], groups=[],
        over_cap_reason="",
    )  # fmt: skip
    assert meeting.status == Status.SHORTLISTED


# Which changes each state allows: the table every refusal below is checked against.
ALLOWED = {
    Status.SCHEDULED: {Change.EDIT, Change.SHORTLIST, Change.DELETE, Change.PUT_FORWARD},
    Status.SHORTLISTED: {
        Change.EDIT, Change.SHORTLIST, Change.SEND_AGENDA, Change.REMIND, Change.DELETE,
        Change.START, Change.PUT_FORWARD,
    },
    Status.AGENDA_SENT: {
        Change.EDIT, Change.SHORTLIST, Change.SEND_AGENDA, Change.REMIND, Change.DELETE,
        Change.START, Change.PUT_FORWARD,
    },
    Status.RUNNING: {
        Change.MOVE, Change.DEFER, Change.REVIEW, Change.LOG, Change.CHANGE_ENTRY,
        Change.REMOVE_ENTRY,
    },
    Status.CLOSED: {Change.IMPACT},
}  # fmt: skip


@pytest.mark.parametrize("status", list(Status))
def test_each_state_allows_exactly_its_changes(meeting, status):
    put(meeting, status)  # a running meeting in its first section

    allowed = {change for change in Change if not meeting.refusal(change)}

    assert allowed == ALLOWED[status]
    for change in set(Change) - allowed:
        assert meeting.refusal(change).endswith((".", "."))


@pytest.mark.parametrize(
    ("section", "change", "allowed"),
    [
        (Section.REVIEW, Change.DEFER, True),
        (Section.PATTERNS, Change.DEFER, False),
        (Section.PUPILS, Change.PARK, True),
        (Section.AGREE, Change.PARK, False),
        (Section.AGREE, Change.CLOSE, False),
        (Section.SHARE, Change.CLOSE, True),
    ],
)
def test_some_changes_belong_to_one_section(meeting, section, change, allowed):
    put(meeting, Status.RUNNING, section)

    assert (not meeting.refusal(change)) is allowed
    if not allowed:
        assert "belongs to" in meeting.refusal(change)


def test_the_chair_is_told_in_words_why_a_change_is_refused(meeting):
    put(meeting, Status.CLOSED)
    assert meeting.refusal(Change.DEFER) == (
        "This meeting has closed, so deferring a previous action is no longer possible."
    )
    put(meeting, Status.AGENDA_SENT)
    assert meeting.refusal(Change.DEFER) == (
        "This meeting has not started, so deferring a previous action is not possible yet."
    )
    put(meeting, Status.RUNNING)
    assert meeting.refusal(Change.EDIT) == (
        "This meeting is under way, so changing its details is no longer possible."
    )
    put(meeting, Status.RUNNING, Section.PATTERNS)
    assert meeting.refusal(Change.DEFER) == (
        "Deferring a previous action belongs to \u201cPurpose and review of previous actions\u201d;"
        " the meeting is on \u201cPatterns across the pupils\u201d."
    )


def test_who_may_is_checked_before_the_state(meeting):
    put(meeting, Status.RUNNING)

    with pytest.raises(PermissionDenied):
        meeting.check_change(Change.MOVE, recorder(meeting))

    assert meeting.allows(Change.LOG, recorder(meeting))
    assert not meeting.allows(Change.LOG, UserFactory(school=meeting.school, roles=[Role.TEACHER]))


# The live changes through their views: in a wrong state, refused with the reason on screen and
# nothing changed (no new row, the live version where it was).


def _live_posts(meeting):
    """Each live change as its form posts it: (name, url, data, rows it would add)."""
    due = meeting.previous_actions().get()
    item = meeting.items.first()
    entry = ActionFactory(school=meeting.school, meeting=meeting, pupil=item.pupil)
    return [
        ("start", reverse("meetings:meeting_start", args=[meeting.pk]), {}),
        ("move", reverse("meetings:meeting_move", args=[meeting.pk]), {"direction": "next"}),
        ("defer", reverse("meetings:meeting_defer", args=[meeting.pk, due.pk]), {"reason": "Away"}),
        (
            "review",
            reverse("meetings:meeting_action_review", args=[meeting.pk, due.pk]),
            {
                "version": due.version,
                "happened": "yes",
                "what_changed": "Attends Mondays",
                "evidence": "Registers",
                "decision": "continue",
                "impact": "1",
            },
        ),
        ("park", reverse("meetings:meeting_park", args=[meeting.pk, item.pk]), {"note": "Later"}),
        (
            "log",
            reverse("meetings:meeting_action_create", args=[meeting.pk]),
            {
                "item": item.pk,
                "key": str(uuid.uuid4()),
                "barrier": "Slow recall of facts",
                "barrier_category": "fluency",
                "kind": "reteach",
                "owner": chair(meeting).pk,
                "text": "Ten minutes of times tables at the start of every maths lesson for four weeks",
                "review_on": "2026-12-14",
            },
        ),
        (
            "finding",
            reverse("meetings:meeting_finding_create", args=[meeting.pk]),
            {
                "finding-kind": "teaching",
                "finding-text": "Fractions taught once",
                "finding-key": str(uuid.uuid4()),
            },
        ),
        (
            "remove",
            reverse("meetings:meeting_action_delete", args=[meeting.pk, entry.pk]),
            {},
        ),
        ("close", reverse("meetings:meeting_close", args=[meeting.pk]), CLOSING),
    ]


def _snapshot(meeting):
    meeting.refresh_from_db()
    return (
        meeting.status, meeting.section, meeting.item_index, meeting.live_version,
        Action.objects.count(), Review.objects.count(), Deferral.objects.count(),
        Finding.objects.count(), meeting.items.filter(parked_at__isnull=False).count(),
    )  # fmt: skip


@pytest.mark.parametrize("status", [Status.AGENDA_SENT, Status.CLOSED])
@pytest.mark.parametrize(
    "change", ["move", "defer", "review", "park", "log", "finding", "remove", "close"]
)
def test_a_live_change_outside_a_running_meeting_is_refused_and_changes_nothing(
    client, meeting, status, change
):
    posts = {name: (url, data) for name, url, data in _live_posts(meeting)}
    put(meeting, status)
    before = _snapshot(meeting)
    client.force_login(chair(meeting))

    response = client.post(*posts[change], follow=True)

    assert _snapshot(meeting) == before
    words = "has closed" if status == Status.CLOSED else "has not started"
    assert f"This meeting {words}, so" in response.text


@pytest.mark.parametrize("status", [Status.SCHEDULED, Status.RUNNING, Status.CLOSED])
def test_starting_is_refused_unless_the_pupils_are_chosen_and_it_has_not_run(
    client, meeting, status
):
    put(meeting, status)
    before = _snapshot(meeting)
    client.force_login(chair(meeting))

    response = client.post(reverse("meetings:meeting_start", args=[meeting.pk]), follow=True)

    assert _snapshot(meeting) == before
    assert "starting it" in response.text


@pytest.mark.parametrize(
    ("section", "change"),
    [
        (Section.PATTERNS, "defer"),
        (Section.PATTERNS, "review"),
        (Section.REVIEW, "park"),
        (Section.AGREE, "close"),
    ],
)
def test_a_live_change_in_the_wrong_section_is_refused_and_changes_nothing(
    client, meeting, section, change
):
    posts = {name: (url, data) for name, url, data in _live_posts(meeting)}
    put(meeting, Status.RUNNING, section)
    before = _snapshot(meeting)
    client.force_login(chair(meeting))

    response = client.post(*posts[change], follow=True)

    assert _snapshot(meeting) == before
    assert "belongs to" in response.text


def test_a_deferral_on_a_closed_or_unstarted_meeting_is_refused(client, meeting):
    due = meeting.previous_actions().get()
    client.force_login(chair(meeting))
    url = reverse("meetings:meeting_defer", args=[meeting.pk, due.pk])
    for status in (Status.AGENDA_SENT, Status.CLOSED):
        put(meeting, status)
        client.post(url, {"reason": "Owner away"})

    assert not Deferral.objects.exists()
    assert not Review.objects.exists()


def test_an_action_is_deferred_once_a_meeting(meeting):
    put(meeting, Status.RUNNING)
    due = meeting.previous_actions().get()
    meeting.defer(due, by=chair(meeting), reason="Owner away")

    with pytest.raises(Refused, match="is not waiting for review at this meeting"):
        meeting.defer(due, by=chair(meeting), reason="Again")
    assert Deferral.objects.count() == 1


def test_the_last_section_has_no_next_and_the_first_no_back(meeting):
    put(meeting, Status.RUNNING, Section.SHARE)
    meeting.times.create(
        school=meeting.school,
        section=Section.SHARE,
        started_at=dt.datetime(2026, 11, 30, 16, tzinfo=dt.UTC),
    )

    with pytest.raises(Refused, match="This is the last part"):
        meeting.move(by=chair(meeting), forward=True)
    put(meeting, Status.RUNNING, Section.REVIEW)
    with pytest.raises(Refused, match="This is the first part"):
        meeting.move(by=chair(meeting), forward=False)


class TestDeleting:
    def test_deleting_says_first_what_will_be_lost(self, client, meeting):
        summary = Summary.objects.filter(item__meeting=meeting).first()
        Summary.objects.filter(pk=summary.pk).update(status=Summary.Status.DRAFT)
        client.force_login(chair(meeting))

        page = client.get(reverse("meetings:meeting_delete", args=[meeting.pk])).text

        assert "Delete the meeting on Monday 30 November 2026?" in page
        assert "its 3 items on the agenda" in page
        assert "1 one-page summary teachers have started" in page
        assert escape(f"{summary.item} by {summary.teacher}") in page
        assert Meeting.objects.filter(pk=meeting.pk).exists()

    def test_confirming_deletes_it_with_its_summaries(self, client, meeting):
        client.force_login(chair(meeting))

        response = client.post(reverse("meetings:meeting_delete", args=[meeting.pk]))

        assert response["Location"] == reverse("meetings:meeting_list")
        assert not Meeting.objects.filter(pk=meeting.pk).exists()
        assert not Summary.objects.filter(item__meeting_id=meeting.pk).exists()

    def test_a_teacher_attending_may_not_delete_it(self, client, meeting):
        teacher = UserFactory(school=meeting.school, roles=[Role.TEACHER])
        meeting.set_attendees(chair=chair(meeting), recorder=recorder(meeting), others=[teacher])
        client.force_login(teacher)

        assert client.get(reverse("meetings:meeting_delete", args=[meeting.pk])).status_code == 403
        assert client.post(reverse("meetings:meeting_delete", args=[meeting.pk])).status_code == 403
        assert Meeting.objects.filter(pk=meeting.pk).exists()

    def test_another_schools_leader_gets_not_found(self, client, meeting):
        client.force_login(UserFactory(roles=[Role.SENIOR_LEADER]))

        assert client.get(reverse("meetings:meeting_delete", args=[meeting.pk])).status_code == 404


class TestClosing:
    @pytest.fixture
    def at_share(self, meeting):
        put(meeting, Status.RUNNING, Section.SHARE)
        meeting.times.create(
            school=meeting.school,
            section=Section.SHARE,
            started_at=dt.datetime(2026, 11, 30, 16, tzinfo=dt.UTC),
        )
        return meeting

    def test_closing_with_items_lacking_an_action_asks_first_and_names_them(self, client, at_share):
        first, second, third = at_share.items.all()
        ActionFactory(school=at_share.school, meeting=at_share, pupil=first.pupil)
        client.force_login(chair(at_share))

        page = client.get(reverse("meetings:meeting_close", args=[at_share.pk])).text

        assert "No action was agreed for:" in page
        assert "Close it anyway and share the log" in page
        assert escape(second.pupil.name) in page
        assert escape(third.pupil.name) in page
        assert escape(first.pupil.name) not in page
        at_share.refresh_from_db()
        assert at_share.status == Status.RUNNING
        assert not mail.outbox

    def test_confirming_closes_it_and_shares_the_log(self, client, at_share, deliver):
        client.force_login(chair(at_share))

        client.post(reverse("meetings:meeting_close", args=[at_share.pk]), CLOSING)

        at_share.refresh_from_db()
        assert at_share.status == Status.CLOSED
        assert at_share.difference == CLOSING["difference"]
        assert deliver()

    def test_closing_asks_what_will_be_different_for_pupils(self, client, at_share):
        client.force_login(chair(at_share))

        response = client.post(
            reverse("meetings:meeting_close", args=[at_share.pk]), {"difference": "Good meeting"}
        )

        assert response.status_code == 422
        assert "Say in a sentence what will change for the pupils" in response.text
        assert "Good meeting" in response.text
        at_share.refresh_from_db()
        assert at_share.status == Status.RUNNING

    def test_with_every_item_decided_it_asks_only_the_difference(self, client, at_share):
        for item in at_share.items.all():
            ActionFactory(school=at_share.school, meeting=at_share, pupil=item.pupil)
        client.force_login(chair(at_share))

        page = client.get(reverse("meetings:meeting_close", args=[at_share.pk])).text
        assert "No action was agreed for" not in page
        client.post(reverse("meetings:meeting_close", args=[at_share.pk]), CLOSING)

        at_share.refresh_from_db()
        assert at_share.status == Status.CLOSED

    def test_only_the_chair_closes(self, client, at_share):
        client.force_login(recorder(at_share))

        response = client.post(reverse("meetings:meeting_close", args=[at_share.pk]), CLOSING)

        assert response.status_code == 403
        at_share.refresh_from_db()
        assert at_share.status == Status.RUNNING


def test_a_deferral_says_until_when_and_is_shown_as_such(client, meeting):
    put(meeting, Status.RUNNING)
    due = meeting.previous_actions().get()
    client.force_login(chair(meeting))
    url = reverse("meetings:meeting_defer", args=[meeting.pk, due.pk])

    refused = client.post(url, {"reason": "Owner away", "until": "2026-11-20"}, follow=True)
    client.post(url, {"reason": "Owner away", "until": "2026-12-14"})

    assert "Defer it to a day after today." in refused.text
    deferral = Deferral.objects.get()
    assert (deferral.reason, deferral.until, deferral.deferred_by) == (
        "Owner away",
        dt.date(2026, 12, 14),
        chair(meeting),
    )
    assert meeting.reviewed_or_deferred() == {due.pk: "deferred until 14 Dec 2026: Owner away"}

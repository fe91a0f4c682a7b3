import datetime as dt

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from meetings.models import Meeting, SectionTime
from progress.models import Role
from tests.factories import ActionFactory, MeetingFactory, PupilFactory, UserFactory

pytestmark = pytest.mark.django_db
HTMX = {"HX-Request": "true"}


@pytest.fixture
def meeting():
    meeting = MeetingFactory()
    pupils = PupilFactory.create_batch(3, school=meeting.school)
    meeting.confirm_shortlist(
        pupils=[(p, "maths fell") for p in pupils], groups=[], over_cap_reason=""
    )
    return meeting


def chair_of(meeting):
    return meeting.attendees.get(role="chair").user


def move(client, meeting, direction="next"):
    return client.post(
        reverse("meetings:meeting_move", args=[meeting.pk]), {"direction": direction}, headers=HTMX
    )


class TestRunning:
    def test_only_the_chair_starts_and_moves(self, client, meeting):
        recorder = meeting.attendees.get(role="recorder").user
        client.force_login(recorder)

        assert client.post(reverse("meetings:meeting_start", args=[meeting.pk])).status_code == 403
        assert move(client, meeting).status_code == 403
        assert client.get(reverse("meetings:meeting_live", args=[meeting.pk])).status_code == 200

    def test_another_school_gets_not_found(self, client, meeting):
        client.force_login(UserFactory(roles=[Role.SENIOR_LEADER]))

        assert client.get(reverse("meetings:meeting_live", args=[meeting.pk])).status_code == 404
        assert client.post(reverse("meetings:meeting_start", args=[meeting.pk])).status_code == 404

    def test_sections_and_pupils_move_on_and_back_with_times_recorded(self, client, meeting):
        client.force_login(chair_of(meeting))
        client.post(reverse("meetings:meeting_start", args=[meeting.pk]))
        for _ in range(2):  # from purpose to patterns, then to the first of three pupils
            move(client, meeting)
        move(client, meeting)  # the second pupil

        meeting.refresh_from_db()
        assert (meeting.section, meeting.item_index) == (2, 1)
        move(client, meeting, "back")
        meeting.refresh_from_db()
        assert (meeting.section, meeting.item_index) == (2, 0)
        times = list(SectionTime.objects.filter(meeting=meeting))
        assert [t.section for t in times] == [0, 1, 2, 2, 2]
        assert all(t.ended_at for t in times[:-1])
        assert times[-1].ended_at is None

    def test_the_clock_survives_a_refresh(self, client, meeting):
        client.force_login(chair_of(meeting))
        client.post(reverse("meetings:meeting_start", args=[meeting.pk]))
        SectionTime.objects.update(started_at=timezone.now() - dt.timedelta(minutes=6))
        Meeting.objects.update(started_at=timezone.now() - dt.timedelta(minutes=6))

        response = client.get(reverse("meetings:meeting_live", args=[meeting.pk]))

        clock = response.context["clock"]
        assert clock.planned_seconds == 300
        assert 359 <= clock.elapsed_seconds <= 362
        assert clock.state == "red"
        assert "1:0" in clock.text
        assert "over" in clock.text

    def test_an_overrunning_pupil_leaves_less_for_the_rest(self, client, meeting):
        client.force_login(chair_of(meeting))
        client.post(reverse("meetings:meeting_start", args=[meeting.pk]))
        for _ in range(2):
            move(client, meeting)
        SectionTime.objects.filter(section=2).update(
            started_at=timezone.now() - dt.timedelta(minutes=12)
        )
        move(client, meeting)  # on to the second pupil after 12 of the 20 minutes

        clock = client.get(reverse("meetings:meeting_live", args=[meeting.pk])).context["clock"]

        assert 239 <= clock.planned_seconds <= 240  # 8 minutes left between two pupils


class TestPolling:
    def test_a_poll_with_nothing_new_is_a_304(self, client, meeting):
        client.force_login(chair_of(meeting))
        url = reverse("meetings:meeting_live_state", args=[meeting.pk])
        first = client.get(url, headers=HTMX)

        again = client.get(url, headers=HTMX | {"If-None-Match": first["ETag"]})
        move_response = client.post(reverse("meetings:meeting_start", args=[meeting.pk]))
        changed = client.get(url, headers=HTMX | {"If-None-Match": first["ETag"]})

        assert again.status_code == 304
        assert move_response.status_code == 302
        assert changed.status_code == 200
        assert changed.text.lstrip().startswith('<div id="live"')

    @pytest.mark.parametrize("section", range(5))
    def test_the_live_fragment_costs_the_same_for_more_items(self, client, section):
        def queries_for(items: int) -> int:
            meeting = MeetingFactory()
            pupils = PupilFactory.create_batch(items, school=meeting.school)
            meeting.confirm_shortlist(
                pupils=[(p, "r") for p in pupils], groups=[], over_cap_reason="x"
            )
            earlier = MeetingFactory(school=meeting.school, status=Meeting.Status.CLOSED)
            for pupil in pupils:
                ActionFactory(school=meeting.school, meeting=meeting, pupil=pupil)
                if section == 0:  # previous actions due, one a pupil, with then and now
                    ActionFactory(
                        school=meeting.school, meeting=earlier, pupil=pupil,
                        review_on=dt.date(2026, 11, 20),
                    )  # fmt: skip
            client.force_login(chair_of(meeting))
            client.post(reverse("meetings:meeting_start", args=[meeting.pk]))
            Meeting.objects.filter(pk=meeting.pk).update(section=section)
            url = reverse("meetings:meeting_live_state", args=[meeting.pk])
            with CaptureQueriesContext(connection) as captured:
                assert client.get(url, headers=HTMX).status_code == 200
            return len(captured)

        assert queries_for(2) == queries_for(8)

    def test_the_recorders_live_page_costs_the_same_for_more_items(self, client):
        def queries_for(items: int) -> int:
            meeting = MeetingFactory()
            pupils = PupilFactory.create_batch(items, school=meeting.school)
            meeting.confirm_shortlist(
                pupils=[(p, "r") for p in pupils], groups=[], over_cap_reason="x"
            )
            client.force_login(chair_of(meeting))
            client.post(reverse("meetings:meeting_start", args=[meeting.pk]))
            for _ in range(2):
                move(client, meeting)
            client.force_login(meeting.attendees.get(role="recorder").user)
            url = reverse("meetings:meeting_live", args=[meeting.pk])
            with CaptureQueriesContext(connection) as captured:
                assert "Recorder" in client.get(url).text
            return len(captured)

        assert queries_for(2) == queries_for(8)


class TestClosing:
    def test_closing_locks_the_meeting_and_shares_the_log_without_pupil_names(
        self, client, meeting
    ):
        pupil = meeting.items.first().pupil
        # A surname no e-mail could contain by chance: a random one ("Read", "Hope", "Long") can
        # be a word the e-mail uses.
        pupil.legal_surname = "Quillfeather"
        pupil.save()
        action = ActionFactory(school=meeting.school, meeting=meeting, pupil=pupil)
        client.force_login(chair_of(meeting))
        client.post(reverse("meetings:meeting_start", args=[meeting.pk]))

        client.post(reverse("meetings:meeting_close", args=[meeting.pk]))

        meeting.refresh_from_db()
        assert meeting.status == Meeting.Status.CLOSED
        recipients = {message.to[0] for message in mail.outbox}
        assert action.owner.email in recipients
        assert {a.user.email for a in meeting.attendees.all()} <= recipients
        assert all(pupil.legal_surname not in message.body for message in mail.outbox)
        response = client.get(reverse("meetings:meeting_live", args=[meeting.pk]))
        assert "Planned and actual minutes" in response.text


class TestPreviousActionsFirst:
    @pytest.fixture
    def due(self, meeting):
        earlier = MeetingFactory(
            school=meeting.school, date=dt.date(2026, 10, 12), status=Meeting.Status.CLOSED
        )
        return ActionFactory(
            school=meeting.school,
            meeting=earlier,
            pupil=meeting.items.first().pupil,
            review_on=dt.date(2026, 11, 27),
        )

    def test_the_pupils_wait_until_each_due_action_is_reviewed_or_deferred(
        self, client, meeting, due
    ):
        client.force_login(chair_of(meeting))
        client.post(reverse("meetings:meeting_start", args=[meeting.pk]))
        move(client, meeting)

        refused = move(client, meeting)

        assert refused.status_code == 409
        assert (
            "Previous actions still to review, or defer with a reason, before the pupils: 1."
            in refused.text
        )
        meeting.refresh_from_db()
        assert meeting.section == 1

    def test_deferring_needs_a_reason_and_then_opens_the_pupils(self, client, meeting, due):
        client.force_login(chair_of(meeting))
        client.post(reverse("meetings:meeting_start", args=[meeting.pk]))
        move(client, meeting)
        url = reverse("meetings:meeting_defer", args=[meeting.pk, due.pk])

        client.post(url, {"reason": ""})
        assert not due.reviews.exists()
        client.post(url, {"reason": "Owner is away until Monday"})

        assert due.reviews.get().why_not == "Deferred: Owner is away until Monday"
        assert move(client, meeting).status_code == 200
        meeting.refresh_from_db()
        assert meeting.section == 2

    def test_a_review_in_the_meeting_counts_and_returns_to_the_live_screen(
        self, client, meeting, due
    ):
        client.force_login(chair_of(meeting))
        live = reverse("meetings:meeting_live", args=[meeting.pk])
        url = reverse("actions:action_review", args=[due.pk]) + f"?meeting={meeting.pk}&next={live}"

        response = client.post(url, {
            "version": due.version, "happened": "yes", "what_changed": "Attends Mondays", "evidence": "Registers",
            "decision": "continue", "impact": "1",
        })  # fmt: skip

        assert response["Location"] == live
        assert due.reviews.get().meeting == meeting
        assert not meeting.unreviewed_actions().exists()

    def test_only_the_chair_defers(self, client, meeting, due):
        client.force_login(meeting.attendees.get(role="recorder").user)

        response = client.post(
            reverse("meetings:meeting_defer", args=[meeting.pk, due.pk]), {"reason": "x"}
        )

        assert response.status_code == 403


def test_a_closed_meetings_log_is_locked(client, meeting):
    Meeting.objects.filter(pk=meeting.pk).update(status=Meeting.Status.CLOSED)
    client.force_login(chair_of(meeting))

    response = client.get(reverse("meetings:meeting_action_create", args=[meeting.pk]))

    assert response.status_code == 403


@pytest.mark.parametrize(
    "url_name", ["meetings:meeting_live", "meetings:meeting_live_state", "meetings:meeting_minutes"]
)
def test_a_teacher_not_attending_gets_not_found(client, meeting, url_name):
    client.force_login(UserFactory(school=meeting.school, roles=[Role.TEACHER]))

    assert client.get(reverse(url_name, args=[meeting.pk])).status_code == 404


@pytest.mark.parametrize("url_name", ["meetings:meeting_live_state", "meetings:meeting_minutes"])
def test_another_schools_leader_gets_not_found(client, meeting, url_name):
    client.force_login(UserFactory(roles=[Role.SENIOR_LEADER]))

    assert client.get(reverse(url_name, args=[meeting.pk])).status_code == 404


def test_an_attending_teacher_may_follow_the_live_meeting(client, meeting):
    teacher = UserFactory(school=meeting.school, roles=[Role.TEACHER])
    meeting.set_attendees(
        chair=chair_of(meeting),
        recorder=meeting.attendees.get(role="recorder").user,
        others=[teacher],
    )
    client.force_login(teacher)

    assert (
        client.get(
            reverse("meetings:meeting_live_state", args=[meeting.pk]), headers=HTMX
        ).status_code
        == 200
    )
    assert client.get(reverse("meetings:meeting_minutes", args=[meeting.pk])).status_code == 200

import datetime as dt
import html
import json
import re
from pathlib import Path

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from meetings import live
from meetings.agenda import Section
from meetings.models import Meeting, SectionTime
from progress.models import Role
from tests.factories import CLOSING, ActionFactory, MeetingFactory, PupilFactory, UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_lazy_loads")]
HTMX = {"HX-Request": "true"}
FRAGMENT_QUERIES = {
    Section.REVIEW: 18,
    Section.PATTERNS: 18,
    Section.PUPILS: 18,
    Section.AGREE: 13,
    Section.SHARE: 12,
}
RECORDERS_PAGE_QUERIES = 23
POLL_QUERIES = 4  # the README quotes it from tests/test_figures.py, with the other live pages


def test_the_readme_quotes_the_live_figures_asserted_here():
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text()
    sections = ", ".join(FRAGMENT_QUERIES)
    counts = ", ".join(str(queries) for queries in FRAGMENT_QUERIES.values())

    assert f"| live fragment, by section: {sections} | {counts} |" in readme
    assert f"| the recorder's live page, in the patterns section | {RECORDERS_PAGE_QUERIES} |" in (
        readme
    )


@pytest.fixture
def meeting():
    meeting = MeetingFactory()
    pupils = PupilFactory.create_batch(3, school=meeting.school)
    meeting.confirm_shortlist(
        by=meeting.created_by,
        pupils=[(p, "maths fell") for p in pupils],
        groups=[],
        over_cap_reason="",
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
        assert (meeting.section, meeting.item_index) == (Section.PUPILS, 1)
        move(client, meeting, "back")
        meeting.refresh_from_db()
        assert (meeting.section, meeting.item_index) == (Section.PUPILS, 0)
        times = list(SectionTime.objects.filter(meeting=meeting))
        assert [t.section for t in times] == ["review", "patterns", "pupils", "pupils", "pupils"]
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
        SectionTime.objects.filter(section=Section.PUPILS).update(
            started_at=timezone.now() - dt.timedelta(minutes=12)
        )
        move(client, meeting)  # on to the second pupil after 12 of the 20 minutes

        clock = client.get(reverse("meetings:meeting_live", args=[meeting.pk])).context["clock"]

        assert 239 <= clock.planned_seconds <= 240  # 8 minutes left between two pupils


@pytest.mark.parametrize(
    ("elapsed", "state", "text", "words"),
    [
        (0, "ok", "5:00 left", ""),
        (239, "ok", "1:01 left", ""),
        (240, "amber", "1:00 left", "1 minute left"),  # 80% of five minutes
        (245, "amber", "0:55 left", "1 minute left"),
        (300, "amber", "0:00 left", "time is up"),
        (301, "red", "0:01 over", "less than a minute over"),
        (419, "red", "1:59 over", "1 minute over"),
        (420, "red", "2:00 over", "2 minutes over"),
    ],
)
def test_the_clock_warns_in_words_as_well_as_colour(elapsed, state, text, words):
    clock = live.Clock(
        planned_seconds=300, elapsed_ms=elapsed * 1000 + 999, meeting_seconds=2700,
        meeting_elapsed_ms=2760_000, rendered=0,
    )  # fmt: skip

    assert (clock.state, clock.text, clock.words) == (state, text, words)
    assert clock.amber_at_seconds == 240
    assert clock.meeting_text == "Meeting: 1:00 over"


def test_a_longer_warning_counts_minutes_left_up():
    clock = live.Clock(
        planned_seconds=1200, elapsed_ms=1000_000, meeting_seconds=2700, meeting_elapsed_ms=0,
        rendered=0,
    )  # fmt: skip

    assert (clock.state, clock.words) == ("amber", "4 minutes left")  # 3:20 left


class TestPolling:
    def test_the_poll_asks_for_anything_newer_than_the_fragment_it_shows(self, client, meeting):
        client.force_login(chair_of(meeting))
        url = reverse("meetings:meeting_live_state", args=[meeting.pk])

        response = client.get(url, headers=HTMX)

        # htmx sends this header itself, so the browser's cache never answers for the server
        # with the page it had (which would set the clock back to when it was first drawn).
        poll_headers = json.loads(
            html.unescape(re.search(r'hx-headers="([^"]*)"', response.text)[1])
        )
        assert poll_headers == {"If-None-Match": response["ETag"]}
        assert client.get(url, headers=HTMX | poll_headers).status_code == 304

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

    def test_a_poll_with_nothing_new_costs_four_queries(
        self, client, meeting, django_assert_num_queries
    ):
        client.force_login(chair_of(meeting))
        url = reverse("meetings:meeting_live_state", args=[meeting.pk])
        etag = client.get(url, headers=HTMX)["ETag"]

        # The session, the user, their roles (whose meetings they may see), the version.
        with django_assert_num_queries(POLL_QUERIES):
            assert client.get(url, headers=HTMX | {"If-None-Match": etag}).status_code == 304

    # The README quotes these: a fragment's queries in each section, the same for 10 or 60 items
    # (and as many previous actions due, a page of them on screen).
    @pytest.mark.parametrize(("section", "queries"), FRAGMENT_QUERIES.items())
    def test_the_live_fragment_costs_the_same_for_more_items(self, client, section, queries):
        def queries_for(items: int) -> int:
            meeting = MeetingFactory()
            pupils = PupilFactory.create_batch(items, school=meeting.school)
            meeting.confirm_shortlist(
                by=meeting.created_by,
                pupils=[(p, "r") for p in pupils],
                groups=[],
                over_cap_reason="x",
            )
            earlier = MeetingFactory(school=meeting.school, status=Meeting.Status.CLOSED)
            for pupil in pupils:
                ActionFactory(school=meeting.school, meeting=meeting, pupil=pupil)
                if section == Section.REVIEW:  # previous actions due, one a pupil, then and now
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

        assert queries_for(10) == queries_for(60) == queries

    def test_the_recorders_live_page_costs_the_same_for_more_items(self, client):
        def queries_for(items: int) -> int:
            meeting = MeetingFactory()
            pupils = PupilFactory.create_batch(items, school=meeting.school)
            meeting.confirm_shortlist(
                by=meeting.created_by,
                pupils=[(p, "r") for p in pupils],
                groups=[],
                over_cap_reason="x",
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

        assert queries_for(10) == queries_for(60) == RECORDERS_PAGE_QUERIES


def test_the_chair_and_recorder_may_change_a_logged_entry_and_others_only_see_it(client, meeting):
    teacher = UserFactory(school=meeting.school, roles=[Role.TEACHER])
    recorder = meeting.attendees.get(role="recorder").user
    meeting.set_attendees(chair=chair_of(meeting), recorder=recorder, others=[teacher])
    client.force_login(chair_of(meeting))
    client.post(reverse("meetings:meeting_start", args=[meeting.pk]))
    move(client, meeting)
    move(client, meeting)  # the first pupil
    item = meeting.items.order_by("position").first()
    logged = ActionFactory(school=meeting.school, meeting=meeting, pupil=item.pupil)
    change = reverse("meetings:meeting_action_edit", args=[meeting.pk, logged.pk])
    live_url = reverse("meetings:meeting_live", args=[meeting.pk])

    for user, may in ((chair_of(meeting), True), (recorder, True), (teacher, False)):
        client.force_login(user)
        page = client.get(live_url).text
        assert logged.text in page
        assert (change in page) is may, user


class TestTheRoomsScreen:
    """`?screen=room`: the live meeting for a projector, following the chair, with no controls."""

    def test_it_shows_the_meeting_with_no_controls_even_to_the_chair(self, client, meeting):
        client.force_login(chair_of(meeting))
        client.post(reverse("meetings:meeting_start", args=[meeting.pk]))
        url = reverse("meetings:meeting_live", args=[meeting.pk]) + "?screen=room"

        page = client.get(url)

        assert page.context["allowed"] == set()
        assert "1 of 5 · Purpose and review of previous actions" in page.text
        assert '<body class="room-screen"' in page.text
        assert 'class="presenter"' in page.text
        for control in ("Next", "Back", "Recorder's log", "Close the meeting", 'aria-label="Main"'):
            assert control not in page.text
        state = reverse("meetings:meeting_live_state", args=[meeting.pk])
        assert f'hx-get="{state}?screen=room"' in page.text

    def test_its_polls_are_answered_for_the_room_and_304_when_unchanged(self, client, meeting):
        client.force_login(chair_of(meeting))
        client.post(reverse("meetings:meeting_start", args=[meeting.pk]))
        state = reverse("meetings:meeting_live_state", args=[meeting.pk])
        room = client.get(state + "?screen=room", headers=HTMX)
        person = client.get(state, headers=HTMX)

        assert room["ETag"] != person["ETag"]  # the chair's own screen has controls
        assert "Next" not in room.text
        assert "Next" in person.text
        again = client.get(state + "?screen=room", headers=HTMX | {"If-None-Match": room["ETag"]})
        assert again.status_code == 304

    def test_another_schools_leader_gets_not_found(self, client, meeting):
        client.force_login(UserFactory(roles=[Role.SENIOR_LEADER]))

        url = reverse("meetings:meeting_live", args=[meeting.pk]) + "?screen=room"

        assert client.get(url).status_code == 404


class TestClosing:
    def test_closing_locks_the_meeting_and_shares_the_log_without_pupil_names(
        self, client, meeting, deliver
    ):
        pupil = meeting.items.first().pupil
        type(pupil).objects.filter(pk=pupil.pk).update(legal_surname="Quartermaine")
        action = ActionFactory(school=meeting.school, meeting=meeting, pupil=pupil)
        client.force_login(chair_of(meeting))
        client.post(reverse("meetings:meeting_start", args=[meeting.pk]))
        Meeting.objects.filter(pk=meeting.pk).update(section=Section.SHARE)

        client.post(reverse("meetings:meeting_close", args=[meeting.pk]), CLOSING)

        meeting.refresh_from_db()
        assert meeting.status == Meeting.Status.CLOSED
        sent = deliver()
        recipients = {message.to[0] for message in sent}
        assert action.owner.email in recipients
        assert {a.user.email for a in meeting.attendees.select_related("user")} <= recipients
        assert all("Quartermaine" not in message.body for message in sent)
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
            "Review each previous action, or defer it with a reason, before the pupils: "
            "1 still to do." in refused.text
        )
        meeting.refresh_from_db()
        assert meeting.section == Section.PATTERNS

    def test_deferring_needs_a_reason_is_no_review_and_then_opens_the_pupils(
        self, client, meeting, due
    ):
        client.force_login(chair_of(meeting))
        client.post(reverse("meetings:meeting_start", args=[meeting.pk]))
        url = reverse("meetings:meeting_defer", args=[meeting.pk, due.pk])

        client.post(url, {"reason": ""})
        assert not due.deferrals.exists()
        client.post(url, {"reason": "Owner is away until Monday"})

        assert due.deferrals.get().reason == "Owner is away until Monday"
        assert not due.reviews.exists()  # a deferral judges nothing: the action stays open
        due.refresh_from_db()
        assert due.status == "open"
        move(client, meeting)
        assert move(client, meeting).status_code == 200
        meeting.refresh_from_db()
        assert meeting.section == Section.PUPILS

    def test_a_review_in_the_meeting_counts_and_returns_to_the_live_screen(
        self, client, meeting, due
    ):
        client.force_login(chair_of(meeting))
        client.post(reverse("meetings:meeting_start", args=[meeting.pk]))
        live = reverse("meetings:meeting_live", args=[meeting.pk])
        url = reverse("meetings:meeting_action_review", args=[meeting.pk, due.pk])

        response = client.post(url, {
            "version": due.version, "happened": "yes", "what_changed": "Attends Mondays", "evidence": "Registers",
            "decision": "continue", "impact": "1",
        })  # fmt: skip

        assert response["Location"] == live
        assert due.reviews.get().meeting == meeting
        assert not meeting.unreviewed_actions().exists()

    def test_a_completed_review_stays_on_the_list_marked_reviewed(self, client, meeting, due):
        client.force_login(chair_of(meeting))
        client.post(reverse("meetings:meeting_start", args=[meeting.pk]))
        url = reverse("meetings:meeting_action_review", args=[meeting.pk, due.pk])
        client.post(url, {
            "version": due.version, "happened": "yes", "what_changed": "Attends Mondays", "evidence": "Registers",
            "decision": "completed", "impact": "1",
        })  # fmt: skip
        due.refresh_from_db()
        assert due.status == "completed"

        live = client.get(reverse("meetings:meeting_live", args=[meeting.pk]))

        assert [row[0] for row in live.context["previous_actions"]] == [due]
        assert live.context["previous_actions"][0][2] == "reviewed"
        assert client.get(url).status_code == 404  # closed: nothing left to review

    def test_only_the_chair_defers(self, client, meeting, due):
        client.force_login(meeting.attendees.get(role="recorder").user)

        response = client.post(
            reverse("meetings:meeting_defer", args=[meeting.pk, due.pk]), {"reason": "x"}
        )

        assert response.status_code == 403


class TestPreviousActionsAPageAtATime:
    """However many previous actions are due, the review section shows `live.PREVIOUS_A_PAGE`
    of them: the chair's Next and Back move through the pages, and every screen shows the page
    the chair is on."""

    @pytest.fixture
    def due(self, meeting):
        """17 previous actions due: three pages, of 8, 8 and 1."""
        earlier = MeetingFactory(
            school=meeting.school, date=dt.date(2026, 10, 12), status=Meeting.Status.CLOSED
        )
        pupils = [item.pupil for item in meeting.items.select_related("pupil")]
        return [
            ActionFactory(
                school=meeting.school,
                meeting=earlier,
                pupil=pupils[n % 3],
                review_on=dt.date(2026, 11, 9) + dt.timedelta(days=n),
                text=f"Action number {n}",
            )
            for n in range(17)
        ]

    @pytest.fixture
    def screens(self, client, meeting):
        """What each watching screen says of the review section: the chair's, the recorder's
        and an attendee's live page, an attendee's poll and the room's screen."""
        teacher = UserFactory(school=meeting.school, roles=[Role.TEACHER])
        recorder = meeting.attendees.get(role="recorder").user
        meeting.set_attendees(chair=chair_of(meeting), recorder=recorder, others=[teacher])
        page = reverse("meetings:meeting_live", args=[meeting.pk])
        state = reverse("meetings:meeting_live_state", args=[meeting.pk])

        def seen() -> set[str]:
            headings = set()
            for user, url, headers in (
                (chair_of(meeting), page, {}),
                (recorder, page, {}),
                (teacher, page, {}),
                (teacher, state, HTMX),
                (chair_of(meeting), f"{page}?screen=room", {}),
            ):
                client.force_login(user)
                text = client.get(url, headers=headers).text
                headings |= set(re.findall(r"data-review-page>([^<:]*)", text))
            client.force_login(chair_of(meeting))
            return headings

        return seen

    def test_every_screen_shows_the_page_the_chair_moves_to(self, client, meeting, due, screens):
        client.force_login(chair_of(meeting))
        client.post(reverse("meetings:meeting_start", args=[meeting.pk]))

        assert screens() == {"Previous actions 1-8 of 17"}
        move(client, meeting)
        assert screens() == {"Previous actions 9-16 of 17"}
        move(client, meeting)
        assert screens() == {"Previous action 17 of 17"}
        move(client, meeting, "back")
        assert screens() == {"Previous actions 9-16 of 17"}
        meeting.refresh_from_db()
        assert (meeting.section, meeting.item_index) == (Section.REVIEW, 1)

    def test_the_page_shows_its_actions_and_no_others(self, client, meeting, due):
        client.force_login(chair_of(meeting))
        client.post(reverse("meetings:meeting_start", args=[meeting.pk]))
        move(client, meeting)

        shown = client.get(reverse("meetings:meeting_live", args=[meeting.pk])).context[
            "previous_actions"
        ]

        assert [action for action, _, _ in shown] == due[8:16]

    def test_pages_share_the_sections_clock_and_next_leaves_after_the_last(
        self, client, meeting, due
    ):
        client.force_login(chair_of(meeting))
        client.post(reverse("meetings:meeting_start", args=[meeting.pk]))
        for _ in range(3):
            move(client, meeting)

        meeting.refresh_from_db()
        assert (meeting.section, meeting.item_index) == (Section.PATTERNS, 0)
        assert [t.section for t in meeting.times.order_by("started_at", "pk")] == [
            "review",
            "patterns",
        ]
        move(client, meeting, "back")  # back to the review, at its last page
        meeting.refresh_from_db()
        assert (meeting.section, meeting.item_index) == (Section.REVIEW, 2)

    def test_a_poll_after_a_page_turn_brings_the_new_page_and_then_304s(self, client, meeting, due):
        client.force_login(chair_of(meeting))
        client.post(reverse("meetings:meeting_start", args=[meeting.pk]))
        url = reverse("meetings:meeting_live_state", args=[meeting.pk]) + "?screen=room"
        before = client.get(url, headers=HTMX)["ETag"]
        move(client, meeting)

        turned = client.get(url, headers=HTMX | {"If-None-Match": before})
        again = client.get(url, headers=HTMX | {"If-None-Match": turned["ETag"]})

        assert turned.status_code == 200
        assert "Previous actions 9-16 of 17" in turned.text
        assert again.status_code == 304

    def test_the_screens_share_the_pages_working_out_and_keep_their_own_controls(
        self, client, meeting, due
    ):
        recorder = meeting.attendees.get(role="recorder").user
        client.force_login(chair_of(meeting))
        client.post(reverse("meetings:meeting_start", args=[meeting.pk]))
        state = reverse("meetings:meeting_live_state", args=[meeting.pk])

        def fragment(user) -> tuple[str, int]:
            client.force_login(user)
            with CaptureQueriesContext(connection) as queries:
                text = client.get(state, headers=HTMX).text
            return text, len(queries)

        recorders, worked_out = fragment(recorder)
        chairs, shared = fragment(chair_of(meeting))

        assert shared < worked_out
        assert chairs.count("Reason to defer it") == 8
        assert "Reason to defer it" not in recorders
        assert "Previous actions 1-8 of 17" in chairs
        assert "Previous actions 1-8 of 17" in recorders

    def test_only_the_chair_turns_the_page(self, client, meeting, due):
        client.force_login(chair_of(meeting))
        client.post(reverse("meetings:meeting_start", args=[meeting.pk]))
        client.force_login(meeting.attendees.get(role="recorder").user)

        assert move(client, meeting).status_code == 403
        meeting.refresh_from_db()
        assert meeting.item_index == 0

    def test_the_actions_coming_up_are_named_eight_at_most(self, client, meeting):
        earlier = MeetingFactory(school=meeting.school, status=Meeting.Status.CLOSED)
        pupil = meeting.items.first().pupil
        for n in range(11):
            ActionFactory(
                school=meeting.school, meeting=earlier, pupil=pupil,
                review_on=dt.date(2026, 12, 1) + dt.timedelta(days=n),
            )  # fmt: skip
        client.force_login(chair_of(meeting))
        client.post(reverse("meetings:meeting_start", args=[meeting.pk]))

        page = client.get(reverse("meetings:meeting_live", args=[meeting.pk]))

        assert len(page.context["coming_up"]) == live.COMING_UP_SHOWN
        assert "Coming up for review in the next three weeks (11)" in page.text
        assert "and 3 more: the action log lists them." in page.text


@pytest.mark.parametrize(
    ("index", "total", "words"),
    [
        (0, 0, "Previous actions due for review (0)"),
        (0, 8, "Previous actions due for review (8)"),
        (0, 57, "Previous actions 1-8 of 57"),
        (1, 57, "Previous actions 9-16 of 57"),
        (7, 57, "Previous action 57 of 57"),
        (9, 57, "Previous action 57 of 57"),  # the list grew shorter: its last page
    ],
)
def test_a_page_of_previous_actions_says_which(index, total, words):
    assert live.page_words(live.review_page(range(total), index)) == words


def test_a_closed_meetings_log_is_locked(client, meeting):
    Meeting.objects.filter(pk=meeting.pk).update(status=Meeting.Status.CLOSED)
    client.force_login(chair_of(meeting))

    response = client.get(reverse("meetings:meeting_action_create", args=[meeting.pk]), follow=True)

    assert "This meeting has closed, so logging an action or a finding is no longer possible." in (
        response.text
    )
    assert 'id="recorder"' not in response.text


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


def test_the_pupils_of_group_items_are_read_at_once_and_only_for_groups(client):
    def page_for(groups: int, *, on_screen: int = 0):
        meeting = MeetingFactory()
        pupils = PupilFactory.create_batch(1 + 2 * groups, school=meeting.school)
        meeting.confirm_shortlist(
            by=meeting.created_by,
            pupils=[(pupils[0], "maths fell")],
            groups=[
                (f"Fractions group {n}", pupils[1 + 2 * n : 3 + 2 * n], "missed fractions")
                for n in range(groups)
            ],
            over_cap_reason="",
        )
        client.force_login(chair_of(meeting))
        client.post(reverse("meetings:meeting_start", args=[meeting.pk]))
        Meeting.objects.filter(pk=meeting.pk).update(section=Section.PUPILS, item_index=on_screen)
        with CaptureQueriesContext(connection) as captured:
            page = client.get(reverse("meetings:meeting_live", args=[meeting.pk]))
        return len(captured), page, meeting

    none, one, three = (page_for(groups)[0] for groups in (0, 1, 3))
    _, page, meeting = page_for(1, on_screen=1)
    group = meeting.items.get(pupil=None)

    assert page.status_code == 200
    assert html.escape(", ".join(str(pupil) for pupil in group.group_pupils.all())) in page.text
    # The recorder's form offers every group's pupils, read in one query; none without groups.
    assert none + 1 == one == three

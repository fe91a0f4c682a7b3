"""The recorder's log on the live screen: entries, group actions, findings, submits sent twice,
edits that clash, parking, and what the last two sections list."""

import datetime as dt
import re
import uuid

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.html import escape

from actions.models import Action
from meetings.models import Finding, Meeting, Series
from meetings.shortlist import PARKED, propose
from progress.models import Role
from tests.factories import (
    AcademicYearFactory,
    ActionFactory,
    MeetingFactory,
    PupilFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db
HTMX = {"HX-Request": "true"}


@pytest.fixture
def meeting(today):
    school = AcademicYearFactory(start_year=2026).school
    meeting = MeetingFactory(school=school)
    pupils = PupilFactory.create_batch(3, school=school, year_group=6)
    meeting.confirm_shortlist(
        by=meeting.created_by,
        pupils=[(p, "maths fell") for p in pupils],
        groups=[],
        over_cap_reason="",
    )
    return meeting


def person(meeting, role):
    return meeting.attendees.get(role=role).user


def start_at(client, meeting, section: int) -> None:
    client.force_login(person(meeting, "chair"))
    client.post(reverse("meetings:meeting_start", args=[meeting.pk]))
    for _ in range(section):
        client.post(reverse("meetings:meeting_move", args=[meeting.pk]), {"direction": "next"})
    meeting.refresh_from_db()


def entry(meeting, **changes) -> dict:
    return {
        "item": meeting.items.first().pk, "key": str(uuid.uuid4()),
        "barrier": "Cannot yet add fractions with unlike denominators",
        "barrier_category": "knowledge",
        "text": "Reteach adding fractions in a group of four on Tuesday mornings for three weeks; "
        "five-question check each Friday",
        "kind": "reteach", "owner": person(meeting, "recorder").pk, "review_on": "2026-12-01",
        "impact_check": "a five-question check each Friday",
    } | changes  # fmt: skip


def fields(page: str) -> str:
    """The recorder's fields: the form less its CSRF token and submit key."""
    form = page[page.index('id="recorder"') :]
    return form[form.index('name="item"') : form.index("</form>")]


def submit_key(page: str) -> str:
    return re.search(r'name="key" value="([^"]+)"', page)[1]


def log(client, meeting, data, **headers):
    url = reverse("meetings:meeting_action_create", args=[meeting.pk])
    return client.post(url, data, headers=headers or HTMX)


class TestRecorderLog:
    def test_an_entry_saves_and_the_form_comes_back_empty_for_the_next(self, client, meeting):
        start_at(client, meeting, 2)
        client.force_login(person(meeting, "recorder"))
        version = meeting.live_version

        response = log(client, meeting, entry(meeting))

        assert response.status_code == 200
        assert "Saved for" in response.text
        assert "Reteach adding fractions" not in response.text.split("Ready for the next")[1]
        action = Action.objects.get()
        assert (action.meeting, action.pupil) == (meeting, meeting.items.first().pupil)
        meeting.refresh_from_db()
        assert meeting.live_version > version  # every screen shows it at the next poll

    def test_an_entry_refused_first_is_known_not_to_have_met_the_rules_at_once(
        self, client, meeting
    ):
        start_at(client, meeting, 2)
        client.force_login(person(meeting, "recorder"))
        at_once, after_a_refusal = entry(meeting), entry(meeting)

        assert log(client, meeting, at_once).status_code == 200
        refused = log(client, meeting, after_a_refusal | {"text": "Monitor closely"})
        assert refused.status_code == 422
        assert log(client, meeting, after_a_refusal).status_code == 200

        first = dict(Action.objects.values_list("submit_key", "first_attempt"))
        assert first == {
            uuid.UUID(at_once["key"]): True,
            uuid.UUID(after_a_refusal["key"]): False,
        }

    def test_the_same_submit_twice_is_logged_once(self, client, meeting):
        start_at(client, meeting, 2)
        client.force_login(person(meeting, "recorder"))
        data = entry(meeting)

        first, second = log(client, meeting, data), log(client, meeting, data)

        assert (first.status_code, second.status_code) == (200, 200)
        assert Action.objects.count() == 1

    def test_two_writers_each_keep_their_entry(self, client, meeting):
        start_at(client, meeting, 2)
        log(client, meeting, entry(meeting))  # the chair
        client.force_login(person(meeting, "recorder"))

        log(client, meeting, entry(meeting, text="Pre-teach the fractions vocabulary on Mondays"))

        assert Action.objects.count() == 2

    def test_a_vague_entry_is_refused_and_what_was_typed_is_kept(self, client, meeting):
        start_at(client, meeting, 2)

        response = log(client, meeting, entry(meeting, text="monitor", barrier="Slow starter"))

        assert response.status_code == 422
        assert "Slow starter" in response.text
        assert not Action.objects.exists()

    @pytest.mark.parametrize(
        ("text", "missing"),
        [
            ("She needs intervention. We'll monitor her.", "Say what will be done, not the kind"),
            ("Reteach fractions with a worked example", "Say when or how often."),
        ],
    )
    def test_a_refusal_is_said_once_in_one_sentence_with_an_example_for_the_kind(
        self, client, meeting, text, missing
    ):
        start_at(client, meeting, 2)
        client.force_login(person(meeting, "recorder"))

        saved = log(client, meeting, entry(meeting, text=text, kind="reteach"))
        checked = client.post(
            reverse("meetings:meeting_action_check", args=[meeting.pk]),
            entry(meeting, text=text, kind="reteach"),
            headers=HTMX,
        )

        for response in (saved, checked):
            assert response.text.count(missing) == 1
            assert response.text.count("For example") == 1
            assert "Reteach equivalent fractions with a worked example next lesson" in response.text
            assert "specific enough" not in response.text
        assert 'aria-invalid="true"' in saved.text

    def test_a_group_action_covers_the_pupils_ticked(self, client, meeting):
        start_at(client, meeting, 1)
        pupils = [item.pupil for item in meeting.items.all()]

        response = log(
            client,
            meeting,
            entry(meeting, item="group", group_name="6N fair testing", group_pupils=[p.pk for p in pupils[:2]]),
        )  # fmt: skip

        assert response.status_code == 200
        action = Action.objects.get()
        assert action.group_name == "6N fair testing"
        assert action.pupil is None
        assert set(action.group_pupils.all()) == set(pupils[:2])

    def test_a_group_action_needs_a_name_and_two_pupils(self, client, meeting):
        start_at(client, meeting, 1)

        response = log(client, meeting, entry(meeting, item="group"))

        assert response.status_code == 422
        assert "Name the group" in response.text
        assert "Tick at least two pupils" in response.text

    def test_without_javascript_a_save_returns_to_the_live_screen(self, client, meeting):
        start_at(client, meeting, 2)

        response = client.post(
            reverse("meetings:meeting_action_create", args=[meeting.pk]), entry(meeting)
        )

        assert response.status_code == 302
        assert response.url == reverse("meetings:meeting_live", args=[meeting.pk])

    @pytest.mark.parametrize("role", ["teacher", "leader", "outsider"])
    def test_only_the_chair_and_the_recorder_write(self, client, meeting, role):
        if role in ("teacher", "leader"):
            staff_role = Role.TEACHER if role == "teacher" else Role.SENIOR_LEADER
            teacher = UserFactory(school=meeting.school, roles=[staff_role])
            meeting.set_attendees(
                chair=person(meeting, "chair"),
                recorder=person(meeting, "recorder"),
                others=[teacher],
            )
            client.force_login(teacher)
            expected = 403
        else:
            client.force_login(UserFactory(roles=[Role.SENIOR_LEADER]))
            expected = 404

        assert log(client, meeting, entry(meeting)).status_code == expected
        url = reverse("meetings:meeting_finding_create", args=[meeting.pk])
        assert (
            client.post(url, {"finding-kind": "teaching", "finding-text": "x"}).status_code
            == expected
        )
        assert not Action.objects.exists()
        assert not Finding.objects.exists()

    def test_the_live_page_shows_the_recorders_form_beside_the_summary(self, client, meeting):
        start_at(client, meeting, 2)
        client.force_login(person(meeting, "recorder"))

        page = client.get(reverse("meetings:meeting_live", args=[meeting.pk])).text

        assert 'id="recorder"' in page
        assert "data-keyboard-entry" in page
        assert f'value="{meeting.items.first().pk}" selected' in page  # the pupil on screen
        assert "What exactly can the pupil not do yet?" in page

    def test_the_empty_fields_drawn_for_the_chair_serve_the_recorder(self, client, meeting):
        start_at(client, meeting, 2)
        live = reverse("meetings:meeting_live", args=[meeting.pk])
        chair = client.get(live).text
        client.force_login(person(meeting, "recorder"))

        with CaptureQueriesContext(connection) as shared:
            recorder = client.get(live).text
        cache.clear()
        with CaptureQueriesContext(connection) as drawn_again:
            client.get(live)

        assert fields(recorder) == fields(chair)
        assert submit_key(recorder) != submit_key(chair)  # each screen's entry is its own
        # Not read again: the staff, for the owner and the helpers, the pupils a group may cover,
        # and the school, its rules and its half-terms for the review date: the form is not built.
        assert len(shared) == len(drawn_again) - 6

    def test_the_page_to_log_an_action_without_a_script_shares_the_fields_drawn(
        self, client, meeting
    ):
        start_at(client, meeting, 2)
        url = reverse("meetings:meeting_action_create", args=[meeting.pk])
        client.get(url)  # draws the empty fields

        with CaptureQueriesContext(connection) as shared:
            page = client.get(url)
        cache.clear()
        with CaptureQueriesContext(connection) as drawn_again:
            client.get(url)

        assert page.status_code == 200
        assert "Error:" not in page.text
        assert 'name="barrier"' in page.text
        assert len(shared) == len(drawn_again) - 6  # the form is not built

    def test_the_fields_follow_the_chair_to_the_next_pupil(self, client, meeting):
        start_at(client, meeting, 2)
        live = reverse("meetings:meeting_live", args=[meeting.pk])
        client.get(live)

        client.post(reverse("meetings:meeting_move", args=[meeting.pk]), {"direction": "next"})
        page = client.get(live).text

        second = meeting.items.order_by("position")[1]
        assert f'value="{second.pk}" selected' in fields(page)

    def test_a_refused_entry_keeps_what_was_typed_beside_the_empty_fields_drawn(
        self, client, meeting
    ):
        start_at(client, meeting, 2)
        client.get(reverse("meetings:meeting_live", args=[meeting.pk]))  # draws the empty fields

        refused = log(client, meeting, entry(meeting, text="Monitor"))

        assert refused.status_code == 422
        assert "Monitor</textarea>" in refused.text

    def test_an_attendee_who_does_not_record_sees_no_form(self, client, meeting):
        teacher = UserFactory(school=meeting.school, roles=[Role.TEACHER])
        meeting.set_attendees(
            chair=person(meeting, "chair"), recorder=person(meeting, "recorder"), others=[teacher]
        )
        start_at(client, meeting, 2)
        client.force_login(teacher)

        page = client.get(reverse("meetings:meeting_live", args=[meeting.pk])).text

        assert 'id="recorder"' not in page


def test_the_review_section_also_lists_actions_coming_up(client, meeting):
    earlier = MeetingFactory(school=meeting.school, status=Meeting.Status.CLOSED)
    ActionFactory(
        school=meeting.school, meeting=earlier, pupil=meeting.items.first().pupil,
        review_on=dt.date(2026, 12, 9), text="Reading age retest in the first week of December",
    )  # fmt: skip
    start_at(client, meeting, 0)

    state = client.get(reverse("meetings:meeting_live_state", args=[meeting.pk]), headers=HTMX)

    assert "Coming up for review in the next three weeks (1)" in state.text
    assert "Reading age retest" in state.text
    assert "None are due" in state.text  # coming up is not due: the pupils do not wait for it


class TestFindings:
    def test_the_recorder_logs_a_finding_once_and_every_screen_shows_it(self, client, meeting):
        start_at(client, meeting, 1)
        client.force_login(person(meeting, "recorder"))
        data = {"finding-kind": "teaching", "finding-text": "Fair testing taught once, without a worked example", "finding-key": str(uuid.uuid4())}  # fmt: skip
        url = reverse("meetings:meeting_finding_create", args=[meeting.pk])

        first = client.post(url, data, headers=HTMX)
        client.post(url, data, headers=HTMX)
        state = client.get(reverse("meetings:meeting_live_state", args=[meeting.pk]), headers=HTMX)

        assert first.status_code == 200
        assert "Finding saved" in first.text
        assert Finding.objects.get().kind == "teaching"
        assert "Fair testing taught once" in state.text

    def test_an_empty_finding_is_refused(self, client, meeting):
        start_at(client, meeting, 1)
        url = reverse("meetings:meeting_finding_create", args=[meeting.pk])

        response = client.post(
            url, {"finding-kind": "teaching", "finding-key": str(uuid.uuid4())}, headers=HTMX
        )

        assert response.status_code == 422
        assert not Finding.objects.exists()

    def test_a_refused_finding_keeps_what_was_typed_beside_the_empty_fields_drawn(
        self, client, meeting
    ):
        start_at(client, meeting, 1)
        client.get(reverse("meetings:meeting_live", args=[meeting.pk]))  # draws the empty fields
        url = reverse("meetings:meeting_finding_create", args=[meeting.pk])

        refused = client.post(
            url, {"finding-text": "Fair testing taught once", "finding-key": str(uuid.uuid4())},
            headers=HTMX,
        )  # fmt: skip
        saved = client.post(
            url, {"finding-kind": "teaching", "finding-text": "Fair testing taught once", "finding-key": str(uuid.uuid4())},
            headers=HTMX,
        )  # fmt: skip

        assert refused.status_code == 422
        assert "Choose what the finding is about." in refused.text
        assert "Fair testing taught once</textarea>" in refused.text
        assert saved.status_code == 200
        assert "Fair testing taught once</textarea>" not in saved.text  # empty for the next


class TestEditClash:
    def test_an_edit_that_clashes_is_refused_with_both_versions_shown(self, client, meeting):
        start_at(client, meeting, 2)
        action = ActionFactory(
            school=meeting.school, meeting=meeting, pupil=meeting.items.first().pupil
        )
        url = reverse("meetings:meeting_action_edit", args=[meeting.pk, action.pk])
        mine = entry(meeting, version=action.version, text="Mine: reteach with bar models on Tuesdays for three weeks")  # fmt: skip
        theirs = mine | {"text": "Theirs: reteach with fraction walls on Thursdays for three weeks"}
        client.post(url, theirs)
        client.force_login(person(meeting, "recorder"))

        response = client.post(url, mine)

        assert response.status_code == 422
        assert "Someone else changed this action" in response.text
        assert "Mine: reteach with bar models" in response.text  # what I typed, kept
        assert "Theirs: reteach with fraction walls" in response.text  # what they saved
        action.refresh_from_db()
        assert action.text.startswith("Theirs")

    def test_after_closing_actions_change_only_through_reviews(self, client, meeting):
        action = ActionFactory(school=meeting.school, meeting=meeting)
        Meeting.objects.filter(pk=meeting.pk).update(status=Meeting.Status.CLOSED)
        client.force_login(person(meeting, "chair"))

        url = reverse("meetings:meeting_action_edit", args=[meeting.pk, action.pk])
        response = client.get(url, follow=True)
        assert "This meeting has closed, so changing a logged action is no longer possible." in (
            response.text
        )
        assert client.post(url, entry(meeting, text="Changed after closing")).status_code == 302
        action.refresh_from_db()
        assert action.text != "Changed after closing"


class TestRemoving:
    def test_the_recorder_removes_an_entry_logged_by_mistake(self, client, meeting):
        start_at(client, meeting, 2)
        action = ActionFactory(school=meeting.school, meeting=meeting)
        client.force_login(person(meeting, "recorder"))

        response = client.post(
            reverse("meetings:meeting_action_delete", args=[meeting.pk, action.pk])
        )

        assert response.status_code == 302
        assert not Action.objects.exists()

    @pytest.mark.parametrize("who", ["teacher", "outsider", "after closing"])
    def test_no_one_else_and_nothing_after_closing(self, client, meeting, who):
        action = ActionFactory(school=meeting.school, meeting=meeting)
        url = reverse("meetings:meeting_action_delete", args=[meeting.pk, action.pk])
        if who == "teacher":
            teacher = UserFactory(school=meeting.school, roles=[Role.TEACHER])
            meeting.set_attendees(
                chair=person(meeting, "chair"),
                recorder=person(meeting, "recorder"),
                others=[teacher],
            )
            client.force_login(teacher)
        elif who == "outsider":
            client.force_login(UserFactory(roles=[Role.SENIOR_LEADER]))
        else:
            Meeting.objects.filter(pk=meeting.pk).update(status=Meeting.Status.CLOSED)
            client.force_login(person(meeting, "chair"))

        expected = {"outsider": 404, "teacher": 403, "after closing": 302}[who]
        assert client.post(url).status_code == expected
        assert Action.objects.exists()


@pytest.mark.parametrize("who", ["attending teacher", "another school's leader"])
@pytest.mark.parametrize("view", ["meeting_park", "meeting_action_edit"])
def test_parking_and_changing_are_for_the_chair_and_recorder_of_this_school(
    client, meeting, who, view
):
    start_at(client, meeting, 2)
    action = ActionFactory(school=meeting.school, meeting=meeting)
    if who == "attending teacher":
        teacher = UserFactory(school=meeting.school, roles=[Role.TEACHER])
        meeting.set_attendees(
            chair=person(meeting, "chair"), recorder=person(meeting, "recorder"), others=[teacher]
        )
        client.force_login(teacher)
    else:
        client.force_login(UserFactory(roles=[Role.SENIOR_LEADER]))
    target = meeting.items.first().pk if view == "meeting_park" else action.pk
    url = reverse(f"meetings:{view}", args=[meeting.pk, target])

    response = client.post(url, {"note": "Out of time"} | entry(meeting, version=action.version))

    assert response.status_code == (403 if who == "attending teacher" else 404)
    assert meeting.items.first().parked_at is None
    action.refresh_from_db()
    assert action.version == 1


def test_the_minutes_keep_findings_group_actions_and_parked_items(client, meeting):
    first = meeting.items.first()
    Finding.objects.create(
        school=meeting.school, meeting=meeting, kind="curriculum", text="Fractions taught once"
    )
    ActionFactory(school=meeting.school, meeting=meeting, pupil=None, group_name="6N number facts")
    type(first).objects.filter(pk=first.pk).update(
        parked_at=dt.datetime(2026, 11, 30, 16, 20, tzinfo=dt.UTC), parked_note="Out of time"
    )
    client.force_login(person(meeting, "chair"))

    page = client.get(reverse("meetings:meeting_minutes", args=[meeting.pk])).text

    assert "Finding (curriculum): Fractions taught once" in page
    assert "6N number facts (group action)" in page
    assert "Parked for the next meeting: Out of time" in page


class TestParking:
    def test_the_chair_parks_an_item_for_the_next_meeting_of_the_series(self, client, meeting):
        series = Series.objects.create(school=meeting.school, name="Year 6 half-termly")
        Meeting.objects.filter(pk=meeting.pk).update(series=series)
        start_at(client, meeting, 2)
        first = meeting.items.first()

        response = client.post(
            reverse("meetings:meeting_park", args=[meeting.pk, first.pk]),
            {"note": "Out of time: start with the reading age retest"},
        )

        assert response.status_code == 302
        first.refresh_from_db()
        meeting.refresh_from_db()
        assert first.parked_note.startswith("Out of time")
        assert meeting.item_index == 1  # the chair moved on to the next pupil
        later = MeetingFactory(school=meeting.school, series=series, date=dt.date(2027, 1, 11))
        proposals = propose(meeting=later, on=dt.date(2026, 11, 23))
        assert proposals[0].pupil == first.pupil
        assert "start with the reading age retest" in proposals[0].reasons[PARKED]
        client.force_login(person(later, "chair"))
        page = client.get(reverse("meetings:meeting_shortlist", args=[later.pk])).text
        assert f'value="{first.pupil.pk}"' in page
        assert "parked on" in page

    def test_parking_needs_a_note_and_the_chair(self, client, meeting):
        Meeting.objects.filter(pk=meeting.pk).update(
            series=Series.objects.create(school=meeting.school, name="S")
        )
        start_at(client, meeting, 2)
        item = meeting.items.first()
        url = reverse("meetings:meeting_park", args=[meeting.pk, item.pk])

        client.post(url, {"note": ""})
        client.force_login(person(meeting, "recorder"))
        refused = client.post(url, {"note": "Out of time"})

        item.refresh_from_db()
        assert item.parked_at is None
        assert refused.status_code == 403


class TestAgreeAndShare:
    def test_agreeing_flags_actions_to_put_right_and_items_without_one(self, client, meeting):
        start_at(client, meeting, 2)
        first, second, _ = meeting.items.all()
        gone = UserFactory(school=meeting.school, is_active=False)
        ActionFactory(school=meeting.school, meeting=meeting, pupil=first.pupil, owner=gone)
        for _ in range(3):
            client.post(reverse("meetings:meeting_move", args=[meeting.pk]), {"direction": "next"})

        state = client.get(reverse("meetings:meeting_live_state", args=[meeting.pk]), headers=HTMX)

        assert "has left: agree a new owner" in state.text
        assert "No action yet for:" in state.text
        assert escape(second.pupil.name) in state.text

    def test_sharing_lists_parents_to_contact_and_staff_not_in_the_room(self, client, meeting):
        start_at(client, meeting, 2)
        absent = UserFactory(school=meeting.school, display_name="Ms Absent")
        ActionFactory(
            school=meeting.school, meeting=meeting, pupil=meeting.items.first().pupil,
            owner=absent, parent_contact="attendance", attendance_plan=True,
        )  # fmt: skip
        for _ in range(4):
            client.post(reverse("meetings:meeting_move", args=[meeting.pk]), {"direction": "next"})

        state = client.get(reverse("meetings:meeting_live_state", args=[meeting.pk]), headers=HTMX)

        name = escape(meeting.items.first().pupil.name)
        assert f"{name}'s parents: attendance" in state.text
        assert f"Ms Absent: 1 action ({name})" in state.text
        assert f"Attendance plan: {name}" in state.text


@pytest.mark.parametrize(("year_group", "usual"), [(6, "4 Jan 2027"), (11, "14 Dec 2026")])
def test_the_live_check_suggests_the_review_date_for_the_pupils_year_group(
    client, meeting, year_group, usual
):
    start_at(client, meeting, 2)
    item = meeting.items.first()
    type(item.pupil).objects.filter(pk=item.pupil_id).update(year_group=year_group)
    client.force_login(person(meeting, "recorder"))

    response = client.post(
        reverse("meetings:meeting_action_check", args=[meeting.pk]),
        entry(meeting, item=item.pk, kind="intervention", review_on="2026-12-18"),
        headers=HTMX,
    )

    # Exam years are checked sooner, in the live check as in the saved action's default.
    assert f"For intervention, impact is usually checked by {usual}." in response.text


def test_the_live_check_of_a_change_uses_its_pupils_year_group(client, meeting):
    start_at(client, meeting, 2)
    pupil = meeting.items.first().pupil
    type(pupil).objects.filter(pk=pupil.pk).update(year_group=11)
    action = ActionFactory(school=meeting.school, meeting=meeting, pupil=pupil)
    client.force_login(person(meeting, "recorder"))

    response = client.post(
        reverse("meetings:meeting_action_check", args=[meeting.pk]) + f"?action={action.pk}",
        entry(meeting, kind="intervention", review_on="2026-12-18"),
        headers=HTMX,
    )

    assert "For intervention, impact is usually checked by 14 Dec 2026." in response.text

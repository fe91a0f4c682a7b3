import csv
import datetime as dt
import io
import re
import uuid

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils.html import escape

from actions.models import Action, Review
from meetings.models import Meeting
from progress.models import Role, SchoolSettings
from tests.factories import (
    AcademicYearFactory,
    ActionFactory,
    MeetingFactory,
    PupilFactory,
    UserFactory,
    pupil_with_maths,
)

pytestmark = pytest.mark.django_db
HTMX = {"HX-Request": "true"}


@pytest.fixture
def school(today):
    return AcademicYearFactory(start_year=2026).school


def action_data(owner, **changes) -> dict:
    return {
        "barrier": "Misses Monday lessons, when new fractions content is introduced",
        "barrier_category": "attendance",
        "text": "Attendance lead phones home after each Monday absence and meets parents by Friday",
        "kind": "attendance", "owner": owner.pk, "review_on": "2026-12-07", "parent_contact": "attendance",
        "key": str(uuid.uuid4()),
    } | changes  # fmt: skip


class TestRecorderForm:
    @pytest.fixture
    def meeting(self, school):
        meeting = MeetingFactory(school=school)
        meeting.confirm_shortlist(
            by=meeting.created_by,
            pupils=[(PupilFactory(school=school), "maths fell")],
            groups=[],
            over_cap_reason="",
        )
        meeting.start(by=meeting.attendees.get(role="chair").user)  # actions are logged as it runs
        return meeting

    def url(self, meeting):
        return reverse("meetings:meeting_action_create", args=[meeting.pk])

    def test_the_recorder_logs_an_action_with_the_data_as_it_stood(self, client, meeting):
        recorder = meeting.attendees.get(role="recorder").user
        item = meeting.items.get()
        client.force_login(recorder)

        response = client.post(self.url(meeting), action_data(recorder) | {"item": item.pk})

        assert response.status_code == 302
        action = Action.objects.get()
        assert (action.meeting, action.pupil, action.owner) == (meeting, item.pupil, recorder)
        assert "attendance" in action.snapshot

    @pytest.mark.parametrize(
        "text", ["monitor", "Needs support", "Discuss with parents", "Keep an eye on him"]
    )
    def test_vague_actions_are_refused_and_what_was_typed_is_kept(self, client, meeting, text):
        recorder = meeting.attendees.get(role="recorder").user
        client.force_login(recorder)

        response = client.post(
            self.url(meeting), action_data(recorder, text=text) | {"item": meeting.items.get().pk}
        )

        assert response.status_code == 422
        assert "For example" in response.text
        assert text.replace("'", "&#x27;") in response.text
        assert "Misses Monday lessons, when new fractions content is introduced" in response.text
        assert not Action.objects.exists()

    def test_a_review_date_in_the_holiday_is_refused(self, client, meeting):
        recorder = meeting.attendees.get(role="recorder").user
        client.force_login(recorder)

        response = client.post(
            self.url(meeting),
            action_data(recorder, review_on="2026-12-24") | {"item": meeting.items.get().pk},
        )

        assert "24 Dec 2026 is in a school holiday: try 4 Jan 2027." in response.text

    @pytest.fixture
    def no_calendar(self, today):
        """A meeting of a school that has entered no term dates at all."""
        meeting = MeetingFactory()
        pupil = PupilFactory(school=meeting.school)
        meeting.confirm_shortlist(
            by=meeting.created_by, pupils=[(pupil, "maths fell")], groups=[], over_cap_reason=""
        )
        meeting.start(by=meeting.attendees.get(role="chair").user)
        return meeting

    def test_a_school_with_no_term_dates_still_logs_actions_and_is_told_what_to_add(
        self, client, no_calendar
    ):
        meeting = no_calendar
        recorder = meeting.attendees.get(role="recorder").user
        client.force_login(recorder)
        data = action_data(recorder, review_on="2026-12-11") | {"item": meeting.items.get().pk}

        check = client.post(
            reverse("meetings:meeting_action_check", args=[meeting.pk]), data, headers=HTMX
        )
        saved = client.post(self.url(meeting), data)

        assert "no term dates for 2026/27 yet, so holidays cannot be checked" in check.text
        assert "adds them under School calendar" in check.text
        assert "is not a school day" not in check.text
        assert saved.status_code == 302
        assert Action.objects.get().review_on == dt.date(2026, 12, 11)

    def test_with_no_term_dates_a_weekend_is_still_refused(self, client, no_calendar):
        meeting = no_calendar
        recorder = meeting.attendees.get(role="recorder").user
        client.force_login(recorder)

        response = client.post(
            self.url(meeting),
            action_data(recorder, review_on="2026-12-05") | {"item": meeting.items.get().pk},
        )

        assert response.status_code == 422
        assert "5 Dec 2026 is a Saturday: try 7 Dec 2026." in response.text
        assert not Action.objects.exists()

    def test_the_live_check_says_what_is_wrong_and_the_owners_load(self, client, meeting):
        recorder = meeting.attendees.get(role="recorder").user
        ActionFactory.create_batch(
            7, school=meeting.school, owner=recorder, review_on=dt.date(2026, 12, 8)
        )
        client.force_login(recorder)

        response = client.post(
            reverse("meetings:meeting_action_check", args=[meeting.pk]),
            action_data(recorder, text="support"),
            headers=HTMX,
        )

        assert response.text.lstrip().startswith('<div id="action-quality"')
        assert "Say what will be done, not the kind of help." in response.text
        assert "has 7 open actions, 7 due between 30 Nov 2026 and 14 Dec 2026" in response.text
        assert escape("One more is more than the school's 6 in a fortnight") in response.text
        chair = meeting.attendees.get(role="chair").user
        assert f"In the room with fewer due then: {escape(chair.display_name)} (0)." in (
            response.text
        )

    def test_a_second_intervention_asks_the_guidances_questions_first(self, client, meeting):
        recorder = meeting.attendees.get(role="recorder").user
        item = meeting.items.get()
        ActionFactory(school=meeting.school, pupil=item.pupil, kind="intervention")
        client.force_login(recorder)
        data = action_data(recorder, kind="intervention", review_on="2027-01-04") | {
            "item": item.pk,
            "text": "Lexia for 20 minutes on Monday, Wednesday and Friday for six weeks",
            "impact_check": "reading age retested at the end",
        }

        check = client.post(
            reverse("meetings:meeting_action_check", args=[meeting.pk]), data, headers=HTMX
        )
        saved = client.post(self.url(meeting), data)

        assert escape(f"{item.pupil.name} already has an intervention.") in check.text
        assert "could it be done in class, in the lesson itself?" in check.text
        assert saved.status_code == 302  # advice, never a refusal

    def test_the_live_check_suggests_the_review_date_for_the_kind(self, client, meeting):
        recorder = meeting.attendees.get(role="recorder").user
        client.force_login(recorder)

        response = client.post(
            reverse("meetings:meeting_action_check", args=[meeting.pk]),
            action_data(recorder, kind="behaviour", review_on="2027-01-04"),
            headers=HTMX,
        )

        assert "For behaviour, impact is usually checked by 7 Dec 2026." in response.text

    def test_a_school_sets_its_own_limit_and_phrases(self, client, meeting):
        SchoolSettings.objects.create(
            school=meeting.school, owner_limit=10, extra_vague_phrases="nurture group\n"
        )
        recorder = meeting.attendees.get(role="recorder").user
        client.force_login(recorder)

        response = client.post(
            reverse("meetings:meeting_action_check", args=[meeting.pk]),
            action_data(recorder, text="Nurture group"),
            headers=HTMX,
        )

        assert escape("is on your school's list of phrases that say too little") in response.text
        assert "more than 10" not in response.text

    @pytest.mark.parametrize("role", [Role.TEACHER, Role.TEACHING_ASSISTANT])
    def test_attendees_who_do_not_record_may_not_log(self, client, school, role):
        attendee = UserFactory(school=school, roles=[role])
        meeting = MeetingFactory(school=school, people=[attendee])
        client.force_login(attendee)

        assert client.get(self.url(meeting)).status_code == 403

    def test_another_schools_meeting_is_not_found(self, client, meeting):
        client.force_login(UserFactory(roles=[Role.SENIOR_LEADER]))

        assert client.get(self.url(meeting)).status_code == 404


class TestReview:
    def answers(self, action, **changes) -> dict:
        return {
            "version": action.version, "happened": "yes", "what_changed": "Attended every Monday since",
            "evidence": "Registers", "decision": "completed", "impact": "2",
        } | changes  # fmt: skip

    def test_the_owner_records_impact_and_completes_it(self, client, school):
        action = ActionFactory(school=school)
        client.force_login(action.owner)

        client.post(reverse("actions:action_review", args=[action.pk]), self.answers(action))

        action.refresh_from_db()
        assert action.status == Action.Status.COMPLETED
        review = Review.objects.get()
        assert (review.impact, review.reviewed_by) == (2, action.owner)

    def test_not_happening_needs_a_reason_and_impact_needs_evidence(self, client, school):
        action = ActionFactory(school=school)
        client.force_login(action.owner)

        response = client.post(
            reverse("actions:action_review", args=[action.pk]),
            self.answers(action, happened="no", evidence=""),
        )

        assert response.status_code == 422
        assert "Say why it did not fully happen" in response.text
        assert "Impact needs evidence" in response.text

    def test_two_reviews_at_once_one_wins_and_the_other_is_told(self, client, school):
        action = ActionFactory(school=school)
        leader = UserFactory(school=school, roles=[Role.SENIOR_LEADER])
        stale = self.answers(action, decision="continue")
        client.force_login(action.owner)
        client.post(reverse("actions:action_review", args=[action.pk]), stale)
        client.force_login(leader)

        response = client.post(
            reverse("actions:action_review", args=[action.pk]), stale | {"what_changed": "Mine"}
        )

        assert response.status_code == 422
        assert "Someone else recorded a review of this action" in response.text
        assert "Attended every Monday since" in response.text  # theirs, shown above
        assert Review.objects.count() == 1

    def test_adjusting_replaces_it_with_a_linked_action(self, client, school):
        action = ActionFactory(school=school)
        action.supporting.set(
            [UserFactory(school=school)], through_defaults={"school": action.school}
        )
        client.force_login(action.owner)

        response = client.post(
            reverse("actions:action_review", args=[action.pk]),
            self.answers(
                action,
                decision="adjust",
                impact="0",
                adjusted_text="Attendance lead meets parents on Monday mornings for three weeks",
                adjusted_review_on="2026-12-14",
            ),
        )

        assert response.status_code == 302
        action.refresh_from_db()
        assert action.status == Action.Status.SUPERSEDED
        adjusted = Action.objects.get(supersedes=action)
        assert adjusted.status == Action.Status.OPEN
        assert adjusted.text.startswith("Attendance lead meets parents")
        assert (adjusted.review_on, adjusted.owner, adjusted.pupil) == (
            dt.date(2026, 12, 14), action.owner, action.pupil,
        )  # fmt: skip
        assert list(adjusted.supporting.all()) == list(action.supporting.all())

    def test_the_adjusted_review_date_is_proposed_on_a_school_day(self, client, school):
        action = ActionFactory(school=school, kind="intervention")  # four weeks: 21 Dec
        client.force_login(action.owner)

        response = client.get(reverse("actions:action_review", args=[action.pk]))

        assert response.context["form"]["adjusted_review_on"].value() == dt.date(2027, 1, 4)

    def test_adjusting_with_no_term_dates_saves_and_says_what_to_add(self, client, today):
        action = ActionFactory()  # its school has no calendar
        client.force_login(action.owner)

        response = client.post(
            reverse("actions:action_review", args=[action.pk]),
            self.answers(action, decision="adjust", impact="0", adjusted_review_on="2026-12-11")
            | {"adjusted_text": "Attendance lead meets parents on Monday mornings for three weeks"},
            follow=True,
        )

        assert Action.objects.get(supersedes=action).review_on == dt.date(2026, 12, 11)
        assert "no term dates for 2026/27 yet" in response.text

    def test_an_adjustment_must_itself_be_specific_and_dated(self, client, school):
        action = ActionFactory(school=school)
        client.force_login(action.owner)

        response = client.post(
            reverse("actions:action_review", args=[action.pk]),
            self.answers(action, decision="adjust", impact="0", adjusted_text="monitor"),
        )

        assert response.status_code == 422
        assert "Give a review date" in response.text
        assert "Say what will be done, not the kind of help." in response.text
        action.refresh_from_db()
        assert action.status == Action.Status.OPEN
        assert Action.objects.count() == 1

    def test_the_pupils_data_then_and_now_stand_side_by_side(self, client, school):
        year = school.academic_years.get()
        pupil = pupil_with_maths(school, year)  # EXS in October, WTS in November
        then = {"attendance": "88.0% then", "attainment": [{"subject": "Maths", "latest": "EXS"}]}
        action = ActionFactory(school=school, pupil=pupil, snapshot=then)
        client.force_login(action.owner)

        page = client.get(reverse("actions:action_review", args=[action.pk])).text

        assert "88.0% then" in page
        assert "EXS" in page
        assert "WTS (Point 1)" in page  # the latest result now, and the assessment it came from

    def test_another_teacher_may_not_review(self, client, school):
        action = ActionFactory(school=school)
        client.force_login(UserFactory(school=school, roles=[Role.TEACHER]))

        assert client.get(reverse("actions:action_review", args=[action.pk])).status_code == 404

    def test_the_chair_of_its_meeting_records_impact_through_the_meeting(self, client, school):
        meeting = MeetingFactory(school=school, status=Meeting.Status.CLOSED)
        chair = meeting.attendees.get(role="chair").user
        chair.set_roles([Role.TEACHER])
        action = ActionFactory(school=school, meeting=meeting)
        client.force_login(chair)
        url = reverse("meetings:meeting_action_review", args=[meeting.pk, action.pk])

        assert client.get(url).status_code == 200
        response = client.post(url, self.answers(action))

        assert response["Location"] == reverse("meetings:meeting_detail", args=[meeting.pk])
        assert Review.objects.get().reviewed_by == chair
        # The actions app knows nothing of meetings: there, a chair is no one special.
        assert client.get(reverse("actions:action_review", args=[action.pk])).status_code == 404

    def test_only_its_chair_records_impact_through_the_meeting(self, client, school):
        meeting = MeetingFactory(school=school, status=Meeting.Status.CLOSED)
        action = ActionFactory(school=school, meeting=meeting)
        recorder = meeting.attendees.get(role="recorder").user
        url = reverse("meetings:meeting_action_review", args=[meeting.pk, action.pk])
        client.force_login(recorder)
        assert client.get(url).status_code == 403
        client.force_login(UserFactory(roles=[Role.SENIOR_LEADER]))
        assert client.get(url).status_code == 404

    def test_an_action_on_a_pupil_who_has_left_stays_readable(self, client, school):
        action = ActionFactory(school=school)
        action.pupil.date_left = dt.date(2026, 11, 1)
        action.pupil.save()
        client.force_login(action.owner)

        assert (
            escape(action.pupil.name)
            in client.get(reverse("actions:action_review", args=[action.pk])).text
        )


class TestMyActionsAndLog:
    def test_my_actions_lists_mine_by_when_they_are_due(self, client, school, today):
        owner = UserFactory(school=school)
        for days in (-1, 0, 7, 8):  # yesterday, today, a week ahead, a day beyond
            ActionFactory(school=school, owner=owner, review_on=today + dt.timedelta(days=days))
        ActionFactory(school=school)  # someone else's
        client.force_login(owner)

        response = client.get(reverse("actions:my_actions"))

        sections = {
            heading: [(a.review_on - today).days for a in actions]
            for heading, actions, _ in response.context["sections"]
        }
        assert sections == {"Overdue for review": [-1], "Due within 7 days": [0, 7], "Later": [8]}
        assert '<h2 class="h5">Due within 7 days</h2>' in response.text

    @pytest.mark.parametrize(("due", "expected"), [("overdue", [-1]), ("soon", [0, 7])])
    def test_the_log_filters_by_when_actions_are_due(self, client, school, today, due, expected):
        for days in (-1, 0, 7, 8):
            ActionFactory(school=school, review_on=today + dt.timedelta(days=days))
        ActionFactory(school=school, review_on=today - dt.timedelta(days=3), status="completed")
        client.force_login(UserFactory(school=school, roles=[Role.SENIOR_LEADER]))

        response = client.get(reverse("action_log"), {"due": due})

        assert [
            (a.review_on - today).days for a in response.context["page"].object_list
        ] == expected
        assert "Due within 7 days</option>" in response.text

    def test_the_log_marks_only_open_actions_past_their_date_overdue(self, client, school, today):
        ActionFactory(school=school, review_on=today - dt.timedelta(days=1))
        ActionFactory(school=school, review_on=today)
        ActionFactory(school=school, review_on=today - dt.timedelta(days=3), status="completed")
        client.force_login(UserFactory(school=school, roles=[Role.SENIOR_LEADER]))

        response = client.get(reverse("action_log"))

        assert response.text.count("(overdue for review)") == 1

    def test_the_log_is_read_a_page_of_fifty_at_a_time_keeping_its_filters(
        self, client, school, today
    ):
        owner = UserFactory(school=school)
        ActionFactory.create_batch(
            60, school=school, owner=owner, review_on=today - dt.timedelta(days=1)
        )
        ActionFactory(school=school, review_on=today + dt.timedelta(days=30))  # not overdue
        client.force_login(UserFactory(school=school, roles=[Role.SENIOR_LEADER]))

        first = client.get(reverse("action_log"), {"due": "overdue"})
        second = client.get(reverse("action_log"), {"due": "overdue", "page": 2})

        assert len(first.context["page"].object_list) == 50
        assert re.search(r"60 actions\s+· page 1 of 2", first.text)
        assert 'href="?due=overdue&amp;page=2">Next</a>' in first.text
        assert len(second.context["page"].object_list) == 10
        assert 'href="?due=overdue&amp;page=1">Previous</a>' in second.text
        shown = [*first.context["page"].object_list, *second.context["page"].object_list]
        assert len({action.pk for action in shown}) == 60

    def test_the_log_filters_and_is_for_leaders(self, client, school, today):
        overdue = ActionFactory(school=school, review_on=today - dt.timedelta(days=1))
        ActionFactory(school=school)
        client.force_login(UserFactory(school=school, roles=[Role.SENIOR_LEADER]))

        response = client.get(reverse("action_log"), {"due": "overdue"})

        assert list(response.context["page"].object_list) == [overdue]
        client.force_login(overdue.owner)
        assert client.get(reverse("action_log")).status_code == 403

    def test_the_csv_is_safe_in_a_spreadsheet(self, client, school):
        ActionFactory(
            school=school,
            text='=HYPERLINK("http://evil.example") then phone home',
            barrier="+1 the barrier",
        )
        client.force_login(UserFactory(school=school, roles=[Role.SENIOR_LEADER]))

        response = client.get(reverse("action_log"), {"format": "csv"})

        rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
        assert rows[0][:3] == ["Pupil or group", "Barrier", "Action"]
        assert rows[1][1] == "'+1 the barrier"
        assert rows[1][2].startswith("'=HYPERLINK")

    def test_the_csv_has_each_action_with_its_latest_review(self, client, school, today):
        reviewed, waiting = ActionFactory.create_batch(2, school=school)
        group = ActionFactory(school=school, pupil=None, group_name="Year 6 fractions group")
        type(reviewed.pupil).objects.filter(pk=reviewed.pupil_id).update(
            legal_forename="Alexander", preferred_forename="Alex"
        )
        for day, impact, changed in [(1, 2, "Attends every Monday"), (2, None, "Too early")]:
            Review.objects.create(
                school=school, action=reviewed, happened="yes", decision="continue",
                impact=impact, what_changed=changed,
                reviewed_at=dt.datetime(2026, 11, day, 16, tzinfo=dt.UTC),
            )  # fmt: skip
        client.force_login(UserFactory(school=school, roles=[Role.SENIOR_LEADER]))

        response = client.get(reverse("action_log"), {"format": "csv"})

        rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
        by_subject = {row[0]: row for row in rows[1:]}
        assert len(rows) == 4
        alex = by_subject[f"Alex {reviewed.pupil.surname}"]
        assert alex[1:] == [
            reviewed.barrier, reviewed.text, reviewed.impact_check, "Attendance",
            reviewed.owner.display_name, "07/12/2026", "Open", "Not yet known: Too early",
        ]  # fmt: skip
        assert by_subject[waiting.pupil.name][-1] == ""
        assert by_subject["Year 6 fractions group"][5] == group.owner.display_name


class TestReminders:
    def test_one_digest_per_owner_per_day_with_a_link_and_no_pupil_names(
        self, school, today, settings, deliver
    ):
        settings.SITE_URL = "https://progress.example.org"
        action = ActionFactory(school=school, review_on=today + dt.timedelta(days=1))
        ActionFactory(school=school, owner=action.owner, review_on=today - dt.timedelta(days=3))
        ActionFactory(school=school, review_on=today + dt.timedelta(days=40))  # not due yet

        type(action.pupil).objects.filter(pk=action.pupil_id).update(legal_surname="Quartermaine")
        call_command("send_reminders", stdout=io.StringIO())
        call_command("send_reminders", stdout=io.StringIO())

        sent = deliver()
        assert len(sent) == 1
        message = sent[0]
        assert message.to == [action.owner.email]
        assert "2 actions to review: 1 overdue for review, 1 due within 7 days" in message.body
        assert "(by Monday 30 November)" in message.body
        assert "https://progress.example.org/actions/mine/" in message.body
        assert "Quartermaine" not in message.body  # no pupil details by e-mail

    def test_the_digest_counts_what_the_screens_call_overdue_and_due_soon(
        self, school, today, deliver
    ):
        owner = UserFactory(school=school)
        for days in (-1, 0, 7, 8):  # yesterday, today, a week ahead, a day beyond
            ActionFactory(school=school, owner=owner, review_on=today + dt.timedelta(days=days))

        call_command("send_reminders", stdout=io.StringIO())

        assert "3 actions to review: 1 overdue for review, 2 due within 7 days" in (
            deliver()[0].body
        )

    def test_nothing_due_within_the_week_sends_nothing(self, school, today, deliver):
        ActionFactory(school=school, review_on=today + dt.timedelta(days=8))

        call_command("send_reminders", stdout=io.StringIO())

        assert deliver() == []

    def test_a_start_check_asks_each_owner_once_with_a_one_click_link(
        self, school, today, settings, deliver
    ):
        settings.SITE_URL = "https://progress.example.org"
        asked = ActionFactory(school=school, start_check_on=today)
        ActionFactory(school=school, start_check_on=today + dt.timedelta(days=1))  # not yet
        ActionFactory(school=school, start_check_on=today, started_on=today)  # already begun

        call_command("send_reminders", stdout=io.StringIO())
        call_command("send_reminders", stdout=io.StringIO())

        [message] = deliver()
        assert message.to == [asked.owner.email]
        assert message.subject == "Has your action started?"
        assert f"https://progress.example.org/actions/{asked.pk}/start/" in message.body
        assert asked.pupil.legal_surname not in message.body

    def test_closed_actions_and_former_staff_get_no_reminder(self, school, today, deliver):
        ActionFactory(
            school=school, review_on=today + dt.timedelta(days=1), status=Action.Status.COMPLETED
        )
        gone = ActionFactory(school=school, review_on=today + dt.timedelta(days=1))
        gone.owner.is_active = False
        gone.owner.save()

        call_command("send_reminders", stdout=io.StringIO())

        assert deliver() == []


def test_previous_actions_come_back_at_the_next_meeting_of_the_series(school):
    first = MeetingFactory(school=school, date=dt.date(2026, 10, 12), status=Meeting.Status.CLOSED)
    pupil = PupilFactory(school=school)
    due = ActionFactory(school=school, meeting=first, pupil=pupil, review_on=dt.date(2026, 11, 27))
    ActionFactory(
        school=school, meeting=first, pupil=pupil, review_on=dt.date(2026, 12, 11)
    )  # not yet
    following = MeetingFactory(school=school, date=dt.date(2026, 11, 30))

    assert list(following.previous_actions()) == [due]


class TestExports:
    def test_the_log_downloads_as_a_pdf(self, client, school):
        ActionFactory(school=school)
        client.force_login(UserFactory(school=school, roles=[Role.SENIOR_LEADER]))

        response = client.get(reverse("action_log"), {"format": "pdf"})

        assert response["Content-Type"] == "application/pdf"
        assert response.content.startswith(b"%PDF")

    def test_minutes_say_who_was_discussed_what_was_decided_and_who_is_responsible(
        self, client, school
    ):
        meeting = MeetingFactory(school=school)
        pupil = PupilFactory(school=school, legal_forename="Tyler", legal_surname="Brennan")
        other = PupilFactory(school=school, legal_forename="Ruby", legal_surname="Shaw")
        meeting.confirm_shortlist(
            by=meeting.created_by,
            pupils=[(pupil, "attendance 86.8%"), (other, "maths fell")],
            groups=[],
            over_cap_reason="",
        )
        action = ActionFactory(school=school, meeting=meeting, pupil=pupil)
        client.force_login(meeting.attendees.get(role="chair").user)

        response = client.get(reverse("meetings:meeting_minutes", args=[meeting.pk]))

        discussed = dict(response.context["discussed"])
        assert [a.pk for a in discussed[meeting.items.get(pupil=pupil)]] == [action.pk]
        assert discussed[meeting.items.get(pupil=other)] == []
        assert f"{escape(str(action.owner))}:" in response.text  # a name may be O'Neill
        assert "Tyler Brennan (review 7 Dec)" in response.text

    def test_an_owner_who_has_left_is_flagged_at_review(self, client, school):
        action = ActionFactory(school=school)
        action.owner.is_active = False
        action.owner.save()
        client.force_login(UserFactory(school=school, roles=[Role.SENIOR_LEADER]))

        response = client.get(reverse("actions:action_review", args=[action.pk]))

        assert "has left the school: agree a new owner" in response.text


def test_the_log_filters_by_meeting_focus(client, school):
    attendance = MeetingFactory(school=school, focus="attendance")
    wanted = ActionFactory(school=school, meeting=attendance)
    ActionFactory(school=school, meeting=MeetingFactory(school=school))
    client.force_login(UserFactory(school=school, roles=[Role.SENIOR_LEADER]))

    response = client.get(reverse("action_log"), {"focus": "attendance"})

    assert list(response.context["page"].object_list) == [wanted]
    assert "Attendance affecting progress" in response.text


def test_the_live_check_never_shows_another_schools_staff(client, school):
    outsider = UserFactory()
    ActionFactory.create_batch(3, school=outsider.school, owner=outsider)
    meeting = MeetingFactory(school=school, status=Meeting.Status.RUNNING)
    client.force_login(meeting.attendees.get(role="recorder").user)

    response = client.post(
        reverse("meetings:meeting_action_check", args=[meeting.pk]),
        action_data(outsider),
        headers=HTMX,
    )

    assert escape(outsider.display_name) not in response.text
    assert "open actions" not in response.text

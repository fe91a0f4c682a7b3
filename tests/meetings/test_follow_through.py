"""After the meeting: the record reaches everyone who must act, support begins, parents are
contacted, follow-ups are checked off, and the next meeting in the same scope takes up what is
due."""

import datetime as dt
import importlib

import pytest
from django.apps import apps
from django.urls import reverse
from django.utils.html import escape

from actions.models import Action, Deferral, FollowUp, Review
from meetings.agenda import Section
from meetings.models import Meeting, Series
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


@pytest.fixture
def school(today):
    return AcademicYearFactory(start_year=2026).school


@pytest.fixture
def meeting(school):
    """A running Year 6 meeting at its last section with two pupils, each with an action: Amira's
    owned by a teacher who was not in the room and supported by a TA, with parent contact, an
    attendance plan and a safeguarding follow-up; Ben's owned by the chair."""
    meeting = MeetingFactory(school=school, series=Series.objects.create(school=school, name="Y6"))
    amira, ben = (
        PupilFactory(school=school, year_group=6, legal_forename=name, legal_surname="Okafor")
        for name in ("Amira", "Ben")
    )
    meeting.confirm_shortlist(
        by=meeting.created_by,
        pupils=[(amira, "attendance"), (ben, "maths")],
        groups=[],
        over_cap_reason="",
    )
    Meeting.objects.filter(pk=meeting.pk).update(status=Status.RUNNING, section=Section.SHARE)
    chair = meeting.attendees.get(role="chair").user
    absent = UserFactory(school=school, roles=[Role.TEACHER], display_name="Mr Absent")
    helper = UserFactory(school=school, roles=[Role.TEACHING_ASSISTANT], display_name="Ms Help")
    lead = UserFactory(school=school, roles=[Role.ATTENDANCE_LEAD], display_name="Mrs Lead")
    theirs = ActionFactory(
        school=school, meeting=meeting, pupil=amira, owner=absent, kind="reteach",
        parent_contact="attendance", attendance_plan=True, safeguarding_follow_up=True,
    )  # fmt: skip
    theirs.supporting.set([helper], through_defaults={"school": theirs.school})
    ActionFactory(school=school, meeting=meeting, pupil=ben, owner=chair, kind="intervention")
    meeting.refresh_from_db()
    meeting.people = {"chair": chair, "absent": absent, "helper": helper, "lead": lead}
    return meeting


def close(client, meeting):
    client.force_login(meeting.people["chair"])
    response = client.post(reverse("meetings:meeting_close", args=[meeting.pk]), CLOSING)
    assert response.status_code == 302
    meeting.refresh_from_db()


class TestEveryoneWhoMustAct:
    def test_owners_and_supporting_staff_present_or_not_get_a_link(self, client, meeting, deliver):
        close(client, meeting)

        sent = {message.to[0]: message.body for message in deliver()}

        absent, helper = meeting.people["absent"], meeting.people["helper"]
        assert "You own 1 action from it" in sent[absent.email]
        assert "You support 1 action from it" in sent[helper.email]
        link = f"http://testserver/meetings/{meeting.pk}/minutes/"
        assert link in sent[absent.email]
        assert all("Okafor" not in body for body in sent.values())

    def test_the_owner_of_a_follow_up_is_told_too(self, client, meeting, deliver):
        close(client, meeting)

        [email] = [m for m in deliver() if m.to == [meeting.people["lead"].email]]

        assert "You have 1 follow-up from it to record" in email.body
        assert "/minutes/" not in email.body  # no part of the minutes is theirs to open
        assert "/actions/mine/" in email.body

    @pytest.mark.parametrize("person", ["absent", "helper"])
    def test_their_link_opens_their_pupils_part_of_the_minutes_and_nothing_else(
        self, client, meeting, person
    ):
        close(client, meeting)
        client.force_login(meeting.people[person])

        page = client.get(reverse("meetings:meeting_minutes", args=[meeting.pk]))

        assert page.status_code == 200
        assert "Amira Okafor" in page.text
        assert "one-page summary" in page.text  # her summary, as the meeting saw it
        assert "Ben Okafor" not in page.text
        assert escape(meeting.difference) not in page.text

    def test_the_meeting_itself_stays_closed_to_them(self, client, meeting):
        close(client, meeting)
        client.force_login(meeting.people["absent"])

        assert client.get(meeting.get_absolute_url()).status_code == 404
        assert client.get(reverse("meetings:meeting_live", args=[meeting.pk])).status_code == 404

    def test_anyone_else_gets_not_found(self, client, meeting):
        close(client, meeting)
        for stranger in (
            UserFactory(school=meeting.school, roles=[Role.TEACHER]),
            UserFactory(roles=[Role.SENIOR_LEADER]),  # another school
        ):
            client.force_login(stranger)
            response = client.get(reverse("meetings:meeting_minutes", args=[meeting.pk]))
            assert response.status_code == 404

    def test_before_it_closes_an_owner_outside_the_room_sees_nothing(self, client, meeting):
        client.force_login(meeting.people["absent"])

        response = client.get(reverse("meetings:meeting_minutes", args=[meeting.pk]))

        assert response.status_code == 404

    def test_supporting_staff_see_the_actions_they_support(self, client, meeting):
        client.force_login(meeting.people["helper"])

        page = client.get(reverse("actions:my_actions")).text

        assert "Actions I support" in page
        assert "Amira Okafor" in page
        assert "Mr Absent" in page


class TestTheMinutes:
    def test_the_chairs_answer_heads_them_with_reviews_deferrals_and_follow_ups(
        self, client, meeting
    ):
        earlier = ActionFactory(school=meeting.school, text="Phone home each Monday by 9am")
        later = ActionFactory(school=meeting.school, text="Reteach column subtraction on Tuesday")
        Review.objects.create(
            school=meeting.school, action=earlier, meeting=meeting, happened="yes",
            evidence="register", what_changed="Mondays attended", decision="completed", impact=1,
        )  # fmt: skip
        Deferral.objects.create(
            school=meeting.school, action=later, meeting=meeting, reason="Owner away"
        )
        close(client, meeting)

        page = client.get(reverse("meetings:meeting_minutes", args=[meeting.pk])).text

        assert page.index("What will be different for pupils") < page.index("Purpose:")
        assert escape(CLOSING["difference"]) in page
        assert "Previous actions reviewed" in page
        assert "Phone home each Monday by 9am" in page
        assert "deferred to the next meeting: Owner away" in " ".join(page.split())
        assert "Contact parents for Amira Okafor" in page
        assert "Pass to the safeguarding system for Amira Okafor" in page


class TestStartChecks:
    def test_closing_sets_a_start_check_by_kind_in_school_days(self, client, meeting):
        close(client, meeting)

        checks = dict(meeting.actions.values_list("kind", "start_check_on"))

        # Closed on Monday 30 November: a reteach two school days on, an intervention five.
        assert checks == {"reteach": dt.date(2026, 12, 2), "intervention": dt.date(2026, 12, 7)}

    def test_the_owner_says_yes_in_one_click_from_my_actions(self, client, meeting, time_machine):
        close(client, meeting)
        time_machine.move_to(dt.datetime(2026, 12, 2, 10, tzinfo=dt.UTC), tick=False)
        action = Action.objects.get(owner=meeting.people["absent"])
        client.force_login(meeting.people["absent"])
        assert "Has it started?" in client.get(reverse("actions:my_actions")).text

        client.post(
            reverse("actions:action_start", args=[action.pk]),
            {"version": action.version, "started": "yes"},
        )

        action.refresh_from_db()
        assert action.started_on == dt.date(2026, 12, 2)
        assert "Has it started?" not in client.get(reverse("actions:my_actions")).text

    def test_not_yet_asks_why_and_by_when_and_keeps_what_was_typed(
        self, client, meeting, time_machine
    ):
        close(client, meeting)
        time_machine.move_to(dt.datetime(2026, 12, 2, 10, tzinfo=dt.UTC), tick=False)
        action = Action.objects.get(owner=meeting.people["absent"])
        client.force_login(meeting.people["absent"])
        url = reverse("actions:action_start", args=[action.pk])

        refused = client.post(
            url, {"version": action.version, "started": "no", "because": "Waiting for books"}
        )
        assert refused.status_code == 422
        assert "Say by when it will start." in refused.text
        assert "Waiting for books" in refused.text

        client.post(
            url,
            {
                "version": action.version,
                "started": "no",
                "because": "Waiting for books",
                "starts_by": "2026-12-07",
            },
        )
        action.refresh_from_db()
        assert (action.started_on, action.not_started_because, action.starts_by) == (
            None,
            "Waiting for books",
            dt.date(2026, 12, 7),
        )

    @pytest.mark.parametrize("because", ["Waiting for books.", "Waiting for books;", "..."])
    def test_a_reason_is_kept_without_its_closing_stop(
        self, client, meeting, time_machine, because
    ):
        close(client, meeting)
        time_machine.move_to(dt.datetime(2026, 12, 2, 10, tzinfo=dt.UTC), tick=False)
        action = Action.objects.get(owner=meeting.people["absent"])
        client.force_login(meeting.people["absent"])
        answer = {"version": action.version, "started": "no", "starts_by": "2026-12-07"}

        response = client.post(
            reverse("actions:action_start", args=[action.pk]), {**answer, "because": because}
        )

        action.refresh_from_db()
        if because == "...":
            assert response.status_code == 422
            assert "Say why it has not started yet." in response.text
            assert action.not_started_because == ""
        else:
            assert action.not_started_because == "Waiting for books"
            page = client.get(reverse("actions:my_actions")).text
            assert "Not yet: Waiting for books; by 7 Dec." in page

    def test_reasons_saved_before_lose_their_closing_stop(self, meeting):
        migration = importlib.import_module("actions.migrations.0012_reasons_without_closing_stop")
        saved = {
            "Waiting for books.": "Waiting for books",
            "No log yet;": "No log yet",
            "...": "...",
        }
        actions = [ActionFactory(school=meeting.school, not_started_because=r) for r in saved]

        migration.leave_off_closing_stops(apps, schema_editor=None)

        assert [Action.objects.get(pk=a.pk).not_started_because for a in actions] == list(
            saved.values()
        )

    @pytest.mark.parametrize("role", [Role.TEACHING_ASSISTANT, Role.TEACHER])
    def test_only_the_owner_or_a_leader_answers(self, client, meeting, role):
        close(client, meeting)
        action = Action.objects.get(owner=meeting.people["absent"])
        client.force_login(UserFactory(school=meeting.school, roles=[role]))

        response = client.post(
            reverse("actions:action_start", args=[action.pk]),
            {"version": action.version, "started": "yes"},
        )

        assert response.status_code in (403, 404)
        action.refresh_from_db()
        assert action.started_on is None

    def test_a_leader_may_answer_for_the_owner(self, client, meeting):
        close(client, meeting)  # the chair is a senior leader
        action = Action.objects.get(owner=meeting.people["absent"])

        client.post(
            reverse("actions:action_start", args=[action.pk]),
            {"version": action.version, "started": "yes"},
        )

        action.refresh_from_db()
        assert action.started_on is not None

    def test_the_chair_sees_who_has_not_started(self, client, meeting, time_machine):
        close(client, meeting)
        time_machine.move_to(dt.datetime(2026, 12, 3, 10, tzinfo=dt.UTC), tick=False)
        client.force_login(meeting.people["chair"])

        page = client.get(meeting.get_absolute_url()).text

        assert "No answer" in page


class TestFollowUps:
    def test_closing_makes_each_flag_a_tracked_item_with_an_owner_and_a_date(self, client, meeting):
        close(client, meeting)

        follow_ups = {
            f.kind: (f.owner, f.due_on) for f in FollowUp.objects.filter(action__meeting=meeting)
        }

        people = meeting.people
        assert follow_ups == {
            "parent_contact": (people["absent"], dt.date(2026, 12, 3)),
            "attendance_plan": (people["lead"], dt.date(2026, 12, 7)),
            "safeguarding": (people["chair"], dt.date(2026, 11, 30)),
        }

    def test_a_parent_contact_records_when_how_and_what_was_agreed(self, client, meeting):
        close(client, meeting)
        contact = FollowUp.objects.get(kind="parent_contact")
        client.force_login(meeting.people["absent"])
        url = reverse("actions:follow_up_record", args=[contact.pk])

        refused = client.post(url, {"version": 1, "done_on": "2026-11-23", "outcome": "Agreed"})
        assert refused.status_code == 422
        assert "Say how the parents were contacted." in refused.text

        client.post(
            url,
            {"version": 1, "done_on": "2026-11-23", "how": "phone", "outcome": "Mum rings by 9"},
        )
        contact.refresh_from_db()
        assert (contact.done_on, contact.how, contact.outcome) == (
            dt.date(2026, 11, 23),
            "phone",
            "Mum rings by 9",
        )

    def test_a_contact_that_could_not_happen_says_why(self, client, meeting):
        close(client, meeting)
        contact = FollowUp.objects.get(kind="parent_contact")
        client.force_login(meeting.people["absent"])

        client.post(
            reverse("actions:follow_up_record", args=[contact.pk]),
            {"version": 1, "done_on": "2026-11-23", "could_not": "on", "outcome": "No answer"},
        )

        contact.refresh_from_db()
        assert (contact.could_not, contact.how, contact.outcome) == (True, "", "No answer")

    def test_safeguarding_records_only_that_it_was_passed_on(self, client, meeting):
        close(client, meeting)
        concern = FollowUp.objects.get(kind="safeguarding")
        url = reverse("actions:follow_up_record", args=[concern.pk])

        form = client.get(url).text
        assert "What was agreed" not in form
        client.post(url, {"version": 1, "done_on": "2026-11-23", "outcome": "Details of it"})

        concern.refresh_from_db()
        assert (concern.done_on, concern.outcome) == (dt.date(2026, 11, 23), "")

    def test_the_chair_sees_which_are_outstanding(self, client, meeting):
        close(client, meeting)

        page = client.get(meeting.get_absolute_url()).text

        assert page.count("Outstanding</span>") == 3

    def test_no_one_else_records_them(self, client, meeting):
        close(client, meeting)
        contact = FollowUp.objects.get(kind="parent_contact")
        client.force_login(meeting.people["helper"])

        url = reverse("actions:follow_up_record", args=[contact.pk])

        assert client.get(url).status_code == 404

    def test_a_positive_contact_is_a_reason_too(self, client, meeting):
        Action.objects.filter(owner=meeting.people["chair"]).update(parent_contact="progress")
        close(client, meeting)

        contact = FollowUp.objects.get(kind="parent_contact", action__owner=meeting.people["chair"])

        assert contact.action.parent_contact_reason == "to share progress"


class TestTheNextMeeting:
    def test_group_actions_and_those_not_started_come_back_in_the_same_scope(self, client, meeting):
        close(client, meeting)
        amira = meeting.items.first().pupil
        group = ActionFactory(
            school=meeting.school, meeting=meeting, pupil=None, group_name="Fractions group",
            review_on=dt.date(2026, 12, 11), status=Action.Status.OPEN,
        )  # fmt: skip
        group.group_pupils.set([amira], through_defaults={"school": group.school})
        not_started = meeting.actions.get(owner=meeting.people["absent"])
        meeting.actions.filter(owner=meeting.people["chair"]).update(
            started_on=dt.date(2026, 12, 7)
        )
        Action.objects.filter(pk=not_started.pk).update(review_on=dt.date(2027, 1, 15))
        # A different series, the same year group, after the start checks but before any review.
        following = MeetingFactory(school=meeting.school, date=dt.date(2026, 12, 14))

        due = list(following.actions_to_review())

        assert due[0] == not_started  # not started: first, before impact
        assert group in due

    def test_pupils_parked_in_the_same_scope_come_back_as_proposals(self, meeting):
        item = meeting.items.first()
        meeting.items.filter(pk=item.pk).update(parked_at=dt.datetime(2026, 11, 30, tzinfo=dt.UTC))
        Meeting.objects.filter(pk=meeting.pk).update(date=dt.date(2026, 11, 16))

        following = MeetingFactory(school=meeting.school, date=dt.date(2026, 12, 14))

        assert [i.pupil for i in following.parked_before()] == [item.pupil]


def test_a_start_check_link_for_an_action_closed_since_does_not_fail(client, meeting):
    close(client, meeting)
    action = Action.objects.get(owner=meeting.people["absent"])
    Action.objects.filter(pk=action.pk).update(status=Action.Status.COMPLETED)
    client.force_login(meeting.people["absent"])

    response = client.get(reverse("actions:action_start", args=[action.pk]), follow=True)

    assert response.status_code == 200
    assert "has been closed already" in response.text


def test_the_next_meetings_review_says_which_have_not_started(client, meeting):
    close(client, meeting)
    following = MeetingFactory(school=meeting.school, date=dt.date(2026, 12, 14))
    following.confirm_shortlist(
        by=following.created_by,
        pupils=[(meeting.items.first().pupil, "attendance")],
        groups=[],
        over_cap_reason="",
    )
    following.start(by=following.attendees.get(role="chair").user)
    Action.objects.filter(owner=meeting.people["absent"]).update(
        not_started_because="Waiting for the reading books", starts_by=dt.date(2026, 12, 16)
    )
    client.force_login(following.attendees.get(role="chair").user)

    page = client.get(reverse("meetings:meeting_live", args=[following.pk])).text

    assert "Not started</span>" in page
    assert "Waiting for the reading books; to start by 16 Dec." in " ".join(page.split())

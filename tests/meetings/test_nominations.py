"""The teacher's voice in the shortlist: staff put pupils forward with their reasons, which show
beside the data's, and the proposals are ranked by how many reasons and how strong."""

import datetime as dt
import re

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from meetings.focus import Focus
from meetings.models import Attendee, Item, Meeting, Nomination, Refused
from meetings.shortlist import PUT_FORWARD, STRENGTH, propose
from progress.models import Role
from pupils.criteria import Criterion
from pupils.models import BehaviourIncident
from tests.factories import (
    AcademicYearFactory,
    GroupFactory,
    MeetingFactory,
    PupilFactory,
    UserFactory,
    pupil_with_maths,
)

pytestmark = pytest.mark.django_db
HTMX = {"HX-Request": "true"}
WORRY = "Has gone quiet since half-term and stopped handing in homework."


@pytest.fixture
def year(today):
    return AcademicYearFactory(start_year=2026)


@pytest.fixture
def school(year):
    return year.school


@pytest.fixture
def leader(school):
    return UserFactory(school=school, roles=[Role.SENIOR_LEADER])


@pytest.fixture
def teacher(school):
    return UserFactory(school=school, roles=[Role.TEACHER], display_name="Mr Osei")


@pytest.fixture
def meeting(school):
    """A Year 6 meeting a week away, which the teacher does not attend."""
    return MeetingFactory(school=school, year_groups=[6])


def taught_by(teacher, *pupils):
    group = GroupFactory(school=teacher.school, teachers=[teacher])
    group.pupils.add(*pupils, through_defaults={"school": group.school})
    return group


def quiet_pupil(school, teacher=None, **fields):
    """A pupil nothing in the data proposes."""
    pupil = PupilFactory(school=school, **fields)
    if teacher:
        taught_by(teacher, pupil)
    return pupil


def put_forward_from_pupil(client, pupil, meeting, reason=WORRY):
    return client.post(
        reverse("pupil_put_forward", args=[pupil.pk]), {"meeting": meeting.pk, "reason": reason}
    )


def put_forward_from_meeting(client, meeting, pupil, reason=WORRY):
    return client.post(
        reverse("meetings:meeting_put_forward", args=[meeting.pk]),
        {"pupil": pupil.pk, "reason": reason},
    )


def row(page: str, pupil) -> str:
    """The shortlist's row for `pupil`."""
    found = re.search(rf'<tr id="proposal-{pupil.pk}">(.*?)</tr>', page, re.DOTALL)
    assert found, f"{pupil.name} is not proposed"
    return found.group(1)


class TestTeacherPutsForward:
    def test_the_leader_sees_it_marked_as_the_teachers_and_can_put_it_on_the_agenda(
        self, client, school, year, leader, teacher, meeting
    ):
        quiet = quiet_pupil(school, teacher)
        slipping = pupil_with_maths(school, year)
        client.force_login(teacher)

        page = client.get(reverse("pupil_put_forward", args=[quiet.pk]))
        response = put_forward_from_pupil(client, quiet, meeting)

        assert meeting.title in page.text
        assert response.status_code == 302
        nomination = Nomination.objects.get()
        assert (nomination.pupil, nomination.by, nomination.by_kind) == (
            quiet, teacher, Nomination.By.TEACHER,
        )  # fmt: skip
        client.force_login(leader)
        shortlist = client.get(reverse("meetings:meeting_shortlist", args=[meeting.pk])).text
        assert "Teacher's concern" in row(shortlist, quiet)
        assert f"Put forward by Mr Osei: {WORRY}" in row(shortlist, quiet)
        assert "From the data" not in row(shortlist, quiet)
        assert "From the data" in row(shortlist, slipping)

        client.post(
            reverse("meetings:meeting_shortlist", args=[meeting.pk]),
            {"pupils": [quiet.pk, slipping.pk]},
        )

        item = Item.objects.get(pupil=quiet)
        assert item.reason == f"put forward by Mr Osei: {WORRY}"
        assert not item.doing_well
        assert item.summary.teacher == teacher  # their class teacher writes the summary
        assert meeting.attendees.filter(user=teacher, for_summaries=True).exists()

    def test_a_data_proposal_a_teacher_also_puts_forward_keeps_both_reasons(
        self, client, school, year, leader, teacher, meeting
    ):
        slipping = pupil_with_maths(school, year)
        taught_by(teacher, slipping)
        client.force_login(teacher)
        put_forward_from_pupil(client, slipping, meeting)
        client.force_login(leader)

        client.post(
            reverse("meetings:meeting_shortlist", args=[meeting.pk]), {"pupils": [slipping.pk]}
        )

        assert Item.objects.get().reason == (
            "maths WTS, just below expected; maths fell from EXS to WTS; "
            f"put forward by Mr Osei: {WORRY}"
        )

    def test_an_attending_teacher_chooses_among_their_own_pupils_in_scope(
        self, client, school, teacher
    ):
        meeting = MeetingFactory(school=school, year_groups=[6], people=[teacher])
        theirs = quiet_pupil(school, teacher)
        not_theirs = quiet_pupil(school)
        year_5 = quiet_pupil(school, teacher, year_group=5)
        client.force_login(teacher)

        detail = client.get(reverse("meetings:meeting_detail", args=[meeting.pk])).text
        page = client.get(reverse("meetings:meeting_put_forward", args=[meeting.pk]))

        assert "Put a pupil forward" in detail
        choices = list(page.context["form"].fields["pupil"].queryset)
        assert choices == [theirs]
        for pupil in (not_theirs, year_5):
            refused = put_forward_from_meeting(client, meeting, pupil)
            assert refused.status_code == 422
            assert "Select a valid choice" in refused.text
        assert put_forward_from_meeting(client, meeting, theirs).status_code == 302
        assert list(Nomination.objects.values_list("pupil", flat=True)) == [theirs.pk]

    def test_a_pupil_they_cannot_see_or_out_of_scope_is_refused(
        self, client, school, teacher, meeting
    ):
        not_theirs = quiet_pupil(school)
        year_5 = quiet_pupil(school, teacher, year_group=5)
        client.force_login(teacher)

        hidden = client.get(reverse("pupil_put_forward", args=[not_theirs.pk]))
        out_of_scope = client.get(reverse("pupil_put_forward", args=[year_5.pk]))
        posted = put_forward_from_pupil(client, year_5, meeting)

        assert hidden.status_code == 404
        assert out_of_scope.context["open_meetings"] == []
        assert "No meeting being prepared has" in out_of_scope.text
        assert posted.status_code == 422
        with pytest.raises(PermissionDenied):
            meeting.put_forward(not_theirs, by=teacher, reason=WORRY)
        with pytest.raises(PermissionDenied):
            meeting.put_forward(year_5, by=teacher, reason=WORRY)
        assert not Nomination.objects.exists()

    def test_a_teacher_learns_of_a_meeting_they_do_not_attend_only_through_their_pupils(
        self, client, school, teacher, meeting
    ):
        client.force_login(teacher)
        url = reverse("meetings:meeting_put_forward", args=[meeting.pk])
        assert client.get(url).status_code == 404  # none of their pupils is in scope

        quiet_pupil(school, teacher)
        page = client.get(url)

        assert page.status_code == 200
        assert meeting.title in page.text
        assert meeting.purpose not in page.text  # its title and date, nothing more
        assert reverse("meetings:meeting_detail", args=[meeting.pk]) not in page.text
        assert client.get(meeting.get_absolute_url()).status_code == 404

    @pytest.mark.parametrize("status", [Meeting.Status.RUNNING, Meeting.Status.CLOSED])
    def test_not_once_the_meeting_has_started(self, client, school, teacher, meeting, status):
        quiet = quiet_pupil(school, teacher)
        attending = UserFactory(school=school, roles=[Role.TEACHER])
        taught_by(attending, quiet)
        meeting.set_attendees(
            chair=meeting.attendees.get(role="chair").user,
            recorder=meeting.attendees.get(role="recorder").user,
            others=[attending],
        )
        Meeting.objects.filter(pk=meeting.pk).update(status=status)
        meeting.refresh_from_db()
        url = reverse("meetings:meeting_put_forward", args=[meeting.pk])

        client.force_login(teacher)
        not_attending = put_forward_from_meeting(client, meeting, quiet)
        from_pupil = client.get(reverse("pupil_put_forward", args=[quiet.pk]))
        client.force_login(attending)
        told = client.get(url, follow=True)

        assert not_attending.status_code == 404
        assert from_pupil.context["open_meetings"] == []
        assert "so putting a pupil forward is no longer possible." in told.text
        with pytest.raises(Refused):
            meeting.put_forward(quiet, by=attending, reason=WORRY)
        assert not Nomination.objects.exists()

    def test_they_may_withdraw_their_own_until_the_meeting_starts(
        self, client, school, teacher, meeting
    ):
        quiet, other = quiet_pupil(school, teacher), quiet_pupil(school, teacher)
        mine = meeting.put_forward(quiet, by=teacher, reason=WORRY)
        kept = meeting.put_forward(other, by=teacher, reason=WORRY)
        colleague = UserFactory(school=school, roles=[Role.TEACHER])
        taught_by(colleague, quiet)
        theirs = meeting.put_forward(quiet, by=colleague, reason="Tired every morning.")
        client.force_login(teacher)

        withdrawn = client.post(reverse("meetings:nomination_withdraw", args=[mine.pk]))
        not_mine = client.post(reverse("meetings:nomination_withdraw", args=[theirs.pk]))
        Meeting.objects.filter(pk=meeting.pk).update(status=Meeting.Status.RUNNING)
        too_late = client.post(reverse("meetings:nomination_withdraw", args=[kept.pk]))

        assert withdrawn.status_code == 302
        assert not_mine.status_code == 404
        assert too_late.status_code == 302
        assert set(Nomination.objects.all()) == {kept, theirs}

    @pytest.mark.parametrize(
        ("reason", "message"),
        [
            (
                "",
                "Say why, in a sentence: it shows on the shortlist beside the data&#x27;s reasons.",
            ),
            ("Worried. " + "x" * 300, "Keep the reason to 300 characters: it has 309."),
        ],
    )
    def test_a_missing_or_too_long_reason_is_refused_and_kept(
        self, client, school, teacher, meeting, reason, message
    ):
        quiet = quiet_pupil(school, teacher)
        client.force_login(teacher)

        from_pupil = put_forward_from_pupil(client, quiet, meeting, reason=reason)
        from_meeting = put_forward_from_meeting(client, meeting, quiet, reason=reason)

        for response in (from_pupil, from_meeting):
            assert response.status_code == 422
            assert response.text.count(message) == 2  # in the summary and at the field
            assert f"{reason}</textarea>" in response.text
        assert not Nomination.objects.exists()

    def test_the_same_pupil_twice_is_refused_in_words(self, school, teacher, meeting):
        quiet = quiet_pupil(school, teacher)
        meeting.put_forward(quiet, by=teacher, reason=WORRY)

        with pytest.raises(Refused, match=r"^You have put .* forward for this meeting already\.$"):
            meeting.put_forward(quiet, by=teacher, reason="Again")

    def test_another_schools_staff_get_not_found(self, client, school, teacher, meeting):
        quiet = quiet_pupil(school, teacher)
        nomination = meeting.put_forward(quiet, by=teacher, reason=WORRY)
        elsewhere = UserFactory(roles=[Role.SENIOR_LEADER])
        client.force_login(elsewhere)

        for response in (
            client.get(reverse("meetings:meeting_put_forward", args=[meeting.pk])),
            client.get(reverse("pupil_put_forward", args=[quiet.pk])),
            client.post(reverse("meetings:nomination_withdraw", args=[nomination.pk])),
            client.post(reverse("meetings:meeting_shortlist_add", args=[meeting.pk])),
        ):
            assert response.status_code == 404
        assert Nomination.objects.count() == 1

    def test_a_teaching_assistant_puts_concerns_through_the_class_teacher_unless_attending(
        self, client, school, meeting
    ):
        """A teaching assistant who sees a pupil (their group) may not put them forward for a
        meeting they do not attend: the teacher's voice is the teacher's. Invited to the
        meeting, they may, as anyone attending may."""
        assistant = UserFactory(school=school, roles=[Role.TEACHING_ASSISTANT])
        quiet = quiet_pupil(school, assistant)
        client.force_login(assistant)

        page = client.get(reverse("meetings:meeting_put_forward", args=[meeting.pk]))
        from_pupil = client.get(reverse("pupil_put_forward", args=[quiet.pk]))
        with pytest.raises(PermissionDenied):
            meeting.put_forward(quiet, by=assistant, reason=WORRY)
        Attendee.objects.create(school=school, meeting=meeting, user=assistant)
        invited = put_forward_from_meeting(client, meeting, quiet)

        assert page.status_code == 404
        assert from_pupil.context["open_meetings"] == []
        assert invited.status_code == 302
        assert Nomination.objects.get().by_kind == Nomination.By.TEACHER


class TestLeaderAdds:
    def test_a_leader_adds_any_pupil_in_scope_and_it_comes_back_ticked(
        self, client, school, year, leader, meeting
    ):
        quiet = quiet_pupil(school)
        slipping = pupil_with_maths(school, year)
        client.force_login(leader)
        url = reverse("meetings:meeting_shortlist", args=[meeting.pk])

        page = client.get(url)
        added = client.post(
            reverse("meetings:meeting_shortlist_add", args=[meeting.pk]),
            {"carried": "1", "pupils": [], "add-pupil": quiet.pk, "add-reason": "New to us."},
        )
        back = client.get(added["Location"])

        assert "Add a pupil the data did not propose" in page.text
        choices = list(page.context["add_form"].fields["pupil"].queryset)
        assert quiet in choices
        assert slipping not in choices  # proposed already
        assert added.status_code == 302
        assert Nomination.objects.get().by_kind == Nomination.By.LEADER
        assert "Leader's addition" in row(back.text, quiet)
        assert f"Added by {leader}: New to us." in row(back.text, quiet)
        # The leader had unticked the data's proposal: it stays unticked, the addition ticked.
        assert back.context["form"]["pupils"].value() == [str(quiet.pk)]
        assert "1 of 6 items chosen." in back.text

    def test_without_choices_carried_the_addition_joins_the_strongest(
        self, client, school, year, leader, meeting
    ):
        quiet = quiet_pupil(school)
        slipping = pupil_with_maths(school, year)
        client.force_login(leader)

        added = client.post(
            reverse("meetings:meeting_shortlist_add", args=[meeting.pk]),
            {"add-pupil": quiet.pk, "add-reason": "New to us."},
        )
        back = client.get(added["Location"])

        assert set(back.context["form"]["pupils"].value()) == {str(quiet.pk), str(slipping.pk)}

    def test_with_htmx_an_error_comes_back_in_place_and_success_reloads(
        self, client, school, leader, meeting
    ):
        quiet = quiet_pupil(school)
        client.force_login(leader)
        url = reverse("meetings:meeting_shortlist_add", args=[meeting.pk])

        refused = client.post(url, {"carried": "1", "add-pupil": quiet.pk}, headers=HTMX)
        added = client.post(
            url, {"carried": "1", "add-pupil": quiet.pk, "add-reason": "New."}, headers=HTMX
        )

        assert refused.status_code == 422
        assert refused.text.lstrip().startswith('<fieldset id="add-pupil"')
        assert "Say why" in refused.text
        assert added["HX-Redirect"].startswith(
            reverse("meetings:meeting_shortlist", args=[meeting.pk])
        )

    def test_without_javascript_an_error_keeps_what_was_typed_and_the_choices(
        self, client, school, year, leader, meeting
    ):
        slipping = pupil_with_maths(school, year)
        client.force_login(leader)

        refused = client.post(
            reverse("meetings:meeting_shortlist_add", args=[meeting.pk]),
            {"carried": "1", "pupils": [slipping.pk], "add-reason": "Typed before choosing."},
        )

        assert refused.status_code == 422
        assert "Choose the pupil to add." in refused.text
        assert "Typed before choosing.</textarea>" in refused.text
        assert f'<input type="hidden" name="pupils" value="{slipping.pk}">' in refused.text

    def test_a_pupil_outside_the_scope_cannot_be_added(self, client, school, leader, meeting):
        year_5 = quiet_pupil(school, year_group=5)
        client.force_login(leader)

        refused = client.post(
            reverse("meetings:meeting_shortlist_add", args=[meeting.pk]),
            {"add-pupil": year_5.pk, "add-reason": "New to us."},
        )

        assert refused.status_code == 422
        assert not Nomination.objects.exists()

    def test_a_teacher_may_not_add_on_the_shortlist(self, client, school, teacher):
        meeting = MeetingFactory(school=school, year_groups=[6], people=[teacher])
        quiet = quiet_pupil(school, teacher)
        client.force_login(teacher)

        response = client.post(
            reverse("meetings:meeting_shortlist_add", args=[meeting.pk]),
            {"add-pupil": quiet.pk, "add-reason": "New to us."},
        )

        assert response.status_code == 403
        assert not Nomination.objects.exists()


def incidents(pupil):
    """Two behaviour incidents in the last four weeks, none before: behaviour increasing."""
    for day in (dt.date(2026, 11, 10), dt.date(2026, 11, 17)):
        BehaviourIncident.objects.create(
            school=pupil.school, pupil=pupil, date=day, kind="Disruption", lesson="P2"
        )
    return pupil


class TestRanking:
    def test_the_strength_table_weighs_every_reason(self):
        assert set(STRENGTH) == {*Criterion, PUT_FORWARD}
        strongest = max(STRENGTH.values())
        assert STRENGTH[Criterion.ATTENDANCE_DROPPED] == STRENGTH[Criterion.BEHAVIOUR_INCREASING]
        assert STRENGTH[Criterion.ATTENDANCE_DROPPED] == strongest
        assert STRENGTH[Criterion.DOING_WELL] == min(STRENGTH.values())
        assert STRENGTH[PUT_FORWARD] > STRENGTH[Criterion.BELOW_EXPECTED_CLOSE]

    def test_most_reasons_first_then_the_strongest_then_by_name(self, school, year, teacher, today):
        meeting = MeetingFactory(
            school=school, year_groups=[6], focus=Focus.OWN, own_focus="Year 6"
        )
        close = {"codes": ("WTS", "WTS")}  # below expected but close, and nothing else
        baker = pupil_with_maths(school, year, legal_surname="Baker", **close)
        adams = pupil_with_maths(school, year, legal_surname="Adams", **close)
        worried = quiet_pupil(school, teacher, legal_surname="Cole")
        meeting.put_forward(worried, by=teacher, reason=WORRY)
        behaving = incidents(quiet_pupil(school, legal_surname="Dunn"))
        slipping = pupil_with_maths(school, year, legal_surname="Evans")  # two reasons: 4 + 3
        both = incidents(quiet_pupil(school, teacher, legal_surname="Ford"))
        meeting.put_forward(both, by=teacher, reason=WORRY)  # two reasons too, stronger: 5 + 4

        proposals = propose(meeting=meeting, on=today)

        assert [p.pupil for p in proposals] == [both, slipping, behaving, worried, adams, baker]
        assert [len(p.reasons) + len(p.nominations) for p in proposals] == [2, 2, 1, 1, 1, 1]

    def test_between_equals_the_cut_goes_by_name(self, school, today, monkeypatch):
        monkeypatch.setattr("meetings.shortlist.PROPOSALS", 2)
        meeting = MeetingFactory(school=school, year_groups=[6], focus=Focus.BEHAVIOUR)
        cole, adams, baker = (
            incidents(quiet_pupil(school, legal_surname=name))
            for name in ("Cole", "Adams", "Baker")
        )

        proposals = propose(meeting=meeting, on=today)

        assert [p.pupil for p in proposals] == [adams, baker]
        assert cole.pk < adams.pk  # written first: the database's order would have kept Cole

    def test_a_pupil_put_forward_joins_the_datas_proposals_never_displacing_one(
        self, school, year, teacher, today, monkeypatch
    ):
        monkeypatch.setattr("meetings.shortlist.PROPOSALS", 1)
        meeting = MeetingFactory(
            school=school, year_groups=[6], focus=Focus.OWN, own_focus="Year 6"
        )
        slipping = pupil_with_maths(school, year)  # the data's strongest: 4 + 3
        behaving = incidents(quiet_pupil(school, teacher))  # 5 alone, then 5 + 4 put forward
        meeting.put_forward(behaving, by=teacher, reason=WORRY)

        proposals = propose(meeting=meeting, on=today)

        assert [p.pupil for p in proposals] == [behaving, slipping]

    def test_only_the_focuss_criteria_are_judged_and_only_their_data_read(
        self, school, year, today
    ):
        meeting = MeetingFactory(school=school, year_groups=[6], focus=Focus.BEHAVIOUR)
        pupil_with_maths(school, year)  # progress slowed: not what this meeting is for
        behaving = incidents(quiet_pupil(school))

        with CaptureQueriesContext(connection) as queries:
            proposals = propose(meeting=meeting, on=today)

        assert [(p.pupil, list(p.reasons)) for p in proposals] == [
            (behaving, [Criterion.BEHAVIOUR_INCREASING])
        ]
        read = " ".join(query["sql"] for query in queries)
        assert "pupils_result" not in read
        assert "pupils_characteristics" not in read

    def test_a_pupil_only_doing_well_is_an_item_about_what_works(
        self, client, school, year, leader, teacher
    ):
        meeting = MeetingFactory(
            school=school, year_groups=[6], focus=Focus.OWN, own_focus="Year 6"
        )
        up = {"codes": ("WTS", "GDS")}  # two steps up: doing well, and nothing else
        thriving = pupil_with_maths(school, year, **up)
        worried_about = pupil_with_maths(school, year, **up)
        taught_by(teacher, worried_about)
        meeting.put_forward(worried_about, by=teacher, reason=WORRY)
        client.force_login(leader)

        client.post(
            reverse("meetings:meeting_shortlist", args=[meeting.pk]),
            {"pupils": [thriving.pk, worried_about.pk]},
        )

        assert Item.objects.get(pupil=thriving).doing_well
        assert not Item.objects.get(pupil=worried_about).doing_well

    def test_the_shortlist_queries_do_not_grow_with_nominations(
        self, client, school, year, leader, meeting, django_assert_max_num_queries
    ):
        client.force_login(leader)
        url = reverse("meetings:meeting_shortlist", args=[meeting.pk])
        pupil_with_maths(school, year)

        def nominate(count):
            for _ in range(count):
                colleague = UserFactory(school=school, roles=[Role.TEACHER])
                meeting.put_forward(quiet_pupil(school, colleague), by=colleague, reason=WORRY)
            meeting.put_forward(quiet_pupil(school), by=leader, reason="New to us.")

        nominate(1)
        with django_assert_max_num_queries(40) as few:
            client.get(url)
        nominate(6)

        with django_assert_max_num_queries(len(few.captured_queries)):
            page = client.get(url)
        assert page.text.count("Teacher's concern") == 7
        assert page.text.count("Leader's addition") == 2

"""Who should come, worked out: the teachers of the pupils on the agenda are invited, the SENCO
is suggested when two or more of the pupils have SEND, the form says who usually leads for the
scope and what the school's size means, and the chair may record a meeting of three or fewer."""

import pytest
from django.urls import reverse
from django.utils.html import escape

from meetings.focus import Focus
from meetings.models import Attendee, Meeting
from meetings.people import SMALL_SCHOOL
from progress.models import Role, School
from tests.factories import (
    AcademicYearFactory,
    GroupFactory,
    MeetingFactory,
    PupilFactory,
    SchoolFactory,
    UserFactory,
    pupil_with_maths,
)

pytestmark = pytest.mark.django_db
HTMX = {"HX-Request": "true"}
SEN_SUPPORT = {"sen_provision": "K"}


@pytest.fixture
def year(today):
    return AcademicYearFactory(start_year=2026)


@pytest.fixture
def school(year):
    return year.school


@pytest.fixture
def leader(school):
    return UserFactory(school=school, roles=[Role.SENIOR_LEADER])


def taught_by(teacher, pupil):
    group = GroupFactory(school=pupil.school, name=f"6-{pupil.pk}", teachers=[teacher])
    group.pupils.add(pupil, through_defaults={"school": group.school})
    return pupil


def shortlist(meeting, *pupils):
    meeting.confirm_shortlist(
        by=meeting.created_by,
        pupils=[(pupil, "maths fell") for pupil in pupils],
        groups=[],
        over_cap_reason="",
    )


class TestTheirTeachersAreInvited:
    def test_a_pupils_teacher_is_invited_and_opens_the_meeting_pack_and_summary(
        self, client, school, year
    ):
        teacher = UserFactory(school=school, roles=[Role.TEACHER])
        pupil = taught_by(teacher, pupil_with_maths(school, year))
        meeting = MeetingFactory(school=school)
        client.force_login(teacher)
        assert client.get(meeting.get_absolute_url()).status_code == 404  # before

        shortlist(meeting, pupil)

        attendee = meeting.attendees.get(user=teacher)
        assert (attendee.role, attendee.for_summaries) == (Attendee.Role.TEACHER, True)
        assert client.get(meeting.get_absolute_url()).status_code == 200
        assert client.get(reverse("meetings:meeting_pack", args=[meeting.pk])).status_code == 200
        summary = meeting.items.get().summary
        assert summary.teacher == teacher
        assert client.get(reverse("meetings:summary_edit", args=[summary.pk])).status_code == 200

    def test_taking_the_pupil_off_uninvites_only_those_invited_for_summaries(self, school, year):
        teacher = UserFactory(school=school, roles=[Role.TEACHER])
        invited_anyway = UserFactory(school=school, roles=[Role.TEACHER])
        first = taught_by(teacher, pupil_with_maths(school, year))
        second = taught_by(invited_anyway, pupil_with_maths(school, year))
        meeting = MeetingFactory(school=school, people=[invited_anyway])
        shortlist(meeting, first, second)
        assert meeting.attendees.filter(user=teacher, for_summaries=True).exists()
        assert meeting.attendees.filter(user=invited_anyway, for_summaries=False).exists()

        shortlist(meeting)

        coming = set(meeting.attendees.values_list("user", flat=True))
        assert teacher.pk not in coming
        assert invited_anyway.pk in coming

    def test_the_agenda_goes_to_the_invited_teachers(self, client, school, year, leader, deliver):
        teacher = UserFactory(school=school, roles=[Role.TEACHER], email="t.one@school.example")
        meeting = MeetingFactory(school=school)
        shortlist(meeting, taught_by(teacher, pupil_with_maths(school, year)))
        client.force_login(leader)

        client.post(reverse("meetings:meeting_send", args=[meeting.pk]))

        assert "t.one@school.example" in {address for m in deliver() for address in m.to}


class TestTheSencoIsSuggested:
    def test_two_pupils_with_send_suggest_the_senco_who_can_be_invited(
        self, client, school, year, leader
    ):
        senco = UserFactory(school=school, roles=[Role.SENCO], display_name="Priya Sharma")
        meeting = MeetingFactory(school=school)
        meeting.attendees.filter(user=senco).delete()
        recorder = meeting.attendees.get(role=Attendee.Role.RECORDER).user
        recorder.set_roles([Role.TEACHER])  # the factory's recorder is a SENCO too
        pupils = [pupil_with_maths(school, year, census=SEN_SUPPORT) for _ in range(2)]
        shortlist(meeting, *pupils)
        client.force_login(leader)

        page = client.get(meeting.get_absolute_url())

        assert "2 pupils on the agenda have SEND: invite the SENCO." in page.text
        assert "Invite Priya Sharma" in page.text

        response = client.post(
            reverse("meetings:meeting_invite", args=[meeting.pk]), {"user": senco.pk}
        )

        assert response.status_code == 302
        assert meeting.attendees.get(user=senco).role == Attendee.Role.SENCO
        assert "invite the SENCO" not in client.get(meeting.get_absolute_url()).text

    def test_one_pupil_with_send_suggests_nobody(self, client, school, year, leader):
        UserFactory(school=school, roles=[Role.SENCO])
        meeting = MeetingFactory(school=school)
        meeting.attendees.filter(role=Attendee.Role.RECORDER).delete()
        shortlist(
            meeting,
            pupil_with_maths(school, year, census=SEN_SUPPORT),
            pupil_with_maths(school, year),
        )
        client.force_login(leader)

        assert "invite the SENCO" not in client.get(meeting.get_absolute_url()).text

    def test_only_those_who_organise_the_meeting_may_invite(self, client, school, year):
        senco = UserFactory(school=school, roles=[Role.SENCO])
        teacher = UserFactory(school=school, roles=[Role.TEACHER])
        meeting = MeetingFactory(school=school, people=[teacher])
        client.force_login(teacher)

        response = client.post(
            reverse("meetings:meeting_invite", args=[meeting.pk]), {"user": senco.pk}
        )

        assert response.status_code == 403
        assert not meeting.attendees.filter(user=senco).exists()

    @pytest.mark.parametrize("user", ["", "abc", "999999"])
    def test_nobody_or_a_stranger_is_not_found(self, client, school, leader, user):
        meeting = MeetingFactory(school=school)
        client.force_login(leader)

        response = client.post(
            reverse("meetings:meeting_invite", args=[meeting.pk]), {"user": user}
        )

        assert response.status_code == 404

    def test_another_schools_staff_and_meetings_are_not_found(self, client, school, leader):
        other = SchoolFactory()
        stranger = UserFactory(school=other, roles=[Role.SENCO])
        theirs = MeetingFactory(school=other)
        ours = MeetingFactory(school=school)
        client.force_login(leader)

        invite = reverse("meetings:meeting_invite", args=[ours.pk])
        assert client.post(invite, {"user": stranger.pk}).status_code == 404
        mine = {"user": leader.pk}
        assert (
            client.post(reverse("meetings:meeting_invite", args=[theirs.pk]), mine).status_code
            == 404
        )
        assert not Attendee.objects.filter(user=stranger).exists()


class TestWhoUsuallyLeads:
    def suggestions(self, client, leader, **query):
        client.force_login(leader)
        response = client.get(reverse("meetings:meeting_create"), query, headers=HTMX)
        assert response.text.lstrip().startswith('<div id="focus-help"')
        return response.text

    def test_a_secondary_year_group_names_its_head_of_year(self, client, school, leader):
        School.objects.filter(pk=school.pk).update(phase=School.Phase.SECONDARY)
        UserFactory(
            school=school, roles=[Role.HEAD_OF_YEAR], display_name="Aisha Begum",
            remit_year_groups=[9],
        )  # fmt: skip

        text = self.suggestions(client, leader, focus=Focus.AT_RISK, year_groups=["9"])

        assert "The line manager usually leads: Aisha Begum (head of year, Year 9)." in text
        assert "nobody is head of year for Year 10" in self.suggestions(
            client, leader, focus=Focus.AT_RISK, year_groups=["10"]
        )

    def test_a_primary_year_group_names_its_phase_leader(self, client, school, leader):
        UserFactory(
            school=school, roles=[Role.PHASE_LEADER], display_name="Sam Hill",
            remit_year_groups=[3, 4, 5, 6],
        )  # fmt: skip

        text = self.suggestions(client, leader, focus=Focus.AT_RISK, year_groups=["4"])

        assert "The line manager usually leads: Sam Hill (phase leader, Year 4)." in text

    def test_a_subject_names_its_head_of_department(self, client, school, leader):
        UserFactory(
            school=school, roles=[Role.HEAD_OF_DEPARTMENT], display_name="Jo Park",
            remit_subject="Maths",
        )  # fmt: skip

        text = self.suggestions(client, leader, focus=Focus.AT_RISK, subject="maths")

        assert "Jo Park (head of maths, maths)" in text

    def test_a_small_school_is_told_a_small_room_is_enough(self, client, school, leader):
        PupilFactory(school=school)

        text = self.suggestions(client, leader, focus=Focus.AT_RISK)

        assert "With 1 pupil on roll, the headteacher or a senior leader often chairs" in text

    def test_a_larger_school_is_not(self, client, school, leader):
        PupilFactory.create_batch(SMALL_SCHOOL, school=school)

        assert "on roll" not in self.suggestions(client, leader, focus=Focus.AT_RISK)

    def test_every_form_says_the_teachers_will_be_invited(self, client, leader):
        text = self.suggestions(client, leader, focus=Focus.ATTENDANCE)

        assert "The teachers of the pupils on the agenda are invited" in text

    def test_the_suggestions_take_two_queries(
        self, client, school, leader, django_assert_num_queries
    ):
        client.force_login(leader)
        url = reverse("meetings:meeting_create")
        client.get(url, {"focus": Focus.SEND}, headers=HTMX)  # the session is read once

        # The session, the user and their roles, the school, its settings and its year groups
        # for the form; then the suggestions' two: the holders of the roles that lead, and
        # pupils on roll.
        with django_assert_num_queries(8):
            client.get(url, {"focus": Focus.SEND, "year_groups": ["6"]}, headers=HTMX)


def test_a_meeting_of_three_may_be_recorded_by_its_chair(school, leader):
    meeting = MeetingFactory(school=school)
    chair = meeting.chair
    meeting.set_attendees(chair=chair, recorder=chair, others=[leader])

    meeting = Meeting.objects.prefetch_related("attendees__user").get(pk=meeting.pk)
    assert meeting.recorder == chair
    assert not meeting.attendees.filter(role=Attendee.Role.RECORDER).exists()


def test_the_meeting_page_lists_pupils_put_forward_and_not_on_the_agenda(
    client, school, year, leader
):
    teacher = UserFactory(school=school, roles=[Role.TEACHER], display_name="Mr Osei")
    quiet = taught_by(teacher, pupil_with_maths(school, year, legal_forename="Isla"))
    chosen = taught_by(teacher, pupil_with_maths(school, year, legal_forename="Kacper"))
    meeting = MeetingFactory(school=school, people=[teacher])
    meeting.put_forward(quiet, by=teacher, reason="Stopped answering in maths")
    meeting.put_forward(chosen, by=teacher, reason="Misses homework")
    shortlist(meeting, chosen)
    client.force_login(leader)

    page = client.get(meeting.get_absolute_url()).text

    assert "Put forward by staff and not on the agenda yet:" in page
    assert escape(f"{quiet.name}: put forward by Mr Osei: Stopped answering in maths") in page
    assert "Misses homework" not in page.split("Put forward by staff")[1].split("</ul>")[0]
    client.force_login(teacher)
    assert (
        "Put forward by staff and not on the agenda yet"
        not in client.get(meeting.get_absolute_url()).text
    )

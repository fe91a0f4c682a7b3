"""The access matrix for the roles that match schools (docs/domain.md, "Who may do what"): the
line managers (head of year, head of department, phase leader), who see and schedule for their
own year, department or phase, and teaching assistants and intervention leads, who see their
groups' pupils and own actions. Another school's objects are a 404 to each of them."""

import pytest
from django.urls import reverse

from actions.forms import ActionForm
from actions.models import Action
from meetings.focus import Focus
from meetings.models import Attendee, Meeting, Summary
from progress.models import Role, School, User, years_in_words
from pupils.models import Intervention, InterventionPlace, Pupil
from tests.factories import (
    AcademicYearFactory,
    ActionFactory,
    GroupFactory,
    MeetingFactory,
    PupilFactory,
    UserFactory,
    pupil_with_maths,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def year(today):
    return AcademicYearFactory(
        start_year=2026, school__phase=School.Phase.SECONDARY, school__name="Riverside-like"
    )


@pytest.fixture
def school(year):
    return year.school


@pytest.fixture
def riverside(school, year):
    """A secondary school in small: a Year 9 and a Year 10 form, a maths set in each year and a
    Year 10 science set, a pupil in each, and its staff."""
    teacher = UserFactory(school=school, roles=[Role.TEACHER], display_name="Daniel Osei")
    form_9 = GroupFactory(school=school, name="9A", year_group=9, teachers=[teacher])
    form_10 = GroupFactory(school=school, name="10A", year_group=10, teachers=[teacher])
    maths_9 = GroupFactory(
        school=school, name="9/Ma1", kind="teaching", year_group=9, subject="Maths"
    )
    maths_10 = GroupFactory(
        school=school, name="10/Ma1", kind="teaching", year_group=10, subject="Maths"
    )
    science_10 = GroupFactory(
        school=school, name="10/Sc1", kind="teaching", year_group=10, subject="Science"
    )
    nine = pupil_with_maths(school, year, year_group=9, legal_forename="Nia")
    ten = pupil_with_maths(school, year, year_group=10, legal_forename="Tomasz")
    scientist = PupilFactory(school=school, year_group=10, legal_forename="Sol")
    for group, pupils in (
        (form_9, [nine]),
        (maths_9, [nine]),
        (form_10, [ten, scientist]),
        (maths_10, [ten]),
        (science_10, [scientist]),
    ):
        group.pupils.set(pupils, through_defaults={"school": group.school})
    return {
        "teacher": teacher,
        "groups": {g.name: g for g in (form_9, form_10, maths_9, maths_10, science_10)},
        "nine": nine,
        "ten": ten,
        "scientist": scientist,
    }


def head_of_year(school, years=(9,)):
    return UserFactory(
        school=school,
        roles=[Role.HEAD_OF_YEAR],
        remit_year_groups=list(years),
        display_name="Aisha Begum",
    )


def head_of_maths(school):
    return UserFactory(school=school, roles=[Role.HEAD_OF_DEPARTMENT], remit_subject="Maths")


def meeting_data(school, *, chair, **changes) -> dict:
    recorder = UserFactory(school=school, roles=[Role.TEACHER])
    data = {
        "focus": Focus.AT_RISK, "own_focus": "", "purpose": "Which Year 9 pupils need what next?",
        "year_groups": ["9"], "subject": "", "date": "2026-11-30", "starts_at": "15:45",
        "length": "45", "place": "Room 9", "summaries_due": "2026-11-26", "series_name": "",
        "chair": chair.pk, "recorder": recorder.pk, "attendees": [chair.pk, recorder.pk],
    }  # fmt: skip
    return data | changes


def visible_names(user) -> set[str]:
    return set(Pupil.objects.for_user(user).values_list("legal_forename", flat=True))


class TestRemit:
    @pytest.mark.parametrize(
        ("years", "words"),
        [
            ([9], "Year 9"),
            ([6, 3, 5, 4], "Years 3 to 6"),
            ([0, 1, 2], "Reception to Year 2"),
            ([10, 11], "Years 10 and 11"),
            ([7, 9, 11], "Years 7, 9 and 11"),
            ([0], "Reception"),
        ],
    )
    def test_year_groups_in_words(self, years, words):
        assert years_in_words(years) == words

    def test_a_line_managers_remit_in_words(self, school):
        phase = UserFactory(
            school=school, roles=[Role.PHASE_LEADER], remit_year_groups=[3, 4, 5, 6]
        )

        assert (head_of_year(school).remit, head_of_year(school).remit_title) == (
            "Year 9",
            "head of Year 9",
        )
        assert (phase.remit, phase.remit_title) == ("Years 3 to 6", "phase leader")
        assert (head_of_maths(school).remit, head_of_maths(school).remit_title) == (
            "Maths",
            "head of maths",
        )

    def test_a_remit_counts_only_with_its_role(self, school):
        teacher = UserFactory(
            school=school, roles=[Role.TEACHER], remit_year_groups=[9], remit_subject="Maths"
        )

        assert (teacher.remit, teacher.is_line_manager, teacher.may_schedule) == ("", False, False)

    @pytest.mark.parametrize(
        "role", [Role.HEAD_OF_YEAR, Role.HEAD_OF_DEPARTMENT, Role.PHASE_LEADER]
    )
    def test_line_managers_see_send_detail_beyond_their_classes_so_sign_in_in_two_steps(
        self, school, role
    ):
        assert UserFactory(school=school, roles=[role]).needs_two_step

    @pytest.mark.parametrize("role", [Role.TEACHING_ASSISTANT, Role.INTERVENTION_LEAD])
    def test_support_staff_need_only_a_password(self, school, role):
        assert not UserFactory(school=school, roles=[role]).needs_two_step


class TestHeadOfYear:
    def test_schedules_and_chairs_a_meeting_for_their_year(self, client, school, riverside):
        hoy = head_of_year(school)
        client.force_login(hoy)

        response = client.post(
            reverse("meetings:meeting_create"),
            meeting_data(school, chair=hoy, groups=[riverside["groups"]["9/Ma1"].pk]),
        )

        meeting = Meeting.objects.get()
        assert response["Location"] == reverse("meetings:meeting_shortlist", args=[meeting.pk])
        assert (meeting.year_groups, meeting.created_by) == ([9], hoy)
        assert meeting.attendees.get(user=hoy).role == Attendee.Role.CHAIR

    @pytest.mark.parametrize(
        "changes",
        [
            {"year_groups": ["10"]},
            {"year_groups": ["9", "10"]},
            {"year_groups": [], "groups": ["10A"]},
            {"year_groups": ["9"], "groups": ["10/Ma1"]},
            {"year_groups": []},  # the whole school
        ],
    )
    def test_is_refused_a_scope_outside_their_year_and_nothing_is_saved(
        self, client, school, riverside, changes
    ):
        hoy = head_of_year(school)
        client.force_login(hoy)
        if "groups" in changes:
            changes["groups"] = [riverside["groups"][name].pk for name in changes["groups"]]

        response = client.post(
            reverse("meetings:meeting_create"), meeting_data(school, chair=hoy, **changes)
        )

        assert response.status_code == 422
        assert "As head of Year 9 you schedule meetings for Year 9." in response.text
        assert "Which Year 9 pupils need what next?" in response.text  # kept
        assert not Meeting.objects.exists()

    def test_the_form_offers_their_year_and_its_classes_only(self, client, school, riverside):
        client.force_login(head_of_year(school))

        form = client.get(reverse("meetings:meeting_create")).context["form"]

        assert [label for _, label in form.fields["year_groups"].choices] == ["Year 9"]
        assert {group.name for group in form.fields["groups"].queryset} == {"9/Ma1", "9A"}

    def test_organises_a_meeting_of_their_year_a_leader_scheduled(self, client, school, riverside):
        hoy = head_of_year(school)
        meeting = MeetingFactory(school=school, year_groups=[9], people=[hoy])
        client.force_login(hoy)
        shortlist = reverse("meetings:meeting_shortlist", args=[meeting.pk])

        assert client.get(reverse("meetings:meeting_edit", args=[meeting.pk])).status_code == 200
        assert [p.pupil for p in client.get(shortlist).context["proposals"]] == [riverside["nine"]]
        client.post(shortlist, {"pupils": [riverside["nine"].pk]})
        client.post(reverse("meetings:meeting_send", args=[meeting.pk]))
        client.post(reverse("meetings:meeting_remind", args=[meeting.pk]))

        meeting.refresh_from_db()
        assert meeting.status == Meeting.Status.AGENDA_SENT
        assert meeting.items.get().pupil == riverside["nine"]
        client.post(reverse("meetings:meeting_delete", args=[meeting.pk]))
        assert not Meeting.objects.exists()

    def test_may_not_organise_another_years_meeting_they_attend(self, client, school, riverside):
        hoy = head_of_year(school)
        meeting = MeetingFactory(school=school, year_groups=[10], people=[hoy])
        client.force_login(hoy)

        assert client.get(meeting.get_absolute_url()).status_code == 200
        for name in ("meeting_edit", "meeting_shortlist", "meeting_delete"):
            assert client.get(reverse(f"meetings:{name}", args=[meeting.pk])).status_code == 403
        for name in ("meeting_send", "meeting_remind", "meeting_delete"):
            assert client.post(reverse(f"meetings:{name}", args=[meeting.pk])).status_code == 403
        assert Meeting.objects.filter(pk=meeting.pk).exists()

    def test_another_years_meeting_they_do_not_attend_is_not_found(self, client, school, riverside):
        meeting = MeetingFactory(school=school, year_groups=[10])
        client.force_login(head_of_year(school))

        for name in ("meeting_detail", "meeting_edit", "meeting_shortlist"):
            assert client.get(reverse(f"meetings:{name}", args=[meeting.pk])).status_code == 404

    def test_sees_the_meetings_they_scheduled_though_not_attending(self, school, riverside):
        hoy = head_of_year(school)
        meeting = MeetingFactory(school=school, year_groups=[9], created_by=hoy)

        assert list(Meeting.objects.for_user(hoy)) == [meeting]

    def test_sees_their_year_and_not_another(self, client, school, riverside):
        client.force_login(head_of_year(school))

        listed = client.get(reverse("pupils:pupil_list")).context["rows"]

        assert [row["pupil"] for row in listed] == [riverside["nine"]]
        for pupil, status in ((riverside["nine"], 200), (riverside["ten"], 404)):
            detail = reverse("pupils:pupil_detail", args=[pupil.pk])
            assert client.get(detail).status_code == status

    def test_fills_a_summary_in_the_meeting_they_lead(self, client, school, riverside):
        hoy = head_of_year(school)
        meeting = MeetingFactory(school=school, year_groups=[9], people=[hoy])
        meeting.confirm_shortlist(
            by=meeting.created_by, pupils=[(riverside["nine"], "maths fell")], groups=[],
            over_cap_reason="",
        )  # fmt: skip
        summary = Summary.objects.get()
        client.force_login(hoy)

        assert summary.teacher == riverside["teacher"]
        assert client.get(reverse("meetings:summary_edit", args=[summary.pk])).status_code == 200
        assert summary.may_write(hoy)

    def test_reads_but_may_not_fill_the_summaries_of_another_years_meeting_they_attend(
        self, client, school, riverside
    ):
        hoy = head_of_year(school)
        meeting = MeetingFactory(school=school, year_groups=[10], people=[hoy])
        meeting.confirm_shortlist(
            by=meeting.created_by, pupils=[(riverside["ten"], "maths fell")], groups=[],
            over_cap_reason="",
        )  # fmt: skip
        summary = Summary.objects.get()
        url = reverse("meetings:summary_edit", args=[summary.pk])
        client.force_login(hoy)

        assert client.get(url).status_code == 200
        assert not summary.may_write(hoy)
        assert client.post(url, {"version": summary.version}).status_code == 403
        meeting.attendees.filter(user=hoy).delete()
        assert client.get(url).status_code == 404

    def test_sees_the_actions_of_their_pupils(self, school, riverside):
        hoy = head_of_year(school)
        theirs = ActionFactory(school=school, pupil=riverside["nine"])
        ActionFactory(school=school, pupil=riverside["ten"])

        assert list(Action.objects.for_user(hoy)) == [theirs]

    def test_the_action_log_holds_their_pupils_actions(self, client, school, riverside):
        theirs = ActionFactory(school=school, pupil=riverside["nine"])
        ActionFactory(school=school, pupil=riverside["ten"])
        client.force_login(head_of_year(school))

        response = client.get(reverse("action_log"))

        assert list(response.context["page"].object_list) == [theirs]
        assert "Action log: Year 9" in response.text

    def test_the_home_page_offers_to_schedule_a_meeting(self, client, school):
        client.force_login(head_of_year(school))

        page = client.get(reverse("home")).text

        assert "Schedule a meeting" in page
        assert "Head of year: Year 9" in page


class TestHeadOfDepartment:
    def test_schedules_a_meeting_of_their_subject_whatever_subject_is_sent(
        self, client, school, riverside
    ):
        hod = head_of_maths(school)
        client.force_login(hod)

        client.post(
            reverse("meetings:meeting_create"),
            meeting_data(school, chair=hod, year_groups=["10"], subject="Science"),
        )

        assert Meeting.objects.get().subject == "Maths"

    def test_the_form_offers_their_departments_classes_with_its_subject(
        self, client, school, riverside
    ):
        client.force_login(head_of_maths(school))

        form = client.get(reverse("meetings:meeting_create")).context["form"]

        assert [group.name for group in form.fields["groups"].queryset] == ["9/Ma1", "10/Ma1"]
        assert form["subject"].value() == "Maths"

    def test_is_refused_another_departments_class(self, client, school, riverside):
        hod = head_of_maths(school)
        client.force_login(hod)
        science = riverside["groups"]["10/Sc1"]

        response = client.post(
            reverse("meetings:meeting_create"),
            meeting_data(school, chair=hod, year_groups=[], groups=[science.pk]),
        )

        assert response.status_code == 422
        assert "As head of maths you schedule meetings for Maths." in response.text
        assert not Meeting.objects.exists()

    def test_organises_a_maths_meeting_but_not_a_science_one(self, client, school, riverside):
        hod = head_of_maths(school)
        maths = MeetingFactory(school=school, subject="maths", year_groups=[10], people=[hod])
        science = MeetingFactory(school=school, subject="Science", year_groups=[10], people=[hod])
        client.force_login(hod)

        assert client.get(reverse("meetings:meeting_edit", args=[maths.pk])).status_code == 200
        assert client.get(reverse("meetings:meeting_edit", args=[science.pk])).status_code == 403

    def test_sees_the_pupils_of_their_departments_classes(self, client, school, riverside):
        hod = head_of_maths(school)
        client.force_login(hod)

        assert visible_names(hod) == {"Nia", "Tomasz"}
        assert (
            client.get(reverse("pupils:pupil_detail", args=[riverside["scientist"].pk])).status_code
            == 404
        )

    def test_chooses_among_the_pupils_they_may_see(self, client, school, year, riverside):
        hod = head_of_maths(school)
        pupil_with_maths(school, year, year_group=10)  # in no maths set
        meeting = MeetingFactory(school=school, subject="Maths", year_groups=[10], people=[hod])
        client.force_login(hod)

        response = client.get(reverse("meetings:meeting_shortlist", args=[meeting.pk]))

        assert [p.pupil for p in response.context["proposals"]] == [riverside["ten"]]


class TestPhaseLeader:
    @pytest.fixture
    def primary(self, school, year):
        school.phase = School.Phase.PRIMARY
        school.save()
        return {
            year_group: pupil_with_maths(
                school, year, year_group=year_group, legal_forename=f"Pupil{year_group}"
            )
            for year_group in (2, 4, 6)
        }

    @pytest.fixture
    def phase_leader(self, school, primary):
        """The KS2 phase leader, who teaches a Year 2 class too."""
        leader = UserFactory(
            school=school, roles=[Role.PHASE_LEADER, Role.TEACHER], remit_year_groups=[3, 4, 5, 6]
        )
        GroupFactory(school=school, name="2N", year_group=2, teachers=[leader], pupils=[primary[2]])
        return leader

    def test_sees_their_phase_and_their_own_class(self, school, primary, phase_leader):
        other = pupil_with_maths(school, school.academic_years.get(), year_group=1)

        assert visible_names(phase_leader) == {"Pupil2", "Pupil4", "Pupil6"}
        assert other.legal_forename not in visible_names(phase_leader)

    def test_schedules_for_their_phase_and_is_refused_another(self, client, school, phase_leader):
        client.force_login(phase_leader)
        url = reverse("meetings:meeting_create")

        refused = client.post(url, meeting_data(school, chair=phase_leader, year_groups=["2", "4"]))
        client.post(url, meeting_data(school, chair=phase_leader, year_groups=["4", "6"]))

        assert refused.status_code == 422
        assert "As phase leader you schedule meetings for Years 3 to 6." in refused.text
        assert Meeting.objects.get().year_groups == [4, 6]


@pytest.fixture(params=[Role.TEACHING_ASSISTANT, Role.INTERVENTION_LEAD])
def support(request, school, riverside):
    """A teaching assistant or intervention lead who works in the Year 9 maths set and leads an
    intervention with a Year 10 pupil on it."""
    user = UserFactory(school=school, roles=[request.param])
    riverside["groups"]["9/Ma1"].teachers.add(user, through_defaults={"school": school})
    tutoring = Intervention.objects.create(school=school, name="Year 10 maths tutoring", lead=user)
    InterventionPlace.objects.create(
        school=school, intervention=tutoring, pupil=riverside["ten"], starts_on="2026-10-05"
    )
    return user


class TestSupportStaff:
    def test_see_their_groups_and_interventions_pupils_only(self, client, riverside, support):
        client.force_login(support)

        assert visible_names(support) == {"Nia", "Tomasz"}
        detail = reverse("pupils:pupil_detail", args=[riverside["scientist"].pk])
        assert client.get(detail).status_code == 404

    def test_see_the_pupils_of_actions_they_own(self, school, riverside, support):
        ActionFactory(school=school, pupil=riverside["scientist"], owner=support)

        assert "Sol" in visible_names(support)

    def test_may_not_schedule_nor_read_the_action_log(self, client, school, support):
        client.force_login(support)

        assert client.get(reverse("meetings:meeting_create")).status_code == 403
        assert client.get(reverse("action_log")).status_code == 403
        assert "Schedule a meeting" not in client.get(reverse("home")).text

    def test_are_not_asked_for_summaries(self, school, riverside, support):
        meeting = MeetingFactory(school=school, subject="Maths", year_groups=[9])
        riverside["groups"]["9A"].teachers.clear()  # the set's only other adult is the assistant
        meeting.confirm_shortlist(
            by=meeting.created_by, pupils=[(riverside["nine"], "maths fell")], groups=[],
            over_cap_reason="",
        )  # fmt: skip

        assert Summary.objects.get().teacher == meeting.attendees.get(role="chair").user

    def test_are_asked_for_summaries_when_they_teach_too(self, school):
        assistant = UserFactory(school=school, roles=[Role.TEACHING_ASSISTANT])
        teaching = UserFactory(school=school, roles=[Role.TEACHING_ASSISTANT, Role.TEACHER])
        nobody = UserFactory(school=school, roles=[])

        asked = set(User.objects.filter(school=school).asked_for_summaries())

        assert (assistant in asked, teaching in asked, nobody in asked) == (False, True, True)

    def test_may_own_actions(self, school, support):
        form = ActionForm(school=school, today=school.academic_years.get().starts_on)

        assert support in form.fields["owner"].queryset


class TestTeacher:
    def test_sees_pupils_on_the_agenda_of_meetings_they_attend_and_of_actions_they_own(
        self, school, riverside
    ):
        teacher = UserFactory(school=school, roles=[Role.TEACHER])
        meeting = MeetingFactory(school=school, year_groups=[9], people=[teacher])
        meeting.confirm_shortlist(
            by=meeting.created_by, pupils=[(riverside["nine"], "maths fell")], groups=[],
            over_cap_reason="",
        )  # fmt: skip
        assert visible_names(teacher) == {"Nia"}

        ActionFactory(school=school, pupil=riverside["ten"], owner=teacher)
        assert visible_names(teacher) == {"Nia", "Tomasz"}


@pytest.mark.parametrize(
    ("roles", "remit"),
    [
        ([Role.HEAD_OF_YEAR], {"remit_year_groups": [9, 10]}),
        ([Role.HEAD_OF_DEPARTMENT], {"remit_subject": "Maths"}),
        ([Role.PHASE_LEADER], {"remit_year_groups": [7, 8, 9, 10]}),
        ([Role.TEACHING_ASSISTANT], {}),
        ([Role.INTERVENTION_LEAD], {}),
    ],
)
def test_another_schools_objects_are_not_found(client, school, riverside, roles, remit):
    """A line manager of the same year or subject, or a teaching assistant, of another school
    (of the same trust) sees nothing of this one."""
    neighbour = AcademicYearFactory(start_year=2026, school__trust=school.trust).school
    user = UserFactory(school=neighbour, roles=roles, **remit)
    meeting = MeetingFactory(school=school, year_groups=[9], subject="Maths", people=[user])
    meeting.confirm_shortlist(
        by=meeting.created_by, pupils=[(riverside["nine"], "maths fell")], groups=[],
        over_cap_reason="",
    )  # fmt: skip
    ActionFactory(school=school, pupil=riverside["nine"], owner=user)
    client.force_login(user)

    assert not Pupil.objects.for_user(user).exists()
    assert not Action.objects.for_user(user).exists()
    for url in (
        reverse("pupils:pupil_detail", args=[riverside["nine"].pk]),
        reverse("meetings:meeting_detail", args=[meeting.pk]),
        reverse("meetings:meeting_edit", args=[meeting.pk]),
        reverse("meetings:meeting_shortlist", args=[meeting.pk]),
        reverse("meetings:summary_edit", args=[Summary.objects.get().pk]),
    ):
        assert client.get(url).status_code == 404, url


@pytest.mark.parametrize(
    "queryset", [Pupil.objects, Meeting.objects, Summary.objects, Action.objects]
)
def test_what_a_line_manager_sees_is_one_query(
    school, riverside, queryset, django_assert_num_queries
):
    hoy = head_of_year(school)
    hoy.roles  # noqa: B018 (read once a request, with the user)

    with django_assert_num_queries(1):
        list(queryset.for_user(hoy))

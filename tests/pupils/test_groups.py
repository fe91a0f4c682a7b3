"""Classes and teachers: leaders see who teaches each class and set; data managers change it."""

import pytest
from django.urls import reverse

from meetings.models import Item
from progress.models import Role
from pupils.models import Group
from tests.factories import (
    AcademicYearFactory,
    GroupFactory,
    MeetingFactory,
    PupilFactory,
    UserFactory,
    pupil_with_maths,
)

pytestmark = pytest.mark.django_db

LIST = reverse("group_list")


@pytest.fixture
def year(today):
    return AcademicYearFactory(start_year=2026)


@pytest.fixture
def school(year):
    return year.school


@pytest.fixture
def admin(school):
    return UserFactory(school=school, roles=[Role.SCHOOL_ADMIN])


def edit_url(group: Group) -> str:
    return reverse("group_edit", args=[group.pk])


def teachers_of(group: Group) -> set[str]:
    return {str(teacher) for teacher in group.teachers.all()}


class TestGroupList:
    def test_lists_classes_and_sets_with_year_subject_pupils_and_teachers(self, client, school):
        patel = UserFactory(school=school, display_name="Mrs Patel")
        gone = UserFactory(school=school, display_name="Mr Gone", is_active=False)
        pupils = PupilFactory.create_batch(3, school=school)
        leaver = PupilFactory(school=school, date_left="2026-10-01")
        GroupFactory(school=school, name="6N", teachers=[patel, gone], pupils=[*pupils, leaver])
        GroupFactory(
            school=school, name="9x/Ma1", kind=Group.Kind.TEACHING, year_group=9, subject="Maths"
        )
        GroupFactory(name="Elsewhere")
        client.force_login(UserFactory(school=school, roles=[Role.SENIOR_LEADER]))

        response = client.get(LIST)

        assert response.status_code == 200
        rows = {row.name: row for row in response.context["groups"]}
        assert set(rows) == {"6N", "9x/Ma1"}
        assert rows["6N"].on_roll == 3  # the leaver is not counted
        assert "Mrs Patel" in response.text
        assert "Mr Gone" in response.text
        assert "(account closed)" in response.text
        assert "Maths" in response.text
        assert "Year 9" in response.text
        assert "No teacher" in response.text
        assert edit_url(Group.objects.get(name="6N")) in response.text

    def test_the_menu_links_it_for_those_who_may_see_it(self, client, school, admin):
        client.force_login(admin)
        assert f'href="{LIST}"' in client.get(reverse("home")).text

        client.force_login(UserFactory(school=school, roles=[Role.TEACHER]))
        assert f'href="{LIST}"' not in client.get(reverse("home")).text

    def test_a_leader_who_does_not_manage_data_sees_it_without_changing_it(self, client, school):
        group = GroupFactory(school=school)
        client.force_login(UserFactory(school=school, roles=[Role.SENCO]))

        response = client.get(LIST)

        assert response.status_code == 200
        assert edit_url(group) not in response.text
        assert client.get(edit_url(group)).status_code == 403
        assert client.post(edit_url(group), {"teachers": [], "were": ""}).status_code == 403

    @pytest.mark.parametrize("role", [Role.TEACHER, Role.TEACHING_ASSISTANT])
    def test_teachers_and_assistants_may_not_see_or_change_it(self, client, school, role):
        teacher = UserFactory(school=school, roles=[role])
        group = GroupFactory(school=school, teachers=[teacher])
        client.force_login(teacher)

        assert client.get(LIST).status_code == 403
        assert client.get(edit_url(group)).status_code == 403
        assert client.post(edit_url(group), {"teachers": [], "were": ""}).status_code == 403
        assert teachers_of(group) == {str(teacher)}

    def test_another_schools_class_is_not_found(self, client, admin):
        theirs = GroupFactory(teachers=[UserFactory()])
        client.force_login(admin)

        assert client.get(edit_url(theirs)).status_code == 404
        assert client.post(edit_url(theirs), {"teachers": [admin.pk]}).status_code == 404
        assert str(admin) not in teachers_of(theirs)

    def test_queries_do_not_grow_with_classes_pupils_or_teachers(
        self, client, school, admin, django_assert_num_queries
    ):
        def add_classes(count: int) -> None:
            for _ in range(count):
                GroupFactory(
                    school=school,
                    teachers=UserFactory.create_batch(2, school=school),
                    pupils=PupilFactory.create_batch(2, school=school),
                )

        client.force_login(admin)
        add_classes(2)
        with django_assert_num_queries(CLASSES_PAGE_QUERIES):
            client.get(LIST)
        add_classes(10)

        with django_assert_num_queries(CLASSES_PAGE_QUERIES):
            assert len(client.get(LIST).context["groups"]) == 12


# Session, user, roles, the user's school (the menu), the classes, their teachers.
CLASSES_PAGE_QUERIES = 6


class TestGroupEdit:
    def test_shows_the_schools_active_staff_with_the_teachers_ticked(self, client, school, admin):
        patel = UserFactory(school=school, display_name="Mrs Patel", job_title="Year 6 teacher")
        UserFactory(school=school, display_name="Mr Left", is_active=False)
        UserFactory(display_name="Ms Elsewhere")
        group = GroupFactory(school=school, name="6N", teachers=[patel])
        client.force_login(admin)

        response = client.get(edit_url(group))

        assert response.status_code == 200
        assert "Teachers of 6N" in response.text
        assert "Mrs Patel (Year 6 teacher)" in response.text
        assert "Mr Left" not in response.text
        assert "Ms Elsewhere" not in response.text
        assert response.context["form"]["teachers"].value() == [patel.pk]
        assert "data-people-picker" in response.text

    @pytest.mark.parametrize("role", [Role.SCHOOL_ADMIN, Role.SENIOR_LEADER])
    def test_data_managers_save_the_teachers_ticked(self, client, school, role):
        patel = UserFactory(school=school, display_name="Mrs Patel")
        jones = UserFactory(school=school, display_name="Mr Jones")
        group = GroupFactory(school=school, name="6N", teachers=[patel])
        client.force_login(UserFactory(school=school, roles=[role]))

        response = client.post(
            edit_url(group), {"teachers": [patel.pk, jones.pk], "were": str(patel.pk)}
        )

        assert response.status_code == 302
        assert response["Location"] == LIST
        assert teachers_of(group) == {"Mrs Patel", "Mr Jones"}
        listed = client.get(LIST)
        assert "Saved: 6N is taught by Mr Jones and Mrs Patel." in listed.text

    def test_someone_of_another_school_or_who_has_left_is_refused(self, client, school, admin):
        elsewhere = UserFactory()
        left = UserFactory(school=school, is_active=False)
        group = GroupFactory(school=school)
        client.force_login(admin)

        for person in (elsewhere, left):
            response = client.post(edit_url(group), {"teachers": [person.pk], "were": ""})

            assert response.status_code == 422
            assert "Choose teachers from the school&#x27;s active staff." in response.text
            assert "There is a problem" in response.text
        assert not group.teachers.exists()

    def test_a_save_over_someone_elses_change_is_refused(self, client, school, admin):
        patel, jones = UserFactory.create_batch(2, school=school)
        group = GroupFactory(school=school)
        client.force_login(admin)
        drawn = client.get(edit_url(group)).context["form"]["were"].value()
        group.teachers.add(
            jones, through_defaults={"school": group.school}
        )  # someone else, meanwhile

        response = client.post(edit_url(group), {"teachers": [patel.pk], "were": drawn})

        assert response.status_code == 422
        assert "Someone else changed this class" in response.text
        assert list(group.teachers.all()) == [jones]

    def test_a_teacher_whose_account_is_closed_is_named(self, client, school, admin):
        group = GroupFactory(
            school=school, teachers=[UserFactory(school=school, display_name="Mr Gone")]
        )
        group.teachers.update(is_active=False)
        client.force_login(admin)

        response = client.get(edit_url(group))

        assert "Mr Gone’s account is closed: saving takes them off the class." in response.text


class TestSummaries:
    def test_a_teacher_given_on_the_screen_is_asked_for_the_summary(
        self, client, school, year, admin
    ):
        """An imported class has no teacher, so the summary went to the chair; once the class
        has its teacher, confirming a shortlist asks them."""
        teacher = UserFactory(school=school, roles=[Role.TEACHER], display_name="Mrs Patel")
        pupil = pupil_with_maths(school, year)
        group = GroupFactory(school=school, name="6N", pupils=[pupil])  # as imported: no teacher
        meeting = MeetingFactory(school=school, year_groups=[6])
        client.force_login(admin)

        client.post(edit_url(group), {"teachers": [teacher.pk], "were": ""})
        client.force_login(meeting.created_by)
        client.post(
            reverse("meetings:meeting_shortlist", args=[meeting.pk]), {"pupils": [pupil.pk]}
        )

        assert Item.objects.get(meeting=meeting, pupil=pupil).summary.teacher == teacher

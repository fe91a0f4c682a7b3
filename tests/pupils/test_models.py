import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from progress.models import Role
from pupils.domain import SenProvision
from pupils.models import Characteristics, Pupil
from tests.factories import AcademicYearFactory, GroupFactory, PupilFactory, UserFactory

pytestmark = pytest.mark.django_db


class TestPupilsForUser:
    @pytest.fixture
    def school_with_two_classes(self):
        teacher = UserFactory(roles=[Role.TEACHER])
        mine = PupilFactory.create_batch(3, school=teacher.school)
        theirs = PupilFactory.create_batch(2, school=teacher.school)
        GroupFactory(school=teacher.school, teachers=[teacher], pupils=mine)
        GroupFactory(school=teacher.school, pupils=theirs)
        return teacher, mine, theirs

    @pytest.mark.parametrize(
        "role",
        [
            Role.SENIOR_LEADER,
            Role.SENCO,
            Role.PASTORAL_LEAD,
            Role.ATTENDANCE_LEAD,
            Role.PUPIL_PREMIUM_LEAD,
            Role.SCHOOL_ADMIN,
        ],
    )
    def test_leaders_see_the_whole_school(self, school_with_two_classes, role):
        teacher, mine, theirs = school_with_two_classes
        leader = UserFactory(school=teacher.school, roles=[role])

        assert set(Pupil.objects.for_user(leader)) == {*mine, *theirs}

    @pytest.mark.parametrize("role", [Role.TEACHER, Role.TEACHING_ASSISTANT])
    def test_teachers_and_assistants_see_the_pupils_they_teach(self, school_with_two_classes, role):
        teacher, mine, _ = school_with_two_classes
        teacher.set_roles([role])

        assert set(Pupil.objects.for_user(teacher)) == set(mine)

    def test_a_pupil_in_two_of_my_groups_appears_once(self, school_with_two_classes):
        teacher, mine, _ = school_with_two_classes
        GroupFactory(school=teacher.school, teachers=[teacher], pupils=mine[:2])

        assert Pupil.objects.for_user(teacher).count() == 3

    def test_another_schools_leader_sees_none(self, school_with_two_classes):
        assert not Pupil.objects.for_user(UserFactory(roles=[Role.SENIOR_LEADER])).exists()


class TestPupil:
    def test_a_upn_with_the_wrong_check_letter_does_not_validate(self):
        pupil = PupilFactory.build(school=UserFactory().school, upn="A801200005001")

        with pytest.raises(ValidationError, match="should be B"):
            pupil.full_clean()

    def test_one_pupil_per_upn_in_a_school(self):
        pupil = PupilFactory()

        with pytest.raises(IntegrityError):
            PupilFactory(school=pupil.school, upn=pupil.upn)

    def test_known_by_the_preferred_name(self):
        pupil = PupilFactory.build(
            legal_forename="Muhammad", preferred_forename="Mo", legal_surname="O’Connor"
        )

        assert pupil.name == "Mo O’Connor"

    def test_age_on_a_day(self):
        import datetime as dt

        pupil = PupilFactory.build(date_of_birth=dt.date(2015, 3, 14))

        assert pupil.age_on(dt.date(2026, 3, 13)) == 10
        assert pupil.age_on(dt.date(2026, 3, 14)) == 11


class TestCharacteristics:
    def test_one_record_per_pupil_and_year(self):
        pupil = PupilFactory()
        year = AcademicYearFactory(school=pupil.school)
        Characteristics.objects.create(school=pupil.school, pupil=pupil, academic_year=year)

        with pytest.raises(IntegrityError):
            Characteristics.objects.create(school=pupil.school, pupil=pupil, academic_year=year)

    def test_a_need_type_needs_sen_provision(self):
        pupil = PupilFactory()
        year = AcademicYearFactory(school=pupil.school)

        with pytest.raises(IntegrityError):
            Characteristics.objects.create(
                school=pupil.school,
                pupil=pupil,
                academic_year=year,
                sen_provision=SenProvision.NONE,
                primary_need="ASD",
            )

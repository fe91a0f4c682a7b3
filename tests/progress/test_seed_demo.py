import pytest
from django.contrib.auth import authenticate
from django.core.management import call_command

from progress import demo
from progress.models import AcademicYear, Role, School, User

pytestmark = pytest.mark.django_db


def seed(*args: str) -> None:
    call_command("seed_demo", *args, stdout=open("/dev/null", "w"))  # noqa: SIM115


class TestSeedDemo:
    def test_every_demo_login_signs_in(self):
        seed()

        for email, _ in demo.LOGINS:
            assert authenticate(email=email, password="progress-demo") is not None, email

    def test_two_schools_of_one_trust_with_every_role(self):
        seed()

        oakfield, riverside = School.objects.order_by("name")
        assert (oakfield.name, riverside.name) == ("Oakfield Primary School", "Riverside Academy")
        assert oakfield.trust == riverside.trust
        for school in (oakfield, riverside):
            roles = set(
                User.objects.filter(school=school).values_list("staff_roles__role", flat=True)
            )
            assert roles == set(Role), school
            assert AcademicYear.objects.filter(school=school).count() == 2

    def test_the_demo_accounts_are_who_the_contract_says(self):
        seed()

        assert User.objects.get(email="leader@oakfield.example").roles == {Role.SENIOR_LEADER}
        assert User.objects.get(email="senco@oakfield.example").roles == {Role.SENCO}
        assert "Year 6" in User.objects.get(email="teacher@oakfield.example").job_title
        assert User.objects.get(email="leader@riverside.example").school.name == "Riverside Academy"
        assert "Maths" in User.objects.get(email="teacher@riverside.example").job_title

    def test_the_same_seed_gives_the_same_staff(self):
        seed("--seed", "7")
        first = list(
            User.objects.order_by("email").values_list("email", "display_name", "job_title")
        )
        seed("--seed", "7")
        second = list(
            User.objects.order_by("email").values_list("email", "display_name", "job_title")
        )

        assert first == second
        assert School.objects.count() == 2

    def test_if_empty_leaves_an_existing_database_alone(self):
        seed()
        User.objects.filter(email="leader@oakfield.example").update(display_name="Changed")

        seed("--if-empty")

        assert User.objects.get(email="leader@oakfield.example").display_name == "Changed"


class TestSeedDemoPupils:
    def test_pupils_have_valid_upns_and_national_like_characteristics(self):
        from pupils.domain import validate_upn
        from pupils.models import Characteristics, Pupil

        seed()

        assert Pupil.objects.count() > 900
        for upn in Pupil.objects.values_list("upn", flat=True):
            validate_upn(upn)
        current = AcademicYear.objects.latest("starts_on").starts_on
        this_year = Characteristics.objects.filter(academic_year__starts_on=current)
        total = this_year.count()
        assert total == Pupil.objects.count()
        rate = {
            "fsm": this_year.filter(fsm=True).count() / total,
            "sen_support": this_year.filter(sen_provision="K").count() / total,
            "ehc_plan": this_year.filter(sen_provision="E").count() / total,
            "eal": this_year.filter(eal=True).count() / total,
        }
        assert 0.18 < rate["fsm"] < 0.32
        assert 0.08 < rate["sen_support"] < 0.18
        assert 0.01 < rate["ehc_plan"] < 0.05
        assert 0.14 < rate["eal"] < 0.26

    def test_the_demo_teachers_teach_their_classes(self):
        from pupils.models import Pupil

        seed()

        oakfield_teacher = User.objects.get(email="teacher@oakfield.example")
        assert list(oakfield_teacher.teaching_groups.values_list("name", flat=True)) == ["6N"]
        assert {p.year_group for p in Pupil.objects.for_user(oakfield_teacher)} == {6}
        maths = User.objects.get(email="teacher@riverside.example").teaching_groups
        assert maths.filter(subject="Maths").count() >= 5

import datetime as dt
from collections import Counter

import pytest
from django.contrib.auth import authenticate
from django.core.management import call_command
from django.test import RequestFactory
from django.utils import timezone

from meetings.models import Item, Meeting
from progress import demo
from progress.models import AcademicYear, Role, School, Trust, User
from pupils.domain import validate_upn
from pupils.models import BehaviourIncident, Characteristics, MissedTopic, Pupil, Result
from tests.conftest import at_school_time

# Sign-in is throttled per address (django-axes), so authenticating needs a request.
SIGN_IN = RequestFactory().post("/accounts/login/")
pytestmark = pytest.mark.django_db


def seed(*args: str) -> None:
    call_command("seed_demo", *args, stdout=open("/dev/null", "w"))  # noqa: SIM115


def snapshot() -> list:
    return [
        *User.objects.order_by("email").values_list("email", "display_name", "job_title"),
        *Pupil.objects.order_by("upn").values_list("upn", "legal_forename", "legal_surname"),
    ]


@pytest.fixture(scope="module")
def demo_trust(django_db_setup, django_db_blocker):
    """The demo trust, loaded once for the read-only tests below (it takes a few seconds)."""
    with django_db_blocker.unblock():
        seed()
        yield snapshot()
        School.objects.all().delete()
        Trust.objects.all().delete()


class TestSeedDemo:
    def test_every_demo_login_signs_in(self, demo_trust):
        for email, _ in demo.LOGINS:
            assert authenticate(SIGN_IN, email=email, password="progress-demo") is not None, email

    def test_two_schools_of_one_trust_with_every_role(self, demo_trust):
        oakfield, riverside = School.objects.order_by("name")
        assert (oakfield.name, riverside.name) == ("Oakfield Primary School", "Riverside Academy")
        assert oakfield.trust == riverside.trust
        for school in (oakfield, riverside):
            roles = set(
                User.objects.filter(school=school).values_list("staff_roles__role", flat=True)
            )
            assert roles == set(Role), school
            years = AcademicYear.objects.filter(school=school)
            assert years.containing(timezone.localdate()).exists()
            assert years.count() in (2, 3)  # next year too, once reviews can fall in it

    def test_the_demo_accounts_are_who_the_contract_says(self, demo_trust):
        assert User.objects.get(email="leader@oakfield.example").roles == {Role.SENIOR_LEADER}
        assert User.objects.get(email="senco@oakfield.example").roles == {Role.SENCO}
        assert "Year 6" in User.objects.get(email="teacher@oakfield.example").job_title
        assert User.objects.get(email="leader@riverside.example").school.name == "Riverside Academy"
        assert "Maths" in User.objects.get(email="teacher@riverside.example").job_title

    def test_pupils_have_valid_upns_and_national_like_characteristics(self, demo_trust):
        assert Pupil.objects.count() > 900
        for upn in Pupil.objects.values_list("upn", flat=True):
            validate_upn(upn)
        coming = Meeting.objects.filter(status__in=Meeting.PREPARING).earliest("date").date
        current = AcademicYear.objects.containing(coming).first().starts_on  # the year shown
        this_year = Characteristics.objects.filter(academic_year__starts_on=current)
        total = this_year.count()
        assert total == Pupil.objects.count()
        assert 0.18 < this_year.filter(fsm=True).count() / total < 0.32
        assert 0.08 < this_year.filter(sen_provision="K").count() / total < 0.18
        assert 0.01 < this_year.filter(sen_provision="E").count() / total < 0.05
        assert 0.14 < this_year.filter(eal=True).count() / total < 0.26

    def test_the_demo_teachers_teach_their_classes(self, demo_trust):
        oakfield_teacher = User.objects.get(email="teacher@oakfield.example")
        assert list(oakfield_teacher.teaching_groups.values_list("name", flat=True)) == ["6N"]
        assert {p.year_group for p in Pupil.objects.for_user(oakfield_teacher)} == {6}
        maths = User.objects.get(email="teacher@riverside.example").teaching_groups
        assert maths.filter(subject="Maths").count() >= 5

    def test_the_hand_made_cases_are_there(self, demo_trust):
        tyler = Pupil.objects.get(legal_forename="Tyler", legal_surname="Brennan")
        assert tyler.groups.filter(name="6N").exists()
        latest_maths = tyler.results.filter(subject="Maths").latest("point__date")
        assert latest_maths.step.code == "WTS"
        for school, group in (("999101", "5N"), ("999102", "8C")):
            missed = MissedTopic.objects.filter(
                result__pupil__groups__name=group,
                result__school__urn=school,
                topic="Variables and fair testing",
            )
            assert missed.count() >= 5, group

    def test_a_behaviour_meeting_asks_what_is_working_for_a_pupil_doing_well(self, demo_trust):
        meeting = Meeting.objects.get(school__urn="999102", status__in=Meeting.PREPARING)
        items = list(meeting.items.select_related("summary"))
        assert meeting.leads_with_behaviour
        assert len(items) >= 2
        (well,) = [item for item in items if item.doing_well]
        assert "what_is_working" in well.summary.asks
        assert "main_concern" not in well.summary.asks

    def test_effort_is_graded_and_behaviour_clusters(self, demo_trust):
        graded = Result.objects.exclude(effort=None)
        assert graded.count() > Result.objects.count() / 3
        assert set(graded.values_list("scale__name", flat=True)) <= {
            "Primary teacher assessment", "School steps", "GCSE grade",
        }  # fmt: skip
        by_lesson = Counter(BehaviourIncident.objects.values_list("pupil", "lesson"))
        incidents = Counter(BehaviourIncident.objects.values_list("pupil", flat=True))
        clustered = [
            pupil for (pupil, _), count in by_lesson.items()
            if incidents[pupil] >= 4 and count * 2 >= incidents[pupil]
        ]  # fmt: skip
        assert len(clustered) >= 5

    def test_the_same_seed_gives_the_same_data(self, demo_trust):
        seed()

        assert snapshot() == demo_trust
        assert School.objects.count() == 2

    @pytest.mark.demo_dates
    def test_the_same_seed_gives_the_same_pupils_whatever_the_date(self, demo_trust, time_machine):
        """Each pupil has random streams of their own, keyed by their place on the register: how
        many days the demo covers does not change who they are."""
        seen = []
        for day in (dt.date(2026, 9, 2), dt.date(2028, 2, 29)):
            time_machine.move_to(at_school_time(day), tick=False)
            seed()
            registers = Pupil.objects.filter(groups__kind="registration").order_by(
                "groups__name", "pk"
            )
            group = Item.objects.get(group_name="6N fractions group")
            seen.append(
                (
                    list(registers.values_list("groups__name", "legal_forename", "legal_surname")),
                    sorted(pupil.name for pupil in group.group_pupils.all()),
                )
            )

        assert seen[0] == seen[1]

    def test_if_empty_leaves_an_existing_database_alone(self, demo_trust):
        User.objects.filter(email="leader@oakfield.example").update(display_name="Changed")

        seed("--if-empty")

        assert User.objects.get(email="leader@oakfield.example").display_name == "Changed"

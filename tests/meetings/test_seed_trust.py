import pytest
import time_machine
from django.contrib.auth import authenticate
from django.core.management import CommandError, call_command
from django.test import RequestFactory
from django.urls import reverse

from actions.models import Action, Review
from meetings import trust_demo
from meetings.models import Item, Meeting, SectionTime
from progress.models import School, User
from pupils.domain import validate_upn
from pupils.models import AttendanceMark, BehaviourIncident, Group, Pupil, Result
from tests.conftest import TODAY, at_school_time

# Sign-in is throttled per address (django-axes), so authenticating needs a request.
SIGN_IN = RequestFactory().post("/accounts/login/")
SCHOOLS = "2"  # a secondary (school01) and a primary (school02): a few seconds each run
pytestmark = pytest.mark.django_db


def seed(*args: str) -> None:
    call_command("seed_trust", "--schools", SCHOOLS, *args, stdout=open("/dev/null", "w"))  # noqa: SIM115


# An action as the snapshot lists it, ordered by all of it: a pupil may be given the same action
# twice in a meeting.
ACTION = (
    "meeting__date", "meeting__focus", "pupil__upn", "group_name", "text", "owner__email",
    "review_on", "status", "supporting__email",
)  # fmt: skip


def snapshot() -> list:
    """What the trust holds, without its ids: the same seed and day must give the same list."""
    return [
        School.objects.order_by("urn").values_list("urn", "name", "phase").count(),
        *School.objects.order_by("urn").values_list("urn", "name", "phase"),
        *User.objects.order_by("email").values_list("email", "display_name", "job_title"),
        *Pupil.objects.order_by("upn").values_list("upn", "legal_forename", "year_group"),
        *Group.objects.order_by("school__urn", "name", "pupils__upn").values_list(
            "name", "pupils__upn"
        ),
        *AttendanceMark.objects.order_by("pupil__upn", "date", "session").values_list(
            "pupil__upn", "date", "session", "code"
        ),
        *Result.objects.order_by("pupil__upn", "point__date", "subject").values_list(
            "pupil__upn", "subject", "step__code", "months"
        ),
        *Meeting.objects.order_by("school__urn", "date", "focus", "year_groups").values_list(
            "date", "focus", "year_groups", "status"
        ),
        *Action.objects.order_by(*ACTION).values_list(*ACTION),
    ]


@pytest.fixture(scope="module")
def trust(django_db_setup, django_db_blocker):
    """A two-school trust as it stands on the tests' Monday, loaded once for the tests below."""
    with django_db_blocker.unblock(), time_machine.travel(at_school_time(TODAY), tick=False):
        seed()
        yield snapshot()
        trust_demo.remove()


class TestSeedTrust:
    def test_schools_pupils_and_a_year_of_their_data(self, trust):
        secondary, primary = School.objects.order_by("urn")
        assert (secondary.phase, primary.phase) == (School.Phase.SECONDARY, School.Phase.PRIMARY)
        assert secondary.trust == primary.trust
        assert 1100 < Pupil.objects.filter(school=secondary).count() < 1250
        assert 190 < Pupil.objects.filter(school=primary).count() < 220
        for upn in Pupil.objects.values_list("upn", flat=True):
            validate_upn(upn)
        pupils = Pupil.objects.count()
        # This school year's registers so far, two sessions a day: its 53 school days before
        # Monday 23 November in the standard calendar.
        assert AttendanceMark.objects.count() == pupils * 53 * 2
        assert Result.objects.count() > pupils * 10
        assert BehaviourIncident.objects.exists()

    def test_closed_meetings_with_actions_in_every_state_and_one_coming(self, trust):
        for school in School.objects.all():
            meetings = Meeting.objects.filter(school=school)
            assert meetings.filter(status=Meeting.Status.CLOSED, date__lt=TODAY).count() > 80
            coming = meetings.exclude(status=Meeting.Status.CLOSED).get()
            assert coming.date > TODAY
            assert coming.items.count() == 8
            actions = Action.objects.filter(school=school)
            assert actions.count() > 1500
            assert set(actions.values_list("status", flat=True)) == {
                Action.Status.OPEN, Action.Status.COMPLETED, Action.Status.STOPPED,
            }  # fmt: skip
            assert actions.overdue(on=TODAY).exists()
            assert actions.filter(review_on__gt=TODAY).exists()
            assert not actions.exclude(owner__school=school).exists()
            assert actions.filter(group_name__gt="", group_pupils__isnull=False).exists()
            assert actions.filter(supporting__isnull=False).exists()
            assert Review.objects.filter(school=school).count() > actions.count() / 4
        assert Item.objects.filter(summary__isnull=True, pupil__isnull=False).count() == 0
        assert SectionTime.objects.count() == 5 * Meeting.objects.filter(status="closed").count()

    def test_the_trust_logins_sign_in(self, trust):
        for email, _ in trust_demo.logins(2):
            assert authenticate(SIGN_IN, email=email, password="progress-demo") is not None, email

    def test_the_leaders_pages_load(self, trust, client, today):
        leader = User.objects.get(email="leader@school01.trust.example")
        client.force_login(leader)
        meeting = Meeting.objects.filter(school=leader.school).exclude(status="closed").get()
        pupil = meeting.items.first().pupil
        for url in (
            reverse("home"),
            reverse("pupils:pupil_list") + "?criterion=attendance",
            reverse("pupils:pupil_detail", args=[pupil.pk]),
            meeting.get_absolute_url(),
            reverse("meetings:meeting_shortlist", args=[meeting.pk]),
            reverse("action_log"),
            reverse("meetings:meetings_working"),
        ):
            assert client.get(url).status_code == 200, url

    def test_the_same_seed_gives_the_same_trust(self, trust, today):
        seed("--replace")
        assert snapshot() == trust

    def test_replace_leaves_other_schools_alone(self, trust, today):
        other = School.objects.create(name="Another School", urn="100001", phase="primary")
        seed("--replace")
        assert School.objects.filter(pk=other.pk).exists()
        assert School.objects.filter(trust__name=trust_demo.TRUST).count() == 2

    def test_refuses_a_database_with_schools(self, trust):
        pupils = Pupil.objects.count()
        with pytest.raises(CommandError, match="already has schools"):
            seed()
        assert Pupil.objects.count() == pupils

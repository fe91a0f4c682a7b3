"""The audit log: who changed what, who viewed SEND detail, who downloaded pupil data."""

import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from actions.models import Action
from progress.models import AccessEvent, Role
from pupils.models import Pupil
from tests.factories import (
    AcademicYearFactory,
    ActionFactory,
    PupilFactory,
    SchoolFactory,
    UserFactory,
    pupil_with_maths,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def year(today):
    return AcademicYearFactory(start_year=2026)


@pytest.fixture
def leader(year):
    return UserFactory(school=year.school, roles=[Role.SENIOR_LEADER], display_name="Ms Lead")


def test_a_change_made_on_a_page_is_recorded_with_who_made_it(client, year, leader):
    action = ActionFactory(school=year.school, owner=leader)
    client.force_login(leader)

    client.post(
        reverse("actions:action_start", args=[action.pk]),
        {"version": action.version, "started": "yes"},
    )
    page = client.get(reverse("audit_log")).text

    assert Action.history.filter(id=action.pk).count() == 2  # created, then changed
    assert "Ms Lead" in page
    assert "changed" in page


def test_viewing_send_detail_and_downloading_are_recorded(client, year, leader):
    pupil = pupil_with_maths(year.school, year, census={"sen_provision": "K"})
    client.force_login(leader)

    client.get(reverse("pupils:pupil_detail", args=[pupil.pk]))
    client.get(reverse("action_log"), {"format": "csv"})

    events = list(AccessEvent.objects.values_list("kind", "what", "user"))
    assert events == [
        ("export", "the action log as CSV", leader.pk),
        ("send", f"{pupil.name}'s profile", leader.pk),
    ]
    page = client.get(reverse("audit_log")).text
    assert f"Viewed SEND detail: {pupil.name}" in page.replace("&#x27;", "'")


def test_a_profile_without_send_detail_records_nothing(client, year, leader):
    pupil = pupil_with_maths(year.school, year)
    client.force_login(leader)

    client.get(reverse("pupils:pupil_detail", args=[pupil.pk]))

    assert not AccessEvent.objects.exists()


@pytest.mark.parametrize("role", [Role.TEACHER, Role.TEACHING_ASSISTANT, Role.SCHOOL_ADMIN])
def test_only_leaders_read_it(client, year, role):
    client.force_login(UserFactory(school=year.school, roles=[role]))

    assert client.get(reverse("audit_log")).status_code == 403


def test_another_schools_leader_sees_none_of_it(client, year, leader):
    ActionFactory(school=year.school, text="Phone home each Monday by 9am")
    client.force_login(UserFactory(roles=[Role.SENIOR_LEADER]))

    assert "Phone home each Monday" not in client.get(reverse("audit_log")).text


def test_retention_forgets_the_history_kept_of_a_leaver(year):
    year.school.leavers_kept_for = 1
    year.school.save()
    leaver = PupilFactory(school=year.school, date_left="2024-07-19")
    action = ActionFactory(school=year.school, pupil=leaver)

    call_command("apply_retention", stdout=io.StringIO())

    assert not Pupil.objects.filter(pk=leaver.pk).exists()
    assert not Pupil.history.filter(id=leaver.pk).exists()
    assert not Action.history.filter(id=action.pk).exists()


class TestRetentionPeriod:
    def test_the_log_says_how_long_leavers_are_kept_and_a_leader_changes_it(
        self, client, year, leader
    ):
        client.force_login(leader)
        assert "deleted 6 years after the day they left" in client.get("/school/audit/").text

        saved = client.post("/school/retention/", {"leavers_kept_for": "7"}, follow=True)

        year.school.refresh_from_db()
        assert year.school.leavers_kept_for == 7
        assert "Leavers&#x27; records are now kept for 7 years." in saved.text

    @pytest.mark.parametrize("given", ["0", "26", "six", "9" * 30])
    def test_a_number_out_of_range_changes_nothing_and_says_why(self, client, year, leader, given):
        client.force_login(leader)

        refused = client.post("/school/retention/", {"leavers_kept_for": given}, follow=True)

        year.school.refresh_from_db()
        assert year.school.leavers_kept_for == 6
        assert "is not a number of years from 1 to 25: nothing has changed." in refused.text

    @pytest.mark.parametrize("role", [Role.SENCO, Role.TEACHER])
    def test_only_those_who_manage_the_schools_data_change_it(self, client, year, role):
        someone = UserFactory(school=year.school, roles=[role])
        client.force_login(someone)

        assert client.post("/school/retention/", {"leavers_kept_for": "2"}).status_code == 403
        year.school.refresh_from_db()
        assert year.school.leavers_kept_for == 6

    def test_another_schools_leader_changes_only_their_own(self, client, year):
        other = UserFactory(school=SchoolFactory(), roles=[Role.SENIOR_LEADER])
        client.force_login(other)

        client.post("/school/retention/", {"leavers_kept_for": "3"})

        year.school.refresh_from_db()
        other.school.refresh_from_db()
        assert (year.school.leavers_kept_for, other.school.leavers_kept_for) == (6, 3)

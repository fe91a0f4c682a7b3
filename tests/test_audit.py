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

"""A subject-access export: everything held about one pupil, for a senior leader to send."""

import io
import json
import zipfile

import pytest
from django.urls import reverse

from actions.models import Action
from progress.models import Role
from pupils.models import AttendanceMark
from tests.factories import (
    AcademicYearFactory,
    ActionFactory,
    MeetingFactory,
    PupilFactory,
    UserFactory,
    pupil_with_maths,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def pupil(today):
    year = AcademicYearFactory(start_year=2026)
    pupil = pupil_with_maths(year.school, year, legal_forename="Amira", legal_surname="Okafor")
    for day in (2, 3):
        AttendanceMark.objects.create(
            school=year.school, pupil=pupil, date=f"2026-11-{day:02}", session="AM", code="/"
        )
    other = PupilFactory(school=year.school, legal_forename="Zed", legal_surname="Quartermaine")
    ActionFactory(school=year.school, pupil=pupil, text="Phone home each Monday by 9am")
    group = ActionFactory(
        school=year.school, pupil=None, group_name="Fractions group",
        text="Reteach fractions next lesson; five-question check on Friday",
    )  # fmt: skip
    group.group_pupils.set([pupil, other], through_defaults={"school": group.school})
    meeting = MeetingFactory(school=year.school)
    meeting.confirm_shortlist(
        by=meeting.created_by, pupils=[(pupil, "maths fell")], groups=[], over_cap_reason=""
    )
    return pupil


def export(client, pupil):
    response = client.get(reverse("pupil_subject_access", args=[pupil.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    assert archive.read("data.pdf").startswith(b"%PDF")
    return json.loads(archive.read("data.json"))


def test_a_senior_leader_gets_everything_held_as_data_and_a_pdf(client, pupil):
    client.force_login(UserFactory(school=pupil.school, roles=[Role.SENIOR_LEADER]))

    data = export(client, pupil)

    held = data["sections"]
    assert data["pupil"] == "Amira Okafor"
    assert held["Pupil"][0]["Legal surname"] == "Okafor"
    assert len(held["Register marks"]) == 2
    assert len(held["Assessment results"]) == pupil.results.count() == 2
    actions = {row["Action"] for row in held["Actions"]}
    assert actions == set(Action.objects.values_list("text", flat=True))
    assert held["Meetings that discussed them"][0]["Reason"] == "maths fell"
    assert len(held["One-page summaries"]) == 1
    assert "Quartermaine" not in json.dumps(data)  # the group's other pupil is not theirs


def test_it_holds_what_the_profile_shows(client, pupil):
    client.force_login(UserFactory(school=pupil.school, roles=[Role.SENIOR_LEADER]))
    profile = client.get(reverse("pupils:pupil_detail", args=[pupil.pk])).text

    data = export(client, pupil)

    assert "for a subject-access request" in profile
    for row in data["sections"]["Actions"]:
        assert row["Action"] in profile


@pytest.mark.parametrize("role", [Role.TEACHER, Role.SENCO, Role.SCHOOL_ADMIN])
def test_other_roles_may_not(client, pupil, role):
    client.force_login(UserFactory(school=pupil.school, roles=[role]))

    response = client.get(reverse("pupil_subject_access", args=[pupil.pk]))

    assert response.status_code in (403, 404)


def test_another_schools_leader_gets_not_found(client, pupil):
    client.force_login(UserFactory(roles=[Role.SENIOR_LEADER]))

    assert client.get(reverse("pupil_subject_access", args=[pupil.pk])).status_code == 404


@pytest.mark.parametrize(
    ("role", "shown"),
    [(Role.SENCO, True), (Role.SENIOR_LEADER, True), (Role.ATTENDANCE_LEAD, False)],
)
def test_a_leavers_send_detail_is_only_for_those_who_still_need_it(client, pupil, role, shown):
    census = pupil.characteristics.get()
    census.sen_provision, census.primary_need = "K", "SPLD"
    census.save()
    type(pupil).objects.filter(pk=pupil.pk).update(date_left="2026-10-23")
    client.force_login(UserFactory(school=pupil.school, roles=[role]))

    profile = client.get(reverse("pupils:pupil_detail", args=[pupil.pk])).text

    assert ("Specific learning difficulty" in profile) is shown
    assert ("shown only to the SENCO and senior leaders" in profile) is not shown
    assert ("SEN support" in profile) is shown  # nor in the reasons to discuss them
    assert pupil.name not in client.get(reverse("pupils:pupil_list")).text  # not on roll

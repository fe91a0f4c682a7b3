"""Every school-owned row carries its school, so a database sharded by school keeps each row
with its school: the models say so, the app's own paths fill it in, and the migration filled it
on the rows there were."""

import uuid

import pytest
from django.apps import apps
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse

from actions.models import ActionPupil, Supporter
from meetings.focus import Focus
from meetings.models import ItemPupil, MeetingGroup, SectionTime
from progress.models import Role, School, StaffRole, User
from pupils.importing import importer_for, read_table
from pupils.models import Membership, Teaching
from tests.conftest import TODAY
from tests.factories import (
    AcademicYearFactory,
    GroupFactory,
    MeetingFactory,
    PupilFactory,
    SchoolFactory,
    UserFactory,
    valid_upn,
)

UPN = valid_upn("888123426900")
APPS = ["progress", "pupils", "meetings", "actions"]

# Tables that are not one school's, each for a reason.
NOT_A_SCHOOLS = {
    "progress.Trust": "a trust is above its schools",
    "progress.School": "the school itself: its id is what the rows are sharded by",
    # Django's permissions for the people who run the service (the admin), who have no school
    "progress.User_groups": "Django's permission groups of a service operator",
    "progress.User_user_permissions": "Django's permissions of a service operator",
}
# Rows that carry a school that may be empty, each for a reason.
MAY_HAVE_NO_SCHOOL = {
    "progress.User": "a service operator belongs to no school",
    "pupils.Scale": "the national scales are every school's (reference data)",
    "pupils.ScaleStep": "the national scales' steps are every school's (reference data)",
}


def label(model) -> str:
    return f"{model._meta.app_label}.{model.__name__}"


def project_models():
    for app in APPS:
        yield from apps.get_app_config(app).get_models(include_auto_created=True)


def is_history(model) -> bool:
    """django-simple-history's copies: every column of the row, the school too, kept nullable
    as history keeps every foreign key."""
    return model.__name__.startswith("Historical")


class TestEveryTable:
    def test_every_school_owned_model_has_its_school(self):
        missing = []
        for model in project_models():
            if label(model) in NOT_A_SCHOOLS:
                continue
            field = next((f for f in model._meta.concrete_fields if f.name == "school"), None)
            if field is None or field.related_model is not School:
                missing.append(label(model))
        assert missing == []

    def test_only_the_listed_ones_may_leave_it_empty(self):
        nullable = {
            label(model)
            for model in project_models()
            if label(model) not in NOT_A_SCHOOLS
            and not is_history(model)
            and model._meta.get_field("school").null
        }
        assert nullable == set(MAY_HAVE_NO_SCHOOL)

    def test_no_many_to_many_table_of_the_project_is_left_to_django(self):
        made_by_django = {label(model) for model in project_models() if model._meta.auto_created}
        assert made_by_django == {"progress.User_groups", "progress.User_user_permissions"}

    def test_the_many_to_many_tables_keep_their_names(self):
        tables = {model: model._meta.db_table for model in [Teaching, Membership]}
        tables |= {model: model._meta.db_table for model in [MeetingGroup, ItemPupil]}
        tables |= {model: model._meta.db_table for model in [ActionPupil, Supporter]}
        assert tables == {
            Teaching: "pupils_group_teachers",
            Membership: "pupils_group_pupils",
            MeetingGroup: "meetings_meeting_groups",
            ItemPupil: "meetings_item_group_pupils",
            ActionPupil: "actions_action_group_pupils",
            Supporter: "actions_action_supporting",
        }


@pytest.mark.django_db
class TestTheAppFillsItIn:
    """The app's own paths give each row its school; another school is there throughout, so a
    row given the wrong one would show."""

    @pytest.fixture
    def school(self, today):
        SchoolFactory()  # another school
        return AcademicYearFactory(start_year=2026).school

    def test_staff_roles_are_held_in_the_school(self, school):
        user = UserFactory(school=school, roles=[Role.SENCO, Role.TEACHER])

        assert set(StaffRole.objects.filter(user=user).values_list("school", flat=True)) == {
            school.pk
        }

    def test_someone_without_a_school_holds_no_role(self, school):
        operator = User.objects.create_superuser("ops@example.com", "pw", display_name="Ops")

        with pytest.raises(ValueError, match="school's staff"):
            operator.set_roles([Role.TEACHER])
        operator.set_roles([])
        assert not StaffRole.objects.filter(user=operator).exists()

    def test_an_import_puts_pupils_in_classes_and_teachers_with_them(self, school):
        UserFactory(school=school, display_name="Mrs Patel")
        text = (
            "UPN,Surname,Forename,DOB,NC Year,Class,Class Teacher\n"
            f"{UPN},Khan,Aisha,2015-09-08,6,6N,Mrs Patel\n"
        )
        table = read_table(text.encode(), "export.csv")

        outcome = importer_for("pupils", table, school=school, today=TODAY).run(table)

        assert outcome.ok, outcome.problems
        assert Membership.objects.filter(school=school).count() == 1
        assert Teaching.objects.filter(school=school).count() == 1
        assert not Membership.objects.exclude(school=school).exists()

    def test_a_class_move_in_an_import_keeps_the_school(self, school):
        pupil = PupilFactory(school=school, upn=UPN, year_group=6)
        GroupFactory(school=school, name="6N", pupils=[pupil])
        text = (
            "UPN,Surname,Forename,DOB,NC Year,Class\n"
            f"{pupil.upn},{pupil.legal_surname},{pupil.legal_forename},2015-03-14,6,6S\n"
        )
        table = read_table(text.encode(), "export.csv")

        outcome = importer_for("pupils", table, school=school, today=TODAY).run(table)

        assert outcome.ok, outcome.problems
        membership = Membership.objects.get(pupil=pupil)
        assert (membership.group.name, membership.school) == ("6S", school)

    def test_editing_a_class_s_teachers_keeps_the_school(self, school):
        group = GroupFactory(school=school)
        teachers = UserFactory.create_batch(2, school=school)

        group.set_teachers(teachers, were=set())

        assert list(Teaching.objects.values_list("school", flat=True)) == [school.pk] * 2

    def test_a_meeting_s_classes_and_group_items_carry_the_school(self, client, school):
        leader = UserFactory(school=school, roles=[Role.SENIOR_LEADER])
        pupils = PupilFactory.create_batch(2, school=school, year_group=6)
        group = GroupFactory(school=school, name="6N", pupils=pupils)
        client.force_login(leader)
        data = {
            "focus": Focus.AT_RISK, "own_focus": "", "purpose": "Which pupils need what next?",
            "year_groups": ["6"], "groups": [group.pk], "subject": "", "date": "2026-11-30",
            "starts_at": "15:45", "length": "45", "place": "Library",
            "summaries_due": "2026-11-27", "series_name": "", "chair": leader.pk,
            "recorder": leader.pk, "attendees": [leader.pk],
        }  # fmt: skip

        response = client.post(reverse("meetings:meeting_create"), data)

        assert response.status_code == 302
        meeting = MeetingGroup.objects.get(school=school).meeting
        meeting.confirm_shortlist(
            by=leader, pupils=[], groups=[("6N fractions", pupils, "fractions")],
            over_cap_reason="",
        )  # fmt: skip
        assert ItemPupil.objects.filter(school=school).count() == 2

    def test_a_logged_action_s_supporters_and_pupils_and_the_section_times(self, client, school):
        meeting = MeetingFactory(school=school)
        pupils = PupilFactory.create_batch(2, school=school, year_group=6)
        meeting.confirm_shortlist(
            by=meeting.created_by, pupils=[(p, "maths fell") for p in pupils], groups=[],
            over_cap_reason="",
        )  # fmt: skip
        chair = meeting.attendees.get(role="chair").user
        recorder = meeting.attendees.get(role="recorder").user
        helper = UserFactory(school=school)
        client.force_login(chair)
        client.post(reverse("meetings:meeting_start", args=[meeting.pk]))
        client.post(reverse("meetings:meeting_move", args=[meeting.pk]), {"direction": "next"})
        data = {
            "item": "group", "group_name": "6N fractions", "group_pupils": [p.pk for p in pupils],
            "key": str(uuid.uuid4()), "barrier": "Cannot yet add fractions with unlike denominators",
            "barrier_category": "knowledge",
            "text": "Reteach adding fractions in a group of four on Tuesday mornings for three "
            "weeks; five-question check each Friday",
            "kind": "reteach", "owner": recorder.pk, "supporting": [helper.pk],
            "review_on": "2026-12-01", "impact_check": "a five-question check each Friday",
        }  # fmt: skip

        response = client.post(
            reverse("meetings:meeting_action_create", args=[meeting.pk]), data,
            headers={"HX-Request": "true"},
        )  # fmt: skip

        assert response.status_code == 200
        assert list(Supporter.objects.values_list("user", "school")) == [(helper.pk, school.pk)]
        assert ActionPupil.objects.filter(school=school).count() == 2
        times = SectionTime.objects.filter(meeting=meeting)
        assert times.count() == 2
        assert set(times.values_list("school", flat=True)) == {school.pk}


@pytest.mark.django_db
class TestTheAdmin:
    """The people who run the service give roles on a person's page, in the person's school."""

    @pytest.fixture
    def operator(self, client):
        client.force_login(User.objects.create_superuser("ops@example.com", "pw", display_name="O"))

    def post(self, client, user, school, roles: list[str]):
        data = {
            "email": user.email, "display_name": user.display_name, "job_title": "",
            "school": school.pk if school else "", "remit_year_groups": "[]",
            "remit_subject": "", "is_active": "on",
            "staff_roles-TOTAL_FORMS": str(len(roles)), "staff_roles-INITIAL_FORMS": "0",
            "staff_roles-MIN_NUM_FORMS": "0", "staff_roles-MAX_NUM_FORMS": "1000",
        }  # fmt: skip
        for index, role in enumerate(roles):
            data |= {f"staff_roles-{index}-role": role, f"staff_roles-{index}-user": user.pk}
        return client.post(reverse("admin:progress_user_change", args=[user.pk]), data)

    def test_a_role_given_is_held_in_the_person_s_school(self, client, operator):
        user = UserFactory(roles=[])

        response = self.post(client, user, user.school, ["senco"])

        assert response.status_code == 302
        assert list(StaffRole.objects.values_list("role", "school")) == [("senco", user.school_id)]

    def test_a_person_who_moves_school_takes_their_roles_there(self, client, operator):
        user = UserFactory(roles=[Role.TEACHER])
        elsewhere = SchoolFactory()

        response = self.post(client, user, elsewhere, [])

        assert response.status_code == 302
        assert list(StaffRole.objects.values_list("school", flat=True)) == [elsewhere.pk]

    def test_someone_without_a_school_is_given_no_role(self, client, operator):
        user = UserFactory(roles=[], is_superuser=True, school=None)

        response = self.post(client, user, None, ["senco"])

        assert response.status_code == 200
        assert "Roles are held in a school" in response.text
        assert not StaffRole.objects.exists()


@pytest.mark.django_db(transaction=True)
class TestTheMigration:
    """The rows there were before the migration get their parent's school."""

    BEFORE = [
        ("progress", "0006_school_settings"),
        ("pupils", "0007_intervention_cost"),
        ("meetings", "0010_refused_entry"),
        ("actions", "0009_first_attempt"),
    ]

    def test_fills_the_school_from_the_parent_and_drops_school_less_roles(self):
        executor = MigrationExecutor(connection)
        latest = executor.loader.graph.leaf_nodes()
        executor.migrate(self.BEFORE)
        try:
            old = executor.loader.project_state(self.BEFORE).apps
            made = self._rows_before(old)
            executor = MigrationExecutor(connection)
            executor.migrate(latest)
        finally:
            MigrationExecutor(connection).migrate(latest)
        school = made["school"]

        assert list(StaffRole.objects.values_list("user", "school")) == [(made["teacher"], school)]
        for model in [Teaching, Membership, MeetingGroup, ItemPupil, ActionPupil, Supporter]:
            assert list(model.objects.values_list("school", flat=True)) == [school], model
        assert list(SectionTime.objects.values_list("school", flat=True)) == [school]

    @staticmethod
    def _rows_before(old) -> dict:
        """One row in each table, made with the models as they were."""

        def model(name):
            return old.get_model(*name.split("."))

        trust_school = model("progress.School").objects.create(
            name="Oak", urn="300001", la_code="999", establishment_number="2001", phase="primary"
        )
        model("progress.School").objects.create(
            name="Elm", urn="300002", la_code="999", establishment_number="2002", phase="primary"
        )
        users = model("progress.User")
        teacher = users.objects.create(email="t@oak.example", display_name="T", school=trust_school)
        operator = users.objects.create(
            email="ops@example.com", display_name="Ops", is_staff=True, is_superuser=True
        )
        roles = model("progress.StaffRole")
        roles.objects.create(user=teacher, role="teacher")
        roles.objects.create(user=operator, role="senior_leader")
        pupil = model("pupils.Pupil").objects.create(
            school=trust_school, upn=UPN, legal_surname="Khan", legal_forename="Aisha",
            date_of_birth="2015-09-08", year_group=6,
        )  # fmt: skip
        group = model("pupils.Group").objects.create(school=trust_school, name="6N", kind="other")
        group.teachers.add(teacher)
        group.pupils.add(pupil)
        meeting = model("meetings.Meeting").objects.create(
            school=trust_school, focus="at_risk", purpose="x", date="2026-11-30",
            starts_at="15:45",
        )  # fmt: skip
        meeting.groups.add(group)
        item = model("meetings.Item").objects.create(
            school=trust_school, meeting=meeting, group_name="6N fractions", reason="x"
        )
        item.group_pupils.add(pupil)
        model("meetings.SectionTime").objects.create(
            meeting=meeting, section="review", started_at="2026-11-30T15:45:00Z"
        )
        action = model("actions.Action").objects.create(
            school=trust_school, group_name="6N fractions", barrier="x", barrier_category="knowledge",
            text="x", kind="reteach", owner=teacher, review_on="2026-12-07",
        )  # fmt: skip
        action.group_pupils.add(pupil)
        action.supporting.add(teacher)
        return {"school": trust_school.pk, "teacher": teacher.pk}

import datetime as dt
import importlib
import re

import factory
from django.apps import apps
from django.db.models import F
from factory.django import DjangoModelFactory, Password

from actions.models import Action
from meetings.focus import Focus
from meetings.models import Meeting
from progress.models import AcademicYear, Role, School, Trust, User
from pupils.domain import YearGroup, upn_check_letter
from pupils.models import (
    AssessmentPoint,
    AttendanceMark,
    AttendanceSummary,
    BehaviourIncident,
    Characteristics,
    Group,
    Pupil,
    Result,
    Scale,
)

PASSWORD = "correct-horse-battery"


class TrustFactory(DjangoModelFactory):
    class Meta:
        model = Trust

    name = factory.Sequence(lambda n: f"Learning Trust {n}")


class SchoolFactory(DjangoModelFactory):
    class Meta:
        model = School

    trust = factory.SubFactory(TrustFactory)
    name = factory.Sequence(lambda n: f"School {n}")
    urn = factory.Sequence(lambda n: f"{300000 + n}")
    la_code = "999"
    establishment_number = factory.Sequence(lambda n: f"{2000 + n:04d}")
    phase = School.Phase.PRIMARY


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"staff{n}@school.example")
    display_name = factory.Faker("name", locale="en_GB")
    school = factory.SubFactory(SchoolFactory)
    password = Password(PASSWORD)

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        if create:
            self.set_roles(extracted if extracted is not None else [Role.TEACHER])


class AcademicYearFactory(DjangoModelFactory):
    """A school year with its six standard half-terms."""

    class Meta:
        model = AcademicYear

    school = factory.SubFactory(SchoolFactory)
    start_year = 2026

    @classmethod
    def _create(cls, model_class, *, school, start_year):
        return model_class.objects.create_standard(school=school, start_year=start_year)


def valid_upn(body: str) -> str:
    """A permanent UPN from its last 12 characters, with the right check letter."""
    return upn_check_letter(f"?{body}") + body


class PupilFactory(DjangoModelFactory):
    class Meta:
        model = Pupil

    school = factory.SubFactory(SchoolFactory)
    upn = factory.Sequence(lambda n: valid_upn(f"9992101{n:05d}"))  # 100,000 a session
    legal_forename = factory.Faker("first_name", locale="en_GB")
    legal_surname = factory.Faker("last_name", locale="en_GB")
    date_of_birth = dt.date(2015, 3, 14)
    year_group = YearGroup.YEAR_6


class GroupFactory(DjangoModelFactory):
    class Meta:
        model = Group
        skip_postgeneration_save = True

    school = factory.SubFactory(SchoolFactory)
    name = factory.Sequence(lambda n: f"6{n}")
    kind = Group.Kind.REGISTRATION
    year_group = YearGroup.YEAR_6

    @factory.post_generation
    def teachers(self, create, extracted, **kwargs):
        if create and extracted:
            self.teachers.set(extracted, through_defaults={"school": self.school})

    @factory.post_generation
    def pupils(self, create, extracted, **kwargs):
        if create and extracted:
            self.pupils.set(extracted, through_defaults={"school": self.school})


class MeetingFactory(DjangoModelFactory):
    """A 45-minute meeting a week after 23 Nov 2026, with a chair and a recorder."""

    class Meta:
        model = Meeting
        skip_postgeneration_save = True

    school = factory.SubFactory(SchoolFactory)
    focus = Focus.AT_RISK
    purpose = "Which pupils need what next?"
    date = dt.date(2026, 11, 30)
    starts_at = dt.time(15, 45)
    length = 45

    @factory.post_generation
    def people(self, create, extracted, **kwargs):
        if create:
            chair = UserFactory(school=self.school, roles=[Role.SENIOR_LEADER])
            recorder = UserFactory(school=self.school, roles=[Role.SENCO])
            self.set_attendees(chair=chair, recorder=recorder, others=extracted or [])
            if self.created_by is None:  # the leader who scheduled it, and chairs it
                self.created_by = chair
                self.save(update_fields=["created_by"])


class ActionFactory(DjangoModelFactory):
    class Meta:
        model = Action

    school = factory.SubFactory(SchoolFactory)
    pupil = factory.SubFactory(PupilFactory, school=factory.SelfAttribute("..school"))
    barrier = "Misses Monday lessons, when new content is introduced"
    barrier_category = "attendance"
    text = "Phone home after each Monday absence and agree a plan with parents by Friday"
    kind = "attendance"
    owner = factory.SubFactory(UserFactory, school=factory.SelfAttribute("..school"))
    review_on = dt.date(2026, 12, 7)


def put_back_national_scales() -> None:
    """A data migration adds the national scales once, before the tests; a transactional test
    (the browser tests' live server) empties every table after it, so a test run after one puts
    them back first."""
    if not Scale.objects.filter(school=None).exists():
        migration = importlib.import_module("pupils.migrations.0002_national_scales")
        migration.add_scales(apps, None)


def national_scale(name: str) -> Scale:
    put_back_national_scales()
    return Scale.objects.get(name=name)


def pupil_with_maths(school, year, *, codes=("EXS", "WTS"), census=None, **fields) -> Pupil:
    """A pupil with this year's census record and maths teacher assessments, one a month from
    1 October 2026: by default EXS then WTS, so "maths fell from EXS to WTS"."""
    pupil = PupilFactory(school=school, **fields)
    Characteristics.objects.create(school=school, pupil=pupil, academic_year=year, **(census or {}))
    scale = national_scale("Primary teacher assessment")
    for index, code in enumerate(codes):
        point, _ = AssessmentPoint.objects.get_or_create(
            school=school,
            name=f"Point {index}",
            defaults={
                "academic_year": year,
                "date": dt.date(2026, 10, 1) + dt.timedelta(weeks=4 * index),
            },
        )
        step = scale.steps.get(code=code)
        Result.objects.create(
            school=school, pupil=pupil, point=point, subject="Maths", scale=scale, step=step
        )
    return pupil


def full_pupil(school, year, **fields) -> Pupil:
    """A pupil with a census record, results, attendance and behaviour, as the demo has."""
    pupil = pupil_with_maths(school, year, census={"pupil_premium": True}, **fields)
    AttendanceSummary.objects.create(
        school=school,
        pupil=pupil,
        starts_on=dt.date(2026, 9, 2),
        ends_on=dt.date(2026, 11, 20),
        possible_sessions=112,
        present_sessions=96,
    )
    BehaviourIncident.objects.create(
        school=school,
        pupil=pupil,
        date=dt.date(2026, 11, 17),
        kind="Low-level disruption",
        lesson="P2",
    )
    return pupil


def pupil_with_a_pattern(school, year) -> Pupil:
    """A pupil whose pictures say something (`pupils/sparklines.py`): maths EXS on 3 September
    and 1 October, then WTS on 29 October; this year's registers from 2 September to 20 November
    2026, absent both sessions of two Mondays, a Wednesday morning and three Friday afternoons:
    4, 0, 1, 0 and 3 absences, Monday to Friday."""
    pupil = pupil_with_maths(school, year, codes=("EXS", "EXS", "WTS"))
    AssessmentPoint.objects.filter(school=school).update(date=F("date") - dt.timedelta(weeks=4))
    absent = {
        dt.date(2026, 9, 7): ("AM", "PM"),
        dt.date(2026, 9, 14): ("AM", "PM"),
        dt.date(2026, 10, 7): ("AM",),
        **{dt.date(2026, 11, day): ("PM",) for day in (6, 13, 20)},
    }
    days = [dt.date(2026, 9, 2) + dt.timedelta(days=n) for n in range(80)]
    AttendanceMark.objects.bulk_create(
        AttendanceMark(
            school=school, pupil=pupil, date=day, session=session,
            code="N" if session in absent.get(day, ()) else "/",
        )
        for day in days
        if day.isoweekday() <= 5 and not dt.date(2026, 10, 26) <= day <= dt.date(2026, 10, 30)
        for session in ("AM", "PM")
    )  # fmt: skip
    return pupil


# The chair's answer on closing a meeting, for tests that close one through the page.
CLOSING = {"difference": "Two pupils are retaught fractions on Monday with a worked example."}


def named(pupil, text: str) -> bool:
    """Whether `text` names `pupil`: their surname as a word ("Day" is not in "Monday")."""
    return re.search(rf"\b{re.escape(pupil.legal_surname)}\b", text) is not None

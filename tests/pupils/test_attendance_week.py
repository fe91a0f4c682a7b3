"""A pupil's marks counted a week at a time, kept by the database, and the facts read from them.

`AttendanceWeek` is kept by triggers on the marks' table, so every way of writing a mark is
tried here: one at a time, in bulk, a queryset's update and delete, a pupil deleted. After each,
the weeks must equal the marks counted afresh. Then `facts.attendance_between`, which reads
whole weeks from the counts and part-weeks from the marks, must equal the marks counted one by
one for windows that start and end on every day of the week.
"""

import datetime as dt
import importlib
import random
from collections import Counter, defaultdict

import pytest

from pupils import attendance, facts
from pupils.models import AttendanceMark, AttendanceWeek, Pupil
from tests.factories import AcademicYearFactory, PupilFactory

pytestmark = pytest.mark.django_db

trigger_migration = importlib.import_module("pupils.migrations.0010_attendance_week")

CODES = sorted(attendance.CODES)


def counted_afresh() -> dict[tuple[int, dt.date], dict[str, int]]:
    """Every pupil's weeks counted from the marks in Python, as the triggers should have."""
    weeks: dict[tuple[int, dt.date], Counter] = defaultdict(Counter)
    for mark in AttendanceMark.objects.all():
        week = weeks[mark.pupil_id, mark.date - dt.timedelta(days=mark.date.weekday())]
        possible = mark.code not in attendance.NOT_POSSIBLE
        attended = mark.code in attendance.ATTENDING
        week["marks"] += 1
        week["possible"] += possible
        week["attended"] += attended
        week["late"] += mark.code in attendance.LATE
        week[f"absent_{mark.date.isoweekday()}"] += possible and not attended
    return {key: +counts for key, counts in weeks.items()}  # `+` drops the zeros


def held() -> dict[tuple[int, dt.date], dict[str, int]]:
    """The weeks as the database keeps them (weeks left with no marks dropped)."""
    names = ["marks", "possible", "attended", "late", *(f"absent_{d}" for d in range(1, 8))]
    return {
        (week.pupil_id, week.week): +Counter({name: getattr(week, name) for name in names})
        for week in AttendanceWeek.objects.all()
        if week.marks
    }


@pytest.fixture
def pupils():
    year = AcademicYearFactory(start_year=2026)
    return [PupilFactory(school=year.school) for _ in range(3)]


def random_marks(pupils, *, seed: int, days: int = 40) -> list[AttendanceMark]:
    """A register of every code on every day of the week, Saturdays and Sundays too."""
    rng = random.Random(seed)
    start = dt.date(2026, 8, 30)  # a Sunday
    return [
        AttendanceMark(
            school_id=pupil.school_id,
            pupil=pupil,
            date=start + dt.timedelta(days=n),
            session=session,
            code=rng.choice(CODES),
        )
        for pupil in pupils
        for n in range(days)
        for session in ("AM", "PM")
        if rng.random() < 0.9
    ]


def test_the_migrations_codes_are_the_dfes_codes():
    assert set(trigger_migration.NOT_POSSIBLE) == attendance.NOT_POSSIBLE
    assert set(trigger_migration.ATTENDING) == attendance.ATTENDING
    assert set(trigger_migration.LATE) == attendance.LATE


def test_every_code_is_counted_as_the_dfe_counts_it(pupils):
    pupil = pupils[0]
    monday = dt.date(2026, 9, 7)
    AttendanceMark.objects.bulk_create(
        AttendanceMark(
            school_id=pupil.school_id,
            pupil=pupil,
            date=monday + dt.timedelta(days=n // 2),  # into a third week, weekends too
            session=("AM", "PM")[n % 2],
            code=code,
        )
        for n, code in enumerate(CODES)
    )

    assert held() == counted_afresh()


def test_bulk_writes_updates_and_deletes_keep_the_weeks(pupils):
    AttendanceMark.objects.bulk_create(random_marks(pupils, seed=1))
    assert held() == counted_afresh()

    AttendanceMark.objects.filter(date__iso_week_day=1).update(code="N")
    assert held() == counted_afresh()

    # A mark moved to another week and another pupil.
    mark = AttendanceMark.objects.filter(pupil=pupils[0]).first()
    mark.pupil, mark.date = pupils[1], dt.date(2026, 12, 5)
    mark.save()
    assert held() == counted_afresh()

    AttendanceMark.objects.filter(code__in=attendance.ABSENT, pupil=pupils[1]).delete()
    assert held() == counted_afresh()


def test_a_deleted_pupil_takes_their_weeks_and_leaves_the_others(pupils):
    AttendanceMark.objects.bulk_create(random_marks(pupils, seed=2))

    Pupil.objects.filter(pk=pupils[0].pk).delete()

    assert held() == counted_afresh()
    assert not AttendanceWeek.objects.filter(pupil_id=pupils[0].pk).exists()


def test_an_import_that_replaces_marks_keeps_the_weeks(pupils):
    """The importer updates a mark it already holds: its old code is taken away."""
    pupil = pupils[0]
    AttendanceMark.objects.create(
        school_id=pupil.school_id, pupil=pupil, date=dt.date(2026, 9, 7), session="AM", code="/"
    )
    AttendanceMark.objects.filter(pupil=pupil).update(code="I")

    week = AttendanceWeek.objects.get(pupil=pupil)
    assert (week.marks, week.possible, week.attended, week.absent_1) == (1, 1, 0, 1)


def counted_one_by_one(pupils, first, last) -> dict[int, tuple]:
    found = defaultdict(lambda: [0, 0, 0, Counter()])
    for mark in AttendanceMark.objects.filter(pupil__in=pupils, date__range=(first, last)):
        fact = found[mark.pupil_id]
        possible = mark.code not in attendance.NOT_POSSIBLE
        attended = mark.code in attendance.ATTENDING
        fact[0] += possible
        fact[1] += attended
        fact[2] += mark.code in attendance.LATE
        fact[3][mark.date.isoweekday()] += possible and not attended
    return {pk: (p, a, late, dict(+days)) for pk, (p, a, late, days) in found.items()}


def test_the_facts_from_weeks_and_part_weeks_equal_the_marks_counted_one_by_one(pupils):
    AttendanceMark.objects.bulk_create(random_marks(pupils, seed=3, days=60))
    school_pupils = Pupil.objects.filter(pk__in=[pupil.pk for pupil in pupils])
    start = dt.date(2026, 8, 30)
    windows = [
        (start + dt.timedelta(days=first), start + dt.timedelta(days=first + length))
        for first in range(0, 9)  # every day of the week, from before the first mark
        for length in (0, 1, 5, 6, 7, 12, 13, 14, 20, 27, 40, 70)
    ]

    for first, last in windows:
        figures = facts.attendance_between(school_pupils, first, last)
        found = {
            pk: (f.possible, f.attended, f.late, f.absences_by_weekday) for pk, f in figures.items()
        }
        assert found == counted_one_by_one(pupils, first, last), (first, last)


def test_several_windows_at_once_equal_each_alone(pupils):
    AttendanceMark.objects.bulk_create(random_marks(pupils, seed=4, days=60))
    school_pupils = Pupil.objects.filter(pk__in=[pupil.pk for pupil in pupils])
    windows = {
        "year": (dt.date(2026, 9, 1), dt.date(2026, 10, 21)),
        "half": (dt.date(2026, 10, 5), dt.date(2026, 10, 21)),
        "short": (dt.date(2026, 9, 9), dt.date(2026, 9, 11)),
    }

    together = facts.attendance_in(school_pupils, windows, by_weekday=False)

    for name, (first, last) in windows.items():
        alone = facts.attendance_between(school_pupils, first, last, by_weekday=False)
        assert together[name] == alone
        assert all(not fact.absences_by_weekday for fact in alone.values())


def test_only_the_windows_named_are_split_by_weekday(pupils):
    AttendanceMark.objects.bulk_create(random_marks(pupils, seed=5, days=60))
    school_pupils = Pupil.objects.filter(pk__in=[pupil.pk for pupil in pupils])
    windows = {
        "year": (dt.date(2026, 9, 1), dt.date(2026, 10, 21)),
        "half": (dt.date(2026, 10, 7), dt.date(2026, 10, 21)),  # from a Wednesday
    }

    together = facts.attendance_in(school_pupils, windows, by_weekday={"half"})

    for name, (first, last) in windows.items():
        alone = facts.attendance_between(school_pupils, first, last, by_weekday=name == "half")
        assert together[name] == alone
        assert any(fact.absences_by_weekday for fact in alone.values()) is (name == "half")

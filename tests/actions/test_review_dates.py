import datetime as dt

import pytest

from actions import review_dates
from tests.factories import AcademicYearFactory

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 11, 23)  # Monday of week 4, Autumn 2 (ends Fri 18 Dec 2026)


@pytest.fixture
def school():
    return AcademicYearFactory(start_year=2026).school


@pytest.mark.parametrize(
    ("kind", "year_group", "expected"),
    [
        ("attendance", 6, dt.date(2026, 12, 7)),  # two weeks
        ("behaviour", 9, dt.date(2026, 12, 7)),
        (
            "intervention",
            6,
            dt.date(2027, 1, 4),
        ),  # four weeks is 21 Dec, a holiday: the first day back
        ("reteach", 6, dt.date(2027, 1, 4)),  # half-termly: six weeks
        ("reteach", 11, dt.date(2026, 12, 14)),  # exam year: sooner
    ],
)
def test_defaults_by_kind_never_in_a_holiday(school, kind, year_group, expected):
    day = review_dates.default_review_date(
        school=school, kind=kind, agreed_on=TODAY, year_group=year_group
    )

    assert day == expected
    assert day.weekday() < 5


@pytest.mark.parametrize(
    ("day", "message"),
    [
        (None, "Give a review date"),
        (TODAY, "must be after today"),
        (dt.date(2026, 11, 28), "28 Nov 2026 is not a school day: try 30 Nov 2026."),
        (dt.date(2026, 12, 23), "23 Dec 2026 is not a school day: try 4 Jan 2027."),
        (dt.date(2027, 3, 15), "more than a term away"),
    ],
)
def test_bad_review_dates(school, day, message):
    assert message in review_dates.problems(school=school, day=day, today=TODAY)[0]


def test_a_school_day_soon_is_fine(school):
    assert review_dates.problems(school=school, day=dt.date(2026, 12, 4), today=TODAY) == []

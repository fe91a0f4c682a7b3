import datetime as dt

import pytest

from pupils.models import AttendanceSummary
from pupils.snapshot import pupils_now
from tests.factories import AcademicYearFactory, PupilFactory

pytestmark = pytest.mark.django_db

ON = dt.date(2026, 11, 23)


@pytest.fixture
def school():
    return AcademicYearFactory(start_year=2026).school


def attendance_now(school, *periods, on=ON) -> str:
    """What a summary or a review says of a pupil's attendance, given (first, last, present,
    possible) periods."""
    pupil = PupilFactory(school=school)
    for first, last, present, possible in periods:
        AttendanceSummary.objects.create(
            school=school, pupil=pupil, starts_on=first, ends_on=last,
            possible_sessions=possible, present_sessions=present,
        )  # fmt: skip
    return pupils_now(pupils=[pupil], on=on)[pupil.pk]["attendance"]


SO_FAR = (dt.date(2026, 9, 2), dt.date(2026, 11, 20))
LAST_YEAR = (dt.date(2025, 9, 3), dt.date(2026, 7, 22))


class TestAttendanceInWords:
    @pytest.mark.parametrize(
        ("present", "possible", "words"),
        [
            (180, 200, "90.0% this year, persistent absence; 0 late marks"),
            (181, 201, "90.05% this year, approaching persistent absence; 0 late marks"),
            (100, 200, "50.0% this year, severe absence; 0 late marks"),
            (1001, 2000, "50.1% this year, persistent absence; 0 late marks"),
            (190, 200, "95.0% this year, 95% or above; 0 late marks"),
            (189, 199, "94.97% this year, approaching persistent absence; 0 late marks"),
        ],
    )
    def test_the_figure_and_band_at_the_edges(self, school, present, possible, words):
        assert attendance_now(school, (*SO_FAR, present, possible)) == words

    def test_too_early_in_the_year_to_judge(self, school):
        first_day = dt.date(2026, 9, 2)

        words = attendance_now(school, (first_day, first_day, 1, 2), on=first_day)

        assert words == "too early to judge this year (2 sessions)"

    def test_early_in_the_year_last_years_figure_is_given_as_last_years(self, school):
        AcademicYearFactory(school=school, start_year=2025)
        first_day = dt.date(2026, 9, 2)

        words = attendance_now(
            school, (*LAST_YEAR, 881, 1000), (first_day, first_day, 1, 2), on=first_day
        )

        assert words == (
            "88.1% last year, persistent absence; too early to judge this year (2 sessions)"
        )

import datetime as dt
import itertools

import pytest

from progress.calendar import easter_sunday, standard_half_terms


@pytest.mark.parametrize(
    ("year", "easter"),
    [
        (2024, dt.date(2024, 3, 31)),
        (2025, dt.date(2025, 4, 20)),
        (2026, dt.date(2026, 4, 5)),
        (2027, dt.date(2027, 3, 28)),
        (2038, dt.date(2038, 4, 25)),  # as late as Easter gets this century
        (2285, dt.date(2285, 3, 22)),  # as early as it can be
    ],
)
def test_easter_sunday(year, easter):
    assert easter_sunday(year) == easter


class TestStandardHalfTerms:
    def test_2026_27_dates(self):
        d = dt.date
        assert standard_half_terms(start_year=2026) == [
            (d(2026, 9, 2), d(2026, 10, 23)),
            (d(2026, 11, 2), d(2026, 12, 18)),
            (d(2027, 1, 4), d(2027, 2, 12)),
            (d(2027, 2, 22), d(2027, 3, 19)),
            (d(2027, 4, 5), d(2027, 5, 28)),
            (d(2027, 6, 7), d(2027, 7, 22)),
        ]

    @pytest.mark.parametrize("start_year", range(2020, 2045))
    def test_every_year_is_six_ordered_weekday_blocks_inside_the_year(self, start_year):
        half_terms = standard_half_terms(start_year=start_year)

        assert len(half_terms) == 6
        for first, last in half_terms:
            assert first.weekday() < 5
            assert last.weekday() < 5
            assert (last - first).days >= 20, "each half-term is at least four weeks"
        for (_, last), (next_first, _) in itertools.pairwise(half_terms):
            assert (next_first - last).days >= 10, "a holiday of at least a week between"
        assert half_terms[0][0] >= dt.date(start_year, 9, 1)
        assert half_terms[-1][1] <= dt.date(start_year + 1, 7, 31)

    @pytest.mark.parametrize("start_year", range(2020, 2045))
    def test_october_half_term_is_a_week_in_october(self, start_year):
        (_, autumn_1_ends), (autumn_2_starts, _) = standard_half_terms(start_year=start_year)[:2]

        holiday_monday = autumn_1_ends + dt.timedelta(days=3)
        assert holiday_monday.month == 10
        assert (holiday_monday + dt.timedelta(days=4)).month == 10
        assert autumn_2_starts == holiday_monday + dt.timedelta(days=7)

    def test_easter_falls_in_the_easter_holiday(self):
        for start_year in range(2020, 2045):
            (_, spring_2_ends), (summer_1_starts, _) = standard_half_terms(start_year=start_year)[
                3:5
            ]
            assert spring_2_ends < easter_sunday(start_year + 1) < summer_1_starts

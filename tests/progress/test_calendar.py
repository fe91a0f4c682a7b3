import datetime as dt
import itertools

import pytest

from progress.calendar import easter_sunday, school_days, standard_half_terms
from progress.demo import Timeline


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


class TestSchoolDays:
    def test_weekdays_inside_the_half_terms_only(self):
        d = dt.date
        days = school_days([(d(2026, 12, 17), d(2026, 12, 18)), (d(2027, 1, 4), d(2027, 1, 5))])

        assert days == [d(2026, 12, 17), d(2026, 12, 18), d(2027, 1, 4), d(2027, 1, 5)]

    def test_a_standard_year_has_the_weekdays_of_39_weeks(self):
        # 190 days of teaching and 5 training days, give or take the bank holidays in term
        assert 190 <= len(school_days(standard_half_terms(start_year=2026))) <= 200


class TestTimeline:
    """The demo's dates, from today, on the standard calendar (2026/27 ends Thu 22 July)."""

    @pytest.mark.parametrize(
        ("today", "start_year"),
        [
            (dt.date(2026, 9, 1), 2026),  # the year has begun though term has not
            (dt.date(2027, 7, 21), 2026),  # one school day left
            (dt.date(2027, 7, 22), 2027),  # the last school day: next year's classes now
            (dt.date(2027, 8, 31), 2027),
        ],
    )
    def test_shows_the_year_in_progress_or_in_the_summer_the_next(self, today, start_year):
        assert Timeline.on(today).start_year == start_year

    def test_counts_school_days_across_a_holiday(self):
        timeline = Timeline.on(dt.date(2026, 12, 24))  # Christmas Eve

        assert timeline.after(1) == dt.date(2027, 1, 4)
        assert timeline.ahead(5) == dt.date(2027, 1, 8)
        assert timeline.before(1) == dt.date(2026, 12, 18)
        assert timeline.on_or_after(dt.date(2026, 12, 26)) == dt.date(2027, 1, 4)
        assert timeline.on_or_before(dt.date(2026, 12, 26)) == dt.date(2026, 12, 18)
        assert not timeline.is_school_day(dt.date(2026, 12, 24))

    def test_plans_made_now_happen_in_the_year_shown(self):
        timeline = Timeline.on(dt.date(2027, 7, 19))

        assert timeline.ahead(5) == dt.date(2027, 7, 22)
        assert timeline.after(5) == dt.date(2027, 9, 3)

    @pytest.mark.parametrize(
        ("today", "start_years"),
        [
            (dt.date(2026, 11, 23), [2025, 2026]),
            (dt.date(2027, 3, 1), [2025, 2026, 2027]),  # reviews may fall next year from now
            (dt.date(2027, 8, 15), [2026, 2027]),
        ],
    )
    def test_makes_the_school_years_the_demo_needs(self, today, start_years):
        assert Timeline.on(today).start_years == start_years

    def test_the_days_of_a_year_that_are_over(self):
        timeline = Timeline.on(dt.date(2026, 9, 4))

        assert timeline.days_before_today(2026) == [dt.date(2026, 9, 2), dt.date(2026, 9, 3)]
        assert len(timeline.days_before_today(2025)) > 180

import datetime as dt

import pytest

from actions import review_dates
from tests.factories import AcademicYearFactory, SchoolFactory

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 11, 23)  # Monday of week 4, Autumn 2 (ends Fri 18 Dec 2026)
MISSING_2026 = (
    "The school calendar has no term dates for 2026/27 yet, so holidays cannot be checked: "
    "a leader or the school admin adds them under School calendar."
)


@pytest.fixture
def school():
    return AcademicYearFactory(start_year=2026).school


def check(school, day, today=TODAY) -> review_dates.Check:
    return review_dates.check(school=school, day=day, today=today)


class TestWithTheSchoolCalendar:
    @pytest.mark.parametrize(
        ("kind", "year_group", "expected"),
        [
            ("attendance", 6, dt.date(2026, 12, 7)),  # two weeks of school
            ("behaviour", 9, dt.date(2026, 12, 7)),
            ("intervention", 6, dt.date(2027, 1, 4)),  # 21 Dec, a holiday: the first day back
            ("intervention", 11, dt.date(2026, 12, 14)),  # exam year: sooner, three weeks
            ("reteach", 6, dt.date(2026, 11, 26)),  # a few school days: three
            ("reteach", 11, dt.date(2026, 11, 24)),  # exam year: the next day
            ("curriculum", 6, dt.date(2027, 1, 25)),  # seven weeks of school, not the holiday
            ("classroom", 6, dt.date(2027, 1, 4)),  # four weeks: 21 Dec, the first day back
        ],
    )
    def test_defaults_by_kind_never_in_a_holiday(self, school, kind, year_group, expected):
        day = review_dates.default_review_date(
            school=school, kind=kind, agreed_on=TODAY, year_group=year_group
        )

        assert day == expected

    def test_agreed_on_a_saturday_counts_from_the_monday(self, school):
        saturday = dt.date(2026, 11, 28)

        day = review_dates.default_review_date(
            school=school, kind="attendance", agreed_on=saturday, year_group=6
        )

        assert day == dt.date(2026, 12, 11)  # ten school days from Monday 30 November

    @pytest.mark.parametrize(
        ("agreed_on", "expected"),
        [
            (dt.date(2026, 12, 18), dt.date(2027, 1, 6)),  # the last day of term
            (dt.date(2026, 12, 24), dt.date(2027, 1, 6)),  # in the holiday
        ],
    )
    def test_a_holiday_does_not_count(self, school, agreed_on, expected):
        dates = review_dates.ReviewDates(school=school, agreed_on=agreed_on, year_group=6)

        assert dates.usual("reteach") == expected
        assert dates.outside("reteach", dt.date(2027, 1, 15)) == ""  # the tenth school day
        assert dates.outside("reteach", dt.date(2027, 1, 18)) == (
            "Impact of a reteach is usually checked between 4 Jan 2027 and 15 Jan 2027: say why "
            "this date, or choose one in that window."
        )

    @pytest.mark.parametrize(
        "agreed_on",
        [
            TODAY,
            dt.date(2026, 12, 18),  # the last day of term
            dt.date(2026, 12, 24),  # a holiday
            dt.date(2027, 2, 12),  # before half-term
            dt.date(2027, 7, 22),  # the last day of the year
            dt.date(2027, 8, 15),  # the summer holiday
        ],
    )
    @pytest.mark.parametrize("year_group", [6, 11])
    def test_the_usual_date_is_always_a_school_day_inside_its_window(
        self, school, agreed_on, year_group
    ):
        dates = review_dates.ReviewDates(school=school, agreed_on=agreed_on, year_group=year_group)

        for kind in review_dates.WINDOWS:
            day = dates.usual(kind)
            assert dates.outside(kind, day) == "", kind
            assert check(school, day, today=agreed_on).problems == [], kind

    @pytest.mark.parametrize(
        ("day", "message"),
        [
            (None, "Give a review date: when will impact be checked?"),
            (TODAY, "The review date must be after today."),
            (dt.date(2026, 11, 28), "28 Nov 2026 is a Saturday: try 30 Nov 2026."),
            (dt.date(2026, 12, 21), "21 Dec 2026 is in a school holiday: try 4 Jan 2027."),
            (dt.date(2027, 3, 2), "2 Mar 2027 is more than a term away: check impact sooner."),
        ],
    )
    def test_bad_review_dates_say_what_to_do(self, school, day, message):
        assert check(school, day) == review_dates.Check([message])

    @pytest.mark.parametrize(
        "day",
        [
            TODAY + dt.timedelta(days=1),
            dt.date(2026, 12, 18),  # the last day of term
            dt.date(2027, 1, 4),  # the first day back
            dt.date(2027, 3, 1),  # 98 days: a term away, not more
        ],
    )
    def test_school_days_are_fine(self, school, day):
        assert check(school, day) == review_dates.Check()


class TestWithNoCalendar:
    """A school that has not entered any term dates can still record actions."""

    @pytest.fixture
    def school(self):
        return SchoolFactory()

    def test_a_weekday_is_accepted_and_the_school_told_what_to_add(self, school):
        assert check(school, dt.date(2026, 12, 7)) == review_dates.Check([], [MISSING_2026])

    def test_a_weekday_that_may_be_a_holiday_is_accepted_too(self, school):
        assert check(school, dt.date(2026, 12, 21)) == review_dates.Check([], [MISSING_2026])

    def test_a_weekend_is_refused_with_a_weekday_to_try(self, school):
        assert check(school, dt.date(2026, 12, 5)) == review_dates.Check(
            ["5 Dec 2026 is a Saturday: try 7 Dec 2026."], [MISSING_2026]
        )

    @pytest.mark.parametrize(
        ("agreed_on", "kind", "expected"),
        [
            (TODAY, "attendance", dt.date(2026, 12, 7)),
            (TODAY, "intervention", dt.date(2026, 12, 21)),  # no holiday known: a weekday
            (dt.date(2026, 11, 28), "attendance", dt.date(2026, 12, 11)),  # from Monday
        ],
    )
    def test_defaults_are_weekdays(self, school, agreed_on, kind, expected):
        day = review_dates.default_review_date(
            school=school, kind=kind, agreed_on=agreed_on, year_group=6
        )

        assert day == expected


class TestWithNextYearMissing:
    """The calendar has 2026/27 only: its summer holiday is known, 2027/28 is not."""

    TODAY = dt.date(2027, 7, 12)  # Monday; the summer term ends on Thursday 22 July

    def test_a_day_next_year_is_accepted_with_a_warning_naming_that_year(self, school):
        verdict = check(school, dt.date(2027, 9, 13), today=self.TODAY)

        assert verdict.problems == []
        assert verdict.warnings == [MISSING_2026.replace("2026/27", "2027/28")]

    def test_the_summer_holiday_is_still_refused(self, school):
        verdict = check(school, dt.date(2027, 7, 26), today=self.TODAY)

        assert verdict == review_dates.Check(
            ["26 Jul 2027 is in a school holiday: try 1 Sep 2027."]
        )

    def test_a_default_past_the_summer_counts_the_weekdays_of_next_year(self, school):
        day = review_dates.default_review_date(
            school=school, kind="attendance", agreed_on=self.TODAY, year_group=6
        )

        assert day == dt.date(2027, 9, 2)  # 8 days to the end of July, then 1 and 2 September

"""The English school year: September to August in six half-terms.

Local authorities publish their own term dates; `standard_half_terms` gives the usual pattern
as a starting point that each school then corrects on its calendar screen.
"""

import datetime as dt

MONDAY, FRIDAY = 0, 4

HALF_TERM_NAMES = ("Autumn 1", "Autumn 2", "Spring 1", "Spring 2", "Summer 1", "Summer 2")


def easter_sunday(year: int) -> dt.date:
    """Easter Sunday in the Gregorian calendar (the anonymous Gregorian algorithm)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = divmod(b, 4)
    g = (8 * b + 13) // 25
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    l = (32 + 2 * e + 2 * i - h - k) % 7  # noqa: E741 (the algorithm's own name)
    m = (a + 11 * h + 22 * l) // 451
    month, day = divmod(h + l - 7 * m + 114, 31)
    return dt.date(year, month, day + 1)


def school_year_of(day: dt.date) -> int:
    """The calendar year in which the school year holding `day` starts (September)."""
    return day.year if day.month >= 9 else day.year - 1


def year_name(start_year: int) -> str:
    """ "2026/27", as schools write the year that starts in September 2026."""
    return f"{start_year}/{(start_year + 1) % 100:02d}"


def _on_or_after(day: dt.date, weekday: int) -> dt.date:
    return day + dt.timedelta(days=(weekday - day.weekday()) % 7)


def _on_or_before(day: dt.date, weekday: int) -> dt.date:
    return day - dt.timedelta(days=(day.weekday() - weekday) % 7)


def weekday_on_or_after(day: dt.date) -> dt.date:
    return day if day.weekday() <= FRIDAY else _on_or_after(day, MONDAY)


def weekday_on_or_before(day: dt.date) -> dt.date:
    return day if day.weekday() <= FRIDAY else _on_or_before(day, FRIDAY)


def _last_monday(year: int, month: int) -> dt.date:
    next_month = dt.date(year + month // 12, month % 12 + 1, 1)
    return _on_or_before(next_month - dt.timedelta(days=1), MONDAY)


def standard_half_terms(*, start_year: int) -> list[tuple[dt.date, dt.date]]:
    """The six (first day, last day) pairs of the school year that starts in `start_year`.

    Term starts on the first weekday from 2 September and ends on the last weekday up to 22 July.
    The holidays follow the common English pattern: October half-term in the last full week of
    October, two weeks at Christmas, February half-term in the week from the Monday on or after
    12 February, two weeks at Easter starting the Monday before Good Friday, May half-term in
    the week of the late-May bank holiday, and the summer from the fourth week of July.
    """
    year, next_year = start_year, start_year + 1
    october_break = _on_or_before(dt.date(year, 10, 27), MONDAY)  # the last full week
    february_break = _on_or_after(dt.date(next_year, 2, 12), MONDAY)
    easter_break = easter_sunday(next_year) - dt.timedelta(days=6)
    may_break = _last_monday(next_year, 5)
    return [
        (weekday_on_or_after(dt.date(year, 9, 2)), october_break - dt.timedelta(days=3)),
        (october_break + dt.timedelta(days=7), _on_or_before(dt.date(year, 12, 19), FRIDAY)),
        (weekday_on_or_after(dt.date(next_year, 1, 4)), february_break - dt.timedelta(days=3)),
        (february_break + dt.timedelta(days=7), easter_break - dt.timedelta(days=3)),
        (easter_break + dt.timedelta(days=14), may_break - dt.timedelta(days=3)),
        (may_break + dt.timedelta(days=7), weekday_on_or_before(dt.date(next_year, 7, 22))),
    ]


def school_days(half_terms: list[tuple[dt.date, dt.date]]) -> list[dt.date]:
    """The weekdays inside (first day, last day) half-terms, in order: the days a school is open,
    as Progress counts them."""
    return [
        first + dt.timedelta(days=n)
        for first, last in half_terms
        for n in range((last - first).days + 1)
        if (first + dt.timedelta(days=n)).weekday() <= FRIDAY
    ]

"""When an action's impact is checked: a default by kind, never in a holiday, never too far off."""

import datetime as dt

from django.utils.formats import date_format

from progress.models import HalfTerm, School

# Days from agreeing the action to checking it (DESIGN.md, "Action quality").
DEFAULT_DAYS = {
    "attendance": 14,
    "behaviour": 14,
    "parent_contact": 14,
    "pastoral": 14,
    "monitoring": 14,
    "intervention": 28,
    "send": 28,
    "classroom": 42,
    "reteach": 42,
    "curriculum": 42,
}
EXAM_YEARS = (11, 13)
LONGEST = dt.timedelta(days=98)  # about a term


def school_days(school: School, first: dt.date, last: dt.date) -> set[dt.date]:
    """The weekdays inside the school's half-terms between two dates."""
    days = set()
    for half_term in HalfTerm.objects.filter(
        school=school, ends_on__gte=first, starts_on__lte=last
    ):
        day = max(first, half_term.starts_on)
        while day <= min(last, half_term.ends_on):
            if day.weekday() < 5:
                days.add(day)
            day += dt.timedelta(days=1)
    return days


def next_school_day(school: School, day: dt.date) -> dt.date:
    """`day` if the school is open, else the next day it is (after a weekend or a holiday)."""
    open_days = school_days(school, day, day + dt.timedelta(days=60))
    return min(open_days) if open_days else day


def default_review_date(
    *, school: School, kind: str, agreed_on: dt.date, year_group: int | None
) -> dt.date:
    days = DEFAULT_DAYS.get(kind, 28)
    if year_group in EXAM_YEARS:
        days = max(14, days // 2)  # exam-year pupils at risk are checked sooner
    return next_school_day(school, agreed_on + dt.timedelta(days=days))


def problems(*, school: School, day: dt.date | None, today: dt.date) -> list[str]:
    if day is None:
        return ["Give a review date: when will impact be checked?"]
    if day <= today:
        return ["The review date must be after today."]
    if day - today > LONGEST:
        return [f"{date_format(day)} is more than a term away: check impact sooner."]
    if day not in school_days(school, day, day):
        instead = date_format(next_school_day(school, day))
        return [f"{date_format(day)} is not a school day: try {instead}."]
    return []

"""When an action's impact is checked: a default by kind, always a school day, never too far off.

School days come from the school's calendar (`School.school_days`). A school year whose term
dates are not in the calendar yet still takes any weekday, with a warning saying what is
missing and where it is added, so that no school is stopped from recording actions.
"""

import datetime as dt
from dataclasses import dataclass, field

from django.utils.formats import date_format

from progress.models import School

# Days from agreeing the action to checking it (the guidance's windows by kind).
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
MISSING_CALENDAR = (
    "The school calendar has no term dates for {year} yet, so holidays cannot be checked: "
    "a leader or the school admin adds them under School calendar."
)


def default_review_date(
    *, school: School, kind: str, agreed_on: dt.date, year_group: int | None
) -> dt.date:
    """The usual review date for an action of `kind` agreed on `agreed_on`: a school day, the
    first one back when the usual day falls in a weekend or a holiday."""
    days = DEFAULT_DAYS.get(kind, 28)
    if year_group in EXAM_YEARS:
        days = max(14, days // 2)  # exam-year pupils at risk are checked sooner
    return school.next_school_day(agreed_on + dt.timedelta(days=days))


@dataclass(frozen=True)
class Check:
    """What the rules say of a review date: problems refuse it, warnings are only said."""

    problems: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def check(*, school: School, day: dt.date | None, today: dt.date) -> Check:
    if day is None:
        return Check(["Give a review date: when will impact be checked?"])
    if day <= today:
        return Check(["The review date must be after today."])
    if day - today > LONGEST:
        return Check([f"{date_format(day)} is more than a term away: check impact sooner."])
    calendar = school.school_days(day, day)
    missing = calendar.missing_year(day)
    warnings = [MISSING_CALENDAR.format(year=missing)] if missing else []
    if day in calendar:
        return Check([], warnings)
    instead = date_format(school.next_school_day(day))
    if day.weekday() >= 5:
        return Check([f"{date_format(day)} is a {day:%A}: try {instead}."], warnings)
    return Check([f"{date_format(day)} is in a school holiday: try {instead}."], warnings)

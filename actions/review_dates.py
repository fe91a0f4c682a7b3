"""When an action's impact is checked: a default by kind, always a school day, never too far off.

School days come from the school's calendar (`School.school_days`). A school year whose term
dates are not in the calendar yet still takes any weekday, with a warning saying what is
missing and where it is added, so that no school is stopped from recording actions.
"""

import datetime as dt
from dataclasses import dataclass, field

from django.utils.formats import date_format

from progress.models import School


@dataclass(frozen=True)
class Window:
    """When impact is checked for a kind of action, in days from agreeing it: the usual day and
    the earliest and latest that suit it. A date outside needs a reason."""

    usual: int
    earliest: int
    latest: int


# The guidance's windows by kind (docs/domain.md, "Review dates").
WINDOWS = {
    "attendance": Window(14, 7, 21),
    "behaviour": Window(14, 7, 21),
    "parent_contact": Window(14, 7, 21),
    "pastoral": Window(14, 7, 28),
    "monitoring": Window(14, 7, 28),
    "intervention": Window(28, 21, 42),
    "send": Window(28, 21, 42),
    "classroom": Window(28, 14, 42),
    "reteach": Window(5, 1, 10),  # a few school days
    "curriculum": Window(49, 21, 98),  # by the next half-term
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
    days = window(kind, year_group=year_group).usual
    return school.next_school_day(agreed_on + dt.timedelta(days=days))


def window(kind: str, *, year_group: int | None) -> Window:
    """The window for `kind`; exam-year pupils at risk are checked sooner (half the time, but
    never sooner than the kind's own earliest)."""
    usual = WINDOWS.get(kind, Window(28, 14, 42))
    if year_group not in EXAM_YEARS:
        return usual
    return Window(
        max(usual.earliest, usual.usual // 2),
        usual.earliest,
        max(usual.earliest, usual.latest // 2),
    )


def outside_window(*, kind: str, day: dt.date, agreed_on: dt.date, year_group: int | None) -> str:
    """What is unusual about `day` for an action of `kind` agreed on `agreed_on`, in words, with
    the window; "" when it is inside."""
    usual = window(kind, year_group=year_group)
    earliest = agreed_on + dt.timedelta(days=usual.earliest)
    latest = agreed_on + dt.timedelta(days=usual.latest)
    if earliest <= day <= latest:
        return ""
    label = KIND_WORDS.get(kind, "this kind of action")
    exam = " in an exam year" if year_group in EXAM_YEARS else ""
    return (
        f"Impact of {label}{exam} is usually checked between {date_format(earliest)} and "
        f"{date_format(latest)}: say why this date, or choose one in that window."
    )


KIND_WORDS = {
    "attendance": "an attendance action",
    "behaviour": "a behaviour action",
    "parent_contact": "a parent contact",
    "pastoral": "a pastoral action",
    "monitoring": "monitoring",
    "intervention": "an intervention",
    "send": "a SEND action",
    "classroom": "a classroom change",
    "reteach": "a reteach",
    "curriculum": "a curriculum change",
}


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

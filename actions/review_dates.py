"""When an action's impact is checked: a default by kind, always a school day, never too far off.

School days come from the school's calendar (`School.school_days`). A school year whose term
dates are not in the calendar yet still takes any weekday, with a warning saying what is
missing and where it is added, so that no school is stopped from recording actions.
"""

import datetime as dt
from dataclasses import dataclass, field

from django.utils.formats import date_format

from progress.models import REVIEW_WINDOW_BOUNDS, School


@dataclass(frozen=True)
class Window:
    """When impact is checked for a kind of action, in school days after agreeing it: the usual
    day and the earliest and latest that suit it. A date outside needs a reason. Holidays do not
    count: a reteach agreed on the last day of term is checked a few days into the next."""

    usual: int
    earliest: int
    latest: int


# The guidance's windows by kind, in school days, five to a week (docs/domain.md, "Review dates"):
# the defaults, where a school has not set its own (`windows_for`).
WINDOWS = {
    "attendance": Window(10, 5, 15),
    "behaviour": Window(10, 5, 15),
    "parent_contact": Window(10, 5, 15),
    "pastoral": Window(10, 5, 20),
    "monitoring": Window(10, 5, 20),
    "intervention": Window(20, 15, 30),
    "send": Window(20, 15, 30),
    "classroom": Window(20, 10, 30),
    "reteach": Window(3, 1, 10),  # a few school days
    "curriculum": Window(35, 15, 70),  # by the next half-term
}
# When each owner is asked whether their action has started, in school days after the meeting:
# a reteach by the next lesson or two, a classroom change or a call within the week, a
# timetabled intervention once it could have been set up, a curriculum change by a fortnight.
START_CHECKS = {
    "reteach": 2,
    "classroom": 3,
    "attendance": 3,
    "behaviour": 3,
    "parent_contact": 3,
    "pastoral": 5,
    "monitoring": 5,
    "intervention": 5,
    "send": 5,
    "curriculum": 10,
}
EXAM_YEARS = (11, 13)
LONGEST = dt.timedelta(days=98)  # about a term
MISSING_CALENDAR = (
    "The school calendar has no term dates for {year} yet, so holidays cannot be checked: "
    "a leader or the school admin adds them under School calendar."
)


def windows_for(school: School) -> dict[str, Window]:
    """The school's windows by kind (`School.settings`, one query a request), the guidance's
    where it has set none."""
    own = school.settings.review_windows
    return {kind: _own_window(own.get(kind)) or usual for kind, usual in WINDOWS.items()}


def _own_window(days) -> Window | None:
    """A window the school set, as its settings keep it ([usual, earliest, latest]); None for
    anything else, which the settings screen never saves."""
    low, high = REVIEW_WINDOW_BOUNDS
    if not isinstance(days, list) or len(days) != 3 or not all(type(n) is int for n in days):
        return None
    usual, earliest, latest = days
    return Window(usual, earliest, latest) if low <= earliest <= usual <= latest <= high else None


def window(kind: str, *, year_group: int | None, windows: dict[str, Window] = WINDOWS) -> Window:
    """The window for `kind`; exam-year pupils at risk are checked sooner (half the time, but
    never sooner than the kind's own earliest)."""
    usual = windows.get(kind, windows["classroom"])
    if year_group not in EXAM_YEARS:
        return usual
    return Window(
        max(usual.earliest, usual.usual // 2),
        usual.earliest,
        max(usual.earliest, usual.latest // 2),
    )


class ReviewDates:
    """The review dates of actions agreed on `agreed_on` for a pupil in `year_group`, counted
    in the school's days from one look at its calendar."""

    def __init__(self, *, school: School, agreed_on: dt.date, year_group: int | None):
        self.agreed_on, self.year_group = agreed_on, year_group
        self.windows = windows_for(school)
        # A year without term dates counts its weekdays (`School.school_days`).
        self.days = sorted(
            school.school_days(agreed_on + dt.timedelta(days=1), agreed_on + LONGEST)
        )

    def school_day(self, count: int) -> dt.date:
        """The `count`th school day after the day agreed; the last within a term at most."""
        return self.days[min(count, len(self.days)) - 1]

    def usual(self, kind: str) -> dt.date:
        return self.school_day(self.window(kind).usual)

    def window(self, kind: str) -> Window:
        return window(kind, year_group=self.year_group, windows=self.windows)

    def start_check(self, kind: str) -> dt.date:
        """When the owner is asked whether an action of `kind` has started."""
        return self.school_day(START_CHECKS.get(kind, 5))

    def every_usual(self) -> dict[str, dt.date]:
        """The usual date of each kind, for a form to move its review date with the kind."""
        return {kind: self.usual(kind) for kind in self.windows}

    def outside(self, kind: str, day: dt.date) -> str:
        """What is unusual about `day` for an action of `kind`, in words, with the window; ""
        when it is inside."""
        usual = self.window(kind)
        earliest, latest = self.school_day(usual.earliest), self.school_day(usual.latest)
        if earliest <= day <= latest:
            return ""
        label = KIND_WORDS.get(kind, "this kind of action")
        exam = " in an exam year" if self.year_group in EXAM_YEARS else ""
        return (
            f"Impact of {label}{exam} is usually checked between {date_format(earliest)} and "
            f"{date_format(latest)}: say why this date, or choose one in that window."
        )


def default_review_date(
    *, school: School, kind: str, agreed_on: dt.date, year_group: int | None
) -> dt.date:
    """The usual review date for an action of `kind` agreed on `agreed_on`: a school day."""
    return ReviewDates(school=school, agreed_on=agreed_on, year_group=year_group).usual(kind)


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

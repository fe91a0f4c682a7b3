"""The school's rhythm of meetings: how often each year group is expected to meet, which have
met this term, which series are due, and the next meeting of a series, proposed.

The rules (docs/domain.md, "The rhythm of meetings"):

- Every year group meets at least once a term; the exam years (`HALF_TERMLY_YEARS`) once a
  half-term (`expected_cadence`).
- A meeting *has been held* once it has started (running or closed); one not started is
  *scheduled* from its date on, and neither once its date has passed.
- A meeting covers the year groups it names, every year group when it names none (the whole
  school), and only the year groups of its classes when it names classes (`years_covered`).
- A year group is *overdue* when no meeting covering it has been held or is scheduled in its
  period (the term, or the half-term for an exam year) and either its previous period in the
  school year ended without one held, or fewer than `DAYS_TO_PREPARE` school days of the period
  are left, today included (`standing`).
- A series' next meeting falls by its cadence (`next_date`); the series is overdue once that
  date has passed with nothing scheduled.

Everything here works on rows already read, so that a page of year groups and series costs the
same few queries however many meetings the school has held.
"""

import bisect
import datetime as dt
from dataclasses import dataclass

from django.db.models import Q
from django.utils.formats import date_format

from actions.models import Action
from meetings.models import Item, Meeting, Series
from progress.calendar import weekday_on_or_after, weekday_on_or_before
from progress.models import AcademicYear, HalfTerm, School
from pupils.domain import YearGroup

# The school's expectation: the exam years (Year 6 SATs, Year 11 GCSEs, Year 13 A levels) meet
# every half-term, every other year group every term.
HALF_TERMLY_YEARS = frozenset({6, 11, 13})
# A meeting needs notice: teachers write their summaries and the chair chooses the pupils. With
# fewer school days than this left in a period and nothing scheduled, it is overdue.
DAYS_TO_PREPARE = 10
# Started or closed: the meeting took place.
HELD = frozenset({Meeting.Status.RUNNING, Meeting.Status.CLOSED})
TERMS = (("Autumn term", (1, 2)), ("Spring term", (3, 4)), ("Summer term", (5, 6)))

# The next meeting of a series: half-terms on (termly, half-termly), or school days on.
HALF_TERMS_ON = {Series.Cadence.TERMLY: 2, Series.Cadence.HALF_TERMLY: 1}
SCHOOL_DAYS_ON = {Series.Cadence.MONTHLY: 20, Series.Cadence.FORTNIGHTLY: 10}
# Without the next half-term's dates in the calendar: about a term, or a half-term, later.
WEEKS_ON = {Series.Cadence.TERMLY: 13, Series.Cadence.HALF_TERMLY: 7}
# A proposal whose date by the cadence has passed: a week's notice from today.
NOTICE = dt.timedelta(days=7)


def expected_cadence(year_group: int) -> Series.Cadence:
    """How often the school expects a year group to meet."""
    return Series.Cadence.HALF_TERMLY if year_group in HALF_TERMLY_YEARS else Series.Cadence.TERMLY


def cadence_for(year_groups) -> Series.Cadence:
    """The cadence a meeting of these year groups is expected to keep: half-termly when any is
    an exam year."""
    if HALF_TERMLY_YEARS & set(year_groups):
        return Series.Cadence.HALF_TERMLY
    return Series.Cadence.TERMLY


def is_held(meeting: Meeting) -> bool:
    return meeting.status in HELD


def is_scheduled(meeting: Meeting, *, on: dt.date) -> bool:
    """Not started, and its date is today or later."""
    return not is_held(meeting) and meeting.date >= on


def years_named(meeting: Meeting) -> set[int]:
    """The year groups a meeting names, itself or through its classes (prefetched)."""
    return set(meeting.year_groups) | {
        group.year_group for group in meeting.groups.all() if group.year_group is not None
    }


def years_covered(meeting: Meeting, *, every: frozenset[int]) -> frozenset[int]:
    """The year groups a meeting covers, of `every` year group there is (its classes
    prefetched): those it names, or all of them; when it names classes, only theirs."""
    named = frozenset(meeting.year_groups) or every
    groups = meeting.groups.all()
    if groups:
        return named & {group.year_group for group in groups}
    return named


def classes_covered(meeting: Meeting, *, groups: list) -> set[int]:
    """The classes and sets (ids, of `groups`) a meeting covers: those it names, else those of
    the year groups it names, else all of them."""
    named = meeting.groups.all()
    if named:
        return {group.pk for group in named}
    years = set(meeting.year_groups)
    return {group.pk for group in groups if not years or group.year_group in years}


@dataclass(frozen=True)
class Period:
    """A term or a half-term of a school year."""

    name: str
    starts_on: dt.date
    ends_on: dt.date
    half_terms: tuple[HalfTerm, ...]

    def holds(self, day: dt.date) -> bool:
        return self.starts_on <= day <= self.ends_on

    def school_days_left(self, day: dt.date) -> int:
        """Its school days from `day` to its end, `day` included."""
        return sum(
            half_term.school_days_left(max(day, half_term.starts_on))
            for half_term in self.half_terms
            if half_term.ends_on >= day
        )


def terms(year: AcademicYear) -> list[Period]:
    """The year's three terms, from its half-terms (prefetched)."""
    by_number = {half_term.number: half_term for half_term in year.half_terms.all()}
    periods = []
    for name, numbers in TERMS:
        halves = tuple(by_number[number] for number in numbers if number in by_number)
        if halves:
            periods.append(Period(name, halves[0].starts_on, halves[-1].ends_on, halves))
    return periods


def half_terms(year: AcademicYear) -> list[Period]:
    return [
        Period(half_term.name, half_term.starts_on, half_term.ends_on, (half_term,))
        for half_term in year.half_terms.all()
    ]


def current_year(years: list[AcademicYear], *, on: dt.date) -> AcademicYear | None:
    """The school year in progress (half-terms prefetched); from its last school day on, the
    one about to start, when its dates are in, as the demo does."""
    years = sorted(years, key=lambda year: year.starts_on)
    for year in years:
        last = max((h.ends_on for h in year.half_terms.all()), default=year.ends_on)
        if year.ends_on >= on and last > on:
            return year
    containing = [year for year in years if year.starts_on <= on <= year.ends_on]
    return (containing or years[-1:] or [None])[0]


MET, SCHEDULED, DUE, OVERDUE, NONE = "met", "scheduled", "due", "overdue", "none"


@dataclass(frozen=True)
class Standing:
    """Where a year group or a series stands: a kind, its label, and why, in words."""

    kind: str
    label: str
    why: str = ""

    @property
    def badge(self) -> str:
        """The badge's colours (its label says it in words too)."""
        return BADGES[self.kind]


BADGES = {
    MET: "text-bg-success",
    SCHEDULED: "text-bg-info",
    DUE: "text-bg-light border",
    OVERDUE: "text-bg-danger",
    NONE: "text-bg-light border",
}


def _day(day: dt.date) -> str:
    return date_format(day, "j M")


def _school_days(count: int) -> str:
    return f"{count} school day{'s' if count != 1 else ''}"


def standing(
    *, meetings: list[Meeting], periods: list[Period], on: dt.date, unit: str
) -> Standing | None:
    """Where a year group stands on `on` in its period (the term or half-term in progress, or
    in a holiday the next), from the meetings covering it; None once the year's periods are
    over. `unit` names the period: "term" or "half-term"."""
    now = next((i for i, period in enumerate(periods) if period.ends_on >= on), None)
    if now is None:
        return None
    period = periods[now]
    inside = [meeting for meeting in meetings if period.holds(meeting.date)]
    held = [meeting.date for meeting in inside if is_held(meeting)]
    if held:
        return Standing(MET, f"Met this {unit}", f"held {_day(max(held))}")
    coming = sorted(meeting.date for meeting in inside if is_scheduled(meeting, on=on))
    if coming:
        return Standing(SCHEDULED, f"Scheduled: {_day(coming[0])}")
    left = period.school_days_left(on)
    previous = periods[now - 1] if now else None
    if previous and not any(
        is_held(meeting) and previous.holds(meeting.date) for meeting in meetings
    ):
        return Standing(OVERDUE, "Overdue", f"none held in {previous.name} and none scheduled")
    if left < DAYS_TO_PREPARE:
        return Standing(OVERDUE, "Overdue", f"{_school_days(left)} left and none scheduled")
    return Standing(
        DUE, f"Due this {unit}", f"{_school_days(left)} left, to {_day(period.ends_on)}"
    )


@dataclass(frozen=True)
class Calendar:
    """The school's half-terms in order and its open days over a span (`School.school_days`),
    read once: the next date of any number of series is counted on it without a query each."""

    half_terms: tuple[HalfTerm, ...]
    days: tuple[dt.date, ...]

    @classmethod
    def of(cls, school: School, *, first: dt.date, last: dt.date, half_terms=None) -> "Calendar":
        if half_terms is None:
            half_terms = HalfTerm.objects.filter(school=school)
        return cls(
            tuple(sorted(half_terms, key=lambda half_term: half_term.starts_on)),
            tuple(sorted(school.school_days(first, last))),
        )

    def on_or_after(self, day: dt.date) -> dt.date:
        index = bisect.bisect_left(self.days, day)
        return self.days[index] if index < len(self.days) else weekday_on_or_after(day)

    def on_or_before(self, day: dt.date) -> dt.date:
        index = bisect.bisect_right(self.days, day)
        return self.days[index - 1] if index else weekday_on_or_before(day)

    def after(self, day: dt.date, count: int) -> dt.date:
        """The `count`th school day after `day`."""
        index = bisect.bisect_right(self.days, day) + count - 1
        if index < len(self.days):
            return self.days[index]
        for _ in range(count):  # past the span read: weekdays
            day = weekday_on_or_after(day + dt.timedelta(days=1))
        return day

    def half_term_at(self, day: dt.date) -> int | None:
        """The position of the half-term holding `day`, if one does."""
        return next(
            (i for i, h in enumerate(self.half_terms) if h.starts_on <= day <= h.ends_on), None
        )


def next_date(*, last: dt.date, cadence: str, calendar: Calendar) -> dt.date:
    """When a series' next meeting falls, after one on `last`, by its cadence: termly, the same
    teaching week and weekday of the same half of the next term; half-termly, of the next
    half-term (its first school day when the week comes before it starts, its last when it has
    no such week); monthly and fortnightly, 20 and 10 school days on. Without the next
    half-term's dates, 13 or 7 weeks on. Always a school day."""
    if cadence in SCHOOL_DAYS_ON:
        return calendar.after(last, SCHOOL_DAYS_ON[cadence])
    step = HALF_TERMS_ON[cadence]
    here = calendar.half_term_at(last)
    if here is not None and here + step < len(calendar.half_terms):
        source, target = calendar.half_terms[here], calendar.half_terms[here + step]
        consecutive = target.number == (source.number - 1 + step) % 6 + 1
        if consecutive and (target.starts_on - source.ends_on).days < 150:
            monday = target.starts_on - dt.timedelta(days=target.starts_on.weekday())
            day = monday + dt.timedelta(weeks=source.week_of(last) - 1, days=last.weekday())
            if day > target.ends_on:
                return calendar.on_or_before(target.ends_on)
            return calendar.on_or_after(max(day, target.starts_on))
    return calendar.on_or_after(last + dt.timedelta(weeks=WEEKS_ON[cadence]))


def series_standing(
    *, due_on: dt.date | None, scheduled_on: dt.date | None, on: dt.date
) -> Standing:
    """Where a series stands: its next meeting scheduled, due by its cadence, or overdue once
    that date has passed with nothing scheduled."""
    if scheduled_on:
        return Standing(SCHEDULED, f"Scheduled: {_day(scheduled_on)}")
    if due_on is None:
        return Standing(NONE, "No meeting held yet")
    if due_on < on:
        return Standing(OVERDUE, "Overdue", f"due {_day(due_on)} by its cadence")
    return Standing(DUE, "Due today" if due_on == on else f"Due {_day(due_on)}")


@dataclass(frozen=True)
class Proposal:
    """The next meeting after `after`, proposed: its date by the cadence (or a week from today
    when that has passed), what it carries forward, and the form's starting values."""

    after: Meeting
    cadence: str
    due_on: dt.date
    date: dt.date
    actions: list[Action]
    parked: list[Item]
    later: Meeting | None  # a later meeting of the series, already in the calendar

    @property
    def why(self) -> str:
        """How the date was chosen, in words."""
        if self.date != self.due_on:
            return (
                f"by its cadence it was due on {_day(self.due_on)}; a week from today leaves "
                "time to prepare"
            )
        after = f"as the meeting on {_day(self.after.date)}"
        return {
            Series.Cadence.TERMLY: f"termly, the same week of the next term {after}",
            Series.Cadence.HALF_TERMLY: f"half-termly, the same week of the next half-term {after}",
            Series.Cadence.MONTHLY: f"monthly, four school weeks after the meeting on "
            f"{_day(self.after.date)}",
            Series.Cadence.FORTNIGHTLY: f"fortnightly, two school weeks after the meeting on "
            f"{_day(self.after.date)}",
        }[self.cadence]

    @property
    def initial(self) -> dict:
        after = self.after
        people = list(
            after.attendees.filter(for_summaries=False, user__is_active=True).select_related("user")
        )
        chair = next((a.user for a in people if a.role == "chair"), None)
        recorder = next((a.user for a in people if a.role == "recorder"), None)
        return {
            "focus": after.focus,
            "own_focus": after.own_focus,
            "purpose": after.purpose,
            "year_groups": list(after.year_groups),
            "groups": [group.pk for group in after.groups.all()],
            "subject": after.subject,
            "date": self.date,
            "starts_at": after.starts_at,
            "length": after.length,
            "place": after.place,
            "chair": chair,
            "recorder": recorder,
            "attendees": [attendee.user for attendee in people],
            "series_name": after.series.name if after.series_id else "",
            "series_cadence": self.cadence,
        }


def propose_next(*, after: Meeting, today: dt.date) -> Proposal:
    """The next meeting of `after`'s series (or after it, when it has none): the same focus,
    scope and people on the date its cadence gives, with the open actions of the series due
    for review by then and the items `after` parked."""
    series = after.series if after.series_id else None
    cadence = series.cadence if series else cadence_for(years_named(after))
    calendar = Calendar.of(
        after.school, first=min(after.date, today), last=max(after.date, today) + dt.timedelta(365)
    )
    due_on = next_date(last=after.date, cadence=cadence, calendar=calendar)
    date = due_on if due_on > today else calendar.on_or_after(today + NOTICE)
    agreed_at = Q(meeting__series=series) if series else Q(meeting=after)
    actions = (
        Action.objects.filter(agreed_at, school=after.school_id, review_on__lte=date)
        .open()
        .select_related("pupil")
        .order_by("review_on", "pk")
    )
    later = series.meetings.filter(date__gt=after.date).order_by("date").first() if series else None
    return Proposal(
        after=after,
        cadence=cadence,
        due_on=due_on,
        date=date,
        actions=list(actions),
        parked=list(after.items.filter(parked_at__isnull=False).select_related("pupil")),
        later=later,
    )


@dataclass(frozen=True)
class Entry:
    """A meeting in a year group's term: held, scheduled or not held, and its scope in words
    when it is more than the year group."""

    meeting: Meeting
    state: str
    scope: str


@dataclass(frozen=True)
class Cell:
    """A year group's term: the meetings covering it, and the periods that ended with none."""

    term: Period
    entries: list[Entry]
    missed: list[str]


@dataclass(frozen=True)
class YearGroupRow:
    year_group: int
    label: str
    cadence: str
    cells: list[Cell]
    standing: Standing | None


@dataclass(frozen=True)
class ClassRow:
    group: object
    held: list[Meeting]
    scheduled: list[Meeting]


@dataclass(frozen=True)
class SubjectRow:
    subject: str
    meetings: list[Meeting]
    scopes: str


@dataclass(frozen=True)
class SeriesRow:
    series: Series
    last_on: dt.date | None
    last_pk: int | None
    due_on: dt.date | None
    standing: Standing


@dataclass(frozen=True)
class YearOfMeetings:
    """The school's year of meetings, as the year view shows it."""

    year: AcademicYear
    terms: list[Period]
    current: Period | None  # the term in progress (or next, in a holiday), in the year in progress
    year_groups: list[YearGroupRow]
    classes: list[ClassRow]
    subjects: list[SubjectRow]
    no_subject: int
    series: list[SeriesRow]

    @property
    def classes_without(self) -> list:
        return [row.group for row in self.classes if not row.held and not row.scheduled]


def year_of_meetings(
    *, year, meetings, on_roll, groups, series, calendar, on: dt.date, in_progress: bool
) -> YearOfMeetings:
    """The year's view from rows already read: `meetings` of the year with their classes
    prefetched, the year groups `on_roll`, the school's classes and sets, its series with their
    last meeting held and next scheduled (`Series` annotated by the view), and the calendar to
    count their next dates on. The standing of each year group shows when the year is
    `in_progress`."""
    the_terms = terms(year)
    every = frozenset(on_roll).union(*(years_named(meeting) for meeting in meetings))
    rows = []
    for year_group in sorted(every):
        covering = [m for m in meetings if year_group in years_covered(m, every=every)]
        cadence = expected_cadence(year_group)
        exam = cadence == Series.Cadence.HALF_TERMLY
        unit, periods = ("half-term", half_terms(year)) if exam else ("term", the_terms)
        cells = []
        for term in the_terms:
            inside = [meeting for meeting in covering if term.holds(meeting.date)]
            missed = [
                f"{period.name}: none held" if exam else "None held"
                for period in periods
                if term.holds(period.starts_on)
                and period.ends_on < on
                and not any(is_held(m) and period.holds(m.date) for m in covering)
            ]
            cells.append(Cell(term, [_entry(m, year_group, on=on) for m in inside], missed))
        rows.append(
            YearGroupRow(
                year_group,
                YearGroup(year_group).label,
                "Half-termly (exam year)" if exam else "Termly",
                cells,
                standing(meetings=covering, periods=periods, on=on, unit=unit)
                if in_progress
                else None,
            )
        )
    current = next((t for t in the_terms if t.ends_on >= on), None) if in_progress else None
    return YearOfMeetings(
        year=year,
        terms=the_terms,
        current=current,
        year_groups=rows,
        classes=_class_rows(meetings, groups, on=on),
        subjects=_subject_rows(meetings),
        no_subject=sum(1 for meeting in meetings if not meeting.subject),
        series=[_series_row(s, calendar=calendar, on=on) for s in series],
    )


def _entry(meeting: Meeting, year_group: int, *, on: dt.date) -> Entry:
    if is_held(meeting):
        state = "held"
    elif is_scheduled(meeting, on=on):
        state = "scheduled"
    else:
        state = "not held"
    just_this_year = meeting.year_groups == [year_group] and not meeting.groups.all()
    return Entry(meeting, state, "" if just_this_year and not meeting.subject else meeting.scope)


def _class_rows(meetings, groups, *, on: dt.date) -> list[ClassRow]:
    covered = {meeting.pk: classes_covered(meeting, groups=groups) for meeting in meetings}
    return [
        ClassRow(
            group,
            held=[m for m in meetings if group.pk in covered[m.pk] and is_held(m)],
            scheduled=[m for m in meetings if group.pk in covered[m.pk] and is_scheduled(m, on=on)],
        )
        for group in groups
    ]


def _subject_rows(meetings) -> list[SubjectRow]:
    by_subject: dict[str, list[Meeting]] = {}
    for meeting in meetings:
        if meeting.subject:
            by_subject.setdefault(meeting.subject.strip().lower(), []).append(meeting)
    return [
        SubjectRow(
            subject=found[0].subject,
            meetings=found,
            scopes="; ".join(dict.fromkeys(_who(meeting) for meeting in found)),
        )
        for _, found in sorted(by_subject.items())
    ]


def _who(meeting: Meeting) -> str:
    """A meeting's scope without its subject: "Year 1, Year 2", "6N", "whole school"."""
    parts = [YearGroup(year).label for year in sorted(meeting.year_groups)]
    parts += [group.name for group in meeting.groups.all()]
    return ", ".join(parts) or "whole school"


def _series_row(series: Series, *, calendar: Calendar, on: dt.date) -> SeriesRow:
    """`series` annotated with `last_held_on`, `last_held_pk` and `scheduled_on`."""
    due_on = (
        next_date(last=series.last_held_on, cadence=series.cadence, calendar=calendar)
        if series.last_held_on
        else None
    )
    return SeriesRow(
        series,
        last_on=series.last_held_on,
        last_pk=series.last_held_pk,
        due_on=due_on,
        standing=series_standing(due_on=due_on, scheduled_on=series.scheduled_on, on=on),
    )

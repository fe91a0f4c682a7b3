"""Facts derived from school data, computed for many pupils at once in a fixed number of queries.

Attainment (where a pupil stands against a standard) and progress (how far they moved between
two assessment points) are kept apart: `Standing` is the first, `Subject.gains` the second.
Effort (how the pupil engages) rides along on each result as its own grade, `Point.effort`, and
is never part of either.
"""

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Hashable
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from typing import NamedTuple

from django.db.models import Case, F, OuterRef, Q, QuerySet, Subquery, Sum, When, Window
from django.db.models.functions import RowNumber

from pupils import attendance
from pupils.domain import age_in_months
from pupils.models import (
    AttendanceMark,
    AttendanceSummary,
    AttendanceWeek,
    BehaviourIncident,
    MissedTopic,
    Pupil,
    Result,
    Scale,
)

WEEKDAYS = {1: "Monday", 2: "Tuesday", 3: "Wednesday", 4: "Thursday", 5: "Friday"}


def of_their_school(rows: QuerySet, pupils: QuerySet) -> QuerySet:
    """`rows` narrowed to the pupils' school as well as to the pupils. The pupils are one
    school's, as every view's are; naming the school lets the database read that school's rows
    from its (school, …) index instead of every school's in the trust. The school is a
    subquery, not a query of its own: PostgreSQL works it out once and then uses the index."""
    return rows.filter(school_id=Subquery(pupils.order_by().values("school_id")[:1]))


@dataclass
class Attendance:
    possible: int = 0
    attended: int = 0
    late: int = 0
    absences_by_weekday: dict[int, int] = field(default_factory=dict)

    @property
    def exact(self) -> Fraction | None:
        """The exact percentage, for judging; `percent` is the figure shown."""
        return attendance.exact(self.attended, self.possible)

    @property
    def percent(self) -> Decimal | None:
        return attendance.percentage(self.attended, self.possible)

    @property
    def band(self) -> attendance.Band | None:
        """The band of this figure, judged exactly however few sessions it rests on: a pupil's
        band on a day is `criteria.attendance`'s, which waits for enough sessions."""
        return attendance.band(self.exact) if self.possible else None

    @property
    def absences(self) -> int:
        return self.possible - self.attended


def attendance_between(
    pupils: QuerySet, first: dt.date, last: dt.date, *, by_weekday: bool = True
) -> dict[int, Attendance]:
    """Each pupil's attendance from `first` to `last`, from register marks where the school has
    them and from period summaries inside those dates where it has not. Three queries. Without
    `by_weekday` the absences are not split by day of the week."""
    return attendance_in(pupils, {"": (first, last)}, by_weekday=by_weekday)[""]


def attendance_in(
    pupils: QuerySet,
    windows: dict[Hashable, tuple[dt.date, dt.date]],
    *,
    by_weekday: bool | set[Hashable] = True,
) -> dict[Hashable, dict[int, Attendance]]:
    """`attendance_between` for several windows of dates at once ({name: (first, last)}), the
    absences split by weekday in every window, in none (False) or in those named (a set): each
    split is seven more sums, which doubled the time of a school's weeks.

    The weeks a window touches are counted from `AttendanceWeek` (a tenth of the rows of the
    marks), every window in one pass; the marks of those weeks that fall outside the window are
    then taken away. Those are the days before a window that starts mid-week and after one that
    ends before Sunday: holidays, weekends or the future, so there are rarely any. Three queries:
    the weeks, the marks outside, the period summaries."""
    if not windows:
        return {}
    split = set(windows) if by_weekday is True else set(by_weekday or ())
    spans = {
        name: (first, last, _monday(first), _monday(last))
        for name, (first, last) in windows.items()
    }
    facts: dict[Hashable, dict[int, Attendance]] = {name: {} for name in windows}
    marks: dict[Hashable, dict[int, int]] = {name: {} for name in windows}
    weeks = _weeks(
        pupils,
        [(a, b) for _, _, a, b in spans.values()],
        [_counts(name in split) for name in windows],
    )
    for row in weeks:
        for index, name in enumerate(windows):
            if not (count := row[f"marks_{index}"]):
                continue
            weekdays = ISO_WEEKDAYS if name in split else ()
            marks[name][row["pupil_id"]] = count
            facts[name][row["pupil_id"]] = Attendance(
                possible=row[f"possible_{index}"],
                attended=row[f"attended_{index}"],
                late=row[f"late_{index}"],
                absences_by_weekday={
                    day: absences for day in weekdays if (absences := row[f"absent_{day}_{index}"])
                },
            )
    beyond = {
        name: {*_days(monday, first - ONE_DAY), *_days(last + ONE_DAY, last_monday + 6 * ONE_DAY)}
        for name, (first, last, monday, last_monday) in spans.items()
    }
    outside = (
        of_their_school(AttendanceMark.objects, pupils)
        .filter(pupil__in=pupils, date__in=sorted(set().union(*beyond.values())))
        .values_list("pupil_id", "date", "code")
    )
    taken_from = set()
    for pupil_id, date, code in outside:
        possible, attended = code not in attendance.NOT_POSSIBLE, code in attendance.ATTENDING
        for name, days in beyond.items():
            if date in days:
                taken_from.add((name, pupil_id))
                marks[name][pupil_id] -= 1
                fact = facts[name][pupil_id]
                fact.possible -= possible
                fact.attended -= attended
                fact.late -= code in attendance.LATE
                if name in split and possible and not attended:
                    fact.absences_by_weekday[date.isoweekday()] -= 1
    for name, pupil_id in taken_from:
        if not marks[name][pupil_id]:  # every mark of its weeks was outside the window
            del facts[name][pupil_id]
        else:
            fact = facts[name][pupil_id]
            fact.absences_by_weekday = {d: n for d, n in fact.absences_by_weekday.items() if n}
    earliest = min(first for first, _ in windows.values())
    latest = max(last for _, last in windows.values())
    summaries = of_their_school(AttendanceSummary.objects, pupils).filter(
        pupil__in=pupils, starts_on__gte=earliest, ends_on__lte=latest
    )
    with_marks = {name: set(found) for name, found in facts.items()}
    for summary in summaries:
        for name, (first, last) in windows.items():
            inside = first <= summary.starts_on and summary.ends_on <= last
            if inside and summary.pupil_id not in with_marks[name]:
                fact = facts[name].setdefault(summary.pupil_id, Attendance())
                fact.possible += summary.possible_sessions
                fact.attended += summary.present_sessions
                fact.late += summary.lates
    return facts


ISO_WEEKDAYS = range(1, 8)  # Monday to Sunday, as AttendanceWeek's absent_1 to absent_7
ONE_DAY = dt.timedelta(days=1)


def _counts(by_weekday: bool) -> list[str]:
    """What is counted: marks, possible and attended sessions, lates and, `by_weekday`, the
    absences on each ISO weekday D (absent_D), as `AttendanceWeek` names them."""
    return ["marks", "possible", "attended", "late"] + [
        f"absent_{day}" for day in (ISO_WEEKDAYS if by_weekday else ())
    ]


def _weeks(pupils: QuerySet, weeks: list[tuple[dt.date, dt.date]], counts: list[list[str]]):
    """Each pupil's counts of each span of weeks N (their Mondays), `counts[N]`, as COUNT_N:
    over one span, plain sums of the rows the query keeps; over several, a conditional sum each."""
    spans = {index: Q(week__range=span) for index, span in enumerate(weeks)}
    return (
        of_their_school(AttendanceWeek.objects, pupils)
        .filter(
            pupil__in=pupils,
            week__range=(min(first for first, _ in weeks), max(last for _, last in weeks)),
        )
        .order_by()
        .values("pupil_id")
        .annotate(
            **{
                f"{count}_{index}": Sum(count, filter=span if len(weeks) > 1 else None)
                for index, span in spans.items()
                for count in counts[index]
            }
        )
    )


def _monday(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def _days(first: dt.date, last: dt.date) -> list[dt.date]:
    return [first + dt.timedelta(days=n) for n in range((last - first).days + 1)]


class Point(NamedTuple):
    """One result placed on its scale: the step, or for a reading age the months it is ahead
    of (negative: behind) the pupil's own age, so that keeping pace with age is no gain. A
    named tuple: a school's criteria make one for each of its results (14,000 at a secondary),
    in a third of a frozen dataclass's time."""

    name: str
    date: dt.date
    code: str
    position: int
    effort: int | None = None  # pupils.domain.Effort: its own scale, not attainment


@dataclass
class Subject:
    name: str
    scale: Scale
    points: list[Point]

    @property
    def latest(self) -> Point:
        return self.points[-1]

    @property
    def gains(self) -> list[int]:
        """Steps gained (negative when lost) between each assessment point and the next."""
        return [b.position - a.position for a, b in zip(self.points, self.points[1:], strict=False)]

    def standing(self, point: Point | None = None) -> str:
        """Attainment at `point` (the latest by default): below, close, expected or higher."""
        position = (point or self.latest).position
        expected = self.expected_position
        if self.scale.higher_position is not None and position >= self.scale.higher_position:
            return "higher"
        if position >= expected:
            return "expected"
        if position >= expected - self.scale.near_expected:
            return "close"
        return "below"

    @property
    def expected_position(self) -> int:
        # A reading age is placed as months ahead of (or behind) the pupil's own age: 0 is expected.
        return 0 if self.scale.kind == Scale.Kind.READING_AGE else self.scale.expected_position

    @property
    def unit(self) -> str:
        """What a gain counts: steps, or months of reading age beyond the months of age."""
        return "months" if self.scale.kind == Scale.Kind.READING_AGE else "steps"


RESULT_FIELDS = (
    "pupil_id", "subject", "scale_id", "point__name", "point__date", "step__code", "step__position",
    "months", "born", "effort",
)  # fmt: skip


# A reading age is compared with the pupil's age, so its row carries their date of birth. Read
# for those rows alone: a join to every result's pupil cost PostgreSQL 16 ms of 40 at a
# secondary school with 19,000 results.
_BORN_FOR_A_READING_AGE = Case(
    When(
        step__isnull=True,
        then=Subquery(
            Pupil.objects.filter(pk=OuterRef("pupil_id")).order_by().values("date_of_birth")
        ),
    )
)


def attainment(
    pupils: QuerySet, *, on: dt.date, latest: int | None = None
) -> dict[int, list[Subject]]:
    """Each pupil's subjects with their results up to `on`, in date order: every result, or
    with `latest` only that many of each subject's most recent (a window over them, so the
    database sends no other). Two queries: the results as plain rows (a school's results are
    many: no model instance each), then their scales."""
    rows = (
        of_their_school(Result.objects, pupils)
        .filter(pupil__in=pupils, point__date__lte=on)
        .annotate(born=_BORN_FOR_A_READING_AGE)
    )
    if latest is not None:
        newest_first = Window(
            RowNumber(),
            partition_by=[F("pupil_id"), F("subject")],
            order_by=[F("point__date").desc(), F("point_id").desc()],
        )
        rows = rows.annotate(newest_first=newest_first).filter(newest_first__lte=latest)
    # Two results of one day (two assessment points on the same date) in the order their points
    # were set up, so that the latest is the same one with `latest` or without.
    rows = rows.order_by("pupil_id", "subject", "point__date", "point_id")
    return _subjects(list(rows.values_list(*RESULT_FIELDS)))


def _subjects(rows: list[tuple]) -> dict[int, list[Subject]]:
    """Result rows (RESULT_FIELDS, by pupil, subject and date) as each pupil's subjects."""
    scales = Scale.objects.in_bulk({row[2] for row in rows})
    subjects: dict[int, dict[str, Subject]] = defaultdict(dict)
    for pupil_id, name, scale_id, point, day, code, position, months, born, effort in rows:
        by_name = subjects[pupil_id]
        subject = by_name.get(name)
        if subject is None or subject.scale.pk != scale_id:
            subject = by_name[name] = Subject(name, scales[scale_id], [])
        if code is None:  # a reading age: months ahead of (or behind) the pupil's own age
            code, position = f"{months // 12}y {months % 12}m", months - age_in_months(born, day)
        subject.points.append(Point(point, day, code, position, effort))
    return {pupil_id: list(by_name.values()) for pupil_id, by_name in subjects.items()}


def missed_topics(pupils: QuerySet, *, on: dt.date) -> dict[int, dict[str, list[str]]]:
    """Each pupil's missed topics in their latest result in each subject up to `on`, by subject:
    what this pupil did not secure last time, not what they missed a year ago. One query."""
    latest = Result.objects.filter(
        pupil=OuterRef("result__pupil"), subject=OuterRef("result__subject"), point__date__lte=on
    ).order_by("-point__date")
    rows = (
        of_their_school(MissedTopic.objects, pupils)
        .filter(result__pupil__in=pupils, result__point__date__lte=on)
        .filter(result__point__date=Subquery(latest.values("point__date")[:1]))
        .order_by("result__subject", "topic")
        .values_list("result__pupil_id", "result__subject", "topic")
    )
    topics: dict[int, dict[str, list[str]]] = defaultdict(dict)
    for pupil_id, subject, topic in rows:
        topics[pupil_id].setdefault(subject, []).append(topic)
    return dict(topics)


# When in the school day an incident happened, by the time it was recorded at: a school's own
# periods are named by its lessons ("P5"); these say it in words anyone in the room reads alike.
TIMES_OF_DAY = [
    (dt.time(8, 30), "before school"),
    (dt.time(12, 0), "in the morning"),
    (dt.time(13, 30), "around lunch"),
    (dt.time(15, 30), "after lunch"),
]
AFTER_SCHOOL = "after school"


def time_of_day(time: dt.time) -> str:
    return next((words for end, words in TIMES_OF_DAY if time < end), AFTER_SCHOOL)


@dataclass
class Behaviour:
    """A pupil's behaviour incidents over the last `weeks` weeks and the `weeks` before: how
    many in each, how many removed them from a lesson, and how all of them fall by lesson,
    subject and time of day (only those recorded with one)."""

    weeks: int
    recent: int = 0
    before: int = 0
    removals: int = 0
    lessons: Counter = field(default_factory=Counter)
    subjects: Counter = field(default_factory=Counter)
    times: Counter = field(default_factory=Counter)

    @property
    def total(self) -> int:
        return self.recent + self.before


def behaviour(pupils: QuerySet, *, on: dt.date, weeks: int = 4) -> dict[int, Behaviour]:
    """Each pupil's `Behaviour` up to `on`: the last `weeks` weeks count `on` itself, as the
    "behaviour increasing" criterion does. One query; pupils with no incident are left out."""
    window = dt.timedelta(weeks=weeks)
    recent_from = on - window + dt.timedelta(days=1)
    rows = (
        of_their_school(BehaviourIncident.objects, pupils)
        .filter(pupil__in=pupils, date__range=(recent_from - window, on))
        .values_list("pupil_id", "date", "time", "lesson", "subject", "removed_from_lesson")
    )
    found: dict[int, Behaviour] = {}
    for pupil_id, date, time, lesson, subject, removed in rows:
        fact = found.setdefault(pupil_id, Behaviour(weeks))
        if date >= recent_from:
            fact.recent += 1
        else:
            fact.before += 1
        fact.removals += removed
        fact.lessons.update([lesson.strip()] if lesson.strip() else [])
        fact.subjects.update([subject.strip()] if subject.strip() else [])
        fact.times.update([time_of_day(time)] if time else [])
    return found

"""The school's patterns: four pictures of the pupils a member of staff sees, each a fixed number
of queries however many pupils there are.

- attainment against progress in a subject: where each pupil stands now against how far they
  moved since the last assessment point, with the pupils coasting and catching up;
- attendance by weekday and half-term: the share of possible sessions missed, as a heat map;
- behaviour by lesson and time of day against weekday, over the last twelve weeks;
- disadvantaged and SEND pupils against the others on each measure.

Each keeps the pupils behind every cell, so a cell links to them (`pupils_behind`). The
definitions are in docs/domain.md, "School patterns".
"""

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from fractions import Fraction

from django.db.models import Case, Count, IntegerField, Q, QuerySet, Value, When
from django.db.models.functions import ExtractIsoWeekDay

from progress.models import HalfTerm
from pupils import attendance, criteria, facts
from pupils.domain import SenProvision
from pupils.models import AttendanceMark, BehaviourIncident, Characteristics

# Attainment now, highest first, and progress since the last point, least first.
STANDINGS = {
    "higher": "At the higher standard",
    "expected": "At the expected standard",
    "close": "Just below expected",
    "below": "Below expected",
}
PROGRESS = {
    "lost": "Lost ground",
    "held": "No change",
    "gained": "Gained",
    "strong": "Gained strongly",
}
# Catching up on a reading age: the gap to the pupil's own age narrowed by at least this much
# (a month or two is within what a reading test measures).
CATCH_UP_MONTHS = 3
# Behaviour is pictured over this many weeks to today: about a term, whatever the date.
BEHAVIOUR_WEEKS = 12
# The attendance heat map's half-terms: this one and those before it, as far as registers go.
HALF_TERMS_SHOWN = 6


@dataclass
class Cell:
    """The pupils behind one cell of a picture."""

    pupils: set[int] = field(default_factory=set)

    @property
    def count(self) -> int:
        return len(self.pupils)


# 1. Attainment against progress -------------------------------------------------------------


@dataclass
class AttainmentPicture:
    subject: str
    subjects: list[str]  # the subjects that may be pictured, most assessed first
    unit: str  # "steps" or "months" (a reading age), or "" when the subject mixes them
    strong: int  # "gained strongly" from this many steps (or months)
    cells: dict[tuple[str, str], Cell]  # (standing, progress)
    coasting: Cell
    catching_up: Cell
    compared: int  # pupils assessed in the subject at least twice
    once: int  # pupils assessed in it only once: no progress yet
    judged: bool = False  # every result on a scale where holding a step is on track

    def cell(self, standing: str, progress: str) -> Cell:
        return self.cells.get((standing, progress), Cell())

    @property
    def progress_labels(self) -> dict[str, str]:
        """The progress bins in the subject's unit: "Gained strongly (2+ steps)"."""
        unit = self.unit or "steps"
        return {
            "lost": "Lost ground",
            "held": "No change",
            "gained": f"Gained (1 to {self.strong - 1} {unit})"
            if self.strong > 2
            else f"Gained (1 {unit.removesuffix('s')})",
            "strong": f"Gained strongly ({self.strong}+ {unit})",
        }


def progress_bin(gain: int, strong: int) -> str:
    if gain < 0:
        return "lost"
    if gain == 0:
        return "held"
    return "strong" if gain >= strong else "gained"


def strong_gain(unit: str, thresholds: criteria.Thresholds) -> int:
    """Gaining "strongly": as much as the shortlist counts as doing well (2 steps, 6 months of
    reading age beyond the pupil's own age, unless the school sets its own)."""
    return thresholds.doing_well_months if unit == "months" else thresholds.doing_well_steps


def is_coasting(subject: facts.Subject) -> bool:
    """The shortlist's coasting, in one subject: at or above expected (or at the higher standard
    before) and no step gained since the last point, on a scale where a step is progress."""
    if subject.scale.judged_against_standard or len(subject.points) < 2:
        return False
    reached_higher = any(subject.standing(point) == "higher" for point in subject.points[:-1])
    at_or_above = subject.standing() in {"expected", "higher"} or reached_higher
    return at_or_above and subject.gains[-1] <= 0


def is_catching_up(subject: facts.Subject) -> bool:
    """Below expected at the last point, and at least a step gained since (on a reading age, the
    gap to the pupil's own age narrowed by CATCH_UP_MONTHS)."""
    if len(subject.points) < 2:
        return False
    enough = CATCH_UP_MONTHS if subject.unit == "months" else 1
    was = subject.standing(subject.points[-2])
    return was in {"close", "below"} and subject.gains[-1] >= enough


def attainment_picture(
    subjects_by_pupil: dict[int, list[facts.Subject]],
    *,
    subject: str = "",
    thresholds: criteria.Thresholds,
) -> AttainmentPicture:
    """Each pupil's latest result in `subject` (by default the subject most pupils have been
    assessed in twice) placed by attainment now and progress since the point before."""
    twice = Counter(
        s.name for subjects in subjects_by_pupil.values() for s in subjects if len(s.points) > 1
    )
    names = [name for name, _ in twice.most_common()]
    chosen = subject if subject in twice else (names[0] if names else "")
    found = [
        (pupil_id, s)
        for pupil_id, subjects in subjects_by_pupil.items()
        for s in subjects
        if s.name == chosen
    ]
    units = {s.unit for _, s in found}
    unit = units.pop() if len(units) == 1 else ""
    cells: dict[tuple[str, str], Cell] = defaultdict(Cell)
    coasting, catching_up, once = Cell(), Cell(), 0
    for pupil_id, s in found:
        if len(s.points) < 2:
            once += 1
            continue
        strong = strong_gain(s.unit, thresholds)
        cells[(s.standing(), progress_bin(s.gains[-1], strong))].pupils.add(pupil_id)
        if is_coasting(s):
            coasting.pupils.add(pupil_id)
        if is_catching_up(s):
            catching_up.pupils.add(pupil_id)
    return AttainmentPicture(
        subject=chosen,
        subjects=sorted(names),
        unit=unit,
        strong=strong_gain(unit, thresholds),
        cells=dict(cells),
        coasting=coasting,
        catching_up=catching_up,
        compared=len(found) - once,
        once=once,
        judged=bool(found) and all(s.scale.judged_against_standard for _, s in found),
    )


# 2. Attendance by weekday and half-term ------------------------------------------------------


@dataclass
class AbsenceCell:
    possible: int = 0  # sessions
    absent: int = 0
    pupils: int = 0  # pupils with a possible session
    absent_pupils: int = 0  # of them, absent at least once

    @property
    def rate(self) -> Fraction | None:
        """The share of possible sessions missed, in per cent; None with none possible."""
        return Fraction(100 * self.absent, self.possible) if self.possible else None


@dataclass
class AttendancePicture:
    half_terms: list[HalfTerm]
    cells: dict[tuple[int, int], AbsenceCell]  # (half-term id, ISO weekday)

    def cell(self, half_term: HalfTerm, weekday: int) -> AbsenceCell:
        return self.cells.get((half_term.pk, weekday), AbsenceCell())


def recent_half_terms(school_id: int, on: dt.date) -> list[HalfTerm]:
    """This half-term (or the last, in a holiday) and up to five before it, oldest first."""
    half_terms = HalfTerm.objects.filter(school_id=school_id, starts_on__lte=on).select_related(
        "academic_year"
    )
    return list(half_terms.order_by("-starts_on")[:HALF_TERMS_SHOWN])[::-1]


def attendance_picture(pupils: QuerySet, *, on: dt.date, school_id: int) -> AttendancePicture:
    """Register marks up to `on`, by half-term and weekday: sessions possible and missed, and how
    many pupils. Period summaries say nothing of weekdays and are left out. Two queries."""
    half_terms = recent_half_terms(school_id, on)
    if not half_terms:
        return AttendancePicture([], {})
    possible = ~Q(code__in=attendance.NOT_POSSIBLE)
    absent = Q(code__in=attendance.ABSENT)
    rows = (
        AttendanceMark.objects.filter(pupil__in=pupils, date__range=(half_terms[0].starts_on, on))
        .annotate(
            weekday=ExtractIsoWeekDay("date"),
            half_term=Case(
                *[When(date__range=(h.starts_on, h.ends_on), then=Value(h.pk)) for h in half_terms],
                output_field=IntegerField(),
            ),
        )
        .filter(half_term__isnull=False, weekday__lte=5)
        .values("half_term", "weekday")
        .annotate(
            possible=Count("pk", filter=possible),
            absent=Count("pk", filter=absent),
            pupils=Count("pupil", distinct=True, filter=possible),
            absent_pupils=Count("pupil", distinct=True, filter=absent),
        )
        .order_by()
    )
    cells = {
        (row["half_term"], row["weekday"]): AbsenceCell(
            row["possible"], row["absent"], row["pupils"], row["absent_pupils"]
        )
        for row in rows
    }
    shown = [h for h in half_terms if any(key[0] == h.pk for key in cells)]
    return AttendancePicture(shown, cells)


def _absences(pupils: QuerySet, half_term: HalfTerm, weekday: int, on: dt.date) -> QuerySet:
    return AttendanceMark.objects.filter(
        pupil__in=pupils,
        date__range=(half_term.starts_on, min(half_term.ends_on, on)),
        date__iso_week_day=weekday,
        code__in=attendance.ABSENT,
    )


def absent_on(pupils: QuerySet, *, half_term: HalfTerm, weekday: int, on: dt.date) -> QuerySet:
    """The pupils absent at least one session on `weekday` in `half_term`, up to `on`."""
    return pupils.filter(pk__in=_absences(pupils, half_term, weekday, on).values("pupil"))


def absences_on(pupils: QuerySet, *, half_term: HalfTerm, weekday: int, on: dt.date) -> dict:
    """{pupil id: sessions missed on `weekday` in `half_term`, up to `on`}. One query."""
    rows = _absences(pupils, half_term, weekday, on).values("pupil_id").annotate(n=Count("pk"))
    return {row["pupil_id"]: row["n"] for row in rows.order_by()}


# 3. Behaviour by lesson and time, and weekday -------------------------------------------------


@dataclass
class BehaviourCell:
    incidents: int = 0
    pupils: set[int] = field(default_factory=set)


@dataclass
class Incident:
    pupil_id: int
    date: dt.date
    time: dt.time | None
    lesson: str


@dataclass
class BehaviourPicture:
    since: dt.date
    rows: dict[str, str]  # key: label, in the order of the school day
    cells: dict[tuple[str, int], BehaviourCell]  # (row key, ISO weekday)
    total: int
    weekend: int  # incidents on a Saturday or Sunday, not pictured

    def cell(self, row: str, weekday: int) -> BehaviourCell:
        return self.cells.get((row, weekday), BehaviourCell())

    @property
    def busiest(self) -> int:
        return max((cell.incidents for cell in self.cells.values()), default=0)

    def row_total(self, row: str) -> int:
        return sum(self.cell(row, day).incidents for day in facts.WEEKDAYS)

    def weekday_total(self, weekday: int) -> int:
        return sum(self.cell(row, weekday).incidents for row in self.rows)


NOT_RECORDED = "none"


def behaviour_row(lesson: str, time: dt.time | None) -> tuple[str, str]:
    """Where in the day an incident falls: its lesson as recorded ("P5"); without one, the time
    of day it was recorded at ("After lunch (no lesson)"); else not recorded."""
    lesson = lesson.strip()
    if lesson:
        return f"lesson:{lesson}", lesson
    if time is not None:
        words = facts.time_of_day(time)
        return f"time:{words}", f"{words.capitalize()} (no lesson)"
    return NOT_RECORDED, "Lesson and time not recorded"


def behaviour_incidents(pupils: QuerySet, *, on: dt.date) -> list[Incident]:
    """The visible pupils' incidents over the last BEHAVIOUR_WEEKS weeks to `on`. One query."""
    since = behaviour_since(on)
    rows = BehaviourIncident.objects.filter(pupil__in=pupils, date__range=(since, on)).values_list(
        "pupil_id", "date", "time", "lesson"
    )
    return [Incident(*row) for row in rows.order_by()]


def behaviour_since(on: dt.date) -> dt.date:
    return on - dt.timedelta(weeks=BEHAVIOUR_WEEKS) + dt.timedelta(days=1)


def behaviour_picture(incidents: list[Incident], *, on: dt.date) -> BehaviourPicture:
    """Incidents by where in the day they fall and by weekday. Rows run through the school day:
    a lesson by the usual time of its incidents, a time of day by its start."""
    cells: dict[tuple[str, int], BehaviourCell] = defaultdict(BehaviourCell)
    labels: dict[str, str] = {}
    minutes: dict[str, list[int]] = defaultdict(list)
    weekend = 0
    for incident in incidents:
        weekday = incident.date.isoweekday()
        if weekday > 5:
            weekend += 1
            continue
        key, label = behaviour_row(incident.lesson, incident.time)
        labels[key] = label
        if incident.time is not None:
            minutes[key].append(incident.time.hour * 60 + incident.time.minute)
        cell = cells[(key, weekday)]
        cell.incidents += 1
        cell.pupils.add(incident.pupil_id)

    def when(key: str) -> tuple:
        if key == NOT_RECORDED:
            return (2, 0, key)
        times = sorted(minutes[key])
        usual = times[len(times) // 2] if times else 24 * 60
        return (0 if key.startswith("lesson:") else 1, usual, labels[key])

    rows = {key: labels[key] for key in sorted(labels, key=when)}
    return BehaviourPicture(
        since=behaviour_since(on),
        rows=rows,
        cells=dict(cells),
        total=len(incidents) - weekend,
        weekend=weekend,
    )


# 4. Disadvantaged and SEND pupils against others ---------------------------------------------

GROUPS = {
    "disadvantaged": "Disadvantaged (pupil premium)",
    "send": "SEND (SEN support or EHC plan)",
    "others": "Other pupils",
}


@dataclass
class Share:
    """Of the pupils in a group with a figure for a measure (`of`), those who meet it."""

    met: set[int] = field(default_factory=set)
    of: set[int] = field(default_factory=set)

    @property
    def count(self) -> int:
        return len(self.met)

    @property
    def total(self) -> int:
        return len(self.of)

    @property
    def percent(self) -> Fraction | None:
        return Fraction(100 * self.count, self.total) if self.total else None


@dataclass(frozen=True)
class Measure:
    key: str
    label: str
    better: str  # "higher" or "lower": which way is better, said beside the picture
    focus: str  # the meeting focus that takes it up (meetings.focus.Focus values)


# The measures, each a share of a group's pupils with a figure for it. Behaviour is over the
# weeks the behaviour picture covers, so that the page says one thing about it.
RECENT_INCIDENT = f"A behaviour incident in the last {BEHAVIOUR_WEEKS} weeks"
MEASURES = [
    Measure("expected", "At or above expected in every subject", "higher", "below_expected"),
    Measure("lost_ground", "Lost ground in a subject since the last point", "lower", "at_risk"),
    Measure("attendance", "Attendance at or below 90%", "lower", "attendance"),
    Measure("behaviour", RECENT_INCIDENT, "lower", "behaviour"),
]


@dataclass
class GroupsPicture:
    measures: list[Measure]
    shares: dict[tuple[str, str], Share]  # (measure key, group key)
    sizes: dict[str, int]  # pupils in each group

    def share(self, measure: str, group: str) -> Share:
        return self.shares.get((measure, group), Share())


def census_groups(pupils: QuerySet, *, on: dt.date) -> dict[int, set[str]]:
    """Each pupil's groups by this year's census record: disadvantaged (pupil premium), SEND,
    or neither ("others", as is a pupil with no record this year). One query each."""
    records = Characteristics.objects.filter(
        pupil__in=pupils, academic_year__starts_on__lte=on, academic_year__ends_on__gte=on
    ).values_list("pupil_id", "pupil_premium", "sen_provision")
    groups = {pupil_id: {"others"} for pupil_id in pupils.values_list("pk", flat=True)}
    for pupil_id, premium, provision in records:
        found = {"disadvantaged"} if premium else set()
        if provision != SenProvision.NONE:
            found.add("send")
        groups[pupil_id] = found or {"others"}
    return groups


def groups_picture(
    groups: dict[int, set[str]],
    *,
    subjects_by_pupil: dict[int, list[facts.Subject]],
    judged_attendance: dict[int, criteria.YearAttendance],
    incidents: list[Incident],
    on: dt.date,
) -> GroupsPicture:
    """Each group's share meeting each measure, of its pupils with a figure for it."""
    had_incident = {i.pupil_id for i in incidents if i.date >= behaviour_since(on)}
    figures: dict[str, dict[int, bool]] = {"expected": {}, "lost_ground": {}, "attendance": {}}
    for pupil_id, subjects in subjects_by_pupil.items():
        if subjects:
            figures["expected"][pupil_id] = all(
                s.standing() in {"expected", "higher"} for s in subjects
            )
        compared = [s for s in subjects if len(s.points) > 1]
        if compared:
            figures["lost_ground"][pupil_id] = any(s.gains[-1] < 0 for s in compared)
    for pupil_id, figure in judged_attendance.items():
        if figure.band is not None:
            figures["attendance"][pupil_id] = figure.band in attendance.PERSISTENT_OR_SEVERE
    figures["behaviour"] = {pupil_id: pupil_id in had_incident for pupil_id in groups}
    shares: dict[tuple[str, str], Share] = defaultdict(Share)
    for measure, by_pupil in figures.items():
        for pupil_id, met in by_pupil.items():
            for group in groups.get(pupil_id, ()):
                share = shares[(measure, group)]
                share.of.add(pupil_id)
                if met:
                    share.met.add(pupil_id)
    sizes = Counter(group for found in groups.values() for group in found)
    return GroupsPicture(MEASURES, dict(shares), {g: sizes[g] for g in GROUPS})


# All four -------------------------------------------------------------------------------------


@dataclass
class Patterns:
    on: dt.date
    pupils: int
    attainment: AttainmentPicture
    attendance: AttendancePicture
    behaviour: BehaviourPicture
    groups: GroupsPicture


def patterns_of(
    pupils: QuerySet,
    *,
    on: dt.date,
    school_id: int,
    subject: str = "",
    thresholds: criteria.Thresholds,
) -> Patterns:
    """The four pictures of `pupils` on `on`. Fourteen queries or fewer, however many pupils."""
    pupils = pupils.order_by()
    subjects_by_pupil = facts.attainment(pupils, on=on)
    incidents = behaviour_incidents(pupils, on=on)
    groups = census_groups(pupils, on=on)
    return Patterns(
        on=on,
        pupils=len(groups),
        attainment=attainment_picture(subjects_by_pupil, subject=subject, thresholds=thresholds),
        attendance=attendance_picture(pupils, on=on, school_id=school_id),
        behaviour=behaviour_picture(incidents, on=on),
        groups=groups_picture(
            groups,
            subjects_by_pupil=subjects_by_pupil,
            judged_attendance=criteria.attendance(
                pupils=pupils, on=on, thresholds=thresholds, by_weekday=False
            ),
            incidents=incidents,
            on=on,
        ),
    )

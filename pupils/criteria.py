"""The shortlist criteria from the guidance, each with its reason in words taken from the data.

`reasons(pupils=…, on=…)` answers, for every pupil in a queryset, which criteria they meet on a
day and why ("attendance 86.2% this year, persistent absence"), in a fixed number of queries
however many pupils there are. The numbers are the guidance's defaults or the school's own
(`Thresholds.for_school`).
`attendance(pupils=…, on=…)` is a pupil's attendance as it is judged on a day, on every screen.
"""

import datetime as dt
from collections import Counter
from collections.abc import Collection
from dataclasses import dataclass, replace
from decimal import Decimal
from fractions import Fraction

from django.db import models
from django.db.models import Count, Q, QuerySet
from django.utils.formats import date_format

from progress.calendar import school_year_of
from progress.models import AcademicYear, HalfTerm
from pupils import facts
from pupils.attendance import PERSISTENT_OR_SEVERE, Band
from pupils.domain import SenProvision
from pupils.models import BehaviourIncident, Characteristics, InterventionPlace, Pupil


class Criterion(models.TextChoices):
    BELOW_EXPECTED_CLOSE = "below_close", "Below expected but close"
    PROGRESS_SLOWED = "progress_slowed", "Progress slowed"
    COASTING = "coasting", "Coasting"
    ATTENDANCE_DROPPED = "attendance", "Attendance dropped or at or below 90%"
    ABSENCES_ON_DAYS = "absence_days", "Absences on the same days"
    BEHAVIOUR_INCREASING = "behaviour", "Behaviour incidents increasing"
    INTERVENTION_REVIEW = "intervention", "Intervention due for review"
    SEND_PLAN_REVIEW = "send_plan", "SEND support plan to review"
    DOING_WELL = "doing_well", "Doing well"


@dataclass(frozen=True)
class Thresholds:
    """The criteria's numbers: the guidance's, as defaults here, or a school's own
    (`for_school`). The attendance bands themselves are the DfE's, in `pupils.attendance`."""

    attendance_drop_points: Decimal = Decimal(3)
    # Attendance is judged only on enough sessions: on the first day of September one session
    # missed of two would be "50%, severe absence", and one day off at the start of a half-term
    # "0%, down from 96%".
    year_sessions: int = 20  # two school weeks before this year's figure is banded
    half_term_sessions: int = 10  # a school week before a half-term is compared or its weekdays
    concentrated_absences: int = 4
    concentrated_share: Fraction = Fraction(3, 5)
    behaviour_weeks: int = 4
    behaviour_incidents: int = 2
    intervention_review_days: int = 7
    doing_well_steps: int = 2
    doing_well_months: int = 6  # reading age gained beyond the months of age

    @classmethod
    def for_school(cls, school) -> "Thresholds":
        """The school's own numbers (`School.settings`, one query a request), the guidance's
        where it has none."""
        if school is None:  # a service operator, who belongs to no school
            return cls()
        own = school.settings
        changed = {name: getattr(own, name) for name in SET_BY_SCHOOL}
        changed = {name: value for name, value in changed.items() if value is not None}
        if "attendance_drop_points" in changed:
            changed["attendance_drop_points"] = Decimal(changed["attendance_drop_points"])
        if "concentrated_share" in changed:  # a percentage on the settings screen
            changed["concentrated_share"] = Fraction(changed["concentrated_share"], 100)
        return replace(cls(), **changed)


# The numbers a school may change for itself (`progress.models.SchoolSettings`); the sessions
# that make a figure worth judging are not a school's choice.
SET_BY_SCHOOL = (
    "attendance_drop_points",
    "concentrated_absences",
    "concentrated_share",
    "behaviour_weeks",
    "behaviour_incidents",
    "intervention_review_days",
    "doing_well_steps",
)


# What each part of `reasons` looks at, so that one criterion reads only its own data.
# The attainment criteria: how many of each subject's latest results each one judges (where the
# pupil stands; the last gain; the last two gains), None for every result (coasting asks
# whether any earlier result reached the higher standard).
RESULTS_JUDGED = {
    Criterion.BELOW_EXPECTED_CLOSE: 1, Criterion.DOING_WELL: 2, Criterion.PROGRESS_SLOWED: 3,
    Criterion.COASTING: None,
}  # fmt: skip
FROM_ATTENDANCE = {Criterion.ATTENDANCE_DROPPED, Criterion.ABSENCES_ON_DAYS}
# Doing well counts disadvantaged pupils at expected; a SEND plan is a characteristic itself.
FROM_CHARACTERISTICS = {Criterion.DOING_WELL, Criterion.SEND_PLAN_REVIEW}


def reasons(
    *,
    pupils: QuerySet,
    on: dt.date,
    thresholds: Thresholds = Thresholds(),
    only: Collection[Criterion] | None = None,
    characteristics: dict[int, Characteristics] | None = None,
    attendance: dict[int, "YearAttendance"] | None = None,
) -> dict[int, dict[Criterion, str]]:
    """{pupil id: {criterion: reason}} for the pupils who meet at least one criterion, or with
    `only`, one of those: the data the others rest on is then not read at all. A caller that
    shows the pupils' census this year (`current_characteristics`) or their attendance as judged
    (`attendance`) passes what it read, and it is not read again."""
    found: dict[int, dict[Criterion, str]] = {}
    wanted = set(Criterion) if only is None else set(only)

    def add(pupil_id: int, criterion: Criterion, reason: str) -> None:
        if criterion not in wanted:
            return
        pupil_reasons = found.setdefault(pupil_id, {})
        earlier = pupil_reasons.get(criterion)
        pupil_reasons[criterion] = f"{earlier}; {reason}" if earlier else reason

    pupils = pupils.order_by()
    if characteristics is None:
        characteristics = (
            current_characteristics(pupils, on) if wanted & FROM_CHARACTERISTICS else {}
        )
    if judged := [RESULTS_JUDGED[criterion] for criterion in wanted & RESULTS_JUDGED.keys()]:
        latest = None if None in judged else max(judged)
        for pupil_id, subjects in facts.attainment(pupils, on=on, latest=latest).items():
            _attainment_reasons(pupil_id, subjects, characteristics.get(pupil_id), add, thresholds)
    if wanted & FROM_ATTENDANCE:
        _attendance_reasons(pupils, on, add, thresholds, this_year=attendance)
    if Criterion.BEHAVIOUR_INCREASING in wanted:
        _behaviour_reasons(pupils, on, add, thresholds)
    if Criterion.INTERVENTION_REVIEW in wanted:
        _intervention_reasons(pupils, on, add, thresholds)
    for pupil_id, record in characteristics.items():
        if record.sen_provision != SenProvision.NONE and (
            record.send_plan_review_on is None or record.send_plan_review_on <= on
        ):
            provision = record.get_sen_provision_display()
            add(
                pupil_id,
                Criterion.SEND_PLAN_REVIEW,
                f"{provision}, plan review due {date_format(record.send_plan_review_on)}"
                if record.send_plan_review_on
                else f"{provision}, no plan review date recorded",
            )
    return found


def meeting(
    pupils: QuerySet, criterion: Criterion, *, on: dt.date, thresholds: Thresholds = Thresholds()
) -> QuerySet:
    """The pupils who meet one shortlist criterion on `on`, reading only that criterion's data."""
    found = reasons(pupils=pupils, on=on, thresholds=thresholds, only=[criterion])
    return pupils.filter(pk__in=list(found))


def current_characteristics(pupils: QuerySet, on: dt.date) -> dict[int, Characteristics]:
    """{pupil id: census} of the school year `on` falls in, for the pupils who have one."""
    return {
        record.pupil_id: record
        for record in facts.of_their_school(Characteristics.objects, pupils).filter(
            pupil__in=pupils, academic_year__starts_on__lte=on, academic_year__ends_on__gte=on
        )
    }


def _attainment_reasons(pupil_id, subjects, characteristics, add, thresholds) -> None:
    at_expected = []
    for subject in subjects:
        latest, standing, gains = subject.latest, subject.standing(), subject.gains
        judged = subject.scale.judged_against_standard
        name = subject.name.lower() if subject.name != subject.name.upper() else subject.name
        if standing in {"expected", "higher"}:
            at_expected.append(name)
        if standing == "close":
            add(
                pupil_id,
                Criterion.BELOW_EXPECTED_CLOSE,
                f"{name} {latest.code}, just below expected",
            )
        if not gains:
            continue
        before = subject.points[-2]
        if gains[-1] < 0 and subject.unit == "months":
            add(
                pupil_id,
                Criterion.PROGRESS_SLOWED,
                f"{name} {before.code} to {latest.code}, {_months(-gains[-1])} further behind "
                f"the pupil's age since {before.name}",
            )
        elif gains[-1] < 0:
            add(
                pupil_id,
                Criterion.PROGRESS_SLOWED,
                f"{name} fell from {before.code} to {latest.code}",
            )
        elif judged or len(gains) < 2:
            pass  # holding a judged step is on track; a slowdown needs two intervals
        elif gains[-1] < gains[-2]:
            add(
                pupil_id,
                Criterion.PROGRESS_SLOWED,
                f"{name} slowed: {_steps(gains[-2], subject.unit)}, then "
                f"{_steps(gains[-1], subject.unit)} since {before.name}",
            )
        reached_higher = any(subject.standing(point) == "higher" for point in subject.points[:-1])
        if not judged and (standing in {"expected", "higher"} or reached_higher) and gains[-1] <= 0:
            add(
                pupil_id,
                Criterion.COASTING,
                f"{name} {latest.code}, at or above expected, no gain since {before.name}",
            )
        doing_well = (
            thresholds.doing_well_months
            if subject.unit == "months"
            else thresholds.doing_well_steps
        )
        if gains[-1] >= doing_well:
            add(
                pupil_id,
                Criterion.DOING_WELL,
                f"{name} up {_steps(gains[-1], subject.unit)} since {before.name}",
            )
    disadvantaged = characteristics and (
        characteristics.pupil_premium or characteristics.sen_provision != SenProvision.NONE
    )
    if disadvantaged and subjects and len(at_expected) == len(subjects):
        group = "pupil premium" if characteristics.pupil_premium else "SEND"
        add(
            pupil_id,
            Criterion.DOING_WELL,
            f"{group}, at or above expected in {_join(at_expected)}",
        )


def _attendance_reasons(pupils, on, add, thresholds, this_year=None) -> None:
    """The attendance criteria, from this year's figures as judged (`this_year`, when the
    caller has them: `attendance`) and this half-term's and the last one's."""
    # Pupils below compulsory school age at the start of the year (five on 1 September, a
    # month of age being gained on the day of the month one was born) are not flagged.
    pupils = pupils.filter(date_of_birth__lte=dt.date(school_year_of(on) - 5, 9, 1))
    half_terms = list(
        facts.of_their_school(HalfTerm.objects, pupils)
        .filter(starts_on__lte=on)
        .order_by("-starts_on")[:2]
    )
    # This year, this half-term and the one before, read in one pass over the marks.
    windows = {}
    if half_terms:
        windows["this half"] = (half_terms[0].starts_on, min(on, half_terms[0].ends_on))
    if len(half_terms) > 1:
        windows["last half"] = (half_terms[1].starts_on, half_terms[1].ends_on)
    years = _years(pupils, on) if this_year is None else []
    if years:
        windows["this year"] = (years[0].starts_on, on)
    # Only this half-term's absences are looked at by weekday.
    figures = facts.attendance_in(pupils, windows, by_weekday={"this half"})
    this_half, last_half = figures.get("this half", {}), figures.get("last half", {})
    if this_year is not None:
        of_age = set(pupils.values_list("pk", flat=True))
        this_year = {pk: figure for pk, figure in this_year.items() if pk in of_age}
    elif years:
        this_year = _judged(pupils, figures["this year"], years, thresholds, by_weekday=False)
    else:
        this_year = {}
    for pupil_id in sorted(this_year.keys() | this_half.keys()):
        figures = this_year.get(pupil_id)
        words = []
        if figures and figures.band in PERSISTENT_OR_SEVERE:
            words.append(f"attendance {figures}")
        now = _half_term(this_half, pupil_id, thresholds)
        before = _half_term(last_half, pupil_id, thresholds)
        if now and before and before.exact - now.exact >= thresholds.attendance_drop_points:
            words.append(f"{now.percent}% this half-term, down from {before.percent}%")
        if words:
            add(pupil_id, Criterion.ATTENDANCE_DROPPED, "; ".join(words))
        if now and now.absences >= thresholds.concentrated_absences:
            top_two = Counter(now.absences_by_weekday).most_common(2)
            on_days = sum(count for _, count in top_two)
            if Fraction(on_days, now.absences) >= thresholds.concentrated_share:
                days = sorted(day for day, count in top_two if count)
                add(
                    pupil_id,
                    Criterion.ABSENCES_ON_DAYS,
                    f"{on_days} of {now.absences} absences this half-term on "
                    f"{_join([facts.WEEKDAYS[day] + 's' for day in days])}",
                )


def _half_term(figures: dict, pupil_id: int, thresholds: Thresholds) -> facts.Attendance | None:
    """A pupil's figure for a half-term, once it rests on enough sessions to compare."""
    figure = figures.get(pupil_id)
    return figure if figure and figure.possible >= thresholds.half_term_sessions else None


@dataclass(frozen=True)
class YearAttendance:
    """A pupil's attendance as it is judged on a day: this year's figure once it rests on
    `minimum` sessions; before that (the first fortnight of September, or a pupil who has just
    joined) last year's whole-year figure, said to be last year's; else nothing is judged yet."""

    this_year: facts.Attendance | None
    last_year: facts.Attendance | None
    minimum: int

    @property
    def sessions(self) -> int:
        """This year's possible sessions so far."""
        return self.this_year.possible if self.this_year else 0

    @property
    def too_early(self) -> bool:
        """Whether this year's figure rests on too few sessions to judge."""
        return self.sessions < self.minimum

    @property
    def judged(self) -> facts.Attendance | None:
        """The figure a band is judged on: this year's, or early on last year's."""
        if not self.too_early:
            return self.this_year
        if self.last_year and self.last_year.possible >= self.minimum:
            return self.last_year
        return None

    @property
    def when(self) -> str:
        return "last year" if self.too_early else "this year"

    @property
    def band(self) -> Band | None:
        return self.judged.band if self.judged else None

    @property
    def percent(self) -> Decimal | None:
        return self.judged.percent if self.judged else None

    @property
    def early(self) -> str:
        """Why this year's figure is not judged yet, in words ("" once it is)."""
        if not self.too_early:
            return ""
        if not self.sessions:
            return "no sessions recorded this year yet"
        return f"too early to judge this year ({_count(self.sessions, 'session')})"

    def __str__(self) -> str:
        """ "86.2% this year, persistent absence"; early in the year "88.1% last year,
        persistent absence; too early to judge this year (6 sessions)"."""
        judged = self.judged
        if judged is None:
            return self.early or "no attendance recorded this year"
        words = f"{judged.percent}% {self.when}, {judged.band.label.lower()}"
        return f"{words}; {self.early}" if self.too_early else words


def attendance(
    *, pupils: QuerySet, on: dt.date, thresholds: Thresholds = Thresholds(), by_weekday: bool = True
) -> dict[int, YearAttendance]:
    """{pupil id: attendance as judged on `on`} for the pupils with a figure this year or last
    (see `YearAttendance`): five queries, and three more for last year's figures when a pupil
    has too few sessions this year, however many pupils. Lists and filters that show no
    weekdays leave out `by_weekday` (`facts.attendance_between`)."""
    years = _years(pupils, on)
    if not years:
        return {}
    this_year = facts.attendance_between(pupils, years[0].starts_on, on, by_weekday=by_weekday)
    return _judged(pupils, this_year, years, thresholds, by_weekday=by_weekday)


def _years(pupils: QuerySet, on: dt.date) -> list[AcademicYear]:
    """The pupils' school year on `on` and the one before, or none outside the school's years."""
    years = list(
        AcademicYear.objects.filter(
            school__in=pupils.order_by().values("school"), starts_on__lte=on
        ).order_by("-starts_on")[:2]
    )
    return years if years and years[0].ends_on >= on else []


def _judged(
    pupils: QuerySet,
    this_year: dict[int, facts.Attendance],
    years: list[AcademicYear],
    thresholds: Thresholds,
    *,
    by_weekday: bool,
) -> dict[int, YearAttendance]:
    """This year's figures as judged: last year's stands in for a figure on too few sessions."""
    enough = {pk for pk, figure in this_year.items() if figure.possible >= thresholds.year_sessions}
    # Last year's figure stands in for theirs. Named, not "all but those with enough": a whole
    # school's ids in every query of last year's would cost more to send than to count.
    early = set(pupils.values_list("pk", flat=True)) - enough if len(years) > 1 else set()
    last_year = (
        facts.attendance_between(
            Pupil.objects.filter(pk__in=early),
            years[1].starts_on,
            years[1].ends_on,
            by_weekday=by_weekday,
        )
        if early
        else {}
    )
    return {
        pupil_id: YearAttendance(
            this_year.get(pupil_id), last_year.get(pupil_id), thresholds.year_sessions
        )
        for pupil_id in this_year.keys() | last_year.keys()
    }


def _behaviour_reasons(pupils, on, add, thresholds) -> None:
    window = dt.timedelta(weeks=thresholds.behaviour_weeks)
    recent_start, earlier_start = (
        on - window + dt.timedelta(days=1),
        on - 2 * window + dt.timedelta(days=1),
    )
    counts = (
        facts.of_their_school(BehaviourIncident.objects, pupils)
        .filter(pupil__in=pupils, date__range=(earlier_start, on))
        .values("pupil_id")
        .annotate(
            recent=Count("pk", filter=Q(date__gte=recent_start)),
            earlier=Count("pk", filter=Q(date__lt=recent_start)),
        )
    )
    for row in counts:
        if row["recent"] >= thresholds.behaviour_incidents and row["recent"] > row["earlier"]:
            add(
                row["pupil_id"],
                Criterion.BEHAVIOUR_INCREASING,
                f"{_count(row['recent'], 'behaviour incident')} in the last "
                f"{_count(thresholds.behaviour_weeks, 'week')}, up from {row['earlier']}",
            )


def _intervention_reasons(pupils, on, add, thresholds) -> None:
    due_by = on + dt.timedelta(days=thresholds.intervention_review_days)
    places = (
        facts.of_their_school(InterventionPlace.objects, pupils)
        .filter(pupil__in=pupils, exit_measure="")
        .filter(
            Q(intervention__review_on__lte=due_by, ends_on__isnull=True)
            | Q(intervention__review_on__lte=due_by, ends_on__gte=on)
            | Q(ends_on__lt=on)
        )
        .select_related("intervention")
    )
    for place in places:
        intervention = place.intervention
        if place.ends_on and place.ends_on < on:
            reason = f"{intervention.name} ended {date_format(place.ends_on)} with no exit measure"
        else:
            reason = f"{intervention.name}: review due {date_format(intervention.review_on)}"
        add(place.pupil_id, Criterion.INTERVENTION_REVIEW, reason)


def _count(count: int, noun: str) -> str:
    return f"{count} {noun}{'s' if count != 1 else ''}"


def _months(count: int) -> str:
    return _count(count, "month")


def _steps(count: int, unit: str) -> str:
    if unit == "months":
        return f"{_months(count)} beyond the pupil's age"
    return f"{count} step{'s' if abs(count) != 1 else ''}"


def _join(words: list[str]) -> str:
    return words[0] if len(words) == 1 else f"{', '.join(words[:-1])} and {words[-1]}"

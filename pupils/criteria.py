"""The shortlist criteria from the guidance, each with its reason in words taken from the data.

`reasons(pupils=…, on=…)` answers, for every pupil in a queryset, which criteria they meet on a
day and why ("attendance 86.2% this year, persistent absence"), in a fixed number of queries
however many pupils there are. The numbers are the defaults in DESIGN.md (`Thresholds`).
"""

import datetime as dt
from collections import Counter
from dataclasses import dataclass
from decimal import Decimal

from django.db import models
from django.db.models import Count, Q, QuerySet
from django.utils.formats import date_format

from progress.models import AcademicYear, HalfTerm
from pupils import facts
from pupils.domain import SenProvision
from pupils.models import BehaviourIncident, Characteristics, InterventionPlace


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
    attendance_drop_points: Decimal = Decimal(3)
    persistent_absence: Decimal = Decimal("90.0")
    concentrated_absences: int = 4
    concentrated_share: float = 0.6
    behaviour_weeks: int = 4
    behaviour_incidents: int = 2
    intervention_review_days: int = 7
    doing_well_steps: int = 2
    doing_well_months: int = 6  # reading age gained beyond the months of age


def reasons(
    *, pupils: QuerySet, on: dt.date, thresholds: Thresholds = Thresholds()
) -> dict[int, dict[Criterion, str]]:
    """{pupil id: {criterion: reason}} for the pupils who meet at least one criterion."""
    found: dict[int, dict[Criterion, str]] = {}

    def add(pupil_id: int, criterion: Criterion, reason: str) -> None:
        pupil_reasons = found.setdefault(pupil_id, {})
        earlier = pupil_reasons.get(criterion)
        pupil_reasons[criterion] = f"{earlier}; {reason}" if earlier else reason

    pupils = pupils.order_by()
    characteristics = _current_characteristics(pupils, on)
    for pupil_id, subjects in facts.attainment(pupils, on=on).items():
        _attainment_reasons(pupil_id, subjects, characteristics.get(pupil_id), add, thresholds)
    _attendance_reasons(pupils, on, add, thresholds)
    _behaviour_reasons(pupils, on, add, thresholds)
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


def meeting(pupils: QuerySet, criterion: Criterion, *, on: dt.date) -> QuerySet:
    """The pupils who meet one shortlist criterion on `on`."""
    found = reasons(pupils=pupils, on=on)
    return pupils.filter(pk__in=[pk for pk, why in found.items() if criterion in why])


def _current_characteristics(pupils: QuerySet, on: dt.date) -> dict[int, Characteristics]:
    return {
        record.pupil_id: record
        for record in Characteristics.objects.filter(
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


def _attendance_reasons(pupils, on, add, thresholds) -> None:
    school_id = pupils.values_list("school_id", flat=True).first()
    year = AcademicYear.objects.filter(school_id=school_id).containing(on).first()
    if year is None:
        return
    half_terms = list(
        HalfTerm.objects.filter(school_id=school_id, starts_on__lte=on).order_by("-starts_on")[:2]
    )
    # Pupils below compulsory school age at the start of the year are not flagged.
    compulsory = [
        pupil.pk
        for pupil in pupils.only("pk", "date_of_birth")
        if pupil.age_on(year.starts_on) >= 5
    ]
    pupils = pupils.filter(pk__in=compulsory)
    year_to_date = facts.attendance_between(pupils, year.starts_on, on)
    this_half = (
        facts.attendance_between(pupils, half_terms[0].starts_on, min(on, half_terms[0].ends_on))
        if half_terms
        else {}
    )
    last_half = (
        facts.attendance_between(pupils, half_terms[1].starts_on, half_terms[1].ends_on)
        if len(half_terms) > 1
        else {}
    )
    for pupil_id, ytd in year_to_date.items():
        now, before = this_half.get(pupil_id), last_half.get(pupil_id)
        words = []
        if ytd.percent is not None and ytd.percent <= thresholds.persistent_absence:
            words.append(f"attendance {ytd.percent}% this year, {ytd.band.label.lower()}")
        if (
            now and before and now.percent is not None and before.percent is not None
            and before.percent - now.percent >= thresholds.attendance_drop_points
        ):  # fmt: skip
            words.append(f"{now.percent}% this half-term, down from {before.percent}%")
        if words:
            add(pupil_id, Criterion.ATTENDANCE_DROPPED, "; ".join(words))
        if now and now.absences >= thresholds.concentrated_absences:
            top_two = Counter(now.absences_by_weekday).most_common(2)
            on_days = sum(count for _, count in top_two)
            if on_days / now.absences >= thresholds.concentrated_share:
                days = sorted(day for day, count in top_two if count)
                add(
                    pupil_id,
                    Criterion.ABSENCES_ON_DAYS,
                    f"{on_days} of {now.absences} absences this half-term on "
                    f"{_join([facts.WEEKDAYS[day] + 's' for day in days])}",
                )


def _behaviour_reasons(pupils, on, add, thresholds) -> None:
    window = dt.timedelta(weeks=thresholds.behaviour_weeks)
    recent_start, earlier_start = (
        on - window + dt.timedelta(days=1),
        on - 2 * window + dt.timedelta(days=1),
    )
    counts = (
        BehaviourIncident.objects.filter(pupil__in=pupils, date__range=(earlier_start, on))
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
                f"{row['recent']} behaviour incidents in the last {thresholds.behaviour_weeks} "
                f"weeks, up from {row['earlier']}",
            )


def _intervention_reasons(pupils, on, add, thresholds) -> None:
    due_by = on + dt.timedelta(days=thresholds.intervention_review_days)
    places = (
        InterventionPlace.objects.filter(pupil__in=pupils, exit_measure="")
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


def _months(count: int) -> str:
    return f"{count} month{'s' if count != 1 else ''}"


def _steps(count: int, unit: str) -> str:
    if unit == "months":
        return f"{_months(count)} beyond the pupil's age"
    return f"{count} step{'s' if abs(count) != 1 else ''}"


def _join(words: list[str]) -> str:
    return words[0] if len(words) == 1 else f"{', '.join(words[:-1])} and {words[-1]}"

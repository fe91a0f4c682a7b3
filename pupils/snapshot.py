"""What the school data says about one pupil on a day, as plain values that can be kept."""

import datetime as dt

from django.utils.formats import date_format

from pupils import criteria, facts
from pupils.domain import SenProvision
from pupils.models import Characteristics, Pupil

STANDING = {
    "higher": "higher standard",
    "expected": "at expected",
    "close": "just below expected",
    "below": "below expected",
}


def pupils_now(*, pupils: list[Pupil], on: dt.date) -> dict[int, dict]:
    """Attendance and attainment of many pupils on a day, as `pupil_data` words them, in a fixed
    number of queries: what a review sets beside the data kept when an action was agreed."""
    if not pupils:
        return {}
    chosen = Pupil.objects.filter(pk__in=[pupil.pk for pupil in pupils])
    attendance = criteria.attendance(pupils=chosen, on=on)
    subjects = facts.attainment(chosen, on=on)
    return {
        pupil.pk: {
            "taken_on": date_format(on),
            "attendance": _attendance(attendance.get(pupil.pk)),
            "attainment": [
                {
                    "subject": subject.name,
                    "latest": f"{subject.latest.code} ({subject.latest.name})",
                    "previous": _previous(subject),
                    "standing": STANDING[subject.standing()],
                }
                for subject in subjects.get(pupil.pk, [])
            ],
        }
        for pupil in pupils
    }


def pupil_data(*, pupil: Pupil, on: dt.date) -> dict:
    """The data a one-page summary or an action record shows, as plain values to keep."""
    census = Characteristics.objects.filter(
        pupil=pupil, academic_year__starts_on__lte=on, academic_year__ends_on__gte=on
    ).first()
    places = pupil.intervention_places.filter(ends_on__isnull=True).select_related("intervention")
    return pupils_now(pupils=[pupil], on=on)[pupil.pk] | {
        "send": _send(census),
        "pupil_premium": bool(census and census.pupil_premium),
        "eal": bool(census and census.eal),
        "looked_after": _looked_after(census),
        "interventions": [
            f"{place.intervention.name} since {date_format(place.starts_on)}"
            + (f" (entry: {place.entry_measure})" if place.entry_measure else "")
            for place in places
        ],
    }


def _send(census: Characteristics | None) -> str:
    if census is None or census.sen_provision == SenProvision.NONE:
        return "No special educational need recorded"
    needs = " then ".join(
        need
        for need in (census.get_primary_need_display(), census.get_secondary_need_display())
        if need
    )
    return f"{census.get_sen_provision_display()}" + (f": {needs}" if needs else "")


def _previous(subject: facts.Subject) -> str:
    if len(subject.points) < 2:
        return ""
    point = subject.points[-2]
    return f"{point.code} ({point.name})"


def _attendance(attendance: criteria.YearAttendance | None) -> str:
    """ "86.2% this year, persistent absence; 3 late marks", or early in the year last year's
    figure and why this year's is not judged yet."""
    if attendance is None:
        return "no attendance recorded this year"
    if attendance.too_early:
        return str(attendance)
    late = attendance.this_year.late
    return f"{attendance}; {late} late mark{'s' if late != 1 else ''}"


def _looked_after(census: Characteristics | None) -> str:
    if census and census.looked_after:
        return "Looked after"
    if census and census.previously_looked_after:
        return "Previously looked after"
    return ""


def then_and_now(then: dict, now: dict | None) -> list[tuple[str, str, str]]:
    """(measure, when an action was agreed, now) for its review: attendance, then each subject
    the pupil has results in now."""
    if not now:
        return []
    agreed = {row["subject"]: row["latest"] for row in then.get("attainment", [])}
    return [
        ("Attendance", then.get("attendance", "not recorded"), now["attendance"]),
        *[
            (row["subject"], agreed.get(row["subject"], "\u2014"), row["latest"])
            for row in now["attainment"]
        ],
    ]

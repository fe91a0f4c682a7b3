"""What the school data says about one pupil on a day, as plain values that can be kept."""

import datetime as dt

from django.utils.formats import date_format

from progress.models import AcademicYear
from pupils import facts
from pupils.domain import SenProvision
from pupils.models import Characteristics, Pupil


def pupil_data(*, pupil: Pupil, on: dt.date) -> dict:
    """The data a one-page summary or an action record shows, as plain values to keep."""
    one = Pupil.objects.filter(pk=pupil.pk)
    census = Characteristics.objects.filter(
        pupil=pupil, academic_year__starts_on__lte=on, academic_year__ends_on__gte=on
    ).first()
    year = AcademicYear.objects.filter(school_id=pupil.school_id).containing(on).first()
    attendance = facts.attendance_between(one, year.starts_on, on).get(pupil.pk) if year else None
    subjects = facts.attainment(one, on=on).get(pupil.pk, [])
    places = pupil.intervention_places.filter(ends_on__isnull=True).select_related("intervention")
    return {
        "taken_on": date_format(on),
        "attainment": [
            {
                "subject": subject.name,
                "latest": f"{subject.latest.code} ({subject.latest.name})",
                "previous": f"{subject.points[-2].code} ({subject.points[-2].name})"
                if len(subject.points) > 1
                else "",
                "standing": {
                    "higher": "higher standard",
                    "expected": "at expected",
                    "close": "just below expected",
                    "below": "below expected",
                }[subject.standing()],
            }
            for subject in subjects
        ],
        "attendance": _attendance(attendance),
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


def _attendance(attendance: facts.Attendance | None) -> str:
    if attendance is None or attendance.percent is None:
        return "no attendance recorded this year"
    band = attendance.band.label.lower()
    return f"{attendance.percent}% this year, {band}; {attendance.late} late marks"


def _looked_after(census: Characteristics | None) -> str:
    if census and census.looked_after:
        return "Looked after"
    if census and census.previously_looked_after:
        return "Previously looked after"
    return ""

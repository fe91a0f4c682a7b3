"""A subject-access export: everything Progress holds about one pupil, for a parent's request.

It lives here, in the app at the top, because it gathers from every app: the pupil's record
and school data (`pupils`), the actions and reviews about them (`actions`), and the meetings
that discussed them with their one-page summaries (`meetings`). Each section lists its rows
with every stored field, named as the screens name it; internal keys and version counters are
left out. It comes as one zip: `data.json` for a machine and `data.pdf` for a person.
"""

import io
import json
import zipfile

from django.db import models
from django.db.models import Q
from django.utils import timezone

from actions.models import Action, Deferral, FollowUp, Review
from meetings.models import Item, Summary
from progress import pdf
from pupils.models import Pupil

# Keys, counters and links that say nothing about the pupil, and the other pupils of a group,
# whose names are not theirs to receive.
LEFT_OUT = {"id", "school", "pupil", "version", "submit_key", "snapshot", "group_pupils"}


def sections(pupil: Pupil) -> list[tuple[str, list[dict[str, str]]]]:
    """(title, rows) for each kind of record held about `pupil`, each row its fields by name."""
    actions = Action.objects.filter(Q(pupil=pupil) | Q(group_pupils=pupil)).distinct()
    held = [
        ("Pupil", [pupil]),
        ("Census characteristics", pupil.characteristics.select_related("academic_year")),
        ("Assessment results", pupil.results.select_related("point", "scale", "step")),
        ("Register marks", pupil.attendance_marks.order_by("date", "session")),
        ("Attendance summaries", pupil.attendance_summaries.order_by("starts_on")),
        ("Behaviour incidents", pupil.behaviour_incidents.order_by("date")),
        ("Intervention places", pupil.intervention_places.select_related("intervention")),
        (
            "Meetings that discussed them",
            Item.objects.filter(Q(pupil=pupil) | Q(group_pupils=pupil))
            .distinct()
            .select_related("meeting"),
        ),
        ("One-page summaries", Summary.objects.filter(item__pupil=pupil).select_related("item")),
        ("Actions", actions.select_related("pupil", "owner", "meeting", "created_by")),
        (
            "Reviews of those actions",
            Review.objects.filter(action__in=actions).select_related(
                "action__pupil", "reviewed_by", "meeting"
            ),
        ),
        (
            "Deferrals of those actions",
            Deferral.objects.filter(action__in=actions).select_related(
                "action__pupil", "deferred_by", "meeting"
            ),
        ),
        (
            "Follow-ups of those actions",
            FollowUp.objects.filter(action__in=actions).select_related(
                "action__pupil", "owner", "recorded_by"
            ),
        ),
    ]
    return [(title, [_row(record) for record in records]) for title, records in held]


def export(pupil: Pupil, *, request) -> bytes:
    """The zip: `data.json` and `data.pdf`, the same sections in each."""
    held = sections(pupil)
    made = timezone.localtime()
    data = {
        "pupil": pupil.name,
        "school": str(pupil.school),
        "exported_at": made.isoformat(timespec="seconds"),
        "sections": dict(held),
    }
    context = {"pupil": pupil, "made": made, "sections": held}
    drawn = pdf.render("meetings/subject_access.html", context, request=request)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("data.json", json.dumps(data, indent=2, ensure_ascii=False, default=str))
        archive.writestr("data.pdf", drawn)
    return buffer.getvalue()


def _row(instance: models.Model) -> dict[str, str]:
    """Every stored field of `instance` but the internal ones, as the screens show it."""
    row = {}
    for field in instance._meta.concrete_fields:
        if field.name in LEFT_OUT:
            continue
        if field.choices:
            value = getattr(instance, f"get_{field.name}_display")()
        elif field.is_relation:
            value = getattr(instance, field.name)
        else:
            value = field.value_from_object(instance)
        row[str(field.verbose_name).capitalize()] = "" if value is None else str(value)
    for field in instance._meta.many_to_many:
        if field.name not in LEFT_OUT:
            names = ", ".join(str(related) for related in getattr(instance, field.name).all())
            row[str(field.verbose_name).capitalize()] = names
    return row

"""The school's audit log, for leaders: who created, changed or deleted meetings, summaries,
actions, reviews, follow-ups and pupils' records, and who viewed SEND detail or downloaded
pupil data. Nobody edits it. It reads every app's history, so it lives at the top, here.

Changes come from django-simple-history, which keeps a copy of each row as it was saved;
imports are recorded in the school's import log instead (they write in bulk).
"""

from itertools import islice
from operator import attrgetter

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from actions.models import Action, FollowUp, Review
from meetings.models import Meeting, Summary
from progress.forms import RetentionForm
from progress.models import AccessEvent
from pupils.models import Characteristics, Pupil

SHOWN = 200
CHANGES = {"+": "created", "~": "changed", "-": "deleted"}
# Each kind of record, named from the copy's own fields (no query for what it points to).
TRACKED = {
    Meeting: lambda copy: f"{copy.date:%-d %b %Y}: {copy.purpose}",
    Summary: lambda copy: f"summary {copy.id} ({copy.get_status_display().lower()})",
    Action: lambda copy: copy.text,
    Review: lambda copy: f"review of action {copy.action_id}: {copy.get_decision_display()}",
    FollowUp: lambda copy: f"{copy.get_kind_display()} for action {copy.action_id}",
    Pupil: lambda copy: f"{copy.legal_forename} {copy.legal_surname}",
    Characteristics: lambda copy: f"census record of pupil {copy.pupil_id}",
}


def changes(school_id: int, *, limit: int = SHOWN) -> list:
    """The latest changes to the school's tracked records, newest first: one query a kind."""
    latest = [
        model.history.filter(school_id=school_id)
        .select_related("history_user")
        .order_by("-history_date")[:limit]
        for model in TRACKED
    ]
    merged = sorted(
        (record for records in latest for record in records),
        key=attrgetter("history_date"),
        reverse=True,
    )
    return list(islice(merged, limit))


@require_safe
def audit_log(request: HttpRequest) -> HttpResponse:
    """Renders the latest changes and the latest views of SEND detail and downloads."""
    if not request.user.is_leader:
        raise PermissionDenied
    school_id = request.user.school_id
    context = {
        "changes": [
            (
                record,
                record.instance_type._meta.verbose_name,
                TRACKED[record.instance_type](record),
                CHANGES[record.history_type],
            )
            for record in changes(school_id)
        ],
        "access": AccessEvent.objects.filter(school_id=school_id).select_related("user")[:SHOWN],
        "shown": SHOWN,
        "kept_for": request.user.school.leavers_kept_for,
    }
    if request.user.manages_school_data:
        context["retention_form"] = RetentionForm(instance=request.user.school)
    return render(request, "meetings/audit_log.html", context)

"""The action log as files: CSV for a spreadsheet and PDF for a governors' pack."""

import csv
import datetime as dt

from django.db.models import Exists, OuterRef, Subquery
from django.http import HttpRequest, HttpResponse

from actions.models import Review
from progress import pdf
from pupils.reports import safe_cell

# A PDF lists at most this many actions (about 30 pages, drawn in 2 s); the CSV has them all,
# read this many at a time, so that a worker holds a few hundred actions, not a school's years.
IN_A_PDF = 300
CSV_CHUNK = 500
# What the CSV reads of each action, its pupil (for the name the school knows them by) and owner.
CSV_FIELDS = [
    "group_name", "barrier", "text", "impact_check", "kind", "review_on", "status", "pupil_id",
    "pupil__legal_forename", "pupil__preferred_forename", "pupil__legal_surname",
    "pupil__preferred_surname", "owner__display_name",
]  # fmt: skip

CSV_COLUMNS = [
    "Pupil or group", "Barrier", "Action", "How we will know it worked", "Kind", "Owner",
    "Review date", "Status", "Latest impact",
]  # fmt: skip


def csv_response(actions) -> HttpResponse:
    """Every action of `actions` as CSV. Read a chunk at a time, with only the columns written
    and each action's latest review beside it in the same query: a secondary school's 2,400
    actions as whole models, their pupils, owners, meetings and reviews, left a worker 50 MB
    larger."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="action-log.csv"'
    response.write("\ufeff")  # so spreadsheets read UTF-8: names keep their accents
    writer = csv.writer(response)
    writer.writerow(CSV_COLUMNS)
    latest = Review.objects.filter(action=OuterRef("pk")).order_by("-reviewed_at", "-pk")
    rows = (
        actions.select_related(None)
        .select_related("pupil", "owner")
        .only(*CSV_FIELDS)
        .annotate(
            reviewed=Exists(latest),
            impact=Subquery(latest.values("impact")[:1]),
            what_changed=Subquery(latest.values("what_changed")[:1]),
        )
    )
    impacts = dict(Review._meta.get_field("impact").flatchoices)
    for action in rows.iterator(chunk_size=CSV_CHUNK):
        writer.writerow(
            safe_cell(value)
            for value in (
                action.subject_name,
                action.barrier,
                action.text,
                action.impact_check,
                action.get_kind_display(),
                action.owner.display_name,
                action.review_on.strftime("%d/%m/%Y"),
                action.get_status_display(),
                f"{impacts[action.impact]}: {action.what_changed}" if action.reviewed else "",
            )
        )
    return response


def pdf_response(request: HttpRequest, actions, *, today: dt.date) -> HttpResponse:
    """The first IN_A_PDF actions by review date as a PDF, saying so when there are more."""
    everything = request.GET.copy()
    everything["format"] = "csv"
    context = {
        "actions": actions.prefetch_related("reviews")[:IN_A_PDF],
        "total": actions.count(),
        "in_a_pdf": IN_A_PDF,
        "csv_url": request.build_absolute_uri(f"{request.path}?{everything.urlencode()}"),
        "today": today,
        "school": request.user.school,
    }
    return pdf.response(
        "actions/action_log_print.html",
        context,
        request=request,
        filename=f"action-log-{today:%Y-%m-%d}.pdf",
    )

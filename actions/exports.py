"""The action log as files: CSV for a spreadsheet and PDF for a governors' pack."""

import csv
import datetime as dt

from django.http import HttpRequest, HttpResponse

from progress import pdf
from pupils.reports import safe_cell

# A PDF lists at most this many actions (about 30 pages, drawn in 6 s); the CSV has them all.
IN_A_PDF = 300

CSV_COLUMNS = [
    "Pupil or group", "Barrier", "Action", "How we will know it worked", "Kind", "Owner",
    "Review date", "Status", "Latest impact",
]  # fmt: skip


def csv_response(actions) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="action-log.csv"'
    response.write("\ufeff")  # so spreadsheets read UTF-8: names keep their accents
    writer = csv.writer(response)
    writer.writerow(CSV_COLUMNS)
    for action in actions.prefetch_related("reviews"):
        latest = next(iter(action.reviews.all()), None)
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
                f"{latest.get_impact_display()}: {latest.what_changed}" if latest else "",
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

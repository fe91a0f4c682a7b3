"""Are our meetings working? The figures and the repeated concerns (`meetings.effectiveness`),
on screen, as CSV and as a one-page PDF: for staff, or with `?for=governors` without pupils'
names, the chairs' words or any group of fewer than five pupils."""

import csv

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from meetings import effectiveness
from meetings.effectiveness import Grouping, PeriodChoice, Report, Row, shown
from progress import pdf
from progress.models import AccessEvent, HalfTerm
from pupils.reports import FEWEST, WITHHELD, safe_cell

# What a one-page PDF has room for; the CSV has everything.
GROUPS_ON_A_PAGE = 5
ANSWERS_ON_A_PAGE = 3
CONCERNS_ON_A_PAGE = 20


def _may_see(user) -> None:
    """Leaders see the whole school's meetings; a line manager the meetings they see, and their
    pupils' actions in them. Nobody else."""
    if not (user.is_leader or user.is_line_manager):
        raise PermissionDenied


def _query(params: QueryDict, **changes) -> str:
    """The page's query string with `changes` made (None removes a parameter)."""
    query = params.copy()
    query.pop("format", None)
    for name, value in changes.items():
        if value is None:
            query.pop(name, None)
        else:
            query[name] = value
    return f"?{query.urlencode()}" if query else "?"


def _for_governors(request: HttpRequest) -> bool:
    return request.GET.get("for") == "governors"


@require_safe
def meetings_working(request: HttpRequest) -> HttpResponse:
    """Renders the figures that answer "are our meetings working?" for a period, by focus or by
    series, each linking to the actions behind it; `?format=csv` or `pdf` downloads them."""
    user, today = request.user, timezone.localdate()
    _may_see(user)
    half_terms = HalfTerm.objects.for_user(user).select_related("academic_year")
    choices = effectiveness.periods(list(half_terms.order_by("starts_on")), on=today)
    period = choices.get(request.GET.get("period", "")) or choices.get(PeriodChoice.HALF_TERM)
    by = request.GET.get("by", "")
    grouping = Grouping(by) if by in Grouping.values else Grouping.FOCUS
    governors = _for_governors(request)
    context = {
        "governors": governors,
        "period": period,
        "grouping": grouping,
        "periods": [
            (choice, _query(request.GET, period=choice.value))
            for choice in PeriodChoice
            if choice in choices
        ],
        "groupings": [(choice, _query(request.GET, by=choice.value)) for choice in Grouping],
        "staff_url": _query(request.GET, **{"for": None}),
        "governors_url": _query(request.GET, **{"for": "governors"}),
        "download": _query(request.GET),
        "small": FEWEST,
    }
    if period is None:
        return render(request, "meetings/effectiveness.html", context)
    report = effectiveness.report(user, period=period, grouping=grouping, on=today)
    context |= {
        "report": report,
        "columns": [report.total, *report.groups],
        "questions": effectiveness.lines(report, governors=governors),
        "repeated_now": _pupils(report.repeated_now, governors=governors),
        "repeated_before": _pupils(report.repeated_before, governors=governors),
    }
    wanted = request.GET.get("format")
    if wanted in ("csv", "pdf"):
        who = ", for governors" if governors else ""
        AccessEvent.record(
            request,
            AccessEvent.Kind.EXPORT,
            f"\u201cAre our meetings working?\u201d ({period.name}{who}) as {wanted.upper()}",
        )
        name = f"meetings-working-{period.starts_on:%Y-%m-%d}{'-governors' if governors else ''}"
        if wanted == "csv":
            return _figures_csv(report, governors=governors, name=name)
        return _figures_pdf(request, context, name=name)
    return render(request, "meetings/effectiveness.html", context)


def _figures_pdf(request: HttpRequest, context: dict, *, name: str) -> HttpResponse:
    """The figures on one page: the whole period and its first groups, the latest answers."""
    report = context["report"]
    page = context | {
        "columns": context["columns"][: GROUPS_ON_A_PAGE + 1],
        "questions": [
            (question, [_first(line) for line in question_lines])
            for question, question_lines in context["questions"]
        ],
        "more_groups": max(len(report.groups) - GROUPS_ON_A_PAGE, 0),
        "answers": report.total.answers[-ANSWERS_ON_A_PAGE:],
        "today": timezone.localdate(),
        "school": request.user.school,
    }
    return _pdf(request, "meetings/effectiveness_print.html", page, name=name)


def _pupils(count: int, *, governors: bool) -> str:
    """ "1 pupil", "3 pupils"; for governors, "fewer than 5 pupils" from 1 to 4."""
    return (
        f"{shown(count) if governors else count} pupil{'' if count == 1 and not governors else 's'}"
    )


def _first(line: effectiveness.Line) -> effectiveness.Line:
    return effectiveness.Line(line.label, line.cells[: GROUPS_ON_A_PAGE + 1])


@require_safe
def repeated_concerns(request: HttpRequest) -> HttpResponse:
    """Renders the pupils whose concern was raised at three or more meetings without positive
    impact, each with its history and the meeting whose shortlist proposes them next;
    `?format=csv` or `pdf` downloads them, `?for=governors` as counts by barrier and year
    group."""
    user, today = request.user, timezone.localdate()
    _may_see(user)
    concerns = effectiveness.repeated_concerns(user, on=today)
    governors = _for_governors(request)
    context = {
        "concerns": concerns,
        "governors": governors,
        "repeats": effectiveness.REPEATS,
        "small": FEWEST,
        "total": _pupils(len(concerns), governors=governors),
        "counts": _shown_counts(concerns) if governors else {},
        "staff_url": _query(request.GET, **{"for": None}),
        "governors_url": _query(request.GET, **{"for": "governors"}),
        "download": _query(request.GET),
        "today": today,
    }
    wanted = request.GET.get("format")
    if wanted in ("csv", "pdf"):
        who = ", for governors" if governors else ""
        AccessEvent.record(
            request, AccessEvent.Kind.EXPORT, f"repeated concerns{who} as {wanted.upper()}"
        )
        name = f"repeated-concerns-{today:%Y-%m-%d}{'-governors' if governors else ''}"
        if wanted == "csv":
            return _concerns_csv(context, governors=governors, name=name)
        page = context | {
            "concerns": concerns[:CONCERNS_ON_A_PAGE],
            "more": max(len(concerns) - CONCERNS_ON_A_PAGE, 0),
            "school": user.school,
        }
        return _pdf(request, "meetings/effectiveness_repeated_print.html", page, name=name)
    return render(request, "meetings/effectiveness_repeated.html", context)


def _shown_counts(concerns) -> dict[str, list[tuple[str, str]]]:
    return {
        by: [(label, shown(count)) for label, count in counts]
        for by, counts in effectiveness.governors_counts(concerns).items()
    }


# Downloads.


def _pdf(request: HttpRequest, template: str, context: dict, *, name: str) -> HttpResponse:
    return pdf.response(template, context, request=request, filename=f"{name}.pdf")


def _csv_response(name: str) -> tuple[HttpResponse, "csv.writer"]:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
    response.write("\ufeff")  # so spreadsheets read UTF-8
    return response, csv.writer(response)


FIGURE_COLUMNS = [
    ("Actions agreed", "agreed"),
    ("With an owner still at the school", "owned"),
    ("Logged by the recorder, first attempt known", "logged_live"),
    ("Met the action rules at the first attempt", "first_time"),
    ("Saying how we will know it worked", "checkable"),
    ("Start check come", "start_due"),
    ("Started within a week of the start check", "started"),
    ("Review date passed or reviewed", "review_due"),
    ("Reviewed by the review date", "reviewed_on_time"),
    ("Reviewed after it", "reviewed_late"),
    ("Not reviewed, the date passed", "not_reviewed"),
    ("Reviewed", "reviewed"),
    ("Happened", "happened_yes"),
    ("Partly happened", "happened_partly"),
    ("Did not happen", "happened_no"),
    *[
        (f"Impact {effectiveness.IMPACT_WORDS[value]}", key)
        for value, key in effectiveness.IMPACT_KEYS.items()
    ],
    ("Impact not yet known", "impact_unknown"),
    ("Actions that change teaching", "teaching"),
    ("Individual interventions", "interventions"),
]
OTHER_COLUMNS = [
    "Minutes a meeting, used", "Minutes a meeting, planned", "Minutes an item, used",
    "Minutes an item, planned", "Summaries asked for", "Summaries ready on time",
    "Findings about teaching or curriculum",
]  # fmt: skip


def _figures_csv(report: Report, *, governors: bool, name: str) -> HttpResponse:
    """A row for each group and for all the period's meetings; for staff, one for each meeting
    too, with the chair's answer."""
    response, writer = _csv_response(name)
    head = ["Rows", "Name", "Date", "Meetings", "Pupils discussed", "Items discussed"]
    tail = [] if governors else ["What will be different for pupils"]
    writer.writerow([*head, *[label for label, _ in FIGURE_COLUMNS], *OTHER_COLUMNS, *tail])
    kind = report.grouping.label.removeprefix("By ").capitalize()
    rows = [(kind, row) for row in report.groups] + [("Period", report.total)]
    if not governors:
        rows += [("Meeting", row) for row in report.meetings]
    for level, row in rows:
        meeting = row.meetings[0].meeting if level == "Meeting" else None
        date = meeting.date.strftime("%d/%m/%Y") if meeting else report.period.name
        first = [level, meeting.title if meeting else row.name, date, len(row.meetings)]
        if governors and row.suppressed:
            writer.writerow([*first, WITHHELD])
            continue
        writer.writerow(
            safe_cell(value)
            for value in [
                *first,
                len(row.pupils),
                row.items,
                *[row.figures[key].count for _, key in FIGURE_COLUMNS],
                *_other_cells(row),
                *([] if governors else [" | ".join(m.difference for m in row.answers)]),
            ]
        )
    return response


def _other_cells(row: Row) -> list:
    meeting, item = row.meeting_minutes, row.item_minutes
    ready, asked = row.summaries
    return [
        _minutes(meeting and meeting.used),
        _minutes(meeting and meeting.planned),
        _minutes(item and item.used),
        _minutes(item and item.planned),
        asked,
        ready,
        len(row.findings),
    ]


def _minutes(value: float | None) -> str:
    return "" if value is None else f"{value:.1f}"


def _concerns_csv(context: dict, *, governors: bool, name: str) -> HttpResponse:
    response, writer = _csv_response(name)
    if governors:
        writer.writerow(["By", "Group", "Pupils"])
        for by, label in (("barrier", "Barrier"), ("year", "Year group")):
            for group, count in context["counts"][by]:
                writer.writerow([label, group, count])
        writer.writerow(["All", "All pupils", shown(len(context["concerns"]))])
        return response
    writer.writerow(
        ["Pupil", "Year group", "Barrier", "Meetings", "Meeting dates", "Actions",
         "Latest review", "Next meeting"]
    )  # fmt: skip
    for concern in context["concerns"]:
        writer.writerow(
            safe_cell(value)
            for value in [
                concern.pupil.name,
                concern.pupil.get_year_group_display(),
                concern.barrier,
                len(concern.meetings),
                concern.dates,
                " | ".join(
                    f"{action.meeting.date:%d/%m/%Y}: {action.text}" for action in concern.actions
                ),
                concern.latest_review or "none",
                _next(concern.next_meeting),
            ]
        )
    return response


def _next(meeting) -> str:
    return f"{meeting.title}, {meeting.date:%d/%m/%Y}" if meeting else ""

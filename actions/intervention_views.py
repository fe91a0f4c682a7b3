"""Interventions: whether each works and which have drifted, for leaders, line managers and
intervention leads, over the pupils each sees; as CSV and a one-page PDF, the staff's or the
governors'."""

from collections import Counter

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.formats import date_format
from django.views.decorators.http import require_safe

from actions.interventions import Figures, intervention_figures
from progress.models import AccessEvent, Role
from pupils import reports
from pupils.models import Pupil

HEADER = [
    "Intervention", "Subject", "Lead", "Places", "Sessions attended of planned",
    "Entry against exit", "Impact of the actions that used it", "Cost", "Drift",
]  # fmt: skip
PLACES_HEADER = [
    "Intervention", "Pupil", "Year", "Started", "Ended", "Sessions attended", "Sessions planned",
    "Entry measure", "Exit measure", "Change", "Outcome",
]  # fmt: skip


def may_see_interventions(user) -> bool:
    """Leaders and line managers, and intervention leads, each for the pupils they see."""
    return user.is_leader or user.is_line_manager or Role.INTERVENTION_LEAD in user.roles


@require_safe
def intervention_impact(request: HttpRequest) -> HttpResponse:
    """Renders each intervention's figures and drift over the pupils the user sees;
    `?format=csv` or `pdf` downloads them, with `&for=governors` without names or small groups."""
    if not may_see_interventions(request.user):
        raise PermissionDenied
    today = timezone.localdate()
    figures = intervention_figures(
        pupils=Pupil.objects.for_user(request.user), school=request.user.school, on=today
    )
    governors = request.GET.get("for") == "governors"
    if (wanted := request.GET.get("format")) in ("csv", "pdf"):
        return _download(request, figures, wanted=wanted, governors=governors, today=today)
    context = {
        "today": today,
        "figures": [(found, row(found, governors=False)) for found in figures],
        "drifting": [found for found in figures if found.drift],
        "header": HEADER,
        "places": sum(len(found.places) for found in figures),
    }
    return render(request, "actions/interventions.html", context)


def _download(request, figures: list[Figures], *, wanted: str, governors: bool, today):
    audience = "governors' " if governors else ""
    AccessEvent.record(
        request, AccessEvent.Kind.EXPORT, f"the {audience}interventions as {wanted.upper()}"
    )
    name = f"interventions{'-governors' if governors else ''}-{today:%Y-%m-%d}"
    rows = [row(found, governors=governors) for found in figures]
    if wanted == "csv":
        sections = [("Interventions", HEADER, rows)]
        if not governors:
            sections.append(("Places", PLACES_HEADER, place_rows(figures)))
        return reports.csv_response(f"{name}.csv", sections)
    context = {
        "school": request.user.school,
        "today": today,
        "governors": governors,
        "header": HEADER,
        "rows": rows,
    }
    return reports.pdf_response(
        request, "actions/interventions_print.html", context, filename=f"{name}.pdf"
    )


def _count(count: int, noun: str) -> str:
    return f"{count} {noun}{'s' if count != 1 else ''}"


def row(found: Figures, *, governors: bool) -> list[str]:
    """One intervention's figures in words; the governors' withhold what rests on fewer than 5
    pupils."""
    intervention = found.intervention
    places = len(found.places)
    small = governors and reports.withheld(places)
    lead = intervention.lead.display_name if intervention.lead else ""
    cost = f"£{intervention.cost:,.0f}" if intervention.cost is not None else "not recorded"
    if small:
        figures = [f"{reports.WITHHELD} pupils"] + [reports.WITHHELD] * 3
        return [intervention.name, intervention.subject, lead, *figures, cost, _drift(found, True)]
    if found.cost_per_place is not None:
        cost += f" (£{found.cost_per_place:,} a place)"
    running = len(found.running)
    place_words = f"{places} ({running} running, {places - running} ended)"
    return [
        intervention.name,
        intervention.subject,
        lead,
        place_words,
        _sessions(found, governors),
        _entry_exit(found, governors),
        _impact(found, governors),
        cost,
        _drift(found, governors),
    ]


def _sessions(found: Figures, governors: bool) -> str:
    attended, planned = found.sessions
    if not planned:
        return "not recorded"
    if governors and reports.withheld(found.sessions_pupils):
        return reports.WITHHELD + " pupils"
    share = reports.whole_percent(reports.percent(attended, planned))
    return f"{attended} of {planned} ({share})"


def _entry_exit(found: Figures, governors: bool) -> str:
    measured = len(found.measured)
    if not measured:
        return "no place measured at entry and exit yet"
    words = reports.share_text(found.improved, measured, governors=governors)
    if words.startswith("withheld"):
        return words
    words = f"{words.split(' (')[0]} improved"
    if (average := found.average_change) is not None:
        change, unit = average
        words += f"; on average {'+' if change > 0 else ''}{change} {unit}"
    return words


def _impact(found: Figures, governors: bool) -> str:
    """The impact each action's latest review recorded: the distribution, never an average (as
    "Are meetings working?" shows it); for governors, the share positive (+1 or +2)."""
    if not found.actions:
        return "no action used it"
    impacts = found.impacts
    unknown = len(found.actions) - len(impacts)
    later = f"; {unknown} not yet known" if unknown and impacts else ""
    if not impacts:
        return f"{_count(len(found.actions), 'action')}, impact not yet known"
    if governors:
        positive = sum(1 for impact in impacts if impact > 0)
        share = reports.share_text(positive, len(impacts), governors=True)
        return share if share.startswith("withheld") else f"{share} positive{later}"
    counts = Counter(impacts)
    spread = ", ".join(
        f"{_signed(impact)} for {counts[impact]}" for impact in sorted(counts, reverse=True)
    )
    return f"{_count(len(found.actions), 'action')}: impact {spread}{later}"


def _signed(impact: int) -> str:
    return f"+{impact}" if impact > 0 else str(impact).replace("-", "\u2212")


def _drift(found: Figures, governors: bool) -> str:
    drift = found.drift
    if not drift or not governors:
        return drift
    missing = len(found.without_evidence)
    if not reports.withheld(missing) and not reports.withheld(len(found.places)):
        return drift
    if found.review_passed:
        when = date_format(found.intervention.review_on, "j M")
        return f"review date passed {when}, places with no exit measure ({reports.WITHHELD})"
    return f"ended with no exit measure ({reports.WITHHELD} places)"


def place_rows(figures: list[Figures]) -> list[list[str]]:
    """Every place, with the pupil's name: the staff's version only."""
    rows = []
    for found in figures:
        for p in found.places:
            place = p.place
            rows.append(
                [
                    found.intervention.name,
                    place.pupil.name,
                    place.pupil.get_year_group_display(),
                    place.starts_on.strftime("%d/%m/%Y"),
                    place.ends_on.strftime("%d/%m/%Y") if place.ends_on else "",
                    "" if place.sessions_attended is None else str(place.sessions_attended),
                    "" if place.sessions_planned is None else str(place.sessions_planned),
                    place.entry_measure,
                    place.exit_measure,
                    "" if p.change is None else f"{p.change:+}",
                    place.outcome,
                ]
            )
    return rows

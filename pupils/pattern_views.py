"""The school's patterns as pictures, for leaders and line managers: the page, the pupils behind
each cell, and the files to take away (CSV and a one-page PDF, the staff's or the governors')."""

from collections import Counter
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_safe

from progress.models import AccessEvent, HalfTerm
from pupils import criteria, facts, pattern_charts, reports
from pupils.domain import YearGroup
from pupils.facts import WEEKDAYS
from pupils.models import Group, Pupil
from pupils.school_patterns import (
    GROUPS,
    STANDINGS,
    Patterns,
    absences_on,
    absent_on,
    attainment_picture,
    behaviour_incidents,
    behaviour_picture,
    behaviour_row,
    census_groups,
    groups_picture,
    patterns_of,
)

PAGE_SIZE = 50
FILES = {"csv", "pdf"}


def _require_patterns(user) -> None:
    """Leaders see the school's patterns, line managers their remit's: those who schedule."""
    if not user.may_schedule:
        raise PermissionDenied


@dataclass
class Scope:
    """Whose patterns: the pupils the user sees, or one year group of them, in words."""

    pupils: object  # a Pupil QuerySet
    year: int | None
    years: list[int]  # the year groups the user sees, for the filter
    words: str

    def query(self, **more) -> str:
        params = {"year": self.year} if self.year is not None else {}
        return urlencode({**params, **{k: v for k, v in more.items() if v not in ("", None)}})


def _scope(request: HttpRequest) -> Scope:
    visible = Pupil.objects.for_user(request.user).on_roll()
    years = sorted(set(visible.values_list("year_group", flat=True)))
    text = request.GET.get("year", "")
    year = int(text) if text.isdigit() and int(text) in years else None
    if year is not None:
        return Scope(visible.filter(year_group=year), year, years, YearGroup(year).label)
    user = request.user
    words = "Whole school" if user.is_leader else f"Your pupils ({user.remit or 'your classes'})"
    return Scope(visible, None, years, words)


def meeting_link(focus: str, scope: Scope) -> str:
    """The meeting form with the focus and the year group chosen: its shortlist proposes the
    pupils who meet the focus's criteria in that scope."""
    params = {"focus": focus}
    if scope.year is not None:
        params["year_groups"] = scope.year
    return f"{reverse('meetings:meeting_create')}?{urlencode(params)}"


def behind_link(scope: Scope, **params) -> str:
    return f"{reverse('pupils:pattern_pupils')}?{scope.query(**params)}"


# The tables beside the pictures, and in the files -----------------------------------------


@dataclass
class Entry:
    text: str
    url: str = ""
    context: str = ""  # said after the link to a screen reader: what the pupils are


@dataclass
class Table:
    key: str
    title: str
    header: list[str]
    rows: list[tuple[str, list[Entry]]] = field(default_factory=list)

    def csv(self) -> tuple[str, list[str], list[list[str]]]:
        return (
            self.title,
            self.header,
            [[label] + [e.text for e in row] for label, row in self.rows],
        )


def _pupils(count: int) -> str:
    return f"{count} pupil{'s' if count != 1 else ''}"


def attainment_table(patterns: Patterns, scope: Scope, *, governors: bool) -> Table:
    picture = patterns.attainment
    labels = picture.progress_labels
    table = Table(
        "attainment",
        f"{scope.words}, {picture.subject or 'no subject'}: attainment now against progress "
        "since the last point (pupils)",
        ["Attainment now", *labels.values(), "Of them coasting", "Of them catching up"],
    )
    counts = {(s, p): picture.cell(s, p).count for s in STANDINGS for p in labels}
    hidden = reports.suppressed(counts) if governors else set()
    columns = {}
    for name, part in (("coasting", picture.coasting), ("catching_up", picture.catching_up)):
        column = {s: len(part.pupils & _row_pupils(picture, s)) for s in STANDINGS}
        columns[name] = (column, reports.suppressed(column) if governors else set())
    for standing, standing_label in STANDINGS.items():
        entries = []
        for progress, progress_label in labels.items():
            count = counts[(standing, progress)]
            if (standing, progress) in hidden:
                entries.append(Entry(reports.WITHHELD))
                continue
            url = "" if governors or not count else behind_link(
                scope, picture="attainment", subject=picture.subject, standing=standing,
                progress=progress,
            )  # fmt: skip
            context = f" {standing_label.lower()}, {progress_label.lower()}"
            entries.append(Entry(str(count), url, f"pupils{context}" if url else ""))
        for column, withheld in columns.values():
            text = reports.WITHHELD if standing in withheld else str(column[standing])
            entries.append(Entry(text))
        table.rows.append((standing_label, entries))
    return table


def _row_pupils(picture, standing: str) -> set[int]:
    return set().union(*(picture.cell(standing, p).pupils for p in picture.progress_labels))


def attendance_table(patterns: Patterns, scope: Scope, *, governors: bool) -> Table:
    picture = patterns.attendance
    table = Table(
        "attendance",
        f"{scope.words}: the share of sessions missed, by weekday and half-term "
        "(and the pupils absent at least once)",
        ["Half-term", *WEEKDAYS.values()],
    )
    for half_term in picture.half_terms:
        entries = []
        for day, name in WEEKDAYS.items():
            cell = picture.cell(half_term, day)
            text = pattern_charts.attendance_cell_text(cell, governors=governors)
            if cell.rate is None or (governors and reports.withheld(cell.pupils)):
                entries.append(Entry(text))
                continue
            absent = reports.count_text(cell.absent_pupils, governors=governors)
            text = f"{text} ({absent} absent)"
            url = "" if governors or not cell.absent_pupils else behind_link(
                scope, picture="attendance", half_term=half_term.pk, weekday=day
            )  # fmt: skip
            context = f"pupils absent on a {name} in {pattern_charts.half_term_label(half_term)}"
            entries.append(Entry(text, url, context if url else ""))
        table.rows.append((pattern_charts.half_term_label(half_term), entries))
    return table


def behaviour_table(patterns: Patterns, scope: Scope, *, governors: bool) -> Table:
    picture = patterns.behaviour
    table = Table(
        "behaviour",
        f"{scope.words}: behaviour incidents by lesson and time of day, and weekday, since "
        f"{picture.since:%-d %B %Y} (and the pupils involved)",
        ["Lesson or time", *WEEKDAYS.values(), *([] if governors else ["All week"])],
    )
    for key, label in picture.rows.items():
        entries = []
        for day, name in WEEKDAYS.items():
            cell = picture.cell(key, day)
            text = pattern_charts.behaviour_cell_text(cell, governors=governors)
            url = "" if governors or not cell.incidents else behind_link(
                scope, picture="behaviour", row=key, weekday=day
            )  # fmt: skip
            context = f"incidents, {label}, on {name}s" if url else ""
            entries.append(Entry(text, url, context))
        if not governors:
            entries.append(Entry(str(picture.row_total(key))))
        table.rows.append((label, entries))
    return table


def groups_table(patterns: Patterns, scope: Scope, *, governors: bool) -> Table:
    picture = patterns.groups
    sizes = {g: reports.count_text(n, governors=governors) for g, n in picture.sizes.items()}
    table = Table(
        "groups",
        f"{scope.words}: disadvantaged and SEND pupils against other pupils, of those with a "
        "figure for each measure",
        ["Measure", *[f"{label} ({sizes[g]} pupils)" for g, label in GROUPS.items()]],
    )
    for measure in picture.measures:
        entries = []
        for group, label in GROUPS.items():
            share = picture.share(measure.key, group)
            text = reports.share_text(share.count, share.total, governors=governors)
            url = "" if governors or not share.count else behind_link(
                scope, picture="groups", group=group, measure=measure.key
            )  # fmt: skip
            context = f"{label.lower()}: {measure.label.lower()}" if url else ""
            entries.append(Entry(text, url, context))
        table.rows.append((measure.label, entries))
    return table


def tables(patterns: Patterns, scope: Scope, *, governors: bool) -> list[Table]:
    return [
        attainment_table(patterns, scope, governors=governors),
        attendance_table(patterns, scope, governors=governors),
        behaviour_table(patterns, scope, governors=governors),
        groups_table(patterns, scope, governors=governors),
    ]


def charts(patterns: Patterns, scope: Scope, *, governors: bool) -> dict:
    words, hide = scope.words, {"governors": governors}
    return {
        "attainment": pattern_charts.attainment_chart(patterns.attainment, scope=words, **hide),
        "attendance": pattern_charts.attendance_chart(patterns.attendance, scope=words, **hide),
        "behaviour": pattern_charts.behaviour_chart(patterns.behaviour, scope=words, **hide),
        "groups": pattern_charts.groups_chart(patterns.groups, scope=words, **hide),
    }


# The pages -------------------------------------------------------------------------------


@require_safe
def school_patterns(request: HttpRequest) -> HttpResponse:
    """Renders the four pictures of the pupils the user sees, for a year group or all of them;
    `?format=csv` or `pdf` downloads them, with `&for=governors` without names or small groups."""
    _require_patterns(request.user)
    today = timezone.localdate()
    scope = _scope(request)
    thresholds = criteria.Thresholds.for_school(request.user.school)
    patterns = patterns_of(
        scope.pupils,
        on=today,
        school_id=request.user.school_id,
        subject=request.GET.get("subject", ""),
        thresholds=thresholds,
    )
    governors = request.GET.get("for") == "governors"
    if (wanted := request.GET.get("format")) in FILES:
        return _download(request, patterns, scope, wanted=wanted, governors=governors)
    subject = patterns.attainment.subject
    context = {
        "scope": scope,
        "patterns": patterns,
        "charts": charts(patterns, scope, governors=False),
        "tables": {t.key: t for t in tables(patterns, scope, governors=False)},
        "years": [(year, YearGroup(year).label) for year in scope.years],
        "bins": {
            "attendance": [b for _, b in pattern_charts.ABSENCE_BINS],
            "behaviour": [b for _, b in pattern_charts.BEHAVIOUR_BINS],
        },
        "colours": {
            "coasting": pattern_charts.COASTING,
            "catching_up": pattern_charts.CATCHING_UP,
            **pattern_charts.GROUP_COLOURS,
        },
        "links": {
            "coasting": behind_link(scope, picture="attainment", subject=subject, only="coasting"),
            "catching_up": behind_link(
                scope, picture="attainment", subject=subject, only="catching_up"
            ),
        },
        "meetings": {
            focus: meeting_link(focus, scope)
            for focus in ("coasting", "attendance", "behaviour", "disadvantaged", "send")
        },
        "downloads": {
            name: f"?{scope.query(subject=subject, format=wanted, **{'for': audience})}"
            for name, wanted, audience in (
                ("csv", "csv", ""),
                ("pdf", "pdf", ""),
                ("governors_csv", "csv", "governors"),
                ("governors_pdf", "pdf", "governors"),
            )
        },
    }
    return render(request, "pupils/school_patterns.html", context)


def _download(
    request: HttpRequest, patterns: Patterns, scope: Scope, *, wanted: str, governors: bool
) -> HttpResponse:
    audience = "governors' " if governors else ""
    AccessEvent.record(
        request, AccessEvent.Kind.EXPORT, f"the {audience}school patterns ({scope.words}) as "
        f"{wanted.upper()}",
    )  # fmt: skip
    name = f"school-patterns{'-governors' if governors else ''}-{patterns.on:%Y-%m-%d}"
    found = tables(patterns, scope, governors=governors)
    if wanted == "csv":
        return reports.csv_response(f"{name}.csv", [table.csv() for table in found])
    context = {
        "school": request.user.school,
        "scope": scope,
        "patterns": patterns,
        "governors": governors,
        "charts": charts(patterns, scope, governors=governors),
        "tables": {t.key: t for t in found},
        "summary": {
            "coasting": reports.count_text(patterns.attainment.coasting.count, governors=governors),
            "catching_up": reports.count_text(
                patterns.attainment.catching_up.count, governors=governors
            ),
        },
    }
    return reports.pdf_response(
        request, "pupils/school_patterns_print.html", context, filename=f"{name}.pdf"
    )


@require_safe
def pattern_pupils(request: HttpRequest) -> HttpResponse:
    """Renders the pupils behind one cell of a school pattern, with a link to start a meeting's
    shortlist for them."""
    _require_patterns(request.user)
    today = timezone.localdate()
    scope = _scope(request)
    thresholds = criteria.Thresholds.for_school(request.user.school)
    picture = request.GET.get("picture", "")
    chosen = {
        "attainment": _attainment_pupils,
        "attendance": _attendance_pupils,
        "behaviour": _behaviour_pupils,
        "groups": _group_pupils,
    }.get(picture)
    if chosen is None:
        raise Http404("No such picture.")
    behind = chosen(request, scope, today, thresholds)
    pupils = behind.pupils.order_by("year_group", "legal_surname", "legal_forename", "pk")
    if behind.figures:  # the most affected first
        pupils = sorted(pupils, key=lambda p: -behind.figures.get(p.pk, (0, ""))[0])
    page = Paginator(pupils, PAGE_SIZE).get_page(request.GET.get("page"))
    on_page = list(page.object_list)
    classes = dict(
        Group.pupils.through.objects.filter(
            pupil__in=[p.pk for p in on_page], group__kind=Group.Kind.REGISTRATION
        ).values_list("pupil_id", "group__name")
    )
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "scope": scope,
        "words": behind.words,
        "column": behind.column,
        "page": page,
        "rows": [
            (pupil, classes.get(pupil.pk, ""), behind.figures.get(pupil.pk, (0, ""))[1])
            for pupil in on_page
        ],
        "query": query.urlencode(),
        "meeting_url": meeting_link(behind.focus, scope),
        "back": f"{reverse('pupils:school_patterns')}?{scope.query()}",
    }
    return render(request, "pupils/pattern_pupils.html", context)


@dataclass
class Behind:
    """The pupils behind a cell, in words, the meeting focus that takes them up, and each
    pupil's own figure in the cell (to sort by, and in words) under `column`."""

    pupils: object  # a Pupil QuerySet
    words: str
    focus: str
    column: str = ""
    figures: dict[int, tuple[int, str]] = field(default_factory=dict)


def _ids(scope: Scope, ids: set[int]):
    return scope.pupils.filter(pk__in=sorted(ids))


def _times(count: int, noun: str) -> str:
    return f"{count} {noun}{'s' if count != 1 else ''}"


def _attainment_pupils(request, scope, today, thresholds):
    subjects = facts.attainment(scope.pupils.order_by(), on=today)
    picture = attainment_picture(
        subjects, subject=request.GET.get("subject", ""), thresholds=thresholds
    )
    name = (
        picture.subject.lower() if picture.subject != picture.subject.upper() else picture.subject
    )
    results = {
        pupil_id: s
        for pupil_id, found in subjects.items()
        for s in found
        if s.name == picture.subject
    }
    only = request.GET.get("only", "")
    if only in ("coasting", "catching_up"):
        cell = picture.coasting if only == "coasting" else picture.catching_up
        words = (
            f"Coasting in {name}"
            if only == "coasting"
            else f"Catching up in {name}: below expected at the point before, and gaining"
        )
        focus = "coasting" if only == "coasting" else "below_expected"
    else:
        standing, progress = request.GET.get("standing", ""), request.GET.get("progress", "")
        labels = picture.progress_labels
        if standing not in STANDINGS or progress not in labels:
            raise Http404("No such cell.")
        cell = picture.cell(standing, progress)
        words = (
            f"{name.capitalize()}: {STANDINGS[standing].lower()}, {labels[progress].lower()} "
            "since the last point"
        )
        focus = "at_risk" if progress == "lost" else (
            "below_expected" if standing in {"close", "below"} else "coasting"
        )  # fmt: skip
    figures = {
        pupil_id: (results[pupil_id].gains[-1], _then_and_now(results[pupil_id]))
        for pupil_id in cell.pupils
    }
    return Behind(_ids(scope, cell.pupils), words, focus, "Last point, then now", figures)


def _then_and_now(subject) -> str:
    before, latest = subject.points[-2], subject.points[-1]
    return f"{before.code} ({before.name}), then {latest.code}"


def _attendance_pupils(request, scope, today, thresholds):
    weekday = _number(request.GET.get("weekday", ""))
    half_term = get_object_or_404(
        HalfTerm.objects.for_user(request.user).select_related("academic_year"),
        pk=_number(request.GET.get("half_term", "")),
    )
    if weekday not in WEEKDAYS:
        raise Http404("No such weekday.")
    words = (
        f"Absent at least one session on a {WEEKDAYS[weekday]} in "
        f"{pattern_charts.half_term_label(half_term)}"
    )
    pupils = absent_on(scope.pupils, half_term=half_term, weekday=weekday, on=today)
    missed = absences_on(scope.pupils, half_term=half_term, weekday=weekday, on=today)
    figures = {pupil_id: (count, _times(count, "session")) for pupil_id, count in missed.items()}
    return Behind(pupils, words, "attendance", f"Sessions missed on {WEEKDAYS[weekday]}s", figures)


def _behaviour_pupils(request, scope, today, thresholds):
    weekday, row = _number(request.GET.get("weekday", "")), request.GET.get("row", "")
    incidents = behaviour_incidents(scope.pupils.order_by(), on=today)
    picture = behaviour_picture(incidents, on=today)
    if weekday not in WEEKDAYS or row not in picture.rows:
        raise Http404("No such cell.")
    words = (
        f"Behaviour incidents, {picture.rows[row]}, on {WEEKDAYS[weekday]}s since "
        f"{picture.since:%-d %B %Y}"
    )
    counts = Counter(
        i.pupil_id
        for i in incidents
        if i.date.isoweekday() == weekday and behaviour_row(i.lesson, i.time)[0] == row
    )
    figures = {pupil_id: (count, _times(count, "incident")) for pupil_id, count in counts.items()}
    cell = picture.cell(row, weekday)
    return Behind(_ids(scope, cell.pupils), words, "behaviour", "Incidents", figures)


def _group_pupils(request, scope, today, thresholds):
    group, measure = request.GET.get("group", ""), request.GET.get("measure", "")
    pupils = scope.pupils.order_by()
    picture = groups_picture(
        census_groups(pupils, on=today),
        subjects_by_pupil=facts.attainment(pupils, on=today),
        judged_attendance=criteria.attendance(
            pupils=pupils, on=today, thresholds=thresholds, by_weekday=False
        ),
        incidents=behaviour_incidents(pupils, on=today),
        on=today,
    )
    found = next((m for m in picture.measures if m.key == measure), None)
    if group not in GROUPS or found is None:
        raise Http404("No such group or measure.")
    words = f"{GROUPS[group]}: {found.label.lower()}"
    focus = {"disadvantaged": "disadvantaged", "send": "send"}.get(group, found.focus)
    return Behind(_ids(scope, picture.share(measure, group).met), words, focus)


def _number(text: str) -> int | None:
    return int(text) if text.isdigit() else None

import datetime as dt

from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.views.decorators.http import require_safe

from progress.htmx import paged, render_page
from progress.models import AccessEvent, HalfTerm, Role
from pupils import charts, criteria, facts
from pupils.criteria import reasons
from pupils.domain import SenProvision, YearGroup
from pupils.forms import PupilFilterForm
from pupils.models import Characteristics, Group, Pupil

PAGE_SIZE = 50

# Once a pupil has left, their SEND detail is for those who may still need it: the SENCO
# answering a new school's questions and senior leaders answering a subject-access request.
LEAVERS_SEND = {Role.SENCO, Role.SENIOR_LEADER}


def send_hidden(pupil: Pupil, user) -> bool:
    """Whether `user` is kept from `pupil`'s SEND detail: a leaver's, to all but LEAVERS_SEND."""
    return pupil.date_left is not None and not user.roles & LEAVERS_SEND


def _shown(reasons: dict, *, send_hidden: bool) -> dict:
    """A pupil's shortlist reasons, without the SEND one when their SEND detail is hidden."""
    if not send_hidden:
        return reasons
    return {c: why for c, why in reasons.items() if c != criteria.Criterion.SEND_PLAN_REVIEW}


@require_safe
def pupil_list(request: HttpRequest) -> HttpResponse:
    """Renders the pupils the user may see, filtered by the form's choices kept in the URL."""
    today = timezone.localdate()
    visible = Pupil.objects.for_user(request.user).on_roll()
    thresholds = criteria.Thresholds.for_school(request.user.school)
    form = PupilFilterForm(request.GET or None, pupils=visible)
    pupils = form.filter(visible, on=today, thresholds=thresholds) if form.is_valid() else visible
    page, query = paged(
        request, pupils.order_by("legal_surname", "legal_forename", "pk"), PAGE_SIZE
    )
    rows = _rows(list(page.object_list), today, thresholds)
    context = {"form": form, "page": page, "rows": rows, "query": query}
    return render_page(request, "pupils/pupil_list.html", context, partial="pupil-results")


def _rows(pupils: list[Pupil], today: dt.date, thresholds: criteria.Thresholds) -> list[dict]:
    """Each pupil on the page with this year's census, attendance and shortlist reasons."""
    if not pupils:
        return []
    page = Pupil.objects.filter(pk__in=[pupil.pk for pupil in pupils])
    census = criteria.current_characteristics(page, today)
    classes = {}
    for membership in Group.pupils.through.objects.filter(
        pupil__in=page, group__kind=Group.Kind.REGISTRATION
    ).select_related("group"):
        classes[membership.pupil_id] = membership.group.name
    attendance = criteria.attendance(pupils=page, on=today, thresholds=thresholds, by_weekday=False)
    why = reasons(
        pupils=page,
        on=today,
        thresholds=thresholds,
        characteristics=census,
        attendance=attendance,
    )
    return [
        {
            "pupil": pupil,
            "year": YearGroup(pupil.year_group).label,  # get_year_group_display searches choices
            "class": classes.get(pupil.pk, ""),
            "census": census.get(pupil.pk),
            "attendance": attendance.get(pupil.pk),
            "reasons": why.get(pupil.pk, {}),
        }
        for pupil in pupils
    ]


@require_safe
def pupil_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """Renders one pupil on one screen: census, attainment, attendance, behaviour, support."""
    pupil = get_object_or_404(
        Pupil.objects.for_user(request.user).prefetch_related(
            Prefetch("groups", queryset=Group.objects.prefetch_related("teachers")),
            Prefetch(
                "characteristics",
                queryset=Characteristics.objects.select_related("academic_year").order_by(
                    "-academic_year__starts_on"
                ),
            ),
            "intervention_places__intervention",
            # The action log's, by their reverse names: pupils imports no actions.
            "actions__owner",
            "group_actions__owner",
        ),
        pk=pk,
    )
    today = timezone.localdate()
    thresholds = criteria.Thresholds.for_school(request.user.school)
    one = Pupil.objects.filter(pk=pupil.pk)
    subjects = facts.attainment(one, on=today).get(pupil.pk, [])
    half_terms = list(
        HalfTerm.objects.filter(school_id=pupil.school_id, starts_on__lte=today)
        .select_related("academic_year")
        .order_by("starts_on")
    )
    # Six half-terms, a school year of trend, read in one pass.
    recent = half_terms[-6:]
    by_half_term = facts.attendance_in(
        one, {h.pk: (h.starts_on, min(h.ends_on, today)) for h in recent}, by_weekday=False
    )
    judged = criteria.attendance(pupils=one, on=today, thresholds=thresholds)
    attendance = judged.get(pupil.pk)
    # This school year, as the shortlist and summaries count it: the year today falls in, even
    # before its first half-term (1 September), when last year's figures are not this year's.
    year = next(
        (
            h.academic_year
            for h in reversed(half_terms)
            if h.academic_year.starts_on <= today <= h.academic_year.ends_on
        ),
        None,
    )
    incidents = list(pupil.behaviour_incidents.all()[:200])
    since = year.starts_on if year else today  # "this year" on the page
    census = next(iter(pupil.characteristics.all()), None)
    hidden = send_hidden(pupil, request.user)
    if census and census.sen_provision != SenProvision.NONE and not hidden:
        AccessEvent.record(request, AccessEvent.Kind.SEND, f"{pupil.name}'s profile")
    context = {
        "pupil": pupil,
        "age": pupil.age_on(today),
        "census": census,
        "send_hidden": hidden,
        "reasons": _shown(
            reasons(
                pupils=one,
                on=today,
                thresholds=thresholds,
                characteristics={
                    record.pupil_id: record
                    for record in pupil.characteristics.all()
                    if record.academic_year.starts_on <= today <= record.academic_year.ends_on
                },
                attendance=judged,
            ).get(pupil.pk, {}),
            send_hidden=hidden,
        ),
        "subjects": [(subject, charts.attainment_line(subject)) for subject in subjects],
        "attendance": attendance,
        "weekdays": charts.weekday_bars(attendance.this_year if attendance else None),
        "trend": charts.half_term_bars(
            [(h, by_half_term[h.pk].get(pupil.pk)) for h in recent],
            minimum=criteria.Thresholds().half_term_sessions,
        ),
        "incidents": [incident for incident in incidents if incident.date >= since][:10],
        "behaviour": charts.behaviour_summary(
            incidents, today, since=since, weeks=thresholds.behaviour_weeks
        ),
        "places": pupil.intervention_places.all(),
        "actions": sorted(
            [*pupil.actions.all(), *pupil.group_actions.all()], key=lambda a: (a.review_on, a.pk)
        ),
    }
    return render(request, "pupils/pupil_detail.html", context)

"""The school's year of meetings, and the next meeting of a series proposed (`meetings.rhythm`)."""

import datetime as dt

from django.core.exceptions import PermissionDenied
from django.db.models import Max, Min, OuterRef, Q, Subquery
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.views.decorators.http import require_safe

from meetings.models import Meeting, Series
from meetings.rhythm import HELD, Calendar, Proposal, current_year, propose_next, year_of_meetings
from progress.models import AcademicYear
from pupils.models import Group, Pupil

# How far past the last meeting of any series the calendar is read: a termly series' next date
# from the summer term falls in the next school year's autumn.
CALENDAR_AHEAD = dt.timedelta(days=365)


@require_safe
def year_view(request: HttpRequest) -> HttpResponse:
    """Renders the school's year of meetings: which year groups have met this term and which
    are due or overdue, the classes and subjects covered, and each series with its next
    meeting due."""
    user, today = request.user, timezone.localdate()
    # The whole school's meetings: leaders. (A line manager, `user.may_schedule`, schedules
    # for their remit and sees their own meetings on the meeting list.)
    if not user.is_leader:
        raise PermissionDenied
    years = sorted(
        AcademicYear.objects.for_user(user).prefetch_related("half_terms"),
        key=lambda year: year.starts_on,
    )
    in_progress = current_year(years, on=today)
    year = in_progress
    if "year" in request.GET:
        year = next((y for y in years if str(y.starts_on.year) == request.GET["year"]), None)
        if year is None:
            raise Http404
    if year is None:
        return render(request, "meetings/year_view.html", {"view": None, "years": years})
    meetings = list(
        Meeting.objects.for_user(user)
        .filter(date__range=(year.starts_on, year.ends_on))
        .prefetch_related("groups")
        .order_by("date", "starts_at")
    )
    on_roll = set(
        Pupil.objects.for_user(user)
        .on_roll()
        .order_by()
        .values_list("year_group", flat=True)
        .distinct()
    )
    series = list(_series_with_meetings(user, on=today))
    lasts = [s.last_held_on for s in series if s.last_held_on]
    calendar = Calendar.of(
        user.school,
        first=min([today, *lasts]),
        last=max([today, *lasts]) + CALENDAR_AHEAD,
        half_terms=[half_term for y in years for half_term in y.half_terms.all()],
    )
    view = year_of_meetings(
        year=year,
        meetings=meetings,
        on_roll=on_roll,
        groups=list(Group.objects.for_user(user).order_by("year_group", "name")),
        series=series,
        calendar=calendar,
        on=today,
        in_progress=year == in_progress,
    )
    return render(request, "meetings/year_view.html", {"view": view, "years": years})


def _series_with_meetings(user, *, on: dt.date):
    """The school's series, each with its last meeting held (date and id) and the first one
    scheduled from `on`: one query."""
    held = Meeting.objects.filter(series=OuterRef("pk"), status__in=HELD)
    return Series.objects.for_user(user).annotate(
        last_held_on=Max("meetings__date", filter=Q(meetings__status__in=HELD)),
        last_held_pk=Subquery(held.order_by("-date", "-starts_at").values("pk")[:1]),
        scheduled_on=Min(
            "meetings__date",
            filter=Q(meetings__status__in=Meeting.PREPARING, meetings__date__gte=on),
        ),
    )


def proposal_for(request: HttpRequest) -> Proposal | None:
    """The next meeting after the one `?after=` names, proposed, for the meeting form; a 404
    for a meeting the user may not see (another school's)."""
    after = request.GET.get("after")
    if after is None:
        return None
    if not after.isdigit():
        raise Http404
    meetings = Meeting.objects.for_user(request.user).select_related("series", "school")
    meeting = get_object_or_404(meetings.prefetch_related("groups"), pk=after)
    return propose_next(after=meeting, today=timezone.localdate())

import logging

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.db import DatabaseError, connection
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe

from progress.forms import HalfTermDatesForm, RetentionForm
from progress.htmx import render_page
from progress.models import AcademicYear, StaleEdit

logger = logging.getLogger(__name__)


@require_safe
def calendar(request: HttpRequest) -> HttpResponse:
    """Renders the school's years, half-terms and the holidays between them."""
    years = AcademicYear.objects.for_user(request.user).prefetch_related("half_terms")
    return render(
        request, "progress/academic_year_list.html", {"years": years, "today": timezone.localdate()}
    )


@require_POST
def academic_year_create(request: HttpRequest) -> HttpResponse:
    """Adds the year after the school's latest, with the usual half-term dates to adjust."""
    if not request.user.manages_school_data:
        raise PermissionDenied
    latest = AcademicYear.objects.for_user(request.user).first()
    today = timezone.localdate()
    if latest and latest.starts_on > today:
        messages.info(
            request, f"{latest.name} is already set up: add the year after once it starts."
        )
        return redirect("calendar")
    start_year = latest.starts_on.year + 1 if latest else today.year - (today.month < 9)
    year = AcademicYear.objects.create_standard(school=request.user.school, start_year=start_year)
    messages.success(
        request,
        f"Added {year.name} with the usual dates: check them against your local authority's.",
    )
    return redirect("academic_year_edit", pk=year.pk)


def academic_year_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Renders and saves the first and last day of each half-term of one school year."""
    year = get_object_or_404(AcademicYear.objects.for_user(request.user), pk=pk)
    if not request.user.manages_school_data:
        raise PermissionDenied
    context = {"year": year, "saved": False}
    status = 200
    if request.method == "POST":
        form = HalfTermDatesForm(request.POST, academic_year=year)
        if form.is_valid():
            try:
                year.set_half_term_dates(form.dates(), version=form.cleaned_data["version"])
            except StaleEdit:
                form.add_error(None, STALE_CALENDAR)
            else:
                if not request.htmx:
                    messages.success(request, f"Saved the half-term dates for {year.name}.")
                    return redirect("calendar")
                form, context["saved"] = HalfTermDatesForm(academic_year=year), True
        status = 200 if context["saved"] else 422
    else:
        form = HalfTermDatesForm(academic_year=year)
    context["form"] = form
    return render_page(
        request, "progress/academic_year_edit.html", context, partial="calendar-form", status=status
    )


@require_POST
def retention(request: HttpRequest) -> HttpResponse:
    """Saves how many years the school keeps a leaver's records (shown on the audit log)."""
    if not request.user.manages_school_data:
        raise PermissionDenied
    form = RetentionForm(request.POST, instance=request.user.school)
    if form.is_valid():
        form.save()
        years = form.instance.leavers_kept_for
        messages.success(request, f"Leavers' records are now kept for {years} years.")
    else:
        given = request.POST.get("leavers_kept_for", "")[:20]
        messages.error(
            request, f"“{given}” is not a number of years from 1 to 25: nothing has changed."
        )
    return redirect("audit_log")


STALE_CALENDAR = (
    "Someone else changed these dates while you were editing. Nothing was saved and your "
    "dates are still below: open the calendar again to see theirs, then make your change."
)


@login_not_required
@never_cache
@require_safe
def healthz(request: HttpRequest) -> HttpResponse:
    """Renders "ok" when the database answers, for load balancers and uptime checks."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError:
        logger.exception("Health check: the database did not answer")
        return HttpResponse("database unavailable", status=503, content_type="text/plain")
    return HttpResponse("ok", content_type="text/plain")

import csv
import datetime as dt

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST, require_safe

from actions.forms import ActionForm, LogFilterForm, ReviewForm
from actions.models import Action, Due
from progress import pdf
from progress.htmx import render_page
from progress.models import StaleEdit
from pupils.snapshot import pupil_data, then_and_now

STALE_REVIEW = (
    "Someone else recorded a review of this action while you were writing yours. Nothing of "
    "yours was saved and it is still below; their review is shown above."
)


@require_POST
def action_check(request: HttpRequest) -> HttpResponse:
    """Renders what the quality rules say about an action as it is typed, and the owner's load."""
    form = ActionForm(request.POST, school=request.user.school, today=timezone.localdate())
    form.is_valid()
    return render(request, "actions/includes/action_quality.html", {"form": form})


@require_safe
def my_actions(request: HttpRequest) -> HttpResponse:
    """Renders the actions the user owns: overdue, due soon, then the rest."""
    today = timezone.localdate()
    mine = (
        Action.objects.for_user(request.user)
        .filter(owner=request.user)
        .open()
        .select_related("pupil")
        .order_by("review_on")
    )
    by_due = {due: [] for due in Due}
    for action in mine:
        by_due[action.due(on=today)].append(action)
    sections = [
        (Due.OVERDUE, "Nothing overdue."),
        (Due.SOON, f"Nothing {Due.SOON.label.lower()}."),
        (Due.LATER, "Nothing else open."),
    ]
    return render(
        request,
        "actions/my_actions.html",
        {"sections": [(due.label, by_due[due], empty) for due, empty in sections]},
    )


def action_review(request: HttpRequest, pk: int) -> HttpResponse:
    """Renders an action and its reviews; its owner, meeting chair or a leader adds one."""
    action = get_object_or_404(
        Action.objects.for_user(request.user).select_related(
            "pupil", "owner", "meeting", "supersedes"
        ),
        pk=pk,
    )
    if not action.may_review(request.user):
        raise PermissionDenied
    today = timezone.localdate()
    form = ReviewForm(
        request.POST or None, action=action, today=today, initial={"version": action.version}
    )
    meeting = _meeting_in_context(request)
    now = pupil_data(pupil=action.pupil, on=today) if action.pupil_id else {}
    if request.method == "POST" and form.is_valid():
        answers = {name: form.cleaned_data[name] for name in form.Meta.fields}
        try:
            action.record_review(
                by=request.user,
                version=form.cleaned_data["version"],
                snapshot=now,
                meeting=meeting,
                adjusted=form.adjusted(),
                **answers,
            )
        except StaleEdit:
            form.add_error(None, STALE_REVIEW)
        else:
            messages.success(
                request,
                "Review recorded; the adjusted action replaces this one."
                if form.adjusted()
                else "Review recorded.",
            )
            for warning in form.warnings:
                messages.warning(request, warning)
            if meeting:
                meeting.touch()  # every live screen of the meeting shows the review
            following = request.GET.get("next", "")
            if url_has_allowed_host_and_scheme(following, allowed_hosts={request.get_host()}):
                return redirect(following)
            mine = action.owner_id == request.user.pk
            return redirect("actions:my_actions" if mine else "actions:action_log")
    context = {
        "action": action,
        "form": form,
        "then_and_now": then_and_now(action.snapshot, now),
        "reviews": action.reviews.select_related("reviewed_by"),
    }
    return render(
        request, "actions/action_review.html", context, status=422 if form.errors else 200
    )


def _meeting_in_context(request: HttpRequest):
    """The meeting a review is recorded in (`?meeting=`), found through the action's lazy
    foreign key so that this app imports nothing from meetings."""
    meeting_id = request.GET.get("meeting", "")
    if not meeting_id.isdigit():
        return None
    meetings = Action._meta.get_field("meeting").related_model.objects.for_user(request.user)
    return get_object_or_404(meetings, pk=meeting_id)


@require_safe
def action_log(request: HttpRequest) -> HttpResponse:
    """Renders the school's action log with filters; `?format=csv` downloads it."""
    if not request.user.is_leader:
        raise PermissionDenied
    today = timezone.localdate()
    form = LogFilterForm(request.GET or None, school=request.user.school)
    actions = Action.objects.for_user(request.user).select_related("pupil", "owner", "meeting")
    if form.is_valid():
        actions = form.filter(actions, today=today)
    if request.GET.get("format") == "csv":
        return _csv(actions)
    if request.GET.get("format") == "pdf":
        return _pdf(request, actions, today)
    context = {"form": form, "actions": actions[:300]}
    return render_page(request, "actions/action_log.html", context, partial="action-log")


def _csv(actions) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="action-log.csv"'
    response.write("\ufeff")  # so spreadsheets read UTF-8: names keep their accents
    writer = csv.writer(response)
    writer.writerow(
        [
            "Pupil or group",
            "Barrier",
            "Action",
            "Kind",
            "Owner",
            "Review date",
            "Status",
            "Latest impact",
        ]
    )
    for action in actions.prefetch_related("reviews"):
        latest = next(iter(action.reviews.all()), None)
        writer.writerow(
            safe_cell(value)
            for value in (
                action.subject_name,
                action.barrier,
                action.text,
                action.get_kind_display(),
                action.owner.display_name,
                action.review_on.strftime("%d/%m/%Y"),
                action.get_status_display(),
                f"{latest.get_impact_display()}: {latest.what_changed}" if latest else "",
            )
        )
    return response


def _pdf(request: HttpRequest, actions, today: dt.date) -> HttpResponse:
    context = {
        "actions": actions.prefetch_related("reviews"),
        "today": today,
        "school": request.user.school,
    }
    document = pdf.document("actions/action_log_print.html", context, request=request)
    response = HttpResponse(document.write_pdf(), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="action-log-{today:%Y-%m-%d}.pdf"'
    return response


def safe_cell(value: str) -> str:
    """A cell a spreadsheet shows as text, never runs as a formula (CSV injection)."""
    text = str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text

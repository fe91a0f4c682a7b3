from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.formats import date_format
from django.views.decorators.http import require_safe

from actions.forms import FollowUpForm, ReviewForm, StartForm
from actions.models import Action, Due, FollowUp
from progress.models import StaleEdit
from pupils.snapshot import pupil_data, then_and_now


@require_safe
def my_actions(request: HttpRequest) -> HttpResponse:
    """Renders what the user must do: actions to say have started, follow-ups, the actions
    they own (overdue, due soon, then the rest), and those they support."""
    today = timezone.localdate()
    user = request.user
    actions = Action.objects.for_user(user).open().select_related("pupil", "owner")
    mine = list(actions.filter(owner=user).order_by("review_on"))
    by_due = {due: [] for due in Due}
    for action in mine:
        by_due[action.due(on=today)].append(action)
    sections = [
        (Due.OVERDUE, "Nothing overdue."),
        (Due.SOON, f"Nothing {Due.SOON.label.lower()}."),
        (Due.LATER, "Nothing else open."),
    ]
    context = {
        "to_start": [action for action in mine if action.not_started(on=today)],
        "follow_ups": FollowUp.objects.for_user(user)
        .filter(owner=user)
        .outstanding()
        .select_related("action__pupil"),
        "sections": [(due.label, by_due[due], empty) for due, empty in sections],
        "supporting": actions.filter(supporting=user).order_by("review_on"),
        "today": today,
    }
    return render(request, "actions/my_actions.html", context)


def action_start(request: HttpRequest, pk: int) -> HttpResponse:
    """Renders the owner's start check (a leader may answer for them): has the action started?
    "Yes" is one click; "not yet" asks why and by when. The chair sees the answer on the
    meeting's page and at the next meeting's review."""
    action = get_object_or_404(
        Action.objects.for_user(request.user).select_related("pupil", "meeting"), pk=pk
    )
    if not action.may_review(request.user):  # its owner, or a leader on their behalf
        raise PermissionDenied
    if action.status != Action.Status.OPEN:  # reviewed and closed since the e-mail went
        messages.info(request, f"The action for {action.subject_name} has been closed already.")
        return redirect("actions:my_actions")
    today = timezone.localdate()
    form = StartForm(request.POST or None, today=today, initial={"version": action.version})
    if request.method == "POST" and form.is_valid():
        try:
            action.record_start(version=form.cleaned_data["version"], **form.answer())
        except StaleEdit:
            form.add_error(None, STALE_ACTION)
        else:
            messages.success(
                request,
                f"Thank you: the action for {action.subject_name} has started."
                if action.started_on
                else f"Noted: the action for {action.subject_name} starts by "
                f"{date_format(action.starts_by)}; the chair will see why.",
            )
            return redirect("actions:my_actions")
    context = {"action": action, "form": form}
    return render(request, "actions/action_start.html", context, status=422 if form.errors else 200)


def follow_up_record(request: HttpRequest, pk: int) -> HttpResponse:
    """Renders a follow-up for its owner (or a leader) to check off: a parent contact (when,
    how, what was agreed), a SENCO review or attendance plan (what was decided), either one's
    reason if it could not happen, or that a safeguarding concern was passed on."""
    follow_up = get_object_or_404(
        FollowUp.objects.for_user(request.user).select_related("action__pupil", "owner"), pk=pk
    )
    if not follow_up.may_record(request.user):
        raise PermissionDenied
    today = timezone.localdate()
    form = FollowUpForm(
        request.POST or None,
        follow_up=follow_up,
        today=today,
        initial={"version": follow_up.version},
    )
    if request.method == "POST" and form.is_valid():
        try:
            follow_up.record(by=request.user, version=form.cleaned_data["version"], **form.answer())
        except StaleEdit:
            form.add_error(None, STALE_ACTION)
        else:
            messages.success(request, f"Recorded: {follow_up}.")
            return redirect("actions:my_actions")
    context = {"follow_up": follow_up, "form": form}
    status = 422 if form.errors else 200
    return render(request, "actions/follow_up_record.html", context, status=status)


STALE_ACTION = (
    "Someone else recorded this meanwhile. Nothing was saved: open it again to see what they "
    "recorded."
)


def action_review(request: HttpRequest, pk: int) -> HttpResponse:
    """Renders an action and its reviews; its owner or a leader records one. (A meeting's chair
    reviews its actions through the meeting.)"""
    action = get_object_or_404(
        Action.objects.for_user(request.user).select_related("pupil", "owner", "supersedes"),
        pk=pk,
    )
    if not action.may_review(request.user):
        raise PermissionDenied
    today = timezone.localdate()
    form = ReviewForm(
        request.POST or None, action=action, today=today, initial={"version": action.version}
    )
    now = pupil_data(pupil=action.pupil, on=today) if action.pupil_id else {}
    if request.method == "POST" and form.is_valid():
        try:
            action.record_review(by=request.user, snapshot=now, **form.review())
        except StaleEdit:
            form.add_error(None, ReviewForm.STALE)
        else:
            messages.success(
                request,
                "Review recorded; the adjusted action replaces this one."
                if form.adjusted()
                else "Review recorded.",
            )
            for warning in form.warnings:
                messages.warning(request, warning)
            mine = action.owner_id == request.user.pk
            return redirect("actions:my_actions" if mine else "action_log")
    context = {
        "action": action,
        "form": form,
        "then_and_now": then_and_now(action.snapshot, now),
        "reviews": action.reviews.select_related("reviewed_by"),
    }
    return render(
        request, "actions/action_review.html", context, status=422 if form.errors else 200
    )

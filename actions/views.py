from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_safe

from actions.forms import ReviewForm, RulesForm
from actions.models import Action, Due, Rules
from progress.models import StaleEdit
from pupils.snapshot import pupil_data, then_and_now


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


def rules_edit(request: HttpRequest) -> HttpResponse:
    """Renders and saves the school's own rules for actions: the phrases it refuses as vague,
    beside Progress's own, and how many open actions an owner may have due in a fortnight."""
    if not request.user.manages_school_data:
        raise PermissionDenied
    rules = Rules.for_school(request.user.school)
    form = RulesForm(request.POST or None, instance=rules, initial={"version": rules.version})
    if request.method == "POST" and form.is_valid():
        try:
            form.instance.save_edit(version=form.cleaned_data["version"])
        except StaleEdit:
            form.add_error(None, STALE_RULES)
        else:
            messages.success(request, "Saved the school's rules for actions.")
            return redirect("actions:rules_edit")
    status = 422 if form.errors else 200
    return render(request, "actions/rules_edit.html", {"form": form}, status=status)


STALE_RULES = (
    "Someone else changed these rules while you were editing. Nothing was saved and what you "
    "typed is still below: open the page again to see theirs, then make your change."
)

"""The live meeting: the chair's agenda against the clock, the recorder's log, and every open
screen of the meeting in step by polling with an ETag."""

import uuid

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import condition, require_POST, require_safe

from actions.forms import ActionEditForm, ActionForm
from actions.models import Action, Review, Rules
from meetings import invitations, live, patterns
from meetings.agenda import AGREE, PATTERNS, PUPIL_BLOCK, REVIEW, SHARE, build_agenda
from meetings.forms import FindingForm, LogEntryForm
from meetings.models import Finding, Meeting, PreviousActionsFirst, summary_data
from meetings.views import meeting_with_items
from progress.models import StaleEdit
from pupils.snapshot import pupil_data, pupils_now, then_and_now


def _live_context(request: HttpRequest, meeting: Meeting) -> dict:
    """What every screen of the meeting shows; the section under way decides what is worked out."""
    items = list(meeting.items.all())
    times = list(meeting.times.all())
    context = {
        "meeting": meeting,
        "agenda": build_agenda(meeting=meeting, items=items),
        "items": items,
        "is_chair": meeting.is_chair(request.user),
        "can_record": meeting.may_record(request.user),
    }
    if meeting.status == Meeting.Status.CLOSED:
        context["actual"] = list(
            zip(context["agenda"].sections, live.actual_minutes(times), strict=True)
        )
    if meeting.status != Meeting.Status.STARTED or not times:
        return context
    today = timezone.localdate()
    actions = list(meeting.actions.select_related("pupil", "owner").prefetch_related("supporting"))
    section = meeting.section
    context |= {
        "clock": live.clock(meeting=meeting, times=times, items=items, now=timezone.now()),
        "current_section": context["agenda"].sections[section],
        "current_item": items[meeting.item_index] if section == PUPIL_BLOCK and items else None,
    }
    # Whom the recorder's next entry is for, by default: the pupil on screen, or in the
    # patterns section a group. Every screen carries it, for the recorder's form to follow.
    item = context["current_item"]
    patterns_section = LogEntryForm.GROUP if section == PATTERNS else ""
    context["entry_for"] = str(item.pk) if item else patterns_section
    if section == REVIEW:
        previous = list(meeting.previous_actions().select_related("pupil", "owner"))
        now = pupils_now(pupils=[a.pupil for a in previous if a.pupil_id], on=today)
        context["previous_actions"] = [
            (action, then_and_now(action.snapshot, now.get(action.pupil_id))) for action in previous
        ]
        context["unreviewed"] = set(meeting.unreviewed_actions().values_list("pk", flat=True))
        context["coming_up"] = meeting.previous_actions(coming_up=True).select_related(
            "pupil", "owner"
        )
    elif section == PATTERNS:
        context["patterns"] = patterns.find(meeting=meeting, items=items, on=today)
        context["findings"] = list(meeting.findings.all())
        context["entries"] = [(a, []) for a in actions if a.group_name]
    elif section == PUPIL_BLOCK and context["current_item"]:
        item = context["current_item"]
        context["entries"] = [(a, []) for a in actions if live.about(a, item)]
        summary = getattr(item, "summary", None)
        if summary:  # the data as the teacher saw it once ready, live while a draft
            context["summary"] = summary
            context["summary_data"] = summary.snapshot or summary_data(pupil=item.pupil, on=today)
    elif section == AGREE:
        flags = live.flags(actions, rules=Rules.for_school(meeting.school), today=today)
        context["entries"] = [(a, flags.get(a.pk, [])) for a in actions]
        context["no_action"] = [
            item
            for item in items
            if not item.parked_at and not any(live.about(a, item) for a in actions)
        ]
    elif section == SHARE:
        context["sharing"] = live.sharing(actions, attendees=list(meeting.attendees.all()))
        context["findings"] = list(meeting.findings.all())
    return context


def _for_chair(request: HttpRequest, pk: int) -> Meeting:
    """The meeting, if the user chairs it: only the chair starts, moves, parks, defers, closes."""
    meeting = meeting_with_items(request, pk)
    if not meeting.is_chair(request.user):
        raise PermissionDenied
    return meeting


def _for_recorder(request: HttpRequest, pk: int) -> Meeting:
    """The meeting, if the user may write its log (its chair or recorder, until it closes)."""
    meeting = meeting_with_items(request, pk)
    if not meeting.may_record(request.user):
        raise PermissionDenied
    return meeting


@require_safe
def meeting_live(request: HttpRequest, pk: int) -> HttpResponse:
    """Renders the live meeting: the clock, the section under way, and what it needs; beside it,
    for the chair and the recorder while it runs, the log's forms."""
    meeting = meeting_with_items(request, pk)
    context = _live_context(request, meeting)
    if context["can_record"] and meeting.status == Meeting.Status.STARTED:
        entry, form = _log_forms(meeting, context["items"], item=context["entry_for"])
        context |= {"entry": entry, "form": form, "finding_form": _finding_form()}
    return render(request, "meetings/meeting_live.html", context)


def _log_forms(meeting: Meeting, items: list, *, data=None, item: str = ""):
    """The recorder's forms: who the action is for, and the action itself (a fresh submit key
    for each new entry)."""
    entry = LogEntryForm(data, items=items, initial={"item": item, "key": uuid.uuid4()})
    chosen = entry.chosen()
    form = ActionForm(
        data,
        school=meeting.school,
        today=timezone.localdate(),
        year_group=chosen.pupil.year_group if chosen and chosen.pupil_id else None,
        owners_first=[attendee.user_id for attendee in meeting.attendees.all()],
    )
    return entry, form


def _finding_form(data=None) -> FindingForm:
    return FindingForm(data, initial={"key": uuid.uuid4()})


def _save_once(model, *, school, key: uuid.UUID, save) -> None:
    """Run `save` unless this form's submit was saved already: a double press or a retry after a
    dropped connection sends the same key, and is not logged twice."""
    if model.objects.filter(school=school, submit_key=key).exists():
        return
    try:
        with transaction.atomic():
            save()
    except IntegrityError:
        if not model.objects.filter(school=school, submit_key=key).exists():
            raise  # not its twin: a real error


def meeting_action_create(request: HttpRequest, pk: int) -> HttpResponse:
    """Renders the recorder's Barrier / Action / Owner / Review form; an htmx submit answers with
    the form again, empty and ready for the next entry."""
    meeting = _for_recorder(request, pk)
    items = list(meeting.items.all())
    data = request.POST if request.method == "POST" else None
    entry, form = _log_forms(meeting, items, data=data, item=request.GET.get("item", ""))
    saved = None
    if data and entry.is_valid() and form.is_valid():
        saved = _log_action(request, meeting, entry, form)
        if not request.htmx:
            messages.success(request, f"Action logged for {saved.subject_name}.")
            if meeting.status == Meeting.Status.STARTED:
                return redirect("meetings:meeting_live", pk=meeting.pk)
            url = reverse("meetings:meeting_action_create", args=[meeting.pk])
            return redirect(f"{url}?item={entry.cleaned_data['item']}")
        entry, form = _log_forms(meeting, items, item=entry.cleaned_data["item"])
    context = {"meeting": meeting, "entry": entry, "form": form, "saved": saved}
    template = (
        "meetings/includes/recorder_form.html"
        if request.htmx
        else "meetings/meeting_action_form.html"
    )
    return render(request, template, context, status=422 if data and not saved else 200)


def _log_action(request: HttpRequest, meeting: Meeting, entry, form) -> Action:
    key = entry.cleaned_data["key"]
    action = form.save(commit=False)
    action.school, action.meeting = meeting.school, meeting
    action.created_by, action.submit_key = request.user, key
    entry.apply(action)
    if action.pupil_id:
        action.snapshot = pupil_data(pupil=action.pupil, on=timezone.localdate())

    def save() -> None:
        action.save()
        form.save_m2m()
        if not action.pupil_id:
            action.group_pupils.set(entry.group_members())

    _save_once(Action, school=meeting.school, key=key, save=save)
    meeting.touch()
    return Action.objects.get(school=meeting.school, submit_key=key)


STALE_ACTION = (
    "Someone else changed this action while you were editing it. Nothing of yours was saved: "
    "what you typed is still below, and the action as they left it is shown above the form."
)


def meeting_action_edit(request: HttpRequest, pk: int, action_pk: int) -> HttpResponse:
    """Renders an action logged in this meeting for the chair or recorder to put right before the
    meeting closes; after that, changes go through reviews."""
    meeting = _for_recorder(request, pk)
    action = get_object_or_404(meeting.actions.select_related("pupil", "owner"), pk=action_pk)
    saved = Action.objects.select_related("owner").get(pk=action.pk)  # as it stands, for a clash
    form = ActionEditForm(
        request.POST or None,
        instance=action,
        school=meeting.school,
        today=timezone.localdate(),
        year_group=action.pupil.year_group if action.pupil_id else None,
        owners_first=[attendee.user_id for attendee in meeting.attendees.all()],
        initial={"version": action.version},
    )
    if request.method == "POST" and form.is_valid():
        try:
            action.save_edit(version=form.cleaned_data["version"], fields=form.saved_fields)
        except StaleEdit:
            form.add_error(None, STALE_ACTION)
            form.data = form.data.copy()
            form.data["version"] = saved.version  # saving again, having seen theirs, is deliberate
        else:
            action.supporting.set(form.cleaned_data["supporting"])
            meeting.touch()
            messages.success(request, f"Action for {action.subject_name} updated.")
            return redirect("meetings:meeting_live", pk=meeting.pk)
    context = {"meeting": meeting, "action": saved, "form": form}
    return render(
        request, "meetings/meeting_action_edit.html", context, status=422 if form.errors else 200
    )


@require_POST
def meeting_action_delete(request: HttpRequest, pk: int, action_pk: int) -> HttpResponse:
    """Removes an entry logged by mistake, while the meeting runs; after it closes, the log is
    kept as it was and actions end through their reviews."""
    meeting = _for_recorder(request, pk)
    action = get_object_or_404(meeting.actions.all(), pk=action_pk)
    if action.supersedes_id:  # its removal would leave the action it replaced with no successor
        messages.error(request, "This entry replaces an earlier action: change it instead.")
        return redirect("meetings:meeting_action_edit", pk=meeting.pk, action_pk=action.pk)
    action.delete()
    meeting.touch()
    messages.success(request, f"The entry for {action.subject_name} is removed from the log.")
    return redirect("meetings:meeting_live", pk=meeting.pk)


@require_POST
def meeting_finding_create(request: HttpRequest, pk: int) -> HttpResponse:
    """Logs what the patterns section found; an htmx submit answers with the form again, empty."""
    meeting = _for_recorder(request, pk)
    form = _finding_form(request.POST)
    if not form.is_valid():
        if request.htmx:
            context = {"meeting": meeting, "finding_form": form}
            return render(request, "meetings/includes/finding_form.html", context, status=422)
        messages.error(request, "The finding was not saved: say what was found.")
        return redirect("meetings:meeting_live", pk=meeting.pk)
    key = form.cleaned_data["key"]
    _save_once(
        Finding,
        school=meeting.school,
        key=key,
        save=lambda: Finding.objects.create(
            school=meeting.school,
            meeting=meeting,
            kind=form.cleaned_data["kind"],
            text=form.cleaned_data["text"],
            created_by=request.user,
            submit_key=key,
        ),
    )
    meeting.touch()
    if not request.htmx:
        messages.success(request, "Finding logged.")
        return redirect("meetings:meeting_live", pk=meeting.pk)
    context = {"meeting": meeting, "finding_form": _finding_form(), "finding_saved": True}
    return render(request, "meetings/includes/finding_form.html", context)


def _live_etag(request: HttpRequest, pk: int) -> str | None:
    version = (
        Meeting.objects.for_user(request.user)
        .filter(pk=pk)
        .values_list("live_version", flat=True)
        .first()
    )
    return None if version is None else f"{pk}-{version}-{request.user.pk}"


@require_safe
@condition(etag_func=_live_etag)
def meeting_live_state(request: HttpRequest, pk: int) -> HttpResponse:
    """Renders the live screen's fragment for polling; 304 when nothing has changed."""
    meeting = meeting_with_items(request, pk)
    response = render(request, "meetings/meeting_live.html#live", _live_context(request, meeting))
    response["Cache-Control"] = "no-cache"
    return response


@require_POST
def meeting_start(request: HttpRequest, pk: int) -> HttpResponse:
    """The chair starts the meeting: the first section's clock begins."""
    meeting = _for_chair(request, pk)
    if meeting.status == Meeting.Status.PLANNED:
        meeting.start(by=request.user)
    return redirect("meetings:meeting_live", pk=meeting.pk)


@require_POST
def meeting_move(request: HttpRequest, pk: int) -> HttpResponse:
    """The chair moves on to the next section or pupil, or back one."""
    meeting = _for_chair(request, pk)
    if meeting.status == Meeting.Status.STARTED:
        try:
            meeting.move(forward=request.POST.get("direction") != "back")
        except PreviousActionsFirst:
            count = meeting.unreviewed_actions().count()
            error = (
                "Previous actions still to review, or defer with a reason, before the pupils: "
                f"{count}."
            )
            if request.htmx:
                context = _live_context(request, meeting) | {"error": error}
                return render(request, "meetings/meeting_live.html#live", context, status=409)
            messages.error(request, error)
    if request.htmx:
        return render(request, "meetings/meeting_live.html#live", _live_context(request, meeting))
    return redirect("meetings:meeting_live", pk=meeting.pk)


@require_POST
def meeting_close(request: HttpRequest, pk: int) -> HttpResponse:
    """Closes the meeting: the log is locked and owners and attendees get a link to it."""
    meeting = _for_chair(request, pk)
    if meeting.status == Meeting.Status.STARTED:
        meeting.close()
        invitations.share_log(meeting=meeting, request=request)
        messages.success(
            request, "Meeting closed: owners have their actions and attendees the log."
        )
    return redirect("meetings:meeting_live", pk=meeting.pk)


@require_POST
def meeting_park(request: HttpRequest, pk: int, item_pk: int) -> HttpResponse:
    """The chair parks an item for the next meeting of the series, with a note of what it needs."""
    meeting = _for_chair(request, pk)
    item = get_object_or_404(meeting.items.all(), pk=item_pk)
    note = request.POST.get("note", "").strip()
    if meeting.status != Meeting.Status.STARTED:
        messages.error(request, "Items are parked while the meeting runs.")
    elif not meeting.series_id:
        messages.error(request, "This meeting is not part of a series: there is no next one.")
    elif not note:
        messages.error(request, f"Say what the next meeting needs to know about {item}.")
    else:
        meeting.park(item, note=note[:250])
        messages.success(request, f"{item} is parked for the next meeting of {meeting.series}.")
    return redirect("meetings:meeting_live", pk=meeting.pk)


@require_POST
def meeting_defer(request: HttpRequest, pk: int, action_pk: int) -> HttpResponse:
    """The chair defers a due previous action to a later meeting, with the reason recorded."""
    meeting = _for_chair(request, pk)
    action = get_object_or_404(meeting.unreviewed_actions(), pk=action_pk)
    reason = request.POST.get("reason", "").strip()
    if not reason:
        messages.error(request, f"Say why the action for {action.subject_name} is deferred.")
    else:
        Review.objects.create(
            school=meeting.school,
            action=action,
            happened=Review.Happened.NO,
            why_not=f"Deferred: {reason}",
            decision=Review.Decision.CONTINUE,
            impact=0,
            reviewed_by=request.user,
            meeting=meeting,
        )
        meeting.touch()
    return redirect("meetings:meeting_live", pk=meeting.pk)

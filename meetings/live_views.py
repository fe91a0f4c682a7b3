"""The live meeting: the chair's agenda against the clock, the recorder's log, and every open
screen of the meeting in step by polling with an ETag. Each change is a verb on `Meeting`, which
checks the meeting's state and who is asking; these views fetch, call and answer."""

import json
import uuid

from django.contrib import messages
from django.core.cache import cache
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.defaultfilters import pluralize
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.utils.http import quote_etag
from django.views.decorators.http import (
    condition,
    require_http_methods,
    require_POST,
    require_safe,
)

from actions.forms import ActionEditForm, ActionForm, ReviewForm
from actions.models import Action, Rules
from meetings import invitations, live, patterns
from meetings.agenda import Section, build_agenda
from meetings.forms import CloseForm, DeferForm, FindingForm, LogEntryForm, ParkForm
from meetings.models import Change, Meeting, Refused, RefusedEntry, summary_data
from meetings.views import meeting_with_items
from progress.models import StaleEdit
from pupils.snapshot import pupil_data, pupils_now, then_and_now

# How long the review section's content serves every screen (`_review_context`), and the empty
# fields of the recorder's log serve the chair and the recorder (includes/recorder_form.html).
SHARED_SECONDS = 30


def _etag(request: HttpRequest, pk: int, version: int) -> str:
    """What a screen has of the meeting: its version, as this user sees it (controls differ),
    on a person's screen or the room's."""
    return f"{pk}-{version}-{request.user.pk}{'-room' if _for_the_room(request) else ''}"


def _for_the_room(request: HttpRequest) -> bool:
    """Whether the screen is the room's (a projector): large, and with no controls."""
    return request.GET.get("screen") == "room"


def _live_context(request: HttpRequest, meeting: Meeting) -> dict:
    """What every screen of the meeting shows; the section under way decides what is worked out."""
    items = list(meeting.items.all())
    agenda = build_agenda(meeting=meeting, items=items)
    room = _for_the_room(request)
    etag = _etag(request, meeting.pk, meeting.live_version)
    poll_url = reverse("meetings:meeting_live_state", args=[meeting.pk])
    context = {
        "meeting": meeting,
        "agenda": agenda,
        "items": items,
        "room": room,
        "allowed": set() if room else meeting.allowed(request.user),
        "poll_url": f"{poll_url}?screen=room" if room else poll_url,
        # The poll asks "anything newer than this?" itself, so that an unchanged meeting is a
        # 304 that htmx leaves alone (a browser's own revalidation would hand it the old page).
        "poll_headers": json.dumps({"If-None-Match": quote_etag(etag)}),
    }
    if meeting.is_closed:
        actual = live.actual_minutes(list(meeting.times.all()))
        context["actual"] = [(section, actual[section.key]) for section in agenda.sections]
    if not meeting.is_running:
        return context
    today = timezone.localdate()
    times = list(meeting.times.all())
    section = meeting.current_section
    item = items[meeting.item_index] if section == Section.PUPILS and items else None
    context |= {
        "clock": live.clock(meeting=meeting, times=times, items=items, now=timezone.now()),
        "current_section": next(s for s in agenda.sections if s.key == section),
        "current_item": item,
        # Whom the recorder's next entry is for, by default: the pupil on screen, or in the
        # patterns section a group. Every screen carries it, for the recorder's form to follow.
        "entry_for": str(item.pk) if item else LogEntryForm.GROUP if section == "patterns" else "",
    }
    if section == Section.REVIEW:
        return context | _review_context(meeting, room=room, today=today)
    actions = list(meeting.actions.select_related("pupil", "owner").prefetch_related("supporting"))
    if section == Section.PATTERNS:
        context["patterns"] = patterns.find(meeting=meeting, items=items, on=today)
        context["findings"] = list(meeting.findings.all())
        context["entries"] = [(a, []) for a in actions if a.group_name]
    elif section == Section.PUPILS and item:
        context["entries"] = [(a, []) for a in actions if item.is_about(a)]
        summary = getattr(item, "summary", None)
        context["summary"] = summary
        if item.pupil_id:  # the data as the teacher saw it once ready, else as it is today
            kept = summary.snapshot if summary else {}
            context["summary_data"] = kept or summary_data(pupil=item.pupil, on=today)
    elif section == Section.AGREE:
        flags = live.flags(actions, rules=Rules.for_school(meeting.school), today=today)
        context["entries"] = [(a, flags.get(a.pk, [])) for a in actions]
        context["no_action"] = meeting.items_without_action(actions)
    elif section == Section.SHARE:
        context["sharing"] = live.sharing(actions, attendees=list(meeting.attendees.all()))
        context["findings"] = list(meeting.findings.all())
    return context


def _review_context(meeting: Meeting, *, room: bool, today) -> dict:
    """The review section's content (`_review`), worked out once for every screen showing the
    meeting as it stands: the screens all ask within a poll's 3 s of a change, and the pupils'
    data then and now is most of their time. It holds no user's controls and no CSRF token (the
    template adds them), so one copy serves the chair, the recorder and each attendee, and one
    the room. Kept by the meeting's version and the day, and only for `SHARED_SECONDS`: what
    changes outside the meeting (an owner saying an action began) shows on a screen opened
    after that, as a poll of an unchanged meeting shows nothing new."""
    screen = "room" if room else "people"
    key = f"meetings:live-review:{meeting.pk}:{meeting.live_version}:{today}:{screen}"
    return cache.get_or_set(key, lambda: _review(meeting, room=room, today=today), SHARED_SECONDS)


def _review(meeting: Meeting, *, room: bool, today) -> dict:
    """The review section's page of previous actions, each with what this meeting did with it;
    beside them on a person's screen, the pupil's data then and now, and what comes up next."""
    # Paged by id, then the page's actions fetched with their pupils and owners: joined to them
    # before the list is cut to a page, PostgreSQL hashes every pupil in the database to sort a
    # few hundred actions (40 ms of a 60 ms fragment at trust scale).
    to_review = meeting.actions_to_review().values_list("pk", flat=True)
    page = live.review_page(list(to_review), meeting.item_index)
    found = Action.objects.select_related("pupil", "owner").in_bulk(page.object_list)
    previous = [found[pk] for pk in page]
    done = meeting.reviewed_or_deferred()
    if room:  # the projector names the actions, no more
        return {
            "page": page,
            "page_words": live.page_words(page),
            "previous_actions": [(a, [], done.get(a.pk)) for a in previous],
        }
    now = pupils_now(pupils=[a.pupil for a in previous if a.pupil_id], on=today)
    coming_up = meeting.previous_actions(coming_up=True)
    named = list(coming_up.select_related("pupil", "owner")[: live.COMING_UP_SHOWN])
    total = coming_up.count()
    return {
        "page": page,
        "page_words": live.page_words(page),
        "previous_actions": [
            (action, _then_and_now_table(action, now.get(action.pupil_id)), done.get(action.pk))
            for action in previous
        ],
        "coming_up": named,
        "coming_up_total": total,
        "coming_up_more": total - len(named),
    }


def _then_and_now_table(action: Action, now: dict | None) -> str:
    """The action's pupil then and now, drawn here once for every screen: its pictures are most
    of the review's drawing."""
    rows = then_and_now(action.snapshot, now)
    if not rows:
        return ""
    context = {"rows": rows, "taken_on": action.snapshot.get("taken_on")}
    return render_to_string("actions/includes/then_and_now.html", context)


def _back_to_live(request: HttpRequest, meeting: Meeting, refused: Refused | None = None):
    """The live screen again, with the reason when a change was refused; htmx gets the fragment
    (409 when refused, so the screen shows why in place)."""
    if request.htmx:
        context = _live_context(request, meeting) | {"error": str(refused) if refused else ""}
        status = 409 if refused else 200
        return render(request, "meetings/meeting_live.html#live", context, status=status)
    if refused:
        messages.error(request, str(refused))
    return redirect("meetings:meeting_live", pk=meeting.pk)


@require_safe
def meeting_live(request: HttpRequest, pk: int) -> HttpResponse:
    """Renders the live meeting: the clock, the section under way, and what it needs; beside it,
    for the chair and the recorder while it runs, the log's forms. With `?screen=room`, the
    same for the room's projector: large, with no controls, following the chair."""
    meeting = meeting_with_items(request, pk)
    context = _live_context(request, meeting)
    if Change.LOG in context["allowed"]:
        entry, form = _log_forms(meeting, context["items"], item=context["entry_for"])
        context |= {
            "entry": entry, "form": form, "finding_form": _finding_form(),
            "shared_seconds": SHARED_SECONDS,
        }  # fmt: skip
    return render(request, "meetings/meeting_live.html", context)


def _live_etag(request: HttpRequest, pk: int) -> str | None:
    version = (
        Meeting.objects.for_user(request.user)
        .filter(pk=pk)
        .values_list("live_version", flat=True)
        .first()
    )
    return None if version is None else _etag(request, pk, version)


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
    meeting = meeting_with_items(request, pk)
    try:
        meeting.start(by=request.user)
    except Refused as refused:
        return _back_to_live(request, meeting, refused)
    return redirect("meetings:meeting_live", pk=meeting.pk)


@require_POST
def meeting_move(request: HttpRequest, pk: int) -> HttpResponse:
    """The chair moves on to the next section or pupil, or back one."""
    meeting = meeting_with_items(request, pk)
    try:
        meeting.move(by=request.user, forward=request.POST.get("direction") != "back")
    except Refused as refused:
        return _back_to_live(request, meeting, refused)
    return _back_to_live(request, meeting)


@require_POST
def meeting_defer(request: HttpRequest, pk: int, action_pk: int) -> HttpResponse:
    """The chair defers a due previous action to a later meeting, with the reason recorded."""
    meeting = meeting_with_items(request, pk)
    action = get_object_or_404(meeting.previous_actions().select_related("pupil"), pk=action_pk)
    form = DeferForm(request.POST)
    if not form.is_valid():
        problem = "; ".join(form.errors.get("until", [])) or "say why it is deferred"
        messages.error(request, f"The action for {action.subject_name} was not deferred: {problem}")
        return redirect("meetings:meeting_live", pk=meeting.pk)
    try:
        meeting.defer(action, by=request.user, **form.cleaned_data)
    except Refused as refused:
        return _back_to_live(request, meeting, refused)
    return redirect("meetings:meeting_live", pk=meeting.pk)


def meeting_action_review(request: HttpRequest, pk: int, action_pk: int) -> HttpResponse:
    """Renders an action for the meeting's chair to review: while the meeting runs, a previous
    action due (saving returns to the live screen); once it has closed, one of its own actions.
    Did it happen, what changed, the evidence, the decision."""
    meeting = meeting_with_items(request, pk)
    own = meeting.is_closed and meeting.actions.open().filter(pk=action_pk).exists()
    in_meeting = not own  # a previous action, reviewed while the meeting runs
    actions = meeting.previous_actions() if in_meeting else meeting.actions.open()
    action = get_object_or_404(actions.select_related("pupil", "owner", "supersedes"), pk=action_pk)
    try:
        meeting.check_change(Change.REVIEW if in_meeting else Change.IMPACT, request.user)
    except Refused as refused:
        return _back_to_live(request, meeting, refused)
    today = timezone.localdate()
    form = ReviewForm(
        request.POST or None, action=action, today=today, initial={"version": action.version}
    )
    now = pupil_data(pupil=action.pupil, on=today) if action.pupil_id else {}
    if request.method == "POST" and form.is_valid():
        record = meeting.review_previous if in_meeting else meeting.record_impact
        try:
            record(action, by=request.user, snapshot=now, **form.review())
        except StaleEdit:
            form.add_error(None, ReviewForm.STALE)
        except Refused as refused:
            return _back_to_live(request, meeting, refused)
        else:
            messages.success(
                request,
                "Review recorded; the adjusted action replaces this one."
                if form.adjusted()
                else "Review recorded.",
            )
            return redirect(
                "meetings:meeting_live" if in_meeting else "meetings:meeting_detail", pk=meeting.pk
            )
    context = {
        "action": action,
        "form": form,
        "then_and_now": then_and_now(action.snapshot, now),
        "reviews": action.reviews.select_related("reviewed_by"),
        "meeting": meeting,
    }
    status = 422 if form.errors else 200
    return render(request, "actions/action_review.html", context, status=status)


@require_POST
def meeting_park(request: HttpRequest, pk: int, item_pk: int) -> HttpResponse:
    """The chair parks an item for the next meeting of the series, with a note of what it needs."""
    meeting = meeting_with_items(request, pk)
    item = get_object_or_404(meeting.items.all(), pk=item_pk)
    form = ParkForm(request.POST)
    if not form.is_valid():
        messages.error(request, f"Say what the next meeting needs to know about {item}.")
        return redirect("meetings:meeting_live", pk=meeting.pk)
    try:
        meeting.park(item, by=request.user, note=form.cleaned_data["note"])
    except Refused as refused:
        return _back_to_live(request, meeting, refused)
    messages.success(request, f"{item} is parked for the next meeting of {meeting.series}.")
    return redirect("meetings:meeting_live", pk=meeting.pk)


@require_http_methods(["GET", "POST"])
def meeting_close(request: HttpRequest, pk: int) -> HttpResponse:
    """Asks the chair what will be different for pupils because the meeting happened, and
    names the items still lacking an action; with the answer, closes the meeting: the log is
    locked and the outbox takes owners, supporting staff and attendees their links."""
    meeting = meeting_with_items(request, pk)
    try:
        meeting.check_change(Change.CLOSE, request.user)
    except Refused as refused:
        return _back_to_live(request, meeting, refused)
    form = CloseForm(request.POST or None)
    if form.is_valid():
        try:
            with transaction.atomic():
                meeting.close(by=request.user, difference=form.cleaned_data["difference"])
                sent = invitations.share_log(meeting=meeting, site=request.build_absolute_uri("/"))
        except Refused as refused:
            return _back_to_live(request, meeting, refused)
        messages.success(
            request,
            f"Meeting closed. The log goes to {sent} member{pluralize(sent)} of staff: owners "
            "and supporting staff with their actions, attendees with the log.",
        )
        return redirect("meetings:meeting_live", pk=meeting.pk)
    context = {"meeting": meeting, "form": form, "undecided": meeting.items_without_action()}
    return render(
        request,
        "meetings/meeting_close_confirm.html",
        context,
        status=422 if form.is_bound else 200,
    )


# The recorder's log.


def _log_forms(meeting: Meeting, items: list, *, data=None, item: str = ""):
    """The recorder's forms: who the action is for, and the action itself (a fresh submit key
    for each new entry); the review date defaults for the chosen pupil's year group."""
    entry = LogEntryForm(data, items=items, initial={"item": item, "key": uuid.uuid4()})
    chosen = entry.chosen()
    pupil = chosen.pupil if chosen and chosen.pupil_id else None

    def action_form() -> ActionForm:
        return ActionForm(
            data,
            school=meeting.school,
            today=timezone.localdate(),
            year_group=pupil.year_group if pupil else None,
            owners_first=[attendee.user_id for attendee in meeting.attendees.all()],
            pupil=pupil,
            logged_kinds=list(meeting.actions.values_list("kind", flat=True)) if data else [],
        )

    # Empty, its fields are most often drawn already (includes/recorder_form.html): it is built
    # (three queries) only when they are not.
    return entry, action_form() if data else SimpleLazyObject(action_form)


def _finding_form(data=None) -> FindingForm:
    return FindingForm(data, initial={"key": uuid.uuid4()})


def meeting_action_create(request: HttpRequest, pk: int) -> HttpResponse:
    """Renders the recorder's Barrier / Action / Owner / Review form; an htmx submit answers with
    the form again, empty and ready for the next entry."""
    meeting = meeting_with_items(request, pk)
    try:
        meeting.check_change(Change.LOG, request.user)
    except Refused as refused:
        return _back_to_live(request, meeting, refused)
    items = list(meeting.items.all())
    data = request.POST if request.method == "POST" else None
    entry, form = _log_forms(meeting, items, data=data, item=request.GET.get("item", ""))
    saved = None
    if data and entry.is_valid() and form.is_valid():
        action = form.save(commit=False)
        entry.apply(action)
        try:
            saved = meeting.log_action(
                action,
                by=request.user,
                key=entry.cleaned_data["key"],
                group_pupils=entry.group_members(),
                supporting=form.cleaned_data["supporting"],
            )
        except Refused as refused:
            return _back_to_live(request, meeting, refused)
        if not request.htmx:
            messages.success(request, f"Action logged for {saved.subject_name}.")
            return redirect("meetings:meeting_live", pk=meeting.pk)
        entry, form = _log_forms(meeting, items, item=entry.cleaned_data["item"])
    if data and not saved and form.errors and (key := entry.cleaned_data.get("key")):
        RefusedEntry.objects.create(school=meeting.school, meeting=meeting, submit_key=key)
    context = {
        "meeting": meeting, "entry": entry, "form": form, "saved": saved,
        "shared_seconds": SHARED_SECONDS,
    }  # fmt: skip
    template = (
        "meetings/includes/recorder_form.html"
        if request.htmx
        else "meetings/meeting_action_form.html"
    )
    return render(request, template, context, status=422 if data and not saved else 200)


@require_POST
def meeting_action_check(request: HttpRequest, pk: int) -> HttpResponse:
    """Renders what the quality rules say of an entry as it is typed, new (`item` chosen) or
    changed (`?action=`): the review date suggested is the one for its pupil's year group, as the
    saved action gets."""
    meeting = meeting_with_items(request, pk)
    context = {"meeting": meeting, "check_url": request.get_full_path()}
    try:
        meeting.check_change(Change.LOG, request.user)
    except Refused as refused:
        return render(
            request, "actions/includes/action_quality.html", context | {"refused": refused}
        )
    changing = request.GET.get("action", "")
    if changing.isdigit():
        action = get_object_or_404(meeting.actions.select_related("pupil"), pk=changing)
        form = _edit_form(meeting, action, data=request.POST)
    else:
        _, form = _log_forms(meeting, list(meeting.items.all()), data=request.POST)
    form.is_valid()
    return render(request, "actions/includes/action_quality.html", context | {"form": form})


def _edit_form(meeting: Meeting, action, *, data=None) -> ActionEditForm:
    return ActionEditForm(
        data,
        instance=action,
        school=meeting.school,
        today=timezone.localdate(),
        year_group=action.pupil.year_group if action.pupil_id else None,
        owners_first=[attendee.user_id for attendee in meeting.attendees.all()],
        initial={"version": action.version},
    )


STALE_ACTION = (
    "Someone else changed this action while you were editing it. Nothing of yours was saved: "
    "what you typed is still below, and the action as they left it is shown above the form."
)


def meeting_action_edit(request: HttpRequest, pk: int, action_pk: int) -> HttpResponse:
    """Renders an action logged in this meeting for the chair or recorder to put right before the
    meeting closes; after that, changes go through reviews."""
    meeting = meeting_with_items(request, pk)
    action = get_object_or_404(meeting.actions.select_related("pupil", "owner"), pk=action_pk)
    try:
        meeting.check_change(Change.CHANGE_ENTRY, request.user)
    except Refused as refused:
        return _back_to_live(request, meeting, refused)
    saved = meeting.actions.select_related("owner").get(pk=action.pk)  # as it stands, for a clash
    form = _edit_form(meeting, action, data=request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            meeting.change_entry(
                action,
                by=request.user,
                version=form.cleaned_data["version"],
                fields=form.saved_fields,
                supporting=form.cleaned_data["supporting"],
            )
        except StaleEdit:
            form.add_error(None, STALE_ACTION)
            form.data = form.data.copy()
            form.data["version"] = saved.version  # saving again, having seen theirs, is deliberate
        except Refused as refused:
            return _back_to_live(request, meeting, refused)
        else:
            messages.success(request, f"Action for {action.subject_name} updated.")
            return redirect("meetings:meeting_live", pk=meeting.pk)
    check_url = reverse("meetings:meeting_action_check", args=[meeting.pk])
    context = {
        "meeting": meeting,
        "action": saved,
        "form": form,
        "check_url": f"{check_url}?action={action.pk}",
    }
    return render(
        request, "meetings/meeting_action_edit.html", context, status=422 if form.errors else 200
    )


@require_POST
def meeting_action_delete(request: HttpRequest, pk: int, action_pk: int) -> HttpResponse:
    """Removes an entry logged by mistake, while the meeting runs; after it closes, the log is
    kept as it was and actions end through their reviews."""
    meeting = meeting_with_items(request, pk)
    action = get_object_or_404(meeting.actions.select_related("pupil"), pk=action_pk)
    try:
        meeting.remove_entry(action, by=request.user)
    except Refused as refused:
        messages.error(request, str(refused))
        if meeting.is_running:
            return redirect("meetings:meeting_action_edit", pk=meeting.pk, action_pk=action.pk)
        return redirect("meetings:meeting_live", pk=meeting.pk)
    messages.success(request, f"The entry for {action.subject_name} is removed from the log.")
    return redirect("meetings:meeting_live", pk=meeting.pk)


@require_POST
def meeting_finding_create(request: HttpRequest, pk: int) -> HttpResponse:
    """Logs what the patterns section found; an htmx submit answers with the form again, empty."""
    meeting = meeting_with_items(request, pk)
    try:
        meeting.check_change(Change.LOG, request.user)
    except Refused as refused:
        return _back_to_live(request, meeting, refused)
    form = _finding_form(request.POST)
    if not form.is_valid():
        if request.htmx:
            context = {"meeting": meeting, "finding_form": form}
            return render(request, "meetings/includes/finding_form.html", context, status=422)
        messages.error(request, "The finding was not saved: say what was found.")
        return redirect("meetings:meeting_live", pk=meeting.pk)
    try:
        meeting.log_finding(by=request.user, key=form.cleaned_data["key"], **form.finding())
    except Refused as refused:
        return _back_to_live(request, meeting, refused)
    if not request.htmx:
        messages.success(request, "Finding logged.")
        return redirect("meetings:meeting_live", pk=meeting.pk)
    context = {"meeting": meeting, "finding_form": _finding_form(), "finding_saved": True}
    return render(request, "meetings/includes/finding_form.html", context)

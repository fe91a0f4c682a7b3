from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Count, Prefetch, Q, prefetch_related_objects
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.formats import date_format
from django.views.decorators.http import require_POST, require_safe

from actions.models import Action, Due, FollowUp, Review
from meetings import invitations, nomination_views, people, rhythm_views, subject_access
from meetings.agenda import build_agenda
from meetings.focus import LARGE_ROOM
from meetings.forms import InviteForm, MeetingForm, ShortlistForm, SummaryForm
from meetings.models import (
    Attendee,
    Change,
    Item,
    Meeting,
    Refused,
    Summary,
    default_length,
    summaries_data,
    summary_data,
)
from meetings.shortlist import propose
from progress import outbox, pdf
from progress.htmx import paged, render_page
from progress.models import AccessEvent, HalfTerm, Role, StaffRole, StaleEdit
from pupils.models import Pupil

# The previous actions due listed on the meeting's page a page at a time: a meeting of a whole
# year at a big school has hundreds, which the live meeting pages through in eights.
PREVIOUS_ON_PAGE = 25
STALE_MEETING = (
    "Someone else changed this meeting while you were editing it. Nothing was saved and what "
    "you typed is still below: open the meeting again to see their changes, then make yours."
)


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    """Renders what the signed-in member of staff should do next, by role."""
    user, today = request.user, timezone.localdate()
    half_terms = HalfTerm.objects.for_user(user).select_related("academic_year")
    half_term = half_terms.containing(today).first()
    context = {
        "half_term": half_term,
        "meetings": Meeting.objects.for_user(user)
        .upcoming(on=today)
        .annotate(
            item_count=Count("items", distinct=True),
            ready=Count(
                "items__summary",
                filter=Q(items__summary__status=Summary.Status.READY),
                distinct=True,
            ),
            summaries=Count("items__summary", distinct=True),
        )[:8],
        "summaries": Summary.objects.for_user(user)
        .filter(teacher=user, item__meeting__date__gte=today)
        .exclude(status=Summary.Status.READY)
        .select_related("item__pupil", "item__meeting")
        .order_by("item__meeting__date")[:12],
    }
    mine = Action.objects.filter(owner=user).open()
    context["my_actions"] = mine.select_related("pupil")[:6]
    context["my_overdue"] = mine.overdue(on=today).count()
    context["due"] = Due
    if user.is_leader:
        school_actions = Action.objects.for_user(user)
        context["school_overdue"] = school_actions.overdue(on=today).count()
        context["school_due_soon"] = school_actions.due_soon(on=today).count()
    if half_term:
        context["week"] = half_term.week_of(today)
        context["school_days_left"] = half_term.school_days_left(today)
    else:
        context["next_half_term"] = half_terms.filter(starts_on__gt=today).first()
    if user.is_leader or user.manages_school_data:
        counts = dict(
            StaffRole.objects.filter(school=user.school, user__is_active=True)
            .values_list("role")
            .annotate(Count("id"))
        )
        context["staff_by_role"] = [(role.label, counts.get(role, 0)) for role in Role]
    return render(request, "meetings/home.html", context)


@require_safe
def meeting_list(request: HttpRequest) -> HttpResponse:
    """Renders the meetings the user may see, upcoming first."""
    today = timezone.localdate()
    meetings = Meeting.objects.for_user(request.user).annotate(
        item_count=Count("items", distinct=True),
        ready=Count(
            "items__summary", filter=Q(items__summary__status=Summary.Status.READY), distinct=True
        ),
        summaries=Count("items__summary", distinct=True),
    )
    return render(
        request,
        "meetings/meeting_list.html",
        {
            "upcoming": meetings.upcoming(on=today),
            "past": meetings.exclude(pk__in=meetings.upcoming(on=today)).order_by("-date")[:20],
        },
    )


def _require_scheduler(user) -> None:
    """Leaders schedule meetings for the school, line managers for their remit."""
    if not user.may_schedule:
        raise PermissionDenied


def meeting_create(request: HttpRequest) -> HttpResponse:
    """Renders and saves a new meeting; the next step is its shortlist."""
    _require_scheduler(request.user)
    initial = {
        "focus": request.GET.get("focus", ""),
        # ?year_groups=5: from a school pattern's "Start a meeting's shortlist".
        "year_groups": [int(y) for y in request.GET.getlist("year_groups") if y.isdigit()],
        "length": default_length(request.user.school),
        "attendees": [request.user],
    }
    # ?after=<meeting>: the next meeting of its series, proposed (`meetings.rhythm`).
    proposal = rhythm_views.proposal_for(request)
    if proposal:
        initial |= proposal.initial
    form = MeetingForm(
        request.POST or None,
        school=request.user.school,
        initial=initial,
        hints=None if proposal else request.GET,
        by=request.user,
    )
    if request.method == "POST" and form.is_valid():
        meeting = form.save_meeting(by=request.user)
        meeting.save()
        meeting.groups.set(form.cleaned_data["groups"], through_defaults={"school": meeting.school})
        meeting.set_attendees(
            chair=form.cleaned_data["chair"],
            recorder=form.cleaned_data["recorder"],
            others=form.cleaned_data["attendees"],
        )
        messages.success(request, "Meeting scheduled. Now choose the pupils to discuss.")
        if meeting.attendees.count() > LARGE_ROOM:
            messages.warning(
                request,
                f"{meeting.attendees.count()} people is a large room: invite only those who will "
                "act on what is decided.",
            )
        return redirect("meetings:meeting_shortlist", pk=meeting.pk)
    status = 422 if form.is_bound else 200
    return render_page(
        request,
        "meetings/meeting_form.html",
        {"form": form, "proposal": proposal},
        partial="focus-help",
        status=status,
    )


def meeting_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Renders and saves changes to a meeting not yet started, refusing to overwrite someone
    else's."""
    meeting = get_object_or_404(Meeting.objects.for_user(request.user), pk=pk)
    try:
        meeting.check_change(Change.EDIT, request.user)
    except Refused as refused:
        messages.error(request, str(refused))
        return redirect(meeting)
    form = MeetingForm(
        request.POST or None,
        instance=meeting,
        school=request.user.school,
        hints=request.GET,
        by=request.user,
    )
    if request.method == "POST" and form.is_valid():
        meeting = form.save_meeting(by=request.user)
        try:
            meeting.save_edit(
                by=request.user, version=form.cleaned_data["version"] or 0, fields=form.saved_fields
            )
        except StaleEdit:
            form.add_error(None, STALE_MEETING)
        except Refused as refused:
            form.add_error(None, str(refused))
        else:
            meeting.groups.set(
                form.cleaned_data["groups"], through_defaults={"school": meeting.school}
            )
            meeting.set_attendees(
                chair=form.cleaned_data["chair"],
                recorder=form.cleaned_data["recorder"],
                others=form.cleaned_data["attendees"],
            )
            messages.success(request, "Meeting saved.")
            return redirect(meeting)
    status = 422 if form.is_bound else 200
    return render_page(
        request,
        "meetings/meeting_form.html",
        {"form": form, "meeting": meeting},
        partial="focus-help",
        status=status,
    )


def meeting_delete(request: HttpRequest, pk: int) -> HttpResponse:
    """Renders what deleting a meeting not yet started would lose (its pupils, and the summaries
    teachers have begun); deletes it once confirmed. One that has started is part of the record
    and stays."""
    meeting = meeting_with_items(request, pk)
    try:
        meeting.check_change(Change.DELETE, request.user)
    except Refused as refused:
        messages.error(request, str(refused))
        return redirect(meeting)
    if request.method == "POST":
        try:
            meeting.delete_before_it_runs(by=request.user)
        except Refused as refused:
            messages.error(request, str(refused))
            return redirect(meeting)
        messages.success(request, f"Deleted the meeting on {date_format(meeting.date)}.")
        return redirect("meetings:meeting_list")
    items = list(meeting.items.all())
    begun = [
        item.summary
        for item in items
        if hasattr(item, "summary") and item.summary.status != Summary.Status.TO_DO
    ]
    context = {"meeting": meeting, "items": items, "begun": begun}
    return render(request, "meetings/meeting_delete.html", context)


def meeting_with_items(request: HttpRequest, pk: int, *, meetings=None) -> Meeting:
    """The meeting `pk` among those the user may see (`meetings`, else the ones they attend or
    lead), with its people and items; a 404 for any other."""
    if meetings is None:
        meetings = Meeting.objects.for_user(request.user)
    meetings = meetings.prefetch_related(
        Prefetch("attendees", queryset=Attendee.objects.select_related("user")),
        Prefetch("items", queryset=Item.objects.select_related("pupil", "summary__teacher")),
        "groups",
    )
    meeting = get_object_or_404(meetings.select_related("series"), pk=pk)
    # The pupils of its group items: a meeting of pupil items alone has none to read.
    prefetch_related_objects([i for i in meeting.items.all() if not i.pupil_id], "group_pupils")
    return meeting


@require_safe
def meeting_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """Renders the meeting: purpose, people, agenda with timings, and summary readiness."""
    meeting = meeting_with_items(request, pk)
    items = list(meeting.items.all())
    ready, asked = meeting.readiness()
    previous, previous_query = paged(
        request, meeting.previous_actions().select_related("pupil", "owner"), PREVIOUS_ON_PAGE
    )
    context = {
        "meeting": meeting,
        "agenda": build_agenda(meeting=meeting, items=items),
        "items": items,
        "ready": ready,
        "asked": asked,
        "allowed": meeting.allowed(request.user),
        "previous": previous,
        "previous_query": previous_query,
        "actions": meeting.actions.select_related("pupil", "owner").prefetch_related("reviews"),
        "follow_ups": FollowUp.objects.filter(action__meeting=meeting).select_related(
            "action__pupil", "owner"
        ),
        # Who was sent what, and the mail server's errors: for the chair and its organisers.
        "emails": outbox.about(meeting)
        if meeting.may_organise(request.user) or meeting.is_chair(request.user)
        else [],
        "today": timezone.localdate(),
    }
    if "edit" in context["allowed"]:
        send, sencos = people.senco_to_invite(meeting, items, on=context["today"])
        on_agenda = {item.pupil_id for item in items}
        waiting = meeting.nominations.select_related("pupil", "by").order_by("created_at")
        context |= {
            "send_pupils": send,
            "sencos_to_invite": sencos,
            # Pupils staff put forward whom the agenda does not have yet: for whoever chooses.
            "put_forward": [n for n in waiting if n.pupil_id not in on_agenda],
        }
    return render(request, "meetings/meeting_detail.html", context)


@require_POST
def meeting_invite(request: HttpRequest, pk: int) -> HttpResponse:
    """Adds a member of staff of the school to the people coming (the SENCO suggested)."""
    meeting = meeting_with_items(request, pk)
    form = InviteForm(request.POST, school=request.user.school)
    if not form.is_valid():
        raise Http404
    user = form.cleaned_data["user"]
    try:
        meeting.invite(user, by=request.user)
    except Refused as refused:
        messages.error(request, str(refused))
    else:
        messages.success(request, f"{user} is invited: send the agenda to let them know.")
    return redirect(meeting)


def meeting_shortlist(request: HttpRequest, pk: int) -> HttpResponse:
    """Renders the proposed pupils with their reasons; saving confirms the meeting's items."""
    meeting = meeting_with_items(request, pk)
    try:
        meeting.check_change(Change.SHORTLIST, request.user)
    except Refused as refused:
        messages.error(request, str(refused))
        return redirect(meeting)
    proposals = propose(meeting=meeting, on=timezone.localdate())
    if not request.user.is_leader:  # a line manager chooses among the pupils they may see
        visible = set(
            Pupil.objects.for_user(request.user)
            .filter(pk__in=[proposal.pupil.pk for proposal in proposals])
            .values_list("pk", flat=True)
        )
        proposals = [proposal for proposal in proposals if proposal.pupil.pk in visible]
    initial = {
        "pupils": [str(item.pupil_id) for item in meeting.items.all() if item.pupil_id],
        "over_cap_reason": meeting.over_cap_reason,
    }
    if group := next((item for item in meeting.items.all() if not item.pupil_id), None):
        initial |= {
            "group_name": group.group_name,
            "group_pupils": [str(pupil.pk) for pupil in group.group_pupils.all()],
            "group_reason": group.reason,
        }
    if not meeting.items.all():
        # A first shortlist: what the last meeting parked, then the strongest proposals, up to
        # the items the meeting has room for.
        initial |= _carried(meeting)
        room = meeting.item_cap - len(initial["pupils"]) - bool(initial.get("group_name"))
        taken = {*initial["pupils"], *initial.get("group_pupils", [])}  # a parked group's too
        strongest = [str(p.pupil.pk) for p in proposals if str(p.pupil.pk) not in taken]
        initial["pupils"] += strongest[: max(room, 0)]
    initial = nomination_views.choices_carried(request.GET, initial)  # after adding a pupil
    form = ShortlistForm(
        request.POST or None, proposals=proposals, meeting=meeting, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        pupils, groups = form.chosen()
        sent = meeting.agenda_sent_at
        meeting.confirm_shortlist(
            by=request.user,
            pupils=pupils,
            groups=groups,
            over_cap_reason=form.cleaned_data["over_cap_reason"],
            doing_well={proposal.pupil.pk for proposal in proposals if proposal.doing_well},
        )
        messages.success(
            request,
            f"{len(pupils) + len(groups)} items on the agenda; "
            "summaries requested from their teachers."
            + (" The agenda has changed since it was sent: send it again." if sent else ""),
        )
        return redirect(meeting)
    context = {
        "meeting": meeting,
        "form": form,
        "proposals": proposals,
        "put_forward": [proposal for proposal in proposals if proposal.nominations],
        "add_form": nomination_views.add_pupil_form(meeting, proposals=proposals, by=request.user),
    }
    return render(
        request, "meetings/meeting_shortlist.html", context, status=422 if form.is_bound else 200
    )


def _carried(meeting: Meeting) -> dict:
    """The shortlist's starting choices from the items parked at the last meeting of the series."""
    parked = list(meeting.parked_before().prefetch_related("group_pupils"))
    initial = {"pupils": [str(item.pupil_id) for item in parked if item.pupil_id]}
    for item in parked:
        if not item.pupil_id:
            initial |= {
                "group_name": item.group_name,
                "group_pupils": [str(pupil.pk) for pupil in item.group_pupils.all()],
                "group_reason": f"Parked last time: {item.parked_note}",
            }
    return initial


@require_POST
def meeting_send(request: HttpRequest, pk: int) -> HttpResponse:
    """E-mails every attendee a link and a calendar invitation; no pupil details go by e-mail."""
    meeting = meeting_with_items(request, pk)
    try:
        meeting.check_change(Change.SEND_AGENDA, request.user)
    except Refused as refused:
        messages.error(request, str(refused))
        return redirect(meeting)
    with transaction.atomic():
        meeting.record_agenda_sent(by=request.user)
        sent = invitations.send_agenda(meeting=meeting, request=request)
    messages.success(request, f"Sent the agenda to {sent} attendee{'s' if sent != 1 else ''}.")
    return redirect(meeting)


@require_POST
def meeting_remind(request: HttpRequest, pk: int) -> HttpResponse:
    """Reminds each teacher whose summaries are not ready yet."""
    meeting = meeting_with_items(request, pk)
    try:
        meeting.check_change(Change.REMIND, request.user)
    except Refused as refused:
        messages.error(request, str(refused))
        return redirect(meeting)
    with transaction.atomic():
        sent = invitations.remind_teachers(meeting=meeting, request=request)
    messages.success(request, f"Reminded {sent} teacher{'s' if sent != 1 else ''}.")
    return redirect(meeting)


def summary_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Renders a one-page summary: the data filled in, the teacher's words saved as drafts."""
    summaries = Summary.objects.for_user(request.user).select_related(
        "item__pupil", "item__meeting", "teacher"
    )
    summary = get_object_or_404(summaries, pk=pk)
    meeting = summary.item.meeting
    editable = summary.may_write(request.user)
    form = SummaryForm(request.POST or None, instance=summary, initial={"version": summary.version})
    saved = False
    if request.method == "POST" and form.is_valid():
        try:
            summary.save_words(form, by=request.user, ready=bool(request.POST.get("ready")))
        except StaleEdit:
            form.add_error(None, STALE_SUMMARY)
        except Refused as refused:
            form.add_error(None, str(refused))
        else:
            saved = True
    if saved and not request.htmx:
        ready = summary.status == Summary.Status.READY
        messages.success(request, "Summary ready for the meeting." if ready else "Draft saved.")
        return redirect("meetings:summary_edit", pk=summary.pk)
    context = {
        "summary": summary,
        "meeting": meeting,
        "pupil": summary.item.pupil,
        "data": summary.snapshot or summary_data(pupil=summary.item.pupil, on=timezone.localdate()),
        "form": form,
        "editable": editable,
        "saved": saved,
    }
    status = 422 if form.is_bound and form.errors else 200
    return render_page(
        request, "meetings/summary_form.html", context, partial="summary-status", status=status
    )


STALE_SUMMARY = (
    "This summary was saved from somewhere else meanwhile: copy your words, reload and save again."
)


@require_safe
def meeting_pack(request: HttpRequest, pk: int) -> HttpResponse:
    """Renders the agenda and every summary as one PDF, a summary to an A4 page."""
    meeting = meeting_with_items(request, pk)
    items = list(meeting.items.all())
    ready, asked = meeting.readiness()
    context = {
        "meeting": meeting,
        "agenda": build_agenda(meeting=meeting, items=items),
        "summaries": _summaries(items),
        "ready": ready,
        "asked": asked,
    }
    AccessEvent.record(request, AccessEvent.Kind.EXPORT, f"the meeting pack of {meeting}")
    return pdf.response(
        "meetings/meeting_pack.html",
        context,
        request=request,
        filename=f"meeting-pack-{meeting.date:%Y-%m-%d}.pdf",
    )


@require_safe
def meeting_minutes(request: HttpRequest, pk: int) -> HttpResponse:
    """Renders the minutes from the log: what will be different for pupils, the previous actions
    reviewed, what the patterns showed, who was discussed, what was decided, who is responsible
    and the follow-ups. An owner or supporting member of staff who was not at the meeting sees
    only their own pupils' part, with each pupil's one-page summary, once it has closed."""
    user = request.user
    if Meeting.objects.for_user(user).filter(pk=pk).exists():
        meeting, theirs = meeting_with_items(request, pk), None
    else:
        meeting = _meeting_they_act_for(request, pk)
        theirs = list(
            meeting.actions.filter(Q(owner=user) | Q(supporting=user)).values_list("pk", flat=True)
        )
    actions = list(
        meeting.actions.select_related("pupil", "owner")
        .prefetch_related("supporting", "group_pupils", "follow_ups__owner")
        .order_by("pk")
    )
    if theirs is not None:
        actions = [action for action in actions if action.pk in theirs]
    items = [
        item
        for item in meeting.items.all()
        if theirs is None or any(item.is_about(action) for action in actions)
    ]
    responsible: dict = {}
    for action in actions:
        responsible.setdefault(action.owner, []).append(action)
    context = {
        "meeting": meeting,
        "part": theirs is not None,
        "findings": list(meeting.findings.all()) if theirs is None else [],
        "reviews": _reviewed_here(meeting) if theirs is None else [],
        "deferrals": list(meeting.deferrals.select_related("action__pupil", "action__owner"))
        if theirs is None
        else [],
        "group_actions": [a for a in actions if not any(item.is_about(a) for item in items)],
        "discussed": [(item, [a for a in actions if item.is_about(a)]) for item in items],
        "responsible": sorted(responsible.items(), key=lambda pair: pair[0].display_name),
        "follow_ups": [follow_up for action in actions for follow_up in action.follow_ups.all()],
        "summaries": _summaries(items) if theirs is not None else [],
    }
    return render(request, "meetings/meeting_minutes.html", context)


def _meeting_they_act_for(request: HttpRequest, pk: int) -> Meeting:
    """A closed meeting of the user's school in which they own or support an action: what an
    owner who was not in the room may open. Any other is a 404."""
    user = request.user
    acting = Q(actions__owner=user) | Q(actions__supporting=user)
    meetings = Meeting.objects.filter(acting, school=user.school_id, status=Meeting.Status.CLOSED)
    return meeting_with_items(request, pk, meetings=meetings.distinct())


def _reviewed_here(meeting: Meeting) -> list:
    """The reviews of previous actions recorded at this meeting."""
    return list(
        Review.objects.filter(meeting=meeting).select_related("action__pupil", "action__owner")
    )


def _summaries(items: list) -> list:
    """Each pupil item's one-page summary as the meeting saw it: the data kept when it was
    marked ready, else today's, for all of them in a fixed number of queries."""
    items = [item for item in items if item.pupil_id and hasattr(item, "summary")]
    drafts = [item.pupil for item in items if not item.summary.snapshot]
    today = summaries_data(pupils=drafts, on=timezone.localdate())
    return [(item.summary, item.summary.snapshot or today[item.pupil_id]) for item in items]


@require_safe
def pupil_subject_access(request: HttpRequest, pk: int) -> HttpResponse:
    """Downloads everything held about one pupil, for a subject-access request: a senior
    leader's task."""
    pupil = get_object_or_404(Pupil.objects.for_user(request.user), pk=pk)
    if not request.user.roles & {Role.SENIOR_LEADER}:
        raise PermissionDenied
    AccessEvent.record(request, AccessEvent.Kind.EXPORT, f"everything held about {pupil.name}")
    try:
        archive = subject_access.export(pupil, request=request)
    except pdf.NotDrawn as reason:
        return pdf.not_drawn(request, reason)
    response = HttpResponse(archive, content_type="application/zip")
    name = f"subject-access-{pupil.pk}-{timezone.localdate():%Y-%m-%d}.zip"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response

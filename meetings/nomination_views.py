"""Putting a pupil forward for a meeting: a teacher's concern, from the meeting or from the
pupil's page, and a leader's addition from the shortlist. Each shows on the shortlist beside the
data's reasons, marked as theirs (`meetings.shortlist`)."""

from django.contrib import messages
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST
from django_htmx.http import HttpResponseClientRedirect

from meetings.models import Attendee, Change, Item, Meeting, Nomination, Refused
from meetings.nomination_forms import AddPupilForm, PutForwardForm, PutPupilForwardForm
from pupils.models import Pupil

BY_NAME = ("legal_surname", "legal_forename", "pk")
# The shortlist's choices, carried through adding a pupil so that no tick is lost.
CHOICES = ("pupils", "group_pupils", "group_name", "group_reason", "over_cap_reason")


def _meetings(user):
    return Meeting.objects.prefetch_related(
        Prefetch("attendees", queryset=Attendee.objects.select_related("user")), "groups"
    ).for_user(user)


def _meeting_to_put_forward_for(request: HttpRequest, pk: int) -> tuple[Meeting, bool]:
    """The meeting `pk`, and whether the user sees it anyway (they attend, or lead): else only
    while it is being prepared and they may put forward a pupil in its scope. A teacher learns of
    a meeting they do not attend only here, and only its title and date. Any other is a 404."""
    user = request.user
    meeting = _meetings(user).filter(pk=pk).first()
    if meeting is not None:
        return meeting, True
    meeting = (
        Meeting.objects.being_prepared(user, on=timezone.localdate())
        .prefetch_related("attendees", "groups")
        .filter(pk=pk)
        .first()
    )
    if not (meeting and _open_to(meeting, user)):
        raise Http404
    return meeting, False


def _open_to(meeting: Meeting, user) -> bool:
    """Whether `user` may put a pupil forward for `meeting` now, and has one in its scope."""
    return meeting.allows(Change.PUT_FORWARD, user) and meeting.pupils_to_put_forward(user).exists()


def meeting_put_forward(request: HttpRequest, pk: int) -> HttpResponse:
    """Renders the form that puts one of the user's pupils in the meeting's scope forward, with
    their reason, and the pupils they have put forward; saving adds one."""
    user = request.user
    meeting, sees_it = _meeting_to_put_forward_for(request, pk)
    try:
        meeting.check_change(Change.PUT_FORWARD, user)
    except Refused as refused:
        messages.error(request, str(refused))
        return redirect(meeting)
    theirs = meeting.nominations.filter(by=user).select_related("pupil")
    on_agenda = meeting.items.filter(pupil__isnull=False).values("pupil")
    pupils = (
        meeting.pupils_to_put_forward(user)
        .exclude(pk__in=theirs.values("pupil"))
        .exclude(pk__in=on_agenda)
    )
    form = PutForwardForm(request.POST or None, pupils=pupils.order_by(*BY_NAME))
    if request.method == "POST" and form.is_valid():
        pupil = form.cleaned_data["pupil"]
        try:
            meeting.put_forward(pupil, by=user, reason=form.cleaned_data["reason"])
        except Refused as refused:
            form.add_error(None, str(refused))
        else:
            messages.success(request, _put_forward_message(pupil, meeting))
            return redirect("meetings:meeting_put_forward", pk=meeting.pk)
    context = {
        "meeting": meeting,
        "form": form,
        "nominations": _with_agenda(meeting, list(theirs)),
        "sees_it": sees_it,
    }
    status = 422 if form.is_bound else 200
    return render(request, "meetings/meeting_put_forward.html", context, status=status)


def pupil_put_forward(request: HttpRequest, pk: int) -> HttpResponse:
    """Renders the meetings being prepared whose scope includes the pupil, for the user to put
    them forward for one with their reason, and those they have put them forward for already."""
    user = request.user
    pupil = get_object_or_404(Pupil.objects.for_user(user).on_roll(), pk=pk)
    candidates = Meeting.objects.being_prepared(user, on=timezone.localdate()).prefetch_related(
        "attendees", "groups"
    )
    meetings = [
        meeting
        for meeting in candidates
        if meeting.allows(Change.PUT_FORWARD, user)
        and meeting.pupils_to_put_forward(user).filter(pk=pupil.pk).exists()
    ]  # a query a meeting: a school prepares a handful at a time
    theirs = list(
        Nomination.objects.filter(by=user, pupil=pupil, meeting__in=meetings).select_related(
            "meeting"
        )
    )
    done = {nomination.meeting_id for nomination in theirs}
    open_meetings = [meeting for meeting in meetings if meeting.pk not in done]
    form = PutPupilForwardForm(
        request.POST or None,
        meetings=Meeting.objects.filter(pk__in=[meeting.pk for meeting in open_meetings]),
        pupil=pupil,
        initial={"meeting": open_meetings[0].pk} if len(open_meetings) == 1 else {},
    )
    if request.method == "POST" and form.is_valid():
        meeting = form.cleaned_data["meeting"]
        try:
            meeting.put_forward(pupil, by=user, reason=form.cleaned_data["reason"])
        except Refused as refused:
            form.add_error(None, str(refused))
        else:
            messages.success(request, _put_forward_message(pupil, meeting))
            return redirect("pupil_put_forward", pk=pupil.pk)
    on_agenda = set(
        Item.objects.filter(meeting__in=done, pupil=pupil).values_list("meeting_id", flat=True)
    )
    context = {
        "pupil": pupil,
        "form": form,
        "open_meetings": open_meetings,
        "nominations": [(nomination, nomination.meeting_id in on_agenda) for nomination in theirs],
    }
    status = 422 if form.is_bound else 200
    return render(request, "meetings/pupil_put_forward.html", context, status=status)


def _put_forward_message(pupil: Pupil, meeting: Meeting) -> str:
    return (
        f"{pupil.name} is put forward for {meeting.title.lower()} on "
        f"{meeting.date:%A %-d %B}: whoever chooses the pupils sees your reason beside the data."
    )


def _with_agenda(meeting: Meeting, nominations: list) -> list:
    """Each nomination with whether its pupil is on the agenda yet."""
    on_agenda = set(meeting.items.values_list("pupil_id", flat=True))
    return [(nomination, nomination.pupil_id in on_agenda) for nomination in nominations]


@require_POST
def nomination_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    """Withdraws one of the user's own nominations before the meeting starts, and goes back."""
    user = request.user
    nomination = get_object_or_404(
        Nomination.objects.filter(school=user.school_id, by=user).select_related(
            "meeting", "pupil"
        ),
        pk=pk,
    )
    meeting, pupil = nomination.meeting, nomination.pupil
    try:
        meeting.withdraw(nomination, by=user)
    except Refused as refused:
        messages.error(request, str(refused))
    else:
        messages.success(
            request,
            f"{pupil.name} is no longer put forward for the meeting on {meeting.date:%-d %B}.",
        )
    back = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(back, {request.get_host()}, request.is_secure()):
        return redirect(back)
    return redirect("meetings:meeting_put_forward", pk=meeting.pk)


def meeting_shortlist_add(request: HttpRequest, pk: int) -> HttpResponse:
    """Adds a pupil in scope the data did not propose, with the leader's reason, and goes back to
    the shortlist with them proposed and ticked, and the other choices as they were."""
    user = request.user
    meeting = get_object_or_404(_meetings(user), pk=pk)
    try:
        meeting.check_change(Change.SHORTLIST, user)
    except Refused as refused:
        messages.error(request, str(refused))
        return redirect(meeting)
    theirs = meeting.nominations.filter(by=user).values("pupil")
    pupils = meeting.pupils_to_put_forward(user).exclude(pk__in=theirs).order_by(*BY_NAME)
    form = AddPupilForm(request.POST or None, pupils=pupils, prefix="add")
    carried = _carried(request.POST)
    if request.method == "POST" and form.is_valid():
        pupil = form.cleaned_data["pupil"]
        try:
            meeting.put_forward(pupil, by=user, reason=form.cleaned_data["reason"])
        except Refused as refused:
            form.add_error(None, str(refused))
        else:
            messages.success(request, f"{pupil.name} is added to the proposals, ticked.")
            carried["added"] = str(pupil.pk)
            shortlist = reverse("meetings:meeting_shortlist", args=[meeting.pk])
            back = f"{shortlist}?{carried.urlencode()}#proposal-{pupil.pk}"
            return HttpResponseClientRedirect(back) if request.htmx else redirect(back)
    context = {"meeting": meeting, "add_form": form, "carried": carried}
    status = 422 if form.is_bound else 200
    if request.htmx:
        return render(request, "meetings/meeting_shortlist.html#add-pupil", context, status=status)
    return render(request, "meetings/meeting_shortlist_add.html", context, status=status)


def _carried(data: QueryDict) -> QueryDict:
    """The shortlist's choices in `data`, when it came from the shortlist's form."""
    carried = QueryDict(mutable=True)
    if data.get("carried"):
        carried["carried"] = "1"
        for name in CHOICES:
            carried.setlist(name, data.getlist(name))
    return carried


def add_pupil_form(meeting: Meeting, *, proposals: list, by) -> AddPupilForm:
    """The shortlist's own "add a pupil" form: the pupils in scope `by` may see, not proposed
    already."""
    proposed = [proposal.pupil.pk for proposal in proposals]
    pupils = meeting.pupils_to_put_forward(by).exclude(pk__in=proposed).order_by(*BY_NAME)
    return AddPupilForm(pupils=pupils, prefix="add")


def choices_carried(query: QueryDict, initial: dict) -> dict:
    """The shortlist's starting choices: those carried through adding a pupil when there are,
    else `initial`; with the pupil just added ticked too."""
    if query.get("carried"):
        initial = {name: query.getlist(name) for name in ("pupils", "group_pupils")} | {
            name: query.get(name, "") for name in ("group_name", "group_reason", "over_cap_reason")
        }
    added = query.get("added")
    if added and added not in initial.get("pupils", []):
        initial = initial | {"pupils": [*initial.get("pupils", []), added]}
    return initial

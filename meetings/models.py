"""Pupil progress meetings: what they are for, who comes, which pupils, and the summaries.

A meeting has a lifecycle (scheduled, pupils chosen, agenda sent, running, closed). Every change
to it is a method here that checks the meeting's state and who is asking before it changes
anything (`Meeting.check_change`), so that no view can skip a rule.
"""

import datetime as dt
import enum
import uuid
from collections import defaultdict
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, models, transaction
from django.db.models import Case, Exists, F, OuterRef, Prefetch, Q, When
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from simple_history.models import HistoricalRecords

from actions.models import Action, ActionPupil, Deferral, Review, plan_follow_through
from meetings import live
from meetings.agenda import Section
from meetings.focus import GUIDES, ITEM_CAP, Focus
from progress.models import Role as StaffRole
from progress.models import School, SchoolScopedQuerySet, User, save_if_unchanged
from pupils.domain import Effort, YearGroup
from pupils.models import Group, Pupil
from pupils.snapshot import pupil_data, pupils_data

LENGTHS = [(30, "30 minutes"), (45, "45 minutes"), (60, "60 minutes")]
DEFAULT_LENGTH = 45  # a new meeting's, unless the school chooses another


def lengths_offered(school: School) -> list[tuple[int, str]]:
    """The lengths the school's meetings may have (`School.settings`): all three unless it
    offers fewer. Only these three: the agenda is written for them (`agenda.STRUCTURE`)."""
    own = set(school.settings.meeting_lengths)
    return [(minutes, label) for minutes, label in LENGTHS if minutes in own] or LENGTHS


def default_length(school: School) -> int:
    """How long a new meeting is unless its leader says otherwise: the school's choice, one of
    the lengths it offers."""
    offered = [minutes for minutes, _ in lengths_offered(school)]
    chosen = school.settings.own("default_length", DEFAULT_LENGTH)
    return chosen if chosen in offered else min(offered, key=lambda m: abs(m - chosen))


class Refused(Exception):
    """A change the meeting's state does not allow, in words; nothing was changed."""


class Series(models.Model):
    """Meetings that follow one another ("Year 6 half-termly"), each opening with the last one's
    actions."""

    class Cadence(models.TextChoices):
        TERMLY = "termly", "Termly"
        HALF_TERMLY = "half_termly", "Half-termly"
        MONTHLY = "monthly", "Monthly"
        FORTNIGHTLY = "fortnightly", "Fortnightly"

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")
    name = models.CharField(max_length=100)
    cadence = models.CharField(
        "how often it meets",
        max_length=12,
        choices=Cadence,
        default=Cadence.TERMLY,
        help_text="Termly for most year groups; half-termly or more often for exam years.",
    )

    objects = SchoolScopedQuerySet.as_manager()

    class Meta:
        verbose_name_plural = "series"
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["school", "name"], name="unique_series_name")
        ]

    def __str__(self) -> str:
        return self.name


class MeetingQuerySet(SchoolScopedQuerySet):
    def for_user(self, user) -> "MeetingQuerySet":
        """Leaders see every meeting of their school; others the meetings they attend, and a
        line manager those they scheduled too."""
        meetings = super().for_user(user)
        if user.is_authenticated and not user.is_leader:
            theirs = Q(pk__in=Attendee.objects.filter(user=user).values("meeting"))
            if user.is_line_manager:
                theirs |= Q(created_by=user)
            meetings = meetings.filter(theirs)
        return meetings

    def upcoming(self, *, on: dt.date) -> "MeetingQuerySet":
        return self.filter(date__gte=on).exclude(status=Meeting.Status.CLOSED)

    def being_prepared(self, user, *, on: dt.date) -> "MeetingQuerySet":
        """Every meeting of the user's school still to come and not started, whether or not they
        attend: those a pupil may be put forward for (`Meeting.put_forward` checks the pupil)."""
        return super().for_user(user).upcoming(on=on).filter(status__in=Meeting.PREPARING)


class Change(enum.StrEnum):
    """Everything that changes a meeting once it is scheduled. Each goes through
    `Meeting.check_change`, which knows in which states it may happen and who may make it."""

    EDIT = "edit"
    SHORTLIST = "shortlist"
    SEND_AGENDA = "send_agenda"
    REMIND = "remind"
    DELETE = "delete"
    START = "start"
    MOVE = "move"
    DEFER = "defer"
    REVIEW = "review"
    PARK = "park"
    LOG = "log"
    CHANGE_ENTRY = "change_entry"
    REMOVE_ENTRY = "remove_entry"
    CLOSE = "close"
    IMPACT = "impact"
    PUT_FORWARD = "put_forward"


# Who may make a change: a leader of the school or a line manager whose remit the meeting is in
# (who schedule meetings), the meeting's chair, or whoever writes its log (the chair and the
# recorder).
ORGANISER, CHAIR, RECORDER = "organiser", "chair", "recorder"
# Who may put a pupil forward for a meeting being prepared: anyone attending it, its organisers,
# and the teachers and line managers of pupils in its scope (teaching assistants and
# intervention leads put their concerns to the class teacher, unless they attend).
NOMINATOR = "nominator"
PUTS_FORWARD = frozenset(
    {
        StaffRole.TEACHER,
        StaffRole.HEAD_OF_YEAR,
        StaffRole.HEAD_OF_DEPARTMENT,
        StaffRole.PHASE_LEADER,
    }
)


@dataclass(frozen=True)
class Rule:
    doing: str  # the change in words, for a refusal: "deferring a previous action"
    states: frozenset[str]
    who: str
    section: Section | None = None  # the part of a running meeting it belongs to


class Meeting(models.Model):
    class Status(models.TextChoices):
        SCHEDULED = "scheduled", "Scheduled"
        SHORTLISTED = "shortlisted", "Pupils chosen"
        AGENDA_SENT = "agenda_sent", "Agenda sent"
        RUNNING = "running", "Running"
        CLOSED = "closed", "Closed"

    PREPARING = frozenset({Status.SCHEDULED, Status.SHORTLISTED, Status.AGENDA_SENT})
    RULES = {
        Change.EDIT: Rule("changing its details", PREPARING, ORGANISER),
        Change.SHORTLIST: Rule("choosing its pupils", PREPARING, ORGANISER),
        Change.SEND_AGENDA: Rule(
            "sending the agenda", frozenset({Status.SHORTLISTED, Status.AGENDA_SENT}), ORGANISER
        ),
        Change.REMIND: Rule(
            "reminding teachers of their summaries",
            frozenset({Status.SHORTLISTED, Status.AGENDA_SENT}),
            ORGANISER,
        ),
        Change.DELETE: Rule("deleting it", PREPARING, ORGANISER),
        Change.START: Rule(
            "starting it", frozenset({Status.SHORTLISTED, Status.AGENDA_SENT}), CHAIR
        ),
        Change.MOVE: Rule("moving through the agenda", frozenset({Status.RUNNING}), CHAIR),
        Change.DEFER: Rule(
            "deferring a previous action", frozenset({Status.RUNNING}), CHAIR, Section.REVIEW
        ),
        Change.REVIEW: Rule(
            "reviewing a previous action", frozenset({Status.RUNNING}), CHAIR, Section.REVIEW
        ),
        Change.PARK: Rule("parking an item", frozenset({Status.RUNNING}), CHAIR, Section.PUPILS),
        Change.LOG: Rule("logging an action or a finding", frozenset({Status.RUNNING}), RECORDER),
        Change.CHANGE_ENTRY: Rule(
            "changing a logged action", frozenset({Status.RUNNING}), RECORDER
        ),
        Change.REMOVE_ENTRY: Rule("removing an entry", frozenset({Status.RUNNING}), RECORDER),
        Change.CLOSE: Rule("closing it", frozenset({Status.RUNNING}), CHAIR, Section.SHARE),
        Change.IMPACT: Rule(
            "recording the impact of its actions", frozenset({Status.CLOSED}), CHAIR
        ),
        Change.PUT_FORWARD: Rule("putting a pupil forward", PREPARING, NOMINATOR),
    }
    LIVE_FIELDS = [
        "status", "section", "item_index", "live_version", "agenda_sent_at", "started_at",
        "closed_at",
    ]  # fmt: skip

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="meetings")
    focus = models.CharField(max_length=20, choices=Focus)
    own_focus = models.CharField("focus in your words", max_length=150, blank=True)
    purpose = models.CharField(
        max_length=250, help_text="One sentence: what should this meeting decide?"
    )
    year_groups = models.JSONField("year groups", default=list, blank=True)
    groups = models.ManyToManyField(
        Group, through="MeetingGroup", blank=True, related_name="+", verbose_name="classes or sets"
    )
    subject = models.CharField(max_length=50, blank=True)
    date = models.DateField()
    starts_at = models.TimeField("start time")
    length = models.PositiveSmallIntegerField(
        "length in minutes",
        choices=LENGTHS,
        default=45,
    )
    place = models.CharField("room or video link", max_length=200, blank=True)
    series = models.ForeignKey(
        Series, on_delete=models.SET_NULL, null=True, blank=True, related_name="meetings"
    )
    summaries_due = models.DateField("summaries due by", null=True, blank=True)
    over_cap_reason = models.CharField(
        "why more items than the length allows", max_length=250, blank=True
    )
    status = models.CharField(max_length=12, choices=Status, default=Status.SCHEDULED)
    agenda_sent_at = models.DateTimeField(null=True, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    difference = models.TextField(
        "what will be different for pupils because this meeting happened?",
        max_length=400,
        blank=True,
        help_text="The chair's answer, in one or two sentences, before closing: it heads the "
        "minutes.",
    )
    section = models.CharField(
        max_length=10, choices=Section, default=Section.REVIEW, help_text="The part under way."
    )
    item_index = models.PositiveSmallIntegerField(default=0, help_text="The pupil item under way.")
    live_version = models.PositiveIntegerField(
        default=0, help_text="Moves on with every change a live screen must show (its ETag)."
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    version = models.PositiveIntegerField(default=1)

    history = HistoricalRecords(
        excluded_fields=["live_version", "section", "item_index", "version"]
    )
    objects = MeetingQuerySet.as_manager()

    class Meta:
        ordering = ["date", "starts_at"]
        constraints = [
            models.CheckConstraint(condition=Q(length__in=[30, 45, 60]), name="meeting_length"),
            models.CheckConstraint(
                condition=~Q(focus=Focus.OWN) | ~Q(own_focus=""), name="own_focus_in_words"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title}, {self.date:%-d %b %Y}"

    def get_absolute_url(self) -> str:
        return reverse("meetings:meeting_detail", args=[self.pk])

    @property
    def title(self) -> str:
        return self.own_focus if self.focus == Focus.OWN else self.get_focus_display()

    @property
    def guide(self):
        return GUIDES[Focus(self.focus)]

    @property
    def leads_with_behaviour(self) -> bool:
        """A behaviour meeting: each summary's behaviour comes first, before attainment."""
        return self.focus == Focus.BEHAVIOUR

    @property
    def item_cap(self) -> int:
        return ITEM_CAP[self.length]

    @property
    def scope(self) -> str:
        """The scope in words: "Year 6, 6N, maths"."""
        parts = [YearGroup(year).label for year in sorted(self.year_groups)]
        parts += [group.name for group in self.groups.all()]
        if self.subject:
            parts.append(self.subject)
        return ", ".join(parts) or "whole school"

    @property
    def is_preparing(self) -> bool:
        """Not started yet: details, pupils and summaries can still change."""
        return self.status in self.PREPARING

    @property
    def is_running(self) -> bool:
        return self.status == self.Status.RUNNING

    @property
    def is_closed(self) -> bool:
        return self.status == self.Status.CLOSED

    @property
    def current_section(self) -> Section:
        return Section(self.section)

    def pupils_in_scope(self):
        pupils = Pupil.objects.filter(school=self.school).on_roll()
        if self.year_groups:
            pupils = pupils.filter(year_group__in=self.year_groups)
        groups = list(self.groups.all())
        if groups:
            pupils = pupils.filter(groups__in=groups).distinct()
        return pupils

    # Who may do what, and when: every change below goes through `check`.

    def is_chair(self, user) -> bool:
        return self._attends_as(user, Attendee.Role.CHAIR)

    def _attends_as(self, user, *roles) -> bool:
        """Whether `user` attends in one of `roles` (from prefetched attendees, when they are)."""
        return any(
            attendee.user_id == user.pk and attendee.role in roles
            for attendee in self.attendees.all()
        )

    def may_organise(self, user) -> bool:
        """A leader of its school, or a line manager whose remit it lies in (from prefetched
        classes, when they are)."""
        if user.school_id != self.school_id:
            return False
        return user.is_leader or (
            user.is_line_manager
            and user.leads_scope(
                year_groups=self.year_groups, subject=self.subject, groups=self.groups.all()
            )
        )

    def _may(self, who: str, user) -> bool:
        if who == ORGANISER:
            return self.may_organise(user)
        if who == CHAIR:
            return self.is_chair(user)
        if who == NOMINATOR:
            return (
                self.may_organise(user)
                or self._attends_as(user, *Attendee.Role)
                or (user.school_id == self.school_id and bool(user.roles & PUTS_FORWARD))
            )
        return self._attends_as(user, Attendee.Role.CHAIR, Attendee.Role.RECORDER)

    def refusal(self, change: Change) -> str:
        """Why the meeting, as it stands, does not allow `change`; "" when it does."""
        rule = self.RULES[change]
        if self.status in rule.states:
            if rule.section and self.section != rule.section:
                return (
                    f"{rule.doing.capitalize()} belongs to \u201c{rule.section.label}\u201d; the "
                    f"meeting is on \u201c{self.current_section.label}\u201d."
                )
            return ""
        if self.is_closed:
            return f"This meeting has closed, so {rule.doing} is no longer possible."
        if self.is_running:
            return f"This meeting is under way, so {rule.doing} is no longer possible."
        if self.Status.RUNNING in rule.states:
            return f"This meeting has not started, so {rule.doing} is not possible yet."
        return f"Choose the pupils first: {rule.doing} needs them on the agenda."

    def check_change(self, change: Change, user) -> None:
        """Refuse `change` by `user` unless both the meeting's state and their part in it allow
        it: `Refused` says why in words, `PermissionDenied` that it is not theirs to make."""
        if not self._may(self.RULES[change].who, user):
            raise PermissionDenied
        if refusal := self.refusal(change):
            raise Refused(refusal)

    def allows(self, change: Change, user) -> bool:
        return self._may(self.RULES[change].who, user) and not self.refusal(change)

    def allowed(self, user) -> set[str]:
        """The changes `user` may make now, for a page to show only the controls that work."""
        return {change.value for change in Change if self.allows(change, user)}

    def _checked(self, change: Change, by) -> "Meeting":
        """The meeting locked for the change and read afresh, once `change` is checked on it:
        two people pressing at once are checked one after the other. Call inside a transaction."""
        meeting = Meeting.objects.select_for_update().select_related("school").get(pk=self.pk)
        meeting.check_change(change, by)
        return meeting

    def _changed(self, **fields) -> None:
        """Write `fields`, tell every live screen, and bring this instance up to date. A change
        of state (started, closed) goes into the meeting's history too; moving through the
        agenda does not."""
        Meeting.objects.filter(pk=self.pk).update(live_version=F("live_version") + 1, **fields)
        self.refresh_from_db(fields=[*self.LIVE_FIELDS, *fields])
        if "status" in fields:
            self.save(update_fields=["status"])  # the same value again: recorded in history

    # Before the meeting.

    @transaction.atomic
    def confirm_shortlist(
        self, *, by, pupils: list, groups: list, over_cap_reason: str, doing_well=frozenset()
    ) -> None:
        """Set the items: (pupil, reason) and (name, pupils, reason) for groups; the pupils
        whose ids are in `doing_well` were proposed as doing well.

        A pupil who stays on the list keeps their summary, and whatever the teacher wrote. The
        teachers asked for summaries are invited, and those invited only for pupils taken off
        are not any more. An agenda already sent is out of date once the items change: it is to
        be sent again.
        """
        meeting = self._checked(Change.SHORTLIST, by)
        before = meeting.item_names()
        kept = {item.pupil_id: item for item in self.items.filter(pupil__isnull=False)}
        self.items.exclude(pupil__in=[pupil for pupil, _ in pupils]).delete()
        position = 0
        for position, (pupil, reason) in enumerate(pupils, start=1):
            item = kept.get(pupil.pk)
            well = pupil.pk in doing_well
            if item is None:
                item = Item.objects.create(
                    school=self.school, meeting=self, pupil=pupil, reason=reason,
                    position=position, doing_well=well,
                )  # fmt: skip
                Summary.objects.create(
                    school=self.school, item=item, teacher=self.teacher_for(pupil)
                )
            else:
                item.reason, item.position, item.doing_well = reason, position, well
                item.save(update_fields=["reason", "position", "doing_well"])
        for offset, (name, members, reason) in enumerate(groups, start=position + 1):
            item = Item.objects.create(
                school=self.school, meeting=self, group_name=name, reason=reason, position=offset
            )
            item.group_pupils.set(members, through_defaults={"school": self.school})
        self.over_cap_reason = over_cap_reason
        self._invite_summary_teachers()
        after = self.item_names()
        if not after:
            status = self.Status.SCHEDULED
        elif meeting.status == self.Status.AGENDA_SENT and after == before:
            status = self.Status.AGENDA_SENT
        else:
            status = self.Status.SHORTLISTED
        self._changed(over_cap_reason=over_cap_reason, status=status)

    def _invite_summary_teachers(self) -> None:
        """Invite every teacher asked for a summary who is not coming already, so that they can
        open the meeting, its pack and their summaries; uninvite those who came only for pupils
        no longer on the agenda."""
        teachers = set(
            Summary.objects.filter(item__meeting=self).values_list("teacher_id", flat=True)
        )
        self.attendees.filter(for_summaries=True).exclude(user__in=teachers).delete()
        coming = set(self.attendees.values_list("user_id", flat=True))
        invited = {"school": self.school, "meeting": self, "role": Attendee.Role.TEACHER}
        Attendee.objects.bulk_create(
            Attendee(user_id=teacher, for_summaries=True, **invited)
            for teacher in teachers - coming
        )

    def item_names(self) -> list[str]:
        """The agenda's items in order, by name: what an agenda sent out would list."""
        return [str(item) for item in self.items.select_related("pupil")]

    @transaction.atomic
    def record_agenda_sent(self, *, by) -> None:
        """The agenda went to every attendee now (`invitations.send_agenda` sends it)."""
        self._checked(Change.SEND_AGENDA, by)
        self._changed(status=self.Status.AGENDA_SENT, agenda_sent_at=timezone.now())

    @transaction.atomic
    def delete_before_it_runs(self, *, by) -> None:
        """Delete a meeting that has not started, with its items and their summaries; one that
        has started is part of the record and stays."""
        self._checked(Change.DELETE, by)
        self.delete()

    def pupils_to_put_forward(self, user):
        """The pupils in scope whom `user` may see: those they may put forward."""
        return self.pupils_in_scope().filter(pk__in=Pupil.objects.for_user(user).values("pk"))

    @transaction.atomic
    def put_forward(self, pupil: Pupil, *, by, reason: str) -> "Nomination":
        """Put `pupil` forward for the shortlist with `by`'s reason, until the meeting starts: a
        pupil in its scope whom they may see, once each. An organiser's is a leader's addition,
        anyone else's a teacher's concern."""
        meeting = self._checked(Change.PUT_FORWARD, by)
        if not self.pupils_to_put_forward(by).filter(pk=pupil.pk).exists():
            raise PermissionDenied
        if self.nominations.filter(pupil=pupil, by=by).exists():
            raise Refused(f"You have put {pupil.name} forward for this meeting already.")
        kind = Nomination.By.LEADER if meeting.may_organise(by) else Nomination.By.TEACHER
        return Nomination.objects.create(
            school=self.school, meeting=self, pupil=pupil, by=by, by_kind=kind, reason=reason
        )

    @transaction.atomic
    def withdraw(self, nomination: "Nomination", *, by) -> None:
        """Take back `by`'s own nomination, until the meeting starts. A pupil the leader has put
        on the agenda meanwhile stays there: that was their choice."""
        self._checked(Change.PUT_FORWARD, by)
        if nomination.meeting_id != self.pk or nomination.by_id != by.pk:
            raise PermissionDenied
        nomination.delete()

    def accepts_summaries(self) -> bool:
        """Teachers write their summaries until the meeting starts."""
        return self.is_preparing

    # During the meeting.

    @transaction.atomic
    def start(self, *, by) -> None:
        """Open the first section; its clock and every later one are kept on the server."""
        self._checked(Change.START, by)
        now = timezone.now()
        SectionTime.objects.create(
            school=self.school, meeting=self, section=Section.REVIEW, started_at=now
        )
        self._changed(
            status=self.Status.RUNNING, started_at=now, section=Section.REVIEW, item_index=0
        )

    @transaction.atomic
    def move(self, *, by, forward: bool) -> None:
        """The next (or previous) section, or pupil item within the pupil block; the times
        are recorded as it goes, without anyone pressing a timer."""
        meeting = self._checked(Change.MOVE, by)
        section, index = meeting.current_section, meeting.item_index
        if section == Section.REVIEW:  # a page of previous actions at a time, on the same clock
            page = index + (1 if forward else -1)
            if 0 <= page < meeting.review_pages():
                self._changed(item_index=page)
                return
        items = list(meeting.items.all())
        pupils = Section.PUPILS
        if forward and section == pupils and index + 1 < len(items):
            index += 1
        elif forward and section.next:
            section, index = section.next, 0
            if section == pupils and (waiting := meeting.unreviewed_actions().count()):
                raise Refused(
                    f"Review each previous action, or defer it with a reason, before the "
                    f"pupils: {waiting} still to do."
                )
        elif not forward and section == pupils and index > 0:
            index -= 1
        elif not forward and section.previous:
            section = section.previous
            if section == pupils:
                index = max(len(items) - 1, 0)
            else:  # back to the review, at its last page
                index = meeting.review_pages() - 1 if section == Section.REVIEW else 0
        else:
            raise Refused(
                "This is the last part: close the meeting once the record is confirmed."
                if forward
                else "This is the first part of the meeting."
            )
        now = timezone.now()
        meeting.times.filter(ended_at__isnull=True).update(ended_at=now)
        item = items[index] if section == pupils and items else None
        SectionTime.objects.create(
            school=meeting.school, meeting=meeting, section=section, item=item, started_at=now
        )
        self._changed(section=section, item_index=index)

    @transaction.atomic
    def defer(self, action: Action, *, by, reason: str, until: dt.date | None = None) -> Deferral:
        """Put off a due previous action to a later meeting, with the reason: it stays open, and
        the next meeting reviews it."""
        meeting = self._checked(Change.DEFER, by)
        if not meeting.unreviewed_actions().filter(pk=action.pk).exists():
            raise Refused(
                f"The action for {action.subject_name} is not waiting for review at this meeting."
            )
        deferral = Deferral.objects.create(
            school=self.school, action=action, meeting=self, reason=reason, until=until,
            deferred_by=by,
        )  # fmt: skip
        self._changed()
        return deferral

    @transaction.atomic
    def review_previous(self, action: Action, *, by, **review) -> None:
        """Record, in the meeting, the review of a due previous action (`Action.record_review`
        does the rest); every screen shows it."""
        meeting = self._checked(Change.REVIEW, by)
        if not meeting.unreviewed_actions().filter(pk=action.pk).exists():
            raise Refused(
                f"The action for {action.subject_name} is not waiting for review at this meeting."
            )
        action.record_review(by=by, meeting=self, **review)
        self._changed()

    @transaction.atomic
    def record_impact(self, action: Action, *, by, **review) -> None:
        """After the meeting, its chair records the impact of one of its open actions, as the
        action's owner and leaders may (`Action.record_review`)."""
        meeting = self._checked(Change.IMPACT, by)
        if not meeting.actions.open().filter(pk=action.pk).exists():
            raise Refused(
                f"The action for {action.subject_name} is not open in this meeting's log."
            )
        action.record_review(by=by, **review)

    @transaction.atomic
    def park(self, item: "Item", *, by, note: str) -> None:
        """Carry `item` to the next meeting of the series with `note`; when it is the item under
        way, the chair moves on to the next."""
        meeting = self._checked(Change.PARK, by)
        if not meeting.series_id:
            raise Refused("This meeting is not part of a series: there is no next one to park for.")
        if item.parked_at:
            raise Refused(f"{item} is parked already.")
        Item.objects.filter(pk=item.pk).update(parked_at=timezone.now(), parked_note=note)
        items = list(meeting.items.values_list("pk", flat=True))
        on_it = items.index(item.pk) == meeting.item_index
        if on_it:
            self.move(by=by, forward=True)
        else:
            self._changed()

    @transaction.atomic
    def log_action(
        self, action: Action, *, by, key: uuid.UUID, group_pupils=(), supporting=()
    ) -> Action:
        """Add `action` (unsaved) to the log. `key` is its form's: the same submit sent twice (a
        double press, a retry after a dropped connection) is logged once, the second finding the
        first."""
        self._checked(Change.LOG, by)
        action.school, action.meeting, action.created_by = self.school, self, by
        action.submit_key = key
        action.first_attempt = not RefusedEntry.objects.filter(submit_key=key).exists()
        if action.pupil_id:
            action.snapshot = pupil_data(pupil=action.pupil, on=timezone.localdate())

        def save() -> None:
            action.save()
            school = {"school": self.school}
            action.supporting.set(supporting, through_defaults=school)
            if not action.pupil_id:
                action.group_pupils.set(group_pupils, through_defaults=school)

        _save_once(Action, school=self.school, key=action.submit_key, save=save)
        self._changed()
        return Action.objects.get(school=self.school, submit_key=action.submit_key)

    @transaction.atomic
    def log_finding(self, *, by, kind: str, text: str, key: uuid.UUID) -> "Finding":
        """Add what the patterns showed to the log, once for each submit."""
        self._checked(Change.LOG, by)
        _save_once(
            Finding,
            school=self.school,
            key=key,
            save=lambda: Finding.objects.create(
                school=self.school, meeting=self, kind=kind, text=text, created_by=by,
                submit_key=key,
            ),
        )  # fmt: skip
        self._changed()
        return Finding.objects.get(school=self.school, submit_key=key)

    @transaction.atomic
    def change_entry(self, action: Action, *, by, version: int, fields: list[str], supporting):
        """Put right an action logged in this meeting, unless someone changed it since `version`
        was read (`StaleEdit`)."""
        self._checked(Change.CHANGE_ENTRY, by)
        action.save_edit(version=version, fields=fields)
        action.supporting.set(supporting, through_defaults={"school": self.school})
        self._changed()

    @transaction.atomic
    def remove_entry(self, action: Action, *, by) -> None:
        """Take out an entry logged by mistake. An adjusted action stays: removing it would leave
        the action it replaced with no successor."""
        self._checked(Change.REMOVE_ENTRY, by)
        if action.supersedes_id:
            raise Refused("This entry replaces an earlier action: change it instead.")
        action.delete()
        self._changed()

    @transaction.atomic
    def close(self, *, by, difference: str) -> None:
        """Lock the log, with the chair's answer to what will be different for pupils: later
        changes go through action reviews. The times stay as they were. Each action gets its
        start check and the follow-ups its flags call for."""
        self._checked(Change.CLOSE, by)
        now = timezone.now()
        self.times.filter(ended_at__isnull=True).update(ended_at=now)
        self._changed(status=self.Status.CLOSED, closed_at=now, difference=difference)
        plan_follow_through(
            list(self.actions.open()), school=self.school, agreed_on=self.date, chair=by
        )

    def items_without_action(self, actions: list | None = None) -> list["Item"]:
        """Items not parked with no action logged for them: closing would leave them undecided."""
        if actions is None:
            actions = list(self.actions.all())
        return [
            item
            for item in self.items.all()
            if not item.parked_at and not any(item.is_about(action) for action in actions)
        ]

    def parked_before(self):
        """Items parked at the last meeting of the series, and pupils in this meeting's scope
        parked at an earlier meeting since which no meeting has taken them: each comes back
        to this one as a proposal."""
        earlier = Meeting.objects.filter(school=self.school, date__lt=self.date)
        last_of_series = (
            earlier.filter(series=self.series_id).order_by("-date", "-starts_at").values("pk")[:1]
            if self.series_id
            else Meeting.objects.none().values("pk")
        )
        taken_since = Item.objects.filter(
            meeting__school=self.school,
            meeting__date__gt=OuterRef("meeting__date"),
            meeting__date__lt=self.date,
            pupil=OuterRef("pupil"),
        )
        in_scope = Q(meeting__in=earlier, pupil__in=self.pupils_in_scope()) & ~Exists(taken_since)
        return (
            Item.objects.filter(Q(meeting__in=last_of_series) | in_scope, parked_at__isnull=False)
            .exclude(meeting=self)
            .select_related("pupil", "meeting")
        )

    def previous_actions(self, *, coming_up: bool = False):
        """Open actions from earlier meetings for these pupils, this scope or this series, whose
        review date has come by the meeting: the first thing the meeting reviews. With
        `coming_up`, those due in the three weeks after it instead, for the meeting to know."""
        earlier = Action.objects.filter(school=self.school).open().exclude(meeting=self)
        scope = self.pupils_in_scope()
        # Subqueries, not joins: a join to a group's pupils would repeat an action once a pupil
        # and need DISTINCT over every column of the school's actions.
        in_groups = ActionPupil.objects.filter(school=self.school, pupil__in=scope)
        about = Q(pupil__in=scope) | Q(pk__in=in_groups.values("action"))
        if self.series_id:
            about |= Q(meeting__series=self.series_id)
        if coming_up:
            due = Q(review_on__gt=self.date, review_on__lte=self.date + dt.timedelta(weeks=3))
        else:  # due for review, or not begun though it should have: both come back first
            due = Q(review_on__lte=self.date) | Q(
                start_check_on__lte=self.date, started_on__isnull=True
            )
        return earlier.filter(about, due)

    def actions_to_review(self):
        """The review section's list: the previous actions due, and those this meeting has
        already reviewed, which a completed or adjusted review has closed since. Actions that
        have not begun come first: whether support started matters before its impact."""
        due = Q(pk__in=self.previous_actions().values("pk"))
        reviewed = Q(
            pk__in=Review.objects.filter(school=self.school, meeting=self).values("action")
        )
        not_started = Case(
            When(start_check_on__lte=self.date, started_on__isnull=True, then=0), default=1
        )
        return (
            Action.objects.filter(school=self.school)
            .filter(due | reviewed)
            .order_by(not_started, "review_on", "pk")
        )

    def review_pages(self) -> int:
        """How many pages of previous actions the review section shows (`live.PREVIOUS_A_PAGE`)."""
        return live.review_page(self.actions_to_review(), 0).paginator.num_pages

    def unreviewed_actions(self):
        """Previous actions due that this meeting has neither reviewed nor deferred."""
        return (
            self.previous_actions().exclude(reviews__meeting=self).exclude(deferrals__meeting=self)
        )

    def reviewed_or_deferred(self) -> dict[int, str]:
        """What this meeting did with each previous action it has dealt with, in words."""
        reviewed = Action.objects.filter(school=self.school, reviews__meeting=self)
        done = dict.fromkeys(reviewed.values_list("pk", flat=True), "reviewed")
        for action_id, reason, until in self.deferrals.values_list("action_id", "reason", "until"):
            to = f"until {date_format(until)}" if until else "to the next meeting"
            done[action_id] = f"deferred {to}: {reason}"
        return done

    def readiness(self) -> tuple[int, int]:
        """(summaries ready, summaries asked for): "4 of 6 ready"."""
        statuses = [item.summary.status for item in self.items.all() if hasattr(item, "summary")]
        return sum(status == Summary.Status.READY for status in statuses), len(statuses)

    @property
    def chair(self):
        return next((a.user for a in self.attendees.all() if a.role == Attendee.Role.CHAIR), None)

    @property
    def recorder(self):
        """Who records the meeting: its recorder, or its chair in a meeting small enough for the
        chair to record too (`people.CHAIR_MAY_RECORD`)."""
        attendees = self.attendees.all()
        recorder = next((a.user for a in attendees if a.role == Attendee.Role.RECORDER), None)
        return recorder or self.chair

    @transaction.atomic
    def invite(self, user, *, by) -> None:
        """Add `user` to the people coming, in the role their own roles give them."""
        self._checked(Change.EDIT, by)
        Attendee.objects.get_or_create(
            meeting=self, user=user,
            defaults={"school": self.school, "role": Attendee.role_of(user)},
        )  # fmt: skip

    def set_attendees(self, *, chair, recorder, others) -> None:
        """Who comes and in what role; a staff member's own role names them otherwise. A chair
        who records too (`recorder` is `chair`) attends as the chair."""
        roles = {recorder.pk: Attendee.Role.RECORDER, chair.pk: Attendee.Role.CHAIR}
        people = {user.pk: user for user in [chair, recorder, *others]}
        with transaction.atomic():
            self.attendees.exclude(user__in=list(people)).delete()
            self.attendees.filter(role__in=[Attendee.Role.CHAIR, Attendee.Role.RECORDER]).update(
                role=Attendee.Role.OTHER
            )
            for user in people.values():
                Attendee.objects.update_or_create(
                    meeting=self,
                    user=user,
                    defaults={
                        "school": self.school,
                        "role": roles.get(user.pk) or Attendee.role_of(user),
                    },
                )

    def teacher_for(self, pupil: Pupil):
        """Who prepares the pupil's summary: their teacher in the meeting's subject, else their
        class or form teacher, else the meeting's chair; never someone who has left, nor a
        teaching assistant or intervention lead working in the class."""
        teachers = User.objects.filter(is_active=True).asked_for_summaries()
        groups = Group.objects.filter(pupils=pupil).prefetch_related(
            Prefetch("teachers", queryset=teachers)
        )
        subject = [g for g in groups if self.subject and g.subject.lower() == self.subject.lower()]
        registration = [g for g in groups if g.kind == Group.Kind.REGISTRATION]
        for group in [*subject, *registration]:
            teachers = list(group.teachers.all())
            if teachers:
                return teachers[0]
        return self.attendees.get(role=Attendee.Role.CHAIR).user

    def save_edit(self, *, by, version: int, fields: list[str]) -> None:
        """Save `fields` unless someone else saved the meeting since `version` was read."""
        with transaction.atomic():
            self._checked(Change.EDIT, by)
            save_if_unchanged(
                self, version=version, **{name: getattr(self, name) for name in fields}
            )


def _save_once(model, *, school, key: uuid.UUID, save) -> None:
    """Run `save` unless a row with this submit key exists: a double press or a retry after a
    dropped connection sends the same key, and is not saved twice."""
    if model.objects.filter(school=school, submit_key=key).exists():
        return
    try:
        with transaction.atomic():
            save()
    except IntegrityError:
        if not model.objects.filter(school=school, submit_key=key).exists():
            raise  # not its twin: a real error


class Attendee(models.Model):
    class Role(models.TextChoices):
        CHAIR = "chair", "Chair"
        RECORDER = "recorder", "Recorder"
        TEACHER = "teacher", "Class or subject teacher"
        SENCO = "senco", "SENCO"
        PASTORAL = "pastoral", "Pastoral lead"
        ATTENDANCE = "attendance", "Attendance lead"
        PUPIL_PREMIUM = "pupil_premium", "Pupil premium lead"
        LEADER = "leader", "Senior leader"
        OTHER = "other", "Attendee"

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendees")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="attending"
    )
    role = models.CharField(max_length=20, choices=Role, default=Role.OTHER)
    for_summaries = models.BooleanField(
        "invited to prepare summaries",
        default=False,
        help_text="Invited because they teach a pupil on the agenda: they go when the pupil does.",
    )

    class Meta:
        ordering = ["meeting", "role", "user__display_name"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "user"], name="attend_once"),
            models.UniqueConstraint(
                fields=["meeting"], condition=Q(role="chair"), name="one_chair"
            ),
            models.UniqueConstraint(
                fields=["meeting"], condition=Q(role="recorder"), name="one_recorder"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.get_role_display()})"

    @classmethod
    def role_of(cls, user) -> "Attendee.Role":
        """The role a member of staff's own roles give them in the room. No attendee role
        names a line manager, a teaching assistant or an intervention lead: they come as a
        teacher when they teach, else as an attendee (in their own meetings, usually as the
        chair)."""
        for staff_role, role in (
            (StaffRole.SENCO, cls.Role.SENCO),
            (StaffRole.ATTENDANCE_LEAD, cls.Role.ATTENDANCE),
            (StaffRole.PASTORAL_LEAD, cls.Role.PASTORAL),
            (StaffRole.PUPIL_PREMIUM_LEAD, cls.Role.PUPIL_PREMIUM),
            (StaffRole.SENIOR_LEADER, cls.Role.LEADER),
            (StaffRole.TEACHER, cls.Role.TEACHER),
        ):
            if staff_role in user.roles:
                return role
        return cls.Role.OTHER


class Item(models.Model):
    """One thing the meeting discusses: a pupil, or a group of pupils with a shared issue."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="items")
    position = models.PositiveSmallIntegerField(default=0)
    pupil = models.ForeignKey(
        Pupil, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    group_name = models.CharField(max_length=100, blank=True)
    group_pupils = models.ManyToManyField(Pupil, through="ItemPupil", blank=True, related_name="+")
    reason = models.TextField(
        max_length=1000, help_text="Why this pupil or group is on the agenda, from the data."
    )
    doing_well = models.BooleanField(
        default=False,
        help_text="Proposed as doing well: the summary asks what is working, not for a concern.",
    )
    parked_at = models.DateTimeField(null=True, blank=True)
    parked_note = models.CharField(
        "why it is parked", max_length=250, blank=True, help_text="What the next meeting needs."
    )

    class Meta:
        ordering = ["meeting", "position", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(pupil__isnull=False, group_name="")
                | Q(pupil__isnull=True) & ~Q(group_name=""),
                name="a_pupil_or_a_group",
            ),
            models.UniqueConstraint(fields=["meeting", "pupil"], name="pupil_once_a_meeting"),
        ]

    def __str__(self) -> str:
        return self.pupil.name if self.pupil_id else self.group_name

    def is_about(self, action: Action) -> bool:
        """Whether `action` was logged for this item: its pupil, or its group by name."""
        if self.pupil_id:
            return action.pupil_id == self.pupil_id
        return action.group_name == self.group_name


def pupils_of(items: list) -> set[Pupil]:
    """The pupils a meeting discusses: those of its pupil items and of its groups (prefetched)."""
    pupils = {item.pupil for item in items if item.pupil_id}
    return pupils | {p for item in items if not item.pupil_id for p in item.group_pupils.all()}


class SummaryQuerySet(SchoolScopedQuerySet):
    def for_user(self, user) -> "SummaryQuerySet":
        """Leaders see every summary of their school; a teacher the ones they are asked for;
        a line manager those too, and their pupils' in the meetings they see (they fill them in
        the meetings they lead, `Summary.may_write`)."""
        summaries = super().for_user(user)
        if user.is_authenticated and not user.is_leader:
            theirs = Q(teacher=user)
            if user.is_line_manager:
                theirs |= Q(
                    item__meeting__in=Meeting.objects.for_user(user),
                    item__pupil__in=Pupil.objects.for_user(user),
                )
            summaries = summaries.filter(theirs)
        return summaries


class Reach(models.TextChoices):
    """Whether a concern is the pupil's own or one the class shares (then the answer may be
    reteaching, not an intervention)."""

    INDIVIDUAL = "individual", "An individual issue"
    CLASS = "class", "A wider class pattern"
    UNSURE = "unsure", "Not sure yet"


class Summary(models.Model):
    """The one-page summary a teacher prepares for a pupil item: the data, and their words.

    Data is never typed: it is shown live while the summary is a draft, and kept as it stood
    (`snapshot`) once the teacher marks it ready, so the meeting discusses what the teacher saw.
    """

    class Status(models.TextChoices):
        TO_DO = "to_do", "Not started"
        DRAFT = "draft", "Draft"
        READY = "ready", "Ready"

    class Gap(models.TextChoices):
        KNOWLEDGE = "knowledge", "Knowledge"
        SKILL = "skill", "Skill"
        FLUENCY = "fluency", "Fluency"
        CONFIDENCE = "confidence", "Confidence"
        INDEPENDENCE = "independence", "Independence"

    class Support(models.TextChoices):
        YES = "yes", "Yes: with support, not yet alone"
        NO = "no", "No: not even with support"
        ALONE = "alone", "Can do it alone now"
        UNSURE = "unsure", "Not sure yet"

    class Breadth(models.TextChoices):
        SUBJECT = "subject", "Specific to this subject"
        ACROSS = "across", "Across the curriculum"

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")
    item = models.OneToOneField(Item, on_delete=models.CASCADE, related_name="summary")
    teacher = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.RESTRICT, related_name="summaries"
    )
    status = models.CharField(max_length=10, choices=Status, default=Status.TO_DO)
    main_concern = models.TextField(blank=True, max_length=500)
    gap = models.CharField("the gap is mainly", max_length=20, choices=Gap, blank=True)
    with_support = models.CharField(
        "can the pupil do it with support but not alone?",
        max_length=10,
        choices=Support,
        blank=True,
    )
    breadth = models.CharField(max_length=10, choices=Breadth, blank=True)
    # Lengths keep a full summary to one A4 page (tests/meetings/test_print.py).
    tried = models.TextField("what has been tried", blank=True, max_length=400)
    what_helped = models.TextField("what helped", blank=True, max_length=300)
    barrier = models.TextField("the barrier you suspect", blank=True, max_length=400)
    next_step = models.TextField("the smallest useful next step", blank=True, max_length=400)
    pupil_voice = models.TextField(blank=True, max_length=300)
    what_is_working = models.TextField("what is working", blank=True, max_length=400)
    what_to_learn = models.TextField("what others can learn from it", blank=True, max_length=300)
    effort = models.PositiveSmallIntegerField(
        "effort in your lessons", choices=Effort, null=True, blank=True
    )
    support_wanted = models.TextField(
        "what support would help me help the pupil?", blank=True, max_length=300
    )
    reach = models.CharField(
        "is this an individual issue or a wider class pattern?",
        max_length=12,
        choices=Reach,
        blank=True,
    )
    snapshot = models.JSONField(default=dict, blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1)

    history = HistoricalRecords(excluded_fields=["snapshot", "version"])
    objects = SummaryQuerySet.as_manager()

    class Meta:
        verbose_name_plural = "summaries"

    def __str__(self) -> str:
        return f"Summary for {self.item}"

    # What the teacher is asked, in the order asked, and what must be said before it is ready.
    # A pupil proposed as doing well is asked what is working and what others can learn from it,
    # never for a concern, a gap or a barrier.
    CONCERN = [
        "main_concern", "gap", "with_support", "breadth", "reach", "tried", "what_helped",
        "barrier", "next_step", "effort", "support_wanted", "pupil_voice",
    ]  # fmt: skip
    DOING_WELL = ["what_is_working", "what_to_learn", "effort", "support_wanted", "pupil_voice"]
    NEEDED = {False: ("main_concern", "barrier", "next_step"), True: ("what_is_working",)}

    @property
    def asks(self) -> list[str]:
        return self.DOING_WELL if self.item.doing_well else self.CONCERN

    @property
    def needed(self) -> tuple[str, ...]:
        """What must be said before the summary is ready."""
        return self.NEEDED[self.item.doing_well]

    def may_write(self, user) -> bool:
        """The teacher asked for it, or whoever organises the meeting (a leader, or the line
        manager whose remit it is in), while the meeting is still being prepared."""
        meeting = self.item.meeting
        return meeting.accepts_summaries() and (
            self.teacher_id == user.pk or meeting._may(ORGANISER, user)
        )

    def save_words(self, form, *, by, ready: bool) -> None:
        """Save the teacher's words from `form` unless someone saved since its version; marking
        it ready keeps the data as it stands today. Refused once the meeting has started."""
        meeting = self.item.meeting
        if not (self.teacher_id == by.pk or meeting._may(ORGANISER, by)):
            raise PermissionDenied
        if not meeting.accepts_summaries():
            raise Refused(
                "The meeting has started, so its summaries are part of the record: nothing was "
                "saved."
            )
        version = form.cleaned_data["version"]
        fields = self.asks  # what the item's form asked: the other words are left as they are
        for name in fields:
            setattr(self, name, form.cleaned_data[name])
        self.status = self.Status.READY if ready else self.Status.DRAFT
        self.snapshot = (
            summary_data(pupil=self.item.pupil, on=timezone.localdate()) if ready else {}
        )
        save_if_unchanged(
            self,
            version=version,
            status=self.status,
            snapshot=self.snapshot,
            updated_at=timezone.now(),
            **{name: getattr(self, name) for name in fields},
        )


def summary_data(*, pupil: Pupil, on: dt.date) -> dict:
    """What a one-page summary shows from data: the pupil's record and their open actions."""
    return summaries_data(pupils=[pupil], on=on)[pupil.pk]


def summaries_data(*, pupils: list[Pupil], on: dt.date) -> dict[int, dict]:
    """`summary_data` for many pupils in a fixed number of queries (a meeting pack)."""
    actions = defaultdict(list)
    for action in Action.objects.filter(pupil__in=pupils).open().select_related("owner"):
        actions[action.pupil_id].append(
            f"{action.text} ({action.owner.display_name}, review {date_format(action.review_on)})"
        )
    return {
        pupil_id: data | {"open_actions": actions[pupil_id]}
        for pupil_id, data in pupils_data(pupils=pupils, on=on).items()
    }


class SectionTime(models.Model):
    """When a section (or, in the pupil block, an item) really started and ended."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="times")
    section = models.CharField(max_length=10, choices=Section)
    item = models.ForeignKey(
        Item, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    started_at = models.DateTimeField()
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["started_at", "pk"]

    def __str__(self) -> str:
        return f"{self.meeting}: {self.get_section_display()}"


# The rows of a many-to-many carry the school too, so a database sharded by school keeps them
# with their meeting. Each keeps the table and the unique pair Django made for it.


class MeetingGroup(models.Model):
    """A class or set a meeting is about."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="+")
    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="+")

    class Meta:
        db_table = "meetings_meeting_groups"
        unique_together = [("meeting", "group")]

    def __str__(self) -> str:
        return f"{self.meeting}: {self.group}"


class ItemPupil(models.Model):
    """A pupil of a group item."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")
    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="+")
    pupil = models.ForeignKey(Pupil, on_delete=models.CASCADE, related_name="+")

    class Meta:
        db_table = "meetings_item_group_pupils"
        unique_together = [("item", "pupil")]

    def __str__(self) -> str:
        return f"{self.item}: {self.pupil}"


class Finding(models.Model):
    """What the patterns section concluded about teaching, curriculum, assessment, attendance or
    behaviour: the group's problem, not any one pupil's."""

    class Kind(models.TextChoices):
        TEACHING = "teaching", "Teaching"
        CURRICULUM = "curriculum", "Curriculum"
        ASSESSMENT = "assessment", "Assessment"
        ATTENDANCE = "attendance", "Attendance"
        BEHAVIOUR = "behaviour", "Behaviour"

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="findings")
    kind = models.CharField(max_length=12, choices=Kind)
    text = models.TextField("finding", max_length=500)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    submit_key = models.UUIDField(
        null=True,
        blank=True,
        unique=True,
        editable=False,
        help_text="The key of the form that logged it: the same submit sent twice saves once.",
    )

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.text[:60]}"


class Nomination(models.Model):
    """A pupil put forward for a meeting by a member of staff, with their reason: the teacher's
    answer to "which pupils am I most concerned about, and why?", or a leader adding a pupil the
    data did not propose. It shows on the shortlist beside the data's reasons, marked as theirs."""

    class By(models.TextChoices):
        TEACHER = "teacher", "Put forward by their teacher"
        LEADER = "leader", "Added by a leader"

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="nominations")
    pupil = models.ForeignKey(Pupil, on_delete=models.CASCADE, related_name="+")
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    by_kind = models.CharField(max_length=10, choices=By)
    reason = models.CharField(
        max_length=300, help_text="Why you are concerned, or why the meeting should discuss them."
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "pupil", "by"], name="put_forward_once_by_each"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.pupil} for {self.meeting}"

    @property
    def words(self) -> str:
        """The reason with who gave it, as the agenda says it: "put forward by Mr Osei: …",
        "added by Ms Clarke: …"."""
        who = "put forward by" if self.by_kind == self.By.TEACHER else "added by"
        return f"{who} {self.by}: {self.reason}"


class RefusedEntry(models.Model):
    """A recorder's entry the action rules refused, by its form's submit key: an action saved
    with a key refused before did not meet the rules at the first attempt (`effectiveness`)."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="+")
    submit_key = models.UUIDField(db_index=True)
    at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"Refused entry {self.submit_key}"

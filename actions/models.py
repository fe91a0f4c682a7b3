"""Barrier / Action / Owner / Review: the action log, and the reviews that bring it back."""

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from actions.review_dates import ReviewDates
from progress.models import Role, School, SchoolScopedQuerySet, User, save_if_unchanged
from pupils.models import Pupil


class Kind(models.TextChoices):
    CLASSROOM = "classroom", "Classroom teaching"
    RETEACH = "reteach", "Reteach"
    INTERVENTION = "intervention", "Intervention"
    ATTENDANCE = "attendance", "Attendance"
    BEHAVIOUR = "behaviour", "Behaviour"
    SEND = "send", "SEND"
    PASTORAL = "pastoral", "Pastoral"
    PARENT_CONTACT = "parent_contact", "Parent contact"
    CURRICULUM = "curriculum", "Curriculum"
    MONITORING = "monitoring", "Monitoring"


class BarrierCategory(models.TextChoices):
    KNOWLEDGE = "knowledge", "Knowledge"
    SKILL = "skill", "Skill"
    FLUENCY = "fluency", "Fluency"
    CONFIDENCE = "confidence", "Confidence"
    INDEPENDENCE = "independence", "Independence"
    ATTENDANCE = "attendance", "Attendance"
    BEHAVIOUR = "behaviour", "Behaviour"
    READING = "reading", "Reading or vocabulary"
    SEND = "send", "SEND need"
    LANGUAGE = "language", "Language"
    WELLBEING = "wellbeing", "Wellbeing"
    HOME = "home", "Home context"
    OTHER = "other", "Other"


# The kind of action a barrier usually calls for: the recorder's form picks it when the barrier's
# category is chosen, and the review date with it, until someone picks another.
KIND_FOR_BARRIER = {
    BarrierCategory.KNOWLEDGE: Kind.RETEACH,
    BarrierCategory.SKILL: Kind.CLASSROOM,
    BarrierCategory.FLUENCY: Kind.INTERVENTION,
    BarrierCategory.CONFIDENCE: Kind.CLASSROOM,
    BarrierCategory.INDEPENDENCE: Kind.CLASSROOM,
    BarrierCategory.ATTENDANCE: Kind.ATTENDANCE,
    BarrierCategory.BEHAVIOUR: Kind.BEHAVIOUR,
    BarrierCategory.READING: Kind.INTERVENTION,
    BarrierCategory.SEND: Kind.SEND,
    BarrierCategory.LANGUAGE: Kind.INTERVENTION,
    BarrierCategory.WELLBEING: Kind.PASTORAL,
    BarrierCategory.HOME: Kind.PARENT_CONTACT,
}


class ParentContact(models.TextChoices):
    NOT_NEEDED = "", "Not needed"
    ATTENDANCE = "attendance", "Yes: attendance"
    HOMEWORK = "homework", "Yes: homework pattern"
    BEHAVIOUR = "behaviour", "Yes: behaviour"
    DISTRESS = "distress", "Yes: distress"
    SEND_REVIEW = "send_review", "Yes: SEND review"
    CONSENT = "consent", "Yes: consent needed"
    SUDDEN_CHANGE = "sudden_change", "Yes: a sudden change"
    CONTEXT = "context", "Yes: need more context"
    PROGRESS = "progress", "Yes: to share progress"


# "Due soon": an open action whose review date is from today to this far ahead. The one
# definition, with "overdue", for every screen and the daily e-mail (`Due`).
DUE_SOON = dt.timedelta(days=7)


class Due(models.TextChoices):
    """When an open action's review falls, worded the same on every screen and in the e-mail."""

    OVERDUE = "overdue", "Overdue for review"  # the review date has passed
    SOON = "soon", f"Due within {DUE_SOON.days} days"  # from today to DUE_SOON ahead
    LATER = "later", "Later"


# How many open actions an owner may have due in the same fortnight before assigning another
# warns, unless the school sets its own (`SchoolSettings.owner_limit`).
OWNER_LIMIT = 6


@dataclass(frozen=True)
class Rules:
    """A school's rules for actions: the phrases it refuses as vague beside Progress's own, and
    its owner limit. The school sets them on its settings screen (`School.settings`, one query
    a request); Progress's default stands where it has set none."""

    school: School
    owner_limit: int
    vague_phrases: tuple[str, ...]

    @classmethod
    def for_school(cls, school: School) -> "Rules":
        own = school.settings
        return cls(school, own.own("owner_limit", OWNER_LIMIT), own.vague_phrases)


class ActionQuerySet(SchoolScopedQuerySet):
    def for_user(self, user) -> "ActionQuerySet":
        """Leaders see the school's log; everyone else the actions they own or support, and a
        line manager their pupils' actions too. (A chair reaches their meeting's actions through
        the meeting.)"""
        actions = super().for_user(user)
        if user.is_authenticated and not user.is_leader:
            theirs = Q(owner=user) | Q(supporting=user)
            if user.is_line_manager:
                pupils = Pupil.objects.for_user(user).values("pk")
                theirs |= Q(pupil__in=pupils) | Q(group_pupils__in=pupils)
            actions = actions.filter(theirs).distinct()
        return actions

    def open(self) -> "ActionQuerySet":
        return self.filter(status=Action.Status.OPEN)

    def overdue(self, *, on: dt.date) -> "ActionQuerySet":
        """Open, and the review date was before `on` (`Due.OVERDUE`)."""
        return self.open().filter(review_on__lt=on)

    def due_soon(self, *, on: dt.date) -> "ActionQuerySet":
        """Open, with the review date from `on` to `DUE_SOON` after it (`Due.SOON`)."""
        return self.open().filter(review_on__range=(on, on + DUE_SOON))

    def to_review(self, *, on: dt.date) -> "ActionQuerySet":
        """Overdue or due soon: what an owner's daily e-mail counts."""
        return self.open().filter(review_on__lte=on + DUE_SOON)

    def not_started(self, *, on: dt.date) -> "ActionQuerySet":
        """Open actions whose start check has come and whose owner has not said they began
        (unanswered, or "not yet")."""
        return self.open().filter(start_check_on__lte=on, started_on__isnull=True)

    def due_between(self, first: dt.date, last: dt.date) -> "ActionQuerySet":
        return self.open().filter(review_on__range=(first, last))


class Action(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", "Open"
        COMPLETED = "completed", "Completed"
        STOPPED = "stopped", "Stopped"
        SUPERSEDED = "superseded", "Superseded"

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")
    meeting = models.ForeignKey(
        "meetings.Meeting", on_delete=models.SET_NULL, null=True, blank=True, related_name="actions"
    )
    pupil = models.ForeignKey(
        Pupil, on_delete=models.CASCADE, null=True, blank=True, related_name="actions"
    )
    group_name = models.CharField(max_length=100, blank=True)
    group_pupils = models.ManyToManyField(
        Pupil, through="ActionPupil", blank=True, related_name="group_actions"
    )
    barrier = models.TextField(max_length=500, help_text="What is stopping progress, specifically.")
    barrier_category = models.CharField(max_length=20, choices=BarrierCategory)
    text = models.TextField(
        "action",
        max_length=1000,
        help_text="What will be done, by whom, and when or how often.",
    )
    impact_check = models.CharField(
        "how we will know it worked",
        max_length=200,
        blank=True,
        help_text="What you will look at: \u201ctwo independent writing samples\u201d, \u201ca "
        "five-question check two days later\u201d.",
    )
    kind = models.CharField(max_length=20, choices=Kind)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.RESTRICT, related_name="actions"
    )
    supporting = models.ManyToManyField(
        settings.AUTH_USER_MODEL, through="Supporter", blank=True, related_name="supported_actions"
    )
    review_on = models.DateField("review date")
    review_reason = models.CharField(
        "why this review date",
        max_length=200,
        blank=True,
        help_text="Only when the date is outside the usual window for its kind.",
    )
    monitor_who = models.CharField("who monitors", max_length=150, blank=True)
    monitor_what = models.CharField("what exactly", max_length=200, blank=True)
    monitor_how_often = models.CharField("how often", max_length=100, blank=True)
    monitor_where = models.CharField("where it is recorded", max_length=150, blank=True)
    monitor_trigger = models.CharField("what triggers further action", max_length=200, blank=True)
    parent_contact = models.CharField(max_length=20, choices=ParentContact, blank=True)
    senco_review = models.BooleanField("SENCO review needed", default=False)
    attendance_plan = models.BooleanField("attendance plan needed", default=False)
    safeguarding_follow_up = models.BooleanField(
        "safeguarding follow-up needed (record it in the school's safeguarding system)",
        default=False,
    )
    status = models.CharField(max_length=12, choices=Status, default=Status.OPEN)
    # Whether it began: the owner is asked on `start_check_on`, a few school days after the
    # meeting closed (`plan_follow_through`); "not yet" says why and by when.
    start_check_on = models.DateField("start check", null=True, blank=True)
    start_asked_on = models.DateField(null=True, blank=True, help_text="When the owner was asked.")
    started_on = models.DateField(null=True, blank=True)
    not_started_because = models.CharField("why not yet", max_length=300, blank=True)
    starts_by = models.DateField("it will start by", null=True, blank=True)
    supersedes = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    snapshot = models.JSONField(default=dict, blank=True, help_text="The pupil's data when agreed.")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    version = models.PositiveIntegerField(default=1)
    submit_key = models.UUIDField(
        null=True,
        blank=True,
        unique=True,
        editable=False,
        help_text="The key of the form that logged it: the same submit sent twice saves once.",
    )
    first_attempt = models.BooleanField(
        "met the action rules at the first attempt",
        null=True,
        editable=False,
        help_text="Saved by the recorder without being refused first; empty when not known.",
    )

    history = HistoricalRecords(
        excluded_fields=["snapshot", "submit_key", "version", "first_attempt"]
    )
    objects = ActionQuerySet.as_manager()

    class Meta:
        ordering = ["review_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(pupil__isnull=False, group_name="")
                | Q(pupil__isnull=True) & ~Q(group_name=""),
                name="action_for_a_pupil_or_a_group",
            ),
        ]
        indexes = [models.Index(fields=["school", "status", "review_on"])]

    def __str__(self) -> str:
        return f"{self.subject_name}: {self.text[:60]}"

    @property
    def subject_name(self) -> str:
        return self.pupil.name if self.pupil_id else self.group_name

    @property
    def parent_contact_reason(self) -> str:
        """Why the parents are to be contacted, in words ("attendance"); "" when they are not."""
        return (
            self.get_parent_contact_display().removeprefix("Yes: ") if self.parent_contact else ""
        )

    @property
    def monitoring(self) -> dict[str, str]:
        return {name: getattr(self, name) for name in MONITORING_FIELDS}

    def due(self, *, on: dt.date) -> Due | None:
        """When its review falls, seen on `on` (None once it is closed): the QuerySet's
        `overdue` and `due_soon` for one action."""
        if self.status != self.Status.OPEN:
            return None
        if self.review_on < on:
            return Due.OVERDUE
        return Due.SOON if self.review_on <= on + DUE_SOON else Due.LATER

    @property
    def is_overdue(self) -> bool:
        """Whether it is overdue today, for a template."""
        return self.due(on=timezone.localdate()) == Due.OVERDUE

    def not_started(self, *, on: dt.date) -> bool:
        """The QuerySet's `not_started` for one action."""
        return (
            self.status == self.Status.OPEN
            and self.start_check_on is not None
            and self.start_check_on <= on
            and self.started_on is None
        )

    def record_start(
        self, *, version: int, on: dt.date, because: str = "", starts_by: dt.date | None = None
    ) -> None:
        """The owner says it began on `on`, or (with `because`) not yet: why, and by when."""
        if because:
            save_if_unchanged(
                self,
                version=version,
                started_on=None,
                not_started_because=because,
                starts_by=starts_by,
            )
            self.started_on, self.not_started_because, self.starts_by = None, because, starts_by
        else:
            save_if_unchanged(self, version=version, started_on=on)
            self.started_on = on

    def may_review(self, user) -> bool:
        """Its owner and leaders record impact (the chair of its meeting does so through the
        meeting)."""
        return user.pk == self.owner_id or user.is_leader

    @transaction.atomic
    def record_review(
        self, *, by, version: int, meeting=None, snapshot: dict, adjusted=None, **answers
    ) -> "Review":
        """Record a review. Completing or stopping closes the action; adjusting replaces it
        with `adjusted` (its new text and review date), which links back to it."""
        becomes = {
            Review.Decision.COMPLETED: self.Status.COMPLETED,
            Review.Decision.STOP: self.Status.STOPPED,
            Review.Decision.ADJUST: self.Status.SUPERSEDED,
        }
        status = becomes.get(answers["decision"], self.Status.OPEN)
        save_if_unchanged(self, version=version, status=status)
        self.status = status
        if answers["decision"] == Review.Decision.ADJUST:
            self._adjust(by=by, meeting=meeting, snapshot=snapshot, **adjusted)
        return Review.objects.create(
            school=self.school,
            action=self,
            reviewed_by=by,
            meeting=meeting,
            snapshot=snapshot,
            **answers,
        )

    def _adjust(
        self, *, by, meeting, snapshot: dict, text: str, review_on: dt.date, review_reason: str
    ) -> "Action":
        kept = [
            "school", "pupil", "group_name", "barrier", "barrier_category", "kind", "owner",
            "impact_check", *MONITORING_FIELDS, "parent_contact", "senco_review",
            "attendance_plan", "safeguarding_follow_up",
        ]  # fmt: skip
        adjusted = Action.objects.create(
            **{name: getattr(self, name) for name in kept},
            meeting=meeting or self.meeting,
            text=text,
            review_on=review_on,
            review_reason=review_reason,
            supersedes=self,
            snapshot=snapshot,
            created_by=by,
        )
        school = {"school_id": self.school_id}
        adjusted.supporting.set(self.supporting.all(), through_defaults=school)
        adjusted.group_pupils.set(self.group_pupils.all(), through_defaults=school)
        return adjusted

    def save_edit(self, *, version: int, fields: list[str]) -> None:
        """Save `fields` unless someone else saved the action since `version` was read."""
        save_if_unchanged(self, version=version, **{name: getattr(self, name) for name in fields})


MONITORING_FIELDS = [
    "monitor_who",
    "monitor_what",
    "monitor_how_often",
    "monitor_where",
    "monitor_trigger",
]


IMPACTS = [
    (-2, "\u22122 much worse"),
    (-1, "\u22121 worse"),
    (0, "0 no change"),
    (1, "+1 better"),
    (2, "+2 much better"),
]


# The rows of a many-to-many carry the school too, so a database sharded by school keeps them
# with their action. Each keeps the table and the unique pair Django made for it.


class ActionPupil(models.Model):
    """A pupil of a group action."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")
    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="+")
    pupil = models.ForeignKey(Pupil, on_delete=models.CASCADE, related_name="+")

    class Meta:
        db_table = "actions_action_group_pupils"
        unique_together = [("action", "pupil")]

    def __str__(self) -> str:
        return f"{self.action}: {self.pupil}"


class Supporter(models.Model):
    """A member of staff who supports an action's owner."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")
    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")

    class Meta:
        db_table = "actions_action_supporting"
        unique_together = [("action", "user")]

    def __str__(self) -> str:
        return f"{self.user} supports {self.action}"


class Review(models.Model):
    class Happened(models.TextChoices):
        YES = "yes", "Yes"
        PARTLY = "partly", "Partly"
        NO = "no", "No"

    class Decision(models.TextChoices):
        CONTINUE = "continue", "Continue"
        ADJUST = "adjust", "Adjust"
        STOP = "stop", "Stop"
        COMPLETED = "completed", "Completed"

    class Stopped(models.TextChoices):
        WORKED = "worked", "It worked: the barrier is gone"
        NOT_WORKING = "not_working", "It is not working"
        NOT_NEEDED = "not_needed", "It is no longer needed"

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")
    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="reviews")
    happened = models.CharField("did it happen?", max_length=10, choices=Happened)
    why_not = models.TextField("if not, why not", blank=True, max_length=1000)
    what_changed = models.TextField("what changed", blank=True, max_length=1000)
    evidence = models.TextField(blank=True, max_length=1000)
    decision = models.CharField(max_length=10, choices=Decision)
    stopped_because = models.CharField("why stop it", max_length=12, choices=Stopped, blank=True)
    impact = models.SmallIntegerField(
        null=True,
        blank=True,
        help_text="Empty while it is not yet known.",
        choices=[*IMPACTS, (None, "Not yet known")],
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(default=timezone.now)
    meeting = models.ForeignKey(
        "meetings.Meeting", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    snapshot = models.JSONField(default=dict, blank=True, help_text="The pupil's data at review.")

    history = HistoricalRecords(excluded_fields=["snapshot"])
    objects = SchoolScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-reviewed_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(impact__gte=-2, impact__lte=2) | Q(impact__isnull=True),
                name="impact_from_minus_2_to_2",
            ),
        ]

    def __str__(self) -> str:
        return f"Review of {self.action}"

    @property
    def impact_known(self) -> bool:
        return self.impact is not None


class Deferral(models.Model):
    """A due action put off to a later meeting, with the reason: its own record, never a review
    (nothing was judged, and the action stays open)."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")
    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="deferrals")
    meeting = models.ForeignKey(
        "meetings.Meeting", on_delete=models.CASCADE, related_name="deferrals"
    )
    reason = models.CharField(max_length=250)
    until = models.DateField(
        "deferred until", null=True, blank=True, help_text="Empty: the next meeting."
    )
    deferred_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    deferred_at = models.DateTimeField(default=timezone.now)

    objects = SchoolScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-deferred_at"]
        constraints = [
            models.UniqueConstraint(fields=["action", "meeting"], name="defer_once_a_meeting")
        ]

    def __str__(self) -> str:
        return f"Deferral of {self.action}"


class Reminder(models.Model):
    """One digest sent to an owner on a day: `send_reminders` sends at most one a day."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    sent_on = models.DateField()
    actions = models.PositiveSmallIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["owner", "sent_on"], name="one_digest_a_day")
        ]

    def __str__(self) -> str:
        return f"{self.owner} {self.sent_on}"


class FollowUpQuerySet(SchoolScopedQuerySet):
    def for_user(self, user) -> "FollowUpQuerySet":
        """Leaders see the school's follow-ups; everyone else their own."""
        follow_ups = super().for_user(user)
        if user.is_authenticated and not user.is_leader:
            follow_ups = follow_ups.filter(owner=user)
        return follow_ups

    def outstanding(self) -> "FollowUpQuerySet":
        return self.filter(done_on__isnull=True)


class FollowUp(models.Model):
    """Something an action's flags call for beyond the action itself: contacting parents, a
    SENCO review, an attendance plan, or passing a concern to the school's safeguarding system.
    Each has an owner and a due date, appears in the minutes, and is checked off with what
    happened. A safeguarding follow-up records only that it was passed on: the detail lives in
    the school's safeguarding system, never here."""

    class Kind(models.TextChoices):
        PARENT_CONTACT = "parent_contact", "Contact parents"
        SENCO_REVIEW = "senco_review", "SENCO review"
        ATTENDANCE_PLAN = "attendance_plan", "Attendance plan"
        SAFEGUARDING = "safeguarding", "Pass to the safeguarding system"

    class How(models.TextChoices):
        PHONE = "phone", "Phone call"
        MEETING = "meeting", "Meeting"
        LETTER = "letter", "Letter"
        MESSAGE = "message", "E-mail or text message"

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")
    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="follow_ups")
    kind = models.CharField(max_length=20, choices=Kind)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.RESTRICT, related_name="follow_ups"
    )
    due_on = models.DateField("due by")
    done_on = models.DateField(null=True, blank=True)
    could_not = models.BooleanField("it could not happen", default=False)
    how = models.CharField(max_length=10, choices=How, blank=True)
    outcome = models.TextField(
        "what was agreed", max_length=500, blank=True, help_text="Or, if it could not happen, why."
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    version = models.PositiveIntegerField(default=1)

    history = HistoricalRecords(excluded_fields=["version"])
    objects = FollowUpQuerySet.as_manager()

    class Meta:
        ordering = ["due_on", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["action", "kind"], name="one_follow_up_of_a_kind")
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.action.subject_name}"

    @property
    def is_done(self) -> bool:
        return self.done_on is not None

    def may_record(self, user) -> bool:
        return user.pk == self.owner_id or user.is_leader

    def record(self, *, by, version: int, on: dt.date, could_not: bool, how: str, outcome: str):
        """Check it off: done on `on` (how, and what was agreed), or could not happen (why)."""
        save_if_unchanged(
            self,
            version=version,
            done_on=on,
            could_not=could_not,
            how=how,
            outcome=outcome,
            recorded_by=by,
        )
        self.done_on, self.could_not, self.how, self.outcome = on, could_not, how, outcome


# Follow-ups due, in school days after the meeting: safeguarding the same day.
FOLLOW_UP_DAYS = {
    FollowUp.Kind.SAFEGUARDING: 0,
    FollowUp.Kind.PARENT_CONTACT: 3,
    FollowUp.Kind.ATTENDANCE_PLAN: 5,
    FollowUp.Kind.SENCO_REVIEW: 10,
}


def plan_follow_through(actions: list[Action], *, school: School, agreed_on: dt.date, chair):
    """Once a meeting closes: when each owner is asked whether their action has started, and
    the follow-ups its flags call for. Parents are contacted by the action's owner; a SENCO
    review goes to the school's SENCO and an attendance plan to its attendance lead (else to
    the owner); the chair passes safeguarding concerns on, the same day."""
    dates = ReviewDates(school=school, agreed_on=agreed_on, year_group=None)
    staff = {
        role: User.objects.filter(school=school, is_active=True).with_role(role).first()
        for role in (Role.SENCO, Role.ATTENDANCE_LEAD)
    }
    follow_ups = []
    for action in actions:
        action.start_check_on = dates.start_check(action.kind)
        wanted = {
            FollowUp.Kind.PARENT_CONTACT: (bool(action.parent_contact), action.owner),
            FollowUp.Kind.SENCO_REVIEW: (action.senco_review, staff[Role.SENCO]),
            FollowUp.Kind.ATTENDANCE_PLAN: (action.attendance_plan, staff[Role.ATTENDANCE_LEAD]),
            FollowUp.Kind.SAFEGUARDING: (action.safeguarding_follow_up, chair),
        }
        for kind, (needed, owner) in wanted.items():
            if needed:
                days = FOLLOW_UP_DAYS[kind]
                follow_ups.append(
                    FollowUp(
                        school=school,
                        action=action,
                        kind=kind,
                        owner=owner or action.owner,
                        due_on=dates.school_day(days) if days else agreed_on,
                    )
                )
    Action.objects.bulk_update(actions, ["start_check_on"])
    FollowUp.objects.bulk_create(follow_ups, ignore_conflicts=True)

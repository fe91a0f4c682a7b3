"""Pupil progress meetings: what they are for, who comes, which pupils, and the summaries."""

import datetime as dt

from django.conf import settings
from django.db import models, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.formats import date_format

from actions.models import Action
from meetings.agenda import PATTERNS, PUPIL_BLOCK, SECTIONS
from meetings.focus import GUIDES, ITEM_CAP, Focus
from progress.models import Role as StaffRole
from progress.models import School, SchoolScopedQuerySet, save_if_unchanged
from pupils.domain import YearGroup
from pupils.models import Group, Pupil
from pupils.snapshot import pupil_data


class PreviousActionsFirst(Exception):
    """The pupil block waits until every due previous action is reviewed or deferred."""


class Series(models.Model):
    """Meetings that follow one another ("Year 6 half-termly"), each opening with the last one's
    actions."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")
    name = models.CharField(max_length=100)

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
        """Leaders see every meeting of their school; others the meetings they attend."""
        meetings = super().for_user(user)
        if user.is_authenticated and not user.is_leader:
            meetings = meetings.filter(attendees__user=user)
        return meetings

    def upcoming(self, *, on: dt.date) -> "MeetingQuerySet":
        return self.filter(date__gte=on).exclude(status=Meeting.Status.CLOSED)


class Meeting(models.Model):
    class Status(models.TextChoices):
        PLANNED = "planned", "Planned"
        STARTED = "started", "Started"
        CLOSED = "closed", "Closed"

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="meetings")
    focus = models.CharField(max_length=20, choices=Focus)
    own_focus = models.CharField("focus in your words", max_length=150, blank=True)
    purpose = models.CharField(
        max_length=250, help_text="One sentence: what should this meeting decide?"
    )
    year_groups = models.JSONField("year groups", default=list, blank=True)
    groups = models.ManyToManyField(
        Group, blank=True, related_name="+", verbose_name="classes or sets"
    )
    subject = models.CharField(max_length=50, blank=True)
    date = models.DateField()
    starts_at = models.TimeField("start time")
    length = models.PositiveSmallIntegerField(
        "length in minutes",
        choices=[(30, "30 minutes"), (45, "45 minutes"), (60, "60 minutes")],
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
    status = models.CharField(max_length=10, choices=Status, default=Status.PLANNED)
    agenda_sent_at = models.DateTimeField(null=True, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    section = models.PositiveSmallIntegerField(default=0, help_text="The agenda section under way.")
    item_index = models.PositiveSmallIntegerField(default=0, help_text="The pupil item under way.")
    live_version = models.PositiveIntegerField(
        default=0, help_text="Moves on with every change a live screen must show (its ETag)."
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    version = models.PositiveIntegerField(default=1)

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

    @property
    def title(self) -> str:
        return self.own_focus if self.focus == Focus.OWN else self.get_focus_display()

    @property
    def guide(self):
        return GUIDES[Focus(self.focus)]

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

    def pupils_in_scope(self):
        pupils = Pupil.objects.filter(school=self.school).on_roll()
        if self.year_groups:
            pupils = pupils.filter(year_group__in=self.year_groups)
        groups = list(self.groups.all())
        if groups:
            pupils = pupils.filter(groups__in=groups).distinct()
        return pupils

    def is_chair(self, user) -> bool:
        return self._attends_as(user, Attendee.Role.CHAIR)

    def _attends_as(self, user, *roles) -> bool:
        """Whether `user` attends in one of `roles` (from prefetched attendees, when they are)."""
        return any(
            attendee.user_id == user.pk and attendee.role in roles
            for attendee in self.attendees.all()
        )

    @transaction.atomic
    def start(self, *, by) -> None:
        """Open the first section; its clock and every later one are kept on the server."""
        now = timezone.now()
        Meeting.objects.filter(pk=self.pk).update(
            status=self.Status.STARTED,
            started_at=now,
            section=0,
            item_index=0,
            live_version=F("live_version") + 1,
        )
        SectionTime.objects.create(meeting=self, section=0, started_at=now)
        self.refresh_from_db()

    @transaction.atomic
    def move(self, *, forward: bool) -> None:
        """The next (or previous) section, or pupil item within the pupil block; the times
        are recorded as it goes, without anyone pressing a timer."""
        meeting = Meeting.objects.select_for_update().get(pk=self.pk)
        if forward and meeting.section == PATTERNS and meeting.unreviewed_actions().exists():
            raise PreviousActionsFirst
        items = meeting.items.count()
        section, item = meeting.section, meeting.item_index
        if forward:
            if section == PUPIL_BLOCK and item + 1 < items:
                item += 1
            elif section + 1 < len(SECTIONS):
                section, item = section + 1, 0
            else:
                return
        else:
            if section == PUPIL_BLOCK and item > 0:
                item -= 1
            elif section > 0:
                section = section - 1
                item = max(items - 1, 0) if section == PUPIL_BLOCK else 0
            else:
                return
        now = timezone.now()
        meeting.times.filter(ended_at__isnull=True).update(ended_at=now)
        current = meeting.items.all()[item] if section == PUPIL_BLOCK and items else None
        SectionTime.objects.create(meeting=meeting, section=section, item=current, started_at=now)
        Meeting.objects.filter(pk=self.pk).update(
            section=section, item_index=item, live_version=F("live_version") + 1
        )
        self.refresh_from_db()

    @transaction.atomic
    def close(self) -> None:
        """Lock the log: later changes go through action reviews. The times stay as they were."""
        now = timezone.now()
        self.times.filter(ended_at__isnull=True).update(ended_at=now)
        Meeting.objects.filter(pk=self.pk).update(
            status=self.Status.CLOSED, closed_at=now, live_version=F("live_version") + 1
        )
        self.refresh_from_db()

    @transaction.atomic
    def park(self, item: "Item", *, note: str) -> None:
        """Carry `item` to the next meeting of the series with `note`; when it is the item under
        way, the chair moves on to the next."""
        Item.objects.filter(pk=item.pk).update(parked_at=timezone.now(), parked_note=note)
        items = list(self.items.values_list("pk", flat=True))
        if self.section == PUPIL_BLOCK and items[self.item_index] == item.pk:
            self.move(forward=True)
        else:
            self.touch()

    def parked_before(self):
        """Items parked at the meeting before this one in the series, carried to this one."""
        if not self.series_id:
            return Item.objects.none()
        earlier = (
            Meeting.objects.filter(series=self.series_id, date__lt=self.date)
            .order_by("-date", "-starts_at")
            .values("pk")[:1]
        )
        return Item.objects.filter(meeting__in=earlier, parked_at__isnull=False).select_related(
            "pupil", "meeting"
        )

    def unreviewed_actions(self):
        """Previous actions due that this meeting has neither reviewed nor deferred."""
        return self.previous_actions().exclude(reviews__meeting=self)

    def touch(self) -> None:
        """Tell every live screen something changed (a new action, a review)."""
        Meeting.objects.filter(pk=self.pk).update(live_version=F("live_version") + 1)

    def may_record(self, user) -> bool:
        """The chair and the recorder write the log, until the meeting closes: after that it is
        locked and changes go through action reviews. Everyone else reads."""
        if self.status == self.Status.CLOSED:
            return False
        return self._attends_as(user, Attendee.Role.CHAIR, Attendee.Role.RECORDER)

    def previous_actions(self, *, coming_up: bool = False):
        """Open actions from earlier meetings for these pupils, this scope or this series, whose
        review date has come by the meeting: the first thing the meeting reviews. With
        `coming_up`, those due in the three weeks after it instead, for the meeting to know."""
        earlier = Action.objects.filter(school=self.school).open().exclude(meeting=self)
        about = Q(pupil__in=self.pupils_in_scope())
        if self.series_id:
            about |= Q(meeting__series=self.series_id)
        if coming_up:
            due = Q(review_on__gt=self.date, review_on__lte=self.date + dt.timedelta(weeks=3))
        else:
            due = Q(review_on__lte=self.date)
        return earlier.filter(about, due).distinct()

    def readiness(self) -> tuple[int, int]:
        """(summaries ready, summaries asked for): "4 of 6 ready"."""
        statuses = [item.summary.status for item in self.items.all() if hasattr(item, "summary")]
        return sum(status == Summary.Status.READY for status in statuses), len(statuses)

    def set_attendees(self, *, chair, recorder, others) -> None:
        """Who comes and in what role; a staff member's own role names them otherwise."""
        roles = {chair.pk: Attendee.Role.CHAIR, recorder.pk: Attendee.Role.RECORDER}
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

    @transaction.atomic
    def confirm_shortlist(self, *, pupils: list, groups: list, over_cap_reason: str) -> None:
        """Set the items: (pupil, reason) and (name, pupils, reason) for groups.

        A pupil who stays on the list keeps their summary, and whatever the teacher wrote.
        """
        kept = {item.pupil_id: item for item in self.items.filter(pupil__isnull=False)}
        self.items.exclude(pupil__in=[pupil for pupil, _ in pupils]).delete()
        position = 0
        for position, (pupil, reason) in enumerate(pupils, start=1):
            item = kept.get(pupil.pk)
            if item is None:
                item = Item.objects.create(
                    school=self.school, meeting=self, pupil=pupil, reason=reason, position=position
                )
                Summary.objects.create(
                    school=self.school, item=item, teacher=self.teacher_for(pupil)
                )
            else:
                item.reason, item.position = reason, position
                item.save(update_fields=["reason", "position"])
        for offset, (name, members, reason) in enumerate(groups, start=position + 1):
            item = Item.objects.create(
                school=self.school, meeting=self, group_name=name, reason=reason, position=offset
            )
            item.group_pupils.set(members)
        self.over_cap_reason = over_cap_reason
        self.save(update_fields=["over_cap_reason"])

    def teacher_for(self, pupil: Pupil):
        """Who prepares the pupil's summary: their teacher in the meeting's subject, else their
        class or form teacher, else the meeting's chair."""
        groups = Group.objects.filter(pupils=pupil).prefetch_related("teachers")
        subject = [g for g in groups if self.subject and g.subject.lower() == self.subject.lower()]
        registration = [g for g in groups if g.kind == Group.Kind.REGISTRATION]
        for group in [*subject, *registration]:
            teachers = list(group.teachers.all())
            if teachers:
                return teachers[0]
        return self.attendees.get(role=Attendee.Role.CHAIR).user

    def save_edit(self, *, version: int, fields: list[str]) -> None:
        """Save `fields` unless someone else saved the meeting since `version` was read."""
        save_if_unchanged(self, version=version, **{name: getattr(self, name) for name in fields})


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
    group_pupils = models.ManyToManyField(Pupil, blank=True, related_name="+")
    reason = models.TextField(help_text="Why this pupil or group is on the agenda, from the data.")
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


def pupils_of(items: list) -> set[Pupil]:
    """The pupils a meeting discusses: those of its pupil items and of its groups (prefetched)."""
    pupils = {item.pupil for item in items if item.pupil_id}
    return pupils | {p for item in items if not item.pupil_id for p in item.group_pupils.all()}


class SummaryQuerySet(SchoolScopedQuerySet):
    def for_user(self, user) -> "SummaryQuerySet":
        """Leaders see every summary of their school; a teacher the ones they are asked for."""
        summaries = super().for_user(user)
        if user.is_authenticated and not user.is_leader:
            summaries = summaries.filter(teacher=user)
        return summaries


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
    snapshot = models.JSONField(default=dict, blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1)

    objects = SummaryQuerySet.as_manager()

    class Meta:
        verbose_name_plural = "summaries"

    def __str__(self) -> str:
        return f"Summary for {self.item}"

    def save_words(self, form, *, ready: bool) -> bool:
        """Save the teacher's words from `form` unless someone saved since its version; marking
        it ready keeps the data as it stands today."""
        version = form.cleaned_data["version"]
        fields = list(form.Meta.fields)
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
        return True


def summary_data(*, pupil: Pupil, on: dt.date) -> dict:
    """What a one-page summary shows from data: the pupil's record and their open actions."""
    actions = Action.objects.filter(pupil=pupil).open().select_related("owner")
    return pupil_data(pupil=pupil, on=on) | {
        "open_actions": [
            f"{action.text} ({action.owner.display_name}, review {date_format(action.review_on)})"
            for action in actions
        ]
    }


class SectionTime(models.Model):
    """When a section (or, in the pupil block, an item) really started and ended."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="times")
    section = models.PositiveSmallIntegerField()
    item = models.ForeignKey(
        Item, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    started_at = models.DateTimeField()
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["started_at", "pk"]

    def __str__(self) -> str:
        return f"{self.meeting} section {self.section + 1}"


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

"""Pupils, what the school records about them each year, and the groups they are taught in."""

import datetime as dt

from django.conf import settings
from django.db import models, transaction
from django.db.models import Q
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from progress.models import (
    SUPPORT_ROLES,
    AcademicYear,
    Role,
    School,
    SchoolScopedQuerySet,
    StaleEdit,
    User,
)
from pupils.attendance import CODES
from pupils.domain import (
    Effort,
    SenNeed,
    SenProvision,
    YearGroup,
    age_in_months,
    validate_upn,
)

# Filters on this year's census record: name: (label, lookup).
CHARACTERISTICS = {
    "pupil_premium": ("Pupil premium", {"pupil_premium": True}),
    "fsm": ("Free school meals", {"fsm": True}),
    "ever_6_fsm": ("FSM in the last six years", {"ever_6_fsm": True}),
    "send": (
        "SEN support or EHC plan",
        {"sen_provision__in": [SenProvision.SEN_SUPPORT, SenProvision.EHC_PLAN]},
    ),
    "sen_support": ("SEN support", {"sen_provision": SenProvision.SEN_SUPPORT}),
    "ehc_plan": ("EHC plan", {"sen_provision": SenProvision.EHC_PLAN}),
    "eal": ("EAL", {"eal": True}),
    "looked_after": ("Looked after", {"looked_after": True}),
    "previously_looked_after": ("Previously looked after", {"previously_looked_after": True}),
    "service_child": ("Service child", {"service_child": True}),
}


class PupilQuerySet(SchoolScopedQuerySet):
    def for_user(self, user) -> "PupilQuerySet":
        """The pupils `user` may see, "their pupils" on every screen: the whole school for
        leaders and school admins. Anyone else sees the pupils of the groups they teach or work
        in and of the actions they own; a line manager, those of their year or phase and of
        their department's groups; a teacher or line manager, those on the agenda of the
        meetings they attend; a teaching assistant or intervention lead, those placed in the
        interventions they lead. One query."""
        pupils = super().for_user(user)
        if not user.is_authenticated or user.is_leader or user.manages_school_data:
            return pupils
        members = Group.pupils.through.objects
        # The actions' and meetings' tables by their reverse names: pupils imports neither.
        theirs = (
            Q(pk__in=members.filter(group__teachers=user).values("pupil"))
            | Q(pk__in=Pupil.objects.filter(actions__owner=user).values("pk"))
            | Q(pk__in=Pupil.objects.filter(group_actions__owner=user).values("pk"))
        )
        if user.remit_years:
            theirs |= Q(year_group__in=user.remit_years)
        if department := user.remit_department:
            theirs |= Q(pk__in=members.filter(group__subject__iexact=department).values("pupil"))
        if Role.TEACHER in user.roles or user.is_line_manager:
            attending = User.objects.filter(pk=user.pk)
            theirs |= Q(pk__in=attending.values("attending__meeting__items__pupil")) | Q(
                pk__in=attending.values("attending__meeting__items__group_pupils")
            )
        if user.roles & SUPPORT_ROLES:
            placed = InterventionPlace.objects.filter(intervention__lead=user)
            theirs |= Q(pk__in=placed.values("pupil"))
        return pupils.filter(theirs)

    def on_roll(self) -> "PupilQuerySet":
        return self.filter(date_left__isnull=True)

    def search(self, text: str) -> "PupilQuerySet":
        """Pupils whose legal or preferred name, or UPN, contains each word of `text`."""
        pupils = self
        for word in text.split():
            pupils = pupils.filter(
                Q(legal_forename__icontains=word)
                | Q(legal_surname__icontains=word)
                | Q(preferred_forename__icontains=word)
                | Q(preferred_surname__icontains=word)
                | Q(upn__iexact=word)
            )
        return pupils

    def with_characteristic(self, name: str, *, on: dt.date) -> "PupilQuerySet":
        """Pupils whose census record for the year of `on` has `name` (see CHARACTERISTICS)."""
        records = Characteristics.objects.filter(
            academic_year__starts_on__lte=on,
            academic_year__ends_on__gte=on,
            **CHARACTERISTICS[name][1],
        )
        return self.filter(pk__in=records.values("pupil_id"))


class Pupil(models.Model):
    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="pupils")
    upn = models.CharField("UPN", max_length=13, validators=[validate_upn])
    admission_number = models.CharField(max_length=20, blank=True)
    legal_forename = models.CharField(max_length=100)
    legal_surname = models.CharField(max_length=100)
    preferred_forename = models.CharField(max_length=100, blank=True)
    preferred_surname = models.CharField(max_length=100, blank=True)
    date_of_birth = models.DateField()
    year_group = models.PositiveSmallIntegerField(choices=YearGroup)
    date_left = models.DateField(null=True, blank=True)

    history = HistoricalRecords()
    objects = PupilQuerySet.as_manager()

    class Meta:
        ordering = ["legal_surname", "legal_forename"]
        constraints = [
            models.UniqueConstraint(fields=["school", "upn"], name="one_pupil_per_upn"),
            models.CheckConstraint(
                condition=models.Q(year_group__lte=13), name="year_group_r_to_13"
            ),
        ]
        indexes = [models.Index(fields=["school", "year_group"])]

    def __str__(self) -> str:
        return self.name

    @property
    def forename(self) -> str:
        return self.preferred_forename or self.legal_forename

    @property
    def surname(self) -> str:
        return self.preferred_surname or self.legal_surname

    @property
    def name(self) -> str:
        """The name the pupil is known by at school."""
        return f"{self.forename} {self.surname}"

    def age_on(self, day: dt.date) -> int:
        return self.age_in_months_on(day) // 12

    def age_in_months_on(self, day: dt.date) -> int:
        return age_in_months(self.date_of_birth, day)


class Characteristics(models.Model):
    """What the school census records about a pupil in one academic year.

    Kept per year, because pupil premium, SEN provision and the rest change. "Disadvantaged"
    (pupil premium) is a funding category, never a diagnosis.
    """

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")
    pupil = models.ForeignKey(Pupil, on_delete=models.CASCADE, related_name="characteristics")
    academic_year = models.ForeignKey(AcademicYear, on_delete=models.CASCADE, related_name="+")
    sen_provision = models.CharField(
        "SEN provision", max_length=1, choices=SenProvision, default=SenProvision.NONE
    )
    primary_need = models.CharField(max_length=4, choices=SenNeed, blank=True)
    secondary_need = models.CharField(max_length=4, choices=SenNeed, blank=True)
    pupil_premium = models.BooleanField(default=False)
    fsm = models.BooleanField("free school meals", default=False)
    ever_6_fsm = models.BooleanField("FSM in the last six years", default=False)
    looked_after = models.BooleanField(default=False)
    previously_looked_after = models.BooleanField(default=False)
    eal = models.BooleanField("English as an additional language", default=False)
    service_child = models.BooleanField(default=False)
    send_plan_review_on = models.DateField("SEND support plan review date", null=True, blank=True)

    history = HistoricalRecords()
    objects = SchoolScopedQuerySet.as_manager()

    class Meta:
        verbose_name_plural = "characteristics"
        constraints = [
            models.UniqueConstraint(fields=["pupil", "academic_year"], name="one_record_a_year"),
            models.CheckConstraint(
                condition=models.Q(sen_provision=SenProvision.NONE, primary_need="")
                | ~models.Q(sen_provision=SenProvision.NONE),
                name="need_only_with_sen_provision",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.pupil} {self.academic_year}"


class Group(models.Model):
    """A class, form or teaching set: who teaches whom, so "my pupils" is a query."""

    class Kind(models.TextChoices):
        REGISTRATION = "registration", "Registration class or form"
        TEACHING = "teaching", "Teaching set"
        OTHER = "other", "Other group"

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="groups")
    name = models.CharField(max_length=50)
    kind = models.CharField(max_length=20, choices=Kind)
    year_group = models.PositiveSmallIntegerField(choices=YearGroup, null=True, blank=True)
    subject = models.CharField(max_length=50, blank=True)
    teachers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, through="Teaching", related_name="teaching_groups"
    )
    pupils = models.ManyToManyField(Pupil, through="Membership", related_name="groups")

    objects = SchoolScopedQuerySet.as_manager()

    class Meta:
        ordering = ["year_group", "name"]
        constraints = [
            models.UniqueConstraint(Lower("name"), "school", name="unique_group_name"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("group_edit", args=[self.pk])

    def set_teachers(self, teachers, *, were: set[int]) -> None:
        """Make `teachers` the group's teachers, unless someone changed them since they were
        read as `were` (their ids): then nothing is written and `StaleEdit` says so."""
        with transaction.atomic():
            Group.objects.select_for_update().get(pk=self.pk)  # one edit at a time
            if set(self.teachers.values_list("pk", flat=True)) != were:
                raise StaleEdit
            self.teachers.set(teachers, through_defaults={"school_id": self.school_id})


# The rows of a many-to-many carry the school too, so a database sharded by school keeps them
# with their group. Each keeps the table and the unique pair Django made for it.


class Teaching(models.Model):
    """A member of staff who teaches or works with a group."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")
    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")

    class Meta:
        db_table = "pupils_group_teachers"
        unique_together = [("group", "user")]

    def __str__(self) -> str:
        return f"{self.user} teaches {self.group}"


class Membership(models.Model):
    """A pupil in a group."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")
    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="+")
    pupil = models.ForeignKey(Pupil, on_delete=models.CASCADE, related_name="+")

    class Meta:
        db_table = "pupils_group_pupils"
        unique_together = [("group", "pupil")]

    def __str__(self) -> str:
        return f"{self.pupil} in {self.group}"


class ScaleQuerySet(models.QuerySet):
    def for_school(self, school) -> "ScaleQuerySet":
        """The national scales every school shares, and the school's own."""
        return self.filter(Q(school__isnull=True) | Q(school=school))


class Scale(models.Model):
    """An assessment scale as data: ordered steps, the expected standard and a higher one.

    Reading ages are the exception: a number of months, compared with the pupil's own age.
    """

    class Kind(models.TextChoices):
        STEPS = "steps", "Ordered steps"
        READING_AGE = "reading_age", "Reading age in months"

    school = models.ForeignKey(
        School, on_delete=models.CASCADE, null=True, blank=True, related_name="scales",
        help_text="Empty for the national scales every school shares.",
    )  # fmt: skip
    name = models.CharField(max_length=100)
    kind = models.CharField(max_length=20, choices=Kind, default=Kind.STEPS)
    expected_position = models.PositiveSmallIntegerField(null=True, blank=True)
    higher_position = models.PositiveSmallIntegerField(null=True, blank=True)
    near_expected = models.PositiveSmallIntegerField(
        default=1, help_text="How many steps (or months) below expected still count as close."
    )
    judged_against_standard = models.BooleanField(
        default=False,
        help_text="Each step is a judgement against the standard for the pupil's year "
        "(WTS, EXS, GDS), so holding a step is on track and only a step lost is slowing.",
    )

    objects = ScaleQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["school", "name"], name="unique_school_scale"),
            models.UniqueConstraint(
                fields=["name"], condition=Q(school__isnull=True), name="unique_national_scale"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class ScaleStep(models.Model):
    school = models.ForeignKey(
        School, on_delete=models.CASCADE, null=True, blank=True, related_name="+",
        help_text="Its scale's school: empty for the national scales every school shares.",
    )  # fmt: skip
    scale = models.ForeignKey(Scale, on_delete=models.CASCADE, related_name="steps")
    position = models.PositiveSmallIntegerField()
    code = models.CharField(max_length=20, help_text='As exports write it: "EXS", "104", "5".')
    label = models.CharField(max_length=100)

    class Meta:
        ordering = ["scale", "position"]
        constraints = [
            models.UniqueConstraint(fields=["scale", "position"], name="unique_step_position"),
            models.UniqueConstraint(fields=["scale", "code"], name="unique_step_code"),
        ]

    def __str__(self) -> str:
        return self.label


class AssessmentPoint(models.Model):
    """A moment when the school assesses: "Autumn 2026", "Spring 2027", "Summer 2027"."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="assessment_points")
    academic_year = models.ForeignKey(AcademicYear, on_delete=models.CASCADE, related_name="+")
    name = models.CharField(max_length=50)
    date = models.DateField()

    objects = SchoolScopedQuerySet.as_manager()

    class Meta:
        ordering = ["date"]
        constraints = [
            models.UniqueConstraint(fields=["school", "name"], name="unique_assessment_point"),
        ]

    def __str__(self) -> str:
        return self.name


class Result(models.Model):
    """Where a pupil stood in a subject at an assessment point: attainment, not progress."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")
    pupil = models.ForeignKey(Pupil, on_delete=models.CASCADE, related_name="results")
    point = models.ForeignKey(AssessmentPoint, on_delete=models.CASCADE, related_name="results")
    subject = models.CharField(max_length=50)
    scale = models.ForeignKey(Scale, on_delete=models.PROTECT, related_name="+")
    step = models.ForeignKey(ScaleStep, on_delete=models.PROTECT, null=True, blank=True)
    months = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="A reading age, in months."
    )
    effort = models.PositiveSmallIntegerField(
        choices=Effort,
        null=True,
        blank=True,
        help_text="How the pupil engages, on its own scale: not part of attainment.",
    )

    objects = SchoolScopedQuerySet.as_manager()

    class Meta:
        ordering = ["point__date"]
        constraints = [
            models.UniqueConstraint(
                fields=["pupil", "point", "subject"], name="one_result_per_subject_and_point"
            ),
            models.CheckConstraint(
                condition=Q(step__isnull=False, months__isnull=True)
                | Q(step__isnull=True, months__isnull=False),
                name="a_step_or_a_reading_age",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.pupil} {self.subject} {self.point}"


class MissedTopic(models.Model):
    """A question or topic a pupil did not secure in an assessment ("fair testing")."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")
    result = models.ForeignKey(Result, on_delete=models.CASCADE, related_name="missed_topics")
    topic = models.CharField(max_length=100)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["result", "topic"], name="unique_missed_topic")
        ]

    def __str__(self) -> str:
        return self.topic


class AttendanceMark(models.Model):
    """One register session: a pupil's DfE code for a morning or an afternoon."""

    class Session(models.TextChoices):
        AM = "AM", "Morning"
        PM = "PM", "Afternoon"

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")
    pupil = models.ForeignKey(Pupil, on_delete=models.CASCADE, related_name="attendance_marks")
    date = models.DateField()
    session = models.CharField(max_length=2, choices=Session)
    code = models.CharField(max_length=2, choices=[(code, code) for code in sorted(CODES)])

    objects = SchoolScopedQuerySet.as_manager()

    class Meta:
        ordering = ["date", "session"]
        constraints = [
            models.UniqueConstraint(fields=["pupil", "date", "session"], name="one_mark_a_session"),
        ]
        indexes = [models.Index(fields=["school", "date"])]

    def __str__(self) -> str:
        return f"{self.pupil} {self.date} {self.session}: {self.code}"


class AttendanceWeek(models.Model):
    """A pupil's register marks for one week (from its Monday), counted, so that a year of
    attendance is read from about 40 rows a pupil rather than 380 marks.

    The database keeps these counts itself: triggers on the marks' table (migration
    `0010_attendance_week`) add each mark written and take away each one changed or deleted,
    however it is written (an import, the demo, a bulk update, the admin). `facts.attendance_in`
    reads whole weeks from here and the marks themselves only for a window's part-weeks."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")
    pupil = models.ForeignKey(Pupil, on_delete=models.CASCADE, related_name="+")
    week = models.DateField()  # its Monday
    marks = models.PositiveIntegerField(default=0)
    possible = models.PositiveIntegerField(default=0)  # sessions not in attendance.NOT_POSSIBLE
    attended = models.PositiveIntegerField(default=0)  # attendance.ATTENDING
    late = models.PositiveIntegerField(default=0)  # attendance.LATE
    # Absences (possible, not attended) on each ISO day of the week: 1 is Monday, 7 Sunday.
    absent_1 = models.PositiveIntegerField(default=0)
    absent_2 = models.PositiveIntegerField(default=0)
    absent_3 = models.PositiveIntegerField(default=0)
    absent_4 = models.PositiveIntegerField(default=0)
    absent_5 = models.PositiveIntegerField(default=0)
    absent_6 = models.PositiveIntegerField(default=0)
    absent_7 = models.PositiveIntegerField(default=0)

    objects = SchoolScopedQuerySet.as_manager()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["pupil", "week"], name="one_count_a_week")]
        indexes = [models.Index(fields=["school", "week"])]

    def __str__(self) -> str:
        return f"{self.pupil} week of {self.week}: {self.attended} of {self.possible}"


class AttendanceSummary(models.Model):
    """Attendance over a period, for schools that export totals rather than marks."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")
    pupil = models.ForeignKey(Pupil, on_delete=models.CASCADE, related_name="attendance_summaries")
    starts_on = models.DateField()
    ends_on = models.DateField()
    possible_sessions = models.PositiveIntegerField()
    present_sessions = models.PositiveIntegerField()
    authorised_absences = models.PositiveIntegerField(default=0)
    unauthorised_absences = models.PositiveIntegerField(default=0)
    lates = models.PositiveIntegerField(default=0)

    objects = SchoolScopedQuerySet.as_manager()

    class Meta:
        verbose_name_plural = "attendance summaries"
        constraints = [
            models.UniqueConstraint(
                fields=["pupil", "starts_on", "ends_on"], name="one_summary_a_period"
            ),
            models.CheckConstraint(
                condition=Q(present_sessions__lte=models.F("possible_sessions")),
                name="present_within_possible",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.pupil} {self.starts_on}–{self.ends_on}"


class BehaviourIncident(models.Model):
    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")
    pupil = models.ForeignKey(Pupil, on_delete=models.CASCADE, related_name="behaviour_incidents")
    date = models.DateField()
    time = models.TimeField(null=True, blank=True)
    lesson = models.CharField(max_length=30, blank=True, help_text='A period: "P3", "Lunch".')
    subject = models.CharField(max_length=50, blank=True)
    kind = models.CharField("type", max_length=60)
    removed_from_lesson = models.BooleanField(default=False)

    objects = SchoolScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-date", "-time"]
        indexes = [models.Index(fields=["school", "date"])]

    def __str__(self) -> str:
        return f"{self.pupil} {self.date}: {self.kind}"


class Intervention(models.Model):
    """A programme the school runs ("Year 6 maths boosters"), with the pupils placed on it."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="interventions")
    name = models.CharField(max_length=100)
    subject = models.CharField(max_length=50, blank=True)
    lead = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    review_on = models.DateField("review date", null=True, blank=True)
    cost = models.DecimalField(
        "cost (£)",
        max_digits=9,
        decimal_places=2,
        null=True,
        blank=True,
        help_text="What it costs the school, in pounds, where the school records it.",
    )

    objects = SchoolScopedQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["school", "name"], name="unique_intervention_name"),
        ]

    def __str__(self) -> str:
        return self.name


class InterventionPlace(models.Model):
    """One pupil on an intervention: when, how much of it they had, and where they ended up."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")
    intervention = models.ForeignKey(Intervention, on_delete=models.CASCADE, related_name="places")
    pupil = models.ForeignKey(Pupil, on_delete=models.CASCADE, related_name="intervention_places")
    starts_on = models.DateField()
    ends_on = models.DateField(null=True, blank=True)
    sessions_planned = models.PositiveSmallIntegerField(null=True, blank=True)
    sessions_attended = models.PositiveSmallIntegerField(null=True, blank=True)
    entry_measure = models.CharField(max_length=100, blank=True)
    exit_measure = models.CharField(max_length=100, blank=True)
    outcome = models.TextField(blank=True, max_length=1000)

    objects = SchoolScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["intervention", "pupil", "starts_on"], name="one_place_per_start"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.pupil} on {self.intervention}"


class ImportBatch(models.Model):
    """One upload of a school export, from preview to import: the school's import log.

    The file itself is kept only until it is imported or discarded; the log keeps who imported
    what, when, and the counts.
    """

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting for confirmation"
        IMPORTED = "imported", "Imported"
        DISCARDED = "discarded", "Discarded"

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    kind = models.CharField(max_length=20)
    filename = models.CharField(max_length=255)
    content = models.BinaryField(null=True)
    mapping = models.JSONField(default=dict)
    status = models.CharField(max_length=10, choices=Status, default=Status.PENDING)
    summary = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    objects = SchoolScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.filename} ({self.kind})"

    def close(self, status: Status, *, summary: str = "") -> None:
        """Finish the batch and forget the file: pupil data is not kept longer than needed."""
        self.status, self.summary, self.content = status, summary, None
        self.finished_at = timezone.now()
        self.save(update_fields=["status", "summary", "content", "finished_at"])

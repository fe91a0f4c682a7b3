"""The organisational core: trusts, schools, staff and the school year."""

import datetime as dt
from dataclasses import dataclass
from functools import cached_property

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.contrib.contenttypes.fields import GenericForeignKey
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import IntegrityError, models, transaction
from django.db.models.functions import Lower
from django.utils import timezone

from progress.calendar import (
    HALF_TERM_NAMES,
    school_year_of,
    standard_half_terms,
    weekday_on_or_after,
    weekday_on_or_before,
    year_name,
)


class StaleEdit(Exception):
    """Someone saved a newer version while this edit was open; nothing was written."""


def save_if_unchanged(instance: models.Model, *, version: int, **fields) -> None:
    """Write `fields` and move the instance's version on, unless someone saved it since
    `version` was read: then nothing is written and `StaleEdit` says so. The row is locked
    while it is checked, and written by an ordinary save, which the change history records."""
    rows = type(instance)._default_manager.select_for_update().filter(pk=instance.pk)
    with transaction.atomic():
        if rows.values_list("version", flat=True).first() != version:
            raise StaleEdit
        for name, value in fields.items():
            setattr(instance, name, value)
        instance.version = version + 1
        instance.save(update_fields=[*fields, "version"])


class SchoolScopedQuerySet(models.QuerySet):
    """Rows that belong to one school; `for_user` is how every view reaches them."""

    def for_user(self, user) -> "SchoolScopedQuerySet":
        if not user.is_authenticated or user.school_id is None:
            return self.none()
        return self.filter(school_id=user.school_id)


class Trust(models.Model):
    """A multi-academy trust: schools that share an owner but never each other's data."""

    name = models.CharField(max_length=200, unique=True)

    def __str__(self) -> str:
        return self.name


class School(models.Model):
    class Phase(models.TextChoices):
        PRIMARY = "primary", "Primary"
        SECONDARY = "secondary", "Secondary"
        ALL_THROUGH = "all_through", "All-through"
        SPECIAL = "special", "Special"

    trust = models.ForeignKey(
        Trust, on_delete=models.PROTECT, null=True, blank=True, related_name="schools"
    )
    name = models.CharField(max_length=200)
    urn = models.CharField(
        "URN",
        max_length=6,
        unique=True,
        validators=[RegexValidator(r"^\d{6}$", "A URN is six digits.")],
        help_text="Unique reference number from Get Information about Schools.",
    )
    la_code = models.CharField(
        "LA code", max_length=3, validators=[RegexValidator(r"^\d{3}$", "Three digits.")]
    )
    establishment_number = models.CharField(
        max_length=4, validators=[RegexValidator(r"^\d{4}$", "Four digits.")]
    )
    phase = models.CharField(max_length=20, choices=Phase)
    leavers_kept_for = models.PositiveSmallIntegerField(
        "years a leaver's data is kept",
        default=6,
        validators=[MinValueValidator(1), MaxValueValidator(25)],
        help_text="After this many years from the day a pupil left, `apply_retention` deletes "
        "everything held about them.",
    )

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["la_code", "establishment_number"], name="unique_dfe_number"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def dfe_number(self) -> str:
        """The DfE number, LA code and establishment number: "886/2001"."""
        return f"{self.la_code}/{self.establishment_number}"

    @cached_property
    def settings(self) -> "SchoolSettings":
        """The school's own numbers for Progress's rules (`SchoolSettings`): one query, kept
        with this object, so a request that reaches them through `user.school` asks once."""
        return SchoolSettings.for_school(self)

    def school_days(self, first: dt.date, last: dt.date) -> "SchoolDays":
        """The days the school is open from `first` to `last`, by its calendar. One query."""
        half_terms = list(
            HalfTerm.objects.filter(
                school=self, academic_year__ends_on__gte=first, academic_year__starts_on__lte=last
            ).select_related("academic_year")
        )
        years = {half_term.academic_year for half_term in half_terms}
        days, missing = set(), set()
        for day in (first + dt.timedelta(n) for n in range((last - first).days + 1)):
            known = any(year.starts_on <= day <= year.ends_on for year in years)
            if not known:
                missing.add(school_year_of(day))
            if day.weekday() < 5 and (
                not known or any(h.starts_on <= day <= h.ends_on for h in half_terms)
            ):
                days.add(day)
        return SchoolDays(frozenset(days), frozenset(missing))

    def next_school_day(self, day: dt.date) -> dt.date:
        """`day` if the school is open then, else the next day it is: after a weekend or a
        holiday."""
        open_days = self.school_days(day, day + LONGEST_HOLIDAY)
        return min(open_days, default=weekday_on_or_after(day))  # a calendar with a gap

    def school_day_before(self, day: dt.date, *, count: int = 1) -> dt.date:
        """The `count`th day the school is open before `day`: two before a Monday is the
        Thursday, two before the first day after a holiday the last Thursday of term."""
        open_days = sorted(self.school_days(day - count * LONGEST_HOLIDAY, day - dt.timedelta(1)))
        if len(open_days) >= count:
            return open_days[-count]
        for _ in range(count):  # a calendar with a gap: weekdays
            day = weekday_on_or_before(day - dt.timedelta(days=1))
        return day


# Longer than any school holiday: the summer is about six weeks.
LONGEST_HOLIDAY = dt.timedelta(weeks=10)


@dataclass(frozen=True)
class SchoolDays:
    """The days a school is open between two dates: the weekdays inside its half-terms. In a
    school year whose term dates are not in the calendar yet, every weekday counts, so that
    nothing waits for the calendar; `missing` holds those years (by the year they start in),
    for screens to say what to add."""

    days: frozenset[dt.date]
    missing: frozenset[int]

    def __contains__(self, day: dt.date) -> bool:
        return day in self.days

    def __iter__(self):
        return iter(self.days)

    def __len__(self) -> int:
        return len(self.days)

    def missing_year(self, day: dt.date) -> str:
        """The name of `day`'s school year if its term dates are missing ("2027/28"), else ""."""
        start_year = school_year_of(day)
        return year_name(start_year) if start_year in self.missing else ""


class Role(models.TextChoices):
    SENIOR_LEADER = "senior_leader", "Senior leader"
    TEACHER = "teacher", "Teacher"
    SENCO = "senco", "SENCO"
    PASTORAL_LEAD = "pastoral_lead", "Pastoral lead"
    ATTENDANCE_LEAD = "attendance_lead", "Attendance lead"
    PUPIL_PREMIUM_LEAD = "pupil_premium_lead", "Pupil premium lead"
    HEAD_OF_YEAR = "head_of_year", "Head of year"
    HEAD_OF_DEPARTMENT = "head_of_department", "Head of department"
    PHASE_LEADER = "phase_leader", "Phase leader"
    TEACHING_ASSISTANT = "teaching_assistant", "Teaching assistant"
    INTERVENTION_LEAD = "intervention_lead", "Intervention lead"
    SCHOOL_ADMIN = "school_admin", "School admin"


# Who sees the whole school and schedules meetings.
LEADERSHIP_ROLES = frozenset(
    {
        Role.SENIOR_LEADER,
        Role.SENCO,
        Role.PASTORAL_LEAD,
        Role.ATTENDANCE_LEAD,
        Role.PUPIL_PREMIUM_LEAD,
    }
)
# Who manages the school's data: imports, the calendar, the audit log.
ADMINISTRATION_ROLES = frozenset({Role.SENIOR_LEADER, Role.SCHOOL_ADMIN})
# The line managers: they see the pupils of their year, phase or department (their remit,
# `User.remit_year_groups` and `User.remit_subject`) and schedule and chair its meetings.
LINE_MANAGER_ROLES = frozenset({Role.HEAD_OF_YEAR, Role.HEAD_OF_DEPARTMENT, Role.PHASE_LEADER})
# Who works with pupils without being asked for summaries: they see the pupils of the groups
# they work in and of the interventions they lead, and own actions.
SUPPORT_ROLES = frozenset({Role.TEACHING_ASSISTANT, Role.INTERVENTION_LEAD})
# Who sees SEND detail beyond their own classes, and so signs in in two steps (`progress.two_step`).
TWO_STEP_ROLES = LEADERSHIP_ROLES | ADMINISTRATION_ROLES | LINE_MANAGER_ROLES


def years_in_words(years) -> str:
    """Year groups as a school says them: "Year 9", "Years 3 to 6", "Reception to Year 2",
    "Years 10 and 11", "Years 7, 9 and 11"."""
    years = sorted(set(years))
    if len(years) == 1:
        return "Reception" if years[0] == 0 else f"Year {years[0]}"
    if len(years) > 2 and years == list(range(years[0], years[-1] + 1)):
        first = "Reception to Year" if years[0] == 0 else f"Years {years[0]} to"
        return f"{first} {years[-1]}"
    if years[0] == 0:
        return f"Reception and {years_in_words(years[1:])}"
    return f"Years {', '.join(map(str, years[:-1]))} and {years[-1]}"


class UserQuerySet(SchoolScopedQuerySet):
    def with_role(self, role: Role) -> "UserQuerySet":
        return self.filter(staff_roles__role=role)

    def asked_for_summaries(self) -> "UserQuerySet":
        """Staff who may be asked for a pupil's one-page summary: all but those whose only roles
        are teaching assistant or intervention lead."""
        support_only = StaffRole.objects.filter(role__in=SUPPORT_ROLES).exclude(
            user__staff_roles__role__in=set(Role) - SUPPORT_ROLES
        )
        return self.exclude(pk__in=support_only.values("user"))


class UserManager(BaseUserManager.from_queryset(UserQuerySet)):
    use_in_migrations = True

    def get_by_natural_key(self, email: str) -> "User":
        return self.get(email__iexact=email)

    def create_user(self, email: str, password: str | None = None, **fields) -> "User":
        user = self.model(email=self.normalize_email(email).lower(), **fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **fields) -> "User":
        fields |= {"is_staff": True, "is_superuser": True}
        return self.create_user(email, password, **fields)


class User(AbstractBaseUser, PermissionsMixin):
    """A member of staff, who signs in with their e-mail address.

    `is_staff` and `is_superuser` are for the people who run the service (Django's admin);
    everyone who works in a school has a school and one or more roles.
    """

    email = models.EmailField("e-mail address", max_length=254, unique=True)
    display_name = models.CharField(
        max_length=150, help_text='As colleagues know you: "Mrs Patel".'
    )
    job_title = models.CharField(max_length=150, blank=True)
    # A line manager's remit: the year groups a head of year or phase leader leads, the subject
    # a head of department leads.
    remit_year_groups = models.JSONField(
        "year groups they lead",
        default=list,
        blank=True,
        help_text="For a head of year or a phase leader: the year groups of their year or phase.",
    )
    remit_subject = models.CharField(
        "subject they lead",
        max_length=50,
        blank=True,
        help_text='For a head of department: the subject, as classes name it ("Maths").',
    )
    school = models.ForeignKey(
        School, on_delete=models.CASCADE, null=True, blank=True, related_name="staff"
    )
    is_active = models.BooleanField(default=True)
    is_staff = models.BooleanField("service operator", default=False)
    date_joined = models.DateTimeField(default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["display_name"]

    class Meta:
        ordering = ["display_name"]
        constraints = [
            models.UniqueConstraint(Lower("email"), name="unique_email_ignoring_case"),
            models.CheckConstraint(
                condition=models.Q(school__isnull=False) | models.Q(is_superuser=True),
                name="staff_belong_to_a_school",
            ),
        ]

    def __str__(self) -> str:
        return self.display_name

    def get_full_name(self) -> str:
        return self.display_name

    def get_short_name(self) -> str:
        return self.display_name

    @cached_property
    def roles(self) -> frozenset[Role]:
        return frozenset(Role(role) for role in self.staff_roles.values_list("role", flat=True))

    def role_labels(self) -> list[str]:
        return [role.label for role in Role if role in self.roles]

    @property
    def is_leader(self) -> bool:
        """Sees the whole school and schedules meetings."""
        return bool(self.roles & LEADERSHIP_ROLES)

    @property
    def manages_school_data(self) -> bool:
        """Imports data and keeps the school calendar."""
        return bool(self.roles & ADMINISTRATION_ROLES)

    @property
    def is_line_manager(self) -> bool:
        """A head of year or of department, or a phase leader: leads their own remit."""
        return bool(self.roles & LINE_MANAGER_ROLES)

    @property
    def may_schedule(self) -> bool:
        """Schedules meetings: a leader for the whole school, a line manager for their remit."""
        return self.is_leader or self.is_line_manager

    @property
    def remit_years(self) -> frozenset[int]:
        """The year groups a head of year or phase leader leads; none for anyone else."""
        if self.roles & {Role.HEAD_OF_YEAR, Role.PHASE_LEADER}:
            return frozenset(int(year) for year in self.remit_year_groups)
        return frozenset()

    @property
    def remit_department(self) -> str:
        """The subject a head of department leads ("Maths"); "" for anyone else."""
        return self.remit_subject.strip() if Role.HEAD_OF_DEPARTMENT in self.roles else ""

    @property
    def remit(self) -> str:
        """A line manager's remit in words: "Year 9", "Years 3 to 6", "Maths"; "" when unset."""
        parts = [years_in_words(self.remit_years)] if self.remit_years else []
        return " and ".join([*parts, self.remit_department] if self.remit_department else parts)

    @property
    def remit_title(self) -> str:
        """Who they are as a line manager: "head of Year 9", "phase leader", "head of maths"."""
        titles = []
        if Role.HEAD_OF_YEAR in self.roles and self.remit_years:
            titles.append(f"head of {years_in_words(self.remit_years)}")
        if Role.PHASE_LEADER in self.roles and self.remit_years:
            titles.append("phase leader")
        if self.remit_department:
            titles.append(f"head of {self.remit_department.lower()}")
        return " and ".join(titles)

    def leads_scope(self, *, year_groups, subject: str, groups) -> bool:
        """Whether a meeting of this scope is theirs to organise: any, for a leader; for a line
        manager, one inside their remit: year groups and classes all of their year or phase,
        or their department's subject with only its classes. The whole school is no remit."""
        if self.is_leader:
            return True
        groups = list(groups)
        years = self.remit_years
        if (
            years
            and (year_groups or groups)
            and set(year_groups) <= years
            and all(group.year_group in years for group in groups)
        ):
            return True
        department = self.remit_department.lower()
        return (
            bool(department)
            and subject.strip().lower() == department
            and all(group.subject.strip().lower() == department for group in groups)
        )

    @property
    def needs_two_step(self) -> bool:
        """Whether this person must sign in in two steps, where the school requires it."""
        return self.is_superuser or bool(self.roles & TWO_STEP_ROLES)

    def set_roles(self, roles) -> None:
        """Make `roles` this person's roles in their school (a role belongs to a school, so
        someone without one, a service operator, has none)."""
        if roles and self.school_id is None:
            raise ValueError("Only a member of a school's staff has roles.")
        with transaction.atomic():
            self.staff_roles.exclude(role__in=roles).delete()
            StaffRole.objects.bulk_create(
                [StaffRole(school_id=self.school_id, user=self, role=role) for role in roles],
                ignore_conflicts=True,
            )
        self.__dict__.pop("roles", None)


class StaffRole(models.Model):
    """One of a member of staff's roles in their school; a SENCO may also teach a class."""

    # Indexed with the role below.
    school = models.ForeignKey(School, on_delete=models.CASCADE, db_index=False, related_name="+")
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="staff_roles")
    role = models.CharField(max_length=30, choices=Role)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "role"], name="unique_staff_role")]
        # "the school's SENCOs", "who holds a role here" (`meetings.people`)
        indexes = [models.Index(fields=["school", "role"], name="staffrole_school_role")]

    def __str__(self) -> str:
        return f"{self.user}: {self.get_role_display()}"


class AcademicYearQuerySet(SchoolScopedQuerySet):
    def containing(self, day: dt.date) -> "AcademicYearQuerySet":
        return self.filter(starts_on__lte=day, ends_on__gte=day)

    @transaction.atomic
    def create_standard(self, *, school: School, start_year: int) -> "AcademicYear":
        """A year from 1 September with the usual six half-terms, for the school to adjust."""
        year = self.create(
            school=school,
            starts_on=dt.date(start_year, 9, 1),
            ends_on=dt.date(start_year + 1, 8, 31),
        )
        HalfTerm.objects.bulk_create(
            HalfTerm(
                school=school, academic_year=year, number=number, starts_on=first, ends_on=last
            )
            for number, (first, last) in enumerate(standard_half_terms(start_year=start_year), 1)
        )
        return year


class AcademicYear(models.Model):
    """September to August; `version` guards the calendar against two people editing it at once."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="academic_years")
    starts_on = models.DateField()
    ends_on = models.DateField()
    version = models.PositiveIntegerField(default=1)

    objects = AcademicYearQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_on"]
        constraints = [
            models.UniqueConstraint(fields=["school", "starts_on"], name="one_year_per_start"),
            models.CheckConstraint(
                condition=models.Q(ends_on__gt=models.F("starts_on")), name="year_ends_after_start"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        """ "2026/27", as schools write it."""
        return year_name(self.starts_on.year)

    def terms_and_holidays(self) -> list["HalfTerm | Holiday"]:
        """The half-terms in order with the holidays between them (uses prefetched half-terms)."""
        blocks = []
        for half_term in self.half_terms.all():
            if blocks and (half_term.starts_on - blocks[-1].ends_on).days > 3:
                blocks.append(
                    Holiday(
                        blocks[-1].ends_on + dt.timedelta(days=1),
                        half_term.starts_on - dt.timedelta(days=1),
                    )
                )
            blocks.append(half_term)
        return blocks

    def set_half_term_dates(
        self, dates: dict[int, tuple[dt.date, dt.date]], *, version: int
    ) -> None:
        """Move the half-terms to `dates`, unless the calendar changed since `version` was read."""
        with transaction.atomic():
            save_if_unchanged(self, version=version)
            half_terms = list(self.half_terms.all())
            for half_term in half_terms:
                half_term.starts_on, half_term.ends_on = dates[half_term.number]
            HalfTerm.objects.bulk_update(half_terms, ["starts_on", "ends_on"])


@dataclass(frozen=True)
class Holiday:
    """The days between two half-terms (a plain weekend is not a holiday)."""

    starts_on: dt.date
    ends_on: dt.date
    is_holiday = True


class HalfTermQuerySet(SchoolScopedQuerySet):
    def containing(self, day: dt.date) -> "HalfTermQuerySet":
        return self.filter(starts_on__lte=day, ends_on__gte=day)


class HalfTerm(models.Model):
    """One of the six teaching blocks of a school year; holidays fall between them."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="half_terms")
    academic_year = models.ForeignKey(
        AcademicYear, on_delete=models.CASCADE, related_name="half_terms"
    )
    number = models.PositiveSmallIntegerField(choices=enumerate(HALF_TERM_NAMES, 1))
    starts_on = models.DateField("first day")
    ends_on = models.DateField("last day")

    objects = HalfTermQuerySet.as_manager()

    class Meta:
        ordering = ["starts_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["academic_year", "number"], name="one_half_term_per_number"
            ),
            models.CheckConstraint(
                condition=models.Q(number__gte=1, number__lte=6), name="six_half_terms"
            ),
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")),
                name="half_term_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} {self.academic_year.name}"

    @property
    def name(self) -> str:
        return self.get_number_display()

    def week_of(self, day: dt.date) -> int:
        """The teaching week `day` falls in, counting the half-term's first week as 1."""
        first_monday = self.starts_on - dt.timedelta(days=self.starts_on.weekday())
        return (day - first_monday).days // 7 + 1

    def school_days_left(self, day: dt.date) -> int:
        """Weekdays from `day` to the half-term's last day, both included."""
        days = (self.ends_on - day).days + 1
        return sum(1 for n in range(max(days, 0)) if (day + dt.timedelta(n)).weekday() < 5)


class Email(models.Model):
    """One e-mail in the outbox. It is written in the same transaction as the change that causes
    it, so a change is never saved without its e-mails nor an e-mail queued for a change that
    failed; the worker sends it after commit and retries it with back-off (`progress.outbox`).
    It carries a link, never pupil details."""

    class Status(models.TextChoices):
        QUEUED = "queued", "Waiting to be sent"
        SENT = "sent", "Delivered to the mail server"
        RETRYING = "retrying", "Not sent yet: trying again"
        FAILED = "failed", "Not sent: the mail server kept refusing it"

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")
    to = models.ForeignKey("User", on_delete=models.CASCADE, related_name="emails")
    subject = models.CharField(max_length=200)
    body = models.TextField()
    calendar = models.TextField(blank=True, help_text="An invitation (.ics) to attach.")
    # What the e-mail is about (a meeting, an action), for the page that shows who was sent what.
    regarding_type = models.ForeignKey(
        "contenttypes.ContentType", on_delete=models.CASCADE, null=True, related_name="+"
    )
    regarding_id = models.PositiveBigIntegerField(null=True)
    regarding = GenericForeignKey("regarding_type", "regarding_id")
    status = models.CharField(max_length=10, choices=Status, default=Status.QUEUED)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.CharField(max_length=300, blank=True)
    next_try_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["regarding_type", "regarding_id"])]

    def __str__(self) -> str:
        return f"{self.subject} to {self.to_id}"


class AccessEvent(models.Model):
    """Someone looked at a pupil's SEND detail or downloaded pupil data: who, what and when.
    Written by the views that show or export it; leaders read the log; nobody edits it."""

    class Kind(models.TextChoices):
        SEND = "send", "Viewed SEND detail"
        EXPORT = "export", "Downloaded"

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey("User", on_delete=models.SET_NULL, null=True, related_name="+")
    kind = models.CharField(max_length=10, choices=Kind)
    what = models.CharField(max_length=200)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["school", "-at"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.what}"

    @classmethod
    def record(cls, request, kind: "AccessEvent.Kind", what: str) -> None:
        cls.objects.create(
            school_id=request.user.school_id, user=request.user, kind=kind, what=what[:200]
        )


# The numbers a school may set for itself, each with its bounds (docs/domain.md, "The school's
# own settings"). Each is empty (None) where the school keeps Progress's default, and the
# defaults live beside the rules that use them: the shortlist's in `pupils.criteria.Thresholds`,
# the owner limit and review windows in `actions`, meeting lengths and the summaries' deadline
# in `meetings`. Review windows are school days, never past the furthest review date (about a
# term: `actions.review_dates.LONGEST`).
SETTING_BOUNDS = {
    "attendance_drop_points": (1, 20),
    "concentrated_absences": (2, 30),
    "concentrated_share": (40, 100),  # percent: two weekdays of five hold 40% by chance
    "behaviour_weeks": (1, 12),
    "behaviour_incidents": (1, 20),
    "intervention_review_days": (1, 30),
    "doing_well_steps": (1, 10),
    "owner_limit": (1, 50),
    "summaries_due_days": (1, 10),
}
REVIEW_WINDOW_BOUNDS = (1, 70)


def _setting(name: str, verbose_name: str) -> models.PositiveSmallIntegerField:
    low, high = SETTING_BOUNDS[name]
    return models.PositiveSmallIntegerField(
        verbose_name,
        null=True,
        blank=True,
        validators=[MinValueValidator(low), MaxValueValidator(high)],
    )


class SchoolSettings(models.Model):
    """One school's own numbers for the rules Progress applies, on one screen for its senior
    leaders and school admins (`meetings.school_settings`). An empty setting is Progress's
    default, so a school that changes nothing follows the guidance as Progress keeps it."""

    school = models.OneToOneField(School, on_delete=models.CASCADE, related_name="+")
    # The shortlist (`pupils.criteria.Thresholds`)
    attendance_drop_points = _setting(
        "attendance_drop_points", "attendance drop, in percentage points"
    )
    concentrated_absences = _setting("concentrated_absences", "absences this half-term")
    concentrated_share = _setting(
        "concentrated_share", "share of absences on one or two weekdays, in percent"
    )
    behaviour_weeks = _setting("behaviour_weeks", "weeks of behaviour compared")
    behaviour_incidents = _setting("behaviour_incidents", "behaviour incidents in those weeks")
    intervention_review_days = _setting(
        "intervention_review_days", "days before an intervention's review date"
    )
    doing_well_steps = _setting("doing_well_steps", "steps gained to be doing well")
    # Actions (`actions.models.Rules`)
    owner_limit = _setting("owner_limit", "open actions an owner may have due in a fortnight")
    extra_vague_phrases = models.TextField(
        "the school's own vague phrases", blank=True, max_length=3000
    )
    # {kind: [usual, earliest, latest]} in school days, for the kinds the school has changed
    review_windows = models.JSONField("review windows by kind", default=dict, blank=True)
    # Meetings (`meetings.models.lengths_offered`, `meetings.forms.MeetingForm`)
    meeting_lengths = models.JSONField(
        "meeting lengths offered, in minutes", default=list, blank=True
    )
    default_length = models.PositiveSmallIntegerField(
        "length of a new meeting, in minutes", null=True, blank=True
    )
    summaries_due_days = _setting(
        "summaries_due_days", "school days before a meeting its summaries are due"
    )
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name_plural = "school settings"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(**{f"{name}__isnull": True})
                | models.Q(**{f"{name}__range": bounds}),
                name=f"school_settings_{name}",
            )
            for name, bounds in SETTING_BOUNDS.items()
        ]

    def __str__(self) -> str:
        return f"Settings of {self.school}"

    @classmethod
    def for_school(cls, school: School) -> "SchoolSettings":
        """The school's settings; unsaved, all defaults, at version 0 when it has changed
        nothing yet. One query: `School.settings` keeps it for a request."""
        found = cls.objects.filter(school=school).first() or cls(school=school, version=0)
        found.school = school  # already in hand: no query to reach it
        return found

    def own(self, name: str, default):
        """The school's own value of the setting `name`, or `default` where it has none."""
        value = getattr(self, name)
        return default if value is None else value

    @property
    def vague_phrases(self) -> tuple[str, ...]:
        return tuple(line.strip() for line in self.extra_vague_phrases.splitlines() if line.strip())

    def save_edit(self, *, version: int, **fields) -> None:
        """Save `fields` unless someone saved the settings since `version` was read (0: before
        the school had any)."""
        if self.pk is None:  # the school's first change to the defaults
            if version != 0:  # read from settings that have gone since
                raise StaleEdit
            first = type(self)(school=self.school, version=1, **fields)
            try:
                with transaction.atomic():
                    first.save()
            except IntegrityError:  # someone else saved theirs first
                raise StaleEdit from None
            for name, value in {**fields, "pk": first.pk, "version": 1}.items():
                setattr(self, name, value)
            return
        save_if_unchanged(self, version=version, **fields)

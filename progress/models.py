"""The organisational core: trusts, schools, staff and the school year."""

import datetime as dt
from dataclasses import dataclass
from functools import cached_property

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.core.validators import RegexValidator
from django.db import models, transaction
from django.db.models.functions import Lower
from django.utils import timezone

from progress.calendar import HALF_TERM_NAMES, standard_half_terms


class StaleEdit(Exception):
    """Someone saved a newer version while this edit was open; nothing was written."""


def save_if_unchanged(instance: models.Model, *, version: int, **fields) -> None:
    """Write `fields` and move the instance's version on, unless someone saved it since
    `version` was read: then nothing is written and `StaleEdit` says so."""
    rows = type(instance)._default_manager.filter(pk=instance.pk, version=version)
    if not rows.update(version=models.F("version") + 1, **fields):
        raise StaleEdit
    instance.version = version + 1


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


class Role(models.TextChoices):
    SENIOR_LEADER = "senior_leader", "Senior leader"
    TEACHER = "teacher", "Teacher"
    SENCO = "senco", "SENCO"
    PASTORAL_LEAD = "pastoral_lead", "Pastoral lead"
    ATTENDANCE_LEAD = "attendance_lead", "Attendance lead"
    PUPIL_PREMIUM_LEAD = "pupil_premium_lead", "Pupil premium lead"
    TEACHING_ASSISTANT = "teaching_assistant", "Teaching assistant"
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


class UserQuerySet(SchoolScopedQuerySet):
    def with_role(self, role: Role) -> "UserQuerySet":
        return self.filter(staff_roles__role=role)


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

    def set_roles(self, roles) -> None:
        with transaction.atomic():
            self.staff_roles.exclude(role__in=roles).delete()
            StaffRole.objects.bulk_create(
                [StaffRole(user=self, role=role) for role in roles], ignore_conflicts=True
            )
        self.__dict__.pop("roles", None)


class StaffRole(models.Model):
    """One of a member of staff's roles; a SENCO may also teach a class."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="staff_roles")
    role = models.CharField(max_length=30, choices=Role)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "role"], name="unique_staff_role")]

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
        return f"{self.starts_on.year}/{str(self.ends_on.year)[-2:]}"

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

"""Pupils, what the school records about them each year, and the groups they are taught in."""

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models.functions import Lower

from progress.models import AcademicYear, School, SchoolScopedQuerySet
from pupils.domain import SenNeed, SenProvision, YearGroup, validate_upn


class PupilQuerySet(SchoolScopedQuerySet):
    def for_user(self, user) -> "PupilQuerySet":
        """The pupils `user` may see: the whole school for leaders, else those they teach."""
        pupils = super().for_user(user)
        if user.is_authenticated and not (user.is_leader or user.manages_school_data):
            pupils = pupils.filter(
                pk__in=Group.pupils.through.objects.filter(group__teachers=user).values("pupil")
            )
        return pupils

    def on_roll(self) -> "PupilQuerySet":
        return self.filter(date_left__isnull=True)


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
        before_birthday = (day.month, day.day) < (self.date_of_birth.month, self.date_of_birth.day)
        return day.year - self.date_of_birth.year - before_birthday


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
    teachers = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="teaching_groups")
    pupils = models.ManyToManyField(Pupil, related_name="groups")

    objects = SchoolScopedQuerySet.as_manager()

    class Meta:
        ordering = ["year_group", "name"]
        constraints = [
            models.UniqueConstraint(Lower("name"), "school", name="unique_group_name"),
        ]

    def __str__(self) -> str:
        return self.name

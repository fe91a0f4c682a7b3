import re

from django import forms
from django.utils.formats import date_format

from progress.models import AcademicYear, School
from progress.widgets import LongSelect

CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")  # all but tab and line breaks


def one_line(value: str) -> str:
    """Text meant for one line (a title, a place), as a person meant it: line breaks, tabs and
    runs of spaces become one space, and invisible control characters are refused. Such text
    goes into e-mail subjects and calendar files, where a line break would start a new line."""
    if CONTROL.search(value):
        raise forms.ValidationError("Remove the invisible control character from this text.")
    return " ".join(value.split())


def staff_label(user) -> str:
    """A member of staff as choices list them: their name, and their job when known."""
    return f"{user.display_name} ({user.job_title})" if user.job_title else user.display_name


class StaffChoiceField(forms.ModelChoiceField):
    widget = LongSelect

    def label_from_instance(self, user) -> str:
        return staff_label(user)


class StaffMultipleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, user) -> str:
        return staff_label(user)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self):
        super().__init__(attrs={"class": "form-control"}, format="%Y-%m-%d")


class HalfTermDatesForm(forms.Form):
    """The first and last day of each of a year's six half-terms."""

    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, academic_year: AcademicYear, **kwargs):
        self.academic_year = academic_year
        self.half_terms = list(academic_year.half_terms.all())
        initial = {"version": academic_year.version}
        for half_term in self.half_terms:
            initial[f"starts_{half_term.number}"] = half_term.starts_on
            initial[f"ends_{half_term.number}"] = half_term.ends_on
        super().__init__(*args, initial=initial, **kwargs)
        for half_term in self.half_terms:
            for prefix, label in (("starts", "first day"), ("ends", "last day")):
                self.fields[f"{prefix}_{half_term.number}"] = forms.DateField(
                    label=f"{half_term.name} {label}",
                    widget=DateInput(),
                    error_messages={"required": f"Enter the {label} of {half_term.name}."},
                )

    def rows(self):
        """(half-term, (first-day field, last-day field)) for each half-term, in order."""
        for half_term in self.half_terms:
            yield half_term, (self[f"starts_{half_term.number}"], self[f"ends_{half_term.number}"])

    def clean(self):
        cleaned = super().clean()
        year = self.academic_year
        previous = None
        for half_term, (first_field, last_field) in self.rows():
            first, last = cleaned.get(first_field.name), cleaned.get(last_field.name)
            for field, day in ((first_field, first), (last_field, last)):
                if day and not year.starts_on <= day <= year.ends_on:
                    self.add_error(
                        field.name,
                        f"{date_format(day)} is outside {year.name} "
                        f"({date_format(year.starts_on)} to {date_format(year.ends_on)}).",
                    )
                elif day and day.weekday() >= 5:
                    self.add_error(
                        field.name, f"{date_format(day)} is a {day:%A}: choose a school day."
                    )
            if first and last and last < first:
                self.add_error(
                    last_field.name,
                    f"{half_term.name} cannot end before it starts ({date_format(first)}).",
                )
            if first and previous and previous[1] and first <= previous[1]:
                self.add_error(
                    first_field.name,
                    f"{half_term.name} must start after {previous[0]} ends "
                    f"({date_format(previous[1])}).",
                )
            previous = (half_term.name, last)
        return cleaned

    def dates(self) -> dict[int, tuple]:
        return {
            half_term.number: (
                self.cleaned_data[f"starts_{half_term.number}"],
                self.cleaned_data[f"ends_{half_term.number}"],
            )
            for half_term in self.half_terms
        }


class RetentionForm(forms.ModelForm):
    """How long the school keeps a leaver's records before `apply_retention` deletes them."""

    class Meta:
        model = School
        fields = ["leavers_kept_for"]
        labels = {"leavers_kept_for": "Years to keep a leaver's records"}
        help_texts = {
            "leavers_kept_for": "From the day a pupil leaves: 1 to 25 years. Once a week "
            "Progress deletes everything held about pupils who left longer ago."
        }

import datetime as dt

from django import forms
from django.db.models import Exists, OuterRef

from progress.forms import StaffMultipleChoiceField
from progress.models import User
from pupils import attendance, criteria, facts
from pupils.criteria import Criterion
from pupils.domain import YearGroup
from pupils.importing import KINDS, UnreadableFile, read_table
from pupils.importing.base import Importer
from pupils.importing.reading import MAX_BYTES
from pupils.models import CHARACTERISTICS, Group


class UploadForm(forms.Form):
    kind = forms.ChoiceField(
        label="What the file holds",
        choices=KINDS.items(),
        error_messages={"required": "Choose what the file holds."},
    )
    file = forms.FileField(
        label="Export from your MIS",
        help_text=f"CSV or Excel (.xlsx), up to {MAX_BYTES // 1024 // 1024} MB. "
        "Nothing is saved until you have checked the preview and confirmed.",
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx,text/csv"}),
        error_messages={"required": "Choose the file to upload."},
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_BYTES:
            raise forms.ValidationError(
                f"The file is {upload.size / 1024 / 1024:.1f} MB; the limit is "
                f"{MAX_BYTES // 1024 // 1024} MB."
            )
        content = upload.read()
        try:
            self.table = read_table(content, upload.name)
        except UnreadableFile as error:
            raise forms.ValidationError(str(error)) from None
        self.content = content
        return upload


class MappingForm(forms.Form):
    """Which column of the file holds each thing the importer reads."""

    def __init__(self, *args, importer: Importer, headers: list[str], initial: dict, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("", "Not in this file")] + [
            (str(index), header or f"Column {index + 1}") for index, header in enumerate(headers)
        ]
        for column in importer.columns:
            self.fields[column.name] = forms.TypedChoiceField(
                label=column.label,
                choices=choices,
                coerce=int,
                empty_value=None,
                required=column.required,
                initial="" if initial.get(column.name) is None else str(initial[column.name]),
                error_messages={
                    "required": f"Choose the column that holds the {column.label.lower()}."
                },
            )

    def mapping(self) -> dict[str, int | None]:
        return dict(self.cleaned_data)


class GroupTeachersForm(forms.Form):
    """Who teaches a class or set, ticked among the school's active staff."""

    teachers = StaffMultipleChoiceField(
        queryset=User.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="They see its pupils in Progress, and are asked for their one-page "
        "summaries before a meeting.",
        error_messages={"invalid_choice": "Choose teachers from the school's active staff."},
    )
    # The teachers as the form was drawn, so that a save over someone else's is refused.
    were = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, group, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["teachers"].queryset = User.objects.filter(school=group.school, is_active=True)
        current = sorted(user.pk for user in group.teachers.all())
        self.initial = {"teachers": current, "were": " ".join(map(str, current))}

    def clean_were(self) -> set[int]:
        try:
            return {int(pk) for pk in self.cleaned_data["were"].split()}
        except ValueError:
            raise forms.ValidationError("Open the page again and make your change.") from None


ATTAINMENT = {
    "below": "Below expected in a subject",
    "close": "Just below expected in a subject",
    "expected": "At or above expected in every subject",
    "higher": "At the higher standard in a subject",
}


class PupilFilterForm(forms.Form):
    """The pupil list's filters; every choice is kept in the URL so a view can be shared."""

    q = forms.CharField(label="Name or UPN", required=False, max_length=100)
    year = forms.TypedChoiceField(label="Year", required=False, coerce=int, empty_value=None)
    group = forms.TypedChoiceField(
        label="Class or set", required=False, coerce=int, empty_value=None
    )
    characteristic = forms.ChoiceField(label="Characteristic", required=False)
    band = forms.ChoiceField(label="Attendance", required=False)
    attainment = forms.ChoiceField(
        label="Attainment", required=False, choices=[("", "Any"), *ATTAINMENT.items()]
    )
    criterion = forms.ChoiceField(label="Shortlist criterion", required=False)

    def __init__(self, *args, pupils, **kwargs):
        super().__init__(*args, **kwargs)
        years = pupils.order_by("year_group").values_list("year_group", flat=True).distinct()
        self.fields["year"].choices = [("", "All")] + [(y, YearGroup(y).label) for y in years]
        # The school's classes with a pupil listed: its own groups, each asked after by its
        # pupils (a join of every pupil's classes took PostgreSQL three times as long).
        taught = Group.pupils.through.objects.filter(group=OuterRef("pk"), pupil__in=pupils)
        groups = (
            facts.of_their_school(Group.objects, pupils)
            .filter(Exists(taught))
            .order_by("year_group", "name")
        )
        self.fields["group"].choices = [("", "All")] + [(g.pk, g.name) for g in groups]
        self.fields["characteristic"].choices = [("", "Any")] + [
            (name, label) for name, (label, _) in CHARACTERISTICS.items()
        ]
        self.fields["band"].choices = [("", "Any"), *attendance.Band.choices]
        self.fields["criterion"].choices = [("", "Any"), *Criterion.choices]

    def filter(self, pupils, *, on: dt.date, thresholds: criteria.Thresholds):
        data = self.cleaned_data
        if data["q"]:
            pupils = pupils.search(data["q"])
        if data["year"] is not None:
            pupils = pupils.filter(year_group=data["year"])
        if data["group"] is not None:
            pupils = pupils.filter(groups=data["group"])
        if data["characteristic"]:
            pupils = pupils.with_characteristic(data["characteristic"], on=on)
        if data["band"]:
            band = attendance.Band(data["band"])
            judged = criteria.attendance(pupils=pupils, on=on, by_weekday=False)
            pupils = pupils.filter(pk__in=[pk for pk, f in judged.items() if f.band == band])
        if data["attainment"]:
            pupils = pupils.filter(pk__in=_attaining(pupils, data["attainment"], on))
        if data["criterion"]:
            pupils = criteria.meeting(
                pupils, Criterion(data["criterion"]), on=on, thresholds=thresholds
            )
        return pupils


def _attaining(pupils, wanted: str, on: dt.date) -> list[int]:
    matching = []
    for pupil_id, subjects in facts.attainment(pupils, on=on, latest=1).items():
        standings = [subject.standing() for subject in subjects]
        if wanted == "expected":
            found = all(s in ("expected", "higher") for s in standings)
        else:
            found = wanted in standings
        if found:
            matching.append(pupil_id)
    return matching

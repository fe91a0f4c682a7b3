"""The forms that put a pupil forward for a meeting: a teacher's, from a meeting or from a pupil,
and a leader's, from the shortlist."""

from django import forms

from meetings.models import Nomination
from progress.widgets import LongSelect
from pupils.domain import YearGroup

REASON_LENGTH = Nomination._meta.get_field("reason").max_length


class PupilChoiceField(forms.ModelChoiceField):
    widget = LongSelect

    def label_from_instance(self, pupil) -> str:
        # The year's label from its enum, not `get_year_group_display`, which searches the
        # field's choices afresh for each of a year's pupils.
        return f"{pupil.name} ({YearGroup(pupil.year_group).label})"


class MeetingChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, meeting) -> str:
        return f"{meeting.title}, {meeting.date:%A %-d %B}"


class ReasonForm(forms.Form):
    """The reason: required, at most 300 characters, with one clear message for each."""

    reason = forms.CharField(
        label="Why?",
        max_length=REASON_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=f"What the data may not show, in a sentence or two (up to {REASON_LENGTH} "
        "characters). It shows on the shortlist beside the data's reasons, marked as yours.",
        error_messages={
            "required": "Say why, in a sentence: it shows on the shortlist beside the data's "
            "reasons.",
            "max_length": "Keep the reason to %(limit_value)d characters: it has %(show_value)d.",
        },
    )


class PutForwardForm(ReasonForm):
    """A teacher puts one of their pupils in the meeting's scope forward."""

    field_order = ["pupil", "reason"]

    pupil = PupilChoiceField(
        queryset=None,
        empty_label="Choose a pupil",
        error_messages={"required": "Choose the pupil you are concerned about."},
    )

    def __init__(self, *args, pupils, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["pupil"].queryset = pupils
        self.fields["reason"].label = "Why are you concerned about them?"


class PutPupilForwardForm(ReasonForm):
    """A teacher puts the pupil whose page they came from forward for one of the meetings."""

    field_order = ["meeting", "reason"]

    meeting = MeetingChoiceField(
        queryset=None,
        widget=forms.RadioSelect,
        empty_label=None,
        error_messages={"required": "Choose the meeting."},
    )

    def __init__(self, *args, meetings, pupil, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["meeting"].queryset = meetings
        self.fields["reason"].label = f"Why are you concerned about {pupil.forename}?"


class AddPupilForm(ReasonForm):
    """A leader adds a pupil in scope the data did not propose."""

    field_order = ["pupil", "reason"]

    pupil = PupilChoiceField(
        queryset=None,
        label="Pupil",
        empty_label="Choose a pupil in scope",
        error_messages={"required": "Choose the pupil to add."},
    )

    def __init__(self, *args, pupils, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["pupil"].queryset = pupils
        self.fields["reason"].label = "Why the meeting should discuss them"
        self.fields["reason"].help_text = (
            f"Up to {REASON_LENGTH} characters: it shows on the shortlist and the agenda, "
            "marked as your addition."
        )

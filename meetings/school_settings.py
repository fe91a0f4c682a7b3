"""The school's own settings on one screen, for its senior leaders and school admins: the
shortlist's thresholds, the rules for actions and their review windows, meeting lengths and the
summaries' deadline, each beside Progress's default with a button back to it. It shows every
app's defaults, so it lives at the top, here; the record is `progress.models.SchoolSettings`,
and each rule reads the school's numbers where it applies them.
"""

from dataclasses import dataclass
from functools import cached_property

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from actions.models import OWNER_LIMIT, Kind
from actions.review_dates import EXAM_YEARS, WINDOWS, Window
from meetings.forms import SUMMARIES_DUE_SCHOOL_DAYS
from meetings.models import DEFAULT_LENGTH, LENGTHS
from progress.models import REVIEW_WINDOW_BOUNDS, SETTING_BOUNDS, SchoolSettings, StaleEdit
from pupils.criteria import Thresholds


@dataclass(frozen=True)
class Number:
    """A setting that is one whole number: what it is, the unit it counts and Progress's
    default."""

    name: str
    label: str
    unit: tuple[str, str]  # singular and plural; ("%", "%") for a percentage
    default: int
    explained: str

    @property
    def bounds(self) -> tuple[int, int]:
        return SETTING_BOUNDS[self.name]

    def words(self, value: int) -> str:
        """ "3 percentage points", "1 week", "60%"."""
        if self.unit[0] == "%":
            return f"{value}%"
        return f"{value} {self.unit[value != 1]}"


GUIDANCE = Thresholds()
SHORTLIST = (
    Number(
        "attendance_drop_points",
        "Attendance drop, in percentage points",
        ("percentage point", "percentage points"),
        int(GUIDANCE.attendance_drop_points),
        "Attendance dropped: this half-term at least this far below the last (or the year at "
        "or below 90%, the DfE's persistent absence).",
    ),
    Number(
        "concentrated_absences",
        "Absences on the same days: absences this half-term",
        ("absence", "absences"),
        GUIDANCE.concentrated_absences,
        "At least this many absences this half-term …",
    ),
    Number(
        "concentrated_share",
        "Absences on the same days: share on one or two weekdays, in %",
        ("%", "%"),
        int(GUIDANCE.concentrated_share * 100),
        "… and at least this share of them on the same one or two weekdays.",
    ),
    Number(
        "behaviour_weeks",
        "Behaviour increasing: weeks compared",
        ("week", "weeks"),
        GUIDANCE.behaviour_weeks,
        "Incidents in the last this many weeks, against as many weeks before.",
    ),
    Number(
        "behaviour_incidents",
        "Behaviour increasing: incidents in those weeks",
        ("incident", "incidents"),
        GUIDANCE.behaviour_incidents,
        "At least this many in the last weeks, and more than in the weeks before.",
    ),
    Number(
        "intervention_review_days",
        "Intervention due for review: days ahead",
        ("day", "days"),
        GUIDANCE.intervention_review_days,
        "Its review date within this many days of the meeting (or it ended with no exit measure).",
    ),
    Number(
        "doing_well_steps",
        "Doing well: steps gained",
        ("step", "steps"),
        GUIDANCE.doing_well_steps,
        "At least this many steps up since the last assessment point (on a reading age, "
        f"{GUIDANCE.doing_well_months} months beyond the pupil's age).",
    ),
)
OWNER = Number(
    "owner_limit",
    "Open actions an owner may have due in a fortnight",
    ("open action", "open actions"),
    OWNER_LIMIT,
    "Assigning one more warns, and names the people in the room who have fewer.",
)
DEADLINE = Number(
    "summaries_due_days",
    "Summaries due, in school days before the meeting",
    ("school day", "school days"),
    SUMMARIES_DUE_SCHOOL_DAYS,
    "The deadline a new meeting proposes for its one-page summaries: time for the chair to "
    "read them and chase.",
)
NUMBERS = {number.name: number for number in (*SHORTLIST, OWNER, DEADLINE)}
PARTS = ("usual", "earliest", "latest")
ALL_LENGTHS = [minutes for minutes, _ in LENGTHS]
LENGTH_WORDS = dict(LENGTHS)
STALE_SETTINGS = (
    "Someone else changed the school's settings while you were editing. Nothing was saved and "
    "what you typed is still below: open the page again to see theirs, then make your change."
)


def _days(window: Window) -> list[int]:
    """A window as the settings keep it: [usual, earliest, latest]."""
    return [window.usual, window.earliest, window.latest]


def _window_words(window: Window) -> str:
    return f"{window.usual} school days ({window.earliest} to {window.latest})"


def _and(words: list[str]) -> str:
    return words[0] if len(words) == 1 else f"{', '.join(words[:-1])} and {words[-1]}"


class SchoolSettingsForm(forms.Form):
    """Every number a school may set, shown as it stands (its own, or the default), each with
    its default in words. A value equal to the default is saved as none, so the school follows
    Progress's default from then on. `reset` (a button's name) puts one setting back."""

    extra_vague_phrases = forms.CharField(
        label="The school's own vague phrases",
        required=False,
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="One phrase a line, refused like \u201cmonitor\u201d or \u201csupport\u201d. "
        "Default: none, Progress's own rules only.",
        error_messages={"max_length": "Keep the phrases to 3,000 characters in all."},
    )
    meeting_lengths = forms.TypedMultipleChoiceField(
        label="Lengths a meeting may have",
        choices=LENGTHS,
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        help_text=f"Default: all three, {_and(list(LENGTH_WORDS.values()))}. The agenda is "
        "written for these; a meeting already scheduled keeps its length.",
        error_messages={"required": "Offer at least one length a meeting may have."},
    )
    default_length = forms.TypedChoiceField(
        label="Length of a new meeting",
        choices=LENGTHS,
        coerce=int,
        widget=forms.RadioSelect,
        help_text=f"Default: {LENGTH_WORDS[DEFAULT_LENGTH]}.",
        error_messages={"required": "Choose how long a new meeting is."},
    )
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, data=None, *, own: SchoolSettings):
        self.own_settings = own
        self.reset = ""
        if data is not None and data.get("reset") in self.resettable():
            self.reset = data["reset"]
            data = self._with_default(data.copy(), self.reset)
        super().__init__(data, initial=self._as_it_stands(own))
        for number in NUMBERS.values():
            self.fields[number.name] = self._number_field(number)
        low, high = REVIEW_WINDOW_BOUNDS
        for kind in WINDOWS:
            for part in PARTS:
                self.fields[f"window_{kind}_{part}"] = forms.IntegerField(
                    label=f"{Kind(kind).label}: {part} review, in school days",
                    required=False,
                    min_value=low,
                    max_value=high,
                    error_messages=dict.fromkeys(
                        ("invalid", "min_value", "max_value"),
                        f"Enter a whole number of school days from {low} to {high}.",
                    ),
                    widget=forms.NumberInput(attrs={"class": "form-control form-control-sm"}),
                )
        # As the page shows them, so that the summary of problems lists them in that order.
        self.order_fields(
            [
                *(number.name for number in SHORTLIST),
                "extra_vague_phrases",
                OWNER.name,
                *(f"window_{kind}_{part}" for kind in WINDOWS for part in PARTS),
                "meeting_lengths",
                "default_length",
                DEADLINE.name,
            ]
        )

    @staticmethod
    def _number_field(number: Number) -> forms.IntegerField:
        low, high = number.bounds
        what = "a percentage" if number.unit[0] == "%" else f"a whole number of {number.unit[1]}"
        wrong = f"Enter {what} from {low} to {high}."
        return forms.IntegerField(
            label=number.label,
            required=False,
            min_value=low,
            max_value=high,
            help_text=f"{number.explained} Default: {number.words(number.default)}.",
            error_messages=dict.fromkeys(("invalid", "min_value", "max_value"), wrong),
            widget=forms.NumberInput(attrs={"class": "w-auto"}),
        )

    @staticmethod
    def _as_it_stands(own: SchoolSettings) -> dict:
        initial = {name: own.own(name, number.default) for name, number in NUMBERS.items()}
        windows = {kind: own.review_windows.get(kind) or _days(w) for kind, w in WINDOWS.items()}
        for kind, days in windows.items():
            initial |= {f"window_{kind}_{part}": n for part, n in zip(PARTS, days, strict=True)}
        return initial | {
            "extra_vague_phrases": own.extra_vague_phrases,
            "meeting_lengths": own.meeting_lengths or ALL_LENGTHS,
            "default_length": own.own("default_length", DEFAULT_LENGTH),
            "version": own.version,
        }

    @staticmethod
    def resettable() -> set[str]:
        """The names a "Reset to default" button may send."""
        windows = {f"window_{kind}" for kind in WINDOWS}
        return {*NUMBERS, *windows, "extra_vague_phrases", "meeting_lengths", "default_length"}

    @staticmethod
    def _with_default(data, name: str):
        """The posted form with setting `name` back at its default, the rest as typed."""
        if name in NUMBERS:
            data[name] = str(NUMBERS[name].default)
        elif name.startswith("window_"):
            kind = name.removeprefix("window_")
            for part, days in zip(PARTS, _days(WINDOWS[kind]), strict=True):
                data[f"{name}_{part}"] = str(days)
        elif name == "meeting_lengths":
            data.setlist(name, [str(minutes) for minutes in ALL_LENGTHS])
        elif name == "default_length":
            data[name] = str(DEFAULT_LENGTH)
        else:
            data[name] = ""
        return data

    def clean_extra_vague_phrases(self) -> str:
        lines = [line.strip() for line in self.cleaned_data["extra_vague_phrases"].splitlines()]
        phrases = [line for line in lines if line]
        if len(phrases) > 100:
            raise forms.ValidationError(f"Keep to 100 phrases ({len(phrases)} now).")
        if long := [phrase for phrase in phrases if len(phrase) > 60]:
            raise forms.ValidationError(
                f"Keep each phrase to 60 characters: \u201c{long[0][:60]}\u2026\u201d is longer."
            )
        return "\n".join(dict.fromkeys(phrase.lower() for phrase in phrases))

    def clean(self):
        cleaned = super().clean()
        for kind, default in WINDOWS.items():
            names = [f"window_{kind}_{part}" for part in PARTS]
            if any(self.has_error(name) for name in names):
                continue
            usual, earliest, latest = (
                days if (days := cleaned.get(name)) is not None else standard
                for name, standard in zip(names, _days(default), strict=True)
            )
            if not earliest <= usual <= latest:
                self.add_error(
                    names[0],
                    f"{Kind(kind).label}: the usual review ({usual}) must fall from the earliest "
                    f"({earliest}) to the latest ({latest}).",
                )
            cleaned[f"window_{kind}"] = [usual, earliest, latest]
        lengths, length = cleaned.get("meeting_lengths"), cleaned.get("default_length")
        if lengths and length and length not in lengths:
            self.add_error(
                "default_length",
                f"A new meeting cannot be {LENGTH_WORDS[length]} when the school does not offer "
                "it: offer it, or choose another length.",
            )
        return cleaned

    def changes(self) -> dict:
        """The record's fields as the form leaves them: none (the default) where a number is
        the default."""
        cleaned = self.cleaned_data
        changed = {
            name: None if cleaned[name] in (None, number.default) else cleaned[name]
            for name, number in NUMBERS.items()
        }
        windows = {
            kind: cleaned[f"window_{kind}"]
            for kind, default in WINDOWS.items()
            if cleaned[f"window_{kind}"] != _days(default)
        }
        lengths = sorted(cleaned["meeting_lengths"])
        return changed | {
            "extra_vague_phrases": cleaned["extra_vague_phrases"],
            "review_windows": windows,
            "meeting_lengths": [] if lengths == ALL_LENGTHS else lengths,
            "default_length": None
            if cleaned["default_length"] == DEFAULT_LENGTH
            else cleaned["default_length"],
        }

    def saved(self) -> str:
        """What the success message says: which setting is back at its default, if one is."""
        if not self.reset:
            return "Saved the school's settings."
        if self.reset in NUMBERS:
            number = NUMBERS[self.reset]
            label, default = number.label, number.words(number.default)
        elif self.reset.startswith("window_"):
            kind = self.reset.removeprefix("window_")
            label, default = f"{Kind(kind).label} review", _window_words(WINDOWS[kind])
        else:
            label, default = self.fields[self.reset].label, ""
        default = f", {default}" if default else ""
        return f"Saved the school's settings: \u201c{label}\u201d is back to its default{default}."

    # What the page shows, group by group: each setting, and whether it has a reset.

    exam_years = _and([str(year) for year in EXAM_YEARS])  # checked sooner, whatever the window

    @cached_property
    def overridden(self) -> set[str]:
        """The settings the school has its own value for, as saved: each has a reset."""
        settings = self.own_settings
        names = {name for name in NUMBERS if getattr(settings, name) is not None}
        names |= {f"window_{kind}" for kind in settings.review_windows}
        for name in ("extra_vague_phrases", "meeting_lengths", "default_length"):
            if getattr(settings, name) not in ("", [], None):
                names.add(name)
        return names

    def _rows(self, numbers) -> list[tuple]:
        return [(self[number.name], number.name in self.overridden) for number in numbers]

    @property
    def shortlist(self) -> list[tuple]:
        return self._rows(SHORTLIST)

    @property
    def owner(self) -> list[tuple]:
        return self._rows([OWNER])

    @property
    def deadline(self) -> list[tuple]:
        return self._rows([DEADLINE])

    @property
    def windows(self) -> list[dict]:
        """One row a kind: its three fields, the default in words and whether it has a reset."""
        rows = []
        for kind, default in WINDOWS.items():
            fields = [(part, self[f"window_{kind}_{part}"]) for part in PARTS]
            for _, field in fields:
                if field.errors:
                    field.field.widget.attrs["class"] += " is-invalid"
            rows.append(
                {
                    "kind": kind,
                    "label": Kind(kind).label,
                    "fields": fields,
                    "default": _window_words(default),
                    "own": f"window_{kind}" in self.overridden,
                }
            )
        return rows


def school_settings(request: HttpRequest) -> HttpResponse:
    """Renders and saves the school's own settings, each beside Progress's default, guarded
    against two people saving at once."""
    if not request.user.manages_school_data:
        raise PermissionDenied
    own = SchoolSettings.for_school(request.user.school)
    form = SchoolSettingsForm(request.POST if request.method == "POST" else None, own=own)
    if request.method == "POST" and form.is_valid():
        try:
            own.save_edit(version=form.cleaned_data["version"], **form.changes())
        except StaleEdit:
            form.add_error(None, STALE_SETTINGS)
        else:
            messages.success(request, form.saved())
            return redirect("school_settings")
    status = 422 if form.errors else 200
    return render(request, "meetings/school_settings.html", {"form": form}, status=status)

import datetime as dt

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format

from actions.forms import LogFilterForm
from meetings import people
from meetings.agenda import item_minutes
from meetings.focus import Focus
from meetings.models import LENGTHS, Finding, Meeting, Series, Summary, lengths_offered, pupils_of
from meetings.people import CHAIR_MAY_RECORD
from progress.forms import StaffChoiceField, StaffMultipleChoiceField, one_line
from progress.models import User
from pupils.domain import YearGroup
from pupils.models import Group, Pupil


class InviteForm(forms.Form):
    """One more member of the school's staff to come to a meeting."""

    user = StaffChoiceField(queryset=User.objects.none())

    def __init__(self, *args, school, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = User.objects.filter(school=school, is_active=True)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self):
        super().__init__(format="%Y-%m-%d")


SUMMARIES_DUE_SCHOOL_DAYS = 2  # before the meeting: time for the chair to read them and chase


def school_days(count: int) -> str:
    return f"{count} school day{'s' if count != 1 else ''}"


def _or(words: list[str]) -> str:
    return words[0] if len(words) == 1 else f"{', '.join(words[:-1])} or {words[-1]}"


class MeetingForm(forms.ModelForm):
    """Schedule or change a meeting: its focus and purpose, scope, time and people."""

    year_groups = forms.TypedMultipleChoiceField(
        label="Year groups", coerce=int, required=False, widget=forms.CheckboxSelectMultiple
    )
    series_name = forms.CharField(
        label="Series (optional)",
        required=False,
        max_length=100,
        help_text='Meetings in one series open with the last one\'s actions: "Year 6 half-termly".',
    )
    series_cadence = forms.ChoiceField(
        label="How often the series meets",
        choices=Series.Cadence.choices,
        initial=Series.Cadence.TERMLY,
        required=False,
        help_text="Termly for most year groups; half-termly or more often for exam years (Year 6, "
        "Year 11, Year 13). The next meeting of the series is proposed from it.",
    )
    chair = StaffChoiceField(
        queryset=User.objects.none(), error_messages={"required": "Choose a chair."}
    )
    recorder = StaffChoiceField(
        queryset=User.objects.none(),
        error_messages={"required": "Choose who records the meeting."},
    )
    attendees = StaffMultipleChoiceField(
        queryset=User.objects.none(),
        required=False,
        help_text="Who else comes: the chair and the recorder are in the room already.",
        widget=forms.CheckboxSelectMultiple,
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Meeting
        fields = [
            "focus", "own_focus", "purpose", "year_groups", "groups", "subject", "date",
            "starts_at", "length", "place", "summaries_due",
        ]  # fmt: skip
        widgets = {
            "date": DateInput(),
            "summaries_due": DateInput(),
            "starts_at": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "groups": forms.CheckboxSelectMultiple,
        }
        error_messages = {
            "focus": {"required": "Choose the focus of the meeting."},
            "purpose": {"required": "Say what the meeting should decide, in one sentence."},
            "date": {"required": "Enter the date of the meeting."},
            "starts_at": {"required": "Enter the time the meeting starts."},
            "length": {"required": "Choose how long the meeting lasts."},
        }

    def __init__(self, *args, school, hints=None, by=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.school = school
        self.hints = hints  # the page's query: the focus and scope chosen so far
        self.by = by  # who schedules it: a line manager chooses within their remit
        self.fixed_subject = ""  # a head of department's, whatever is posted
        self.remit_note = ""  # a line manager's remit, said beside the scope
        staff = User.objects.filter(school=school, is_active=True).order_by("display_name")
        for name in ("chair", "recorder", "attendees"):
            self.fields[name].queryset = staff
        years = sorted(set(school.pupils.values_list("year_group", flat=True)))
        self.fields["year_groups"].choices = [(year, YearGroup(year).label) for year in years]
        self.fields["groups"].queryset = Group.objects.filter(school=school).order_by(
            "year_group", "name"
        )
        self.fields["groups"].required = False
        if by is not None and not by.is_leader:
            self._limit_to_remit(by)
        self._offer_the_schools_lengths()
        if self.instance.pk:
            attendees = list(self.instance.attendees.select_related("user"))
            self.initial.update(
                {
                    "chair": next((a.user for a in attendees if a.role == "chair"), None),
                    "recorder": next((a.user for a in attendees if a.role == "recorder"), None),
                    "attendees": [a.user for a in attendees],
                    "series_name": self.instance.series.name if self.instance.series else "",
                    "series_cadence": self.instance.series.cadence
                    if self.instance.series
                    else Series.Cadence.TERMLY,
                    "version": self.instance.version,
                }
            )

    def _offer_the_schools_lengths(self) -> None:
        """The lengths and the summaries' deadline the school has chosen (`School.settings`);
        a meeting keeps its own length even once the school no longer offers it."""
        offered = dict(lengths_offered(self.school))
        if self.instance.pk:
            offered[self.instance.length] = dict(LENGTHS)[self.instance.length]
        choices = [choice for choice in LENGTHS if choice[0] in offered]
        length = self.fields["length"]
        length.choices, length.widget = choices, forms.RadioSelect(choices=choices)
        length.error_messages["invalid_choice"] = (
            f"Choose one of the lengths the school offers: {_or([label for _, label in choices])}."
        )
        days = self.school.settings.own("summaries_due_days", SUMMARIES_DUE_SCHOOL_DAYS)
        self.summaries_due_days = days
        due = self.fields["summaries_due"]
        due.help_text = f"Leave it empty for {school_days(days)} before the meeting."

    def _limit_to_remit(self, user) -> None:
        """A line manager's choices: the year groups of their year or phase and their classes,
        or their department's classes with its subject set; others are refused in words."""
        years, department = user.remit_years, user.remit_department
        if years and not department:
            self.fields["year_groups"].choices = [
                (year, YearGroup(year).label) for year in sorted(years)
            ]
        theirs = Q(year_group__in=years) if years else Q(pk__in=[])
        if department:
            theirs |= Q(subject__iexact=department)
        groups = self.fields["groups"]
        groups.queryset = groups.queryset.filter(theirs)
        if department and not years:
            self.fixed_subject = department
            self.initial["subject"] = department
            self.fields["subject"].widget.attrs["readonly"] = True
            self.fields["subject"].help_text = "Your department's subject."
        self.remit_note = refusal = self.remit_refusal(user)
        self.fields["year_groups"].error_messages["invalid_choice"] = refusal
        groups.error_messages["invalid_choice"] = refusal

    @staticmethod
    def remit_refusal(user) -> str:
        """Why a scope is not a line manager's to schedule, in words."""
        if not user.remit:
            return (
                "Progress does not know your year, phase or department yet, so you cannot "
                "schedule its meetings: ask whoever runs Progress for your school to add it."
            )
        return f"As {user.remit_title} you schedule meetings for {user.remit}."

    def clean_own_focus(self):
        return one_line(self.cleaned_data["own_focus"])

    def clean_purpose(self):
        return one_line(self.cleaned_data["purpose"])

    def clean_place(self):
        return one_line(self.cleaned_data["place"])

    def clean_subject(self):
        return self.fixed_subject or one_line(self.cleaned_data["subject"])

    def clean_series_name(self):
        return one_line(self.cleaned_data["series_name"])

    def clean_date(self):
        date = self.cleaned_data["date"]
        unchanged = self.instance.pk and date == self.instance.date
        if unchanged:
            return date
        if date < timezone.localdate():
            raise forms.ValidationError("The meeting cannot be in the past.")
        if date not in self.school.school_days(date, date):
            instead = date_format(self.school.next_school_day(date))
            closed = f"a {date:%A}" if date.weekday() >= 5 else "in a school holiday"
            raise forms.ValidationError(f"{date_format(date)} is {closed}: try {instead}.")
        return date

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("focus") == Focus.OWN and not cleaned.get("own_focus"):
            self.add_error("own_focus", "Say what this meeting is for, in a few words.")
        chair, recorder = cleaned.get("chair"), cleaned.get("recorder")
        # The chair and the recorder come to the meeting, ticked or not.
        attendees = list(cleaned.get("attendees") or [])
        cleaned["attendees"] = attendees + [
            p for p in (chair, recorder) if p and p not in attendees
        ]
        if chair and recorder and chair == recorder and len(set(attendees)) > CHAIR_MAY_RECORD:
            self.add_error(
                "recorder",
                f"The chair runs the meeting; with more than {CHAIR_MAY_RECORD} people someone "
                "else should record it.",
            )
        self._clean_summaries_due(cleaned)
        self._clean_remit(cleaned)
        return cleaned

    def _clean_remit(self, cleaned) -> None:
        """A line manager's meeting lies within their remit; a leader's anywhere."""
        by = self.by
        if by is None or self.has_error("year_groups") or self.has_error("groups"):
            return
        if not by.leads_scope(
            year_groups=cleaned.get("year_groups") or [],
            subject=cleaned.get("subject", ""),
            groups=cleaned.get("groups") or [],
        ):
            self.add_error("year_groups" if by.remit_years else None, self.remit_refusal(by))

    def _clean_summaries_due(self, cleaned) -> None:
        """Summaries are due on a school day before the meeting; left empty, the school's number
        of school days before it."""
        due, date = cleaned.get("summaries_due"), cleaned.get("date")
        if date and not due:
            cleaned["summaries_due"] = self.proposed_summaries_due(date)
        elif due and date and due > date:
            self.add_error("summaries_due", "Summaries are due before the meeting, not after it.")
        elif (
            due
            and due != self.instance.summaries_due
            and due not in self.school.school_days(due, due)
        ):
            instead = self.school.school_day_before(due + dt.timedelta(days=1))
            self.add_error(
                "summaries_due",
                f"{date_format(due)} is not a school day: choose one, such as "
                f"{date_format(instead)}.",
            )

    def proposed_summaries_due(self, date: dt.date) -> dt.date | None:
        """The school's number of school days before the meeting (two unless it sets another;
        weekends and holidays skipped); the school day before it when that has passed; none
        when that has passed too."""
        today = timezone.localdate()
        for count in (self.summaries_due_days, 1):
            due = self.school.school_day_before(date, count=count)
            if due >= today:
                return due
        return None

    def suggestions(self) -> list[str]:
        """Who should come, in words (`people.suggestions`), from the focus and scope typed so
        far: the form's data once bound, else the page's query (an htmx refresh sends the form
        as it stands), else the meeting as it is."""
        if self.is_bound:
            source = self.data
        elif self.hints:
            source = self.hints
        else:
            source = None
        if source is not None:
            focus, subject = source.get("focus", ""), source.get("subject", "")
            years = [int(year) for year in source.getlist("year_groups") if year.isdigit()]
            chosen = len(source.getlist("attendees"))
        else:
            focus = self.initial.get("focus", self.instance.focus)
            years, subject = self.instance.year_groups, self.instance.subject
            chosen = len(self.initial.get("attendees", []))
        return people.suggestions(
            school=self.school, focus=focus, year_groups=years, subject=subject, chosen=chosen
        )

    @property
    def saved_fields(self) -> list[str]:
        """The meeting's own columns this form changes (the classes are a separate table)."""
        return [name for name in self.Meta.fields if name != "groups"] + ["series"]

    def save_meeting(self, *, by) -> Meeting:
        meeting = self.save(commit=False)
        meeting.school = self.school
        if not meeting.pk:
            meeting.created_by = by
        name = self.cleaned_data["series_name"].strip()
        meeting.series = self._series(name) if name else None
        return meeting

    def _series(self, name: str) -> Series:
        """The series named, made with the cadence chosen; an existing one takes the cadence
        only when someone changed it here, never the form's default."""
        cadence = self.cleaned_data.get("series_cadence") or Series.Cadence.TERMLY
        series, made = Series.objects.get_or_create(
            school=self.school, name=name, defaults={"cadence": cadence}
        )
        if not made and "series_cadence" in self.changed_data and series.cadence != cadence:
            series.cadence = cadence
            series.save(update_fields=["cadence"])
        return series


class ShortlistForm(forms.Form):
    """Which proposed pupils to discuss, an optional group item, and a reason to go over the cap."""

    pupils = forms.MultipleChoiceField(required=False, widget=forms.CheckboxSelectMultiple)
    group_name = forms.CharField(label="Group item (optional)", required=False, max_length=100)
    group_pupils = forms.MultipleChoiceField(
        label="Pupils in the group", required=False, widget=forms.CheckboxSelectMultiple
    )
    group_reason = forms.CharField(label="What the group shares", required=False, max_length=300)
    over_cap_reason = forms.CharField(
        label="Why more items than the length allows", required=False, max_length=250
    )

    def __init__(self, *args, proposals, meeting, **kwargs):
        super().__init__(*args, **kwargs)
        self.meeting = meeting
        self.proposals = {str(proposal.pupil.pk): proposal for proposal in proposals}
        choices = [(pk, proposal.pupil.name) for pk, proposal in self.proposals.items()]
        self.fields["pupils"].choices = choices
        self.fields["group_pupils"].choices = choices

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("group_name") and len(cleaned.get("group_pupils", [])) < 2:
            self.add_error("group_pupils", "A group item needs at least two pupils.")
        if cleaned.get("group_pupils") and not cleaned.get("group_name"):
            self.add_error(
                "group_name", "Name the group, for example \u201cYear 8 reading group\u201d."
            )
        items = len(cleaned.get("pupils", [])) + bool(cleaned.get("group_name"))
        if not items:
            raise forms.ValidationError("Choose at least one pupil or group to discuss.")
        if items > self.meeting.item_cap and not cleaned.get("over_cap_reason"):
            each = min(item_minutes(length=self.meeting.length, items=items))
            self.add_error(
                "over_cap_reason",
                f"{items} items is more than the {self.meeting.item_cap} a "
                f"{self.meeting.length}-minute meeting has room for, and each would get about "
                f"{each} minute{'s' if each != 1 else ''}: say why, or choose fewer.",
            )
        return cleaned

    def items_chosen(self) -> int:
        """How many items the choices so far make: each pupil, and the group if named."""
        return len(self["pupils"].value() or []) + bool(self["group_name"].value())

    def chosen(self):
        pupils = [
            (self.proposals[pk].pupil, self.proposals[pk].text)
            for pk in self.cleaned_data["pupils"]
        ]
        groups = []
        if self.cleaned_data["group_name"]:
            members = [self.proposals[pk].pupil for pk in self.cleaned_data["group_pupils"]]
            groups.append(
                (self.cleaned_data["group_name"], members, self.cleaned_data["group_reason"])
            )
        return pupils, groups


class SummaryForm(forms.ModelForm):
    """What only the teacher knows; the data beside it is never typed. The questions follow the
    item (`Summary.asks`): a pupil proposed as doing well is asked what is working and what
    others can learn from it, never for a concern."""

    version = forms.IntegerField(widget=forms.HiddenInput)

    class Meta:
        model = Summary
        fields = [*Summary.CONCERN, "what_is_working", "what_to_learn"]
        widgets = {
            "main_concern": forms.Textarea(attrs={"rows": 2}),
            "gap": forms.RadioSelect,
            "with_support": forms.RadioSelect,
            "breadth": forms.RadioSelect,
            "reach": forms.RadioSelect,
            "effort": forms.RadioSelect,
            "tried": forms.Textarea(attrs={"rows": 2}),
            "what_helped": forms.Textarea(attrs={"rows": 2}),
            "barrier": forms.Textarea(attrs={"rows": 2}),
            "next_step": forms.Textarea(attrs={"rows": 2}),
            "support_wanted": forms.Textarea(attrs={"rows": 2}),
            "pupil_voice": forms.Textarea(attrs={"rows": 2}),
            "what_is_working": forms.Textarea(attrs={"rows": 3}),
            "what_to_learn": forms.Textarea(attrs={"rows": 2}),
        }
        labels = {
            "reach": "Is this an individual issue or a wider class pattern?",
            "support_wanted": "What support would help me help the pupil?",
            "what_is_working": "What is working?",
            "what_to_learn": "What can others learn from it?",
        }
        help_texts = {
            "main_concern": "What exactly can the pupil not do yet?",
            "next_step": "What would you try next, and how will you know it worked?",
            "reach": "If others in the class share it, reteaching them may be the answer.",
            "effort": "How the pupil engages in your lessons, on its own scale: not attainment.",
            "support_wanted": "Optional: from a colleague, the SENCO, a leader or home.",
            "pupil_voice": "Optional: what helps you learn? What is hard at the moment? "
            "What could an adult do differently?",
            "what_is_working": "What is the pupil doing, or what are you doing, that makes the "
            "difference?",
            "what_to_learn": "What could other pupils, classes or colleagues take from it?",
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        asked = self.instance.asks
        for name in [name for name in self.Meta.fields if name not in asked]:
            del self.fields[name]
        self.order_fields(asked)
        for name in ("gap", "with_support", "breadth", "reach", "effort"):
            if name in self.fields:  # radios need no empty choice
                self.fields[name].choices = [c for c in self.fields[name].choices if c[0]]

    def clean(self):
        cleaned = super().clean()
        if self.data.get("ready"):
            for name in self.instance.needed:
                if not cleaned.get(name):
                    self.add_error(name, "Needed before the summary is ready.")
        return cleaned

    def answers(self) -> list[tuple[str, str]]:
        """(question, answer) for each question asked, as someone who may not write it reads
        them: a choice by its words."""
        summary = self.instance
        answers = []
        for name in summary.asks:
            shown = getattr(summary, f"get_{name}_display", None)
            answers.append(
                (str(self.fields[name].label), shown() if shown else getattr(summary, name))
            )
        return answers


class PupilsField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, pupil) -> str:
        return pupil.name


class LogEntryForm(forms.Form):
    """Who an action logged in the meeting is for: an item on the agenda, or a group of the
    pupils discussed ("reteach fair testing to these five"). `key` makes a submit sent twice
    (a double press, a retry after a dropped connection) save once."""

    GROUP = "group"

    item = forms.ChoiceField(
        label="For", error_messages={"required": "Choose the pupil or group the action is for."}
    )
    group_name = forms.CharField(label="Group name", required=False, max_length=100)
    group_pupils = PupilsField(
        label="Pupils in the group",
        queryset=Pupil.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    key = forms.UUIDField(widget=forms.HiddenInput)

    def __init__(self, *args, items: list, **kwargs):
        super().__init__(*args, **kwargs)
        self.items = {str(item.pk): item for item in items}
        self.fields["item"].choices = [
            ("", "Choose a pupil or group"),
            *[(pk, str(item)) for pk, item in self.items.items()],
            (self.GROUP, "A group of the pupils here (a group action)"),
        ]
        discussed = [pupil.pk for pupil in pupils_of(items)]
        self.fields["group_pupils"].queryset = Pupil.objects.filter(pk__in=discussed).order_by(
            "legal_surname", "legal_forename"
        )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("item") != self.GROUP:
            return cleaned
        if not cleaned.get("group_name"):
            self.add_error("group_name", "Name the group, for example \u201c6N fair testing\u201d.")
        if len(cleaned.get("group_pupils") or []) < 2:
            self.add_error("group_pupils", "Tick at least two pupils for a group action.")
        return cleaned

    def chosen(self):
        """The item chosen so far, if the choice is an item (before validation too)."""
        return self.items.get(self.data.get("item") if self.is_bound else self.initial.get("item"))

    def apply(self, action) -> None:
        """Point `action` at the chosen pupil or group (the group's pupils are set once saved)."""
        item = self.chosen()
        if item and item.pupil_id:
            action.pupil = item.pupil
        else:
            action.group_name = item.group_name if item else self.cleaned_data["group_name"]

    def group_members(self):
        item = self.chosen()
        return item.group_pupils.all() if item else self.cleaned_data["group_pupils"]


class DeferForm(forms.Form):
    reason = forms.CharField(
        max_length=250, label="Why defer it", error_messages={"required": "Say why it is deferred."}
    )
    until = forms.DateField(
        label="Until", required=False, widget=DateInput(), help_text="Empty: the next meeting."
    )

    def clean_until(self):
        until = self.cleaned_data["until"]
        if until and until <= timezone.localdate():
            raise forms.ValidationError("Defer it to a day after today.")
        return until


class CloseForm(forms.Form):
    difference = forms.CharField(
        label=Meeting._meta.get_field("difference").verbose_name.capitalize(),
        max_length=400,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="One or two sentences about the pupils, not the meeting. It heads the "
        "minutes, and the school looks back on it to see whether its meetings work.",
        error_messages={"required": "Say what will be different for the pupils."},
    )

    def clean_difference(self):
        difference = " ".join(self.cleaned_data["difference"].split())
        if len(difference.split()) < 5:
            raise forms.ValidationError(
                "Say in a sentence what will change for the pupils: \u201cEight pupils are "
                "retaught fair testing on Monday, and Amira\u2019s mother is called about "
                "Mondays.\u201d"
            )
        return difference


class ParkForm(forms.Form):
    note = forms.CharField(
        max_length=250,
        label="What the next meeting needs to know",
        error_messages={"required": "Say what the next meeting needs to know."},
    )


class ActionLogFilterForm(LogFilterForm):
    """The action log's filters, and the focus of the meeting that agreed each action."""

    focus = forms.ChoiceField(required=False, label="Meeting focus")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["focus"].choices = [("", "Any focus"), *Focus.choices]

    def filter(self, actions, *, today: dt.date):
        actions = super().filter(actions, today=today)
        if self.cleaned_data["focus"]:
            actions = actions.filter(meeting__focus=self.cleaned_data["focus"])
        return actions


class FindingForm(forms.ModelForm):
    prefix = "finding"  # it shares a page with the recorder's action form: its own ids
    key = forms.UUIDField(widget=forms.HiddenInput)

    class Meta:
        model = Finding
        fields = ["kind", "text"]
        widgets = {"text": forms.Textarea(attrs={"rows": 2})}
        help_texts = {
            "text": "For example \u201cFair testing was taught once, without a worked example: "
            "reteach to the whole class\u201d."
        }
        error_messages = {
            "kind": {"required": "Choose what the finding is about."},
            "text": {"required": "Enter the finding."},
        }

    def finding(self) -> dict:
        return {"kind": self.cleaned_data["kind"], "text": self.cleaned_data["text"]}

import datetime as dt
import json
from functools import cached_property

from django import forms
from django.db.models import Case, Count, Q, When
from django.utils.formats import date_format

from actions import quality, review_dates
from actions.models import (
    IMPACTS,
    KIND_FOR_BARRIER,
    MONITORING_FIELDS,
    Action,
    Due,
    FollowUp,
    Kind,
    Review,
    Rules,
)
from progress.forms import staff_label
from progress.models import User
from progress.widgets import LongSelect
from pupils.domain import YearGroup
from pupils.models import InterventionPlace


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self):
        super().__init__(format="%Y-%m-%d")


def check_action(
    form,
    draft: quality.Draft,
    *,
    day,
    reason: str,
    rules: Rules,
    dates: review_dates.ReviewDates,
    fields=("text", "review_on"),
) -> list[str]:
    """Add to `form` what the school's rules say of an action's text and its review date (a
    school day, inside the window for its kind unless a reason is given); return what is only
    worth saying (a school calendar without this year's term dates)."""
    text_field, date_field = fields
    if text_field not in form.errors:  # left empty, it is already said to be: once is enough
        for problem in quality.problems(draft, extra_vague=rules.vague_phrases):
            form.add_error(text_field, problem)
    verdict = review_dates.check(school=rules.school, day=day, today=dates.agreed_on)
    for problem in verdict.problems:
        form.add_error(date_field, problem)
    unusual = dates.outside(draft.kind, day) if day and not verdict.problems else ""
    if unusual and not reason.strip():
        form.add_error(date_field, unusual)
    return verdict.warnings


# The guidance's questions before adding an intervention.
INTERVENTION_QUESTIONS = (
    "Before another intervention: could it be done in class, in the lesson itself? Do others in "
    "the class share the barrier, so that one reteach serves them all? What will it do that "
    "lessons do not, and how will it come back into the classroom?"
)


def has_intervention(pupil, *, on: dt.date) -> bool:
    """Whether `pupil` has an intervention running on `on`, or an open action for one."""
    running = Q(ends_on__isnull=True) | Q(ends_on__gte=on)
    return (
        Action.objects.filter(pupil=pupil, kind=Kind.INTERVENTION).open().exists()
        or InterventionPlace.objects.filter(running, pupil=pupil, starts_on__lte=on).exists()
    )


# The fields whose problems the quality check says, once, beside the form.
CHECKED = ("barrier", "text", "impact_check", "review_on")


class OwnerField(forms.ModelChoiceField):
    widget = LongSelect

    def label_from_instance(self, user) -> str:
        return f"{staff_label(user)} \u00b7 {user.open_actions} open"


class ActionForm(forms.ModelForm):
    """Barrier / Action / Owner / Review date, with the quality rules applied."""

    owner = OwnerField(
        queryset=User.objects.none(),
        error_messages={"required": "Choose who owns the action."},
    )

    class Meta:
        model = Action
        fields = [
            "barrier", "barrier_category", "text", "impact_check", "kind", "owner", "supporting",
            "review_on", "review_reason", *MONITORING_FIELDS, "parent_contact", "senco_review",
            "attendance_plan", "safeguarding_follow_up",
        ]  # fmt: skip
        widgets = {
            "barrier": forms.Textarea(attrs={"rows": 2}),
            "text": forms.Textarea(attrs={"rows": 3}),
            "review_on": DateInput(),
            "supporting": forms.SelectMultiple(attrs={"size": 4}),
        }
        error_messages = {
            "barrier": {"required": "Enter the barrier: what stands in the pupil's way."},
            "barrier_category": {"required": "Choose what kind of barrier it is."},
            "text": {"required": "Enter the action: what will be done, and by when."},
            "kind": {"required": "Choose the kind of action."},
        }

    def __init__(
        self,
        *args,
        school,
        today: dt.date,
        year_group: int | None = None,
        owners_first=(),
        pupil=None,
        logged_kinds=(),
        **kwargs,
    ):
        """`owners_first`: the people in the room, listed before the rest of the staff;
        `pupil` and `logged_kinds` (what the meeting has logged so far) for advice on
        interventions."""
        super().__init__(*args, **kwargs)
        self.school, self.today, self.year_group = school, today, year_group
        self.owners_first, self.pupil, self.logged_kinds = list(owners_first), pupil, logged_kinds
        self.rules = Rules.for_school(school)
        self.warnings: list[str] = []  # said beside the form, never stopping a save
        staff = User.objects.filter(school=school, is_active=True)
        self.fields["owner"].queryset = staff.annotate(
            open_actions=Count("actions", filter=Q(actions__status=Action.Status.OPEN)),
            in_room=Case(When(pk__in=list(owners_first), then=0), default=1),
        ).order_by("in_room", "display_name")
        self.fields["supporting"].queryset = staff.order_by("display_name")
        self.fields["supporting"].required = False
        self.fields["parent_contact"].required = False
        self.fields["review_on"].required = False  # its own message below says what is missing
        for name in CHECKED:  # the quality check beside them says what is wrong
            self.fields[name].widget.attrs |= {
                "class": "form-control",
                "aria-describedby": "action-quality",
            }
        # The review date moves with the kind chosen, until someone sets it (static/js/app.js).
        self.dates = review_dates.ReviewDates(school=school, agreed_on=today, year_group=year_group)
        self.usual_dates = self.dates.every_usual()
        self.usual_dates[""] = self.usual_dates[Kind.CLASSROOM]  # no kind chosen yet
        self.fields["review_on"].widget.attrs["data-usual-dates"] = json.dumps(
            {kind: day.isoformat() for kind, day in self.usual_dates.items()}
        )
        # So does the kind, with the barrier's category (`KIND_FOR_BARRIER`).
        self.fields["barrier_category"].widget.attrs["data-kind-for"] = json.dumps(KIND_FOR_BARRIER)
        if not self.is_bound and not self.initial.get("review_on"):
            self.initial["review_on"] = self.usual_dates.get(self.initial.get("kind") or "")

    def clean(self):
        cleaned = super().clean()
        draft = quality.Draft(
            text=cleaned.get("text", ""),
            kind=cleaned.get("kind", ""),
            monitoring={name: cleaned.get(name, "") for name in MONITORING_FIELDS},
        )
        self.warnings = check_action(
            self,
            draft,
            day=cleaned.get("review_on"),
            reason=cleaned.get("review_reason", ""),
            rules=self.rules,
            dates=self.dates,
        )
        if "impact_check" in cleaned:
            for problem in quality.impact_check_problems(
                cleaned["impact_check"], kind=cleaned.get("kind", "")
            ):
                self.add_error("impact_check", problem)
        if "barrier" in cleaned:
            for problem in quality.barrier_problems(cleaned["barrier"]):
                self.add_error("barrier", problem)
        for name in CHECKED:
            if name in self.errors:
                self.fields[name].widget.attrs |= {
                    "class": "form-control is-invalid",
                    "aria-invalid": "true",
                }
        return cleaned

    def suggested_review_date(self) -> str:
        """The usual review date for the kind chosen, in words, when it is not the one set."""
        kind = self.data.get("kind") if self.is_bound else None
        if not kind:
            return ""
        suggested = self.usual_dates.get(kind, self.usual_dates[""])
        chosen = self.cleaned_data.get("review_on") if hasattr(self, "cleaned_data") else None
        if chosen == suggested:
            return ""
        label = dict(Kind.choices).get(kind, kind).lower()
        return f"For {label}, impact is usually checked by {date_format(suggested)}."

    def owner_load(self) -> str:
        """The chosen owner's open actions and those due in the same fortnight, in words."""
        owner = self.cleaned_data.get("owner") if hasattr(self, "cleaned_data") else None
        review_on = self.cleaned_data.get("review_on") if hasattr(self, "cleaned_data") else None
        if owner is None:
            return ""
        mine = Action.objects.filter(owner=owner).open()
        if review_on is None:
            return f"{owner.display_name} has {mine.count()} open actions."
        first, last = review_on - dt.timedelta(days=7), review_on + dt.timedelta(days=7)
        due = mine.due_between(first, last).count()
        text = (
            f"{owner.display_name} has {mine.count()} open actions, {due} due between "
            f"{date_format(first)} and {date_format(last)}."
        )
        if due >= self.rules.owner_limit:
            text += (
                f" One more is more than the school's {self.rules.owner_limit} in a fortnight: "
                "share the load or move a date."
            )
            if others := self._others_in_room(owner, first, last):
                text += f" In the room with fewer due then: {others}."
        return text

    def _others_in_room(self, owner, first: dt.date, last: dt.date) -> str:
        """The people in the room who could take it, fewest due in that fortnight first."""
        room = (
            User.objects.filter(pk__in=self.owners_first, is_active=True)
            .exclude(pk=owner.pk)
            .annotate(
                due=Count(
                    "actions",
                    filter=Q(
                        actions__status=Action.Status.OPEN,
                        actions__review_on__range=(first, last),
                    ),
                )
            )
            .filter(due__lt=self.rules.owner_limit)
            .order_by("due", "display_name")[:3]
        )
        return ", ".join(f"{person.display_name} ({person.due})" for person in room)

    def advice(self) -> list[str]:
        """What is worth weighing before saving an intervention, never stopping it: the guidance's
        questions when the pupil already has one, or when most of the meeting's actions are."""
        if not self.is_bound or self.data.get("kind") != Kind.INTERVENTION:
            return []
        said = []
        if self.pupil is not None and has_intervention(self.pupil, on=self.today):
            said.append(f"{self.pupil.name} already has an intervention.")
        kinds = [*self.logged_kinds, Kind.INTERVENTION]
        if len(kinds) >= 3 and kinds.count(Kind.INTERVENTION) * 2 > len(kinds):
            said.append(
                f"{kinds.count(Kind.INTERVENTION)} of this meeting's {len(kinds)} actions would "
                "be interventions."
            )
        if said:
            said.append(INTERVENTION_QUESTIONS)
        return said


class ActionEditForm(ActionForm):
    """Put right an action logged in a meeting, unless someone else changed it meanwhile."""

    version = forms.IntegerField(widget=forms.HiddenInput)

    @property
    def saved_fields(self) -> list[str]:
        """The action's own columns this form changes (supporting staff are a separate table)."""
        return [name for name in self.Meta.fields if name != "supporting"]


UNKNOWN = "unknown"


class ReviewForm(forms.ModelForm):
    STALE = (
        "Someone else recorded a review of this action while you were writing yours. Nothing of "
        "yours was saved and it is still below; their review is shown above."
    )

    version = forms.IntegerField(widget=forms.HiddenInput)
    adjusted_text = forms.CharField(
        label="If you adjust it: the action from now on",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="It replaces this action, which stays linked to it.",
    )
    adjusted_review_on = forms.DateField(
        label="The adjusted action's review date", required=False, widget=DateInput()
    )
    adjusted_review_reason = forms.CharField(
        label="Why this review date",
        required=False,
        max_length=200,
        help_text="Only when the date is outside the usual window for its kind.",
    )

    impact = forms.TypedChoiceField(
        label="Impact so far",
        choices=[*[(str(value), label) for value, label in IMPACTS], (UNKNOWN, "Not yet known")],
        coerce=lambda value: None if value == UNKNOWN else int(value),
        widget=forms.RadioSelect,
        help_text="\u201cNot yet known\u201d keeps the action open on its owner's list.",
        error_messages={"required": "Choose the impact so far, or \u201cNot yet known\u201d."},
    )

    class Meta:
        model = Review
        fields = [
            "happened", "why_not", "what_changed", "evidence", "decision", "stopped_because",
            "impact",
        ]  # fmt: skip
        widgets = {
            "happened": forms.RadioSelect,
            "decision": forms.RadioSelect,
            "stopped_because": forms.RadioSelect,
            "why_not": forms.Textarea(attrs={"rows": 2}),
            "what_changed": forms.Textarea(attrs={"rows": 2}),
            "evidence": forms.Textarea(attrs={"rows": 2}),
        }
        help_texts = {
            "evidence": "What shows it: a quiz score, attendance figures, books. "
            "An intervention existing is not impact.",
        }
        error_messages = {
            "happened": {"required": "Say whether the action happened."},
            "decision": {"required": "Choose what happens to the action next."},
        }

    def __init__(self, *args, action: Action, today: dt.date, **kwargs):
        super().__init__(*args, **kwargs)
        self.action, self.today = action, today
        self.warnings: list[str] = []  # said beside the form, never stopping a save
        for name in ("happened", "decision", "stopped_because"):  # radios: no empty choice
            self.fields[name].choices = [c for c in self.fields[name].choices if c[0] != ""]
        if self.initial.get("impact", "") is None:
            self.initial["impact"] = UNKNOWN
        if not self.is_bound:  # should it be adjusted, the usual date for its kind from today
            self.initial["adjusted_review_on"] = self.dates.usual(action.kind)

    @cached_property
    def dates(self) -> review_dates.ReviewDates:
        """The adjusted action's dates, from today (a look at the calendar: only when asked)."""
        action = self.action
        return review_dates.ReviewDates(
            school=action.school,
            agreed_on=self.today,
            year_group=action.pupil.year_group if action.pupil_id else None,
        )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("happened") in (
            Review.Happened.NO,
            Review.Happened.PARTLY,
        ) and not cleaned.get("why_not"):
            self.add_error(
                "why_not", "Say why it did not fully happen: that is what the next step depends on."
            )
        impact, decision = cleaned.get("impact"), cleaned.get("decision")
        if not cleaned.get("evidence"):
            if impact is not None and impact > 0:
                self.add_error("evidence", "Impact needs evidence: what shows the change?")
            elif decision == Review.Decision.COMPLETED:
                self.add_error("evidence", "Completing it needs evidence: what shows it worked?")
            elif cleaned.get("happened") == Review.Happened.YES:
                self.add_error("evidence", "Say what shows it happened: registers, books, a log.")
        if decision == Review.Decision.COMPLETED and "impact" in cleaned and impact is None:
            self.add_error(
                "impact",
                "Completing it needs its impact: say what changed, or continue it until it is "
                "known.",
            )
        if decision == Review.Decision.STOP and not cleaned.get("stopped_because"):
            self.add_error(
                "stopped_because", "Say why it stops: it worked, it is not working, or it is no "
                "longer needed.",
            )  # fmt: skip
        if cleaned.get("decision") == Review.Decision.ADJUST:
            self._clean_adjusted(cleaned)
        return cleaned

    def _clean_adjusted(self, cleaned) -> None:
        action = self.action
        draft = quality.Draft(
            text=cleaned.get("adjusted_text", ""), kind=action.kind, monitoring=action.monitoring
        )
        self.warnings = check_action(
            self,
            draft,
            day=cleaned.get("adjusted_review_on"),
            reason=cleaned.get("adjusted_review_reason", ""),
            rules=Rules.for_school(action.school),
            dates=self.dates,
            fields=("adjusted_text", "adjusted_review_on"),
        )

    def review(self) -> dict:
        """What `Action.record_review` takes from the form: the answers, the version read and
        the adjusted action, if any."""
        answers = {name: self.cleaned_data[name] for name in self.Meta.fields}
        return answers | {"version": self.cleaned_data["version"], "adjusted": self.adjusted()}

    def adjusted(self) -> dict | None:
        """The adjusted action's text and review date, when the decision is to adjust."""
        if self.cleaned_data["decision"] != Review.Decision.ADJUST:
            return None
        return {
            "text": self.cleaned_data["adjusted_text"],
            "review_on": self.cleaned_data["adjusted_review_on"],
            "review_reason": self.cleaned_data["adjusted_review_reason"],
        }


class LogFilterForm(forms.Form):
    owner = forms.ModelChoiceField(
        queryset=User.objects.none(), required=False, empty_label="Anyone", widget=LongSelect
    )
    kind = forms.ChoiceField(required=False)
    status = forms.ChoiceField(required=False)
    due = forms.ChoiceField(
        required=False,
        choices=[("", "Any time"), (Due.OVERDUE, Due.OVERDUE.label), (Due.SOON, Due.SOON.label)],
    )
    year = forms.TypedChoiceField(required=False, coerce=int, empty_value=None)

    def __init__(self, *args, school, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = User.objects.filter(school=school).order_by("display_name")
        self.fields["kind"].choices = [("", "Any kind"), *Kind.choices]
        self.fields["status"].choices = [("", "Any status"), *Action.Status.choices]
        self.fields["year"].choices = [("", "Any year"), *YearGroup.choices]

    def filter(self, actions, *, today: dt.date):
        data = self.cleaned_data
        if data["owner"]:
            actions = actions.filter(owner=data["owner"])
        if data["kind"]:
            actions = actions.filter(kind=data["kind"])
        if data["status"]:
            actions = actions.filter(status=data["status"])
        if data["due"] == Due.OVERDUE:
            actions = actions.overdue(on=today)
        elif data["due"] == Due.SOON:
            actions = actions.due_soon(on=today)
        if data["year"] is not None:
            actions = actions.filter(pupil__year_group=data["year"])
        return actions


class StartForm(forms.Form):
    """Has the action started? "Yes" in one click; "not yet" says why and by when."""

    version = forms.IntegerField(widget=forms.HiddenInput)
    started = forms.ChoiceField(choices=[("yes", "Yes"), ("no", "Not yet")])
    because = forms.CharField(
        label="Why not yet", max_length=300, required=False, widget=forms.TextInput()
    )
    starts_by = forms.DateField(label="It will start by", required=False, widget=DateInput())

    def __init__(self, *args, today: dt.date, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("started") != "no":
            return cleaned
        # Shown as "why; to start by when.", so the reason's own closing stop is left off.
        cleaned["because"] = cleaned.get("because", "").rstrip(" .;,")
        if not cleaned["because"]:
            self.add_error("because", "Say why it has not started yet.")
        starts_by = cleaned.get("starts_by")
        if not starts_by:
            self.add_error("starts_by", "Say by when it will start.")
        elif starts_by < self.today:
            self.add_error("starts_by", "That date has passed: say when it will start from now.")
        return cleaned

    def answer(self) -> dict:
        """The answer, for `Action.record_start`."""
        if self.cleaned_data["started"] == "yes":
            return {"on": self.today}
        return {
            "on": self.today,
            "because": self.cleaned_data["because"],
            "starts_by": self.cleaned_data["starts_by"],
        }


class FollowUpForm(forms.Form):
    """Check off a follow-up: when, how and what was agreed with parents; what a SENCO review or
    an attendance plan decided; or why it could not happen. A safeguarding follow-up records
    only that it was passed to the school's safeguarding system."""

    version = forms.IntegerField(widget=forms.HiddenInput)
    done_on = forms.DateField(
        label="When",
        widget=DateInput(),
        error_messages={"required": "Enter the date it happened."},
    )
    could_not = forms.BooleanField(label="It could not happen", required=False)
    how = forms.ChoiceField(
        label="How", choices=[("", "Choose…"), *FollowUp.How.choices], required=False
    )
    outcome = forms.CharField(
        label="What was agreed",
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Or, if it could not happen, why. No more detail than the school needs.",
    )

    def __init__(self, *args, follow_up: FollowUp, today: dt.date, **kwargs):
        super().__init__(*args, **kwargs)
        self.follow_up, self.today = follow_up, today
        self.fields["done_on"].initial = today
        if follow_up.kind == FollowUp.Kind.SAFEGUARDING:
            for name in ("could_not", "how", "outcome"):
                del self.fields[name]
            self.fields["done_on"].label = "Passed to the safeguarding system on"
            self.fields["done_on"].error_messages["required"] = "Enter the date it was passed on."
        elif follow_up.kind != FollowUp.Kind.PARENT_CONTACT:
            del self.fields["how"]
            self.fields["outcome"].label = "What was decided"

    def clean_done_on(self):
        done_on = self.cleaned_data["done_on"]
        if done_on > self.today:
            raise forms.ValidationError("Record it once it has happened: that date is to come.")
        return done_on

    def clean(self):
        cleaned = super().clean()
        if "outcome" not in self.fields:
            return cleaned
        if cleaned.get("could_not"):
            if not cleaned.get("outcome", "").strip():
                self.add_error("outcome", "Say why it could not happen.")
            return cleaned
        if "how" in self.fields and not cleaned.get("how"):
            self.add_error("how", "Say how the parents were contacted.")
        if not cleaned.get("outcome", "").strip():
            self.add_error("outcome", f"Say {self.fields['outcome'].label.lower()}.")
        return cleaned

    def answer(self) -> dict:
        """The record, for `FollowUp.record`."""
        return {
            "on": self.cleaned_data["done_on"],
            "could_not": self.cleaned_data.get("could_not", False),
            "how": "" if self.cleaned_data.get("could_not") else self.cleaned_data.get("how", ""),
            "outcome": self.cleaned_data.get("outcome", "").strip(),
        }

"""Whether interventions work, and which have drifted: each intervention's places, the pupils'
entry and exit measures, the sessions they attended of those planned, the impact recorded on the
actions that used it, and its cost where the school records it.

It lives with the actions, not the pupils: an action used an intervention (`used`), and only this
app may read both. The definitions are in docs/domain.md, "Interventions: impact and drift".
"""

import datetime as dt
import re
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone
from django.utils.formats import date_format

from actions.models import Action, ActionPupil, Kind, Review
from pupils.models import Intervention, InterventionPlace

# An action of the kind Intervention agreed this long before a place started may have been
# what started it: the place is the action carried out.
AGREED_BEFORE_START = dt.timedelta(weeks=4)

READING_AGE = re.compile(r"(\d+)\s*y(?:ears?)?\s*(\d+)\s*m", re.IGNORECASE)
NUMBER = re.compile(r"-?\d+(?:\.\d+)?")


@dataclass(frozen=True)
class Measure:
    """A measure as written ("Reading age 8y 3m", "Scaled score 94", "Attendance 82.5%") read as
    a number: a reading age in months, else its first number; `kind` is its words without the
    numbers, so that only like is compared with like."""

    kind: str
    value: Decimal

    @classmethod
    def read(cls, text: str) -> "Measure | None":
        if match := READING_AGE.search(text):
            value = Decimal(int(match[1]) * 12 + int(match[2]))
            return cls(_words(READING_AGE.sub(" ", text)) + " (months)", value)
        if match := NUMBER.search(text):
            return cls(_words(NUMBER.sub(" # ", text)), Decimal(match[0]))
        return None

    @property
    def unit(self) -> str:
        if self.kind.endswith("(months)"):
            return "months"
        if "%" in self.kind:
            return "percentage points"
        return "points"


def _words(text: str) -> str:
    return " ".join(text.lower().split())


@dataclass
class Place:
    place: InterventionPlace
    entry: Measure | None
    exit: Measure | None

    @property
    def change(self) -> Decimal | None:
        """Exit less entry, when both are measured alike."""
        if self.entry and self.exit and self.entry.kind == self.exit.kind:
            return self.exit.value - self.entry.value
        return None

    @property
    def has_evidence(self) -> bool:
        """An exit measure recorded: what says whether it worked."""
        return bool(self.place.exit_measure.strip())


@dataclass
class Used:
    """An action that used the intervention, and the impact its latest review recorded (None
    while not yet known or not yet reviewed)."""

    action: Action
    impact: int | None
    reviewed: bool


@dataclass
class Figures:
    intervention: Intervention
    places: list[Place] = field(default_factory=list)
    actions: list[Used] = field(default_factory=list)
    on: dt.date = field(default_factory=timezone.localdate)

    @property
    def pupils(self) -> set[int]:
        return {p.place.pupil_id for p in self.places}

    @property
    def running(self) -> list[Place]:
        return [p for p in self.places if p.place.ends_on is None or p.place.ends_on >= self.on]

    @property
    def ended(self) -> list[Place]:
        return [p for p in self.places if p.place.ends_on is not None and p.place.ends_on < self.on]

    # Sessions
    @property
    def sessions(self) -> tuple[int, int]:
        """Sessions attended and planned, over the places that record both."""
        both = [
            p.place
            for p in self.places
            if p.place.sessions_planned is not None and p.place.sessions_attended is not None
        ]
        return sum(p.sessions_attended for p in both), sum(p.sessions_planned for p in both)

    @property
    def sessions_pupils(self) -> int:
        return sum(
            1
            for p in self.places
            if p.place.sessions_planned is not None and p.place.sessions_attended is not None
        )

    # Entry against exit
    @property
    def measured(self) -> list[Place]:
        """The places with an entry and an exit measure that compare."""
        return [p for p in self.places if p.change is not None]

    @property
    def improved(self) -> int:
        return sum(1 for p in self.measured if p.change > 0)

    @property
    def average_change(self) -> tuple[Decimal, str] | None:
        """The mean change over the measured places, when they all measure the same thing."""
        measured = self.measured
        kinds = {p.entry.kind for p in measured}
        if not measured or len(kinds) != 1:
            return None
        mean = sum(p.change for p in measured) / len(measured)
        return mean.quantize(Decimal("0.1")), measured[0].entry.unit

    # Impact of the actions that used it
    @property
    def impacts(self) -> list[int]:
        return [used.impact for used in self.actions if used.impact is not None]

    # Cost
    @property
    def cost_per_place(self) -> Decimal | None:
        cost = self.intervention.cost
        if cost is None or not self.places:
            return None
        return (cost / len(self.places)).quantize(Decimal("1"))

    # Drift
    @property
    def without_evidence(self) -> list[Place]:
        """Places with no exit measure that should have one by now: every place once the review
        date has passed, and any place that has ended."""
        review_passed = self.review_passed
        return [
            p
            for p in self.places
            if not p.has_evidence
            and (review_passed or (p.place.ends_on is not None and p.place.ends_on < self.on))
        ]

    @property
    def review_passed(self) -> bool:
        review_on = self.intervention.review_on
        return review_on is not None and review_on < self.on

    @property
    def drift(self) -> str:
        """Why the intervention has drifted, in words; "" when it has not: "review date passed
        12 Nov, no exit measure for 6 of 6 places"."""
        missing = self.without_evidence
        if not missing:
            return ""
        places = f"{len(missing)} of {len(self.places)} place{'s' if len(self.places) != 1 else ''}"
        if self.review_passed:
            when = date_format(self.intervention.review_on, "j M")
            return f"review date passed {when}, no exit measure for {places}"
        return f"ended with no exit measure: {places}"


@dataclass(frozen=True)
class Agreed:
    """What `used` reads of an action, read once however many interventions it is set beside:
    its words in lower case, the pupils it is for, the day it was agreed."""

    action: Action
    text: str
    pupils: set[int]
    on: dt.date

    @classmethod
    def of(cls, action: Action, group_pupils: dict[int, set[int]]) -> "Agreed":
        return cls(
            action,
            f"{action.text} {action.impact_check}".lower(),
            {action.pupil_id} if action.pupil_id else group_pupils.get(action.pk, set()),
            timezone.localdate(action.created_at),
        )


def used(agreed: Agreed, intervention: Intervention, places: list[InterventionPlace], *, names):
    """Whether the action `agreed` used `intervention`: it names it (in what will be done, or how
    its impact is checked); or, naming none of the school's interventions, it is of the kind
    Intervention, for a pupil placed on it, agreed while the place ran or in the four weeks
    before it began."""
    text, pupils = agreed.text, agreed.pupils
    if intervention.name.lower() in text:
        return True
    if agreed.action.kind != Kind.INTERVENTION or any(name in text for name in names):
        return False
    day = agreed.on
    return any(
        place.pupil_id in pupils
        and place.starts_on - AGREED_BEFORE_START <= day
        and (place.ends_on is None or day <= place.ends_on)
        for place in places
    )


def intervention_figures(*, pupils: QuerySet, school, on: dt.date) -> list[Figures]:
    """Each intervention with a place for one of `pupils` (the pupils the user sees), with those
    places and the actions for those pupils that used it. Four queries, however many pupils."""
    places = list(
        InterventionPlace.objects.filter(school=school, pupil__in=pupils)
        .select_related("intervention__lead", "pupil")
        .order_by("intervention__name", "pupil__legal_surname", "pupil__legal_forename", "pk")
    )
    figures: dict[int, Figures] = {}
    for place in places:
        found = figures.setdefault(place.intervention_id, Figures(place.intervention, on=on))
        found.places.append(
            Place(place, Measure.read(place.entry_measure), Measure.read(place.exit_measure))
        )
    if not figures:
        return []
    interventions = [f.intervention for f in figures.values()]
    names = {
        name.lower()
        for name in Intervention.objects.filter(school=school).values_list("name", flat=True)
    }
    naming = Q(kind=Kind.INTERVENTION)
    for intervention in interventions:
        naming |= Q(text__icontains=intervention.name) | Q(
            impact_check__icontains=intervention.name
        )
    actions = list(
        Action.objects.filter(school=school)
        .filter(Q(pupil__in=pupils) | Q(group_pupils__in=pupils))
        .filter(naming)
        .distinct()
        .select_related("pupil")
        .annotate(
            # The latest review's impact, and whether there is one: no review is needed whole.
            latest_impact=Subquery(
                Review.objects.filter(action=OuterRef("pk"))
                .order_by("-reviewed_at", "-pk")
                .values("impact")[:1]
            ),
            reviewed=Exists(Review.objects.filter(action=OuterRef("pk"))),
        )
    )
    # A group action's pupils as ids: they are matched with places, never shown. (Asked of every
    # action, so that the page costs as many queries whether any is a group's or none.)
    group_pupils: dict[int, set[int]] = {}
    for action_id, pupil_id in ActionPupil.objects.filter(
        school=school, action__in=[action.pk for action in actions]
    ).values_list("action", "pupil"):
        group_pupils.setdefault(action_id, set()).add(pupil_id)
    by_intervention = {pk: [p.place for p in found.places] for pk, found in figures.items()}
    for action in actions:
        agreed = Agreed.of(action, group_pupils)
        for pk, found in figures.items():
            if used(agreed, found.intervention, by_intervention[pk], names=names):
                found.actions.append(Used(action, action.latest_impact, action.reviewed))
    return sorted(figures.values(), key=lambda f: (not f.drift, f.intervention.name.lower()))

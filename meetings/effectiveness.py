"""Are our meetings working? The guidance ends by asking whether pupil progress meetings are
worth the time: are they leading to clear actions, are the actions happening and reviewed, are
pupils receiving better support, are repeated concerns reducing, are meetings improving teaching
or only adding intervention, and what is different for pupils because a meeting happened.

The figures answer from what the meetings recorded (docs/domain.md, "Are meetings working?"):

- They count the actions of the meetings closed in a period (a half-term, a term, a year), as the
  user may see them, grouped by focus or by series and never by teacher. Each figure is a count
  out of another (`MEASURES`), and the action log shows exactly the actions behind it
  (`log_figure`): the same test picks them, so the log's count is the figure.
- A repeated concern is a pupil and a barrier raised at `REPEATS` or more closed meetings since
  the last review of such an action showing positive impact (`repeated`); it comes back on the
  next shortlist of a meeting whose scope holds the pupil (`meetings.shortlist.propose`).
- For governors, no pupil is named and a group of fewer than `FEWEST` pupils is not shown
  (`pupils.reports`, the rule every governors' version keeps).

Everything is worked out from rows read in a fixed number of queries, however many pupils,
actions and meetings there are.
"""

import datetime as dt
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from urllib.parse import urlencode

from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from actions.models import IMPACTS, Action, BarrierCategory, Kind, Review
from meetings.agenda import STRUCTURE, Section
from meetings.focus import Focus
from meetings.models import Finding, Item, Meeting, SectionTime, Summary
from meetings.rhythm import TERMS
from progress.models import HalfTerm
from pupils.domain import YearGroup
from pupils.models import Pupil
from pupils.reports import count_text, withheld

REPEATS = 3  # meetings that raise a pupil's barrier without positive impact: a repeated concern
POSITIVE = 1  # the least impact that is positive: +1 better (+2 much better)
START_GRACE = dt.timedelta(days=7)  # an owner says it began within a week of being asked
# Actions that change teaching rather than add to it; an individual intervention is an action
# of the kind Intervention for one pupil.
TEACHING_KINDS = frozenset({Kind.CLASSROOM, Kind.RETEACH, Kind.CURRICULUM})
TEACHING_FINDINGS = frozenset({Finding.Kind.TEACHING, Finding.Kind.CURRICULUM})


# The period.


class PeriodChoice(models.TextChoices):
    HALF_TERM = "half-term", "This half-term"
    LAST_HALF_TERM = "last-half-term", "Last half-term"
    TERM = "term", "This term"
    YEAR = "year", "This year"
    LAST_YEAR = "last-year", "Last year"


class Grouping(models.TextChoices):
    FOCUS = "focus", "By focus"
    SERIES = "series", "By series"


@dataclass(frozen=True)
class Period:
    choice: PeriodChoice
    name: str  # "Autumn 2 2026/27"
    starts_on: dt.date
    ends_on: dt.date

    @property
    def label(self) -> str:
        return self.choice.label


def periods(half_terms: list[HalfTerm], *, on: dt.date) -> dict[str, Period]:
    """The periods a leader may look back over, from the school's half-terms (oldest first, with
    their years): "this half-term" is the one in progress on `on` or, in a holiday, the last one
    begun; its term and its school year, the half-term before it and the year before."""
    begun = [half_term for half_term in half_terms if half_term.starts_on <= on]
    if not begun:
        return {}
    current = begun[-1]
    year = current.academic_year
    found = {
        PeriodChoice.HALF_TERM: Period(
            PeriodChoice.HALF_TERM,
            f"{current.name} {year.name}",
            current.starts_on,
            current.ends_on,
        )
    }
    if len(begun) > 1:
        last = begun[-2]
        found[PeriodChoice.LAST_HALF_TERM] = Period(
            PeriodChoice.LAST_HALF_TERM,
            f"{last.name} {last.academic_year.name}",
            last.starts_on,
            last.ends_on,
        )
    term_name, numbers = next(term for term in TERMS if current.number in term[1])
    halves = [h for h in half_terms if h.academic_year_id == year.pk and h.number in numbers]
    found[PeriodChoice.TERM] = Period(
        PeriodChoice.TERM, f"{term_name} {year.name}", halves[0].starts_on, halves[-1].ends_on
    )
    found[PeriodChoice.YEAR] = Period(PeriodChoice.YEAR, year.name, year.starts_on, year.ends_on)
    earlier = [h.academic_year for h in begun if h.academic_year.starts_on < year.starts_on]
    if earlier:
        before = earlier[-1]
        found[PeriodChoice.LAST_YEAR] = Period(
            PeriodChoice.LAST_YEAR, before.name, before.starts_on, before.ends_on
        )
    return found


# What is known of each action, and the measures that count them.


@dataclass(frozen=True)
class ActionFacts:
    pk: int
    meeting_id: int
    pupil_id: int | None
    kind: str
    owner_active: bool
    impact_check: str
    start_check_on: dt.date | None
    started_on: dt.date | None
    review_on: dt.date
    # Saved at the recorder's first attempt (True), after a refusal (False), or not known: an
    # action not logged through the recorder's form, or before refusals were kept (None).
    first_time: bool | None = None
    first_review_on: dt.date | None = None  # the day of its first review, if any
    happened: str = ""  # at its latest review
    impact: int | None = None  # at its latest review; None also while not yet known

    @property
    def reviewed(self) -> bool:
        return self.first_review_on is not None


@dataclass(frozen=True)
class Measure:
    words: str  # what the actions counted are: "reviewed by their review date"
    test: Callable[[ActionFacts, dt.date], bool]
    base: str | None = None  # the measure whose actions it is counted out of


def _started(action: ActionFacts, on: dt.date) -> bool:
    return (
        _start_due(action, on)
        and action.started_on is not None
        and action.started_on <= action.start_check_on + START_GRACE
    )


def _start_due(action: ActionFacts, on: dt.date) -> bool:
    return action.start_check_on is not None and action.start_check_on <= on


def _review_due(action: ActionFacts, on: dt.date) -> bool:
    return action.review_on < on or action.reviewed


def _impact(value: int) -> Callable[[ActionFacts, dt.date], bool]:
    return lambda action, on: action.reviewed and action.impact == value


# Each impact a review records, best first: its measure, and its words (`actions.models.IMPACTS`).
IMPACT_KEYS = {
    2: "impact_plus_2",
    1: "impact_plus_1",
    0: "impact_0",
    -1: "impact_minus_1",
    -2: "impact_minus_2",
}
IMPACT_WORDS = dict(IMPACTS)

MEASURES: dict[str, Measure] = {
    "agreed": Measure("agreed at the meetings", lambda a, on: True),
    "owned": Measure(
        "with an owner still at the school, and a review date",
        lambda a, on: a.owner_active,
        "agreed",
    ),
    "logged_live": Measure(
        "logged by the recorder, whose first attempt is known",
        lambda a, on: a.first_time is not None,
        "agreed",
    ),
    "first_time": Measure(
        "that met the action rules at the first attempt: saved without being refused",
        lambda a, on: a.first_time is True,
        "logged_live",
    ),
    "checkable": Measure(
        "saying how we will know it worked (or monitoring with its five parts)",
        lambda a, on: bool(a.impact_check.strip()) or a.kind == Kind.MONITORING,
        "agreed",
    ),
    "start_due": Measure("whose start check has come", _start_due, "agreed"),
    "started": Measure(
        "started: the owner said so within a week of the start check", _started, "start_due"
    ),
    "review_due": Measure(
        "whose review date has passed, or reviewed already", _review_due, "agreed"
    ),
    "reviewed_on_time": Measure(
        "reviewed by their review date",
        lambda a, on: a.reviewed and a.first_review_on <= a.review_on,
        "review_due",
    ),
    "reviewed_late": Measure(
        "reviewed after their review date",
        lambda a, on: a.reviewed and a.first_review_on > a.review_on,
        "review_due",
    ),
    "not_reviewed": Measure(
        "not reviewed, and the review date has passed",
        lambda a, on: _review_due(a, on) and not a.reviewed,
        "review_due",
    ),
    "reviewed": Measure("reviewed", lambda a, on: a.reviewed, "agreed"),
    "happened_yes": Measure(
        "that happened, at their latest review",
        lambda a, on: a.happened == Review.Happened.YES,
        "reviewed",
    ),
    "happened_partly": Measure(
        "that partly happened, at their latest review",
        lambda a, on: a.happened == Review.Happened.PARTLY,
        "reviewed",
    ),
    "happened_no": Measure(
        "that did not happen, at their latest review",
        lambda a, on: a.happened == Review.Happened.NO,
        "reviewed",
    ),
    **{
        key: Measure(
            f"with impact {IMPACT_WORDS[value]} at their latest review", _impact(value), "reviewed"
        )
        for value, key in IMPACT_KEYS.items()
    },
    "impact_unknown": Measure(
        "whose impact was not yet known at their latest review",
        lambda a, on: a.reviewed and a.impact is None,
        "reviewed",
    ),
    "teaching": Measure(
        "that change teaching (classroom teaching, reteach or curriculum)",
        lambda a, on: a.kind in TEACHING_KINDS,
        "agreed",
    ),
    "interventions": Measure(
        "that are individual interventions (an intervention for one pupil)",
        lambda a, on: a.kind == Kind.INTERVENTION and a.pupil_id is not None,
        "agreed",
    ),
}


def action_facts(actions) -> list[ActionFacts]:
    """What the measures need of `actions`, with their reviews: two queries."""
    rows = actions.order_by().values_list(
        "pk", "meeting_id", "pupil_id", "kind", "owner__is_active", "impact_check",
        "start_check_on", "started_on", "review_on", "first_attempt",
    )  # fmt: skip
    reviews = defaultdict(list)
    for action_id, at, happened, impact in (
        Review.objects.filter(action__in=actions.values("pk"))
        .order_by("reviewed_at", "pk")
        .values_list("action_id", "reviewed_at", "happened", "impact")
    ):
        reviews[action_id].append((timezone.localdate(at), happened, impact))
    facts = []
    for row in rows:
        done = reviews.get(row[0])
        latest = {}
        if done:
            latest = {"first_review_on": done[0][0], "happened": done[-1][1], "impact": done[-1][2]}
        *fields, first_attempt = row
        facts.append(ActionFacts(*fields, first_time=first_attempt, **latest))
    return facts


def chosen(facts: list[ActionFacts], key: str, *, on: dt.date) -> list[ActionFacts]:
    """The actions of `facts` that measure `key` counts."""
    test = MEASURES[key].test
    return [action for action in facts if test(action, on)]


# The figures, by meeting, by group and for the period.


@dataclass
class MeetingFacts:
    meeting: Meeting
    pupils: set[int] = field(default_factory=set)  # discussed: of its items not parked
    items: int = 0  # discussed: not parked
    block_minutes: float | None = None  # the pupil block as it ran; None when it was not timed
    summaries: int = 0
    summaries_on_time: int = 0
    findings: list[Finding] = field(default_factory=list)  # about teaching or curriculum
    actions: list[ActionFacts] = field(default_factory=list)

    @property
    def planned_block(self) -> int:
        return STRUCTURE[self.meeting.length][Section.PUPILS]

    @property
    def minutes(self) -> float | None:
        """How long it ran, from start to close."""
        meeting = self.meeting
        if meeting.started_at and meeting.closed_at:
            return (meeting.closed_at - meeting.started_at).total_seconds() / 60
        return None


@dataclass(frozen=True)
class Figure:
    """A count, out of another when it has a base, each with the action log's link to the
    actions behind it."""

    key: str
    count: int
    of: int | None
    url: str
    base_url: str

    @property
    def words(self) -> str:
        return MEASURES[self.key].words

    @property
    def base_words(self) -> str:
        base = MEASURES[self.key].base
        return MEASURES[base].words if base else ""


@dataclass(frozen=True)
class Minutes:
    used: float
    planned: float


def log_urls(meeting_ids) -> Callable[[str], str]:
    """The action log showing the actions a measure (its key) counts in these meetings, for
    each measure: a year's row names a hundred meetings in every link, written once."""
    meetings = (
        f"{reverse('action_log')}?{urlencode([('meeting', pk) for pk in sorted(meeting_ids)])}"
    )
    return lambda key: f"{meetings}&{urlencode({'figure': key})}"


@dataclass
class Row:
    """The figures of some meetings: one meeting, a focus or series, or the whole period."""

    name: str
    meetings: list[MeetingFacts]
    on: dt.date

    @cached_property
    def actions(self) -> list[ActionFacts]:
        return [action for meeting in self.meetings for action in meeting.actions]

    @cached_property
    def pupils(self) -> set[int]:
        """The pupils discussed, and those with an action of their own."""
        discussed = {pk for meeting in self.meetings for pk in meeting.pupils}
        return discussed | {a.pupil_id for a in self.actions if a.pupil_id}

    @property
    def suppressed(self) -> bool:
        """Too few pupils to show governors: someone could tell who they are."""
        return withheld(len(self.pupils))

    @cached_property
    def figures(self) -> dict[str, Figure]:
        url = log_urls(meeting.meeting.pk for meeting in self.meetings)
        counts = {key: len(chosen(self.actions, key, on=self.on)) for key in MEASURES}
        return {
            key: Figure(
                key,
                counts[key],
                counts[measure.base] if measure.base else None,
                url(key),
                url(measure.base) if measure.base else "",
            )
            for key, measure in MEASURES.items()
        }

    @property
    def items(self) -> int:
        return sum(meeting.items for meeting in self.meetings)

    @property
    def item_minutes(self) -> Minutes | None:
        """Minutes an item (a pupil or a group) in the pupil block, as it ran and as planned, in
        the meetings whose times were kept."""
        timed = [m for m in self.meetings if m.block_minutes is not None and m.items]
        items = sum(m.items for m in timed)
        if not items:
            return None
        used = sum(m.block_minutes for m in timed)
        return Minutes(used / items, sum(m.planned_block for m in timed) / items)

    @property
    def meeting_minutes(self) -> Minutes | None:
        """Minutes a meeting, as it ran and as long as it was planned."""
        timed = [m for m in self.meetings if m.minutes is not None]
        if not timed:
            return None
        return Minutes(
            sum(m.minutes for m in timed) / len(timed),
            sum(m.meeting.length for m in timed) / len(timed),
        )

    @property
    def summaries(self) -> tuple[int, int]:
        """(ready by their deadline, asked for)."""
        return (
            sum(m.summaries_on_time for m in self.meetings),
            sum(m.summaries for m in self.meetings),
        )

    @property
    def findings(self) -> list[Finding]:
        return [finding for meeting in self.meetings for finding in meeting.findings]

    @property
    def answers(self) -> list[Meeting]:
        """Meetings whose chair said what will be different for pupils."""
        return [m.meeting for m in self.meetings if m.meeting.difference.strip()]


@dataclass
class Report:
    period: Period
    grouping: Grouping
    total: Row
    groups: list[Row]
    meetings: list[Row]
    repeated_now: int
    repeated_before: int


def report(user, *, period: Period, grouping: Grouping, on: dt.date) -> Report:
    """The period's figures for what `user` may see: every closed meeting of it, its actions,
    items, times, summaries and findings, and the repeated concerns now and as the period
    began."""
    meetings = list(
        Meeting.objects.for_user(user)
        .filter(status=Meeting.Status.CLOSED, date__range=(period.starts_on, period.ends_on))
        .select_related("series")
        .order_by("date", "starts_at", "pk")
    )
    facts = {meeting.pk: MeetingFacts(meeting) for meeting in meetings}
    _read_items(facts)
    _read_times(facts)
    _read_summaries(facts)
    for finding in Finding.objects.filter(meeting__in=meetings, kind__in=TEACHING_FINDINGS):
        finding.meeting = facts[finding.meeting_id].meeting  # in hand: no query for it
        facts[finding.meeting_id].findings.append(finding)
    actions = Action.objects.for_user(user).filter(meeting__in=meetings)
    for action in action_facts(actions):
        facts[action.meeting_id].actions.append(action)
    groups: dict[tuple, list[MeetingFacts]] = defaultdict(list)
    for meeting in meetings:
        groups[_group_of(meeting, grouping)].append(facts[meeting.pk])
    concerns = _concern_rows(Action.objects.for_user(user), pupils=Pupil.objects.for_user(user))
    return Report(
        period=period,
        grouping=grouping,
        total=Row("All meetings", list(facts.values()), on),
        groups=[Row(name, groups[order, name], on) for order, name in sorted(groups)],
        meetings=[Row(str(m.meeting), [m], on) for m in facts.values()],
        repeated_now=len(repeated(*concerns, on=on)),
        repeated_before=len(repeated(*concerns, on=period.starts_on - dt.timedelta(days=1))),
    )


# The guidance's questions, each with the figures that answer it, as the page and the PDF show
# them: (what the line says, the measure it counts).
QUESTIONS = [
    (
        "Are meetings leading to clear actions?",
        [
            ("Actions agreed", "agreed"),
            ("With an owner still at the school and a review date", "owned"),
            ("Met the action rules at the first attempt", "first_time"),
            ("Saying how we will know it worked", "checkable"),
        ],
    ),
    (
        "Are actions happening and reviewed?",
        [
            ("Started: the owner said so within a week of the start check", "started"),
            ("Reviewed by their review date", "reviewed_on_time"),
            ("Reviewed after it", "reviewed_late"),
            ("Not reviewed, the date passed", "not_reviewed"),
            ("Happened, at the latest review", "happened_yes"),
            ("Partly happened", "happened_partly"),
            ("Did not happen", "happened_no"),
        ],
    ),
    (
        "Are pupils receiving better support?",
        [
            *[(f"Impact {IMPACT_WORDS[value]}", key) for value, key in IMPACT_KEYS.items()],
            ("Impact not yet known", "impact_unknown"),
        ],
    ),
    (
        "Are meetings improving teaching, or only adding intervention?",
        [
            ("Actions that change teaching: classroom teaching, reteach, curriculum", "teaching"),
            ("Individual interventions: an intervention for one pupil", "interventions"),
        ],
    ),
]


@dataclass(frozen=True)
class Line:
    label: str
    cells: list[Figure | None]  # None where governors may not see the group


def lines(report: "Report", *, governors: bool) -> list[tuple[str, list[Line]]]:
    """The questions' lines, a figure for the whole period and for each group."""
    columns = [report.total, *report.groups]
    return [
        (
            question,
            [
                Line(
                    label,
                    [None if governors and row.suppressed else row.figures[key] for row in columns],
                )
                for label, key in measures
            ],
        )
        for question, measures in QUESTIONS
    ]


NO_SERIES = "Not in a series"
FOCUS_ORDER = {focus.value: place for place, focus in enumerate(Focus)}


def _group_of(meeting: Meeting, grouping: Grouping) -> tuple[tuple, str]:
    """(where the group sorts, its name): a series by name, those in none last; a focus in the
    guidance's order, a school's own focuses after them by their words."""
    if grouping == Grouping.SERIES:
        name = meeting.series.name if meeting.series_id else NO_SERIES
        return (not meeting.series_id, name.lower()), name
    return (FOCUS_ORDER[meeting.focus], meeting.title.lower()), meeting.title


def _read_items(facts: dict[int, MeetingFacts]) -> None:
    """The items each meeting discussed (not parked) and their pupils: two queries."""
    members = defaultdict(set)
    for item_id, pupil_id in Item.group_pupils.through.objects.filter(
        item__meeting__in=list(facts), item__parked_at__isnull=True
    ).values_list("item_id", "pupil_id"):
        members[item_id].add(pupil_id)
    for pk, meeting_id, pupil_id in Item.objects.filter(
        meeting__in=list(facts), parked_at__isnull=True
    ).values_list("pk", "meeting_id", "pupil_id"):
        meeting = facts[meeting_id]
        meeting.items += 1
        meeting.pupils |= {pupil_id} if pupil_id else members[pk]


def _read_times(facts: dict[int, MeetingFacts]) -> None:
    """How long each meeting's pupil block ran, from the times kept as it moved on."""
    for meeting_id, started, ended in SectionTime.objects.filter(
        meeting__in=list(facts), section=Section.PUPILS
    ).values_list("meeting_id", "started_at", "ended_at"):
        meeting = facts[meeting_id]
        ended = ended or meeting.meeting.closed_at
        if ended:
            used = (ended - started).total_seconds() / 60
            meeting.block_minutes = (meeting.block_minutes or 0) + used


def _read_summaries(facts: dict[int, MeetingFacts]) -> None:
    """The summaries asked for, and those ready by the deadline (without one, before the meeting
    started), as last saved."""
    for meeting_id, status, updated_at in Summary.objects.filter(
        item__meeting__in=list(facts)
    ).values_list("item__meeting_id", "status", "updated_at"):
        meeting = facts[meeting_id]
        meeting.summaries += 1
        due = meeting.meeting.summaries_due
        on_time = (
            timezone.localdate(updated_at) <= due
            if due
            else updated_at <= (meeting.meeting.started_at or updated_at)
        )
        meeting.summaries_on_time += status == Summary.Status.READY and on_time


# The action log, showing the actions behind a figure.


@dataclass(frozen=True)
class LogFigure:
    key: str
    meeting_ids: list[int]
    action_ids: list[int]
    meetings: int

    @property
    def words(self) -> str:
        return MEASURES[self.key].words


def log_figure(params, *, user, on: dt.date) -> LogFigure | None:
    """The figure the action log was asked to show (`?meeting=…&figure=…`), with the actions it
    counts, or None when it was not asked for one."""
    key = params.get("figure", "")
    if key not in MEASURES:
        return None
    ids = [int(pk) for pk in params.getlist("meeting") if pk.isdigit()]
    meetings = Meeting.objects.for_user(user).filter(pk__in=ids, status=Meeting.Status.CLOSED)
    actions = Action.objects.for_user(user).filter(meeting__in=meetings)
    picked = chosen(action_facts(actions), key, on=on)
    return LogFigure(key, ids, [action.pk for action in picked], len(set(ids)))


# Repeated concerns.


@dataclass
class Concern:
    """A pupil's barrier raised at `REPEATS` or more closed meetings without positive impact."""

    pupil_id: int
    category: str
    meetings: list[tuple[dt.date, int]]  # (date, meeting id) since the last positive review
    pupil: Pupil | None = None  # the page's, with the history below
    actions: list[Action] = field(default_factory=list)
    next_meeting: Meeting | None = None

    @property
    def barrier(self) -> str:
        return BarrierCategory(self.category).label.lower()

    @property
    def dates(self) -> str:
        return ", ".join(date_format(day, "j M Y") for day, _ in self.meetings)

    @property
    def latest_review(self) -> str:
        """The latest review of its actions, in words (from the reviews prefetched)."""
        reviews = [review for action in self.actions for review in action.reviews.all()]
        if not reviews:
            return ""
        review = max(reviews, key=lambda review: review.reviewed_at)
        return (
            f"{date_format(timezone.localdate(review.reviewed_at), 'j M Y')}: happened "
            f"{review.get_happened_display().lower()}, impact {review.get_impact_display()}, "
            f"{review.get_decision_display().lower()}"
        )

    @property
    def reason(self) -> str:
        """As the shortlist gives it: "raised at 3 meetings without positive impact: attendance
        (2 Jul 2026, 14 Oct 2026, 12 Nov 2026)"."""
        return (
            f"raised at {len(self.meetings)} meetings without positive impact: {self.barrier} "
            f"({self.dates})"
        )


def _concern_rows(actions, *, pupils) -> tuple[list, list]:
    """The pupils' own actions agreed at closed meetings, and the positive reviews of them: what
    `repeated` works from, in two queries."""
    own = actions.filter(
        pupil__in=pupils.on_roll(), meeting__status=Meeting.Status.CLOSED
    ).order_by()
    raised = list(own.values_list("pupil_id", "barrier_category", "meeting_id", "meeting__date"))
    positive = list(
        Review.objects.filter(action__in=own.values("pk"), impact__gte=POSITIVE).values_list(
            "action__pupil_id", "action__barrier_category", "reviewed_at"
        )
    )
    return raised, positive


def repeated(raised: list, positive: list, *, on: dt.date) -> list[Concern]:
    """The repeated concerns as they stood on `on`: each pupil and barrier category raised at
    `REPEATS` or more closed meetings held by then, counting only meetings after the last review
    by then that showed positive impact of an action for them."""
    last_good: dict[tuple, dt.date] = {}
    for pupil_id, category, at in positive:
        day = timezone.localdate(at)
        if day <= on:
            key = (pupil_id, category)
            last_good[key] = max(day, last_good.get(key, day))
    meetings: dict[tuple, dict[int, dt.date]] = defaultdict(dict)
    for pupil_id, category, meeting_id, day in raised:
        key = (pupil_id, category)
        if day <= on and (key not in last_good or day > last_good[key]):
            meetings[key][meeting_id] = day
    return [
        Concern(pupil_id, category, sorted((day, pk) for pk, day in held.items()))
        for (pupil_id, category), held in meetings.items()
        if len(held) >= REPEATS
    ]


def repeated_for(*, pupils, school, on: dt.date) -> dict[int, list[Concern]]:
    """The repeated concerns of `pupils` (a shortlist's scope) by pupil, as they stand on `on`."""
    actions = Action.objects.filter(school=school)
    found = defaultdict(list)
    for concern in repeated(*_concern_rows(actions, pupils=pupils), on=on):
        found[concern.pupil_id].append(concern)
    return found


def repeated_concerns(user, *, on: dt.date) -> list[Concern]:
    """The repeated concerns of the pupils `user` may see, each with its history (the actions
    for the pupil and barrier, at the meetings that count, with their reviews) and the next
    meeting being prepared whose scope holds the pupil: a fixed number of queries."""
    pupils = Pupil.objects.for_user(user)
    concerns = repeated(*_concern_rows(Action.objects.for_user(user), pupils=pupils), on=on)
    if not concerns:
        return []
    by_pupil = Pupil.objects.in_bulk({concern.pupil_id for concern in concerns})
    counted = {pk for concern in concerns for _, pk in concern.meetings}
    history = (
        Action.objects.for_user(user)
        .filter(pupil__in=list(by_pupil), meeting__in=counted)
        .select_related("meeting", "owner")
        .prefetch_related("reviews")
        .order_by("meeting__date", "pk")
    )
    for concern in concerns:
        concern.pupil = by_pupil[concern.pupil_id]
    keyed = {(c.pupil_id, c.category): c for c in concerns}
    for action in history:
        concern = keyed.get((action.pupil_id, action.barrier_category))
        if concern and action.meeting_id in {pk for _, pk in concern.meetings}:
            concern.actions.append(action)
    _next_meetings(concerns, meetings=Meeting.objects.for_user(user), on=on)
    concerns.sort(key=lambda c: (c.pupil.surname, c.pupil.forename, c.pupil_id, c.barrier))
    return concerns


def _next_meetings(concerns: list[Concern], *, meetings, on: dt.date) -> None:
    """The first of `meetings` being prepared from `on` whose scope holds each concern's pupil:
    its shortlist proposes them (`meetings.shortlist.propose`). Three queries."""
    coming = list(
        meetings.filter(status__in=Meeting.PREPARING, date__gte=on)
        .prefetch_related("groups")
        .order_by("date", "starts_at")
    )
    pupils = [concern.pupil for concern in concerns]
    groups = defaultdict(set)
    for pupil_id, group_id in Pupil.groups.through.objects.filter(pupil__in=pupils).values_list(
        "pupil_id", "group_id"
    ):
        groups[pupil_id].add(group_id)
    for concern in concerns:
        pupil = concern.pupil
        concern.next_meeting = next(
            (
                meeting
                for meeting in coming
                if (not meeting.year_groups or pupil.year_group in meeting.year_groups)
                and (
                    not meeting.groups.all()
                    or groups[pupil.pk] & {group.pk for group in meeting.groups.all()}
                )
            ),
            None,
        )


def governors_counts(concerns: list[Concern]) -> dict[str, list[tuple[str, int]]]:
    """Repeated concerns without names, for governors: how many by barrier and by year group."""
    by_barrier = defaultdict(int)
    by_year = defaultdict(int)
    for concern in concerns:
        by_barrier[BarrierCategory(concern.category).label] += 1
        by_year[concern.pupil.year_group] += 1
    return {
        "barrier": sorted(by_barrier.items()),
        "year": [(YearGroup(year).label, count) for year, count in sorted(by_year.items())],
    }


def shown(count: int) -> str:
    """A count as governors see it: "fewer than 5" from 1 to 4."""
    return count_text(count, governors=True)

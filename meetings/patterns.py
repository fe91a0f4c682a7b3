"""What the pupils on a meeting's agenda have in common, found before they are taken one by one.

Often the answer to several pupils' problem is one change to teaching (reteach fair testing
with a worked example) rather than one intervention each. `find` looks for the patterns the
guidance names: the same gap type in the teachers' summaries, the same barrier in open actions,
the same topic missed in assessments, absences on the same weekdays, pupil premium or SEND
pupils over-represented, and behaviour clustered in one lesson or subject. It runs a fixed
number of queries however many items the meeting has.
"""

import datetime as dt
import math
from collections import Counter, defaultdict
from dataclasses import dataclass
from fractions import Fraction

from django.db.models import Count, Q

from actions.models import Action, BarrierCategory
from meetings.models import pupils_of
from progress.models import HalfTerm
from pupils import facts
from pupils.criteria import Thresholds
from pupils.domain import SenProvision
from pupils.models import BehaviourIncident, Characteristics, MissedTopic, Pupil

SHARED = 2  # pupils: a pattern is something at least two of them have in common
OVER_REPRESENTED = Fraction(3, 2)  # times the share in the meeting's scope
CLUSTERED = Fraction(1, 2)  # of a group's behaviour incidents in one lesson or subject
CLUSTER_INCIDENTS = 3
TOPICS = 4  # the most shared missed topics shown; more is noise in a ten-minute section


@dataclass(frozen=True)
class Pattern:
    topic: str  # what kind of pattern: "Gap type", "Assessment", "Attendance" …
    text: str  # the figures behind it, in words
    pupils: tuple[str, ...] = ()


def find(*, meeting, items: list, on: dt.date) -> list[Pattern]:
    """The patterns among the pupils of `items` (pupil and group items alike)."""
    pupils = pupils_of(items)
    if len(pupils) < SHARED:
        return []
    names = {pupil.pk: pupil.name for pupil in pupils}
    chosen = Pupil.objects.filter(pk__in=names)
    half_term = (
        HalfTerm.objects.filter(school=meeting.school_id, starts_on__lte=on)
        .order_by("-starts_on")
        .first()
    )
    return [
        *_gap_types(items),
        *_barriers(chosen, names),
        *_topics(chosen, names, half_term, on),
        *_weekdays(chosen, names, half_term, on, Thresholds.for_school(meeting.school)),
        *_over_represented(chosen, meeting, on),
        *_behaviour(chosen, names, half_term, on),
    ]


def _named(pupil_ids, names: dict[int, str]) -> tuple[str, ...]:
    return tuple(sorted(names[pupil_id] for pupil_id in set(pupil_ids)))


def _gap_types(items: list) -> list[Pattern]:
    by_gap = defaultdict(list)
    for item in items:
        summary = getattr(item, "summary", None) if item.pupil_id else None
        if summary and summary.gap:
            by_gap[summary.get_gap_display()].append(item.pupil.name)
    return [
        Pattern(
            "Gap type",
            f"{len(named)} teachers' summaries say the gap is mainly {gap.lower()}.",
            tuple(sorted(named)),
        )
        for gap, named in sorted(by_gap.items())
        if len(named) >= SHARED
    ]


def _barriers(pupils, names) -> list[Pattern]:
    rows = Action.objects.filter(pupil__in=pupils).open().values_list("barrier_category", "pupil")
    by_barrier = defaultdict(set)
    for category, pupil_id in rows:
        by_barrier[category].add(pupil_id)
    labels = dict(BarrierCategory.choices)
    return [
        Pattern(
            "Barrier",
            f"{len(ids)} pupils already have an open action for a "
            f"{labels[category].lower()} barrier.",
            _named(ids, names),
        )
        for category, ids in sorted(by_barrier.items())
        if len(ids) >= SHARED
    ]


def _topics(pupils, names, half_term, on) -> list[Pattern]:
    """Topics missed in this half-term's assessments by a third or more of the pupils (and at
    least two), the most shared first."""
    if half_term is None:
        return []
    missed = MissedTopic.objects.filter(
        result__pupil__in=pupils, result__point__date__range=(half_term.starts_on, on)
    ).values_list("result__subject", "topic", "result__pupil")
    by_topic = defaultdict(set)
    for subject, topic, pupil_id in missed:
        by_topic[subject, topic].add(pupil_id)
    enough = max(SHARED, math.ceil(len(names) / 3))
    shared = sorted(
        ((key, ids) for key, ids in by_topic.items() if len(ids) >= enough),
        key=lambda pair: (-len(pair[1]), pair[0]),
    )
    return [
        Pattern(
            "Assessment",
            f"{len(ids)} of {len(names)} pupils missed {topic.lower()} in {subject.lower()} "
            "this half-term: reteach it to the group?",
            _named(ids, names),
        )
        for (subject, topic), ids in shared[:TOPICS]
    ]


def _weekdays(pupils, names, half_term, on, thresholds: Thresholds) -> list[Pattern]:
    """Absences this half-term concentrated on one or two weekdays across the pupils, counting
    only pupils whose half-term has run long enough to have had every weekday, by the school's
    numbers for the "absences on the same days" criterion."""
    if half_term is None:
        return []
    attendance = {
        pupil_id: fact
        for pupil_id, fact in facts.attendance_between(
            pupils, half_term.starts_on, min(on, half_term.ends_on)
        ).items()
        if fact.possible >= thresholds.half_term_sessions
    }
    by_day = Counter()
    for fact in attendance.values():
        by_day.update(fact.absences_by_weekday)
    total = sum(by_day.values())
    if total < thresholds.concentrated_absences:
        return []
    top = by_day.most_common(2)
    on_days = sum(count for _, count in top)
    if Fraction(on_days, total) < thresholds.concentrated_share:
        return []
    days = [facts.WEEKDAYS[day] for day, _ in sorted(top)]
    absent = [
        pupil_id
        for pupil_id, fact in attendance.items()
        if any(fact.absences_by_weekday.get(day) for day, _ in top)
    ]
    return [
        Pattern(
            "Attendance",
            f"{on_days} of the {total} absences this half-term fell on "
            f"{' and '.join(day + 's' for day in days)}.",
            _named(absent, names),
        )
    ]


def _over_represented(pupils, meeting, on) -> list[Pattern]:
    """Pupil premium or SEND pupils making up a larger share here than in the meeting's scope."""
    this_year = Q(academic_year__starts_on__lte=on, academic_year__ends_on__gte=on)
    counts = {
        "pp": Count("pk", filter=Q(pupil_premium=True)),
        "send": Count("pk", filter=~Q(sen_provision=SenProvision.NONE)),
        "all": Count("pk"),
    }
    here = Characteristics.objects.filter(this_year, pupil__in=pupils).aggregate(**counts)
    scope = Characteristics.objects.filter(this_year, pupil__in=meeting.pupils_in_scope())
    scope = scope.aggregate(**counts)
    found = []
    for key, label in (("pp", "Pupil premium"), ("send", "SEND")):
        if not (here["all"] and scope["all"]) or here[key] < SHARED:
            continue
        share_here = Fraction(here[key], here["all"])
        share_scope = Fraction(scope[key], scope["all"])
        if share_here >= OVER_REPRESENTED * share_scope:
            found.append(
                Pattern(
                    label,
                    f"{label} pupils are {here[key]} of the {here['all']} here "
                    f"({share_here:.0%}), against {share_scope:.0%} of {meeting.scope}.",
                )
            )
    return found


def _behaviour(pupils, names, half_term, on) -> list[Pattern]:
    """Behaviour incidents this half-term clustered in one lesson or one subject."""
    if half_term is None:
        return []
    incidents = list(
        BehaviourIncident.objects.filter(
            pupil__in=pupils, date__range=(half_term.starts_on, on)
        ).values_list("lesson", "subject", "pupil")
    )
    if len(incidents) < CLUSTER_INCIDENTS:
        return []
    found = []
    for position, label in ((0, "lesson"), (1, "subject")):
        counts = Counter(row[position] for row in incidents if row[position])
        if not counts:
            continue
        where, count = counts.most_common(1)[0]
        if count >= CLUSTER_INCIDENTS and Fraction(count, len(incidents)) >= CLUSTERED:
            found.append(
                Pattern(
                    "Behaviour",
                    f"{count} of the {len(incidents)} behaviour incidents this half-term were "
                    f"in one {label}: {where}.",
                    _named((row[2] for row in incidents if row[position] == where), names),
                )
            )
    return found

"""The shortlist Progress proposes: pupils in the meeting's scope who meet its focus's criteria,
and those members of staff put forward.

Proposals are ranked: pupils parked at the last meeting first, then those whose concern was raised
at three meetings without positive impact (`meetings.effectiveness`), then those with the most
reasons, then the strongest reasons (`STRENGTH`), then by name.
"""

import datetime as dt
from dataclasses import dataclass, field

from django.utils.formats import date_format

from meetings.effectiveness import repeated_for
from meetings.models import Nomination
from pupils.criteria import Criterion, Thresholds, reasons
from pupils.models import Pupil

PROPOSALS = 30
REASONS_ON_AGENDA = 3
PARKED = "parked"  # a reason that is not a criterion: carried from the last meeting
REPEATED = "repeated"  # nor this: a barrier raised at three meetings without positive impact
PUT_FORWARD = "put_forward"  # a member of staff's reason: a teacher's concern, a leader's addition
ON_AGENDA = "on_agenda"  # the reason a pupil is on the agenda already, whatever the data says now

# How strongly each reason argues for discussing a pupil, strongest first. Between proposals with
# as many reasons, the larger sum ranks first. A member of staff's concern counts as a reason, and
# a strong one: they know what the data cannot.
STRENGTH: dict[str, int] = {
    Criterion.ATTENDANCE_DROPPED: 5,  # persistent or severe absence, or a sharp drop
    Criterion.BEHAVIOUR_INCREASING: 5,
    PUT_FORWARD: 4,
    Criterion.PROGRESS_SLOWED: 4,
    Criterion.BELOW_EXPECTED_CLOSE: 3,
    Criterion.ABSENCES_ON_DAYS: 3,
    Criterion.SEND_PLAN_REVIEW: 3,
    Criterion.INTERVENTION_REVIEW: 2,
    Criterion.COASTING: 2,
    Criterion.DOING_WELL: 1,
}


@dataclass
class Proposal:
    pupil: Pupil
    reasons: dict[str, str]  # criterion (or PARKED): the reason in words, from the data
    nominations: list[Nomination] = field(default_factory=list)  # staff who put them forward

    @property
    def from_data(self) -> dict[str, str]:
        """The criteria the pupil meets, without the note of a parked item or an agenda's."""
        return {
            criterion: why
            for criterion, why in self.reasons.items()
            if criterion not in (PARKED, REPEATED, ON_AGENDA)
        }

    @property
    def parked(self) -> str:
        return self.reasons.get(PARKED, "")

    @property
    def repeated(self) -> str:
        return self.reasons.get(REPEATED, "")

    @property
    def on_agenda(self) -> str:
        """Why the pupil is on the agenda already, when neither the data nor staff propose them
        now: the shortlist keeps them unless they are unticked."""
        return self.reasons.get(ON_AGENDA, "")

    @property
    def doing_well(self) -> bool:
        """Proposed only because they are doing well: no concern from the data or from staff."""
        return set(self.reasons) == {Criterion.DOING_WELL} and not self.nominations

    @property
    def rank(self) -> tuple:
        """Parked first, then raised again, then the most reasons, the strongest, by name."""
        return (
            PARKED not in self.reasons,
            REPEATED not in self.reasons,
            *_weight(self.reasons, self.nominations),
            self.pupil.legal_surname,
            self.pupil.legal_forename,
        )

    @property
    def text(self) -> str:
        """The first three reasons from the data in one line, then what staff said, as they go
        on the agenda."""
        fragments = [part for text in self.reasons.values() for part in text.split("; ")]
        said = [nomination.words for nomination in self.nominations]
        return "; ".join(fragments[:REASONS_ON_AGENDA] + said)


def _weight(criteria, nominations) -> tuple[int, int]:
    """(minus the number of reasons, minus their strength): the stronger sorts first."""
    strength = sum(STRENGTH.get(criterion, 0) for criterion in criteria)
    return -(len(criteria) + len(nominations)), -(
        strength + STRENGTH[PUT_FORWARD] * len(nominations)
    )


def propose(*, meeting, on: dt.date) -> list[Proposal]:
    """Pupils in scope with the reasons that match the focus, and every pupil in scope a member
    of staff put forward, with theirs; before them, pupils whose item was parked at the last
    meeting of the series, with its note. Ranked as the module says."""
    guide = meeting.guide
    pupils = meeting.pupils_in_scope()
    if guide.only:
        pupils = pupils.with_characteristic(guide.only, on=on)
    if guide.years and not meeting.year_groups:
        pupils = pupils.filter(year_group__in=guide.years)
    # Only the focus's criteria are judged: a meeting on attendance reads no results.
    matching = reasons(
        pupils=pupils,
        on=on,
        thresholds=Thresholds.for_school(meeting.school),
        only=guide.criteria,
    )
    nominated: dict[int, list[Nomination]] = {}
    for nomination in meeting.nominations.filter(
        pupil__in=meeting.pupils_in_scope()
    ).select_related("by"):
        nominated.setdefault(nomination.pupil_id, []).append(nomination)
    # The data's strongest, cut by the data's reasons alone and, between equals, by name as they
    # are ranked: a pupil staff put forward comes on top of them, never instead of one.
    names = {
        pk: (surname, forename, pk)
        for pk, surname, forename in Pupil.objects.filter(pk__in=list(matching)).values_list(
            "pk", "legal_surname", "legal_forename"
        )
    }
    strongest = sorted(matching, key=lambda pk: (*_weight(matching[pk], []), *names[pk]))
    strongest = strongest[:PROPOSALS]
    by_id = Pupil.objects.in_bulk({*strongest, *nominated})
    proposals = {
        pupil_id: Proposal(by_id[pupil_id], matching.get(pupil_id, {}), nominated.get(pupil_id, []))
        for pupil_id in by_id
    }
    for item in meeting.parked_before().prefetch_related("group_pupils"):
        parked = f"parked on {date_format(item.meeting.date)}: {item.parked_note}"
        if not item.pupil_id:
            parked = f"in the group \u201c{item.group_name}\u201d {parked}"
        for pupil in [item.pupil] if item.pupil_id else item.group_pupils.all():
            proposal = proposals.setdefault(pupil.pk, Proposal(pupil, {}))
            proposal.reasons = {PARKED: parked} | proposal.reasons
    # Pupils whose barrier was raised at three meetings without positive impact, with when.
    concerns = repeated_for(pupils=meeting.pupils_in_scope(), school=meeting.school, on=on)
    again = Pupil.objects.in_bulk([pk for pk in concerns if pk not in proposals])
    for pupil_id, theirs in concerns.items():
        proposal = proposals.setdefault(pupil_id, Proposal(again.get(pupil_id), {}))
        words = "; ".join(concern.reason for concern in theirs)
        proposal.reasons = {REPEATED: words} | proposal.reasons
    # The pupils on the agenda already, alone or in its group, stay choices: confirming again
    # must not drop an item because today's data no longer proposes its pupil.
    for item in meeting.items.all():
        for pupil in [item.pupil] if item.pupil_id else item.group_pupils.all():
            proposals.setdefault(pupil.pk, Proposal(pupil, {ON_AGENDA: item.reason}))
    return sorted(proposals.values(), key=lambda proposal: proposal.rank)

"""The shortlist Progress proposes: pupils in the meeting's scope who meet its focus's criteria."""

import datetime as dt
from dataclasses import dataclass

from django.utils.formats import date_format

from pupils.criteria import reasons
from pupils.models import Pupil

PROPOSALS = 30
REASONS_ON_AGENDA = 3
PARKED = "parked"  # a reason that is not a criterion: carried from the last meeting


@dataclass
class Proposal:
    pupil: Pupil
    reasons: dict[str, str]  # criterion (or PARKED): the reason in words

    @property
    def text(self) -> str:
        """The first three reasons in one line, as they go on the agenda."""
        fragments = [part for text in self.reasons.values() for part in text.split("; ")]
        return "; ".join(fragments[:REASONS_ON_AGENDA])


def propose(*, meeting, on: dt.date) -> list[Proposal]:
    """Pupils in scope with the reasons that match the focus, most reasons first; before them,
    pupils whose item was parked at the last meeting of the series, with its note."""
    guide = meeting.guide
    pupils = meeting.pupils_in_scope()
    if guide.only:
        pupils = pupils.with_characteristic(guide.only, on=on)
    if guide.years and not meeting.year_groups:
        pupils = pupils.filter(year_group__in=guide.years)
    found = reasons(pupils=pupils, on=on)
    matching = {
        pupil_id: {
            criterion: text for criterion, text in why.items() if criterion in guide.criteria
        }
        for pupil_id, why in found.items()
    }
    matching = {pupil_id: why for pupil_id, why in matching.items() if why}
    ranked = sorted(matching, key=lambda pupil_id: -len(matching[pupil_id]))[:PROPOSALS]
    by_id = Pupil.objects.in_bulk(ranked)
    proposals = {pupil_id: Proposal(by_id[pupil_id], matching[pupil_id]) for pupil_id in ranked}
    for item in meeting.parked_before().prefetch_related("group_pupils"):
        parked = f"parked on {date_format(item.meeting.date)}: {item.parked_note}"
        if not item.pupil_id:
            parked = f"in the group \u201c{item.group_name}\u201d {parked}"
        for pupil in [item.pupil] if item.pupil_id else item.group_pupils.all():
            proposal = proposals.setdefault(pupil.pk, Proposal(pupil, {}))
            proposal.reasons = {PARKED: parked} | proposal.reasons
    return sorted(
        proposals.values(),
        key=lambda p: (
            PARKED not in p.reasons,
            -len(p.reasons),
            p.pupil.legal_surname,
            p.pupil.legal_forename,
        ),
    )

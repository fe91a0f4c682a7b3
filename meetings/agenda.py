"""The agenda: the standard structure, focus first, timed to the meeting's length."""

import datetime as dt
from dataclasses import dataclass, field

# Minutes for purpose and review, patterns, pupils, agreeing actions, confirming and sharing.
STRUCTURE = {30: (5, 5, 14, 3, 3), 45: (5, 10, 20, 5, 5), 60: (5, 10, 35, 5, 5)}
SECTIONS = (
    "Purpose and review of previous actions",
    "Patterns across the pupils",
    "Priority pupils, one at a time",
    "Agree actions: barrier, action, owner, review date",
    "Confirm the record and who it is shared with",
)
# The sections by position, for the code that treats one of them differently.
REVIEW, PATTERNS, PUPIL_BLOCK, AGREE, SHARE = range(len(SECTIONS))
SHORTEST_ITEM = 2  # minutes: below this an item cannot be discussed, only named


@dataclass
class Section:
    name: str
    minutes: int
    starts_at: dt.time
    items: list[tuple[object, int]] = field(default_factory=list)


@dataclass
class Agenda:
    sections: list[Section]
    warnings: list[str]

    @property
    def planned_minutes(self) -> int:
        return sum(section.minutes for section in self.sections)


def item_minutes(*, length: int, items: int) -> list[int]:
    """The pupil block shared between `items`, earlier items taking any minute left over."""
    block = STRUCTURE[length][PUPIL_BLOCK]
    if not items:
        return []
    each, spare = divmod(block, items)
    return [each + (index < spare) for index in range(items)]


def build_agenda(*, meeting, items: list) -> Agenda:
    """The meeting's sections with start times, and the pupil block split across `items`."""
    start = dt.datetime.combine(meeting.date, meeting.starts_at)
    shares = item_minutes(length=meeting.length, items=len(items))
    sections, warnings = [], []
    for index, (name, minutes) in enumerate(zip(SECTIONS, STRUCTURE[meeting.length], strict=True)):
        section = Section(name, minutes, start.time())
        if index == PUPIL_BLOCK:
            section.items = list(
                zip(items, item_minutes(length=meeting.length, items=len(items)), strict=True)
            )
        sections.append(section)
        start += dt.timedelta(minutes=minutes)
    if len(items) > meeting.item_cap:
        warnings.append(
            f"{len(items)} items is more than the {meeting.item_cap} a {meeting.length}-minute "
            f"meeting has room for: each gets about {min(shares)} "
            f"minute{'s' if min(shares) != 1 else ''}."
        )
    if items and min(shares) < SHORTEST_ITEM:
        warnings.append(
            f"Some items get less than {SHORTEST_ITEM} minutes: fewer items, or a longer meeting."
        )
    planned = sum(section.minutes for section in sections)
    if planned > meeting.length:
        warnings.append(
            f"The agenda plans {planned} minutes for a {meeting.length}-minute meeting."
        )
    return Agenda(sections, warnings)

"""The agenda: the standard structure, focus first, timed to the meeting's length."""

import datetime as dt
from dataclasses import dataclass, field

from django.db import models


class Section(models.TextChoices):
    """The five parts of every meeting, in the order they run."""

    REVIEW = "review", "Purpose and review of previous actions"
    PATTERNS = "patterns", "Patterns across the pupils"
    PUPILS = "pupils", "Priority pupils, one at a time"
    AGREE = "agree", "Agree actions: barrier, action, owner, review date"
    SHARE = "share", "Confirm the record and who it is shared with"

    @property
    def short_name(self) -> str:
        """A few words for the list of sections on the live screen."""
        return SHORT_NAMES[self]

    @property
    def next(self) -> "Section | None":
        order = list(Section)
        position = order.index(self)
        return order[position + 1] if position + 1 < len(order) else None

    @property
    def previous(self) -> "Section | None":
        order = list(Section)
        position = order.index(self)
        return order[position - 1] if position else None


SHORT_NAMES = {
    Section.REVIEW: "Purpose and review",
    Section.PATTERNS: "Patterns",
    Section.PUPILS: "Priority pupils",
    Section.AGREE: "Agree actions",
    Section.SHARE: "Confirm and share",
}
# Minutes for each section, by the meeting's length (docs/domain.md, "The agenda").
STRUCTURE = {
    30: dict(zip(Section, (5, 5, 14, 3, 3), strict=True)),
    45: dict(zip(Section, (5, 10, 20, 5, 5), strict=True)),
    60: dict(zip(Section, (5, 10, 35, 5, 5), strict=True)),
}
SHORTEST_ITEM = 2  # minutes: below this an item cannot be discussed, only named


@dataclass
class AgendaSection:
    key: Section
    minutes: int
    starts_at: dt.time
    items: list[tuple[object, int]] = field(default_factory=list)

    @property
    def name(self) -> str:
        return self.key.label

    @property
    def number(self) -> int:
        """Its place in the agenda, counting from 1, as the room reads it."""
        return list(Section).index(self.key) + 1


@dataclass
class Agenda:
    sections: list[AgendaSection]
    warnings: list[str]

    @property
    def planned_minutes(self) -> int:
        return sum(section.minutes for section in self.sections)


def item_minutes(*, length: int, items: int) -> list[int]:
    """The pupil block shared between `items`, earlier items taking any minute left over."""
    block = STRUCTURE[length][Section.PUPILS]
    if not items:
        return []
    each, spare = divmod(block, items)
    return [each + (index < spare) for index in range(items)]


def build_agenda(*, meeting, items: list) -> Agenda:
    """The meeting's sections with start times, and the pupil block split across `items`."""
    start = dt.datetime.combine(meeting.date, meeting.starts_at)
    shares = item_minutes(length=meeting.length, items=len(items))
    sections, warnings = [], []
    for key, minutes in STRUCTURE[meeting.length].items():
        section = AgendaSection(key, minutes, start.time())
        if key == Section.PUPILS:
            section.items = list(zip(items, shares, strict=True))
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

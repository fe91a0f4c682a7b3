"""The live meeting's clock, worked out on the server so every screen and a refresh agree."""

import datetime as dt
from dataclasses import dataclass

from meetings.agenda import PUPIL_BLOCK, SECTIONS, STRUCTURE

AMBER = 0.8  # of the planned time used


@dataclass
class Clock:
    started_at: dt.datetime  # when the current section (or pupil item) began
    planned_seconds: int
    elapsed_seconds: int
    meeting_left_seconds: int

    @property
    def text(self) -> str:
        """What the clock says before the page's script takes over."""
        left = self.planned_seconds - self.elapsed_seconds
        minutes, seconds = divmod(abs(left), 60)
        return f"{minutes}:{seconds:02d} {'left in this part' if left >= 0 else 'over'}"

    @property
    def state(self) -> str:
        """ "ok", "amber" as the time runs short, "red" once it has run over."""
        if self.elapsed_seconds > self.planned_seconds:
            return "red"
        return "amber" if self.elapsed_seconds > AMBER * self.planned_seconds else "ok"


def clock(*, meeting, times: list, items: list, now: dt.datetime) -> Clock:
    current = times[-1]
    planned = STRUCTURE[meeting.length][meeting.section] * 60
    if meeting.section == PUPIL_BLOCK and items:
        # The pupil block is shared again whenever an item overruns: what is left of it,
        # split between this item and the ones still to come.
        spent = sum(
            ((t.ended_at or now) - t.started_at).total_seconds()
            for t in times
            if t.section == PUPIL_BLOCK and t is not current
        )
        remaining_items = len(items) - meeting.item_index
        planned = max(60, int((planned - spent) // max(remaining_items, 1)))
    return Clock(
        started_at=current.started_at,
        planned_seconds=planned,
        elapsed_seconds=int((now - current.started_at).total_seconds()),
        meeting_left_seconds=int(meeting.length * 60 - (now - meeting.started_at).total_seconds()),
    )


def actual_minutes(times: list) -> list[int]:
    """Minutes each section really took, in agenda order."""
    totals = [0.0] * len(SECTIONS)
    for time in times:
        if time.ended_at:
            totals[time.section] += (time.ended_at - time.started_at).total_seconds() / 60
    return [round(total) for total in totals]

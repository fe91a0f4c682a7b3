"""The live meeting's clock, worked out on the server so every screen and a refresh agree."""

import datetime as dt
from dataclasses import dataclass

from actions import quality
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


def about(action, item) -> bool:
    """Whether `action` was logged for `item`: its pupil, or its group by name."""
    if item.pupil_id:
        return action.pupil_id == item.pupil_id
    return action.group_name == item.group_name


def flags(actions: list, *, rules, today: dt.date) -> dict[int, list[str]]:
    """What the "agree actions" section must put right before closing, action by action: an
    action not specific enough to act on, an owner who has left, a review date already passed.
    (The form checked the calendar when the action was logged.)"""
    found = {}
    for action in actions:
        draft = quality.Draft(text=action.text, kind=action.kind, monitoring=action.monitoring)
        problems = quality.problems(draft, extra_vague=rules.vague_phrases)
        if not action.owner.is_active:
            problems.append(f"{action.owner.display_name} has left: agree a new owner.")
        if action.review_on <= today:
            problems.append("Its review date has passed: agree a new one.")
        if problems:
            found[action.pk] = problems
    return found


@dataclass
class Sharing:
    parents: list  # actions with a parent contact
    staff: dict  # member of staff not at the meeting: their actions
    follow_ups: dict  # "SENCO review" …: actions


def sharing(actions: list, *, attendees: list) -> Sharing:
    """Who must hear about the meeting's decisions: parents to contact and why, staff who own or
    support an action but were not in the room, and the follow-ups to arrange."""
    present = {attendee.user_id for attendee in attendees}
    staff: dict = {}
    follow_ups: dict = {}
    for action in actions:
        for person in [action.owner, *action.supporting.all()]:
            if person.pk not in present:
                staff.setdefault(person, []).append(action)
        for name, label in FOLLOW_UPS.items():
            if getattr(action, name):
                follow_ups.setdefault(label, []).append(action)
    return Sharing(
        parents=[action for action in actions if action.parent_contact],
        staff=dict(sorted(staff.items(), key=lambda pair: pair[0].display_name)),
        follow_ups=follow_ups,
    )


FOLLOW_UPS = {
    "senco_review": "SENCO review",
    "attendance_plan": "Attendance plan",
    "safeguarding_follow_up": "Safeguarding follow-up: record it in the school's safeguarding "
    "system, not here",
}

"""The live meeting's clock, worked out on the server so every screen and a refresh agree, and
what the last two sections put in front of the room."""

import datetime as dt
import math
from dataclasses import dataclass

from django.core.paginator import Page, Paginator

from actions import quality
from meetings.agenda import STRUCTURE, Section

AMBER = 0.8  # of the planned time used: the clock warns that time is running short
# The review section shows the previous actions due a page at a time, however many there are:
# the chair's Next and Back move through the pages before moving on to the next section.
PREVIOUS_A_PAGE = 8
COMING_UP_SHOWN = 8  # the actions due in the weeks after the meeting, named; the rest counted


def minutes_in_words(seconds: int, *, over: bool) -> str:
    """ "1 minute left", "3 minutes left", "2 minutes over": minutes left count up (0:40 left is
    "1 minute left"), minutes over count whole minutes gone ("less than a minute over"); at 0:00
    "time is up"."""
    if not seconds:
        return "time is up"
    if over:
        minutes = seconds // 60
        if not minutes:
            return "less than a minute over"
        return f"{minutes} minute{'s' if minutes != 1 else ''} over"
    minutes = math.ceil(seconds / 60)
    return f"{minutes} minute{'s' if minutes != 1 else ''} left"


def clock_face(seconds: int) -> str:
    minutes, seconds = divmod(abs(seconds), 60)
    return f"{minutes}:{seconds:02d}"


@dataclass
class Clock:
    """The part under way against its planned time, and the meeting against its length. The
    page's script (static/js/app.js) ticks the same figures on between polls, in the same words."""

    planned_seconds: int
    elapsed_ms: int  # to the millisecond, so that the page's ticking is not a second behind
    meeting_seconds: int
    meeting_elapsed_ms: int
    rendered: int  # when these figures were true, in ms: a screen that sees it change resyncs

    @property
    def elapsed_seconds(self) -> int:
        return self.elapsed_ms // 1000

    @property
    def meeting_elapsed_seconds(self) -> int:
        return self.meeting_elapsed_ms // 1000

    @property
    def left_seconds(self) -> int:
        return self.planned_seconds - self.elapsed_seconds

    @property
    def amber_at_seconds(self) -> int:
        """When the warning comes on: once 80% of the part's time is used."""
        return math.ceil(AMBER * self.planned_seconds)

    @property
    def state(self) -> str:
        """ "ok", then "amber" as time runs short, "red" once it has run over."""
        if self.elapsed_seconds > self.planned_seconds:
            return "red"
        return "amber" if self.elapsed_seconds >= self.amber_at_seconds else "ok"

    @property
    def text(self) -> str:
        left = self.left_seconds
        return f"{clock_face(left)} {'left' if left >= 0 else 'over'}"

    @property
    def words(self) -> str:
        """The warning in words, beside the colour: "" while there is time."""
        if self.state == "ok":
            return ""
        left = self.left_seconds
        return minutes_in_words(abs(left), over=left < 0)

    @property
    def meeting_left_seconds(self) -> int:
        return self.meeting_seconds - self.meeting_elapsed_seconds

    @property
    def meeting_text(self) -> str:
        left = self.meeting_left_seconds
        return f"Meeting: {clock_face(left)} {'left' if left >= 0 else 'over'}"


def clock(*, meeting, times: list, items: list, now: dt.datetime) -> Clock:
    current = times[-1]
    planned = STRUCTURE[meeting.length][meeting.current_section] * 60
    if meeting.section == Section.PUPILS and items:
        # The pupil block is shared again whenever an item overruns: what is left of it,
        # split between this item and the ones still to come.
        spent = sum(
            ((t.ended_at or now) - t.started_at).total_seconds()
            for t in times
            if t.section == Section.PUPILS and t is not current
        )
        remaining_items = len(items) - meeting.item_index
        planned = max(60, int((planned - spent) // max(remaining_items, 1)))
    return Clock(
        planned_seconds=planned,
        elapsed_ms=(now - current.started_at) // dt.timedelta(milliseconds=1),
        meeting_seconds=meeting.length * 60,
        meeting_elapsed_ms=(now - meeting.started_at) // dt.timedelta(milliseconds=1),
        rendered=int(now.timestamp() * 1000),
    )


def review_page(actions, index: int) -> Page:
    """The page of previous actions every screen of the meeting shows in the review section:
    kept on the meeting (in `item_index`, from 0; it counts pupils only in the pupil block), so
    the chair's, the recorder's, the room's and each attendee's screen show the same one. The
    last page there is when the list has grown shorter."""
    return Paginator(actions, PREVIOUS_A_PAGE).get_page(index + 1)


def page_words(page: Page) -> str:
    """ "Previous actions 9-16 of 57"; "Previous actions due for review (3)" on one page."""
    total = page.paginator.count
    if page.paginator.num_pages == 1:
        return f"Previous actions due for review ({total})"
    if page.start_index() == page.end_index():
        return f"Previous action {page.end_index()} of {total}"
    return f"Previous actions {page.start_index()}-{page.end_index()} of {total}"


def actual_minutes(times: list) -> dict[Section, int]:
    """Minutes each section really took."""
    totals = dict.fromkeys(Section, 0.0)
    for time in times:
        if time.ended_at:
            totals[Section(time.section)] += (time.ended_at - time.started_at).total_seconds() / 60
    return {section: round(total) for section, total in totals.items()}


def flags(actions: list, *, rules, today: dt.date) -> dict[int, list[str]]:
    """What the "agree actions" section must put right before closing, action by action: an
    action not specific enough to act on, an owner who has left, a review date already passed.
    (The form checked the calendar when the action was logged.)"""
    found = {}
    for action in actions:
        draft = quality.Draft(text=action.text, kind=action.kind, monitoring=action.monitoring)
        problems = quality.barrier_problems(action.barrier)
        problems += quality.problems(draft, extra_vague=rules.vague_phrases)
        if not action.owner.is_active:
            problems.append(f"{action.owner.display_name} has left: agree a new owner.")
        if action.review_on < today:
            problems.append("Its review date has passed: agree a new one.")
        elif action.review_on == today:
            problems.append("Its review date is today: agree a later one, to give it time.")
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

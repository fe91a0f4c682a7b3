"""E-mails about a meeting: invitations with a calendar file, reminders and the closing log.
They carry links, never pupil details, and go through the outbox (`progress.outbox`): call them
inside the transaction that makes the change they announce."""

import datetime as dt
from collections import Counter
from zoneinfo import ZoneInfo

from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from actions.models import FollowUp
from meetings.models import Meeting, Summary
from progress import outbox
from progress.forms import CONTROL

LONDON = ZoneInfo("Europe/London")


def send_agenda(*, meeting: Meeting, request) -> int:
    link = request.build_absolute_uri(reverse("meetings:meeting_detail", args=[meeting.pk]))
    calendar = ics(meeting=meeting, link=link)
    attendees = list(meeting.attendees.all())
    for attendee in attendees:
        outbox.queue(
            to=attendee.user,
            subject=f"Pupil progress meeting: {meeting.title}, {date_format(meeting.date)}",
            template="meetings/email/invitation.txt",
            context={"attendee": attendee, "meeting": meeting, "link": link},
            regarding=meeting,
            calendar=calendar,
        )
    return len(attendees)


def remind_teachers(*, meeting: Meeting, request) -> int:
    waiting: dict = {}
    for item in meeting.items.all():
        summary = getattr(item, "summary", None)
        if summary and summary.status != Summary.Status.READY:
            waiting[summary.teacher] = waiting.get(summary.teacher, 0) + 1
    link = request.build_absolute_uri(reverse("home"))
    for teacher, count in waiting.items():
        outbox.queue(
            to=teacher,
            subject=f"Summaries to complete for the meeting on {date_format(meeting.date)}",
            template="meetings/email/reminder.txt",
            context={"teacher": teacher, "count": count, "meeting": meeting, "link": link},
            regarding=meeting,
        )
    return len(waiting)


def ics(*, meeting: Meeting, link: str) -> str:
    """An iCalendar event (RFC 5545) for the meeting, in UTC, with the link and no pupil names."""
    start = dt.datetime.combine(meeting.date, meeting.starts_at, tzinfo=LONDON).astimezone(dt.UTC)
    end = start + dt.timedelta(minutes=meeting.length)
    stamp = timezone.now().astimezone(dt.UTC)

    def text(value: str) -> str:
        """A TEXT value: line breaks as \\n, other control characters dropped, and the
        characters RFC 5545 reserves escaped, so no text can start a line of its own."""
        value = CONTROL.sub("", value.replace("\r\n", "\n").replace("\r", "\n"))
        return (
            value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")
        )

    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Progress//Pupil progress meetings//EN",
        "METHOD:REQUEST",
        "BEGIN:VEVENT",
        f"UID:meeting-{meeting.pk}@progress",
        f"DTSTAMP:{stamp:%Y%m%dT%H%M%SZ}",
        f"DTSTART:{start:%Y%m%dT%H%M%SZ}",
        f"DTEND:{end:%Y%m%dT%H%M%SZ}",
        f"SUMMARY:{text('Pupil progress meeting: ' + meeting.title)}",
        f"LOCATION:{text(meeting.place)}",
        f"DESCRIPTION:{text(meeting.purpose + chr(10) + link)}",
        f"URL:{link}",
        "END:VEVENT",
        "END:VCALENDAR",
    ]
    return "".join(folded(line) for line in lines)


def folded(line: str) -> str:
    """A content line folded as RFC 5545 asks: at most 75 octets, each continuation starting
    with a space; never inside a character."""
    parts, part = [], ""
    for character in line:
        limit = 75 if not parts else 74
        if len((part + character).encode()) > limit:
            parts.append(part)
            part = ""
        part += character
    parts.append(part)
    return "\r\n ".join(parts) + "\r\n"


def share_log(*, meeting: Meeting, site: str) -> int:
    """After the meeting: every attendee a link to the log; each owner and supporting member of
    staff, present or not, a link to their actions and to their pupils' part of the log; each
    owner of a follow-up (a SENCO review, an attendance plan) a link to it. `site`
    is the address links start with ("https://progress.example.org")."""
    site = site.rstrip("/")
    log = site + reverse("meetings:meeting_minutes", args=[meeting.pk])
    mine = site + reverse("actions:my_actions")
    owns, supports, follows = Counter(), Counter(), Counter()
    for action in meeting.actions.select_related("owner").prefetch_related("supporting"):
        owns[action.owner] += 1
        for person in action.supporting.all():
            supports[person] += 1
    for follow_up in FollowUp.objects.filter(action__meeting=meeting).select_related("owner"):
        follows[follow_up.owner] += 1
    attendees = {attendee.user for attendee in meeting.attendees.select_related("user")}
    people = attendees | set(owns) | set(supports) | set(follows)
    for person in sorted(people, key=lambda person: person.display_name):
        outbox.queue(
            to=person,
            subject=f"Actions from the pupil progress meeting on {date_format(meeting.date)}",
            template="meetings/email/log.txt",
            context={
                "person": person,
                "meeting": meeting,
                "owns": owns[person],
                "supports": supports[person],
                "follows": follows[person],
                "attended": person in attendees,
                "log": log,
                "mine": mine,
            },
            regarding=meeting,
        )
    return len(people)

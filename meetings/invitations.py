"""E-mails about a meeting: invitations with a calendar file, and reminders. They carry links,
never pupil details."""

import datetime as dt
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from meetings.models import Meeting, Summary

LONDON = ZoneInfo("Europe/London")


def send_agenda(*, meeting: Meeting, request) -> int:
    link = request.build_absolute_uri(reverse("meetings:meeting_detail", args=[meeting.pk]))
    calendar = ics(meeting=meeting, link=link)
    attendees = list(meeting.attendees.all())
    for attendee in attendees:
        context = {"attendee": attendee, "meeting": meeting, "link": link}
        message = EmailMessage(
            subject=f"Pupil progress meeting: {meeting.title}, {date_format(meeting.date)}",
            body=render_to_string("meetings/email/invitation.txt", context),
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[attendee.user.email],
        )
        message.attach("meeting.ics", calendar, "text/calendar; method=REQUEST")
        message.send()
    return len(attendees)


def remind_teachers(*, meeting: Meeting, request) -> int:
    waiting: dict = {}
    for item in meeting.items.all():
        summary = getattr(item, "summary", None)
        if summary and summary.status != Summary.Status.READY:
            waiting[summary.teacher] = waiting.get(summary.teacher, 0) + 1
    link = request.build_absolute_uri(reverse("home"))
    for teacher, count in waiting.items():
        context = {"teacher": teacher, "count": count, "meeting": meeting, "link": link}
        EmailMessage(
            subject=f"Summaries to complete for the meeting on {date_format(meeting.date)}",
            body=render_to_string("meetings/email/reminder.txt", context),
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[teacher.email],
        ).send()
    return len(waiting)


def ics(*, meeting: Meeting, link: str) -> str:
    """An iCalendar event (RFC 5545) for the meeting, in UTC, with the link and no pupil names."""
    start = dt.datetime.combine(meeting.date, meeting.starts_at, tzinfo=LONDON).astimezone(dt.UTC)
    end = start + dt.timedelta(minutes=meeting.length)
    stamp = timezone.now().astimezone(dt.UTC)

    def text(value: str) -> str:
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
    return "\r\n".join(lines) + "\r\n"


def share_log(*, meeting: Meeting, request) -> int:
    """After the meeting: each owner a link to their actions, every attendee a link to the log."""
    log = request.build_absolute_uri(reverse("meetings:meeting_minutes", args=[meeting.pk]))
    mine = request.build_absolute_uri(reverse("actions:my_actions"))
    owners: dict = {}
    for action in meeting.actions.select_related("owner"):
        owners[action.owner] = owners.get(action.owner, 0) + 1
    people = {attendee.user for attendee in meeting.attendees.select_related("user")} | set(owners)
    for person in people:
        context = {
            "person": person,
            "meeting": meeting,
            "count": owners.get(person, 0),
            "log": log,
            "mine": mine,
        }
        EmailMessage(
            subject=f"Actions from the pupil progress meeting on {date_format(meeting.date)}",
            body=render_to_string("meetings/email/log.txt", context),
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[person.email],
        ).send()
    return len(people)

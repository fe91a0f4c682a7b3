"""The outbox: e-mails written with the change that causes them, sent by the worker after
commit, retried until the mail server takes them, and each delivered once."""

import datetime as dt
import io
import socket

import pytest
import time_machine
from aiosmtpd.controller import Controller
from django.core import mail
from django.core.management import call_command
from django.db import transaction
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from meetings.agenda import Section
from meetings.models import Meeting
from progress import outbox
from progress.models import Email
from tests.factories import CLOSING, AcademicYearFactory, ActionFactory, MeetingFactory, UserFactory

pytestmark = pytest.mark.django_db


class Inbox:
    """An SMTP server's handler that keeps what it is given."""

    def __init__(self):
        self.received: list[tuple[str, str]] = []

    async def handle_DATA(self, server, session, envelope):
        subject = next(
            line for line in envelope.content.decode().splitlines() if line.startswith("Subject:")
        )
        self.received.extend((to, subject) for to in envelope.rcpt_tos)
        return "250 Message accepted for delivery"


@pytest.fixture
def school(today):
    return AcademicYearFactory(start_year=2026).school


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class MailServer:
    """A real SMTP server on this machine, to stop and start again on the same port."""

    def __init__(self, port: int):
        self.port, self.inbox, self.running = port, Inbox(), None

    def start(self) -> None:
        self.running = Controller(self.inbox, hostname="127.0.0.1", port=self.port)
        self.running.start()

    def stop(self) -> None:
        self.running.stop()
        self.running = None


@pytest.fixture
def smtp(settings):
    """The mail server Progress sends to; it starts stopped."""
    server = MailServer(free_port())
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": server.port, "use_tls": False, "timeout": 5},
        }
    }
    yield server
    if server.running:
        server.stop()


def queue_six(school) -> list[Email]:
    people = [UserFactory(school=school) for _ in range(6)]
    with transaction.atomic():
        return [
            outbox.queue(
                to=person,
                subject=f"Message {n}",
                template="actions/email/digest.txt",
                context={"owner": person, "count": 1, "link": "https://progress.example.org/"},
            )
            for n, person in enumerate(people)
        ]


def test_an_email_is_written_with_its_change_and_sent_after_it(school, deliver):
    emails = queue_six(school)

    assert mail.outbox == []  # nothing is sent inside the transaction
    assert {email.status for email in emails} == {Email.Status.QUEUED}

    assert len(deliver()) == 6
    assert set(Email.objects.values_list("status", flat=True)) == {Email.Status.SENT}


def test_a_change_that_fails_leaves_no_email_behind(school):
    person = UserFactory(school=school)

    def change():
        with transaction.atomic():
            outbox.queue(
                to=person, subject="Hello", template="actions/email/digest.txt", context={}
            )
            raise RuntimeError("the change failed")

    with pytest.raises(RuntimeError):
        change()

    assert not Email.objects.exists()
    assert not DBTaskResult.objects.exists()


def test_the_mail_server_stopping_mid_send_loses_nothing_and_sends_each_once(
    school, deliver, smtp, today
):
    queue_six(school)
    smtp.start()

    call_command("db_worker", "--batch", "--max-tasks", "3", "--interval", "0", verbosity=0)
    smtp.stop()  # the mail server goes down after three messages
    deliver()  # the other three fail, and wait to be tried again

    assert len(smtp.inbox.received) == 3
    waiting = Email.objects.filter(status=Email.Status.RETRYING)
    assert waiting.count() == 3
    assert all("Connection refused" in email.last_error for email in waiting)

    smtp.start()  # the mail server is back
    deliver()  # too soon: each waits a minute before its next try
    assert len(smtp.inbox.received) == 3
    with time_machine.travel(dt.timedelta(minutes=2)):
        deliver()
        deliver()  # a second run sends nothing twice

    recipients = [to for to, _ in smtp.inbox.received]
    assert sorted(recipients) == sorted(Email.objects.values_list("to__email", flat=True))
    assert len(set(recipients)) == 6  # every message, each once
    assert set(Email.objects.values_list("status", flat=True)) == {Email.Status.SENT}


def test_after_every_try_fails_the_email_is_marked_failed(school, deliver, smtp, today):
    [email, *_] = queue_six(school)  # the server never starts

    for minutes in range(0, 5000, 30):
        with time_machine.travel(dt.timedelta(minutes=minutes)):
            deliver()

    email.refresh_from_db()
    assert email.status == Email.Status.FAILED
    assert email.attempts == len(outbox.RETRY_AFTER) + 1
    assert email.sent_at is None


def test_closing_with_the_mail_server_down_shows_no_error_and_loses_nothing(
    client, school, deliver, smtp, today
):
    meeting = MeetingFactory(school=school, status=Meeting.Status.RUNNING, section=Section.SHARE)
    chair = meeting.attendees.get(role="chair").user
    ActionFactory(school=school, meeting=meeting, owner=UserFactory(school=school))
    client.force_login(chair)

    response = client.post(reverse("meetings:meeting_close", args=[meeting.pk]), CLOSING)
    deliver()  # the server is down: every message waits

    assert response.status_code == 302
    page = client.get(reverse("meetings:meeting_detail", args=[meeting.pk])).text
    assert "trying again at" in page
    smtp.start()
    with time_machine.travel(dt.timedelta(minutes=2)):
        deliver()
    assert len(smtp.inbox.received) == Email.objects.count() >= 2
    page = client.get(reverse("meetings:meeting_detail", args=[meeting.pk])).text
    assert "trying again" not in page
    assert "Actions from the pupil progress meeting" in page


def test_an_email_left_waiting_is_queued_again_and_sent(school, deliver, today):
    queue_six(school)
    DBTaskResult.objects.all().delete()  # as if a worker died holding the tasks

    with time_machine.travel(dt.timedelta(hours=2)):
        call_command("send_reminders", stdout=io.StringIO(), stderr=(warned := io.StringIO()))
        sent = deliver()

    assert len(sent) == 6
    assert "6 e-mails waiting over an hour: queued again" in warned.getvalue()

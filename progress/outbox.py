"""The outbox: every e-mail Progress sends goes through here.

`queue` writes the e-mail and enqueues its delivery in the caller's transaction, so the e-mail
exists exactly when the change that caused it was saved. The worker (`manage.py db_worker`, from
django-tasks-db) sends it after commit, outside any request: a slow or failing mail server never
turns a page into an error. A failed send is recorded on the e-mail and tried again later, each
wait longer than the last (`RETRY_AFTER`), then marked failed for staff to see. An e-mail is sent
once: delivery locks its row and skips one already sent.
"""

import datetime as dt
import logging

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.mail import EmailMessage
from django.db import models, transaction
from django.tasks import task
from django.template.loader import render_to_string
from django.utils import timezone

from progress.models import Email

logger = logging.getLogger(__name__)

# How long to wait before each further try: about a day and a half in all, then it has failed.
RETRY_AFTER = [dt.timedelta(minutes=minutes) for minutes in (1, 5, 15, 60, 180, 360, 720, 1440)]


def queue(
    *,
    to,
    subject: str,
    template: str,
    context: dict,
    regarding: models.Model | None = None,
    calendar: str = "",
) -> Email:
    """Write an e-mail to `to` (a member of staff) and enqueue its delivery, both in the
    current transaction."""
    with transaction.atomic():
        email = Email.objects.create(
            school_id=to.school_id,
            to=to,
            subject=" ".join(subject.split())[:200],  # one line: a header takes no breaks
            body=render_to_string(template, context),
            calendar=calendar,
            regarding_type=ContentType.objects.get_for_model(regarding) if regarding else None,
            regarding_id=regarding.pk if regarding else None,
        )
        deliver.enqueue(email.pk)
    return email


def requeue_stuck(*, older_than: dt.timedelta = dt.timedelta(hours=1)) -> int:
    """Enqueue again every e-mail still waiting well after it should have gone (a worker that
    died mid-send leaves its task claimed forever); sending skips any already sent. Run daily."""
    due = timezone.now() - older_than
    stuck = Email.objects.filter(
        models.Q(status=Email.Status.QUEUED, created_at__lt=due)
        | models.Q(status=Email.Status.RETRYING, next_try_at__lt=due)
    ).values_list("pk", flat=True)
    for pk in stuck:
        deliver.enqueue(pk)
    return len(stuck)


def about(regarding: models.Model):
    """The e-mails about one object (a meeting), first sent first, with who they went to: one
    query, joined to the object's type by name."""
    return Email.objects.filter(
        regarding_type__app_label=regarding._meta.app_label,
        regarding_type__model=regarding._meta.model_name,
        regarding_id=regarding.pk,
    ).select_related("to")


@task
def deliver(email_id: int) -> str:
    """Send one e-mail from the outbox, unless it has been sent; on failure, record why and
    enqueue the next try."""
    with transaction.atomic():
        email = (
            Email.objects.select_for_update()
            .select_related("to")
            .filter(pk=email_id, sent_at__isnull=True)
            .first()
        )
        if email is None:
            return "already sent"
        email.attempts += 1
        try:
            message(email).send()
        except Exception as error:  # the mail server refused or is down: try again later
            email.last_error = f"{type(error).__name__}: {error}"[:300]
            if email.attempts > len(RETRY_AFTER):
                email.status, email.next_try_at = Email.Status.FAILED, None
                logger.error("E-mail %s failed %s times: %s", email.pk, email.attempts, error)
            else:
                email.status = Email.Status.RETRYING
                email.next_try_at = timezone.now() + RETRY_AFTER[email.attempts - 1]
                deliver.using(run_after=email.next_try_at).enqueue(email.pk)
                logger.warning("E-mail %s not sent, trying again: %s", email.pk, error)
        else:
            email.status, email.sent_at, email.next_try_at = Email.Status.SENT, timezone.now(), None
        email.save(update_fields=["attempts", "last_error", "status", "next_try_at", "sent_at"])
        return email.status


def message(email: Email) -> EmailMessage:
    message = EmailMessage(
        subject=email.subject,
        body=email.body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[email.to.email],
    )
    if email.calendar:
        message.attach("meeting.ics", email.calendar, "text/calendar; method=REQUEST")
    return message

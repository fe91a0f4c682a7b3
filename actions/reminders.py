"""Daily digests for action owners: how many actions are overdue for review or due soon.

One e-mail per owner per day, however often it runs; an owner whose e-mail failed is tried
again on the next run, because only a sent digest is recorded. "Overdue" and "due soon" are
the action log's own (`Due`), worded as every screen words them.
"""

import datetime as dt
import logging
from collections import defaultdict

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse

from actions.models import DUE_SOON, Action, Due, Reminder
from progress.models import School

logger = logging.getLogger(__name__)


def send_digests(*, today: dt.date) -> tuple[int, int]:
    """(digests sent, digests that failed and will be tried again)."""
    sent = failed = 0
    link = settings.SITE_URL.rstrip("/") + reverse("actions:my_actions")
    for school in School.objects.all():
        due = Action.objects.filter(school=school).to_review(on=today).select_related("owner")
        done_today = set(
            Reminder.objects.filter(school=school, sent_on=today).values_list("owner_id", flat=True)
        )
        by_owner = defaultdict(list)
        for action in due:
            if action.owner.is_active and action.owner_id not in done_today:
                by_owner[action.owner].append(action)
        for owner, actions in by_owner.items():
            overdue = sum(action.due(on=today) == Due.OVERDUE for action in actions)
            context = {
                "owner": owner,
                "count": len(actions),
                "overdue": overdue,
                "soon": len(actions) - overdue,
                "due": Due,
                "until": today + DUE_SOON,
                "link": link,
            }
            try:
                with transaction.atomic():
                    Reminder.objects.create(
                        school=school, owner=owner, sent_on=today, actions=len(actions)
                    )
                    EmailMessage(
                        subject=f"Actions to review: {len(actions)}",
                        body=render_to_string("actions/email/digest.txt", context),
                        from_email=settings.DEFAULT_FROM_EMAIL,
                        to=[owner.email],
                    ).send()
            except IntegrityError:
                continue  # another run sent it a moment ago
            except Exception:  # the mail server refused: no record, so the next run retries
                logger.exception("Reminder to %s failed; it will be retried", owner.email)
                failed += 1
            else:
                sent += 1
    return sent, failed

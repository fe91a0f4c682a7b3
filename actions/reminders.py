"""The daily e-mails to action owners: a digest of reviews overdue or due soon, and a start
check for each action whose start-check day has come.

One digest per owner per day and one start check per action, however often it runs: each is
recorded in the same transaction as the e-mail it queues (`progress.outbox`), which the worker
then sends and retries. "Overdue" and "due soon" are the action log's own (`Due`), worded as
every screen words them.
"""

import datetime as dt
from collections import defaultdict

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse

from actions.models import DUE_SOON, Action, Due, Reminder
from progress import outbox


def link(name: str, *args) -> str:
    return settings.SITE_URL.rstrip("/") + reverse(name, args=args)


def send_digests(*, today: dt.date) -> int:
    """Queue today's digests; the number queued."""
    queued = 0
    due = (
        Action.objects.to_review(on=today)
        .filter(owner__is_active=True)
        .exclude(owner__in=Reminder.objects.filter(sent_on=today).values("owner"))
        .select_related("owner")
    )
    by_owner = defaultdict(list)
    for action in due:
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
            "link": link("actions:my_actions"),
        }
        try:
            with transaction.atomic():
                Reminder.objects.create(
                    school_id=owner.school_id, owner=owner, sent_on=today, actions=len(actions)
                )
                outbox.queue(
                    to=owner,
                    subject=f"Actions to review: {len(actions)}",
                    template="actions/email/digest.txt",
                    context=context,
                )
        except IntegrityError:
            continue  # another run queued it a moment ago
        queued += 1
    return queued


def send_start_checks(*, today: dt.date) -> int:
    """Ask each owner once, on its start-check day or the first run after, whether an action
    has started: one click from the e-mail. The number queued."""
    asking = (
        Action.objects.not_started(on=today)
        .filter(start_asked_on__isnull=True, owner__is_active=True)
        .select_related("owner", "meeting")
    )
    queued = 0
    for action in asking:
        with transaction.atomic():
            if not Action.objects.filter(pk=action.pk, start_asked_on__isnull=True).update(
                start_asked_on=today
            ):
                continue  # another run asked a moment ago
            outbox.queue(
                to=action.owner,
                subject="Has your action started?",
                template="actions/email/start_check.txt",
                context={
                    "owner": action.owner,
                    "action": action,
                    "link": link("actions:action_start", action.pk),
                },
                regarding=action.meeting,
            )
        queued += 1
    return queued

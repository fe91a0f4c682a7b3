"""Each day: a digest to each action owner of reviews due soon or overdue, and a start check for
each action whose day has come; run daily (README). The worker sends them; e-mails still waiting
after an hour are queued again, with a warning that the worker may be down."""

from django.core.management.base import BaseCommand
from django.utils import timezone

from actions.reminders import send_digests, send_start_checks
from progress import outbox


class Command(BaseCommand):
    help = "Queue today's review reminders and start checks; a second run the same day adds none."

    def handle(self, *args, **options):
        today = timezone.localdate()
        digests, checks = send_digests(today=today), send_start_checks(today=today)
        self.stdout.write(
            f"Queued {digests} reminder{'s' if digests != 1 else ''} and {checks} start "
            f"check{'s' if checks != 1 else ''}."
        )
        if stuck := outbox.requeue_stuck():
            self.stderr.write(
                f"{stuck} e-mail{'s' if stuck != 1 else ''} waiting over an hour: "
                "queued again. Is the worker (db_worker) running?"
            )

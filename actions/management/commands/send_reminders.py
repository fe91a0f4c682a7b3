"""E-mail each action owner one digest of reviews due soon or overdue; run daily (README)."""

from django.core.management.base import BaseCommand
from django.utils import timezone

from actions.reminders import send_digests


class Command(BaseCommand):
    help = "Send today's review reminders; running it again the same day sends nothing new."

    def handle(self, *args, **options):
        sent, failed = send_digests(today=timezone.localdate())
        self.stdout.write(f"Sent {sent} reminder{'s' if sent != 1 else ''}.")
        if failed:
            self.stderr.write(f"{failed} could not be sent and will be tried on the next run.")

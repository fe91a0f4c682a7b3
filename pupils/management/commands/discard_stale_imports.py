"""Forget uploaded files left unconfirmed for more than a day; run daily (README)."""

import datetime as dt

from django.core.management.base import BaseCommand
from django.utils import timezone

from pupils.models import ImportBatch

KEPT_FOR = dt.timedelta(days=1)


class Command(BaseCommand):
    help = "Discard uploads neither imported nor discarded within a day, and their files."

    def handle(self, *args, **options):
        stale = ImportBatch.objects.filter(
            status=ImportBatch.Status.PENDING, created_at__lt=timezone.now() - KEPT_FOR
        ).defer("content")  # forgotten, not read
        count = 0
        for batch in stale:
            batch.close(ImportBatch.Status.DISCARDED, summary="Discarded after a day unconfirmed")
            count += 1
        self.stdout.write(f"Discarded {count} upload{'s' if count != 1 else ''} left unconfirmed.")

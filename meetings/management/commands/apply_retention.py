"""Delete what is held about pupils who left longer ago than their school keeps it; run it
weekly (README). Each pupil deleted is one log line, by record number, never by name.

The pupil's records go, with the change history kept of them (the audit log's copies), so
nothing of theirs is left. It lives in the meetings app because it reaches every app's data."""

import datetime as dt

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from actions.models import Action, FollowUp, Review
from meetings.models import Summary
from progress.models import School
from pupils.models import Characteristics, Pupil


def kept_until(left: dt.date, years: int) -> dt.date:
    """The last day a leaver's data is kept: the anniversary `years` on (28 Feb for 29 Feb)."""
    try:
        return left.replace(year=left.year + years)
    except ValueError:
        return left.replace(year=left.year + years, day=28)


@transaction.atomic
def forget(pupil: Pupil) -> None:
    """Delete the pupil, all that cascades from them (results, registers, summaries, their own
    actions and those actions' reviews and follow-ups), and the history kept of each."""
    actions = list(Action.objects.filter(pupil=pupil).values_list("pk", flat=True))
    summaries = list(Summary.objects.filter(item__pupil=pupil).values_list("pk", flat=True))
    pupil_pk = pupil.pk
    pupil.delete()
    Pupil.history.filter(id=pupil_pk).delete()
    Characteristics.history.filter(pupil_id=pupil_pk).delete()
    Summary.history.filter(id__in=summaries).delete()
    Action.history.filter(id__in=actions).delete()
    Review.history.filter(action_id__in=actions).delete()
    FollowUp.history.filter(action_id__in=actions).delete()


class Command(BaseCommand):
    help = (
        "Delete pupils who left more than their school's retention period ago, with all their data."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Say who, delete nothing.")

    def handle(self, *args, dry_run: bool, **options):
        today, count = timezone.localdate(), 0
        for school in School.objects.order_by("urn"):
            leavers = Pupil.objects.filter(school=school, date_left__isnull=False)
            for pupil in leavers.order_by("date_left", "pk"):
                if kept_until(pupil.date_left, school.leavers_kept_for) >= today:
                    continue
                line = f"{school.urn}: pupil record {pupil.pk}, left {pupil.date_left:%Y-%m-%d}"
                if not dry_run:
                    forget(pupil)
                self.stdout.write(f"{line}: {'would delete' if dry_run else 'deleted'}")
                count += 1
        summary = "would be deleted" if dry_run else "deleted"
        self.stdout.write(f"{count} leaver{'s' if count != 1 else ''} {summary}.")

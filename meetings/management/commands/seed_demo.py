"""Load the demo trust: Oakfield Primary School and Riverside Academy.

It lives in `meetings`, the top of the app graph, because it loads every app's demo data in
dependency order: the organisation, then pupils, then meetings. Everything is dated from today
(`progress.demo.Timeline`), so the demo looks current whenever it is loaded.
"""

from django.core.management.base import BaseCommand
from django.db import connection, transaction
from django.utils import timezone

from meetings import demo as meetings_demo
from progress import demo
from progress.models import School
from pupils import demo as pupils_demo


class Command(BaseCommand):
    help = "Replace the demo schools with fresh demo data; the same seed gives the same data."

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=2026, help="random seed (default 2026)")
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="load only when the database has no school yet (what `make run` does)",
        )

    def handle(self, *args, seed: int, if_empty: bool, **options):
        if if_empty and School.objects.exists():
            self.stdout.write("The database already has schools: demo data not loaded again.")
        else:
            timeline = demo.Timeline.on(timezone.localdate())
            with transaction.atomic():
                counts = demo.load(seed=seed, timeline=timeline)
                counts |= pupils_demo.load(seed=seed, timeline=timeline)
                counts |= meetings_demo.load(timeline=timeline)
            # Fresh statistics, so the database picks the right index from the first page: with
            # none, SQLite read a whole school's register marks for a page of eight pupils
            # (20 ms) rather than those pupils' own (6 ms).
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
            self.stdout.write(
                self.style.SUCCESS(
                    f"Loaded the demo trust: {counts['schools']} schools, {counts['staff']} staff, "
                    f"{counts['pupils']} pupils, {counts['meetings']} meetings."
                )
            )
        self.stdout.write(f"\nDemo logins (password: {demo.PASSWORD}):")
        for email, description in demo.LOGINS:
            self.stdout.write(f"  {email:32} {description}")

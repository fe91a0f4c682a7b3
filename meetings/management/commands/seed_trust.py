"""Load a trust of fifty schools and some 40,000 pupils, for measuring Progress at scale
(`meetings.trust_demo`; `make benchmark-trust` times the pages on it)."""

import time

from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.utils import timezone

from meetings import trust_demo
from progress import demo
from progress.models import School


class Command(BaseCommand):
    help = "Load the trust-sized demo (fifty schools); the same seed gives the same trust."

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=2026, help="random seed (default 2026)")
        parser.add_argument(
            "--schools",
            type=int,
            default=trust_demo.SCHOOLS,
            help=f"how many schools (default {trust_demo.SCHOOLS}; a few for a quick trust)",
        )
        parser.add_argument(
            "--replace",
            action="store_true",
            help="remove the trust-sized demo's schools first; without it, the database must "
            "have no school",
        )

    def handle(self, *args, seed: int, schools: int, replace: bool, **options):
        if not 1 <= schools <= len(trust_demo.PLACES):
            raise CommandError(f"--schools must be from 1 to {len(trust_demo.PLACES)}.")
        if replace:
            trust_demo.remove()
        elif School.objects.exists():
            raise CommandError(
                "The database already has schools: seed_trust loads into an empty database "
                "(or give --replace to replace an earlier trust-sized demo)."
            )
        started = time.monotonic()
        counts = trust_demo.load(
            seed=seed,
            timeline=demo.Timeline.on(timezone.localdate()),
            schools=schools,
            log=self.stdout.write if options["verbosity"] > 1 else None,
        )
        with connection.cursor() as cursor:  # fresh statistics, as seed_demo leaves them
            cursor.execute("ANALYZE")
        self.stdout.write(
            self.style.SUCCESS(
                f"Loaded {trust_demo.TRUST}: {counts['schools']} schools, {counts['staff']} "
                f"staff, {counts['pupils']} pupils, {counts['meetings']} meetings, "
                f"{counts['actions']} actions in {time.monotonic() - started:.0f} s."
            )
        )
        self.stdout.write(f"\nLogins (password: {demo.PASSWORD}), in every school of the trust:")
        for email, description in trust_demo.logins(schools):
            self.stdout.write(f"  {email:36} {description}")

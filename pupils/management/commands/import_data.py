"""Import a school MIS export: `import_data KIND FILE --school URN [--dry-run]`.

The file formats each kind reads are in the README."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from progress.models import School
from pupils.importing import KINDS, UnreadableFile, importer_for, read_table


class Command(BaseCommand):
    help = "Import pupils, attendance, assessments, behaviour or interventions; all or nothing."

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=list(KINDS))
        parser.add_argument("file", type=Path)
        parser.add_argument("--school", required=True, metavar="URN")
        parser.add_argument("--dry-run", action="store_true", help="check and count, write nothing")

    def handle(self, *args, kind: str, file: Path, school: str, dry_run: bool, **options):
        try:
            school_obj = School.objects.get(urn=school)
        except School.DoesNotExist:
            raise CommandError(f"No school with URN {school}.") from None
        try:
            table = read_table(file.read_bytes(), file.name)
        except OSError as error:
            raise CommandError(f"Cannot read {file}: {error.strerror}.") from None
        except UnreadableFile as error:
            raise CommandError(f"{file.name}: {error}") from None
        importer = importer_for(kind, table, school=school_obj, today=timezone.localdate())
        outcome = importer.run(table, dry_run=dry_run)
        if outcome.ignored_headers:
            self.stdout.write(f"Ignored columns: {', '.join(outcome.ignored_headers)}")
        if not outcome.ok:
            for problem in outcome.problems:
                self.stderr.write(str(problem))
            raise CommandError(
                f"{len(outcome.problems)} problem{'s' if len(outcome.problems) != 1 else ''}: "
                "nothing was imported."
            )
        for note in outcome.notes:
            self.stdout.write(note)
        verb = "Would import" if dry_run else "Imported"
        self.stdout.write(
            self.style.SUCCESS(
                f"{verb} {importer.label.lower()} for {school_obj}: {outcome.summary()}."
            )
        )

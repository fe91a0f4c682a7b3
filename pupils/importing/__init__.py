"""Importers for school MIS exports, shared by `manage.py import_data` and the web upload."""

import datetime as dt

from progress.models import School
from pupils.importing.base import Importer, Outcome, Problem
from pupils.importing.pupils import PupilImporter
from pupils.importing.reading import Table, UnreadableFile, read_table
from pupils.importing.school_data import (
    AssessmentImporter,
    AttendanceMarkImporter,
    AttendanceSummaryImporter,
    BehaviourImporter,
    InterventionImporter,
)
from pupils.importing.values import header_key
from pupils.models import ImportBatch

KINDS = {
    "pupils": "Pupils and characteristics",
    "attendance": "Attendance (register marks or period summaries)",
    "assessments": "Assessment results",
    "behaviour": "Behaviour incidents",
    "interventions": "Interventions",
}


def importer_for(kind: str, table: Table, *, school: School, today: dt.date) -> Importer:
    """The importer for `kind`; attendance files with a mark column are register marks."""
    if kind == "attendance":
        keys = {header_key(header) for header in table.headers}
        marks = keys & {header_key(h) for h in AttendanceMarkImporter.columns[3].headers}
        importer = AttendanceMarkImporter if marks else AttendanceSummaryImporter
    else:
        importer = {
            "pupils": PupilImporter,
            "assessments": AssessmentImporter,
            "behaviour": BehaviourImporter,
            "interventions": InterventionImporter,
        }[kind]
    return importer(school=school, today=today)


def read_batch(batch: ImportBatch) -> Table:
    """The table in an uploaded file kept until it is imported or discarded."""
    return read_table(bytes(batch.content), batch.filename)


def run_batch(batch: ImportBatch, table: Table, *, mapping: dict, today: dt.date, dry_run: bool):
    """Check (dry run) or import an uploaded file, read once into `table`, with `mapping`; an
    import closes the batch."""
    importer = importer_for(batch.kind, table, school=batch.school, today=today)
    outcome = importer.run(table, mapping=mapping, dry_run=dry_run)
    if outcome.ok and not dry_run:
        batch.close(ImportBatch.Status.IMPORTED, summary=f"{importer.label}: {outcome.summary()}")
    return importer, outcome


__all__ = [
    "KINDS", "Outcome", "Problem", "UnreadableFile", "importer_for", "read_batch", "read_table",
    "run_batch",
]  # fmt: skip

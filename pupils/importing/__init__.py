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


__all__ = ["KINDS", "Outcome", "Problem", "UnreadableFile", "importer_for", "read_table"]

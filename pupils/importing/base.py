"""What every importer shares: columns found by their usual headers, problems reported as
`row N, column C: what is wrong`, and all-or-nothing writing."""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, ClassVar

from django.db import transaction

from progress.models import School
from pupils.importing import values
from pupils.importing.reading import Table
from pupils.models import Pupil


@dataclass(frozen=True)
class Column:
    name: str
    label: str
    headers: tuple[str, ...]
    read: Callable[[str], Any]
    required: bool = True
    max_length: int = 100  # for text: the longest the field it fills can hold


@dataclass(frozen=True)
class Problem:
    row: int  # as a spreadsheet shows it: the header is row 1
    column: str
    message: str

    def __str__(self) -> str:
        return f"row {self.row}, column {self.column}: {self.message}"


@dataclass
class Record:
    row: int
    values: dict[str, Any]
    cells: dict[str, str]  # column name: header as the file has it, for messages


@dataclass
class Outcome:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    problems: list[Problem] = field(default_factory=list)
    ignored_headers: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # what else it changes, in words

    @property
    def ok(self) -> bool:
        return not self.problems

    def summary(self) -> str:
        return f"{self.created} created, {self.updated} updated, {self.unchanged} unchanged"


class Rollback(Exception):
    """Leaves `transaction.atomic` without writing: a dry run, or a problem found late."""


class Importer:
    kind: ClassVar[str]
    label: ClassVar[str]
    columns: ClassVar[list[Column]]

    def __init__(self, *, school: School, today: dt.date):
        self.school = school
        self.today = today

    # Mapping columns of the file to what the importer reads

    def default_mapping(self, headers: list[str]) -> dict[str, int | None]:
        """Each column's position in the file, found by its usual headers; None where absent."""
        keys = [values.header_key(header) for header in headers]
        mapping = {}
        for column in self.columns:
            wanted = {values.header_key(header) for header in column.headers}
            mapping[column.name] = next((i for i, key in enumerate(keys) if key in wanted), None)
        return mapping

    # Importing

    def run(self, table: Table, *, mapping: dict | None = None, dry_run: bool = False) -> Outcome:
        """Check every row, then write all of them, or nothing if any row has a problem."""
        mapping = mapping or self.default_mapping(table.headers)
        outcome = Outcome(
            ignored_headers=[
                header
                for index, header in enumerate(table.headers)
                if header and index not in mapping.values()
            ]
        )
        outcome.problems = self._missing_columns(table, mapping)
        if outcome.problems:
            return outcome
        records = self._read(table, mapping, outcome.problems)
        try:
            with transaction.atomic():
                self.apply(records, outcome)
                if outcome.problems or dry_run:
                    raise Rollback
        except Rollback:
            pass
        if outcome.problems:
            outcome.created = outcome.updated = outcome.unchanged = 0
            outcome.notes = []
        outcome.problems.sort(key=lambda problem: problem.row)
        return outcome

    def apply(self, records: list[Record], outcome: Outcome) -> None:
        """Check what needs the database, count and write; add to `outcome.problems` to refuse."""
        raise NotImplementedError

    def _missing_columns(self, table: Table, mapping: dict) -> list[Problem]:
        return [
            Problem(
                1,
                column.label,
                "no such column: the file needs one headed "
                + " or ".join(f'"{header}"' for header in column.headers[:3]),
            )
            for column in self.columns
            if column.required and mapping.get(column.name) is None
        ]

    def _read(self, table: Table, mapping: dict, problems: list[Problem]) -> list[Record]:
        """The rows whose every cell reads; a problem for each cell that does not."""
        records = []
        for row_number, row in enumerate(table.rows, start=2):
            if not any(cell.strip() for cell in row):
                continue
            record = Record(row_number, {}, {})
            problems_before = len(problems)
            for column in self.columns:
                index = mapping.get(column.name)
                if index is None:
                    continue
                header = table.headers[index] or column.label
                record.cells[column.name] = header
                try:
                    value = column.read(row[index])
                except ValueError as error:
                    problems.append(Problem(row_number, header, str(error)))
                    continue
                if isinstance(value, str) and len(value) > column.max_length:
                    message = f"is {len(value):,} characters long; at most {column.max_length}"
                    problems.append(Problem(row_number, header, message))
                    continue
                record.values[column.name] = value
            if len(problems) == problems_before:
                records.append(record)
        return records

    # Helpers for the kinds

    def problem(self, outcome: Outcome, record: Record, column: str, message: str) -> None:
        header = record.cells.get(column, column)
        outcome.problems.append(Problem(record.row, header, message))

    def upsert(self, outcome: Outcome, model, *, existing: dict, rows, fields: list[str]) -> None:
        """Create a `model` row for each (key, values) whose key is new; update `fields` where
        the values differ; count both, and the rows that were already as the file says."""
        new, changed = [], []
        for key, given in rows:
            instance = existing.get(key)
            if instance is None:
                new.append(model(school=self.school, **given))
                outcome.created += 1
                continue
            updates = {name: given[name] for name in fields if name in given}
            if any(getattr(instance, name) != value for name, value in updates.items()):
                for name, value in updates.items():
                    setattr(instance, name, value)
                changed.append(instance)
                outcome.updated += 1
            else:
                outcome.unchanged += 1
        model.objects.bulk_create(new, batch_size=2000)
        model.objects.bulk_update(changed, fields, batch_size=2000)

    def pupils_by_upn(self, records: list[Record], outcome: Outcome) -> dict[str, Pupil]:
        """The school's pupils named in the file; a problem for each UPN the school lacks."""
        upns = {record.values["upn"] for record in records if "upn" in record.values}
        pupils = {
            pupil.upn: pupil for pupil in Pupil.objects.filter(school=self.school, upn__in=upns)
        }
        for record in records:
            upn = record.values.get("upn")
            if upn and upn not in pupils:
                self.problem(
                    outcome,
                    record,
                    "upn",
                    f"no pupil with UPN {upn} at {self.school}: import pupils first",
                )
        return pupils

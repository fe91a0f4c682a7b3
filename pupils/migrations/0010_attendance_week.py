"""Each pupil's register marks counted a week at a time (`AttendanceWeek`), kept by the database.

Triggers on the marks' table add each mark written and take away each one changed or deleted,
however it is written: an import, the demo's bulk rows (COPY on PostgreSQL), a queryset's
`update()`, the admin. A deleted mark only takes away: it never makes a week's row, so deleting a
pupil (whose weeks go too) leaves nothing behind. The marks already held are counted once here.

The codes are the DfE's from 19 August 2024 (`pupils.attendance`), written out as they were when
the triggers were made, since a migration is history; `tests/pupils/test_attendance_week.py`
fails if the codes there and these part.
"""

import django.db.models.deletion
from django.db import migrations, models

NOT_POSSIBLE = ("#", "D", "Q", "X", "Y1", "Y2", "Y3", "Y4", "Y5", "Y6", "Y7", "Z")
ATTENDING = ("/", "B", "K", "L", "P", "V", "W", "\\")
LATE = ("L", "U")

MARKS, WEEKS = "pupils_attendancemark", "pupils_attendanceweek"
COUNTS = ["marks", "possible", "attended", "late", *(f"absent_{day}" for day in range(1, 8))]


def _one_of(code: str, codes) -> str:
    """`code` is one of `codes`, as comparisons: SQLite builds a table for an IN list each time
    a trigger runs, which made a mark's insert twelve times slower."""
    quoted = ("'" + value.replace("'", "''") + "'" for value in codes)
    return "(" + " OR ".join(f"{code} = {value}" for value in quoted) + ")"


def _week(date: str, vendor: str) -> str:
    """The Monday of `date`'s week."""
    if vendor == "postgresql":
        return f"date_trunc('week', {date})::date"
    return f"date({date}, 'weekday 0', '-6 days')"  # the Sunday on or after, less six days


def _weekday(date: str, vendor: str) -> str:
    """`date`'s ISO day of the week: 1 is Monday, 7 Sunday."""
    if vendor == "postgresql":
        return f"extract(isodow from {date})::integer"
    return f"((CAST(strftime('%w', {date}) AS integer) + 6) % 7 + 1)"


def _counts(row: str, vendor: str) -> list[str]:
    """What one mark adds to each of COUNTS, with `row` its columns' prefix ("NEW." or "")."""
    code, date = f"{row}code", f"{row}date"
    possible = f"NOT {_one_of(code, NOT_POSSIBLE)}"
    attended = _one_of(code, ATTENDING)
    absent = f"{possible} AND NOT {attended}"
    return [
        "1",
        f"CASE WHEN {possible} THEN 1 ELSE 0 END",
        f"CASE WHEN {attended} THEN 1 ELSE 0 END",
        f"CASE WHEN {_one_of(code, LATE)} THEN 1 ELSE 0 END",
        *(  # the day first: a mark is on one day, and its codes are then compared once
            f"CASE WHEN {_weekday(date, vendor)} = {day} THEN "
            f"CASE WHEN {absent} THEN 1 ELSE 0 END ELSE 0 END"
            for day in range(1, 8)
        ),
    ]


def _add(vendor: str) -> str:
    """Adds NEW to its week, making the week's row if it has none (SQLite: a mark at a time)."""
    columns = ", ".join(COUNTS)
    values = ", ".join(_counts("NEW.", vendor))
    added = ", ".join(f"{name} = {name} + excluded.{name}" for name in COUNTS)
    return (
        f"INSERT INTO {WEEKS} (school_id, pupil_id, week, {columns}) "
        f"VALUES (NEW.school_id, NEW.pupil_id, {_week('NEW.date', vendor)}, {values}) "
        f"ON CONFLICT (pupil_id, week) DO UPDATE SET {added};"
    )


def _take_away(vendor: str) -> str:
    """Takes OLD away from its week's row (SQLite: a mark at a time)."""
    taken = ", ".join(
        f"{name} = {name} - {count}"
        for name, count in zip(COUNTS, _counts("OLD.", vendor), strict=True)
    )
    return (
        f"UPDATE {WEEKS} SET {taken} "
        f"WHERE pupil_id = OLD.pupil_id AND week = {_week('OLD.date', vendor)};"
    )


def _grouped(rows: str, vendor: str) -> str:
    """`rows` (a table of marks) counted by pupil and week."""
    sums = ", ".join(f"SUM({count})" for count in _counts("", vendor))
    week = _week("date", vendor)
    return (
        f"SELECT school_id, pupil_id, {week} AS week, {sums} FROM {rows} "
        f"GROUP BY school_id, pupil_id, {week} ORDER BY school_id, {week}, pupil_id"
    )


def _add_all(rows: str, vendor: str) -> str:
    """Adds the marks of `rows` to their weeks, making the rows of weeks that have none."""
    columns = ", ".join(COUNTS)
    added = ", ".join(f"{name} = {WEEKS}.{name} + excluded.{name}" for name in COUNTS)
    return (
        f"INSERT INTO {WEEKS} (school_id, pupil_id, week, {columns}) {_grouped(rows, vendor)} "
        f"ON CONFLICT (pupil_id, week) DO UPDATE SET {added};"
    )


def _take_all_away(rows: str, vendor: str) -> str:
    """Takes the marks of `rows` away from their weeks."""
    columns = ", ".join(COUNTS)
    taken = ", ".join(f"{name} = {WEEKS}.{name} - gone.{name}" for name in COUNTS)
    return (
        f"UPDATE {WEEKS} SET {taken} FROM ({_grouped(rows, vendor)}) "
        f"AS gone (school_id, pupil_id, week, {columns}) "
        f"WHERE {WEEKS}.pupil_id = gone.pupil_id AND {WEEKS}.week = gone.week;"
    )


def statements(vendor: str) -> list[str]:
    """The triggers, then the marks already held counted. PostgreSQL counts each statement's
    marks at once, from its transition tables (a COPY of a term's registers is one statement);
    SQLite, which has no such tables, counts a mark at a time."""
    if vendor == "postgresql":
        changes = {
            "insert": _add_all("added", vendor),
            "update": _take_all_away("removed", vendor) + " " + _add_all("added", vendor),
            "delete": _take_all_away("removed", vendor),
        }
        tables = {
            "insert": "NEW TABLE AS added",
            "update": "OLD TABLE AS removed NEW TABLE AS added",
            "delete": "OLD TABLE AS removed",
        }
        triggers = []
        for change, sql in changes.items():
            triggers += [
                f"CREATE FUNCTION {WEEKS}_{change}() RETURNS trigger LANGUAGE plpgsql AS $$ "
                f"BEGIN {sql} RETURN NULL; END $$",
                f"CREATE TRIGGER {WEEKS}_{change} AFTER {change.upper()} ON {MARKS} "
                f"REFERENCING {tables[change]} FOR EACH STATEMENT "
                f"EXECUTE FUNCTION {WEEKS}_{change}()",
            ]
    else:
        triggers = [
            f"CREATE TRIGGER {WEEKS}_insert AFTER INSERT ON {MARKS} BEGIN {_add(vendor)} END",
            f"CREATE TRIGGER {WEEKS}_update AFTER UPDATE ON {MARKS} "
            f"BEGIN {_take_away(vendor)} {_add(vendor)} END",
            f"CREATE TRIGGER {WEEKS}_delete AFTER DELETE ON {MARKS} BEGIN {_take_away(vendor)} END",
        ]
    columns = ", ".join(COUNTS)
    held = f"INSERT INTO {WEEKS} (school_id, pupil_id, week, {columns}) {_grouped(MARKS, vendor)}"
    return [*triggers, held]


def count_weeks(apps, schema_editor) -> None:
    for statement in statements(schema_editor.connection.vendor):
        schema_editor.execute(statement, params=None)


def drop_triggers(apps, schema_editor) -> None:
    for change in ("insert", "update", "delete"):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(f"DROP TRIGGER {WEEKS}_{change} ON {MARKS}", params=None)
            schema_editor.execute(f"DROP FUNCTION {WEEKS}_{change}()", params=None)
        else:
            schema_editor.execute(f"DROP TRIGGER {WEEKS}_{change}", params=None)


class Migration(migrations.Migration):
    dependencies = [
        ("progress", "0008_staff_role_school_required"),
        ("pupils", "0009_school_required"),
    ]

    operations = [
        migrations.CreateModel(
            name="AttendanceWeek",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("week", models.DateField()),
                *((name, models.PositiveIntegerField(default=0)) for name in COUNTS),
                ("pupil", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="+", to="pupils.pupil")),
                ("school", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="+", to="progress.school")),
            ],
            options={
                "indexes": [models.Index(fields=["school", "week"], name="pupils_atte_school__4695fd_idx")],
                "constraints": [models.UniqueConstraint(fields=("pupil", "week"), name="one_count_a_week")],
            },
        ),
        migrations.RunPython(count_weeks, drop_triggers),
    ]  # fmt: skip

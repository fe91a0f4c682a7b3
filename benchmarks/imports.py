"""How long 10,000-row imports take to validate and commit: `make benchmark`.

Runs against a throwaway database (SQLite in a temporary folder, or DATABASE_URL if set) so it
never touches the demo data.
"""

import datetime as dt
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
folder = tempfile.mkdtemp()
os.environ.setdefault("DATABASE_URL", f"sqlite:///{folder}/benchmark.sqlite3")
os.environ.setdefault("DEBUG", "1")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "progress.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402

from progress.models import AcademicYear, School  # noqa: E402
from pupils.domain import upn_check_letter  # noqa: E402
from pupils.importing import importer_for, read_table  # noqa: E402

ROWS = 10_000
TODAY = dt.date(2026, 11, 23)


def upn(n: int) -> str:
    body = f"99921010{n:04d}"
    return upn_check_letter(f"?{body}") + body


def pupil_row(n: int) -> str:
    year, sen = 7 + n % 5, n % 7 == 0
    born = f"2012-0{1 + n % 9}-1{n % 9}"
    census = f"{'K' if sen else 'N'},{'SPLD' if sen else ''},{'Y' if n % 4 == 0 else 'N'},N,N"
    return f"{upn(n)},Smith,Sam,{born},{year},{year}{'ABCDE'[n % 5]},{census}"


def timed(kind: str, school: School, text: str) -> None:
    started = time.perf_counter()
    table = read_table(text.encode(), f"{kind}.csv")
    outcome = importer_for(kind, table, school=school, today=TODAY).run(table)
    seconds = time.perf_counter() - started
    assert outcome.ok, outcome.problems[:5]
    print(f"{kind:12} {len(table.rows):>6,} rows  {seconds:5.2f} s  ({outcome.summary()})")


def main() -> None:
    call_command("migrate", verbosity=0)
    school = School.objects.create(
        name="Benchmark School",
        urn="999999",
        la_code="999",
        establishment_number="9999",
        phase="secondary",
    )
    AcademicYear.objects.create_standard(school=school, start_year=2026)
    header = "UPN,Surname,Forename,DOB,Year,Class,SEN Status,Primary Need,PP,FSM,EAL"
    rows = [pupil_row(n) for n in range(ROWS)]
    timed("pupils", school, "\n".join([header, *rows]))
    timed("pupils", school, "\n".join([header, *rows]))  # the same file again: all unchanged
    days = [
        TODAY - dt.timedelta(days=d)
        for d in range(1, 15)
        if (TODAY - dt.timedelta(days=d)).weekday() < 5
    ]
    marks = [
        f"{upn(n)},{day:%d/%m/%Y},{session},/"
        for n in range(ROWS // 20)
        for day in days
        for session in ("AM", "PM")
    ]
    timed("attendance", school, "\n".join(["UPN,Date,Session,Mark", *marks]))
    results = [
        f"{upn(n)},{subject},Autumn 2026,16/10/2026,GCSE grade,{n % 10 or 'U'},"
        for n in range(ROWS // 3)
        for subject in ("English", "Maths", "Science")
    ]
    timed(
        "assessments",
        school,
        "\n".join(["UPN,Subject,Assessment Point,Date,Scale,Result,Missed Topics", *results]),
    )


if __name__ == "__main__":
    main()

"""The facts a page reads come from one school's rows, through an index, on either database.

Each query the facts and criteria run is explained by the database itself: on PostgreSQL with
sequential scans priced out (`enable_seqscan = off`), so a plan that still scans a table whole has
no index it could use; on SQLite with `EXPLAIN QUERY PLAN`, where a whole-table read is a `SCAN`
of it. Every school's register marks, results and incidents sit in the same tables, so a query
that cannot narrow them by an index reads the whole trust's.
"""

import datetime as dt

import pytest
from django.db import connection

from pupils import criteria, facts
from pupils.models import Pupil
from tests.factories import AcademicYearFactory, full_pupil, pupil_with_a_pattern

pytestmark = pytest.mark.django_db

ON = dt.date(2026, 11, 23)

# The tables that grow with every school's day: a query reads them only through an index.
GROWING = [
    "pupils_attendancemark",
    "pupils_attendancesummary",
    "pupils_result",
    "pupils_missedtopic",
    "pupils_behaviourincident",
    "pupils_characteristics",
    "pupils_interventionplace",
]


def plans_of(read) -> list[tuple[str, str]]:
    """(SQL, its plan) for each query `read()` runs."""
    run = []

    def keep(execute, sql, params, many, context):
        run.append((sql, params))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(keep):
        read()
    explain = "EXPLAIN QUERY PLAN " if connection.vendor == "sqlite" else "EXPLAIN "
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL enable_seqscan = off")
        plans = []
        for sql, params in run:
            cursor.execute(explain + sql, params)
            plans.append((sql, "\n".join(" ".join(map(str, row)) for row in cursor.fetchall())))
    return plans


def whole_table_reads(plan: str) -> list[str]:
    if connection.vendor == "sqlite":
        # "SCAN pupils_result" reads it whole; "SCAN … USING INDEX" and "SEARCH" do not.
        return [
            table
            for table in GROWING
            if any(
                line.split("SCAN ", 1)[-1].split()[0] == table and "USING" not in line
                for line in plan.splitlines()
                if "SCAN " in line
            )
        ]
    return [table for table in GROWING if f"Seq Scan on {table} " in plan + " "]


@pytest.fixture
def school_pupils():
    """Two schools' pupils with every kind of fact: the plans read only the first school's."""
    year = AcademicYearFactory(start_year=2026)
    other = AcademicYearFactory(start_year=2026)
    for academic_year in (year, other):
        for _ in range(3):
            full_pupil(academic_year.school, academic_year)
        pupil_with_a_pattern(academic_year.school, academic_year)  # with register marks
    return Pupil.objects.filter(school=year.school)


@pytest.mark.parametrize(
    "read",
    [
        pytest.param(lambda p: facts.attendance_between(p, dt.date(2026, 9, 2), ON), id="marks"),
        pytest.param(lambda p: facts.attainment(p, on=ON), id="results"),
        pytest.param(lambda p: facts.attainment(p, on=ON, latest=3), id="latest results"),
        pytest.param(lambda p: facts.missed_topics(p, on=ON), id="missed topics"),
        pytest.param(lambda p: facts.behaviour(p, on=ON), id="behaviour"),
        pytest.param(lambda p: criteria.attendance(pupils=p, on=ON), id="attendance judged"),
        pytest.param(lambda p: criteria.reasons(pupils=p, on=ON), id="every criterion"),
    ],
)
def test_a_fact_reads_one_schools_rows_through_an_index(school_pupils, read):
    plans = plans_of(lambda: read(school_pupils))

    assert plans
    for sql, plan in plans:
        assert whole_table_reads(plan) == [], f"{sql}\n{plan}"


def test_the_facts_name_the_school_so_the_school_index_serves_them(school_pupils):
    """The register marks of a school's date range: the (school, date) index, not only the
    pupils' own, which a whole school's filter would visit pupil by pupil."""
    plans = plans_of(lambda: facts.attendance_between(school_pupils, dt.date(2026, 9, 2), ON))

    marks_sql = next(sql for sql, _ in plans if "pupils_attendancemark" in sql)
    assert '"pupils_attendancemark"."school_id" = (' in marks_sql.replace("`", '"')

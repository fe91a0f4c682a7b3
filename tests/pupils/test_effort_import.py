"""The assessments import's optional effort column: graded on its own scale, 1 (excellent) to 4
(a cause for concern), kept beside the result and never part of it."""

import pytest

from pupils.importing import importer_for, read_table
from pupils.models import Result
from tests.conftest import TODAY
from tests.factories import AcademicYearFactory, PupilFactory, valid_upn

pytestmark = pytest.mark.django_db

UPN = valid_upn("888123426950")
HEADER = "UPN,Subject,Assessment Point,Date,Scale,Result,Effort"


@pytest.fixture
def school():
    school = AcademicYearFactory(start_year=2026).school
    PupilFactory(school=school, upn=UPN)
    return school


def run(school, *rows: str, header: str = HEADER):
    text = "\n".join([header, *rows]) + "\n"
    table = read_table(text.encode(), "export.csv")
    return importer_for("assessments", table, school=school, today=TODAY).run(table)


def row(subject: str, effort: str, result: str = "EXS") -> str:
    return f"{UPN},{subject},Autumn 2026,16/10/2026,Primary teacher assessment,{result},{effort}"


def efforts() -> dict[str, int | None]:
    return dict(Result.objects.values_list("subject", "effort"))


def test_grades_are_read_as_numbers_or_words(school):
    outcome = run(
        school,
        row("Maths", "2"),
        row("Reading", "Excellent"),
        row("Writing", "4: a cause for concern"),
        row("Science", "3 - Inconsistent"),
        row("History", ""),
    )

    assert outcome.ok, outcome.problems
    assert efforts() == {"Maths": 2, "Reading": 1, "Writing": 4, "Science": 3, "History": None}


@pytest.mark.parametrize("header", ["Effort Grade", "Attitude to Learning", "ATL", "effort"])
def test_the_usual_headers_are_recognised(school, header):
    outcome = run(school, row("Maths", "1"), header=HEADER.replace("Effort", header))

    assert outcome.ok, outcome.problems
    assert efforts() == {"Maths": 1}


def test_a_bad_grade_is_a_problem_on_its_row_and_nothing_is_imported(school):
    outcome = run(school, row("Maths", "2"), row("Reading", "5"), row("Writing", "2: excellent"))

    scale = "(1 excellent, 2 good, 3 inconsistent, 4 a cause for concern) or those words"
    assert [str(problem) for problem in outcome.problems] == [
        f"row 3, column Effort: '5' is not an effort grade: use 1 to 4 {scale}",
        f"row 4, column Effort: '2: excellent' is not an effort grade: use 1 to 4 {scale}",
    ]
    assert not Result.objects.exists()


def test_a_later_file_updates_the_grade_and_one_without_the_column_keeps_it(school):
    run(school, row("Maths", "3"))

    changed = run(school, row("Maths", "2"))
    same = run(school, row("Maths", "2"))
    without = run(school, row("Maths", "", "WTS").removesuffix(","), header=HEADER[:-7])

    assert (changed.updated, same.unchanged, without.updated) == (1, 1, 1)
    result = Result.objects.get()
    assert (result.step.code, result.effort) == ("WTS", 2)


def test_a_blank_grade_in_a_file_with_the_column_clears_it(school):
    run(school, row("Maths", "3"))

    assert run(school, row("Maths", "")).updated == 1
    assert efforts() == {"Maths": None}

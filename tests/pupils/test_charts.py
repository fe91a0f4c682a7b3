import pytest

from pupils import charts
from pupils.facts import Attendance
from tests.factories import AcademicYearFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def half_terms():
    return list(AcademicYearFactory(start_year=2026).half_terms.all()[:3])


def test_half_terms_at_the_edge_stand_out_only_when_persistent_exactly(half_terms):
    rows = [
        (half_terms[0], Attendance(possible=200, attended=180)),  # 90.0%: persistent
        (half_terms[1], Attendance(possible=201, attended=181)),  # 90.049…%: not
    ]

    bars = charts.half_term_bars(rows, minimum=10)["bars"]

    assert [(bar.value, bar.alert) for bar in bars] == [("90.0%", True), ("90.05%", False)]


def test_a_half_term_just_begun_is_not_judged_and_says_so(half_terms):
    rows = [
        (half_terms[0], Attendance(possible=200, attended=192)),
        (half_terms[1], Attendance(possible=2, attended=0)),  # its first day, absent
    ]

    chart = charts.half_term_bars(rows, minimum=10)

    assert [bar.alert for bar in chart["bars"]] == [False, False]
    assert chart["label"].endswith("Autumn 2 2026/27 0.0% (only 2 of 10 sessions yet)")


def test_no_figures_no_chart():
    assert charts.half_term_bars([], minimum=10) is None

from decimal import Decimal

import pytest

from pupils.attendance import ATTENDING, NOT_POSSIBLE, Band, band, exact, parse_code, percentage

EDGES = [  # (attended, possible, band, as shown)
    (200, 200, Band.EXPECTED, "100.0"),
    (190, 200, Band.EXPECTED, "95.0"),  # 95.0% exactly is 95% or above
    (189, 199, Band.APPROACHING, "94.97"),  # 94.97…%: one place would say 95.0
    (181, 201, Band.APPROACHING, "90.05"),  # 90.049…%: one place would say 90.0
    (1801, 2000, Band.APPROACHING, "90.1"),  # 90.05% rounds away from the edge
    (180, 200, Band.PERSISTENT, "90.0"),  # at or below 90.0% is persistent absence
    (17999, 20000, Band.PERSISTENT, "89.995"),  # two places would still say 90.00
    (1001, 2000, Band.PERSISTENT, "50.1"),  # 50.05%: persistent, not severe
    (100, 200, Band.SEVERE, "50.0"),  # at or below 50.0% is severe absence
    (0, 10, Band.SEVERE, "0.0"),
]


@pytest.mark.parametrize(("attended", "possible", "expected", "shown"), EDGES)
def test_bands_are_judged_on_the_exact_figure(attended, possible, expected, shown):
    assert band(exact(attended, possible)) == expected


@pytest.mark.parametrize(("attended", "possible", "expected", "shown"), EDGES)
def test_the_figure_shown_never_lands_on_an_edge_its_band_is_not_on(
    attended, possible, expected, shown
):
    assert percentage(attended, possible) == Decimal(shown)
    assert str(percentage(attended, possible)) == shown


class TestPercentage:
    def test_rounds_half_up_to_one_place(self):
        assert percentage(172, 200) == Decimal("86.0")
        assert percentage(1, 3) == Decimal("33.3")
        assert percentage(2, 3) == Decimal("66.7")
        assert percentage(1801, 2000) == Decimal("90.1")  # 90.05 rounds up, out of the band

    def test_nothing_possible_is_no_figure(self):
        assert percentage(0, 0) is None
        assert exact(0, 0) is None


class TestCodes:
    @pytest.mark.parametrize("code", ["/", "\\", "L", "K", "V", "P", "W", "B"])
    def test_present_and_approved_activities_count_as_attending(self, code):
        assert parse_code(code) in ATTENDING

    @pytest.mark.parametrize("code", ["Q", "X", "Y1", "Y7", "D", "Z", "#"])
    def test_sessions_a_pupil_could_not_attend_are_not_possible(self, code):
        assert parse_code(code) in NOT_POSSIBLE

    @pytest.mark.parametrize("code", ["J1", "C1", "C2", "K", "Q", "y3", " m "])
    def test_reads_the_2024_codes_in_any_case(self, code):
        assert parse_code(code) == code.strip().upper()

    @pytest.mark.parametrize(
        ("code", "message"), [("H", "no longer used"), ("Y", "Y1 to Y7"), ("J", "J1")]
    )
    def test_refuses_codes_retired_in_2024(self, code, message):
        with pytest.raises(ValueError, match=message):
            parse_code(code)

    def test_refuses_an_unknown_code(self):
        with pytest.raises(ValueError, match="'A' is not a DfE register code"):
            parse_code("A")

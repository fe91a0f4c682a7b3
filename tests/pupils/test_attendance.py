from decimal import Decimal

import pytest

from pupils.attendance import ATTENDING, NOT_POSSIBLE, Band, band, parse_code, percentage


@pytest.mark.parametrize(
    ("percent", "expected"),
    [
        ("100.0", Band.EXPECTED),
        ("95.0", Band.EXPECTED),
        ("94.9", Band.APPROACHING),
        ("90.1", Band.APPROACHING),
        ("90.0", Band.PERSISTENT),  # at or below 90.0% is persistent absence
        ("50.1", Band.PERSISTENT),
        ("50.0", Band.SEVERE),  # at or below 50.0% is severe absence
        ("0.0", Band.SEVERE),
    ],
)
def test_bands_at_their_edges(percent, expected):
    assert band(Decimal(percent)) == expected


class TestPercentage:
    def test_rounds_half_up_to_one_place(self):
        assert percentage(172, 200) == Decimal("86.0")
        assert percentage(1, 3) == Decimal("33.3")
        assert percentage(2, 3) == Decimal("66.7")
        assert percentage(1801, 2000) == Decimal("90.1")  # 90.05 rounds up, out of the band

    def test_nothing_possible_is_no_figure(self):
        assert percentage(0, 0) is None


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

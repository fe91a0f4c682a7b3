import pytest
from django.core.exceptions import ValidationError

from pupils.domain import UPN_LETTERS, YearGroup, upn_check_letter, validate_upn


class TestUpn:
    @pytest.mark.parametrize(
        "upn",
        [
            "B801200005001",  # the DfE's worked example
            "N888123426200",
            "J888123422201",
            "A888123420211",
        ],
    )
    def test_accepts_a_upn_with_the_right_check_letter(self, upn):
        validate_upn(upn)

    def test_refuses_the_wrong_check_letter_and_names_the_right_one(self):
        with pytest.raises(ValidationError, match="should be B"):
            validate_upn("A801200005001")

    def test_a_temporary_upn_ends_in_a_letter_weighted_by_its_index(self):
        body = "80120000500"
        temporary = upn_check_letter(f"?{body}A") + body + "A"  # A counts 0, like a 0 digit
        assert upn_check_letter(temporary) == upn_check_letter(f"?{body}0")
        validate_upn(temporary)
        z_upn = upn_check_letter(f"?{body}Z") + body + "Z"
        zero_letter = UPN_LETTERS.index(upn_check_letter(f"?{body}0"))
        assert z_upn[0] == UPN_LETTERS[(zero_letter + 22 * 13) % 23]  # Z counts 22 at position 13
        validate_upn(z_upn)

    @pytest.mark.parametrize(
        "upn",
        [
            "B80120000500",  # 12 characters
            "B8012000050011",  # 14 characters
            "b801200005001",  # lower case
            "I801200005001",  # I is never a check letter
            "B8012000050O1",  # a letter inside the digits
            "B80120000500S",  # S is not in the alphabet
            "1801200005001",  # no check letter
        ],
    )
    def test_refuses_a_malformed_upn(self, upn):
        with pytest.raises(ValidationError, match="13 characters"):
            validate_upn(upn)


class TestYearGroup:
    @pytest.mark.parametrize(
        ("text", "year"),
        [
            ("R", YearGroup.RECEPTION),
            ("Reception", YearGroup.RECEPTION),
            ("rec", YearGroup.RECEPTION),
            ("6", YearGroup.YEAR_6),
            ("Year 6", YearGroup.YEAR_6),
            ("Y6", YearGroup.YEAR_6),
            (" year  11 ", YearGroup.YEAR_11),
            ("13", YearGroup.YEAR_13),
        ],
    )
    def test_parses_what_mis_exports_write(self, text, year):
        assert YearGroup.parse(text) == year

    @pytest.mark.parametrize("text", ["0", "14", "Year 0", "Nursery", "", "6A"])
    def test_refuses_what_is_not_a_year_group(self, text):
        with pytest.raises(ValueError, match="is not a year group"):
            YearGroup.parse(text)

    @pytest.mark.parametrize(
        ("year", "stage"),
        [
            (0, "EYFS"),
            (1, "KS1"),
            (2, "KS1"),
            (3, "KS2"),
            (6, "KS2"),
            (7, "KS3"),
            (9, "KS3"),
            (10, "KS4"),
            (11, "KS4"),
            (12, "Sixth form"),
            (13, "Sixth form"),
        ],
    )
    def test_key_stages(self, year, stage):
        assert YearGroup(year).key_stage == stage

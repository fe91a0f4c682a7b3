"""England's pupil identifiers and year groups, exactly as the DfE defines them."""

import datetime as dt
import re

from django.core.exceptions import ValidationError
from django.db import models

# The UPN check-letter alphabet: no I, O or S. A is 0, Z is 22.
UPN_LETTERS = "ABCDEFGHJKLMNPQRTUVWXYZ"
UPN_SHAPE = re.compile(rf"^[{UPN_LETTERS}]\d{{11}}[\d{UPN_LETTERS}]$")


def upn_check_letter(upn: str) -> str:
    """The letter that must begin `upn`, computed from its characters 2 to 13.

    Each character is weighted by its position (2 to 13): a digit counts as itself, a letter
    (the last character of a temporary UPN) as its place in the alphabet above.
    """
    total = sum(
        position * (int(char) if char.isdigit() else UPN_LETTERS.index(char))
        for position, char in enumerate(upn[1:13], start=2)
    )
    return UPN_LETTERS[total % 23]


def validate_upn(upn: str) -> None:
    if not UPN_SHAPE.match(upn):
        raise ValidationError(
            "A UPN is 13 characters: a check letter, 11 digits, then a digit or a letter "
            "(not I, O or S).",
            code="upn_shape",
        )
    if upn[0] != upn_check_letter(upn):
        raise ValidationError(
            f"The check letter of {upn} should be {upn_check_letter(upn)}: "
            "the UPN has been mistyped.",
            code="upn_check_letter",
        )


class YearGroup(models.IntegerChoices):
    RECEPTION = 0, "Reception"
    YEAR_1 = 1, "Year 1"
    YEAR_2 = 2, "Year 2"
    YEAR_3 = 3, "Year 3"
    YEAR_4 = 4, "Year 4"
    YEAR_5 = 5, "Year 5"
    YEAR_6 = 6, "Year 6"
    YEAR_7 = 7, "Year 7"
    YEAR_8 = 8, "Year 8"
    YEAR_9 = 9, "Year 9"
    YEAR_10 = 10, "Year 10"
    YEAR_11 = 11, "Year 11"
    YEAR_12 = 12, "Year 12"
    YEAR_13 = 13, "Year 13"

    @property
    def key_stage(self) -> str:
        for last_year, stage in ((0, "EYFS"), (2, "KS1"), (6, "KS2"), (9, "KS3"), (11, "KS4")):
            if self.value <= last_year:
                return stage
        return "Sixth form"

    @classmethod
    def parse(cls, text: str) -> "YearGroup":
        """Read a year group as MIS exports write it: "R", "Reception", "6", "Year 6", "Y6"."""
        cleaned = re.sub(r"[\s_-]+", "", text).lower()
        if cleaned in {"r", "rec", "reception", "yr", "yearr"}:
            return cls.RECEPTION
        number = re.fullmatch(r"(?:year|yr|y|ncyear)?(\d{1,2})", cleaned)
        if number and 1 <= int(number.group(1)) <= 13:
            return cls(int(number.group(1)))
        raise ValueError(f"{text!r} is not a year group (Reception, or Year 1 to Year 13)")


class Effort(models.IntegerChoices):
    """How a pupil engages, graded on its own scale: never part of attainment or progress.
    1 is the best, as most schools' effort grades run."""

    EXCELLENT = 1, "1: excellent"
    GOOD = 2, "2: good"
    INCONSISTENT = 3, "3: inconsistent"
    CONCERN = 4, "4: a cause for concern"


class SenProvision(models.TextChoices):
    NONE = "N", "No special educational need"
    SEN_SUPPORT = "K", "SEN support"
    EHC_PLAN = "E", "EHC plan"


class SenNeed(models.TextChoices):
    """Primary and secondary need types from the school census."""

    SPLD = "SPLD", "Specific learning difficulty"
    MLD = "MLD", "Moderate learning difficulty"
    SLD = "SLD", "Severe learning difficulty"
    PMLD = "PMLD", "Profound and multiple learning difficulty"
    SEMH = "SEMH", "Social, emotional and mental health"
    SLCN = "SLCN", "Speech, language and communication needs"
    HI = "HI", "Hearing impairment"
    VI = "VI", "Visual impairment"
    MSI = "MSI", "Multi-sensory impairment"
    PD = "PD", "Physical disability"
    ASD = "ASD", "Autistic spectrum disorder"
    OTH = "OTH", "Other difficulty or disability"
    NSA = "NSA", "SEN support but no specialist assessment of type of need"


def age_in_months(born: dt.date, on: dt.date) -> int:
    """Whole months of age on `on`: a month is gained on the day of the month one was born."""
    return (on.year - born.year) * 12 + on.month - born.month - (on.day < born.day)

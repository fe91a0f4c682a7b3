"""Register codes as the DfE defines them from 19 August 2024, and the bands built on them.

Attendance % = sessions attended (present, late before registers closed, or at an approved
educational activity off site) ÷ possible sessions. Codes for days a pupil could not or need not
attend (Q, X, Y1–Y7, D, Z, #) are not possible sessions.
"""

from decimal import ROUND_HALF_UP, Decimal

from django.db import models

PRESENT = frozenset({"/", "\\", "L"})
APPROVED_EDUCATIONAL_ACTIVITY = frozenset({"K", "V", "P", "W", "B"})
ATTENDING = PRESENT | APPROVED_EDUCATIONAL_ACTIVITY
AUTHORISED_ABSENCE = frozenset({"C", "C1", "C2", "E", "I", "J1", "M", "R", "S", "T"})
UNAUTHORISED_ABSENCE = frozenset({"G", "N", "O", "U"})
ABSENT = AUTHORISED_ABSENCE | UNAUTHORISED_ABSENCE
NOT_POSSIBLE = frozenset({"D", "Q", "X", "Y1", "Y2", "Y3", "Y4", "Y5", "Y6", "Y7", "Z", "#"})
LATE = frozenset({"L", "U"})
CODES = ATTENDING | ABSENT | NOT_POSSIBLE
RETIRED = {
    "H": "H (agreed holiday) is no longer used since August 2024: use C or G",
    "Y": "Y is no longer used since August 2024: use one of Y1 to Y7",
    "J": "J (interview) is no longer used since August 2024: use J1",
    "F": "F (extended family holiday) is no longer used: use G, or C in exceptional circumstances",
}

PERSISTENT_ABSENCE = Decimal("90.0")
SEVERE_ABSENCE = Decimal("50.0")
APPROACHING_ABSENCE = Decimal("95.0")


def parse_code(text: str) -> str:
    """A register mark as the DfE writes it; raises ValueError naming what is wrong."""
    code = text.strip().upper()
    if code in RETIRED:
        raise ValueError(RETIRED[code])
    if code not in CODES:
        raise ValueError(f"{text.strip()!r} is not a DfE register code")
    return code


def percentage(attended: int, possible: int) -> Decimal | None:
    """Attendance to one decimal place, as schools report it; None when nothing was possible."""
    if not possible:
        return None
    return (Decimal(100 * attended) / possible).quantize(Decimal("0.1"), ROUND_HALF_UP)


class Band(models.TextChoices):
    SEVERE = "severe", "Severe absence"
    PERSISTENT = "persistent", "Persistent absence"
    APPROACHING = "approaching", "Approaching persistent absence"
    EXPECTED = "expected", "95% or above"


def band(percent: Decimal) -> Band:
    """Severe at or below 50.0%, persistent at or below 90.0%, approaching below 95.0%."""
    if percent <= SEVERE_ABSENCE:
        return Band.SEVERE
    if percent <= PERSISTENT_ABSENCE:
        return Band.PERSISTENT
    if percent < APPROACHING_ABSENCE:
        return Band.APPROACHING
    return Band.EXPECTED

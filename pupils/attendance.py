"""Register codes as the DfE defines them from 19 August 2024, and the bands built on them.

Attendance % = sessions attended (present, late before registers closed, or at an approved
educational activity off site) ÷ possible sessions. Codes for days a pupil could not or need not
attend (Q, X, Y1–Y7, D, Z, #) are not possible sessions.
"""

import math
from decimal import Decimal
from fractions import Fraction

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

# The bands' edges, in per cent, as the DfE defines them: at or below 90 is persistent absence,
# at or below 50 severe, below 95 approaching persistent absence.
SEVERE_ABSENCE = Fraction(50)
PERSISTENT_ABSENCE = Fraction(90)
APPROACHING_ABSENCE = Fraction(95)
EDGES = (SEVERE_ABSENCE, PERSISTENT_ABSENCE, APPROACHING_ABSENCE)
MOST_PLACES = 6  # enough to tell any count of sessions a school records from an edge


def parse_code(text: str) -> str:
    """A register mark as the DfE writes it; raises ValueError naming what is wrong."""
    code = text.strip().upper()
    if code in RETIRED:
        raise ValueError(RETIRED[code])
    if code not in CODES:
        raise ValueError(f"{text.strip()!r} is not a DfE register code")
    return code


def exact(attended: int, possible: int) -> Fraction | None:
    """Attendance as an exact percentage, never rounded: what bands and drops are judged on.
    None when nothing was possible."""
    return Fraction(100 * attended, possible) if possible else None


def percentage(attended: int, possible: int) -> Decimal | None:
    """Attendance as shown: to one decimal place, as schools report it, or to as many more as it
    takes not to land on the edge of a band the exact figure is not on. 181 of 201 sessions is
    90.05%, not 90.0% (which would read as persistent absence); 189 of 199 is 94.97%, not 95.0%.
    For display only: judge on `exact`."""
    figure = exact(attended, possible)
    if figure is None:
        return None
    for places in range(1, MOST_PLACES + 1):
        shown = _rounded(figure, places)
        if Fraction(shown) not in EDGES or Fraction(shown) == figure:
            break
    return shown


def _rounded(figure: Fraction, places: int) -> Decimal:
    """`figure` rounded half up to `places` decimal places, exactly."""
    scaled = math.floor(figure * 10**places + Fraction(1, 2))
    return Decimal(scaled).scaleb(-places)


class Band(models.TextChoices):
    SEVERE = "severe", "Severe absence"
    PERSISTENT = "persistent", "Persistent absence"
    APPROACHING = "approaching", "Approaching persistent absence"
    EXPECTED = "expected", "95% or above"


PERSISTENT_OR_SEVERE = frozenset({Band.PERSISTENT, Band.SEVERE})


def band(percent: Fraction) -> Band:
    """Severe at or below 50%, persistent at or below 90%, approaching below 95%, judged on the
    exact figure (`exact`): 181 of 201 sessions (90.049…%) is not persistent absence."""
    if percent <= SEVERE_ABSENCE:
        return Band.SEVERE
    if percent <= PERSISTENT_ABSENCE:
        return Band.PERSISTENT
    if percent < APPROACHING_ABSENCE:
        return Band.APPROACHING
    return Band.EXPECTED

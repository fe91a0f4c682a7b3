"""The standard purposes of a pupil progress meeting, from the guidance Progress follows.

Each focus names the shortlist criteria that bring a pupil forward for it, whom it narrows to,
and the roles who should be in the room. A leader may also write their own focus; then every
criterion counts.
"""

from dataclasses import dataclass

from django.db import models

from progress.models import Role
from pupils.criteria import Criterion


class Focus(models.TextChoices):
    AT_RISK = "at_risk", "Pupils at risk of falling behind (reading, writing, maths)"
    INTERVENTIONS = "interventions", "Impact of recent interventions"
    DISADVANTAGED = "disadvantaged", "Progress of disadvantaged pupils"
    SEND = "send", "Pupils with SEND accessing the curriculum"
    BELOW_EXPECTED = "below_expected", "Pupils below the expected standard"
    EXAM_READINESS = "exam_readiness", "Exam readiness (Year 11, Year 13)"
    ATTENDANCE = "attendance", "Attendance affecting progress"
    COASTING = "coasting", "Pupils coasting despite meeting expected standards"
    BEHAVIOUR = "behaviour", "Behaviour blocking learning"
    OWN = "own", "Our own focus (in our words)"


@dataclass(frozen=True)
class Guide:
    criteria: tuple[Criterion, ...]
    roles: tuple[Role, ...] = ()
    only: str = ""  # a census characteristic the focus narrows to (pupils.models.CHARACTERISTICS)
    years: tuple[int, ...] = ()


GUIDES = {
    Focus.AT_RISK: Guide(
        (Criterion.BELOW_EXPECTED_CLOSE, Criterion.PROGRESS_SLOWED, Criterion.ATTENDANCE_DROPPED)
    ),
    Focus.INTERVENTIONS: Guide((Criterion.INTERVENTION_REVIEW,), (Role.SENCO,)),
    Focus.DISADVANTAGED: Guide(
        (
            Criterion.BELOW_EXPECTED_CLOSE,
            Criterion.PROGRESS_SLOWED,
            Criterion.ATTENDANCE_DROPPED,
            Criterion.DOING_WELL,
        ),
        (Role.PUPIL_PREMIUM_LEAD,),
        only="pupil_premium",
    ),
    Focus.SEND: Guide(
        (
            Criterion.SEND_PLAN_REVIEW,
            Criterion.PROGRESS_SLOWED,
            Criterion.BELOW_EXPECTED_CLOSE,
            Criterion.DOING_WELL,
        ),
        (Role.SENCO,),
        only="send",
    ),
    Focus.BELOW_EXPECTED: Guide((Criterion.BELOW_EXPECTED_CLOSE, Criterion.PROGRESS_SLOWED)),
    Focus.EXAM_READINESS: Guide(
        (
            Criterion.BELOW_EXPECTED_CLOSE,
            Criterion.PROGRESS_SLOWED,
            Criterion.ATTENDANCE_DROPPED,
            Criterion.COASTING,
        ),
        years=(11, 13),
    ),
    Focus.ATTENDANCE: Guide(
        (Criterion.ATTENDANCE_DROPPED, Criterion.ABSENCES_ON_DAYS), (Role.ATTENDANCE_LEAD,)
    ),
    Focus.COASTING: Guide((Criterion.COASTING, Criterion.DOING_WELL)),
    Focus.BEHAVIOUR: Guide(
        (Criterion.BEHAVIOUR_INCREASING, Criterion.ATTENDANCE_DROPPED), (Role.PASTORAL_LEAD,)
    ),
    Focus.OWN: Guide(tuple(Criterion)),
}

# Items a meeting of each length has room for, and above how many people the room gets large.
ITEM_CAP = {30: 4, 45: 6, 60: 8}
LARGE_ROOM = 7

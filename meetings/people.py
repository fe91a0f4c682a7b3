"""Who should come to a meeting, worked out: from its focus, its scope and the pupils on its
agenda, and from the school's size and phase. The guidance: who comes depends on the meeting's
purpose and the school's size; the line manager (head of year or department, phase leader)
usually leads; the teachers of the pupils discussed prepare their summaries and come; the SENCO
comes when several of the pupils have SEND; in a meeting of three or fewer the chair may record.
"""

import datetime as dt

from meetings.focus import GUIDES, LARGE_ROOM, Focus
from meetings.models import pupils_of
from progress.models import Role, School, StaffRole
from pupils.domain import YearGroup
from pupils.models import Pupil

SENCO_FROM = 2  # pupils with SEND on the agenda from which the SENCO is suggested
SMALL_SCHOOL = 210  # pupils on roll: a one-form-entry primary school
CHAIR_MAY_RECORD = 3  # people at most in a meeting whose chair may record it too


def suggestions(
    *, school: School, focus: str, year_groups: list[int], subject: str, chosen: int
) -> list[str]:
    """Who the meeting needs, in words: the line manager of its scope, the roles its focus
    calls for, what the school's size means for the room, and whether the room is large.
    Two queries."""
    guide_roles = GUIDES[Focus(focus)].roles if focus in Focus.values else ()
    lines = (Role.HEAD_OF_YEAR, Role.PHASE_LEADER, Role.HEAD_OF_DEPARTMENT)
    holders: dict[Role, list] = {}
    for staff_role in StaffRole.objects.filter(
        school=school, user__is_active=True, role__in=[*guide_roles, *lines]
    ).select_related("user"):
        holders.setdefault(Role(staff_role.role), []).append(staff_role.user)
    notes = [_line_manager(holders, school=school, year_groups=year_groups, subject=subject)]
    for role in guide_roles:
        names = ", ".join(user.display_name for user in holders.get(role, [])) or (
            "nobody has this role yet"
        )
        title = role.label if role.label.isupper() else role.label.lower()  # "SENCO" stays
        notes.append(f"This focus needs the {title} in the room: {names}.")
    on_roll = school.pupils.filter(date_left__isnull=True).count()
    if on_roll < SMALL_SCHOOL:
        notes.append(
            f"With {on_roll} pupil{'' if on_roll == 1 else 's'} on roll, the headteacher or a "
            "senior leader often chairs, with the class teachers of the pupils discussed: a "
            "small room is enough."
        )
    notes.append(
        "The teachers of the pupils on the agenda are invited when the pupils are chosen, to "
        "prepare their summaries."
    )
    if chosen > LARGE_ROOM:
        notes.append(
            f"{chosen} people is a large room for a pupil progress meeting: "
            "invite only those who will act on what is decided."
        )
    return [note for note in notes if note]


def _line_manager(holders: dict, *, school: School, year_groups: list[int], subject: str) -> str:
    """The line manager who usually leads a meeting of this scope, in words ("" without one)."""
    if subject:
        heads = [
            user
            for user in holders.get(Role.HEAD_OF_DEPARTMENT, [])
            if user.remit_subject.lower() == subject.lower()
        ]
        return _usually_leads(heads, f"head of {subject.lower()}", subject)
    if not year_groups:
        return ""
    primary = school.phase == School.Phase.PRIMARY
    role = Role.PHASE_LEADER if primary else Role.HEAD_OF_YEAR
    leads = [
        user for user in holders.get(role, []) if set(year_groups) & set(user.remit_year_groups)
    ]
    years = ", ".join(YearGroup(year).label for year in sorted(year_groups))
    return _usually_leads(leads, "phase leader" if primary else "head of year", years)


def _usually_leads(people: list, title: str, scope: str) -> str:
    if not people:
        return f"The line manager usually leads: nobody is {title} for {scope} yet."
    names = " or ".join(user.display_name for user in people)
    return f"The line manager usually leads: {names} ({title}, {scope})."


def send_pupils(items: list, *, on: dt.date) -> int:
    """How many pupils on the agenda have SEND (SEN support or an EHC plan). One query."""
    ids = [pupil.pk for pupil in pupils_of(items)]
    return Pupil.objects.filter(pk__in=ids).with_characteristic("send", on=on).count()


def senco_to_invite(meeting, items: list, *, on: dt.date) -> tuple[int, list]:
    """(pupils with SEND on the agenda, the school's SENCOs not coming) when two or more of the
    pupils have SEND and a SENCO is not coming yet; (n, []) otherwise."""
    send = send_pupils(items, on=on) if items else 0
    if send < SENCO_FROM:
        return send, []
    coming = {attendee.user_id for attendee in meeting.attendees.all()}
    sencos = StaffRole.objects.filter(
        school=meeting.school_id, user__is_active=True, role=Role.SENCO
    ).select_related("user")
    return send, [staff.user for staff in sencos if staff.user_id not in coming]

"""A trust at the size of a real one, for measuring Progress at scale: `manage.py seed_trust`.

Fifty schools by default, twenty primaries of about 210 pupils and thirty secondaries of about
1,200 (some 40,000 pupils), each built like the ordinary demo's schools (`pupils.demo`,
`pupils.demo_data`: names, UPNs with their check letters, census records, register marks this
school year, results, behaviour, interventions), then a year and a term of meetings: every
half-term, each year group's meetings on attainment, attendance and behaviour, closed, with their
actions (over 100,000 in all) in every state, and one meeting coming up in each school.

Everything comes from random streams keyed by the seed and the school, so the same seed gives the
same trust. The bulk rows go in without model methods (`bulk_create`, COPY on PostgreSQL): each
table is filled in one place below, so a column added to it is added once.
"""

import datetime as dt
import random
from collections.abc import Iterator

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.test.utils import override_settings
from django.utils import timezone

from actions.models import (
    KIND_FOR_BARRIER,
    Action,
    ActionPupil,
    BarrierCategory,
    Kind,
    Review,
    Supporter,
)
from meetings.agenda import Section
from meetings.focus import Focus
from meetings.models import Attendee, Item, ItemPupil, Meeting, SectionTime, Summary
from progress import demo as organisation
from progress.demo import Timeline
from progress.models import AcademicYear, HalfTerm, Role, School, StaffRole, Trust, User
from pupils import demo as pupils_demo
from pupils import demo_data
from pupils.models import Pupil

TRUST = "Northgate Schools Trust"
SCHOOLS = 50
# URNs 980001 to 980050, kept apart from the ordinary demo's (999101, 999102).
FIRST_URN = 980001
PER_FORM = 31  # a form's size before a few places are left empty (pupils.demo.load_school)
PLACES = [
    "Ashby", "Beckford", "Calder", "Dunmore", "Elmstead", "Fairholme", "Glenwood", "Hartley",
    "Ingleby", "Kingsmead", "Langley", "Marston", "Northfield", "Oakridge", "Pennington",
    "Queensbury", "Redbrook", "Southwold", "Thornbury", "Upton", "Valley Road", "Westcliffe",
    "Yarwood", "Abbeyfield", "Brambling", "Castleton", "Deanery", "Eastbrook", "Foxley",
    "Greenacre", "Highfield", "Ivydale", "Juniper Hill", "Kestrel", "Larkspur", "Millbrook",
    "Newlands", "Orchard", "Parkside", "Ravenscroft", "Sandhurst", "Tanfield", "Underwood",
    "Victoria", "Willowdene", "Alderman", "Birchwood", "Cedars", "Dovecote", "Emberton",
]  # fmt: skip
# The meetings each year group has every half-term, by phase.
FOCUSES = {
    School.Phase.PRIMARY: [Focus.AT_RISK, Focus.ATTENDANCE],
    School.Phase.SECONDARY: [Focus.AT_RISK, Focus.ATTENDANCE, Focus.BEHAVIOUR],
}
ITEMS = {School.Phase.PRIMARY: 8, School.Phase.SECONDARY: 10}  # pupils discussed a meeting
# What a meeting agrees for a pupil: (barrier category, barrier, action, how we will know).
PLANS = [
    (BarrierCategory.KNOWLEDGE, "Cannot yet add fractions with different denominators.",
     "Reteach equivalent fractions in two ten-minute pre-teach slots a week.",
     "A five-question check two days after the last slot."),
    (BarrierCategory.SKILL, "Loses the thread of multi-step problems at the second step.",
     "Model the bar method at the board; pupil talks through two problems a lesson.",
     "Two independent problems solved in the end-of-unit check."),
    (BarrierCategory.FLUENCY, "Times tables recall too slow for the written methods.",
     "Daily five-minute recall practice in registration.",
     "Recall check score up from the baseline."),
    (BarrierCategory.READING, "Decodes well but misses inference in longer texts.",
     "Small-group guided reading twice a week with inference questions.",
     "Reading assessment inference strand at the next point."),
    (BarrierCategory.ATTENDANCE, "Missing Mondays and Fridays since half-term.",
     "Attendance officer calls home on the first absence; weekly check-in with the tutor.",
     "Attendance over the next four weeks above 95%."),
    (BarrierCategory.BEHAVIOUR, "Removed from lessons after lunch most weeks.",
     "Meet and greet after lunch; a seat near the door and a planned first task.",
     "No removals in the next three weeks."),
    (BarrierCategory.CONFIDENCE, "Will not start writing without an adult beside them.",
     "A success checklist on the desk and a three-minute start before help.",
     "Two pieces started independently."),
    (BarrierCategory.WELLBEING, "Anxious since a change at home; quiet in lessons.",
     "Weekly check-in with the pastoral lead.",
     "Pupil voice at the review; teacher notes on participation."),
    (BarrierCategory.SEND, "Processing speed slows note-taking in every subject.",
     "Printed notes in every lesson; SENCO reviews the support plan.",
     "Work completion in three subjects."),
    (BarrierCategory.HOME, "Homework not handed in for six weeks.",
     "Homework club twice a week; call home to agree a routine.",
     "Homework handed in for three weeks running."),
]  # fmt: skip


# What a review found, as a review of that decision would: an action completed worked, one
# stopped did not, one continued helped a little or not yet.
IMPACT_OF = {
    Review.Decision.COMPLETED: (2, 1, 1),
    Review.Decision.STOP: (0, -1),
    Review.Decision.CONTINUE: (1, 0, 0),
}
WHAT_CHANGED = {
    2: "Met the expected standard in the check.",
    1: "Closer to the expected standard in the check.",
    0: "No change in the check yet.",
    -1: "Further from the expected standard in the check.",
}


def specs(count: int = SCHOOLS) -> list[dict]:
    """The trust's schools: three in five secondaries, the rest primaries."""
    schools = []
    for n in range(1, count + 1):
        secondary = n % 5 in (1, 3, 4)
        schools.append(
            {
                "number": n,
                "name": f"{PLACES[(n - 1) % len(PLACES)]} "
                + ("Academy" if secondary else "Primary School"),
                "urn": str(FIRST_URN + n - 1),
                "la_code": "980",
                "establishment_number": f"{(4000 if secondary else 2000) + n}",
                "phase": School.Phase.SECONDARY if secondary else School.Phase.PRIMARY,
                "domain": f"school{n:02d}.trust.example",
                "forms": [f"{year}{letter}" for year in range(7, 12) for letter in "ABCDEFGH"]
                if secondary
                else [f"{'R' if year == 0 else year}A" for year in range(7)],
            }
        )
    return schools


def trust_schools():
    return School.objects.filter(trust__name=TRUST)


def remove() -> None:
    """The trust and everything its schools hold. History is not written for what goes: it
    would be a row for each of a hundred thousand actions."""
    with override_settings(SIMPLE_HISTORY_ENABLED=False), transaction.atomic():
        for school in trust_schools():
            school.delete()
        Trust.objects.filter(name=TRUST).delete()


def load(*, seed: int, timeline: Timeline, schools: int = SCHOOLS, log=None) -> dict[str, int]:
    """Build the trust, a school a transaction; returns how many of each thing it made."""
    trust = Trust.objects.create(name=TRUST)
    password = make_password(organisation.PASSWORD)  # one hash for every account
    counts: dict[str, int] = {}
    for spec in specs(schools):
        with transaction.atomic():
            made = _load_school(trust, spec, seed=seed, timeline=timeline, password=password)
        for key, value in made.items():
            counts[key] = counts.get(key, 0) + value
        if log:
            log(f"{spec['name']}: {made['pupils']} pupils, {made['actions']} actions")
    counts["schools"] = schools
    return counts


def _load_school(trust, spec, *, seed, timeline, password) -> dict[str, int]:
    school = School.objects.create(
        trust=trust,
        **{key: spec[key] for key in ("name", "urn", "la_code", "establishment_number", "phase")},
    )
    for year in timeline.start_years:
        AcademicYear.objects.create_standard(school=school, start_year=year)
    staff = _staff(school, spec, random.Random(f"{seed}:{school.urn}:staff"), password)
    keys: dict[int, str] = {}
    pupils_demo.load_school(school, seed, timeline, keys, forms=spec["forms"], per_form=PER_FORM)
    demo_data.load_school(school, keys=keys, timeline=timeline)
    made = _meetings(school, staff, random.Random(f"{seed}:{school.urn}:meetings"), timeline)
    return {"staff": len(staff["all"]), "pupils": len(keys), **made}


def _staff(school, spec, rng, password) -> dict:
    """The named accounts (leader@schoolNN.trust.example and so on) and a tutor a form."""
    domain, forms = spec["domain"], spec["forms"]
    tutor = "Form tutor" if school.phase == School.Phase.SECONDARY else "Class teacher"
    people = [
        ("leader", "Senior leader (progress)", [Role.SENIOR_LEADER]),
        ("head", "Headteacher", [Role.SENIOR_LEADER]),
        ("senco", "SENCO", [Role.SENCO]),
        ("attendance", "Attendance lead", [Role.ATTENDANCE_LEAD]),
        ("pastoral", "Pastoral lead", [Role.PASTORAL_LEAD]),
        ("interventions", "Intervention lead", [Role.INTERVENTION_LEAD]),
        ("teacher", f"{tutor} ({forms[0]})", [Role.TEACHER]),
    ] + [(f"tutor.{form.lower()}", f"{tutor} ({form})", [Role.TEACHER]) for form in forms[1:]]
    used: set[str] = set()
    users = [
        User(
            email=f"{local}@{domain}",
            display_name=_new_name(rng, used),
            job_title=title,
            school=school,
            password=password,
        )
        for local, title, _ in people
    ]
    User.objects.bulk_create(users)
    StaffRole.objects.bulk_create(
        StaffRole(school=school, user=user, role=role)
        for user, (_, _, roles) in zip(users, people, strict=True)
        for role in roles
    )
    by_local = {local: user for user, (local, _, _) in zip(users, people, strict=True)}
    return {
        "all": users,
        "leader": by_local["leader"],
        "senco": by_local["senco"],
        "teachers": [
            u for u, (_, _, roles) in zip(users, people, strict=True) if Role.TEACHER in roles
        ],
    }


def _new_name(rng: random.Random, used: set[str]) -> str:
    while True:
        name = f"{rng.choice(organisation.FIRST_NAMES)} {rng.choice(organisation.SURNAMES)}"
        if name not in used:
            used.add(name)
            return name


def _at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=timezone.get_current_timezone())


def _meetings(school, staff, rng, timeline) -> dict[str, int]:
    """Every half-term since last September, four school weeks in, a meeting for each year
    group on each of its phase's focuses, closed, with two or three actions a pupil discussed;
    and one meeting coming up, its pupils chosen."""
    today = timeline.today
    youngest = 0 if school.phase == School.Phase.PRIMARY else 7
    cohorts: dict[int, list[Pupil]] = {}
    for pupil in Pupil.objects.filter(school=school).order_by("pk"):
        cohorts.setdefault(pupil.year_group, []).append(pupil)
    leader, senco, teachers = staff["leader"], staff["senco"], staff["teachers"]
    meetings, plans = [], []  # plans: (meeting, the pupils it discusses, a group of them or [])
    half_terms = HalfTerm.objects.filter(school=school).select_related("academic_year")
    for half_term in half_terms.order_by("starts_on"):
        held = timeline.on_or_after(half_term.starts_on + dt.timedelta(weeks=4))
        if held >= today:
            continue
        years_ago = timeline.start_year - half_term.academic_year.starts_on.year
        for year_group, cohort in sorted(cohorts.items()):
            then = year_group - years_ago
            if then < youngest:
                continue
            for focus in FOCUSES[school.phase]:
                meeting = Meeting(
                    school=school, focus=focus, year_groups=[then], date=held,
                    purpose=f"Which Year {then} pupils need what next ({focus.label.lower()})?",
                    starts_at=dt.time(15, 45), length=45, place="Meeting room",
                    summaries_due=timeline.before(2, held), status=Meeting.Status.CLOSED,
                    agenda_sent_at=_at(timeline.before(5, held), 9),
                    started_at=_at(held, 15, 45), closed_at=_at(held, 16, 30),
                    section=Section.SHARE, live_version=20, created_by=leader,
                    difference="Each pupil discussed has one change in class this week, "
                    "owned by their teacher.",
                )  # fmt: skip
                chosen = rng.sample(cohort, min(len(cohort), ITEMS[school.phase]))
                group = rng.sample(cohort, min(len(cohort), 4)) if rng.random() < 0.25 else []
                meetings.append(meeting)
                plans.append((meeting, chosen, group))
    Meeting.objects.bulk_create(meetings, batch_size=1000)
    _attendees([(m, leader, senco, rng.choice(teachers)) for m in meetings])
    _section_times(meetings)
    items, group_items = [], []
    for meeting, chosen, group in plans:
        for position, pupil in enumerate(chosen, start=1):
            items.append((meeting, pupil, position))
        if group:
            group_items.append((meeting, group, len(chosen) + 1))
    made_items = _items(school, items, group_items, rng, teachers)
    actions, reviews = _actions(school, plans, rng, timeline, leader, senco, teachers)
    upcoming = _upcoming(school, cohorts, rng, timeline, leader, senco)
    return {
        "meetings": len(meetings) + upcoming,
        "items": made_items,
        "actions": actions,
        "reviews": reviews,
    }


def _attendees(rows: list[tuple]) -> None:
    """(meeting, chair, recorder, a teacher) for each closed meeting."""
    Attendee.objects.bulk_create(
        (
            Attendee(school=meeting.school, meeting=meeting, user=user, role=role)
            for meeting, chair, recorder, teacher in rows
            for user, role in (
                (chair, Attendee.Role.CHAIR),
                (recorder, Attendee.Role.RECORDER),
                (teacher, Attendee.Role.TEACHER),
            )
        ),
        batch_size=2000,
    )


def _section_times(meetings: list[Meeting]) -> None:
    """Nine minutes a section of each closed meeting."""
    SectionTime.objects.bulk_create(
        (
            SectionTime(
                school_id=meeting.school_id,
                meeting=meeting,
                section=section,
                started_at=meeting.started_at + dt.timedelta(minutes=9 * index),
                ended_at=meeting.started_at + dt.timedelta(minutes=9 * (index + 1)),
            )
            for meeting in meetings
            for index, section in enumerate(Section)
        ),
        batch_size=2000,
    )


def _items(school, items, group_items, rng, teachers) -> int:
    """Pupil items with their summaries (not prepared: the meetings are over), and group items
    with their pupils."""
    made = Item.objects.bulk_create(
        (
            Item(school=school, meeting=meeting, pupil=pupil, position=position,
                 reason="Below expected at the latest assessment point")
            for meeting, pupil, position in items
        ),
        batch_size=2000,
    )  # fmt: skip
    Summary.objects.bulk_create(
        (Summary(school=school, item=item, teacher=rng.choice(teachers)) for item in made),
        batch_size=2000,
    )
    groups = Item.objects.bulk_create(
        Item(school=school, meeting=meeting, group_name="Shared gap in fractions",
             position=position, reason="Missed the same questions at the latest point")
        for meeting, _, position in group_items
    )  # fmt: skip
    ItemPupil.objects.bulk_create(
        ItemPupil(school=school, item=item, pupil=pupil)
        for item, (_, members, _) in zip(groups, group_items, strict=True)
        for pupil in members
    )
    return len(made) + len(groups)


def _actions(school, plans, rng, timeline, leader, senco, teachers) -> tuple[int, int]:
    """Two or three actions a pupil discussed, one for each group. Those whose review date has
    passed were mostly reviewed: completed, stopped, or continued to a later date; the rest are
    overdue. Some have a supporting member of staff."""
    today = timeline.today
    actions, reviews = [], []
    for meeting, chosen, group in plans:
        subjects = [(pupil, "") for pupil in chosen for _ in range(rng.choice((2, 2, 3)))]
        subjects += [(None, "Shared gap in fractions")] if group else []
        for pupil, group_name in subjects:
            category, barrier, text, check = rng.choice(PLANS)
            owner = rng.choice(teachers)
            review_on = timeline.after(rng.randint(10, 30), meeting.date)
            started = timeline.after(rng.randint(2, 6), meeting.date)
            action = Action(
                school=school, meeting=meeting, pupil=pupil, group_name=group_name,
                barrier=barrier, barrier_category=category, text=text, impact_check=check,
                kind=KIND_FOR_BARRIER.get(category, Kind.CLASSROOM), owner=owner,
                review_on=review_on, start_check_on=timeline.after(3, meeting.date),
                started_on=started if started < today and rng.random() < 0.85 else None,
                created_by=senco, first_attempt=rng.random() < 0.8,
            )  # fmt: skip
            if action.start_check_on <= today:
                action.start_asked_on = action.start_check_on
            review = None
            if review_on < today:
                roll = rng.random()
                decision = (
                    Review.Decision.COMPLETED if roll < 0.35
                    else Review.Decision.STOP if roll < 0.5
                    else Review.Decision.CONTINUE if roll < 0.7
                    else None  # not reviewed yet: overdue
                )  # fmt: skip
                if decision:
                    impact = rng.choice(IMPACT_OF[decision])
                    review = Review(
                        school=school, happened=Review.Happened.YES, decision=decision,
                        what_changed=WHAT_CHANGED[impact], evidence=check, impact=impact,
                        stopped_because=Review.Stopped.NOT_WORKING
                        if decision == Review.Decision.STOP else "",
                        reviewed_by=owner, reviewed_at=_at(review_on, 16),
                    )  # fmt: skip
                    if decision == Review.Decision.COMPLETED:
                        action.status = Action.Status.COMPLETED
                    elif decision == Review.Decision.STOP:
                        action.status = Action.Status.STOPPED
                    else:
                        action.review_on = timeline.after(rng.randint(10, 25), review_on)
            actions.append((action, review, group))
    made = Action.objects.bulk_create((a for a, _, _ in actions), batch_size=2000)
    for action, (_, review, _) in zip(made, actions, strict=True):
        if review:
            review.action = action
            reviews.append(review)
    Review.objects.bulk_create(reviews, batch_size=2000)
    _action_people(
        [
            (action, group if action.group_name else [], _supporter(rng, teachers, action.owner))
            for action, (_, _, group) in zip(made, actions, strict=True)
        ]
    )
    return len(made), len(reviews)


def _supporter(rng, teachers, owner):
    if rng.random() < 0.25:
        return rng.choice([teacher for teacher in teachers if teacher != owner] or [owner])
    return None


def _action_people(rows: list[tuple]) -> None:
    """(action, its group's pupils, a supporting member of staff or None) for each action."""
    ActionPupil.objects.bulk_create(
        (
            ActionPupil(school_id=action.school_id, action=action, pupil=pupil)
            for action, pupils, _ in rows
            for pupil in pupils
        ),
        batch_size=2000,
    )
    Supporter.objects.bulk_create(
        (
            Supporter(school_id=action.school_id, action=action, user=supporter)
            for action, _, supporter in rows
            if supporter
        ),
        batch_size=2000,
    )


def _upcoming(school, cohorts, rng, timeline, leader, senco) -> int:
    """The eldest year group's next meeting, a week of school days ahead, through the meeting's
    own verbs: the leader chairs, the SENCO records, eight pupils chosen."""
    year_group = max(cohorts)
    meeting = Meeting.objects.create(
        school=school, focus=Focus.AT_RISK, year_groups=[year_group],
        purpose=f"Which Year {year_group} pupils need what next to reach the expected standard?",
        date=timeline.ahead(5), starts_at=dt.time(15, 45), length=60, place="Meeting room",
        summaries_due=timeline.ahead(3), created_by=leader,
    )  # fmt: skip
    meeting.set_attendees(chair=leader, recorder=senco, others=[])
    chosen = rng.sample(cohorts[year_group], min(len(cohorts[year_group]), 8))
    meeting.confirm_shortlist(
        by=leader,
        pupils=[(pupil, "Below expected at the latest assessment point") for pupil in chosen],
        groups=[],
        over_cap_reason="",
    )
    return 1


def logins(schools: int = SCHOOLS) -> Iterator[tuple[str, str]]:
    for spec in specs(schools)[:3]:
        for local, who in (("leader", "senior leader"), ("teacher", "teacher"), ("senco", "SENCO")):
            yield f"{local}@{spec['domain']}", f"{who} ({spec['name']})"

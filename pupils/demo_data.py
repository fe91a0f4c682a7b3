"""The demo trust's school data: assessments, attendance, behaviour and interventions.

Each pupil has a hidden "ability" per subject that drifts between assessment points, and an
absence rate, sometimes concentrated on Mondays and Fridays or rising this half-term, so that
every shortlist criterion has believable cases. Some cases are set by hand, whatever the seed:
a Year 6 pupil at Oakfield whose maths gaps match missed Mondays and Fridays (attendance near
86%), a group in his class who missed the same fractions questions, and classes where several
pupils missed the same science questions.

All of it is dated by the demo's timeline: up to today, on the demo schools' school days.
"""

import datetime as dt
import random

from django.db import connection

from progress.demo import Timeline
from progress.models import AcademicYear, HalfTerm, Role, School
from pupils.domain import SenProvision
from pupils.models import (
    AssessmentPoint,
    AttendanceMark,
    AttendanceSummary,
    BehaviourIncident,
    Characteristics,
    Group,
    Intervention,
    InterventionPlace,
    MissedTopic,
    Pupil,
    Result,
    Scale,
)

TOPICS = {
    "Maths": ["Fractions", "Place value", "Multi-step problems", "Ratio", "Algebra", "Geometry"],
    "Science": ["Variables and fair testing", "Forces", "Electric circuits", "Particles", "Cells"],
    "Reading": ["Inference", "Vocabulary", "Retrieval", "Summarising"],
    "English": ["Inference", "Analysing language", "Writing for purpose", "Spelling"],
    "Writing": ["Sentence structure", "Punctuation", "Paragraphing", "Spelling"],
}
FAIR_TESTING = "Variables and fair testing"
PRIMARY_BEHAVIOUR = [
    "Low-level disruption",
    "Refusal to follow instructions",
    "Unkind words",
    "Physical contact",
]
SECONDARY_BEHAVIOUR = [*PRIMARY_BEHAVIOUR, "Late to lesson", "Phone use", "Damage to property"]
SERIOUS = {"Physical contact", "Damage to property", "Refusal to follow instructions"}
PERIODS = {
    "P1": dt.time(9, 10),
    "P2": dt.time(10, 5),
    "P3": dt.time(11, 20),
    "P4": dt.time(12, 15),
    "Lunch": dt.time(12, 50),
    "P5": dt.time(14, 5),
}
SECONDARY_SUBJECTS = ["English", "Maths", "Science", "History", "Geography", "French", "PE", "Art"]
# Where a pupil's incidents cluster, when they do: after lunch most often, or at lunch itself.
HOT_PERIODS = ["P5", "P5", "P5", "Lunch", "P4", "P1"]
# Effort is graded with teacher assessments, not with tests or reading ages.
EFFORT_SCALES = {"Primary teacher assessment", "School steps", "GCSE grade"}


# Register marks cover this school year so far and at least the last six school weeks, crossing
# into last year when this one has only just begun, so that weekday patterns show from the first
# day of a year; older half-terms are kept as summaries, as many MIS export them.
RECENT_SCHOOL_DAYS = 30
# An assessment point needs three school weeks of teaching since the last one.
DAYS_BETWEEN_POINTS = 15


def load(*, keys: dict[int, str], timeline: Timeline) -> None:
    """Each pupil's data comes from random streams keyed by `keys` (the pupil's place in the
    school) and by what is drawn: a half-term's registers are the same whatever else the demo
    covers. Nothing is dated after today except intervention and SEND plan reviews."""
    for school in School.objects.filter(urn__in=["999101", "999102"]).order_by("urn"):
        load_school(school, keys=keys, timeline=timeline)
    _hand_made_cases(timeline)


def load_school(school: School, *, keys: dict[int, str], timeline: Timeline) -> None:
    """One school's assessments, registers, behaviour, interventions and SEND plan reviews, for
    its pupils (already loaded, each keyed in `keys`): the trust-sized demo uses it too."""
    pupils = list(Pupil.objects.filter(school=school).order_by("pk"))
    current = {
        c.pupil_id: c
        for c in Characteristics.objects.filter(
            school=school,
            academic_year__starts_on__lte=timeline.today,
            academic_year__ends_on__gte=timeline.today,
        )
    }
    ability = {
        pupil.pk: _ability(random.Random(f"{keys[pupil.pk]}:ability"), current.get(pupil.pk))
        for pupil in pupils
    }
    roll = _Roll(school, timeline)
    _assessments(school, keys, pupils, ability, timeline)
    _attendance(school, keys, pupils, roll, timeline)
    _behaviour(school, keys, pupils, roll, timeline)
    _interventions(school, keys, pupils, ability, roll, timeline)
    _send_plans(keys, current.values(), timeline)


class _Roll:
    """Which half-terms a school has registers for, and who was on its roll in each year."""

    def __init__(self, school: School, timeline: Timeline):
        self.timeline = timeline
        self.youngest = 0 if school.phase == School.Phase.PRIMARY else 7
        today, recent = timeline.today, timeline.before(RECENT_SCHOOL_DAYS)
        this_year = AcademicYear.objects.filter(school=school).containing(today).get()
        half_terms = HalfTerm.objects.filter(school=school, starts_on__lt=today).select_related(
            "academic_year"
        )
        self.marked = [
            h for h in half_terms if h.academic_year_id == this_year.pk or h.ends_on >= recent
        ]
        self.summarised = [h for h in half_terms if h.ends_on < today and h not in self.marked]
        self._days: dict[int, list[dt.date]] = {}

    def on_roll(self, pupil: Pupil, half_term: HalfTerm) -> bool:
        """Whether the pupil was at this school then: they move up a year each September."""
        years_ago = self.timeline.start_year - half_term.academic_year.starts_on.year
        return pupil.year_group - years_ago >= self.youngest

    def days(self, half_term: HalfTerm) -> list[dt.date]:
        """The half-term's school days before today."""
        if half_term.pk not in self._days:
            last = min(half_term.ends_on, self.timeline.today - dt.timedelta(days=1))
            self._days[half_term.pk] = [
                day
                for n in range((last - half_term.starts_on).days + 1)
                if (day := half_term.starts_on + dt.timedelta(days=n)).weekday() < 5
            ]
        return self._days[half_term.pk]


def _ability(rng, record) -> float:
    """A pupil's starting point: lower, on average, where the census shows disadvantage or SEND."""
    ability = rng.gauss(0.2, 1)
    if record:
        ability -= 0.3 * record.pupil_premium
        ability -= {SenProvision.SEN_SUPPORT: 0.9, SenProvision.EHC_PLAN: 1.7}.get(
            record.sen_provision, 0
        )
    return ability


def _points(school, timeline) -> list[AssessmentPoint]:
    """Up to three assessment points in each of last year and this year, spread over the school
    days each year has had so far, the latest a few days ago: none in the first weeks of a year,
    when last year's results carry the story."""
    years = {
        year.starts_on.year: year
        for year in AcademicYear.objects.filter(school=school)
        if year.starts_on.year <= timeline.start_year
    }
    points = []
    for start_year, year in sorted(years.items()):
        days = timeline.days_before_today(start_year)
        count = min(3, len(days) // DAYS_BETWEEN_POINTS)
        for n in range(1, count + 1):
            date = days[len(days) * n // count - 3]
            name = f"{date:%B %Y}"
            if any(point.name == name for point in points):
                name = f"{date:%-d %B %Y}"
            points.append(AssessmentPoint(school=school, academic_year=year, name=name, date=date))
    return AssessmentPoint.objects.bulk_create(points)


def _subjects(school: School, year_group: int) -> list[tuple[str, str]]:
    if school.phase == School.Phase.PRIMARY:
        if year_group == 0:
            return [(subject, "School steps") for subject in ("Reading", "Writing", "Maths")]
        subjects = [(s, "Primary teacher assessment") for s in ("Reading", "Writing", "Maths")]
        if year_group >= 3:
            subjects.append(("Reading age", "Reading age"))
        if year_group in (4, 5):
            subjects.append(("Science", "School steps"))
        if year_group == 6:
            subjects += [("Maths test", "KS2 scaled score"), ("Reading test", "KS2 scaled score")]
        return subjects
    scale = "GCSE grade" if year_group >= 10 else "School steps"
    return [(subject, scale) for subject in ("English", "Maths", "Science")]


def _assessments(school, keys, pupils, ability, timeline) -> None:
    points = _points(school, timeline)
    # Points come in date order, so the last one kept for each year is that year's last.
    last_of_year = set({point.academic_year_id: point.date for point in points}.values())
    latest_two = {point.date for point in points[-2:]}
    scales = {scale.name: scale for scale in Scale.objects.filter(school__isnull=True)}
    steps = {
        (step.scale_id, step.code): step.pk
        for scale in scales.values()
        for step in scale.steps.all()
    }
    results, topics = [], []
    for pupil in pupils:
        for subject, scale_name in _subjects(school, pupil.year_group):
            rng = random.Random(f"{keys[pupil.pk]}:{subject}")
            scale = scales[scale_name]
            level = ability[pupil.pk] + rng.gauss(0, 0.35)
            slips = rng.random() < 0.08  # progress slows at the latest point
            # Effort, graded with teacher assessments: a habit of the pupil's in the subject, on
            # a stream of its own so that the results stay as they were.
            graded = random.Random(f"{keys[pupil.pk]}:{subject}:effort")
            habit = graded.choices([1, 2, 3, 4], weights=[30, 45, 18, 7])[0]
            for index, point in enumerate(points):
                years_ago = timeline.start_year - point.date.year + (point.date.month < 9)
                year_group = pupil.year_group - years_ago
                level += rng.gauss(0.04, 0.1) - (0.7 if slips and index == len(points) - 1 else 0)
                if year_group < 0 or (subject, scale_name) not in _subjects(school, year_group):
                    continue
                if scale_name == "Reading age" and point.date not in last_of_year:
                    continue  # reading ages are tested at the last point of each year
                step = months = None
                if scale.kind == Scale.Kind.READING_AGE:
                    months = max(60, pupil.age_in_months_on(point.date) + round(14 * level))
                else:
                    term = 0 if point.date.month >= 9 else 1 if point.date.month <= 3 else 2
                    step = steps[(scale.pk, _code(scale_name, level, term))]
                effort = None
                if scale_name in EFFORT_SCALES:
                    effort = min(4, max(1, habit + graded.choice([-1, 0, 0, 0, 0, 1])))
                results.append(
                    (school.pk, pupil.pk, point.pk, subject, scale.pk, step, months, effort)
                )
                topic_list = TOPICS.get(subject.split()[0])
                if topic_list and level < -0.4 and point.date in latest_two:
                    for topic in rng.sample(topic_list, 2 if level < -1.2 else 1):
                        topics.append(((pupil.pk, point.pk, subject), topic))
    columns = [
        "school_id", "pupil_id", "point_id", "subject", "scale_id", "step_id", "months", "effort",
    ]  # fmt: skip
    _insert(Result, columns, results)
    ids = {
        (pupil, point, subject): pk
        for pk, pupil, point, subject in Result.objects.filter(school=school).values_list(
            "pk", "pupil_id", "point_id", "subject"
        )
    }
    MissedTopic.objects.bulk_create(
        (
            MissedTopic(school=school, result_id=ids[result], topic=topic)
            for result, topic in topics
        ),
        batch_size=2000,
    )


def _code(scale_name: str, level: float, term: int) -> str:
    if scale_name == "KS2 scaled score":
        return str(min(120, max(80, round(101 + 7.5 * level))))
    if scale_name == "GCSE grade":  # working-at grades rise through the year
        grade = min(9, max(0, round(3.8 + 1.7 * level + 0.35 * term)))
        return "U" if grade == 0 else str(grade)
    if scale_name == "School steps":
        cuts = [(-1.2, "EMERGING"), (-0.45, "DEVELOPING"), (1.15, "SECURE")]
        return next((code for cut, code in cuts if level < cut), "MASTERY")
    cuts = [(-2.1, "PKS"), (-0.55, "WTS"), (1.15, "EXS")]
    return next((code for cut, code in cuts if level < cut), "GDS")


def _subject(rng, primary: bool) -> str:
    return "Class" if primary else rng.choice(SECONDARY_SUBJECTS)


def _absence_profile(rng) -> tuple[float, bool, bool]:
    """(absence rate, concentrated on Mondays and Fridays?, rising this half-term?)"""
    roll = rng.random()
    rate = (
        rng.uniform(0.0, 0.05) if roll < 0.7
        else rng.uniform(0.05, 0.10) if roll < 0.86
        else rng.uniform(0.10, 0.22) if roll < 0.98
        else rng.uniform(0.35, 0.6)
    )  # fmt: skip
    return rate, rate > 0.05 and rng.random() < 0.3, rng.random() < 0.08


def _attendance(school, keys, pupils, roll, timeline) -> None:
    """Register marks for the half-terms `roll` marks; the others as half-term summaries."""
    latest = roll.marked[-1] if roll.marked else None
    marks, summaries = [], []
    for pupil in pupils:
        key = keys[pupil.pk]
        rate, weekday_pattern, rising = _absence_profile(random.Random(f"{key}:attendance"))
        for half_term in roll.marked:
            if not roll.on_roll(pupil, half_term):
                continue
            rng = random.Random(f"{key}:marks:{half_term.starts_on}")
            for day in roll.days(half_term):
                marks += _day_marks(
                    rng, school, pupil, day, rate, weekday_pattern, rising and half_term == latest
                )
        for half_term in roll.summarised:
            if not roll.on_roll(pupil, half_term):
                continue
            rng = random.Random(f"{key}:summary:{half_term.starts_on}")
            possible = 2 * len(roll.days(half_term))
            absent = min(possible, round(possible * max(0.0, rng.gauss(rate * 0.8, 0.015))))
            authorised = round(absent * 0.7)
            summaries.append(
                AttendanceSummary(
                    school=school, pupil=pupil,
                    starts_on=half_term.starts_on, ends_on=half_term.ends_on,
                    possible_sessions=possible, present_sessions=possible - absent,
                    authorised_absences=authorised, unauthorised_absences=absent - authorised,
                    lates=round(possible * rng.uniform(0, 0.03)),
                )
            )  # fmt: skip
    _insert(AttendanceMark, ["school_id", "pupil_id", "date", "session", "code"], marks)
    AttendanceSummary.objects.bulk_create(summaries, batch_size=2000)


def _insert(model, columns: list[str], rows: list[tuple]) -> None:
    """A term of registers is over a hundred thousand rows, a year's results tens of thousands:
    insert them without building model instances, which takes the demo from eight seconds to
    three."""
    table, names = model._meta.db_table, ", ".join(columns)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":  # COPY: PostgreSQL's fast path for many rows
            with cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            values = ", ".join(["%s"] * len(columns))
            cursor.executemany(f"INSERT INTO {table} ({names}) VALUES ({values})", rows)


def _day_marks(rng, school, pupil, day, rate, weekday_pattern, rising) -> list[tuple]:
    chance = rate * (2.5 if rising else 1)
    if weekday_pattern:
        chance *= 2.2 if day.weekday() in (0, 4) else 0.2
    if rng.random() < chance:
        code = rng.choices(["I", "O", "N", "G", "C", "M"], weights=[55, 12, 8, 10, 5, 10])[0]
        codes = ("M", "/") if code == "M" else (code, code)
    else:
        late = rng.random()
        codes = ("L" if late < 0.02 else "U" if late < 0.023 else "/", "\\")
    return [
        (school.pk, pupil.pk, day, session, code)
        for session, code in zip(("AM", "PM"), codes, strict=True)
    ]


def _behaviour(school, keys, pupils, roll, timeline) -> None:
    """Incidents on the school days the registers cover, rising over the last four weeks for a
    few pupils."""
    primary = school.phase == School.Phase.PRIMARY
    kinds = PRIMARY_BEHAVIOUR if primary else SECONDARY_BEHAVIOUR
    four_weeks_ago = timeline.today - dt.timedelta(weeks=4)
    incidents = []
    for pupil in pupils:
        key = keys[pupil.pk]
        profile = random.Random(f"{key}:behaviour")
        roll_of_dice = profile.random()
        monthly = 0.05 if roll_of_dice < 0.7 else 0.6 if roll_of_dice < 0.93 else 2.5
        monthly *= 1 if primary else 1.5
        rising = profile.random() < 0.05
        # Most pupils with many incidents have them in one lesson, one subject, at one time of
        # day: drawn from streams of their own, so that how many incidents and when stays put.
        hot = profile.choice(HOT_PERIODS) if roll_of_dice >= 0.7 and profile.random() < 0.7 else ""
        hot_subject = _subject(profile, primary)
        for half_term in roll.marked:
            if not roll.on_roll(pupil, half_term):
                continue
            rng = random.Random(f"{key}:behaviour:{half_term.starts_on}")
            where = random.Random(f"{key}:behaviour where:{half_term.starts_on}")
            for day in roll.days(half_term):
                per_day = monthly / 21 * (3 if rising and day >= four_weeks_ago else 1)
                if rng.random() >= per_day:
                    continue
                period, time = rng.choice(list(PERIODS.items()))
                kind = rng.choice(kinds)
                lesson = period != "Lunch"
                subject = _subject(rng, primary) if lesson else ""
                removed = lesson and kind in SERIOUS and rng.random() < 0.5
                if hot and where.random() < 0.65:
                    period, time = hot, PERIODS[hot]
                    subject = hot_subject if hot != "Lunch" else ""
                    removed = removed and hot != "Lunch"
                incidents.append(
                    BehaviourIncident(
                        school=school, pupil=pupil, date=day, time=time, lesson=period,
                        subject=subject, kind=kind, removed_from_lesson=removed,
                    )
                )  # fmt: skip
    BehaviourIncident.objects.bulk_create(incidents, batch_size=2000)


INTERVENTIONS = {
    School.Phase.PRIMARY: [
        # name, subject, year groups, places, school weeks since it started, review in (school
        # days; negative: overdue), ended (school days ago), what is measured
        ("Lexia reading", "Reading", (3, 4, 5, 6), 16, 10, 3, None, "reading age"),
        ("Year 6 maths boosters", "Maths", (6,), 10, 9, None, 12, "maths test"),
        ("NELI speech and language", "Language", (0,), 8, 8, 28, None, "NELI assessment"),
        ("ELSA emotional literacy", "Wellbeing", (2, 3, 4, 5), 6, 11, -2, None, "Boxall profile"),
    ],
    School.Phase.SECONDARY: [
        ("Year 7 literacy catch-up", "English", (7,), 14, 9, 4, None, "reading age"),
        ("Year 11 maths tutoring", "Maths", (11,), 12, 10, 15, None, "GCSE grade"),
        ("Attendance mentoring", "Attendance", (8, 9, 10), 10, 6, 2, None, "attendance"),
    ],
}


# What a programme costs the school, in pounds, where it records it: not every school does.
COSTS = {
    "Lexia reading": 1450,
    "Year 6 maths boosters": 2200,
    "ELSA emotional literacy": 1800,
    "Year 7 literacy catch-up": 1200,
    "Year 11 maths tutoring": 3600,
}


def _interventions(school, keys, pupils, ability, roll, timeline) -> None:
    """Each programme, led by the school's intervention lead, started some school weeks ago;
    one for the youngest pupils starts with their first school year, so it is not there until
    they have been in school for a while."""
    staff = school.staff.order_by("pk")
    lead = (
        staff.filter(staff_roles__role=Role.INTERVENTION_LEAD).first()
        or staff.filter(staff_roles__role=Role.TEACHER).first()
    )
    places = []
    for name, subject, years, count, weeks, review, ended, measure in INTERVENTIONS[school.phase]:
        if roll.youngest in years:  # they joined this year: it starts once they have settled
            weeks = min(weeks, len(timeline.days_before_today(timeline.start_year)) // 5)
        if weeks < 2:
            continue
        starts_on = timeline.before(5 * weeks)
        review_on = (
            None if review is None
            else timeline.after(review) if review > 0
            else timeline.before(-review)
        )  # fmt: skip
        intervention = Intervention.objects.create(
            school=school, name=name, subject=subject, lead=lead, review_on=review_on,
            cost=COSTS.get(name),
        )  # fmt: skip
        candidates = sorted(
            (p for p in pupils if p.year_group in years), key=lambda p: ability[p.pk]
        )
        ends_on = timeline.before(ended) if ended else None
        for index, pupil in enumerate(candidates[: count * 2 : 2]):
            rng = random.Random(f"{keys[pupil.pk]}:{name}")
            planned = weeks * 3
            measured = ends_on is not None and index % 2 == 0  # half left without an exit measure
            places.append(
                InterventionPlace(
                    school=school, intervention=intervention, pupil=pupil, starts_on=starts_on,
                    ends_on=ends_on, sessions_planned=planned,
                    sessions_attended=planned - rng.randint(0, planned // 4),
                    entry_measure=_measure(measure, rng, entry=True),
                    exit_measure=_measure(measure, rng, entry=False) if measured else "",
                    outcome="Met the exit target; back to class teaching." if measured else "",
                )
            )  # fmt: skip
    InterventionPlace.objects.bulk_create(places)


def _measure(measure: str, rng, *, entry: bool) -> str:
    bump = 0 if entry else 1
    match measure:
        case "reading age":
            return f"Reading age {rng.randint(7, 9) + bump}y {rng.randint(0, 11)}m"
        case "maths test":
            return f"Scaled score {rng.randint(88, 96) + 4 * bump}"
        case "GCSE grade":
            return f"Grade {rng.randint(2, 3) + bump}"
        case "attendance":
            return f"Attendance {rng.uniform(78, 89) + 5 * bump:.1f}%"
        case _:
            stage = "baseline" if entry else "review"
            return f"{measure.capitalize()}: {stage} score {rng.randint(8, 20) + 4 * bump}"


def _send_plans(keys, records, timeline) -> None:
    """This year's support plans: some reviews overdue, some not recorded, most coming up."""
    changed = []
    for record in records:
        if record.sen_provision != SenProvision.NONE:
            rng = random.Random(f"{keys[record.pupil_id]}:send plan")
            roll = rng.random()
            record.send_plan_review_on = (
                timeline.before(rng.randint(1, 28)) if roll < 0.3
                else None if roll < 0.45
                else timeline.after(rng.randint(7, 85))
            )  # fmt: skip
            changed.append(record)
    Characteristics.objects.bulk_update(changed, ["send_plan_review_on"])


def _hand_made_cases(timeline: Timeline) -> None:
    """The cases the demo must always show, whatever the seed and the date."""
    oakfield_6n = list(Group.objects.get(school__urn="999101", name="6N").pupils.order_by("pk"))
    tyler, fractions_group = oakfield_6n[0], oakfield_6n[1:7]
    Pupil.objects.filter(pk=tyler.pk).update(
        legal_forename="Tyler", legal_surname="Brennan", preferred_forename=""
    )
    _tyler_misses_mondays_and_fridays(tyler)
    # Maths: at the expected standard until the latest point, now working towards it, with
    # gaps in fractions; his KS2 practice test scores slide too.
    maths = list(
        Result.objects.filter(pupil=tyler, subject="Maths")
        .select_related("scale")
        .order_by("point__date")
    )
    exs, wts = (maths[0].scale.steps.get(code=code) for code in ("EXS", "WTS"))
    for result in maths:
        result.step = exs
    maths[-1].step = wts
    Result.objects.bulk_update(maths, ["step"])
    tests = list(Result.objects.filter(pupil=tyler, subject="Maths test").order_by("point__date"))
    for result, score in zip(tests, ["101", "99", "96"][3 - len(tests) :], strict=True):
        result.step = result.scale.steps.get(code=score)
    Result.objects.bulk_update(tests, ["step"])
    latest = maths[-1]
    MissedTopic.objects.filter(result=latest).delete()
    MissedTopic.objects.bulk_create(
        MissedTopic(school=latest.school, result=latest, topic=topic)
        for topic in ("Fractions", "Multi-step problems", "Place value")
    )
    # Six more pupils in 6N missed the same fractions questions: a group for the meeting.
    _missed_in_latest(fractions_group, "Maths", "Fractions")
    # Several pupils in one class missed the same science question on fair testing.
    for school_urn, group_name in (("999101", "5N"), ("999102", "8C")):
        group = Group.objects.get(school__urn=school_urn, name=group_name)
        _missed_in_latest(list(group.pupils.order_by("pk")), "Science", FAIR_TESTING, most=8)


def _tyler_misses_mondays_and_fridays(tyler: Pupil) -> None:
    """Attendance near 86%, every absence on a Monday or a Friday: both days of each half-term's
    first week, then a Monday or a Friday every other week. One absence in three is reported as
    illness, the rest are not explained."""
    marks = AttendanceMark.objects.filter(pupil=tyler)
    marks.filter(session="AM").update(code="/")
    marks.filter(session="PM").update(code="\\")
    half_terms = list(HalfTerm.objects.filter(school=tyler.school_id))
    absent = []
    for day in sorted(set(marks.values_list("date", flat=True))):
        half_term = next(h for h in half_terms if h.starts_on <= day <= h.ends_on)
        week, monday, friday = half_term.week_of(day), day.weekday() == 0, day.weekday() == 4
        if (week == 1 and monday) or (week % 4 == 3 and monday) or (week % 4 == 1 and friday):
            absent.append(day)
    marks.filter(date__in=absent).update(code="O")
    marks.filter(date__in=absent[::3]).update(code="I")


def _missed_in_latest(pupils: list[Pupil], subject: str, topic: str, *, most: int = 6) -> None:
    """`topic` missed in the latest result in `subject` of up to `most` of `pupils`."""
    latest = {}
    for result in Result.objects.filter(pupil__in=pupils, subject=subject).order_by("point__date"):
        latest[result.pupil_id] = result
    for result in list(latest.values())[:most]:
        MissedTopic.objects.get_or_create(school_id=result.school_id, result=result, topic=topic)

"""The demo trust's school data: assessments, attendance, behaviour and interventions.

Each pupil has a hidden "ability" per subject that drifts between assessment points, and an
absence rate, sometimes concentrated on Mondays and Fridays or rising this half-term, so that
every shortlist criterion has believable cases. Two cases are set by hand (CONTRACT.md, issue 3):
a Year 6 pupil at Oakfield whose maths gaps match missed Mondays and Fridays (attendance near
86%), and classes where several pupils missed the same science questions.
"""

import datetime as dt
import random

from django.db import connection

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


def load(*, rng: random.Random, today: dt.date) -> None:
    for school in School.objects.filter(urn__in=["999101", "999102"]).order_by("urn"):
        pupils = list(Pupil.objects.filter(school=school).order_by("pk"))
        characteristics = {
            c.pupil_id: c
            for c in Characteristics.objects.filter(
                school=school, academic_year__starts_on__lte=today
            ).order_by("academic_year__starts_on")
        }
        ability = {pupil.pk: _ability(rng, characteristics.get(pupil.pk)) for pupil in pupils}
        this_year, last_year = AcademicYear.objects.filter(school=school).order_by("-starts_on")[:2]
        _assessments(school, rng, pupils, ability, this_year, last_year, today)
        _attendance(school, rng, pupils, this_year, last_year, today)
        _behaviour(school, rng, pupils, this_year, today)
        _interventions(school, rng, pupils, ability, today)
        _send_plans(rng, characteristics.values(), today)
    _hand_made_cases(today)


def _ability(rng, record) -> float:
    """A pupil's starting point: lower, on average, where the census shows disadvantage or SEND."""
    ability = rng.gauss(0.2, 1)
    if record:
        ability -= 0.3 * record.pupil_premium
        ability -= {SenProvision.SEN_SUPPORT: 0.9, SenProvision.EHC_PLAN: 1.7}.get(
            record.sen_provision, 0
        )
    return ability


def _points(school, this_year, last_year, today) -> list[AssessmentPoint]:
    """Three assessment points last year and three so far this year."""
    days_in = max((today - this_year.starts_on).days, 42)
    dates = [last_year.starts_on + dt.timedelta(days=days) for days in (100, 195, 315)] + [
        this_year.starts_on + dt.timedelta(days=days_in * k // 3 - 7) for k in (1, 2, 3)
    ]
    points = []
    for date in dates:
        name = f"{date:%B %Y}"
        if any(point.name == name for point in points):
            name = f"{date:%-d %B %Y}"
        year = this_year if date >= this_year.starts_on else last_year
        points.append(AssessmentPoint(school=school, academic_year=year, name=name, date=date))
    return AssessmentPoint.objects.bulk_create(points)


def _subjects(school: School, year_group: int) -> list[tuple[str, str]]:
    if school.phase == School.Phase.PRIMARY:
        if year_group == 0:
            return [(subject, "School steps") for subject in ("Reading", "Writing", "Maths")]
        subjects = [(s, "Primary teacher assessment") for s in ("Reading", "Writing", "Maths")]
        if year_group >= 3:
            subjects.append(("Reading age", "Reading age"))
        if year_group == 5:
            subjects.append(("Science", "School steps"))
        if year_group == 6:
            subjects += [("Maths test", "KS2 scaled score"), ("Reading test", "KS2 scaled score")]
        return subjects
    scale = "GCSE grade" if year_group >= 10 else "School steps"
    return [(subject, scale) for subject in ("English", "Maths", "Science")]


def _assessments(school, rng, pupils, ability, this_year, last_year, today) -> None:
    points = _points(school, this_year, last_year, today)
    scales = {scale.name: scale for scale in Scale.objects.filter(school__isnull=True)}
    steps = {
        (step.scale_id, step.code): step for scale in scales.values() for step in scale.steps.all()
    }
    results, topics = [], []
    for pupil in pupils:
        for subject, scale_name in _subjects(school, pupil.year_group):
            scale = scales[scale_name]
            level = ability[pupil.pk] + rng.gauss(0, 0.35)
            slips = rng.random() < 0.08  # progress slows at the latest point
            for index, point in enumerate(points):
                year_group = pupil.year_group - (point.academic_year_id != this_year.pk)
                level += rng.gauss(0.04, 0.1) - (0.7 if slips and index == len(points) - 1 else 0)
                if year_group < 0 or (subject, scale_name) not in _subjects(school, year_group):
                    continue
                if scale_name == "Reading age" and index not in (2, len(points) - 1):
                    continue  # reading ages are tested twice a year
                result = Result(
                    school=school, pupil=pupil, point=point, subject=subject, scale=scale
                )
                if scale.kind == Scale.Kind.READING_AGE:
                    age = pupil.age_in_months_on(point.date)
                    result.months = max(60, age + round(14 * level))
                else:
                    result.step = steps[(scale.pk, _code(scale_name, level, index % 3))]
                results.append(result)
                topic_list = TOPICS.get(subject.split()[0])
                if topic_list and level < -0.4 and point.academic_year_id == this_year.pk:
                    for topic in rng.sample(topic_list, 2 if level < -1.2 else 1):
                        topics.append((result, topic))
    Result.objects.bulk_create(results, batch_size=2000)
    MissedTopic.objects.bulk_create(
        (MissedTopic(school=school, result=result, topic=topic) for result, topic in topics),
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


def _attendance(school, rng, pupils, this_year, last_year, today) -> None:
    """Register marks for this year so far; last year as half-term summaries."""
    half_terms = list(HalfTerm.objects.filter(school=school).order_by("starts_on"))
    current = [h for h in half_terms if h.academic_year_id == this_year.pk and h.starts_on < today]
    latest_start = current[-1].starts_on if current else today
    marks = []
    summaries = []
    for pupil in pupils:
        rate, weekday_pattern, rising = _absence_profile(rng)
        for half_term in current:
            day = half_term.starts_on
            while day <= min(half_term.ends_on, today - dt.timedelta(days=1)):
                if day.weekday() < 5:
                    marks += _day_marks(
                        rng,
                        school,
                        pupil,
                        day,
                        rate,
                        weekday_pattern,
                        rising and day >= latest_start,
                    )
                day += dt.timedelta(days=1)
        for half_term in (h for h in half_terms if h.academic_year_id == last_year.pk):
            possible = 2 * sum(
                (half_term.starts_on + dt.timedelta(n)).weekday() < 5
                for n in range((half_term.ends_on - half_term.starts_on).days + 1)
            )
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
    _insert_marks(marks)
    AttendanceSummary.objects.bulk_create(summaries, batch_size=2000)


def _insert_marks(marks: list[tuple]) -> None:
    """A term of registers is over a hundred thousand rows: insert them without building model
    instances, which takes the demo from eight seconds to three."""
    table, columns = AttendanceMark._meta.db_table, "school_id, pupil_id, date, session, code"
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":  # COPY: PostgreSQL's fast path for many rows
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for mark in marks:
                    copy.write_row(mark)
        else:
            cursor.executemany(
                f"INSERT INTO {table} ({columns}) VALUES (%s, %s, %s, %s, %s)", marks
            )


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


def _behaviour(school, rng, pupils, this_year, today) -> None:
    primary = school.phase == School.Phase.PRIMARY
    kinds = PRIMARY_BEHAVIOUR if primary else SECONDARY_BEHAVIOUR
    first, four_weeks_ago = (
        this_year.starts_on + dt.timedelta(days=1),
        today - dt.timedelta(weeks=4),
    )
    incidents = []
    for pupil in pupils:
        roll = rng.random()
        monthly = 0.05 if roll < 0.7 else 0.6 if roll < 0.93 else 2.5
        monthly *= 1 if primary else 1.5
        rising = rng.random() < 0.05
        day = first
        while day < today:
            per_day = monthly / 21 * (3 if rising and day >= four_weeks_ago else 1)
            if day.weekday() < 5 and rng.random() < per_day:
                period, time = rng.choice(list(PERIODS.items()))
                kind = rng.choice(kinds)
                lesson = period != "Lunch"
                incidents.append(
                    BehaviourIncident(
                        school=school, pupil=pupil, date=day, time=time, lesson=period,
                        subject=_subject(rng, primary) if lesson else "",
                        kind=kind,
                        removed_from_lesson=lesson and kind in SERIOUS and rng.random() < 0.5,
                    )
                )  # fmt: skip
            day += dt.timedelta(days=1)
    BehaviourIncident.objects.bulk_create(incidents, batch_size=2000)


INTERVENTIONS = {
    School.Phase.PRIMARY: [
        # name, subject, year groups, places, weeks since start, review in (days), ended (days
        # ago), what is measured
        ("Lexia reading", "Reading", (3, 4, 5, 6), 16, 10, 4, None, "reading age"),
        ("Year 6 maths boosters", "Maths", (6,), 10, 9, None, 17, "maths test"),
        ("NELI speech and language", "Language", (0,), 8, 8, 40, None, "NELI assessment"),
        ("ELSA emotional literacy", "Wellbeing", (2, 3, 4, 5), 6, 11, -3, None, "Boxall profile"),
    ],
    School.Phase.SECONDARY: [
        ("Year 7 literacy catch-up", "English", (7,), 14, 9, 5, None, "reading age"),
        ("Year 11 maths tutoring", "Maths", (11,), 12, 10, 21, None, "GCSE grade"),
        ("Attendance mentoring", "Attendance", (8, 9, 10), 10, 6, 2, None, "attendance"),
    ],
}


def _interventions(school, rng, pupils, ability, today) -> None:
    lead = school.staff.filter(staff_roles__role=Role.TEACHER).order_by("pk").first()
    places = []
    for name, subject, years, count, weeks, review, ended, measure in INTERVENTIONS[school.phase]:
        intervention = Intervention.objects.create(
            school=school, name=name, subject=subject, lead=lead,
            review_on=today + dt.timedelta(days=review) if review is not None else None,
        )  # fmt: skip
        candidates = sorted(
            (p for p in pupils if p.year_group in years), key=lambda p: ability[p.pk]
        )
        starts_on = today - dt.timedelta(weeks=weeks)
        for index, pupil in enumerate(candidates[: count * 2 : 2]):
            planned = weeks * 3
            ends_on = today - dt.timedelta(days=ended) if ended else None
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


def _send_plans(rng, records, today) -> None:
    changed = []
    for record in records:
        if record.sen_provision != SenProvision.NONE:
            roll = rng.random()
            record.send_plan_review_on = (
                today - dt.timedelta(days=rng.randint(1, 40)) if roll < 0.3
                else None if roll < 0.45
                else today + dt.timedelta(days=rng.randint(10, 120))
            )  # fmt: skip
            changed.append(record)
    Characteristics.objects.bulk_update(changed, ["send_plan_review_on"])


def _hand_made_cases(today: dt.date) -> None:
    """The two cases the demo must always show, whatever the seed."""
    oakfield_6n = Group.objects.get(school__urn="999101", name="6N")
    pupil = oakfield_6n.pupils.order_by("pk").first()
    Pupil.objects.filter(pk=pupil.pk).update(
        legal_forename="Tyler", legal_surname="Brennan", preferred_forename=""
    )
    # Attendance near 86%: absent on about half the Mondays and Fridays since September.
    marks = AttendanceMark.objects.filter(pupil=pupil)
    marks.filter(session="AM").update(code="/")
    marks.filter(session="PM").update(code="\\")
    mondays_fridays = sorted({m.date for m in marks if m.date.weekday() in (0, 4)})
    days = marks.values("date").distinct().count()
    absent_days = mondays_fridays[:: max(1, round(len(mondays_fridays) / (days * 0.14)))]
    marks.filter(date__in=absent_days).update(code="O")
    marks.filter(date__in=absent_days[::3]).update(code="I")
    # Maths: at the expected standard last summer, now working towards it, gaps in fractions.
    maths = (
        Result.objects.filter(pupil=pupil, subject="Maths")
        .select_related("scale")
        .order_by("point__date")
    )
    exs, wts = (maths[0].scale.steps.get(code=code) for code in ("EXS", "WTS"))
    for result in maths:
        result.step = exs
    maths_results = list(maths)
    maths_results[-1].step = wts
    Result.objects.bulk_update(maths_results, ["step"])
    test_results = list(
        Result.objects.filter(pupil=pupil, subject="Maths test").order_by("point__date")
    )
    scaled = test_results[0].scale.steps if test_results else None
    scores = ["101", "99", "96"][-len(test_results) :]
    for result, score in zip(test_results, scores, strict=True):
        result.step = scaled.get(code=score)
    Result.objects.bulk_update(test_results, ["step"])
    latest = maths_results[-1]
    MissedTopic.objects.filter(result=latest).delete()
    MissedTopic.objects.bulk_create(
        MissedTopic(school=latest.school, result=latest, topic=topic)
        for topic in ("Fractions", "Multi-step problems", "Place value")
    )
    # Several pupils in one class missed the same science question on fair testing.
    for school_urn, group_name in (("999101", "5N"), ("999102", "8C")):
        group = Group.objects.get(school__urn=school_urn, name=group_name)
        latest_science = Result.objects.filter(
            pupil__in=group.pupils.all(), subject="Science"
        ).order_by("-point__date", "pupil_id")
        latest_date = latest_science.values_list("point__date", flat=True).first()
        for result in latest_science.filter(point__date=latest_date)[:8]:
            MissedTopic.objects.get_or_create(
                school=result.school, result=result, topic=FAIR_TESTING
            )

"""What the school data says about one pupil on a day, as plain values that can be kept."""

import datetime as dt
from collections import defaultdict
from textwrap import shorten

from django.utils.formats import date_format

from pupils import charts, criteria, facts, sparklines
from pupils.domain import Effort, SenProvision
from pupils.models import Characteristics, InterventionPlace, Pupil

STANDING = {
    "higher": "higher standard",
    "expected": "at expected",
    "close": "just below expected",
    "below": "below expected",
}


def pupils_now(*, pupils: list[Pupil], on: dt.date) -> dict[int, dict]:
    """Attendance and attainment of many pupils on a day, as `pupil_data` words them, in a fixed
    number of queries: what a review sets beside the data kept when an action was agreed."""
    if not pupils:
        return {}
    chosen = Pupil.objects.filter(pk__in=[pupil.pk for pupil in pupils])
    attendance = criteria.attendance(pupils=chosen, on=on)
    subjects = facts.attainment(chosen, on=on)
    return {
        pupil.pk: _now(attendance.get(pupil.pk), subjects.get(pupil.pk, []), on=on)
        for pupil in pupils
    }


def _now(attendance: criteria.YearAttendance | None, subjects: list, *, on: dt.date) -> dict:
    """Attendance and attainment in words, with the figures their sparklines draw: absences by
    weekday this year and each subject's results over time, as the profile's charts count them."""
    return {
        "taken_on": date_format(on),
        "attendance": _attendance(attendance),
        "weekday_absences": charts.weekday_counts(attendance.this_year if attendance else None),
        "attainment": [
            {
                "subject": subject.name,
                "latest": f"{subject.latest.code} ({subject.latest.name})",
                "previous": _previous(subject),
                "standing": STANDING[subject.standing()],
                "over_time": charts.trend_figures(subject),
            }
            for subject in subjects
        ],
    }


def pupil_data(*, pupil: Pupil, on: dt.date) -> dict:
    """The data a one-page summary or an action record shows, as plain values to keep."""
    return pupils_data(pupils=[pupil], on=on)[pupil.pk]


def pupils_data(*, pupils: list[Pupil], on: dt.date) -> dict[int, dict]:
    """`pupil_data` for many pupils in a fixed number of queries: a meeting pack's summaries.

    Effort is kept apart from attainment and progress, as its own list; behaviour is counted
    over the last weeks the "behaviour increasing" criterion looks at, and the weeks before."""
    if not pupils:
        return {}
    chosen = Pupil.objects.filter(pk__in=[pupil.pk for pupil in pupils])
    attendance = criteria.attendance(pupils=chosen, on=on)
    subjects = facts.attainment(chosen, on=on)
    census = {
        record.pupil_id: record
        for record in Characteristics.objects.filter(
            pupil__in=chosen, academic_year__starts_on__lte=on, academic_year__ends_on__gte=on
        )
    }
    places = defaultdict(list)
    for place in InterventionPlace.objects.filter(
        pupil__in=chosen, ends_on__isnull=True
    ).select_related("intervention"):
        places[place.pupil_id].append(place)
    weeks = criteria.Thresholds().behaviour_weeks
    behaviour = facts.behaviour(chosen, on=on, weeks=weeks)
    missed = facts.missed_topics(chosen, on=on)
    data = {}
    for pupil in pupils:
        record, own = census.get(pupil.pk), subjects.get(pupil.pk, [])
        now = _now(attendance.get(pupil.pk), own, on=on)
        topics = missed.get(pupil.pk, {})
        for row in now["attainment"]:  # what they did not secure in that latest result
            row["missed"] = missed_in_words(topics.get(row["subject"], []))
        data[pupil.pk] = now | {
            "missed_topics": [
                f"{row['subject']}: {row['missed']}" for row in now["attainment"] if row["missed"]
            ],
            "effort": _effort(own),
            "behaviour": _behaviour(behaviour.get(pupil.pk), weeks=weeks),
            "send": _send(record),
            "send_review": _send_review(record, on=on),
            "pupil_premium": bool(record and record.pupil_premium),
            "eal": bool(record and record.eal),
            "looked_after": _looked_after(record),
            "interventions": [
                f"{place.intervention.name} since {date_format(place.starts_on)}"
                + (f" (entry: {place.entry_measure})" if place.entry_measure else "")
                for place in places[pupil.pk]
            ],
        }
    return data


def _effort(subjects: list[facts.Subject]) -> list[dict]:
    """The effort grade given with each subject's latest result, where one was: how the pupil
    engages, on its own scale, never read as attainment."""
    return [
        {
            "subject": subject.name,
            "grade": subject.latest.effort,
            "words": Effort(subject.latest.effort).label.split(": ", 1)[1],
        }
        for subject in subjects
        if subject.latest.effort
    ]


# The topics a subject shows, in characters, so that a summary still fits one page: as many as
# fit, at least the first (shortened at a word if it alone is longer), then how many more.
MISSED_CHARACTERS = 40


def missed_in_words(topics: list[str]) -> str:
    """ "Fractions, Place value and 2 more": the topics missed in one result."""
    if not topics:
        return ""
    shown = [shorten(topics[0], MISSED_CHARACTERS, placeholder="\u2026")]
    for topic in topics[1:]:
        if len(", ".join([*shown, topic])) > MISSED_CHARACTERS:
            break
        shown.append(topic)
    more = len(topics) - len(shown)
    return ", ".join(shown) + (f" and {more} more" if more else "")


def _behaviour(fact: facts.Behaviour | None, *, weeks: int) -> dict:
    """ "6 incidents in the last 4 weeks, 2 in the 4 weeks before; 1 removal from a lesson",
    and where they cluster: "4 of 8 in P5, 3 in Science, 5 after lunch"."""
    if fact is None:
        return {"counts": f"no incidents in the last {2 * weeks} weeks", "where": ""}
    lessons = "a lesson" if fact.removals == 1 else "lessons"
    removals = f"{_count(fact.removals, 'removal')} from {lessons}"
    return {
        "counts": f"{_count(fact.recent, 'incident')} in the last {weeks} weeks, {fact.before} "
        f"in the {weeks} weeks before; {removals}",
        "where": clustering(fact),
    }


def _count(number: int, noun: str) -> str:
    return f"{number or 'no'} {noun}{'' if number == 1 else 's'}"


# A lesson, subject or time of day is named when at least this many incidents, and at least
# half of them all, fall in it; two that share those equally are both named.
CLUSTER = 2
OUTSIDE_LESSONS = {
    "lunch": "at lunch",
    "lunchtime": "at lunchtime",
    "break": "at break",
    "breaktime": "at break",
    "registration": "at registration",
    "before school": "before school",
    "after school": "after school",
}


def clustering(fact: facts.Behaviour) -> str:
    """Where a pupil's incidents cluster, in words: the lesson, subject and time of day most of
    them fall in, the first with its share ("4 of 6 in P5, 3 in Science, 5 after lunch")."""
    total = fact.total
    if total < CLUSTER:
        return ""
    if not (fact.lessons or fact.subjects or fact.times):
        return "no lesson, subject or time recorded"
    lesson = _most(fact.lessons, total, _lesson)
    parts = [
        lesson,
        _most(fact.subjects, total, lambda subject: f"in {subject}"),
        _most(fact.times, total, str),
    ]
    if lesson and "lunch" in lesson[1] and parts[2] and "lunch" in parts[2][1]:
        parts[2] = None  # "at lunch, around lunch" says it twice
    found = [part for part in parts if part]
    if not found:
        return "no one lesson, subject or time of day stands out"
    first = found[0]
    return ", ".join([f"{first[0]} of {total} {first[1]}", *(f"{n} {w}" for n, w in found[1:])])


def _lesson(lesson: str) -> str:
    return OUTSIDE_LESSONS.get(lesson.lower(), f"in {lesson}")


def _most(counts, total: int, words) -> tuple[int, str] | None:
    """(how many, where in words) for the value most incidents share, if it clusters."""
    if not counts:
        return None
    most = counts.most_common()
    count = most[0][1]
    if count < CLUSTER or 2 * count < total:
        return None
    leaders = [value for value, n in most if n == count]
    if len(leaders) == 1:
        return count, words(leaders[0])
    # Two share exactly half each ("in P2 and in P5"): said once if they begin alike.
    first, second = (words(value) for value in sorted(leaders))
    prefix = first.split(" ")[0]
    if prefix == second.split(" ")[0] and prefix in {"in", "at"}:
        second = second.removeprefix(f"{prefix} ")
    return 2 * count, f"{first} and {second} ({count} each)"


def _send(census: Characteristics | None) -> str:
    if census is None or census.sen_provision == SenProvision.NONE:
        return "No special educational need recorded"
    needs = " then ".join(
        need
        for need in (census.get_primary_need_display(), census.get_secondary_need_display())
        if need
    )
    return f"{census.get_sen_provision_display()}" + (f": {needs}" if needs else "")


def _send_review(census: Characteristics | None, *, on: dt.date) -> str:
    """When a SEND pupil's support plan is next reviewed; empty for other pupils."""
    if census is None or census.sen_provision == SenProvision.NONE:
        return ""
    review = census.send_plan_review_on
    if review is None:
        return "no review date recorded"
    if review < on:
        return f"was due {date_format(review)}"
    return date_format(review)


def _previous(subject: facts.Subject) -> str:
    if len(subject.points) < 2:
        return ""
    point = subject.points[-2]
    return f"{point.code} ({point.name})"


def _attendance(attendance: criteria.YearAttendance | None) -> str:
    """ "86.2% this year, persistent absence; 3 late marks", or early in the year last year's
    figure and why this year's is not judged yet."""
    if attendance is None:
        return "no attendance recorded this year"
    if attendance.too_early:
        return str(attendance)
    late = attendance.this_year.late
    return f"{attendance}; {late} late mark{'s' if late != 1 else ''}"


def _looked_after(census: Characteristics | None) -> str:
    if census and census.looked_after:
        return "Looked after"
    if census and census.previously_looked_after:
        return "Previously looked after"
    return ""


def then_and_now(then: dict, now: dict | None) -> list[tuple]:
    """(measure, when an action was agreed, now, its sparkline now) for its review: attendance,
    with absences by weekday, then each subject the pupil has results in now, with its trend."""
    if not now:
        return []
    agreed = {row["subject"]: row["latest"] for row in then.get("attainment", [])}
    return [
        (
            "Attendance",
            then.get("attendance", "not recorded"),
            now["attendance"],
            sparklines.weekdays(now.get("weekday_absences")),
        ),
        *[
            (
                row["subject"],
                agreed.get(row["subject"], "\u2014"),
                row["latest"],
                sparklines.trend(row["subject"], row.get("over_time")),
            )
            for row in now["attainment"]
        ],
    ]

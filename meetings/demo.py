"""The demo trust's meetings: one coming up in each school, with summaries in every state."""

import datetime as dt

from meetings.focus import Focus
from meetings.models import Meeting, Series, Summary, summary_data
from meetings.shortlist import propose
from progress.models import School, User
from pupils.models import Group, Pupil


def load(*, today: dt.date) -> dict[str, int]:
    oakfield = School.objects.get(urn="999101")
    year_6 = _meeting(
        oakfield,
        focus=Focus.AT_RISK,
        purpose="Which Year 6 pupils need what next to reach the expected standard in maths "
        "by May?",
        year_groups=[6],
        date=_school_day(today + dt.timedelta(days=7)),
        series="Year 6 half-termly",
        chair="leader@oakfield.example",
        recorder="senco@oakfield.example",
        others=["teacher@oakfield.example", "attendance@oakfield.example"],
        today=today,
    )
    tyler = Pupil.objects.get(school=oakfield, legal_forename="Tyler", legal_surname="Brennan")
    proposals = propose(meeting=year_6, on=today)
    chosen = [tyler, *[p.pupil for p in proposals if p.pupil != tyler][:4]]
    reasons = {p.pupil.pk: p.text for p in proposals}
    six_n = Group.objects.get(school=oakfield, name="6N")
    fractions = [p.pupil for p in proposals if six_n.pupils.filter(pk=p.pupil.pk).exists()][4:7]
    year_6.confirm_shortlist(
        pupils=[
            (pupil, reasons.get(pupil.pk, "Proposed by the class teacher")) for pupil in chosen
        ],
        groups=[
            (
                "6N fractions group",
                fractions,
                "Several pupils in 6N missed the same fractions questions in November.",
            )
        ]
        if len(fractions) >= 2
        else [],
        over_cap_reason="",
    )
    _fill_summaries(year_6, today)

    riverside = School.objects.get(urn="999102")
    _meeting(
        riverside,
        focus=Focus.ATTENDANCE,
        purpose="Which Year 9 pupils' absences are costing them maths and science, and what "
        "do we do first?",
        year_groups=[9],
        date=_school_day(today + dt.timedelta(days=10)),
        series="Year 9 attendance",
        chair="leader@riverside.example",
        recorder="attendance@riverside.example",
        others=["teacher@riverside.example", "pastoral@riverside.example"],
        today=today,
    )
    return {"meetings": 2}


def _school_day(day: dt.date) -> dt.date:
    while day.weekday() >= 5:
        day += dt.timedelta(days=1)
    return day


def _meeting(school, *, focus, purpose, year_groups, date, series, chair, recorder, others, today):
    meeting = Meeting.objects.create(
        school=school,
        focus=focus,
        purpose=purpose,
        year_groups=year_groups,
        date=date,
        starts_at=dt.time(15, 45),
        length=45,
        place="Room 4 (the library)",
        series=Series.objects.get_or_create(school=school, name=series)[0],
        summaries_due=date - dt.timedelta(days=2),
        created_by=User.objects.get(email=chair),
    )
    meeting.set_attendees(
        chair=User.objects.get(email=chair),
        recorder=User.objects.get(email=recorder),
        others=list(User.objects.filter(email__in=others)),
    )
    return meeting


def _fill_summaries(meeting: Meeting, today: dt.date) -> None:
    """One ready, one draft, the rest not started: the chair sees "1 of 5 ready"."""
    summaries = list(
        Summary.objects.filter(item__meeting=meeting)
        .select_related("item__pupil")
        .order_by("item__position")
    )
    if not summaries:
        return
    ready = summaries[0]
    ready.main_concern = (
        "Cannot yet add and subtract fractions with different denominators, so multi-step "
        "problems fall apart at the second step."
    )
    ready.gap = Summary.Gap.KNOWLEDGE
    ready.with_support = Summary.Support.YES
    ready.breadth = Summary.Breadth.SUBJECT
    ready.tried = "Pre-teaching on Thursdays before the fractions unit; working wall examples."
    ready.what_helped = "Pre-teaching helped when he was in school for the lesson that followed."
    ready.barrier = (
        "Misses Monday and Friday lessons, which is when new fractions content is introduced "
        "and revisited; the gaps line up with the missed days."
    )
    ready.next_step = (
        "Attendance lead to call home about Mondays and Fridays; catch-up on missed fractions "
        "lessons on Tuesday mornings, checked with a five-question quiz each Friday."
    )
    ready.pupil_voice = "\u201cFractions are fine when I've been here for the start.\u201d"
    ready.status = Summary.Status.READY
    ready.snapshot = summary_data(pupil=ready.item.pupil, on=today)
    ready.save()
    if len(summaries) > 1:
        draft = summaries[1]
        draft.main_concern = "Reading fluency: reads accurately but slowly, so runs out of time."
        draft.gap = Summary.Gap.FLUENCY
        draft.status = Summary.Status.DRAFT
        draft.save()

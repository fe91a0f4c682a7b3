"""The demo trust's meetings: last half-term's, with actions now due, and one coming up in each
school, with summaries in every state."""

import datetime as dt

from actions.models import Action, Review
from meetings.focus import Focus
from meetings.models import Finding, Meeting, Series, Summary, summary_data
from meetings.shortlist import propose
from progress.models import School, User
from pupils.models import Group, Pupil
from pupils.snapshot import pupil_data


def load(*, today: dt.date) -> dict[str, int]:
    oakfield = School.objects.get(urn="999101")
    _finished_meeting(oakfield, today)
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
        by=year_6.created_by,
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
    return {"meetings": 3}


def _school_day_before(day: dt.date) -> dt.date:
    while day.weekday() >= 5:
        day -= dt.timedelta(days=1)
    return day


def _finished_meeting(school: School, today: dt.date) -> None:
    """Last half-term's Year 6 meeting: its actions in every state, some now due for review."""
    held_on = _school_day_before(today - dt.timedelta(weeks=5))
    meeting = _meeting(
        school,
        focus=Focus.AT_RISK,
        purpose="Which Year 6 pupils are slipping in maths, and what do we change first?",
        year_groups=[6],
        date=held_on,
        series="Year 6 half-termly",
        chair="leader@oakfield.example",
        recorder="senco@oakfield.example",
        others=["teacher@oakfield.example", "attendance@oakfield.example"],
        today=today,
    )
    people = {user.email.split("@")[0]: user for user in User.objects.filter(school=school)}
    tyler = Pupil.objects.get(school=school, legal_forename="Tyler", legal_surname="Brennan")
    others = list(
        Pupil.objects.filter(school=school, year_group=6, groups__name="6N")
        .exclude(pk=tyler.pk)
        .order_by("pk")[:4]
    )
    meeting.confirm_shortlist(
        by=meeting.created_by,
        pupils=[
            (tyler, "attendance falling; maths fractions gaps"),
            *[(p, "maths below expected") for p in others],
        ],
        groups=[],
        over_cap_reason="",
    )
    Summary.objects.filter(item__meeting=meeting).update(status=Summary.Status.READY)

    def action(pupil, **fields) -> Action:
        return Action.objects.create(
            school=school, meeting=meeting, pupil=pupil, created_by=people["senco"],
            snapshot=pupil_data(pupil=pupil, on=held_on) if pupil else {}, **fields,
        )  # fmt: skip

    overdue = _school_day_before(today - dt.timedelta(days=3))
    soon = _school_day(today + dt.timedelta(days=2))
    first_call = action(
        tyler, barrier="Misses Mondays and Fridays; no reason given at home.", barrier_category="attendance",
        text="Phone home on the morning of each unexplained absence", kind="attendance",
        owner=people["attendance"], review_on=held_on + dt.timedelta(days=14), status=Action.Status.SUPERSEDED,
    )  # fmt: skip
    action(
        tyler, barrier="Still missing Mondays and Fridays: 8 of 11 absences since September.",
        barrier_category="attendance",
        text="Attendance lead meets parents to agree an attendance plan, then checks Monday and Friday "
        "registers weekly with a call home after any absence",
        kind="attendance", owner=people["attendance"], review_on=overdue, supersedes=first_call,
        parent_contact="attendance", attendance_plan=True,
    )  # fmt: skip
    action(
        tyler, barrier="Adding fractions with unlike denominators was taught on the Mondays he missed.",
        barrier_category="knowledge",
        text="Reteach adding fractions with unlike denominators in a group of four on Tuesday mornings "
        "for three weeks; five-question check each Friday",
        kind="reteach", owner=people["teacher"], review_on=soon,
    )  # fmt: skip
    if len(others) >= 4:
        lexia = action(
            others[0], barrier="Reads accurately but slowly: runs out of time on every paper.",
            barrier_category="fluency",
            text="Lexia reading for 20 minutes on Monday, Wednesday and Friday with the TA for six weeks",
            kind="intervention", owner=people["teacher"], review_on=overdue, status=Action.Status.COMPLETED,
        )  # fmt: skip
        Review.objects.create(
            school=school, action=lexia, happened="yes", what_changed="Reading speed up from 68 to 91 words a "
            "minute; finished the October reading paper.", evidence="Lexia reports; October paper",
            decision="completed", impact=1, reviewed_by=people["teacher"],
        )  # fmt: skip
        stopped = action(
            others[1], barrier="Loses focus after ten minutes of independent work.", barrier_category="independence",
            text="Visual timer and a three-step checklist on the desk for every independent task",
            kind="classroom", owner=people["teacher"], review_on=overdue, status=Action.Status.STOPPED,
        )  # fmt: skip
        Review.objects.create(
            school=school, action=stopped, happened="partly", why_not="Used for two weeks, then forgotten.",
            what_changed="No change in finished work.", evidence="Books", decision="stop", impact=0,
            reviewed_by=people["teacher"],
        )  # fmt: skip
        action(
            others[2], barrier="Anxious about tests; freezes on the first hard question.", barrier_category="wellbeing",
            text="Monitor how quickly they start timed tasks",
            kind="monitoring", owner=people["senco"], review_on=soon,
            monitor_who="Mr Bennett (class teacher)", monitor_what="whether they start within two minutes",
            monitor_how_often="every maths lesson for two weeks", monitor_where="the class SEN log",
            monitor_trigger="three freezes in a week: SENCO meets them and their parents",
        )  # fmt: skip
    group = Action.objects.create(
        school=school, meeting=meeting, group_name="6N fractions group", created_by=people["senco"],
        barrier="Six pupils missed the same fractions questions in the October check.", barrier_category="knowledge",
        text="Reteach equivalent fractions with a worked example next lesson; five-question check two days later",
        kind="reteach", owner=people["teacher"], review_on=overdue,
    )  # fmt: skip
    group.group_pupils.set(others[:3])
    Finding.objects.create(
        school=school, meeting=meeting, kind=Finding.Kind.TEACHING, created_by=people["senco"],
        text="Equivalent fractions were taught in one lesson, on a Monday, with no worked example: "
        "the pupils who missed it or lost it have no way back in.",
    )  # fmt: skip
    Meeting.objects.filter(pk=meeting.pk).update(status=Meeting.Status.CLOSED)


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
    """One ready, two drafts, the rest not started: the chair sees "1 of 5 ready"; two of the
    teachers already call the gap fluency, a pattern for the meeting."""
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
    if len(summaries) > 2:
        second = summaries[2]
        second.main_concern = (
            "Knows the methods but is slow with number facts, so runs out of time on arithmetic."
        )
        second.gap = Summary.Gap.FLUENCY
        second.status = Summary.Status.DRAFT
        second.save()

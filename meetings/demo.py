"""The demo trust's meetings: last half-term's, with actions now due, and one coming up in each
school, with summaries in every state."""

import datetime as dt

from django.conf import settings
from django.utils import timezone

from actions.models import Action, FollowUp, Kind, Review, plan_follow_through
from meetings import invitations
from meetings.focus import Focus
from meetings.models import Finding, Meeting, Series, Summary, summary_data
from meetings.shortlist import propose
from progress import outbox
from progress.demo import Timeline
from progress.models import Email, School, User
from pupils import facts
from pupils.models import MissedTopic, Pupil
from pupils.snapshot import pupil_data

# The Year 6 meeting comes a week of school days after today, Riverside's a few days later;
# in a holiday, early in the next half-term. Last half-term's meeting was held some five school
# weeks ago, so that its actions are now due.
YEAR_6_AHEAD, YEAR_9_AHEAD, HELD_AGO = 5, 7, 25
FRACTIONS_GROUP = "6N fractions group"


def load(*, timeline: Timeline) -> dict[str, int]:
    today = timeline.today
    oakfield = School.objects.get(urn="999101")
    tyler = Pupil.objects.get(school=oakfield, legal_forename="Tyler", legal_surname="Brennan")
    year_6_on, held_on = timeline.ahead(YEAR_6_AHEAD), timeline.before(HELD_AGO)
    # When last half-term's meeting was last school year, its pupils were in Year 5 then.
    earlier_year_group = 6 - (held_on < timeline.year_days[0])
    series = Series.objects.create(
        school=oakfield,
        name="Year 6 half-termly" if earlier_year_group == 6 else "Year 5 into Year 6",
    )
    _finished_meeting(
        oakfield, tyler, timeline, held_on=held_on, year_group=earlier_year_group,
        series=series, coming=year_6_on,
    )  # fmt: skip
    year_6 = _meeting(
        oakfield,
        focus=Focus.AT_RISK,
        purpose="Which Year 6 pupils need what next to reach the expected standard in maths "
        "by the end of the year?",
        year_groups=[6],
        date=year_6_on,
        series=series,
        chair="leader@oakfield.example",
        recorder="senco@oakfield.example",
        others=["teacher@oakfield.example", "attendance@oakfield.example"],
        timeline=timeline,
    )
    proposals = propose(meeting=year_6, on=today)
    chosen = [tyler, *[p.pupil for p in proposals if p.pupil != tyler][:4]]
    reasons = {p.pupil.pk: p.text for p in proposals}
    missed = MissedTopic.objects.filter(
        result__pupil__groups__name="6N", result__subject="Maths", topic="Fractions"
    ).exclude(result__pupil__in=chosen)
    fractions = list(Pupil.objects.filter(pk__in=missed.values("result__pupil")).order_by("pk")[:3])
    check = missed.select_related("result__point").order_by("-result__point__date").first()
    year_6.confirm_shortlist(
        by=year_6.created_by,
        pupils=[
            (pupil, reasons.get(pupil.pk, "Proposed by the class teacher")) for pupil in chosen
        ],
        groups=[
            (
                FRACTIONS_GROUP,
                fractions,
                "Several pupils in 6N missed the same fractions questions in the "
                f"{check.result.point.name} assessment.",
            )
        ],
        over_cap_reason="",
    )
    _fill_summaries(year_6, today)
    year_6.record_agenda_sent(by=year_6.created_by)  # a week ahead: the agenda has gone out

    riverside = School.objects.get(urn="999102")
    _meeting(
        riverside,
        focus=Focus.ATTENDANCE,
        purpose="Which Year 9 pupils' absences are costing them maths and science, and what "
        "do we do first?",
        year_groups=[9],
        date=timeline.ahead(YEAR_9_AHEAD),
        series=Series.objects.create(school=riverside, name="Year 9 attendance"),
        chair="leader@riverside.example",
        recorder="attendance@riverside.example",
        others=["teacher@riverside.example", "pastoral@riverside.example"],
        timeline=timeline,
    )
    return {"meetings": 3}


def _at(day: dt.date, hour: int, minute: int) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=timezone.get_current_timezone())


def _finished_meeting(school, tyler, timeline, *, held_on, year_group, series, coming) -> None:
    """Last half-term's meeting for Tyler's year group, with its actions in every state: two
    overdue for review, two due before the coming meeting, two reviewed and closed."""
    meeting = _meeting(
        school,
        focus=Focus.AT_RISK,
        purpose=f"Which Year {year_group} pupils are slipping in maths, and what do we change "
        "first?",
        year_groups=[year_group],
        date=held_on,
        series=series,
        chair="leader@oakfield.example",
        recorder="senco@oakfield.example",
        others=["teacher@oakfield.example", "attendance@oakfield.example"],
        timeline=timeline,
    )
    people = {user.email.split("@")[0]: user for user in User.objects.filter(school=school)}
    others = list(
        Pupil.objects.filter(school=school, groups__name="6N")
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

    # Overdue: two school days ago. Due: before the coming meeting, after today when it can be.
    overdue = timeline.before(2)
    soon = min(timeline.after(2), coming)
    first_call = action(
        tyler, barrier="Misses Mondays and Fridays; no reason given at home.", barrier_category="attendance",
        text="Phone home on the morning of each unexplained absence", kind="attendance",
        owner=people["attendance"], review_on=timeline.on_or_after(held_on + dt.timedelta(days=14)),
        status=Action.Status.SUPERSEDED,
    )  # fmt: skip
    action(
        tyler, barrier=f"Still missing Mondays and Fridays: {_mondays_and_fridays(tyler, timeline, held_on)}.",
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
        impact_check="the Friday checks, and the fractions questions in the next assessment",
        kind="reteach", owner=people["teacher"], review_on=soon, review_reason="three weeks of reteaching",
    )  # fmt: skip
    lexia = action(
        others[0], barrier="Reads accurately but slowly: runs out of time on every paper.",
        barrier_category="fluency",
        text="Lexia reading for 20 minutes on Monday, Wednesday and Friday with the TA for six weeks",
        impact_check="words read a minute, and whether the next reading paper is finished in time",
        kind="intervention", owner=people["teacher"], review_on=overdue, status=Action.Status.COMPLETED,
    )  # fmt: skip
    Review.objects.create(
        school=school, action=lexia, happened="yes", what_changed="Reading speed up from 68 to 91 words a "
        "minute; finished the last reading paper in time.", evidence="Lexia reports; the last reading paper",
        decision="completed", impact=1, reviewed_by=people["teacher"], reviewed_at=_at(overdue, 16, 10),
    )  # fmt: skip
    stopped = action(
        others[1], barrier="Loses focus after ten minutes of independent work.", barrier_category="independence",
        text="Visual timer and a three-step checklist on the desk for every independent task",
        impact_check="how much of each independent task is finished, in books over two weeks",
        kind="classroom", owner=people["teacher"], review_on=overdue, status=Action.Status.STOPPED,
    )  # fmt: skip
    Review.objects.create(
        school=school, action=stopped, happened="partly", why_not="Used for two weeks, then forgotten.",
        what_changed="No change in finished work.", evidence="Books", decision="stop",
        stopped_because="not_working", impact=0,
        reviewed_by=people["teacher"], reviewed_at=_at(overdue, 16, 20),
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
        school=school, meeting=meeting, group_name=FRACTIONS_GROUP, created_by=people["senco"],
        barrier="These pupils missed the same fractions questions in the last maths assessment.",
        barrier_category="knowledge",
        text="Reteach equivalent fractions with a worked example next lesson; five-question check two days later",
        impact_check="the five-question check two days later",
        kind="reteach", owner=people["teacher"], review_on=overdue,
    )  # fmt: skip
    group.group_pupils.set(others[:3])
    Action.objects.filter(meeting=meeting).update(created_at=_at(held_on, 16, 25))
    Finding.objects.create(
        school=school, meeting=meeting, kind=Finding.Kind.TEACHING, created_by=people["senco"],
        text="Equivalent fractions were taught in one lesson, on a Monday, with no worked example: "
        "the pupils who missed it or lost it have no way back in.",
    )  # fmt: skip
    closed_at = _at(held_on, 16, 31)
    Meeting.objects.filter(pk=meeting.pk).update(
        status=Meeting.Status.CLOSED,
        started_at=_at(held_on, 15, 45),
        closed_at=closed_at,
        difference="Tyler's parents agree an attendance plan for Mondays and Fridays, and he and "
        "three others are retaught the fractions they missed, with a check each Friday.",
    )
    _followed_through(meeting, people, timeline, held_on=held_on, closed_at=closed_at)


def _followed_through(meeting, people, timeline, *, held_on, closed_at) -> None:
    """What happened after the meeting closed: its log went out, the reteaching began, the call
    home was made; the monitoring has not begun and the attendance plan is outstanding."""
    plan_follow_through(
        list(meeting.actions.open()),
        school=meeting.school,
        agreed_on=held_on,
        chair=people["leader"],
    )
    invitations.share_log(meeting=meeting, site=settings.SITE_URL)
    outbox.about(meeting).update(
        status=Email.Status.SENT, attempts=1, created_at=closed_at, sent_at=closed_at
    )
    open_actions = meeting.actions.open()
    for action in open_actions.exclude(kind=Kind.MONITORING):
        action.started_on = timeline.on_or_after(action.start_check_on)
        action.start_asked_on = action.start_check_on
        action.save(update_fields=["started_on", "start_asked_on"])
    monitoring = open_actions.get(kind=Kind.MONITORING)
    monitoring.start_asked_on = monitoring.start_check_on
    monitoring.not_started_because = "The class SEN log for timed tasks is not set up yet."
    monitoring.starts_by = timeline.after(2)
    monitoring.save(update_fields=["start_asked_on", "not_started_because", "starts_by"])
    call = FollowUp.objects.get(action__meeting=meeting, kind=FollowUp.Kind.PARENT_CONTACT)
    call.record(
        by=call.owner, version=call.version, on=call.due_on, could_not=False,
        how=FollowUp.How.PHONE,
        outcome="Mum agrees to meet the attendance lead; she will ring in by 9am on any day he is off.",
    )  # fmt: skip


def _mondays_and_fridays(pupil: Pupil, timeline: Timeline, day: dt.date) -> str:
    """How many of the pupil's days off in the six school weeks before `day` (as far back as the
    registers go) were Mondays or Fridays, in words: "4 of his 5 days off since 14 September"."""
    first = max(timeline.before(30, day), pupil.attendance_marks.earliest("date").date)
    absences = facts.attendance_between(
        Pupil.objects.filter(pk=pupil.pk), first, day - dt.timedelta(days=1)
    )[pupil.pk]
    by_day = absences.absences_by_weekday  # sessions: a day off is two
    on_days = (by_day.get(1, 0) + by_day.get(5, 0)) // 2
    return f"{on_days} of his {sum(by_day.values()) // 2} days off since {first:%-d %B}"


def _meeting(
    school, *, focus, purpose, year_groups, date, series, chair, recorder, others, timeline
):
    # Summaries are due two school days before the meeting, and after today when they can be.
    due = timeline.before(2, date)
    if due <= timeline.today < date:
        due = timeline.before(1, date)
    meeting = Meeting.objects.create(
        school=school,
        focus=focus,
        purpose=purpose,
        year_groups=year_groups,
        date=date,
        starts_at=dt.time(15, 45),
        length=45,
        place="Room 4 (the library)",
        series=series,
        summaries_due=due,
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

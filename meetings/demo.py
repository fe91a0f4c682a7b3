"""The demo trust's meetings: last half-term's, with actions now due, and one coming up in each
school, with summaries in every state."""

import datetime as dt

from django.conf import settings
from django.utils import timezone

from actions.models import Action, FollowUp, Kind, Review, plan_follow_through
from meetings import invitations
from meetings.agenda import Section
from meetings.focus import Focus
from meetings.models import (
    Finding,
    Meeting,
    Reach,
    SectionTime,
    Series,
    Summary,
    pupils_of,
    summary_data,
)
from meetings.shortlist import propose
from progress import outbox
from progress.calendar import standard_half_terms
from progress.demo import Timeline
from progress.models import Email, School, User
from pupils import facts
from pupils.criteria import Criterion, reasons
from pupils.domain import Effort, YearGroup
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
        cadence=Series.Cadence.HALF_TERMLY,
    )
    _finished_meeting(
        oakfield, tyler, timeline, held_on=held_on, year_group=earlier_year_group,
        series=series, coming=year_6_on,
    )  # fmt: skip
    raised = _raised_before(oakfield, tyler, timeline, series=series, held_on=held_on)
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
    _put_forward_since(year_6, today)
    year_round = _the_year_round(oakfield, timeline, series=series, held_on=held_on)

    riverside = School.objects.get(urn="999102")
    year_9 = _meeting(
        riverside,
        focus=Focus.BEHAVIOUR,
        purpose="Where is behaviour blocking Year 9 pupils' learning, what is working for those "
        "who are doing well, and what do we do first?",
        year_groups=[9],
        date=timeline.ahead(YEAR_9_AHEAD),
        series=Series.objects.create(
            school=riverside, name="Year 9 behaviour", cadence=Series.Cadence.MONTHLY
        ),
        chair="hoy9@riverside.example",  # the line manager usually leads
        recorder="pastoral@riverside.example",
        others=["teacher@riverside.example", "attendance@riverside.example"],
        timeline=timeline,
    )
    _behaviour_shortlist(year_9, today)
    return {"meetings": 3 + raised + year_round}


def _behaviour_shortlist(meeting: Meeting, today: dt.date) -> None:
    """Riverside's Year 9 behaviour meeting: the pupils the data proposes, those whose
    behaviour is rising first, and one pupil doing well, whose summary asks what is working."""
    proposals = sorted(
        propose(meeting=meeting, on=today),
        key=lambda p: Criterion.BEHAVIOUR_INCREASING not in p.reasons,
    )[:3]
    chosen = {p.pupil.pk for p in proposals}
    found = reasons(pupils=meeting.pupils_in_scope().exclude(pk__in=chosen), on=today)
    well = next(
        (
            (pupil_id, why[Criterion.DOING_WELL])
            for pupil_id, why in sorted(found.items())
            if Criterion.DOING_WELL in why
        ),
        None,
    )
    pupils = [(p.pupil, p.text) for p in proposals]
    if well:
        pupils.append((Pupil.objects.get(pk=well[0]), f"Doing well: {well[1]}"))
    meeting.confirm_shortlist(
        by=meeting.created_by, pupils=pupils, groups=[], over_cap_reason="",
        doing_well={well[0]} if well else set(),
    )  # fmt: skip


def _put_forward_since(meeting: Meeting, today: dt.date) -> None:
    """Since the agenda went out, the class teacher has put forward a pupil of 6N whom the data
    does not propose: the shortlist shows his concern beside the data's reasons, marked as his."""
    found = reasons(pupils=meeting.pupils_in_scope(), on=today)
    proposed = {pk for pk, why in found.items() if set(why) & set(meeting.guide.criteria)}
    on_agenda = {pupil.pk for pupil in pupils_of(list(meeting.items.all()))}
    quiet = (
        meeting.pupils_in_scope()
        .filter(groups__name="6N")
        .exclude(pk__in=proposed | on_agenda)
        .order_by("pk")
        .first()
    )
    if quiet:
        meeting.put_forward(
            quiet,
            by=User.objects.get(email="teacher@oakfield.example"),
            reason="Has gone quiet since half-term and stopped handing in homework; nothing in "
            "the data shows it yet.",
        )


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
    _ready(meeting, timeline, late=1)

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
    Review.objects.create(
        school=school, action=first_call, happened="yes", what_changed="Calls made each time; he "
        "still missed three Mondays and a Friday.", evidence="Registers; the call log",
        decision="adjust", impact=0, reviewed_by=people["attendance"],
        reviewed_at=_at(first_call.review_on, 16, 0),
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
    group.group_pupils.set(others[:3], through_defaults={"school": school})
    # Logged by the recorder: the first call went in as "monitor attendance" and was refused.
    Action.objects.filter(meeting=meeting).update(
        created_at=_at(held_on, 16, 25), first_attempt=True
    )
    Action.objects.filter(pk=first_call.pk).update(first_attempt=False)
    Finding.objects.create(
        school=school, meeting=meeting, kind=Finding.Kind.TEACHING, created_by=people["senco"],
        text="Equivalent fractions were taught in one lesson, on a Monday, with no worked example: "
        "the pupils who missed it or lost it have no way back in.",
    )  # fmt: skip
    closed_at = _timed(meeting, item_minutes=[5, 4, 5, 4, 4])  # 46 minutes: 16:31
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
        list(meeting.actions.all()),  # all open when it closed
        school=meeting.school,
        agreed_on=held_on,
        chair=people["leader"],
    )
    invitations.share_log(meeting=meeting, site=settings.SITE_URL)
    outbox.about(meeting).update(
        status=Email.Status.SENT, attempts=1, created_at=closed_at, sent_at=closed_at
    )
    open_actions = meeting.actions.open()
    for action in meeting.actions.exclude(kind=Kind.MONITORING):
        action.started_on = timeline.on_or_after(action.start_check_on)
        action.start_asked_on = action.start_check_on
        action.save(update_fields=["started_on", "start_asked_on"])
    monitoring = open_actions.get(kind=Kind.MONITORING)
    monitoring.start_asked_on = monitoring.start_check_on
    monitoring.not_started_because = "The class SEN log for timed tasks is not set up yet"
    monitoring.starts_by = timeline.after(2)
    monitoring.save(update_fields=["start_asked_on", "not_started_because", "starts_by"])
    call = FollowUp.objects.get(action__meeting=meeting, kind=FollowUp.Kind.PARENT_CONTACT)
    call.record(
        by=call.owner, version=call.version, on=call.due_on, could_not=False,
        how=FollowUp.How.PHONE,
        outcome="Mum agrees to meet the attendance lead; she will ring in by 9am on any day he is off.",
    )  # fmt: skip


def _raised_before(school, tyler, timeline: Timeline, *, series, held_on: dt.date) -> int:
    """The two meetings of Tyler's series before the story's, in the two half-terms before it,
    in the head's office: each raised his attendance, and neither plan helped, so with the story's
    meeting it is a repeated concern (`meetings.effectiveness`), which the coming meeting's
    shortlist proposes with its history. Their other pupils were helped. How many it made."""
    halves = [
        half
        for year in (timeline.start_year - 1, timeline.start_year)
        for half in standard_half_terms(start_year=year)
    ]
    now = max(i for i, (first, _) in enumerate(halves) if first <= held_on)
    people = {user.email.split("@")[0]: user for user in User.objects.filter(school=school)}
    others = list(
        Pupil.objects.filter(school=school, groups__name="6N")
        .exclude(pk=tyler.pk)
        .order_by("pk")[4:8]
    )
    tried = [
        (
            "Misses Mondays and Fridays; the school hears nothing from home.",
            "Text home on the morning of each unexplained absence; the form tutor asks him why "
            "the same day",
            "partly", 0, "Texts sent most mornings; no change in Mondays and Fridays missed.",
            (others[0], "Exchange in column addition is not secure: answers drop the ten carried.",
             "knowledge", "reteach", "Reteach column addition with exchange in a group of three "
             "on Tuesday and Thursday mornings for two weeks", 2),
            (others[1], "Knows the method but will not start the arithmetic starter alone.",
             "confidence", "classroom", "Sit with a talk partner for every arithmetic starter and "
             "rehearse the first answer aloud, for three weeks", 1),
        ),
        (
            "Still misses Mondays and Fridays, though home is texted each time.",
            "Attendance lead phones home after each absence and writes after the third in a "
            "half-term",
            "yes", -1, "Calls made and a letter sent; he missed one more day than the half-term "
            "before.",
            (others[2], "Recalls times tables slowly, so runs out of time on arithmetic papers.",
             "fluency", "intervention", "Times tables practice for ten minutes before "
             "registration on Monday to Thursday for four weeks", 1),
            (others[3], "Rounds to the nearest 10 but not 100: hundreds' place value is not secure.",
             "knowledge", "reteach", "Reteach rounding to the nearest 10 and 100 with a number "
             "line next lesson; five-question check two days later", 1),
        ),
    ]  # fmt: skip
    for half, (barrier, text, happened, impact, changed, *helped) in zip(
        (halves[now - 2], halves[now - 1]), tried, strict=True
    ):
        day = _in_week(timeline, half, YEAR_6_WEEK)
        meeting = _meeting(
            school, focus=Focus.BELOW_EXPECTED,
            purpose="Which Year 6 pupils are below the expected standard in reading and maths, "
            "and what do we do first?",
            year_groups=[6 - (day < timeline.year_days[0])], date=day, series=series,
            chair="leader@oakfield.example", recorder="senco@oakfield.example",
            others=["teacher@oakfield.example", "attendance@oakfield.example"], timeline=timeline,
        )  # fmt: skip
        pupils = [tyler, *[pupil for pupil, *_ in helped]]
        meeting.confirm_shortlist(
            by=meeting.created_by, pupils=[(p, "below expected in maths") for p in pupils],
            groups=[], over_cap_reason="",
        )  # fmt: skip
        _ready(meeting, timeline)
        agreed = [
            (tyler, barrier, "attendance", "attendance", text, people["attendance"], happened,
             impact, changed, "stop"),
            *[
                (pupil, why, category, kind, words, people["teacher"], "yes", score,
                 "Secure in the check at the end.", "completed")
                for pupil, why, category, kind, words, score in helped
            ],
        ]  # fmt: skip
        for pupil, why, category, kind, words, owner, happened_, score, what, decision in agreed:
            review_on = timeline.after(10, day)
            action = Action.objects.create(
                school=school, meeting=meeting, pupil=pupil, created_by=people["senco"],
                barrier=why,
                barrier_category=category, kind=kind, text=words, owner=owner,
                impact_check="the end-of-unit check" if kind != "attendance" else "",
                review_on=review_on, start_check_on=timeline.after(3, day),
                start_asked_on=timeline.after(3, day), started_on=timeline.after(3, day),
                status=Action.Status.STOPPED if decision == "stop" else Action.Status.COMPLETED,
            )  # fmt: skip
            Review.objects.create(
                school=school, action=action, happened=happened_, what_changed=what,
                evidence="Registers" if kind == "attendance" else "Books and the check",
                decision=decision, impact=score, reviewed_by=owner,
                stopped_because="not_working" if decision == "stop" else "",
                reviewed_at=_at(review_on, 16, 0),
            )  # fmt: skip
        Action.objects.filter(meeting=meeting).update(created_at=_at(day, 16, 20))
        Meeting.objects.filter(pk=meeting.pk).update(
            status=Meeting.Status.CLOSED,
            started_at=_at(day, 15, 45),
            closed_at=_timed(meeting, item_minutes=[6, 5, 5]),
            place=YEAR_ROUND_PLACE,
            difference=f"{tyler.forename}'s absences are followed up the same day, and two "
            "others are retaught what they missed.",
        )
    return 2


def _ready(meeting: Meeting, timeline: Timeline, *, late: int = 0) -> None:
    """Every summary ready by its deadline, the last `late` of them a school day after it."""
    summaries = Summary.objects.filter(item__meeting=meeting).order_by("item__position")
    due = meeting.summaries_due
    summaries.update(status=Summary.Status.READY, updated_at=_at(due, 15, 30))
    for summary in list(summaries)[len(summaries) - late :] if late else []:
        Summary.objects.filter(pk=summary.pk).update(updated_at=_at(timeline.after(1, due), 8, 0))


def _timed(meeting: Meeting, *, item_minutes: list[int]) -> dt.datetime:
    """The times a meeting kept as its chair moved through the agenda from 15:45: 6 minutes of
    review, 9 of patterns, each item's, 5 to agree actions and 4 to confirm. When it closed."""
    at = _at(meeting.date, 15, 45)
    items = list(meeting.items.all())
    parts = [
        (Section.REVIEW, None, 6),
        (Section.PATTERNS, None, 9),
        *[(Section.PUPILS, item, m) for item, m in zip(items, item_minutes, strict=True)],
        (Section.AGREE, None, 5),
        (Section.SHARE, None, 4),
    ]
    for section, item, minutes in parts:
        ended = at + dt.timedelta(minutes=minutes)
        SectionTime.objects.create(
            school=meeting.school, meeting=meeting, section=section, item=item, started_at=at,
            ended_at=ended,
        )  # fmt: skip
        at = ended
    return at


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
    ready.reach = Reach.INDIVIDUAL  # the gaps follow his own missed days
    ready.effort = Effort.GOOD
    ready.support_wanted = (
        "Ten minutes with the attendance lead to agree what I say to his mum about Mondays."
    )
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


# The rest of Oakfield's year, for the year's view (`meetings.rhythm`): each termly year group
# meets in a week of its own every term, held once that day has passed and scheduled until then;
# Years 1 and 2 keep a monthly early-reading series that has slipped; Year 6 met every half-term
# before the story's; Year 5 has had no meeting this year. (The story's own meetings are the
# only ones about pupils at risk or attendance.)
YEAR_ROUND = [
    # (year groups, subject, focus, purpose, the term's first or second half-term, teaching
    #  week, what will be different)
    (
        [0],
        "",
        Focus.BELOW_EXPECTED,
        "Which Reception children are not on track in communication and language, and what do "
        "we change first?",
        0,
        5,
        "Six children get daily talk sessions with the teaching assistant before lunch.",
    ),
    (
        [4],
        "",
        Focus.DISADVANTAGED,
        "Are Year 4's disadvantaged pupils keeping up in times tables and reading, and where "
        "not, what do we change?",
        1,
        2,
        "Four pupils practise times tables for ten minutes every morning before registration.",
    ),
    (
        [3],
        "Writing",
        Focus.SEND,
        "What do Year 3 pupils with SEND need next to reach the writing curriculum?",
        1,
        5,
        "Writing frames with word banks in every Year 3 writing lesson for three pupils.",
    ),
]
EARLY_READING = "Early reading, Years 1 and 2"
EARLY_READING_AGO = (30, 52)  # school days: a monthly series that has slipped
YEAR_6_WEEK = 4  # of each earlier half-term
# Where they meet: the story's meetings are in the library, so tests tell them apart.
YEAR_ROUND_PLACE = "The head's office"


def _the_year_round(school, timeline: Timeline, *, series, held_on: dt.date) -> int:
    """Oakfield's other meetings of the year shown (see `YEAR_ROUND`), in the head's office;
    how many it made."""
    today = timeline.today
    halves = standard_half_terms(start_year=timeline.start_year)
    terms = [halves[0:2], halves[2:4], halves[4:6]]
    current = next((i for i, term in enumerate(terms) if term[1][1] >= today), len(terms))
    held, made, subjects = [], 0, {}
    for years, subject, focus, purpose, half, week, difference in YEAR_ROUND:
        name = f"{YearGroup(years[0]).label} termly"
        in_series = Series.objects.create(school=school, name=name)
        for index, term in enumerate(terms[: current + 1]):
            day = _in_week(timeline, term[half], week)
            if day >= today and index < current:
                continue
            meeting = _meeting(
                school, focus=focus, purpose=purpose, year_groups=years, date=day,
                series=in_series, chair="leader@oakfield.example",
                recorder="senco@oakfield.example", others=["pp@oakfield.example"],
                timeline=timeline,
            )  # fmt: skip
            made += 1
            subjects[meeting.pk] = subject
            if day < today:
                held.append((meeting, difference))
    reading = Series.objects.create(
        school=school, name=EARLY_READING, cadence=Series.Cadence.MONTHLY
    )
    for ago in EARLY_READING_AGO:
        meeting = _meeting(
            school, focus=Focus.INTERVENTIONS,
            purpose="Is the phonics catch-up working for Years 1 and 2, and who needs what next?",
            year_groups=[1, 2], date=timeline.before(ago), series=reading,
            chair="leader@oakfield.example", recorder="senco@oakfield.example",
            others=["pp@oakfield.example"], timeline=timeline,
        )  # fmt: skip
        held.append((meeting, "Eight pupils move to daily phonics catch-up in small groups."))
        subjects[meeting.pk] = "Reading"
        made += 1
    for first, last in halves:
        if last < held_on and not series.meetings.filter(date__range=(first, last)).exists():
            meeting = _meeting(
                school, focus=Focus.BELOW_EXPECTED,
                purpose="Which Year 6 pupils are below the expected standard in reading and "
                "maths, and what do we do first?",
                year_groups=[6], date=_in_week(timeline, (first, last), YEAR_6_WEEK),
                series=series, chair="leader@oakfield.example",
                recorder="senco@oakfield.example", others=["teacher@oakfield.example"],
                timeline=timeline,
            )  # fmt: skip
            held.append((meeting, "Five pupils are retaught the arithmetic they missed."))
            subjects[meeting.pk] = ""
            made += 1
    for pk, subject in subjects.items():
        Meeting.objects.filter(pk=pk).update(subject=subject, place=YEAR_ROUND_PLACE)
    for meeting, difference in held:
        Meeting.objects.filter(pk=meeting.pk).update(
            status=Meeting.Status.CLOSED,
            started_at=_at(meeting.date, 15, 45),
            closed_at=_at(meeting.date, 16, 30),
            difference=difference,
        )
    return made


def _in_week(timeline: Timeline, half_term: tuple[dt.date, dt.date], week: int) -> dt.date:
    """The Wednesday of a half-term's `week`th teaching week, or its nearest school day inside
    the half-term."""
    first, last = half_term
    day = first - dt.timedelta(days=first.weekday()) + dt.timedelta(weeks=week - 1, days=2)
    if day > last:
        return timeline.on_or_before(last)
    return timeline.on_or_after(max(day, first))

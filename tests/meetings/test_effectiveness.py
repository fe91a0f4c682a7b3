"""Are our meetings working? (`meetings/effectiveness.py`): each figure against a hand count of a
log built here, the action log showing exactly the actions behind it, the periods' boundaries,
repeated concerns and their place on the next shortlist, the governors' version, the downloads,
who may see what, and queries that stay flat.

Today is Monday 23 November 2026, week 4 of Autumn 2 (Mon 2 Nov to Fri 18 Dec); Autumn 1 ran from
Wed 2 Sep to Fri 23 Oct."""

import csv
import datetime as dt
import io
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils.html import escape

from actions.models import Action, Review
from meetings import effectiveness
from meetings.agenda import Section
from meetings.effectiveness import MEASURES, Grouping, PeriodChoice
from meetings.focus import Focus
from meetings.models import Finding, Item, Meeting, SectionTime, Series, Summary
from meetings.shortlist import REPEATED, propose
from progress.models import AcademicYear, HalfTerm, Role
from tests.conftest import LONDON
from tests.factories import (
    AcademicYearFactory,
    ActionFactory,
    MeetingFactory,
    PupilFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db
D = dt.date
WORKING = reverse("meetings:meetings_working")
REPEATED_PAGE = reverse("meetings:repeated_concerns")


def at(day: dt.date, hour: int = 16, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=LONDON)


@pytest.fixture
def school(today):
    AcademicYearFactory(start_year=2025)
    return AcademicYearFactory(start_year=2026, school=AcademicYear.objects.get().school).school


@pytest.fixture
def leader(school):
    return UserFactory(school=school, roles=[Role.SENIOR_LEADER])


def closed_meeting(school, day: dt.date, *, pupils=(), group=(), minutes=45, **fields) -> Meeting:
    """A meeting held on `day` from 15:45 for `minutes`, with an item for each of `pupils` and
    one for the group `group`, closed."""
    meeting = MeetingFactory(school=school, date=day, **fields)
    if pupils or group:
        meeting.confirm_shortlist(
            by=meeting.created_by,
            pupils=[(pupil, "maths fell") for pupil in pupils],
            groups=[("6N group", list(group), "missed fractions")] if group else [],
            over_cap_reason="",
        )
    Meeting.objects.filter(pk=meeting.pk).update(
        status=Meeting.Status.CLOSED,
        started_at=at(day, 15, 45),
        closed_at=at(day, 15, 45) + dt.timedelta(minutes=minutes),
        difference=f"Something changes after {day:%-d %B}.",
    )
    meeting.refresh_from_db()
    return meeting


def action(meeting, pupil=None, **fields) -> Action:
    if pupil is None and "group_name" not in fields:
        fields["pupil"] = None
        fields["group_name"] = "6N group"
    elif pupil is not None:
        fields["pupil"] = pupil
    fields.setdefault("owner", UserFactory(school=meeting.school))
    return ActionFactory(school=meeting.school, meeting=meeting, **fields)


def review(action_, day: dt.date, *, happened="yes", impact=None, decision="continue") -> Review:
    return Review.objects.create(
        school=action_.school, action=action_, happened=happened, impact=impact,
        decision=decision, reviewed_at=at(day),
    )  # fmt: skip


@pytest.fixture
def log(school):
    """Two meetings closed this half-term, one at each focus, with eight actions whose figures
    are counted by hand in the tests below; one closed last half-term, one not closed, and
    another school's, none of which count this half-term."""
    p = [PupilFactory(school=school) for _ in range(10)]
    m1 = closed_meeting(
        school, D(2026, 11, 4), pupils=[p[1], p[2], p[3], p[9]], group=[p[7], p[8]], minutes=50,
        series=Series.objects.create(school=school, name="Year 6"), summaries_due=D(2026, 11, 2),
    )  # fmt: skip
    m2 = closed_meeting(
        school, D(2026, 11, 11), pupils=[p[5], p[6]], minutes=30, length=30,
        focus=Focus.ATTENDANCE,
    )  # fmt: skip
    Item.objects.filter(meeting=m1, pupil=p[9]).update(parked_at=at(D(2026, 11, 4)))
    items = list(m1.items.filter(parked_at=None))
    for index, item in enumerate(items):  # 6, 6, 8 and 6 minutes: 26 of the 20 planned
        start = at(D(2026, 11, 4), 16, 0) + dt.timedelta(minutes=6 * index + 2 * (index > 2))
        length = dt.timedelta(minutes=8 if index == 2 else 6)
        SectionTime.objects.create(
            school=school, meeting=m1, section=Section.PUPILS, item=item, started_at=start,
            ended_at=start + length,
        )  # fmt: skip
    summaries = {s.item.pupil: s for s in Summary.objects.select_related("item__pupil")}
    Summary.objects.filter(pk=summaries[p[1]].pk).update(
        status="ready", updated_at=at(D(2026, 11, 1))
    )
    Summary.objects.filter(pk=summaries[p[2]].pk).update(
        status="ready", updated_at=at(D(2026, 11, 3))
    )
    Summary.objects.filter(pk=summaries[p[3]].pk).update(
        status="draft", updated_at=at(D(2026, 11, 1))
    )
    Summary.objects.filter(pk=summaries[p[5]].pk).update(
        status="ready", updated_at=at(D(2026, 11, 10))
    )
    Finding.objects.create(
        school=school, meeting=m1, kind="teaching", text="Taught once, no worked example."
    )
    Finding.objects.create(school=school, meeting=m1, kind="behaviour", text="Lessons after lunch.")
    Finding.objects.create(
        school=school, meeting=m2, kind="curriculum", text="Fractions come too late."
    )
    gone = UserFactory(school=school, is_active=False)
    a = {
        "a1": action(m1, p[1], kind="reteach", impact_check="a five-question check",
                     start_check_on=D(2026, 11, 6), started_on=D(2026, 11, 6), review_on=D(2026, 11, 9)),
        "a2": action(m1, p[2], kind="intervention", impact_check="words read a minute",
                     start_check_on=D(2026, 11, 11), started_on=D(2026, 11, 20), review_on=D(2026, 11, 18)),
        "a3": action(m1, p[3], kind="attendance", owner=gone,
                     start_check_on=D(2026, 11, 9), review_on=D(2026, 11, 13)),
        "a4": action(m1, kind="classroom", impact_check="books in two weeks",
                     start_check_on=D(2026, 11, 9), started_on=D(2026, 11, 9), review_on=D(2026, 12, 2)),
        "a5": action(m1, p[1], kind="monitoring", start_check_on=D(2026, 11, 30), review_on=D(2026, 11, 20)),
        "a6": action(m1, p[4], kind="intervention", impact_check="the phonics check",
                     start_check_on=D(2026, 11, 27), review_on=D(2026, 11, 25)),
        "b1": action(m2, p[5], kind="attendance", start_check_on=D(2026, 11, 16),
                     started_on=D(2026, 11, 16), review_on=D(2026, 11, 20)),
        "b2": action(m2, p[6], kind="parent_contact", review_on=D(2026, 11, 25)),
    }  # fmt: skip
    # Logged by the recorder: a2 after a refusal; b2 was not logged through the recorder's form.
    Action.objects.filter(pk__in=[a[name].pk for name in a if name != "b2"]).update(
        first_attempt=True
    )
    Action.objects.filter(pk=a["a2"].pk).update(first_attempt=False)
    review(a["a1"], D(2026, 11, 9), impact=2, decision="completed")
    review(a["a2"], D(2026, 11, 20), happened="partly", impact=0)
    review(a["a2"], D(2026, 11, 22), impact=1)
    review(a["a5"], D(2026, 11, 19), happened="no", impact=-1, decision="stop")
    review(a["a6"], D(2026, 11, 20))
    review(a["b1"], D(2026, 11, 20), impact=1, decision="completed")
    # None of these counts this half-term: last half-term's, one still running, another school's.
    m0 = closed_meeting(school, D(2026, 10, 14), pupils=[p[1]])
    action(m0, p[1], review_on=D(2026, 10, 28))
    running = MeetingFactory(school=school, date=D(2026, 11, 23), status=Meeting.Status.RUNNING)
    action(running, p[1], review_on=D(2026, 12, 7))
    elsewhere = closed_meeting(AcademicYearFactory(start_year=2026).school, D(2026, 11, 5))
    action(elsewhere, PupilFactory(school=elsewhere.school), review_on=D(2026, 11, 9))
    return {"m1": m1, "m2": m2, "m0": m0, "pupils": p, **a}


# The hand count: which actions each figure counts, of m1 and m2 this half-term.
HAND_COUNT = {
    "agreed": {"a1", "a2", "a3", "a4", "a5", "a6", "b1", "b2"},
    "owned": {"a1", "a2", "a4", "a5", "a6", "b1", "b2"},  # a3's owner has left
    "logged_live": {"a1", "a2", "a3", "a4", "a5", "a6", "b1"},  # b2's first attempt unknown
    "first_time": {"a1", "a3", "a4", "a5", "a6", "b1"},  # a2 was refused first
    "checkable": {"a1", "a2", "a4", "a5", "a6"},  # a5 is monitoring
    "start_due": {"a1", "a2", "a3", "a4", "b1"},  # start check by today, 23 Nov
    "started": {"a1", "a4", "b1"},  # a2 began nine days after its check
    "review_due": {"a1", "a2", "a3", "a5", "a6", "b1"},  # a6 reviewed early; a4, b2 not yet due
    "reviewed_on_time": {"a1", "a5", "a6", "b1"},
    "reviewed_late": {"a2"},
    "not_reviewed": {"a3"},
    "reviewed": {"a1", "a2", "a5", "a6", "b1"},
    "happened_yes": {"a1", "a2", "a6", "b1"},  # a2's latest review says yes
    "happened_partly": set(),
    "happened_no": {"a5"},
    "impact_plus_2": {"a1"},
    "impact_plus_1": {"a2", "b1"},
    "impact_0": set(),
    "impact_minus_1": {"a5"},
    "impact_minus_2": set(),
    "impact_unknown": {"a6"},
    "teaching": {"a1", "a4"},
    "interventions": {"a2", "a6"},
}
BASE = {key: measure.base for key, measure in MEASURES.items()}


TODAY = D(2026, 11, 23)


def the_report(user, *, choice=PeriodChoice.HALF_TERM, grouping=Grouping.FOCUS, on=TODAY):
    half_terms = HalfTerm.objects.filter(school=user.school).select_related("academic_year")
    period = effectiveness.periods(list(half_terms.order_by("starts_on")), on=on)[choice]
    return effectiveness.report(user, period=period, grouping=grouping, on=on)


class TestFigures:
    def test_every_measure_is_counted_by_hand(self):
        assert set(HAND_COUNT) == set(MEASURES)

    @pytest.mark.parametrize("key", list(HAND_COUNT))
    def test_each_figure_matches_the_hand_count(self, log, leader, key):
        total = the_report(leader).total
        assert total.figures[key].count == len(HAND_COUNT[key])
        if BASE[key]:
            assert total.figures[key].of == len(HAND_COUNT[BASE[key]])

    @pytest.mark.parametrize("key", list(HAND_COUNT))
    def test_the_action_log_shows_exactly_the_actions_behind_each_figure(
        self, client, log, leader, key
    ):
        client.force_login(leader)
        figure = the_report(leader).total.figures[key]
        shown = client.get(figure.url).context["page"]
        assert shown.paginator.count == len(shown.object_list)  # one page: all of them
        assert {action.pk for action in shown} == {log[name].pk for name in HAND_COUNT[key]}
        if BASE[key]:
            base = client.get(figure.base_url).context["page"]
            assert base.paginator.count == figure.of

    def test_the_log_says_which_figure_it_shows_and_keeps_it_while_filtering(
        self, client, log, leader
    ):
        client.force_login(leader)
        url = the_report(leader).total.figures["reviewed_on_time"].url
        page = client.get(url)
        assert "those reviewed by their review date, of 2 meetings" in page.text
        narrowed = client.get(url + "&kind=attendance", headers={"HX-Request": "true"})
        assert {a.pk for a in narrowed.context["page"].object_list} == {log["b1"].pk}

    def test_figures_by_focus_split_the_meetings(self, log, leader):
        groups = the_report(leader).groups
        assert [row.name for row in groups] == [
            Focus.AT_RISK.label,
            Focus.ATTENDANCE.label,
        ]
        at_risk, attendance = groups
        assert at_risk.figures["agreed"].count == 6
        assert attendance.figures["reviewed_on_time"].count == 1
        assert attendance.figures["reviewed_on_time"].of == 1

    def test_figures_by_series_put_meetings_in_none_last(self, log, leader):
        groups = the_report(leader, grouping=Grouping.SERIES).groups
        assert [(row.name, len(row.meetings)) for row in groups] == [
            ("Year 6", 1),
            ("Not in a series", 1),
        ]

    def test_pupils_items_minutes_and_summaries(self, log, leader):
        report = the_report(leader)
        m1, m2 = report.meetings
        p = log["pupils"]
        # Discussed (the parked item is not) and given an action of their own (p4).
        assert m1.pupils == {p[1].pk, p[2].pk, p[3].pk, p[4].pk, p[7].pk, p[8].pk}
        assert m1.items == 4
        assert (m1.item_minutes.used, m1.item_minutes.planned) == (6.5, 5.0)
        assert (m1.meeting_minutes.used, m1.meeting_minutes.planned) == (50, 45)
        assert m2.item_minutes is None  # its times were not kept
        assert m1.summaries == (1, 4)  # p2's was ready a day late, p3's a draft, p9's not begun
        assert m2.summaries == (1, 2)  # no deadline: ready before it started
        total = report.total
        assert len(total.pupils) == 8
        assert (total.meeting_minutes.used, total.meeting_minutes.planned) == (40, 37.5)
        assert total.summaries == (2, 6)
        assert [f.text for f in total.findings] == [
            "Taught once, no worked example.",
            "Fractions come too late.",
        ]
        assert [m.difference for m in total.answers] == [
            "Something changes after 4 November.",
            "Something changes after 11 November.",
        ]

    def test_another_schools_meetings_and_actions_are_never_counted(self, log):
        other = UserFactory(
            school=Meeting.objects.exclude(school=log["m1"].school).get().school,
            roles=[Role.SENIOR_LEADER],
        )
        total = the_report(other).total
        assert len(total.meetings) == 1
        assert total.figures["agreed"].count == 1


class TestPeriods:
    @pytest.fixture
    def meetings(self, school):
        return {
            day: closed_meeting(school, day)
            for day in (
                D(2026, 7, 22),
                D(2026, 9, 2),
                D(2026, 10, 23),
                D(2026, 11, 2),
                D(2026, 12, 18),
            )
        }

    @pytest.mark.parametrize(
        ("choice", "days"),
        [
            (PeriodChoice.HALF_TERM, [D(2026, 11, 2), D(2026, 12, 18)]),
            (PeriodChoice.LAST_HALF_TERM, [D(2026, 9, 2), D(2026, 10, 23)]),
            (PeriodChoice.TERM, [D(2026, 9, 2), D(2026, 10, 23), D(2026, 11, 2), D(2026, 12, 18)]),
            (PeriodChoice.YEAR, [D(2026, 9, 2), D(2026, 10, 23), D(2026, 11, 2), D(2026, 12, 18)]),
            (PeriodChoice.LAST_YEAR, [D(2026, 7, 22)]),
        ],
    )
    def test_a_period_holds_its_first_and_last_days(self, meetings, leader, choice, days):
        report = the_report(leader, choice=choice)
        assert [row.meetings[0].meeting.date for row in report.meetings] == days

    def test_in_a_holiday_this_half_term_is_the_one_just_ended(self, school):
        half_terms = list(HalfTerm.objects.select_related("academic_year").order_by("starts_on"))
        found = effectiveness.periods(half_terms, on=D(2026, 10, 28))  # October half-term
        assert found[PeriodChoice.HALF_TERM].name == "Autumn 1 2026/27"
        assert found[PeriodChoice.TERM].name == "Autumn term 2026/27"
        assert found[PeriodChoice.LAST_YEAR].name == "2025/26"

    def test_without_a_calendar_the_page_says_so(self, client):
        leader = UserFactory(roles=[Role.SENIOR_LEADER])
        client.force_login(leader)
        page = client.get(WORKING)
        assert page.status_code == 200
        assert "No school calendar covers today" in page.text


class TestRepeatedConcerns:
    @pytest.fixture
    def history(self, school):
        """Three meetings in the Year 6 series, and a fourth since: what each pupil's actions
        and reviews were."""
        series = Series.objects.create(school=school, name="Year 6")
        days = [D(2026, 6, 10), D(2026, 9, 16), D(2026, 10, 14), D(2026, 11, 4)]
        meetings = [closed_meeting(school, day, series=series) for day in days]
        tyler, amy, ben, cal = (
            PupilFactory(school=school, legal_forename=n, legal_surname=f"{n}son")
            for n in ("Tyler", "Amy", "Ben", "Cal")
        )
        for meeting in meetings[:3]:  # Tyler: attendance at three, never better
            review(action(meeting, tyler), meeting.date + dt.timedelta(days=14), impact=0)
        for meeting in meetings[:3]:  # Amy: better after the second, so one since
            action(meeting, amy, barrier_category="knowledge", kind="reteach")
        review(Action.objects.get(meeting=meetings[1], pupil=amy), D(2026, 10, 1), impact=1)
        for _ in range(3):  # Ben: three actions at one meeting is one meeting
            action(meetings[2], ben)
        action(meetings[0], cal)  # Cal: attendance at two, fluency at one
        action(meetings[1], cal)
        action(meetings[2], cal, barrier_category="fluency", kind="intervention")
        return {"meetings": meetings, "tyler": tyler, "amy": amy, "ben": ben, "cal": cal}

    def test_a_pupil_and_barrier_raised_at_three_meetings_without_positive_impact(
        self, history, leader
    ):
        (concern,) = effectiveness.repeated_concerns(leader, on=D(2026, 11, 23))
        assert (concern.pupil, concern.category) == (history["tyler"], "attendance")
        assert [day for day, _ in concern.meetings] == [
            D(2026, 6, 10),
            D(2026, 9, 16),
            D(2026, 10, 14),
        ]
        assert len(concern.actions) == 3
        assert concern.reason == (
            "raised at 3 meetings without positive impact: attendance "
            "(10 Jun 2026, 16 Sep 2026, 14 Oct 2026)"
        )

    def test_a_positive_review_starts_the_count_again(self, history, leader, school):
        amy, meetings = history["amy"], history["meetings"]
        action(meetings[3], amy, barrier_category="knowledge", kind="reteach")
        assert [c.pupil for c in effectiveness.repeated_concerns(leader, on=D(2026, 11, 23))] == [
            history["tyler"]
        ]  # better on 1 Oct: raised on 14 Oct and 4 Nov since, two meetings
        action(closed_meeting(school, D(2026, 11, 18)), amy, barrier_category="knowledge")
        concerns = effectiveness.repeated_concerns(leader, on=D(2026, 11, 23))
        (again,) = [c for c in concerns if c.pupil == amy]
        assert [day for day, _ in again.meetings] == [
            D(2026, 10, 14),
            D(2026, 11, 4),
            D(2026, 11, 18),
        ]

    def test_as_it_stood_when_a_period_began(self, history, leader):
        report = the_report(leader)  # Autumn 2 began on 2 Nov: Tyler's third was on 14 Oct
        assert (report.repeated_now, report.repeated_before) == (1, 1)
        earlier = the_report(leader, choice=PeriodChoice.LAST_HALF_TERM)  # from 2 Sep: two then
        assert earlier.repeated_before == 0

    def test_proposed_for_the_next_meeting_of_their_scope_with_the_history(
        self, client, history, leader
    ):
        tyler = history["tyler"]
        coming = MeetingFactory(school=tyler.school, date=D(2026, 11, 30), year_groups=[6])
        year_5 = MeetingFactory(school=tyler.school, date=D(2026, 11, 25), year_groups=[5])
        proposals = {p.pupil: p for p in propose(meeting=coming, on=D(2026, 11, 23))}
        assert (
            proposals[tyler]
            .reasons[REPEATED]
            .startswith("raised at 3 meetings without positive impact: attendance")
        )
        assert next(iter(proposals)) == tyler  # first, as a parked pupil would be
        assert not proposals[tyler].doing_well
        assert tyler not in {p.pupil for p in propose(meeting=year_5, on=D(2026, 11, 23))}
        (concern,) = effectiveness.repeated_concerns(leader, on=D(2026, 11, 23))
        assert concern.next_meeting == coming
        client.force_login(coming.created_by)
        page = client.get(reverse("meetings:meeting_shortlist", args=[coming.pk]))
        assert "Raised again" in page.text
        assert f"{REPEATED_PAGE}#pupil-{tyler.pk}" in page.text

    def test_the_page_counts_them_with_each_history(self, client, history, leader):
        client.force_login(leader)
        page = client.get(REPEATED_PAGE)
        assert page.status_code == 200
        assert "1 pupil</strong>" in page.text
        assert escape(history["tyler"].name) in page.text  # a name may be O'Sullivan
        assert escape(history["amy"].name) not in page.text

    def test_a_pupil_who_has_left_is_not_a_concern_now(self, history, leader):
        history["tyler"].date_left = D(2026, 11, 1)
        history["tyler"].save()
        assert effectiveness.repeated_concerns(leader, on=D(2026, 11, 23)) == []


class TestGovernors:
    def with_pupils(self, school, count: int, focus) -> Meeting:
        pupils = [PupilFactory(school=school) for _ in range(count)]
        meeting = closed_meeting(school, D(2026, 11, 4), pupils=pupils[:6], focus=focus)
        for pupil in pupils[6:]:
            action(meeting, pupil)
        return meeting

    def test_a_group_of_four_pupils_is_not_shown_and_one_of_five_is(self, client, school, leader):
        self.with_pupils(school, 4, Focus.AT_RISK)
        self.with_pupils(school, 5, Focus.ATTENDANCE)
        report = the_report(leader)
        four, five = report.groups
        assert (len(four.pupils), four.suppressed) == (4, True)
        assert (len(five.pupils), five.suppressed) == (5, False)
        client.force_login(leader)
        page = client.get(WORKING + "?for=governors")
        assert "fewer than 5 pupils" in page.text
        assert "Something changes after" not in page.text  # the chairs' words may name pupils
        assert "/actions/?" not in page.text  # no link to a log of names

    def test_the_staff_view_shows_every_group(self, client, school, leader):
        self.with_pupils(school, 4, Focus.AT_RISK)
        client.force_login(leader)
        page = client.get(WORKING)
        assert "fewer than 5 pupils" not in page.text
        assert "Something changes after 4 November." in page.text

    def test_repeated_concerns_become_counts_without_names(self, client, school, leader):
        meetings = [closed_meeting(school, D(2026, 10, day)) for day in (5, 12, 19)]
        pupils = [PupilFactory(school=school, year_group=year) for year in (6, 6, 6, 6, 6, 5)]
        for pupil in pupils:
            for meeting in meetings:
                action(meeting, pupil)
        client.force_login(leader)
        page = client.get(REPEATED_PAGE + "?for=governors")
        assert escape(pupils[0].name) not in page.text
        counts = page.context["counts"]
        assert counts["barrier"] == [("Attendance", "6")]
        assert counts["year"] == [("Year 5", "fewer than 5"), ("Year 6", "5")]
        rows = list(
            csv.reader(
                io.StringIO(
                    client.get(REPEATED_PAGE + "?for=governors&format=csv").content.decode(
                        "utf-8-sig"
                    )
                )
            )
        )
        assert rows == [
            ["By", "Group", "Pupils"],
            ["Barrier", "Attendance", "6"],
            ["Year group", "Year 5", "fewer than 5"],
            ["Year group", "Year 6", "5"],
            ["All", "All pupils", "6"],
        ]


def read_csv(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


class TestDownloads:
    def test_the_csv_has_a_row_for_each_group_the_period_and_each_meeting(
        self, client, log, leader
    ):
        client.force_login(leader)
        rows = read_csv(client.get(WORKING + "?format=csv"))
        head = rows[0]
        by_name = {(row[0], row[1]): dict(zip(head, row, strict=False)) for row in rows[1:]}
        period = by_name["Period", "All meetings"]
        assert period["Meetings"] == "2"
        assert period["Pupils discussed"] == "8"
        assert period["Reviewed by the review date"] == "4"
        assert period["Review date passed or reviewed"] == "6"
        assert period["Impact +1 better"] == "2"
        assert period["Minutes an item, used"] == "6.5"
        assert period["Summaries ready on time"] == "2"
        assert by_name["Focus", Focus.ATTENDANCE.label]["Actions agreed"] == "2"
        meeting = by_name["Meeting", Focus.AT_RISK.label]
        assert meeting["What will be different for pupils"] == "Something changes after 4 November."

    def test_the_governors_csv_leaves_out_meetings_words_and_small_groups(
        self, client, log, leader
    ):
        client.force_login(leader)
        rows = read_csv(client.get(WORKING + "?for=governors&format=csv"))
        assert "What will be different for pupils" not in rows[0]
        assert {row[0] for row in rows[1:]} == {"Focus", "Period"}
        attendance = next(row for row in rows if row[1] == Focus.ATTENDANCE.label)
        assert attendance[4:] == ["fewer than 5"]  # two pupils

    @pytest.mark.parametrize("governors", [False, True])
    def test_each_pdf_is_one_page_however_much_there_is(
        self, client, school, leader, drawn_pdfs, governors
    ):
        earlier = [closed_meeting(school, D(2026, 10, day)) for day in (5, 12)]
        for index, focus in enumerate([*Focus][:9]):  # nine groups, 54 repeated concerns
            pupils = [
                PupilFactory(school=school, legal_surname="Featherstonehaugh-O’Connor")
                for _ in range(6)
            ]
            meeting = closed_meeting(school, D(2026, 11, 3 + index), focus=focus, pupils=pupils)
            Meeting.objects.filter(pk=meeting.pk).update(difference="Words " * 66)
            for pupil in pupils:
                for meeting_ in (*earlier, meeting):
                    agreed = action(meeting_, pupil, text="Reteach it with a worked example " * 8)
                    review(agreed, D(2026, 11, 20), impact=-1)
        client.force_login(leader)
        for url in (WORKING, WORKING + "?by=series&period=term", REPEATED_PAGE):
            query = {"format": "pdf", **({"for": "governors"} if governors else {})}
            response = client.get(url, query)
            assert response["Content-Type"] == "application/pdf"
            assert len(drawn_pdfs[-1].pages) == 1, url

    def test_downloads_are_in_the_audit_log(self, client, log, leader):
        client.force_login(leader)
        client.get(WORKING + "?format=csv&for=governors")
        from progress.models import AccessEvent

        assert AccessEvent.objects.get().what.endswith("for governors) as CSV")


class TestAccess:
    @pytest.mark.parametrize("roles", [[Role.SENIOR_LEADER], [Role.SENCO], [Role.HEAD_OF_YEAR]])
    def test_leaders_and_line_managers_may_see_it(self, client, log, roles):
        user = UserFactory(school=log["m1"].school, roles=roles, remit_year_groups=[6])
        client.force_login(user)
        for url in (WORKING, REPEATED_PAGE, WORKING + "?format=csv"):
            assert client.get(url).status_code == 200, url

    @pytest.mark.parametrize(
        "roles", [[Role.TEACHER], [Role.TEACHING_ASSISTANT], [Role.SCHOOL_ADMIN]]
    )
    def test_nobody_else_may(self, client, log, roles):
        client.force_login(UserFactory(school=log["m1"].school, roles=roles))
        for url in (WORKING, REPEATED_PAGE, WORKING + "?format=pdf&for=governors"):
            assert client.get(url).status_code == 403, url

    @pytest.mark.parametrize(
        ("roles", "linked"),
        [([Role.SENIOR_LEADER], True), ([Role.HEAD_OF_YEAR], True), ([Role.TEACHER], False)],
    )
    def test_the_home_page_links_it_for_those_who_may_see_it(self, client, school, roles, linked):
        client.force_login(UserFactory(school=school, roles=roles, remit_year_groups=[6]))
        assert (WORKING in client.get(reverse("home")).text) == linked

    def test_a_line_manager_sees_only_meetings_they_attend_and_their_pupils_actions(
        self, client, log
    ):
        school = log["m1"].school
        head = UserFactory(school=school, roles=[Role.HEAD_OF_YEAR], remit_year_groups=[5])
        assert the_report(head).total.meetings == []
        log["m2"].attendees.create(school=school, user=head, role="other")
        total = the_report(head).total
        assert [m.meeting for m in total.meetings] == [log["m2"]]
        # The pupils on the agenda of a meeting they attend are theirs; the others' are not.
        assert total.figures["agreed"].count == 2
        client.force_login(head)
        url = total.figures["agreed"].url
        assert {a.pk for a in client.get(url).context["page"].object_list} == {
            log["b1"].pk,
            log["b2"].pk,
        }

    def test_the_log_ignores_a_meeting_the_user_may_not_see(self, client, log, school):
        other = Meeting.objects.exclude(school=school).get()
        client.force_login(UserFactory(school=school, roles=[Role.SENIOR_LEADER]))
        page = client.get(effectiveness.log_urls([other.pk])("agreed"))
        assert list(page.context["page"].object_list) == []


README_ROW = (
    "| are our meetings working?; repeated concerns (3 closed meetings of 3 pupils, then of 12) "
    "| {}; {} |"
)
PAGE_QUERIES = {WORKING: 15, REPEATED_PAGE: 11}


class TestQueries:
    def test_the_readme_quotes_the_figures_asserted_here(self):
        readme = (Path(__file__).resolve().parents[2] / "README.md").read_text()
        assert README_ROW.format(*PAGE_QUERIES.values()) in readme

    def school_of(self, school, pupils: int) -> None:
        """`pupils` pupils discussed at a closed meeting, each with two reviewed actions and a
        summary, and each raised at three meetings: everything the pages count."""
        everyone = [PupilFactory(school=school) for _ in range(pupils)]
        meetings = [
            closed_meeting(school, D(2026, 11, day), pupils=everyone[:6]) for day in (3, 10, 17)
        ]
        for meeting in meetings:
            SectionTime.objects.create(
                school=school, meeting=meeting, section=Section.PUPILS, started_at=at(meeting.date, 16),
                ended_at=at(meeting.date, 16, 20),
            )  # fmt: skip
            Finding.objects.create(school=school, meeting=meeting, kind="teaching", text="x")
            for pupil in everyone:
                review(action(meeting, pupil), D(2026, 11, 20), impact=0)

    @pytest.mark.parametrize(
        ("url", "queries"),
        [
            (WORKING, PAGE_QUERIES[WORKING]),
            (WORKING + "?for=governors&by=series", PAGE_QUERIES[WORKING]),
            (REPEATED_PAGE, PAGE_QUERIES[REPEATED_PAGE]),
        ],
    )
    def test_the_pages_cost_the_same_for_few_or_many_pupils(
        self, client, school, leader, django_assert_num_queries, url, queries
    ):
        client.force_login(leader)
        self.school_of(school, 3)
        with django_assert_num_queries(queries):
            assert client.get(url).status_code == 200
        Meeting.objects.all().delete()
        self.school_of(school, 12)
        with django_assert_num_queries(queries):
            assert client.get(url).status_code == 200

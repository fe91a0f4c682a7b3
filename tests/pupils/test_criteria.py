import datetime as dt
import random

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from pupils import criteria
from pupils.criteria import Criterion, reasons
from pupils.domain import SenProvision, YearGroup
from pupils.models import (
    AssessmentPoint,
    AttendanceMark,
    AttendanceSummary,
    BehaviourIncident,
    Characteristics,
    Intervention,
    InterventionPlace,
    Pupil,
    Result,
    Scale,
)
from tests.factories import AcademicYearFactory, PupilFactory, national_scale

pytestmark = pytest.mark.django_db

ON = dt.date(2026, 11, 23)  # Monday, week 4 of Autumn 2 (Autumn 1: 2 Sep to 23 Oct 2026)


@pytest.fixture
def year():
    return AcademicYearFactory(start_year=2026)


@pytest.fixture
def pupil(year):
    return PupilFactory(school=year.school, date_of_birth=dt.date(2015, 3, 14))


def why(pupil, on: dt.date = ON) -> dict:
    """The pupil's reasons, the same whether `reasons` reads the pupil's census and attendance
    itself or is handed them, as the pupil list and profile hand it what they show."""
    pupils = Pupil.objects.filter(pk=pupil.pk)
    found = reasons(pupils=pupils, on=on)
    handed = reasons(
        pupils=pupils,
        on=on,
        characteristics=criteria.current_characteristics(pupils, on),
        attendance=criteria.attendance(pupils=pupils, on=on, by_weekday=False),
    )
    assert handed == found
    return found.get(pupil.pk, {})


def mark(pupil, day: dt.date, code: str, sessions=("AM", "PM")) -> None:
    for session in sessions:
        AttendanceMark.objects.create(
            school=pupil.school, pupil=pupil, date=day, session=session, code=code
        )


def school_days(first: dt.date, last: dt.date) -> list[dt.date]:
    days = (first + dt.timedelta(n) for n in range((last - first).days + 1))
    return [day for day in days if day.weekday() < 5]


def summary(pupil, possible: int, present: int) -> None:
    period(pupil, dt.date(2026, 9, 2), dt.date(2026, 11, 20), possible=possible, present=present)


def period(pupil, first: dt.date, last: dt.date, *, possible: int, present: int) -> None:
    AttendanceSummary.objects.create(
        school=pupil.school, pupil=pupil, starts_on=first, ends_on=last,
        possible_sessions=possible, present_sessions=present,
    )  # fmt: skip


def results(pupil, scale_name: str, codes: list[str], subject="Maths") -> None:
    scale = Scale.objects.get(name=scale_name)
    for index, code in enumerate(codes):
        point, _ = AssessmentPoint.objects.get_or_create(
            school=pupil.school, name=f"Point {index}",
            defaults={"academic_year_id": pupil.school.academic_years.get().pk, "date": dt.date(2026, 9, 10) + dt.timedelta(weeks=3 * index)},
        )  # fmt: skip
        Result.objects.create(
            school=pupil.school,
            pupil=pupil,
            point=point,
            subject=subject,
            scale=scale,
            step=scale.steps.get(code=code),
        )


class TestAttendance:
    def test_at_90_0_percent_is_persistent_absence(self, pupil):
        summary(pupil, possible=1000, present=900)

        assert (
            why(pupil)[Criterion.ATTENDANCE_DROPPED]
            == "attendance 90.0% this year, persistent absence"
        )

    def test_at_90_1_percent_is_not(self, pupil):
        summary(pupil, possible=1000, present=901)

        assert Criterion.ATTENDANCE_DROPPED not in why(pupil)

    def test_at_50_0_percent_is_severe(self, pupil):
        summary(pupil, possible=100, present=50)

        assert (
            why(pupil)[Criterion.ATTENDANCE_DROPPED] == "attendance 50.0% this year, severe absence"
        )

    def test_a_drop_of_three_points_since_last_half_term(self, pupil):
        for day in school_days(dt.date(2026, 9, 2), dt.date(2026, 10, 23)):
            mark(pupil, day, "/")
        autumn_2 = school_days(dt.date(2026, 11, 2), ON)
        for day in autumn_2:
            mark(pupil, day, "/")
        AttendanceMark.objects.filter(pupil=pupil, date=autumn_2[0]).update(
            code="I"
        )  # 2 of 32 sessions

        assert why(pupil)[Criterion.ATTENDANCE_DROPPED] == "93.8% this half-term, down from 100.0%"

    def test_a_drop_under_three_points_is_not_flagged(self, pupil):
        for day in school_days(dt.date(2026, 9, 2), ON):
            mark(pupil, day, "/")
        AttendanceMark.objects.filter(pupil=pupil, date=dt.date(2026, 11, 2), session="AM").update(
            code="I"
        )
        AttendanceMark.objects.filter(pupil=pupil, date=dt.date(2026, 10, 2)).update(code="M")

        assert Criterion.ATTENDANCE_DROPPED not in why(pupil)  # 96.9% now after 97.4%

    def test_approved_activities_count_as_present(self, pupil):
        for day in school_days(dt.date(2026, 9, 2), ON):
            mark(pupil, day, "V")

        assert Criterion.ATTENDANCE_DROPPED not in why(pupil)

    def test_reception_children_not_yet_five_are_not_flagged(self, year):
        child = PupilFactory(
            school=year.school, year_group=YearGroup.RECEPTION, date_of_birth=dt.date(2021, 10, 1)
        )
        summary(child, possible=100, present=60)

        assert Criterion.ATTENDANCE_DROPPED not in why(child)

    @pytest.mark.parametrize(
        ("born", "flagged"),
        [(dt.date(2021, 9, 1), True), (dt.date(2021, 9, 2), False)],  # five on 1 September, or not
    )
    def test_five_on_the_first_of_september_is_school_age(self, year, born, flagged):
        child = PupilFactory(school=year.school, year_group=YearGroup.RECEPTION, date_of_birth=born)
        summary(child, possible=100, present=60)

        assert (Criterion.ATTENDANCE_DROPPED in why(child)) is flagged

    def test_absences_on_the_same_two_weekdays(self, pupil):
        for day in school_days(dt.date(2026, 11, 2), ON):
            mark(pupil, day, "I" if day.weekday() in (0, 4) and day.day < 15 else "/")

        assert (
            why(pupil)[Criterion.ABSENCES_ON_DAYS]
            == "8 of 8 absences this half-term on Mondays and Fridays"
        )

    def test_three_absences_are_not_a_pattern(self, pupil):
        for day in school_days(dt.date(2026, 11, 2), ON):
            mark(pupil, day, "/")
        AttendanceMark.objects.filter(
            pupil=pupil, date__in=[dt.date(2026, 11, 2), dt.date(2026, 11, 9)]
        ).exclude(date=dt.date(2026, 11, 9), session="PM").update(code="O")

        assert Criterion.ABSENCES_ON_DAYS not in why(pupil)

    def test_absences_spread_over_the_week_are_not_a_pattern(self, pupil):
        for day in school_days(dt.date(2026, 11, 2), ON):
            mark(pupil, day, "I" if day <= dt.date(2026, 11, 6) else "/")

        assert Criterion.ABSENCES_ON_DAYS not in why(pupil)


AUTUMN_1 = (dt.date(2026, 9, 2), dt.date(2026, 10, 23))
AUTUMN_2 = (dt.date(2026, 11, 2), dt.date(2026, 11, 20))  # so far
FIRST_DAY = dt.date(2026, 9, 2)  # the first school day of 2026/27


class TestAttendanceAtTheEdges:
    @pytest.mark.parametrize(
        ("present", "possible", "reason"),
        [
            (180, 200, "attendance 90.0% this year, persistent absence"),
            (181, 201, None),  # 90.049…%: approaching, not persistent
            (100, 200, "attendance 50.0% this year, severe absence"),
            (1001, 2000, "attendance 50.1% this year, persistent absence"),  # 50.05%
            (190, 200, None),
            (189, 199, None),  # 94.97%: approaching is no criterion
        ],
    )
    def test_the_year_is_judged_on_the_exact_figure(self, pupil, present, possible, reason):
        summary(pupil, possible=possible, present=present)

        assert why(pupil).get(Criterion.ATTENDANCE_DROPPED) == reason

    @pytest.mark.parametrize(
        ("before", "now", "reason"),
        [
            ((186, 200), (180, 200), "90.0% this half-term, down from 93.0%"),  # 3 points exactly
            ((186, 200), (181, 201), None),  # 93.0 to 90.049…: 2.95 points
            ((2324, 2500), (180, 200), None),  # 92.96 (shown 93.0) to 90.0: 2.96 points
        ],
    )
    def test_a_drop_is_judged_on_the_exact_difference(self, pupil, before, now, reason):
        period(pupil, *AUTUMN_1, present=before[0], possible=before[1])
        period(pupil, *AUTUMN_2, present=now[0], possible=now[1])

        assert why(pupil).get(Criterion.ATTENDANCE_DROPPED) == reason

    def test_absences_on_the_same_days_at_exactly_the_share(self, pupil):
        for day in school_days(*AUTUMN_2):
            mark(pupil, day, "/")
        absent = {
            (dt.date(2026, 11, 2), "AM"), (dt.date(2026, 11, 2), "PM"), (dt.date(2026, 11, 9), "AM"),
            (dt.date(2026, 11, 3), "AM"), (dt.date(2026, 11, 3), "PM"), (dt.date(2026, 11, 10), "AM"),
            (dt.date(2026, 11, 4), "AM"), (dt.date(2026, 11, 11), "AM"),
            (dt.date(2026, 11, 5), "AM"), (dt.date(2026, 11, 6), "AM"),
        }  # fmt: skip
        for day, session in absent:
            AttendanceMark.objects.filter(pupil=pupil, date=day, session=session).update(code="I")

        assert (
            why(pupil)[Criterion.ABSENCES_ON_DAYS]
            == "6 of 10 absences this half-term on Mondays and Tuesdays"
        )  # 60% exactly


class TestTooEarlyToJudge:
    def test_one_session_missed_on_the_first_day_of_september_is_not_severe_absence(self, pupil):
        mark(pupil, FIRST_DAY, "/", sessions=("AM",))
        mark(pupil, FIRST_DAY, "I", sessions=("PM",))

        assert Criterion.ATTENDANCE_DROPPED not in why(pupil, on=FIRST_DAY)

    def test_early_in_the_year_last_years_figure_is_judged_and_named(self, pupil):
        AcademicYearFactory(school=pupil.school, start_year=2025)
        period(pupil, dt.date(2025, 9, 3), dt.date(2026, 7, 22), possible=1000, present=881)
        mark(pupil, FIRST_DAY, "I")

        assert why(pupil, on=FIRST_DAY)[Criterion.ATTENDANCE_DROPPED] == (
            "attendance 88.1% last year, persistent absence; "
            "too early to judge this year (2 sessions)"
        )

    @pytest.mark.parametrize(("possible", "judged"), [(19, False), (20, True)])
    def test_this_year_is_judged_from_twenty_sessions(self, pupil, possible, judged):
        AcademicYearFactory(school=pupil.school, start_year=2025)
        period(pupil, dt.date(2025, 9, 3), dt.date(2026, 7, 22), possible=1000, present=881)
        period(pupil, FIRST_DAY, dt.date(2026, 9, 29), possible=possible, present=possible)

        reason = why(pupil, on=dt.date(2026, 9, 30)).get(Criterion.ATTENDANCE_DROPPED)

        # Until then last year's persistent absence stands; from then this year's 100% does.
        assert (reason is None) == judged

    def test_the_first_day_of_a_half_term_is_no_drop(self, pupil):
        period(pupil, *AUTUMN_1, possible=200, present=192)  # 96%
        mark(pupil, dt.date(2026, 11, 2), "I")  # 0% of two sessions

        assert Criterion.ATTENDANCE_DROPPED not in why(pupil, on=dt.date(2026, 11, 2))

    @pytest.mark.parametrize(
        ("possible", "reason"), [(9, None), (10, "90.0% this half-term, down from 100.0%")]
    )
    def test_a_half_term_is_compared_from_ten_sessions(self, pupil, possible, reason):
        period(pupil, *AUTUMN_1, possible=200, present=200)
        # One session missed: 8 of 9 (88.9%) is too few sessions to judge; 9 of 10 is a drop.
        period(
            pupil,
            dt.date(2026, 11, 2),
            dt.date(2026, 11, 6),
            possible=possible,
            present=possible - 1,
        )

        assert why(pupil, on=dt.date(2026, 11, 9)).get(Criterion.ATTENDANCE_DROPPED) == reason

    def test_absences_are_not_a_weekday_pattern_before_a_week_of_the_half_term(self, pupil):
        period(pupil, *AUTUMN_1, possible=200, present=200)
        for day in (dt.date(2026, 11, 2), dt.date(2026, 11, 3)):
            mark(pupil, day, "I")  # four absences, all on Monday and Tuesday: the only days yet

        assert Criterion.ABSENCES_ON_DAYS not in why(pupil, on=dt.date(2026, 11, 3))


class TestAttainment:
    @pytest.mark.parametrize(
        ("score", "flagged"), [("94", False), ("95", True), ("99", True), ("100", False)]
    )
    def test_below_expected_but_close_is_95_to_99_on_the_ks2_scale(self, pupil, score, flagged):
        results(pupil, "KS2 scaled score", [score])

        assert (Criterion.BELOW_EXPECTED_CLOSE in why(pupil)) is flagged

    def test_below_expected_but_close_is_one_step_on_teacher_assessment(self, pupil):
        results(pupil, "Primary teacher assessment", ["WTS"])

        assert why(pupil)[Criterion.BELOW_EXPECTED_CLOSE] == "maths WTS, just below expected"

    def test_a_step_lost_is_progress_slowed(self, pupil):
        results(pupil, "Primary teacher assessment", ["EXS", "WTS"])

        assert why(pupil)[Criterion.PROGRESS_SLOWED] == "maths fell from EXS to WTS"

    def test_fewer_steps_than_the_interval_before_is_progress_slowed(self, pupil):
        results(pupil, "KS2 scaled score", ["90", "94", "95"])

        assert (
            why(pupil)[Criterion.PROGRESS_SLOWED]
            == "maths slowed: 4 steps, then 1 step since Point 1"
        )

    def test_steady_progress_is_not_slowed(self, pupil):
        results(pupil, "KS2 scaled score", ["90", "92", "94"])

        assert Criterion.PROGRESS_SLOWED not in why(pupil)

    def test_at_expected_with_no_step_gained_is_coasting(self, pupil):
        results(pupil, "KS2 scaled score", ["104", "103"])

        assert (
            why(pupil)[Criterion.COASTING]
            == "maths 103, at or above expected, no gain since Point 0"
        )

    def test_holding_a_judged_standard_is_on_track_not_coasting(self, pupil):
        results(pupil, "Primary teacher assessment", ["GDS", "EXS", "EXS"])

        assert Criterion.COASTING not in why(pupil)
        assert Criterion.PROGRESS_SLOWED not in why(pupil)

    def test_high_prior_attainment_now_slipping_is_coasting(self, pupil):
        results(pupil, "GCSE grade", ["7", "3"])

        assert Criterion.COASTING in why(pupil)

    def test_below_expected_and_flat_is_not_coasting(self, pupil):
        results(pupil, "KS2 scaled score", ["92", "92"])

        assert Criterion.COASTING not in why(pupil)

    def test_two_steps_gained_is_doing_well(self, pupil):
        results(pupil, "KS2 scaled score", ["96", "98"])

        assert why(pupil)[Criterion.DOING_WELL] == "maths up 2 steps since Point 0"

    def test_a_disadvantaged_pupil_at_expected_is_doing_well(self, pupil, year):
        Characteristics.objects.create(
            school=pupil.school, pupil=pupil, academic_year=year, pupil_premium=True
        )
        results(pupil, "Primary teacher assessment", ["EXS"])
        results(pupil, "Primary teacher assessment", ["GDS"], subject="Reading")

        assert (
            why(pupil)[Criterion.DOING_WELL]
            == "pupil premium, at or above expected in maths and reading"
        )

    def test_reading_age_behind_chronological_age_is_close(self, pupil):
        point = AssessmentPoint.objects.create(
            school=pupil.school,
            academic_year=pupil.school.academic_years.get(),
            name="Autumn",
            date=dt.date(2026, 9, 14),
        )
        # 11 years 6 months old on 14 Sep 2026; a reading age of 11 years 2 months is 4 months behind
        Result.objects.create(
            school=pupil.school,
            pupil=pupil,
            point=point,
            subject="Reading age",
            scale=Scale.objects.get(name="Reading age"),
            months=134,
        )

        assert (
            why(pupil)[Criterion.BELOW_EXPECTED_CLOSE] == "reading age 11y 2m, just below expected"
        )


class TestBehaviour:
    def incidents(self, pupil, days_ago: list[int]) -> None:
        for days in days_ago:
            BehaviourIncident.objects.create(
                school=pupil.school,
                pupil=pupil,
                date=ON - dt.timedelta(days=days),
                kind="Disruption",
            )

    def test_more_incidents_in_the_last_four_weeks(self, pupil):
        self.incidents(pupil, [1, 27, 30])

        assert (
            why(pupil)[Criterion.BEHAVIOUR_INCREASING]
            == "2 behaviour incidents in the last 4 weeks, up from 1"
        )

    @pytest.mark.parametrize("days_ago", [[1, 2, 30, 31], [1], [28, 29]])
    def test_not_flagged_when_not_increasing(self, pupil, days_ago):
        self.incidents(pupil, days_ago)

        assert Criterion.BEHAVIOUR_INCREASING not in why(pupil)


class TestInterventions:
    def place(self, pupil, *, review_on=None, ends_on=None, exit_measure=""):
        intervention = Intervention.objects.create(
            school=pupil.school, name=f"Lexia {review_on}{ends_on}", review_on=review_on
        )
        InterventionPlace.objects.create(
            school=pupil.school, intervention=intervention, pupil=pupil, starts_on=dt.date(2026, 9, 14),
            ends_on=ends_on, exit_measure=exit_measure,
        )  # fmt: skip

    def test_review_within_seven_days(self, pupil):
        self.place(pupil, review_on=ON + dt.timedelta(days=7))

        assert (
            why(pupil)[Criterion.INTERVENTION_REVIEW]
            == "Lexia 2026-11-30None: review due 30 Nov 2026"
        )

    def test_review_in_eight_days_is_not_yet_due(self, pupil):
        self.place(pupil, review_on=ON + dt.timedelta(days=8))

        assert Criterion.INTERVENTION_REVIEW not in why(pupil)

    def test_ended_with_no_exit_measure(self, pupil):
        self.place(pupil, ends_on=dt.date(2026, 11, 6))

        assert (
            why(pupil)[Criterion.INTERVENTION_REVIEW]
            == "Lexia None2026-11-06 ended 6 Nov 2026 with no exit measure"
        )

    def test_ended_with_an_exit_measure_is_done(self, pupil):
        self.place(pupil, ends_on=dt.date(2026, 11, 6), exit_measure="Reading age 9y 4m")

        assert Criterion.INTERVENTION_REVIEW not in why(pupil)


class TestSendPlan:
    @pytest.mark.parametrize(
        ("provision", "review_on", "expected"),
        [
            (
                SenProvision.SEN_SUPPORT,
                dt.date(2026, 11, 23),
                "SEN support, plan review due 23 Nov 2026",
            ),
            (SenProvision.EHC_PLAN, None, "EHC plan, no plan review date recorded"),
            (SenProvision.SEN_SUPPORT, dt.date(2026, 11, 24), None),
            (SenProvision.NONE, None, None),
        ],
    )
    def test_plans_whose_review_has_come(self, pupil, year, provision, review_on, expected):
        Characteristics.objects.create(
            school=pupil.school,
            pupil=pupil,
            academic_year=year,
            sen_provision=provision,
            send_plan_review_on=review_on,
        )

        assert why(pupil).get(Criterion.SEND_PLAN_REVIEW) == expected


class TestQuerySet:
    def test_meeting_filters_by_one_criterion(self, year):
        flagged, other = PupilFactory.create_batch(2, school=year.school)
        results(flagged, "Primary teacher assessment", ["EXS", "WTS"])
        results(other, "Primary teacher assessment", ["EXS", "GDS"])

        assert list(criteria.meeting(Pupil.objects.all(), Criterion.PROGRESS_SLOWED, on=ON)) == [
            flagged
        ]

    def test_one_criterion_alone_finds_what_all_of_them_find(self, year):
        """A filter by one criterion reads only the latest results it judges; on varied
        histories, with scales changing, two results on one day, reading ages and a pupil
        premium, it finds the same pupils, for the
        same reasons, as the shortlist that reads every result."""
        draw = random.Random(17)
        steps = {
            national_scale("Primary teacher assessment"): ["PKS", "WTS", "EXS", "GDS"],
            national_scale("KS2 scaled score"): [str(score) for score in range(92, 114, 2)],
        }
        reading_age = national_scale("Reading age")
        points = [
            AssessmentPoint.objects.create(
                school=year.school,
                academic_year=year,
                name=f"Point {index}",
                # Points 2 and 3 on the same day: the latest is the one set up last.
                date=dt.date(2026, 9, 10)
                + dt.timedelta(weeks=2 * min(index, 2) + max(index - 3, 0)),
            )
            for index in range(6)
        ]
        for pupil in PupilFactory.create_batch(40, school=year.school):
            if draw.random() < 0.3:
                Characteristics.objects.create(
                    school=pupil.school, pupil=pupil, academic_year=year, pupil_premium=True
                )
            for subject in ("Maths", "Reading"):
                for point in points[: draw.randint(1, 6)]:
                    scale = draw.choice(list(steps)) if draw.random() < 0.1 else list(steps)[1]
                    Result.objects.create(
                        school=year.school, pupil=pupil, point=point, subject=subject,
                        scale=scale, step=scale.steps.get(code=draw.choice(steps[scale])),
                    )  # fmt: skip
            for point in points[: draw.randint(0, 6)]:  # months; the pupil is 140 months old
                Result.objects.create(
                    school=year.school, pupil=pupil, point=point, subject="Reading age",
                    scale=reading_age, months=draw.randint(128, 152),
                )  # fmt: skip
        pupils = Pupil.objects.all()

        every = reasons(pupils=pupils, on=ON)

        for criterion in criteria.RESULTS_JUDGED:
            alone = reasons(pupils=pupils, on=ON, only=[criterion])
            expected = {pk: found[criterion] for pk, found in every.items() if criterion in found}
            assert {pk: found[criterion] for pk, found in alone.items()} == expected
            assert expected, f"no pupil is {criterion.label.lower()}: the test shows nothing"

    def test_queries_do_not_grow_with_pupils(self, year):
        def count_queries(n: int) -> int:
            pupils = PupilFactory.create_batch(n, school=year.school)
            for pupil in pupils:
                results(pupil, "Primary teacher assessment", ["EXS", "WTS"])
                summary(pupil, possible=100, present=80)
            with CaptureQueriesContext(connection) as queries:
                reasons(pupils=Pupil.objects.filter(pk__in=[p.pk for p in pupils]), on=ON)
            return len(queries)

        assert count_queries(2) == count_queries(12)


class TestReadingAge:
    def reading_ages(self, pupil, months: list[tuple[dt.date, int]]) -> None:
        scale = Scale.objects.get(name="Reading age")
        for index, (day, value) in enumerate(months):
            point = AssessmentPoint.objects.create(
                school=pupil.school,
                academic_year=pupil.school.academic_years.get(),
                name=f"P{index}",
                date=day,
            )
            Result.objects.create(
                school=pupil.school,
                pupil=pupil,
                point=point,
                subject="Reading age",
                scale=scale,
                months=value,
            )

    def test_keeping_pace_with_age_is_no_gain(self, pupil):
        # four months older, four months more reading age: neither slowed nor doing well
        self.reading_ages(pupil, [(dt.date(2026, 7, 14), 140), (dt.date(2026, 11, 14), 144)])

        assert Criterion.PROGRESS_SLOWED not in why(pupil)
        assert Criterion.DOING_WELL not in why(pupil)

    def test_results_after_the_day_are_not_counted(self, pupil):
        self.reading_ages(pupil, [(dt.date(2026, 7, 14), 140), (dt.date(2026, 11, 24), 100)])

        assert Criterion.PROGRESS_SLOWED not in why(pupil)

    def test_a_reading_age_standing_still_falls_behind(self, pupil):
        self.reading_ages(pupil, [(dt.date(2026, 7, 14), 140), (dt.date(2026, 11, 14), 140)])

        assert (
            why(pupil)[Criterion.PROGRESS_SLOWED]
            == "reading age 11y 8m to 11y 8m, 4 months further behind the pupil's age since P0"
        )

"""The school patterns: each picture's figures against hand counts at their edges, the governors'
version, who may see them, and what they cost in queries."""

import datetime as dt
from fractions import Fraction

import pytest
from django.urls import reverse
from django.utils.html import escape

from progress.models import AccessEvent, HalfTerm, Role
from pupils import criteria, facts, reports
from pupils.domain import SenProvision, age_in_months
from pupils.models import (
    AssessmentPoint,
    AttendanceMark,
    BehaviourIncident,
    Characteristics,
    Pupil,
    Result,
    Scale,
)
from pupils.pattern_charts import absence_bin, behaviour_bin
from pupils.school_patterns import (
    absent_on,
    attainment_picture,
    attendance_picture,
    behaviour_incidents,
    behaviour_picture,
    behaviour_since,
    census_groups,
    groups_picture,
)
from tests.factories import AcademicYearFactory, PupilFactory, SchoolFactory, UserFactory, named

pytestmark = pytest.mark.django_db


# Two assessment points this autumn, four weeks apart, before today (23 November 2026).
POINTS = [dt.date(2026, 10, 1), dt.date(2026, 10, 29)]
MONDAY = dt.date(2026, 11, 2)  # Autumn 2's first day


@pytest.fixture
def school(today):
    return AcademicYearFactory(start_year=2026).school


@pytest.fixture
def leader(school):
    return UserFactory(school=school, roles=[Role.SENIOR_LEADER])


def results(pupil, subject: str, scale_name: str, codes) -> None:
    """`pupil`'s results in `subject`, one at each of POINTS: step codes, or months of reading
    age (ints) on the reading-age scale."""
    scale = Scale.objects.get(name=scale_name, school__isnull=True)
    for index, code in enumerate(codes):
        point, _ = AssessmentPoint.objects.get_or_create(
            school=pupil.school,
            name=f"Point {index}",
            defaults={"academic_year": pupil.school.academic_years.get(), "date": POINTS[index]},
        )
        fields = {"months": code} if isinstance(code, int) else {"step": scale.steps.get(code=code)}
        Result.objects.create(
            school=pupil.school, pupil=pupil, point=point, subject=subject, scale=scale, **fields
        )


def census(pupil, **fields) -> None:
    Characteristics.objects.create(
        school=pupil.school,
        pupil=pupil,
        academic_year=pupil.school.academic_years.get(),
        **fields,
    )


def marks(pupil, day: dt.date, am: str, pm: str) -> None:
    for session, code in (("AM", am), ("PM", pm)):
        AttendanceMark.objects.create(
            school=pupil.school, pupil=pupil, date=day, session=session, code=code
        )


def incident(pupil, day: dt.date, lesson: str = "", time: dt.time | None = None):
    return BehaviourIncident.objects.create(
        school=pupil.school, pupil=pupil, date=day, time=time, lesson=lesson, kind="Disruption"
    )


def picture_of(school, subject=""):
    subjects = facts.attainment(Pupil.objects.filter(school=school), on=dt.date(2026, 11, 23))
    return attainment_picture(subjects, subject=subject, thresholds=criteria.Thresholds())


class TestAttainmentAgainstProgress:
    def test_each_pupil_is_placed_by_attainment_now_and_steps_gained(self, school):
        """KS2 scaled scores: expected 100, close from 95, higher from 110; gaining strongly
        from 2 steps, as doing well."""
        held = PupilFactory(school=school)
        results(held, "Maths test", "KS2 scaled score", ["100", "100"])
        one_step = PupilFactory(school=school)
        results(one_step, "Maths test", "KS2 scaled score", ["98", "99"])
        two_steps = PupilFactory(school=school)
        results(two_steps, "Maths test", "KS2 scaled score", ["99", "101"])
        fell = PupilFactory(school=school)
        results(fell, "Maths test", "KS2 scaled score", ["101", "99"])
        once = PupilFactory(school=school)
        results(once, "Maths test", "KS2 scaled score", ["104"])

        picture = picture_of(school)

        assert picture.subject == "Maths test"
        assert picture.cell("expected", "held").pupils == {held.pk}
        assert picture.cell("close", "gained").pupils == {one_step.pk}
        assert picture.cell("expected", "strong").pupils == {two_steps.pk}
        assert picture.cell("close", "lost").pupils == {fell.pk}
        assert (picture.compared, picture.once) == (4, 1)
        assert picture.progress_labels["strong"] == "Gained strongly (2+ steps)"

    def test_coasting_is_at_or_above_expected_with_no_step_gained(self, school):
        coasting = PupilFactory(school=school)
        results(coasting, "Maths test", "KS2 scaled score", ["100", "100"])
        higher_then_fell = PupilFactory(school=school)
        results(higher_then_fell, "Maths test", "KS2 scaled score", ["110", "99"])
        gaining = PupilFactory(school=school)
        results(gaining, "Maths test", "KS2 scaled score", ["100", "101"])
        close_held = PupilFactory(school=school)
        results(close_held, "Maths test", "KS2 scaled score", ["99", "99"])

        picture = picture_of(school)

        # As the shortlist's criterion: once at the higher standard counts too.
        assert picture.coasting.pupils == {coasting.pk, higher_then_fell.pk}

    def test_catching_up_is_below_expected_before_and_a_step_gained_since(self, school):
        close_to_expected = PupilFactory(school=school)
        results(close_to_expected, "Maths test", "KS2 scaled score", ["99", "100"])
        below_gaining = PupilFactory(school=school)
        results(below_gaining, "Maths test", "KS2 scaled score", ["90", "91"])
        expected_gaining = PupilFactory(school=school)
        results(expected_gaining, "Maths test", "KS2 scaled score", ["100", "103"])
        below_held = PupilFactory(school=school)
        results(below_held, "Maths test", "KS2 scaled score", ["90", "90"])

        picture = picture_of(school)

        assert picture.catching_up.pupils == {close_to_expected.pk, below_gaining.pk}

    def test_holding_a_teacher_assessment_is_on_track_not_coasting(self, school):
        held = PupilFactory(school=school)
        results(held, "Maths", "Primary teacher assessment", ["EXS", "EXS"])
        caught_up = PupilFactory(school=school)
        results(caught_up, "Maths", "Primary teacher assessment", ["WTS", "EXS"])

        picture = picture_of(school)

        assert picture.coasting.count == 0
        assert picture.catching_up.pupils == {caught_up.pk}
        assert picture.cell("expected", "held").pupils == {held.pk}

    def test_a_reading_age_catches_up_once_the_gap_narrows_by_three_months(self, school):
        """The gain is in months beyond the pupil's own age: keeping pace is no gain."""
        born = dt.date(2015, 3, 14)
        ages = [age_in_months(born, day) for day in POINTS]
        three = PupilFactory(school=school, date_of_birth=born)
        results(three, "Reading age", "Reading age", [ages[0] - 12, ages[1] - 12 + 3])
        two = PupilFactory(school=school, date_of_birth=born)
        results(two, "Reading age", "Reading age", [ages[0] - 12, ages[1] - 12 + 2])

        picture = picture_of(school, "Reading age")

        assert picture.unit == "months"
        assert picture.catching_up.pupils == {three.pk}
        assert picture.cell("below", "gained").pupils == {three.pk, two.pk}

    def test_the_subject_most_assessed_twice_is_shown_first(self, school):
        for _ in range(2):
            results(PupilFactory(school=school), "Maths", "Primary teacher assessment", ["EXS"] * 2)
        results(PupilFactory(school=school), "Reading", "Primary teacher assessment", ["EXS"] * 2)

        assert picture_of(school).subject == "Maths"
        assert picture_of(school, "Reading").subject == "Reading"
        assert picture_of(school, "Drama").subject == "Maths"


class TestAttendanceHeatMap:
    def test_a_cell_is_the_share_of_possible_sessions_missed(self, school):
        present_then_absent = PupilFactory(school=school)
        marks(present_then_absent, MONDAY, "/", "O")
        ill = PupilFactory(school=school)
        marks(ill, MONDAY, "I", "I")
        not_possible = PupilFactory(school=school)
        marks(not_possible, MONDAY, "X", "/")
        marks(ill, MONDAY + dt.timedelta(days=1), "/", "/")  # Tuesday

        picture = attendance_picture(
            Pupil.objects.filter(school=school), on=dt.date(2026, 11, 23), school_id=school.pk
        )

        autumn_2 = HalfTerm.objects.get(school=school, number=2)
        cell = picture.cell(autumn_2, 1)
        assert (cell.possible, cell.absent, cell.pupils, cell.absent_pupils) == (5, 3, 3, 2)
        assert cell.rate == 60
        assert picture.cell(autumn_2, 2).rate == 0
        assert picture.half_terms == [autumn_2]  # only half-terms with registers
        pupils = absent_on(
            Pupil.objects.filter(school=school), half_term=autumn_2, weekday=1, on=MONDAY
        )
        assert set(pupils) == {present_then_absent, ill}

    def test_marks_after_the_day_are_left_out(self, school):
        pupil = PupilFactory(school=school)
        marks(pupil, dt.date(2026, 11, 30), "O", "O")

        picture = attendance_picture(
            Pupil.objects.filter(school=school), on=dt.date(2026, 11, 23), school_id=school.pk
        )

        assert picture.half_terms == []

    @pytest.mark.parametrize(
        ("rate", "label"),
        [
            (Fraction(399, 100), "under 4%"),
            (Fraction(4), "4% to under 6%"),
            (Fraction(799, 100), "6% to under 8%"),
            (Fraction(8), "8% to under 10%"),
            (Fraction(10), "10% or more"),
        ],
    )
    def test_heat_bins_start_at_their_lower_edge(self, rate, label):
        assert absence_bin(rate).label == label

    @pytest.mark.parametrize(
        ("share", "label"),
        [
            (Fraction(1, 4), "up to a quarter of the busiest"),
            (Fraction(26, 100), "up to half"),
            (Fraction(3, 4), "up to three quarters"),
            (Fraction(1), "more than three quarters"),
        ],
    )
    def test_behaviour_bins_end_at_their_upper_edge(self, share, label):
        assert behaviour_bin(share).label == label


class TestBehaviourByLessonAndTime:
    def test_rows_follow_the_school_day_and_cells_count_incidents_and_pupils(self, school):
        one, two = PupilFactory(school=school), PupilFactory(school=school)
        friday = dt.date(2026, 11, 20)
        incident(one, friday, "P5", dt.time(14, 5))
        incident(one, friday, "P5", dt.time(14, 10))
        incident(two, friday, "P5", dt.time(14, 5))
        incident(two, friday - dt.timedelta(days=4), "P1", dt.time(9, 10))
        incident(one, friday, "Lunch", dt.time(12, 50))
        incident(two, friday, "", dt.time(16, 0))
        incident(two, friday)
        incident(one, dt.date(2026, 11, 21), "P1")  # a Saturday

        on = dt.date(2026, 11, 23)
        picture = behaviour_picture(
            behaviour_incidents(Pupil.objects.filter(school=school), on=on), on=on
        )

        assert list(picture.rows.values()) == [
            "P1", "Lunch", "P5", "After school (no lesson)", "Lesson and time not recorded",
        ]  # fmt: skip
        friday_p5 = picture.cell("lesson:P5", 5)
        assert (friday_p5.incidents, friday_p5.pupils) == (3, {one.pk, two.pk})
        assert picture.cell("lesson:P1", 1).incidents == 1
        assert (picture.total, picture.weekend) == (7, 1)

    def test_the_last_twelve_weeks_count_today_and_not_a_day_more(self, school):
        pupil = PupilFactory(school=school)
        on = dt.date(2026, 11, 23)
        since = behaviour_since(on)
        incident(pupil, since, "P1")
        incident(pupil, since - dt.timedelta(days=1), "P2")

        picture = behaviour_picture(
            behaviour_incidents(Pupil.objects.filter(school=school), on=on), on=on
        )

        assert since == dt.date(2026, 9, 1)
        assert list(picture.rows) == ["lesson:P1"]


class TestGroupsAgainstOthers:
    def test_each_group_counts_its_pupils_with_a_figure(self, school):
        both = PupilFactory(school=school)
        census(both, pupil_premium=True, sen_provision=SenProvision.SEN_SUPPORT)
        results(both, "Maths", "Primary teacher assessment", ["EXS", "EXS"])
        premium = PupilFactory(school=school)
        census(premium, pupil_premium=True)
        results(premium, "Maths", "Primary teacher assessment", ["EXS", "WTS"])
        no_record = PupilFactory(school=school)
        results(no_record, "Maths", "Primary teacher assessment", ["WTS", "WTS"])
        unassessed = PupilFactory(school=school)
        census(unassessed)
        incident(unassessed, dt.date(2026, 11, 23), "P1")
        on = dt.date(2026, 11, 23)
        pupils = Pupil.objects.filter(school=school)

        picture = groups_picture(
            census_groups(pupils, on=on),
            subjects_by_pupil=facts.attainment(pupils, on=on),
            judged_attendance={},
            incidents=behaviour_incidents(pupils, on=on),
            on=on,
        )

        assert picture.sizes == {"disadvantaged": 2, "send": 1, "others": 2}
        expected = picture.share("expected", "disadvantaged")
        assert (expected.count, expected.total) == (1, 2)
        assert picture.share("expected", "send").percent == 100
        assert (picture.share("expected", "others").count, picture.share("expected", "others").total) == (0, 1)  # fmt: skip
        lost = picture.share("lost_ground", "disadvantaged")
        assert lost.met == {premium.pk}
        behaviour = picture.share("behaviour", "others")
        assert (behaviour.count, behaviour.total) == (1, 2)
        assert picture.share("attendance", "others").total == 0


class TestGovernorsFigures:
    @pytest.mark.parametrize(("count", "hidden"), [(0, False), (1, True), (4, True), (5, False)])
    def test_a_count_from_one_to_four_is_withheld(self, count, hidden):
        assert reports.withheld(count) == hidden
        shown = reports.count_text(count, governors=True)
        assert (shown == "fewer than 5") == hidden
        assert reports.count_text(count, governors=False) == str(count)

    def test_one_withheld_count_takes_the_next_smallest_with_it(self):
        assert reports.suppressed({"a": 3, "b": 7, "c": 12, "d": 0}) == {"a", "b"}
        assert reports.suppressed({"a": 3, "b": 4, "c": 12}) == {"a", "b"}
        assert reports.suppressed({"a": 5, "b": 12, "c": 0}) == set()

    def test_a_share_is_withheld_when_either_count_is_under_five(self):
        assert reports.share_text(4, 20, governors=True) == "withheld: fewer than 5 pupils"
        assert reports.share_text(0, 4, governors=True) == "withheld: fewer than 5 pupils"
        assert reports.share_text(0, 5, governors=True) == "0 of 5 (0%)"
        assert reports.share_text(5, 20, governors=True) == "5 of 20 (25%)"
        assert reports.share_text(4, 20, governors=False) == "4 of 20 (20%)"


def a_cohort(school, size: int, *, year_group: int = 5) -> list[Pupil]:
    """`size` pupils with teacher assessments, registers, behaviour and a census record."""
    pupils = []
    for index in range(size):
        pupil = PupilFactory(school=school, year_group=year_group)
        census(pupil, pupil_premium=index % 3 == 0)
        results(pupil, "Maths", "Primary teacher assessment", ["WTS", "EXS"])
        marks(pupil, MONDAY, "/", "O" if index % 2 else "/")
        incident(pupil, dt.date(2026, 11, 20), "P5", dt.time(14, 5))
        pupils.append(pupil)
    return pupils


URL = reverse("pupils:school_patterns")


class TestSchoolPatternsPage:
    def test_a_leader_sees_four_pictures_each_named_with_a_table_beside_it(self, client, leader):
        a_cohort(leader.school, 6)
        client.force_login(leader)

        response = client.get(URL)

        html = response.content.decode()
        assert response.status_code == 200
        assert html.count('role="img"') == 4
        for chart in ("attainment", "attendance", "behaviour", "groups"):
            assert f'aria-labelledby="{chart}-chart-title"' in html
            assert f'aria-describedby="{chart}-chart-desc"' in html
            assert f'<title id="{chart}-chart-title">' in html
        assert html.count("<details") == 4
        assert "Catching up: 6 pupils" in html
        assert "pupils/patterns/pupils/?picture=attainment" in html
        assert f"{reverse('meetings:meeting_create')}?focus=coasting" in html

    def test_a_year_group_and_its_meeting_link(self, client, leader):
        a_cohort(leader.school, 5, year_group=5)
        a_cohort(leader.school, 7, year_group=6)
        client.force_login(leader)

        response = client.get(URL, {"year": 5})

        assert response.context["patterns"].pupils == 5
        assert response.context["meetings"]["attendance"].endswith("focus=attendance&year_groups=5")

    def test_a_head_of_year_sees_only_their_year(self, client, school):
        a_cohort(school, 5, year_group=5)
        a_cohort(school, 7, year_group=6)
        head = UserFactory(school=school, roles=[Role.HEAD_OF_YEAR], remit_year_groups=[5])
        client.force_login(head)

        response = client.get(URL)

        assert response.status_code == 200
        assert response.context["patterns"].pupils == 5
        assert [year for year, _ in response.context["years"]] == [5]

    @pytest.mark.parametrize(
        "roles", [[Role.TEACHER], [Role.INTERVENTION_LEAD], [Role.SCHOOL_ADMIN]]
    )
    def test_others_may_not_see_the_patterns(self, client, school, roles):
        client.force_login(UserFactory(school=school, roles=roles))

        assert client.get(URL).status_code == 403
        assert (
            client.get(reverse("pupils:pattern_pupils"), {"picture": "groups"}).status_code == 403
        )

    def test_another_schools_pupils_are_never_counted(self, client, leader):
        a_cohort(leader.school, 5)
        elsewhere = AcademicYearFactory(start_year=2026, school=SchoolFactory()).school
        a_cohort(elsewhere, 9)
        client.force_login(leader)

        response = client.get(URL)
        other_half_term = HalfTerm.objects.get(school=elsewhere, number=2)
        behind = client.get(
            reverse("pupils:pattern_pupils"),
            {"picture": "attendance", "half_term": other_half_term.pk, "weekday": 1},
        )

        patterns = response.context["patterns"]
        assert patterns.pupils == 5
        assert patterns.attainment.catching_up.count == 5
        autumn_2 = HalfTerm.objects.get(school=leader.school, number=2)
        assert patterns.attendance.cell(autumn_2, 1).pupils == 5
        assert behind.status_code == 404

    def test_the_query_count_does_not_grow_with_the_pupils(
        self, client, leader, django_assert_num_queries
    ):
        client.force_login(leader)
        a_cohort(leader.school, 3)
        with django_assert_num_queries(QUERIES) as few:
            assert client.get(URL).status_code == 200
        a_cohort(leader.school, 12)
        with django_assert_num_queries(QUERIES):
            assert client.get(URL).status_code == 200
        assert len(few) == QUERIES


QUERIES = 17  # the README's "school patterns" row, which tests/test_figures.py asserts


class TestThePupilsBehind:
    def test_a_cell_lists_its_pupils_with_a_meeting_link(self, client, leader):
        cohort = a_cohort(leader.school, 6)
        other = PupilFactory(school=leader.school, year_group=5, legal_surname="Outside-Cell")
        results(other, "Maths", "Primary teacher assessment", ["EXS", "EXS"])
        client.force_login(leader)

        response = client.get(
            reverse("pupils:pattern_pupils"),
            {"picture": "attainment", "subject": "Maths", "standing": "expected",
             "progress": "gained", "year": 5},
        )  # fmt: skip

        html = response.content.decode()
        assert response.status_code == 200
        assert response.context["page"].paginator.count == 6
        assert escape(cohort[0].surname) in html  # a name may be O'Sullivan
        assert escape(other.surname) not in html
        assert "Maths: at the expected standard, gained (1 step) since the last point" in html
        assert "WTS (Point 0), then EXS" in html
        assert "focus=coasting&amp;year_groups=5" in html

    def test_the_pupils_absent_on_a_weekday(self, client, leader):
        cohort = a_cohort(leader.school, 4)
        client.force_login(leader)
        autumn_2 = HalfTerm.objects.get(school=leader.school, number=2)

        response = client.get(
            reverse("pupils:pattern_pupils"),
            {"picture": "attendance", "half_term": autumn_2.pk, "weekday": 1},
        )

        assert set(response.context["page"].object_list) == {cohort[1], cohort[3]}
        assert response.context["column"] == "Sessions missed on Mondays"
        assert [figure for _, _, figure in response.context["rows"]] == ["1 session"] * 2
        assert (
            "Absent at least one session on a Monday in Autumn 2 2026/27"
            in response.content.decode()
        )

    def test_a_behaviour_cell_puts_the_most_incidents_first(self, client, leader):
        one, two = PupilFactory(school=leader.school), PupilFactory(school=leader.school)
        friday = dt.date(2026, 11, 20)
        incident(one, friday, "P5", dt.time(14, 5))
        incident(two, friday, "P5", dt.time(14, 5))
        incident(two, friday - dt.timedelta(weeks=1), "P5", dt.time(14, 5))
        incident(two, friday, "P4", dt.time(12, 5))
        client.force_login(leader)

        response = client.get(
            reverse("pupils:pattern_pupils"),
            {"picture": "behaviour", "row": "lesson:P5", "weekday": 5},
        )

        rows = [(pupil, figure) for pupil, _, figure in response.context["rows"]]
        assert rows == [(two, "2 incidents"), (one, "1 incident")]

    def test_a_group_and_a_measure(self, client, leader):
        cohort = a_cohort(leader.school, 6)
        client.force_login(leader)

        response = client.get(
            reverse("pupils:pattern_pupils"),
            {"picture": "groups", "group": "disadvantaged", "measure": "behaviour"},
        )

        assert set(response.context["page"].object_list) == {cohort[0], cohort[3]}
        assert "focus=disadvantaged" in response.content.decode()

    def test_an_unknown_cell_is_not_found(self, client, leader):
        client.force_login(leader)

        for params in (
            {"picture": "weather"},
            {"picture": "behaviour", "row": "lesson:P9", "weekday": 1},
            {"picture": "groups", "group": "tall", "measure": "behaviour"},
        ):
            assert client.get(reverse("pupils:pattern_pupils"), params).status_code == 404


def text_of(document) -> str:
    def boxes(box):
        if hasattr(box, "text"):
            yield box.text
        for child in getattr(box, "children", []):
            yield from boxes(child)

    return " ".join(text for page in document.pages for text in boxes(page._page_box))


class TestFiles:
    def test_the_governors_csv_names_nobody_and_withholds_small_groups(self, client, leader):
        cohort = a_cohort(leader.school, 5)
        four = a_cohort(leader.school, 4, year_group=6)
        client.force_login(leader)

        response = client.get(URL, {"format": "csv", "for": "governors"})

        text = response.content.decode("utf-8-sig")
        assert response["Content-Type"] == "text/csv; charset=utf-8"
        assert (
            'filename="school-patterns-governors-2026-11-23.csv"' in response["Content-Disposition"]
        )
        for pupil in [*cohort, *four]:
            assert not named(pupil, text)
        # Nine pupils went from WTS to EXS: shown; three disadvantaged of them: withheld.
        assert "At the expected standard,0,0,9,0,0,9" in text
        assert "withheld: fewer than 5 pupils" in text
        assert AccessEvent.objects.filter(what__contains="governors' school patterns").exists()

    def test_the_staff_csv_shows_every_count(self, client, leader):
        a_cohort(leader.school, 4)
        client.force_login(leader)

        text = client.get(URL, {"format": "csv"}).content.decode("utf-8-sig")

        assert "At the expected standard,0,0,4,0,0,4" in text
        assert "fewer than 5" not in text

    @pytest.mark.parametrize("audience", [{}, {"for": "governors"}])
    def test_the_pdf_is_one_page_with_the_most_rows_a_picture_has(
        self, client, leader, drawn_pdfs, time_machine, audience
    ):
        """Six half-terms of registers and behaviour in ten places in the day."""
        time_machine.move_to(dt.datetime(2027, 7, 14, 10, 0), tick=False)
        cohort = a_cohort(leader.school, 6)
        for half_term in HalfTerm.objects.filter(school=leader.school):
            tuesday = half_term.starts_on + dt.timedelta(
                days=(8 - half_term.starts_on.weekday()) % 7
            )
            for pupil in cohort:
                marks(pupil, tuesday, "/", "O")
        lessons = ["P1", "P2", "P3", "P4", "Lunch", "P5", "P6", "Registration"]
        for index, lesson in enumerate(lessons):
            incident(cohort[0], dt.date(2027, 7, 12), lesson, dt.time(8 + index, 30))
        incident(cohort[1], dt.date(2027, 7, 12), "", dt.time(17, 0))
        incident(cohort[1], dt.date(2027, 7, 12), "", dt.time(8, 0))
        incident(cohort[1], dt.date(2027, 7, 13))
        client.force_login(leader)

        response = client.get(URL, {"format": "pdf", **audience})

        assert response["Content-Type"] == "application/pdf"
        document = drawn_pdfs[-1]
        assert len(document.pages) == 1
        on, pupils = dt.date(2027, 7, 14), Pupil.objects.filter(school=leader.school)
        assert len(attendance_picture(pupils, on=on, school_id=leader.school.pk).half_terms) == 6
        assert len(behaviour_picture(behaviour_incidents(pupils, on=on), on=on).rows) == 11
        text = text_of(document)
        if audience:
            assert "no pupil is named" in text
            assert not any(named(pupil, text) for pupil in cohort)

"""Interventions' impact and drift: the figures against hand counts at their edges, the actions
that used each, the governors' version, who may see it, and what it costs in queries."""

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone

from actions.intervention_views import HEADER, row
from actions.interventions import Measure, intervention_figures
from actions.models import Action, Review
from progress.models import AccessEvent, Role
from pupils.importing import importer_for, read_table
from pupils.models import Intervention, InterventionPlace, Pupil
from tests.factories import (
    AcademicYearFactory,
    ActionFactory,
    PupilFactory,
    SchoolFactory,
    UserFactory,
    named,
)

pytestmark = pytest.mark.django_db


URL = reverse("actions:intervention_impact")
STARTED = dt.date(2026, 9, 14)


@pytest.fixture
def school(today):
    return AcademicYearFactory(start_year=2026).school


@pytest.fixture
def leader(school):
    return UserFactory(school=school, roles=[Role.SENIOR_LEADER])


def intervention(school, name="Lexia reading", **fields) -> Intervention:
    return Intervention.objects.create(school=school, name=name, **fields)


def place(intervention, pupil=None, **fields) -> InterventionPlace:
    pupil = pupil or PupilFactory(school=intervention.school)
    return InterventionPlace.objects.create(
        school=intervention.school,
        intervention=intervention,
        pupil=pupil,
        starts_on=fields.pop("starts_on", STARTED),
        **fields,
    )


def agreed(action: Action, day: dt.date) -> Action:
    at = dt.datetime.combine(day, dt.time(16, 0), tzinfo=timezone.get_current_timezone())
    Action.objects.filter(pk=action.pk).update(created_at=at)
    action.refresh_from_db()
    return action


def review(action: Action, impact: int | None, day: dt.date) -> Review:
    at = dt.datetime.combine(day, dt.time(16, 0), tzinfo=timezone.get_current_timezone())
    return Review.objects.create(
        school=action.school, action=action, happened="yes", decision="continue",
        impact=impact, reviewed_at=at, what_changed="Reads faster", evidence="Lexia reports",
    )  # fmt: skip


def figures_of(school, on=dt.date(2026, 11, 23)):
    return {
        found.intervention.name: found
        for found in intervention_figures(
            pupils=Pupil.objects.filter(school=school), school=school, on=on
        )
    }


class TestMeasures:
    @pytest.mark.parametrize(
        ("text", "kind", "value", "unit"),
        [
            ("Reading age 8y 3m", "reading age (months)", Decimal(99), "months"),
            ("reading age 8 years 11 m", "reading age (months)", Decimal(107), "months"),
            ("Scaled score 94", "scaled score #", Decimal(94), "points"),
            ("Attendance 82.5%", "attendance # %", Decimal("82.5"), "percentage points"),
        ],
    )
    def test_a_measure_is_read_as_a_number_of_its_kind(self, text, kind, value, unit):
        measure = Measure.read(text)
        assert (measure.kind, measure.value, measure.unit) == (kind, value, unit)

    def test_words_alone_are_no_measure(self):
        assert Measure.read("Secure in class") is None


class TestFigures:
    def test_sessions_entry_against_exit_and_cost(self, school):
        lexia = intervention(school, cost=Decimal("1200"))
        place(lexia, sessions_planned=30, sessions_attended=25,
              entry_measure="Reading age 8y 3m", exit_measure="Reading age 8y 9m")  # fmt: skip
        place(lexia, sessions_planned=30, sessions_attended=20,
              entry_measure="Reading age 7y 0m", exit_measure="Reading age 7y 2m")  # fmt: skip
        place(lexia, sessions_planned=None, sessions_attended=12, entry_measure="Reading age 9y")
        unlike = place(lexia, entry_measure="Scaled score 90", exit_measure="Reading age 8y 0m")

        found = figures_of(school)["Lexia reading"]

        assert found.sessions == (45, 60)
        assert found.sessions_pupils == 2
        assert sorted(p.change for p in found.measured) == [2, 6]
        assert found.improved == 2
        assert found.average_change == (Decimal("4.0"), "months")
        assert next(p for p in found.places if p.place == unlike).change is None
        assert found.cost_per_place == 300

    def test_the_actions_that_used_it_and_their_latest_impact(self, school):
        lexia = intervention(school)
        intervention(school, name="Toe by Toe")
        on_it, late = PupilFactory(school=school), PupilFactory(school=school)
        place(lexia, on_it, starts_on=STARTED, ends_on=dt.date(2026, 11, 13))
        place(lexia, late, starts_on=STARTED)

        def action(pupil, text, kind, day):
            return agreed(ActionFactory(school=school, pupil=pupil, text=text, kind=kind), day)

        named = action(PupilFactory(school=school), "Lexia reading for 20 minutes three times a "
                       "week for six weeks", "classroom", dt.date(2026, 10, 1))  # fmt: skip
        before = action(on_it, "Reading with the TA every morning for four weeks",
                        "intervention", STARTED - dt.timedelta(weeks=4))  # fmt: skip
        too_early = action(late, "Phonics with the TA every morning for four weeks",
                           "intervention", STARTED - dt.timedelta(weeks=4, days=1))  # fmt: skip
        other = action(on_it, "Toe by Toe every morning for six weeks", "intervention",
                       dt.date(2026, 10, 1))  # fmt: skip
        after_it_ended = action(on_it, "Paired reading every morning for four weeks",
                                "intervention", dt.date(2026, 11, 16))  # fmt: skip
        review(named, -1, dt.date(2026, 10, 20))
        review(named, 2, dt.date(2026, 11, 10))  # the latest counts
        review(before, None, dt.date(2026, 11, 10))

        found = figures_of(school)["Lexia reading"]

        used = {u.action.pk: u for u in found.actions}
        assert set(used) == {named.pk, before.pk}
        assert not {too_early.pk, other.pk, after_it_ended.pk} & set(used)
        assert (used[named.pk].impact, used[before.pk].impact) == (2, None)
        assert used[before.pk].reviewed
        assert found.impacts == [2]

    def test_a_group_action_uses_it_through_a_pupil_placed_on_it(self, school):
        lexia = intervention(school)
        pupil = PupilFactory(school=school)
        place(lexia, pupil)
        group = Action.objects.create(
            school=school, group_name="Year 4 readers", barrier="Reads slowly",
            barrier_category="fluency", text="Paired reading every morning for four weeks",
            kind="intervention", owner=UserFactory(school=school), review_on=dt.date(2026, 12, 7),
        )  # fmt: skip
        group.group_pupils.set([pupil], through_defaults={"school": group.school})
        agreed(group, dt.date(2026, 10, 5))

        assert [u.action for u in figures_of(school)["Lexia reading"].actions] == [group]

    def test_impact_is_shown_as_its_spread_never_an_average(self, school):
        lexia = intervention(school)
        for impact in (2, 1, 1, -1, None):
            pupil = PupilFactory(school=school)
            place(lexia, pupil)
            used = agreed(
                ActionFactory(school=school, pupil=pupil, kind="intervention"),
                dt.date(2026, 10, 1),
            )
            if impact is not None:
                review(used, impact, dt.date(2026, 11, 2))

        found = figures_of(school)["Lexia reading"]

        impact = row(found, governors=False)[HEADER.index("Impact of the actions that used it")]
        assert impact == "5 actions: impact +2 for 1, +1 for 2, \u22121 for 1; 1 not yet known"
        governors = row(found, governors=True)[HEADER.index("Impact of the actions that used it")]
        assert governors == "withheld: fewer than 5 pupils"  # 3 positive of 4 reviewed

    @pytest.mark.parametrize(
        ("review_on", "ends_on", "drift"),
        [
            (dt.date(2026, 11, 23), None, ""),  # due today: not yet past
            (dt.date(2026, 11, 20), None, "review date passed 20 Nov, no exit measure for 1 of 2 places"),
            (None, dt.date(2026, 11, 23), ""),  # ends today: still running
            (None, dt.date(2026, 11, 20), "ended with no exit measure: 1 of 2 places"),
        ],
    )  # fmt: skip
    def test_drift_is_no_exit_measure_once_the_review_date_has_passed(
        self, school, review_on, ends_on, drift
    ):
        lexia = intervention(school, review_on=review_on)
        place(lexia, ends_on=ends_on)
        place(lexia, ends_on=ends_on, exit_measure="Reading age 9y 1m")

        assert figures_of(school)["Lexia reading"].drift == drift


def a_school_of(school, pupils: int, *, name="Lexia reading", year_group=4) -> list[Pupil]:
    """An intervention with `pupils` places, measured and with sessions, each pupil with an
    action that used it, reviewed."""
    lexia = Intervention.objects.filter(school=school, name=name).first() or intervention(
        school, name=name, review_on=dt.date(2026, 11, 20), cost=Decimal(900)
    )
    placed = []
    for index in range(pupils):
        pupil = PupilFactory(school=school, year_group=year_group)
        place(lexia, pupil, sessions_planned=30, sessions_attended=24 + index % 5,
              entry_measure="Reading age 8y 0m",
              exit_measure="Reading age 8y 6m" if index % 2 else "")  # fmt: skip
        used = agreed(
            ActionFactory(school=school, pupil=pupil, kind="intervention",
                          text=f"{name} for 20 minutes every morning for six weeks"),
            dt.date(2026, 9, 10),
        )  # fmt: skip
        review(used, 1, dt.date(2026, 11, 2))
        placed.append(pupil)
    return placed


class TestInterventionsPage:
    def test_a_leader_sees_each_intervention_and_what_has_drifted(self, client, leader):
        pupils = a_school_of(leader.school, 6)
        client.force_login(leader)

        response = client.get(URL)

        html = response.content.decode()
        assert response.status_code == 200
        assert "Running past their review date with no evidence" in html
        assert "review date passed 20 Nov, no exit measure for 3 of 6 places" in html
        assert "154 of 180 (86%)" in html  # 24+25+26+27+28+24 of 6 places of 30
        assert "3 of 3 improved; on average +6.0 months" in html
        assert "6 actions: impact +1 for 6" in html
        assert "£900 (£150 a place)" in html
        assert reverse("pupils:pupil_detail", args=[pupils[0].pk]) in html
        assert "focus=interventions" in html

    def test_a_head_of_year_counts_only_their_years_places(self, client, school):
        a_school_of(school, 5, year_group=4)
        a_school_of(school, 3, year_group=6)
        head = UserFactory(school=school, roles=[Role.HEAD_OF_YEAR], remit_year_groups=[6])
        client.force_login(head)

        response = client.get(URL)

        (found, _), = response.context["figures"]  # fmt: skip
        assert len(found.places) == 3
        assert len(found.actions) == 3

    def test_an_intervention_lead_sees_the_interventions_they_lead(self, client, school):
        lead = UserFactory(school=school, roles=[Role.INTERVENTION_LEAD])
        theirs = intervention(school, name="ELSA", lead=lead)
        place(theirs)
        a_school_of(school, 4)  # someone else's
        client.force_login(lead)

        response = client.get(URL)

        assert response.status_code == 200
        assert [found.intervention for found, _ in response.context["figures"]] == [theirs]

    @pytest.mark.parametrize("roles", [[Role.TEACHER], [Role.TEACHING_ASSISTANT]])
    def test_teachers_and_teaching_assistants_may_not_see_it(self, client, school, roles):
        client.force_login(UserFactory(school=school, roles=roles))

        assert client.get(URL).status_code == 403

    def test_another_schools_places_and_actions_are_never_counted(self, client, leader):
        a_school_of(leader.school, 5)
        elsewhere = AcademicYearFactory(start_year=2026, school=SchoolFactory()).school
        a_school_of(elsewhere, 7)
        client.force_login(leader)

        response = client.get(URL)

        (found, _), = response.context["figures"]  # fmt: skip
        assert (len(found.places), len(found.actions)) == (5, 5)

    def test_the_query_count_does_not_grow_with_the_pupils(
        self, client, leader, django_assert_num_queries
    ):
        client.force_login(leader)
        a_school_of(leader.school, 3)
        a_school_of(leader.school, 2, name="ELSA")
        with django_assert_num_queries(QUERIES):
            assert client.get(URL).status_code == 200
        a_school_of(leader.school, 12)
        a_school_of(leader.school, 6, name="ELSA")
        with django_assert_num_queries(QUERIES):
            assert client.get(URL).status_code == 200

    def test_the_readme_quotes_the_figure(self):
        readme = (Path(__file__).resolve().parents[2] / "README.md").read_text()
        assert f"| interventions | {QUERIES} |" in readme


QUERIES = 8


class TestFiles:
    def test_the_governors_csv_names_nobody_and_withholds_small_groups(self, client, leader):
        five = a_school_of(leader.school, 5)
        four = a_school_of(leader.school, 4, name="ELSA")
        client.force_login(leader)

        response = client.get(URL, {"format": "csv", "for": "governors"})

        text = response.content.decode("utf-8-sig")
        assert (
            'filename="interventions-governors-2026-11-23.csv"' in response["Content-Disposition"]
        )
        assert not any(named(pupil, text) for pupil in [*five, *four])
        lines = {line.split(",")[0]: line for line in text.splitlines()}
        assert "fewer than 5 pupils" in lines["ELSA"]
        assert "£900," in lines["ELSA"]  # the cost, but not a place's share of it
        assert "5 (5 running, 0 ended)" in lines["Lexia reading"]
        assert "5 of 5 (100%) positive" in lines["Lexia reading"]
        assert "withheld: fewer than 5 pupils" in lines["Lexia reading"]  # 2 of 2 improved
        assert "Places" not in lines
        assert AccessEvent.objects.filter(what="the governors' interventions as CSV").exists()

    def test_the_staff_csv_lists_each_place(self, client, leader):
        pupils = a_school_of(leader.school, 2)
        client.force_login(leader)

        text = client.get(URL, {"format": "csv"}).content.decode("utf-8-sig")

        assert "Places" in text
        assert all(pupil.name in text for pupil in pupils)

    @pytest.mark.parametrize("audience", [{}, {"for": "governors"}])
    def test_the_pdf_is_one_page_for_a_dozen_interventions(
        self, client, leader, drawn_pdfs, audience
    ):
        for number in range(12):
            a_school_of(leader.school, 5 + number % 2,
                        name=f"Speech and language group with a long name {number}")  # fmt: skip
        client.force_login(leader)

        response = client.get(URL, {"format": "pdf", **audience})

        assert response["Content-Type"] == "application/pdf"
        assert len(drawn_pdfs[-1].pages) == 1


class TestCostImport:
    HEADER = "UPN,Intervention,Start Date,Review Date,Cost"

    def run(self, school, *rows):
        content = "\n".join([self.HEADER, *rows]).encode()
        table = read_table(content, "export.csv")
        return importer_for("interventions", table, school=school, today=dt.date(2026, 11, 23)).run(
            table, dry_run=False
        )

    def test_the_interventions_import_records_its_cost_in_pounds(self, school):
        pupil = PupilFactory(school=school)

        self.run(school, f'{pupil.upn},Lexia reading,14/09/2026,,"£1,200.50"')
        assert Intervention.objects.get().cost == Decimal("1200.50")

        self.run(school, f"{pupil.upn},Lexia reading,14/09/2026,,")  # blank: kept
        assert Intervention.objects.get().cost == Decimal("1200.50")

        outcome = self.run(school, f"{pupil.upn},Lexia reading,14/09/2026,,about 900")
        assert [problem.column for problem in outcome.problems] == ["Cost"]

"""A summary that fits the pupil (#15): a pupil doing well is asked what is working; behaviour,
effort, the pupil's own missed topics and the SEND plan's review date are on it; behaviour leads
in a behaviour meeting."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from meetings.focus import Focus
from meetings.models import Meeting, Summary, summaries_data, summary_data
from progress.models import Role
from pupils import facts
from pupils.domain import SenProvision
from pupils.models import BehaviourIncident, Characteristics, MissedTopic, Result
from pupils.snapshot import clustering, missed_in_words, pupil_data
from tests.factories import (
    AcademicYearFactory,
    ActionFactory,
    GroupFactory,
    MeetingFactory,
    UserFactory,
    pupil_with_maths,
)

pytestmark = pytest.mark.django_db
HTMX = {"HX-Request": "true"}


@pytest.fixture
def year(today):
    return AcademicYearFactory(start_year=2026)


@pytest.fixture
def school(year):
    return year.school


@pytest.fixture
def teacher(school):
    return UserFactory(school=school, roles=[Role.TEACHER])


def taught(pupil, teacher):
    GroupFactory(school=pupil.school, name=f"6N-{pupil.pk}", teachers=[teacher], pupils=[pupil])
    return pupil


def meeting_of(school, teacher, pupils, *, focus=Focus.AT_RISK, doing_well=()):
    meeting = MeetingFactory(school=school, people=[teacher], focus=focus)
    meeting.confirm_shortlist(
        by=meeting.created_by, pupils=[(p, "on the list") for p in pupils], groups=[],
        over_cap_reason="", doing_well={p.pk for p in doing_well},
    )  # fmt: skip
    return meeting


def incident(pupil, on: dt.date, *, lesson="", subject="", time=None, removed=False):
    return BehaviourIncident.objects.create(
        school=pupil.school, pupil=pupil, date=on, lesson=lesson, subject=subject, time=time,
        kind="Low-level disruption", removed_from_lesson=removed,
    )  # fmt: skip


def edit_url(summary) -> str:
    return reverse("meetings:summary_edit", args=[summary.pk])


class TestQuestions:
    @pytest.fixture
    def well(self, school, year, teacher):
        pupil = taught(pupil_with_maths(school, year, codes=("WTS", "GDS")), teacher)
        meeting_of(school, teacher, [pupil], doing_well=[pupil])
        return Summary.objects.get()

    @pytest.fixture
    def concern(self, school, year, teacher):
        pupil = taught(pupil_with_maths(school, year), teacher)
        meeting_of(school, teacher, [pupil])
        return Summary.objects.get()

    def test_a_pupil_doing_well_is_asked_what_is_working_and_never_for_a_concern(
        self, client, well
    ):
        client.force_login(well.teacher)

        page = client.get(edit_url(well)).text

        assert "What is working?" in page
        assert "What can others learn from it?" in page
        for asked in ("what_is_working", "what_to_learn", "effort", "support_wanted"):
            assert f'name="{asked}"' in page, asked
        for not_asked in ("main_concern", "gap", "barrier", "with_support", "next_step", "reach"):
            assert f'name="{not_asked}"' not in page, not_asked

    def test_a_doing_well_summary_is_ready_with_what_is_working(self, client, well):
        client.force_login(well.teacher)
        words = {"version": well.version, "ready": "1", "what_to_learn": "Rehearsing aloud"}

        refused = client.post(edit_url(well), words)
        client.post(edit_url(well), words | {"what_is_working": "Talks the method through"})

        assert refused.status_code == 422
        assert "What is working?: Needed before the summary is ready." in refused.text
        assert "Rehearsing aloud" in refused.text  # what was typed is kept
        well.refresh_from_db()
        assert (well.status, well.what_is_working) == ("ready", "Talks the method through")
        assert well.snapshot["attainment"][0]["latest"] == "GDS (Point 1)"

    def test_saving_a_doing_well_summary_leaves_words_it_does_not_ask_alone(self, client, well):
        Summary.objects.update(main_concern="Written when the pupil was a concern")
        client.force_login(well.teacher)

        client.post(edit_url(well), {"version": well.version, "what_is_working": "Pre-teaching"})

        well.refresh_from_db()
        assert well.main_concern == "Written when the pupil was a concern"
        assert well.what_is_working == "Pre-teaching"

    def test_other_pupils_are_asked_as_before_with_effort_support_and_reach(self, client, concern):
        client.force_login(concern.teacher)

        page = client.get(edit_url(concern)).text

        assert "Is this an individual issue or a wider class pattern?" in page
        assert "What support would help me help the pupil?" in page
        assert "Effort in your lessons" in page
        assert "What is working?" not in page
        assert 'name="main_concern"' in page

    def test_effort_support_and_reach_are_saved_and_ready_still_needs_the_concern(
        self, client, concern
    ):
        client.force_login(concern.teacher)
        words = {
            "version": concern.version, "effort": "3", "reach": "class",
            "support_wanted": "Ten minutes with the SENCO on what to try", "ready": "1",
        }  # fmt: skip

        refused = client.post(edit_url(concern), words)
        client.post(edit_url(concern), words | {"ready": ""})

        assert refused.status_code == 422
        assert "Needed before the summary is ready." in refused.text
        concern.refresh_from_db()
        assert (concern.status, concern.effort, concern.reach) == ("draft", 3, "class")
        assert concern.support_wanted == "Ten minutes with the SENCO on what to try"

    def test_an_effort_grade_off_the_scale_is_refused(self, client, concern):
        client.force_login(concern.teacher)

        response = client.post(edit_url(concern), {"version": concern.version, "effort": "5"})

        assert response.status_code == 422
        assert Summary.objects.get().effort is None

    def test_someone_who_may_only_read_sees_the_answers_in_words(self, client, concern):
        Summary.objects.update(effort=2, reach="individual", main_concern="Fractions")
        Meeting.objects.update(status=Meeting.Status.RUNNING)
        client.force_login(concern.teacher)

        page = client.get(edit_url(concern)).text

        assert "2: good" in page
        assert "An individual issue" in page


class TestAccess:
    @pytest.fixture
    def well(self, school, year, teacher):
        pupil = taught(pupil_with_maths(school, year), teacher)
        meeting_of(school, teacher, [pupil], doing_well=[pupil])
        return Summary.objects.get()

    def words(self, summary) -> dict:
        return {"version": summary.version, "what_is_working": "Pre-teaching on Thursdays"}

    def test_the_teacher_asked_may_write_it(self, client, well):
        client.force_login(well.teacher)

        assert client.post(edit_url(well), self.words(well)).status_code == 302

    def test_a_leader_may_write_it(self, client, school, well):
        client.force_login(UserFactory(school=school, roles=[Role.SENIOR_LEADER]))

        assert client.post(edit_url(well), self.words(well)).status_code == 302

    @pytest.mark.parametrize("elsewhere", [False, True])
    def test_another_teacher_gets_not_found(self, client, school, well, elsewhere):
        other = UserFactory(roles=[Role.TEACHER], **({} if elsewhere else {"school": school}))
        client.force_login(other)

        assert client.get(edit_url(well)).status_code == 404
        assert client.post(edit_url(well), self.words(well)).status_code == 404
        assert Summary.objects.get().what_is_working == ""


class TestBehaviourWords:
    """Where incidents cluster, worded from the counts (`facts.Behaviour`)."""

    def behaviour(self, lessons=(), subjects=(), times=(), *, total):
        fact = facts.Behaviour(4, recent=total)
        fact.lessons.update(lessons)
        fact.subjects.update(subjects)
        fact.times.update(times)
        return fact

    def test_the_lesson_subject_and_time_most_incidents_fall_in(self):
        fact = self.behaviour(
            ["P5"] * 4 + ["P2", "P1"], ["Science"] * 3 + ["Maths"] * 2, ["after lunch"] * 4,
            total=6,
        )  # fmt: skip

        assert clustering(fact) == "4 of 6 in P5, 3 in Science, 4 after lunch"

    def test_two_that_share_half_each_are_both_named(self):
        fact = self.behaviour(["P2", "P2", "P5", "P5"], total=4)

        assert clustering(fact) == "4 of 4 in P2 and P5 (2 each)"

    def test_less_than_half_in_one_place_is_not_a_cluster(self):
        fact = self.behaviour(["P1", "P1", "P2", "P3", "P4"], ["Maths"] * 3, total=5)

        assert clustering(fact) == "3 of 5 in Maths"

    def test_with_no_times_recorded_the_time_of_day_is_left_out(self):
        fact = self.behaviour(["P3"] * 3, total=3)

        assert clustering(fact) == "3 of 3 in P3"

    def test_nothing_recorded_says_so(self):
        assert clustering(self.behaviour(total=5)) == "no lesson, subject or time recorded"

    def test_spread_out_says_nothing_stands_out(self):
        fact = self.behaviour(["P1", "P2", "P3", "P4"], times=["in the morning"], total=4)

        assert clustering(fact) == "no one lesson, subject or time of day stands out"

    def test_one_incident_is_no_cluster(self):
        assert clustering(self.behaviour(["P5"], total=1)) == ""

    def test_lunch_is_said_once(self):
        fact = self.behaviour(["Lunch"] * 3 + ["P2"], times=["around lunch"] * 3, total=4)

        assert clustering(fact) == "3 of 4 at lunch"

    @pytest.mark.parametrize(
        ("time", "words"),
        [
            (dt.time(8, 29), "before school"),
            (dt.time(8, 30), "in the morning"),
            (dt.time(12, 0), "around lunch"),
            (dt.time(13, 30), "after lunch"),
            (dt.time(15, 30), "after school"),
        ],
    )
    def test_times_of_day_at_their_edges(self, time, words):
        assert facts.time_of_day(time) == words


class TestSummaryData:
    @pytest.fixture
    def pupil(self, school, year):
        return pupil_with_maths(school, year)

    def test_behaviour_over_the_last_four_weeks_and_the_four_before(self, pupil, today):
        for days_ago in (0, 27):  # the last four weeks, today included
            incident(pupil, today - dt.timedelta(days=days_ago), lesson="P5", time=dt.time(14, 5))
        for days_ago in (28, 55):
            incident(pupil, today - dt.timedelta(days=days_ago), lesson="P5", removed=True)
        incident(pupil, today - dt.timedelta(days=56), lesson="P1")  # too long ago

        behaviour = pupil_data(pupil=pupil, on=today)["behaviour"]

        assert behaviour == {
            "counts": "2 incidents in the last 4 weeks, 2 in the 4 weeks before; 2 removals from "
            "lessons",
            "where": "4 of 4 in P5, 2 after lunch",
        }

    def test_no_behaviour_says_so(self, pupil, today):
        assert pupil_data(pupil=pupil, on=today)["behaviour"] == {
            "counts": "no incidents in the last 8 weeks",
            "where": "",
        }

    def test_effort_comes_from_each_subjects_latest_result_and_stays_out_of_attainment(
        self, pupil, today
    ):
        first, latest = Result.objects.filter(pupil=pupil).order_by("point__date")
        Result.objects.filter(pk=first.pk).update(effort=1)
        Result.objects.filter(pk=latest.pk).update(effort=3)

        data = pupil_data(pupil=pupil, on=today)

        assert data["effort"] == [{"subject": "Maths", "grade": 3, "words": "inconsistent"}]
        assert not any("effort" in row for row in data["attainment"])

    def test_an_effort_given_only_before_the_latest_result_is_not_shown(self, pupil, today):
        first = Result.objects.filter(pupil=pupil).earliest("point__date")
        Result.objects.filter(pk=first.pk).update(effort=1)

        assert pupil_data(pupil=pupil, on=today)["effort"] == []

    def test_missed_topics_are_the_pupils_own_from_their_latest_result(self, pupil, today):
        first, latest = Result.objects.filter(pupil=pupil).order_by("point__date")
        MissedTopic.objects.create(school=pupil.school, result=first, topic="Place value")
        for topic in ("Fractions", "Ratio"):
            MissedTopic.objects.create(school=pupil.school, result=latest, topic=topic)
        someone_else = pupil_with_maths(pupil.school, first.point.academic_year)
        MissedTopic.objects.create(
            school=pupil.school, result=someone_else.results.last(), topic="Algebra"
        )

        data = pupil_data(pupil=pupil, on=today)

        assert [row["missed"] for row in data["attainment"]] == ["Fractions, Ratio"]
        assert data["missed_topics"] == ["Maths: Fractions, Ratio"]

    def test_missed_topics_show_as_many_as_fit_then_how_many_more(self):
        topics = ["Fractions", "Place value", "Multi-step problems", "Ratio"]

        assert missed_in_words(topics) == "Fractions, Place value and 2 more"
        assert (
            missed_in_words(["A very long topic name " * 4])
            == "A very long topic name A very long\u2026"
        )

    @pytest.mark.parametrize(
        ("provision", "review", "words"),
        [
            (SenProvision.SEN_SUPPORT, dt.date(2027, 1, 12), "12 Jan 2027"),
            (SenProvision.EHC_PLAN, dt.date(2026, 11, 23), "23 Nov 2026"),
            (SenProvision.SEN_SUPPORT, dt.date(2026, 11, 20), "was due 20 Nov 2026"),
            (SenProvision.SEN_SUPPORT, None, "no review date recorded"),
            (SenProvision.NONE, None, ""),
        ],
    )
    def test_the_send_plans_review_date(self, pupil, today, provision, review, words):
        need = "" if provision == SenProvision.NONE else "SLCN"
        Characteristics.objects.filter(pupil=pupil).update(
            sen_provision=provision, primary_need=need, send_plan_review_on=review
        )

        assert pupil_data(pupil=pupil, on=today)["send_review"] == words


class TestOrder:
    """Behaviour leads the summary in a behaviour meeting, and follows attendance otherwise."""

    @pytest.mark.parametrize("focus", [Focus.BEHAVIOUR, Focus.AT_RISK])
    def test_on_the_teachers_form(self, client, school, year, teacher, today, focus):
        pupil = taught(pupil_with_maths(school, year), teacher)
        incident(pupil, today - dt.timedelta(days=3), lesson="P5")
        meeting_of(school, teacher, [pupil], focus=focus)
        client.force_login(teacher)

        page = client.get(edit_url(Summary.objects.get())).text
        data = page[page.index("From school data") :]

        behaviour, attainment = data.index("Behaviour:"), data.index("Against expected")
        attendance = data.index("Attendance:")
        if focus == Focus.BEHAVIOUR:
            assert behaviour < attainment < attendance
        else:
            assert attainment < attendance < behaviour


def start_at_first_pupil(client, meeting):
    chair = meeting.attendees.get(role="chair").user
    client.force_login(chair)
    client.post(reverse("meetings:meeting_start", args=[meeting.pk]))
    Meeting.objects.filter(pk=meeting.pk).update(section="pupils", item_index=0)
    return reverse("meetings:meeting_live_state", args=[meeting.pk])


class TestLiveScreen:
    def test_the_pupils_missed_topics_and_behaviour_are_on_it(self, client, school, year, teacher):
        pupil = taught(pupil_with_maths(school, year), teacher)
        latest = Result.objects.filter(pupil=pupil).latest("point__date")
        MissedTopic.objects.create(school=school, result=latest, topic="Fractions")
        incident(pupil, dt.date(2026, 11, 16), lesson="P5")
        meeting = meeting_of(school, teacher, [pupil], focus=Focus.BEHAVIOUR)
        url = start_at_first_pupil(client, meeting)

        page = client.get(url, headers=HTMX).text
        room = client.get(url + "?screen=room", headers=HTMX).text

        assert "Missed in the latest" in page
        assert "Fractions" in page
        assert page.index("Behaviour:") < page.index("Against expected")
        assert "Missed topics" in room
        assert "Maths: Fractions" in room
        assert "1 incident in the last 4 weeks" in room

    def test_a_pupil_doing_well_is_asked_about_what_works(self, client, school, year, teacher):
        pupil = taught(pupil_with_maths(school, year), teacher)
        meeting = meeting_of(school, teacher, [pupil], doing_well=[pupil])
        Summary.objects.update(what_is_working="Reads the problem aloud first")
        url = start_at_first_pupil(client, meeting)

        page = client.get(url, headers=HTMX).text
        room = client.get(url + "?screen=room", headers=HTMX).text

        assert "What is working, and why?" in page
        assert "Reads the problem aloud first" in page
        assert "Main concern" not in page
        assert "What is working" in room
        assert "Reads the problem aloud first" in room
        assert "What exactly can the pupil not do yet?" not in room

    def test_a_pupil_with_no_summary_still_shows_their_data(self, client, school, year, teacher):
        pupil = taught(pupil_with_maths(school, year), teacher)
        latest = Result.objects.filter(pupil=pupil).latest("point__date")
        MissedTopic.objects.create(school=school, result=latest, topic="Fractions")
        meeting = meeting_of(school, teacher, [pupil])
        Summary.objects.all().delete()
        url = start_at_first_pupil(client, meeting)

        page = client.get(url, headers=HTMX).text

        assert "No summary was asked for." in page
        assert "Fractions" in page


class TestPack:
    def test_its_queries_do_not_grow_with_the_pupils(self, client, school, year, teacher, today):
        def queries_for(pupils: int) -> int:
            chosen = []
            for _ in range(pupils):
                pupil = taught(pupil_with_maths(school, year), teacher)
                incident(pupil, today - dt.timedelta(days=2), lesson="P5")
                latest = Result.objects.filter(pupil=pupil).latest("point__date")
                MissedTopic.objects.create(school=school, result=latest, topic="Fractions")
                chosen.append(pupil)
            meeting = meeting_of(school, teacher, chosen)
            client.force_login(teacher)
            with CaptureQueriesContext(connection) as captured:
                response = client.get(reverse("meetings:meeting_pack", args=[meeting.pk]))
            assert response["Content-Type"] == "application/pdf"
            return len(captured)

        assert queries_for(2) == queries_for(6)

    def test_the_data_for_many_pupils_is_each_ones_own(self, school, year, teacher, today):
        pupils = [pupil_with_maths(school, year) for _ in range(3)]
        incident(pupils[1], today, lesson="P2")
        ActionFactory(school=school, pupil=pupils[2], owner=teacher, text="Reteach fractions")

        many = summaries_data(pupils=pupils, on=today)

        assert many == {pupil.pk: summary_data(pupil=pupil, on=today) for pupil in pupils}
        assert many[pupils[1].pk]["behaviour"]["counts"].startswith("1 incident")
        assert [len(many[pupil.pk]["open_actions"]) for pupil in pupils] == [0, 0, 1]

"""The school's own settings: who may change them, that every rule follows them, and that the
screen keeps what was typed when it refuses a save."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils.html import escape

from actions import review_dates
from actions.models import Rules
from actions.review_dates import ReviewDates, default_review_date
from meetings.focus import Focus
from meetings.forms import MeetingForm
from meetings.models import Meeting
from meetings.shortlist import propose
from progress.models import Role, School, SchoolSettings, StaleEdit
from pupils.criteria import Criterion, Thresholds, reasons
from pupils.models import AttendanceMark, BehaviourIncident
from tests.factories import AcademicYearFactory, MeetingFactory, PupilFactory, UserFactory

pytestmark = pytest.mark.django_db

URL = reverse("school_settings")
TODAY = dt.date(2026, 11, 23)  # the `today` fixture: Monday, week 4 of Autumn 2


@pytest.fixture
def year(today):
    return AcademicYearFactory(start_year=2026)


@pytest.fixture
def school(year):
    return year.school


@pytest.fixture
def leader(school):
    return UserFactory(school=school, roles=[Role.SENIOR_LEADER])


def as_it_stands(client) -> dict:
    """What the browser sends when the page is saved as it opened."""
    form = client.get(URL).context["form"]
    data = {}
    for field in form:
        value = field.value()
        if value is not None:
            data[field.html_name] = [str(v) for v in value] if isinstance(value, list) else value
    return data


def save(client, **changes):
    return client.post(URL, as_it_stands(client) | changes)


def own(school) -> SchoolSettings:
    """The school's settings as saved, read afresh."""
    return SchoolSettings.for_school(School.objects.get(pk=school.pk))


def fresh(school) -> School:
    """The school as a new request finds it, its settings not yet read."""
    return School.objects.get(pk=school.pk)


class TestWhoMayChangeThem:
    @pytest.mark.parametrize("role", [Role.SENIOR_LEADER, Role.SCHOOL_ADMIN])
    def test_a_senior_leader_or_school_admin_opens_and_saves_them(self, client, school, role):
        client.force_login(UserFactory(school=school, roles=[role]))

        page = client.get(URL)
        saved = save(client, owner_limit="8")

        assert page.status_code == 200
        assert f"School settings for {school.name}</h1>" in page.text
        assert saved.status_code == 302
        assert own(school).owner_limit == 8

    @pytest.mark.parametrize(
        "role", [Role.TEACHER, Role.SENCO, Role.HEAD_OF_YEAR, Role.TEACHING_ASSISTANT]
    )
    def test_other_staff_may_not(self, client, school, role):
        client.force_login(UserFactory(school=school, roles=[role]))

        assert client.get(URL).status_code == 403
        assert client.post(URL, {"owner_limit": "50", "version": "0"}).status_code == 403
        assert not SchoolSettings.objects.exists()

    def test_anyone_signed_out_is_sent_to_sign_in(self, client):
        response = client.get(URL)

        assert response.status_code == 302
        assert response["Location"] == f"{reverse('login')}?next={URL}"

    def test_each_school_sees_and_changes_only_its_own(self, client, school):
        School.objects.filter(pk=school.pk).update(name="Oakfield Primary School")
        SchoolSettings.objects.create(school=school, owner_limit=4, attendance_drop_points=5)
        client.force_login(UserFactory(roles=[Role.SENIOR_LEADER]))  # another school's

        page = client.get(URL)
        save(client, owner_limit="9")

        assert page.context["form"]["owner_limit"].value() == 6  # theirs: the default
        assert page.context["form"]["attendance_drop_points"].value() == 3
        assert "Oakfield" not in page.text
        assert own(school).owner_limit == 4
        assert SchoolSettings.objects.exclude(school=school).get().owner_limit == 9

    def test_the_menu_links_them_for_those_who_may_change_them(self, client, school, leader):
        teacher = UserFactory(school=school, roles=[Role.TEACHER])
        client.force_login(leader)
        for_leader = client.get(reverse("home")).text
        client.force_login(teacher)
        for_teacher = client.get(reverse("home")).text

        assert f'href="{URL}">School settings</a>' in for_leader
        assert "School settings" not in for_teacher

    def test_the_old_address_of_the_rules_for_actions_leads_here(self, client, leader):
        client.force_login(leader)

        response = client.get("/actions/rules/")

        assert response.status_code == 302
        assert response["Location"] == URL


class TestTheShortlistFollowsThem:
    @pytest.fixture
    def slight_drop(self, school):
        """A Year 6 pupil who missed one session in Autumn 1 (98.7%) and one in the first three
        weeks of Autumn 2 (96.9%): 1.8 points down, under the default 3."""
        pupil = PupilFactory(
            school=school, legal_forename="Tyler", legal_surname="Brennan", year_group=6
        )
        day = dt.date(2026, 9, 2)
        while day <= TODAY:
            in_term = day <= dt.date(2026, 10, 23) or day >= dt.date(2026, 11, 2)
            if day.weekday() < 5 and in_term:
                for session in ("AM", "PM"):
                    AttendanceMark.objects.create(
                        school=school, pupil=pupil, date=day, session=session, code="/"
                    )
            day += dt.timedelta(days=1)
        for day in (dt.date(2026, 10, 5), dt.date(2026, 11, 9)):
            AttendanceMark.objects.filter(pupil=pupil, date=day, session="AM").update(code="I")
        return pupil

    def test_a_pupil_is_proposed_only_under_the_schools_own_drop(
        self, client, school, leader, slight_drop
    ):
        meeting = MeetingFactory(school=school, focus=Focus.ATTENDANCE, year_groups=[6])
        before = propose(meeting=meeting, on=TODAY)
        client.force_login(leader)
        save(client, attendance_drop_points="1")

        shortlist = client.get(reverse("meetings:meeting_shortlist", args=[meeting.pk]))

        assert before == []
        assert [p.pupil for p in shortlist.context["proposals"]] == [slight_drop]
        assert "96.9% this half-term, down from 98.7%" in shortlist.text

    def test_the_pupil_list_and_profile_follow_them_too(self, client, school, leader, slight_drop):
        SchoolSettings.objects.create(school=school, attendance_drop_points=1, behaviour_weeks=2)
        BehaviourIncident.objects.create(
            school=school, pupil=slight_drop, date=dt.date(2026, 11, 20), kind="Disruption"
        )
        client.force_login(leader)

        filtered = client.get(reverse("pupils:pupil_list"), {"criterion": "attendance"})
        profile = client.get(reverse("pupils:pupil_detail", args=[slight_drop.pk]))

        assert [row["pupil"] for row in filtered.context["rows"]] == [slight_drop]
        assert "96.9% this half-term, down from 98.7%" in filtered.text
        assert "96.9% this half-term, down from 98.7%" in profile.text
        assert "1 incident in the last 2 weeks (0 in the 2 before)" in " ".join(
            profile.text.split()
        )

    def test_every_number_reaches_the_criteria(self, school):
        SchoolSettings.objects.create(
            school=school,
            attendance_drop_points=5,
            concentrated_absences=6,
            concentrated_share=75,
            behaviour_weeks=3,
            behaviour_incidents=4,
            intervention_review_days=14,
            doing_well_steps=3,
        )

        thresholds = Thresholds.for_school(fresh(school))

        assert (
            thresholds.attendance_drop_points,
            thresholds.concentrated_absences,
            thresholds.concentrated_share,
            thresholds.behaviour_weeks,
            thresholds.behaviour_incidents,
            thresholds.intervention_review_days,
            thresholds.doing_well_steps,
        ) == (5, 6, 0.75, 3, 4, 14, 3)
        assert thresholds.year_sessions == Thresholds().year_sessions  # not a school's choice

    def test_behaviour_counts_over_the_schools_weeks_in_words(self, school):
        SchoolSettings.objects.create(school=school, behaviour_weeks=2, behaviour_incidents=1)
        pupil = PupilFactory(school=school)
        BehaviourIncident.objects.create(
            school=school, pupil=pupil, date=dt.date(2026, 11, 20), kind="Disruption"
        )
        found = reasons(
            pupils=type(pupil).objects.filter(pk=pupil.pk),
            on=TODAY,
            thresholds=Thresholds.for_school(fresh(school)),
        )

        assert found[pupil.pk][Criterion.BEHAVIOUR_INCREASING] == (
            "1 behaviour incident in the last 2 weeks, up from 0"
        )

    def test_the_settings_are_read_once_a_request(self, school, django_assert_num_queries):
        SchoolSettings.objects.create(school=school, owner_limit=3, doing_well_steps=4)
        school = fresh(school)

        with django_assert_num_queries(1):
            thresholds = Thresholds.for_school(school)
            rules = Rules.for_school(school)
            windows = review_dates.windows_for(school)

        assert (thresholds.doing_well_steps, rules.owner_limit) == (4, 3)
        assert windows == review_dates.WINDOWS


class TestReviewDatesFollowThem:
    def test_a_changed_window_changes_the_proposed_review_date(self, client, school, leader):
        usual = default_review_date(school=school, kind="behaviour", agreed_on=TODAY, year_group=6)
        client.force_login(leader)

        save(
            client,
            window_behaviour_usual="5",
            window_behaviour_earliest="3",
            window_behaviour_latest="8",
        )

        dates = ReviewDates(school=fresh(school), agreed_on=TODAY, year_group=6)
        assert usual == dt.date(2026, 12, 7)  # 10 school days: the default
        assert dates.usual("behaviour") == dt.date(2026, 11, 30)  # 5
        assert dates.usual("attendance") == dt.date(2026, 12, 7)  # unchanged
        assert dates.outside("behaviour", dt.date(2026, 12, 7)) == (
            "Impact of a behaviour action is usually checked between 26 Nov 2026 and "
            "3 Dec 2026: say why this date, or choose one in that window."
        )
        assert own(school).review_windows == {"behaviour": [5, 3, 8]}

    def test_the_recorder_is_offered_the_schools_date(self, client, school):
        SchoolSettings.objects.create(school=school, review_windows={"reteach": [5, 2, 10]})
        meeting = MeetingFactory(school=school)
        meeting.confirm_shortlist(
            by=meeting.created_by,
            pupils=[(PupilFactory(school=school), "maths fell")],
            groups=[],
            over_cap_reason="",
        )
        meeting.start(by=meeting.created_by)
        client.force_login(meeting.attendees.get(role="recorder").user)

        page = client.get(reverse("meetings:meeting_live", args=[meeting.pk]))

        usual = page.context["form"].usual_dates
        assert usual["reteach"] == dt.date(2026, 11, 30)  # 5 school days on, not 3
        assert usual["behaviour"] == dt.date(2026, 12, 7)  # the default, 10

    def test_a_window_the_school_never_saved_is_ignored(self, school):
        SchoolSettings.objects.create(school=school, review_windows={"reteach": [50, 60, 2]})

        dates = ReviewDates(school=fresh(school), agreed_on=TODAY, year_group=6)

        assert dates.usual("reteach") == dt.date(2026, 11, 26)  # the default, 3 school days


class TestMeetingsFollowThem:
    def test_the_lengths_offered_and_a_new_meetings_length(self, client, school, leader):
        client.force_login(leader)
        save(client, meeting_lengths=["30", "45"], default_length="30")

        page = client.get(reverse("meetings:meeting_create"))
        refused = client.post(reverse("meetings:meeting_create"), {"length": "60"})

        form = page.context["form"]
        assert [minutes for minutes, _ in form.fields["length"].choices] == [30, 45]
        assert form["length"].value() == 30
        assert "60 minutes" not in page.text
        assert refused.context["form"].errors["length"] == [
            "Choose one of the lengths the school offers: 30 minutes or 45 minutes."
        ]

    def test_a_meeting_keeps_a_length_no_longer_offered(self, school):
        meeting = MeetingFactory(school=school, length=60)
        SchoolSettings.objects.create(school=school, meeting_lengths=[30, 45])

        form = MeetingForm(instance=meeting, school=fresh(school))

        assert [minutes for minutes, _ in form.fields["length"].choices] == [30, 45, 60]

    def test_the_summaries_deadline_follows_the_schools_days(self, client, school, leader):
        client.force_login(leader)
        save(client, summaries_due_days="3")

        form = MeetingForm(school=fresh(school))
        page = client.get(reverse("meetings:meeting_create"))

        # Three school days before Friday 4 December 2026.
        assert form.proposed_summaries_due(dt.date(2026, 12, 4)) == dt.date(2026, 12, 1)
        assert "Leave it empty for 3 school days before the meeting." in page.text

    def test_a_meeting_saved_without_a_deadline_gets_the_schools(self, client, school, leader):
        SchoolSettings.objects.create(school=school, summaries_due_days=4)
        PupilFactory(school=school)
        client.force_login(leader)
        chair = UserFactory(school=school, roles=[Role.SENIOR_LEADER])
        recorder = UserFactory(school=school, roles=[Role.SENCO])

        client.post(
            reverse("meetings:meeting_create"),
            {
                "focus": Focus.AT_RISK, "purpose": "Which Year 6 pupils need what next?",
                "year_groups": ["6"], "date": "2026-12-04", "starts_at": "15:45", "length": "45",
                "chair": chair.pk, "recorder": recorder.pk, "attendees": [chair.pk, recorder.pk],
            },
        )  # fmt: skip

        assert Meeting.objects.get().summaries_due == dt.date(2026, 11, 30)  # 4 school days


class TestSaving:
    def test_the_page_shows_each_default_in_words(self, client, leader):
        client.force_login(leader)

        page = " ".join(client.get(URL).text.split())

        for words in (
            "Default: 3 percentage points.",
            "Default: 4 absences.",
            "Default: 60%.",
            "Default: 4 weeks.",
            "Default: 2 incidents.",
            "Default: 7 days.",
            "Default: 2 steps.",
            "Default: 6 open actions.",
            "Default: 2 school days.",
            "Default: 45 minutes.",
            "Default: all three, 30 minutes, 45 minutes and 60 minutes.",
            "10 school days (5 to 15)",
            "3 school days (1 to 10)",
        ):
            assert words in page
        assert 'name="reset"' not in page  # nothing of the school's own yet

    def test_a_number_equal_to_the_default_is_saved_as_the_default(self, client, leader):
        client.force_login(leader)

        save(client, owner_limit="6", attendance_drop_points="4", window_reteach_usual="3")

        saved = own(leader.school)
        assert (saved.owner_limit, saved.attendance_drop_points) == (None, 4)
        assert saved.review_windows == {}
        assert saved.version == 1

    def test_a_reset_puts_one_setting_back_and_saves_the_rest(self, client, leader):
        SchoolSettings.objects.create(
            school=leader.school, attendance_drop_points=5, review_windows={"reteach": [5, 2, 10]}
        )
        client.force_login(leader)
        page = client.get(URL)

        response = save(client, reset="attendance_drop_points", behaviour_incidents="3")

        saved = own(leader.school)
        assert page.text.count('name="reset"') == 2  # theirs: a number and a window
        assert response.status_code == 302
        assert (saved.attendance_drop_points, saved.behaviour_incidents) == (None, 3)
        assert saved.review_windows == {"reteach": [5, 2, 10]}
        assert (
            escape(
                "Saved the school's settings: \u201cAttendance drop, in percentage points\u201d is "
                "back to its default, 3 percentage points."
            )
            in client.get(URL).text
        )

    @pytest.mark.parametrize(
        ("reset", "saved"),
        [
            ("window_reteach", {"review_windows": {}}),
            ("meeting_lengths", {"meeting_lengths": []}),
            ("extra_vague_phrases", {"extra_vague_phrases": ""}),
            ("owner_limit", {"owner_limit": None}),
        ],
    )
    def test_each_kind_of_setting_resets(self, client, leader, reset, saved):
        SchoolSettings.objects.create(
            school=leader.school,
            owner_limit=9,
            extra_vague_phrases="nurture group",
            review_windows={"reteach": [5, 2, 10]},
            meeting_lengths=[45, 60],
        )
        client.force_login(leader)

        assert save(client, reset=reset).status_code == 302
        settings = own(leader.school)
        assert {name: getattr(settings, name) for name in saved} == saved

    def test_phrases_are_kept_one_a_line_in_lower_case(self, client, leader):
        client.force_login(leader)

        save(client, extra_vague_phrases="Nurture group\n\n  SLT to look at it \nnurture group")

        assert own(leader.school).vague_phrases == ("nurture group", "slt to look at it")

    @pytest.mark.parametrize(
        ("changes", "message"),
        [
            ({"attendance_drop_points": "0"}, "Enter a whole number of percentage points from 1 to 20."),
            ({"attendance_drop_points": "21"}, "Enter a whole number of percentage points from 1 to 20."),
            ({"attendance_drop_points": "two"}, "Enter a whole number of percentage points from 1 to 20."),
            ({"concentrated_share": "39"}, "Enter a percentage from 40 to 100."),
            ({"behaviour_weeks": "13"}, "Enter a whole number of weeks from 1 to 12."),
            ({"owner_limit": "51"}, "Enter a whole number of open actions from 1 to 50."),
            ({"summaries_due_days": "0"}, "Enter a whole number of school days from 1 to 10."),
            ({"window_curriculum_latest": "71"}, "Enter a whole number of school days from 1 to 70."),
            (
                {"window_reteach_usual": "12"},
                "Reteach: the usual review (12) must fall from the earliest (1) to the latest (10).",
            ),
            ({"meeting_lengths": []}, "Offer at least one length a meeting may have."),
            (
                {"meeting_lengths": ["30", "60"]},
                "A new meeting cannot be 45 minutes when the school does not offer it: offer it, "
                "or choose another length.",
            ),
            ({"meeting_lengths": ["90"]}, "Select a valid choice. 90 is not one of the available choices."),
            ({"extra_vague_phrases": "x" * 61}, "Keep each phrase to 60 characters"),
            (
                {"extra_vague_phrases": "\n".join(f"phrase {n}" for n in range(101))},
                "Keep to 100 phrases (101 now).",
            ),
        ],
    )  # fmt: skip
    def test_out_of_range_is_refused_in_words_keeping_what_was_typed(
        self, client, leader, changes, message
    ):
        client.force_login(leader)

        response = save(client, **({"behaviour_incidents": "12"} | changes))

        assert response.status_code == 422
        assert message in response.text
        assert response.text.startswith("<!DOCTYPE html>")
        assert "There is a problem" in response.text
        assert 'value="12"' in response.text  # what was typed elsewhere is kept
        typed = [value for value in changes.values() if isinstance(value, str) and value]
        for value in typed:
            if "\n" not in value:
                assert value in response.text
        assert not SchoolSettings.objects.exists()

    def test_a_stale_save_is_refused_and_keeps_what_was_typed(self, client, leader):
        client.force_login(leader)
        opened = as_it_stands(client)  # version 0: nothing saved yet
        save(client, owner_limit="7")  # someone else, meanwhile

        response = client.post(URL, opened | {"owner_limit": "5", "extra_vague_phrases": "mine"})

        assert response.status_code == 422
        assert "Someone else changed the school" in response.text
        assert "mine" in response.text
        assert own(leader.school).owner_limit == 7

    def test_a_stale_save_of_saved_settings_is_refused(self, client, leader):
        SchoolSettings.objects.create(school=leader.school, owner_limit=9)
        client.force_login(leader)
        opened = as_it_stands(client)
        save(client, owner_limit="7")

        response = client.post(URL, opened | {"owner_limit": "5"})

        assert response.status_code == 422
        assert own(leader.school).owner_limit == 7
        assert own(leader.school).version == 2

    def test_two_first_saves_at_once_keep_the_first(self, school):
        mine, theirs = SchoolSettings.for_school(school), SchoolSettings.for_school(school)
        theirs.save_edit(version=0, owner_limit=7)

        with pytest.raises(StaleEdit):
            mine.save_edit(version=0, owner_limit=5)

        assert own(school).owner_limit == 7

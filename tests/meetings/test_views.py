import datetime as dt
import re

import pytest
from django.urls import reverse

from meetings.focus import Focus
from meetings.models import Attendee, Item, Meeting, Summary
from progress.models import Role
from tests.factories import (
    AcademicYearFactory,
    ActionFactory,
    GroupFactory,
    MeetingFactory,
    PupilFactory,
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
def leader(school):
    return UserFactory(school=school, roles=[Role.SENIOR_LEADER])


def slipping_pupil(school, year, teacher=None, **fields):
    """A Year 6 pupil whose maths fell from EXS to WTS, taught by `teacher` in 6N."""
    pupil = pupil_with_maths(school, year, **fields)
    if teacher:
        group = GroupFactory(school=school, name=f"6N-{pupil.pk}", teachers=[teacher])
        group.pupils.add(pupil, through_defaults={"school": group.school})
    return pupil


def meeting_data(school, **changes) -> dict:
    chair = UserFactory(school=school, roles=[Role.SENIOR_LEADER])
    recorder = UserFactory(school=school, roles=[Role.SENCO])
    data = {
        "focus": Focus.AT_RISK, "own_focus": "", "purpose": "Which Year 6 pupils need what next in maths?",
        "year_groups": ["6"], "subject": "", "date": "2026-11-30", "starts_at": "15:45", "length": "45",
        "place": "Library", "summaries_due": "2026-11-27", "series_name": "Year 6 half-termly",
        "chair": chair.pk, "recorder": recorder.pk, "attendees": [chair.pk, recorder.pk],
    }  # fmt: skip
    return data | changes


class TestSchedule:
    def test_a_leader_schedules_a_meeting(self, client, school, leader):
        PupilFactory(school=school)  # so Year 6 is a choice
        client.force_login(leader)
        data = meeting_data(school)

        response = client.post(reverse("meetings:meeting_create"), data)

        meeting = Meeting.objects.get()
        assert response["Location"] == reverse("meetings:meeting_shortlist", args=[meeting.pk])
        assert (meeting.year_groups, meeting.length, meeting.series.name) == (
            [6],
            45,
            "Year 6 half-termly",
        )
        roles = dict(meeting.attendees.values_list("user_id", "role"))
        assert roles == {
            data["chair"]: Attendee.Role.CHAIR,
            data["recorder"]: Attendee.Role.RECORDER,
        }

    def test_the_chair_and_the_recorder_come_whether_ticked_or_not(self, client, school, leader):
        PupilFactory(school=school)  # so Year 6 is a choice
        client.force_login(leader)
        teacher = UserFactory(school=school, roles=[Role.TEACHER])
        data = meeting_data(school, attendees=[teacher.pk])

        client.post(reverse("meetings:meeting_create"), data)

        assert set(Meeting.objects.get().attendees.values_list("user_id", flat=True)) == {
            data["chair"],
            data["recorder"],
            teacher.pk,
        }

    def test_people_and_classes_are_boxes_to_tick_not_multiple_selects(
        self, client, school, leader
    ):
        client.force_login(leader)
        page = client.get(reverse("meetings:meeting_create")).text
        assert "multiple" not in page
        assert 'type="checkbox"\n               name="attendees"' in page

    @pytest.mark.parametrize("role", [Role.TEACHER, Role.TEACHING_ASSISTANT, Role.SCHOOL_ADMIN])
    def test_others_may_not_schedule(self, client, school, role):
        client.force_login(UserFactory(school=school, roles=[role]))

        assert client.get(reverse("meetings:meeting_create")).status_code == 403
        assert (
            client.post(reverse("meetings:meeting_create"), meeting_data(school)).status_code == 403
        )

    @pytest.mark.parametrize(
        ("changes", "message"),
        [
            ({"date": "2026-11-20"}, "The meeting cannot be in the past."),
            ({"date": "2026-12-05"}, "5 Dec 2026 is a Saturday: try 7 Dec 2026."),
            ({"date": "2026-12-23"}, "23 Dec 2026 is in a school holiday: try 4 Jan 2027."),
            ({"focus": Focus.OWN}, "Say what this meeting is for, in a few words."),
            (
                {"summaries_due": "2026-12-01"},
                "Summaries are due before the meeting, not after it.",
            ),
            (
                {"length": "50"},
                "Choose one of the lengths the school offers: 30 minutes, 45 minutes or 60 minutes.",
            ),
        ],
    )
    def test_bad_input_is_refused_and_kept(self, client, school, leader, changes, message):
        client.force_login(leader)
        data = meeting_data(school, **changes)

        response = client.post(reverse("meetings:meeting_create"), data)

        assert response.status_code == 422
        assert message in response.text
        assert "Which Year 6 pupils need what next in maths?" in response.text
        assert not Meeting.objects.exists()

    @pytest.mark.parametrize(
        ("date", "due"),
        [
            ("2026-11-30", dt.date(2026, 11, 26)),  # a Monday: the Thursday before
            ("2027-01-04", dt.date(2026, 12, 17)),  # after Christmas: the last Thursday of term
            ("2027-02-22", dt.date(2027, 2, 11)),  # after February half-term
            ("2026-11-25", dt.date(2026, 11, 23)),  # two school days before is today
            ("2026-11-24", dt.date(2026, 11, 23)),  # two before has passed: the day before
            ("2026-11-23", None),  # the meeting is today: no deadline to propose
        ],
    )
    def test_summaries_left_undated_are_due_two_school_days_before(
        self, client, school, leader, date, due
    ):
        PupilFactory(school=school)  # so Year 6 is a choice
        client.force_login(leader)

        client.post(
            reverse("meetings:meeting_create"),
            meeting_data(school, date=date, summaries_due=""),
        )

        assert Meeting.objects.get().summaries_due == due

    def test_with_no_term_dates_summaries_are_due_two_weekdays_before(self, client, today):
        leader = UserFactory(roles=[Role.SENIOR_LEADER])  # a school with no calendar
        PupilFactory(school=leader.school)
        client.force_login(leader)

        client.post(
            reverse("meetings:meeting_create"),
            meeting_data(leader.school, date="2027-01-04", summaries_due=""),
        )

        assert Meeting.objects.get().summaries_due == dt.date(2026, 12, 31)

    @pytest.mark.parametrize(
        ("date", "due", "message"),
        [
            (
                "2026-11-30",
                "2026-11-28",
                "28 Nov 2026 is not a school day: choose one, such as 27 Nov 2026.",
            ),
            (
                "2027-01-04",
                "2026-12-23",
                "23 Dec 2026 is not a school day: choose one, such as 18 Dec 2026.",
            ),
        ],
    )
    def test_a_deadline_typed_on_a_day_the_school_is_shut_is_refused(
        self, client, school, leader, date, due, message
    ):
        client.force_login(leader)

        response = client.post(
            reverse("meetings:meeting_create"), meeting_data(school, date=date, summaries_due=due)
        )

        assert response.status_code == 422
        assert message in response.text

    def test_a_large_room_is_warned_about(self, client, school, leader):
        PupilFactory(school=school)
        client.force_login(leader)
        data = meeting_data(school)
        data["attendees"] += [UserFactory(school=school).pk for _ in range(7)]

        response = client.post(reverse("meetings:meeting_create"), data, follow=True)

        assert "9 people is a large room" in response.text

    def test_with_more_than_three_people_the_chair_cannot_also_record(self, client, school, leader):
        client.force_login(leader)
        others = [UserFactory(school=school, roles=[Role.TEACHER]).pk for _ in range(3)]
        data = meeting_data(school)
        data |= {"recorder": data["chair"], "attendees": [data["chair"], *others]}

        response = client.post(reverse("meetings:meeting_create"), data)

        assert response.status_code == 422
        assert "with more than 3 people someone else should record it" in response.text
        assert not Meeting.objects.exists()

    def test_in_a_meeting_of_three_the_chair_may_record_too(self, client, school, leader):
        PupilFactory(school=school)  # so Year 6 is a choice
        client.force_login(leader)
        teachers = [UserFactory(school=school, roles=[Role.TEACHER]).pk for _ in range(2)]
        data = meeting_data(school)
        data |= {"recorder": data["chair"], "attendees": [data["chair"], *teachers]}

        client.post(reverse("meetings:meeting_create"), data)

        meeting = Meeting.objects.get()
        roles = dict(meeting.attendees.values_list("user_id", "role"))
        assert roles[data["chair"]] == Attendee.Role.CHAIR
        assert Attendee.Role.RECORDER not in roles.values()
        assert meeting.recorder == meeting.chair

    def test_a_focus_suggests_who_should_come(self, client, school, leader):
        UserFactory(school=school, roles=[Role.SENCO], display_name="Priya Sharma")
        client.force_login(leader)

        response = client.get(
            reverse("meetings:meeting_create"), {"focus": Focus.SEND}, headers=HTMX
        )

        assert response.text.lstrip().startswith('<div id="focus-help"')
        assert "This focus needs the SENCO in the room: Priya Sharma." in response.text


class TestEditAndDelete:
    def test_a_clashing_edit_saves_nothing(self, client, school, leader):
        meeting = MeetingFactory(school=school)
        client.force_login(leader)
        chair, recorder = (meeting.attendees.get(role=role).user for role in ("chair", "recorder"))
        base = meeting_data(
            school,
            chair=chair.pk,
            recorder=recorder.pk,
            attendees=[chair.pk, recorder.pk],
            version=1,
            year_groups=[],
        )
        client.post(reverse("meetings:meeting_edit", args=[meeting.pk]), base | {"place": "Hall"})

        response = client.post(
            reverse("meetings:meeting_edit", args=[meeting.pk]), base | {"place": "Room 9"}
        )

        assert response.status_code == 422
        assert "Someone else changed this meeting while you were editing it." in response.text
        assert 'value="Room 9"' in response.text
        assert Meeting.objects.get().place == "Hall"

    def test_a_started_meeting_cannot_be_deleted(self, client, school, leader):
        meeting = MeetingFactory(school=school, status=Meeting.Status.RUNNING)
        client.force_login(leader)

        response = client.post(reverse("meetings:meeting_delete", args=[meeting.pk]), follow=True)

        assert "This meeting is under way, so deleting it is no longer possible." in response.text
        assert Meeting.objects.filter(pk=meeting.pk).exists()

    def test_a_planned_meeting_can_be_deleted(self, client, school, leader):
        meeting = MeetingFactory(school=school)
        client.force_login(leader)

        client.post(reverse("meetings:meeting_delete", args=[meeting.pk]))

        assert not Meeting.objects.exists()

    def test_another_schools_meeting_is_not_found(self, client, school):
        meeting = MeetingFactory(school=school)
        client.force_login(UserFactory(roles=[Role.SENIOR_LEADER]))

        assert client.get(reverse("meetings:meeting_detail", args=[meeting.pk])).status_code == 404
        assert client.get(reverse("meetings:meeting_edit", args=[meeting.pk])).status_code == 404
        assert client.post(reverse("meetings:meeting_delete", args=[meeting.pk])).status_code == 404


class TestDetail:
    def test_an_attending_teacher_may_see_it(self, client, school):
        teacher = UserFactory(school=school, roles=[Role.TEACHER])
        meeting = MeetingFactory(school=school, people=[teacher])
        client.force_login(teacher)

        response = client.get(reverse("meetings:meeting_detail", args=[meeting.pk]))

        assert response.status_code == 200
        assert "Choose pupils" not in response.text

    def test_a_teacher_not_attending_gets_not_found(self, client, school):
        meeting = MeetingFactory(school=school)
        client.force_login(UserFactory(school=school, roles=[Role.TEACHER]))

        assert client.get(reverse("meetings:meeting_detail", args=[meeting.pk])).status_code == 404

    def test_queries_do_not_grow_with_items(
        self, client, school, year, leader, django_assert_max_num_queries
    ):
        meeting = MeetingFactory(school=school)
        client.force_login(leader)
        pupils = [slipping_pupil(school, year, teacher=leader) for _ in range(8)]
        meeting.confirm_shortlist(
            by=meeting.created_by,
            pupils=[(p, "maths fell") for p in pupils[:2]],
            groups=[],
            over_cap_reason="",
        )
        with django_assert_max_num_queries(20) as few:
            client.get(reverse("meetings:meeting_detail", args=[meeting.pk]))
        meeting.confirm_shortlist(
            by=meeting.created_by,
            pupils=[(p, "maths fell") for p in pupils],
            groups=[],
            over_cap_reason="x",
        )

        with django_assert_max_num_queries(len(few.captured_queries)):
            client.get(reverse("meetings:meeting_detail", args=[meeting.pk]))

    def test_previous_actions_due_are_listed_a_page_at_a_time(self, client, school, leader):
        earlier = MeetingFactory(
            school=school, date=dt.date(2026, 10, 12), status=Meeting.Status.CLOSED
        )
        pupil = PupilFactory(school=school)
        due = [
            ActionFactory(
                school=school,
                meeting=earlier,
                pupil=pupil,
                review_on=dt.date(2026, 11, 1) + dt.timedelta(days=n),
            )
            for n in range(30)
        ]
        meeting = MeetingFactory(school=school, date=dt.date(2026, 11, 30))
        client.force_login(leader)
        url = reverse("meetings:meeting_detail", args=[meeting.pk])

        first, second = client.get(url), client.get(url, {"page": 2})

        assert "30 previous actions due for review." in first.text  # the agenda counts them all
        assert list(first.context["previous"].object_list) == due[:25]  # earliest review first
        assert "(1-25 of 30)" in first.text
        assert 'href="?page=2#previous-actions"' in first.text
        assert list(second.context["previous"].object_list) == due[25:]
        assert "(26-30 of 30)" in second.text
        assert 'href="?page=1#previous-actions"' in second.text


class TestShortlist:
    def test_proposes_pupils_in_scope_with_reasons(self, client, school, year, leader):
        meeting = MeetingFactory(school=school, year_groups=[6])
        slipping_pupil(school, year, legal_forename="Tyler", legal_surname="Brennan")
        slipping_pupil(school, year, legal_surname="Younger", year_group=5)  # out of scope
        client.force_login(leader)

        response = client.get(reverse("meetings:meeting_shortlist", args=[meeting.pk]))

        assert [p.pupil.legal_surname for p in response.context["proposals"]] == ["Brennan"]
        assert "maths fell from EXS to WTS" in response.text

    @pytest.mark.parametrize(
        ("focus", "own_focus", "title"),
        [
            (Focus.SEND, "", "Pupils with SEND accessing the curriculum"),
            (Focus.EXAM_READINESS, "", "Exam readiness (Year 11, Year 13)"),
            (Focus.OWN, "KS2 reading in Year 6", "KS2 reading in Year 6"),
        ],
    )
    def test_the_heading_names_the_focus_as_written(
        self, client, school, leader, focus, own_focus, title
    ):
        meeting = MeetingFactory(school=school, focus=focus, own_focus=own_focus)
        client.force_login(leader)

        response = client.get(reverse("meetings:meeting_shortlist", args=[meeting.pk]))

        assert f"Choose pupils: {title}</h1>" in response.text

    def test_confirming_creates_items_and_asks_the_teacher_for_a_summary(
        self, client, school, year, leader
    ):
        teacher = UserFactory(school=school, roles=[Role.TEACHER])
        meeting = MeetingFactory(school=school)
        pupil = slipping_pupil(school, year, teacher=teacher)
        client.force_login(leader)

        client.post(
            reverse("meetings:meeting_shortlist", args=[meeting.pk]), {"pupils": [pupil.pk]}
        )

        item = Item.objects.get()
        assert (item.pupil, item.reason) == (
            pupil,
            "maths WTS, just below expected; maths fell from EXS to WTS",
        )
        assert item.summary.teacher == teacher
        assert item.summary.status == Summary.Status.TO_DO

    def test_a_first_shortlist_ticks_the_strongest_proposals_up_to_the_cap(
        self, client, school, year, leader
    ):
        meeting = MeetingFactory(school=school, length=30)  # room for 4
        for _ in range(6):
            slipping_pupil(school, year, teacher=leader)
        client.force_login(leader)

        page = client.get(reverse("meetings:meeting_shortlist", args=[meeting.pk]))

        proposed = [str(p.pupil.pk) for p in page.context["proposals"]]
        assert page.context["form"]["pupils"].value() == proposed[:4]
        assert "4 of 4 items chosen." in page.text

    def test_reopening_keeps_every_item_the_data_no_longer_proposes(
        self, client, school, year, leader
    ):
        meeting = MeetingFactory(school=school)
        steady = [PupilFactory(school=school, year_group=6) for _ in range(3)]  # no reasons now
        meeting.confirm_shortlist(
            by=meeting.created_by,
            pupils=[(steady[0], "reading age 14 months behind")],
            groups=[("Fractions group", steady[1:], "All missed equivalent fractions")],
            over_cap_reason="",
        )
        client.force_login(leader)
        url = reverse("meetings:meeting_shortlist", args=[meeting.pk])

        page = client.get(url)

        form = page.context["form"]
        assert form["pupils"].value() == [str(steady[0].pk)]
        assert form["group_name"].value() == "Fractions group"
        assert sorted(form["group_pupils"].value()) == sorted(str(p.pk) for p in steady[1:])
        assert "On the agenda</span>" in page.text
        assert "reading age 14 months behind" in page.text

        client.post(url, {name: form[name].value() for name in form.fields})

        assert [str(item) for item in meeting.items.all()] == [steady[0].name, "Fractions group"]
        assert meeting.items.get(pupil=steady[0]).reason == "reading age 14 months behind"

    def test_going_over_the_cap_needs_a_reason(self, client, school, year, leader):
        meeting = MeetingFactory(school=school, length=30)
        pupils = [slipping_pupil(school, year, teacher=leader) for _ in range(5)]
        client.force_login(leader)
        url = reverse("meetings:meeting_shortlist", args=[meeting.pk])

        refused = client.post(url, {"pupils": [p.pk for p in pupils]})
        accepted = client.post(
            url, {"pupils": [p.pk for p in pupils], "over_cap_reason": "End of key stage"}
        )

        assert refused.status_code == 422
        assert (
            "5 items is more than the 4 a 30-minute meeting has room for, and each would get about 2 minutes"
            in refused.text
        )
        assert accepted.status_code == 302
        assert Item.objects.count() == 5

    def test_a_pupil_outside_the_scope_or_school_is_refused(self, client, school, year, leader):
        meeting = MeetingFactory(school=school, year_groups=[5])
        in_year_6 = slipping_pupil(school, year)
        elsewhere = PupilFactory()
        client.force_login(leader)

        response = client.post(
            reverse("meetings:meeting_shortlist", args=[meeting.pk]),
            {"pupils": [in_year_6.pk, elsewhere.pk]},
        )

        assert response.status_code == 422
        assert "is not one of the available choices" in response.text
        assert not Item.objects.exists()

    def test_a_group_item_needs_two_pupils(self, client, school, year, leader):
        meeting = MeetingFactory(school=school)
        pupils = [slipping_pupil(school, year, teacher=leader) for _ in range(2)]
        client.force_login(leader)
        url = reverse("meetings:meeting_shortlist", args=[meeting.pk])

        refused = client.post(
            url, {"group_name": "Fractions group", "group_pupils": [pupils[0].pk]}
        )
        client.post(
            url,
            {
                "group_name": "Fractions group",
                "group_pupils": [p.pk for p in pupils],
                "group_reason": "Same questions missed",
            },
        )

        assert "A group item needs at least two pupils." in refused.text
        group = Item.objects.get()
        assert (group.group_name, group.group_pupils.count()) == ("Fractions group", 2)

    def test_a_pupil_kept_on_the_list_keeps_their_summary(self, school, year, leader):
        meeting = MeetingFactory(school=school)
        kept, dropped = (slipping_pupil(school, year, teacher=leader) for _ in range(2))
        meeting.confirm_shortlist(
            by=meeting.created_by,
            pupils=[(kept, "a"), (dropped, "b")],
            groups=[],
            over_cap_reason="",
        )
        Summary.objects.filter(item__pupil=kept).update(
            main_concern="Written already", status="draft"
        )

        meeting.confirm_shortlist(
            by=meeting.created_by, pupils=[(kept, "a")], groups=[], over_cap_reason=""
        )

        assert Summary.objects.get().main_concern == "Written already"

    def test_a_teacher_may_not_choose_pupils(self, client, school):
        teacher = UserFactory(school=school, roles=[Role.TEACHER])
        meeting = MeetingFactory(school=school, people=[teacher])
        client.force_login(teacher)

        assert (
            client.get(reverse("meetings:meeting_shortlist", args=[meeting.pk])).status_code == 403
        )


class TestInvitations:
    def test_line_breaks_in_a_meeting_never_reach_a_header_or_a_calendar_line(
        self, client, school, leader, deliver
    ):
        PupilFactory(school=school)  # so Year 6 is a choice
        client.force_login(leader)
        client.post(
            reverse("meetings:meeting_create"),
            meeting_data(
                school,
                focus=Focus.OWN,
                own_focus="Year 6\r\nBCC: everyone@example.org",
                place="Library\r\nATTENDEE:mailto:intruder@example.org",
                purpose="Which pupils\nneed what next?",
            ),
        )
        meeting = Meeting.objects.get()
        assert (meeting.own_focus, meeting.place) == (
            "Year 6 BCC: everyone@example.org",
            "Library ATTENDEE:mailto:intruder@example.org",
        )
        Meeting.objects.filter(pk=meeting.pk).update(  # as if written before this was checked
            place="Library\r\nATTENDEE:mailto:intruder@example.org\x07" + "é" * 80
        )
        meeting.refresh_from_db()
        meeting.confirm_shortlist(
            by=meeting.created_by,
            pupils=[(PupilFactory(school=school, year_group=6), "maths")],
            groups=[],
            over_cap_reason="",
        )

        client.post(reverse("meetings:meeting_send", args=[meeting.pk]))

        message = deliver()[0]
        assert "\n" not in message.subject
        _, calendar, _ = message.attachments[0]
        lines = calendar.split("\r\n")
        assert not any(line.startswith("ATTENDEE") for line in lines)
        assert all(len(line.encode()) <= 75 for line in lines)
        assert "\x07" not in calendar
        unfolded = calendar.replace("\r\n ", "")
        assert "LOCATION:Library\\nATTENDEE:mailto:intruder@example.org" + "é" * 80 in unfolded

    def test_a_control_character_in_a_title_is_refused(self, client, school, leader):
        client.force_login(leader)

        response = client.post(
            reverse("meetings:meeting_create"),
            meeting_data(school, focus=Focus.OWN, own_focus="Year 6\x1b[2J"),
        )

        assert response.status_code == 422
        assert "Remove the invisible control character" in response.text
        assert not Meeting.objects.exists()

    def test_each_attendee_gets_a_link_and_a_calendar_file_but_no_pupil_names(
        self, client, school, year, leader, deliver
    ):
        meeting = MeetingFactory(school=school, place="Library")
        pupil = slipping_pupil(
            school, year, teacher=leader, legal_forename="Tyler", legal_surname="Brennan"
        )
        meeting.confirm_shortlist(
            by=meeting.created_by, pupils=[(pupil, "maths fell")], groups=[], over_cap_reason=""
        )
        client.force_login(leader)

        client.post(reverse("meetings:meeting_send", args=[meeting.pk]))

        sent = deliver()
        assert len(sent) == 3  # the chair, the recorder, and the pupil's teacher
        message = sent[0]
        assert f"http://testserver/meetings/{meeting.pk}/" in message.body
        assert "Brennan" not in message.body
        assert "Brennan" not in message.subject
        name, content, mimetype = message.attachments[0]
        assert (name, mimetype) == ("meeting.ics", "text/calendar; method=REQUEST")
        assert "DTSTART:20261130T154500Z" in content  # 15:45 in London is 15:45 UTC in November
        assert "Brennan" not in content

    def test_reminders_go_to_teachers_with_summaries_to_finish(
        self, client, school, year, leader, deliver
    ):
        teacher = UserFactory(school=school, roles=[Role.TEACHER])
        done_teacher = UserFactory(school=school, roles=[Role.TEACHER])
        meeting = MeetingFactory(school=school)
        waiting = slipping_pupil(school, year, teacher=teacher)
        done = slipping_pupil(school, year, teacher=done_teacher)
        meeting.confirm_shortlist(
            by=meeting.created_by,
            pupils=[(waiting, "a"), (done, "b")],
            groups=[],
            over_cap_reason="",
        )
        Summary.objects.filter(teacher=done_teacher).update(status="ready")
        client.force_login(leader)

        client.post(reverse("meetings:meeting_remind", args=[meeting.pk]))

        sent = deliver()
        assert [message.to for message in sent] == [[teacher.email]]
        assert waiting.name not in sent[0].body


class TestSummary:
    @pytest.fixture
    def summary(self, school, year, leader):
        teacher = UserFactory(school=school, roles=[Role.TEACHER])
        meeting = MeetingFactory(school=school, people=[teacher])
        pupil = slipping_pupil(school, year, teacher=teacher)
        meeting.confirm_shortlist(
            by=meeting.created_by, pupils=[(pupil, "maths fell")], groups=[], over_cap_reason=""
        )
        return Summary.objects.get()

    def words(self, summary, **changes) -> dict:
        return {
            "version": summary.version, "main_concern": "Cannot add fractions with unlike denominators",
            "gap": "knowledge", "with_support": "yes", "breadth": "subject", "tried": "", "what_helped": "",
            "barrier": "Missed the lessons that introduced it", "next_step": "Catch-up on Tuesdays", "pupil_voice": "",
        } | changes  # fmt: skip

    def test_the_data_is_filled_in_for_the_teacher(self, client, summary):
        client.force_login(summary.teacher)

        response = client.get(reverse("meetings:summary_edit", args=[summary.pk]))

        assert response.status_code == 200
        assert "WTS (Point 1)" in response.text
        assert "EXS (Point 0)" in response.text
        assert "No special educational need recorded" in response.text

    def test_a_draft_saves_as_the_teacher_types(self, client, summary):
        client.force_login(summary.teacher)

        response = client.post(
            reverse("meetings:summary_edit", args=[summary.pk]),
            self.words(summary, barrier=""),
            headers=HTMX,
        )

        assert response.status_code == 200
        assert "Draft saved at" in response.text
        assert 'name="version" value="2"' in response.text
        assert 'hx-swap-oob="true"' in response.text
        summary.refresh_from_db()
        assert (summary.status, summary.main_concern) == (
            "draft",
            "Cannot add fractions with unlike denominators",
        )

    def test_ready_needs_the_essentials_and_keeps_the_data_as_it_stood(self, client, summary):
        client.force_login(summary.teacher)
        url = reverse("meetings:summary_edit", args=[summary.pk])

        refused = client.post(url, self.words(summary, next_step="") | {"ready": "1"})
        client.post(url, self.words(summary) | {"ready": "1"})

        assert refused.status_code == 422
        assert "Needed before the summary is ready." in refused.text
        summary.refresh_from_db()
        assert summary.status == "ready"
        assert summary.snapshot["attainment"][0]["latest"] == "WTS (Point 1)"

    def test_a_clash_between_two_tabs_is_refused(self, client, summary):
        client.force_login(summary.teacher)
        url = reverse("meetings:summary_edit", args=[summary.pk])
        client.post(url, self.words(summary), headers=HTMX)

        response = client.post(url, self.words(summary, main_concern="Other tab"), headers=HTMX)

        assert response.status_code == 422
        assert "saved from somewhere else meanwhile" in response.text
        assert Summary.objects.get().main_concern == "Cannot add fractions with unlike denominators"

    def test_another_teacher_gets_not_found(self, client, school, summary):
        client.force_login(UserFactory(school=school, roles=[Role.TEACHER]))

        assert client.get(reverse("meetings:summary_edit", args=[summary.pk])).status_code == 404

    def test_a_leader_may_read_and_fill_it(self, client, leader, summary):
        client.force_login(leader)

        assert client.get(reverse("meetings:summary_edit", args=[summary.pk])).status_code == 200
        assert (
            client.post(
                reverse("meetings:summary_edit", args=[summary.pk]), self.words(summary)
            ).status_code
            == 302
        )

    def test_it_cannot_change_once_the_meeting_has_started(self, client, summary):
        Meeting.objects.update(status=Meeting.Status.RUNNING)
        client.force_login(summary.teacher)

        response = client.post(
            reverse("meetings:summary_edit", args=[summary.pk]), self.words(summary)
        )

        assert response.status_code == 422
        assert "The meeting has started, so its summaries are part of the record" in response.text
        summary.refresh_from_db()
        assert summary.status == Summary.Status.TO_DO

    def test_it_appears_on_the_teachers_home_page(self, client, summary):
        client.force_login(summary.teacher)

        response = client.get(reverse("home"))

        assert reverse("meetings:summary_edit", args=[summary.pk]) in response.text
        assert re.search(r"0 of 1 summaries ready", response.text)


def test_a_teacher_who_has_left_is_not_asked_for_a_summary(client, school, year, leader):
    """The class's other teacher is, or failing them the chair."""
    gone = UserFactory(school=school, roles=[Role.TEACHER], is_active=False)
    meeting = MeetingFactory(school=school)
    pupil = slipping_pupil(school, year, teacher=gone)
    client.force_login(leader)

    client.post(reverse("meetings:meeting_shortlist", args=[meeting.pk]), {"pupils": [pupil.pk]})

    assert Summary.objects.get().teacher == meeting.attendees.get(role="chair").user

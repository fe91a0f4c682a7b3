"""Query budgets: every list, profile, live-meeting and dashboard page and fragment answers with
the same status and the same number of queries for a school of 10 pupils as for one of 60 (and a
meeting of 10 items and 10 previous actions due, as for one of 60), with lazy loads of related
rows failing (`no_lazy_loads`). The README's "Queries per page" table quotes these figures: a
change that moves one fails here until the README says the new figure. (The live fragment in
each section has its own figures, in tests/meetings/test_live.py.)"""

import datetime as dt
from pathlib import Path

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from meetings.agenda import Section
from meetings.models import Meeting
from progress.models import Role
from pupils.school_patterns import behaviour_row
from tests.factories import (
    AcademicYearFactory,
    ActionFactory,
    GroupFactory,
    MeetingFactory,
    UserFactory,
    full_pupil,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_lazy_loads")]
HTMX = {"HX-Request": "true"}


def a_school_of(size: int) -> dict:
    """A school of `size` pupils with results, attendance and behaviour, each with an open
    action and a class; a meeting of all of them under way, in the review of `size` previous
    actions due (a page of them on screen), with a teacher attending: what the pages show."""
    school = AcademicYearFactory(start_year=2026).school
    year = school.academic_years.get()
    leader = UserFactory(school=school, roles=[Role.SENIOR_LEADER])
    everyone = [full_pupil(school, year) for _ in range(size)]
    earlier = MeetingFactory(
        school=school, year_groups=[6], date=dt.date(2026, 10, 12), status=Meeting.Status.CLOSED
    )
    for pupil in everyone:
        ActionFactory(school=school, pupil=pupil, owner=leader, review_on=dt.date(2026, 12, 7))
        ActionFactory(
            school=school, meeting=earlier, pupil=pupil, owner=leader,
            review_on=dt.date(2026, 11, 27),
        )  # fmt: skip
        GroupFactory(school=school, teachers=[leader])  # rows for the classes page
    teacher = UserFactory(school=school, roles=[Role.TEACHER])
    meeting = MeetingFactory(school=school, year_groups=[6], people=[teacher])
    meeting.confirm_shortlist(
        by=meeting.created_by, pupils=[(p, "maths fell") for p in everyone], groups=[],
        over_cap_reason="A long list, to measure",
    )  # fmt: skip
    chair = meeting.attendees.select_related("user").get(role="chair").user
    recorder = meeting.attendees.select_related("user").get(role="recorder").user
    meeting.start(by=chair)
    meeting.move(by=chair, forward=True)  # the second page of previous actions
    return {
        "leader": leader, "chair": chair, "recorder": recorder, "teacher": teacher,
        "pupil": everyone[0], "meeting": meeting,
    }  # fmt: skip


def behaviour_cell() -> str:
    """The cell of the behaviour picture every pupil's incident is in (a Tuesday, period 2)."""
    return f"?picture=behaviour&weekday=2&row={behaviour_row('P2', None)[0]}"


# (page, (status, queries)): who asks, for what, is in `request_for`.
PAGES = {
    "home": (200, 12),
    "calendar": (200, 6),
    "group_list": (200, 6),
    "pupil_list": (200, 24),
    "pupil_list_criterion": (200, 26),
    "pupil_list_fragment": (200, 24),
    "pupil_detail": (200, 32),
    "pupils:school_patterns": (200, 17),
    "pattern_pupils_fragment": (200, 9),
    "meeting_list": (200, 6),
    "meeting_detail": (200, 14),
    "meetings:year_view": (200, 12),
    # These three have README rows of their own, from richer data in their own tests.
    "meetings:meetings_working": (200, 8),
    "meetings:repeated_concerns": (200, 6),
    "actions:intervention_impact": (200, 5),
    "action_log": (200, 8),
    "action_log_fragment": (200, 6),
    "my_actions": (200, 7),
    "live_chair": (200, 27),
    "live_recorder": (200, 27),
    "live_attendee": (200, 22),
    "live_room": (200, 13),
    "live_fragment": (200, 22),
    "poll_changed": (200, 22),
    "poll_unchanged": (304, 4),
}


def request_for(page: str, school: dict, etag: str) -> tuple:
    """(user, url, headers) of a page."""
    meeting, leader = school["meeting"], school["leader"]
    live = reverse("meetings:meeting_live", args=[meeting.pk])
    state = reverse("meetings:meeting_live_state", args=[meeting.pk])
    match page:
        case "pupil_list" | "pupil_list_fragment":
            return leader, reverse("pupils:pupil_list"), HTMX if "fragment" in page else {}
        case "pupil_list_criterion":
            return leader, reverse("pupils:pupil_list") + "?criterion=progress_slowed", {}
        case "pupil_detail":
            return leader, reverse("pupils:pupil_detail", args=[school["pupil"].pk]), {}
        case "pattern_pupils_fragment":
            return leader, reverse("pupils:pattern_pupils") + behaviour_cell(), HTMX
        case "meeting_list":
            return leader, reverse("meetings:meeting_list"), {}
        case "meeting_detail":
            return leader, meeting.get_absolute_url(), {}
        case "action_log_fragment":
            return leader, reverse("action_log") + "?status=open", HTMX
        case "my_actions":
            return leader, reverse("actions:my_actions"), {}
        case "live_chair":
            return school["chair"], live, {}
        case "live_recorder":
            return school["recorder"], live, {}
        case "live_attendee":
            return school["teacher"], live, {}
        case "live_room":
            return school["chair"], f"{live}?screen=room", {}
        case "live_fragment":
            return school["chair"], state, HTMX
        case "poll_changed":
            return school["teacher"], state, HTMX | {"If-None-Match": '"an-older-version"'}
        case "poll_unchanged":
            return school["teacher"], state, HTMX | {"If-None-Match": etag}
        case _:
            return leader, reverse(page), {}


def measured(client, school: dict) -> dict[str, tuple[int, int]]:
    client.force_login(school["teacher"])
    state = reverse("meetings:meeting_live_state", args=[school["meeting"].pk])
    etag = client.get(state, headers=HTMX)["ETag"]
    figures = {}
    for page in PAGES:
        user, url, headers = request_for(page, school, etag)
        client.force_login(user)
        cache.clear()  # each page's own cost, with nothing another screen has worked out kept
        with CaptureQueriesContext(connection) as queries:
            status = client.get(url, headers=headers).status_code
        figures[page] = (status, len(queries))
    return figures


def test_each_page_costs_the_same_for_10_pupils_or_items_as_for_60(client, today):
    ten = measured(client, a_school_of(10))
    sixty = measured(client, a_school_of(60))

    assert ten == PAGES
    assert sixty == PAGES


def test_the_meeting_under_measure_is_on_the_second_page_of_its_review(client, today):
    school = a_school_of(10)
    client.force_login(school["teacher"])

    page = client.get(reverse("meetings:meeting_live", args=[school["meeting"].pk]))

    assert school["meeting"].section == Section.REVIEW
    assert "Previous actions 9-10 of 10" in page.text


README = (Path(__file__).resolve().parent.parent / "README.md").read_text()
# The README's rows, by the pages above.
README_ROWS = {
    "home, a leader": ["home"],
    "school calendar": ["calendar"],
    "classes and teachers": ["group_list"],
    "pupil list; with a criterion filter; its fragment": [
        "pupil_list",
        "pupil_list_criterion",
        "pupil_list_fragment",
    ],
    "pupil profile": ["pupil_detail"],
    "school patterns; the pupils behind a cell (fragment)": [
        "pupils:school_patterns",
        "pattern_pupils_fragment",
    ],
    "meetings": ["meeting_list"],
    "a meeting's page": ["meeting_detail"],
    "the school's year of meetings": ["meetings:year_view"],
    "action log; its fragment": ["action_log", "action_log_fragment"],
    "my actions": ["my_actions"],
    "live meeting, the chair's page; the recorder's; an attendee's; the room's": [
        "live_chair",
        "live_recorder",
        "live_attendee",
        "live_room",
    ],
    "live fragment; a poll with news (200); a poll with nothing new (304)": [
        "live_fragment",
        "poll_changed",
        "poll_unchanged",
    ],
}


def test_the_readme_quotes_the_figures_asserted_here():
    for label, pages in README_ROWS.items():
        row = f"| {label} | {'; '.join(str(PAGES[page][1]) for page in pages)} |"
        assert row in README, row


OWN_ROWS = [
    "meetings:meetings_working",
    "meetings:repeated_concerns",
    "actions:intervention_impact",
]


def test_every_page_measured_has_its_row_in_the_readme():
    quoted = [page for pages in README_ROWS.values() for page in pages]
    assert sorted(quoted + OWN_ROWS) == sorted(PAGES)

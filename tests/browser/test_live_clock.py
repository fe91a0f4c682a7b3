"""The live clock keeps time on every screen following a meeting, while nothing else changes: the
polls answer 304 and leave the page alone, and the clock keeps counting down, turning amber and
then red on time, in words as well as colour."""

import datetime as dt
import re
import time

import pytest
from django.db.models import F
from django.utils import timezone
from playwright.sync_api import expect

from meetings.agenda import Section
from meetings.models import Meeting
from progress.models import Role
from tests.browser.conftest import assert_accessible, screenshot, sign_in_as
from tests.factories import MeetingFactory, PupilFactory, SchoolFactory, UserFactory

pytestmark = pytest.mark.browser
CLOCK = re.compile(r"(\d+):(\d\d) (left|over)")
AMBER_AT, PLANNED = 48, 60  # the second pupil's share once the first overran the pupil block


@pytest.fixture
def meeting_on_its_second_pupil(transactional_db):
    """A 30-minute meeting whose first pupil took the whole pupil block: the second pupil has the
    shortest share, one minute, of which 45 seconds have gone."""
    school = SchoolFactory()
    leader = UserFactory(school=school, roles=[Role.SENIOR_LEADER])
    teacher = UserFactory(school=school, roles=[Role.TEACHER])
    meeting = MeetingFactory(school=school, length=30, date=timezone.localdate(), people=[teacher])
    meeting.set_attendees(
        chair=leader, recorder=meeting.attendees.get(role="recorder").user, others=[teacher]
    )
    pupils = PupilFactory.create_batch(2, school=school, year_group=6)
    meeting.confirm_shortlist(
        by=leader, pupils=[(p, "maths fell") for p in pupils], groups=[], over_cap_reason=""
    )
    now = timezone.now()
    first, second = meeting.items.all()
    Meeting.objects.filter(pk=meeting.pk).update(
        status=Meeting.Status.RUNNING,
        started_at=now - dt.timedelta(minutes=25),
        section=Section.PUPILS,
        item_index=1,
    )
    meeting.times.create(
        school=meeting.school, section=Section.PUPILS, item=first,
        started_at=now - dt.timedelta(minutes=16),
        ended_at=now - dt.timedelta(seconds=45),
    )  # fmt: skip
    meeting.times.create(
        school=meeting.school, section=Section.PUPILS, item=second,
        started_at=now - dt.timedelta(seconds=45),
    )  # fmt: skip
    return meeting, leader, teacher


def from_now(meeting) -> None:
    """Move the meeting's clock on so that the second pupil's minute began 45 seconds ago."""
    current = meeting.times.get(ended_at__isnull=True)
    shift = timezone.now() - dt.timedelta(seconds=45) - current.started_at
    meeting.times.update(started_at=F("started_at") + shift, ended_at=F("ended_at") + shift)
    Meeting.objects.filter(pk=meeting.pk).update(started_at=F("started_at") + shift)


def seconds_left(page) -> int:
    """What the clock on `page` says, in seconds left (negative: over)."""
    minutes, seconds, way = CLOCK.search(page.locator("[data-clock-text]").inner_text()).groups()
    total = int(minutes) * 60 + int(seconds)
    return total if way == "left" else -total


@pytest.fixture
def screens(browser, browser_context_args):
    """Three people's browsers; closed after the test, so no poll outlives the live server."""
    contexts = [
        browser.new_context(**browser_context_args, viewport={"width": 1280, "height": 900})
        for _ in range(3)
    ]
    yield [context.new_page() for context in contexts]
    for context in contexts:
        context.close()


def test_an_unchanged_meeting_counts_down_on_every_screen_and_warns_on_time(
    live_server, screens, meeting_on_its_second_pupil
):
    """The chair's screen, an attending teacher's, and the room's projector (the chair's laptop
    at the front, showing the room's screen)."""
    meeting, chair, teacher = meeting_on_its_second_pupil
    polls = {page: [] for page in screens}
    live = f"{live_server.url}{meeting.get_absolute_url()}live/"
    for page, person in zip(screens, (chair, teacher, chair), strict=True):
        sign_in_as(page, live_server.url, person)
        page.on(
            "response",
            lambda response, page=page: (
                "/live/state/" in response.url and polls[page].append(response.status)
            ),
        )
    from_now(meeting)  # signing in three screens took its own time
    for page, url in zip(screens, (live, live, f"{live}?screen=room"), strict=True):
        page.goto(url)
    chair_page, teacher_page, room = screens
    expect(room.get_by_role("button")).to_have_count(0)  # nothing to press on a projector
    started = meeting.times.get(ended_at__isnull=True).started_at

    def due_left() -> float:  # what the clock should say now, from the server's own record
        return PLANNED - (timezone.now() - started).total_seconds()

    for page in screens:
        expect(page.locator("[data-clock-text]")).to_have_text(CLOCK)
        assert abs(seconds_left(page) - due_left()) <= 2
    first_reading = [seconds_left(page) for page in screens]
    assert_accessible(teacher_page)

    # Amber when 80% of the minute has gone (48 s), on both screens, in words and colour.
    time.sleep(max(0.0, AMBER_AT - (PLANNED - due_left()) + 0.5))
    for page in screens:
        section = page.locator("[data-clock]")
        expect(section).to_have_attribute("data-state", "amber", timeout=1500)
        expect(page.locator("[data-clock-words]")).to_have_text("1 minute left")
    screenshot(chair_page, "live-clock-amber")

    # One screen is refreshed: it shows the same time as the one that was not.
    teacher_page.reload()
    expect(teacher_page.locator("[data-clock-text]")).to_have_text(CLOCK)
    assert abs(seconds_left(teacher_page) - seconds_left(chair_page)) <= 1

    # Red once the minute is over, "less than a minute over", then whole minutes.
    time.sleep(max(0.0, PLANNED - (PLANNED - due_left()) + 0.5))
    for page in screens:
        expect(page.locator("[data-clock]")).to_have_attribute("data-state", "red", timeout=1500)
        expect(page.locator("[data-clock-words]")).to_have_text("less than a minute over")
    assert_accessible(chair_page)
    screenshot(chair_page, "live-clock-red")

    # Watched for well over ten seconds: each clock moved by as much, and every poll in that
    # time was a 304 that left the page alone.
    for page, before in zip(screens, first_reading, strict=True):
        moved = before - seconds_left(page)
        assert moved >= 10
        assert abs(seconds_left(page) - due_left()) <= 2
    assert polls[chair_page].count(304) >= 4
    assert set(polls[chair_page]) == {304}
    assert 304 in polls[teacher_page]
    assert set(polls[room]) == {304}
    assert_accessible(room)
    screenshot(room, "live-room-screen")
    expect(chair_page.locator("[data-meeting-text]")).to_have_text(
        re.compile(r"Meeting: 4:\d\d left")
    )


def test_a_change_made_while_the_clock_runs_arrives_without_resetting_it(
    live_server, screens, meeting_on_its_second_pupil
):
    meeting, chair, teacher = meeting_on_its_second_pupil
    chair_page, teacher_page, _ = screens
    two_screens = (chair_page, teacher_page)
    for page, person in ((chair_page, chair), (teacher_page, teacher)):
        sign_in_as(page, live_server.url, person)
        page.goto(f"{live_server.url}{meeting.get_absolute_url()}live/")
    started = meeting.times.get(ended_at__isnull=True).started_at
    time.sleep(4)
    rendered = teacher_page.locator("[data-clock]").get_attribute("data-rendered")

    # Something else changed (a review, an entry): every screen's next poll brings it in.
    Meeting.objects.filter(pk=meeting.pk).update(live_version=F("live_version") + 1)

    for page in two_screens:
        expect(page.locator("[data-clock]")).not_to_have_attribute(
            "data-rendered", rendered, timeout=5000
        )
        due = PLANNED - (timezone.now() - started).total_seconds()
        assert abs(seconds_left(page) - due) <= 2
    time.sleep(2)
    for page in two_screens:  # and it keeps counting from there
        due = PLANNED - (timezone.now() - started).total_seconds()
        assert abs(seconds_left(page) - due) <= 2

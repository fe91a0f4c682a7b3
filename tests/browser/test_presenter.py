"""The room follows the meeting on a projector, and the recorder logs an entry with the keyboard
alone: the demo's coming Year 6 meeting, run on to its first pupil."""

import re
import time

import pytest
from playwright.sync_api import expect

from meetings.agenda import Section
from meetings.focus import Focus
from meetings.models import Meeting
from progress.models import User
from tests.browser.conftest import assert_accessible, screenshot, sign_in

pytestmark = pytest.mark.browser
SLOW = 10_000  # ms: a poll every 3 s brings the other screens in step well within this
PROJECTOR = {"width": 1920, "height": 1080}


@pytest.fixture
def at_the_first_pupil(demo):
    """The demo's Year 6 meeting under way at its first pupil, its previous actions deferred."""
    meeting = Meeting.objects.get(focus=Focus.AT_RISK, status__in=Meeting.PREPARING)
    chair = User.objects.get(email="leader@oakfield.example")
    meeting.start(by=chair)
    for action in meeting.actions_to_review():
        meeting.defer(action, by=chair, reason="Owner away today")
    while meeting.section != Section.PUPILS:
        meeting.move(by=chair, forward=True)
    return f"{demo.url}/meetings/{meeting.pk}/live/"


@pytest.fixture
def screens(browser, browser_context_args):
    """The room's projector and the chair's laptop; closed after the test."""
    contexts = [
        browser.new_context(**browser_context_args, viewport=PROJECTOR),
        browser.new_context(**browser_context_args, viewport={"width": 1366, "height": 768}),
    ]
    yield [context.new_page() for context in contexts]
    for context in contexts:
        context.close()


def rendered(page, selector: str) -> float:
    """The font size, in CSS pixels, that `selector` renders at."""
    return page.locator(selector).evaluate("e => parseFloat(getComputedStyle(e).fontSize)")


def fits(page) -> bool:
    return page.evaluate(
        "document.documentElement.scrollHeight <= innerHeight"
        " && document.documentElement.scrollWidth <= innerWidth"
    )


def test_the_room_reads_the_pupil_and_the_clock_from_the_back_and_follows_the_chair(
    screens, at_the_first_pupil, demo
):
    room, chair = screens
    sign_in(room, demo.url, "leader@oakfield.example")
    room.goto(f"{at_the_first_pupil}?screen=room")
    sign_in(chair, demo.url, "leader@oakfield.example")
    chair.goto(at_the_first_pupil)

    title = room.get_by_role("heading", level=2)
    first = title.inner_text()
    expect(room.get_by_text("Why on the agenda:")).to_be_visible()
    expect(room.get_by_text("Main concern", exact=True)).to_be_visible()
    # From the back of a classroom: the pupil at 72 px, the clock at 96 px, the lines at 32 px.
    assert rendered(room, ".presenter-title") >= 72
    assert rendered(room, ".presenter-clock .live-clock-face") >= 96
    assert rendered(room, ".presenter-lines") >= 32
    assert fits(room), "the room's screen scrolls"
    expect(room.locator("#live").get_by_role("button")).to_have_count(0)
    expect(room.locator("#live").get_by_role("link")).to_have_count(0)
    assert_accessible(room)
    screenshot(room, "presenter-1920x1080")

    # The chair moves on with the keyboard: their screen brings the new heading into view and
    # focus, says so once, and the room follows without anyone touching it, for over a poll.
    chair.wait_for_load_state()
    chair.mouse.wheel(0, 2000)
    chair.keyboard.press("ArrowRight")
    heading = chair.locator("#section-heading")
    expect(heading).to_have_text(re.compile(r"\(2 of \d+\)\s*$"))
    expect(heading).to_be_focused()
    expect(heading).to_be_in_viewport()
    expect(chair.locator("#announcer")).to_have_text(re.compile(r"^Now: .+, 2 of \d+$"))
    expect(title).not_to_have_text(first, timeout=SLOW)
    second = title.inner_text()
    time.sleep(4)  # longer than a poll: unchanged, no scrolling, nothing said again
    expect(title).to_have_text(second)
    assert fits(room)
    screenshot(chair, "presenter-chair-after-next")


def test_a_recorder_logs_an_entry_with_the_keyboard_alone(page, at_the_first_pupil, demo):
    """One full entry from the barrier box to saved, the recorder's hands on the keys: the
    keystrokes beyond the words typed, and the seconds, go in the README."""
    sign_in(page, demo.url, "senco@oakfield.example")
    page.goto(at_the_first_pupil)
    page.wait_for_load_state()
    barrier = page.locator("#recorder").get_by_label(re.compile(r"^\s*Barrier\s*\*?\s*$"))
    barrier.focus()  # where the form leaves the recorder after each save
    keys = 0

    def press(*names: str) -> None:
        nonlocal keys
        for name in names:
            page.keyboard.press(name)
            keys += 1

    started = time.monotonic()
    page.keyboard.type("Cannot yet find equivalent fractions without a diagram")
    page.keyboard.type("\n")  # Enter: a new line, not a save
    page.keyboard.type("Loses the method once the numbers are larger than 12")
    press("Tab", "k")  # the barrier's category, by its first letter: Knowledge
    press("Tab", "Tab")  # past the kind, which followed the category: Reteach
    page.keyboard.type(
        "Reteach equivalent fractions with fraction walls in three 15-minute sessions "
        "with Mr Bennett this week"
    )
    press("Tab")
    page.keyboard.type("Five equivalent-fraction questions right without a diagram on Friday")
    press("Tab", "Tab")  # past the monitoring details, to the owner
    for letter in "Tom":  # type-ahead of the name
        press(letter)
    press("Control+Enter")
    expect(page.locator("#recorder").get_by_text(re.compile(r"^\s*Saved for"))).to_be_visible(
        timeout=SLOW
    )
    seconds = time.monotonic() - started

    expect(page.locator("#announcer")).to_contain_text("Saved for")
    expect(barrier).to_be_focused()  # ready for the next entry
    expect(barrier).to_have_value("")
    logged = page.locator("#live").get_by_text("Action: Reteach equivalent fractions")
    expect(logged).to_be_visible(timeout=SLOW)
    # README: 11 keystrokes beyond the words (six Tabs, a letter for the category, three of the
    # owner's name, Ctrl+Enter), and the seconds on this machine, typing as fast as it can.
    assert keys == 11
    assert seconds < 30, seconds
    print(f"one entry: {keys} keystrokes beyond the words, {seconds:.1f} s")


def test_a_poll_the_server_fails_leaves_the_room_as_it_was_until_the_next(
    screens, at_the_first_pupil, demo
):
    room, _ = screens
    sign_in(room, demo.url, "leader@oakfield.example")
    room.goto(f"{at_the_first_pupil}?screen=room")
    title = room.get_by_role("heading", level=2)
    first = title.inner_text()

    failing = "**/live/state/**"
    room.route(
        failing, lambda route: route.fulfill(status=500, body="<h1>Something went wrong</h1>")
    )
    room.wait_for_event("requestfinished", timeout=SLOW)  # a poll, answered 500
    room.wait_for_timeout(500)
    expect(title).to_have_text(first)
    expect(room.get_by_text("Something went wrong")).to_have_count(0)

    room.unroute(failing)
    meeting = Meeting.objects.get(focus=Focus.AT_RISK, status=Meeting.Status.RUNNING)
    meeting.move(by=User.objects.get(email="leader@oakfield.example"), forward=True)
    expect(title).not_to_have_text(first, timeout=SLOW)  # the next poll catches up

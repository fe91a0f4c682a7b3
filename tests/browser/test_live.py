"""A chair and a recorder run the demo's coming Year 6 meeting from start to close, each in their
own browser, as new users would, with the room's projector following."""

import re

import pytest
from playwright.sync_api import expect

from meetings.agenda import Section
from meetings.focus import Focus
from tests.browser.conftest import (
    assert_accessible,
    choose,
    named,
    review_date,
    screenshot,
    sign_in,
)
from tests.factories import CLOSING

pytestmark = pytest.mark.browser
CATCH_UP = (
    "Catch up the missed fractions lessons with Mr Bennett on Wednesday mornings for three "
    "weeks; five-question check each Friday"
)
REVIEW_IT = "Review it: did it happen, what changed, the decision"
SLOW = 10_000  # ms: a poll every 3 s brings the other screen in step well within this


def open_live(page, base_url: str, email: str) -> None:
    sign_in(page, base_url, email)
    page.get_by_role("link", name="Meetings", exact=True).click()
    page.get_by_role("region", name="Coming up", exact=True).get_by_role(
        "link", name=Focus.AT_RISK.label, exact=True
    ).click()
    page.get_by_role("link", name="The live meeting", exact=True).click()


@pytest.fixture
def screens(browser, browser_context_args):
    """Two people's browsers and the room's projector; closed after the test, so no poll
    outlives the live server."""
    contexts = [
        browser.new_context(**browser_context_args, viewport={"width": 1400, "height": 1000}),
        browser.new_context(**browser_context_args, viewport={"width": 1400, "height": 1000}),
        browser.new_context(**browser_context_args, viewport={"width": 1920, "height": 1080}),
    ]
    yield [context.new_page() for context in contexts]
    for context in contexts:
        context.close()


def heading(page, section: int, *, pupil: str = ".+", position: int | None = None):
    """A section's heading by its whole name: "3. Priority pupils, one at a time: Tyler Brennan
    (1 of 6)" for the pupil block."""
    name = rf"{section}\. {re.escape(list(Section)[section - 1].label)}"
    if position:
        name += rf": {pupil} \({position} of \d+\)"
    return page.get_by_role("heading", name=re.compile(f"^{name}$"))


def review(page, *, happened: str, decision: str, adjusted: str = "") -> None:
    page.get_by_label(happened, exact=True).check()
    if happened != "Yes":
        page.get_by_label(named("If not, why not")).fill("Parents did not reply until week 3")
    page.get_by_label(named("What changed")).fill("Mondays now attended; Fridays still missed")
    page.get_by_label(named("Evidence")).fill("Registers since the last meeting")
    page.get_by_label("+1 better", exact=True).check()
    page.get_by_label(decision, exact=True).check()
    if adjusted:
        page.get_by_label(named("If you adjust it: the action from now on")).fill(adjusted)
        page.get_by_label(named("The adjusted action's review date")).fill(
            review_date("attendance")
        )
    page.get_by_role("button", name="Record the review", exact=True).click()


def log_entry(page, *, barrier: str, action: str, kind: str, owner: str, check: str) -> None:
    """Type an entry as a recorder does: the fields in order, Ctrl+Enter to save."""
    form = page.locator("#recorder")
    form.get_by_label(named("Barrier")).fill(barrier)
    form.get_by_label(named("Barrier category")).select_option("knowledge")
    form.get_by_label(named("Kind")).select_option(kind)
    choose(form.get_by_label(named("Owner")), owner)
    form.get_by_label(named("Review date")).fill(review_date(kind))
    form.get_by_label(named("Action")).fill(action)
    expect(form.get_by_text("The action is specific enough to act on.")).to_be_visible()
    check_box = form.get_by_label(named("How we will know it worked"))
    check_box.fill(check)
    check_box.press("Control+Enter")
    form = page.locator("#recorder")  # the form comes back, empty
    expect(form.get_by_text(re.compile(r"^\s*Saved for"))).to_be_visible()
    expect(page.locator("#announcer")).to_contain_text("Saved for")
    expect(form.get_by_label(named("Barrier"))).to_be_focused()


def test_a_whole_meeting_on_two_screens_and_the_projector(screens, demo, deliver):
    chair, recorder, room = screens
    open_live(chair, demo.url, "leader@oakfield.example")
    open_live(recorder, demo.url, "senco@oakfield.example")
    open_live(room, demo.url, "leader@oakfield.example")  # the chair's laptop, on the projector
    room.get_by_role("link", name="The room's screen, for a projector", exact=True).click()
    expect(recorder.get_by_text("The meeting has not started.", exact=True)).to_be_visible()

    # Start: the recorder's screen follows by itself, and their log appears beside it.
    chair.get_by_role("button", name="Start the meeting", exact=True).click()
    expect(heading(chair, 1)).to_be_visible()
    expect(heading(recorder, 1)).to_be_visible(timeout=SLOW)
    expect(recorder.get_by_role("heading", name="Recorder's log", exact=True)).to_be_visible()
    expect(recorder.get_by_role("button", name="Next", exact=True)).to_have_count(
        0
    )  # only the chair moves
    expect(
        chair.get_by_role("heading", name="Previous actions due for review (4)", exact=True)
    ).to_be_visible()
    expect(chair.get_by_text("The pupil's data when the action was agreed").first).to_be_visible()
    assert_accessible(chair)
    screenshot(chair, "live-1-review")

    # The pupils wait for the previous actions.
    chair.get_by_role("button", name="Next", exact=True).click()
    expect(heading(chair, 2)).to_be_visible()
    chair.get_by_role("button", name="Next", exact=True).click()
    expect(
        chair.get_by_role("alert").filter(has_text="Review each previous action, or defer it")
    ).to_be_visible()
    chair.get_by_role("button", name="Back", exact=True).click()
    expect(heading(chair, 1)).to_be_visible()

    # Review them in the room: adjust one, complete one, defer the rest with a reason.
    chair.get_by_role("link", name=REVIEW_IT, exact=True).first.click()
    review(
        chair, happened="Partly", decision="Adjust",
        adjusted="Attendance lead rings home at 9.30 on each Friday absence and meets parents "
        "fortnightly until Christmas",
    )  # fmt: skip
    expect(
        chair.get_by_text("Review recorded; the adjusted action replaces this one.", exact=True)
    ).to_be_visible()
    chair.get_by_role("link", name=REVIEW_IT, exact=True).first.click()
    review(chair, happened="Yes", decision="Completed")
    defer = chair.get_by_role("button", name="Defer", exact=True)
    to_defer = defer.count()
    for _ in range(to_defer):
        chair.get_by_placeholder("Reason to defer it", exact=True).first.fill(
            "Owner is on a course today"
        )
        defer.first.click()
    expect(defer).to_have_count(0)
    expect(  # the page after the last deferral, not the one it replaces
        chair.get_by_text(re.compile("^deferred to the next meeting: Owner is on a course"))
    ).to_have_count(to_defer)
    expect(recorder.get_by_text("reviewed").first).to_be_visible(timeout=SLOW)

    # Patterns: a finding and one group action instead of many.
    chair.wait_for_load_state()  # the keys are the page's script's: it must have run
    chair.keyboard.press("ArrowRight")
    expect(heading(chair, 2)).to_be_visible()
    expect(heading(recorder, 2)).to_be_visible(timeout=SLOW)
    expect(
        chair.get_by_text("2 teachers' summaries say the gap is mainly fluency.")
    ).to_be_visible()
    recorder.get_by_text(re.compile("^Log a finding")).click()
    finding = recorder.locator("#finding")
    finding.get_by_label(named("Kind")).select_option("teaching")
    finding.get_by_label(named("Finding")).fill(
        "Number facts are not practised daily in Year 6: fluency gaps show up across the group"
    )
    recorder.get_by_role("button", name="Save the finding", exact=True).click()
    expect(recorder.locator("#finding").get_by_text("Finding saved.", exact=True)).to_be_visible()
    expect(recorder.get_by_label(named("For"))).to_have_value("group")  # patterns' default
    recorder.get_by_label(named("Group name")).fill("Year 6 number facts")
    pupils = recorder.locator("input[name=group_pupils]")
    pupils.nth(0).check()
    pupils.nth(1).check()
    log_entry(
        recorder,
        barrier="Slow recall of multiplication facts uses up the time for reasoning questions",
        action="Ten-minute times-tables practice at the start of every maths lesson for four "
        "weeks; a timed check each Friday",
        kind="reteach",
        owner="Tom Bennett",
        check="The group's Friday times-tables scores, week one against week four",
    )
    expect(chair.get_by_text("Year 6 number facts").first).to_be_visible(timeout=SLOW)
    expect(chair.get_by_text(re.compile("Number facts are not practised daily"))).to_be_visible()
    assert_accessible(recorder)
    screenshot(recorder, "live-2-patterns-recorder")

    # One pupil at a time: the recorder's form follows the chair.
    chair.keyboard.press("ArrowRight")
    expect(heading(chair, 3, pupil="Tyler Brennan", position=1)).to_be_visible()
    expect(heading(recorder, 3, pupil="Tyler Brennan", position=1)).to_be_visible(timeout=SLOW)
    expect(room.get_by_role("heading", name="Tyler Brennan", exact=True)).to_be_visible(
        timeout=SLOW
    )
    expect(room.get_by_text(re.compile(r"^\s*3 of 5 · Priority pupils"))).to_be_visible()
    assert_accessible(room)
    expect(recorder.get_by_label(named("For"))).to_have_value(
        re.compile(r"\d+"), timeout=SLOW
    )  # the pupil on screen, not the group
    expect(
        recorder.get_by_text("Main concern: what exactly can the pupil not do yet?")
    ).to_be_visible()
    log_entry(
        recorder,
        barrier="Missed the Monday lessons that introduced unlike denominators",
        action=CATCH_UP,
        kind="reteach",
        owner="Tom Bennett",
        check="Adds fractions with unlike denominators unaided in a five-question check",
    )
    expect(chair.get_by_text(CATCH_UP)).to_be_visible(timeout=SLOW)

    # The recorder puts an entry right: the change reaches the chair's screen.
    recorder.get_by_role("listitem").filter(has_text=CATCH_UP).get_by_role(
        "link", name="Change it", exact=True
    ).click(timeout=SLOW)
    expect(
        recorder.get_by_role("heading", name="Change the action for Tyler Brennan", exact=True)
    ).to_be_visible()
    assert_accessible(recorder)
    screenshot(recorder, "live-action-change")
    recorder.get_by_label(named("Action")).fill(CATCH_UP + ", starting Wednesday")
    recorder.get_by_role("button", name="Save the change", exact=True).click()
    expect(recorder.get_by_text("Action for Tyler Brennan updated.")).to_be_visible()
    expect(chair.get_by_text(CATCH_UP + ", starting Wednesday")).to_be_visible(timeout=SLOW)
    assert_accessible(recorder)
    screenshot(recorder, "live-3-pupil-recorder")
    screenshot(chair, "live-3-pupil-chair")

    # A refresh loses nothing: the same section, pupil and log.
    chair.reload()
    recorder.reload()
    expect(heading(chair, 3, pupil="Tyler Brennan", position=1)).to_be_visible()
    expect(chair.get_by_text(CATCH_UP)).to_be_visible()
    expect(recorder.get_by_text(re.compile(r"^\d+:\d\d (left|over)$")).first).to_be_visible()

    # A poll with nothing new is a 304.
    state = chair.url.replace("/live/", "/live/state/")
    first = chair.request.get(state, headers={"HX-Request": "true"})
    again = chair.request.get(
        state, headers={"HX-Request": "true", "If-None-Match": first.headers["etag"]}
    )
    assert (first.status, again.status) == (200, 304)

    # Out of time for the second pupil: parked for the next meeting of the series.
    chair.keyboard.press("ArrowRight")
    expect(heading(chair, 3, position=2)).to_be_visible()
    chair.get_by_placeholder("Out of time? Note for the next meeting", exact=True).fill(
        "Start with the reading fluency data from the new baseline"
    )
    chair.get_by_role("button", name="Park for the next meeting", exact=True).click()
    expect(chair.get_by_text(re.compile("is parked for the next meeting"))).to_be_visible()
    expect(heading(chair, 3, position=3)).to_be_visible()

    # Agree: the items without an action are named.
    for _ in range(10):
        current = chair.locator("#section-heading").inner_text()
        if current.startswith("4."):
            break
        chair.get_by_role("button", name="Next", exact=True).click()
        expect(chair.locator("#section-heading")).not_to_have_text(current)
    expect(chair.get_by_text("No action yet for:")).to_be_visible()
    expect(heading(recorder, 4)).to_be_visible(timeout=SLOW)

    # Confirm and share, then close.
    chair.get_by_role("button", name="Next", exact=True).click()
    expect(chair.get_by_role("heading", name="Parents to contact", exact=True)).to_be_visible()
    expect(
        chair.get_by_role("heading", name="Staff to inform (not here today)", exact=True)
    ).to_be_visible()
    assert_accessible(chair)
    screenshot(chair, "live-5-share")
    chair.get_by_role("link", name="Close the meeting and share the log", exact=True).click()
    # Closing asks what will be different for pupils; some had no action, and it names them.
    expect(chair.get_by_text("No action was agreed for:")).to_be_visible()
    assert_accessible(chair)
    chair.get_by_label(
        named("What will be different for pupils because this meeting happened?")
    ).fill(CLOSING["difference"])
    chair.get_by_role("button", name="Close it anyway and share the log", exact=True).click()
    expect(chair.get_by_text(re.compile("The meeting closed at"))).to_be_visible()
    expect(
        chair.get_by_role("table", name="Planned and actual minutes", exact=True)
    ).to_be_visible()
    expect(recorder.get_by_text(re.compile("The meeting closed at"))).to_be_visible(timeout=SLOW)
    expect(room.get_by_text(re.compile("The meeting closed at"))).to_be_visible(timeout=SLOW)
    expect(recorder.get_by_role("heading", name="Recorder's log", exact=True)).to_have_count(
        0
    )  # locked
    sent = deliver()
    assert sent
    assert not any("Tyler" in message.body for message in sent)

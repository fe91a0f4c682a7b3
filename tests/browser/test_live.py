"""A chair and a recorder run the demo's coming Year 6 meeting from start to close, each in their
own browser, as new users would."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible, choose, screenshot, sign_in

pytestmark = pytest.mark.browser
CATCH_UP = (
    "Catch up the missed fractions lessons with Mr Bennett on Wednesday mornings for three "
    "weeks; five-question check each Friday"
)
SLOW = 10_000  # ms: a poll every 3 s brings the other screen in step well within this


def open_live(page, base_url: str, email: str) -> None:
    sign_in(page, base_url, email)
    page.get_by_role("link", name="Meetings", exact=True).click()
    page.get_by_role("region", name="Coming up").get_by_role(
        "link", name=re.compile("Pupils at risk")
    ).click()
    page.get_by_role("link", name="The live meeting").click()


@pytest.fixture
def two_screens(browser, browser_context_args):
    """Two people's browsers; closed after the test, so no poll outlives the live server."""
    contexts = [
        browser.new_context(**browser_context_args, viewport={"width": 1400, "height": 1000})
        for _ in range(2)
    ]
    yield [context.new_page() for context in contexts]
    for context in contexts:
        context.close()


def heading(page, text):
    return page.get_by_role("heading", name=re.compile(text))


def review(page, *, happened: str, decision: str, adjusted: str = "") -> None:
    page.get_by_label(happened, exact=True).check()
    if happened != "Yes":
        page.get_by_label(re.compile("If not, why not")).fill("Parents did not reply until week 3")
    page.get_by_label(re.compile("What changed")).fill("Mondays now attended; Fridays still missed")
    page.get_by_label(re.compile("Evidence")).fill("Registers since 2 November")
    page.get_by_label("+1 better").check()
    page.get_by_label(decision, exact=True).check()
    if adjusted:
        page.get_by_label(re.compile("If you adjust it")).fill(adjusted)
        page.get_by_label(re.compile("adjusted action's review date")).fill("2026-12-07")
    page.get_by_role("button", name="Record the review").click()


def log_entry(page, *, barrier: str, action: str, kind: str, owner: str) -> None:
    """Type an entry as a recorder does: the fields in order, Enter to save."""
    form = page.locator("#recorder")
    form.get_by_label(re.compile(r"^\s*Barrier\W*$")).fill(barrier)
    form.get_by_label(re.compile("Barrier category")).select_option("knowledge")
    form.get_by_label(re.compile(r"^\s*Kind\W*$")).select_option(kind)
    choose(form.get_by_label(re.compile(r"^\s*Owner\W*$")), owner)
    form.get_by_label(re.compile("Review date")).fill("2026-12-14")
    text = form.get_by_label(re.compile(r"^\s*Action\W*$"))
    text.fill(action)
    expect(form.get_by_text("The action is specific enough to act on.")).to_be_visible()
    text.press("Enter")
    form = page.locator("#recorder")  # the form comes back, empty
    expect(form.get_by_role("status").filter(has_text="Saved for")).to_be_visible()
    expect(form.get_by_label(re.compile(r"^\s*Barrier\W*$"))).to_be_focused()


def test_a_whole_meeting_on_two_screens(two_screens, demo):
    chair, recorder = two_screens
    open_live(chair, demo.url, "leader@oakfield.example")
    open_live(recorder, demo.url, "senco@oakfield.example")
    expect(recorder.get_by_text("The meeting has not started.")).to_be_visible()

    # Start: the recorder's screen follows by itself, and their log appears beside it.
    chair.get_by_role("button", name="Start the meeting").click()
    expect(heading(chair, r"1\. Purpose and review")).to_be_visible()
    expect(heading(recorder, r"1\. Purpose and review")).to_be_visible(timeout=SLOW)
    expect(recorder.get_by_role("heading", name="Recorder's log")).to_be_visible()
    expect(recorder.get_by_role("button", name="Next", exact=True)).to_have_count(
        0
    )  # only the chair moves
    expect(chair.get_by_text(re.compile(r"Previous actions due for review \(4\)"))).to_be_visible()
    expect(chair.get_by_text("The pupil's data when the action was agreed").first).to_be_visible()
    assert_accessible(chair)
    screenshot(chair, "live-1-review")

    # The pupils wait for the previous actions.
    chair.get_by_role("button", name="Next", exact=True).click()
    expect(heading(chair, r"2\. Patterns")).to_be_visible()
    chair.get_by_role("button", name="Next", exact=True).click()
    expect(chair.get_by_text(re.compile("Previous actions still to review"))).to_be_visible()
    chair.get_by_role("button", name="Back").click()
    expect(heading(chair, r"1\. Purpose and review")).to_be_visible()

    # Review them in the room: adjust one, complete one, defer the rest with a reason.
    chair.get_by_role("link", name=re.compile("Review it")).first.click()
    review(
        chair, happened="Partly", decision="Adjust",
        adjusted="Attendance lead rings home at 9.30 on each Friday absence and meets parents "
        "fortnightly until Christmas",
    )  # fmt: skip
    expect(
        chair.get_by_text("Review recorded; the adjusted action replaces this one.")
    ).to_be_visible()
    chair.get_by_role("link", name=re.compile("Review it")).first.click()
    review(chair, happened="Yes", decision="Completed")
    for _ in range(chair.get_by_role("button", name="Defer").count()):
        chair.get_by_placeholder("Reason to defer it").first.fill("Owner is on a course today")
        chair.get_by_role("button", name="Defer").first.click()
    expect(chair.get_by_role("button", name="Defer")).to_have_count(0)
    expect(recorder.get_by_text("reviewed").first).to_be_visible(timeout=SLOW)

    # Patterns: a finding and one group action instead of many.
    chair.keyboard.press("ArrowRight")
    expect(heading(chair, r"2\. Patterns")).to_be_visible()
    expect(heading(recorder, r"2\. Patterns")).to_be_visible(timeout=SLOW)
    expect(
        chair.get_by_text("2 teachers' summaries say the gap is mainly fluency.")
    ).to_be_visible()
    recorder.get_by_text(re.compile("^Log a finding")).click()
    finding = recorder.locator("#finding")
    finding.get_by_label(re.compile(r"^\s*Kind\W*$")).select_option("teaching")
    finding.get_by_label(re.compile(r"^\s*Finding\W*$")).fill(
        "Number facts are not practised daily in Year 6: fluency gaps show up across the group"
    )
    recorder.get_by_role("button", name="Save the finding").click()
    expect(recorder.get_by_role("status").filter(has_text="Finding saved")).to_be_visible()
    expect(recorder.get_by_label("For")).to_have_value("group")  # the patterns section's default
    recorder.get_by_label("Group name").fill("Year 6 number facts")
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
    )
    expect(chair.get_by_text("Year 6 number facts").first).to_be_visible(timeout=SLOW)
    expect(chair.get_by_text(re.compile("Number facts are not practised daily"))).to_be_visible()
    assert_accessible(recorder)
    screenshot(recorder, "live-2-patterns-recorder")

    # One pupil at a time: the recorder's form follows the chair.
    chair.keyboard.press("ArrowRight")
    expect(heading(chair, r"Tyler Brennan \(1 of")).to_be_visible()
    expect(heading(recorder, r"Tyler Brennan \(1 of")).to_be_visible(timeout=SLOW)
    expect(recorder.get_by_label("For")).to_have_value(
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
    )
    expect(chair.get_by_text(CATCH_UP)).to_be_visible(timeout=SLOW)

    # The recorder puts an entry right: the change reaches the chair's screen.
    recorder.get_by_role("listitem").filter(has_text=CATCH_UP).get_by_role(
        "link", name="Change it"
    ).click(timeout=SLOW)
    expect(
        recorder.get_by_role("heading", name="Change the action for Tyler Brennan")
    ).to_be_visible()
    assert_accessible(recorder)
    screenshot(recorder, "live-action-change")
    recorder.get_by_label(re.compile(r"^\s*Action\W*$")).fill(CATCH_UP + ", starting Wednesday")
    recorder.get_by_role("button", name="Save the change").click()
    expect(recorder.get_by_text("Action for Tyler Brennan updated.")).to_be_visible()
    expect(chair.get_by_text(CATCH_UP + ", starting Wednesday")).to_be_visible(timeout=SLOW)
    assert_accessible(recorder)
    screenshot(recorder, "live-3-pupil-recorder")
    screenshot(chair, "live-3-pupil-chair")

    # A refresh loses nothing: the same section, pupil and log.
    chair.reload()
    recorder.reload()
    expect(heading(chair, r"Tyler Brennan \(1 of")).to_be_visible()
    expect(chair.get_by_text(CATCH_UP)).to_be_visible()
    expect(recorder.get_by_text(re.compile(r"left in this part|over"))).to_be_visible()

    # A poll with nothing new is a 304.
    state = chair.url.replace("/live/", "/live/state/")
    first = chair.request.get(state, headers={"HX-Request": "true"})
    again = chair.request.get(
        state, headers={"HX-Request": "true", "If-None-Match": first.headers["etag"]}
    )
    assert (first.status, again.status) == (200, 304)

    # Out of time for the second pupil: parked for the next meeting of the series.
    chair.keyboard.press("ArrowRight")
    expect(heading(chair, r"\(2 of")).to_be_visible()
    chair.get_by_placeholder(re.compile("Note for the next meeting")).fill(
        "Start with the reading fluency data from the new baseline"
    )
    chair.get_by_role("button", name="Park for the next meeting").click()
    expect(chair.get_by_text(re.compile("is parked for the next meeting"))).to_be_visible()
    expect(heading(chair, r"\(3 of")).to_be_visible()

    # Agree: the items without an action are named.
    for _ in range(10):
        current = chair.locator("#section-heading").inner_text()
        if current.startswith("4."):
            break
        chair.get_by_role("button", name="Next", exact=True).click()
        expect(chair.locator("#section-heading")).not_to_have_text(current)
    expect(chair.get_by_text("No action yet for:")).to_be_visible()
    expect(heading(recorder, r"4\. Agree actions")).to_be_visible(timeout=SLOW)

    # Confirm and share, then close.
    chair.get_by_role("button", name="Next", exact=True).click()
    expect(chair.get_by_role("heading", name="Parents to contact")).to_be_visible()
    expect(chair.get_by_role("heading", name="Staff to inform (not here today)")).to_be_visible()
    assert_accessible(chair)
    screenshot(chair, "live-5-share")
    chair.get_by_role("button", name="Close the meeting and share the log").click()
    expect(chair.get_by_text(re.compile("The meeting closed at"))).to_be_visible()
    expect(chair.get_by_role("table", name="Planned and actual minutes")).to_be_visible()
    expect(recorder.get_by_text(re.compile("The meeting closed at"))).to_be_visible(timeout=SLOW)
    expect(recorder.get_by_role("heading", name="Recorder's log")).to_have_count(0)  # locked
    assert mail.outbox
    assert not any("Tyler" in message.body for message in mail.outbox)

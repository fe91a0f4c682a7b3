import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible, named, oakfield, screenshot, sign_in

pytestmark = pytest.mark.browser

AT_RISK = "Pupils at risk of falling behind (reading, writing, maths)"


def not_on_the_shortlist(count: int):
    """Pupils of 6N whom the demo's Year 6 meeting neither has on its agenda nor proposes from
    the data, nor has anyone put forward yet."""
    from meetings.models import Meeting, pupils_of
    from meetings.shortlist import propose
    from pupils.models import Pupil

    meeting = Meeting.objects.get(school=oakfield(), status=Meeting.Status.AGENDA_SENT)
    today = timezone.localdate()
    proposed = {proposal.pupil.pk for proposal in propose(meeting=meeting, on=today)}
    taken = proposed | {pupil.pk for pupil in pupils_of(list(meeting.items.all()))}
    pupils = Pupil.objects.filter(groups__name="6N", date_left__isnull=True).exclude(pk__in=taken)
    return list(pupils.order_by("legal_surname", "pk")[:count])


def test_a_teacher_puts_a_pupil_forward_and_the_leader_sees_it_on_the_shortlist(page, demo):
    quiet, other = not_on_the_shortlist(2)
    sign_in(page, demo.url, "teacher@oakfield.example")
    page.get_by_role("link", name="Pupils", exact=True).click()
    page.get_by_role("link", name=f"{quiet.surname}, {quiet.forename}", exact=True).click()
    page.get_by_role("link", name=f"Put {quiet.forename} forward for a meeting").click()

    expect(
        page.get_by_role("heading", name=f"Put {quiet.name} forward for a meeting")
    ).to_be_visible()
    expect(
        page.get_by_role("radio", name=re.compile(f"^{re.escape(AT_RISK)}, "))
    ).to_be_checked()  # the only one
    assert_accessible(page)
    screenshot(page, "put-forward-pupil")
    page.get_by_label(named(f"Why are you concerned about {quiet.forename}?")).fill(
        "Has stopped putting a hand up in maths since the fractions unit, and says it is too hard."
    )
    page.get_by_role("button", name=f"Put {quiet.forename} forward", exact=True).click()

    expect(page.get_by_role("status")).to_contain_text(f"{quiet.name} is put forward for")
    expect(page.get_by_role("button", name=re.compile("^Withdraw from"))).to_be_visible()
    assert_accessible(page)
    screenshot(page, "put-forward-done")
    page.get_by_role("button", name="Tom Bennett", exact=True).click()
    page.get_by_role("button", name="Sign out", exact=True).click()

    sign_in(page, demo.url, "leader@oakfield.example")
    page.get_by_role("link", name="Meetings", exact=True).click()
    coming = page.get_by_role("region", name="Coming up", exact=True)
    coming.get_by_role("link", name=AT_RISK, exact=True).click()
    page.get_by_role("link", name="Choose pupils", exact=True).click()

    theirs = page.locator(f"#proposal-{quiet.pk}")
    expect(theirs.get_by_text("Teacher's concern", exact=True)).to_be_visible()
    expect(theirs.get_by_text("Put forward by Tom Bennett: Has stopped putting")).to_be_visible()
    expect(page.get_by_text("From the data", exact=True).first).to_be_visible()
    count = page.locator("[data-shortlist-count]")
    expect(count).to_have_text(re.compile(r"^\s*\d of 6 items chosen\.\s*$"))
    assert_accessible(page)
    screenshot(page, "put-forward-shortlist")

    # The leader starts again from the teacher's pupil, and adds one the data did not propose:
    # what was ticked so far comes back ticked with them.
    for box in page.get_by_label(re.compile("^Discuss ")).all():
        box.uncheck()
    page.get_by_label(f"Discuss {quiet.name}", exact=True).check()
    expect(count).to_have_text("2 of 6 items chosen.")  # and the agenda's fractions group
    page.get_by_role("button", name="Add to the proposals", exact=True).click()
    expect(page.get_by_text("Choose the pupil to add.", exact=True)).to_be_visible()
    expect(count).to_have_text("2 of 6 items chosen.")  # the error came back in place
    assert_accessible(page)
    page.get_by_label(named("Pupil")).select_option(label=f"{other.name} (Year 6)")
    page.get_by_label(named("Why the meeting should discuss them")).fill(
        "Joined in October, so no data here yet; home has asked how they are settling."
    )
    page.get_by_role("button", name="Add to the proposals", exact=True).click()

    added = page.locator(f"#proposal-{other.pk}")
    expect(added.get_by_text("Leader's addition", exact=True)).to_be_visible()
    expect(page.get_by_label(f"Discuss {other.name}", exact=True)).to_be_checked()
    expect(page.get_by_label(f"Discuss {quiet.name}", exact=True)).to_be_checked()
    expect(count).to_have_text("3 of 6 items chosen.")
    assert_accessible(page)
    screenshot(page, "put-forward-shortlist-added")
    page.get_by_role("button", name="Confirm the shortlist", exact=True).click()

    expect(page.get_by_text("put forward by Tom Bennett: Has stopped putting")).to_be_visible()

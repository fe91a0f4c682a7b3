"""Every page reflows on a phone (320 and 390 px wide) and at 200% zoom, with no sideways
scrolling: tables become lists of cards, filters fold behind one button (WCAG 1.4.10 Reflow)."""

import pytest
from playwright.sync_api import expect

from actions.models import Action
from meetings.demo import YEAR_ROUND_PLACE
from meetings.models import Meeting, Summary
from progress.models import AcademicYear, User
from pupils.models import Pupil
from tests.browser.conftest import assert_accessible, named, oakfield, screenshot, sign_in
from tests.conftest import SAMPLE

pytestmark = pytest.mark.browser

PHONES = [{"width": 320, "height": 640}, {"width": 390, "height": 844}]
# 1280 px wide at 200% zoom lays out as 640 CSS pixels; at 768 (Bootstrap's md) tables are
# tables again.
ZOOMED = {"width": 640, "height": 540}
TABLET = {"width": 768, "height": 1024}

# What sticks out past the right edge, deepest first, to name in a failure.
OVERFLOWING = """() => [...document.querySelectorAll("body *")]
  .filter(el => el.getBoundingClientRect().right > window.innerWidth + 0.5
             && ![...el.children].some(child =>
                  child.getBoundingClientRect().right > window.innerWidth + 0.5))
  .slice(0, 5)
  .map(el => `${el.tagName.toLowerCase()}.${[...el.classList].join(".")} `
             + `${Math.round(el.getBoundingClientRect().right)}px: `
             + el.textContent.trim().slice(0, 40))"""


def too_wide(page, name: str) -> list[str]:
    """Nothing, when the page is no wider than the window; otherwise how wide, and what sticks
    out."""
    page.wait_for_load_state()
    width, window = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    if width <= window:
        return []
    return [f"{name} is {width}px wide in {window}px: {page.evaluate(OVERFLOWING)}"]


def visit_all(page, base_url: str, pages: dict[str, str], *, check=(), shots=()) -> None:
    """Every page at each phone width, at 200% zoom and where tables come back, none wider than
    the window; the card-styled ones checked with axe and photographed at the narrowest."""
    problems = []
    for size in [*PHONES, ZOOMED, TABLET]:
        page.set_viewport_size(size)
        for name, path in pages.items():
            page.goto(f"{base_url}{path}")
            problems += too_wide(page, f"{name} at {size['width']}px")
            if size == PHONES[0] and name in shots:
                screenshot(page, f"phone-{name}")
            if size == PHONES[0] and name in check:
                assert_accessible(page)
    assert not problems, "\n".join(problems)


def test_every_page_fits_a_phone_for_the_leader(page, demo):
    school = oakfield()
    coming = Meeting.objects.get(school=school, status=Meeting.Status.AGENDA_SENT)
    story = Meeting.objects.exclude(place=YEAR_ROUND_PLACE)  # the demo's story, not its backdrop
    held = story.get(school=school, status=Meeting.Status.CLOSED)
    tyler = Pupil.objects.get(school=school, legal_forename="Tyler")
    action = Action.objects.filter(school=school, status=Action.Status.OPEN).first()
    year = AcademicYear.objects.filter(school=school).first()
    page.set_viewport_size(PHONES[0])
    sign_in(page, demo.url, "leader@oakfield.example")
    page.goto(f"{demo.url}/pupils/import/")
    page.get_by_label(named("What the file holds")).select_option("pupils")
    page.get_by_label(named("Export from your MIS")).set_input_files(SAMPLE)
    page.get_by_role("button", name="Upload and preview", exact=True).click()
    expect(page.get_by_text("No problems found: 16 to create")).to_be_visible()
    preview = page.url.removeprefix(demo.url)

    visit_all(
        page,
        demo.url,
        {
            "home": "/",
            "meetings": "/meetings/",
            "meeting-new": "/meetings/new/",
            "meeting-next": f"/meetings/new/?after={held.pk}",
            "year": "/meetings/year/",
            "meeting": f"/meetings/{coming.pk}/",
            "shortlist": f"/meetings/{coming.pk}/shortlist/",
            "live-before": f"/meetings/{coming.pk}/live/",
            "meeting-held": f"/meetings/{held.pk}/",
            "minutes": f"/meetings/{held.pk}/minutes/",
            "my-actions": "/actions/mine/",
            "action-review": f"/actions/{action.pk}/review/",
            "action-log": "/actions/",
            "pupils": "/pupils/",
            "pupil": f"/pupils/{tyler.pk}/",
            "import": "/pupils/import/",
            "import-preview": preview,
            "calendar": "/school/calendar/",
            "calendar-edit": f"/school/calendar/{year.pk}/edit/",
            "audit": "/school/audit/",
            "settings": "/school/settings/",
            "two-step": "/accounts/two-step/",
        },
        check={"home", "meetings", "meeting", "shortlist", "meeting-held", "my-actions",
               "action-log", "pupils", "pupil", "import", "import-preview", "calendar",
               "calendar-edit", "audit", "year"},
        shots={"year", "home", "meetings", "meeting-held", "shortlist", "my-actions", "action-log",
               "pupils", "pupil", "import-preview", "calendar", "calendar-edit", "audit"},
    )  # fmt: skip


def test_every_page_fits_a_phone_for_a_teacher(page, demo):
    school = oakfield()
    coming = Meeting.objects.get(school=school, status=Meeting.Status.AGENDA_SENT)
    coming.start(by=User.objects.get(email="leader@oakfield.example"))
    teacher = User.objects.get(email="teacher@oakfield.example")
    pupil = Pupil.objects.for_user(teacher).order_by("pk").first()
    summary = Summary.objects.filter(teacher=teacher).first()
    page.set_viewport_size(PHONES[0])
    sign_in(page, demo.url, "teacher@oakfield.example")

    visit_all(
        page,
        demo.url,
        {
            "teacher-home": "/",
            "teacher-meetings": "/meetings/",
            "teacher-meeting": f"/meetings/{coming.pk}/",
            "teacher-live": f"/meetings/{coming.pk}/live/",
            "teacher-summary": f"/meetings/summaries/{summary.pk}/",
            "teacher-my-actions": "/actions/mine/",
            "teacher-pupils": "/pupils/",
            "teacher-pupil": f"/pupils/{pupil.pk}/",
            "teacher-calendar": "/school/calendar/",
            "teacher-two-step": "/accounts/two-step/",
        },
        check={"teacher-meeting", "teacher-my-actions", "teacher-pupils", "teacher-pupil"},
        shots={"teacher-home", "teacher-meeting", "teacher-live", "teacher-summary",
               "teacher-my-actions", "teacher-pupils"},
    )  # fmt: skip


def test_filters_fold_behind_one_button_on_a_phone(page, demo):
    page.set_viewport_size(PHONES[0])
    sign_in(page, demo.url, "leader@oakfield.example")
    page.goto(f"{demo.url}/actions/")

    filters = page.get_by_role("button", name="Filters", exact=True)
    expect(filters).to_have_attribute("aria-expanded", "false")
    expect(page.get_by_label("Status", exact=True)).to_be_hidden()
    filters.focus()
    filters.press("Enter")  # from the keyboard: no pointer left hovering while axe looks
    expect(filters).to_have_attribute("aria-expanded", "true")
    expect(page.get_by_label("Status", exact=True)).to_be_visible()
    assert_accessible(page)
    screenshot(page, "phone-action-log-filters")

    # Filters already chosen show, open, so the list is not mistaken for everything.
    page.goto(f"{demo.url}/pupils/?year=6")
    expect(page.get_by_role("button", name="Filters", exact=True)).to_have_attribute(
        "aria-expanded", "true"
    )
    expect(page.get_by_label("Year", exact=True)).to_be_visible()

    page.set_viewport_size({"width": 1024, "height": 768})
    page.goto(f"{demo.url}/actions/")
    expect(page.get_by_role("button", name="Filters", exact=True)).to_be_hidden()
    expect(page.get_by_label("Status", exact=True)).to_be_visible()

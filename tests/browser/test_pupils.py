import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible, named, screenshot, sign_in
from tests.conftest import SAMPLE, TODAY, at_school_time

pytestmark = pytest.mark.browser


# Absences on the same days are counted in this half-term's registers: in its first days there
# are too few to show Tyler's Mondays and Fridays. So this journey runs in week 4 of a
# half-term, the clock ticking on from there.
@pytest.mark.time_machine(at_school_time(TODAY), tick=True)
def test_a_leader_filters_pupils_and_opens_a_profile(page, demo):
    sign_in(page, demo.url, "leader@oakfield.example")
    page.get_by_role("link", name="Pupils", exact=True).click()
    page.wait_for_url("**/pupils/")  # loaded, with htmx ready to filter as the lists change
    expect(page.get_by_role("heading", name="Pupils", level=1, exact=True)).to_be_visible()
    assert_accessible(page)

    page.get_by_label("Year", exact=True).select_option(label="Year 6")
    page.get_by_label("Shortlist criterion", exact=True).select_option(
        label="Absences on the same days"
    )

    expect(page).to_have_url(re.compile(r"year=6.*criterion=absence_days"))
    expect(page.get_by_role("link", name="Brennan, Tyler", exact=True)).to_be_visible()
    # A screen reader hears how many pupils match, not the table.
    expect(page.locator("#announcer")).to_have_text(re.compile(r"^\d+ pupils?$"))
    expect(page.locator("[aria-live]")).to_have_count(1)
    screenshot(page, "pupil-list")
    assert_accessible(page)

    page.get_by_role("link", name="Brennan, Tyler", exact=True).click()

    expect(page.get_by_role("heading", name="Tyler Brennan", exact=True)).to_be_visible()
    expect(page.get_by_text("maths fell from EXS to WTS")).to_be_visible()
    expect(
        page.get_by_text(re.compile(r"absences this half-term on Mondays and Fridays"))
    ).to_be_visible()
    screenshot(page, "pupil-profile")
    assert_accessible(page)


def test_a_teacher_sees_their_own_class(page, demo):
    sign_in(page, demo.url, "teacher@oakfield.example")
    page.get_by_role("link", name="Pupils", exact=True).click()

    # Their class, and the pupils on the agenda of the Year 6 meetings they attend.
    classes = page.locator("#pupil-results tbody td:nth-child(3)").all_inner_texts()
    assert "6N" in classes
    assert set(classes) <= {"6N", "6S"}
    expect(page.get_by_role("link", name="Import data", exact=True)).to_have_count(0)


def test_a_leader_imports_a_file_after_checking_the_preview(page, demo):
    sign_in(page, demo.url, "leader@oakfield.example")
    page.get_by_role("link", name="Import data", exact=True).click()
    assert_accessible(page)

    page.get_by_label(named("What the file holds")).select_option("pupils")
    page.get_by_label(named("Export from your MIS")).set_input_files(SAMPLE)
    page.get_by_role("button", name="Upload and preview", exact=True).click()

    expect(page.get_by_text("No problems found: 16 to create")).to_be_visible()
    screenshot(page, "import-preview")
    assert_accessible(page)
    page.get_by_role("button", name="Import 16 rows", exact=True).click()

    expect(
        page.get_by_role("status").filter(has_text="Imported sample_pupils_export.csv")
    ).to_be_visible()
    expect(
        page.get_by_role(
            "cell",
            name="Pupils and characteristics: 16 created, 0 updated, 0 unchanged",
            exact=True,
        )
    ).to_be_visible()

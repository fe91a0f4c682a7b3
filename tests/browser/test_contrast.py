"""Controls anyone can see: every form control's border stands out from the page at least 3:1
(WCAG 1.4.11), and the focused control carries a strong yellow-and-black indicator."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import sign_in

pytestmark = pytest.mark.browser

# The contrast of each visible control's border against the page, by WCAG's formula.
CONTRASTS = """() => {
  const channel = (c) => { c /= 255; return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4; };
  const luminance = (rgb) => {
    const [r, g, b] = rgb.match(/[\\d.]+/g).map(Number);
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b);
  };
  const page = luminance(getComputedStyle(document.body).backgroundColor);
  return [...document.querySelectorAll("input:not([type=hidden]), select, textarea")]
    .filter((e) => e.offsetParent !== null)
    .map((e) => {
      const border = luminance(getComputedStyle(e).borderTopColor);
      const [light, dark] = [Math.max(border, page), Math.min(border, page)];
      return [e.name || e.id, (light + 0.05) / (dark + 0.05)];
    });
}"""


@pytest.mark.parametrize("path", ["/meetings/new/", "/pupils/", "/actions/"])
def test_every_control_border_is_at_least_three_to_one(page, demo, path):
    sign_in(page, demo.url, "leader@oakfield.example")
    page.goto(f"{demo.url}{path}")

    contrasts = page.evaluate(CONTRASTS)

    assert contrasts, "no controls found"
    weak = [(name, round(ratio, 2)) for name, ratio in contrasts if ratio < 3]
    assert not weak, weak


def test_the_focused_control_is_ringed_yellow_and_black(page, demo):
    sign_in(page, demo.url, "leader@oakfield.example")
    page.goto(f"{demo.url}/pupils/")
    search = page.get_by_label("Name or UPN", exact=True)
    page.keyboard.press("Tab")  # keyboard focus, as a person tabbing would give it
    search.focus()

    expect(search).to_have_css("outline-color", "rgb(255, 221, 0)")
    expect(search).to_have_css("outline-width", "3px")
    expect(search).to_have_css("box-shadow", "rgb(11, 12, 12) 0px 0px 0px 6px")

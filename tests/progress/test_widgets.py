"""A long select is written as Django writes a select, only faster."""

import pytest
from django import forms

from progress.widgets import LongSelect

CHOICES = [
    ("", "Choose a pupil"),
    (1, "Tyler Brennan (Year 6)"),
    (2, "Amelia O'Neill <Year 6> & co"),
    ("Year 5", [(3, "Ruby Shaw"), (4, "Zoe \u00c5berg")]),
]


@pytest.mark.parametrize("value", [None, "", 2, "3"])
@pytest.mark.parametrize(
    "attrs",
    [
        {},
        {"class": "form-select is-invalid", "aria-describedby": 'id_pupil_error "1"'},
        {"required": True, "disabled": False, "id": "id_add-pupil"},
    ],
)
def test_a_long_select_is_the_same_html_as_djangos(value, attrs):
    django = forms.Select(choices=CHOICES).render("pupil", value, attrs)
    ours = LongSelect(choices=CHOICES).render("pupil", value, attrs)

    assert ours == django


def test_the_chosen_option_is_selected_and_every_label_escaped():
    html = LongSelect(choices=CHOICES).render("pupil", 2, {})

    assert '<option value="2" selected>Amelia O&#x27;Neill &lt;Year 6&gt; &amp; co</option>' in html
    assert '<optgroup label="Year 5">' in html

import re

import pytest
from django import forms
from django.urls import reverse

from progress.models import Role
from progress.templatetags.error_summary import error_summary
from tests.factories import (
    AcademicYearFactory,
    ActionFactory,
    MeetingFactory,
    PupilFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db
HTMX = {"HX-Request": "true"}
# A form sent with nothing filled in: a browser still sends the CSRF token (not checked here).
EMPTY = {"csrfmiddlewaretoken": "token"}


def title(html: str) -> str:
    return " ".join(re.search(r"<title>(.*?)</title>", html, re.S).group(1).split())


def summary(html: str) -> list[tuple[str, str]]:
    """The error summary's items as (the id its link points to, or "", the text)."""
    box = re.search(r'<div class="alert alert-danger error-summary".*?</ul>', html, re.S)
    assert box, "no error summary"
    assert 'role="alert"' in box.group()
    assert 'tabindex="-1"' in box.group()
    assert "There is a problem" in box.group()
    items = re.findall(r"<li>(.*?)</li>", box.group(), re.S)
    found = []
    for item in items:
        link = re.search(r'<a class="alert-link" href="#([^"]+)">(.*?)</a>', item, re.S)
        found.append((link.group(1), link.group(2).strip()) if link else ("", item.strip()))
    return found


def assert_links_reach_fields(html: str) -> None:
    ids = set(re.findall(r'\sid="([^"]+)"', html))
    for target, _ in summary(html):
        assert not target or target in ids, f"#{target} is on no element"


@pytest.fixture
def school(today):
    return AcademicYearFactory(start_year=2026).school


@pytest.fixture
def leader(school):
    return UserFactory(school=school, roles=[Role.SENIOR_LEADER])


class TestSchedulingForm:
    def test_an_empty_form_lists_each_problem_linked_to_its_field(self, client, leader):
        client.force_login(leader)

        response = client.post(reverse("meetings:meeting_create"), EMPTY)

        assert response.status_code == 422
        assert title(response.text).startswith("Error: Schedule a meeting")
        errors = summary(response.text)
        assert ("id_date", "Enter the date of the meeting.") in errors
        assert ("id_chair", "Choose a chair.") in errors
        assert ("id_length_0", "Choose how long the meeting lasts.") in errors  # the first radio
        assert len(errors) == sum(len(field) for field in response.context["form"].errors.values())
        assert "This field is required." not in response.text
        assert_links_reach_fields(response.text)

    def test_a_form_as_first_shown_has_no_summary_and_no_error_in_its_title(self, client, leader):
        client.force_login(leader)

        response = client.get(reverse("meetings:meeting_create"))

        assert "error-summary" not in response.text
        assert title(response.text).startswith("Schedule a meeting")
        assert "Fields marked" in response.text  # the asterisk, in words


def test_a_problem_with_the_whole_form_is_listed_without_a_link(client, school, leader):
    meeting = MeetingFactory(school=school)
    client.force_login(leader)

    response = client.post(reverse("meetings:meeting_shortlist", args=[meeting.pk]), EMPTY)

    assert title(response.text).startswith("Error: ")
    assert summary(response.text) == [("", "Choose at least one pupil or group to discuss.")]
    assert response.text.count("Choose at least one pupil or group to discuss.") == 1


def test_a_wrong_password_is_said_once_in_the_summary(client, school):
    user = UserFactory(school=school)

    response = client.post(reverse("login"), {"username": user.email, "password": "wrong"})

    [(target, message)] = summary(response.text)
    assert (target, message[:22]) == ("", "Please enter a correct")
    assert response.text.count("Please enter a correct") == 1  # not again above the boxes


def test_the_recorders_page_lists_both_its_forms_problems(client, school):
    meeting = MeetingFactory(school=school)
    meeting.confirm_shortlist(
        by=meeting.created_by,
        pupils=[(PupilFactory(school=school), "maths fell")],
        groups=[],
        over_cap_reason="",
    )
    meeting.start(by=meeting.attendees.get(role="chair").user)
    client.force_login(meeting.attendees.get(role="recorder").user)

    response = client.post(reverse("meetings:meeting_action_create", args=[meeting.pk]), EMPTY)

    assert title(response.text).startswith("Error: Log an action")
    errors = summary(response.text)
    assert ("id_item", "Choose the pupil or group the action is for.") in errors
    assert ("id_barrier", "Enter the barrier: what stands in the pupil&#x27;s way.") in errors
    assert ("id_text", "Enter the action: what will be done, and by when.") in errors
    assert [target for target, _ in errors].count("id_text") == 1  # not the quality check too
    assert ("id_owner", "Choose who owns the action.") in errors
    assert_links_reach_fields(response.text)


@pytest.mark.parametrize(
    "page",
    ["review", "rules", "upload", "calendar", "sign_in"],
)
def test_every_form_page_opens_on_its_problems(client, school, page):
    action = ActionFactory(school=school)
    admin = UserFactory(school=school, roles=[Role.SCHOOL_ADMIN])
    url, user, expected = {
        "review": (
            reverse("actions:action_review", args=[action.pk]),
            action.owner,
            ("id_happened_0", "Say whether the action happened."),
        ),
        "rules": (
            reverse("school_settings"),
            admin,
            ("id_meeting_lengths_0", "Offer at least one length a meeting may have."),
        ),
        "upload": (
            reverse("pupils:import_upload"),
            admin,
            ("id_file", "Choose the file to upload."),
        ),
        "calendar": (
            reverse("academic_year_edit", args=[school.academic_years.get().pk]),
            admin,
            ("id_starts_1", "Enter the first day of Autumn 1."),
        ),
        "sign_in": (reverse("login"), None, ("id_username", "Enter your e-mail address.")),
    }[page]
    if user:
        client.force_login(user)

    response = client.post(url, EMPTY)

    assert title(response.text).startswith("Error: ")
    assert expected in summary(response.text)
    assert_links_reach_fields(response.text)


def test_an_htmx_resubmit_answers_with_the_summary_in_the_fragment(client, school):
    client.force_login(UserFactory(school=school, roles=[Role.SCHOOL_ADMIN]))

    response = client.post(
        reverse("academic_year_edit", args=[school.academic_years.get().pk]), {}, headers=HTMX
    )

    assert response.status_code == 422
    assert "<title>" not in response.text
    assert "autofocus" in response.text  # htmx focuses it once swapped in
    assert ("id_ends_6", "Enter the last day of Summer 2.") in summary(response.text)


class Hidden(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    happened = forms.ChoiceField(choices=[("yes", "Yes"), ("no", "No")], widget=forms.RadioSelect)
    note = forms.CharField()

    def clean(self):
        raise forms.ValidationError("Someone else saved it first.")


def test_a_hidden_fields_problem_is_said_without_a_link():
    form = Hidden({})

    assert error_summary(form)["errors"] == [
        ("", "Someone else saved it first."),
        ("", "This field is required."),
        ("id_happened_0", "This field is required."),
        ("id_note", "This field is required."),
    ]


def test_a_stale_password_reset_link_says_so_without_an_error_page(client, db):
    page = client.get(reverse("password_reset_confirm", args=["MQ", "set-password"]))
    assert page.status_code == 200
    assert "There is a problem" not in page.text

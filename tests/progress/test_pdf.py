import os
import runpy
from pathlib import Path

import pytest
from django.urls import reverse

from actions import exports
from progress import pdf
from progress.models import Role
from tests.factories import (
    AcademicYearFactory,
    ActionFactory,
    MeetingFactory,
    PupilFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

# A table long enough that WeasyPrint takes seconds to lay it out, however fast the machine.
LONG_PAGE = (
    "<table>" + "<tr><td>A row of a long table</td><td>and more</td></tr>" * 3000 + "</table>"
)


@pytest.fixture
def school(today):
    return AcademicYearFactory(start_year=2026).school


@pytest.fixture
def pages(monkeypatch) -> list[str]:
    """The HTML of each PDF the views ask for, not drawn: for what a page says, not its layout."""
    asked = []
    monkeypatch.setattr(pdf, "draw", lambda page: asked.append(page) or b"%PDF-")
    return asked


class TestDrawing:
    def test_a_child_process_draws_the_pdf(self, monkeypatch):
        def not_here(*args, **kwargs):
            raise AssertionError("drawn in the web worker")

        monkeypatch.setattr(pdf, "layout", not_here)

        drawn = pdf.draw("<h1>Action log</h1>")

        assert drawn.startswith(b"%PDF")
        assert pdf.processes.active_children() == []  # the child ended with its drawing

    def test_a_drawing_past_the_longest_time_is_stopped(self, monkeypatch):
        monkeypatch.setattr(pdf, "LONGEST", 0.3)

        with pytest.raises(pdf.NotDrawn, match=r"longer than 0\.3 seconds"):
            pdf.draw(LONG_PAGE)
        assert pdf.processes.active_children() == []  # killed, not left drawing

    def test_a_drawing_that_fails_is_reported_not_waited_for(self, monkeypatch):
        monkeypatch.setattr(pdf.finders, "find", lambda path: "/no/such/print.css")

        with pytest.raises(pdf.NotDrawn, match="Its drawing failed"):
            pdf.draw("<h1>Action log</h1>")
        assert pdf.processes.active_children() == []

    def test_a_download_past_the_longest_time_says_so_and_is_no_error(
        self, client, school, monkeypatch
    ):
        ActionFactory(school=school)
        monkeypatch.setattr(pdf, "LONGEST", 0.001)  # less than a child takes to start
        client.force_login(UserFactory(school=school, roles=[Role.SENIOR_LEADER]))

        response = client.get(reverse("action_log"), {"format": "pdf"})

        assert response.status_code == 503
        assert response["Content-Type"] == "text/html; charset=utf-8"
        assert "The PDF was not made" in response.text
        assert "It took longer than 0.001 seconds to draw." in response.text
        assert "download the CSV where there is one" in response.text

    def test_a_subject_access_export_past_the_longest_time_says_so(
        self, client, school, monkeypatch
    ):
        pupil = ActionFactory(school=school).pupil
        monkeypatch.setattr(pdf, "LONGEST", 0.001)
        client.force_login(UserFactory(school=school, roles=[Role.SENIOR_LEADER]))

        response = client.get(reverse("pupil_subject_access", args=[pupil.pk]))

        assert response.status_code == 503
        assert "The PDF was not made" in response.text


class TestTheActionLogPdf:
    URL = reverse("action_log")

    @pytest.mark.parametrize(("count", "noted"), [(exports.IN_A_PDF, False), (301, True)])
    def test_it_lists_the_first_300_and_says_so_when_there_are_more(
        self, client, school, pages, count, noted
    ):
        pupil, owner = PupilFactory(school=school), UserFactory(school=school)
        ActionFactory.create_batch(count, school=school, pupil=pupil, owner=owner)
        client.force_login(UserFactory(school=school, roles=[Role.SENIOR_LEADER]))

        response = client.get(self.URL, {"due": "", "format": "pdf"})

        assert response["Content-Type"] == "application/pdf"
        (page,) = pages
        assert page.count("</tr>") == 1 + 300  # the heading and the first 300
        note = f"The first 300 of {count:,} actions, by review date;"
        assert (note in page) == noted
        csv = 'href="http://testserver/actions/?due=&amp;format=csv"'
        assert (csv in page) == noted


class TestWhoMayDownload:
    def test_a_senior_leader_downloads_the_log_as_a_pdf(self, client, school):
        ActionFactory(school=school)
        client.force_login(UserFactory(school=school, roles=[Role.SENIOR_LEADER]))

        response = client.get(reverse("action_log"), {"format": "pdf"})

        assert response.status_code == 200
        assert response.content.startswith(b"%PDF")
        assert 'filename="action-log-2026-11-23.pdf"' in response["Content-Disposition"]

    def test_a_head_of_year_downloads_their_remit(self, client, school, pages):
        mine = ActionFactory(school=school)
        head = UserFactory(
            school=school, roles=[Role.HEAD_OF_YEAR], remit_year_groups=[mine.pupil.year_group]
        )
        client.force_login(head)

        response = client.get(reverse("action_log"), {"format": "pdf"})

        assert response.status_code == 200
        assert mine.pupil.name in pages[0]

    @pytest.mark.parametrize("role", [Role.TEACHER, Role.TEACHING_ASSISTANT, Role.SCHOOL_ADMIN])
    def test_other_roles_may_not(self, client, school, pages, role):
        ActionFactory(school=school)
        client.force_login(UserFactory(school=school, roles=[role]))

        assert client.get(reverse("action_log"), {"format": "pdf"}).status_code == 403
        assert pages == []

    def test_another_schools_leader_gets_only_their_own(self, client, school, pages):
        ours = ActionFactory(school=school)
        elsewhere = AcademicYearFactory(start_year=2026).school
        client.force_login(UserFactory(school=elsewhere, roles=[Role.SENIOR_LEADER]))

        assert client.get(reverse("action_log"), {"format": "pdf"}).status_code == 200
        assert ours.pupil.name not in pages[0]
        assert "0 actions" in pages[0]

    def test_a_meeting_pack_is_not_found_in_another_school(self, client, school, pages):
        meeting = MeetingFactory(school=school)
        elsewhere = AcademicYearFactory(start_year=2026).school
        client.force_login(UserFactory(school=elsewhere, roles=[Role.SENIOR_LEADER]))

        response = client.get(reverse("meetings:meeting_pack", args=[meeting.pk]))

        assert response.status_code == 404
        assert pages == []


class TestGunicorn:
    """gunicorn.conf.py, as gunicorn reads it."""

    SETTINGS = Path(__file__).resolve().parents[2] / "gunicorn.conf.py"

    def test_a_worker_outlasts_the_longest_drawing(self):
        settings = runpy.run_path(str(self.SETTINGS))

        assert settings["timeout"] > pdf.LONGEST
        assert settings["max_requests"] == 10_000  # and then the worker is replaced

    @pytest.mark.parametrize(
        ("cores", "concurrency", "workers"), [(2, "", 5), (16, "", 8), (2, "3", 3)]
    )
    def test_workers_are_two_a_core_and_one_at_most_eight_unless_set(
        self, monkeypatch, cores, concurrency, workers
    ):
        monkeypatch.setattr(os, "cpu_count", lambda: cores)
        monkeypatch.setenv("WEB_CONCURRENCY", concurrency)

        assert runpy.run_path(str(self.SETTINGS))["workers"] == workers

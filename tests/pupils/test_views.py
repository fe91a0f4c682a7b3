import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from progress.models import Role
from pupils.models import (
    AttendanceSummary,
    BehaviourIncident,
    ImportBatch,
    Pupil,
)
from tests.conftest import SAMPLE, at_school_time
from tests.factories import (
    AcademicYearFactory,
    GroupFactory,
    PupilFactory,
    UserFactory,
    full_pupil,
    pupil_with_maths,
)

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true"}


@pytest.fixture
def year(today):
    return AcademicYearFactory(start_year=2026)


@pytest.fixture
def school(year):
    return year.school


class TestPupilList:
    def test_a_leader_sees_the_whole_school_with_reasons(self, client, school, year):
        pupil = full_pupil(school, year, legal_forename="Tyler", legal_surname="Brennan")
        PupilFactory.create_batch(3, school=school)
        client.force_login(UserFactory(school=school, roles=[Role.SENIOR_LEADER]))

        response = client.get(reverse("pupils:pupil_list"))

        assert response.status_code == 200
        assert response.context["page"].paginator.count == 4
        assert "Brennan, Tyler" in response.text
        assert "85.7%" in response.text
        assert "Progress slowed" in response.text
        assert reverse("pupils:pupil_detail", args=[pupil.pk]) in response.text

    def test_a_teacher_sees_only_their_class(self, client, school):
        teacher = UserFactory(school=school, roles=[Role.TEACHER])
        mine = PupilFactory(school=school, legal_surname="Mine")
        PupilFactory(school=school, legal_surname="Other")
        GroupFactory(school=school, teachers=[teacher], pupils=[mine])
        client.force_login(teacher)

        response = client.get(reverse("pupils:pupil_list"))

        assert [row["pupil"] for row in response.context["rows"]] == [mine]

    def test_the_class_filter_offers_the_classes_of_the_pupils_listed(self, client, school):
        teacher = UserFactory(school=school, roles=[Role.TEACHER])
        mine, theirs = PupilFactory.create_batch(2, school=school)
        taught = GroupFactory(school=school, name="6M", teachers=[teacher], pupils=[mine])
        GroupFactory(school=school, name="6T", pupils=[theirs])
        GroupFactory(school=school, name="6 (empty)")
        GroupFactory(name="6E", pupils=[PupilFactory()])  # another school's
        offered = {}
        for user in (teacher, UserFactory(school=school, roles=[Role.SENIOR_LEADER])):
            client.force_login(user)
            response = client.get(reverse("pupils:pupil_list"), {"group": taught.pk})
            offered[user] = [name for _, name in response.context["form"].fields["group"].choices]
            assert [row["pupil"] for row in response.context["rows"]] == [mine]

        assert list(offered.values()) == [["All", "6M"], ["All", "6M", "6T"]]

    def test_another_schools_pupils_never_appear(self, client, school):
        PupilFactory(school=school, legal_surname="Hidden")
        client.force_login(UserFactory(roles=[Role.SENIOR_LEADER]))

        response = client.get(reverse("pupils:pupil_list"))

        assert "Hidden" not in response.text
        assert response.context["page"].paginator.count == 0

    @pytest.mark.parametrize(
        ("query", "expected"),
        [
            ({"q": "tyl bren"}, ["Brennan"]),
            ({"year": "5"}, ["Young"]),
            ({"characteristic": "pupil_premium"}, ["Brennan"]),
            ({"band": "persistent"}, ["Brennan"]),
            ({"attainment": "close"}, ["Brennan"]),
            ({"criterion": "progress_slowed"}, ["Brennan"]),
        ],
    )
    def test_filters(self, client, school, year, query, expected):
        full_pupil(school, year, legal_forename="Tyler", legal_surname="Brennan")
        PupilFactory(school=school, legal_surname="Young", year_group=5)
        client.force_login(UserFactory(school=school, roles=[Role.SENCO]))

        response = client.get(reverse("pupils:pupil_list"), query)

        assert [row["pupil"].legal_surname for row in response.context["rows"]] == expected

    @pytest.mark.parametrize(
        ("attainment", "expected"), [("expected", ["Rose"]), ("close", ["Fell", "Later"])]
    )
    def test_attainment_is_judged_on_the_latest_result_up_to_today(
        self, client, school, year, attainment, expected
    ):
        pupil_with_maths(school, year, codes=("WTS", "EXS"), legal_surname="Rose")
        pupil_with_maths(school, year, codes=("EXS", "WTS"), legal_surname="Fell")
        # EXS on 26 November, after today: not yet known, so WTS on 29 October stands.
        pupil_with_maths(school, year, codes=("EXS", "WTS", "EXS"), legal_surname="Later")
        client.force_login(UserFactory(school=school, roles=[Role.SENIOR_LEADER]))

        response = client.get(reverse("pupils:pupil_list"), {"attainment": attainment})

        assert [row["pupil"].legal_surname for row in response.context["rows"]] == expected

    def test_htmx_gets_the_results_fragment_only(self, client, school):
        PupilFactory(school=school)
        client.force_login(UserFactory(school=school, roles=[Role.SENIOR_LEADER]))

        response = client.get(reverse("pupils:pupil_list"), {"year": "6"}, headers=HTMX)

        assert response.text.lstrip().startswith('<section id="pupil-results"')
        assert "<html" not in response.text

    def test_queries_do_not_grow_with_pupils(
        self, client, school, year, django_assert_max_num_queries
    ):
        client.force_login(UserFactory(school=school, roles=[Role.SENIOR_LEADER]))
        for _ in range(3):
            full_pupil(school, year)
        with django_assert_max_num_queries(45) as few:
            client.get(reverse("pupils:pupil_list"), {"criterion": "progress_slowed"})
        for _ in range(12):
            full_pupil(school, year)

        with django_assert_max_num_queries(len(few.captured_queries)):
            client.get(reverse("pupils:pupil_list"), {"criterion": "progress_slowed"})


def attending(school, surname: str, present: int, possible: int, *, first=dt.date(2026, 9, 2)):
    """A pupil with this year's attendance so far as a period summary."""
    pupil = PupilFactory(school=school, legal_surname=surname)
    AttendanceSummary.objects.create(
        school=school, pupil=pupil, starts_on=first, ends_on=dt.date(2026, 11, 20),
        possible_sessions=possible, present_sessions=present,
    )  # fmt: skip
    return pupil


class TestAttendanceOnTheList:
    @pytest.fixture
    def pupils(self, school):
        return [
            attending(school, "At90", 180, 200),
            attending(school, "Just90", 181, 201),  # 90.049…%
            attending(school, "At50", 100, 200),
            attending(school, "Just50", 1001, 2000),  # 50.05%
            attending(school, "At95", 190, 200),
            attending(school, "Under95", 189, 199),  # 94.97%
            attending(school, "Early", 1, 2, first=dt.date(2026, 11, 20)),  # joined on Friday
        ]

    @pytest.mark.parametrize(
        ("band", "expected"),
        [
            ("severe", ["At50"]),
            ("persistent", ["At90", "Just50"]),
            ("approaching", ["Just90", "Under95"]),
            ("expected", ["At95"]),
        ],
    )
    def test_the_band_filter_judges_the_exact_figure(self, client, school, pupils, band, expected):
        client.force_login(UserFactory(school=school, roles=[Role.SENIOR_LEADER]))

        response = client.get(reverse("pupils:pupil_list"), {"band": band})

        assert [row["pupil"].legal_surname for row in response.context["rows"]] == expected

    def test_the_figures_shown_agree_with_their_bands(self, client, school, pupils):
        client.force_login(UserFactory(school=school, roles=[Role.SENIOR_LEADER]))

        response = client.get(reverse("pupils:pupil_list"))

        shown = {row["pupil"].legal_surname: row["attendance"] for row in response.context["rows"]}
        assert str(shown["Just90"].percent) == "90.05"
        assert str(shown["Under95"].percent) == "94.97"
        assert "94.97%" in response.text
        assert "too early (2 sessions)" in response.text


class TestPupilDetail:
    def test_shows_the_pupil_on_one_screen(self, client, school, year):
        pupil = full_pupil(school, year, legal_forename="Tyler", legal_surname="Brennan")
        client.force_login(UserFactory(school=school, roles=[Role.SENIOR_LEADER]))

        response = client.get(reverse("pupils:pupil_detail", args=[pupil.pk]))

        assert response.status_code == 200
        assert "<h1" in response.text
        assert "Tyler Brennan" in response.text
        assert "maths fell from EXS to WTS" in response.text
        assert "85.7%</strong> this school year" in response.text
        assert "1 incident in the last 4 weeks" in response.text
        assert 'role="img"' in response.text

    @pytest.mark.parametrize(
        ("present", "possible", "words"),
        [
            (181, 201, "90.05%</strong> this school year (181 of 201 sessions):"),
            (189, 199, "94.97%</strong> this school year (189 of 199 sessions):"),
        ],
    )
    def test_the_figure_and_its_band_agree(self, client, school, present, possible, words):
        pupil = attending(school, "Brennan", present, possible)
        client.force_login(UserFactory(school=school, roles=[Role.SENIOR_LEADER]))

        response = client.get(reverse("pupils:pupil_detail", args=[pupil.pk]))

        assert words in response.text
        assert "approaching persistent absence." in response.text

    def test_too_early_this_year_shows_last_years_figure(self, client, school):
        AcademicYearFactory(school=school, start_year=2025)
        pupil = attending(school, "Brennan", 1, 2, first=dt.date(2026, 11, 20))
        AttendanceSummary.objects.create(
            school=school, pupil=pupil, starts_on=dt.date(2025, 9, 3),
            ends_on=dt.date(2026, 7, 22), possible_sessions=1000, present_sessions=881,
        )  # fmt: skip
        client.force_login(UserFactory(school=school, roles=[Role.SENIOR_LEADER]))

        response = client.get(reverse("pupils:pupil_detail", args=[pupil.pk]))

        assert "50.0%</strong> so far this school year (1 of 2 sessions):" in response.text
        assert "too early to judge before 20 sessions." in response.text
        assert "Last year: <strong>88.1%</strong>, persistent absence." in response.text
        assert "severe absence" not in response.text

    def test_behaviour_this_year_leaves_out_last_year(self, client, school, year):
        pupil = full_pupil(school, year)  # one incident on 17 November
        BehaviourIncident.objects.create(
            school=school, pupil=pupil, date=dt.date(2026, 7, 14), kind="Phone use", lesson="P4"
        )
        client.force_login(UserFactory(school=school, roles=[Role.SENIOR_LEADER]))

        response = client.get(reverse("pupils:pupil_detail", args=[pupil.pk]))

        assert "1 this year, 0 with removal" in response.text
        assert "Phone use" not in response.text

    def test_before_the_first_half_term_last_years_figures_are_not_this_years(
        self, client, school, year, time_machine
    ):
        pupil = full_pupil(school, year)  # attendance and behaviour in autumn 2026
        time_machine.move_to(at_school_time(dt.date(2027, 9, 1)), tick=False)  # term: 2 Sep
        AcademicYearFactory(school=school, start_year=2027)
        client.force_login(UserFactory(school=school, roles=[Role.SENIOR_LEADER]))

        response = client.get(reverse("pupils:pupil_detail", args=[pupil.pk]))

        assert "No attendance recorded this year." in response.text
        assert "No behaviour incidents this year." in response.text

    def test_a_teacher_may_see_their_pupil(self, client, school, year):
        teacher = UserFactory(school=school, roles=[Role.TEACHER])
        pupil = full_pupil(school, year)
        GroupFactory(school=school, teachers=[teacher], pupils=[pupil])
        client.force_login(teacher)

        assert client.get(reverse("pupils:pupil_detail", args=[pupil.pk])).status_code == 200

    def test_a_teacher_gets_not_found_for_a_pupil_they_do_not_teach(self, client, school, year):
        pupil = full_pupil(school, year)
        client.force_login(UserFactory(school=school, roles=[Role.TEACHING_ASSISTANT]))

        assert client.get(reverse("pupils:pupil_detail", args=[pupil.pk])).status_code == 404

    def test_another_schools_leader_gets_not_found(self, client, school, year):
        pupil = full_pupil(school, year)
        client.force_login(UserFactory(roles=[Role.SENIOR_LEADER]))

        assert client.get(reverse("pupils:pupil_detail", args=[pupil.pk])).status_code == 404

    def test_queries_do_not_grow_with_the_pupils_data(
        self, client, school, year, django_assert_max_num_queries
    ):
        pupil = full_pupil(school, year)
        client.force_login(UserFactory(school=school, roles=[Role.SENIOR_LEADER]))
        with django_assert_max_num_queries(40) as few:
            client.get(reverse("pupils:pupil_detail", args=[pupil.pk]))
        for day in range(1, 20):
            BehaviourIncident.objects.create(
                school=school, pupil=pupil, date=dt.date(2026, 11, day), kind="Unkind words"
            )

        with django_assert_max_num_queries(len(few.captured_queries)):
            client.get(reverse("pupils:pupil_detail", args=[pupil.pk]))


class TestImport:
    def upload(self, client, content: bytes | None = None, name="export.csv", kind="pupils"):
        file = SimpleUploadedFile(
            name, content if content is not None else SAMPLE.read_bytes(), content_type="text/csv"
        )
        return client.post(reverse("pupils:import_upload"), {"kind": kind, "file": file})

    @pytest.mark.parametrize("role", [Role.SENIOR_LEADER, Role.SCHOOL_ADMIN])
    def test_upload_preview_confirm(self, client, school, role):
        client.force_login(UserFactory(school=school, roles=[role]))

        response = self.upload(client)
        batch = ImportBatch.objects.get()
        assert response["Location"] == reverse("pupils:import_preview", args=[batch.pk])
        preview = client.get(response["Location"])
        assert "No problems found: 16 to create" in preview.text
        assert not Pupil.objects.exists()

        done = client.post(reverse("pupils:import_confirm", args=[batch.pk]))

        assert done["Location"] == reverse("pupils:import_upload")
        assert Pupil.objects.count() == 16
        batch.refresh_from_db()
        assert (batch.status, batch.content) == (ImportBatch.Status.IMPORTED, None)
        assert "16 created" in batch.summary

    @pytest.mark.parametrize("role", [Role.TEACHER, Role.SENCO, Role.TEACHING_ASSISTANT])
    def test_others_may_not_import(self, client, school, role):
        client.force_login(UserFactory(school=school, roles=[role]))

        assert client.get(reverse("pupils:import_upload")).status_code == 403
        assert self.upload(client).status_code == 403

    def test_another_schools_upload_is_not_found(self, client, school):
        client.force_login(UserFactory(school=school, roles=[Role.SENIOR_LEADER]))
        self.upload(client)
        batch = ImportBatch.objects.get()
        client.force_login(UserFactory(roles=[Role.SENIOR_LEADER]))

        assert client.get(reverse("pupils:import_preview", args=[batch.pk])).status_code == 404
        assert client.post(reverse("pupils:import_confirm", args=[batch.pk])).status_code == 404

    def test_a_file_that_is_not_a_spreadsheet_is_refused_at_upload(self, client, school):
        client.force_login(UserFactory(school=school, roles=[Role.SENIOR_LEADER]))

        response = self.upload(client, b"\x89PNG\r\n\x1a\n\x00\x00", name="photo.png")

        assert response.status_code == 422
        assert "This is not a CSV or Excel (.xlsx) file." in response.text
        assert not ImportBatch.objects.exists()

    def test_problems_are_listed_and_confirming_imports_nothing(self, client, school):
        client.force_login(UserFactory(school=school, roles=[Role.SENIOR_LEADER]))
        bad = SAMPLE.read_text().replace("2021-09-08", "2021-02-30")
        self.upload(client, bad.encode())
        batch = ImportBatch.objects.get()

        preview = client.get(reverse("pupils:import_preview", args=[batch.pk]))
        confirm = client.post(reverse("pupils:import_confirm", args=[batch.pk]))

        assert "row 2, column DOB: &#x27;2021-02-30&#x27; is not a real date" in preview.text
        assert confirm.status_code == 422
        assert not Pupil.objects.exists()

    def test_remapping_a_column_with_htmx_checks_again(self, client, school):
        client.force_login(UserFactory(school=school, roles=[Role.SENIOR_LEADER]))
        header = "UPN,Family,Given,DOB,NC Year\n"
        self.upload(client, (header + "N888123426200,Hughes,Olivia,2021-09-08,R\n").encode())
        batch = ImportBatch.objects.get()
        first = client.get(reverse("pupils:import_preview", args=[batch.pk]))
        assert "no such column" in first.text  # "Family" and "Given" are not recognised

        response = client.post(
            reverse("pupils:import_preview", args=[batch.pk]),
            {
                "upn": "0",
                "legal_surname": "1",
                "legal_forename": "2",
                "date_of_birth": "3",
                "year_group": "4",
            },
            headers=HTMX,
        )

        assert response.status_code == 200
        assert response.text.lstrip().startswith('<div id="import-preview"')
        assert "No problems found: 1 to create" in response.text
        batch.refresh_from_db()
        assert batch.mapping["legal_surname"] == 1

    def test_discarding_forgets_the_file(self, client, school):
        client.force_login(UserFactory(school=school, roles=[Role.SENIOR_LEADER]))
        self.upload(client)
        batch = ImportBatch.objects.get()

        client.post(reverse("pupils:import_discard", args=[batch.pk]))

        batch.refresh_from_db()
        assert (batch.status, batch.content) == (ImportBatch.Status.DISCARDED, None)
        assert client.get(reverse("pupils:import_preview", args=[batch.pk])).status_code == 404

    def test_the_preview_names_new_class_teachers_and_notes_unknown_ones(self, client, school):
        leader = UserFactory(school=school, roles=[Role.SENIOR_LEADER], display_name="Mrs Patel")
        client.force_login(leader)
        header = "UPN,Surname,Forename,DOB,NC Year,Class,Class Teacher\n"
        self.upload(
            client, (header + "N888123426200,Hughes,Olivia,2021-09-08,R,RS,Mr Nobody\n").encode()
        )
        self.upload(
            client, (header + "N888123426200,Hughes,Olivia,2021-09-08,R,RS,mrs patel\n").encode()
        )
        unknown, good = ImportBatch.objects.order_by("pk")

        noted = client.get(reverse("pupils:import_preview", args=[unknown.pk]))
        preview = client.get(reverse("pupils:import_preview", args=[good.pk]))
        done = client.post(reverse("pupils:import_confirm", args=[good.pk]), follow=True)

        assert (
            "Class teacher not set (row 2): &#x27;Mr Nobody&#x27; is not an active member of "
            "staff here. Use their e-mail address, or set it on Classes and teachers."
        ) in noted.text
        assert "Class teacher" in preview.text  # a column to map, like the others
        assert "New class teachers: Mrs Patel (RS)." in preview.text
        assert "1 created, 0 updated, 0 unchanged. New class teachers: Mrs Patel (RS)." in done.text
        assert list(leader.teaching_groups.values_list("name", flat=True)) == ["RS"]

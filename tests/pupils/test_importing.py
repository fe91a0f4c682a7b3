import datetime as dt
import io

import pytest
from django.core.management import CommandError, call_command
from openpyxl import Workbook

from pupils.domain import SenProvision
from pupils.importing import UnreadableFile, importer_for, read_table
from pupils.models import (
    AttendanceMark,
    AttendanceSummary,
    BehaviourIncident,
    Characteristics,
    Group,
    InterventionPlace,
    MissedTopic,
    Pupil,
    Result,
)
from tests.conftest import SAMPLE, TODAY
from tests.factories import AcademicYearFactory, PupilFactory, UserFactory, valid_upn

pytestmark = pytest.mark.django_db

HEADER = "UPN,Surname,Forename,DOB,NC Year,Class,SEN Status,Primary Need,PP,FSM Ever 6,EAL"


@pytest.fixture
def school():
    return AcademicYearFactory(start_year=2026).school


def run(kind: str, text: str | bytes, school, *, filename="export.csv", dry_run=False):
    content = text.encode("utf-8") if isinstance(text, str) else text
    table = read_table(content, filename)
    return importer_for(kind, table, school=school, today=TODAY).run(table, dry_run=dry_run)


def csv_of(*rows: str, header: str = HEADER) -> str:
    return "\n".join([header, *rows]) + "\n"


UPN_1, UPN_2, UPN_3 = (
    valid_upn("888123426900"),
    valid_upn("888123426901"),
    valid_upn("888123426902"),
)


class TestPupils:
    def test_imports_the_sample_export(self, school):
        outcome = run("pupils", SAMPLE.read_bytes(), school)

        assert outcome.ok, outcome.problems
        assert outcome.created == 16
        olivia = Pupil.objects.get(upn="N888123426200")
        assert (olivia.name, olivia.year_group, olivia.date_of_birth) == (
            "Olivia Hughes",
            0,
            dt.date(2021, 9, 8),
        )
        census = Characteristics.objects.get(pupil=olivia)
        assert (census.sen_provision, census.primary_need, census.ever_6_fsm, census.eal) == (
            "K",
            "ASD",
            True,
            True,
        )
        assert list(olivia.groups.values_list("name", flat=True)) == ["RS"]

    def test_importing_the_same_file_again_changes_nothing(self, school):
        run("pupils", SAMPLE.read_bytes(), school)

        outcome = run("pupils", SAMPLE.read_bytes(), school)

        assert (outcome.created, outcome.updated, outcome.unchanged) == (0, 0, 16)

    def test_a_later_file_updates_pupils_matched_by_upn(self, school):
        run("pupils", csv_of(f"{UPN_1},Hughes,Olivia,2015-09-08,5,5N,N,,N,N,N"), school)

        outcome = run(
            "pupils", csv_of(f"{UPN_1},Hughes-Price,Olivia,2015-09-08,6,6S,K,SPLD,Y,Y,N"), school
        )

        assert (outcome.created, outcome.updated) == (0, 1)
        pupil = Pupil.objects.get(upn=UPN_1)
        assert (pupil.legal_surname, pupil.year_group) == ("Hughes-Price", 6)
        assert list(pupil.groups.values_list("name", flat=True)) == ["6S"]
        assert Characteristics.objects.get(pupil=pupil).sen_provision == SenProvision.SEN_SUPPORT

    def test_accents_and_curly_apostrophes_survive_windows_1252(self, school):
        text = csv_of(f"{UPN_1},O’Connor,Zoë,08/09/2015,Year 6,6N,N,,No,False,0")

        outcome = run("pupils", text.encode("cp1252"), school)

        assert outcome.ok, outcome.problems
        assert Pupil.objects.get().name == "Zoë O’Connor"

    def test_reads_utf8_with_a_byte_order_mark(self, school):
        outcome = run(
            "pupils", "\ufeff" + csv_of(f"{UPN_1},Nowak,Zuzanna,2015-09-08,R,RN,N,,N,N,N"), school
        )

        assert outcome.ok, outcome.problems
        assert Pupil.objects.get().legal_forename == "Zuzanna"

    def test_headers_ignore_case_spacing_and_punctuation(self, school):
        header = "upn , LEGAL SURNAME,Legal_Forename,Date of Birth,Year Group,Reg. Group,SEN Provision,FSM"

        outcome = run(
            "pupils",
            csv_of(f"{UPN_1},Khan,Aisha,2015-09-08,6,6N,K - SEN Support,Yes", header=header),
            school,
        )

        assert outcome.ok, outcome.problems
        assert Characteristics.objects.get().fsm is True

    def test_reads_excel_with_real_dates_and_serial_numbers(self, school):
        workbook = Workbook()
        sheet = workbook.active
        sheet.append(["UPN", "Legal Surname", "Legal Forename", "Date of Birth", "Year"])
        sheet.append([UPN_1, "Begum", "Nadia", dt.datetime(2015, 9, 8), 6])
        sheet.append([UPN_2, "Ali", "Bilal", 42255, "Year 6"])  # Excel's serial for 8 Sep 2015
        buffer = io.BytesIO()
        workbook.save(buffer)

        outcome = run("pupils", buffer.getvalue(), school, filename="export.xlsx")

        assert outcome.ok, outcome.problems
        assert set(Pupil.objects.values_list("date_of_birth", flat=True)) == {dt.date(2015, 9, 8)}

    def test_extra_columns_are_ignored_and_listed(self, school):
        header = HEADER + ",Ethnicity,Home Address"

        outcome = run(
            "pupils",
            csv_of(f"{UPN_1},Khan,Aisha,2015-09-08,6,6N,N,,N,N,N,WBRI,1 High St", header=header),
            school,
        )

        assert outcome.ok
        assert outcome.ignored_headers == ["Ethnicity", "Home Address"]

    def test_a_missing_required_column_is_named(self, school):
        outcome = run(
            "pupils", csv_of(f"{UPN_1},Khan,Aisha,6", header="UPN,Surname,Forename,Year"), school
        )

        assert [str(p) for p in outcome.problems] == [
            'row 1, column Date of birth: no such column: the file needs one headed "Date of Birth" or "DOB" or "Birth Date"'
        ]

    def test_every_bad_row_is_reported_and_nothing_is_written(self, school):
        text = csv_of(
            f"{UPN_1},Khan,Aisha,2015-09-08,6,6N,N,,N,N,N",
            "A801200005001,Bad,Letter,2015-09-08,6,6N,N,,N,N,N",
            f"{UPN_2},Ali,Bilal,31/02/2015,6,6N,N,,N,N,N",
            f"{UPN_3},Shaw,Ruby,2015-09-08,Year 14,6N,N,,N,N,N",
            f"{UPN_1},Khan,Aisha,2015-09-08,6,6N,N,,N,N,N",
            f"{valid_upn('888123426903')},Lee,Kai,2015-09-08,6,6N,Q,,maybe,N,N",
            f"{valid_upn('888123426904')},Roe,Ivy,2015-09-08,6,6N,N,ASD,N,N,N",
        )

        outcome = run("pupils", text, school)

        assert [str(p) for p in outcome.problems] == [
            "row 3, column UPN: 'A801200005001': The check letter of A801200005001 should be B: the UPN has been mistyped.",
            "row 4, column DOB: '31/02/2015' is not a real date",
            "row 5, column NC Year: unknown year group 'Year 14': use R, Reception, or 1 to 13",
            f"row 6, column UPN: {UPN_1} is also on row 2: each pupil once",
            "row 7, column SEN Status: 'Q' is not a SEN provision: use N, K (SEN support) or E (EHC plan)",
            "row 7, column PP: 'maybe' is not yes or no (Y, Yes, True, 1, N, No, False, 0 or blank)",
            "row 8, column Primary Need: a need type needs SEN provision K (SEN support) or E (EHC plan)",
        ]
        assert not Pupil.objects.exists()

    def test_row_numbers_count_blank_lines_as_a_spreadsheet_does(self, school):
        text = csv_of(
            f"{UPN_1},Khan,Aisha,2015-09-08,6,6N,N,,N,N,N",
            ",,,,,,,,,,",
            f"{UPN_2},Ali,Bilal,3-Nov-2015,6,6N,N,,N,N,N",
            f"{UPN_3},Shaw,Ruby,2015-13-08,6,6N,N,,N,N,N",
        )

        outcome = run("pupils", text, school)

        assert [str(p) for p in outcome.problems] == [
            "row 5, column DOB: '2015-13-08' is not a real date"
        ]

    def test_a_dry_run_counts_and_writes_nothing(self, school):
        outcome = run("pupils", SAMPLE.read_bytes(), school, dry_run=True)

        assert outcome.created == 16
        assert not Pupil.objects.exists()


class TestUnreadableFiles:
    @pytest.mark.parametrize(
        ("content", "filename", "message"),
        [
            (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "photo.csv", "not a CSV or Excel"),
            (b"PK\x03\x04 not really a workbook", "export.xlsx", "not a readable Excel"),
            (b"", "empty.csv", "empty"),
            (b"anything", "old.xls", "Save the spreadsheet as .xlsx or .csv"),
            (b"UPN\n" + b"x" * (11 * 1024 * 1024), "huge.csv", "the limit is 10 MB"),
        ],
    )
    def test_refused_with_a_reason(self, content, filename, message):
        with pytest.raises(UnreadableFile, match=message):
            read_table(content, filename)


class TestCommand:
    """The command imports as of today, into the school year that covers it: freeze it."""

    def test_success_prints_counts(self, school, today, capsys):
        call_command("import_data", "pupils", str(SAMPLE), "--school", school.urn)

        assert "16 created, 0 updated, 0 unchanged" in capsys.readouterr().out

    def test_problems_exit_1_with_a_line_each(self, school, today, tmp_path, capsys):
        bad = tmp_path / "bad.csv"
        bad.write_text(csv_of(f"{UPN_1},Khan,Aisha,2015-13-01,6,6N,N,,N,N,N"))

        with pytest.raises(CommandError, match="1 problem: nothing was imported") as error:
            call_command("import_data", "pupils", str(bad), "--school", school.urn)

        assert error.value.returncode == 1  # what manage.py exits with
        assert capsys.readouterr().err == "row 2, column DOB: '2015-13-01' is not a real date\n"
        assert not Pupil.objects.exists()

    def test_an_unknown_school_is_refused(self):
        with pytest.raises(CommandError, match="No school with URN 000000"):
            call_command("import_data", "pupils", str(SAMPLE), "--school", "000000")


class TestAttendance:
    @pytest.fixture
    def pupil(self, school):
        return PupilFactory(school=school, upn=UPN_1)

    def test_register_marks_upsert_by_session(self, pupil, school):
        header = "UPN,Date,Session,Mark"
        run(
            "attendance",
            csv_of(f"{UPN_1},02/11/2026,AM,/", f"{UPN_1},02/11/2026,PM,I", header=header),
            school,
        )

        outcome = run(
            "attendance",
            csv_of(f"{UPN_1},02/11/2026,AM,/", f"{UPN_1},02/11/2026,PM,M", header=header),
            school,
        )

        assert (outcome.created, outcome.updated, outcome.unchanged) == (0, 1, 1)
        assert AttendanceMark.objects.get(session="PM").code == "M"

    def test_retired_codes_and_unknown_pupils_are_refused(self, pupil, school):
        header = "UPN,Date,Session,Mark"
        text = csv_of(
            f"{UPN_1},02/11/2026,AM,H",
            f"{UPN_2},02/11/2026,AM,/",
            f"{UPN_1},03/11/2026,Eve,/",
            header=header,
        )

        outcome = run("attendance", text, school)

        assert [str(p) for p in outcome.problems] == [
            "row 2, column Mark: H (agreed holiday) is no longer used since August 2024: use C or G",
            f"row 3, column UPN: no pupil with UPN {UPN_2} at {school}: import pupils first",
            "row 4, column Session: 'Eve' is not a session: use AM or PM",
        ]
        assert not AttendanceMark.objects.exists()

    def test_period_summaries(self, pupil, school):
        header = "UPN,From,To,Possible Sessions,Present Sessions,Authorised,Unauthorised,Lates"

        outcome = run(
            "attendance",
            csv_of(f"{UPN_1},02/09/2026,23/10/2026,76,70,4,2,3", header=header),
            school,
        )

        assert outcome.ok, outcome.problems
        summary = AttendanceSummary.objects.get()
        assert (summary.possible_sessions, summary.present_sessions, summary.lates) == (76, 70, 3)

    def test_a_summary_with_more_present_than_possible_is_refused(self, pupil, school):
        header = "UPN,From,To,Possible Sessions,Present Sessions"

        outcome = run(
            "attendance", csv_of(f"{UPN_1},02/09/2026,23/10/2026,76,80", header=header), school
        )

        assert [str(p) for p in outcome.problems] == [
            "row 2, column Present Sessions: more sessions present than possible"
        ]


class TestAssessments:
    HEADER = "UPN,Subject,Assessment Point,Date,Scale,Result,Missed Topics"

    @pytest.fixture
    def pupil(self, school):
        return PupilFactory(school=school, upn=UPN_1)

    def test_results_on_each_kind_of_scale(self, pupil, school):
        text = csv_of(
            f"{UPN_1},Maths,Autumn 2026,16/10/2026,Primary teacher assessment,wts,Fractions; Place value",
            f"{UPN_1},Maths test,Autumn 2026,16/10/2026,KS2 scaled score,97,",
            f"{UPN_1},Reading age,Autumn 2026,16/10/2026,Reading age,9y 4m,",
            header=self.HEADER,
        )

        outcome = run("assessments", text, school)

        assert outcome.ok, outcome.problems
        assert outcome.created == 3
        assert sorted(Result.objects.values_list("subject", "step__code", "months")) == [
            ("Maths", "WTS", None), ("Maths test", "97", None), ("Reading age", None, 112),
        ]  # fmt: skip
        assert sorted(MissedTopic.objects.values_list("topic", flat=True)) == [
            "Fractions",
            "Place value",
        ]
        assert run("assessments", text, school).unchanged == 3

    def test_unknown_steps_scales_and_undated_points_are_refused(self, pupil, school):
        text = csv_of(
            f"{UPN_1},Maths,Autumn 2026,16/10/2026,Primary teacher assessment,EXP,",
            f"{UPN_1},Writing,Autumn 2026,16/10/2026,Levels,4b,",
            f"{UPN_1},Science,Spring 2027,,School steps,Secure,",
            header=self.HEADER,
        )

        outcome = run("assessments", text, school)

        assert [str(p) for p in outcome.problems] == [
            "row 2, column Result: 'EXP' is not a step of Primary teacher assessment (PKS, WTS, EXS, GDS)",
            "row 3, column Scale: unknown scale 'Levels' (GCSE grade, KS2 scaled score, Primary teacher assessment, Reading age, School steps)",
            "row 4, column Assessment Point: 'Spring 2027' is a new assessment point: give its date",
        ]
        assert not Result.objects.exists()


class TestBehaviourAndInterventions:
    @pytest.fixture
    def pupil(self, school):
        return PupilFactory(school=school, upn=UPN_1)

    def test_behaviour_imports_once(self, pupil, school):
        text = csv_of(
            f"{UPN_1},13/11/2026,10:05,P2,Science,Low-level disruption,N",
            header="UPN,Date,Time,Period,Subject,Type,Removed",
        )

        assert run("behaviour", text, school).created == 1
        assert run("behaviour", text, school).unchanged == 1
        assert BehaviourIncident.objects.get().time == dt.time(10, 5)

    def test_intervention_places_upsert(self, pupil, school):
        header = "UPN,Intervention,Start Date,End Date,Sessions Planned,Sessions Attended,Entry Measure,Exit Measure"
        run(
            "interventions",
            csv_of(f"{UPN_1},Lexia reading,14/09/2026,,30,12,Reading age 8y 2m,", header=header),
            school,
        )

        outcome = run(
            "interventions",
            csv_of(
                f"{UPN_1},Lexia reading,14/09/2026,06/11/2026,30,27,Reading age 8y 2m,Reading age 8y 9m",
                header=header,
            ),
            school,
        )

        assert (outcome.created, outcome.updated) == (0, 1)
        place = InterventionPlace.objects.get()
        assert (place.sessions_attended, place.exit_measure) == (27, "Reading age 8y 9m")


class TestClassTeachers:
    """An optional class teacher column, by e-mail address or by name as Progress shows it."""

    HEADER = "UPN,Surname,Forename,DOB,NC Year,Class,Class Teacher"

    @pytest.fixture
    def patel(self, school):
        return UserFactory(school=school, display_name="Mrs Patel", email="s.patel@oak.example")

    def test_a_teacher_named_by_e_mail_or_name_is_added_to_the_class(self, school, patel):
        jones = UserFactory(school=school, display_name="Mr Jones")
        text = csv_of(
            f"{UPN_1},Khan,Aisha,2015-09-08,6,6N,S.Patel@oak.example",
            f"{UPN_2},Ali,Bilal,2015-09-08,6,6N,mrs  patel",
            f"{UPN_3},Shaw,Ruby,2016-09-08,5,5S,MR JONES",
            header=self.HEADER,
        )

        outcome = run("pupils", text, school)

        assert outcome.ok, outcome.problems
        assert outcome.notes == ["New class teachers: Mrs Patel (6N), Mr Jones (5S)."]
        assert list(Group.objects.get(name="6N").teachers.all()) == [patel]
        assert list(Group.objects.get(name="5S").teachers.all()) == [jones]

    def test_importing_it_again_changes_nothing(self, school, patel):
        text = csv_of(f"{UPN_1},Khan,Aisha,2015-09-08,6,6N,Mrs Patel", header=self.HEADER)
        run("pupils", text, school)

        outcome = run("pupils", text, school)

        assert (outcome.created, outcome.updated, outcome.unchanged) == (0, 0, 1)
        assert outcome.notes == []

    def test_a_new_teacher_joins_those_the_class_has_and_updates_the_row(self, school, patel):
        run("pupils", csv_of(f"{UPN_1},Khan,Aisha,2015-09-08,6,6N"), school)
        group = Group.objects.get(name="6N")
        jones = UserFactory(school=school, display_name="Mr Jones")
        group.teachers.add(jones, through_defaults={"school": group.school})

        outcome = run(
            "pupils",
            csv_of(f"{UPN_1},Khan,Aisha,2015-09-08,6,6N,Mrs Patel", header=self.HEADER),
            school,
        )

        assert (outcome.updated, outcome.unchanged) == (1, 0)
        assert set(group.teachers.all()) == {patel, jones}

    def test_a_dry_run_names_the_teacher_and_adds_nobody(self, school, patel):
        text = csv_of(f"{UPN_1},Khan,Aisha,2015-09-08,6,6N,Mrs Patel", header=self.HEADER)

        outcome = run("pupils", text, school, dry_run=True)

        assert outcome.notes == ["New class teachers: Mrs Patel (6N)."]
        assert not Group.objects.exists()

    def test_a_teacher_who_fits_nobody_is_noted_and_the_pupils_still_import(self, school, patel):
        """An MIS names teachers its own way ("Mrs J Patel"): the pupils import, and the note
        says which teachers to set by hand."""
        UserFactory(school=school, display_name="Mr Smith")
        UserFactory(school=school, display_name="mr smith")
        UserFactory(school=school, display_name="Ms Gone", is_active=False)
        UserFactory(display_name="Mr Elsewhere", email="elsewhere@other.example")
        text = csv_of(
            f"{UPN_1},Khan,Aisha,2015-09-08,6,6N,Mrs Pattel",
            f"{UPN_2},Ali,Bilal,2015-09-08,6,6N,Mr Smith",
            f"{UPN_3},Shaw,Ruby,2015-09-08,6,,Mrs Patel",
            f"{valid_upn('888123426903')},Lee,Kai,2015-09-08,6,6N,Ms Gone",
            f"{valid_upn('888123426904')},Roe,Ivy,2015-09-08,6,6N,elsewhere@other.example",
            f"{valid_upn('888123426905')},Hale,Max,2015-09-08,6,6N,Mrs Patel",
            f"{valid_upn('888123426906')},Cox,Ada,2015-09-08,6,6N,Mrs Pattel",
            header=self.HEADER,
        )

        outcome = run("pupils", text, school)

        assert outcome.ok, outcome.problems
        assert outcome.notes == [
            "Class teacher not set (rows 2, 8): 'Mrs Pattel' is not an active member of staff "
            "here. Use their e-mail address, or set it on Classes and teachers.",
            "Class teacher not set (row 3): 'Mr Smith' could be any of 2 members of staff. "
            "Use their e-mail address, or set it on Classes and teachers.",
            "Class teacher not set (row 4): 'Mrs Patel' has no class in the same row. "
            "Use their e-mail address, or set it on Classes and teachers.",
            "Class teacher not set (row 5): 'Ms Gone' is not an active member of staff here. "
            "Use their e-mail address, or set it on Classes and teachers.",
            "Class teacher not set (row 6): 'elsewhere@other.example' is not an active member "
            "of staff here. Use their e-mail address, or set it on Classes and teachers.",
            "New class teachers: Mrs Patel (6N).",
        ]
        assert Pupil.objects.count() == 7
        assert list(Group.objects.get(name="6N").teachers.all()) == [patel]

    @pytest.mark.parametrize("header", ["Teacher", "Form Tutor", "Reg Group Teacher"])
    def test_reads_the_usual_headers(self, school, patel, header):
        text = csv_of(
            f"{UPN_1},Khan,Aisha,2015-09-08,6,6N,Mrs Patel",
            header=f"UPN,Surname,Forename,DOB,NC Year,Reg Group,{header}",
        )

        assert run("pupils", text, school).ok
        assert list(patel.teaching_groups.values_list("name", flat=True)) == ["6N"]

    def test_the_command_names_new_teachers_and_each_problem(
        self, school, patel, today, tmp_path, capsys
    ):
        good, unknown = tmp_path / "good.csv", tmp_path / "unknown.csv"
        good.write_text(csv_of(f"{UPN_1},Khan,Aisha,2015-09-08,6,6N,Mrs Patel", header=self.HEADER))
        unknown.write_text(
            csv_of(f"{UPN_2},Ali,Bilal,2015-09-08,6,6N,Mr Nobody", header=self.HEADER)
        )

        call_command("import_data", "pupils", str(good), "--school", school.urn)
        out = capsys.readouterr().out
        call_command("import_data", "pupils", str(unknown), "--school", school.urn)
        noted = capsys.readouterr().out

        assert "New class teachers: Mrs Patel (6N).\n" in out
        assert "1 created, 0 updated, 0 unchanged" in out
        assert "Class teacher not set (row 2): 'Mr Nobody' is not an active member" in noted
        assert "1 created, 0 updated, 0 unchanged" in noted
        assert list(patel.teaching_groups.all()) == [Group.objects.get(name="6N")]

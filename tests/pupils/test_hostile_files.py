"""Hostile files, made here: each is refused with a message a person can act on, quickly, in
bounded memory, with nothing saved, through the reader, the web upload and the command."""

import datetime as dt
import io
import time
import tracemalloc
import zipfile

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from progress.models import Role
from pupils.importing import UnreadableFile, importer_for, read_table
from pupils.models import ImportBatch, Pupil
from tests.factories import AcademicYearFactory, PupilFactory, UserFactory

pytestmark = pytest.mark.django_db

HEADER = "UPN,Surname,Forename,DOB,Year,Class\n"
UPN = "A123456789012"  # not checked here: the reader comes first


def xlsx(sheet_xml: str | bytes, *, shared: str = "") -> bytes:
    """A minimal workbook whose first sheet is `sheet_xml`."""
    parts = {
        "[Content_Types].xml": (
            '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
            "</Types>"
        ),
        "_rels/.rels": (
            '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
            "</Relationships>"
        ),
        "xl/workbook.xml": (
            '<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
            'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
            '<sheets><sheet name="Pupils" sheetId="1" r:id="rId1"/></sheets></workbook>'
        ),
        "xl/_rels/workbook.xml.rels": (
            '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'
            "</Relationships>"
        ),
        "xl/worksheets/sheet1.xml": sheet_xml,
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for name, text in parts.items():
            archive.writestr(name, text)
    return buffer.getvalue()


SHEET = '<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">{dimension}<sheetData>{rows}</sheetData></worksheet>'


def row(number: int, *cells: str) -> str:
    inline = "".join(f'<c t="inlineStr"><is><t>{cell}</t></is></c>' for cell in cells)
    return f'<row r="{number}">{inline}</row>'


def rows_of(count: int) -> bytes:
    """A sheet of `count` real rows; a million zip to well under the upload limit."""
    body = "".join(row(n, UPN, "Khan") for n in range(1, count + 1))
    return xlsx(SHEET.format(dimension="", rows=body))


BOMB = (
    '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
    + "".join(
        f'<!ENTITY lol{n} "{("&lol" + str(n - 1) + ";") * 10 if n > 1 else "&lol;" * 10}">'
        for n in range(1, 10)
    )
    + ']><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
    '<row r="1"><c t="inlineStr"><is><t>&lol9;</t></is></c></row></sheetData></worksheet>'
)

HOSTILE = {
    "a 10,000-column header over 50,000 blank lines": (
        (",".join(f"C{n}" for n in range(10_000)) + "\n" + "\n" * 50_000).encode(),
        "wide.csv",
        "10,000 columns; the limit is 200",
    ),
    "a cell of 200,000 characters": (
        (HEADER + f"{UPN},{'x' * 200_000},Aisha,2015-01-01,6,6N\n").encode(),
        "long.csv",
        "row 2: a value is over 2,000 characters long",
    ),
    "a row hidden after 50,001 blank lines": (
        (HEADER + "\n" * 50_001 + f"{UPN},Khan,Aisha,2015-01-01,6,6N\n").encode(),
        "padded.csv",
        "more than 50,000 blank rows in a row",
    ),
    "random bytes": (bytes(range(256)) * 64, "random.csv", "not a CSV or Excel"),
    "a NUL byte after the first 4 KB": (
        (HEADER + f"{UPN},Khan,Aisha,2015-01-01,6,6N\n" * 100).encode()
        + f"{UPN},Kh\x00an,Aisha,2015-01-01,6,6N\n".encode(),
        "nul.csv",
        "row 102, column 2: it holds a NUL character",
    ),
    "more rows than the limit": (
        (HEADER + f"{UPN},Khan,Aisha,2015-01-01,6,6N\n" * 50_001).encode(),
        "many.csv",
        "more than 50,000 rows",
    ),
    "a sheet declaring a million rows by 16,384 columns": (
        xlsx(SHEET.format(dimension='<dimension ref="A1:XFD1048576"/>', rows=row(1, "UPN"))),
        "declared.xlsx",
        None,  # read as the one row it holds: the declared size is never trusted
    ),
    "a zipped sheet of a million rows": (
        lambda: rows_of(1_000_000),
        "million.xlsx",
        "The workbook unzips to 108 MB; the limit is 100 MB",
    ),
    "a sheet of 60,000 rows": (lambda: rows_of(60_000), "rows.xlsx", "more than 50,000 rows"),
    "a malformed sheet": (
        xlsx("<worksheet><sheetData><row"),
        "broken.xlsx",
        "not a readable Excel",
    ),
    "a sheet full of entities": (xlsx(BOMB), "entities.xlsx", "not a readable Excel"),
    "a zip that is not a workbook": (
        xlsx(SHEET.format(dimension="", rows=""))[:200],
        "cut.xlsx",
        "not a readable Excel",
    ),
}


def made(content) -> bytes:
    """The file's bytes: the largest are made only by the tests that use them."""
    return content() if callable(content) else content


@pytest.fixture
def school(today):
    return AcademicYearFactory(start_year=2026).school


@pytest.mark.parametrize(("content", "filename", "message"), HOSTILE.values(), ids=HOSTILE)
def test_the_reader_refuses_it_in_bounded_memory(content, filename, message):
    content = made(content)
    tracemalloc.start()
    try:
        if message is None:
            assert read_table(content, filename).headers == ["UPN"]
        else:
            with pytest.raises(UnreadableFile, match=message):
                read_table(content, filename)
    finally:
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    assert peak < 250 * 1024 * 1024


@pytest.mark.parametrize(("content", "filename", "message"), HOSTILE.values(), ids=HOSTILE)
def test_the_web_upload_refuses_it_within_seconds_with_the_message_and_keeps_nothing(
    client, school, content, filename, message
):
    client.force_login(UserFactory(school=school, roles=[Role.SCHOOL_ADMIN]))
    upload = io.BytesIO(made(content))
    upload.name = filename

    # The work this process did, not the time on the clock: other jobs on a busy machine do
    # not count against it, a file that sends the reader into minutes of work does.
    started = time.process_time()
    response = client.post(reverse("pupils:import_upload"), {"kind": "pupils", "file": upload})

    assert time.process_time() - started < 15

    if message is None:  # readable: it goes on to the preview, which says what is missing
        preview = client.get(response["Location"])
        assert preview.status_code == 200
        assert "no such column" in preview.text
        return
    assert response.status_code == 422
    assert message.split(":")[0] in response.text
    assert not ImportBatch.objects.exists()


@pytest.mark.parametrize(("content", "filename", "message"), HOSTILE.values(), ids=HOSTILE)
def test_the_command_refuses_it_in_one_line_without_a_traceback(
    school, tmp_path, capsys, content, filename, message
):
    path = tmp_path / filename
    path.write_bytes(made(content))

    with pytest.raises(CommandError) as refused:
        call_command("import_data", "pupils", str(path), "--school", school.urn)

    assert refused.value.returncode == 1
    if message:
        assert message in str(refused.value)
    assert not Pupil.objects.exists()


@pytest.mark.parametrize(
    ("cells", "problem"),
    [
        ("x" * 101 + ",Aisha", "row 2, column Surname: is 101 characters long; at most 100"),
        ("Khan," + "y" * 1500, "row 2, column Forename: is 1,500 characters long; at most 100"),
    ],
)
def test_a_value_longer_than_its_field_is_a_row_problem_on_every_database(
    school, today, cells, problem
):
    table = read_table(f"{HEADER}{UPN},{cells},2015-01-01,6,6N\n".encode(), "long.csv")
    importer = importer_for("pupils", table, school=school, today=today)

    outcome = importer.run(table)

    assert problem in [str(found) for found in outcome.problems]
    assert not Pupil.objects.exists()


def test_an_upload_left_unconfirmed_for_a_day_is_forgotten(school, time_machine):
    admin = UserFactory(school=school, roles=[Role.SCHOOL_ADMIN])
    kept = ImportBatch.objects.create(
        school=school, uploaded_by=admin, kind="pupils", filename="a.csv", content=b"UPN\n"
    )
    time_machine.move_to(timezone.now() + dt.timedelta(hours=25), tick=False)
    fresh = ImportBatch.objects.create(
        school=school, uploaded_by=admin, kind="pupils", filename="b.csv", content=b"UPN\n"
    )

    call_command("discard_stale_imports", stdout=io.StringIO())

    kept.refresh_from_db()
    fresh.refresh_from_db()
    assert (kept.status, kept.content) == (ImportBatch.Status.DISCARDED, None)
    assert fresh.status == ImportBatch.Status.PENDING


class TestRetention:
    def test_leavers_past_the_schools_period_are_deleted_with_a_line_each(self, school, today):
        school.leavers_kept_for = 2
        school.save()
        gone = PupilFactory(school=school, date_left=dt.date(2024, 7, 19))  # over two years
        kept = PupilFactory(school=school, date_left=dt.date(2024, 11, 23))  # two years today
        staying = PupilFactory(school=school)
        out = io.StringIO()

        call_command("apply_retention", "--dry-run", stdout=out)
        assert Pupil.objects.count() == 3
        assert f"pupil record {gone.pk}, left 2024-07-19: would delete" in out.getvalue()

        call_command("apply_retention", stdout=(out := io.StringIO()))

        assert set(Pupil.objects.all()) == {kept, staying}
        assert out.getvalue().splitlines() == [
            f"{school.urn}: pupil record {gone.pk}, left 2024-07-19: deleted",
            "1 leaver deleted.",
        ]
        assert gone.legal_surname not in out.getvalue()


def test_a_full_ten_megabyte_export_reads_in_bounded_memory():
    line = f"{UPN},Khan-Oyelaran,Aisha Mary Louise,2015-01-01,6,6N,{'x' * 140}\n"
    content = (HEADER.strip() + ",Notes\n" + line * 49_999).encode()
    assert len(content) > 9.5 * 1024 * 1024

    tracemalloc.start()
    table = read_table(content, "full.csv")
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()

    assert len(table.rows) == 49_999
    assert peak < 250 * 1024 * 1024

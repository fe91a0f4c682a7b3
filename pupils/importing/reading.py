"""Read a school MIS export, CSV or Excel, into a header row and text cells.

CSV may be UTF-8 (with or without a byte-order mark) or Windows-1252, as Excel saves it.
Excel dates become ISO dates and whole numbers lose their ".0", so every later step reads text.

A file is read a row at a time, and every limit is checked while reading, so a hostile file is
refused as soon as it crosses one, before it can take the server's memory or time: its size, its
size unzipped (an .xlsx is a zip), its rows, its columns and the length of each cell. An .xlsx is
read without trusting the size it declares, and its XML without entities (defusedxml, which
openpyxl uses when it is installed). Whatever cannot be read is one `UnreadableFile` line for a
person: nothing else escapes.
"""

import csv
import datetime as dt
import io
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass

MAX_BYTES = 10 * 1024 * 1024
MAX_UNZIPPED = 100 * 1024 * 1024  # an .xlsx of 10 MB holds about 60 MB of XML at most
MAX_ROWS = 50_000
MAX_COLUMNS = 200
MAX_CELL = 2_000  # characters: longer than any field Progress keeps from an export


class UnreadableFile(Exception):
    """The file is not a spreadsheet Progress can read; the message says why, for a person."""


@dataclass
class Table:
    headers: list[str]
    rows: list[list[str]]  # each padded to the number of headers; blank rows kept, for numbering


def read_table(content: bytes, filename: str) -> Table:
    if len(content) > MAX_BYTES:
        raise UnreadableFile(
            f"The file is {len(content) / 1024 / 1024:.1f} MB; the limit is "
            f"{MAX_BYTES // 1024 // 1024} MB. Export fewer rows or split the file."
        )
    if not content.strip():
        raise UnreadableFile("The file is empty.")
    if filename.lower().endswith(".xlsx") or content.startswith(b"PK\x03\x04"):
        rows = _xlsx_rows(content)
    elif filename.lower().endswith((".xls", ".ods", ".numbers")):
        raise UnreadableFile("Save the spreadsheet as .xlsx or .csv, then upload it again.")
    else:
        rows = _csv_rows(content)
    table = _limited(rows)
    workbook = getattr(rows, "workbook", None)
    if workbook is not None:
        workbook.close()
    return table


def _limited(rows: Iterator[list[str]]) -> Table:
    """The rows read one at a time, refused at the first limit crossed."""
    try:
        header = next(rows, None)
        if header is None:
            raise UnreadableFile("The file has no rows.")
        headers = _checked(header, 1)
        while headers and not headers[-1]:
            headers.pop()  # spreadsheets often carry empty columns at the right
        if len(headers) > MAX_COLUMNS:
            raise UnreadableFile(
                f"The file has {len(headers):,} columns; the limit is {MAX_COLUMNS}. "
                "Export only the columns Progress needs."
            )
        width, body, blank_run = len(headers), [], 0
        for number, row in enumerate(rows, start=2):
            cells = _checked(row[:width], number)  # cells beyond the headed columns are not read
            blank = not any(cells)
            blank_run = blank_run + 1 if blank else 0
            if len(body) - blank_run >= MAX_ROWS:
                raise UnreadableFile(
                    f"The file has more than {MAX_ROWS:,} rows; the limit is {MAX_ROWS:,}."
                )
            body.append((cells + [""] * width)[:width])
            if blank_run > MAX_ROWS:
                raise UnreadableFile(
                    f"row {number}: more than {MAX_ROWS:,} blank rows in a row. Remove them and "
                    "export the file again."
                )
    except csv.Error as error:
        line = getattr(rows, "line_num", "?")
        if "field limit" in str(error):
            raise UnreadableFile(
                f"row {line}: a value is over {MAX_CELL:,} characters long; the limit is "
                f"{MAX_CELL:,}."
            ) from None
        raise UnreadableFile(f"row {line}: this line cannot be read as CSV ({error}).") from None
    del body[len(body) - blank_run :]  # trailing blank lines; blank rows inside keep numbers
    if not headers:
        raise UnreadableFile("The file has no header row.")
    return Table(headers, body)


def _checked(row: list[str], number: int) -> list[str]:
    """The row's cells, refusing one too long to be data or holding a NUL character (which no
    database stores)."""
    for column, cell in enumerate(row, start=1):
        if len(cell) > MAX_CELL:
            raise UnreadableFile(
                f"row {number}, column {column}: the value is {len(cell):,} characters long; "
                f"the limit is {MAX_CELL:,}."
            )
        if "\x00" in cell:
            raise UnreadableFile(
                f"row {number}, column {column}: it holds a NUL character, which is not text: "
                "export the file again."
            )
    return [cell.strip() for cell in row]


def _csv_rows(content: bytes) -> Iterator[list[str]]:
    if b"\x00" in content[:4096]:
        raise UnreadableFile("This is not a CSV or Excel (.xlsx) file.")
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = content.decode("cp1252")
        except UnicodeDecodeError:
            raise UnreadableFile(
                "The file is not UTF-8 or Windows-1252 text: export it again as CSV (UTF-8)."
            ) from None
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    # The csv module refuses a field over its limit as it reads: one a little over ours, so
    # that ours says which row and column.
    csv.field_size_limit(MAX_CELL + 1)
    return csv.reader(io.StringIO(text, newline=""), dialect)


class _SheetRows:
    """The first sheet's rows as text, from a workbook opened read-only."""

    def __init__(self, workbook):
        self.workbook = workbook
        sheet = workbook.worksheets[0]
        sheet.reset_dimensions()  # never trust the size the file declares
        self.rows = sheet.iter_rows(max_col=MAX_COLUMNS + 1, values_only=True)

    def __iter__(self):
        return self

    def __next__(self) -> list[str]:
        try:
            row = next(self.rows)
        except StopIteration:
            raise
        except Exception:  # openpyxl's parser raises many kinds on a malformed sheet
            raise UnreadableFile("This is not a readable Excel (.xlsx) file.") from None
        return [_cell_text(value) for value in row]


def _xlsx_rows(content: bytes) -> _SheetRows:
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            unzipped = sum(member.file_size for member in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError):
        raise UnreadableFile("This is not a readable Excel (.xlsx) file.") from None
    if unzipped > MAX_UNZIPPED:
        raise UnreadableFile(
            f"The workbook unzips to {unzipped / 1024 / 1024:,.0f} MB; the limit is "
            f"{MAX_UNZIPPED // 1024 // 1024} MB. Export fewer rows or save it as CSV."
        )
    # Imported here, when a workbook is read: openpyxl and the imaging library it brings are
    # 23 MB of each web worker's memory, and few requests import a spreadsheet.
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        return _SheetRows(workbook)
    except Exception:  # a zip that is not a workbook, or a workbook openpyxl cannot parse
        raise UnreadableFile("This is not a readable Excel (.xlsx) file.") from None


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, bool):
        return "Y" if value else "N"
    return str(value)

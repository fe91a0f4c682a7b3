"""Read a school MIS export, CSV or Excel, into a header row and text cells.

CSV may be UTF-8 (with or without a byte-order mark) or Windows-1252, as Excel saves it.
Excel dates become ISO dates and whole numbers lose their ".0", so every later step reads text.
"""

import csv
import datetime as dt
import io
import zipfile
from dataclasses import dataclass

from openpyxl import load_workbook

MAX_BYTES = 10 * 1024 * 1024
MAX_ROWS = 50_000


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
    while rows and not any(cell.strip() for cell in rows[-1]):
        rows.pop()  # trailing blank lines; blank rows inside keep their numbers
    if not rows:
        raise UnreadableFile("The file has no rows.")
    if len(rows) - 1 > MAX_ROWS:
        raise UnreadableFile(f"The file has {len(rows) - 1:,} rows; the limit is {MAX_ROWS:,}.")
    headers = [cell.strip() for cell in rows[0]]
    width = len(headers)
    return Table(headers, [(row + [""] * width)[:width] for row in rows[1:]])


def _csv_rows(content: bytes) -> list[list[str]]:
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
    return [[cell.strip() for cell in row] for row in csv.reader(io.StringIO(text), dialect)]


def _xlsx_rows(content: bytes) -> list[list[str]]:
    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError):
        raise UnreadableFile("This is not a readable Excel (.xlsx) file.") from None
    sheet = workbook.worksheets[0]
    rows = [[_cell_text(value) for value in row] for row in sheet.iter_rows(values_only=True)]
    workbook.close()
    return rows


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
    return str(value).strip()

"""Figures for people outside the school's staff, and the files they take away.

The governors' version of a page names no pupil and withholds any figure that rests on fewer
than five pupils (`withheld`), as published school statistics do, so that no small group's
figure points to a child. The staff's version shows every figure.
"""

import csv
from fractions import Fraction

from django.http import HttpRequest, HttpResponse

from progress import pdf

FEWEST = 5  # the smallest group whose figures a governors' version shows
WITHHELD = "fewer than 5"


def withheld(count: int) -> bool:
    """Whether a count of pupils is too small to show governors: 1 to 4 (none is shown)."""
    return 0 < count < FEWEST


def count_text(count: int, *, governors: bool) -> str:
    return WITHHELD if governors and withheld(count) else str(count)


def percent(numerator: int, denominator: int) -> Fraction | None:
    return Fraction(100 * numerator, denominator) if denominator else None


def whole_percent(figure: Fraction | None) -> str:
    """A share as a whole per cent, rounded half up ("40%"); "–" for none."""
    if figure is None:
        return "–"
    return f"{int(figure + Fraction(1, 2))}%"


def share_text(count: int, total: int, *, governors: bool) -> str:
    """ "12 of 30 (40%)"; for governors, withheld when either count is 1 to 4."""
    if not total:
        return "no pupils"
    if governors and (withheld(count) or withheld(total)):
        return f"withheld: {WITHHELD} pupils"
    return f"{count} of {total} ({whole_percent(percent(count, total))})"


def suppressed(counts: dict) -> set:
    """The keys whose counts a governors' table withholds: every count from 1 to 4, and, when
    only one would be withheld from counts that add up to a total shown beside them, the next
    smallest too, so that it cannot be worked out by subtraction."""
    hidden = {key for key, count in counts.items() if withheld(count)}
    if len(hidden) == 1:
        others = sorted(
            (count, str(key)) for key, count in counts.items() if count and key not in hidden
        )
        if others:
            smallest = others[0][1]
            hidden |= {key for key in counts if str(key) == smallest}
    return hidden


def safe_cell(value) -> str:
    """A cell a spreadsheet shows as text, never runs as a formula (CSV injection)."""
    text = str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def csv_response(filename: str, sections: list[tuple[str, list[str], list[list]]]) -> HttpResponse:
    """A CSV file of `sections`, each a title, its header and its rows, a blank line between."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.write("\ufeff")  # so spreadsheets read UTF-8
    writer = csv.writer(response)
    for index, (title, header, rows) in enumerate(sections):
        if index:
            writer.writerow([])
        writer.writerow([safe_cell(title)])
        writer.writerow([safe_cell(cell) for cell in header])
        for row in rows:
            writer.writerow([safe_cell(cell) for cell in row])
    return response


def pdf_response(
    request: HttpRequest, template_name: str, context: dict, *, filename: str
) -> HttpResponse:
    return pdf.response(template_name, context, request=request, filename=filename)

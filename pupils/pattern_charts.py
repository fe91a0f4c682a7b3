"""The school patterns drawn: geometry for inline SVG, as `pupils/charts.py` draws a pupil's, and
each picture's figures in words for its title and description. One drawing serves the page and
the printed page; the governors' version leaves out what `reports.withheld` keeps from them.

Colours are written on the shapes, not taken from the page's style sheet, so that the PDF draws
them too. Each colour bin is said in words in the table beside the picture, never by colour alone,
and every text keeps 4.5:1 contrast on its fill.
"""

import math
from dataclasses import dataclass, field
from fractions import Fraction

from pupils import reports
from pupils.facts import WEEKDAYS
from pupils.school_patterns import (
    GROUPS,
    STANDINGS,
    AttainmentPicture,
    AttendancePicture,
    BehaviourPicture,
    GroupsPicture,
)

INK, MUTED, GRID, BLANK = "#212529", "#495057", "#adb5bd", "#ffffff"
WITHHELD_FILL = "#e9ecef"


@dataclass
class Rect:
    x: float
    y: float
    width: float
    height: float
    fill: str
    stroke: str = GRID
    dashed: bool = False


@dataclass
class Circle:
    cx: float
    cy: float
    r: float
    fill: str
    stroke: str = "none"


@dataclass
class Text:
    x: float
    y: float
    text: str
    anchor: str = "start"  # SVG text-anchor
    fill: str = INK
    size: int = 11
    bold: bool = False


@dataclass
class Chart:
    width: int
    height: int
    title: str
    desc: str
    rects: list[Rect] = field(default_factory=list)
    circles: list[Circle] = field(default_factory=list)
    texts: list[Text] = field(default_factory=list)


@dataclass(frozen=True)
class Bin:
    """One colour of a heat map, with the words that say it and the ink that reads on it."""

    label: str
    fill: str
    ink: str = INK


# The share of possible sessions missed: nationally about 5% in primary and 8% in secondary.
ABSENCE_BINS = [
    (Fraction(4), Bin("under 4%", "#feedde")),
    (Fraction(6), Bin("4% to under 6%", "#fdbe85")),
    (Fraction(8), Bin("6% to under 8%", "#fd8d3c")),
    (Fraction(10), Bin("8% to under 10%", "#d94801")),
    (None, Bin("10% or more", "#8c2d04", "#ffffff")),
]
# Incidents in a cell, as a share of the busiest cell's.
BEHAVIOUR_BINS = [
    (Fraction(1, 4), Bin("up to a quarter of the busiest", "#f2f0f7")),
    (Fraction(1, 2), Bin("up to half", "#cbc9e2")),
    (Fraction(3, 4), Bin("up to three quarters", "#9e9ac8")),
    (None, Bin("more than three quarters", "#6a51a3", "#ffffff")),
]
BUBBLE, BUBBLE_EDGE = "#9ec5fe", "#0a58ca"
COASTING, CATCHING_UP = "#995c00", "#146c43"
GROUP_COLOURS = {"disadvantaged": "#8f5300", "send": "#0a58ca", "others": "#6c757d"}


def absence_bin(rate: Fraction) -> Bin:
    return next(b for edge, b in ABSENCE_BINS if edge is None or rate < edge)


def behaviour_bin(share: Fraction) -> Bin:
    return next(b for edge, b in BEHAVIOUR_BINS if edge is None or share <= edge)


def one_place(rate: Fraction) -> str:
    """A rate to one decimal place, rounded half up: "5.2%"."""
    return f"{math.floor(rate * 10 + Fraction(1, 2)) / 10:.1f}%"


# 1. Attainment against progress ---------------------------------------------------------------

LEFT, COLUMN, ROW, TOP = 150, 110, 56, 8


def attainment_chart(picture: AttainmentPicture, *, scope: str, governors: bool = False) -> Chart:
    """A grid of attainment now (rows) against progress (columns), a bubble in each cell whose
    area is its pupils; inside it, the coasting (amber) or catching-up (green) share."""
    labels = picture.progress_labels
    counts = {
        (standing, progress): picture.cell(standing, progress).count
        for standing in STANDINGS
        for progress in labels
    }
    hidden = reports.suppressed(counts) if governors else set()
    most = max([count for key, count in counts.items() if key not in hidden] or [0]) or 1
    chart = Chart(
        width=LEFT + 4 * COLUMN + 10,
        height=TOP + 4 * ROW + 40,
        title=f"{scope}, {picture.subject.lower() or 'no subject'}: attainment now against "
        "progress since the last assessment point",
        desc=attainment_words(picture, hidden=hidden, governors=governors),
    )
    biggest = min(COLUMN, ROW) / 2 - 4
    for row, (standing, standing_label) in enumerate(STANDINGS.items()):
        y = TOP + row * ROW
        chart.texts.append(Text(LEFT - 8, y + ROW / 2 + 4, standing_label, anchor="end"))
        for column, progress in enumerate(labels):
            x = LEFT + column * COLUMN
            chart.rects.append(Rect(x, y, COLUMN, ROW, BLANK))
            cell = picture.cell(standing, progress)
            if (standing, progress) in hidden:
                chart.texts.append(Text(x + 6, y + 15, reports.WITHHELD, fill=MUTED, size=10))
                continue
            if not cell.count:
                continue
            radius = max(3.0, biggest * math.sqrt(cell.count / most))
            cx, cy = x + COLUMN / 2 + 10, y + ROW / 2
            chart.circles.append(Circle(cx, cy, radius, BUBBLE, BUBBLE_EDGE))
            for part, colour in (
                (cell.pupils & picture.coasting.pupils, COASTING),
                (cell.pupils & picture.catching_up.pupils, CATCHING_UP),
            ):
                if part and not (governors and reports.withheld(len(part))):
                    inner = max(2.0, radius * math.sqrt(len(part) / cell.count))
                    chart.circles.append(Circle(cx, cy, inner, colour))
            chart.texts.append(Text(x + 6, y + 15, str(cell.count), bold=True))
    for column, label in enumerate(labels.values()):
        x = LEFT + column * COLUMN + COLUMN / 2
        main, _, detail = label.partition(" (")
        chart.texts.append(Text(x, TOP + 4 * ROW + 16, main, anchor="middle"))
        if detail:
            chart.texts.append(
                Text(x, TOP + 4 * ROW + 30, f"({detail}", anchor="middle", fill=MUTED, size=10)
            )
    return chart


def attainment_words(picture: AttainmentPicture, *, hidden=frozenset(), governors=False) -> str:
    labels = picture.progress_labels
    if not picture.compared:
        return f"No pupil has been assessed twice in {picture.subject or 'any subject'} yet."
    parts = [f"{picture.compared} pupils assessed at least twice."]
    for standing, standing_label in STANDINGS.items():
        cells = [
            f"{labels[progress].lower()} "
            + (
                reports.WITHHELD
                if (standing, progress) in hidden
                else str(picture.cell(standing, progress).count)
            )
            for progress in labels
        ]
        parts.append(f"{standing_label}: {', '.join(cells)}.")
    parts.append(
        f"Coasting {reports.count_text(picture.coasting.count, governors=governors)}, "
        f"catching up {reports.count_text(picture.catching_up.count, governors=governors)}."
    )
    return " ".join(parts)


# 2. and 3. Heat maps --------------------------------------------------------------------------

HEAT_LEFT, HEAT_COLUMN, HEAT_ROW, HEAT_TOP = 200, 76, 30, 22  # a lesson takes 30 characters


def _heat_frame(chart: Chart, rows: list[str]) -> None:
    for index, name in enumerate(WEEKDAYS.values()):
        chart.texts.append(
            Text(HEAT_LEFT + index * HEAT_COLUMN + HEAT_COLUMN / 2, 14, name, anchor="middle")
        )
    for index, label in enumerate(rows):
        y = HEAT_TOP + index * HEAT_ROW + HEAT_ROW / 2 + 4
        chart.texts.append(Text(HEAT_LEFT - 8, y, label, anchor="end"))


def _heat_cell(chart: Chart, row: int, column: int, text: str, b: Bin | None) -> None:
    x, y = HEAT_LEFT + column * HEAT_COLUMN, HEAT_TOP + row * HEAT_ROW
    fill = b.fill if b else WITHHELD_FILL if text == "<5" else BLANK
    chart.rects.append(Rect(x, y, HEAT_COLUMN, HEAT_ROW, fill, MUTED))
    ink = b.ink if b else MUTED
    chart.texts.append(Text(x + HEAT_COLUMN / 2, y + HEAT_ROW / 2 + 4, text, "middle", ink))


def _heat_chart(rows: list[str], title: str, desc: str) -> Chart:
    return Chart(
        width=HEAT_LEFT + 5 * HEAT_COLUMN + 6,
        height=HEAT_TOP + max(len(rows), 1) * HEAT_ROW + 6,
        title=title,
        desc=desc,
    )


def half_term_label(half_term) -> str:
    return f"{half_term.name} {half_term.academic_year.name}"


def attendance_chart(picture: AttendancePicture, *, scope: str, governors: bool = False) -> Chart:
    """Half-terms (rows) by weekday (columns), each cell the share of sessions missed."""
    rows = [half_term_label(h) for h in picture.half_terms]
    words = []
    for half_term, label in zip(picture.half_terms, rows, strict=True):
        days = [
            f"{name} {attendance_cell_text(picture.cell(half_term, day), governors=governors)}"
            for day, name in WEEKDAYS.items()
        ]
        words.append(f"{label}: {', '.join(days)}.")
    chart = _heat_chart(
        rows,
        f"{scope}: the share of sessions missed, by weekday and half-term",
        " ".join(words) or "No register marks yet.",
    )
    _heat_frame(chart, rows)
    for row, half_term in enumerate(picture.half_terms):
        for column, day in enumerate(WEEKDAYS):
            cell = picture.cell(half_term, day)
            text = attendance_cell_text(cell, governors=governors, short=True)
            shown = cell.rate is not None and not (governors and reports.withheld(cell.pupils))
            _heat_cell(chart, row, column, text, absence_bin(cell.rate) if shown else None)
    return chart


def attendance_cell_text(cell, *, governors: bool, short: bool = False) -> str:
    if cell.rate is None:
        return "–" if short else "no sessions"
    if governors and reports.withheld(cell.pupils):
        return "<5" if short else f"withheld: {reports.WITHHELD} pupils"
    return one_place(cell.rate)


def behaviour_chart(picture: BehaviourPicture, *, scope: str, governors: bool = False) -> Chart:
    """Where in the day (rows) by weekday (columns), each cell the incidents in it."""
    rows = list(picture.rows.values())
    busiest = picture.busiest or 1
    words = []
    for key, label in picture.rows.items():
        days = [
            f"{name} {behaviour_cell_text(picture.cell(key, day), governors=governors)}"
            for day, name in WEEKDAYS.items()
        ]
        words.append(f"{label}: {', '.join(days)}.")
    chart = _heat_chart(
        rows,
        f"{scope}: behaviour incidents by lesson and time of day, and weekday",
        " ".join(words) or "No behaviour incidents recorded.",
    )
    _heat_frame(chart, rows)
    for row, key in enumerate(picture.rows):
        for column, day in enumerate(WEEKDAYS):
            cell = picture.cell(key, day)
            text = behaviour_cell_text(cell, governors=governors, short=True)
            hidden = governors and reports.withheld(len(cell.pupils))
            shown = cell.incidents and not hidden
            b = behaviour_bin(Fraction(cell.incidents, busiest)) if shown else None
            _heat_cell(chart, row, column, text, b)
    return chart


def behaviour_cell_text(cell, *, governors: bool, short: bool = False) -> str:
    if not cell.incidents:
        return "0"
    if governors and reports.withheld(len(cell.pupils)):
        return "<5" if short else f"withheld: {reports.WITHHELD} pupils"
    if short:
        return str(cell.incidents)
    pupils = len(cell.pupils)
    return f"{cell.incidents} ({pupils} pupil{'s' if pupils != 1 else ''})"


# 4. Groups against each other -----------------------------------------------------------------

BAR_LEFT, BAR_WIDTH, BAR_HEIGHT, BAR_GAP, BLOCK_TITLE = 120, 300, 14, 4, 20


def groups_chart(picture: GroupsPicture, *, scope: str, governors: bool = False) -> Chart:
    """For each measure, a bar for each group: the share of its pupils who meet it."""
    block = BLOCK_TITLE + len(GROUPS) * (BAR_HEIGHT + BAR_GAP) + 12
    words = []
    chart = Chart(
        width=BAR_LEFT + BAR_WIDTH + 170,
        height=len(picture.measures) * block + 4,
        title=f"{scope}: disadvantaged and SEND pupils against other pupils on each measure",
        desc="",
    )
    for index, measure in enumerate(picture.measures):
        top = index * block
        better = "higher is better" if measure.better == "higher" else "lower is better"
        chart.texts.append(Text(0, top + 14, f"{measure.label} ({better})", bold=True))
        said = []
        for row, (group, label) in enumerate(GROUPS.items()):
            share = picture.share(measure.key, group)
            y = top + BLOCK_TITLE + row * (BAR_HEIGHT + BAR_GAP)
            text = reports.share_text(share.count, share.total, governors=governors)
            said.append(f"{label} {text}")
            chart.texts.append(
                Text(BAR_LEFT - 6, y + BAR_HEIGHT - 3, label.split(" (")[0], anchor="end")
            )
            chart.rects.append(Rect(BAR_LEFT, y, BAR_WIDTH, BAR_HEIGHT, BLANK, GRID))
            hidden = governors and (reports.withheld(share.count) or reports.withheld(share.total))
            if share.percent is not None and not hidden:
                width = float(BAR_WIDTH * share.percent / 100)
                if width:
                    colour = GROUP_COLOURS[group]
                    chart.rects.append(Rect(BAR_LEFT, y, width, BAR_HEIGHT, colour, colour))
            short = text.replace("withheld: fewer than 5 pupils", "withheld (fewer than 5)")
            chart.texts.append(Text(BAR_LEFT + BAR_WIDTH + 6, y + BAR_HEIGHT - 3, short, size=10))
        words.append(f"{measure.label}: {'; '.join(said)}.")
    chart.desc = " ".join(words)
    return chart

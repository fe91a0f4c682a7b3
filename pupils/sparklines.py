"""Sparklines: small pictures of one pupil's data where decisions about them are made (the live
screen, the review of an action, the meeting pack), each beside the figures it draws.

They draw the plain values a snapshot keeps (`charts.weekday_counts`, `charts.trend_figures`),
so a kept summary's pictures are of the data its teacher saw, and the numbers are the profile's.
Colours are written on the shapes, in black and grey, so that the PDF draws them and they print
alike: every shape keeps 3:1 against white and every text 4.5:1. Each picture is named by its
figures in words (`label`), for screen readers.
"""

from dataclasses import dataclass, field

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from pupils.facts import WEEKDAYS

INK = "#212529"  # 15.4:1 on white
MUTED = "#6c757d"  # 4.7:1 on white

TREND_WIDTH, TREND_HEIGHT, TREND_PAD = 120, 28, 4
TREND_POINTS = 6  # two school years of three assessment points
# Absences by weekday as a line of text: each day a letter, a bar and a count, in 34 units.
WEEKDAY_SLOT, WEEKDAYS_HEIGHT, BASELINE, BAR_HEIGHT, TEXT_Y = 34, 14, 12.5, 11, 11.5
DAY_LETTERS = ("M", "T", "W", "T", "F")


@dataclass
class Bar:
    x: float
    y: float
    width: float
    height: float
    fill: str


@dataclass
class Text:
    x: float
    y: float
    text: str
    fill: str = INK


@dataclass
class Sparkline:
    kind: str  # "trend" or "weekdays": the style sheets size each kind
    width: int
    height: int
    label: str
    line: str = ""  # a polyline's points
    dots: list[tuple[float, float]] = field(default_factory=list)
    expected_y: float | None = None
    bars: list[Bar] = field(default_factory=list)
    texts: list[Text] = field(default_factory=list)
    ink: str = INK  # the line, its dots
    muted: str = MUTED  # the expected standard

    def svg(self) -> SafeString:
        """The picture as SVG markup, named by its figures in words. Drawn here rather than by a
        template: a review page draws dozens, and a template's per-figure rendering made them
        most of its time."""
        shapes = []
        if self.expected_y is not None:
            shapes.append(
                f'<line x1="0" x2="{self.width}" y1="{_n(self.expected_y)}" '
                f'y2="{_n(self.expected_y)}" stroke="{self.muted}" stroke-width="1" '
                'stroke-dasharray="3 2" />'
            )
        shapes += [
            f'<rect x="{_n(b.x)}" y="{_n(b.y)}" width="{_n(b.width)}" height="{_n(b.height)}" '
            f'fill="{b.fill}" />'
            for b in self.bars
        ]
        if self.line:
            shapes.append(
                f'<polyline points="{escape(self.line)}" fill="none" stroke="{self.ink}" '
                'stroke-width="1.5" stroke-linejoin="round" />'
            )
        shapes += [
            f'<circle cx="{_n(x)}" cy="{_n(y)}" r="{3 if i == len(self.dots) - 1 else 2}" '
            f'fill="{self.ink}" />'
            for i, (x, y) in enumerate(self.dots)
        ]
        shapes += [
            f'<text x="{_n(t.x)}" y="{_n(t.y)}" fill="{t.fill}">{escape(t.text)}</text>'
            for t in self.texts
        ]
        # Safe: every value is a number, one of our colours, or escaped.
        return mark_safe(
            f'<svg class="sparkline sparkline-{self.kind}" viewBox="0 0 {self.width} '
            f'{self.height}" width="{self.width}" height="{self.height}" role="img" '
            f'aria-label="{escape(self.label)}" font-family="DejaVu Sans, Arial, sans-serif" '
            f'font-size="9">{"".join(shapes)}</svg>'
        )


def _n(number: float) -> str:
    """A coordinate as SVG writes it: 10.5, 12 (not 12.0), never 8.799999999999999."""
    return f"{round(number, 2):g}"


def trend(subject: str, figures: dict | None) -> Sparkline | None:
    """A subject's last results as a line, oldest first, against the expected standard (dashed):
    "Maths: EXS, EXS, WTS". None for fewer than two results, which make no trend."""
    if not figures or len(figures["positions"]) < 2:
        return None
    codes = figures["codes"][-TREND_POINTS:]
    positions = figures["positions"][-TREND_POINTS:]
    expected = figures["expected"]
    low, high = min([*positions, expected]) - 0.5, max([*positions, expected]) + 0.5
    step_x = (TREND_WIDTH - 2 * TREND_PAD) / (len(positions) - 1)

    def y(position: float) -> float:
        return round(
            TREND_PAD + (TREND_HEIGHT - 2 * TREND_PAD) * (high - position) / (high - low), 1
        )

    dots = [(round(TREND_PAD + i * step_x, 1), y(p)) for i, p in enumerate(positions)]
    shown = "" if len(figures["positions"]) <= TREND_POINTS else f", last {len(codes)} results"
    return Sparkline(
        kind="trend",
        width=TREND_WIDTH,
        height=TREND_HEIGHT,
        label=f"{subject}{shown}: {', '.join(codes)}",
        line=" ".join(f"{x},{y_}" for x, y_ in dots),
        dots=dots,
        expected_y=y(expected),
    )


def weekdays(counts: list[int] | None) -> Sparkline | None:
    """Absence sessions on each weekday this year, in one line of text's height: each day's
    letter, its bar and its count, the most (the day or days a pattern would fall on) in ink."""
    if not counts or not any(counts):
        return None
    most = max(counts)
    bars, texts = [], []
    for i, (count, day) in enumerate(zip(counts, DAY_LETTERS, strict=True)):
        left = i * WEEKDAY_SLOT
        height = round(BAR_HEIGHT * count / most, 1)
        fill = INK if count == most else MUTED
        bars += [
            Bar(x=left + 10.5, y=BASELINE - height, width=6, height=height, fill=fill),
            Bar(x=left + 9.5, y=BASELINE, width=8, height=1, fill=MUTED),  # its floor, even at 0
        ]
        texts += [Text(x=left, y=TEXT_Y, text=day), Text(x=left + 18.5, y=TEXT_Y, text=str(count))]
    said = ", ".join(
        f"{name} {count}" for name, count in zip(WEEKDAYS.values(), counts, strict=True)
    )
    return Sparkline(
        kind="weekdays",
        width=5 * WEEKDAY_SLOT,
        height=WEEKDAYS_HEIGHT,
        label=f"Absence sessions by weekday this year: {said}",
        bars=bars,
        texts=texts,
    )

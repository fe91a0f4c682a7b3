"""Small server-rendered charts: the geometry for inline SVG, with the figures kept beside it
so each chart also reads as text (its `label`) for screen readers and print."""

import datetime as dt
from collections import Counter
from dataclasses import dataclass

from pupils.attendance import PERSISTENT_OR_SEVERE
from pupils.facts import WEEKDAYS, Attendance, Subject

WIDTH, HEIGHT, PAD = 240, 64, 6


@dataclass
class Bar:
    x: float
    y: float
    width: float
    height: float
    label: str
    value: str
    alert: bool = False


def weekday_counts(attendance: Attendance | None) -> list[int] | None:
    """Absence sessions on each weekday, Monday to Friday, as the profile's chart and the
    sparklines draw them; None when there are none to draw (totals from period summaries say
    nothing about weekdays)."""
    if attendance is None:
        return None
    counts = [attendance.absences_by_weekday.get(day, 0) for day in WEEKDAYS]
    return counts if any(counts) else None


def weekday_bars(attendance: Attendance | None) -> dict | None:
    """Absence sessions by weekday, Monday to Friday."""
    counts = weekday_counts(attendance)
    if counts is None:
        return None
    most = max(counts)
    slot = WIDTH / 5
    bars = [
        Bar(
            x=i * slot + 8,
            y=HEIGHT - (HEIGHT - 14) * count / most,
            width=slot - 16,
            height=(HEIGHT - 14) * count / most,
            label=name[:3],
            value=str(count),
            alert=count == most,
        )
        for i, (name, count) in enumerate(zip(WEEKDAYS.values(), counts, strict=True))
    ]
    text = ", ".join(
        f"{name} {count}" for name, count in zip(WEEKDAYS.values(), counts, strict=True)
    )
    return {"bars": bars, "label": f"Absence sessions by weekday: {text}"}


def half_term_bars(rows: list, *, minimum: int) -> dict | None:
    """Attendance % per half-term; persistent absence (at or below 90%, exactly) stands out once
    a half-term has had `minimum` sessions, and one with fewer says so."""
    shown = [
        (half_term, figures)
        for half_term, figures in rows
        if figures and figures.percent is not None
    ]
    if not shown:
        return None
    low = 70.0
    slot = WIDTH / len(shown)
    bars = []
    for i, (half_term, figures) in enumerate(shown):
        percent = float(figures.percent)
        height = (HEIGHT - 14) * max(percent - low, 1) / (100 - low)
        bars.append(
            Bar(
                x=i * slot + 4,
                y=HEIGHT - height,
                width=slot - 8,
                height=height,
                label=f"{half_term.name[:2]}{half_term.name[-1]}",
                value=f"{figures.percent}%",
                alert=figures.possible >= minimum and figures.band in PERSISTENT_OR_SEVERE,
            )
        )
    text = ", ".join(
        f"{half_term.name} {half_term.academic_year.name} {figures.percent}%"
        + (
            f" (only {figures.possible} of {minimum} sessions yet)"
            if figures.possible < minimum
            else ""
        )
        for half_term, figures in shown
    )
    line_90 = HEIGHT - (HEIGHT - 14) * (90 - low) / (100 - low)
    return {"bars": bars, "label": f"Attendance by half-term: {text}", "line_90": line_90}


def attainment_line(subject: Subject) -> dict:
    """The subject's positions over time, with the expected standard as a dashed line."""
    positions = [point.position for point in subject.points]
    expected = subject.expected_position
    low, high = min([*positions, expected]) - 1, max([*positions, expected]) + 1
    step_x = (WIDTH - 2 * PAD) / max(len(positions) - 1, 1)

    def y(position: float) -> float:
        return PAD + (HEIGHT - 2 * PAD) * (high - position) / (high - low)

    points = [(PAD + i * step_x, y(position)) for i, position in enumerate(positions)]
    text = ", ".join(f"{point.name} {point.code}" for point in subject.points)
    return {
        "path": " ".join(f"{x:.1f},{y_:.1f}" for x, y_ in points),
        "dots": points,
        "expected_y": y(expected),
        "label": f"{subject.name}: {text}; expected standard shown dashed",
    }


def trend_figures(subject: Subject) -> dict:
    """A subject's results over time as plain values a snapshot keeps, for its sparkline: each
    result's code and position on the scale (as `attainment_line` places them), oldest first,
    and the expected standard's position."""
    return {
        "codes": [point.code for point in subject.points],
        "positions": [point.position for point in subject.points],
        "expected": subject.expected_position,
    }


def behaviour_summary(incidents: list, today: dt.date, *, since: dt.date, weeks: int) -> dict:
    """Counts for the last `weeks` weeks against the as many before, as the shortlist counts
    them (across the start of a school year), and this school year's incidents (from `since`):
    how many, and where they happen."""
    days = 7 * weeks
    recent = sum(1 for i in incidents if (today - i.date).days < days)
    earlier = sum(1 for i in incidents if days <= (today - i.date).days < 2 * days)
    incidents = [i for i in incidents if i.date >= since]
    lessons = Counter(i.lesson or "Unrecorded" for i in incidents).most_common(4)
    subjects = Counter(i.subject for i in incidents if i.subject).most_common(3)
    kinds = Counter(i.kind for i in incidents).most_common(3)
    weekdays = Counter(WEEKDAYS.get(i.date.isoweekday(), "Weekend") for i in incidents).most_common(
        2
    )
    return {
        "total": len(incidents),
        "weeks": weeks,
        "recent": recent,
        "earlier": earlier,
        "removed": sum(1 for i in incidents if i.removed_from_lesson),
        "lessons": lessons,
        "subjects": subjects,
        "kinds": kinds,
        "weekdays": weekdays,
    }

"""Sparklines in templates: `{% sparkline row|trend_sparkline %}` draws a subject's results over
time from a summary's or a review's data, `{% sparkline data.weekday_absences|weekday_sparkline %}`
its absences by weekday, and `{% sparkline chart %}` one already drawn (`pupils/sparklines.py`)."""

from django import template

from pupils import sparklines

register = template.Library()


@register.filter
def trend_sparkline(row: dict) -> sparklines.Sparkline | None:
    """The trend of one attainment row of a pupil's data (a kept one may have none)."""
    return sparklines.trend(row.get("subject", ""), row.get("over_time"))


@register.filter
def weekday_sparkline(counts: list[int] | None) -> sparklines.Sparkline | None:
    return sparklines.weekdays(counts)


@register.simple_tag
def sparkline(chart: sparklines.Sparkline | None) -> str:
    """The picture's SVG (`Sparkline.svg`); nothing when there is nothing to draw."""
    return chart.svg() if chart else ""

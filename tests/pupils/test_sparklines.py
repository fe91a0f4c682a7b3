"""The sparklines draw a pupil's data as the profile's charts count it: absences by weekday this
year and each subject's results over time, named by their figures in words."""

import pytest
from django.template import Context, Template
from django.urls import reverse

from progress.models import Role
from pupils import sparklines
from pupils.snapshot import pupil_data
from tests.factories import AcademicYearFactory, UserFactory, pupil_with_a_pattern

pytestmark = pytest.mark.django_db

WEEKDAY_COUNTS = [4, 0, 1, 0, 3]
WEEKDAYS_SAID = (
    "Absence sessions by weekday this year: Monday 4, Tuesday 0, Wednesday 1, Thursday 0, Friday 3"
)


@pytest.fixture
def pupil(today):
    year = AcademicYearFactory(start_year=2026)
    return pupil_with_a_pattern(year.school, year)


class TestTheProfilesFigures:
    def test_the_weekdays_are_the_profiles_counted_alike(self, client, pupil, today):
        client.force_login(UserFactory(school=pupil.school, roles=[Role.SENIOR_LEADER]))
        profile = client.get(reverse("pupils:pupil_detail", args=[pupil.pk])).context["weekdays"]

        data = pupil_data(pupil=pupil, on=today)

        assert [int(bar.value) for bar in profile["bars"]] == WEEKDAY_COUNTS
        assert data["weekday_absences"] == WEEKDAY_COUNTS
        assert sparklines.weekdays(data["weekday_absences"]).label == WEEKDAYS_SAID

    def test_the_trend_is_the_profiles_results_in_order(self, client, pupil, today):
        client.force_login(UserFactory(school=pupil.school, roles=[Role.SENIOR_LEADER]))
        (subject, chart), *_ = client.get(reverse("pupils:pupil_detail", args=[pupil.pk])).context[
            "subjects"
        ]

        row = pupil_data(pupil=pupil, on=today)["attainment"][0]
        line = sparklines.trend(row["subject"], row["over_time"])

        assert [point.code for point in subject.points] == ["EXS", "EXS", "WTS"]
        assert chart["label"].startswith("Maths: Point 0 EXS, Point 1 EXS, Point 2 WTS")
        assert line.label == "Maths: EXS, EXS, WTS"
        (x1, y1), (x2, y2), (x3, y3) = line.dots
        assert x1 < x2 < x3
        assert y1 == y2 == line.expected_y < y3  # held the expected standard, then a step down


class TestTrend:
    def test_one_result_makes_no_trend(self):
        assert (
            sparklines.trend("Maths", {"codes": ["EXS"], "positions": [2], "expected": 2}) is None
        )
        assert sparklines.trend("Maths", None) is None  # a summary kept before pictures

    def test_it_draws_the_last_six_results_and_says_so(self):
        codes = ["PKS", "WTS", "WTS", "EXS", "EXS", "GDS", "EXS", "WTS"]
        positions = [0, 1, 1, 2, 2, 3, 2, 1]

        line = sparklines.trend("Writing", {"codes": codes, "positions": positions, "expected": 2})

        assert line.label == "Writing, last 6 results: WTS, EXS, EXS, GDS, EXS, WTS"
        assert len(line.dots) == 6
        assert all(0 <= y <= sparklines.TREND_HEIGHT for _, y in line.dots)

    def test_it_draws_in_ink_with_the_expected_standard_dashed(self):
        line = sparklines.trend(
            "Maths", {"codes": ["EXS", "WTS"], "positions": [2, 1], "expected": 2}
        )

        svg = line.svg()

        assert 'role="img"' in svg
        assert 'aria-label="Maths: EXS, WTS"' in svg
        assert 'stroke-dasharray="3 2"' in svg
        assert 'stroke="#212529"' in svg

    def test_the_template_tag_draws_the_same_and_nothing_for_no_picture(self):
        line = sparklines.trend(
            "Maths <b>", {"codes": ["EXS", "WTS"], "positions": [2, 1], "expected": 2}
        )
        template = "{% load sparklines %}{% sparkline chart %}"

        assert render_to_string_from(template, chart=line) == line.svg()
        assert 'aria-label="Maths &lt;b&gt;: EXS, WTS"' in line.svg()
        assert render_to_string_from(template, chart=None) == ""


def render_to_string_from(text: str, **context) -> str:
    return Template(text).render(Context(context))


class TestWeekdays:
    def test_no_absences_no_picture(self):
        assert sparklines.weekdays([0, 0, 0, 0, 0]) is None
        assert sparklines.weekdays(None) is None

    def test_the_most_absent_days_stand_out_in_ink_and_every_count_is_written(self):
        chart = sparklines.weekdays([4, 0, 1, 0, 4])

        bars = [bar for bar in chart.bars if bar.height > 1]  # not the floors
        texts = [text.text for text in chart.texts]

        assert [bar.fill for bar in bars] == [sparklines.INK, sparklines.MUTED, sparklines.INK]
        assert texts == ["M", "4", "T", "0", "W", "1", "T", "0", "F", "4"]
        assert chart.label.endswith("Monday 4, Tuesday 0, Wednesday 1, Thursday 0, Friday 4")

    def test_its_colours_keep_contrast_on_white(self):
        def luminance(colour: str) -> float:
            channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
            linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
            return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

        def contrast(colour: str) -> float:
            return 1.05 / (luminance(colour) + 0.05)

        assert contrast(sparklines.INK) >= 4.5  # text
        assert contrast(sparklines.MUTED) >= 4.5  # bars and the expected line: 3:1 is enough

import datetime as dt

import pytest

from meetings.agenda import build_agenda, item_minutes
from meetings.models import Meeting


@pytest.mark.parametrize(
    ("length", "items", "minutes"),
    [
        (45, 6, [4, 4, 3, 3, 3, 3]),
        (45, 4, [5, 5, 5, 5]),
        (30, 4, [4, 4, 3, 3]),
        (60, 8, [5, 5, 5, 4, 4, 4, 4, 4]),
        (45, 0, []),
    ],
)
def test_the_pupil_block_is_shared_and_adds_up(length, items, minutes):
    assert item_minutes(length=length, items=items) == minutes
    if items:
        assert sum(minutes) == {30: 14, 45: 20, 60: 35}[length]


def meeting(length: int) -> Meeting:
    return Meeting(date=dt.date(2026, 11, 30), starts_at=dt.time(15, 45), length=length)


@pytest.mark.parametrize(
    ("length", "sections"),
    [(30, [5, 5, 14, 3, 3]), (45, [5, 10, 20, 5, 5]), (60, [5, 10, 35, 5, 5])],
)
def test_each_length_has_its_own_structure(length, sections):
    agenda = build_agenda(meeting=meeting(length), items=[])

    assert [section.minutes for section in agenda.sections] == sections
    assert agenda.planned_minutes == length
    assert agenda.sections[0].name == "Purpose and review of previous actions"


def test_sections_start_one_after_another():
    agenda = build_agenda(meeting=meeting(45), items=["a", "b"])

    assert [f"{s.starts_at:%H:%M}" for s in agenda.sections] == [
        "15:45",
        "15:50",
        "16:00",
        "16:20",
        "16:25",
    ]
    assert agenda.sections[2].items == [("a", 10), ("b", 10)]
    assert agenda.warnings == []


def test_more_items_than_the_cap_is_warned_with_the_minutes_each_gets():
    agenda = build_agenda(meeting=meeting(30), items=list("abcdefgh"))

    assert agenda.warnings == [
        "8 items is more than the 4 a 30-minute meeting has room for: each gets about 1 minute.",
        "Some items get less than 2 minutes: fewer items, or a longer meeting.",
    ]

import pytest

from actions.quality import Draft, problems

DEFINED = {
    "monitor_who": "Mrs Walsh (attendance lead)",
    "monitor_what": "Monday and Friday attendance",
    "monitor_how_often": "every Friday",
    "monitor_where": "the attendance tracker",
    "monitor_trigger": "two absences in a fortnight: attendance plan meeting with parents",
}


@pytest.mark.parametrize(
    "text",
    [
        "monitor", "Monitor.", "monitor reading", "Monitor closely", "support", "Support with maths",
        "needs support", "Needs more support in reading", "intervention", "Intervention for phonics",
        "keep an eye on", "Keep an eye on him", "check in", "Check in with her regularly", "continue",
        "Continue as before", "discuss with parents", "Discuss with parents.", "speak to parents",
        "extra support", "encourage", "Encourage reading", "boost", "catch up", "work on fractions",
        "focus on attendance", "ongoing", "TBC", "reading", "", "   ",
    ],
)  # fmt: skip
def test_vague_actions_are_refused_with_a_way_to_make_them_specific(text):
    found = problems(Draft(text))

    assert len(found) == 1
    assert "for example" in found[0] or "empty" in found[0]


@pytest.mark.parametrize(
    "text",
    [
        "Reteach adding fractions with unlike denominators in a group of four, Tuesday and Thursday mornings for three weeks",
        "Phone home by Friday to agree a morning routine; follow-up call in two weeks",
        "Lexia reading for 20 minutes on Monday, Wednesday and Friday with Mrs Khan until half-term",
        "Pre-teach the vocabulary for each science unit on the Thursday before, with a word mat",
        "Seat at the front for maths and check the first two answers before independent work",
        "Continue Lexia three times a week with Mrs Khan until 12 December, then retest reading age",
        "Daily 10-minute phonics catch-up with the TA after lunch for four weeks",
        "Support in maths lessons from the TA three times a week, targeting column subtraction",
        "SENCO to observe a maths lesson by 4 December and advise on a support plan",
        "Attendance lead meets parents on Monday to agree an attendance plan with a two-week review",
    ],
)
def test_specific_actions_are_accepted(text):
    assert problems(Draft(text)) == []


def test_monitoring_is_refused_until_defined_and_says_what_is_missing():
    found = problems(
        Draft("Monitor Monday and Friday attendance", monitoring={"monitor_who": "Mrs Walsh"})
    )

    assert (
        "Still missing: what exactly, how often, where it is recorded, what triggers further action"
        in found[0]
    )


def test_monitoring_with_its_full_definition_is_an_action():
    assert problems(Draft("Monitor Monday and Friday attendance", monitoring=DEFINED)) == []


def test_the_monitoring_kind_needs_the_definition_whatever_the_words():
    assert problems(Draft("Weekly attendance check with the form tutor", kind="monitoring"))


def test_too_short_to_act_on():
    assert "too short to act on" in problems(Draft("Reteach fractions"))[0]


def test_a_school_can_add_its_own_vague_phrases():
    assert problems(Draft("Put on the rainbow programme", kind="classroom")) == []
    assert problems(
        Draft("Put on the rainbow programme"), extra_vague=("put on the rainbow programme",)
    )

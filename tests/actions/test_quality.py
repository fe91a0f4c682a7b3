"""The action-quality rules, on the wordings teachers and leaders really write."""

from pathlib import Path

import pytest

from actions.quality import Draft, barrier_problems, problems

WORDINGS = [
    tuple(line.split("\t"))
    for line in (Path(__file__).parent / "wordings.tsv").read_text().splitlines()
    if line and not line.startswith("#")
]
DEFINED = {
    "monitor_who": "Mrs Walsh (attendance lead)",
    "monitor_what": "Monday and Friday attendance",
    "monitor_how_often": "every Friday",
    "monitor_where": "the attendance tracker",
    "monitor_trigger": "two absences in a fortnight: attendance plan meeting with parents",
}


def test_the_table_is_large_and_mixed():
    verdicts = [verdict for verdict, _ in WORDINGS]
    assert len(WORDINGS) >= 100
    assert verdicts.count("VAGUE") >= 100
    assert verdicts.count("SPECIFIC") >= 100
    assert len({text for _, text in WORDINGS}) == len(WORDINGS)


def test_the_readme_counts_the_table_as_it_is():
    readme = " ".join((Path(__file__).parents[2] / "README.md").read_text().split())
    verdicts = [verdict for verdict, _ in WORDINGS]

    assert f"holds {len(WORDINGS):,} action wordings" in readme
    assert (
        f"{verdicts.count('VAGUE'):,} marked vague and {verdicts.count('SPECIFIC'):,} specific"
        in readme
    )


@pytest.mark.parametrize(("verdict", "text"), WORDINGS, ids=[t[:50] for _, t in WORDINGS])
def test_each_wording_is_judged_as_a_school_would(verdict, text):
    found = problems(Draft(text))

    if verdict == "VAGUE":
        assert len(found) == 1
    else:
        assert found == []


@pytest.mark.parametrize(
    ("weak", "better"),
    [
        (
            "She needs intervention. We'll monitor her.",
            "For three weeks the class teacher gives a paragraph scaffold in independent writing "
            "and the teaching assistant rehearses the sentence orally first; review two "
            "independent writing samples at the end of the month.",
        ),
        (
            "Needs extra support.",
            "Before any intervention the attendance lead contacts home, the class teacher sets a "
            "short catch-up task on the missed prerequisite, and the form tutor checks attendance "
            "patterns over two weeks.",
        ),
        (
            "Put them into intervention.",
            "The teacher reteaches variables and fair testing with a worked example and a "
            "practical scenario next lesson, then a five-question check two days later.",
        ),
    ],
)
def test_the_guidances_weak_examples_are_refused_and_its_better_ones_accepted(weak, better):
    assert problems(Draft(weak, kind="intervention")) == [
        "Say what will be done, not the kind of help. For example \u201cLexia for 20 minutes on "
        "Monday, Wednesday and Friday with Mrs Khan for six weeks; reading age retested at the "
        "end\u201d."
    ]
    assert problems(Draft(better, kind="classroom")) == []


@pytest.mark.parametrize(
    ("text", "missing"),
    [
        ("1:1 support twice a week", "Say what will be done, not the kind of help."),
        ("offer more help with spelling", "Say what will be done, not the kind of help."),
        ("SLT to look at it", "Say what will be done, not the kind of help."),
        ("Reteach fractions with a worked example", "Say when or how often."),
        ("phone home about attendance when needed", "Say when or how often."),
        ("Reteach column subtraction next lesson; monitor", "Say what will be done, not the kind"),
        ("", "Say what will be done."),
    ],
)
def test_a_refusal_says_in_one_sentence_what_is_missing_with_one_example(text, missing):
    found = problems(Draft(text, kind="reteach"))

    assert len(found) == 1
    assert found[0].startswith(missing)
    assert found[0].count("For example") == 1
    assert "Reteach equivalent fractions" in found[0]  # the example fits the kind chosen


def test_each_sentence_is_judged_so_a_vague_one_is_not_carried():
    specific = "Reteach column subtraction with a worked example next lesson"

    assert problems(Draft(specific)) == []
    assert problems(Draft(f"{specific}. Keep an eye on him."))
    assert problems(Draft(f"Needs support. {specific}."))


def test_a_label_saying_what_is_not_being_done_is_no_label():
    assert problems(Draft("rather than more support, CT gives her a checklist every lesson")) == []
    assert problems(Draft("no intervention yet: CT phones home on Friday about the lates")) == []


class TestMonitoring:
    def test_monitoring_needs_its_five_parts(self):
        found = problems(Draft("Monitor Monday attendance", kind="monitoring", monitoring={}))

        assert found[0].startswith(
            "Monitoring needs all five parts: still missing who monitors, what exactly, how "
            "often, where it is recorded, what triggers further action."
        )

    def test_defined_monitoring_is_an_action(self):
        assert problems(Draft("Monitor attendance", kind="monitoring", monitoring=DEFINED)) == []

    def test_monitoring_under_another_kind_is_a_label(self):
        assert problems(Draft("monitor attendance weekly", kind="attendance", monitoring=DEFINED))


def test_a_school_adds_its_own_phrases():
    assert problems(Draft("Homework club every Tuesday")) == []

    found = problems(Draft("Homework club every Tuesday"), extra_vague=("Homework club",))

    assert found[0].startswith(
        "\u201chomework club\u201d is on your school's list of phrases that say too little."
    )


@pytest.mark.parametrize(
    "barrier",
    [
        "behaviour is poor", "needs support", "low ability", "lazy", "not bothered",
        "poor attendance", "struggling in maths", "weak at writing", "Attitude to learning",
        "can't be bothered with homework", "poor teaching in year 5", "",
    ],
)  # fmt: skip
def test_a_vague_or_blaming_barrier_is_refused_with_the_question(barrier):
    found = barrier_problems(barrier)

    assert len(found) == 1
    assert "What is stopping progress, specifically?" in found[0]


@pytest.mark.parametrize(
    "barrier",
    [
        "Misses Mondays and Fridays; no reason given at home.",
        "Adding fractions with unlike denominators was taught on the Mondays he missed.",
        "Reads accurately but slowly: runs out of time on every paper.",
        "ideas strong orally, written work short and poorly structured: planning and sentence "
        "construction",
        "eight pupils missed the same questions on variables and fair testing",
        "Anxious about tests; freezes on the first hard question.",
        "gaps in place value from the missed autumn unit",
    ],
)
def test_a_barrier_that_says_what_is_in_the_way_is_accepted(barrier):
    assert barrier_problems(barrier) == []

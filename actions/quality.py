"""What makes an action worth writing down: the rules, kept pure so they can be read and tested.

An action is refused when it is only a vague verb ("monitor", "support", "needs support",
"intervention", "keep an eye on", "check in", "continue", "discuss with parents"), with a
message that shows how to make it specific. Monitoring is allowed only when it is defined: who
monitors, what exactly, how often, where it is recorded, and what triggers further action.
A school can add its own vague phrases (`extra_vague`).
"""

import re
from dataclasses import dataclass

VAGUE = (
    "monitor", "monitoring", "support", "supported", "needs support", "need support",
    "more support", "extra support", "additional support", "intervention", "interventions",
    "keep an eye on", "keep an eye", "check", "check in", "check in with", "checkin", "continue",
    "carry on", "discuss with parents", "discuss with parent", "speak to parents",
    "talk to parents", "contact parents", "inform parents", "observe", "watch", "review",
    "encourage", "remind", "target", "boost", "booster", "catch up", "focus on", "work on",
    "address", "be aware", "differentiate", "scaffold", "track", "refer", "follow up",
    "nurture", "praise", "motivate", "consider", "tbc", "ongoing", "as before", "same as before",
)  # fmt: skip

# Words that leave a vague verb just as vague: what it is about, who, and softeners.
ABOUT = (
    "reading", "writing", "maths", "mathematics", "english", "science", "spelling", "spellings",
    "phonics", "attendance", "behaviour", "progress", "punctuality", "homework", "wellbeing",
    "learning", "work", "effort", "focus", "concentration", "engagement", "confidence",
    "literacy", "numeracy", "handwriting", "vocabulary", "fractions", "times", "tables",
)  # fmt: skip
FILLER = (
    "a", "an", "the", "to", "and", "or", "with", "for", "of", "on", "in", "at", "his", "her",
    "their", "him", "them", "he", "she", "they", "pupil", "pupils", "child", "children",
    "student", "students", "class", "closely", "carefully", "regularly", "more", "further",
    "continued", "continue", "general", "generally", "as", "needed", "necessary", "appropriate",
    "ongoing", "please", "be", "will", "should", "needs", "need", "is", "are", "etc",
)  # fmt: skip

MONITORING_VERBS = ("monitor", "keep an eye", "track", "observe", "watch", "check on")
MONITORING_PARTS = {
    "monitor_who": "who monitors",
    "monitor_what": "what exactly",
    "monitor_how_often": "how often",
    "monitor_where": "where it is recorded",
    "monitor_trigger": "what triggers further action",
}

EXAMPLE = (
    "for example \u201cReteach adding fractions with unlike denominators in a group of four, "
    "Tuesday and Thursday mornings for three weeks; five-question check each Friday\u201d"
)
EXAMPLES = {
    "monitor": "\u201cRecord attendance on the tracker every Friday and phone home after any "
    "unexplained absence; two absences in a fortnight triggers an attendance plan\u201d",
    "support": EXAMPLE,
    "intervention": "\u201cLexia reading, 20 minutes on Monday, Wednesday and Friday with Mrs "
    "Khan for six weeks; reading age retested at the end\u201d",
    "parents": "\u201cClass teacher phones home by Friday to agree a homework routine; "
    "follow-up call in two weeks\u201d",
}


@dataclass(frozen=True)
class Draft:
    """The parts of an action the rules look at."""

    text: str
    kind: str = ""
    monitoring: dict[str, str] | None = None


def words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9]+", text.lower().replace("\u2019", "'"))


def _core(text: str) -> str:
    """What is left of the text once filler and what it is about are taken out."""
    kept = [word for word in words(text) if word not in FILLER and word not in ABOUT]
    return " ".join(kept)


def is_vague(text: str, *, extra_vague: tuple[str, ...] = ()) -> bool:
    phrases = {" ".join(words(phrase)) for phrase in (*VAGUE, *extra_vague)}
    whole = " ".join(words(text))
    return whole in phrases or _core(text) in phrases or not _core(text)


def is_monitoring(draft: Draft) -> bool:
    return draft.kind == "monitoring" or any(
        " ".join(words(draft.text)).startswith(verb) for verb in MONITORING_VERBS
    )


def problems(draft: Draft, *, extra_vague: tuple[str, ...] = ()) -> list[str]:
    """Why the action cannot be accepted as written; an empty list when it can."""
    text = draft.text.strip()
    if not text:
        return ["Say what will be done: the action is empty."]
    if is_monitoring(draft):
        missing = [
            label
            for name, label in MONITORING_PARTS.items()
            if not (draft.monitoring or {}).get(name, "").strip()
        ]
        if missing:
            return [
                "Monitoring counts as an action only when it is defined: who monitors, what "
                "exactly, how often, where it is recorded and what triggers further action. "
                f"Still missing: {', '.join(missing)}; for example {EXAMPLES['monitor']}."
            ]
        return []
    if is_vague(text, extra_vague=extra_vague):
        example = next(
            (
                EXAMPLES[key]
                for key in ("parents", "intervention", "monitor")
                if key in text.lower()
            ),
            EXAMPLE,
        )
        example = example if example.startswith("for example") else f"for example {example}"
        return [
            f"\u201c{text}\u201d says what kind of help, not what will happen. Say what will be "
            f"done, by whom, how often and until when: {example}."
        ]
    if len(words(text)) < 4:
        return [
            f"\u201c{text}\u201d is too short to act on. Say what will be done, how often and "
            f"until when: {EXAMPLE}."
        ]
    return []

"""What makes an action worth writing down, judged by what it says: pure rules, readable and
tested on realistic wordings (tests/actions/test_quality.py).

An action must say *what will be done*, a concrete activity, and *when or how often*: a
frequency, a duration, a deadline or a named lesson. A label for help ("support",
"intervention", "booster", "1:1", "monitor", "look into", "be aware" …) is not an activity,
whether or not a time comes with it: "1:1 support twice a week" says when, not what. Every
sentence is judged, and every part of one joined by "and", "then" or "plus", so a specific part
cannot carry a vague one ("…; monitor."). A label used to say what is *not* being done
("before any intervention", "rather than more support") is no label.

Monitoring is an action only when it is defined: who monitors, what exactly, how often, where
it is recorded and what triggers further action. A school adds its own phrases that say too
little (`extra_vague`).

How it decides, for each part of the text: take out the labels, what the action is about
(a subject, "attendance"), who does it ("TA", "Mrs Khan"), when it happens, and the small words
and light verbs ("give", "provide", "put", "needs"); whatever is left is the activity. A part
with a label and nothing left is vague.
"""

import re
from dataclasses import dataclass
from functools import cache

from actions.names import FIRST_NAMES

# Labels for help: the kind of help, not what will be done. Multi-word ones first.
LABELS = (
    "keep an eye on", "keep an eye", "keep on top of", "keep monitoring", "look into",
    "look at", "looked at", "looked into", "be aware of", "be aware", "check in with",
    "check in", "check ins", "check-ins", "check-in", "check on him", "check on her",
    "check on them", "speak to", "spoken to",
    "speak with", "talk to", "talk with", "chat with", "follow up", "follow-up", "pick up",
    "catch up", "catch-up on", "catch-up sessions", "catch-up session", "catch-up group",
    "catch-up time", "catch up sessions", "catch up session", "work on", "work with",
    "focus on", "put in place", "targeted", "to target", "to mentor", "mentor meeting",
    "mentor meetings", "mentor sessions", "tuition", "sit with", "sits with", "sitting with",
    "picked up", "keep tabs", "keep tabs on", "nudge", "a nudge", "top-up", "top up",
    "revision school", "scaffold", "scaffolds", "scaffolding", "input", "catch-up",
    "wellbeing check",
    "wellbeing checks", "welfare check", "welfare checks",
    "one to one", "one-to-one", "1:1", "1-1", "1 to 1", "additional adult", "second adult",
    "extra adult", "stretch and challenge",
    "support", "supported", "supporting", "supports", "help", "helps", "helping", "helped",
    "assist", "assistance", "intervention", "interventions", "booster", "boosters", "boost",
    "boosting", "challenge", "challenged", "stretch", "stretched", "nurture", "nurturing",
    "monitor", "monitored", "monitoring", "tracking", "track", "tracked", "aware",
    "consider", "considered", "discuss", "discussed", "refer", "referred", "referral", "focus",
    "differentiate", "differentiated", "differentiation", "provision", "encourage",
    "encouraged", "remind", "motivate", "engage", "engaging", "push", "chase", "review",
    "reviewed",
    "inform", "informed", "contacted", "tutoring", "mentoring", "revision sessions",
    "revision session", "revision support", "revision classes", "extension",
    "adjustments", "tbc", "tba",
    # A way of working is not the work: "a dyslexia-friendly approach across subjects".
    "approach", "approaches",
    # Target as a verb is a label ("will target his gaps in multiplication"), where a target
    # grade or a reading target is a noun.
    "will target", "can target", "should target", "must target", "targeting", "targetting",
    # Talking about something says what about only when the topic is named (TOPIC).
    "talk about", "speak about", "chat about",
)  # fmt: skip

# Labels that put the decision off: vague whatever comes with them.
HEDGES = (
    "consider", "considered", "look into", "looked into", "look at", "looked at", "be aware",
    "keeping an eye", "keep a close eye", "keeping a close eye", "close eye", "eye on",
    "be aware of", "aware", "keep an eye", "keep an eye on", "think about", "explore",
    "investigate", "to be discussed", "to be reviewed", "to be looked at", "to be decided",
    "on the radar", "tbc", "tba", "to be checked", "to be tracked", "to be monitored",
    "to be sorted", "to be arranged", "to be confirmed", "liaise", "liaise with", "liaising",
    "differentiate", "differentiated", "work on", "focus on",
    "to go up", "go up", "aim for", "aim to", "to reach", "to improve", "to achieve",
    "expected to", "sort out", "sorted", "flexibility", "leeway", "a bit of", "have a word",
    "a word with", "on the radar", "on everyone radar", "radar", "in the loop", "kept informed",
    "keep informed", "head down", "touch base", "involvement", "keep under review",
    "under review", "wrap around", "a priority", "priority", "light touch", "look for ways",
    "come down", "go down", "gentle", "encouragement", "coaching", "get a fresh start",
    "peer support", "be mindful", "mindful", "bear in mind", "helping hand", "quality time",
    "watchful eye", "friendly face", "tlc", "close the gap", "more time",
    "make the most of", "more effectively", "decide", "keep pushing", "pushing",
    "focus", "leg up", "shore up", "plug the gaps", "plug gaps", "fill the gaps", "fill gaps",
    "close the gaps", "watched", "something in place", "put something",
    "monitor", "monitored", "monitoring", "keep monitoring", "will need to", "revisit",
    "supervision", "heightened", "up to speed", "leg-up", "firm up", "escalate", "escalated",
    "catch-up plan", "catch-up programme", "address", "addressed", "close watch", "bit of",
    # Care and oversight name who looks after a pupil, not what they do: "wraparound care from
    # the pastoral team", "oversight from the SENCo".
    "wraparound", "wrap-around", "oversight",
    # Goals, not ways to reach them: "accelerate her progress towards ARE".
    "accelerate", "to accelerate",
    # Pitching work is differentiating it in other words: "pitch work appropriately".
    "pitch", "pitched", "pitching",
    # What is on offer, not what will be done: "access to safe space at lunch".
    "access to",
)  # fmt: skip
# Activities named by the subject they practise: "1:1 reading with the TA" is reading, but
# "reading support" and "help with reading" are labels.
PRACTICE = ("reading", "writing", "spelling", "spellings", "handwriting", "phonics")
# Forms of help that are only a label on their own but say how an activity is done:
# "1:1 reading", "small group phonics".
FORMS = ("1:1", "1-1", "1 to 1", "one to one", "one-to-one", "small group")
MORE = r"(?:extra|more|additional|further)"
# A subject practised: "1:1 reading", not "1:1 reading support".
HELP_NOUN = r"(?:support|help|intervention|interventions|booster|boosters|group|sessions?)\b"
PRACTISING = rf"\s+(?:{'|'.join(PRACTICE)})\b(?!\s+{HELP_NOUN})"
MORE_OF_ANYTHING = re.compile(rf"\b{MORE}\s+(?!time\b|than\b|of\b|\d)[\w:-]+")
EXTRA_TIME = re.compile(
    r"\b(?:extra|additional)\s+\d+\s*%?\s*(?:days?|minutes?|mins|time)\b|\d+\s*%\s+extra time"
    r"|\bextra time (?:in|on|for) (?:\w+\s+){0,3}?(?:tests?|exams?|mocks?|papers?|assessments?)\b"
)
HELP_OBJECT = (
    r"(?:\s+(?:him|her|them))?(?:\s+(?:with|on|in|for|around)\s+(?:the\s+|his\s+|her\s+"
    r"|their\s+)?(?:[\w'-]+\s+){0,2}[\w'-]+)?"
)
# Building a quality is a hope, not an activity: "build her confidence in speaking".
BUILDING = re.compile(
    r"\bbuild(?:ing)? (?:up )?(?:[\w']+ )?(?:confidence|resilience|independence|self-esteem"
    r"|relationships?|stamina|motivation)\b"
    # or the quality said just before: "he needs more confidence, build this through praise"
    r"|\bbuild(?:ing)? (?:this|it|that|these|them)(?: up)?\b"
)
# Reaching a standard is a goal, not an activity: "get him to expected by end of year", "move
# her up to greater depth", "reach ARE".
REACHING = re.compile(
    r"\b(?:get|gets|getting|bring|brings|move|moves|push|pushes)\s+(?:him|her|them|\w+)\s+"
    r"(?:up\s+)?(?:to|into)\s+(?:the\s+|a\s+)?(?:expected|are|exs|greater depth|gd|target"
    r"|grade|level|pass|\d)\b|\breach(?:es|ing)?\s+(?:the\s+)?(?:expected|are|exs|greater depth"
    r"|target)\b"
)
# Following a document says what to read, not what to do: "ensure all staff follow the pupil
# passport", "implement the strategies in the EP report".
FOLLOWING = re.compile(
    r"\b(?:follow|follows|implement|implements|implementing|apply|applies|stick to|adhere to)"
    r"\s+(?:the\s+|his\s+|her\s+|their\s+|all\s+)?(?:[\w'-]+\s+){0,3}?(?:passport|plan"
    r"|profile|strategies|advice|recommendations?|iep|ehcp|provision map)\b"
)
# Putting something in place says it will exist, not what will be done with it: "put a support
# plan in place", "put strategies in place"; it needs an activity beside it, like a label.
IN_PLACE = re.compile(r"\b(?:put|puts|putting|have|get|set up)\s+(?:[\w'-]+\s+){1,4}?in place\b")
# Hopes and documents that put the activity off, judged like the hedges.
GOALS = (BUILDING, REACHING, FOLLOWING)
BY_DOING = re.compile(r"\bby\s+[a-z]+ing\b")
# Talking to someone is an action when it says what about and when ("talk to parents at
# parents' evening on 12 Nov about reading at home"), a label otherwise.
TALKING = (
    "speak to", "spoken to", "speak with", "talk to", "talk with", "chat with", "discuss",
    "talk about", "speak about", "chat about",
)  # fmt: skip
TOPIC = re.compile(  # a topic named, not "talk about it at the next review"
    r"\b(?:about|re|regarding|to agree|to explain|to go-through|to plan)\s+"
    r"(?!(?:it|this|that|things?|stuff|everything|him|them)\b)\w+"
)
# Verbs of help at the start of a part: "target grade 5", "push him on".
LEADING = (
    r"target|stretch|push|boost|challenge|support|help|encourage|improve|scaffold"
    r"|differentiate|prioritise|address|develop"
)
# Labels that take a subject as their object: "boost writing", "support reading".
HELPING = r"(?:support|help|boost|target|improve|develop|address|focus on|work on|encourage)"
# "Extra phonics", "more maths": more of a subject is a label, where "extra time" in a test is
# an arrangement.
MORE_OF = (
    *PRACTICE, "maths", "english", "science", "literacy", "numeracy", "input", "practice",
    "tuition", "sessions", "lessons", "adult", "adults", "staff", "ta", "lsa",
)  # fmt: skip

# Labels that a concrete object makes specific ("card reviewed with mum every Friday"), where the
# others need a whole activity beside them.
WEAK_LABELS = (
    "review", "reviewed", "extension", "scaffold", "sit with", "sits with", "sitting with",
    "1:1", "1-1", "1 to 1", "one to one", "one-to-one",
)  # fmt: skip

# Words that leave a label just as vague: what it is about, who, and softeners.
ABOUT = (
    "reading", "writing", "maths", "math", "mathematics", "english", "eng", "lang", "lit",
    "science", "sci", "spelling", "spellings", "phonics", "attendance", "behaviour", "progress",
    "punctuality", "homework", "hw", "wellbeing", "well-being", "learning", "effort",
    "concentration", "engagement", "confidence", "confidance", "resilience", "literacy",
    "numeracy", "handwriting", "vocabulary", "vocab", "fractions", "times", "tables", "number",
    "facts", "history", "geography", "french", "music", "art", "dt", "pe", "computing", "re",
    "humanities", "fine", "motor", "speech", "language", "social", "skills", "emotional",
    "anger", "management", "anxiety", "organisation", "friendships", "sats", "gcse", "gcses",
    "ks1", "ks2", "ks3", "ks4", "exam", "exams", "coursework", "fieldwork", "write-up", "eal",
    "send", "sen", "pp", "ehcp", "sleep", "uniform", "lates", "behaviour", "sessions",
    "session", "group", "groups", "time", "lessons", "lesson", "class", "classes", "work",
    "programme", "input", "tasks", "task", "needs", "need", "issues", "concerns", "concern",
    "pastoral", "academic", "general", "areas", "area", "subjects", "subject", "q5", "adhd",
    "asd", "asc", "autism", "autistic", "dyslexia", "dyslexic", "semh", "slcn", "mld", "spld",
    "cla", "pla", "carer", "young", "ehc", "salt", "ppe", "ppes", "mock", "mocks", "nea",
    "ppm", "meeting", "markers", "motivation", "motivated", "cohort", "borderline", "readers",
    "writers", "boys", "girls", "levels", "level", "ntp", "meetings", "assigned", "through",
    "grade", "grades", "arithmetic", "below", "above", "rest", "screening", "retake",
    "school", "evening", "speaking", "opps", "nurse", "counsellor", "worker", "therapist",
    "close", "opportunities", "strategies", "regulation", "btec", "distinction", "merit",
    "unit", "units", "points", "reasoning", "greater", "depth", "dyslexia-friendly", "friendly",
    "sen-friendly", "autism-friendly", "key", "post", "suspension", "suspensions", "starting",
    "spring", "slot", "slots", "morning", "afternoon", "got", "under", "over", "kids",
    "personalised", "tailored", "bespoke", "individualised", "bottom", "top", "middle",
    "something", "anything", "effectively", "easter", "mins", "min", "minutes", "minute",
    "hours", "hrs", "hour", "hand", "tailored", "sure", "enough", "getting", "together",
    "right", "especially", "agreed", "proper", "correct", "towards", "table", "room", "rooms",
    "style", "bit",
    # Words that narrow the topic without doing anything: "particularly algebra", "across the
    # curriculum".
    "particularly", "specifically", "mainly", "mostly", "notably", "including", "across",
    "curriculum", "gaps", "gap",
)  # fmt: skip
WHO = (
    "ta", "tas", "lsa", "lsas", "ct", "teacher", "teachers", "teaching", "assistant", "hoy",
    "hod", "head", "year", "senco", "slt", "ap", "dsl", "tutor", "tutors", "form", "mentor",
    "key", "adult", "adults", "staff", "lead", "leader", "officer", "attendance", "parents",
    "parent", "mum", "dad", "carer", "carers", "family", "home", "he", "she", "they", "him",
    "her", "them", "his", "hers", "their", "pupil", "pupils", "child", "children", "student",
    "students", "we", "i", "us", "our", "you", "someone", "everyone", "link", "office",
    "pastoral", "team", "sixth", "former", "hlta", "hltas", "dht", "aht", "ht", "hod", "ewo",
    "fsw", "elsa", "sendco", "inco", "lm", "ep", "ot", "camhs", "senco's",
)  # fmt: skip
FILLER = (
    "a", "an", "the", "to", "and", "or", "with", "for", "of", "on", "in", "at", "into", "onto",
    "by", "as", "about", "re", "if", "so", "that", "this", "these", "those", "it", "its", "be",
    "is", "are", "was", "will", "would", "should", "could", "can", "may", "might", "must",
    "shall", "needs", "need", "needed", "get", "gets", "getting", "give", "gives", "given",
    "giving", "provide", "provides", "provided", "offer", "offers", "offered", "put", "puts",
    "have", "has", "having", "had", "make", "makes", "ensure", "ensures", "arrange", "arranged",
    "organise", "organised", "access", "receive", "receives", "allow", "allowed", "set",
    "up", "try", "continue", "continued", "continues", "carry", "on", "start", "started",
    "going", "go", "forward", "do", "does", "done", "doing", "more", "extra", "additional",
    "further", "lots", "lot", "some", "any", "all", "very", "really", "just", "also", "still",
    "closely", "carefully", "regularly", "generally", "appropriate", "appropriately", "current",
    "currently", "ongoing", "possible", "necessary", "required", "requires", "please", "etc",
    "eg", "e", "g", "ie", "when", "where", "needed", "as", "and", "then", "plus", "not",
    "no", "new", "same", "small", "steps", "step", "level", "low", "high", "good", "well",
    "better", "improve", "improved", "improving", "struggling", "struggeling", "struggles",
    "making", "made", "being", "want", "wants", "like", "likely", "feel", "feels", "seems",
    "coasting", "settling", "settle", "standard", "stage", "further", "action", "actions",
    "x", "wk", "wks", "week", "weeks", "per", "place", "via", "using", "use", "used",
    "there", "here", "from", "after", "before", "until", "till", "during", "while", "whilst",
    "again", "back", "out", "over", "off", "own", "other", "others", "than", "rather",
    "instead", "yet", "too", "much", "many", "lots", "plan", "who", "which", "those", "didnt",
    "didn't", "doesnt", "doesn't", "isnt", "isn't", "wont", "won't", "cant", "can't", "pass",
    "passed", "fail", "failed", "structure", "structures", "strategies", "strategy",
    "resources", "opportunities", "opportunity", "boundaries", "consistency", "expectations",
    "reassurance", "encouragement", "attention", "guidance", "ready", "able",
    # Paying for help buys a label: "PP funding to pay for booster sessions".
    "pay", "pays", "paid", "paying", "fund", "funds", "funded", "funding",
)  # fmt: skip

DAY = (
    r"(?:mon(?:day)?s?|tue(?:s(?:day)?)?s?|wed(?:s|nesday)?s?|thu(?:rs?(?:day)?)?s?|fri(?:day)?s?"
    r"|saturdays?|sundays?)"
)
MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
)
NUMBER = r"(?:\d+|a|one|two|three|four|five|six|seven|eight|nine|ten|twelve|couple of|few)"
UNIT = r"(?:days?|weeks?|wks?|months?|terms?|half[- ]terms?|lessons?|sessions?)"
OCCASION = (
    r"(?:day|morning|afternoon|evening|night|week|fortnight|month|term|half[- ]term|lesson"
    r"|session|practical|task|transition|visit|absence|assembly|break|lunch(?:time)?|play"
    r"|registration|reg|register|form time|tutor time|time|piece|deadline)"
)
HOLIDAY = (  # half term, or the one named by its month or season: "until Feb half term"
    r"(?:(?:(?:feb(?:ruary)?|oct(?:ober)?|may|whitsun|autumn|spring|summer)\s+)?half[- ]?term"
    r"|christmas|xmas|easter|summer|the holidays?|mocks?|the mocks|sats|exams?"
    r"|(?:the )?(?:end|start|beginning|middle) of (?:the )?(?:term|half[- ]term|year|month|week"
    r"|unit|topic|lesson|y(?:ea)?r ?\d+|" + MONTH + r")|the deadline|" + MONTH + r")"
)
# When or how often: a frequency, a duration, a deadline or a named lesson.
WHEN = re.compile(
    r"|".join(
        [
            # every Monday, each maths lesson, every end of unit test, before each new topic,
            # after any exclusion, for all extended writing pieces (not "each other", "each of",
            # nor a share of each thing, "three lines of each letter family")
            r"(?<!\bfor\s)(?<!\bof\s)\beach\s+(?!of\b|other\b|pupil\b|child\b|student\b)\w+"
            r"|(?<!\bfor\s)(?<!\bof\s)\b(?:every|evry|evrey|eveyr)\s+"
            r"(?!of\b|pupil\b|child\b|student\b)\w+"
            rf"|\bof (?:each|every)\s+(?:\w+\s+)?(?:{OCCASION}|{DAY})s?\b"  # of each lesson
            rf"|\bfor (?:every|each)\s+(?:\w+\s+){{0,3}}?(?:{OCCASION}|test|paper|mock|exam"
            r"|assessment)s?\b"
            r"|\bin the (?:first|last|next) (?:lesson|session|week|day) of\b"
            r"|\b(?:after|before|following|on|at|for|in|during)\s+(?:any|all)\s+"
            r"(?!of\b|the\s+time\b|times\b)\w+(?:\s+\w+){0,3}?\s+(?:"
            + OCCASION
            + r"|pieces?|tests?|papers?|assessments?|mocks?|exams?|trips?|incidents?"
            r"|detentions?|exclusions?|absences?|topics?|units?|lessons?)s?\b"
            r"|\b(?:after|before|following)\s+any\s+\w+",
            rf"\b(?:per|a|an)\s+(?:school\s+)?(?:{OCCASION}|{DAY})\b",  # a week, per lesson
            r"\b(?:daily|weekly|fortnightly|nightly|monthly|(?:half-)?termly|twice|thrice)\b",
            r"\b\d+\s*x\b(?!\s*tables?)|\bx\s*\d+\b|\b\d+\s*times\b(?!\s*tables?)"
            r"|\b(?:once|two|three|four|five) times\b(?!\s*tables?)",
            rf"\b(?:for|over)\s+(?:the\s+)?(?:next\s+|first\s+|last\s+|following\s+)?"
            rf"{NUMBER}\s*{UNIT}\b",  # for three weeks, over two weeks, for the next 4 weeks
            r"\b(?:for|over)\s+(?:the\s+)?(?:rest of (?:the\s+)?|whole\s+|this\s+)"
            r"(?:term|half[- ]term|year|unit|topic)\b",
            # until half term, by Friday, before mocks, next Tues (not a "check-in Fridays")
            r"(?<!-)\b(?:until|till|til|by|before|from|after|starting|on|this|next|in|at)\s+"
            rf"(?:the\s+)?(?:{HOLIDAY}|{DAY})\b",
            rf"\b{DAY}\b(?:\s*(?:&|and|/|-|,)\s*{DAY}\b)*",  # Mon/Wed/Fri, Tues & Thurs
            rf"\b\d{{1,2}}(?:st|nd|rd|th)?\s+{MONTH}\b|\b{MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?\b",
            r"\b\d{1,2}(?:st|nd|rd|th)\b",  # the 12th
            r"\b\d{1,2}[/.]\d{1,2}(?:[/.]\d{2,4})?\b|\b\d{1,2}(?:[.:]\d{2})?\s*(?:am|pm)\b",
            r"\b\d{1,2}[.:]\d{2}\b",  # at 8.40, 3.15-4
            r"\b(?:today|tonight|tomorrow|tmrw|that day|that week|next (?:week|lesson|time|morning"
            r"|term|half[- ]term)"
            r"|this (?:week|afternoon|morning|term|half[- ]term|unit|topic)"
            r"|(?:the )?(?:same|next|following) (?:day|morning|week|lesson)|w/c)\b",
            rf"\b{NUMBER}\s*{UNIT}\s+(?:later|after|on)\b",  # two days later
            r"\b(?:first thing|straight after|immediately after|at the (?:start|end|beginning)"
            r" of (?:every|each|any|the|his|her|their|next|that)\b)",
            r"\bthe (?:day|morning|afternoon|night|week|lesson) (?:before|after)\b",
            rf"\b(?:in|during|at)\s+(?:the\s+next|next|tomorrow'?s?)\s+"
            rf"(?:\w+\s+)?(?:{OCCASION})s?\b",  # in tomorrow's lesson, at the next session
            r"\b(?:in|during)\s+(?:\w+\s+)?lessons\b",  # in maths lessons
            r"\bp\d\b|\bperiod \d\b|\b(?:in|during)\s+(?:reg|registration|form time|tutor time)\b",
            r"\b(?:mornings|afternoons|evenings|lunchtimes|break times)\b",
            rf"\bwk\s*\d+\b|\bweek\s*\d+\b|\b(?:this|next|following)\s+{DAY}\b",
            r"\bday\s+\d+\b|\bfirst day\b|\bthe day before\b|\bwhenever\b",
            r"\b(?:half[- ]?term|ht|term)\s*\d\b|\b(?:autumn|spring|summer)\s*(?:term\s*)?[12]\b",
            r"\b(?:in|during|through|throughout) (?:the )?(?:autumn|spring|summer)(?: term)?\b",
            # next science lesson, tomorrow's tutor time
            r"\b(?:next|tomorrow'?s?)\s+(?:\w+\s+)?(?:lesson|session|practical|assembly|form time"
            r"|tutor time)\b",
            # until the retake in June, by the PEP on the 6th, before the trip
            r"\b(?:until|till|by|before)\s+(?:the|his|her|their|next)\s+(?!end\b)\w+"
            r"(?:\s+(?:in|on)\s+(?:the\s+)?\S+)?",
            r"\bat (?:pick[- ]?up|drop[- ]?off|home ?time|the gate|break|lunch|play)\b",
        ]
    )
)
# A time that comes round again, which makes a review a habit rather than a date put off.
RECURRING = re.compile(
    rf"\b(?:every|each|daily|weekly|fortnightly|nightly|monthly|twice)\b|\b(?:on\s+)?{DAY}s\b"
)
# Words that say what is not being done: "before any intervention", "rather than more support".
NOT_THIS = re.compile(
    r"\b(?:before any|rather than|instead of|not|no|without|other than)\s+"
    r"(?:more\s+|extra\s+|another\s+|any\s+|further\s+)?$"
)

MONITORING_PARTS = {
    "monitor_who": "who monitors",
    "monitor_what": "what exactly",
    "monitor_how_often": "how often",
    "monitor_where": "where it is recorded",
    "monitor_trigger": "what triggers further action",
}

# One example that fits each kind of action.
EXAMPLES = {
    "classroom": "\u201cSeat him at the front and give a two-step instruction card in every maths "
    "lesson until half-term\u201d",
    "reteach": "\u201cReteach equivalent fractions with a worked example next lesson; "
    "five-question check two days later\u201d",
    "intervention": "\u201cLexia for 20 minutes on Monday, Wednesday and Friday with Mrs Khan for "
    "six weeks; reading age retested at the end\u201d",
    "attendance": "\u201cAttendance lead phones home after each absence and meets parents by "
    "Friday to agree a plan\u201d",
    "behaviour": "\u201cHead of year meets him at the gate each morning to go through his report "
    "card, for two weeks\u201d",
    "send": "\u201cTA pre-teaches five key words with pictures every Thursday before the science "
    "lesson, until Christmas\u201d",
    "pastoral": "\u201cLearning mentor meets her for 15 minutes every Monday morning to go through "
    "her worry diary\u201d",
    "parent_contact": "\u201cClass teacher phones home by Friday to agree a homework routine; "
    "follow-up call in two weeks\u201d",
    "curriculum": "\u201cMaths lead rewrites the fractions unit with a worked example in every "
    "lesson before the spring term\u201d",
    "monitoring": "\u201cRecord attendance on the tracker every Friday and phone home after any "
    "unexplained absence; two absences in a fortnight triggers an attendance plan\u201d",
}
WHAT = "Say what will be done, not the kind of help."
BARRIER_QUESTION = "What is stopping progress, specifically?"
BARRIER_EXAMPLE = (
    "\u201cHer ideas are strong orally, but she cannot yet plan a paragraph or build a sentence "
    "on her own\u201d"
)
# Labels that blame a child or a teacher: they say who is at fault, not what is in the way.
BLAME = (
    "lazy", "not bothered", "can't be bothered", "cant be bothered", "doesn't care",
    "doesnt care", "does not care", "don't care", "no interest", "attitude", "naughty", "rude",
    "defiant", "stubborn", "thick", "stupid", "dim", "slow learner", "low ability",
    "less able", "lower ability", "weak pupil", "weak student", "weak child", "bottom set",
    "can't do it", "cant do it", "won't try", "wont try", "doesn't try", "doesnt try",
    "no effort", "poor teacher", "weak teacher", "bad teacher", "poor teaching", "bad teaching",
    "weak teaching", "supply teacher", "teacher's fault", "teachers fault", "fault",
    "unteachable", "problem child", "troublemaker", "trouble maker", "badly behaved",
)  # fmt: skip
# Words that say how things are going without saying what is in the way.
GENERAL = (
    "poor", "poorly", "weak", "low", "bad", "behind", "below", "struggling", "struggles",
    "struggle", "difficulties", "difficulty", "problems", "problem", "issues", "issue",
    "concerns", "concern", "needs", "support", "help", "ability", "able", "progress", "making",
    "made", "expected", "standard", "attainment", "achievement", "results", "grades", "grade",
    "data", "performance", "underachieving", "underperforming", "falling", "slipping", "gaps",
    "gap", "general", "generally", "overall", "not", "very", "quite", "really", "a", "bit",
    "lack", "lacks", "lacking", "of", "in", "with", "and", "the", "is", "are", "has", "have",
    "he", "she", "they", "his", "her", "their", "him", "them", "to", "be", "needs", "need",
    "more", "work", "learning", "focus", "focused", "concentration", "engagement", "engaged",
    "motivation", "motivated", "confidence", "effort", "behaviour", "attendance", "reading",
    "writing", "maths", "english", "science", "subject", "subjects", "lessons", "lesson",
    "class", "school", "at", "on", "it", "doing", "does", "well", "good", "enough", "keep",
    "up", "catch", "down", "going", "getting", "gets", "get", "any", "all", "some", "areas",
    "area", "across", "curriculum", "this", "year", "term", "so", "far", "currently", "still",
    "did", "do", "badly", "well", "assessment", "assessments", "test", "tests", "score",
    "scores", "on", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine",
    "ten", "pupils", "pupil", "children", "child", "students", "group", "some", "most", "many",
)  # fmt: skip
WHEN_MISSING = "Say when or how often."


@dataclass(frozen=True)
class Draft:
    """The parts of an action the rules look at."""

    text: str
    kind: str = ""
    monitoring: dict[str, str] | None = None


def normalise(text: str) -> str:
    text = text.lower().replace("\u2019", "'").replace("\u2018", "'")
    text = re.sub(r"(?<=\d)\s*[\u2013\u2014]\s*(?=\d)", "-", text)  # 8:45\u201312:15, 1\u20135
    text = re.sub(r"[\u2013\u2014]", " - ", text)
    text = re.sub(r"\b(mrs|mr|miss|ms|mx)\.?\s+[a-z'\-]+", " staff ", text)  # Mrs O'Neill
    text = re.sub(r"\b(\w+)'(ll|s|re|ve|d)\b", r"\1", text)  # we'll, he's: the person
    text = re.sub(r"(\w)s'(?=\s|$)", r"\1s", text)  # parents' evening
    text = re.sub(r"\bsmall-group\b", "small group", text)
    text = re.sub(r"\b(plus|power of) (\d)\b", r"\1-\2", text)  # the Plus 1 programme
    text = re.sub(r"\bspeech (?:and|&) language\b", "speech-and-language", text)
    text = re.sub(r"\b(home|email|e-mail|postal) address\b", r"\1-address", text)
    text = re.sub(r"\breview (meeting|date)", r"review-\1", text)  # a meeting, not a label
    text = re.sub(r"\bsupport (plans?|passports?)\b", r"support-\1", text)  # documents
    text = re.sub(  # a catch-up task is an activity, a catch-up on its own a label
        r"\bcatch[- ]up (task|sheet|worksheet|quiz|test|lesson|activity|booklet|work)",
        r"catchup-\1",
        text,
    )
    text = re.sub(  # catching up the missed fractions lessons names what is taught again
        r"\bcatch(?:es|ing)?[- ]up (?:on )?the missed (?!work\b)((?:[a-z\-]+ ){1,3}lessons?)\b",
        r"reteach the missed \1",
        text,
    )
    text = re.sub(rf"\b({DAY})\s*[+&]\s*(?={DAY}\b)", r"\1/", text)  # tues + thurs
    text = re.sub(r"\b(?:go|goes|going|went) through\b", "go-through", text)  # an activity
    return re.sub(r"\s+", " ", text).strip()


# Where a text divides into parts judged one by one: the end of a sentence, a semicolon, a
# slash or a word that joins another instruction; or a comma, a dash or a colon, after which the
# part may say what a label before it means ("1:1 with Miss Ahmed, working through the place
# value booklet"). A full stop after a decimal ends a sentence too ("reading age 7.2 against 9.4.
# She will …"), where one inside a number or a time ("8.40") does not.
BREAKS = re.compile(
    r"(?P<end>(?<!\be\.g)(?<!\bi\.e)(?:(?<!\d)[.!?]+(?=\s|$)|(?<=\d\.\d)\.(?=\s+[a-z]))|[;\n]|\s/\s"
    r"|\s(?:then|but|so|&|\+|->|\u2192)\s|\splus\s(?!\d))"
    r"|(?P<said>,(?=\s)|\sand\s)|(?P<shown>\s-\s(?=(?:\S+\s+){3})|:\s)"
)


@dataclass(frozen=True)
class Part:
    text: str
    # What comes next may say what a label in it means: after a comma or "and" ("said"), or
    # after a dash or a colon, which may even say what "keep an eye on" means ("shown").
    then: str = ""


def sentences(text: str) -> list[Part]:
    """The parts of the text judged one by one: its sentences, and within them the parts a
    semicolon, a comma, "and", "then", "so" or "plus" joins ("reteach it next lesson; monitor"
    is two). A short heading ("phonics:", "1:1 -") belongs to the part after it."""
    text = _without_heading(text)
    parts, start = [], 0
    for match in BREAKS.finditer(text):
        joint = "said" if match.group("said") else "shown" if match.group("shown") else ""
        parts.append(Part(text[start : match.start()], joint))
        start = match.end()
    parts.append(Part(text[start:]))
    return [Part(part.text.strip(" ,-:"), part.then) for part in parts if part.text.strip(" ,-:")]


# What happened, not what will: a sentence of data before the action ("scored 4/20",
# "suspended twice this half term") is no heading.
CONTEXT = re.compile(
    r"\b(?:scored|got|was|were|had|has been|failed|suspended|excluded|dropped|fell)\b"
)


def _without_heading(text: str) -> str:
    """The text with a heading of up to three words ("phonics:", "Y11 maths -", "more
    challenge -") joined to what follows, its labels taken out: a heading names a topic."""
    heading = re.match(
        r"^((?:[^:;.]|:(?=\d)){1,30}?)(?::(?!\d)|\s-\s|\s->\s|\s\u2192\s)\s*(?=\S)", text
    )
    if not heading or len(heading.group(1).split()) > 6 or CONTEXT.search(heading.group(1)):
        return text
    topic = heading.group(1)
    for label in sorted(LABELS, key=len, reverse=True):
        topic = _compiled(_pattern(label)).sub(" ", topic)
    topic = MORE_OF_ANYTHING.sub(" ", topic)
    return f"{topic} {text[heading.end() :]}"


def words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9']+(?:[-/][a-z0-9']+)*", text)


@cache
def _compiled(pattern: str) -> re.Pattern[str]:
    """A pattern compiled once: there are more labels than `re` keeps compiled."""
    return re.compile(pattern)


def _pattern(label: str) -> str:
    return rf"(?<![\w:-]){re.escape(label)}(?![\w-]|:\w)"


def _times_out(part: str) -> str:
    """The part with its times blanked out, so that "at pick up" is no label."""
    return WHEN.sub(lambda match: "~" * len(match.group()), part)


def _labels_in(part: str, extra: tuple[str, ...]) -> list[str]:
    """The labels for help in `part`, except those saying what is not being done ("rather than
    more support"), inside a time ("at pick up"), or saying how an activity is done
    ("1:1 reading")."""
    part = _times_out(part)
    found = []
    for label in (*extra, *HEDGES, *LABELS):
        for match in _compiled(_pattern(label)).finditer(part):
            if NOT_THIS.search(part[: match.start()]):
                continue
            if label in FORMS and re.match(PRACTISING, part[match.end() :]):
                continue
            found.append(label)
    if leading := re.match(rf"(?:to\s+)?({LEADING})\b", part):
        found.append(leading.group(1))
    found += [match.group() for pattern in GOALS for match in pattern.finditer(part)]
    found += [match.group() for match in IN_PLACE.finditer(part)]
    found += [word for word in words(part) if _misspelt_label(word)]
    # "More speaking opportunities", "extra phonics": more of something is a label, but for the
    # extra time of an exam arrangement.
    found += [
        match.group()
        for match in MORE_OF_ANYTHING.finditer(part)
        if not NOT_THIS.search(part[: match.start()])
    ]
    return found


def activity(part: str, *, extra: tuple[str, ...] = ()) -> list[str]:
    """What is left of `part` once labels, what it is about, who, when and small words are taken
    out: the concrete activity, if there is one. A subject practised ("reading with the TA") is
    an activity; a subject helped with ("reading support", "help with reading") is not."""
    practised = ["extra time"] if EXTRA_TIME.search(part) else []  # an arrangement, not help
    part = WHEN.sub(" ", part)
    practised += _practised(part)
    part = re.sub(rf"^(?:to\s+)?(?:{LEADING})\b", " ", part)
    # A name is who, like "him": "support Ollie with recording his ideas" is help with them.
    part = re.sub(
        r"[a-z]+", lambda word: "them" if word.group() in FIRST_NAMES else word.group(), part
    )
    part = re.sub(MORE_OF_ANYTHING.pattern + HELP_OBJECT, " ", part)
    for label in sorted((*extra, *HEDGES, *LABELS), key=len, reverse=True):
        # A label and what it is help with: "more help with the Macbeth essay" is help.
        part = _compiled(_pattern(label) + HELP_OBJECT).sub(" ", part)
    ignored = {*ABOUT, *WHO, *FILLER, *FIRST_NAMES, "staff"}
    return practised + [
        word
        for word in words(part)
        if word not in ignored and not re.fullmatch(r"[\d'/-]+|\d+\w{0,3}|y\d+|yr\d*|\w", word)
    ]


PRACTISED = re.compile(
    rf"(?:\b(?:{'|'.join(map(re.escape, FORMS))}|guided|paired|shared|daily|nightly|home)\s+"
    rf"({'|'.join(PRACTICE)})\b(?!\s+{HELP_NOUN})|\b({'|'.join(PRACTICE)})\s+"
    rf"(?:with|aloud|to|for\s+\d))"
)
HELPED_WITH = re.compile(rf"(?:\b(?:with|on|in|for|at|re|about)|{MORE}|{HELPING})\s+$")


def _practised(part: str) -> list[str]:
    """The subjects `part` practises ("reading with the TA"), not those it helps with
    ("reading support", "help with reading", "boost writing")."""
    return [
        match.group(1) or match.group(2)
        for match in PRACTISED.finditer(part)
        if not HELPED_WITH.search(part[: match.start()])
    ]


# Times that are no time: "when needed", "at some point this term", "going forward".
FAKE_WHEN = re.compile(
    r"\b(?:when(?:ever)? (?:needed|necessary|possible|required|appropriate)|as (?:and when|needed"
    r"|required|necessary|appropriate)|if (?:needed|required|necessary|possible)|at some point"
    r"|going forward|in due course|asap|ongoing|regularly|from time to time|at times"
    r"|(?:more|less) (?:often|frequently|regularly)"  # a comparison, not how often
    r"|whenever (?:there is|there's|there|possible|staff|someone|an adult|a ta)"
    r"|if (?:he|she|they) needs? (?:it|to)"
    r"|where (?:needed|necessary|appropriate|possible)|if poss\b)"
    r"(?:\s+(?:this|next|in the)\s+\w+(?:\s+term)?)?"
)
# What an action is about is no time: "social stories re lunchtimes", "speak to him about his
# effort in lessons".
ABOUT_A_TIME = re.compile(
    r"\b(?:re|about|regarding)\s+(?:(?:his|her|their|the)\s+)?\w+(?:\s+(?:in|at|during)\s+"
    r"(?:\w+\s+)?(?:lessons|lunchtimes?|breaks?|break times|class))?"
)
# Where what is taught again was found is no time: "the misconceptions from the end of unit
# test", "gaps from the November mocks".
SOURCE = re.compile(
    r"\bfrom (?:the |his |her |their |last |this )?(?:[\w-]+ ){0,3}?(?:tests?|mocks?|exams?"
    r"|assessments?|papers?|quiz(?:zes)?|observations?|data drop)\b"
)


def _no_time(text: str) -> str:
    """The text without what only looks like a time: "when needed", "re lunchtimes", "from the
    end of unit test"."""
    return SOURCE.sub(" ", ABOUT_A_TIME.sub(" ", FAKE_WHEN.sub(" ", text)))


def says_when(text: str, draft: Draft) -> bool:
    """Whether the text says when or how often, leaving out times that are none."""
    text = _no_time(text)
    return bool(WHEN.search(text)) or bool(
        draft.kind == "monitoring" and (draft.monitoring or {}).get("monitor_how_often", "")
    )


def is_monitoring(text: str) -> bool:
    return bool(re.search(r"\b(?:monitor\w*|keep an eye|track\w*|observe\w*)\b", text))


def problems(draft: Draft, *, extra_vague: tuple[str, ...] = ()) -> list[str]:
    """What is missing from the action, in one short sentence with one example for its kind;
    an empty list when it can be accepted."""
    text = normalise(draft.text)
    example = EXAMPLES.get(draft.kind, EXAMPLES["classroom"])
    if not text:
        return [f"Say what will be done. For example {example}."]
    extra = tuple(normalise(phrase) for phrase in extra_vague if phrase.strip())
    defined = _monitoring_missing(draft) if draft.kind == "monitoring" else None
    if defined:
        return [
            f"Monitoring needs all five parts: still missing {', '.join(defined)}. "
            f"For example {EXAMPLES['monitoring']}."
        ]
    found = sentences(_unquoted(text))
    parts = [part.text for part in found]
    for index, part in enumerate(parts):
        if _fake_time_only(part):
            return [f"{WHEN_MISSING} For example {example}."]
        hedged = any(label in HEDGES for label in _labels_in(part, extra))
        explained = (
            found[index].then == "shown" or (found[index].then == "said" and not hedged)
        ) and _explains(parts[index + 1 : index + 3], extra)
        if _vague(part, extra) and not explained and not _defined_monitoring(draft, part):
            labels = _labels_in(part, extra)
            if phrase := next((label for label in labels if label in extra), None):
                return [
                    f"\u201c{phrase}\u201d is on your school's list of phrases that say too "
                    f"little. {WHAT} For example {example}."
                ]
            return [f"{WHAT} For example {example}."]
    if not any(activity(part, extra=extra) for part in parts) and not _defined_monitoring(
        draft, text
    ):
        return [f"Say what will be done. For example {example}."]
    if not says_when(text, draft):
        return [f"{WHEN_MISSING} For example {example}."]
    return []


def _misspelt_label(word: str) -> bool:
    """A long label typed with one letter wrong ("intervension", "suport"), not a longer word
    that starts with one ("supporting")."""
    if len(word) < 6 or word in LABELS:
        return False
    return any(
        len(label) >= 6 and " " not in label and _one_edit_apart(word, label) for label in LABELS
    )


def _one_edit_apart(a: str, b: str) -> bool:
    if abs(len(a) - len(b)) > 1 or a == b:
        return False
    if len(a) == len(b):
        return sum(x != y for x, y in zip(a, b, strict=True)) == 1
    short, long = sorted((a, b), key=len)
    return any(long[:i] + long[i + 1 :] == short for i in range(len(long)))


def _unquoted(text: str) -> str:
    """Words in quotation marks are mentioned, not meant: the Makaton signs for 'help'."""
    return re.sub(r"(?<!\w)'[\w-]{1,20}'(?!\w)|\"[\w-]{1,20}\"", " quoted ", text)


def _explains(following: list[str], extra: tuple[str, ...]) -> bool:
    """Whether what follows a label says what it means: an activity, with no label of its own
    ("1:1 with Miss Ahmed, working through the place value booklet"), after any times ("Fri P1:
    build a revision timetable")."""
    for part in following:
        done, labels = activity(part, extra=extra), _labels_in(part, extra)
        if done or labels:
            return len(done) >= 2 and not labels
    return False


def _fake_time_only(part: str) -> bool:
    """A part whose time is none: "behaviour plan going forward", "reteach where needed after
    the mock" (whether it happens at all is left open)."""
    return bool(FAKE_WHEN.search(part))


def _vague(part: str, extra: tuple[str, ...]) -> bool:
    """Whether a part names help without an activity: a label with too little beside it, or a
    label that puts the decision off ("consider", "look into")."""
    labels = _labels_in(part, extra)
    if not labels:
        return False
    if any(label in extra for label in labels):
        return True
    if any(label in HEDGES or any(goal.match(label) for goal in GOALS) for label in labels):
        # Unless it says how: "address the misconception by reteaching it with a number line".
        return not (BY_DOING.search(part) and len(activity(part, extra=extra)) >= 2)
    if set(labels) <= set(TALKING) and TOPIC.search(part) and WHEN.search(_no_time(part)):
        return False
    # Beside a label, one word is not yet an activity ("address phone use", "refer if no
    # change"): it takes two, "reads the chapter", or a subject practised, "1:1 reading".
    done = activity(part, extra=extra)
    if set(labels) <= set(WEAK_LABELS):
        # "card reviewed with mum every Friday" is done; "review in 6 weeks" is put off.
        return not done and not RECURRING.search(part)
    return len(done) < 2 and not any(word in PRACTICE for word in done)


# Kinds whose impact is checked by looking at something: they say what, when they are agreed.
IMPACT_CHECKED = ("intervention", "reteach", "classroom")
IMPACT_EXAMPLE = (
    "\u201ctwo independent writing samples at the end of the month\u201d or \u201ca "
    "five-question check two days later\u201d"
)


def impact_check_problems(text: str, *, kind: str) -> list[str]:
    """What is wrong with how the action's impact will be checked: interventions, reteaching and
    classroom changes must say what will be looked at, and none may say only "monitor"."""
    said = normalise(text)
    if not said:
        if kind in IMPACT_CHECKED:
            return [f"Say how you will know it worked: for example {IMPACT_EXAMPLE}."]
        return []
    if _vague(said, ()) or not any(activity(part.text) for part in sentences(said)):
        return [f"Say what you will look at to know it worked: for example {IMPACT_EXAMPLE}."]
    return []


def barrier_problems(text: str) -> list[str]:
    """What is wrong with a barrier as written: it must say what is stopping progress, not how
    things are going ("behaviour is poor", "needs support") nor who is to blame ("lazy")."""
    text = normalise(text)
    question = f"{BARRIER_QUESTION} For example {BARRIER_EXAMPLE}."
    if not text:
        return [question]
    blamed = [
        label for label in BLAME if re.search(rf"(?<![\w']){re.escape(label)}(?![\w'])", text)
    ]
    if blamed:
        return [
            f"\u201c{blamed[0]}\u201d blames someone rather than naming the barrier. {question}"
        ]
    said = [word for word in words(text) if word not in GENERAL and word not in WHO]
    if not said:
        return [question]
    return []


def _monitoring_missing(draft: Draft) -> list[str]:
    return [
        label
        for name, label in MONITORING_PARTS.items()
        if not (draft.monitoring or {}).get(name, "").strip()
    ]


def _defined_monitoring(draft: Draft, part: str) -> bool:
    """Monitoring with its five parts counts as what will be done."""
    return draft.kind == "monitoring" and is_monitoring(part) and not _monitoring_missing(draft)

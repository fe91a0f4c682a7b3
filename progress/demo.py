"""The demo trust's organisation: schools, staff with every role, and their school years; and
the demo's timeline, the school days its story hangs on.

Names are made up. Every account shares the password below; it is printed by `seed_demo`.
"""

import bisect
import datetime as dt
import random
from dataclasses import dataclass
from functools import cached_property

from django.contrib.auth.hashers import make_password

from progress.calendar import school_days, standard_half_terms
from progress.models import AcademicYear, Role, School, Trust, User

PASSWORD = "progress-demo"
TRUST = "Brookvale Learning Trust"

LOGINS = [
    ("leader@oakfield.example", "deputy head, senior leader (Oakfield)"),
    ("senco@oakfield.example", "SENCO (Oakfield)"),
    ("teacher@oakfield.example", "Year 6 class teacher (Oakfield)"),
    ("attendance@oakfield.example", "attendance lead (Oakfield)"),
    ("phase@oakfield.example", "KS2 phase leader (Years 3 to 6), Year 5 teacher (Oakfield)"),
    ("year6@oakfield.example", "Year 6 lead (head of year), Year 6 teacher (Oakfield)"),
    ("maths@oakfield.example", "maths lead (head of department), Year 3 teacher (Oakfield)"),
    ("interventions@oakfield.example", "intervention lead (Oakfield)"),
    ("leader@riverside.example", "senior leader (Riverside)"),
    ("teacher@riverside.example", "maths teacher (Riverside)"),
    ("hoy9@riverside.example", "head of Year 9 (Riverside)"),
    ("hod.maths@riverside.example", "head of maths (Riverside)"),
    ("hoy11@riverside.example", "head of Year 11 (Riverside)"),
    ("ks3@riverside.example", "key stage 3 leader, Years 7 to 9 (Riverside)"),
    ("ta@riverside.example", "teaching assistant in a Year 7 maths set (Riverside)"),
    ("interventions@riverside.example", "intervention lead (Riverside)"),
]

OAKFIELD = {
    "name": "Oakfield Primary School",
    "urn": "999101",
    "la_code": "999",
    "establishment_number": "2101",
    "phase": School.Phase.PRIMARY,
    "domain": "oakfield.example",
    # (e-mail local part, name, job title, roles)
    "named_staff": [
        ("head", "Helen Matthews", "Headteacher", [Role.SENIOR_LEADER]),
        ("leader", "Sarah Okafor", "Deputy headteacher", [Role.SENIOR_LEADER]),
        ("senco", "Priya Sharma", "SENCO", [Role.SENCO]),
        ("teacher", "Tom Bennett", "Year 6 class teacher (6N)", [Role.TEACHER]),
        ("attendance", "Karen Walsh", "Attendance lead", [Role.ATTENDANCE_LEAD]),
        (
            "pastoral",
            "Gemma Lewis",
            "Pastoral lead, Year 4 teacher (4S)",
            [Role.PASTORAL_LEAD, Role.TEACHER],
        ),
        (
            "pp",
            "Imran Hussain",
            "Pupil premium lead, Year 2 teacher (2N)",
            [Role.PUPIL_PREMIUM_LEAD, Role.TEACHER],
        ),
        ("office", "Julie Parker", "School business manager", [Role.SCHOOL_ADMIN]),
        (
            "phase",
            "Rosie Whitfield",
            "KS2 phase leader, Year 5 class teacher (5S)",
            [Role.PHASE_LEADER, Role.TEACHER],
        ),
        (
            "year6",
            "Marcus Reid",
            "Year 6 lead, Year 6 class teacher (6S)",
            [Role.HEAD_OF_YEAR, Role.TEACHER],
        ),
        (
            "maths",
            "Leanne Hughes",
            "Maths lead, Year 3 class teacher (3N)",
            [Role.HEAD_OF_DEPARTMENT, Role.TEACHER],
        ),
        ("interventions", "Bronwen Lloyd", "Intervention lead", [Role.INTERVENTION_LEAD]),
    ],
    # The line managers' remits, by e-mail local part.
    "remits": {
        "phase": {"remit_year_groups": [3, 4, 5, 6]},
        "year6": {"remit_year_groups": [6]},
        "maths": {"remit_subject": "Maths"},
    },
    # Two classes a year, Reception to Year 6; the named staff above teach six of them.
    "teaching_posts": [
        f"{'Reception' if year == 'R' else 'Year ' + year} class teacher ({year}{side})"
        for year in "R123456"
        for side in "NS"
        if f"{year}{side}" not in {"6N", "4S", "2N", "5S", "6S", "3N"}
    ],
    "assistants": 4,
}

RIVERSIDE = {
    "name": "Riverside Academy",
    "urn": "999102",
    "la_code": "999",
    "establishment_number": "4101",
    "phase": School.Phase.SECONDARY,
    "domain": "riverside.example",
    "named_staff": [
        ("head", "Mark Donnelly", "Principal", [Role.SENIOR_LEADER]),
        (
            "leader",
            "Amanda Clarke",
            "Assistant principal (progress and standards)",
            [Role.SENIOR_LEADER],
        ),
        ("teacher", "Daniel Osei", "Maths teacher", [Role.TEACHER]),
        ("senco", "Rachel Evans", "SENCO", [Role.SENCO]),
        (
            "hoy9",
            "Aisha Begum",
            "Head of Year 9",
            [Role.HEAD_OF_YEAR, Role.TEACHER],
        ),
        ("pastoral", "Leon Grant", "Pastoral lead", [Role.PASTORAL_LEAD]),
        ("attendance", "Paul Fletcher", "Attendance officer", [Role.ATTENDANCE_LEAD]),
        (
            "pp",
            "Chloe Turner",
            "Pupil premium lead, English teacher",
            [Role.PUPIL_PREMIUM_LEAD, Role.TEACHER],
        ),
        ("office", "Steven Wright", "Data manager", [Role.SCHOOL_ADMIN]),
        ("hod.maths", "Femi Adebayo", "Head of maths", [Role.HEAD_OF_DEPARTMENT]),
        ("hoy11", "Joseph Carter", "Head of Year 11", [Role.HEAD_OF_YEAR]),
        ("ks3", "Yasmin Farouk", "Key stage 3 leader", [Role.PHASE_LEADER]),
        ("ta", "Shauna Doyle", "Teaching assistant, Year 7 maths", [Role.TEACHING_ASSISTANT]),
        ("interventions", "Declan Burke", "Intervention lead", [Role.INTERVENTION_LEAD]),
    ],
    # The line managers' remits, by e-mail local part.
    "remits": {
        "hoy9": {"remit_year_groups": [9]},
        "hod.maths": {"remit_subject": "Maths"},
        "hoy11": {"remit_year_groups": [11]},
        "ks3": {"remit_year_groups": [7, 8, 9]},
    },
    "teaching_posts": [
        f"{subject} teacher"
        for subject, count in [
            ("English", 3),
            ("Maths", 3),
            ("Science", 4),
            ("History", 1),
            ("Geography", 1),
            ("French", 1),
            ("Computing", 1),
            ("Art", 1),
            ("PE", 2),
        ]
        for _ in range(count)
    ],
    "assistants": 3,
}

FIRST_NAMES = [
    "Adam",
    "Aisha",
    "Amelia",
    "Andrew",
    "Anna",
    "Ben",
    "Bethan",
    "Catherine",
    "Chris",
    "Claire",
    "Connor",
    "Deborah",
    "Dylan",
    "Eleanor",
    "Emma",
    "Fatima",
    "Gareth",
    "Grace",
    "Hannah",
    "Harpreet",
    "Ian",
    "Jack",
    "James",
    "Jasmine",
    "Joanne",
    "Kate",
    "Kwame",
    "Laura",
    "Liam",
    "Lucy",
    "Mohammed",
    "Nadia",
    "Natalie",
    "Niamh",
    "Oliver",
    "Rebecca",
    "Rhys",
    "Sam",
    "Sinead",
    "Sophie",
    "Stuart",
    "Tariq",
    "Vicky",
    "Zainab",
    "Zoe",
]
SURNAMES = [
    "Ahmed",
    "Ali",
    "Bailey",
    "Brown",
    "Campbell",
    "Chen",
    "Cooper",
    "Davies",
    "Edwards",
    "Green",
    "Hall",
    "Harris",
    "Jackson",
    "Jones",
    "Kaur",
    "Kelly",
    "Khan",
    "Martin",
    "Mensah",
    "Morgan",
    "Murphy",
    "Nowak",
    "O'Brien",
    "Patel",
    "Phillips",
    "Price",
    "Roberts",
    "Robinson",
    "Singh",
    "Smith",
    "Taylor",
    "Thomas",
    "Thompson",
    "Walker",
    "Ward",
    "Watson",
    "White",
    "Williams",
    "Wilson",
    "Wood",
    "Wright",
    "Young",
]


@dataclass(frozen=True)
class Timeline:
    """Today on the demo schools' calendar (the standard one), and the school days around it.

    The demo is made relative to today so that it always looks current. It shows the school
    year in progress or, once that year's last school day has come, the one about to start:
    pupils are in that year's year groups. Every date it makes for people to act on (meetings,
    deadlines, review dates) is a school day; nothing else is after today.
    """

    today: dt.date
    start_year: int  # the school year shown starts in September of this year
    days: tuple[dt.date, ...]  # the school days of last year, this year and next year

    @classmethod
    def on(cls, today: dt.date) -> "Timeline":
        start_year = today.year if today.month >= 9 else today.year - 1
        if school_days(standard_half_terms(start_year=start_year))[-1] <= today:
            start_year += 1  # the summer holiday: next year's classes are what matters now
        days = [
            day
            for year in (start_year - 1, start_year, start_year + 1)
            for day in school_days(standard_half_terms(start_year=year))
        ]
        return cls(today=today, start_year=start_year, days=tuple(days))

    @property
    def start_years(self) -> list[int]:
        """The school years the demo schools need: last year, this year, and from March on
        next year too, since plans and reviews made from then on can fall in it."""
        years = [self.start_year - 1, self.start_year]
        if self.today >= dt.date(self.start_year + 1, 3, 1):
            years.append(self.start_year + 1)
        return years

    @cached_property
    def year_days(self) -> list[dt.date]:
        """The school days of the year shown."""
        return school_days(standard_half_terms(start_year=self.start_year))

    def is_school_day(self, day: dt.date) -> bool:
        index = bisect.bisect_left(self.days, day)
        return index < len(self.days) and self.days[index] == day

    def before(self, count: int, day: dt.date | None = None) -> dt.date:
        """The `count`-th school day before `day` (today by default): 1 is the one before."""
        return self.days[bisect.bisect_left(self.days, day or self.today) - count]

    def after(self, count: int, day: dt.date | None = None) -> dt.date:
        """The `count`-th school day after `day` (today by default): 1 is the next one."""
        return self.days[bisect.bisect_right(self.days, day or self.today) + count - 1]

    def ahead(self, count: int) -> dt.date:
        """The `count`-th school day after today, or the year's last school day if it comes
        first: what is planned now happens in the year shown."""
        return min(self.after(count), self.year_days[-1])

    def on_or_after(self, day: dt.date) -> dt.date:
        return self.after(1, day - dt.timedelta(days=1))

    def on_or_before(self, day: dt.date) -> dt.date:
        return self.before(1, day + dt.timedelta(days=1))

    def days_before_today(self, start_year: int) -> list[dt.date]:
        """The school days of the year starting in `start_year` that are over by today."""
        days = school_days(standard_half_terms(start_year=start_year))
        return days[: bisect.bisect_left(days, self.today)]


def load(*, seed: int, timeline: Timeline) -> dict[str, int]:
    """Replace the demo trust with a fresh copy; returns how many of each thing it made."""
    School.objects.filter(urn__in=[OAKFIELD["urn"], RIVERSIDE["urn"]]).delete()
    trust, _ = Trust.objects.get_or_create(name=TRUST)
    # One hash for every demo account: hashing each of them would take a minute.
    password = make_password(PASSWORD)
    staff = 0
    for spec in (OAKFIELD, RIVERSIDE):
        rng = random.Random(f"{seed}:{spec['urn']}:staff")
        school = School.objects.create(
            trust=trust,
            **{
                key: spec[key]
                for key in ("name", "urn", "la_code", "establishment_number", "phase")
            },
        )
        for year in timeline.start_years:
            AcademicYear.objects.create_standard(school=school, start_year=year)
        people = [(f"{local}@{spec['domain']}", *rest) for local, *rest in spec["named_staff"]]
        people += [(None, None, post, [Role.TEACHER]) for post in spec["teaching_posts"]] + [
            (None, None, "Teaching assistant", [Role.TEACHING_ASSISTANT])
        ] * spec["assistants"]
        remits = {f"{local}@{spec['domain']}": remit for local, remit in spec["remits"].items()}
        used = {name for _, name, _, _ in people if name}
        for email, name, job_title, roles in people:
            if name is None:
                name = _new_name(rng, used)
                email = f"{name.lower().replace(' ', '.').replace(chr(39), '')}@{spec['domain']}"
            user = User.objects.create(
                email=email,
                display_name=name,
                job_title=job_title,
                school=school,
                password=password,
                **remits.get(email, {}),
            )
            user.set_roles(roles)
            staff += 1
    return {"schools": 2, "staff": staff}


def _new_name(rng: random.Random, used: set[str]) -> str:
    while True:
        name = f"{rng.choice(FIRST_NAMES)} {rng.choice(SURNAMES)}"
        if name not in used:
            used.add(name)
            return name

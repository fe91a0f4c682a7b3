"""The demo trust's pupils: classes and sets, with census characteristics at national-like rates.

Rates are close to England's published figures: about a quarter eligible for free school meals,
13% on SEN support, 2 to 4% with an EHC plan, a fifth with English as an additional language.
"""

import datetime as dt
import random
import re

from progress import demo as organisation
from progress.demo import Timeline
from progress.models import AcademicYear, Role, School
from pupils import demo_data
from pupils.domain import SenNeed, SenProvision, YearGroup, upn_check_letter
from pupils.models import Characteristics, Group, Membership, Pupil

FORENAMES = [
    "Olivia",
    "Muhammad",
    "Amelia",
    "Harry",
    "Isla",
    "George",
    "Ava",
    "Noah",
    "Lily",
    "Leo",
    "Freya",
    "Oscar",
    "Sophia",
    "Arthur",
    "Grace",
    "Jack",
    "Aisha",
    "Yusuf",
    "Maya",
    "Theo",
    "Zoë",
    "Chloé",
    "Siân",
    "Seán",
    "Niamh",
    "Callum",
    "Fatima",
    "Ibrahim",
    "Priya",
    "Arjun",
    "Hannah",
    "Ruby",
    "Alfie",
    "Evie",
    "Kacper",
    "Zuzanna",
    "Tobi",
    "Adaeze",
    "Kai",
    "Ellie",
    "Reuben",
    "Poppy",
    "Rhys",
    "Layla",
    "Ethan",
    "Mia",
    "Jayden",
    "Ivy",
    "Bilal",
    "Nadia",
]
SURNAMES = [
    "Smith",
    "Jones",
    "Taylor",
    "Brown",
    "Williams",
    "Wilson",
    "Johnson",
    "Davies",
    "Patel",
    "Khan",
    "Hughes",
    "Rahman",
    "Kaur",
    "Singh",
    "Okafor",
    "Lloyd",
    "Novak",
    "Mahmood",
    "Shaw",
    "Doyle",
    "Pearce",
    "Nash",
    "O’Connor",
    "D’Souza",
    "Kowalski",
    "Nowak",
    "Adeyemi",
    "Mensah",
    "Begum",
    "Hussain",
    "Evans",
    "Thomas",
    "Roberts",
    "Walker",
    "Wright",
    "Green",
    "Hall",
    "Clarke",
    "Murphy",
    "Ahmed",
    "Ali",
    "Chen",
    "Nguyen",
    "Fraser",
    "MacDonald",
    "Byrne",
]
# The Riverside maths set the named teaching assistant works in: her group.
ASSISTANT_SET = "7/Ma5"
# Need types weighted roughly as the census reports them for pupils on SEN support.
NEEDS = (
    [SenNeed.SLCN] * 5
    + [SenNeed.SEMH] * 4
    + [SenNeed.SPLD] * 3
    + [SenNeed.MLD] * 3
    + [SenNeed.ASD] * 2
    + [SenNeed.PD, SenNeed.HI, SenNeed.VI, SenNeed.OTH, SenNeed.NSA]
)
# An EHC plan most often names autism, speech and language, or social and emotional needs.
EHC_NEEDS = (
    [SenNeed.ASD] * 4
    + [SenNeed.SLCN] * 2
    + [SenNeed.SEMH] * 2
    + [
        SenNeed.SLD,
        SenNeed.PMLD,
        SenNeed.PD,
    ]
)


def load(*, seed: int, timeline: Timeline) -> dict[str, int]:
    """Pupils, groups and characteristics for the two demo schools (already loaded)."""
    keys: dict[int, str] = {}
    oakfield = School.objects.get(urn=organisation.OAKFIELD["urn"])
    classes = [f"{'R' if year == 0 else year}{side}" for year in range(7) for side in "NS"]
    load_school(oakfield, seed, timeline, keys, forms=classes, per_form=29)
    riverside = School.objects.get(urn=organisation.RIVERSIDE["urn"])
    forms = [f"{year}{letter}" for year in range(7, 12) for letter in "ABCDE"]
    load_school(riverside, seed, timeline, keys, forms=forms, per_form=28)
    _load_maths_sets(riverside)
    demo_data.load(keys=keys, timeline=timeline)
    return {"pupils": len(keys)}


def load_school(school, seed, timeline, keys, *, forms, per_form) -> None:
    """One school's classes, pupils and census records (the trust-sized demo uses it too).
    Each pupil is drawn from a random stream of their own, keyed by the seed and their place
    in the school (form and number on the register): the same seed gives the same pupils, with
    the same abilities and habits, whatever the date and however many days the demo covers."""
    years = {year.starts_on.year: year for year in AcademicYear.objects.filter(school=school)}
    this_year, last_year = years[timeline.start_year], years[timeline.start_year - 1]
    teachers = list(school.staff.filter(staff_roles__role=Role.TEACHER).order_by("pk"))
    class_teachers = {
        match.group(1): teacher
        for teacher in teachers
        if (match := re.search(r"\((\w+)\)$", teacher.job_title))
    }
    pupils, memberships, places = [], [], []
    youngest = min(_year_of(form) for form in forms)
    for index, form in enumerate(forms):
        year = _year_of(form)
        group = Group.objects.create(
            school=school, name=form, kind=Group.Kind.REGISTRATION, year_group=year
        )
        group.teachers.add(
            class_teachers.get(form) or teachers[index % len(teachers)],
            through_defaults={"school": school},
        )
        size = per_form - random.Random(f"{seed}:{school.urn}:{form}").randint(0, 3)
        for number in range(1, size + 1):
            key = f"{seed}:{school.urn}:{form}:{number}"
            # A UPN numbers a school's pupils in three digits within their year of entry:
            # each year group's numbers run on from the last, so a school of over 999 pupils
            # (the trust-sized demo's secondaries) starts again at 1 (another year of entry).
            pupil = _new_pupil(
                school, random.Random(f"{key}:pupil"), year, this_year.starts_on,
                serial=len(pupils) % 999 + 1,
            )  # fmt: skip
            pupils.append(pupil)
            places.append(key)
            memberships.append((group, pupil))
    Pupil.objects.bulk_create(pupils)
    Membership.objects.bulk_create(
        Membership(school=school, group=group, pupil=pupil) for group, pupil in memberships
    )
    records = []
    for pupil, key in zip(pupils, places, strict=True):
        keys[pupil.pk] = key
        rng = random.Random(f"{key}:census")
        census = _characteristics(rng)
        records.append(
            Characteristics(school=school, pupil=pupil, academic_year=this_year, **census)
        )
        if pupil.year_group > youngest:  # the youngest join the school this year
            census["fsm"] = census["fsm"] and rng.random() > 0.1  # some newly eligible
            records.append(
                Characteristics(school=school, pupil=pupil, academic_year=last_year, **census)
            )
    Characteristics.objects.bulk_create(records)


def _year_of(form: str) -> YearGroup:
    return YearGroup(0 if form[0] == "R" else int(re.match(r"\d+", form).group()))


def _new_pupil(school, rng, year, september: dt.date, *, serial: int) -> Pupil:
    born_from = dt.date(september.year - 5 - year, 9, 1)
    entry_year = september.year - (year - (0 if school.phase == School.Phase.PRIMARY else 7))
    body = f"{school.la_code}{school.establishment_number}{entry_year % 100:02d}{serial:03d}"
    forename = rng.choice(FORENAMES)
    return Pupil(
        school=school,
        upn=upn_check_letter(f"?{body}") + body,
        admission_number=f"{entry_year}{serial:04d}",
        legal_forename=forename,
        legal_surname=rng.choice(SURNAMES),
        preferred_forename={"Muhammad": "Mo", "Alfie": "Alf"}.get(forename, "")
        if rng.random() < 0.3
        else "",
        date_of_birth=born_from + dt.timedelta(days=rng.randrange(365)),
        year_group=year,
    )


def _characteristics(rng: random.Random) -> dict:
    fsm = rng.random() < 0.25
    ever_6_fsm = fsm or rng.random() < 0.03
    looked_after = rng.random() < 0.007
    previously_looked_after = not looked_after and rng.random() < 0.01
    roll = rng.random()
    provision = (
        SenProvision.EHC_PLAN
        if roll < 0.03
        else SenProvision.SEN_SUPPORT
        if roll < 0.16
        else SenProvision.NONE
    )
    primary_need = secondary_need = ""
    if provision == SenProvision.EHC_PLAN:
        primary_need = rng.choice(EHC_NEEDS)
    elif provision == SenProvision.SEN_SUPPORT:
        primary_need = rng.choice(NEEDS)
    if primary_need and rng.random() < 0.2:
        secondary_need = rng.choice([need for need in NEEDS if need != primary_need])
    return {
        "sen_provision": provision,
        "primary_need": primary_need,
        "secondary_need": secondary_need,
        "fsm": fsm,
        "ever_6_fsm": ever_6_fsm,
        "pupil_premium": ever_6_fsm or looked_after or previously_looked_after,
        "looked_after": looked_after,
        "previously_looked_after": previously_looked_after,
        "eal": rng.random() < 0.2,
        "service_child": rng.random() < 0.01,
    }


def _load_maths_sets(school: School) -> None:
    """Five maths sets a year group; the demo maths teacher takes one set in each year, and the
    named teaching assistant works in one Year 7 set."""
    maths_teachers = list(school.staff.filter(job_title="Maths teacher").order_by("pk"))
    assistant = school.staff.get(email=f"ta@{organisation.RIVERSIDE['domain']}")
    for year in range(7, 12):
        pupils = list(Pupil.objects.filter(school=school, year_group=year).order_by("upn"))
        for number in range(1, 6):
            group = Group.objects.create(
                school=school,
                name=f"{year}/Ma{number}",
                kind=Group.Kind.TEACHING,
                year_group=year,
                subject="Maths",
            )
            school_row = {"school": school}
            group.teachers.add(
                maths_teachers[(year + number) % len(maths_teachers)], through_defaults=school_row
            )
            if group.name == ASSISTANT_SET:
                group.teachers.add(assistant, through_defaults=school_row)
            group.pupils.set(pupils[number - 1 :: 5], through_defaults=school_row)

"""Pupils and this year's census characteristics, matched by UPN."""

from collections import defaultdict

from progress.models import AcademicYear, User
from pupils.domain import SenProvision
from pupils.importing import values
from pupils.importing.base import Column, Importer, Outcome, Problem, Record
from pupils.models import Characteristics, Group, Membership, Pupil, Teaching

PUPIL_FIELDS = [
    "legal_surname", "legal_forename", "preferred_forename", "preferred_surname",
    "date_of_birth", "year_group", "admission_number", "date_left",
]  # fmt: skip
CHARACTERISTIC_FIELDS = [
    "sen_provision", "primary_need", "secondary_need", "pupil_premium", "fsm", "ever_6_fsm",
    "looked_after", "previously_looked_after", "eal", "service_child", "send_plan_review_on",
]  # fmt: skip


def optional(name, label, headers, read, max_length=100):
    return Column(name, label, headers, read, required=False, max_length=max_length)


class PupilImporter(Importer):
    kind = "pupils"
    label = "Pupils and characteristics"
    columns = [
        Column("upn", "UPN", ("UPN", "Unique Pupil Number"), values.upn),
        Column("legal_surname", "Legal surname", ("Legal Surname", "Surname", "Last Name", "Family Name"), values.required_text),
        Column("legal_forename", "Legal forename", ("Legal Forename", "Forename", "First Name", "Given Name"), values.required_text),
        optional("preferred_forename", "Preferred forename", ("Preferred Forename", "Preferred First Name", "Known As"), values.text),
        optional("preferred_surname", "Preferred surname", ("Preferred Surname", "Preferred Last Name"), values.text),
        Column("date_of_birth", "Date of birth", ("Date of Birth", "DOB", "Birth Date"), values.date),
        Column("year_group", "Year group", ("Year", "Year Group", "NC Year", "National Curriculum Year"), values.year_group),
        optional("registration_group", "Registration class", ("Reg Group", "Registration Group", "Registration Form", "Class", "Form", "Form Group", "Tutor Group", "Reg"), values.text, 50),
        optional("class_teacher", "Class teacher", ("Class Teacher", "Teacher", "Form Tutor", "Reg Group Teacher", "Registration Group Teacher", "Form Teacher", "Class Tutor"), values.text, 254),
        optional("admission_number", "Admission number", ("Admission Number", "Adno", "Adm No"), values.text, 20),
        optional("date_left", "Date left", ("Date of Leaving", "Leaving Date", "Date Left"), values.optional_date),
        optional("sen_provision", "SEN provision", ("SEN Status", "SEN Provision", "SEN"), values.sen_provision),
        optional("primary_need", "Primary need", ("Primary Need", "SEN Primary Need", "Primary SEN Need", "Primary SEN Type", "SEN Need Type", "SEN Type"), values.sen_need),
        optional("secondary_need", "Secondary need", ("Secondary Need", "SEN Secondary Need"), values.sen_need),
        optional("pupil_premium", "Pupil premium", ("Pupil Premium", "PP", "Pupil Premium Indicator"), values.truth),
        optional("fsm", "FSM", ("FSM", "Free School Meals", "FSM Eligible"), values.truth),
        optional("ever_6_fsm", "FSM Ever 6", ("FSM Ever 6", "Ever 6 FSM", "Ever 6", "FSM6"), values.truth),
        optional("looked_after", "Looked after", ("Looked After", "CLA", "LAC", "In Care"), values.truth),
        optional("previously_looked_after", "Previously looked after", ("Previously Looked After", "PLAC", "Post LAC"), values.truth),
        optional("eal", "EAL", ("EAL", "English as an Additional Language", "English as Additional Language", "EAL Status"), values.truth),
        optional("service_child", "Service child", ("Service Child", "Service Children", "Service Children in Education", "Forces Child"), values.truth),
        optional("send_plan_review_on", "SEND plan review date", ("SEN Review Date", "Plan Review Date", "SEND Review Date"), values.optional_date),
    ]  # fmt: skip

    def apply(self, records: list[Record], outcome: Outcome) -> None:
        year = AcademicYear.objects.filter(school=self.school).containing(self.today).first()
        if year is None:
            outcome.problems.append(
                Problem(
                    1,
                    "-",
                    "the school has no academic year covering today: add it on the school calendar first",
                )
            )
            return
        records = self._without_duplicates(records, outcome)
        for record in records:
            if record.values.get("primary_need") and record.values.get("sen_provision") in (
                None,
                SenProvision.NONE,
            ):
                self.problem(
                    outcome,
                    record,
                    "primary_need",
                    "a need type needs SEN provision K (SEN support) or E (EHC plan)",
                )
        teachers = self._class_teachers(records, outcome)
        if outcome.problems:
            return
        existing = {
            pupil.upn: pupil
            for pupil in Pupil.objects.filter(
                school=self.school, upn__in=[r.values["upn"] for r in records]
            )
        }
        census = {
            c.pupil_id: c
            for c in Characteristics.objects.filter(pupil__in=existing.values(), academic_year=year)
        }
        groups = {
            group.name: group
            for group in Group.objects.filter(school=self.school, kind=Group.Kind.REGISTRATION)
        }
        classes = {
            (m.pupil_id): m.group.name
            for m in Membership.objects.filter(
                school=self.school, pupil__in=existing.values(), group__kind=Group.Kind.REGISTRATION
            ).select_related("group")
        }
        taught = set()  # (class, teacher) pairs the school has, and those the file adds
        if teachers:
            taught = set(
                Teaching.objects.filter(
                    school=self.school, group__kind=Group.Kind.REGISTRATION
                ).values_list("group__name", "user_id")
            )
        new_teachers = []
        new_pupils, changed_pupils, new_census, changed_census, moves = [], [], [], [], []
        for record in records:
            data = record.values
            pupil = existing.get(data["upn"])
            created = pupil is None
            if created:
                pupil = Pupil(school=self.school, upn=data["upn"])
            pupil_changed = _assign(pupil, data, PUPIL_FIELDS)
            record_census = None if created else census.get(pupil.pk)
            census_created = record_census is None
            if census_created:
                record_census = Characteristics(school=self.school, academic_year=year)
            census_changed = _assign(record_census, data, CHARACTERISTIC_FIELDS)
            class_name = data.get("registration_group")
            class_changed = bool(class_name) and classes.get(pupil.pk) != class_name
            teacher = teachers.get(record.row)
            gains_teacher = teacher is not None and (class_name, teacher.pk) not in taught
            if gains_teacher:
                taught.add((class_name, teacher.pk))
                new_teachers.append((class_name, teacher))
            if created:
                new_pupils.append(pupil)
                outcome.created += 1
            elif pupil_changed or class_changed or census_changed or gains_teacher:
                outcome.updated += 1
            else:
                outcome.unchanged += 1
            if pupil_changed and not created:
                changed_pupils.append(pupil)
            if census_created:
                new_census.append((pupil, record_census))
            elif census_changed:
                changed_census.append(record_census)
            if class_changed:
                moves.append((pupil, class_name))
        Pupil.objects.bulk_create(new_pupils, batch_size=1000)
        Pupil.objects.bulk_update(changed_pupils, PUPIL_FIELDS, batch_size=1000)
        for pupil, record_census in new_census:
            record_census.pupil = pupil
        Characteristics.objects.bulk_create([c for _, c in new_census], batch_size=1000)
        Characteristics.objects.bulk_update(changed_census, CHARACTERISTIC_FIELDS, batch_size=1000)
        self._move_classes(moves, groups)
        self._add_teachers(new_teachers, groups, outcome)

    def _without_duplicates(self, records: list[Record], outcome: Outcome) -> list[Record]:
        """The records, with a problem for each UPN that appears on an earlier row too."""
        first_row: dict[str, int] = {}
        for record in records:
            upn = record.values["upn"]
            if upn in first_row:
                self.problem(
                    outcome,
                    record,
                    "upn",
                    f"{upn} is also on row {first_row[upn]}: each pupil once",
                )
            else:
                first_row[upn] = record.row
        return records

    def _class_teachers(self, records: list[Record], outcome: Outcome) -> dict[int, User]:
        """Each row's class teacher by row number, found among the school's active staff by
        e-mail address or by name as Progress shows it. A teacher who fits nobody, or more than
        one, is left for the Classes and teachers screen with a note, never a problem: an MIS
        export's teacher column names people as the MIS does, and the pupils still import."""
        named = [record for record in records if record.values.get("class_teacher")]
        if not named:
            return {}
        by_email, by_name = {}, defaultdict(list)
        for user in User.objects.filter(school=self.school):
            by_email[user.email.lower()] = user
            by_name[_name_key(user.display_name)].append(user)
        teachers, unmatched = {}, defaultdict(list)
        for record in named:
            given = record.values["class_teacher"]
            found = [by_email[given.lower()]] if given.lower() in by_email else []
            active = [user for user in found or by_name[_name_key(given)] if user.is_active]
            if len(active) == 1 and record.values.get("registration_group"):
                teachers[record.row] = active[0]
            elif active and not record.values.get("registration_group"):
                unmatched[f"{given!r} has no class in the same row"].append(record.row)
            elif active:
                unmatched[f"{given!r} could be any of {len(active)} members of staff"].append(
                    record.row
                )
            else:
                unmatched[f"{given!r} is not an active member of staff here"].append(record.row)
        for why, rows in list(unmatched.items())[:NOTED_TEACHERS]:
            where = ", ".join(str(row) for row in rows[:3]) + (
                f" and {len(rows) - 3} more" if len(rows) > 3 else ""
            )
            outcome.notes.append(
                f"Class teacher not set (row{'s' if len(rows) > 1 else ''} {where}): {why}. "
                "Use their e-mail address, or set it on Classes and teachers."
            )
        if len(unmatched) > NOTED_TEACHERS:
            outcome.notes.append(f"…and {len(unmatched) - NOTED_TEACHERS} more teachers not set.")
        return teachers

    def _add_teachers(self, new_teachers, groups, outcome: Outcome) -> None:
        """Add each class's new teachers beside those it has: an import never removes one."""
        if not new_teachers:
            return
        Teaching.objects.bulk_create(
            Teaching(school=self.school, group=groups[name], user=teacher)
            for name, teacher in new_teachers
        )
        added = ", ".join(f"{teacher} ({name})" for name, teacher in new_teachers)
        outcome.notes.append(f"New class teachers: {added}.")

    def _move_classes(self, moves, groups) -> None:
        if not moves:
            return
        for _, name in moves:
            if name not in groups:
                groups[name] = Group.objects.create(
                    school=self.school, name=name, kind=Group.Kind.REGISTRATION
                )
        Membership.objects.filter(
            school=self.school,
            pupil__in=[pupil for pupil, _ in moves],
            group__kind=Group.Kind.REGISTRATION,
        ).delete()
        Membership.objects.bulk_create(
            (
                Membership(school=self.school, group=groups[name], pupil=pupil)
                for pupil, name in moves
            ),
            batch_size=1000,
        )


NOTED_TEACHERS = 10  # unmatched teachers named in an import's notes; the rest are counted


def _name_key(name: str) -> str:
    """Names compare without case or extra spaces: "mrs  patel" is "Mrs Patel"."""
    return " ".join(name.split()).casefold()


def _assign(instance, data: dict, fields: list[str]) -> bool:
    """Set the fields the file has; True if any value changed."""
    changed = False
    for name in fields:
        if name in data and getattr(instance, name) != data[name]:
            setattr(instance, name, data[name])
            changed = True
    return changed

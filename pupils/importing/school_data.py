"""Attendance, assessments, behaviour and interventions, each matched to pupils by UPN."""

import re

from pupils import attendance
from pupils.importing import values
from pupils.importing.base import Column, Importer, Outcome, Record
from pupils.models import (
    AssessmentPoint,
    AttendanceMark,
    AttendanceSummary,
    BehaviourIncident,
    Intervention,
    InterventionPlace,
    MissedTopic,
    Result,
    Scale,
)

UPN = Column("upn", "UPN", ("UPN", "Unique Pupil Number"), values.upn)


def optional(name, label, headers, read, max_length=100):
    return Column(name, label, headers, read, required=False, max_length=max_length)


def mark_code(value: str) -> str:
    return attendance.parse_code(value)


def _duplicates(importer, records, outcome, key, what: str) -> None:
    first_row = {}
    for record in records:
        identity = key(record.values)
        if identity in first_row:
            importer.problem(
                outcome, record, "upn", f"the same {what} as row {first_row[identity]}"
            )
        else:
            first_row[identity] = record.row


class AttendanceMarkImporter(Importer):
    kind = "attendance"
    label = "Attendance register marks"
    columns = [
        UPN,
        Column("date", "Date", ("Date", "Session Date", "Register Date"), values.date),
        Column("session", "Session", ("Session", "AM/PM", "Session (AM/PM)"), values.session),
        Column("code", "Mark", ("Mark", "Code", "Attendance Code", "Attendance Mark"), mark_code),
    ]

    def apply(self, records: list[Record], outcome: Outcome) -> None:
        pupils = self.pupils_by_upn(records, outcome)
        _duplicates(
            self, records, outcome, lambda v: (v["upn"], v["date"], v["session"]), "session"
        )
        if outcome.problems:
            return
        dates = [record.values["date"] for record in records]
        existing = {
            (mark.pupil_id, mark.date, mark.session): mark
            for mark in AttendanceMark.objects.filter(
                pupil__in=pupils.values(), date__range=(min(dates), max(dates))
            )
        }
        rows = []
        for record in records:
            data, pupil = record.values, pupils[record.values["upn"]]
            values = {
                "pupil": pupil,
                "date": data["date"],
                "session": data["session"],
                "code": data["code"],
            }
            rows.append(((pupil.pk, data["date"], data["session"]), values))
        self.upsert(outcome, AttendanceMark, existing=existing, rows=rows, fields=["code"])


class AttendanceSummaryImporter(Importer):
    kind = "attendance"
    label = "Attendance period summaries"
    columns = [
        UPN,
        Column("starts_on", "From", ("From", "Start Date", "Date From", "Period Start"), values.date),
        Column("ends_on", "To", ("To", "End Date", "Date To", "Period End"), values.date),
        Column("possible_sessions", "Possible sessions", ("Possible Sessions", "Possible", "Possible Marks"), values.count),
        Column("present_sessions", "Present sessions", ("Present Sessions", "Present", "Attended", "Attendances"), values.count),
        optional("authorised_absences", "Authorised", ("Authorised", "Authorised Absences", "Authorised Absence"), values.optional_count),
        optional("unauthorised_absences", "Unauthorised", ("Unauthorised", "Unauthorised Absences", "Unauthorised Absence"), values.optional_count),
        optional("lates", "Lates", ("Lates", "Late", "Late Marks"), values.optional_count),
    ]  # fmt: skip
    fields = [
        "possible_sessions",
        "present_sessions",
        "authorised_absences",
        "unauthorised_absences",
        "lates",
    ]

    def apply(self, records: list[Record], outcome: Outcome) -> None:
        pupils = self.pupils_by_upn(records, outcome)
        _duplicates(
            self, records, outcome, lambda v: (v["upn"], v["starts_on"], v["ends_on"]), "period"
        )
        for record in records:
            data = record.values
            if data["ends_on"] < data["starts_on"]:
                self.problem(outcome, record, "ends_on", "the period ends before it starts")
            if data["present_sessions"] > data["possible_sessions"]:
                self.problem(
                    outcome, record, "present_sessions", "more sessions present than possible"
                )
        if outcome.problems:
            return
        existing = {
            (s.pupil_id, s.starts_on, s.ends_on): s
            for s in AttendanceSummary.objects.filter(pupil__in=pupils.values())
        }
        rows = []
        for record in records:
            data, pupil = record.values, pupils[record.values["upn"]]
            values = {name: data.get(name) or 0 for name in self.fields}
            values |= {"pupil": pupil, "starts_on": data["starts_on"], "ends_on": data["ends_on"]}
            rows.append(((pupil.pk, data["starts_on"], data["ends_on"]), values))
        self.upsert(outcome, AttendanceSummary, existing=existing, rows=rows, fields=self.fields)


def topics(value: str) -> list[str]:
    found = [topic.strip() for topic in re.split(r"[;|]", value) if topic.strip()]
    if too_long := [topic for topic in found if len(topic) > 100]:
        raise ValueError(f"a topic is {len(too_long[0]):,} characters long; at most 100")
    return found


class AssessmentImporter(Importer):
    kind = "assessments"
    label = "Assessment results"
    columns = [
        UPN,
        Column("subject", "Subject", ("Subject", "Aspect", "Subject Name"), values.required_text, max_length=50),
        Column("point", "Assessment point", ("Assessment Point", "Assessment", "Data Drop", "Term", "Collection"), values.required_text, max_length=50),
        optional("date", "Date", ("Date", "Assessment Date", "Point Date"), values.optional_date),
        Column("scale", "Scale", ("Scale", "Grade Type", "Result Type", "Grade Set"), values.required_text),
        Column("result", "Result", ("Result", "Grade", "Score", "Value", "Mark"), values.required_text, max_length=20),
        optional("missed_topics", "Missed topics", ("Missed Topics", "Gaps", "Topics Missed", "Questions Missed"), topics),
        # Effort is graded with the result on its own scale: never part of the result itself.
        optional("effort", "Effort", ("Effort", "Effort Grade", "Effort Level", "Attitude to Learning", "ATL"), values.effort),
    ]  # fmt: skip

    def apply(self, records: list[Record], outcome: Outcome) -> None:
        pupils = self.pupils_by_upn(records, outcome)
        _duplicates(
            self,
            records,
            outcome,
            lambda v: (v["upn"], v["point"], v["subject"].lower()),
            "pupil, subject and point",
        )
        scales = {}
        for scale in Scale.objects.for_school(self.school).prefetch_related("steps"):
            scales[values.header_key(scale.name)] = scale
        points = {point.name: point for point in AssessmentPoint.objects.filter(school=self.school)}
        years = list(self.school.academic_years.all())
        for record in records:
            data = record.values
            scale = scales.get(values.header_key(data["scale"]))
            if scale is None:
                names = ", ".join(sorted(s.name for s in scales.values()))
                self.problem(outcome, record, "scale", f"unknown scale {data['scale']!r} ({names})")
                continue
            data["scale"] = scale
            try:
                data["step"], data["months"] = _result(scale, data["result"])
            except ValueError as error:
                self.problem(outcome, record, "result", str(error))
            if data["point"] not in points:
                date = data.get("date")
                year = date and next((y for y in years if y.starts_on <= date <= y.ends_on), None)
                if not date:
                    self.problem(
                        outcome,
                        record,
                        "point",
                        f"{data['point']!r} is a new assessment point: give its date",
                    )
                elif year is None:
                    self.problem(
                        outcome, record, "date", "no school year of this school covers that date"
                    )
                else:
                    points[data["point"]] = AssessmentPoint(
                        school=self.school, academic_year=year, name=data["point"], date=date
                    )
        if outcome.problems:
            return
        AssessmentPoint.objects.bulk_create([p for p in points.values() if p.pk is None])
        existing = {
            (r.pupil_id, r.point_id, r.subject.lower()): r
            for r in Result.objects.filter(
                pupil__in=pupils.values(), point__in=list(points.values())
            ).prefetch_related("missed_topics")
        }
        new, changed, topic_rows, replaced = [], [], [], []
        for record in records:
            data, pupil, point = (
                record.values,
                pupils[record.values["upn"]],
                points[record.values["point"]],
            )
            result = existing.get((pupil.pk, point.pk, data["subject"].lower()))
            wanted_topics = data.get("missed_topics")
            if result is None:
                result = Result(
                    school=self.school,
                    pupil=pupil,
                    point=point,
                    subject=data["subject"],
                    scale=data["scale"],
                    step=data["step"],
                    months=data["months"],
                    effort=data.get("effort"),
                )
                new.append(result)
                outcome.created += 1
                topic_rows += [(result, topic) for topic in wanted_topics or []]
                continue
            same = (result.scale_id, result.step_id, result.months) == (
                data["scale"].pk,
                data["step"] and data["step"].pk,
                data["months"],
            ) and ("effort" not in data or result.effort == data["effort"])
            same_topics = wanted_topics is None or sorted(
                t.topic for t in result.missed_topics.all()
            ) == sorted(wanted_topics)
            if same and same_topics:
                outcome.unchanged += 1
                continue
            result.scale, result.step, result.months = data["scale"], data["step"], data["months"]
            result.effort = data.get("effort", result.effort)  # a file without the column keeps it
            changed.append(result)
            outcome.updated += 1
            if not same_topics:
                replaced.append(result)
                topic_rows += [(result, topic) for topic in wanted_topics]
        Result.objects.bulk_create(new, batch_size=2000)
        Result.objects.bulk_update(changed, ["scale", "step", "months", "effort"], batch_size=2000)
        MissedTopic.objects.filter(result__in=replaced).delete()
        MissedTopic.objects.bulk_create(
            [MissedTopic(school=self.school, result=r, topic=t) for r, t in topic_rows],
            batch_size=2000,
        )


def _result(scale: Scale, text: str):
    """(step, months) for a result written as the scale writes it."""
    if scale.kind == Scale.Kind.READING_AGE:
        if match := re.fullmatch(
            r"(\d{1,2})\s*(?:y|yrs?|years?|[:.])\s*(\d{1,2})\s*(?:m|months?)?", text.strip().lower()
        ):
            years, months = map(int, match.groups())
            if months < 12:
                return None, years * 12 + months
        if re.fullmatch(r"\d{2,3}", text.strip()) and 36 <= int(text) <= 240:
            return None, int(text)
        raise ValueError(f"{text!r} is not a reading age: write it as 9y 4m, 9:04 or in months")
    wanted = values.header_key(text)
    for step in scale.steps.all():
        if wanted in {values.header_key(step.code), values.header_key(step.label)}:
            return step, None
    codes = [step.code for step in scale.steps.all()]
    shown = ", ".join(codes) if len(codes) <= 12 else f"{codes[0]} to {codes[-1]}"
    raise ValueError(f"{text!r} is not a step of {scale.name} ({shown})")


class BehaviourImporter(Importer):
    kind = "behaviour"
    label = "Behaviour incidents"
    columns = [
        UPN,
        Column("date", "Date", ("Date", "Incident Date", "Event Date"), values.date),
        optional("time", "Time", ("Time", "Incident Time"), values.time),
        optional("lesson", "Lesson", ("Lesson", "Period", "Lesson Period"), values.text, 30),
        optional("subject", "Subject", ("Subject", "Class Subject"), values.text, 50),
        Column("kind", "Type", ("Type", "Incident Type", "Behaviour Type", "Category", "Behaviour"), values.required_text, max_length=60),
        optional("removed_from_lesson", "Removed from lesson", ("Removed", "Removed from Lesson", "Removal"), values.truth),
    ]  # fmt: skip

    def key(self, pupil_id, data) -> tuple:
        return (
            pupil_id,
            data["date"],
            data.get("time"),
            data.get("lesson", ""),
            data.get("subject", ""),
            data["kind"],
        )

    def apply(self, records: list[Record], outcome: Outcome) -> None:
        pupils = self.pupils_by_upn(records, outcome)
        _duplicates(self, records, outcome, lambda v: self.key(v["upn"], v), "incident")
        if outcome.problems:
            return
        dates = [record.values["date"] for record in records]
        existing = {
            self.key(
                i.pupil_id,
                {
                    "date": i.date,
                    "time": i.time,
                    "lesson": i.lesson,
                    "subject": i.subject,
                    "kind": i.kind,
                },
            ): i
            for i in BehaviourIncident.objects.filter(
                pupil__in=pupils.values(), date__range=(min(dates), max(dates))
            )
        }
        rows = []
        for record in records:
            data, pupil = record.values, pupils[record.values["upn"]]
            values = {
                "pupil": pupil, "date": data["date"], "time": data.get("time"), "lesson": data.get("lesson", ""),
                "subject": data.get("subject", ""), "kind": data["kind"],
                "removed_from_lesson": data.get("removed_from_lesson", False),
            }  # fmt: skip
            rows.append((self.key(pupil.pk, data), values))
        self.upsert(
            outcome, BehaviourIncident, existing=existing, rows=rows, fields=["removed_from_lesson"]
        )


class InterventionImporter(Importer):
    kind = "interventions"
    label = "Interventions and places"
    columns = [
        UPN,
        Column("intervention", "Intervention", ("Intervention", "Intervention Name", "Programme", "Provision"), values.required_text),
        optional("subject", "Subject", ("Subject", "Area", "Focus"), values.text, 50),
        Column("starts_on", "Start date", ("Start Date", "Start", "Date Started"), values.date),
        optional("ends_on", "End date", ("End Date", "End", "Date Ended"), values.optional_date),
        optional("review_on", "Review date", ("Review Date", "Review"), values.optional_date),
        # What the intervention costs the school, where it records that: on any of its rows.
        optional("cost", "Cost (£)", ("Cost", "Cost (£)", "Total Cost", "Intervention Cost"), values.optional_pounds),
        optional("sessions_planned", "Sessions planned", ("Sessions Planned", "Planned Sessions"), values.optional_count),
        optional("sessions_attended", "Sessions attended", ("Sessions Attended", "Attended Sessions"), values.optional_count),
        optional("entry_measure", "Entry measure", ("Entry Measure", "Entry", "Baseline"), values.text),
        optional("exit_measure", "Exit measure", ("Exit Measure", "Exit", "Outcome Measure"), values.text),
        optional("outcome", "Outcome", ("Outcome", "Notes", "Impact"), values.text, 1000),
    ]  # fmt: skip
    place_fields = [
        "ends_on",
        "sessions_planned",
        "sessions_attended",
        "entry_measure",
        "exit_measure",
        "outcome",
    ]

    def apply(self, records: list[Record], outcome: Outcome) -> None:
        pupils = self.pupils_by_upn(records, outcome)
        _duplicates(
            self,
            records,
            outcome,
            lambda v: (v["upn"], v["intervention"].lower(), v["starts_on"]),
            "place",
        )
        for record in records:
            data = record.values
            if data.get("ends_on") and data["ends_on"] < data["starts_on"]:
                self.problem(outcome, record, "ends_on", "the place ends before it starts")
            planned, attended = data.get("sessions_planned"), data.get("sessions_attended")
            if planned is not None and attended is not None and attended > planned:
                self.problem(
                    outcome, record, "sessions_attended", "more sessions attended than planned"
                )
        if outcome.problems:
            return
        interventions = {i.name.lower(): i for i in Intervention.objects.filter(school=self.school)}
        for record in records:
            data = record.values
            intervention = interventions.get(data["intervention"].lower())
            if intervention is None:
                intervention = interventions[data["intervention"].lower()] = (
                    Intervention.objects.create(
                        school=self.school,
                        name=data["intervention"],
                        subject=data.get("subject", ""),
                        review_on=data.get("review_on"),
                        cost=data.get("cost"),
                    )
                )
            else:  # a later file sets its review date or cost; a blank cell keeps them
                changed = [
                    name
                    for name in ("review_on", "cost")
                    if data.get(name) is not None and getattr(intervention, name) != data[name]
                ]
                for name in changed:
                    setattr(intervention, name, data[name])
                if changed:
                    intervention.save(update_fields=changed)
            data["intervention"] = intervention
        existing = {
            (p.intervention_id, p.pupil_id, p.starts_on): p
            for p in InterventionPlace.objects.filter(pupil__in=pupils.values())
        }
        rows = []
        for record in records:
            data, pupil = record.values, pupils[record.values["upn"]]
            values = {name: data[name] for name in self.place_fields if name in data}
            values |= {
                "intervention": data["intervention"],
                "pupil": pupil,
                "starts_on": data["starts_on"],
            }
            rows.append(((data["intervention"].pk, pupil.pk, data["starts_on"]), values))
        self.upsert(
            outcome, InterventionPlace, existing=existing, rows=rows, fields=self.place_fields
        )

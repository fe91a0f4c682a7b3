"""Every school-owned row carries its school, so a database sharded by school keeps it with
its school: a meeting's section times, classes and group items' pupils (the tables Django made
for the many-to-many become models of their own, `MeetingGroup` and `ItemPupil`, on the same
tables). Filled from the meeting and the item; 0012 makes it required."""

import django.db.models.deletion
from django.db import migrations, models
from django.db.models import OuterRef, Subquery

SCHOOL = {"on_delete": django.db.models.deletion.CASCADE, "related_name": "+", "to": "progress.school"}


def fill_school(apps, schema_editor):
    Meeting = apps.get_model("meetings", "Meeting")
    Item = apps.get_model("meetings", "Item")
    meeting_school = Subquery(Meeting.objects.filter(pk=OuterRef("meeting")).values("school"))
    apps.get_model("meetings", "SectionTime").objects.update(school=meeting_school)
    apps.get_model("meetings", "MeetingGroup").objects.update(school=meeting_school)
    apps.get_model("meetings", "ItemPupil").objects.update(
        school=Subquery(Item.objects.filter(pk=OuterRef("item")).values("school"))
    )


def through(name: str, table: str, one: str, one_to: str, other: str, other_to: str):
    """The state of a table Django made for a many-to-many, as a model of its own."""
    return migrations.CreateModel(
        name=name,
        fields=[
            ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
            (one, models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="+", to=one_to)),
            (other, models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="+", to=other_to)),
        ],
        options={"db_table": table, "unique_together": {(one, other)}},
    )  # fmt: skip


class Migration(migrations.Migration):
    dependencies = [
        ("meetings", "0010_refused_entry"),
        ("pupils", "0009_school_required"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                through("MeetingGroup", "meetings_meeting_groups", "meeting", "meetings.meeting", "group", "pupils.group"),
                through("ItemPupil", "meetings_item_group_pupils", "item", "meetings.item", "pupil", "pupils.pupil"),
                migrations.AlterField(
                    model_name="meeting",
                    name="groups",
                    field=models.ManyToManyField(blank=True, related_name="+", through="meetings.MeetingGroup", to="pupils.group", verbose_name="classes or sets"),
                ),
                migrations.AlterField(
                    model_name="item",
                    name="group_pupils",
                    field=models.ManyToManyField(blank=True, related_name="+", through="meetings.ItemPupil", to="pupils.pupil"),
                ),
            ]
        ),
        migrations.AddField(
            model_name="sectiontime", name="school", field=models.ForeignKey(null=True, **SCHOOL)
        ),
        migrations.AddField(
            model_name="meetinggroup", name="school", field=models.ForeignKey(null=True, **SCHOOL)
        ),
        migrations.AddField(
            model_name="itempupil", name="school", field=models.ForeignKey(null=True, **SCHOOL)
        ),
        migrations.RunPython(fill_school, migrations.RunPython.noop, elidable=True),
    ]  # fmt: skip

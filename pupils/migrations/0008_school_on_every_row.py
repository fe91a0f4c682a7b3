"""Every school-owned row carries its school, so a database sharded by school keeps it with
its school: a group's teachers and pupils (the tables Django made for the many-to-many become
models of their own, `Teaching` and `Membership`, on the same tables) and a school's own scale
steps. Filled from the group and the scale; 0009 makes it required."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models
from django.db.models import OuterRef, Subquery

SCHOOL = {"on_delete": django.db.models.deletion.CASCADE, "related_name": "+", "to": "progress.school"}


def fill_school(apps, schema_editor):
    Group = apps.get_model("pupils", "Group")
    Scale = apps.get_model("pupils", "Scale")
    group_school = Subquery(Group.objects.filter(pk=OuterRef("group")).values("school"))
    apps.get_model("pupils", "Teaching").objects.update(school=group_school)
    apps.get_model("pupils", "Membership").objects.update(school=group_school)
    apps.get_model("pupils", "ScaleStep").objects.update(
        school=Subquery(Scale.objects.filter(pk=OuterRef("scale")).values("school"))
    )


def through(name: str, table: str, group_to: str, other: str, other_to: str):
    """The state of a table Django made for a many-to-many, as a model of its own."""
    return migrations.CreateModel(
        name=name,
        fields=[
            ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
            ("group", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="+", to=group_to)),
            (other, models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="+", to=other_to)),
        ],
        options={"db_table": table, "unique_together": {("group", other)}},
    )  # fmt: skip


class Migration(migrations.Migration):
    dependencies = [
        ("progress", "0008_staff_role_school_required"),
        ("pupils", "0007_intervention_cost"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                through("Teaching", "pupils_group_teachers", "pupils.group", "user", settings.AUTH_USER_MODEL),
                through("Membership", "pupils_group_pupils", "pupils.group", "pupil", "pupils.pupil"),
                migrations.AlterField(
                    model_name="group",
                    name="teachers",
                    field=models.ManyToManyField(related_name="teaching_groups", through="pupils.Teaching", to=settings.AUTH_USER_MODEL),
                ),
                migrations.AlterField(
                    model_name="group",
                    name="pupils",
                    field=models.ManyToManyField(related_name="groups", through="pupils.Membership", to="pupils.pupil"),
                ),
            ]
        ),
        migrations.AddField(
            model_name="teaching", name="school", field=models.ForeignKey(null=True, **SCHOOL)
        ),
        migrations.AddField(
            model_name="membership", name="school", field=models.ForeignKey(null=True, **SCHOOL)
        ),
        migrations.AddField(
            model_name="scalestep",
            name="school",
            field=models.ForeignKey(
                blank=True,
                help_text="Its scale's school: empty for the national scales every school shares.",
                null=True,
                **SCHOOL,
            ),
        ),
        migrations.RunPython(fill_school, migrations.RunPython.noop, elidable=True),
    ]  # fmt: skip

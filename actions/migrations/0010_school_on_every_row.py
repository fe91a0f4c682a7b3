"""Every school-owned row carries its school, so a database sharded by school keeps it with
its school: an action's pupils and supporters (the tables Django made for the many-to-many
become models of their own, `ActionPupil` and `Supporter`, on the same tables). Filled from the
action; 0011 makes it required."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models
from django.db.models import OuterRef, Subquery

SCHOOL = {"on_delete": django.db.models.deletion.CASCADE, "related_name": "+", "to": "progress.school"}


def fill_school(apps, schema_editor):
    Action = apps.get_model("actions", "Action")
    action_school = Subquery(Action.objects.filter(pk=OuterRef("action")).values("school"))
    apps.get_model("actions", "ActionPupil").objects.update(school=action_school)
    apps.get_model("actions", "Supporter").objects.update(school=action_school)


def through(name: str, table: str, other: str, other_to: str):
    """The state of a table Django made for a many-to-many, as a model of its own."""
    return migrations.CreateModel(
        name=name,
        fields=[
            ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
            ("action", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="+", to="actions.action")),
            (other, models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="+", to=other_to)),
        ],
        options={"db_table": table, "unique_together": {("action", other)}},
    )  # fmt: skip


class Migration(migrations.Migration):
    dependencies = [
        ("actions", "0009_first_attempt"),
        ("pupils", "0009_school_required"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                through("ActionPupil", "actions_action_group_pupils", "pupil", "pupils.pupil"),
                through("Supporter", "actions_action_supporting", "user", settings.AUTH_USER_MODEL),
                migrations.AlterField(
                    model_name="action",
                    name="group_pupils",
                    field=models.ManyToManyField(blank=True, related_name="group_actions", through="actions.ActionPupil", to="pupils.pupil"),
                ),
                migrations.AlterField(
                    model_name="action",
                    name="supporting",
                    field=models.ManyToManyField(blank=True, related_name="supported_actions", through="actions.Supporter", to=settings.AUTH_USER_MODEL),
                ),
            ]
        ),
        migrations.AddField(
            model_name="actionpupil", name="school", field=models.ForeignKey(null=True, **SCHOOL)
        ),
        migrations.AddField(
            model_name="supporter", name="school", field=models.ForeignKey(null=True, **SCHOOL)
        ),
        migrations.RunPython(fill_school, migrations.RunPython.noop, elidable=True),
    ]  # fmt: skip

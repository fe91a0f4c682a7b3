"""A staff role carries its school, as every school-owned row does (a database sharded by
school keeps it with its school). A role belongs to a school: the roles of someone without one
(a service operator) are deleted."""

import django.db.models.deletion
from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def fill_school(apps, schema_editor):
    StaffRole = apps.get_model("progress", "StaffRole")
    User = apps.get_model("progress", "User")
    StaffRole.objects.filter(user__school__isnull=True).delete()
    StaffRole.objects.update(
        school=Subquery(User.objects.filter(pk=OuterRef("user")).values("school"))
    )


class Migration(migrations.Migration):
    dependencies = [("progress", "0006_school_settings")]

    operations = [
        migrations.AddField(
            model_name="staffrole",
            name="school",
            field=models.ForeignKey(
                db_index=False,
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="progress.school",
            ),
        ),
        migrations.RunPython(fill_school, migrations.RunPython.noop, elidable=True),
    ]

"""An action's pupils and supporters have their school (filled in 0010, which must commit
first: PostgreSQL alters no table with the rows' checks still pending)."""

import django.db.models.deletion
from django.db import migrations, models

SCHOOL = {"on_delete": django.db.models.deletion.CASCADE, "related_name": "+", "to": "progress.school"}


class Migration(migrations.Migration):
    dependencies = [("actions", "0010_school_on_every_row")]

    operations = [
        migrations.AlterField(model_name="actionpupil", name="school", field=models.ForeignKey(**SCHOOL)),
        migrations.AlterField(model_name="supporter", name="school", field=models.ForeignKey(**SCHOOL)),
    ]  # fmt: skip

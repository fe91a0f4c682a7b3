"""A group's teachers and pupils have their school (filled in 0008, which must commit first:
PostgreSQL alters no table with the rows' checks still pending)."""

import django.db.models.deletion
from django.db import migrations, models

SCHOOL = {"on_delete": django.db.models.deletion.CASCADE, "related_name": "+", "to": "progress.school"}


class Migration(migrations.Migration):
    dependencies = [("pupils", "0008_school_on_every_row")]

    operations = [
        migrations.AlterField(model_name="teaching", name="school", field=models.ForeignKey(**SCHOOL)),
        migrations.AlterField(model_name="membership", name="school", field=models.ForeignKey(**SCHOOL)),
    ]  # fmt: skip

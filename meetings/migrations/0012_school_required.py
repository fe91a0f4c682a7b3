"""A meeting's section times, classes and group items' pupils have their school (filled in
0011, which must commit first: PostgreSQL alters no table with the rows' checks still
pending)."""

import django.db.models.deletion
from django.db import migrations, models

SCHOOL = {"on_delete": django.db.models.deletion.CASCADE, "related_name": "+", "to": "progress.school"}


class Migration(migrations.Migration):
    dependencies = [("meetings", "0011_school_on_every_row")]

    operations = [
        migrations.AlterField(model_name="sectiontime", name="school", field=models.ForeignKey(**SCHOOL)),
        migrations.AlterField(model_name="meetinggroup", name="school", field=models.ForeignKey(**SCHOOL)),
        migrations.AlterField(model_name="itempupil", name="school", field=models.ForeignKey(**SCHOOL)),
    ]  # fmt: skip

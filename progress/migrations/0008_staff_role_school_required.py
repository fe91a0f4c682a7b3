"""Every staff role has its school (filled in 0007, which must commit first: PostgreSQL alters
no table with the rows' checks still pending)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("progress", "0007_school_on_staff_roles")]

    operations = [
        migrations.AlterField(
            model_name="staffrole",
            name="school",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="progress.school",
            ),
        ),
        migrations.AddIndex(
            model_name="staffrole",
            index=models.Index(fields=["school", "role"], name="staffrole_school_role"),
        ),
    ]

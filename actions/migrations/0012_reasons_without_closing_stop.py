"""A reason an action has not started yet, saved with its closing stop before the form left it
off, reads "…not set up yet.; to start by 3 Dec": it is kept without it, as the form now keeps it."""

from django.db import migrations

STOPS = " .;,"


def leave_off_closing_stops(apps, schema_editor):
    Action = apps.get_model("actions", "Action")
    for action in Action.objects.filter(not_started_because__regex=r"[.;, ]$").only(
        "pk", "not_started_because"
    ):
        if kept := action.not_started_because.rstrip(STOPS):  # one of stops alone stays
            action.not_started_because = kept
            action.save(update_fields=["not_started_because"])


class Migration(migrations.Migration):
    dependencies = [("actions", "0011_school_required")]

    operations = [
        migrations.RunPython(leave_off_closing_stops, migrations.RunPython.noop, elidable=True),
    ]

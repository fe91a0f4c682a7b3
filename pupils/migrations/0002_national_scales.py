"""The assessment scales every school shares.

Scales are data: a school adds its own beside these, and none of them is written into code.
"""

from django.db import migrations

# name: (steps as (code, label), expected code, higher code, how many steps below is "close",
#        whether each step is a judgement against the pupil's year's standard)
STEP_SCALES = {
    "KS2 scaled score": (
        [(str(score), str(score)) for score in range(80, 121)],
        "100",
        "110",
        5,  # 95 to 99 is just below the expected standard
        False,
    ),
    "Primary teacher assessment": (
        [
            ("PKS", "Pre-key stage"),
            ("WTS", "Working towards the expected standard"),
            ("EXS", "Working at the expected standard"),
            ("GDS", "Working at greater depth"),
        ],
        "EXS",
        "GDS",
        1,
        True,  # a judgement against the year's standard: holding EXS is on track
    ),
    "GCSE grade": (
        [("U", "U (ungraded)")]
        + [(str(grade), str(grade)) for grade in range(1, 4)]
        + [("4", "4 (standard pass)"), ("5", "5 (strong pass)")]
        + [(str(grade), str(grade)) for grade in range(6, 10)],
        "4",
        "5",
        1,
        False,
    ),
    "School steps": (
        [
            ("EMERGING", "Emerging"),
            ("DEVELOPING", "Developing"),
            ("SECURE", "Secure"),
            ("MASTERY", "Mastery"),
        ],
        "SECURE",
        "MASTERY",
        1,
        True,  # the school's judgement against its curriculum for the pupil's year
    ),
}


def add_scales(apps, schema_editor):
    Scale = apps.get_model("pupils", "Scale")
    ScaleStep = apps.get_model("pupils", "ScaleStep")
    for name, (steps, expected, higher, near, judged) in STEP_SCALES.items():
        codes = [code for code, _ in steps]
        scale = Scale.objects.create(
            name=name,
            kind="steps",
            expected_position=codes.index(expected),
            higher_position=codes.index(higher),
            near_expected=near,
            judged_against_standard=judged,
        )
        ScaleStep.objects.bulk_create(
            ScaleStep(scale=scale, position=position, code=code, label=label)
            for position, (code, label) in enumerate(steps)
        )
    # A reading age is in months and is expected to match the pupil's own age; six months
    # behind still counts as close.
    Scale.objects.create(name="Reading age", kind="reading_age", near_expected=6)


def remove_scales(apps, schema_editor):
    apps.get_model("pupils", "Scale").objects.filter(school__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("pupils", "0001_initial")]

    operations = [migrations.RunPython(add_scales, remove_scales)]

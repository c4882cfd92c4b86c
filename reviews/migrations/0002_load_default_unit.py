"""Load the default unit, derived from the study guide's marking points."""

from django.db import migrations

from reviews.units import DEFAULT_UNIT, load_unit, read_unit


def load(apps, schema_editor) -> None:
    load_unit(
        read_unit(DEFAULT_UNIT),
        Unit=apps.get_model("reviews", "Unit"),
        LearningOutcome=apps.get_model("reviews", "LearningOutcome"),
        Criterion=apps.get_model("reviews", "Criterion"),
    )


class Migration(migrations.Migration):
    dependencies = [("reviews", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]

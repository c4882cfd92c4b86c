"""Load the guard's starting phrases from data/sensitive-terms.csv."""

import csv
from pathlib import Path

from django.db import migrations

SOURCE = Path(__file__).resolve().parent.parent / "data" / "sensitive-terms.csv"


def load(apps, schema_editor) -> None:
    SensitiveTerm = apps.get_model("privacy", "SensitiveTerm")
    with SOURCE.open(encoding="utf-8") as rows:
        for row in csv.DictReader(rows):
            SensitiveTerm.objects.get_or_create(
                pattern=row["pattern"], defaults={"category": row["category"]}
            )


class Migration(migrations.Migration):
    dependencies = [("privacy", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]

"""Load England and Wales bank holidays from data/bank-holidays-england-and-wales.csv."""

import csv
import datetime
from pathlib import Path

from django.db import migrations

SOURCE = Path(__file__).resolve().parent.parent / "data" / "bank-holidays-england-and-wales.csv"


def load(apps, schema_editor) -> None:
    BankHoliday = apps.get_model("consent", "BankHoliday")
    with SOURCE.open(encoding="utf-8") as rows:
        for row in csv.DictReader(rows):
            BankHoliday.objects.get_or_create(
                date=datetime.date.fromisoformat(row["date"]), defaults={"name": row["name"]}
            )


class Migration(migrations.Migration):
    dependencies = [("consent", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]

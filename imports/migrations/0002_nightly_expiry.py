"""Delete imports left unconfirmed (their file and preview hold people's details),
every night (beat schedule)."""

from django.db import migrations

from netlog.schedules import daily

TASK = "imports.tasks.expire_imports"

schedule, unschedule = daily(TASK, "Imports: delete unconfirmed", hour=3, minute=50)


class Migration(migrations.Migration):
    dependencies = [
        ("imports", "0001_imports"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(schedule, unschedule)]

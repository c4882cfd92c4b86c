"""The daily retention run, in django-celery-beat's database schedule: the one place
the schedule lives, created here so no one sets it up by hand."""

from django.db import migrations

from netlog.schedules import daily

TASK = "privacy.tasks.retention_daily"

schedule, unschedule = daily(TASK, "Retention: daily run", hour=2, minute=30)


class Migration(migrations.Migration):
    dependencies = [
        ("privacy", "0002_load_sensitive_terms"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(schedule, unschedule)]

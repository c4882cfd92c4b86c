"""The daily reminders digest, in django-celery-beat's database schedule."""

from django.db import migrations

from netlog.schedules import daily

TASK = "reviews.tasks.reminders_daily"

schedule, unschedule = daily(TASK, "Reminders: daily digest", hour=7, minute=0)


class Migration(migrations.Migration):
    dependencies = [
        ("reviews", "0002_load_default_unit"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(schedule, unschedule)]

"""The nightly check of every activity's stored private flag, in django-celery-beat's
database schedule."""

from django.db import migrations

from netlog.schedules import daily

TASK = "reviews.tasks.activities_reclassify"

schedule, unschedule = daily(
    TASK, "Activities: nightly check of the private flag", hour=3, minute=15
)


class Migration(migrations.Migration):
    dependencies = [
        ("reviews", "0003_schedule_reminders"),
        ("contacts", "0007_activity_private"),
    ]

    operations = [migrations.RunPython(schedule, unschedule)]

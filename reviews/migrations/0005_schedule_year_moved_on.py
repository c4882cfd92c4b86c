"""The nightly move of each contact's stored year of activities (reciprocity), in
django-celery-beat's database schedule."""

from django.db import migrations

from netlog.schedules import daily

TASK = "reviews.tasks.contacts_year_moved_on"

schedule, unschedule = daily(
    TASK, "Contacts: the year's activities moved on a day", hour=0, minute=5
)


class Migration(migrations.Migration):
    dependencies = [
        ("reviews", "0004_schedule_reclassify"),
        ("contacts", "0008_contact_year_balance"),
    ]

    operations = [migrations.RunPython(schedule, unschedule)]

"""Clear expired sessions every night, in django-celery-beat's database schedule."""

from django.db import migrations

from netlog.schedules import daily

TASK = "accounts.tasks.clear_expired_sessions"

schedule, unschedule = daily(TASK, "Sessions: clear expired", hour=3, minute=15)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(schedule, unschedule)]

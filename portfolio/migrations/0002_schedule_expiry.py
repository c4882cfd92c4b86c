"""Delete portfolio packs past their keeping time, every night (beat schedule)."""

from django.db import migrations

from netlog.schedules import daily

TASK = "portfolio.tasks.expire_exports"

schedule, unschedule = daily(TASK, "Portfolio packs: delete expired", hour=3, minute=45)


class Migration(migrations.Migration):
    dependencies = [
        ("portfolio", "0001_initial"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(schedule, unschedule)]

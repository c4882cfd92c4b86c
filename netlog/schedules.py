"""Daily jobs in django-celery-beat's database schedule, created by migrations so no
one sets them up by hand. Each app's migration calls `daily()` for its own job."""

from collections.abc import Callable

RunPython = Callable[[object, object], None]


def daily(task: str, name: str, *, hour: int, minute: int) -> tuple[RunPython, RunPython]:
    """The (schedule, unschedule) pair for a migration's RunPython: `task` every day at
    hour:minute London time. Scheduling twice makes one entry."""

    def schedule(apps, schema_editor) -> None:
        CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
        PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
        crontab, _ = CrontabSchedule.objects.get_or_create(
            minute=str(minute),
            hour=str(hour),
            day_of_week="*",
            day_of_month="*",
            month_of_year="*",
            timezone="Europe/London",
        )
        PeriodicTask.objects.get_or_create(
            name=name, defaults={"task": task, "crontab": crontab, "enabled": True}
        )

    def unschedule(apps, schema_editor) -> None:
        apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(task=task).delete()

    return schedule, unschedule

"""The daily retention run's schedule (privacy/migrations/0003_schedule_retention.py,
in django-celery-beat's database) and how the privacy jobs are configured in Celery."""

import datetime
import importlib
from zoneinfo import ZoneInfo

from celery.schedules import crontab
from django.apps import apps
from django.conf import settings
from django_celery_beat import schedulers
from django_celery_beat.models import PeriodicTask
from django_celery_beat.schedulers import DatabaseScheduler

from netlog.celery import app

TASK = "privacy.tasks.retention_daily"
migration = importlib.import_module("privacy.migrations.0003_schedule_retention")


def test_the_migration_schedules_the_retention_run_every_night(db):
    periodic = PeriodicTask.objects.get(task=TASK)

    assert periodic.name == "Retention: daily run"
    assert periodic.enabled is True
    assert periodic.one_off is False
    assert (periodic.interval, periodic.solar, periodic.clocked) == (None, None, None)
    assert (periodic.args, periodic.kwargs) == ("[]", "{}")
    assert (periodic.expires, periodic.start_time) == (None, None)
    cron = periodic.crontab
    fields = (cron.minute, cron.hour, cron.day_of_month, cron.month_of_year, cron.day_of_week)
    assert fields == ("30", "2", "*", "*", "*")
    assert str(cron.timezone) == "Europe/London"


def test_the_schedule_fires_once_a_day_at_half_past_two(db):
    schedule = PeriodicTask.objects.get(task=TASK).schedule

    assert isinstance(schedule, crontab)
    assert (schedule.hour, schedule.minute) == ({2}, {30})
    assert schedule.day_of_week == set(range(7))
    assert schedule.day_of_month == set(range(1, 32))
    assert schedule.month_of_year == set(range(1, 13))


def test_beat_loads_the_scheduled_task_from_the_database(db, monkeypatch):
    # Beat loads only the crontab entries due within about two hours of now: be at 01:30,
    # an hour before the run, whatever time the suite runs.
    night = datetime.datetime(2025, 6, 16, 1, 30, tzinfo=ZoneInfo("Europe/London"))
    monkeypatch.setattr(schedulers, "aware_now", lambda: night)
    scheduler = DatabaseScheduler(app=app, lazy=True)

    entries = scheduler.all_as_schedule()

    assert entries["Retention: daily run"].task == TASK


def test_the_migration_schedules_the_run_once_however_often_it_runs(db):
    migration.schedule(apps, None)
    migration.schedule(apps, None)

    assert PeriodicTask.objects.filter(task=TASK).count() == 1


def test_reversing_the_migration_removes_the_schedule(db):
    migration.unschedule(apps, None)

    assert not PeriodicTask.objects.filter(task=TASK).exists()


def test_the_scheduled_name_is_a_registered_celery_task():
    app.loader.import_default_modules()  # what a worker does at start: autodiscovery

    assert TASK in app.tasks
    assert app.tasks[TASK].name == TASK
    assert "privacy.tasks.erase" in app.tasks


def test_the_privacy_jobs_are_acknowledged_only_once_done():
    app.loader.import_default_modules()

    assert app.tasks["privacy.tasks.erase"].acks_late is True
    assert app.tasks[TASK].acks_late is True
    assert settings.CELERY_TASK_REJECT_ON_WORKER_LOST is True


def test_the_erase_job_retries_with_backoff():
    app.loader.import_default_modules()
    erase = app.tasks["privacy.tasks.erase"]

    assert erase.autoretry_for == (Exception,)
    assert erase.retry_backoff is True
    assert erase.max_retries == 8


def test_results_expire_after_a_day():
    assert settings.CELERY_RESULT_EXPIRES == 24 * 60 * 60
    assert app.conf.result_expires == 24 * 60 * 60


def test_beat_reads_the_schedule_from_the_database_in_uk_time():
    assert settings.CELERY_BEAT_SCHEDULER == "django_celery_beat.schedulers:DatabaseScheduler"
    assert settings.CELERY_TIMEZONE == "Europe/London"

"""The daily reminders digest's schedule (reviews/migrations/0003_schedule_reminders.py,
in django-celery-beat's database) and how its job is registered in Celery."""

import datetime
import importlib
from zoneinfo import ZoneInfo

from celery.schedules import crontab
from django.apps import apps
from django_celery_beat import schedulers
from django_celery_beat.models import PeriodicTask
from django_celery_beat.schedulers import DatabaseScheduler

from netlog.celery import app

TASK = "reviews.tasks.reminders_daily"
NAME = "Reminders: daily digest"
migration = importlib.import_module("reviews.migrations.0003_schedule_reminders")


def test_it_schedules_the_digest_every_morning_at_seven_uk_time(db):
    periodic = PeriodicTask.objects.get(task=TASK)

    assert periodic.name == NAME
    assert periodic.enabled is True
    assert periodic.one_off is False
    assert (periodic.interval, periodic.solar, periodic.clocked) == (None, None, None)
    assert (periodic.args, periodic.kwargs) == ("[]", "{}")  # no personal data in arguments
    cron = periodic.crontab
    fields = (cron.minute, cron.hour, cron.day_of_month, cron.month_of_year, cron.day_of_week)
    assert fields == ("0", "7", "*", "*", "*")
    assert str(cron.timezone) == "Europe/London"


def test_it_fires_once_a_day_every_day(db):
    schedule = PeriodicTask.objects.get(task=TASK).schedule

    assert isinstance(schedule, crontab)
    assert (schedule.hour, schedule.minute) == ({7}, {0})
    assert schedule.day_of_week == set(range(7))
    assert schedule.day_of_month == set(range(1, 32))
    assert schedule.month_of_year == set(range(1, 13))


def test_it_is_loaded_by_beat_from_the_database(db, monkeypatch):
    # Beat loads only the crontab entries due within two hours of now: be at 06:30.
    morning = datetime.datetime(2025, 6, 16, 6, 30, tzinfo=ZoneInfo("Europe/London"))
    monkeypatch.setattr(schedulers, "aware_now", lambda: morning)

    entries = DatabaseScheduler(app=app, lazy=True).all_as_schedule()

    assert entries[NAME].task == TASK


def test_it_schedules_the_digest_once_however_often_the_migration_runs(db):
    migration.schedule(apps, None)
    migration.schedule(apps, None)

    assert PeriodicTask.objects.filter(task=TASK).count() == 1


def test_it_removes_the_schedule_when_the_migration_is_reversed(db):
    migration.unschedule(apps, None)

    assert not PeriodicTask.objects.filter(task=TASK).exists()


def test_it_registers_the_job_with_celery():
    app.loader.import_default_modules()  # what a worker does at start: autodiscovery

    assert TASK in app.tasks
    assert app.tasks[TASK].name == TASK


def test_it_acknowledges_the_job_only_once_done():
    app.loader.import_default_modules()

    assert app.tasks[TASK].acks_late is True

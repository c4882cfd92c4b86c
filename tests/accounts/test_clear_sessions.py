"""The nightly job that deletes expired sessions, and its schedule."""

import datetime

from django.contrib.sessions.models import Session
from django.utils import timezone

from accounts.tasks import clear_expired_sessions
from tests.conftest import daily_schedule


def test_it_deletes_expired_sessions_and_keeps_live_ones(db):
    now = timezone.now()
    Session.objects.create(
        session_key="old", session_data="", expire_date=now - datetime.timedelta(days=1)
    )
    Session.objects.create(
        session_key="live", session_data="", expire_date=now + datetime.timedelta(days=1)
    )

    clear_expired_sessions()

    assert list(Session.objects.values_list("session_key", flat=True)) == ["live"]


def test_it_is_scheduled_every_night(db):
    schedule = daily_schedule("accounts.tasks.clear_expired_sessions")

    assert schedule == ("3", "15", "Europe/London")

"""An activity's rules of one row: its follow-up state, the follow-up querysets at
their date boundaries, and the database constraint on the follow-up date."""

import datetime

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from contacts.models import Activity
from tests.factories import ActivityFactory, UserFactory

DAY = datetime.timedelta(days=1)


@pytest.fixture
def today() -> datetime.date:
    return timezone.localdate()


def _unsaved(today: datetime.date, follow_up_on=None, done=False) -> Activity:
    return Activity(
        date=today - 10 * DAY,
        follow_up_on=follow_up_on,
        follow_up_done_at=timezone.now() if done else None,
    )


# follow_up_state


def test_it_has_no_follow_up_state_without_a_follow_up_date(today):
    assert _unsaved(today).follow_up_state(today) == ""


def test_it_is_overdue_from_the_day_after_the_follow_up_date(today):
    assert _unsaved(today, today - DAY).follow_up_state(today) == "overdue"


def test_it_is_due_on_the_follow_up_date_itself(today):
    assert _unsaved(today, today).follow_up_state(today) == "due"


def test_it_is_due_up_to_seven_days_ahead(today):
    assert _unsaved(today, today + 7 * DAY).follow_up_state(today) == "due"


def test_it_is_later_from_eight_days_ahead(today):
    assert _unsaved(today, today + 8 * DAY).follow_up_state(today) == "later"


@pytest.mark.parametrize("offset", [-30, -1, 0, 7, 8])
def test_it_is_done_once_marked_done_whatever_the_date(today, offset):
    activity = _unsaved(today, today + offset * DAY, done=True)

    assert activity.follow_up_state(today) == "done"


# Follow-up querysets


@pytest.fixture
def follow_ups(db, today) -> dict[str, Activity]:
    owner = UserFactory()
    by_name = {
        name: ActivityFactory(owner=owner, date=today - 3 * DAY, follow_up_on=when)
        for name, when in {
            "yesterday": today - DAY,
            "today": today,
            "in_7_days": today + 7 * DAY,
            "in_8_days": today + 8 * DAY,
            "none": None,
        }.items()
    }
    by_name["done"] = ActivityFactory(
        owner=owner,
        date=today - 3 * DAY,
        follow_up_on=today - DAY,
        follow_up_done_at=timezone.now(),
    )
    return by_name


def _names(queryset, follow_ups: dict[str, Activity]) -> set[str]:
    ids = set(queryset.values_list("pk", flat=True))
    return {name for name, activity in follow_ups.items() if activity.pk in ids}


def test_open_follow_ups_are_the_ones_with_a_date_and_not_done(follow_ups):
    open_ = Activity.objects.follow_ups_open()

    assert _names(open_, follow_ups) == {"yesterday", "today", "in_7_days", "in_8_days"}


def test_overdue_follow_ups_are_open_ones_before_today(follow_ups, today):
    overdue = Activity.objects.follow_ups_overdue(today)

    assert _names(overdue, follow_ups) == {"yesterday"}


def test_due_follow_ups_run_from_today_to_seven_days_ahead(follow_ups, today):
    due = Activity.objects.follow_ups_due(today)

    assert _names(due, follow_ups) == {"today", "in_7_days"}


def test_due_follow_ups_take_a_shorter_window(follow_ups, today):
    due = Activity.objects.follow_ups_due(today, days=0)

    assert _names(due, follow_ups) == {"today"}


# Database constraint


def test_the_database_rejects_a_follow_up_before_the_activity(db, today):
    with pytest.raises(IntegrityError), transaction.atomic():
        ActivityFactory(date=today - DAY, follow_up_on=today - 2 * DAY)

    assert not Activity.objects.exists()


def test_the_database_rejects_moving_a_follow_up_before_the_activity(db, today):
    activity = ActivityFactory(date=today - DAY, follow_up_on=today)

    with pytest.raises(IntegrityError), transaction.atomic():
        Activity.objects.filter(pk=activity.pk).update(follow_up_on=today - 2 * DAY)

    activity.refresh_from_db()
    assert activity.follow_up_on == today


def test_the_database_accepts_a_follow_up_on_the_activity_day(db, today):
    activity = ActivityFactory(date=today, follow_up_on=today)

    assert Activity.objects.get(pk=activity.pk).follow_up_on == today

"""ActivityDay, kept by reviews.summary: shared activities per owner, day and
direction, which network health's activity charts read. Each test checks the stored
counts against the log counted afresh (tests.reviews.checks.activity_days)."""

import datetime
import logging

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from contacts.models import Activity, Direction, Kind
from reviews.models import ActivityDay
from reviews.summary import activity_days_add, activity_days_recount
from reviews.tasks import activities_reclassify
from tests.factories import ActivityFactory, ContactFactory, UserFactory
from tests.reviews.checks import activity_days

TODAY = timezone.localdate()
DAY = datetime.timedelta(days=1)


@pytest.fixture
def client_contact(recruiter):
    return ContactFactory(owner=recruiter, kind=Kind.CLIENT)


def _log(owner, contact, direction=Direction.GIVEN, days_ago=0) -> Activity:
    return ActivityFactory(
        owner=owner, contacts=[contact], direction=direction, date=TODAY - days_ago * DAY
    )


def test_activities_are_counted_by_owner_day_and_direction(recruiter, teammate, client_contact):
    _log(recruiter, client_contact)
    _log(recruiter, client_contact)
    _log(recruiter, client_contact, Direction.RECEIVED)
    _log(recruiter, client_contact, days_ago=3)
    _log(teammate, ContactFactory(owner=teammate, kind=Kind.CLIENT))

    assert activity_days() == {
        (recruiter.pk, TODAY, Direction.GIVEN): 2,
        (recruiter.pk, TODAY, Direction.RECEIVED): 1,
        (recruiter.pk, TODAY - 3 * DAY, Direction.GIVEN): 1,
        (teammate.pk, TODAY, Direction.GIVEN): 1,
    }


def test_a_private_activity_is_not_counted_until_it_is_shared(recruiter, client_contact):
    friend = ContactFactory(owner=recruiter, kind=Kind.PERSONAL)
    dinner = _log(recruiter, friend)
    assert activity_days() == {}
    dinner.contacts.add(client_contact)
    assert activity_days() == {(recruiter.pk, TODAY, Direction.GIVEN): 1}
    client_contact.kind = Kind.PERSONAL
    client_contact.save()
    assert activity_days() == {}


@pytest.mark.parametrize("change", ["date", "direction", "owner"])
def test_an_edit_moves_the_count(recruiter, teammate, client_contact, change):
    activity = _log(recruiter, client_contact)
    _log(recruiter, client_contact)
    if change == "date":
        activity.date = TODAY - 10 * DAY
    elif change == "direction":
        activity.direction = Direction.MUTUAL
    else:  # only the admin can; it holds the contacts to the owner, here left as they are
        activity.owner = teammate
    activity.save()

    moved = {
        "date": (recruiter.pk, TODAY - 10 * DAY, Direction.GIVEN),
        "direction": (recruiter.pk, TODAY, Direction.MUTUAL),
        "owner": (teammate.pk, TODAY, Direction.GIVEN),
    }[change]
    assert activity_days() == {(recruiter.pk, TODAY, Direction.GIVEN): 1, moved: 1}


def test_an_edit_of_a_stale_instance_moves_what_the_database_holds(recruiter, client_contact):
    activity = _log(recruiter, client_contact)
    stale = Activity.objects.get(pk=activity.pk)
    activity.date = TODAY - 5 * DAY
    activity.save()
    stale.direction = Direction.RECEIVED  # and puts back its older date
    stale.save()
    assert activity_days() == {(recruiter.pk, TODAY, Direction.RECEIVED): 1}


def test_a_save_of_other_fields_reads_nothing_more(recruiter, client_contact):
    activity = _log(recruiter, client_contact)
    activity.summary = "Talked about Q3"
    with CaptureQueriesContext(connection) as queries:
        activity.save(update_fields=["summary"])
    assert not any('"private"' in q["sql"] for q in queries.captured_queries)
    assert activity_days() == {(recruiter.pk, TODAY, Direction.GIVEN): 1}


@pytest.mark.parametrize("how", ["instance", "bulk", "contact_made_private_first"])
def test_deleting_an_activity_takes_it_away(recruiter, client_contact, how):
    _log(recruiter, client_contact)
    gone = _log(recruiter, client_contact)
    if how == "instance":
        gone.delete()
    elif how == "bulk":
        Activity.objects.filter(pk=gone.pk).delete()
    else:  # the instance still says shared; the database says private: nothing to take
        alone = _log(recruiter, friend := ContactFactory(owner=recruiter, kind=Kind.PERSONAL))
        assert not alone.private and friend
        alone.delete()
        gone.delete()
    assert activity_days() == {(recruiter.pk, TODAY, Direction.GIVEN): 1}


def test_adding_takes_any_number_of_days_in_one_statement(recruiter, teammate):
    days = {
        (recruiter.pk, TODAY, Direction.GIVEN): 3,
        (teammate.pk, TODAY - DAY, Direction.MUTUAL): 2,
    }
    with CaptureQueriesContext(connection) as queries:
        activity_days_add(days)
        activity_days_add({(recruiter.pk, TODAY, Direction.GIVEN): -1})
    assert len(queries.captured_queries) == 2
    assert dict(
        ((o, d, w), n)
        for o, d, w, n in ActivityDay.objects.values_list(
            "owner", "date", "direction", "activities"
        )
    ) == {
        (recruiter.pk, TODAY, Direction.GIVEN): 2,
        (teammate.pk, TODAY - DAY, Direction.MUTUAL): 2,
    }


def test_the_recount_puts_right_what_went_around_the_receivers(recruiter, client_contact, caplog):
    kept = _log(recruiter, client_contact)
    moved = _log(recruiter, client_contact, days_ago=2)
    Activity.objects.filter(pk=moved.pk).update(date=TODAY - 9 * DAY)  # no receivers
    ActivityDay.objects.create(owner=UserFactory(), date=TODAY, direction="given", activities=0)
    assert kept

    with caplog.at_level(logging.WARNING):
        assert activities_reclassify() == 0  # no flag was wrong

    assert "corrected 2 days' activity counts" in caplog.text
    assert activity_days() == {
        (recruiter.pk, TODAY, Direction.GIVEN): 1,
        (recruiter.pk, TODAY - 9 * DAY, Direction.GIVEN): 1,
    }
    assert not ActivityDay.objects.filter(activities=0).exists()  # rows counting nothing go
    assert activity_days_recount() == 0


def test_any_number_of_days_is_added_in_statements_of_a_few_hundred(recruiter):
    days = {(recruiter.pk, TODAY - n * DAY, Direction.GIVEN): n + 1 for n in range(450)}
    with CaptureQueriesContext(connection) as queries:
        activity_days_add(days)
    assert len(queries.captured_queries) == 3
    stored = ActivityDay.objects.values_list("date", "activities")
    assert dict(stored) == {TODAY - n * DAY: n + 1 for n in range(450)}


def test_a_day_given_as_text_is_the_day_it_stands_for(recruiter, client_contact):
    activity = _log(recruiter, client_contact)
    activity.date = TODAY.isoformat()  # the same day: nothing moves
    activity.save()
    assert activity_days() == {(recruiter.pk, TODAY, Direction.GIVEN): 1}
    activity.date = (TODAY - DAY).isoformat()
    activity.save()
    assert activity_days() == {(recruiter.pk, TODAY - DAY, Direction.GIVEN): 1}

"""reviews.summary: each contact's stored last activity, last review date and last
decision, and its last year's activities by direction, follow every way the log and
the reviews change (and the year moves on each night); and the stay-in-touch state
worked out in SQL (reviews.services.stay_in_touch) is the model's rule
(stay_in_touch_state) on every boundary."""

import datetime

import pytest
from django.utils import timezone
from hypothesis import given, settings
from hypothesis import strategies as st

from contacts.merge import contacts_merge
from contacts.models import Activity, Contact, Direction, Kind
from netlog.functions import AddDays
from reviews.models import Cadence, Decision, Review, stay_in_touch_state
from reviews.services import (
    TOUCH_STATES,
    attention,
    attention_counts,
    attention_counts_by_kind,
    stay_in_touch,
)
from reviews.summary import contacts_rebalance, contacts_summarise, contacts_touch
from reviews.tasks import contacts_year_moved_on
from tests.conftest import daily_schedule
from tests.factories import ActivityFactory, ContactFactory, ReviewFactory

DAY = datetime.timedelta(days=1)
TODAY = timezone.localdate()


def _summary(contact: Contact) -> tuple:
    contact.refresh_from_db()
    return contact.last_activity_on, contact.last_reviewed_on, contact.last_decision


def _review(contact: Contact, days_ago: int, decision: str = Decision.MAINTAIN) -> Review:
    return ReviewFactory(contact=contact, reviewed_on=TODAY - days_ago * DAY, decision=decision)


def test_a_new_contact_has_no_summary(recruiter):
    assert _summary(ContactFactory(owner=recruiter)) == (None, None, "")


def test_logging_an_activity_sets_its_contacts_last_activity(recruiter):
    one, two = ContactFactory(owner=recruiter), ContactFactory(owner=recruiter)
    ActivityFactory(owner=recruiter, contacts=[one, two], date=TODAY - 5 * DAY)
    ActivityFactory(owner=recruiter, contacts=[one], date=TODAY - 9 * DAY)
    assert _summary(one)[0] == _summary(two)[0] == TODAY - 5 * DAY


def test_adding_a_contact_from_its_side_counts(recruiter):
    contact = ContactFactory(owner=recruiter)
    activity = ActivityFactory(owner=recruiter, contacts=[], date=TODAY - 2 * DAY)
    contact.activities.add(activity)
    assert _summary(contact)[0] == TODAY - 2 * DAY


def test_moving_an_activity_earlier_moves_the_last_activity_back(recruiter):
    contact = ContactFactory(owner=recruiter)
    ActivityFactory(owner=recruiter, contacts=[contact], date=TODAY - 30 * DAY)
    latest = ActivityFactory(owner=recruiter, contacts=[contact], date=TODAY - DAY)
    latest.date = TODAY - 60 * DAY
    latest.save()
    assert _summary(contact)[0] == TODAY - 30 * DAY


def test_deleting_the_latest_activity_falls_back_to_the_one_before(recruiter):
    contact = ContactFactory(owner=recruiter)
    ActivityFactory(owner=recruiter, contacts=[contact], date=TODAY - 30 * DAY)
    ActivityFactory(owner=recruiter, contacts=[contact], date=TODAY - DAY).delete()
    assert _summary(contact)[0] == TODAY - 30 * DAY


def test_deleting_activities_in_bulk_counts_too(recruiter):
    contact = ContactFactory(owner=recruiter)
    ActivityFactory(owner=recruiter, contacts=[contact], date=TODAY - DAY)
    Activity.objects.filter(owner=recruiter).delete()
    assert _summary(contact)[0] is None


@pytest.mark.parametrize("how", ["remove", "clear", "set", "clear_from_contact"])
def test_taking_a_contact_off_an_activity_counts(recruiter, how):
    contact, other = ContactFactory(owner=recruiter), ContactFactory(owner=recruiter)
    ActivityFactory(owner=recruiter, contacts=[contact], date=TODAY - 30 * DAY)
    latest = ActivityFactory(owner=recruiter, contacts=[contact], date=TODAY - DAY)
    if how == "remove":
        latest.contacts.remove(contact)
    elif how == "clear":
        latest.contacts.clear()
    elif how == "set":
        latest.contacts.set([other])
    else:
        contact.activities.clear()
    expected = None if how == "clear_from_contact" else TODAY - 30 * DAY
    assert _summary(contact)[0] == expected
    if how == "set":
        assert _summary(other)[0] == TODAY - DAY


def test_a_review_sets_the_last_review_and_decision(recruiter):
    contact = ContactFactory(owner=recruiter)
    _review(contact, 10, Decision.STRENGTHEN)
    _review(contact, 40, Decision.DISCONTINUE)  # entered later, but older
    assert _summary(contact)[1:] == (TODAY - 10 * DAY, Decision.STRENGTHEN)


def test_a_full_save_of_a_contact_read_earlier_keeps_the_summary(recruiter):
    contact = ContactFactory(owner=recruiter)
    stale = Contact.objects.get(pk=contact.pk)
    ActivityFactory(owner=recruiter, contacts=[contact], date=TODAY - DAY)
    _review(contact, 0)
    stale.organisation = "Acme"
    stale.save()
    assert _summary(contact) == (TODAY - DAY, TODAY, Decision.MAINTAIN)
    assert contact.organisation == "Acme"


def test_a_merge_takes_the_later_of_both(recruiter):
    keep, other = ContactFactory(owner=recruiter), ContactFactory(owner=recruiter)
    ActivityFactory(owner=recruiter, contacts=[keep], date=TODAY - 30 * DAY)
    ActivityFactory(owner=recruiter, contacts=[other], date=TODAY - 2 * DAY)
    _review(other, 1, Decision.STRENGTHEN)
    contacts_merge(keep=keep, other=other, by=recruiter)
    assert _summary(keep) == (TODAY - 2 * DAY, TODAY - DAY, Decision.STRENGTHEN)


def test_summarising_again_from_scratch_gives_what_was_kept(recruiter):
    contacts = [ContactFactory(owner=recruiter) for _ in range(4)]
    ActivityFactory(owner=recruiter, contacts=contacts[:2], date=TODAY - 3 * DAY)
    ActivityFactory(owner=recruiter, contacts=contacts[1:3], date=TODAY - DAY)
    _review(contacts[2], 5)
    ActivityFactory(owner=recruiter, contacts=contacts[1:], date=TODAY, direction=Direction.GIVEN)
    Cadence.objects.create(owner=recruiter, contact=contacts[0], ideal_days=3, max_days=4)
    kept = [(_summary(c), _year(c), _touch(c)) for c in contacts]
    assert kept[3][1] == (1, 0, 0)
    assert kept[0][2] == (_days(0), _days(1))
    Contact.objects.update(
        last_activity_on=None,
        last_reviewed_on=None,
        last_decision="",
        year_given=0,
        year_received=0,
        year_mutual=0,
        touch_ideal_on=None,
        touch_max_on=None,
    )
    assert contacts_summarise() == 4
    assert [(_summary(c), _year(c), _touch(c)) for c in contacts] == kept
    Contact.objects.update(touch_ideal_on=None, touch_max_on=None)
    assert contacts_touch() == 4
    assert [(_summary(c), _year(c), _touch(c)) for c in contacts] == kept


# The year by direction (reciprocity)


def _year(contact: Contact) -> tuple[int, int, int]:
    contact.refresh_from_db()
    return contact.year_given, contact.year_received, contact.year_mutual


def _logged(contact: Contact, direction: str, days_ago: int = 0, **kwargs) -> Activity:
    return ActivityFactory(
        owner=contact.owner,
        contacts=[contact],
        direction=direction,
        date=TODAY - days_ago * DAY,
        **kwargs,
    )


def test_a_new_contact_has_an_empty_year(recruiter):
    assert _year(ContactFactory(owner=recruiter)) == (0, 0, 0)


@pytest.mark.parametrize("days_ago, counted", [(-3, 1), (0, 1), (364, 1), (365, 0), (900, 0)])
def test_the_year_is_the_last_365_days_and_any_dated_ahead(recruiter, days_ago, counted):
    contact = ContactFactory(owner=recruiter)
    _logged(contact, Direction.RECEIVED, days_ago)
    assert _year(contact) == (0, counted, 0)


def test_each_direction_is_counted_and_an_activity_once_for_each_contact(recruiter):
    ada, bea = ContactFactory(owner=recruiter), ContactFactory(owner=recruiter)
    _logged(ada, Direction.GIVEN)
    _logged(ada, Direction.GIVEN, 30)
    _logged(ada, Direction.MUTUAL, 5)
    ActivityFactory(owner=recruiter, contacts=[ada, bea], direction=Direction.RECEIVED, date=TODAY)
    assert _year(ada) == (2, 1, 1)
    assert _year(bea) == (0, 1, 0)


def test_changing_an_activitys_direction_or_date_moves_it(recruiter):
    contact = ContactFactory(owner=recruiter)
    activity = _logged(contact, Direction.GIVEN)
    activity.direction = Direction.RECEIVED
    activity.save()
    assert _year(contact) == (0, 1, 0)
    activity.date = TODAY - 400 * DAY
    activity.save()
    assert _year(contact) == (0, 0, 0)


@pytest.mark.parametrize("how", ["delete", "bulk_delete", "remove", "clear_from_contact"])
def test_an_activity_gone_from_the_contact_no_longer_counts(recruiter, how):
    contact = ContactFactory(owner=recruiter)
    _logged(contact, Direction.GIVEN, 3)
    gone = _logged(contact, Direction.GIVEN)
    if how == "delete":
        gone.delete()
    elif how == "bulk_delete":
        Activity.objects.filter(pk=gone.pk).delete()
    elif how == "remove":
        gone.contacts.remove(contact)
    else:
        contact.activities.clear()
    assert _year(contact) == (0 if how == "clear_from_contact" else 1, 0, 0)


def test_a_merge_counts_both_logs_and_a_shared_activity_once(recruiter):
    keep, other = ContactFactory(owner=recruiter), ContactFactory(owner=recruiter)
    _logged(keep, Direction.GIVEN)
    _logged(other, Direction.RECEIVED, 10)
    ActivityFactory(owner=recruiter, contacts=[keep, other], direction=Direction.MUTUAL)
    contacts_merge(keep=keep, other=other, by=recruiter)
    assert _year(keep) == (1, 1, 1)


def test_the_nightly_move_drops_what_left_the_year(recruiter):
    """The year moves on without a write: here an update that skips the receivers puts
    activities where the days passing would."""
    lapsed, older, kept = (ContactFactory(owner=recruiter) for _ in range(3))
    _logged(lapsed, Direction.RECEIVED, 300)
    _logged(older, Direction.RECEIVED, 300)
    _logged(kept, Direction.RECEIVED, 300)
    Activity.objects.filter(contacts=lapsed).update(date=TODAY - 365 * DAY)  # left today
    Activity.objects.filter(contacts=older).update(date=TODAY - 372 * DAY)  # 8 days ago

    assert contacts_year_moved_on() == 1  # the last 7 days'
    assert [_year(c) for c in (lapsed, older, kept)] == [(0, 0, 0), (0, 1, 0), (0, 1, 0)]
    assert contacts_rebalance(days=8) == 2  # a longer look back finds the other
    assert _year(older) == (0, 0, 0)


def test_the_nightly_move_is_scheduled_just_after_midnight(db):
    assert daily_schedule("reviews.tasks.contacts_year_moved_on") == ("0", "5", "Europe/London")


# AddDays, on whichever database the suite runs


@pytest.mark.parametrize("days", [0, 1, 31, 366])
def test_add_days_adds_whole_days_across_months_and_years(recruiter, days):
    contact = ContactFactory(owner=recruiter)
    Contact.objects.filter(pk=contact.pk).update(last_activity_on=datetime.date(2024, 2, 28))
    row = Contact.objects.annotate(later=AddDays("last_activity_on", days)).get(pk=contact.pk)
    assert row.later == datetime.date(2024, 2, 28) + days * DAY


# The state in SQL is the model's rule


@settings(max_examples=40, deadline=None)
@given(
    gap=st.integers(min_value=0, max_value=400),
    ideal=st.integers(min_value=1, max_value=200),
    extra=st.integers(min_value=0, max_value=200),
    own=st.booleans(),
)
@pytest.mark.django_db
def test_the_sql_state_is_the_models_rule(gap, ideal, extra, own):
    from tests.factories import UserFactory

    owner = UserFactory(username="summary-owner")
    Contact.objects.filter(owner=owner).delete()
    Cadence.objects.filter(owner=owner).delete()
    contact = ContactFactory(owner=owner, kind=Kind.CLIENT)
    ActivityFactory(owner=owner, contacts=[contact], date=TODAY - gap * DAY)
    if own:
        Cadence.objects.create(
            owner=owner, contact=contact, ideal_days=ideal, max_days=ideal + extra
        )
    else:
        Cadence.objects.create(
            owner=owner, kind=Kind.CLIENT, ideal_days=ideal, max_days=ideal + extra
        )
    row = stay_in_touch(Contact.objects.filter(pk=contact.pk), TODAY).get()
    state, _ = stay_in_touch_state(TODAY - gap * DAY, ideal, ideal + extra, TODAY)
    assert TOUCH_STATES[row.touch] == state
    counts = attention_counts(Contact.objects.filter(pk=contact.pk), TODAY)
    assert counts[state] == 1 and sum(counts[s] for s in TOUCH_STATES) == 1


def test_a_kind_cadence_applies_only_to_its_owners_contacts(recruiter, teammate):
    mine = ContactFactory(owner=recruiter, kind=Kind.CLIENT)
    theirs = ContactFactory(owner=teammate, kind=Kind.CLIENT)
    for contact in (mine, theirs):
        ActivityFactory(owner=contact.owner, contacts=[contact], date=TODAY - 20 * DAY)
    Cadence.objects.create(owner=recruiter, kind=Kind.CLIENT, ideal_days=10, max_days=15)
    rows = {row.contact.pk: row for row in attention(Contact.objects.all(), TODAY)}
    assert (rows[mine.pk].ideal_days, rows[mine.pk].state) == (10, "overdue")
    assert (rows[theirs.pk].ideal_days, rows[theirs.pk].state) == (90, "ok")


# The stay-in-touch days


def _touch(contact: Contact) -> tuple:
    contact.refresh_from_db()
    return contact.touch_ideal_on, contact.touch_max_on


def _days(n: int) -> datetime.date:
    return TODAY + n * DAY


def test_a_new_contact_is_counted_from_the_day_it_was_added(recruiter):
    added = timezone.now() - 10 * DAY
    contact = ContactFactory(owner=recruiter, kind=Kind.CLIENT, created_at=added)
    assert _touch(contact) == (_days(-10 + 90), _days(-10 + 180))


def test_an_activity_moves_the_touch_days_and_its_removal_moves_them_back(recruiter):
    contact = ContactFactory(owner=recruiter, kind=Kind.CLIENT)
    activity = ActivityFactory(owner=recruiter, contacts=[contact], date=_days(5))
    assert _touch(contact) == (_days(95), _days(185))
    activity.delete()
    assert _touch(contact) == (_days(90), _days(180))


def test_its_own_cadence_sets_them_and_going_back_to_the_kinds(recruiter):
    contact = ContactFactory(owner=recruiter, kind=Kind.CLIENT)
    Cadence.objects.create(owner=recruiter, kind=Kind.CLIENT, ideal_days=20, max_days=40)
    assert _touch(contact) == (_days(20), _days(40))
    own = Cadence.objects.create(owner=recruiter, contact=contact, ideal_days=7, max_days=14)
    assert _touch(contact) == (_days(7), _days(14))
    own.ideal_days, own.max_days = 9, 30
    own.save()
    assert _touch(contact) == (_days(9), _days(30))
    Cadence.objects.filter(pk=own.pk).delete()
    assert _touch(contact) == (_days(20), _days(40))


def test_a_kind_cadence_moves_only_its_owners_contacts_of_that_kind(recruiter, teammate):
    client = ContactFactory(owner=recruiter, kind=Kind.CLIENT)
    candidate = ContactFactory(owner=recruiter, kind=Kind.CANDIDATE)
    theirs = ContactFactory(owner=teammate, kind=Kind.CLIENT)
    cadence = Cadence.objects.create(owner=recruiter, kind=Kind.CLIENT, ideal_days=5, max_days=6)
    assert [_touch(c)[0] for c in (client, candidate, theirs)] == [_days(5), _days(90), _days(90)]
    cadence.kind = Kind.CANDIDATE  # the admin could move it to another kind
    cadence.save()
    assert [_touch(c)[0] for c in (client, candidate)] == [_days(90), _days(5)]
    cadence.delete()
    assert _touch(candidate)[0] == _days(90)


def test_a_change_of_kind_takes_the_new_kinds_cadence(recruiter):
    Cadence.objects.create(owner=recruiter, kind=Kind.REFERRER, ideal_days=30, max_days=60)
    contact = ContactFactory(owner=recruiter, kind=Kind.CLIENT)
    contact.kind = Kind.REFERRER
    contact.save(update_fields=["kind"])
    assert _touch(contact) == (_days(30), _days(60))
    contact.kind = Kind.CLIENT
    contact.save()
    assert _touch(contact) == (_days(90), _days(180))


def test_a_merge_counts_from_the_later_activity(recruiter):
    keep, other = ContactFactory(owner=recruiter), ContactFactory(owner=recruiter)
    ActivityFactory(owner=recruiter, contacts=[other], date=_days(-3))
    contacts_merge(keep=keep, other=other, by=recruiter)
    assert _touch(keep) == (_days(87), _days(177))


def test_counts_by_kind_count_every_contact_and_states_only_of_those_followed(recruiter):
    added = timezone.now() - 200 * DAY  # past both default gaps: overdue, due a review
    for kind in (Kind.CLIENT, Kind.CLIENT, Kind.PERSONAL):
        ContactFactory(owner=recruiter, kind=kind, created_at=added)
    dropped = ContactFactory(owner=recruiter, kind=Kind.CANDIDATE, created_at=added)
    _review(dropped, 200, Decision.DISCONTINUE)
    fresh = ContactFactory(owner=recruiter, kind=Kind.CANDIDATE)
    ActivityFactory(owner=recruiter, contacts=[fresh], date=TODAY)

    by_kind = attention_counts_by_kind(Contact.objects.filter(owner=recruiter), TODAY)

    none = {"overdue": 0, "due": 0, "ok": 0, "review_due": 0}
    assert by_kind == {
        Kind.CLIENT: {"n": 2, **none, "overdue": 2, "review_due": 2},
        Kind.PERSONAL: {"n": 1, **none},
        Kind.CANDIDATE: {"n": 2, **none, "ok": 1},
    }
    assert attention_counts(Contact.objects.filter(owner=recruiter), TODAY) == {
        "overdue": 2,
        "due": 0,
        "ok": 1,
        "review_due": 2,
    }

"""Stay in touch: reviews.models.stay_in_touch_state on its boundaries, and
reviews.services.attention, who needs attention, most overdue first. `today` is
passed in: our frozen time."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from contacts.models import Contact, Kind
from netlog.access import visible_to
from reviews.models import (
    DEFAULT_IDEAL_DAYS,
    DEFAULT_MAX_DAYS,
    Cadence,
    Decision,
    Review,
    stay_in_touch_state,
)
from reviews.services import attention, review_due_on
from tests.factories import ActivityFactory, ContactFactory, ReviewFactory

TODAY = datetime.date(2025, 6, 15)
DAY = datetime.timedelta(days=1)


def _added(days_ago: int) -> datetime.datetime:
    """Midday, local time, `days_ago` days before TODAY."""
    moment = datetime.datetime.combine(TODAY - days_ago * DAY, datetime.time(12))
    return timezone.make_aware(moment)


def _contact(owner, name: str, *, added: int = 400, kind: str = Kind.CLIENT) -> Contact:
    """A contact added `added` days before TODAY, never reviewed."""
    return ContactFactory(
        owner=owner, first_name=name, last_name="", kind=kind, created_at=_added(added)
    )


def _activity(contact, days_ago: int) -> None:
    ActivityFactory(owner=contact.owner, contacts=[contact], date=TODAY - days_ago * DAY)


def _review(contact, days_ago: int, decision: str = Decision.MAINTAIN) -> Review:
    return ReviewFactory(contact=contact, reviewed_on=TODAY - days_ago * DAY, decision=decision)


def _rows(owner) -> dict:
    return {row.contact: row for row in attention(Contact.objects.filter(owner=owner), TODAY)}


# stay_in_touch_state


@pytest.mark.parametrize(
    "gap, state, past_ideal",
    [
        (0, "ok", -90),
        (89, "ok", -1),
        (90, "ok", 0),  # exactly the ideal gap: still fine
        (91, "due", 1),
        (180, "due", 90),  # exactly the maximum: due, not yet overdue
        (181, "overdue", 91),
        (400, "overdue", 310),
    ],
)
def test_it_gives_the_state_and_days_past_the_ideal_gap(gap, state, past_ideal):
    last = TODAY - gap * DAY

    assert stay_in_touch_state(last, 90, 180, TODAY) == (state, past_ideal)


@pytest.mark.parametrize("gap, state", [(14, "ok"), (15, "due"), (30, "due"), (31, "overdue")])
def test_it_uses_the_gaps_it_is_given(gap, state):
    assert stay_in_touch_state(TODAY - gap * DAY, 14, 30, TODAY)[0] == state


def test_it_counts_days_left_as_negative_past_the_ideal():
    assert stay_in_touch_state(TODAY - 10 * DAY, 14, 30, TODAY) == ("ok", -4)


# attention: where the gap is counted from


def test_it_counts_from_the_last_activity(recruiter):
    sam = _contact(recruiter, "Sam", added=800)
    _activity(sam, 300)
    _activity(sam, 100)

    row = _rows(recruiter)[sam]

    assert row.last_contact == TODAY - 100 * DAY
    assert (row.state, row.past_ideal) == ("due", 10)


def test_it_counts_from_when_the_contact_was_added_without_an_activity(recruiter):
    sam = _contact(recruiter, "Sam", added=95)

    row = _rows(recruiter)[sam]

    assert row.last_contact == TODAY - 95 * DAY
    assert (row.state, row.past_ideal) == ("due", 5)


def test_it_takes_the_local_date_the_contact_was_added(recruiter):
    # 23:30 UTC on a summer day (British Summer Time) is already the next day in London.
    added = datetime.datetime.combine(TODAY - 31 * DAY, datetime.time(23, 30))
    Cadence.objects.create(owner=recruiter, kind=Kind.CLIENT, ideal_days=30, max_days=60)
    sam = ContactFactory(
        owner=recruiter,
        first_name="Sam",
        kind=Kind.CLIENT,
        created_at=added.replace(tzinfo=datetime.UTC),
    )

    row = _rows(recruiter)[sam]

    assert row.last_contact == TODAY - 30 * DAY
    assert (row.state, row.past_ideal) == ("ok", 0)


def test_it_marks_a_contact_in_touch_lately_ok(recruiter):
    sam = _contact(recruiter, "Sam")
    _activity(sam, 90)

    row = _rows(recruiter)[sam]

    assert (row.state, row.past_ideal) == ("ok", 0)
    assert (row.ideal_days, row.max_days) == (DEFAULT_IDEAL_DAYS, DEFAULT_MAX_DAYS)


def test_it_marks_a_contact_past_the_maximum_overdue(recruiter):
    sam = _contact(recruiter, "Sam")
    _activity(sam, 181)

    assert _rows(recruiter)[sam].state == "overdue"


# attention: which cadence applies


def test_it_defaults_to_90_and_180_days():
    assert (DEFAULT_IDEAL_DAYS, DEFAULT_MAX_DAYS) == (90, 180)


def test_it_prefers_the_contacts_cadence_to_its_kinds_to_the_default(recruiter):
    Cadence.objects.create(owner=recruiter, kind=Kind.CLIENT, ideal_days=30, max_days=60)
    own = _contact(recruiter, "Own", kind=Kind.CLIENT)
    Cadence.objects.create(owner=recruiter, contact=own, ideal_days=10, max_days=20)
    by_kind = _contact(recruiter, "ByKind", kind=Kind.CLIENT)
    default = _contact(recruiter, "Default", kind=Kind.CANDIDATE)
    for contact in (own, by_kind, default):
        _activity(contact, 45)

    rows = _rows(recruiter)

    assert (rows[own].ideal_days, rows[own].max_days, rows[own].state) == (10, 20, "overdue")
    assert (rows[by_kind].ideal_days, rows[by_kind].max_days) == (30, 60)
    assert (rows[by_kind].state, rows[by_kind].past_ideal) == ("due", 15)
    assert (rows[default].ideal_days, rows[default].max_days) == (90, 180)
    assert (rows[default].state, rows[default].past_ideal) == ("ok", -45)


def test_it_ignores_another_recruiters_cadence_for_the_kind(recruiter, teammate):
    Cadence.objects.create(owner=teammate, kind=Kind.CLIENT, ideal_days=7, max_days=14)
    sam = _contact(recruiter, "Sam", kind=Kind.CLIENT)
    _activity(sam, 30)

    row = _rows(recruiter)[sam]

    assert (row.ideal_days, row.max_days, row.state) == (90, 180, "ok")


# attention: who is left out


def test_it_leaves_out_personal_contacts(recruiter):
    friend = _contact(recruiter, "Friend", kind=Kind.PERSONAL, added=1000)
    sam = _contact(recruiter, "Sam", added=1000)

    rows = _rows(recruiter)

    assert friend not in rows
    assert sam in rows


def test_it_leaves_out_a_contact_whose_last_review_discontinued_them(recruiter):
    sam = _contact(recruiter, "Sam")
    _review(sam, 200, Decision.STRENGTHEN)
    _review(sam, 10, Decision.DISCONTINUE)
    alex = _contact(recruiter, "Alex")

    rows = _rows(recruiter)

    assert sam not in rows
    assert alex in rows


def test_it_brings_back_a_discontinued_contact_reviewed_again(recruiter):
    sam = _contact(recruiter, "Sam")
    _review(sam, 100, Decision.DISCONTINUE)
    _review(sam, 5, Decision.MAINTAIN)

    assert sam in _rows(recruiter)


def test_it_takes_the_later_of_two_reviews_on_the_same_day(recruiter):
    sam = _contact(recruiter, "Sam")
    alex = _contact(recruiter, "Alex")
    _review(sam, 5, Decision.DISCONTINUE)
    _review(sam, 5, Decision.MAINTAIN)
    _review(alex, 5, Decision.MAINTAIN)
    _review(alex, 5, Decision.DISCONTINUE)

    rows = _rows(recruiter)

    assert sam in rows
    assert alex not in rows


def test_it_goes_by_review_date_not_by_when_it_was_entered(recruiter):
    sam = _contact(recruiter, "Sam")
    _review(sam, 5, Decision.DISCONTINUE)
    _review(sam, 50, Decision.MAINTAIN)  # entered later, about an earlier review

    assert sam not in _rows(recruiter)


# attention: order


def test_it_ranks_the_most_overdue_first(recruiter):
    for name, days_ago in [("Ok", 10), ("Late", 300), ("Due", 120), ("Later", 500)]:
        _activity(_contact(recruiter, name, added=900), days_ago)

    rows = attention(Contact.objects.filter(owner=recruiter), TODAY)

    assert [row.contact.name for row in rows] == ["Later", "Late", "Due", "Ok"]
    assert [row.past_ideal for row in rows] == [410, 210, 30, -80]


def test_it_ranks_by_name_when_equally_overdue(recruiter):
    for name in ["Zoe", "Adam", "Maya"]:
        _activity(_contact(recruiter, name), 100)

    rows = attention(Contact.objects.filter(owner=recruiter), TODAY)

    assert [row.contact.name for row in rows] == ["Adam", "Maya", "Zoe"]


def test_it_ranks_overdue_before_due_whatever_the_days_past_the_ideal(recruiter):
    """Red comes first: a weekly contact two weeks out of touch matters more than a
    quarterly one a few weeks late."""
    weekly = _contact(recruiter, "Weekly")
    Cadence.objects.create(owner=recruiter, contact=weekly, ideal_days=7, max_days=14)
    _activity(weekly, 27)  # overdue, 20 days past its ideal gap
    usual = _contact(recruiter, "Usual")
    _activity(usual, 150)  # due, 60 days past its ideal gap

    rows = attention(Contact.objects.filter(owner=recruiter), TODAY)

    assert [(row.contact, row.state) for row in rows] == [(weekly, "overdue"), (usual, "due")]


# attention: reviews due


def test_it_keeps_contacts_never_reviewed(recruiter):
    # A NULL last decision is not "discontinue": a plain exclude() would drop them.
    sam = _contact(recruiter, "Sam")
    _activity(sam, 100)

    rows = _rows(recruiter)

    assert sam in rows
    assert rows[sam].state == "due"


def test_it_marks_a_contact_never_reviewed_due_a_review(recruiter):
    sam = _contact(recruiter, "Sam")

    row = _rows(recruiter)[sam]

    assert row.last_review is None
    assert row.review_due is True


@pytest.mark.parametrize("days_ago, due", [(0, False), (180, False), (181, True)])
def test_it_marks_a_review_due_after_180_days(recruiter, days_ago, due):
    sam = _contact(recruiter, "Sam")
    _review(sam, days_ago)

    row = _rows(recruiter)[sam]

    assert row.last_review == TODAY - days_ago * DAY
    assert row.review_due is due


def test_it_counts_from_the_latest_review(recruiter):
    sam = _contact(recruiter, "Sam")
    _review(sam, 400)
    _review(sam, 20, Decision.STRENGTHEN)
    _review(sam, 300)

    row = _rows(recruiter)[sam]

    assert row.last_review == TODAY - 20 * DAY
    assert row.review_due is False


def test_a_review_falls_due_the_day_after_180_days_from_the_last_review():
    assert review_due_on(TODAY - 180 * DAY, _added(900)) == TODAY + DAY
    assert review_due_on(TODAY - 181 * DAY, _added(900)) == TODAY


def test_a_review_falls_due_counting_from_the_local_day_the_contact_was_added():
    # 23:30 UTC on a summer day (British Summer Time) is already the next day in London.
    added = datetime.datetime.combine(TODAY - DAY, datetime.time(23, 30), datetime.UTC)

    assert review_due_on(None, added) == TODAY + 181 * DAY


# attention: through visible_to


def test_it_shows_a_manager_the_team_but_not_personal_contacts(
    recruiter, teammate, outsider, manager
):
    sam = _contact(recruiter, "Sam")
    tess = _contact(teammate, "Tess")
    friend = _contact(recruiter, "Friend", kind=Kind.PERSONAL)
    olly = _contact(outsider, "Olly")

    rows = attention(visible_to(Contact.objects.all(), manager), TODAY)

    contacts = {row.contact for row in rows}
    assert contacts == {sam, tess}
    assert friend not in contacts
    assert olly not in contacts


def test_it_shows_a_recruiter_only_their_own(recruiter, teammate):
    sam = _contact(recruiter, "Sam")
    _contact(teammate, "Tess")

    rows = attention(visible_to(Contact.objects.all(), recruiter), TODAY)

    assert [row.contact for row in rows] == [sam]


def test_it_uses_each_owners_kind_cadence_in_a_managers_view(recruiter, teammate, manager):
    Cadence.objects.create(owner=recruiter, kind=Kind.CLIENT, ideal_days=14, max_days=28)
    sam = _contact(recruiter, "Sam")
    tess = _contact(teammate, "Tess")

    rows = {
        row.contact: row for row in attention(visible_to(Contact.objects.all(), manager), TODAY)
    }

    assert rows[sam].ideal_days == 14
    assert rows[tess].ideal_days == 90


# attention: queries


def _network(owner, size: int) -> None:
    """`size` contacts, each with activities, reviews and a cadence of its own."""
    Cadence.objects.get_or_create(
        owner=owner, kind=Kind.CLIENT, defaults={"ideal_days": 30, "max_days": 60}
    )
    for n in range(size):
        contact = _contact(owner, f"Contact {n:02}", kind=[Kind.CLIENT, Kind.CANDIDATE][n % 2])
        _activity(contact, n)
        _activity(contact, n + 40)
        _review(contact, n * 10)
        if n % 3 == 0:
            Cadence.objects.create(owner=owner, contact=contact, ideal_days=20, max_days=40)


def _queries(owner) -> int:
    with CaptureQueriesContext(connection) as captured:
        rows = attention(Contact.objects.filter(owner=owner), TODAY)
        [row.contact.owner.username for row in rows]  # what the templates read
    return len(captured.captured_queries)


def test_it_reads_everything_in_one_query(recruiter, django_assert_num_queries):
    _network(recruiter, 3)

    with django_assert_num_queries(1):
        rows = attention(Contact.objects.filter(owner=recruiter), TODAY)
        [row.contact.owner.username for row in rows]


def test_it_does_not_query_more_for_more_contacts(recruiter, teammate):
    _network(recruiter, 3)
    _network(teammate, 30)

    assert _queries(recruiter) == _queries(teammate)
    assert len(attention(Contact.objects.filter(owner=teammate), TODAY)) == 30


def test_a_contact_whose_days_were_never_worked_out_counts_with_the_default_gaps(recruiter):
    """A row written around reviews.summary (loaded raw, bulk-created) has none."""
    sam = _contact(recruiter, "Sam", added=95)
    Contact.objects.filter(pk=sam.pk).update(touch_ideal_on=None, touch_max_on=None)

    row = _rows(recruiter)[sam]

    assert (row.ideal_days, row.max_days, row.state, row.past_ideal) == (90, 180, "due", 5)

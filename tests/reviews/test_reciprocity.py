"""Reciprocity (reviews.services): Balance and when it leans one way, balance_of one
contact over the last year, one_sided across contacts, and the reciprocity line on the
contact page. Both read the year reviews.summary stores, which counts back from the
real today (tests/reviews/test_summary.py follows it through every change)."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from hypothesis import given, settings
from hypothesis import strategies as st

from contacts.models import Activity, Contact, Direction, Kind
from netlog.access import visible_to
from reviews.services import (
    ONE_SIDED_MIN,
    ONE_SIDED_RATIO,
    Balance,
    balance_of,
    leaning_rows,
    one_sided,
)
from tests.factories import ActivityFactory, ContactFactory, UserFactory

TODAY = timezone.localdate()
DAY = datetime.timedelta(days=1)
TAKING = (
    "You have received much more than you gave: offer something back, such as "
    "an introduction, a referral or market insight."
)
GIVING = "You give far more than you get back: ask for a referral or an introduction."


def _log(contact: Contact, direction: str, times: int = 1, *, days_ago: int = 10, today=TODAY):
    for _ in range(times):
        ActivityFactory(
            owner=contact.owner,
            contacts=[contact],
            direction=direction,
            date=today - days_ago * DAY,
        )


def _contact(owner, name: str, *, kind: str = Kind.CLIENT, given=0, received=0, mutual=0):
    contact = ContactFactory(owner=owner, first_name=name, last_name="", kind=kind)
    _log(contact, Direction.GIVEN, given)
    _log(contact, Direction.RECEIVED, received)
    _log(contact, Direction.MUTUAL, mutual)
    return contact


# Balance


def test_it_counts_as_one_sided_from_three_activities_at_three_to_one():
    assert (ONE_SIDED_MIN, ONE_SIDED_RATIO) == (3, 3)


@pytest.mark.parametrize(
    "given, received, leaning",
    [
        (0, 0, ""),
        (1, 3, "taking"),  # exactly three to one
        (2, 3, ""),  # less than three to one
        (0, 2, ""),  # all one way, but too few to judge
        (0, 3, "taking"),
        (2, 6, "taking"),
        (3, 8, ""),
        (3, 1, "giving"),
        (3, 2, ""),
        (2, 0, ""),
        (3, 0, "giving"),
        (6, 2, "giving"),
        (3, 3, ""),
    ],
)
def test_it_leans_only_from_enough_activities_at_three_to_one(given, received, leaning):
    assert Balance(given=given, received=received).leaning == leaning


@settings(max_examples=200, deadline=None)
@given(
    given=st.integers(min_value=0, max_value=12),
    received=st.integers(min_value=0, max_value=12),
    mutual=st.integers(min_value=0, max_value=12),
)
@pytest.mark.django_db
def test_the_sql_rule_is_the_balances_own(given, received, mutual):
    """one_sided filters in SQL (leaning_rows) what Balance.leaning says in Python."""
    owner = UserFactory(username="balance-owner")
    contact = ContactFactory(owner=owner, kind=Kind.CLIENT)
    Contact.objects.filter(pk=contact.pk).update(
        year_given=given, year_received=received, year_mutual=mutual
    )
    in_sql = Contact.objects.filter(leaning_rows(), pk=contact.pk).exists()
    assert in_sql == bool(Balance(given, received, mutual).leaning)


def test_a_mostly_mutual_relationship_is_balanced():
    """Mutual exchanges are give and take: when they outnumber either side alone, the
    relationship is not one-sided."""
    assert Balance(given=0, received=0, mutual=20).leaning == ""
    assert Balance(given=1, received=3, mutual=20).leaning == ""
    assert Balance(given=0, received=3, mutual=3).leaning == ""
    assert Balance(given=0, received=3, mutual=2).leaning == "taking"


@pytest.mark.parametrize(
    "balance, suggestion",
    [
        (Balance(given=1, received=3), TAKING),
        (Balance(given=3, received=1), GIVING),
        (Balance(given=2, received=3), ""),
        (Balance(), ""),
    ],
)
def test_it_suggests_how_to_reciprocate_for_each_leaning(balance, suggestion):
    assert balance.suggestion == suggestion


# balance_of


def _fresh(contact: Contact) -> Contact:
    contact.refresh_from_db()
    return contact


def test_it_counts_each_direction_for_the_contact(recruiter):
    contact = _contact(recruiter, "Ada", given=2, received=3, mutual=1)

    assert balance_of(_fresh(contact)) == Balance(given=2, received=3, mutual=1)


@pytest.mark.parametrize("days_ago, counted", [(0, 1), (364, 1), (365, 0), (400, 0)])
def test_it_counts_only_the_last_365_days(recruiter, days_ago, counted):
    contact = ContactFactory(owner=recruiter, kind=Kind.CLIENT)
    _log(contact, Direction.RECEIVED, days_ago=days_ago)

    assert balance_of(_fresh(contact)).received == counted


def test_it_counts_only_this_contacts_activities(recruiter):
    contact = _contact(recruiter, "Ada", received=1)
    _contact(recruiter, "Bea", given=4, received=4, mutual=4)

    assert balance_of(_fresh(contact)) == Balance(given=0, received=1, mutual=0)


def test_it_counts_an_activity_with_two_contacts_once_for_each(recruiter):
    ada, bea = (ContactFactory(owner=recruiter, kind=Kind.CLIENT) for _ in range(2))
    ActivityFactory(owner=recruiter, contacts=[ada, bea], direction=Direction.GIVEN, date=TODAY)

    assert balance_of(_fresh(ada)) == Balance(given=1)
    assert balance_of(_fresh(bea)) == Balance(given=1)


def test_it_gives_an_empty_balance_without_activities(recruiter):
    contact = ContactFactory(owner=recruiter)

    assert balance_of(_fresh(contact)) == Balance(0, 0, 0)
    assert balance_of(_fresh(contact)).leaning == ""


# one_sided


def _one_sided(owner) -> list[tuple[str, Balance]]:
    found = one_sided(Contact.objects.filter(owner=owner))
    return [(contact.name, balance) for contact, balance in found]


def test_it_lists_the_contacts_that_lean_one_way(recruiter):
    _contact(recruiter, "Taker", given=1, received=3)
    _contact(recruiter, "Giver", given=3, received=1, mutual=2)
    _contact(recruiter, "Even", given=3, received=3)
    _contact(recruiter, "Close", given=2, received=3)
    _contact(recruiter, "Few", received=2)
    _contact(recruiter, "Mutual", mutual=9)

    found = dict(_one_sided(recruiter))

    assert found == {
        "Taker": Balance(given=1, received=3, mutual=0),
        "Giver": Balance(given=3, received=1, mutual=2),
    }
    assert found["Taker"].leaning == "taking"
    assert found["Giver"].leaning == "giving"


def test_it_lists_the_most_lopsided_first(recruiter):
    _contact(recruiter, "Slightly", received=3)
    _contact(recruiter, "Very", given=9)
    _contact(recruiter, "Quite", given=1, received=6)

    assert [name for name, _ in _one_sided(recruiter)] == ["Very", "Quite", "Slightly"]


def test_a_limit_keeps_the_most_lopsided(recruiter):
    _contact(recruiter, "Slightly", received=3)
    _contact(recruiter, "Very", given=9)
    _contact(recruiter, "Quite", given=1, received=6)

    found = one_sided(Contact.objects.filter(owner=recruiter), limit=2)

    assert [contact.name for contact, _ in found] == ["Very", "Quite"]


def test_it_counts_only_the_last_year(recruiter):
    contact = _contact(recruiter, "Lapsed", received=3)
    for activity in Activity.objects.filter(contacts=contact):
        activity.date = TODAY - datetime.timedelta(days=366)
        activity.save()

    assert _one_sided(recruiter) == []


def test_it_leaves_out_personal_contacts(recruiter):
    _contact(recruiter, "Sister", kind=Kind.PERSONAL, received=5)
    _contact(recruiter, "Client", received=5)

    assert [name for name, _ in _one_sided(recruiter)] == ["Client"]


def test_it_counts_only_the_last_year_for_the_list(recruiter):
    old = _contact(recruiter, "Old", received=1)
    _log(old, Direction.RECEIVED, 5, days_ago=365)
    recent = _contact(recruiter, "Recent", received=2)
    _log(recent, Direction.RECEIVED, 1, days_ago=364)

    assert _one_sided(recruiter) == [("Recent", Balance(given=0, received=3, mutual=0))]


def test_it_counts_an_activity_with_two_contacts_once_for_each_in_the_list(recruiter):
    ada, bea = (
        ContactFactory(owner=recruiter, first_name=name, last_name="", kind=Kind.CLIENT)
        for name in ("Ada", "Bea")
    )
    for _ in range(3):
        ActivityFactory(
            owner=recruiter, contacts=[ada, bea], direction=Direction.RECEIVED, date=TODAY
        )
    _log(ada, Direction.MUTUAL)

    found = one_sided(Contact.objects.filter(owner=recruiter))

    assert {c.name: b for c, b in found} == {
        "Ada": Balance(given=0, received=3, mutual=1),
        "Bea": Balance(given=0, received=3, mutual=0),
    }


def test_it_shows_a_manager_only_the_teams_contacts(recruiter, teammate, outsider, manager):
    _contact(recruiter, "Mine", received=4)
    _contact(teammate, "Teammates", given=5)
    _contact(recruiter, "Private", kind=Kind.PERSONAL, received=6)
    _contact(outsider, "Elsewhere", received=7)

    found = one_sided(visible_to(Contact.objects.all(), manager))

    assert [contact.name for contact, _ in found] == ["Teammates", "Mine"]


def test_it_shows_a_recruiter_only_their_own(recruiter, teammate):
    _contact(recruiter, "Mine", received=4)
    _contact(teammate, "Teammates", given=5)

    found = one_sided(visible_to(Contact.objects.all(), recruiter))

    assert [contact.name for contact, _ in found] == ["Mine"]


def test_it_reads_the_list_in_one_query(recruiter, django_assert_num_queries):
    """The contacts that lean, with their owners and stored counts."""
    for n in range(5):
        _contact(recruiter, f"Taker {n}", received=3 + n)

    with django_assert_num_queries(1):
        found = one_sided(Contact.objects.filter(owner=recruiter))
        [contact.owner.username for contact, _ in found]

    assert len(found) == 5


# The contact page


def _reciprocity_line(html: str) -> str:
    found = re.search(r'<p[^>]*id="reciprocity"[^>]*>(.*?)</p>', html, re.S)
    assert found, "no reciprocity line"
    return " ".join(found.group(1).split())


def test_it_shows_the_balance_on_the_contact_page(as_recruiter, recruiter):
    today = timezone.localdate()
    contact = ContactFactory(owner=recruiter, kind=Kind.CLIENT)
    _log(contact, Direction.GIVEN, 2, today=today)
    _log(contact, Direction.RECEIVED, 3, today=today)
    _log(contact, Direction.MUTUAL, 1, today=today)
    _log(contact, Direction.RECEIVED, 4, days_ago=400, today=today)  # too long ago

    response = as_recruiter.get(reverse("contacts:contact_detail", args=[contact.pk]))

    assert response.status_code == 200
    line = _reciprocity_line(response.content.decode())
    assert line == "Last 12 months: given 2, received 3, mutual 1."


def test_it_flags_a_one_sided_relationship_with_a_suggestion(as_recruiter, recruiter):
    contact = ContactFactory(owner=recruiter, kind=Kind.CLIENT)
    _log(contact, Direction.GIVEN, 1, today=timezone.localdate())
    _log(contact, Direction.RECEIVED, 3, today=timezone.localdate())

    response = as_recruiter.get(reverse("contacts:contact_detail", args=[contact.pk]))

    line = _reciprocity_line(response.content.decode())
    assert line.startswith("Last 12 months: given 1, received 3, mutual 0.")
    assert ">one-sided</span>" in line
    assert line.endswith("an introduction, a referral or market insight.")


def test_it_suggests_asking_back_when_the_recruiter_only_gives(as_recruiter, recruiter):
    contact = ContactFactory(owner=recruiter, kind=Kind.REFERRER)
    _log(contact, Direction.GIVEN, 3, today=timezone.localdate())

    response = as_recruiter.get(reverse("contacts:contact_detail", args=[contact.pk]))

    line = _reciprocity_line(response.content.decode())
    assert ">one-sided</span>" in line
    assert line.endswith(GIVING)


def test_it_does_not_flag_a_balanced_relationship(as_recruiter, recruiter):
    contact = ContactFactory(owner=recruiter, kind=Kind.CLIENT)
    _log(contact, Direction.GIVEN, 2, today=timezone.localdate())
    _log(contact, Direction.RECEIVED, 3, today=timezone.localdate())

    response = as_recruiter.get(reverse("contacts:contact_detail", args=[contact.pk]))

    html = response.content.decode()
    assert "one-sided" not in _reciprocity_line(html)
    assert TAKING not in html


def test_it_shows_the_manager_the_same_line(as_manager, recruiter):
    contact = ContactFactory(owner=recruiter, kind=Kind.CLIENT)
    _log(contact, Direction.RECEIVED, 3, today=timezone.localdate())

    response = as_manager.get(reverse("contacts:contact_detail", args=[contact.pk]))

    assert response.status_code == 200
    line = _reciprocity_line(response.content.decode())
    assert line.startswith("Last 12 months: given 0, received 3, mutual 0.")
    assert ">one-sided</span>" in line


def test_it_shows_no_reciprocity_line_for_a_personal_contact(as_recruiter, recruiter):
    contact = ContactFactory(owner=recruiter, kind=Kind.PERSONAL)
    _log(contact, Direction.RECEIVED, 5, today=timezone.localdate())

    response = as_recruiter.get(reverse("contacts:contact_detail", args=[contact.pk]))

    assert response.status_code == 200
    assert 'id="reciprocity"' not in response.content.decode()


def test_it_shows_an_outsider_nothing_of_the_contact(as_outsider, recruiter):
    contact = ContactFactory(owner=recruiter, kind=Kind.CLIENT)

    response = as_outsider.get(reverse("contacts:contact_detail", args=[contact.pk]))

    assert response.status_code == 404

"""reviews.services.suggest_activity_score: the activity score a review suggests from
the log, the mean of recency (days since the last activity) and frequency (activities
in the last 365 days), halves rounded up. `today` is passed in: our frozen time."""

import datetime

import pytest

from contacts.models import Kind
from reviews.services import suggest_activity_score
from tests.factories import ActivityFactory, ContactFactory

TODAY = datetime.date(2025, 6, 15)
DAY = datetime.timedelta(days=1)


@pytest.fixture
def sam(recruiter):
    return ContactFactory(owner=recruiter, first_name="Sam", kind=Kind.CLIENT)


def _log(contact, *days_ago: int) -> None:
    """One activity with `contact` for each number of days before TODAY."""
    for n in days_ago:
        ActivityFactory(owner=contact.owner, contacts=[contact], date=TODAY - n * DAY)


def test_it_suggests_1_without_any_activity(sam):
    assert suggest_activity_score(sam, TODAY) == 1


# One activity counts 2 for frequency, three count 3: the counts below are chosen so
# that the two sides of each recency step give different means.
@pytest.mark.parametrize(
    "days_ago, activities, expected",
    [
        (0, 1, 4),  # recency 5, frequency 2: 3.5 rounds up to 4
        (30, 1, 4),  # still 5 for recency
        (31, 1, 3),  # recency 4: 3
        (60, 3, 4),  # recency 4, frequency 3: 3.5 -> 4
        (61, 3, 3),  # recency 3: 3
        (120, 1, 3),  # recency 3, frequency 2: 2.5 -> 3
        (121, 1, 2),  # recency 2: 2
        (240, 3, 3),  # recency 2, frequency 3: 2.5 -> 3
        (241, 3, 2),  # recency 1: 2
    ],
)
def test_it_steps_recency_at_the_boundaries(sam, days_ago, activities, expected):
    _log(sam, *[days_ago] * activities)

    assert suggest_activity_score(sam, TODAY) == expected


# All activities on one date: its recency is fixed so that the two sides of each
# frequency step give different means.
@pytest.mark.parametrize(
    "activities, days_ago, expected",
    [
        (1, 364, 2),  # recency 1, frequency 2: 1.5 -> 2
        (1, 45, 3),  # recency 4, frequency 2
        (2, 45, 3),  # two activities are still frequency 2
        (3, 45, 4),  # frequency 3: 3.5 -> 4
        (5, 90, 3),  # recency 3, frequency 3
        (6, 90, 4),  # frequency 4: 3.5 -> 4
        (11, 45, 4),  # recency 4, frequency 4
        (12, 45, 5),  # frequency 5: 4.5 -> 5
    ],
)
def test_it_steps_frequency_at_the_boundaries(sam, activities, days_ago, expected):
    _log(sam, *[days_ago] * activities)

    assert suggest_activity_score(sam, TODAY) == expected


def test_it_does_not_count_an_activity_exactly_a_year_ago(sam):
    _log(sam, 365)

    # Recency 1 and no activity in the last year (frequency 1).
    assert suggest_activity_score(sam, TODAY) == 1


def test_it_counts_an_activity_364_days_ago(sam):
    _log(sam, 364)

    assert suggest_activity_score(sam, TODAY) == 2


def test_it_takes_recency_from_the_latest_activity(sam):
    _log(sam, 300, 10)

    # Recency 5 (10 days), frequency 2 (two activities): 3.5 -> 4.
    assert suggest_activity_score(sam, TODAY) == 4


def test_it_scores_5_for_a_contact_in_touch_often_and_lately(sam):
    _log(sam, *range(0, 360, 30))  # 12 activities, the last today

    assert suggest_activity_score(sam, TODAY) == 5


def test_it_ignores_activities_dated_after_today(sam):
    _log(sam, -1, -30)

    assert suggest_activity_score(sam, TODAY) == 1


def test_it_ignores_future_activities_for_frequency_and_recency(sam):
    _log(sam, 100, *[-n for n in range(1, 13)])

    # Only the one 100 days ago counts: recency 3, frequency 2: 2.5 -> 3.
    assert suggest_activity_score(sam, TODAY) == 3


def test_it_counts_only_this_contacts_activities(recruiter, sam):
    alex = ContactFactory(owner=recruiter, first_name="Alex")
    _log(alex, *[0] * 12)

    assert suggest_activity_score(sam, TODAY) == 1
    assert suggest_activity_score(alex, TODAY) == 5


def test_it_counts_a_shared_activity_for_each_contact(recruiter, sam):
    alex = ContactFactory(owner=recruiter, first_name="Alex")
    ActivityFactory(owner=recruiter, contacts=[sam, alex], date=TODAY - 31 * DAY)

    assert suggest_activity_score(sam, TODAY) == 3
    assert suggest_activity_score(alex, TODAY) == 3


def test_it_depends_on_the_day_it_is_asked(sam):
    _log(sam, 30)

    assert suggest_activity_score(sam, TODAY) == 4
    assert suggest_activity_score(sam, TODAY + DAY) == 3

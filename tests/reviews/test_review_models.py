"""reviews.models.Review and Cadence: the rules of one row, held by the database
(Meta.constraints) as well as by the forms."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from contacts.models import Kind
from reviews.models import Cadence, Decision, Review
from tests.factories import ContactFactory

TODAY = datetime.date(2025, 6, 15)
DAY = datetime.timedelta(days=1)


@pytest.fixture
def sam(recruiter):
    return ContactFactory(owner=recruiter, first_name="Sam", kind=Kind.CLIENT)


def _review(contact, **overrides) -> Review:
    fields = {
        "owner": contact.owner,
        "contact": contact,
        "reviewed_on": TODAY,
        "value": 4,
        "activity": 3,
        "potential": 5,
        "rationale": "Introduced two hiring managers this year.",
        "decision": Decision.STRENGTHEN,
        **overrides,
    }
    return Review.objects.create(**fields)


def _refused(create) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        create()


# Review


def test_it_saves_a_valid_review(sam):
    review = _review(sam)

    review.refresh_from_db()
    assert (review.value, review.activity, review.potential) == (4, 3, 5)
    assert review.decision == Decision.STRENGTHEN


def test_it_totals_the_three_scores(sam):
    assert _review(sam, value=2, activity=3, potential=5).total == 10
    assert _review(sam, value=1, activity=1, potential=1).total == 3
    assert _review(sam, value=5, activity=5, potential=5).total == 15


@pytest.mark.parametrize("score", ["value", "activity", "potential"])
@pytest.mark.parametrize("bad", [0, 6])
def test_it_refuses_a_score_outside_1_to_5(sam, score, bad):
    _refused(lambda: _review(sam, **{score: bad}))

    assert not Review.objects.exists()


@pytest.mark.parametrize("score", ["value", "activity", "potential"])
@pytest.mark.parametrize("good", [1, 5])
def test_it_accepts_the_ends_of_the_scale(sam, score, good):
    assert getattr(_review(sam, **{score: good}), score) == good


def test_it_refuses_a_review_without_a_rationale(sam):
    _refused(lambda: _review(sam, rationale=""))

    assert not Review.objects.exists()


@pytest.mark.parametrize("decision", ["", "archive", "STRENGTHEN"])
def test_it_refuses_an_unknown_decision(sam, decision):
    _refused(lambda: _review(sam, decision=decision))

    assert not Review.objects.exists()


@pytest.mark.parametrize("decision", Decision.values)
def test_it_accepts_each_decision(sam, decision):
    assert _review(sam, decision=decision).decision == decision


def test_it_validates_scores_before_saving(sam):
    review = Review(
        owner=sam.owner, contact=sam, value=6, activity=0, potential=3, rationale="x",
        decision=Decision.MAINTAIN,
    )  # fmt: skip

    with pytest.raises(ValidationError) as error:
        review.full_clean()

    assert {"value", "activity"} <= set(error.value.message_dict)


def test_it_lists_a_contacts_reviews_newest_first(sam):
    old = _review(sam, reviewed_on=TODAY - 200 * DAY)
    same_day_first = _review(sam, reviewed_on=TODAY)
    same_day_second = _review(sam, reviewed_on=TODAY)
    middle = _review(sam, reviewed_on=TODAY - 20 * DAY)

    assert list(sam.reviews.all()) == [same_day_second, same_day_first, middle, old]


def test_it_keeps_the_review_when_the_contact_goes(sam):
    review = _review(sam)

    sam.delete()

    review.refresh_from_db()
    assert review.contact is None


def test_it_lists_open_next_actions(sam):
    open_action = _review(sam, next_actions="Invite to the meetup", next_action_on=TODAY)
    _review(sam)  # no next action
    _review(
        sam,
        next_actions="Send the report",
        next_action_on=TODAY,
        next_action_done_at=timezone.now(),
    )

    assert list(Review.objects.actions_open()) == [open_action]


# Cadence


def test_it_saves_a_cadence_for_a_contact(recruiter, sam):
    cadence = Cadence.objects.create(owner=recruiter, contact=sam, ideal_days=30, max_days=60)

    assert sam.cadence == cadence


def test_it_saves_a_cadence_for_a_kind(recruiter):
    cadence = Cadence.objects.create(owner=recruiter, kind=Kind.CLIENT, ideal_days=30, max_days=30)

    assert cadence.max_days == cadence.ideal_days


def test_it_refuses_a_cadence_for_both_a_contact_and_a_kind(recruiter, sam):
    _refused(
        lambda: Cadence.objects.create(
            owner=recruiter, contact=sam, kind=Kind.CLIENT, ideal_days=30, max_days=60
        )
    )

    assert not Cadence.objects.exists()


def test_it_refuses_a_cadence_for_neither(recruiter):
    _refused(lambda: Cadence.objects.create(owner=recruiter, ideal_days=30, max_days=60))

    assert not Cadence.objects.exists()


def test_it_refuses_a_maximum_shorter_than_the_ideal_gap(recruiter, sam):
    _refused(
        lambda: Cadence.objects.create(owner=recruiter, contact=sam, ideal_days=60, max_days=59)
    )

    assert not Cadence.objects.exists()


def test_it_refuses_two_cadences_for_one_kind(recruiter):
    Cadence.objects.create(owner=recruiter, kind=Kind.CLIENT, ideal_days=30, max_days=60)

    _refused(
        lambda: Cadence.objects.create(
            owner=recruiter, kind=Kind.CLIENT, ideal_days=10, max_days=20
        )
    )

    assert Cadence.objects.get().ideal_days == 30


def test_it_allows_each_recruiter_a_cadence_for_the_kind(recruiter, teammate):
    Cadence.objects.create(owner=recruiter, kind=Kind.CLIENT, ideal_days=30, max_days=60)
    Cadence.objects.create(owner=teammate, kind=Kind.CLIENT, ideal_days=10, max_days=20)
    Cadence.objects.create(owner=recruiter, kind=Kind.CANDIDATE, ideal_days=10, max_days=20)

    assert Cadence.objects.count() == 3


def test_it_allows_many_contact_cadences_per_recruiter(recruiter, sam):
    alex = ContactFactory(owner=recruiter, first_name="Alex")
    Cadence.objects.create(owner=recruiter, contact=sam, ideal_days=30, max_days=60)
    Cadence.objects.create(owner=recruiter, contact=alex, ideal_days=10, max_days=20)

    assert Cadence.objects.filter(kind="").count() == 2


def test_it_refuses_two_cadences_for_one_contact(recruiter, sam):
    Cadence.objects.create(owner=recruiter, contact=sam, ideal_days=30, max_days=60)

    _refused(
        lambda: Cadence.objects.create(owner=recruiter, contact=sam, ideal_days=10, max_days=20)
    )

    assert Cadence.objects.count() == 1


def test_it_deletes_a_contacts_cadence_with_the_contact(recruiter, sam):
    Cadence.objects.create(owner=recruiter, contact=sam, ideal_days=30, max_days=60)

    sam.delete()

    assert not Cadence.objects.exists()

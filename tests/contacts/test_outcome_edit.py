"""GET and POST /outcomes/<pk>/edit/: the owner corrects an outcome."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from contacts.models import Activity, ActivityType, OutcomeKind
from tests.conftest import client_for
from tests.factories import ActivityFactory, ContactFactory, OutcomeFactory

DAY = datetime.timedelta(days=1)


@pytest.fixture
def sam(recruiter):
    return ContactFactory(owner=recruiter, first_name="Sam")


@pytest.fixture
def call(recruiter, sam):
    return ActivityFactory(owner=recruiter, contacts=[sam])


@pytest.fixture
def outcome(recruiter, sam, call):
    outcome = OutcomeFactory(
        owner=recruiter,
        kind=OutcomeKind.VACANCY,
        value=Decimal("100.00"),
        contacts=[sam],
        notes="Original notes",
    )
    outcome.activities.add(call)
    return outcome


def _url(outcome) -> str:
    return reverse("contacts:outcome_edit", args=[outcome.pk])


def _valid(contacts=(), activities=(), **overrides) -> dict:
    data = {
        "kind": OutcomeKind.PLACEMENT,
        "date": str(timezone.localdate() - DAY),
        "value": "9000.00",
        "contacts": [c.pk for c in contacts],
        "activities": [a.pk for a in activities],
        "notes": "Corrected notes",
    }
    return {**data, **overrides}


def _assert_unchanged(outcome, sam, call) -> None:
    outcome.refresh_from_db()
    assert outcome.kind == OutcomeKind.VACANCY
    assert outcome.value == Decimal("100.00")
    assert outcome.notes == "Original notes"
    assert list(outcome.contacts.all()) == [sam]
    assert list(outcome.activities.all()) == [call]


def test_it_shows_the_form_filled_in(as_recruiter, outcome, sam, call):
    response = as_recruiter.get(_url(outcome))

    assert response.status_code == 200
    form = response.context["form"]
    assert form["notes"].value() == "Original notes"
    assert form["contacts"].value() == [sam.pk]
    assert form["activities"].value() == [call.pk]
    assert "Edit outcome" in response.content.decode()


def test_it_saves_the_changes(as_recruiter, recruiter, outcome, sam, call):
    alex = ContactFactory(owner=recruiter)

    response = as_recruiter.post(_url(outcome), _valid(contacts=[alex]))

    assert response.status_code == 302
    assert response["Location"] == reverse("contacts:outcome_list")
    outcome.refresh_from_db()
    assert outcome.kind == OutcomeKind.PLACEMENT
    assert outcome.value == Decimal("9000.00")
    assert outcome.date == timezone.localdate() - DAY
    assert outcome.notes == "Corrected notes"
    assert list(outcome.contacts.all()) == [alex]
    assert not outcome.activities.exists()
    assert outcome.owner == recruiter


def test_it_keeps_an_older_activity_the_outcome_already_names(
    as_recruiter, recruiter, outcome, sam, call
):
    # 200 newer activities push the call out of the "latest 200" choices.
    Activity.objects.bulk_create(
        Activity(owner=recruiter, date=timezone.localdate(), type=ActivityType.EMAIL, summary="x")
        for _ in range(200)
    )

    response = as_recruiter.get(_url(outcome))

    assert call in response.context["form"].fields["activities"].queryset
    assert as_recruiter.post(_url(outcome), _valid(activities=[call])).status_code == 302
    assert list(outcome.activities.all()) == [call]


def test_it_requires_a_contact_or_an_activity(as_recruiter, outcome, sam, call):
    response = as_recruiter.post(_url(outcome), _valid())

    assert response.status_code == 200
    assert "Attribute the outcome to at least one contact or activity." in (
        response.content.decode()
    )
    _assert_unchanged(outcome, sam, call)


def test_it_rejects_a_negative_value(as_recruiter, outcome, sam, call):
    response = as_recruiter.post(_url(outcome), _valid(contacts=[sam], value="-1"))

    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["value"]
    _assert_unchanged(outcome, sam, call)


def test_it_rejects_another_recruiters_contact(as_recruiter, outcome, sam, call, outsider):
    theirs = ContactFactory(owner=outsider)

    response = as_recruiter.post(_url(outcome), _valid(contacts=[theirs], activities=[call]))

    assert "contacts" in response.context["form"].errors
    _assert_unchanged(outcome, sam, call)
    assert not theirs.outcomes.exists()


def test_it_hides_the_outcome_from_an_outsider(as_outsider, outcome, sam, call):
    assert as_outsider.get(_url(outcome)).status_code == 404
    assert as_outsider.post(_url(outcome), _valid(contacts=[sam])).status_code == 404
    _assert_unchanged(outcome, sam, call)


def test_it_hides_the_outcome_from_a_teammate(teammate, outcome, sam, call):
    assert client_for(teammate).post(_url(outcome), _valid(contacts=[sam])).status_code == 404
    _assert_unchanged(outcome, sam, call)


def test_it_forbids_the_teams_manager_to_change_it(as_manager, outcome, sam, call):
    assert as_manager.get(_url(outcome)).status_code == 403
    assert as_manager.post(_url(outcome), _valid(contacts=[sam])).status_code == 403
    _assert_unchanged(outcome, sam, call)


def test_it_hides_the_outcome_from_another_teams_manager(other_manager, outcome, sam, call):
    client = client_for(other_manager)

    assert client.post(_url(outcome), _valid(contacts=[sam])).status_code == 404
    _assert_unchanged(outcome, sam, call)


def test_it_forbids_the_dpo_to_change_it(dpo, outcome, sam, call):
    assert client_for(dpo).post(_url(outcome), _valid(contacts=[sam])).status_code == 403
    _assert_unchanged(outcome, sam, call)

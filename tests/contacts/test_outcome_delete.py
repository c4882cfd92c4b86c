"""GET and POST /outcomes/<pk>/delete/: confirm, then remove an outcome."""

import pytest
from django.urls import reverse

from contacts.models import Activity, Contact, Outcome
from tests.conftest import client_for
from tests.factories import ActivityFactory, ContactFactory, OutcomeFactory


@pytest.fixture
def sam(recruiter):
    return ContactFactory(owner=recruiter)


@pytest.fixture
def call(recruiter, sam):
    return ActivityFactory(owner=recruiter, contacts=[sam])


@pytest.fixture
def outcome(recruiter, sam, call):
    outcome = OutcomeFactory(owner=recruiter, contacts=[sam])
    outcome.activities.add(call)
    return outcome


def _url(outcome) -> str:
    return reverse("contacts:outcome_delete", args=[outcome.pk])


def _exists(outcome) -> bool:
    return Outcome.objects.filter(pk=outcome.pk).exists()


def test_it_asks_for_confirmation_and_deletes_nothing_on_get(as_recruiter, outcome):
    response = as_recruiter.get(_url(outcome))

    assert response.status_code == 200
    assert "contacts/confirm_delete.html" in [t.name for t in response.templates]
    assert f"Delete outcome “{outcome}”?" in response.content.decode()
    assert _exists(outcome)


def test_it_deletes_on_post_and_keeps_the_contacts_and_activities(as_recruiter, outcome, sam, call):
    response = as_recruiter.post(_url(outcome))

    assert response.status_code == 302
    assert response["Location"] == reverse("contacts:outcome_list")
    assert not _exists(outcome)
    assert list(Contact.objects.all()) == [sam]
    assert list(Activity.objects.all()) == [call]
    assert list(call.contacts.all()) == [sam]


def test_it_confirms_the_deletion(as_recruiter, outcome):
    response = as_recruiter.post(_url(outcome), follow=True)

    assert "Outcome deleted." in response.content.decode()


def test_it_hides_the_outcome_from_an_outsider(as_outsider, outcome):
    assert as_outsider.get(_url(outcome)).status_code == 404
    assert as_outsider.post(_url(outcome)).status_code == 404
    assert _exists(outcome)


def test_it_hides_the_outcome_from_a_teammate(teammate, outcome):
    assert client_for(teammate).post(_url(outcome)).status_code == 404
    assert _exists(outcome)


def test_it_forbids_the_teams_manager_to_delete_it(as_manager, outcome):
    assert as_manager.get(_url(outcome)).status_code == 403
    assert as_manager.post(_url(outcome)).status_code == 403
    assert _exists(outcome)


def test_it_hides_the_outcome_from_another_teams_manager(other_manager, outcome):
    assert client_for(other_manager).post(_url(outcome)).status_code == 404
    assert _exists(outcome)


def test_it_forbids_the_dpo_to_delete_it(dpo, outcome):
    assert client_for(dpo).post(_url(outcome)).status_code == 403
    assert _exists(outcome)

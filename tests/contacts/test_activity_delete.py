"""GET and POST /activities/<pk>/delete/: confirm, then remove an activity."""

import pytest
from django.urls import reverse

from contacts.models import Activity, Contact, Outcome
from tests.conftest import client_for
from tests.factories import ActivityFactory, ContactFactory, OutcomeFactory


@pytest.fixture
def contacts(recruiter):
    return ContactFactory.create_batch(2, owner=recruiter)


@pytest.fixture
def activity(recruiter, contacts):
    return ActivityFactory(owner=recruiter, contacts=contacts)


def _url(activity) -> str:
    return reverse("contacts:activity_delete", args=[activity.pk])


def test_it_asks_for_confirmation_and_deletes_nothing_on_get(as_recruiter, activity):
    response = as_recruiter.get(_url(activity))

    assert response.status_code == 200
    assert "contacts/confirm_delete.html" in [t.name for t in response.templates]
    content = response.content.decode()
    assert f"Delete activity “{activity}”?" in content
    assert 'method="post"' in content
    assert Activity.objects.filter(pk=activity.pk).exists()


def test_it_deletes_on_post_and_keeps_the_contacts(as_recruiter, activity, contacts):
    response = as_recruiter.post(_url(activity))

    assert response.status_code == 302
    assert response["Location"] == reverse("contacts:activity_list")
    assert not Activity.objects.filter(pk=activity.pk).exists()
    assert set(Contact.objects.all()) == set(contacts)


def test_it_keeps_the_outcome_it_supported(as_recruiter, recruiter, activity, contacts):
    outcome = OutcomeFactory(owner=recruiter, contacts=contacts[:1])
    outcome.activities.add(activity)

    as_recruiter.post(_url(activity))

    assert Outcome.objects.get() == outcome
    assert not outcome.activities.exists()
    assert list(outcome.contacts.all()) == contacts[:1]


def test_it_confirms_the_deletion(as_recruiter, activity):
    response = as_recruiter.post(_url(activity), follow=True)

    assert "Activity deleted." in response.content.decode()


def test_it_hides_the_activity_from_an_outsider(as_outsider, activity):
    assert as_outsider.get(_url(activity)).status_code == 404
    assert as_outsider.post(_url(activity)).status_code == 404
    assert Activity.objects.filter(pk=activity.pk).exists()


def test_it_hides_the_activity_from_a_teammate(teammate, activity):
    assert client_for(teammate).post(_url(activity)).status_code == 404
    assert Activity.objects.filter(pk=activity.pk).exists()


def test_it_forbids_the_teams_manager_to_delete_it(as_manager, activity):
    assert as_manager.get(_url(activity)).status_code == 403
    assert as_manager.post(_url(activity)).status_code == 403
    assert Activity.objects.filter(pk=activity.pk).exists()


def test_it_hides_the_activity_from_another_teams_manager(other_manager, activity):
    assert client_for(other_manager).post(_url(activity)).status_code == 404
    assert Activity.objects.filter(pk=activity.pk).exists()


def test_it_forbids_the_dpo_to_delete_it(dpo, activity):
    assert client_for(dpo).post(_url(activity)).status_code == 403
    assert Activity.objects.filter(pk=activity.pk).exists()

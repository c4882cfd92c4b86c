"""POST /privacy/requests/<id>/link/ and /unlink/<contact>/: the DPO says which records
are the person's. Only an open request changes."""

import pytest
from django.contrib.messages import get_messages
from django.utils import timezone

from contacts.models import Contact
from privacy.models import Action, AuditEvent, Status
from tests.conftest import client_for
from tests.factories import ContactFactory, DataRequestFactory, approved


@pytest.fixture
def as_dpo(dpo):
    return client_for(dpo)


def link_url(data_request) -> str:
    return f"/privacy/requests/{data_request.pk}/link/"


def unlink_url(data_request, contact) -> str:
    return f"/privacy/requests/{data_request.pk}/unlink/{contact.pk}/"


def messages_of(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def linked(data_request) -> set[int]:
    return set(data_request.contacts.values_list("pk", flat=True))


def closed(data_request, status: str):
    approved(data_request)
    data_request.status = status
    data_request.refusal_reason = "Manifestly unfounded."
    data_request.completed_at = timezone.now()
    data_request.save()
    return data_request


def test_it_links_the_chosen_records_of_any_recruiter(as_dpo, recruiter, outsider, dpo):
    mine = ContactFactory(owner=recruiter, email="olivia@example.com")
    theirs = ContactFactory(owner=outsider, email="olivia@example.com")
    not_chosen = ContactFactory(owner=outsider, first_name="Olivia", last_name="Bennett")
    data_request = DataRequestFactory(
        requester_name="Olivia Bennett", requester_email="olivia@example.com"
    )

    response = as_dpo.post(link_url(data_request), {"contact": [mine.pk, theirs.pk]})

    assert response.status_code == 302
    assert response["Location"] == data_request.get_absolute_url()
    assert linked(data_request) == {mine.pk, theirs.pk}
    assert messages_of(response) == ["2 record(s) linked."]
    matches = as_dpo.get(data_request.get_absolute_url()).context["matches"]
    assert [c.pk for c in matches] == [not_chosen.pk]
    event = AuditEvent.objects.get()
    assert (event.action, event.actor, event.object_id) == (Action.REQUEST, dpo, data_request.pk)
    assert event.detail == "2 linked"


def test_linking_a_record_twice_keeps_it_once(as_dpo, recruiter):
    contact = ContactFactory(owner=recruiter)
    data_request = DataRequestFactory(contacts=[contact])

    as_dpo.post(link_url(data_request), {"contact": [contact.pk, contact.pk]})

    assert data_request.contacts.count() == 1


def test_it_links_to_an_approved_request(as_dpo, recruiter):
    contact = ContactFactory(owner=recruiter)
    data_request = approved(DataRequestFactory())

    as_dpo.post(link_url(data_request), {"contact": [contact.pk]})

    assert linked(data_request) == {contact.pk}


def test_it_ignores_ids_that_are_not_records(as_dpo, recruiter):
    contact = ContactFactory(owner=recruiter)
    data_request = DataRequestFactory()

    response = as_dpo.post(
        link_url(data_request),
        {"contact": ["abc", "", "-1", "0", "²", str(10**30), "999999", str(contact.pk)]},
    )

    assert response.status_code == 302
    assert linked(data_request) == {contact.pk}
    assert messages_of(response) == ["1 record(s) linked."]


@pytest.mark.parametrize("chosen", [[], ["abc"], ["999999"], ["-3", "1e3"]])
def test_it_asks_for_a_record_when_none_is_chosen(as_dpo, chosen):
    data_request = DataRequestFactory()

    response = as_dpo.post(link_url(data_request), {"contact": chosen})

    assert response.status_code == 302
    assert messages_of(response) == ["Choose at least one record to link."]
    assert not data_request.contacts.exists()
    assert not AuditEvent.objects.exists()


@pytest.mark.parametrize("status", [Status.REFUSED, Status.COMPLETED])
def test_it_refuses_to_link_to_a_closed_request(as_dpo, recruiter, status):
    contact = ContactFactory(owner=recruiter)
    data_request = closed(DataRequestFactory(), status)

    response = as_dpo.post(link_url(data_request), {"contact": [contact.pk]})

    assert response.status_code == 302
    assert messages_of(response) == ["This request is closed."]
    assert not data_request.contacts.exists()
    assert not AuditEvent.objects.exists()


def test_it_unlinks_a_record(as_dpo, recruiter, dpo):
    keep = ContactFactory(owner=recruiter)
    wrong = ContactFactory(owner=recruiter)
    data_request = DataRequestFactory(contacts=[keep, wrong])

    response = as_dpo.post(unlink_url(data_request, wrong))

    assert response.status_code == 302
    assert response["Location"] == data_request.get_absolute_url()
    assert linked(data_request) == {keep.pk}
    assert Contact.objects.filter(pk=wrong.pk).exists()
    assert messages_of(response) == ["Record unlinked."]
    assert AuditEvent.objects.get().detail == "1 unlinked"


def test_unlinking_a_record_that_is_not_linked_is_404(as_dpo, recruiter):
    contact = ContactFactory(owner=recruiter)
    elsewhere = DataRequestFactory(contacts=[contact])
    data_request = DataRequestFactory()

    assert as_dpo.post(unlink_url(data_request, contact)).status_code == 404
    assert linked(elsewhere) == {contact.pk}


def test_it_refuses_to_unlink_from_a_closed_request(as_dpo, recruiter):
    contact = ContactFactory(owner=recruiter)
    data_request = closed(DataRequestFactory(contacts=[contact]), Status.REFUSED)

    response = as_dpo.post(unlink_url(data_request, contact))

    assert messages_of(response) == ["This request is closed."]
    assert linked(data_request) == {contact.pk}


def test_it_answers_404_for_an_unknown_request(as_dpo, recruiter):
    contact = ContactFactory(owner=recruiter)

    assert (
        as_dpo.post("/privacy/requests/999999/link/", {"contact": [contact.pk]}).status_code == 404
    )


def test_it_rejects_get(as_dpo, recruiter):
    contact = ContactFactory(owner=recruiter)
    data_request = DataRequestFactory(contacts=[contact])

    assert as_dpo.get(link_url(data_request), {"contact": [contact.pk]}).status_code == 405
    assert as_dpo.get(unlink_url(data_request, contact)).status_code == 405
    assert linked(data_request) == {contact.pk}


@pytest.mark.parametrize("role", ["recruiter", "manager", "assessor"])
def test_only_the_dpo_may_link_records(request, role, outsider):
    contact = ContactFactory(owner=outsider)
    linked_contact = ContactFactory(owner=outsider)
    data_request = DataRequestFactory(contacts=[linked_contact])
    client = client_for(request.getfixturevalue(role))

    assert client.post(link_url(data_request), {"contact": [contact.pk]}).status_code == 403
    assert client.post(unlink_url(data_request, linked_contact)).status_code == 403
    assert linked(data_request) == {linked_contact.pk}

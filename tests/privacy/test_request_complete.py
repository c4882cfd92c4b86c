"""POST /privacy/requests/<id>/complete/: the DPO marks an approved access request as
answered, once the person has their copy. Erasure completes by its own job instead."""

import pytest
from django.contrib.messages import get_messages

from privacy.models import Action, AuditEvent, DataRequest, RequestKind, Status
from tests.conftest import client_for
from tests.factories import ContactFactory, DataRequestFactory, approved


@pytest.fixture
def as_dpo(dpo):
    return client_for(dpo)


def url(data_request) -> str:
    return f"/privacy/requests/{data_request.pk}/complete/"


def messages_of(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def fresh(data_request) -> DataRequest:
    return DataRequest.objects.get(pk=data_request.pk)


def test_it_completes_an_approved_access_request(as_dpo, dpo, recruiter, outsider):
    contacts = [ContactFactory(owner=recruiter), ContactFactory(owner=outsider)]
    data_request = approved(DataRequestFactory(kind=RequestKind.ACCESS, contacts=contacts))

    response = as_dpo.post(url(data_request))

    assert response.status_code == 302
    assert response["Location"] == data_request.get_absolute_url()
    assert messages_of(response) == ["Access request marked as answered."]
    data_request = fresh(data_request)
    assert data_request.status == Status.COMPLETED
    assert data_request.completed_at is not None
    assert data_request.outcome == (
        "Sent the person a copy of 2 contact record(s) and their history."
    )
    event = AuditEvent.objects.get()
    assert (event.action, event.actor, event.detail) == (Action.REQUEST, dpo, "completed")


def test_completing_keeps_the_records(as_dpo, recruiter):
    contact = ContactFactory(owner=recruiter)
    data_request = approved(DataRequestFactory(kind=RequestKind.ACCESS, contacts=[contact]))

    as_dpo.post(url(data_request))

    assert list(fresh(data_request).contacts.all()) == [contact]


def test_the_request_page_shows_what_was_done_and_keeps_the_copies(as_dpo):
    data_request = approved(DataRequestFactory(kind=RequestKind.ACCESS))
    as_dpo.post(url(data_request))

    html = as_dpo.get(data_request.get_absolute_url()).content.decode()

    assert "Sent the person a copy of 0 contact record(s) and their history." in html
    assert "Mark as answered" not in html
    assert f"/privacy/requests/{data_request.pk}/report/" in html


@pytest.mark.parametrize("status", [Status.RECEIVED, Status.REFUSED, Status.COMPLETED])
def test_it_refuses_an_access_request_that_is_not_approved(as_dpo, status):
    data_request = approved(DataRequestFactory(kind=RequestKind.ACCESS))
    data_request.status, data_request.refusal_reason = status, "Unfounded."
    data_request.outcome = "Earlier."
    data_request.save()

    response = as_dpo.post(url(data_request))

    assert response.status_code == 302
    assert messages_of(response) == ["Only an approved access request can be completed."]
    data_request = fresh(data_request)
    assert (data_request.status, data_request.outcome) == (status, "Earlier.")
    assert not AuditEvent.objects.exists()


def test_it_refuses_an_erasure_request(as_dpo, recruiter, django_capture_on_commit_callbacks):
    contact = ContactFactory(owner=recruiter)
    data_request = approved(DataRequestFactory(kind=RequestKind.ERASURE, contacts=[contact]))

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = as_dpo.post(url(data_request))

    assert messages_of(response) == ["Only an approved access request can be completed."]
    assert not callbacks
    data_request = fresh(data_request)
    assert (data_request.status, data_request.completed_at) == (Status.APPROVED, None)
    assert list(data_request.contacts.all()) == [contact]


def test_it_answers_404_for_an_unknown_request(as_dpo):
    assert as_dpo.post("/privacy/requests/999999/complete/").status_code == 404


def test_it_rejects_get(as_dpo):
    data_request = approved(DataRequestFactory(kind=RequestKind.ACCESS))

    assert as_dpo.get(url(data_request)).status_code == 405
    assert fresh(data_request).status == Status.APPROVED


@pytest.mark.parametrize("role", ["recruiter", "manager", "assessor"])
def test_only_the_dpo_may_complete(request, db, role):
    data_request = approved(DataRequestFactory(kind=RequestKind.ACCESS))

    response = client_for(request.getfixturevalue(role)).post(url(data_request))

    assert response.status_code == 403
    assert fresh(data_request).status == Status.APPROVED
    assert fresh(data_request).completed_at is None

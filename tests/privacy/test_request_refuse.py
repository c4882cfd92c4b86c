"""POST /privacy/requests/<id>/refuse/: the DPO refuses a request waiting for a decision,
giving the exemption relied on, as told to the person."""

import pytest
from django.contrib.messages import get_messages
from django.utils import timezone

from privacy.models import Action, AuditEvent, DataRequest, RequestKind, Status
from tests.conftest import client_for
from tests.factories import ContactFactory, DataRequestFactory, approved

REASON = "Manifestly unfounded: the requester offered to withdraw it for payment."


@pytest.fixture
def as_dpo(dpo):
    return client_for(dpo)


def url(data_request) -> str:
    return f"/privacy/requests/{data_request.pk}/refuse/"


def messages_of(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def fresh(data_request) -> DataRequest:
    return DataRequest.objects.get(pk=data_request.pk)


@pytest.mark.parametrize("kind", [RequestKind.ERASURE, RequestKind.ACCESS])
def test_it_refuses_with_the_reason(as_dpo, dpo, kind):
    data_request = DataRequestFactory(kind=kind)

    response = as_dpo.post(url(data_request), {"reason": REASON})

    assert response.status_code == 302
    assert response["Location"] == data_request.get_absolute_url()
    assert messages_of(response) == ["Request refused."]
    data_request = fresh(data_request)
    assert data_request.status == Status.REFUSED
    assert data_request.refusal_reason == REASON
    assert data_request.decided_on == timezone.localdate()
    event = AuditEvent.objects.get()
    assert (event.action, event.actor, event.detail) == (Action.REQUEST, dpo, "refused")
    assert REASON not in event.detail


def test_the_request_page_shows_the_refusal_and_offers_no_more_steps(as_dpo):
    data_request = DataRequestFactory()
    as_dpo.post(url(data_request), {"reason": REASON})

    html = as_dpo.get(data_request.get_absolute_url()).content.decode()

    assert REASON in html
    assert f"Refused {timezone.localdate():%-d %b %Y}" in html
    assert "Refuse the request" not in html
    assert "Record the identity check" not in html


def test_a_request_may_be_refused_before_the_identity_check(as_dpo):
    data_request = DataRequestFactory()

    as_dpo.post(url(data_request), {"reason": REASON})

    data_request = fresh(data_request)
    assert (data_request.status, data_request.identity_checked_on) == (Status.REFUSED, None)


def test_refusing_keeps_the_linked_records(as_dpo, recruiter):
    contact = ContactFactory(owner=recruiter)
    data_request = DataRequestFactory(contacts=[contact])

    as_dpo.post(url(data_request), {"reason": REASON})

    assert list(fresh(data_request).contacts.all()) == [contact]


@pytest.mark.parametrize("data", [{}, {"reason": ""}, {"reason": " \n "}])
def test_it_requires_a_reason(as_dpo, data):
    data_request = DataRequestFactory()

    response = as_dpo.post(url(data_request), data)

    assert response.status_code == 400
    assert "reason" in response.context["refuse_form"].errors
    assert '<details class="mt-2" open>' in response.content.decode()
    data_request = fresh(data_request)
    assert (data_request.status, data_request.refusal_reason) == (Status.RECEIVED, "")
    assert not AuditEvent.objects.exists()


@pytest.mark.parametrize("status", [Status.APPROVED, Status.COMPLETED, Status.REFUSED])
def test_it_cannot_refuse_a_request_already_decided(as_dpo, status):
    data_request = approved(DataRequestFactory())
    data_request.status, data_request.refusal_reason = status, "Earlier reason."
    data_request.completed_at = timezone.now()
    data_request.save()

    response = as_dpo.post(url(data_request), {"reason": REASON})

    assert messages_of(response) == [
        "Only a request that is waiting for a decision can be refused."
    ]
    data_request = fresh(data_request)
    assert (data_request.status, data_request.refusal_reason) == (status, "Earlier reason.")
    assert not AuditEvent.objects.exists()


def test_it_answers_404_for_an_unknown_request(as_dpo):
    assert as_dpo.post("/privacy/requests/999999/refuse/", {"reason": REASON}).status_code == 404


def test_it_rejects_get(as_dpo):
    data_request = DataRequestFactory()

    assert as_dpo.get(url(data_request), {"reason": REASON}).status_code == 405
    assert fresh(data_request).status == Status.RECEIVED


@pytest.mark.parametrize("role", ["recruiter", "manager", "assessor"])
def test_only_the_dpo_may_refuse(request, db, role):
    data_request = DataRequestFactory()

    response = client_for(request.getfixturevalue(role)).post(url(data_request), {"reason": REASON})

    assert response.status_code == 403
    assert fresh(data_request).status == Status.RECEIVED

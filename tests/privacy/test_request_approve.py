"""POST /privacy/requests/<id>/approve/: the DPO grants a request once the person's
identity is checked. An erasure may keep a minimised record until a future date under
reg. 29 of the Conduct of Employment Agencies Regulations 2003; an access request
keeps nothing."""

import datetime

import pytest
from django.contrib.messages import get_messages
from django.utils import timezone

from privacy.models import Action, AuditEvent, DataRequest, IdentityMethod, RequestKind, Status
from tests.conftest import client_for
from tests.factories import DataRequestFactory, approved


@pytest.fixture
def as_dpo(dpo):
    return client_for(dpo)


def url(data_request) -> str:
    return f"/privacy/requests/{data_request.pk}/approve/"


def messages_of(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def fresh(data_request) -> DataRequest:
    return DataRequest.objects.get(pk=data_request.pk)


def in_days(days: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=days)


def checked(**fields) -> DataRequest:
    """A request whose identity has been checked, waiting for a decision."""
    data_request = DataRequestFactory(received_on=in_days(-10), **fields)
    data_request.identity_method = IdentityMethod.PHOTO_ID
    data_request.identity_checked_on = in_days(-9)
    data_request.save()
    return data_request


@pytest.mark.parametrize("kind", [RequestKind.ERASURE, RequestKind.ACCESS])
def test_it_approves_a_checked_request(as_dpo, dpo, kind):
    data_request = checked(kind=kind)

    response = as_dpo.post(url(data_request), {"keep_until": ""})

    assert response.status_code == 302
    assert response["Location"] == data_request.get_absolute_url()
    assert messages_of(response) == ["Request approved."]
    data_request = fresh(data_request)
    assert data_request.status == Status.APPROVED
    assert data_request.decided_on == timezone.localdate()
    assert data_request.keep_until is None
    event = AuditEvent.objects.get()
    assert (event.action, event.actor, event.detail) == (Action.REQUEST, dpo, "approved")
    assert event.object_id == data_request.pk


def test_an_erasure_may_keep_a_minimised_record_until_a_future_date(as_dpo):
    data_request = checked()

    as_dpo.post(url(data_request), {"keep_until": in_days(365).isoformat()})

    data_request = fresh(data_request)
    assert data_request.status == Status.APPROVED
    assert data_request.keep_until == in_days(365)
    html = as_dpo.get(data_request.get_absolute_url()).content.decode()
    assert f"a minimised record is kept until {in_days(365):%-d %b %Y} (reg. 29)" in html


def test_it_refuses_before_the_identity_check(as_dpo):
    data_request = DataRequestFactory()

    response = as_dpo.post(url(data_request), {"keep_until": ""})

    assert response.status_code == 302
    assert messages_of(response) == ["Check the person's identity before approving the request."]
    data_request = fresh(data_request)
    assert (data_request.status, data_request.decided_on) == (Status.RECEIVED, None)
    assert not AuditEvent.objects.exists()


@pytest.mark.parametrize("keep_until", [0, -1, -400])
def test_a_kept_record_must_be_kept_until_a_future_date(as_dpo, keep_until):
    data_request = checked()

    response = as_dpo.post(url(data_request), {"keep_until": in_days(keep_until).isoformat()})

    assert response.status_code == 400
    assert response.context["approve_form"].errors["keep_until"] == [
        "A record kept under reg. 29 is kept until a future date."
    ]
    assert fresh(data_request).status == Status.RECEIVED
    assert not AuditEvent.objects.exists()


@pytest.mark.parametrize("keep_until", ["next year", "2026-02-30", "12/31/2030"])
def test_it_refuses_a_date_it_cannot_read(as_dpo, keep_until):
    data_request = checked()

    response = as_dpo.post(url(data_request), {"keep_until": keep_until})

    assert response.status_code == 400
    assert "keep_until" in response.context["approve_form"].errors
    assert fresh(data_request).status == Status.RECEIVED


def test_an_access_request_keeps_no_record(as_dpo):
    data_request = checked(kind=RequestKind.ACCESS)

    response = as_dpo.post(url(data_request), {"keep_until": in_days(365).isoformat()})

    assert response.status_code == 302
    assert len(messages_of(response)) == 1
    data_request = fresh(data_request)
    assert (data_request.status, data_request.keep_until) == (Status.RECEIVED, None)
    assert not AuditEvent.objects.exists()


def test_an_access_request_page_offers_no_date_to_keep_until(as_dpo):
    html = as_dpo.get(checked(kind=RequestKind.ACCESS).get_absolute_url()).content.decode()

    assert 'name="keep_until"' not in html
    assert ">Approve</button>" in html


@pytest.mark.parametrize("status", [Status.APPROVED, Status.REFUSED, Status.COMPLETED])
def test_only_a_request_waiting_for_a_decision_is_approved(as_dpo, status):
    data_request = approved(checked())
    decided_on = data_request.decided_on = in_days(-3)
    data_request.status, data_request.refusal_reason = status, "Unfounded."
    data_request.save()

    response = as_dpo.post(url(data_request), {"keep_until": ""})

    assert messages_of(response) == [
        "Only a request that is waiting for a decision can be approved."
    ]
    data_request = fresh(data_request)
    assert (data_request.status, data_request.decided_on) == (status, decided_on)


def test_it_answers_404_for_an_unknown_request(as_dpo):
    assert as_dpo.post("/privacy/requests/999999/approve/", {}).status_code == 404


def test_it_rejects_get(as_dpo):
    data_request = checked()

    assert as_dpo.get(url(data_request)).status_code == 405
    assert fresh(data_request).status == Status.RECEIVED


@pytest.mark.parametrize("role", ["recruiter", "manager", "assessor"])
def test_only_the_dpo_may_approve(request, db, role):
    data_request = checked()

    response = client_for(request.getfixturevalue(role)).post(url(data_request), {})

    assert response.status_code == 403
    assert fresh(data_request).status == Status.RECEIVED

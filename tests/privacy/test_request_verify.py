"""POST /privacy/requests/<id>/verify/: the DPO records how and when the person's
identity was checked. A request is approved only after this."""

import datetime

import pytest
from django.contrib.messages import get_messages
from django.utils import timezone

from privacy.models import Action, AuditEvent, DataRequest, IdentityMethod, Status
from tests.conftest import client_for
from tests.factories import DataRequestFactory, approved


@pytest.fixture
def as_dpo(dpo):
    return client_for(dpo)


def url(data_request) -> str:
    return f"/privacy/requests/{data_request.pk}/verify/"


def messages_of(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def fresh(data_request) -> DataRequest:
    return DataRequest.objects.get(pk=data_request.pk)


def days_ago(days: int) -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=days)


def test_it_records_the_identity_check(as_dpo, dpo):
    data_request = DataRequestFactory(received_on=days_ago(5))

    response = as_dpo.post(
        url(data_request), {"method": IdentityMethod.PHOTO_ID, "checked_on": days_ago(2)}
    )

    assert response.status_code == 302
    assert response["Location"] == data_request.get_absolute_url()
    assert messages_of(response) == ["Identity check recorded."]
    data_request = fresh(data_request)
    assert data_request.identity_method == IdentityMethod.PHOTO_ID
    assert data_request.identity_checked_on == days_ago(2)
    assert data_request.status == Status.RECEIVED
    event = AuditEvent.objects.get()
    assert (event.action, event.actor, event.detail) == (Action.REQUEST, dpo, "identity checked")


def test_the_check_may_be_on_the_day_received(as_dpo):
    data_request = DataRequestFactory(received_on=days_ago(3))

    as_dpo.post(
        url(data_request), {"method": IdentityMethod.KNOWN_EMAIL, "checked_on": days_ago(3)}
    )

    assert fresh(data_request).identity_checked_on == days_ago(3)


def test_the_request_page_then_offers_approval(as_dpo):
    data_request = DataRequestFactory()
    as_dpo.post(
        url(data_request),
        {"method": IdentityMethod.KNOWN_PHONE, "checked_on": timezone.localdate()},
    )

    html = as_dpo.get(data_request.get_absolute_url()).content.decode()

    assert "Called back on the number we hold" in html
    assert "Record the identity check" not in html
    assert ">Approve</button>" in html


def test_it_refuses_a_check_before_the_request_was_received(as_dpo):
    data_request = DataRequestFactory(received_on=days_ago(5))

    response = as_dpo.post(
        url(data_request), {"method": IdentityMethod.PHOTO_ID, "checked_on": days_ago(6)}
    )

    assert response.status_code == 302
    assert messages_of(response) == [
        "The identity check cannot be before the request was received."
    ]
    assert fresh(data_request).identity_checked_on is None
    assert not AuditEvent.objects.exists()


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"method": "", "checked_on": "2026-11-01"}, "method"),
        ({"method": "guessed", "checked_on": "2026-11-01"}, "method"),
        ({"method": IdentityMethod.PHOTO_ID, "checked_on": ""}, "checked_on"),
        ({"method": IdentityMethod.PHOTO_ID, "checked_on": "yesterday"}, "checked_on"),
        ({"method": IdentityMethod.PHOTO_ID, "checked_on": "2999-01-01"}, "checked_on"),
    ],
)
def test_it_shows_the_request_again_with_the_errors(as_dpo, data, field):
    data_request = DataRequestFactory(received_on=days_ago(60))

    response = as_dpo.post(url(data_request), data)

    assert response.status_code == 400
    assert field in response.context["verify_form"].errors
    assert response.context["req"] == data_request
    assert "is-invalid" in response.content.decode()
    assert fresh(data_request).identity_checked_on is None
    assert not AuditEvent.objects.exists()


def test_it_refuses_a_closed_request(as_dpo):
    data_request = DataRequestFactory(status=Status.REFUSED, refusal_reason="Unfounded.")

    response = as_dpo.post(
        url(data_request), {"method": IdentityMethod.PHOTO_ID, "checked_on": timezone.localdate()}
    )

    assert messages_of(response) == ["This request is closed."]
    assert fresh(data_request).identity_checked_on is None


def test_it_answers_404_for_an_unknown_request(as_dpo):
    response = as_dpo.post(
        "/privacy/requests/999999/verify/",
        {"method": IdentityMethod.PHOTO_ID, "checked_on": timezone.localdate()},
    )

    assert response.status_code == 404


def test_it_rejects_get(as_dpo):
    data_request = DataRequestFactory()

    response = as_dpo.get(
        url(data_request), {"method": IdentityMethod.PHOTO_ID, "checked_on": timezone.localdate()}
    )

    assert response.status_code == 405
    assert fresh(data_request).identity_checked_on is None


@pytest.mark.parametrize("role", ["recruiter", "manager", "assessor"])
def test_only_the_dpo_may_record_the_check(request, db, role):
    data_request = DataRequestFactory()
    client = client_for(request.getfixturevalue(role))

    response = client.post(
        url(data_request), {"method": IdentityMethod.PHOTO_ID, "checked_on": timezone.localdate()}
    )

    assert response.status_code == 403
    assert fresh(data_request).identity_checked_on is None


def test_an_approved_request_keeps_its_status(as_dpo):
    data_request = approved(DataRequestFactory(received_on=days_ago(5)))

    as_dpo.post(url(data_request), {"method": IdentityMethod.PHOTO_ID, "checked_on": days_ago(1)})

    assert fresh(data_request).status == Status.APPROVED

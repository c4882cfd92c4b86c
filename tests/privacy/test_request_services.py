"""The request services called directly: each step of a request's life checks the
request's state, refuses a wrong one with a RequestError whose message is for the user,
and writes an audit event (with no personal data in it) when it does its work."""

import datetime

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from privacy import services
from privacy.models import (
    Action,
    AuditEvent,
    DataRequest,
    IdentityMethod,
    ReceivedHow,
    RequestKind,
    Status,
)
from privacy.services import RequestError
from tests.factories import ContactFactory, DataRequestFactory, approved

TODAY = timezone.localdate


def in_days(days: int) -> datetime.date:
    return TODAY() + datetime.timedelta(days=days)


def fresh(data_request) -> DataRequest:
    return DataRequest.objects.get(pk=data_request.pk)


def checked(**fields) -> DataRequest:
    data_request = DataRequestFactory(**fields)
    data_request.identity_method = IdentityMethod.PHOTO_ID
    data_request.identity_checked_on = data_request.received_on
    data_request.save()
    return data_request


def in_state(status: str, **fields) -> DataRequest:
    data_request = approved(DataRequestFactory(**fields))
    data_request.status, data_request.refusal_reason = status, "Manifestly unfounded."
    data_request.completed_at = timezone.now()
    data_request.save()
    return data_request


def only_event() -> AuditEvent:
    return AuditEvent.objects.get()


# request_receive


def receive(dpo, **fields) -> DataRequest:
    data = {
        "kind": RequestKind.ERASURE,
        "received_on": datetime.date(2026, 6, 3),
        "received_how": ReceivedHow.LETTER,
        "requester_name": "Zebedee Quartermaine",
        "requester_email": "zebedee@example.com",
        "requester_phone": "020 7946 0958",
    }
    return services.request_receive(by=dpo, **{**data, **fields})


def test_receive_records_the_request_as_received(dpo):
    data_request = receive(dpo)

    assert data_request.status == Status.RECEIVED
    assert data_request.received_by == dpo
    assert data_request.due_on == datetime.date(2026, 7, 3)
    assert data_request.requester_phone == "020 7946 0958"


@pytest.mark.parametrize(
    ("received_on", "due_on"),
    [
        # 28 Feb 2027, the last day of the month, is a Sunday.
        (datetime.date(2027, 1, 31), datetime.date(2027, 3, 1)),
        # A leap year: the last day of February is the 29th, a Tuesday.
        (datetime.date(2028, 1, 31), datetime.date(2028, 2, 29)),
        # Christmas Day, a weekend, then the Boxing Day substitute day.
        (datetime.date(2026, 11, 25), datetime.date(2026, 12, 29)),
        # Both 2027 substitute days, after a weekend.
        (datetime.date(2027, 11, 25), datetime.date(2027, 12, 29)),
        # Good Friday 2027 falls on 26 Mar; Easter Monday on 29 Mar.
        (datetime.date(2027, 2, 26), datetime.date(2027, 3, 30)),
    ],
)
def test_receive_counts_the_due_date_the_way_the_ico_does(dpo, received_on, due_on):
    assert receive(dpo, received_on=received_on).due_on == due_on


@pytest.mark.parametrize("kind", [RequestKind.ERASURE, RequestKind.ACCESS])
def test_receive_logs_the_kind_and_never_who_asked(dpo, kind):
    data_request = receive(dpo, kind=kind)

    event = only_event()
    assert (event.actor, event.action, event.detail) == (dpo, Action.REQUEST, f"{kind} received")
    assert (event.object_type, event.object_id) == ("privacy.datarequest", data_request.pk)
    for personal in ("Zebedee", "Quartermaine", "zebedee@", "7946"):
        assert personal not in str(event) + event.detail


# request_link and request_unlink


def test_link_and_unlink_change_the_linked_records_and_log_it(dpo, recruiter, outsider):
    mine, theirs = ContactFactory(owner=recruiter), ContactFactory(owner=outsider)
    data_request = DataRequestFactory()

    services.request_link(request=data_request, contacts=[mine, theirs], by=dpo)
    services.request_unlink(request=data_request, contact=mine, by=dpo)

    assert list(data_request.contacts.all()) == [theirs]
    assert [e.detail for e in AuditEvent.objects.order_by("id")] == ["2 linked", "1 unlinked"]


@pytest.mark.parametrize("status", [Status.REFUSED, Status.COMPLETED])
def test_link_and_unlink_refuse_a_closed_request(dpo, recruiter, status):
    linked = ContactFactory(owner=recruiter)
    data_request = in_state(status, contacts=[linked])

    with pytest.raises(RequestError, match="^This request is closed.$"):
        services.request_link(request=data_request, contacts=[ContactFactory()], by=dpo)
    with pytest.raises(RequestError, match="^This request is closed.$"):
        services.request_unlink(request=data_request, contact=linked, by=dpo)

    assert list(data_request.contacts.all()) == [linked]
    assert not AuditEvent.objects.exists()


def test_verify_refuses_an_approved_request(dpo):
    data_request = in_state(Status.APPROVED)
    checked_on = data_request.identity_checked_on

    with pytest.raises(RequestError, match="comes before the decision"):
        services.request_verify(
            request=data_request, method=IdentityMethod.PHOTO_ID, checked_on=TODAY(), by=dpo
        )

    assert fresh(data_request).identity_checked_on == checked_on


# request_verify


def test_verify_records_the_check_and_logs_it(dpo):
    data_request = DataRequestFactory(received_on=in_days(-4))

    services.request_verify(
        request=data_request, method=IdentityMethod.KNOWN_PHONE, checked_on=in_days(-1), by=dpo
    )

    data_request = fresh(data_request)
    assert (data_request.identity_method, data_request.identity_checked_on) == (
        IdentityMethod.KNOWN_PHONE,
        in_days(-1),
    )
    assert (only_event().actor, only_event().detail) == (dpo, "identity checked")


def test_verify_refuses_a_check_before_the_request_was_received(dpo):
    data_request = DataRequestFactory(received_on=in_days(-4))

    with pytest.raises(
        RequestError, match="^The identity check cannot be before the request was received.$"
    ):
        services.request_verify(
            request=data_request, method=IdentityMethod.PHOTO_ID, checked_on=in_days(-5), by=dpo
        )

    assert fresh(data_request).identity_checked_on is None
    assert not AuditEvent.objects.exists()


@pytest.mark.parametrize("status", [Status.REFUSED, Status.COMPLETED])
def test_verify_refuses_a_closed_request(dpo, status):
    data_request = in_state(status)

    with pytest.raises(RequestError, match="^This request is closed.$"):
        services.request_verify(
            request=data_request, method=IdentityMethod.PHOTO_ID, checked_on=TODAY(), by=dpo
        )

    assert not AuditEvent.objects.exists()


# request_extend

RECEIVED = datetime.date(2026, 9, 25)  # due Mon 26 Oct; extended, Tue 29 Dec


def test_extend_gives_three_months_from_receipt_on_a_working_day(dpo):
    data_request = DataRequestFactory(received_on=RECEIVED)

    services.request_extend(
        request=data_request, told_on=datetime.date(2026, 10, 26), reason="Complex.", by=dpo
    )

    data_request = fresh(data_request)
    assert data_request.due_on == datetime.date(2026, 12, 29)
    assert data_request.extended_on == datetime.date(2026, 10, 26)
    assert data_request.extension_reason == "Complex."
    assert (only_event().actor, only_event().detail) == (dpo, "extended")


@pytest.mark.parametrize("told_on", [datetime.date(2026, 10, 27), datetime.date(2026, 9, 24)])
def test_extend_refuses_outside_the_first_month(dpo, told_on):
    data_request = DataRequestFactory(received_on=RECEIVED)

    with pytest.raises(RequestError, match="between 25/09/2026 and 26/10/2026"):
        services.request_extend(request=data_request, told_on=told_on, reason="Complex.", by=dpo)

    assert fresh(data_request).due_on == datetime.date(2026, 10, 26)
    assert not AuditEvent.objects.exists()


def test_extend_refuses_a_second_extension(dpo):
    data_request = DataRequestFactory(received_on=RECEIVED)
    services.request_extend(
        request=data_request, told_on=datetime.date(2026, 10, 1), reason="Complex.", by=dpo
    )

    with pytest.raises(RequestError, match="^This request has already been extended.$"):
        services.request_extend(
            request=data_request, told_on=datetime.date(2026, 10, 2), reason="Again.", by=dpo
        )

    assert fresh(data_request).extended_on == datetime.date(2026, 10, 1)
    assert AuditEvent.objects.count() == 1


def test_extend_refuses_a_closed_request(dpo):
    data_request = in_state(Status.REFUSED, received_on=RECEIVED)

    with pytest.raises(RequestError, match="^This request is closed.$"):
        services.request_extend(
            request=data_request, told_on=datetime.date(2026, 10, 1), reason="Complex.", by=dpo
        )


def test_extend_refuses_a_blank_reason(dpo):
    data_request = DataRequestFactory(received_on=RECEIVED)

    with pytest.raises(RequestError, match="Say why"):
        services.request_extend(
            request=data_request, told_on=datetime.date(2026, 10, 1), reason="  ", by=dpo
        )
    assert fresh(data_request).extended_on is None


def test_the_database_refuses_an_extension_without_a_reason(dpo):
    data_request = DataRequestFactory(received_on=RECEIVED)
    data_request.extended_on = datetime.date(2026, 10, 1)

    with pytest.raises(IntegrityError), transaction.atomic():
        data_request.save()


# request_approve


def test_approve_decides_today_and_logs_it(dpo):
    data_request = checked()

    services.request_approve(request=data_request, keep_until=in_days(400), by=dpo)

    data_request = fresh(data_request)
    assert data_request.status == Status.APPROVED
    assert data_request.decided_on == TODAY()
    assert data_request.keep_until == in_days(400)
    assert (only_event().actor, only_event().detail) == (dpo, "approved")


def test_approve_refuses_before_the_identity_check(dpo):
    data_request = DataRequestFactory()

    with pytest.raises(
        RequestError, match="^Check the person's identity before approving the request.$"
    ):
        services.request_approve(request=data_request, by=dpo)

    assert fresh(data_request).status == Status.RECEIVED
    assert not AuditEvent.objects.exists()


@pytest.mark.parametrize("status", [Status.APPROVED, Status.REFUSED, Status.COMPLETED])
def test_approve_refuses_a_request_already_decided(dpo, status):
    data_request = in_state(status)

    with pytest.raises(
        RequestError, match="^Only a request that is waiting for a decision can be approved.$"
    ):
        services.request_approve(request=data_request, by=dpo)

    assert fresh(data_request).status == status
    assert not AuditEvent.objects.exists()


@pytest.mark.parametrize("days", [0, -1])
def test_approve_refuses_a_kept_record_not_kept_until_a_future_date(dpo, days):
    data_request = checked()

    with pytest.raises(RequestError, match="until a future date"):
        services.request_approve(request=data_request, keep_until=in_days(days), by=dpo)

    assert fresh(data_request).status == Status.RECEIVED


def test_approve_refuses_to_keep_a_record_for_an_access_request(dpo):
    data_request = checked(kind=RequestKind.ACCESS)

    with pytest.raises(RequestError):
        services.request_approve(request=data_request, keep_until=in_days(400), by=dpo)

    data_request = fresh(data_request)
    assert (data_request.status, data_request.keep_until) == (Status.RECEIVED, None)
    assert not AuditEvent.objects.exists()


def test_approve_says_why_an_access_request_keeps_no_record(dpo):
    data_request = checked(kind=RequestKind.ACCESS)

    with pytest.raises(RequestError, match="erasure"):
        services.request_approve(request=data_request, keep_until=in_days(400), by=dpo)


# request_refuse


def test_refuse_stores_the_reason_and_logs_it_without_it(dpo):
    data_request = DataRequestFactory()

    services.request_refuse(request=data_request, reason="Manifestly excessive.", by=dpo)

    data_request = fresh(data_request)
    assert data_request.status == Status.REFUSED
    assert data_request.refusal_reason == "Manifestly excessive."
    assert data_request.decided_on == TODAY()
    assert (only_event().actor, only_event().detail) == (dpo, "refused")


@pytest.mark.parametrize("status", [Status.APPROVED, Status.REFUSED, Status.COMPLETED])
def test_refuse_refuses_a_request_already_decided(dpo, status):
    data_request = in_state(status)

    with pytest.raises(
        RequestError, match="^Only a request that is waiting for a decision can be refused.$"
    ):
        services.request_refuse(request=data_request, reason="Late change of mind.", by=dpo)

    assert fresh(data_request).refusal_reason == "Manifestly unfounded."
    assert not AuditEvent.objects.exists()


def test_refuse_refuses_a_blank_reason(dpo):
    data_request = DataRequestFactory()

    with pytest.raises(RequestError, match="reason"):
        services.request_refuse(request=data_request, reason=" ", by=dpo)
    assert fresh(data_request).status == Status.RECEIVED


def test_the_database_refuses_a_refusal_without_a_reason(dpo):
    data_request = DataRequestFactory()
    data_request.status = Status.REFUSED

    with pytest.raises(IntegrityError), transaction.atomic():
        data_request.save()


# access_complete


def test_complete_answers_an_approved_access_request(dpo, recruiter):
    data_request = approved(
        DataRequestFactory(kind=RequestKind.ACCESS, contacts=[ContactFactory(owner=recruiter)])
    )

    services.access_complete(request=data_request, by=dpo)

    data_request = fresh(data_request)
    assert data_request.status == Status.COMPLETED
    assert data_request.completed_at is not None
    assert (
        data_request.outcome == "Sent the person a copy of 1 contact record(s) and their history."
    )
    assert (only_event().actor, only_event().detail) == (dpo, "completed")


@pytest.mark.parametrize(
    ("kind", "status"),
    [
        (RequestKind.ERASURE, Status.APPROVED),
        (RequestKind.ACCESS, Status.RECEIVED),
        (RequestKind.ACCESS, Status.REFUSED),
        (RequestKind.ACCESS, Status.COMPLETED),
    ],
)
def test_complete_refuses_anything_but_an_approved_access_request(dpo, kind, status):
    data_request = in_state(status, kind=kind)

    with pytest.raises(RequestError, match="^Only an approved access request can be completed.$"):
        services.access_complete(request=data_request, by=dpo)

    assert fresh(data_request).status == status
    assert not AuditEvent.objects.exists()


# erasure_queue


def test_queue_hands_an_approved_erasure_to_the_job_once_committed(
    dpo, recruiter, django_capture_on_commit_callbacks
):
    contact = ContactFactory(owner=recruiter)
    data_request = approved(DataRequestFactory(contacts=[contact]))

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.erasure_queue(request=data_request, by=dpo)
        assert fresh(data_request).contacts.exists()  # nothing erased before the commit

    assert len(callbacks) == 1
    assert (only_event().actor, only_event().detail) == (dpo, "erasure queued")


@pytest.mark.parametrize(
    ("kind", "status"),
    [
        (RequestKind.ERASURE, Status.RECEIVED),
        (RequestKind.ERASURE, Status.REFUSED),
        (RequestKind.ERASURE, Status.COMPLETED),
        (RequestKind.ACCESS, Status.APPROVED),
    ],
)
def test_queue_refuses_anything_but_an_approved_erasure(
    dpo, kind, status, django_capture_on_commit_callbacks
):
    data_request = in_state(status, kind=kind)

    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RequestError, match="^Only an approved erasure request can be carried out.$"),
    ):
        services.erasure_queue(request=data_request, by=dpo)

    assert not callbacks
    assert not AuditEvent.objects.exists()


# request_matches


def test_matches_find_the_person_across_recruiters_and_skip_the_linked(recruiter, outsider):
    by_email = ContactFactory(owner=recruiter, email="ZEBEDEE@example.com")
    by_phone = ContactFactory(owner=outsider, phone="+44 (0)20 7946 0958")
    by_name = ContactFactory(owner=outsider, first_name="zebedee", last_name="QUARTERMAINE")
    linked = ContactFactory(owner=outsider, email="zebedee@example.com")
    ContactFactory(owner=recruiter, first_name="Zebedee", last_name="Smith")
    data_request = DataRequestFactory(
        requester_name="Zebedee Quartermaine",
        requester_email="zebedee@example.com",
        requester_phone="020 7946 0958",
        contacts=[linked],
    )

    matches = services.request_matches(data_request)

    assert {c.pk for c in matches} == {by_email.pk, by_phone.pk, by_name.pk}


def test_matches_ignore_a_short_phone_and_a_single_name(recruiter):
    ContactFactory(owner=recruiter, first_name="Zebedee", last_name="", phone="0958")
    data_request = DataRequestFactory(
        requester_name="Zebedee", requester_email="", requester_phone="0958"
    )

    assert services.request_matches(data_request) == []

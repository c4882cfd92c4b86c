"""GET/POST /privacy/requests/new/: the DPO records a request as it arrived, written or
said. It is due a calendar month later, counted the ICO's way: the day received is day
one, a month without that date ends on its last day, and a weekend or bank holiday
moves the deadline to the next working day."""

import datetime

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from privacy.models import Action, AuditEvent, DataRequest, ReceivedHow, RequestKind, Status
from tests.conftest import client_for

URL = "/privacy/requests/new/"


@pytest.fixture
def as_dpo(dpo):
    return client_for(dpo)


def form(**changes) -> dict:
    data = {
        "kind": RequestKind.ERASURE,
        "received_on": "2026-06-03",
        "received_how": ReceivedHow.EMAIL,
        "requester_name": "Olivia Bennett",
        "requester_email": "olivia.bennett@example.com",
        "requester_phone": "",
    }
    return {**data, **changes}


def messages_of(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def test_it_shows_an_empty_form_dated_today(as_dpo):
    response = as_dpo.get(URL)

    assert response.status_code == 200
    assert response.context["form"]["received_on"].value() == timezone.localdate()
    assert "Receive a request" in response.content.decode()


def test_it_records_a_written_request(as_dpo, dpo):
    response = as_dpo.post(URL, form())

    data_request = DataRequest.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("privacy:request_detail", args=[data_request.pk])
    assert data_request.kind == RequestKind.ERASURE
    assert data_request.status == Status.RECEIVED
    assert data_request.received_on == datetime.date(2026, 6, 3)
    assert data_request.received_how == ReceivedHow.EMAIL
    assert data_request.received_by == dpo
    assert data_request.requester_name == "Olivia Bennett"
    assert data_request.requester_email == "olivia.bennett@example.com"
    assert data_request.due_on == datetime.date(2026, 7, 3)
    assert messages_of(response) == ["Request received: due 03/07/2026."]


def test_it_records_a_verbal_request_taken_by_phone(as_dpo):
    as_dpo.post(
        URL,
        form(
            kind=RequestKind.ACCESS,
            received_how=ReceivedHow.PHONE,
            requester_email="",
            requester_phone="+44 20 7946 0958",
        ),
    )

    data_request = DataRequest.objects.get()
    assert data_request.kind == RequestKind.ACCESS
    assert data_request.received_how == ReceivedHow.PHONE
    assert data_request.requester_phone == "+44 20 7946 0958"
    assert data_request.requester_email == ""


def test_it_tidies_the_spaces_in_the_name(as_dpo):
    as_dpo.post(URL, form(requester_name="  Olivia \t  Bennett "))

    assert DataRequest.objects.get().requester_name == "Olivia Bennett"


@pytest.mark.parametrize(
    ("received_on", "due_on"),
    [
        # A calendar month, the day received counting as day one.
        ("2026-06-03", "2026-07-03"),
        # 25 Dec is Christmas Day, then a weekend, then the Boxing Day substitute day.
        ("2026-11-25", "2026-12-29"),
        # 1 Jan is New Year's Day.
        ("2025-12-01", "2026-01-02"),
        # 3 Apr is Good Friday, then the weekend, then Easter Monday.
        ("2026-03-03", "2026-04-07"),
        # No 31 Feb: the month's last day, 28 Feb 2026, is a Saturday.
        ("2026-01-31", "2026-03-02"),
        # No 31 Apr: the month's last day.
        ("2026-03-31", "2026-04-30"),
        # 3 Oct 2026 is a Saturday.
        ("2026-09-03", "2026-10-05"),
    ],
)
def test_it_counts_the_due_date_the_way_the_ico_does(as_dpo, received_on, due_on):
    as_dpo.post(URL, form(received_on=received_on))

    assert DataRequest.objects.get().due_on == datetime.date.fromisoformat(due_on)


def test_a_request_received_today_is_due_a_month_from_today(as_dpo):
    as_dpo.post(URL, form(received_on=timezone.localdate().isoformat()))

    data_request = DataRequest.objects.get()
    assert data_request.received_on == timezone.localdate()
    assert 28 <= (data_request.due_on - data_request.received_on).days <= 35


def test_it_refuses_a_request_received_in_the_future(as_dpo):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)

    response = as_dpo.post(URL, form(received_on=tomorrow.isoformat()))

    assert response.status_code == 200
    assert response.context["form"].errors["received_on"] == ["This cannot be dated in the future."]
    assert not DataRequest.objects.exists()


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"requester_email": "olivia.bennett"}, "requester_email"),
        ({"requester_email": "olivia@@example.com"}, "requester_email"),
        ({"requester_phone": "call me maybe"}, "requester_phone"),
        ({"requester_phone": "12"}, "requester_phone"),
        ({"requester_phone": "+44 20 7946 0958 ext. 12"}, "requester_phone"),
        ({"requester_name": ""}, "requester_name"),
        ({"requester_name": "   "}, "requester_name"),
        ({"requester_name": "x" * 201}, "requester_name"),
        ({"kind": "rectification"}, "kind"),
        ({"kind": ""}, "kind"),
        ({"received_how": "pigeon"}, "received_how"),
        ({"received_how": ""}, "received_how"),
        ({"received_on": "31/02/2026"}, "received_on"),
        ({"received_on": ""}, "received_on"),
    ],
)
def test_it_refuses_bad_input_and_saves_nothing(as_dpo, changes, field):
    response = as_dpo.post(URL, form(**changes))

    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert not DataRequest.objects.exists()
    assert not AuditEvent.objects.exists()


def test_it_saves_nothing_on_get(as_dpo):
    as_dpo.get(URL, form())

    assert not DataRequest.objects.exists()


def test_it_writes_an_audit_event_without_who_asked(as_dpo, dpo):
    as_dpo.post(URL, form(requester_phone="020 7946 0958"))

    data_request = DataRequest.objects.get()
    event = AuditEvent.objects.get()
    assert event.action == Action.REQUEST
    assert event.actor == dpo
    assert (event.object_type, event.object_id) == ("privacy.datarequest", data_request.pk)
    for personal in ("Olivia", "Bennett", "olivia.bennett@example.com", "7946"):
        assert personal.lower() not in event.detail.lower()


@pytest.mark.parametrize("role", ["recruiter", "manager", "assessor"])
def test_only_the_dpo_may_record_a_request(request, role):
    client = client_for(request.getfixturevalue(role))

    assert client.get(URL).status_code == 403
    assert client.post(URL, form()).status_code == 403
    assert not DataRequest.objects.exists()

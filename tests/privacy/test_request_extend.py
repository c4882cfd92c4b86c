"""POST /privacy/requests/<id>/extend/: a complex request gets two more months, but only
if the person was told, with the reason, within the first month (up to and including
the original due date). The new deadline is three months from receipt, on a working
day."""

import datetime

import pytest
from django.contrib.messages import get_messages

from privacy.models import Action, AuditEvent, DataRequest, Status
from tests.conftest import client_for
from tests.factories import DataRequestFactory, approved

# Received Friday 25 Sep 2026. A month later is Sunday 25 Oct, so it was due Monday
# 26 Oct. Three months later is Christmas Day, then a weekend and the Boxing Day
# substitute day: extended, it is due Tuesday 29 Dec.
RECEIVED = datetime.date(2026, 9, 25)
FIRST_DUE = datetime.date(2026, 10, 26)
EXTENDED_DUE = datetime.date(2026, 12, 29)
REASON = "Records held by four recruiters, some in shared activity notes."


@pytest.fixture
def as_dpo(dpo):
    return client_for(dpo)


@pytest.fixture
def data_request(db):
    return DataRequestFactory(received_on=RECEIVED)


def url(data_request) -> str:
    return f"/privacy/requests/{data_request.pk}/extend/"


def messages_of(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def fresh(data_request) -> DataRequest:
    return DataRequest.objects.get(pk=data_request.pk)


def test_the_request_starts_due_a_month_after_receipt(data_request):
    assert data_request.due_on == FIRST_DUE


def test_it_extends_when_the_person_was_told_within_the_first_month(as_dpo, data_request, dpo):
    response = as_dpo.post(url(data_request), {"told_on": "2026-10-01", "reason": REASON})

    assert response.status_code == 302
    assert response["Location"] == data_request.get_absolute_url()
    assert messages_of(response) == ["Deadline extended."]
    data_request = fresh(data_request)
    assert data_request.extended_on == datetime.date(2026, 10, 1)
    assert data_request.extension_reason == REASON
    assert data_request.due_on == EXTENDED_DUE
    event = AuditEvent.objects.get()
    assert (event.action, event.actor, event.detail) == (Action.REQUEST, dpo, "extended")


@pytest.mark.parametrize("told_on", [RECEIVED, FIRST_DUE])
def test_the_first_month_runs_from_receipt_to_the_original_due_date(as_dpo, data_request, told_on):
    as_dpo.post(url(data_request), {"told_on": told_on.isoformat(), "reason": REASON})

    assert fresh(data_request).due_on == EXTENDED_DUE


@pytest.mark.parametrize("told_on", ["2026-10-27", "2026-11-20", "2026-09-24"])
def test_it_refuses_an_extension_told_outside_the_first_month(as_dpo, data_request, told_on):
    response = as_dpo.post(url(data_request), {"told_on": told_on, "reason": REASON})

    assert response.status_code == 302
    assert messages_of(response) == [
        "An extension must be told to the person within the first month: between "
        "25/09/2026 and 26/10/2026."
    ]
    data_request = fresh(data_request)
    assert data_request.extended_on is None
    assert data_request.due_on == FIRST_DUE
    assert not AuditEvent.objects.exists()


def test_it_refuses_a_second_extension(as_dpo, data_request):
    as_dpo.post(url(data_request), {"told_on": "2026-10-01", "reason": REASON}, follow=True)

    response = as_dpo.post(url(data_request), {"told_on": "2026-10-02", "reason": "Again."})

    assert messages_of(response) == ["This request has already been extended."]
    data_request = fresh(data_request)
    assert (data_request.extended_on, data_request.extension_reason) == (
        datetime.date(2026, 10, 1),
        REASON,
    )
    assert data_request.due_on == EXTENDED_DUE


def test_the_extended_date_is_three_calendar_months_on_a_plain_working_day(as_dpo):
    # Received Wednesday 5 Aug 2026: due Monday 7 Sep (5 Sep is a Saturday); extended,
    # Thursday 5 Nov.
    data_request = DataRequestFactory(received_on=datetime.date(2026, 8, 5))

    as_dpo.post(url(data_request), {"told_on": "2026-09-07", "reason": REASON})

    assert fresh(data_request).due_on == datetime.date(2026, 11, 5)


def test_an_approved_request_may_be_extended(as_dpo, data_request):
    approved(data_request)

    as_dpo.post(url(data_request), {"told_on": "2026-10-01", "reason": REASON})

    assert fresh(data_request).due_on == EXTENDED_DUE


def test_a_closed_request_is_not_extended(as_dpo, data_request):
    data_request.status, data_request.refusal_reason = Status.REFUSED, "Unfounded."
    data_request.save()

    response = as_dpo.post(url(data_request), {"told_on": "2026-10-01", "reason": REASON})

    assert messages_of(response) == ["This request is closed."]
    assert fresh(data_request).due_on == FIRST_DUE


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"told_on": "2026-10-01", "reason": ""}, "reason"),
        ({"told_on": "2026-10-01", "reason": "   "}, "reason"),
        ({"told_on": "2026-10-01"}, "reason"),
        ({"told_on": "", "reason": REASON}, "told_on"),
        ({"told_on": "1/10", "reason": REASON}, "told_on"),
        ({"told_on": "2999-01-01", "reason": REASON}, "told_on"),
    ],
)
def test_it_shows_the_request_again_with_the_errors(as_dpo, data_request, data, field):
    response = as_dpo.post(url(data_request), data)

    assert response.status_code == 400
    assert field in response.context["extend_form"].errors
    assert "Extend for a complex request</summary>" in response.content.decode()
    assert '<details class="card card-body mb-3" open>' in response.content.decode()
    data_request = fresh(data_request)
    assert data_request.extended_on is None
    assert data_request.due_on == FIRST_DUE


def test_it_answers_404_for_an_unknown_request(as_dpo):
    response = as_dpo.post(
        "/privacy/requests/999999/extend/", {"told_on": "2026-10-01", "reason": REASON}
    )

    assert response.status_code == 404


def test_it_rejects_get(as_dpo, data_request):
    response = as_dpo.get(url(data_request), {"told_on": "2026-10-01", "reason": REASON})

    assert response.status_code == 405
    assert fresh(data_request).extended_on is None


@pytest.mark.parametrize("role", ["recruiter", "manager", "assessor"])
def test_only_the_dpo_may_extend(request, role, data_request):
    client = client_for(request.getfixturevalue(role))

    response = client.post(url(data_request), {"told_on": "2026-10-01", "reason": REASON})

    assert response.status_code == 403
    assert fresh(data_request).due_on == FIRST_DUE

"""POST /privacy/requests/<id>/erase/: the DPO carries out an approved erasure. It is
queued as a job once the approval is committed; the job removes the person's records
and leaves an erasure record of counts and of whom to tell, never of who it was."""

import datetime

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from consent.models import Disclosed
from contacts.models import Activity, Contact, Outcome
from privacy.models import Action, AuditEvent, DataRequest, ErasureRecord, RequestKind, Status
from privacy.services import is_suppressed
from tests.conftest import client_for
from tests.factories import (
    ActivityFactory,
    ContactFactory,
    DataRequestFactory,
    DisclosureFactory,
    OutcomeFactory,
    approved,
)


@pytest.fixture
def as_dpo(dpo):
    return client_for(dpo)


@pytest.fixture
def zebedee(recruiter, outsider):
    """Zebedee Quartermaine, held by two recruiters in different teams, with a CV sent to a
    client, a shared activity and a placement."""
    mine = ContactFactory(
        owner=recruiter,
        first_name="Zebedee",
        last_name="Quartermaine",
        email="zebedee.quartermaine@example.com",
        phone="020 7946 0958",
    )
    theirs = ContactFactory(
        owner=outsider, first_name="Zebedee", last_name="Quartermaine", email="liv@example.com"
    )
    DisclosureFactory(
        contact=mine,
        recipient="Harbour Bank plc, Data team",
        what=Disclosed.CV,
        disclosed_on=datetime.date(2026, 10, 1),
    )
    colleague = ContactFactory(owner=recruiter, first_name="Sam", last_name="Okafor")
    ActivityFactory(
        owner=recruiter,
        contacts=[mine, colleague],
        summary="Coffee with Zebedee Quartermaine and Sam.",
    )
    OutcomeFactory(owner=outsider, contacts=[theirs], notes="Placed at Harbour Bank.")
    return [mine, theirs]


def url(data_request) -> str:
    return f"/privacy/requests/{data_request.pk}/erase/"


def messages_of(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def fresh(data_request) -> DataRequest:
    return DataRequest.objects.get(pk=data_request.pk)


def zebedees_request(contacts, **fields) -> DataRequest:
    return DataRequestFactory(
        requester_name="Zebedee Quartermaine",
        requester_email="zebedee.quartermaine@example.com",
        requester_phone="+44 20 7946 0958",
        contacts=contacts,
        **fields,
    )


def test_it_queues_the_erasure_and_the_job_carries_it_out(
    as_dpo, dpo, zebedee, django_capture_on_commit_callbacks
):
    data_request = approved(zebedees_request(zebedee))

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = as_dpo.post(url(data_request))

    assert response.status_code == 302
    assert response["Location"] == data_request.get_absolute_url()
    assert messages_of(response) == ["Erasure started: it runs as a job."]
    assert len(callbacks) == 1
    assert not Contact.objects.filter(pk__in=[c.pk for c in zebedee]).exists()
    assert Contact.objects.filter(first_name="Sam").exists()
    data_request = fresh(data_request)
    assert data_request.status == Status.COMPLETED
    assert data_request.completed_at is not None
    record = ErasureRecord.objects.get()
    assert record.request == data_request
    assert (record.contacts_erased, record.activities_kept, record.outcomes_kept) == (2, 1, 1)
    assert data_request.outcome == record.summary()


def test_the_request_page_then_shows_the_erasure_record_and_whom_to_tell(
    as_dpo, zebedee, django_capture_on_commit_callbacks
):
    data_request = approved(zebedees_request(zebedee))
    with django_capture_on_commit_callbacks(execute=True):
        as_dpo.post(url(data_request))

    response = as_dpo.get(data_request.get_absolute_url())

    html = response.content.decode()
    assert response.context["erasure"] == ErasureRecord.objects.get()
    assert 'id="erasure-record"' in html
    assert "Erased 2 contact record(s)." in html
    assert "Tell 1 recipient(s) of their data (listed)." in html
    assert "Tell these recipients the data must be erased" in html
    assert "Harbour Bank plc, Data team" in html
    assert response.context["erasure"].disclosures == [
        {"recipient": "Harbour Bank plc, Data team", "what": "CV", "on": "2026-10-01"}
    ]
    assert "Erased." in html
    assert "Carry out the erasure" not in html
    # Who asked went with their records.
    assert "zebedee.quartermaine@example.com" not in html
    assert "Zebedee" not in html


def test_the_person_is_taken_out_of_what_is_kept(
    as_dpo, zebedee, django_capture_on_commit_callbacks
):
    data_request = approved(zebedees_request(zebedee))

    with django_capture_on_commit_callbacks(execute=True):
        as_dpo.post(url(data_request))

    activity = Activity.objects.get()
    assert "Zebedee" not in activity.summary
    assert [c.first_name for c in activity.contacts.all()] == ["Sam"]
    assert Outcome.objects.get().notes == "Details removed after an erasure request."
    data_request = fresh(data_request)
    assert (data_request.requester_name, data_request.requester_email) == ("", "")
    assert is_suppressed(email="ZEBEDEE.QUARTERMAINE@example.com")
    assert is_suppressed(phone="+44 20 7946 0958")


def test_it_logs_who_queued_it_and_that_the_job_erased(
    as_dpo, dpo, zebedee, django_capture_on_commit_callbacks
):
    data_request = approved(zebedees_request(zebedee))

    with django_capture_on_commit_callbacks(execute=True):
        as_dpo.post(url(data_request))

    events = AuditEvent.objects.order_by("id")
    assert [(e.actor, e.action, e.detail) for e in events] == [
        (dpo, Action.REQUEST, "erasure queued"),
        (None, Action.ERASED, "2 contact(s)"),
    ]
    for event in events:
        assert "Zebedee" not in event.detail and "Quartermaine" not in event.detail


def test_a_kept_record_is_reported(as_dpo, zebedee, django_capture_on_commit_callbacks):
    keep_until = timezone.localdate() + datetime.timedelta(days=365)
    data_request = approved(zebedees_request(zebedee), keep_until=keep_until)
    with django_capture_on_commit_callbacks(execute=True):
        as_dpo.post(url(data_request))

    html = as_dpo.get(data_request.get_absolute_url()).content.decode()

    assert "Kept 2 minimised record(s) under the Conduct of Employment Agencies" in html
    assert f"until {keep_until:%d/%m/%Y}." in html


@pytest.mark.parametrize("status", [Status.RECEIVED, Status.REFUSED])
def test_it_erases_nothing_unless_approved(
    as_dpo, zebedee, status, django_capture_on_commit_callbacks
):
    data_request = zebedees_request(zebedee, status=status, refusal_reason="Unfounded.")

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = as_dpo.post(url(data_request))

    assert response.status_code == 302
    assert messages_of(response) == ["Only an approved erasure request can be carried out."]
    assert not callbacks
    assert Contact.objects.filter(pk__in=[c.pk for c in zebedee]).count() == 2
    assert fresh(data_request).status == status
    assert not ErasureRecord.objects.exists()
    assert not AuditEvent.objects.exists()


def test_it_refuses_an_access_request(as_dpo, zebedee, django_capture_on_commit_callbacks):
    data_request = approved(zebedees_request(zebedee, kind=RequestKind.ACCESS))

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = as_dpo.post(url(data_request))

    assert messages_of(response) == ["Only an approved erasure request can be carried out."]
    assert not callbacks
    assert Contact.objects.filter(pk__in=[c.pk for c in zebedee]).count() == 2
    assert fresh(data_request).status == Status.APPROVED


def test_a_completed_erasure_is_not_carried_out_again(
    as_dpo, zebedee, django_capture_on_commit_callbacks
):
    data_request = approved(zebedees_request(zebedee))
    with django_capture_on_commit_callbacks(execute=True):
        as_dpo.post(url(data_request), follow=True)

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = as_dpo.post(url(data_request))

    assert messages_of(response) == ["Only an approved erasure request can be carried out."]
    assert not callbacks
    assert ErasureRecord.objects.count() == 1


def test_it_answers_404_for_an_unknown_request(as_dpo):
    assert as_dpo.post("/privacy/requests/999999/erase/").status_code == 404


def test_it_rejects_get(as_dpo, zebedee, django_capture_on_commit_callbacks):
    data_request = approved(zebedees_request(zebedee))

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = as_dpo.get(url(data_request))

    assert response.status_code == 405
    assert not callbacks
    assert Contact.objects.filter(pk__in=[c.pk for c in zebedee]).count() == 2


@pytest.mark.parametrize("role", ["recruiter", "manager", "assessor"])
def test_only_the_dpo_may_carry_out_an_erasure(
    request, role, zebedee, django_capture_on_commit_callbacks
):
    data_request = approved(zebedees_request(zebedee))
    client = client_for(request.getfixturevalue(role))

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client.post(url(data_request))

    assert response.status_code == 403
    assert not callbacks
    assert Contact.objects.filter(pk__in=[c.pk for c in zebedee]).count() == 2
    assert fresh(data_request).status == Status.APPROVED


# Records left unlinked, a job that never finished, a broker that is down


def _approved_erasure(recruiter, **contact_fields):
    contact = ContactFactory(owner=recruiter, **contact_fields)
    return approved(DataRequestFactory(contacts=[contact], requester_email="")), contact


def test_it_refuses_while_another_record_shares_the_email_unlinked(as_dpo, recruiter, outsider):
    data_request, _ = _approved_erasure(recruiter, email="jo.bloggs@example.com")
    twin = ContactFactory(owner=outsider, first_name="J", email="JO.BLOGGS@example.com")

    response = as_dpo.post(url(data_request), follow=True)

    assert "1 other record(s) share this person&#x27;s email or phone" in response.content.decode()
    assert 'id="unlinked-same-details"' in response.content.decode()
    assert Contact.objects.filter(pk=twin.pk).exists()
    assert DataRequest.objects.get(pk=data_request.pk).status == Status.APPROVED
    assert not is_suppressed(email="jo.bloggs@example.com")


def test_it_goes_ahead_once_the_dpo_says_the_other_record_is_someone_else(
    as_dpo, recruiter, outsider, django_capture_on_commit_callbacks
):
    data_request, contact = _approved_erasure(recruiter, phone="020 7946 0000")
    switchboard = ContactFactory(owner=outsider, phone="+44 20 7946 0000")

    with django_capture_on_commit_callbacks(execute=True):
        as_dpo.post(url(data_request), {"others_checked": "on"})

    assert DataRequest.objects.get(pk=data_request.pk).status == Status.COMPLETED
    assert not Contact.objects.filter(pk=contact.pk).exists()
    assert Contact.objects.filter(pk=switchboard.pk).exists()


def test_the_person_is_suppressed_as_soon_as_the_erasure_is_queued(as_dpo, recruiter):
    data_request, _ = _approved_erasure(recruiter, email="queued@example.com")

    as_dpo.post(url(data_request))  # the job waits: on-commit callbacks are not run here

    assert DataRequest.objects.get(pk=data_request.pk).status == Status.APPROVED
    assert is_suppressed(email="queued@example.com")


def test_a_running_job_hides_the_button_and_a_stuck_one_shows_it_again(as_dpo, recruiter):
    data_request, _ = _approved_erasure(recruiter)
    as_dpo.post(url(data_request))
    page = reverse("privacy:request_detail", args=[data_request.pk])

    running = as_dpo.get(page).content.decode()
    DataRequest.objects.filter(pk=data_request.pk).update(
        erasure_queued_at=timezone.now() - datetime.timedelta(minutes=16)
    )
    stuck = as_dpo.get(page).content.decode()

    assert 'id="erasure-pending"' in running and "Carry out the erasure" not in running
    assert "has not finished" in stuck and "Carry out the erasure" in stuck


@pytest.mark.django_db(transaction=True)
def test_a_broker_that_is_down_does_not_break_the_page(recruiter, dpo, monkeypatch):
    from privacy import tasks

    def broker_down(*args, **kwargs):
        raise ConnectionError("redis is down")

    monkeypatch.setattr(tasks.erase, "delay", broker_down)
    data_request, contact = _approved_erasure(recruiter)

    response = client_for(dpo).post(url(data_request))

    assert response.status_code == 302
    assert DataRequest.objects.get(pk=data_request.pk).status == Status.APPROVED
    assert Contact.objects.filter(pk=contact.pk).exists()

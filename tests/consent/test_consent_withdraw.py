"""GET/POST /contacts/<pk>/consent/withdraw/: record that a person withdrew consent.
A withdrawal is a new record; the consent it ends stays in the history."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from consent import services
from consent.models import Basis, ConsentEvent, ConsentRecord, Method, Purpose
from contacts.models import Contact
from tests.conftest import client_for
from tests.factories import ContactFactory

DAY = datetime.timedelta(days=1)


def url(contact) -> str:
    return f"/contacts/{contact.pk}/consent/withdraw/"


@pytest.fixture
def contact(recruiter):
    """A contact whose basis is consent, given a month ago."""
    contact = ContactFactory(owner=recruiter, first_name="Olivia", last_name="Bennett")
    services.consent_record(
        contact=contact,
        on=timezone.localdate() - 30 * DAY,
        method=Method.FORM,
        purposes=[Purpose.ROLES],
        notice=None,
        by=recruiter,
    )
    return contact


@pytest.fixture
def given(contact) -> ConsentRecord:
    return ConsentRecord.objects.get(contact=contact)


def form_data(**overrides) -> dict:
    return {"on": timezone.localdate().isoformat(), "method": Method.CALL, **overrides}


def test_it_shows_the_form_dated_today(as_recruiter, contact):
    response = as_recruiter.get(url(contact))

    assert response.status_code == 200
    assert response.context["form"]["on"].value() == timezone.localdate()
    assert "Record a withdrawal of consent" in response.content.decode()


def test_a_withdrawal_is_a_new_record(as_recruiter, recruiter, contact, given):
    response = as_recruiter.post(url(contact), form_data())

    assert response.status_code == 302
    assert response["Location"] == contact.get_absolute_url()
    withdrawal = ConsentRecord.objects.exclude(pk=given.pk).get()
    assert withdrawal.contact == contact
    assert withdrawal.event == ConsentEvent.WITHDRAWN
    assert withdrawal.on == timezone.localdate()
    assert withdrawal.method == Method.CALL
    assert withdrawal.recorded_by == recruiter
    assert withdrawal.expires_on is None


def test_the_consent_it_ends_stays_as_it_was(as_recruiter, contact, given):
    as_recruiter.post(url(contact), form_data())

    again = ConsentRecord.objects.get(pk=given.pk)
    assert again.event == ConsentEvent.GIVEN
    assert (again.on, again.method, again.purposes, again.expires_on) == (
        given.on,
        given.method,
        given.purposes,
        given.expires_on,
    )
    assert list(contact.consent_history.values_list("event", flat=True)) == [
        ConsentEvent.WITHDRAWN,
        ConsentEvent.GIVEN,
    ]


def test_it_ends_the_contacts_consent(as_recruiter, contact):
    as_recruiter.post(url(contact), form_data())

    contact.refresh_from_db()
    assert contact.consent_expires_on is None
    assert contact.lawful_basis == Basis.CONSENT
    assert contact.basis_state(timezone.localdate()) == "withdrawn"


def test_the_contacts_page_shows_consent_withdrawn(as_recruiter, contact):
    response = as_recruiter.post(url(contact), form_data(), follow=True)

    html = response.content.decode()
    assert response.redirect_chain == [(contact.get_absolute_url(), 302)]
    assert "Withdrawal recorded." in html
    assert "consent withdrawn" in html
    assert "consent withdrawn (call)" in html  # in the history, beside the consent given
    assert "consent given (form)" in html
    # Nothing left to withdraw: the link goes.
    assert url(contact) not in html


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"on": ""}, "on"),
        ({"on": "31/02/2025"}, "on"),
        ({"method": ""}, "method"),
        ({"method": "carrier_pigeon"}, "method"),
    ],
)
def test_bad_input_saves_nothing(as_recruiter, contact, given, overrides, field):
    expires_on = contact.consent_expires_on

    response = as_recruiter.post(url(contact), form_data(**overrides))

    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert list(ConsentRecord.objects.all()) == [given]
    contact.refresh_from_db()
    assert contact.consent_expires_on == expires_on


def test_it_refuses_a_withdrawal_dated_in_the_future(as_recruiter, contact, given):
    tomorrow = timezone.localdate() + DAY

    response = as_recruiter.post(url(contact), form_data(on=tomorrow.isoformat()))

    assert response.context["form"].errors["on"] == ["This cannot be dated in the future."]
    assert list(ConsentRecord.objects.all()) == [given]


def test_it_saves_nothing_on_get(as_recruiter, contact, given):
    as_recruiter.get(url(contact), form_data())

    assert list(ConsentRecord.objects.all()) == [given]


def test_another_recruiter_gets_404_and_changes_nothing(as_outsider, contact, given):
    assert as_outsider.get(url(contact)).status_code == 404
    assert as_outsider.post(url(contact), form_data()).status_code == 404
    assert list(ConsentRecord.objects.all()) == [given]


@pytest.mark.parametrize(
    ("role", "status"),
    [("manager", 403), ("dpo", 403), ("other_manager", 404), ("assessor", 403)],
)
def test_only_the_owner_may_record_a_withdrawal(request, contact, given, role, status):
    client = client_for(request.getfixturevalue(role))

    assert client.get(url(contact)).status_code == status
    assert client.post(url(contact), form_data()).status_code == status
    assert list(ConsentRecord.objects.all()) == [given]
    assert Contact.objects.get().consent_expires_on == given.expires_on


def test_it_sends_an_anonymous_visitor_to_the_login_page(client, contact, given):
    response = client.post(url(contact), form_data())

    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next={url(contact)}"
    assert list(ConsentRecord.objects.all()) == [given]


def test_there_must_be_consent_to_withdraw(recruiter):
    contact = ContactFactory(owner=recruiter)
    response = client_for(recruiter).post(
        reverse("consent:consent_withdraw", args=[contact.pk]),
        {"on": timezone.localdate().isoformat(), "method": "email"},
    )
    assert "no consent on record to withdraw" in response.content.decode()
    assert not ConsentRecord.objects.exists()


def test_a_withdrawal_cannot_predate_the_consent_it_ends(recruiter):
    contact = ContactFactory(owner=recruiter)
    today = timezone.localdate()
    services.consent_record(
        contact=contact, on=today, method="form", purposes=["roles"], notice=None, by=recruiter
    )
    response = client_for(recruiter).post(
        reverse("consent:consent_withdraw", args=[contact.pk]),
        {"on": (today - datetime.timedelta(days=1)).isoformat(), "method": "email"},
    )
    assert "cannot be dated before the consent" in str(response.context["form"].errors["on"])
    assert ConsentRecord.objects.count() == 1

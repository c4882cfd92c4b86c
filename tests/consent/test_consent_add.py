"""GET/POST /contacts/<pk>/consent/: record consent given, with what, how and which
privacy notice the person saw."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from consent import services
from consent.models import (
    Basis,
    ConsentEvent,
    ConsentRecord,
    LawfulBasisRecord,
    Method,
    PrivacyNotice,
    Purpose,
)
from contacts.models import Contact
from tests.conftest import client_for
from tests.factories import ContactFactory

DAY = datetime.timedelta(days=1)
GIVEN_ON = datetime.date(2024, 3, 15)


def url(contact) -> str:
    return f"/contacts/{contact.pk}/consent/"


@pytest.fixture
def contact(recruiter):
    return ContactFactory(owner=recruiter, first_name="Olivia", last_name="Bennett")


@pytest.fixture
def notice(db):
    return PrivacyNotice.objects.create(version=1, text="We keep your details to find you work.")


def form_data(shown: PrivacyNotice | None, **overrides) -> dict:
    data = {
        "on": GIVEN_ON.isoformat(),
        "method": Method.EMAIL,
        "purposes": [Purpose.SHARE_CV, Purpose.ROLES],
        "notice": shown.pk if shown else "",
    }
    return {**data, **overrides}


def test_it_shows_the_form_dated_today(as_recruiter, contact, notice):
    response = as_recruiter.get(url(contact))

    assert response.status_code == 200
    form = response.context["form"]
    assert form["on"].value() == timezone.localdate()
    assert form.fields["notice"].required
    assert f"Privacy notice v1 ({notice.published_on:%d/%m/%Y})" in response.content.decode()


def test_it_records_the_consent(as_recruiter, recruiter, contact, notice):
    response = as_recruiter.post(url(contact), form_data(notice))

    assert response.status_code == 302
    assert response["Location"] == contact.get_absolute_url()
    record = ConsentRecord.objects.get()
    assert record.contact == contact
    assert record.event == ConsentEvent.GIVEN
    assert record.on == GIVEN_ON
    assert record.method == Method.EMAIL
    assert record.purposes == [Purpose.ROLES, Purpose.SHARE_CV]
    assert record.notice == notice
    assert record.recorded_by == recruiter


def test_consent_lasts_24_months_from_the_day_it_was_given(as_recruiter, contact, notice):
    as_recruiter.post(url(contact), form_data(notice))

    assert ConsentRecord.objects.get().expires_on == datetime.date(2026, 3, 15)
    contact.refresh_from_db()
    assert contact.consent_expires_on == datetime.date(2026, 3, 15)


def test_consent_given_on_a_leap_day_lasts_to_the_end_of_february(as_recruiter, contact, notice):
    as_recruiter.post(url(contact), form_data(notice, on="2024-02-29"))

    contact.refresh_from_db()
    assert contact.consent_expires_on == datetime.date(2026, 2, 28)


def test_the_length_of_consent_follows_the_setting(as_recruiter, contact, notice, settings):
    settings.CONSENT_VALID_MONTHS = 6

    as_recruiter.post(url(contact), form_data(notice))

    assert ConsentRecord.objects.get().expires_on == datetime.date(2024, 9, 15)
    contact.refresh_from_db()
    assert contact.consent_expires_on == datetime.date(2024, 9, 15)


def test_consent_becomes_the_basis_of_a_contact_with_none(as_recruiter, recruiter, contact, notice):
    as_recruiter.post(url(contact), form_data(notice))

    basis = LawfulBasisRecord.objects.get()
    assert (basis.contact, basis.basis, basis.recorded_by) == (contact, Basis.CONSENT, recruiter)
    contact.refresh_from_db()
    assert contact.lawful_basis == Basis.CONSENT


@pytest.mark.parametrize("basis", [Basis.CONTRACT, Basis.LEGAL_OBLIGATION])
def test_a_contact_with_another_basis_keeps_it(as_recruiter, recruiter, contact, notice, basis):
    services.basis_record(contact=contact, basis=basis, by=recruiter)

    as_recruiter.post(url(contact), form_data(notice))

    assert LawfulBasisRecord.objects.count() == 1
    contact.refresh_from_db()
    assert contact.lawful_basis == basis
    assert contact.consent_expires_on == datetime.date(2026, 3, 15)


def test_consent_can_be_dated_today(as_recruiter, contact, notice):
    today = timezone.localdate()

    response = as_recruiter.post(url(contact), form_data(notice, on=today.isoformat()))

    assert response.status_code == 302
    assert ConsentRecord.objects.get().on == today


def test_it_says_so_after_recording(as_recruiter, contact, notice):
    response = as_recruiter.post(url(contact), form_data(notice), follow=True)

    assert "Consent recorded." in response.content.decode()


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"purposes": []}, "purposes"),
        ({"purposes": ["sell_to_third_parties"]}, "purposes"),
        ({"on": "tomorrow"}, "on"),
        ({"on": ""}, "on"),
        ({"method": ""}, "method"),
        ({"method": "carrier_pigeon"}, "method"),
        ({"notice": ""}, "notice"),
        ({"notice": "999999"}, "notice"),
    ],
)
def test_bad_input_saves_nothing(as_recruiter, contact, notice, overrides, field):
    response = as_recruiter.post(url(contact), form_data(notice, **overrides))

    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert not ConsentRecord.objects.exists()
    assert not LawfulBasisRecord.objects.exists()
    contact.refresh_from_db()
    assert (contact.lawful_basis, contact.consent_expires_on) == ("", None)


def test_it_refuses_consent_dated_in_the_future(as_recruiter, contact, notice):
    tomorrow = timezone.localdate() + DAY

    response = as_recruiter.post(url(contact), form_data(notice, on=tomorrow.isoformat()))

    assert response.context["form"].errors["on"] == ["This cannot be dated in the future."]
    assert not ConsentRecord.objects.exists()


def test_with_no_privacy_notice_published_the_notice_is_optional(as_recruiter, contact):
    response = as_recruiter.get(url(contact))

    assert not response.context["form"].fields["notice"].required
    assert "No privacy notice has been published yet." in response.content.decode()

    response = as_recruiter.post(url(contact), form_data(None))

    assert response.status_code == 302
    assert ConsentRecord.objects.get().notice is None


def test_once_a_notice_is_published_it_no_longer_says_there_is_none(as_recruiter, contact, notice):
    html = as_recruiter.get(url(contact)).content.decode()

    assert "No privacy notice has been published yet." not in html


def test_it_saves_nothing_on_get(as_recruiter, contact, notice):
    as_recruiter.get(url(contact), form_data(notice))

    assert not ConsentRecord.objects.exists()


def test_another_recruiter_gets_404_and_changes_nothing(as_outsider, contact, notice):
    assert as_outsider.get(url(contact)).status_code == 404
    assert as_outsider.post(url(contact), form_data(notice)).status_code == 404
    assert not ConsentRecord.objects.exists()


@pytest.mark.parametrize(
    ("role", "status"),
    [("manager", 403), ("dpo", 403), ("other_manager", 404), ("assessor", 403)],
)
def test_only_the_owner_may_record_consent(request, contact, notice, role, status):
    client = client_for(request.getfixturevalue(role))

    assert client.get(url(contact)).status_code == status
    assert client.post(url(contact), form_data(notice)).status_code == status
    assert not ConsentRecord.objects.exists()
    assert Contact.objects.get().consent_expires_on is None


def test_it_sends_an_anonymous_visitor_to_the_login_page(client, contact, notice):
    response = client.post(url(contact), form_data(notice))

    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next={url(contact)}"
    assert not ConsentRecord.objects.exists()

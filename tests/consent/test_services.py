import datetime

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from consent.models import ConsentEvent, ConsentRecord, LawfulBasisRecord, PrivacyNotice
from consent.services import (
    basis_record,
    consent_record,
    consent_state_rebuild,
    consent_withdraw,
    notice_deliver,
)
from contacts.models import Contact
from tests.factories import ContactFactory

D = datetime.date
JAN_31 = D(2026, 1, 31)


@pytest.fixture
def contact(recruiter):
    return ContactFactory(owner=recruiter)


def give(contact, by, on=JAN_31):
    return consent_record(
        contact=contact, on=on, method="form", purposes=["roles"], notice=None, by=by
    )


def test_consent_lasts_24_months_counted_like_a_deadline(recruiter, contact):
    record = give(contact, recruiter, on=D(2026, 1, 31))
    assert record.expires_on == D(2028, 1, 31)
    contact.refresh_from_db()
    assert contact.consent_expires_on == D(2028, 1, 31)


def test_first_consent_makes_consent_the_basis_and_records_it(recruiter, contact):
    give(contact, recruiter)
    contact.refresh_from_db()
    assert contact.lawful_basis == "consent"
    assert [r.basis for r in LawfulBasisRecord.objects.filter(contact=contact)] == ["consent"]


def test_consent_does_not_replace_another_basis(recruiter, contact):
    basis_record(contact=contact, basis="contract", by=recruiter)
    give(contact, recruiter)
    contact.refresh_from_db()
    assert contact.lawful_basis == "contract"
    assert LawfulBasisRecord.objects.filter(contact=contact).count() == 1


def test_withdrawal_is_a_new_record_and_ends_consent(recruiter, contact):
    given = give(contact, recruiter)
    withdrawn = consent_withdraw(contact=contact, on=D(2026, 6, 1), method="email", by=recruiter)
    assert withdrawn.event == ConsentEvent.WITHDRAWN
    assert ConsentRecord.objects.get(pk=given.pk).expires_on == D(2028, 1, 31)  # untouched
    contact.refresh_from_db()
    assert contact.consent_expires_on is None
    assert contact.basis_state(timezone.localdate()) == "withdrawn"


@pytest.mark.parametrize(
    ("basis", "expires_on", "state"),
    [
        ("", None, "none"),
        ("contract", None, "valid"),
        ("legal_obligation", None, "valid"),
        ("legitimate_interests", None, "valid"),
        ("consent", D(2026, 11, 25), "valid"),  # the last day still counts
        ("consent", D(2026, 11, 24), "expired"),
        ("consent", None, "withdrawn"),
    ],
)
def test_basis_state_and_the_list_filter_agree(recruiter, basis, expires_on, state):
    contact = ContactFactory(owner=recruiter)
    Contact.objects.filter(pk=contact.pk).update(lawful_basis=basis, consent_expires_on=expires_on)
    contact.refresh_from_db()
    today = D(2026, 11, 25)
    assert contact.basis_state(today) == state
    assert Contact.objects.with_valid_basis(today).filter(pk=contact.pk).exists() == (
        state == "valid"
    )
    assert Contact.objects.without_valid_basis(today).filter(pk=contact.pk).exists() == (
        state != "valid"
    )


def test_the_database_refuses_legitimate_interests_without_an_assessment(recruiter, contact):
    with pytest.raises(IntegrityError), transaction.atomic():
        basis_record(contact=contact, basis="legitimate_interests", by=recruiter, li_purpose="x")
    contact.refresh_from_db()
    assert contact.lawful_basis == ""


def test_a_failure_part_way_leaves_nothing_half_recorded(recruiter, contact, monkeypatch):
    def broken_save(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(Contact, "save", broken_save)
    with pytest.raises(RuntimeError):
        give(contact, recruiter)
    assert not ConsentRecord.objects.exists()
    assert not LawfulBasisRecord.objects.exists()


def test_a_delivery_recorded_through_a_stale_contact_keeps_the_earliest_date(recruiter, contact):
    notice = PrivacyNotice.objects.create(version=1, text="v1")
    stale = Contact.objects.get(pk=contact.pk)  # loaded before the other delivery
    notice_deliver(
        contact=contact, notice=notice, delivered_on=D(2026, 3, 1), method="email", by=recruiter
    )
    notice_deliver(
        contact=stale, notice=notice, delivered_on=D(2026, 5, 1), method="email", by=recruiter
    )
    assert Contact.objects.get(pk=contact.pk).notice_delivered_on == D(2026, 3, 1)
    assert stale.notice_delivered_on == D(2026, 3, 1)


# consent_state_rebuild: the current state worked out again from the whole history


def _state(contact) -> tuple:
    contact = Contact.objects.get(pk=contact.pk)
    return contact.lawful_basis, contact.consent_expires_on, contact.notice_delivered_on


def _forget_state(contact) -> None:
    Contact.objects.filter(pk=contact.pk).update(
        lawful_basis="", consent_expires_on=None, notice_delivered_on=None
    )


def test_rebuilding_gives_what_the_services_kept_step_by_step(recruiter, contact):
    notice = PrivacyNotice.objects.create(version=1, text="v1")
    give(contact, recruiter, on=D(2026, 1, 31))
    basis_record(contact=contact, basis="contract", by=recruiter)
    consent_withdraw(contact=contact, on=D(2026, 3, 1), method="email", by=recruiter)
    give(contact, recruiter, on=D(2026, 4, 1))
    give(contact, recruiter, on=D(2026, 3, 15))  # recorded last, though dated earlier
    for on in (D(2026, 2, 1), D(2026, 5, 1)):
        notice_deliver(
            contact=contact, notice=notice, delivered_on=on, method="email", by=recruiter
        )
    kept = _state(contact)
    assert kept == ("contract", D(2028, 3, 15), D(2026, 2, 1))

    _forget_state(contact)
    consent_state_rebuild(contact=Contact.objects.get(pk=contact.pk))
    assert _state(contact) == kept


def test_rebuilding_after_a_withdrawal_leaves_no_consent(recruiter, contact):
    give(contact, recruiter)
    consent_withdraw(contact=contact, on=D(2026, 6, 1), method="email", by=recruiter)
    Contact.objects.filter(pk=contact.pk).update(consent_expires_on=D(2030, 1, 1))
    consent_state_rebuild(contact=Contact.objects.get(pk=contact.pk))
    assert _state(contact) == ("consent", None, None)


def test_rebuilding_without_history_clears_the_state(recruiter, contact):
    Contact.objects.filter(pk=contact.pk).update(
        lawful_basis="contract", consent_expires_on=D(2030, 1, 1), notice_delivered_on=JAN_31
    )
    consent_state_rebuild(contact=Contact.objects.get(pk=contact.pk))
    assert _state(contact) == ("", None, None)

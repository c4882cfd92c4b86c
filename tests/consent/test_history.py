"""Consent, basis and privacy-notice history is append-only: never updated in place."""

import pytest

from consent.models import ConsentRecord, LawfulBasisRecord, PrivacyNotice
from consent.services import basis_record, consent_record
from netlog.history import HistoryIsAppendOnly
from tests.factories import ContactFactory


@pytest.fixture
def contact(recruiter):
    return ContactFactory(owner=recruiter)


def test_a_saved_consent_record_cannot_be_changed(recruiter, contact):
    notice = PrivacyNotice.objects.create(version=1, text="v1")
    record = consent_record(
        contact=contact,
        on=contact.created_at.date(),
        method="email",
        purposes=["roles"],
        notice=notice,
        by=recruiter,
    )
    record.method = "call"
    with pytest.raises(HistoryIsAppendOnly):
        record.save()
    with pytest.raises(HistoryIsAppendOnly):
        ConsentRecord.objects.filter(pk=record.pk).update(method="call")
    assert ConsentRecord.objects.get(pk=record.pk).method == "email"


def test_a_basis_record_cannot_be_changed(recruiter, contact):
    record = basis_record(contact=contact, basis="contract", by=recruiter)
    record.basis = "consent"
    with pytest.raises(HistoryIsAppendOnly):
        record.save()
    assert LawfulBasisRecord.objects.get(pk=record.pk).basis == "contract"


def test_a_published_privacy_notice_is_never_edited(db):
    notice = PrivacyNotice.objects.create(version=1, text="We hold your CV.")
    notice.text = "Something else"
    with pytest.raises(HistoryIsAppendOnly):
        notice.save()
    with pytest.raises(HistoryIsAppendOnly):
        PrivacyNotice.objects.update(text="Something else")
    assert PrivacyNotice.objects.get().text == "We hold your CV."

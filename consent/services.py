"""Recording lawful basis and consent: each call appends history and keeps the
contact's current state (Contact.lawful_basis, Contact.consent_expires_on) in step,
in one transaction."""

import datetime

from django.conf import settings
from django.db import transaction
from django.db.models import Min, Q
from django.utils import timezone

from accounts.models import User
from consent.deadlines import add_months
from consent.models import (
    Basis,
    ConsentEvent,
    ConsentRecord,
    Disclosure,
    LawfulBasisRecord,
    NoticeDelivery,
    PrivacyNotice,
)
from contacts.models import Contact


@transaction.atomic
def basis_record(
    *,
    contact: Contact,
    basis: str,
    by: User,
    li_purpose: str = "",
    li_necessity: str = "",
    li_balance: str = "",
) -> LawfulBasisRecord:
    record = LawfulBasisRecord.objects.create(
        contact=contact,
        basis=basis,
        li_purpose=li_purpose,
        li_necessity=li_necessity,
        li_balance=li_balance,
        recorded_by=by,
    )
    contact.lawful_basis = basis
    contact.save(update_fields=["lawful_basis", "updated_at"])
    return record


@transaction.atomic
def consent_record(
    *,
    contact: Contact,
    on: datetime.date,
    method: str,
    purposes: list[str],
    notice: PrivacyNotice | None,
    by: User,
) -> ConsentRecord:
    """Consent given. It lasts CONSENT_VALID_MONTHS; a contact with no basis yet takes
    consent as its basis."""
    expires_on = add_months(on, settings.CONSENT_VALID_MONTHS)
    record = ConsentRecord.objects.create(
        contact=contact,
        event=ConsentEvent.GIVEN,
        on=on,
        method=method,
        purposes=sorted(purposes),
        notice=notice,
        expires_on=expires_on,
        recorded_by=by,
    )
    if not contact.lawful_basis:
        basis_record(contact=contact, basis=Basis.CONSENT, by=by)
    contact.consent_expires_on = expires_on
    contact.save(update_fields=["consent_expires_on", "updated_at"])
    return record


@transaction.atomic
def consent_withdraw(
    *, contact: Contact, on: datetime.date, method: str, by: User
) -> ConsentRecord:
    """Withdrawal is a new record; the consent it ends stays in the history."""
    record = ConsentRecord.objects.create(
        contact=contact,
        event=ConsentEvent.WITHDRAWN,
        on=on,
        method=method,
        recorded_by=by,
    )
    contact.consent_expires_on = None
    contact.save(update_fields=["consent_expires_on", "updated_at"])
    return record


@transaction.atomic
def notice_deliver(
    *, contact: Contact, notice: PrivacyNotice, delivered_on: datetime.date, method: str, by: User
) -> NoticeDelivery:
    delivery = NoticeDelivery.objects.create(
        contact=contact, notice=notice, delivered_on=delivered_on, method=method, recorded_by=by
    )
    # Conditional update: keeps the earliest date even when two deliveries race.
    earlier = Q(notice_delivered_on__isnull=True) | Q(notice_delivered_on__gt=delivered_on)
    Contact.objects.filter(earlier, pk=contact.pk).update(
        notice_delivered_on=delivered_on, updated_at=timezone.now()
    )
    contact.refresh_from_db(fields=["notice_delivered_on", "updated_at"])
    return delivery


def consent_state_rebuild(*, contact: Contact) -> None:
    """Work the contact's current basis, consent and notice date out again from its
    whole history, the way the services above keep them one record at a time: the
    newest basis record, the newest consent record (its expiry if given, none if
    withdrawn) and the earliest notice delivery. For history that arrives all at once,
    as when two records of one person are merged (contacts.merge). Call it in the
    caller's transaction with the contact locked, so no record arrives in between."""
    basis = contact.basis_history.order_by("-recorded_at", "-id").first()
    consent = contact.consent_history.order_by("-recorded_at", "-id").first()
    given = consent is not None and consent.event == ConsentEvent.GIVEN
    contact.lawful_basis = basis.basis if basis else ""
    contact.consent_expires_on = consent.expires_on if given else None
    contact.notice_delivered_on = contact.notice_deliveries.aggregate(on=Min("delivered_on"))["on"]
    contact.save(
        update_fields=["lawful_basis", "consent_expires_on", "notice_delivered_on", "updated_at"]
    )


@transaction.atomic
def notice_publish(*, text: str) -> PrivacyNotice:
    """A new version; earlier versions stay exactly as they were shown."""
    latest = PrivacyNotice.objects.select_for_update().order_by("-version").first()
    return PrivacyNotice.objects.create(version=(latest.version + 1) if latest else 1, text=text)


def disclosure_record(
    *, contact: Contact, recipient: str, what: str, disclosed_on: datetime.date, by: User
) -> Disclosure:
    """Whoever received a person's data must be told if they later ask to be erased."""
    return Disclosure.objects.create(
        contact=contact, recipient=recipient, what=what, disclosed_on=disclosed_on, recorded_by=by
    )

"""The audit log (privacy.models.AuditEvent, written by privacy.services.audit_log) is
written where it is promised: reading a contact's page, every change to contacts,
activities and outcomes, consent records and privacy notices. It names the row and
what was done, never the contents, and it is append-only."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from consent.models import Basis, ConsentRecord, PrivacyNotice
from contacts.models import Activity, Contact, Outcome
from netlog.history import HistoryIsAppendOnly
from privacy.models import Action, AuditEvent
from privacy.services import audit_log
from tests.conftest import client_for
from tests.factories import ActivityFactory, ContactFactory, OutcomeFactory

DAY = datetime.timedelta(days=1)
NOTICE_TEXT = (
    "Netlog Recruitment Ltd holds your name, contact details and work history, which we "
    "found on LinkedIn, to put suitable roles to you. Write to dpo@example.com to object."
)


@pytest.fixture
def contact(recruiter):
    return ContactFactory(
        owner=recruiter,
        first_name="Marguerite",
        last_name="Thistlewood",
        email="m.thistlewood@example.org",
        phone="020 7946 0958",
        notes="Prefers calls after four",
    )


@pytest.fixture
def activity(recruiter, contact):
    return ActivityFactory(
        owner=recruiter,
        contacts=[contact],
        summary="Coffee with Marguerite about the platform role",
        follow_up_on=timezone.localdate() + 2 * DAY,
    )


@pytest.fixture
def outcome(recruiter, contact):
    return OutcomeFactory(owner=recruiter, contacts=[contact], notes="Placed Marguerite")


@pytest.fixture
def as_dpo(dpo):
    return client_for(dpo)


def today() -> str:
    return str(timezone.localdate())


def events() -> list[tuple]:
    return list(
        AuditEvent.objects.order_by("id").values_list("actor", "action", "object_type", "object_id")
    )


def assert_no_contents(*values: str) -> None:
    """No event's detail holds any of `values` (names, email, phone, notes)."""
    for detail in AuditEvent.objects.values_list("detail", flat=True):
        for value in values:
            assert value.lower() not in detail.lower(), detail


def contact_data(**overrides) -> dict:
    data = {
        "first_name": "Bartholomew",
        "last_name": "Quince",
        "kind": "candidate",
        "source_channel": "linkedin",
        "organisation": "Quince Analytics",
        "role": "Data engineer",
        "email": "bq@example.org",
        "phone": "",
        "profile_url": "",
        "tag_names": "",
        "notes": "Met at the London data meetup",
    }
    return {**data, **overrides}


def activity_data(contacts, **overrides) -> dict:
    data = {
        "date": today(),
        "contacts": [c.pk for c in contacts],
        "type": "call",
        "context": "",
        "summary": "Called Bartholomew Quince about a contract role",
        "outcome": "",
        "direction": "mutual",
        "follow_up_on": "",
    }
    return {**data, **overrides}


def outcome_data(contacts, **overrides) -> dict:
    data = {
        "kind": "placement",
        "date": today(),
        "value": "",
        "contacts": [c.pk for c in contacts],
        "activities": [],
        "notes": "Placed Marguerite Thistlewood",
    }
    return {**data, **overrides}


# Reading a contact's page


@pytest.mark.parametrize("who", ["recruiter", "manager", "dpo"])
def test_it_logs_who_viewed_a_contacts_page(request, contact, who):
    reader = request.getfixturevalue(who)

    response = client_for(reader).get(contact.get_absolute_url())

    assert response.status_code == 200
    assert events() == [(reader.pk, Action.VIEWED, "contacts.contact", contact.pk)]
    assert_no_contents(contact.first_name, contact.last_name, contact.email, contact.notes)


def test_it_logs_each_read(as_recruiter, contact):
    as_recruiter.get(contact.get_absolute_url())
    as_recruiter.get(contact.get_absolute_url())

    assert AuditEvent.objects.filter(action=Action.VIEWED, object_id=contact.pk).count() == 2


@pytest.mark.parametrize("who", ["teammate", "outsider", "assessor"])
def test_a_page_refused_logs_no_read(request, contact, who):
    response = client_for(request.getfixturevalue(who)).get(contact.get_absolute_url())

    assert response.status_code in (403, 404)
    assert events() == []


def test_a_managers_refused_read_of_a_personal_contact_logs_nothing(as_manager, recruiter):
    friend = ContactFactory(owner=recruiter, kind="personal")

    assert as_manager.get(friend.get_absolute_url()).status_code == 404
    assert events() == []


# Contacts


def test_creating_a_contact_logs_created(as_recruiter, recruiter):
    response = as_recruiter.post(reverse("contacts:contact_create"), contact_data())

    assert response.status_code == 302
    created = Contact.objects.get()
    assert events() == [(recruiter.pk, Action.CREATED, "contacts.contact", created.pk)]
    assert_no_contents("Bartholomew", "Quince", "bq@example.org", "data meetup")


def test_editing_a_contact_logs_changed(as_recruiter, recruiter, contact):
    data = contact_data(
        first_name="Marguerite", last_name="Thistlewood", email="mt@example.org", notes="Moved"
    )

    response = as_recruiter.post(reverse("contacts:contact_edit", args=[contact.pk]), data)

    assert response.status_code == 302
    assert events() == [(recruiter.pk, Action.CHANGED, "contacts.contact", contact.pk)]
    assert_no_contents("Marguerite", "Thistlewood", "mt@example.org", contact.email, "Moved")


def test_deleting_a_contact_logs_deleted_with_its_id(as_recruiter, recruiter, contact):
    pk = contact.pk

    response = as_recruiter.post(reverse("contacts:contact_delete", args=[pk]))

    assert response.status_code == 302
    assert not Contact.objects.filter(pk=pk).exists()
    assert events() == [(recruiter.pk, Action.DELETED, "contacts.contact", pk)]
    assert_no_contents(contact.first_name, contact.last_name, contact.email, contact.notes)


def test_the_delete_confirmation_page_logs_nothing(as_recruiter, contact):
    as_recruiter.get(reverse("contacts:contact_delete", args=[contact.pk]))

    assert events() == []


# Activities


def test_creating_an_activity_logs_created(as_recruiter, recruiter, contact):
    response = as_recruiter.post(reverse("contacts:activity_create"), activity_data([contact]))

    assert response.status_code == 302
    created = Activity.objects.get()
    assert events() == [(recruiter.pk, Action.CREATED, "contacts.activity", created.pk)]
    assert_no_contents("Bartholomew", "Quince", contact.first_name, contact.email)


def test_editing_an_activity_logs_changed(as_recruiter, recruiter, contact, activity):
    data = activity_data([contact], summary="Lunch with Marguerite Thistlewood")

    response = as_recruiter.post(reverse("contacts:activity_edit", args=[activity.pk]), data)

    assert response.status_code == 302
    assert events() == [(recruiter.pk, Action.CHANGED, "contacts.activity", activity.pk)]
    assert_no_contents("Marguerite", "Thistlewood", "Lunch")


def test_deleting_an_activity_logs_deleted_with_its_id(as_recruiter, recruiter, activity):
    pk = activity.pk

    response = as_recruiter.post(reverse("contacts:activity_delete", args=[pk]))

    assert response.status_code == 302
    assert events() == [(recruiter.pk, Action.DELETED, "contacts.activity", pk)]
    assert_no_contents("Marguerite", "Coffee")


def test_logging_an_activity_from_the_contact_page_logs_created(as_recruiter, recruiter, contact):
    data = {
        "type": "call",
        "date": today(),
        "summary": "Called Marguerite Thistlewood back",
        "outcome": "",
        "context": "",
        "direction": "given",
        "follow_up_on": "",
    }

    response = as_recruiter.post(reverse("contacts:contact_log_activity", args=[contact.pk]), data)

    assert response.status_code == 302
    logged = Activity.objects.get()
    assert events() == [(recruiter.pk, Action.CREATED, "contacts.activity", logged.pk)]
    assert_no_contents("Marguerite", "Thistlewood", "Called")


def test_marking_a_follow_up_done_logs_changed(as_recruiter, recruiter, activity):
    url = reverse("contacts:activity_follow_up_done", args=[activity.pk])

    response = as_recruiter.post(url)

    assert response.status_code == 302
    assert events() == [(recruiter.pk, Action.CHANGED, "contacts.activity", activity.pk)]
    assert AuditEvent.objects.get().detail == "follow-up done"


# Outcomes


def test_creating_an_outcome_logs_created(as_recruiter, recruiter, contact):
    response = as_recruiter.post(reverse("contacts:outcome_create"), outcome_data([contact]))

    assert response.status_code == 302
    created = Outcome.objects.get()
    assert events() == [(recruiter.pk, Action.CREATED, "contacts.outcome", created.pk)]
    assert_no_contents("Marguerite", "Thistlewood", "Placed")


def test_editing_an_outcome_logs_changed(as_recruiter, recruiter, contact, outcome):
    data = outcome_data([contact], value="9000.00")

    response = as_recruiter.post(reverse("contacts:outcome_edit", args=[outcome.pk]), data)

    assert response.status_code == 302
    assert events() == [(recruiter.pk, Action.CHANGED, "contacts.outcome", outcome.pk)]
    assert_no_contents("Marguerite", "Thistlewood", "9000")


def test_deleting_an_outcome_logs_deleted_with_its_id(as_recruiter, recruiter, outcome):
    pk = outcome.pk

    response = as_recruiter.post(reverse("contacts:outcome_delete", args=[pk]))

    assert response.status_code == 302
    assert events() == [(recruiter.pk, Action.DELETED, "contacts.outcome", pk)]


# Consent, basis, notices, disclosures


@pytest.fixture
def notice(db):
    return PrivacyNotice.objects.create(version=1, text=NOTICE_TEXT)


def _consent(contact, recruiter) -> None:
    contact.lawful_basis = Basis.CONSENT
    contact.consent_expires_on = timezone.localdate() + 300 * DAY
    contact.save()
    ConsentRecord.objects.create(
        contact=contact,
        event="given",
        on=timezone.localdate() - 60 * DAY,
        method="email",
        purposes=["roles"],
        expires_on=contact.consent_expires_on,
        recorded_by=recruiter,
    )


@pytest.mark.parametrize(
    "name, data",
    [
        ("consent:consent_add", {"method": "email", "purposes": ["roles"], "notice": ""}),
        ("consent:basis_edit", {"basis": "contract"}),
        ("consent:disclosure_add", {"recipient": "Acme Ltd, finance hiring", "what": "cv"}),
    ],
)
def test_recording_consent_or_basis_or_a_disclosure_logs_changed_on_the_contact(
    as_recruiter, recruiter, contact, name, data
):
    dated = {"on": today(), "disclosed_on": today(), **data}

    response = as_recruiter.post(reverse(name, args=[contact.pk]), dated)

    assert response.status_code == 302
    assert events() == [(recruiter.pk, Action.CHANGED, "contacts.contact", contact.pk)]
    assert_no_contents(contact.first_name, contact.last_name, contact.email, contact.notes)


def test_recording_a_notice_sent_logs_changed_on_the_contact(
    as_recruiter, recruiter, contact, notice
):
    data = {"notice": notice.pk, "delivered_on": today(), "method": "email"}

    response = as_recruiter.post(reverse("consent:notice_deliver", args=[contact.pk]), data)

    assert response.status_code == 302
    assert events() == [(recruiter.pk, Action.CHANGED, "contacts.contact", contact.pk)]
    assert AuditEvent.objects.get().detail == "Privacy notice delivery recorded."


def test_recording_a_withdrawal_logs_changed_on_the_contact(as_recruiter, recruiter, contact):
    _consent(contact, recruiter)
    data = {"on": today(), "method": "email"}

    response = as_recruiter.post(reverse("consent:consent_withdraw", args=[contact.pk]), data)

    assert response.status_code == 302
    assert events() == [(recruiter.pk, Action.CHANGED, "contacts.contact", contact.pk)]


def test_publishing_a_privacy_notice_logs_created(as_dpo, dpo):
    response = as_dpo.post(reverse("consent:notice_publish"), {"text": NOTICE_TEXT})

    assert response.status_code == 302
    notice = PrivacyNotice.objects.get()
    assert events() == [(dpo.pk, Action.CREATED, "consent.privacynotice", notice.pk)]


# A failed form writes nothing


@pytest.fixture
def invalid_posts(contact, activity, outcome) -> dict[str, tuple[str, dict]]:
    return {
        "contact create": (reverse("contacts:contact_create"), contact_data(first_name="")),
        "contact edit": (
            reverse("contacts:contact_edit", args=[contact.pk]),
            contact_data(kind="astronaut"),
        ),
        "activity create": (
            reverse("contacts:activity_create"),
            activity_data([contact], date=str(timezone.localdate() + DAY)),
        ),
        "activity edit": (
            reverse("contacts:activity_edit", args=[activity.pk]),
            activity_data([contact], summary=""),
        ),
        "quick log": (
            reverse("contacts:contact_log_activity", args=[contact.pk]),
            {"type": "call", "date": today(), "summary": "", "direction": "given"},
        ),
        "outcome create": (reverse("contacts:outcome_create"), outcome_data([])),
        "outcome edit": (
            reverse("contacts:outcome_edit", args=[outcome.pk]),
            outcome_data([contact], value="-5"),
        ),
        "consent": (
            reverse("consent:consent_add", args=[contact.pk]),
            {"on": today(), "method": "", "purposes": ["roles"]},
        ),
        "basis": (
            reverse("consent:basis_edit", args=[contact.pk]),
            {"basis": "legitimate_interests"},
        ),
        "withdrawal": (
            reverse("consent:consent_withdraw", args=[contact.pk]),
            {"on": today(), "method": "email"},
        ),
        "disclosure": (
            reverse("consent:disclosure_add", args=[contact.pk]),
            {"recipient": "", "what": "cv", "disclosed_on": today()},
        ),
    }


@pytest.mark.parametrize(
    "form",
    [
        "contact create",
        "contact edit",
        "activity create",
        "activity edit",
        "quick log",
        "outcome create",
        "outcome edit",
        "consent",
        "basis",
        "withdrawal",
        "disclosure",
    ],
)
def test_a_refused_form_writes_no_event(as_recruiter, invalid_posts, form):
    url, data = invalid_posts[form]

    response = as_recruiter.post(url, data)

    assert response.status_code == 200
    assert response.context["form"].errors
    assert events() == []


def test_a_refused_notice_writes_no_event(as_dpo):
    response = as_dpo.post(reverse("consent:notice_publish"), {"text": "Too short."})

    assert response.status_code == 200
    assert events() == []


# Append-only


def test_an_event_cannot_be_saved_again(recruiter, contact):
    event = audit_log(actor=recruiter, action=Action.VIEWED, obj=contact)
    event.detail = "edited"

    with pytest.raises(HistoryIsAppendOnly):
        event.save()

    assert AuditEvent.objects.get().detail == ""


def test_events_cannot_be_updated_in_bulk(recruiter, contact):
    audit_log(actor=recruiter, action=Action.VIEWED, obj=contact)

    with pytest.raises(HistoryIsAppendOnly):
        AuditEvent.objects.update(action=Action.CHANGED)
    with pytest.raises(HistoryIsAppendOnly):
        AuditEvent.objects.filter(object_id=contact.pk).update(actor=None)

    assert events() == [(recruiter.pk, Action.VIEWED, "contacts.contact", contact.pk)]


def test_the_detail_is_cut_to_200_characters(recruiter, contact):
    event = audit_log(actor=recruiter, action=Action.CHANGED, obj=contact, detail="x" * 500)

    assert len(event.detail) == 200

"""Erasure at a person's request (UK GDPR Art. 17): privacy.services.person_erase and
erasure_carry_out, the job that runs them (privacy.tasks.erase) and the queue that
starts the job (privacy.services.erasure_queue).

The person's data goes from every table; activities and outcomes they took part in
stay as evidence without them; a minimised record stays only under reg. 29; the
erasure record lists who was given the data; the whole thing is one transaction."""

import datetime
from dataclasses import dataclass

import pytest
from django.contrib.admin.models import LogEntry
from django.contrib.sessions.models import Session
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from consent import services as consent_services
from consent.models import (
    Basis,
    DeliveryMethod,
    Disclosed,
    Disclosure,
    Method,
    Purpose,
)
from contacts.models import Activity, ActivityType, Contact, Kind, Outcome, OutcomeKind
from privacy import services, tasks
from privacy.models import (
    Action,
    AuditEvent,
    DataRequest,
    ErasureRecord,
    RequestKind,
    RetainedRecord,
    RetentionWarning,
    SensitiveConfirmation,
    Status,
    Suppression,
)
from tests.conftest import client_for
from tests.factories import (
    ActivityFactory,
    ContactFactory,
    DataRequestFactory,
    DisclosureFactory,
    OutcomeFactory,
    UserFactory,
    approved,
)

DAY = datetime.timedelta(days=1)

# The person. Every value is unique to these tests, so finding one anywhere in the
# database after the erasure means some of their data survived.
FIRST, LAST = "Zephyrine", "Quillby"
FULL_NAME = f"{FIRST} {LAST}"
EMAIL = "zephyrine.quillby@mailmark.test"
PHONE = "+44 7700 900 123"
MARKERS = [
    FIRST,
    LAST,
    EMAIL,
    "mailmark",
    PHONE,
    "Orgmark",  # organisation
    "Rolemark",  # job title
    "urlmark",  # profile URL
    "Notesmark",  # the contact's notes
    "Purposemark",  # legitimate interests assessment
    "Necessitymark",
    "Balancemark",
    "Justifymark",  # the sensitive-text guard's justification
    "Summarymark",  # the activity with them alone
    "Contextmark",
    "Resultmark",
    "Outcomenotesmark",  # the outcome with them alone
]
# Forms their details could take in storage without having been typed: the phone's
# digits run together (the suppression list must hold a keyed hash, not these).
DERIVED = ["7700900123", "447700900123"]
# A third party that received their CV: it stays on the erasure record, so they can be
# told; chosen to contain none of the markers.
RECIPIENT = "Northwind Clients plc"
OTHER_NAME = "Bartholomew Otterley"


@dataclass
class Person:
    contact: Contact
    other: Contact
    alone: Activity
    shared: Activity
    outcome: Outcome
    request: DataRequest
    history: list  # rows that hang off the contact and go with it


def person(owner, **request_fields) -> Person:
    """One person with a marker in every field of every model that can hold their data,
    and a received erasure request from them."""
    today = timezone.localdate()
    contact = ContactFactory(
        owner=owner,
        first_name=FIRST,
        last_name=LAST,
        organisation="Orgmark Analytics",
        role="Head of Rolemark",
        email=EMAIL,
        phone=PHONE,
        profile_url="https://www.linkedin.com/in/urlmark-zq",
        notes="Notesmark: prefers calls after six.",
        created_at=timezone.now() - 400 * DAY,
    )
    other = ContactFactory(
        owner=owner,
        first_name="Bartholomew",
        last_name="Otterley",
        notes=f"Referred by {FULL_NAME} ({EMAIL}) last spring.",
    )
    notice = consent_services.notice_publish(text="How we use your details.")
    history = [
        consent_services.basis_record(
            contact=contact,
            basis=Basis.LEGITIMATE_INTERESTS,
            by=owner,
            li_purpose="Purposemark: placing her in data roles.",
            li_necessity="Necessitymark: no other way to reach her.",
            li_balance="Balancemark: she applied to us.",
        ),
        consent_services.consent_record(
            contact=contact,
            on=today - 90 * DAY,
            method=Method.EMAIL,
            purposes=[Purpose.ROLES],
            notice=notice,
            by=owner,
        ),
        consent_services.notice_deliver(
            contact=contact,
            notice=notice,
            delivered_on=today - 90 * DAY,
            method=DeliveryMethod.EMAIL,
            by=owner,
        ),
        consent_services.disclosure_record(
            contact=contact,
            recipient=RECIPIENT,
            what=Disclosed.CV,
            disclosed_on=today - 45 * DAY,
            by=owner,
        ),
        SensitiveConfirmation.objects.create(
            object_type="contacts.contact",
            object_id=contact.pk,
            categories=["health"],
            justification="Justifymark: she asked for interview adjustments.",
            recorded_by=owner,
        ),
        RetentionWarning.objects.create(
            contact=contact, warned_on=today, erase_on=today + 30 * DAY
        ),
    ]
    alone = ActivityFactory(
        owner=owner,
        contacts=[contact],
        type=ActivityType.MEETING,
        date=today - 100 * DAY,
        summary="Summarymark: talked through a move to fintech.",
        context="Contextmark cafe",
        outcome="Resultmark: sending her two roles.",
    )
    shared = ActivityFactory(
        owner=owner,
        contacts=[contact, other],
        type=ActivityType.EVENT,
        date=today - 60 * DAY,
        summary=f"Met {FULL_NAME} and {OTHER_NAME} at the meetup; {FIRST} will introduce us.",
    )
    outcome = OutcomeFactory(
        owner=owner,
        contacts=[contact],
        kind=OutcomeKind.PLACEMENT,
        date=today - 20 * DAY,
        notes="Outcomenotesmark: placed as lead engineer.",
    )
    fields = {"requester_name": FULL_NAME, "requester_email": EMAIL, "requester_phone": PHONE}
    request = DataRequestFactory(contacts=[contact], **{**fields, **request_fields})
    return Person(contact, other, alone, shared, outcome, request, history)


def traces(markers: list[str]) -> set[tuple[str, str]]:
    """(table, column) of every column, in every table, holding any of `markers`."""
    quote = connection.ops.quote_name
    found = set()
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            for column in connection.introspection.get_table_description(cursor, table):
                value = f"LOWER(CAST({quote(column.name)} AS TEXT))"
                where = " OR ".join([f"{value} LIKE %s"] * len(markers))
                cursor.execute(
                    f"SELECT 1 FROM {quote(table)} WHERE {where}",
                    [f"%{m.lower()}%" for m in markers],
                )
                if cursor.fetchone():
                    found.add((table, column.name))
    return found


def markers_found() -> set[str]:
    return {m for m in MARKERS + DERIVED if traces([m])}


def exists(row) -> bool:
    return type(row).objects.filter(pk=row.pk).exists()


def erase(p: Person, **approval) -> ErasureRecord:
    approved(p.request, **approval)
    return services.erasure_carry_out(request_id=p.request.pk)


# Erasure leaves no trace


def test_it_leaves_no_trace_of_the_person_anywhere_in_the_database(recruiter):
    p = person(recruiter)
    assert markers_found() == set(MARKERS)  # the scan sees every marker before

    record = erase(p)

    assert traces(MARKERS + DERIVED) == set()
    assert [d["recipient"] for d in record.disclosures] == [RECIPIENT]  # to be told
    assert not exists(p.contact)
    assert [row for row in p.history if exists(row)] == []


def test_it_keeps_the_activities_and_outcomes_as_evidence_without_the_person(recruiter):
    p = person(recruiter)
    record = erase(p)

    alone, shared, outcome = (
        Activity.objects.get(pk=p.alone.pk),
        Activity.objects.get(pk=p.shared.pk),
        Outcome.objects.get(pk=p.outcome.pk),
    )
    assert (alone.date, alone.type) == (p.alone.date, ActivityType.MEETING)
    assert (alone.summary, alone.context, alone.outcome) == (services.REMOVED, "", "")
    assert (shared.date, shared.type) == (p.shared.date, ActivityType.EVENT)
    assert services.ERASED in shared.summary
    assert OTHER_NAME in shared.summary
    assert list(shared.contacts.all()) == [p.other]
    assert (outcome.date, outcome.kind) == (p.outcome.date, OutcomeKind.PLACEMENT)
    assert outcome.notes == services.REMOVED
    assert [alone.erased_people, shared.erased_people, outcome.erased_people] == [1, 1, 1]
    assert (record.contacts_erased, record.activities_kept, record.outcomes_kept) == (1, 2, 1)


def test_it_takes_the_person_out_of_another_contacts_notes_and_keeps_the_rest(recruiter):
    p = person(recruiter)
    erase(p)
    p.other.refresh_from_db()
    assert p.other.notes == f"Referred by {services.ERASED} ({services.ERASED}) last spring."
    assert p.other.name == OTHER_NAME


def test_it_forgets_who_asked_on_the_request(recruiter):
    p = person(recruiter)
    erase(p)
    p.request.refresh_from_db()
    assert (p.request.requester_name, p.request.requester_email, p.request.requester_phone) == (
        "",
        "",
        "",
    )


@pytest.mark.filterwarnings("ignore:The default scheme will be changed")
def test_it_leaves_no_trace_in_the_admins_change_log(recruiter):
    p = person(recruiter)
    admin = UserFactory(username="admin", is_staff=True, is_superuser=True)
    c = p.contact
    fields = ["first_name", "last_name", "kind", "source_channel", "organisation", "role"]
    data = {name: getattr(c, name) for name in fields}
    data |= {"email": c.email, "phone": c.phone, "profile_url": c.profile_url, "notes": "x"}
    data |= {"owner": c.owner_id, "tags": "", "_save": "Save"}
    response = client_for(admin).post(f"/admin/contacts/contact/{c.pk}/change/", data)
    assert response.status_code == 302
    assert LogEntry.objects.filter(object_id=str(c.pk)).exists()

    erase(p)

    assert traces([FIRST, LAST]) == set()


def test_it_takes_the_persons_email_out_of_another_recruiters_notes(recruiter, teammate):
    p = person(recruiter)
    theirs = ContactFactory(owner=teammate, notes=f"Knows {EMAIL} from a previous team.")
    erase(p)
    theirs.refresh_from_db()
    assert EMAIL not in theirs.notes


def test_it_takes_the_person_out_of_the_requests_own_notes(recruiter):
    today = timezone.localdate()
    p = person(recruiter, extended_on=today, extension_reason=f"{FULL_NAME} has 3 records.")
    erase(p)
    assert traces([FIRST, LAST]) == set()


# Legal obligation (reg. 29)


def test_under_a_legal_obligation_only_a_minimised_record_keeps_name_and_email(recruiter):
    p = person(recruiter)
    keep_until = timezone.localdate() + 365 * DAY
    record = erase(p, keep_until=keep_until)

    assert traces(MARKERS + DERIVED) == {
        ("privacy_retainedrecord", "name"),
        ("privacy_retainedrecord", "email"),
    }
    retained = RetainedRecord.objects.get()
    assert retained.erasure == record
    assert (retained.name, retained.email, retained.kind) == (FULL_NAME, EMAIL, Kind.CANDIDATE)
    assert retained.last_service_on == p.outcome.date  # later than either activity
    assert retained.keep_until == keep_until
    assert (record.records_retained, record.kept_until) == (1, keep_until)
    assert "reg. 29" in record.summary()
    assert f"{keep_until:%d/%m/%Y}" in record.summary()


def test_its_minimised_record_counts_the_last_activity_when_it_is_the_latest(recruiter):
    p = person(recruiter)
    Outcome.objects.filter(pk=p.outcome.pk).update(date=p.alone.date - DAY)
    erase(p, keep_until=timezone.localdate() + 365 * DAY)
    assert RetainedRecord.objects.get().last_service_on == p.shared.date


def test_without_a_legal_obligation_it_keeps_no_minimised_record(recruiter):
    p = person(recruiter)
    record = erase(p)
    assert RetainedRecord.objects.count() == 0
    assert (record.records_retained, record.kept_until) == (0, None)
    assert "reg. 29" not in record.summary()


# Idempotency, and requests that must not erase


def test_running_it_twice_erases_once_and_returns_the_same_record(recruiter):
    p = person(recruiter)
    first = erase(p)
    counts = [a.erased_people for a in Activity.objects.order_by("pk")]
    suppressed = Suppression.objects.count()

    again = services.erasure_carry_out(request_id=p.request.pk)

    assert again == first
    assert ErasureRecord.objects.count() == 1
    assert [a.erased_people for a in Activity.objects.order_by("pk")] == counts
    assert Outcome.objects.get(pk=p.outcome.pk).erased_people == 1
    assert Suppression.objects.count() == suppressed
    assert AuditEvent.objects.filter(action=Action.ERASED).count() == 1


def test_it_completes_the_request_with_an_outcome_that_names_no_one(recruiter):
    p = person(recruiter)
    record = erase(p)
    p.request.refresh_from_db()
    assert p.request.status == Status.COMPLETED
    assert p.request.completed_at == record.completed_at
    assert p.request.outcome == record.summary()
    assert "Erased 1 contact record(s)." in p.request.outcome
    assert not any(m.lower() in p.request.outcome.lower() for m in MARKERS)
    assert record.request == p.request
    assert not record.by_retention


def received(request: DataRequest) -> None:
    """As the factory leaves it: waiting for a decision."""


def refused(request: DataRequest) -> None:
    request.status, request.refusal_reason = Status.REFUSED, "Identity not confirmed."
    request.save()


def access(request: DataRequest) -> None:
    request.kind = RequestKind.ACCESS
    approved(request)


@pytest.mark.parametrize("state", [received, refused, access])
def test_it_does_not_erase_for_a_request_that_is_not_an_approved_erasure(recruiter, state):
    p = person(recruiter)
    state(p.request)

    assert services.erasure_carry_out(request_id=p.request.pk) is None

    assert exists(p.contact)
    assert ErasureRecord.objects.count() == 0
    assert Suppression.objects.count() == 0
    assert DataRequest.objects.get(pk=p.request.pk).requester_email == EMAIL


def test_it_does_nothing_for_a_request_that_does_not_exist(db):
    assert services.erasure_carry_out(request_id=999_999) is None


# A failure in the middle


def snapshot(p: Person) -> dict:
    """Everything the erasure would change, as stored."""
    ids = [p.alone.pk, p.shared.pk]
    return {
        "contacts": list(Contact.objects.order_by("pk").values()),
        "activities": list(Activity.objects.filter(pk__in=ids).order_by("pk").values()),
        "links": sorted(Activity.contacts.through.objects.values_list("activity", "contact")),
        "outcome": Outcome.objects.filter(pk=p.outcome.pk).values().get(),
        "history": [exists(row) for row in p.history],
        "request": DataRequest.objects.filter(pk=p.request.pk).values().get(),
        "suppressed": Suppression.objects.count(),
        "erasures": ErasureRecord.objects.count(),
        "retained": RetainedRecord.objects.count(),
        "sessions": Session.objects.count(),
    }


def broken(*args, **kwargs):
    raise RuntimeError("the database went away")


@pytest.mark.parametrize(
    "step",
    [
        "_end_sessions",  # after the evidence, notes and request are rewritten
        "audit_log",  # the last step: after the erasure and retained records are written
    ],
)
def test_a_failure_in_the_middle_leaves_the_person_whole(recruiter, monkeypatch, step):
    """The savepoint of erasure_carry_out's transaction is rolled back for real inside
    the test's transaction, which is what the worker's transaction does in production."""
    p = person(recruiter)
    approved(p.request, keep_until=timezone.localdate() + 365 * DAY)
    client_for(UserFactory(email=EMAIL))
    before = snapshot(p)
    assert before["request"]["status"] == Status.APPROVED
    monkeypatch.setattr(services, step, broken)

    with pytest.raises(RuntimeError):
        services.erasure_carry_out(request_id=p.request.pk)

    assert snapshot(p) == before
    monkeypatch.undo()
    record = services.erasure_carry_out(request_id=p.request.pk)
    assert record.contacts_erased == 1
    assert not exists(p.contact)
    assert DataRequest.objects.get(pk=p.request.pk).status == Status.COMPLETED


# Sessions


def test_it_signs_out_the_persons_own_account_and_no_one_elses(recruiter, teammate):
    p = person(recruiter)
    theirs = UserFactory(username="zq", email=EMAIL.upper())
    their_browsers = [client_for(theirs), client_for(theirs)]
    as_teammate = client_for(teammate)
    assert [c.get("/").status_code for c in their_browsers] == [200, 200]

    record = erase(p)

    assert record.sessions_ended == 2
    for client in their_browsers:
        response = client.get("/")
        assert response.status_code == 302
        assert response.url.startswith(reverse("login"))
    assert as_teammate.get("/").status_code == 200
    assert "Ended 2 signed-in session(s)" in record.summary()


def test_it_signs_out_the_account_of_the_email_the_request_came_from(recruiter):
    p = person(recruiter, requester_email="zq.personal@example.org")
    browser = client_for(UserFactory(username="zq", email="zq.personal@example.org"))
    record = erase(p)
    assert record.sessions_ended == 1
    assert browser.get("/").status_code == 302


def test_a_retention_erasure_signs_no_one_out(recruiter):
    """Retention is the agency tidying up, and a contact's address may be a colleague's."""
    p = person(recruiter)
    browser = client_for(UserFactory(username="zq", email=EMAIL))
    record = services.person_erase(contacts=[p.contact])
    assert (record.sessions_ended, record.by_retention) == (0, True)
    assert browser.get("/").status_code == 200


def test_it_ends_no_sessions_when_the_person_has_no_account(recruiter, teammate):
    p = person(recruiter)
    as_teammate = client_for(teammate)
    record = erase(p)
    assert record.sessions_ended == 0
    assert as_teammate.get("/").status_code == 200


# Disclosures


def test_it_lists_every_disclosure_oldest_first_so_the_recipients_can_be_told(recruiter):
    p = person(recruiter)
    today = timezone.localdate()
    for recipient, what, days_ago in [
        ("Contoso Hiring", Disclosed.REFERENCE, 5),
        ("Fabrikam Talent", Disclosed.CONTACT_DETAILS, 300),
    ]:
        DisclosureFactory(
            contact=p.contact, recipient=recipient, what=what, disclosed_on=today - days_ago * DAY
        )

    record = erase(p)

    assert record.disclosures == [
        {"recipient": "Fabrikam Talent", "what": "Contact details", "on": str(today - 300 * DAY)},
        {"recipient": RECIPIENT, "what": "CV", "on": str(today - 45 * DAY)},
        {"recipient": "Contoso Hiring", "what": "Reference", "on": str(today - 5 * DAY)},
    ]
    assert Disclosure.objects.filter(contact_id=p.contact.pk).count() == 0
    assert "Tell 3 recipient(s)" in ErasureRecord.objects.get().summary()


def test_it_lists_no_disclosures_when_there_were_none(recruiter):
    p = person(recruiter)
    Disclosure.objects.filter(contact=p.contact).delete()
    record = erase(p)
    assert record.disclosures == []
    assert "recipient" not in record.summary()


# The job and the queue


def test_the_job_erases_and_returns_the_record_id(recruiter):
    p = person(recruiter)
    approved(p.request)

    record_id = tasks.erase.apply(args=[p.request.pk]).get()

    assert record_id == ErasureRecord.objects.get().pk
    assert not exists(p.contact)
    assert tasks.erase(p.request.pk) == record_id  # a redelivered message is harmless


def test_the_job_returns_none_for_a_request_it_must_not_carry_out(recruiter):
    p = person(recruiter)
    assert tasks.erase(p.request.pk) is None
    assert exists(p.contact)


def test_the_job_survives_a_lost_worker_and_retries_a_failure():
    assert tasks.erase.acks_late is True
    assert issubclass(RuntimeError, tasks.erase.autoretry_for)
    assert tasks.erase.max_retries >= 3


def test_queueing_it_starts_the_job_once_the_approval_is_committed(
    recruiter, dpo, monkeypatch, django_capture_on_commit_callbacks
):
    p = person(recruiter)
    approved(p.request)
    sent = []
    monkeypatch.setattr(tasks.erase, "delay", lambda *args: sent.append(args))

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        services.erasure_queue(request=p.request, by=dpo)
        assert sent == []  # not before the commit

    assert len(callbacks) == 1
    assert sent == [(p.request.pk,)]  # an id, never personal data
    event = AuditEvent.objects.get(detail="erasure queued")
    assert (event.actor, event.object_id) == (dpo, p.request.pk)


@pytest.mark.parametrize("state", [received, refused, access])
def test_queueing_refuses_a_request_that_is_not_an_approved_erasure(
    recruiter, dpo, django_capture_on_commit_callbacks, state
):
    p = person(recruiter)
    state(p.request)

    refusal = pytest.raises(services.RequestError, match="Only an approved erasure")
    with django_capture_on_commit_callbacks() as callbacks, refusal:
        services.erasure_queue(request=p.request, by=dpo)

    assert callbacks == []
    assert exists(p.contact)


def test_a_justification_on_a_shared_activity_stays_without_the_persons_name(recruiter):
    """The other person's flagged text is still there, so the reason for keeping it
    must stay too; only the erased person's name leaves it."""
    other = ContactFactory(owner=recruiter, first_name="Bo", last_name="Stays")
    p = person(recruiter)
    shared = ActivityFactory(owner=recruiter, contacts=[p.contact, other], summary="Both met.")
    alone = ActivityFactory(owner=recruiter, contacts=[p.contact], summary="Alone.")
    kept = SensitiveConfirmation.objects.create(
        object_type="contacts.activity",
        object_id=shared.pk,
        categories=["health"],
        justification=f"Bo asked for adjustments; {FULL_NAME} was there.",
        recorded_by=recruiter,
    )
    SensitiveConfirmation.objects.create(
        object_type="contacts.activity",
        object_id=alone.pk,
        categories=["health"],
        justification="Asked for adjustments.",
        recorded_by=recruiter,
    )

    erase(p)

    assert list(SensitiveConfirmation.objects.values_list("pk", "justification")) == [
        (kept.pk, f"Bo asked for adjustments; {services.ERASED} was there.")
    ]

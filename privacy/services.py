"""Workflows over several models: the audit log, the suppression list, the lifecycle of
erasure and access requests, erasure itself, and retention. Each one is a transaction."""

import datetime
import hashlib
import hmac
import logging
import re
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.contrib.sessions.models import Session
from django.db import transaction
from django.db.models import Max, Model, Q, QuerySet, Value
from django.db.models.functions import Concat
from django.utils import timezone

from accounts.models import User
from consent.deadlines import add_months, extended_due, may_extend, response_due
from consent.models import BankHoliday, Disclosure
from contacts.models import Activity, Contact, Outcome, live_consent
from privacy.models import (
    Action,
    AuditEvent,
    DataRequest,
    ErasureRecord,
    RequestKind,
    RetainedRecord,
    RetentionPolicy,
    RetentionWarning,
    SensitiveConfirmation,
    Status,
    Suppression,
)
from privacy.notify import retention_warn_owners

logger = logging.getLogger(__name__)

# Audit log


def audit_log(
    *,
    actor: User | None,
    action: str,
    obj: Model | None = None,
    object_id: int | None = None,
    detail: str = "",
) -> AuditEvent:
    """Record that `actor` did `action` to `obj`. `detail` must never hold the data
    itself: say "status: approved", not a name."""
    return AuditEvent.objects.create(
        actor=actor if actor is not None and actor.is_authenticated else None,
        action=action,
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=object_id if object_id is not None else getattr(obj, "pk", None),
        detail=detail[:200],
    )


# Suppression list


def _normal_phone(phone: str) -> str:
    """The same number however it was written: '+44 20 7946 0958' and '020 7946 0958'
    both give '2079460958'."""
    digits = re.sub(r"\D", "", phone)
    if digits.startswith("00"):
        digits = digits[2:]
    if digits.startswith("44"):
        digits = digits[2:]
    return digits.lstrip("0")


def _digests(*, emails: list[str] = (), phones: list[str] = ()) -> set[str]:
    values = {f"email:{e.strip().lower()}" for e in emails if e and e.strip()}
    values |= {f"phone:{p}" for p in map(_normal_phone, phones) if len(p) >= 6}
    key = settings.SUPPRESSION_KEY.encode()
    return {hmac.new(key, v.encode(), hashlib.sha256).hexdigest() for v in values}


def suppression_add(*, emails: list[str] = (), phones: list[str] = ()) -> None:
    digests = _digests(emails=emails, phones=phones)
    Suppression.objects.bulk_create(
        [Suppression(digest=d) for d in sorted(digests)], ignore_conflicts=True
    )


def is_suppressed(*, email: str = "", phone: str = "") -> bool:
    """Whether these details belong to someone erased at their request. Creating and
    importing contacts both ask this before saving."""
    digests = _digests(emails=[email], phones=[phone])
    return bool(digests) and Suppression.objects.filter(digest__in=digests).exists()


SUPPRESSED_MESSAGE = (
    "These details belong to someone who asked us to erase their data, so they cannot be "
    "added again. If they have since asked to be back in touch, speak to your data "
    "protection officer."
)


# Requests


class RequestError(Exception):
    """A step the request's state does not allow; the message is for the user."""


def _holidays() -> set[datetime.date]:
    return BankHoliday.objects.dates()


def _lock(request: DataRequest) -> DataRequest:
    return DataRequest.objects.select_for_update().get(pk=request.pk)


def _open(request: DataRequest) -> DataRequest:
    request = _lock(request)
    if not request.is_open:
        raise RequestError("This request is closed.")
    return request


@transaction.atomic
def request_receive(
    *,
    by: User,
    kind: str,
    received_on: datetime.date,
    received_how: str,
    requester_name: str,
    requester_email: str = "",
    requester_phone: str = "",
) -> DataRequest:
    request = DataRequest.objects.create(
        kind=kind,
        received_on=received_on,
        received_how=received_how,
        received_by=by,
        requester_name=requester_name,
        requester_email=requester_email,
        requester_phone=requester_phone,
        due_on=response_due(received_on, _holidays()),
    )
    audit_log(actor=by, action=Action.REQUEST, obj=request, detail=f"{kind} received")
    return request


def request_matches(request: DataRequest) -> list[Contact]:
    """Contacts anywhere in the organisation that may be the requester and are not yet
    linked: the same email, the same phone number, or the same full name."""
    email = request.requester_email.lower()
    name = " ".join(request.requester_name.split()).lower()
    phone = _normal_phone(request.requester_phone)
    match = Q(pk__in=[])
    if email:
        match |= Q(email__iexact=email)
    if " " in name:
        match |= Q(full_name__iexact=name)
    if len(phone) >= 6:
        # Separators may sit among the last digits ("07700 900 123"): compared in full below.
        match |= Q(phone__regex=r"[^0-9]*".join(phone[-4:]) + r"[^0-9]*$")

    def same_person(c: Contact) -> bool:
        return bool(
            (email and c.email.lower() == email)
            or (" " in name and " ".join(c.name.split()).lower() == name)
            or (len(phone) >= 6 and _normal_phone(c.phone) == phone)
        )

    candidates = Contact.objects.annotate(full_name=Concat("first_name", Value(" "), "last_name"))
    candidates = candidates.filter(match).exclude(data_requests=request).select_related("owner")
    return [c for c in candidates.order_by("last_name", "first_name", "id")[:200] if same_person(c)]


@transaction.atomic
def request_link(*, request: DataRequest, contacts: list[Contact], by: User) -> None:
    request = _open(request)
    request.contacts.add(*contacts)
    audit_log(actor=by, action=Action.REQUEST, obj=request, detail=f"{len(contacts)} linked")


@transaction.atomic
def request_unlink(*, request: DataRequest, contact: Contact, by: User) -> None:
    request = _open(request)
    request.contacts.remove(contact)
    audit_log(actor=by, action=Action.REQUEST, obj=request, detail="1 unlinked")


@transaction.atomic
def request_verify(
    *, request: DataRequest, method: str, checked_on: datetime.date, by: User
) -> None:
    request = _open(request)
    if request.status != Status.RECEIVED:
        raise RequestError("The identity check comes before the decision, which is made.")
    if checked_on < request.received_on:
        raise RequestError("The identity check cannot be before the request was received.")
    request.identity_method, request.identity_checked_on = method, checked_on
    request.save(update_fields=["identity_method", "identity_checked_on"])
    audit_log(actor=by, action=Action.REQUEST, obj=request, detail="identity checked")


@transaction.atomic
def request_extend(*, request: DataRequest, told_on: datetime.date, reason: str, by: User) -> None:
    """Two more months for a complex request, only if the person was told, with the
    reason, within the first month."""
    request = _open(request)
    if not reason.strip():
        raise RequestError("Say why the request is complex: the person must be told.")
    if request.extended_on:
        raise RequestError("This request has already been extended.")
    holidays = _holidays()
    if not may_extend(request.received_on, told_on, holidays):
        first_due = response_due(request.received_on, holidays)
        raise RequestError(
            "An extension must be told to the person within the first month: between "
            f"{request.received_on:%d/%m/%Y} and {first_due:%d/%m/%Y}."
        )
    request.extended_on, request.extension_reason = told_on, reason
    request.due_on = extended_due(request.received_on, holidays)
    request.save(update_fields=["extended_on", "extension_reason", "due_on"])
    audit_log(actor=by, action=Action.REQUEST, obj=request, detail="extended")


@transaction.atomic
def request_approve(
    *, request: DataRequest, by: User, keep_until: datetime.date | None = None
) -> None:
    request = _lock(request)
    if request.status != Status.RECEIVED:
        raise RequestError("Only a request that is waiting for a decision can be approved.")
    if not request.identity_checked_on:
        raise RequestError("Check the person's identity before approving the request.")
    if keep_until is not None and request.kind != RequestKind.ERASURE:
        raise RequestError("Only an erasure keeps a minimised record: leave the date empty.")
    if keep_until is not None and keep_until <= timezone.localdate():
        raise RequestError("A record kept under reg. 29 must be kept until a future date.")
    request.status, request.decided_on = Status.APPROVED, timezone.localdate()
    request.keep_until = keep_until
    request.save(update_fields=["status", "decided_on", "keep_until"])
    audit_log(actor=by, action=Action.REQUEST, obj=request, detail="approved")


@transaction.atomic
def request_refuse(*, request: DataRequest, reason: str, by: User) -> None:
    request = _lock(request)
    if request.status != Status.RECEIVED:
        raise RequestError("Only a request that is waiting for a decision can be refused.")
    if not reason.strip():
        raise RequestError("Give the reason for refusing: the person must be told.")
    request.status, request.decided_on = Status.REFUSED, timezone.localdate()
    request.refusal_reason = reason
    request.save(update_fields=["status", "decided_on", "refusal_reason"])
    audit_log(actor=by, action=Action.REQUEST, obj=request, detail="refused")


@transaction.atomic
def access_complete(*, request: DataRequest, by: User) -> None:
    """The person was sent their data (the page or the JSON download)."""
    request = _lock(request)
    if request.kind != RequestKind.ACCESS or request.status != Status.APPROVED:
        raise RequestError("Only an approved access request can be completed.")
    held = request.contacts.count()
    request.status, request.completed_at = Status.COMPLETED, timezone.now()
    request.outcome = f"Sent the person a copy of {held} contact record(s) and their history."
    request.save(update_fields=["status", "completed_at", "outcome"])
    audit_log(actor=by, action=Action.REQUEST, obj=request, detail="completed")


@transaction.atomic
def erasure_queue(*, request: DataRequest, by: User) -> None:
    """Hand an approved erasure to the worker, once the approval is committed."""
    from privacy import tasks

    request = _lock(request)
    if request.kind != RequestKind.ERASURE or request.status != Status.APPROVED:
        raise RequestError("Only an approved erasure request can be carried out.")
    request.erasure_queued_at = timezone.now()
    request.save(update_fields=["erasure_queued_at"])
    audit_log(actor=by, action=Action.REQUEST, obj=request, detail="erasure queued")
    transaction.on_commit(lambda: tasks.erase.delay(request.pk))


# Access: everything held about the person


def subject_data(request: DataRequest) -> dict:
    """Everything held about the person in the contacts linked to `request`, as plain
    data: the readable page and the JSON download both show this."""
    contacts = request.contacts.select_related("owner").prefetch_related(
        "tags",
        "basis_history",
        "consent_history__notice",
        "notice_deliveries__notice",
        "disclosures",
        "activities",
        "outcomes",
    )
    return {
        "request": {
            "reference": request.pk,
            "received_on": request.received_on.isoformat(),
            "generated_at": timezone.now().isoformat(timespec="seconds"),
        },
        "records": [_contact_data(c) for c in contacts.order_by("id")],
    }


def _contact_data(c: Contact) -> dict:
    return {
        "held_by": c.owner.get_full_name() or c.owner.username,
        "name": c.name,
        "relationship": c.get_kind_display(),
        "how_we_met": c.get_source_channel_display(),
        "organisation": c.organisation,
        "job_title": c.role,
        "email": c.email,
        "phone": c.phone,
        "profile_url": c.profile_url,
        "tags": [t.name for t in c.tags.all()],
        "notes": c.notes,
        "added_on": c.created_at.date().isoformat(),
        "lawful_basis": [
            {"basis": r.get_basis_display(), "recorded_on": r.recorded_at.date().isoformat()}
            for r in c.basis_history.all()
        ],
        "consent": [
            {
                "event": r.get_event_display(),
                "on": r.on.isoformat(),
                "how": r.get_method_display(),
                "purposes": r.purpose_labels(),
                "notice_version": r.notice.version if r.notice else None,
                "expires_on": r.expires_on.isoformat() if r.expires_on else None,
            }
            for r in c.consent_history.all()
        ],
        "privacy_notices_sent": [
            {"version": d.notice.version, "on": d.delivered_on.isoformat()}
            for d in c.notice_deliveries.all()
        ],
        "shared_with": [
            {
                "recipient": d.recipient,
                "what": d.get_what_display(),
                "on": d.disclosed_on.isoformat(),
            }
            for d in c.disclosures.all()
        ],
        "activities": [
            {
                "date": a.date.isoformat(),
                "type": a.get_type_display(),
                "context": a.context,
                "summary": a.summary,
                "outcome": a.outcome,
            }
            for a in c.activities.all()
        ],
        "outcomes": [
            {"kind": o.get_kind_display(), "date": o.date.isoformat(), "notes": o.notes}
            for o in c.outcomes.all()
        ],
    }


# Erasure

ERASED = "[erased]"
REMOVED = "Details removed after an erasure request."


def _scrub(text: str, terms: list[str]) -> str:
    for term in sorted(terms, key=len, reverse=True):
        text = re.sub(rf"(?<!\w){re.escape(term)}(?!\w)", ERASED, text, flags=re.IGNORECASE)
    return text


def _terms(contacts: list[Contact], *, weak: bool) -> list[str]:
    """What names the person in free text. The full name, email, phone and profile are
    safe to replace anywhere; first or last name alone only where the person is known
    to take part (a shared activity), as "Baker" may be a word elsewhere."""
    terms = []
    for c in contacts:
        terms += [c.name, c.email, c.phone, c.profile_url]
        if weak:
            terms += [c.first_name, c.last_name]
    return [t for t in {t.strip() for t in terms} if len(t) >= 2]


def _evidence_rows(model, text_fields: list[str], linked: QuerySet, contacts: list[Contact]):
    """Rows the person took part in stay as evidence: alone, their text goes; shared
    with others, the person is taken out of it. Returns the rows changed, and the ids
    of those the person was alone in."""
    erased_ids = {c.pk for c in contacts}
    strong_and_weak = _terms(contacts, weak=True)
    rows = list(linked.prefetch_related("contacts").distinct())
    alone_ids = set()
    for row in rows:
        people = {c.pk for c in row.contacts.all()}
        row.erased_people += len(people & erased_ids)
        if not (people - erased_ids):
            alone_ids.add(row.pk)
        for name in text_fields:
            text = getattr(row, name)
            if row.pk in alone_ids:
                setattr(row, name, REMOVED if name == text_fields[0] and text else "")
            else:
                setattr(row, name, _scrub(text, strong_and_weak))
    model.objects.bulk_update(rows, [*text_fields, "erased_people"])
    return rows, alone_ids


def _scrub_mentions(model, text_fields: list[str], terms: list[str], skip=()) -> None:
    """Rows anywhere in the organisation that name the person (a colleague's note
    saying who referred whom): replace the mention, keep the row. An erasure is rare,
    so reading every note once for it is affordable."""
    mention = Q(pk__in=[])
    for term in terms:
        for name in text_fields:
            mention |= Q(**{f"{name}__icontains": term})
    rows = list(model.objects.filter(mention).exclude(pk__in=skip))
    for row in rows:
        for name in text_fields:
            setattr(row, name, _scrub(getattr(row, name), terms))
    model.objects.bulk_update(rows, text_fields)


def _forget_guard_confirmations(ids: list[int], alone: dict[str, set[int]], terms) -> None:
    """A justification for keeping sensitive text goes with the text it justified; one
    for a shared row stays (the other person's text is still there), without the name."""
    gone = Q(object_type="contacts.contact", object_id__in=ids)
    for object_type, pks in alone.items():
        gone |= Q(object_type=object_type, object_id__in=pks)
    SensitiveConfirmation.objects.filter(gone).delete()
    # History is never updated, so a scrubbed one replaces the original (same id).
    mention = Q(pk__in=[])
    for term in terms:
        mention |= Q(justification__icontains=term)
    named = list(SensitiveConfirmation.objects.filter(mention))
    SensitiveConfirmation.objects.filter(pk__in=[c.pk for c in named]).delete()
    for confirmation in named:
        confirmation.justification = _scrub(confirmation.justification, terms)
    SensitiveConfirmation.objects.bulk_create(named)


def _forget_admin_history(ids: list[int]) -> None:
    """The admin's change log names each contact edited there (object_repr)."""
    LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(Contact),
        object_id__in=[str(pk) for pk in ids],
    ).delete()


def _end_sessions(emails: list[str]) -> int:
    """Sign out the person's own account, if they have one. Sessions are stored signed
    and keyed by a random id, so each live one is decoded to find its user."""
    match = Q(pk__in=[])
    for email in emails:
        match |= Q(email__iexact=email)
    user_ids = {str(pk) for pk in User.objects.filter(match).values_list("pk", flat=True)}
    if not user_ids:
        return 0
    ended = [
        s.pk
        for s in Session.objects.filter(expire_date__gt=timezone.now()).iterator()
        if s.get_decoded().get("_auth_user_id") in user_ids
    ]
    Session.objects.filter(pk__in=ended).delete()
    return len(ended)


def _last_service_on(contact: Contact) -> datetime.date:
    dates = [
        timezone.localtime(contact.created_at).date(),
        contact.activities.aggregate(d=Max("date"))["d"],
        contact.outcomes.aggregate(d=Max("date"))["d"],
    ]
    return max(d for d in dates if d)


@transaction.atomic
def person_erase(
    *,
    contacts: list[Contact],
    request: DataRequest | None = None,
    keep_until: datetime.date | None = None,
    extra_emails: list[str] = (),
) -> ErasureRecord:
    """Remove a person from everywhere their data lives, in one transaction.

    Contacts go, and with them their consent, basis, notice, disclosure and retention
    rows (cascade). Activities and outcomes they took part in stay as evidence with the
    person replaced by a placeholder; other notes naming them are scrubbed. Under a
    legal obligation, a minimised record is kept until `keep_until`. The returned
    record holds counts and the disclosures to follow up, never who it was."""
    ids = [c.pk for c in contacts]
    emails = [c.email for c in contacts if c.email] + [e for e in extra_emails if e]
    disclosures = [
        {"recipient": d.recipient, "what": d.get_what_display(), "on": d.disclosed_on.isoformat()}
        for d in Disclosure.objects.filter(contact__in=ids).order_by("disclosed_on", "id")
    ]
    retained = [
        RetainedRecord(
            name=c.name,
            email=c.email,
            kind=c.kind,
            last_service_on=_last_service_on(c),
            keep_until=keep_until,
        )
        for c in contacts
        if keep_until
    ]
    activities, activities_alone = _evidence_rows(
        Activity,
        ["summary", "context", "outcome"],
        Activity.objects.filter(contacts__in=ids),
        contacts,
    )
    outcomes, outcomes_alone = _evidence_rows(
        Outcome, ["notes"], Outcome.objects.filter(contacts__in=ids), contacts
    )
    strong = _terms(contacts, weak=False)
    if request is not None:
        who = [request.requester_name, request.requester_email, request.requester_phone]
        strong = sorted({*strong, *(t.strip() for t in who if len(t.strip()) >= 2)})
    _scrub_mentions(Contact, ["notes"], strong, skip=ids)
    _scrub_mentions(
        Activity, ["summary", "context", "outcome"], strong, skip=[a.pk for a in activities]
    )
    _scrub_mentions(Outcome, ["notes"], strong, skip=[o.pk for o in outcomes])
    _scrub_mentions(DataRequest, ["extension_reason", "refusal_reason"], strong)
    _forget_guard_confirmations(
        ids,
        {"contacts.activity": activities_alone, "contacts.outcome": outcomes_alone},
        _terms(contacts, weak=True) + strong,
    )
    _forget_admin_history(ids)
    DataRequest.objects.filter(Q(contacts__in=ids) | Q(pk=getattr(request, "pk", None))).update(
        requester_name="", requester_email="", requester_phone=""
    )
    # Only the person's own request signs their account out: retention is the agency
    # tidying up, and a contact's address may be a colleague's.
    sessions_ended = _end_sessions(emails) if request is not None else 0
    Contact.objects.filter(pk__in=ids).delete()
    record = ErasureRecord.objects.create(
        request=request,
        by_retention=request is None,
        contacts_erased=len(ids),
        activities_kept=len(activities),
        outcomes_kept=len(outcomes),
        records_retained=len(retained),
        kept_until=keep_until if retained else None,
        sessions_ended=sessions_ended,
        disclosures=disclosures,
    )
    for row in retained:
        row.erasure = record
    RetainedRecord.objects.bulk_create(retained)
    audit_log(actor=None, action=Action.ERASED, obj=record, detail=f"{len(ids)} contact(s)")
    return record


@transaction.atomic
def erasure_carry_out(*, request_id: int) -> ErasureRecord | None:
    """The erasure job's work. Idempotent: the request row is locked, and a request
    already completed returns its record instead of erasing again."""
    request = (
        DataRequest.objects.select_for_update()
        .filter(pk=request_id, kind=RequestKind.ERASURE)
        .first()
    )
    if request is None or request.status not in (Status.APPROVED, Status.COMPLETED):
        return None
    if request.status == Status.COMPLETED:
        return request.erasure
    contacts = list(request.contacts.select_related("owner"))
    suppression_add(
        emails=[c.email for c in contacts] + [request.requester_email],
        phones=[c.phone for c in contacts] + [request.requester_phone],
    )
    record = person_erase(
        contacts=contacts,
        request=request,
        keep_until=request.keep_until,
        extra_emails=[request.requester_email],
    )
    DataRequest.objects.filter(pk=request.pk).update(
        status=Status.COMPLETED, completed_at=record.completed_at, outcome=record.summary()
    )
    return record


# Retention


@dataclass
class RetentionPlan:
    """What a retention run does on `today`; the dry run shows it, the run carries it out."""

    today: datetime.date
    policy: RetentionPolicy
    warn: list[Contact] = field(default_factory=list)
    erase: list[Contact] = field(default_factory=list)
    cancel: list[Contact] = field(default_factory=list)
    retained_expired: list[int] = field(default_factory=list)
    failed: list[Contact] = field(default_factory=list)


def retention_stale(today: datetime.date, policy: RetentionPolicy) -> QuerySet[Contact]:
    """Contacts held for longer than the policy's months with no activity, no outcome
    and no live consent in that time, and no open request (which must be answered)."""
    cutoff = add_months(today, -policy.inactive_months)
    open_request = Q(data_requests__status__in=[Status.RECEIVED, Status.APPROVED])
    contacts = Contact.objects.exclude(live_consent(today)).exclude(open_request)
    contacts = contacts.annotate(
        last_activity=Max("activities__date"), last_outcome=Max("outcomes__date")
    )
    return contacts.filter(
        Q(last_activity__isnull=True) | Q(last_activity__lt=cutoff),
        Q(last_outcome__isnull=True) | Q(last_outcome__lt=cutoff),
        created_at__date__lt=cutoff,
    )


def retention_plan(*, today: datetime.date) -> RetentionPlan:
    policy = RetentionPolicy.current()
    plan = RetentionPlan(today=today, policy=policy)
    plan.retained_expired = list(
        RetainedRecord.objects.filter(keep_until__lt=today).values_list("pk", flat=True)
    )
    if not policy.enabled:
        return plan
    stale = retention_stale(today, policy).select_related("owner", "retention_warning")
    stale = {c.pk: c for c in stale.order_by("id")}
    for contact in stale.values():
        warning = getattr(contact, "retention_warning", None)
        if warning is None:
            plan.warn.append(contact)
        elif warning.erase_on <= today:
            plan.erase.append(contact)
    active_again = RetentionWarning.objects.exclude(contact__in=list(stale))
    plan.cancel = [w.contact for w in active_again.select_related("contact__owner")]
    return plan


def retention_run(*, today: datetime.date) -> RetentionPlan:
    """Carry out today's plan: warn owners, drop warnings for contacts active again,
    delete retained records past their date, and erase those whose notice period is
    over, each in its own transaction, so one failure does not hold back the rest (the
    next run tries it again)."""
    plan = retention_plan(today=today)
    erase_on = today + datetime.timedelta(days=plan.policy.grace_days)
    with transaction.atomic():
        RetentionWarning.objects.bulk_create(
            [RetentionWarning(contact=c, warned_on=today, erase_on=erase_on) for c in plan.warn]
        )
        RetentionWarning.objects.filter(contact__in=plan.cancel).delete()
        RetainedRecord.objects.filter(pk__in=plan.retained_expired).delete()
    retention_warn_owners(plan.warn, erase_on=erase_on)
    for contact in plan.erase:
        try:
            person_erase(contacts=[contact])
        except Exception:
            plan.failed.append(contact)
            logger.exception("Retention could not erase contact %s", contact.pk)
    return plan

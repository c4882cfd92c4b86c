"""Workflows over several models: the audit log, the suppression list, the lifecycle of
erasure and access requests, erasure itself, and retention. Each one is a transaction."""

import datetime
import hashlib
import hmac
import logging
from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.contrib.sessions.models import Session
from django.db import models, transaction
from django.db.models import (
    Case,
    F,
    IntegerField,
    Max,
    Model,
    Prefetch,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.functions import Concat
from django.utils import timezone

from accounts.models import User
from consent.deadlines import add_months, extended_due, may_extend, response_due
from consent.models import BankHoliday, Disclosure, LawfulBasisRecord
from contacts.models import Activity, Contact, Kind, Outcome, Tag, live_consent
from netlog.jobs import send_on_commit
from portfolio.models import Export
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
from privacy.scrub import ERASED, REMOVED, Person  # noqa: F401 (ERASED: part of the API)
from privacy.scrub import normal_phone as _normal_phone
from reviews.models import (
    Decision,
    Reflection,
    Review,
    Testimony,
    TestimonyRequest,
)

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


def sensitive_forget(obj: Model) -> None:
    """A deleted row takes the guard's justifications for its text with it."""
    SensitiveConfirmation.objects.filter(
        object_type=obj._meta.label_lower, object_id=obj.pk
    ).delete()


# Suppression list


def _suppression_key() -> bytes:
    """Read when used, so a process without a key (a worker, a command) fails loudly
    (Django refuses an empty SECRET_KEY) instead of hashing with an empty key that
    matches nothing the web wrote."""
    return (settings.SUPPRESSION_KEY or settings.SECRET_KEY).encode()


def _digests(*, emails: list[str] = (), phones: list[str] = ()) -> set[str]:
    values = {f"email:{e.strip().lower()}" for e in emails if e and e.strip()}
    values |= {f"phone:{p}" for p in map(_normal_phone, phones) if len(p) >= 6}
    key = _suppression_key()
    return {hmac.new(key, v.encode(), hashlib.sha256).hexdigest() for v in values}


def suppression_add(*, emails: list[str] = (), phones: list[str] = ()) -> None:
    digests = _digests(emails=emails, phones=phones)
    Suppression.objects.bulk_create(
        [Suppression(digest=d) for d in sorted(digests)], ignore_conflicts=True
    )


def is_suppressed(*, email: str = "", phone: str = "") -> bool:
    """Whether these details belong to someone erased at their request. Creating and
    importing contacts both ask this before saving."""
    return bool(suppressed_among([(email, phone)]))


def suppressed_among(people: list[tuple[str, str]]) -> set[int]:
    """Which of these (email, phone) pairs belong to someone erased at their request:
    their positions in the list, from one query however many there are (an import asks
    this a thousand rows at a time)."""
    digests = [_digests(emails=[email], phones=[phone]) for email, phone in people]
    wanted = set().union(*digests)
    if not wanted:
        return set()
    found = set(Suppression.objects.filter(digest__in=wanted).values_list("digest", flat=True))
    return {n for n, mine in enumerate(digests) if mine & found}


SUPPRESSED_MESSAGE = (
    "These details belong to someone who asked us to erase their data, so they cannot be "
    "added again. If they have since asked to be back in touch, speak to your data "
    "protection officer."
)


# Requests


class RequestError(Exception):
    """A step the request's state does not allow; the message is for the user."""


def _holidays() -> set[datetime.date]:
    return BankHoliday.objects.date_set()


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


def request_matches(
    request: DataRequest, *, also_emails: set[str] = frozenset(), also_phones: set[str] = ()
) -> list[Contact]:
    """Contacts anywhere in the organisation that may be the requester and are not yet
    linked: the same email, the same phone number, or the same full name."""
    emails = {request.requester_email.lower(), *also_emails} - {""}
    name = " ".join(request.requester_name.split()).lower()
    phones = {_normal_phone(request.requester_phone), *also_phones}
    phones = {p for p in phones if len(p) >= 6}
    match = Q(pk__in=[])
    for email in emails:
        match |= Q(email__iexact=email)
    if " " in name:
        match |= Q(full_name__iexact=name)
    for phone in phones:
        # Separators may sit among the last digits ("07700 900 123"): compared in full below.
        match |= Q(phone__regex=r"[^0-9]*".join(phone[-4:]) + r"[^0-9]*$")

    def same_person(c: Contact) -> bool:
        return bool(
            c.email.lower() in emails
            or (" " in name and " ".join(c.name.split()).lower() == name)
            or _normal_phone(c.phone) in phones
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


KEEP_UNTIL_FUTURE = "A record kept under reg. 29 is kept until a future date."


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
        raise RequestError(KEEP_UNTIL_FUTURE)
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


def unlinked_same_details(request: DataRequest) -> list[Contact]:
    """Records not linked to the request that share the person's email or phone: most
    likely the same person, unless the number is a shared switchboard."""
    emails = {request.requester_email.lower()} | {c.email.lower() for c in request.contacts.all()}
    phones = {_normal_phone(request.requester_phone)}
    phones |= {_normal_phone(c.phone) for c in request.contacts.all()}
    emails.discard("")
    phones = {p for p in phones if len(p) >= 6}
    return [
        c
        for c in request_matches(request, also_emails=emails, also_phones=phones)
        if c.email.lower() in emails or _normal_phone(c.phone) in phones
    ]


STUCK_AFTER = datetime.timedelta(minutes=15)


@transaction.atomic
def erasure_queue(*, request: DataRequest, by: User, others_checked: bool = False) -> None:
    """Hand an approved erasure to the worker, once the approval is committed. The
    person goes on the suppression list now, so no one adds them while the job waits."""
    from privacy import tasks

    request = _lock(request)
    if request.kind != RequestKind.ERASURE or request.status != Status.APPROVED:
        raise RequestError("Only an approved erasure request can be carried out.")
    others = unlinked_same_details(request)
    if others and not others_checked:
        raise RequestError(
            f"{len(others)} other record(s) share this person's email or phone: link them "
            "if they are this person, or confirm that they are someone else."
        )
    _suppress(request)
    request.erasure_queued_at = timezone.now()
    request.save(update_fields=["erasure_queued_at"])
    audit_log(actor=by, action=Action.REQUEST, obj=request, detail="erasure queued")
    # A broker that is down must not turn the DPO's click into an error page: the
    # request stays approved, and the DPO is told it did not start (the job is
    # idempotent, so it can simply be started again).
    send_on_commit(tasks.erase, request.pk, unsent=lambda: _erasure_unsent(request))


def _erasure_unsent(request: DataRequest) -> None:
    DataRequest.objects.filter(pk=request.pk).update(erasure_queued_at=None)
    audit_log(
        actor=None,
        action=Action.REQUEST,
        obj=request,
        detail="erasure not started: the job queue did not answer",
    )
    raise RequestError(
        "The erasure could not be started: the job queue is not answering. Nothing was "
        "erased; try again in a few minutes."
    )


# Erasure


def _evidence_rows(model, fields: list[str], ids: list[int], person: Person):
    """Rows the person took part in stay as evidence: alone, their text goes; shared
    with others, the person is taken out of it. A row that only ever involved personal
    contacts is no evidence (it was private): it goes. Returns (ids of the kept rows,
    ids of the kept rows the person was alone in)."""
    people = Prefetch("contacts", queryset=Contact.objects.only("pk", "kind").order_by())
    rows = model.objects.filter(contacts__in=ids).distinct().order_by()
    kept, alone, private, texts = [], [], [], {}
    counted = defaultdict(list)  # how many of a row's people are erased: those rows
    erasing = set(ids)
    for row in rows.only("pk", *fields).prefetch_related(people):
        kinds = {c.pk: c.kind for c in row.contacts.all()}
        erased = kinds.keys() & erasing
        if erased == kinds.keys() and all(kinds[pk] == Kind.PERSONAL for pk in erased):
            private.append(row.pk)
            continue
        kept.append(row.pk)
        counted[len(erased)].append(row.pk)
        if erased == kinds.keys():
            alone.append(row.pk)
            continue
        for name in fields:
            text = person.scrub(getattr(row, name), weak=True)
            if text != getattr(row, name):
                texts[name, row.pk] = text
    model.objects.filter(pk__in=private).delete()
    if kept:
        _write_evidence(model, fields, kept, counted, alone, texts)
    return kept, set(alone)


def _write_evidence(
    model,
    fields: list[str],
    kept: list[int],
    counted: dict[int, list[int]],
    alone: list[int],
    texts: dict[tuple[str, int], str],
) -> None:
    """One UPDATE writes each kept row once, however many there are (the busiest
    contact of an agency has hundreds): how many people it lost; where they were alone,
    no text (REMOVED in the first field, if it held any); and each shared row's
    scrubbed text (`texts`, by field and id) where it changed."""

    def text(name: str) -> Case:
        field = model._meta.get_field(name)
        gone = Value("")
        if name == fields[0]:
            gone = Case(When(**{name: ""}, then=gone), default=Value(REMOVED), output_field=field)
        each = [When(pk=pk, then=Value(t)) for (n, pk), t in texts.items() if n == name]
        return Case(When(pk__in=alone, then=gone), *each, default=F(name), output_field=field)

    counts = [When(pk__in=pks, then=Value(n)) for n, pks in counted.items()]
    model.objects.filter(pk__in=kept).update(
        erased_people=F("erased_people") + Case(*counts, output_field=IntegerField()),
        **{name: text(name) for name in fields},
    )


def _save_scrubbed(manager, rows, fields: list[str], person: Person, *, weak: bool) -> None:
    """Take the person out of `fields` of each row and write the rows that changed in
    one statement: the filters that find the rows may find more than `scrub` takes out."""
    changed = []
    for row in rows:
        before = [getattr(row, name) for name in fields]
        for name, text in zip(fields, before, strict=True):
            setattr(row, name, person.scrub(text, weak=weak))
        if [getattr(row, name) for name in fields] != before:
            changed.append(row)
    if changed:
        manager.bulk_update(changed, fields)


def _scrub_mentions(model, fields: list[str], person: Person, skip=()) -> None:
    """Rows anywhere in the organisation that name the person (a colleague's note
    saying who referred whom): replace the mention, keep the row. The trigram indexes
    find the candidates, so only they are read, however many notes the agency holds."""
    rows = model.objects.filter(person.mentioned_in(model, fields)).exclude(pk__in=skip)
    _save_scrubbed(model.objects, rows.order_by().only("pk", *fields), fields, person, weak=False)


def _rewrite_history(model, fields: list[str], rows, person: Person, *, weak: bool) -> None:
    """History is never updated, except here: erasure is the one thing that may reach
    into it (UK GDPR Art. 17 overrides keeping the record as it was). The rows are
    rewritten in place, through the plain QuerySet whose update AppendOnlyQuerySet
    refuses to everyone else."""
    _save_scrubbed(models.QuerySet(model), rows, fields, person, weak=weak)


def _scrub_history(person: Person, ids: list[int], shared: dict[str, set[int]]) -> None:
    """The guard's justifications go with the text they justified; one for a shared
    row stays (another person's text is still there) without the person in it. Other
    people's history that names the person (an assessment, a recipient) is rewritten."""
    gone = Q(object_type="contacts.contact", object_id__in=ids)
    SensitiveConfirmation.objects.filter(gone).delete()
    on_shared = Q(pk__in=[])
    for object_type, pks in shared.items():
        on_shared |= Q(object_type=object_type, object_id__in=pks)
    confirmations = SensitiveConfirmation.objects
    _rewrite_history(
        SensitiveConfirmation,
        ["justification"],
        confirmations.filter(on_shared),
        person,
        weak=True,
    )
    named = confirmations.filter(person.mentioned_in(SensitiveConfirmation, ["justification"]))
    named = named.exclude(on_shared)
    _rewrite_history(SensitiveConfirmation, ["justification"], named, person, weak=False)
    assessment = ["li_purpose", "li_necessity", "li_balance"]
    named = LawfulBasisRecord.objects.filter(person.mentioned_in(LawfulBasisRecord, assessment))
    _rewrite_history(LawfulBasisRecord, assessment, named, person, weak=False)
    named = Disclosure.objects.filter(person.mentioned_in(Disclosure, ["recipient"]))
    named = named.exclude(contact__in=ids)
    _rewrite_history(Disclosure, ["recipient"], named, person, weak=False)


def _reviews_and_reflections(person: Person, ids: list[int]) -> tuple[set[int], set[int]]:
    """A review of the person stays as evidence (date, scores, decision) without its
    reasoning, which is about them; a reflection that names them loses their name.
    Returns the ids of the reviews of them and of the reflections linked to them."""
    reviews = set(Review.objects.filter(contact__in=ids).values_list("pk", flat=True))
    Review.objects.filter(pk__in=reviews).update(
        rationale=REMOVED, next_actions="", next_action_on=None
    )
    _scrub_mentions(Review, ["rationale", "next_actions"], person, skip=reviews)
    # Each link its own subquery: OR-ed joins over the three would multiply out the
    # activities' links before DISTINCT brings them back to one row each.
    about_them = (
        Q(pk__in=Reflection.objects.filter(contacts__in=ids).values("pk"))
        | Q(pk__in=Reflection.objects.filter(reviews__contact__in=ids).values("pk"))
        | Q(pk__in=Reflection.objects.filter(activities__contacts__in=ids).values("pk"))
    )
    linked = list(Reflection.objects.filter(about_them).order_by())
    _save_scrubbed(Reflection.objects, linked, ["title", "text"], person, weak=True)
    _scrub_mentions(Reflection, ["title", "text"], person, skip=[r.pk for r in linked])
    return reviews, {r.pk for r in linked}


def _forget_in_testimonies(person: Person, ids: list[int]) -> None:
    """A testimony the person signed stays as evidence that one was given (who it is
    about, the relationship, the dates) without their name or words; others lose any
    mention of them. The checksum is computed again over what remains, and the
    testimony says it was redacted by an erasure, so no one reads it as unaltered."""
    theirs = set(Testimony.objects.filter(request__contact__in=ids).values_list("pk", flat=True))
    # About an activity they took part in: even a first name alone is them.
    with_them = set(
        Testimony.objects.filter(activities__contacts__in=ids).values_list("pk", flat=True)
    )
    # Signed by them under another of their records: the signature names them.
    signed = Testimony.objects.filter(person.mentioned_in(Testimony, ["witness_name"]))
    theirs |= set(signed.values_list("pk", flat=True))
    named = Testimony.objects.filter(person.mentioned_in(Testimony, ["text"]))
    chosen = Q(pk__in=theirs | with_them) | Q(pk__in=named.values("pk"))
    testimonies = list(Testimony.objects.filter(chosen).prefetch_related("activities"))
    now = timezone.now()
    for testimony in testimonies:
        if testimony.pk in theirs:
            testimony.witness_name, testimony.witness_role = ERASED, ""
            testimony.text = REMOVED
        else:
            testimony.text = person.scrub(testimony.text, weak=testimony.pk in with_them)
        activity_ids = [a.pk for a in testimony.activities.all()]
        testimony.checksum = testimony.compute_checksum(activity_ids)
        testimony.redacted_at = now
    fields = ["witness_name", "witness_role", "text", "checksum", "redacted_at"]
    if testimonies:  # history: the plain QuerySet, as in _rewrite_history
        models.QuerySet(Testimony).bulk_update(testimonies, fields)


def _forget_requests(person: Person, ids: list[int], request: DataRequest | None) -> None:
    """Who asked, on this request and on any other from the same person (linked, or
    from the same email or phone), and any mention of them in the requests' reasons."""
    theirs = Q(contacts__in=ids) | Q(pk=getattr(request, "pk", None))
    for email in (t for t in person.strong if "@" in t):
        theirs |= Q(requester_email__iexact=email)
    theirs |= person.mentioned_in(DataRequest, ["requester_phone"])
    reasons = ["extension_reason", "refusal_reason"]
    named = person.mentioned_in(DataRequest, reasons)
    rows = list(DataRequest.objects.filter(theirs | named).distinct())
    own = {r.pk for r in DataRequest.objects.filter(theirs)}
    for row in rows:
        for name in reasons:
            setattr(row, name, person.scrub(getattr(row, name), weak=row.pk in own))
        if row.pk in own:
            row.requester_name = row.requester_email = row.requester_phone = ""
    fields = [*reasons, "requester_name", "requester_email", "requester_phone"]
    if rows:
        DataRequest.objects.bulk_update(rows, fields)


def _forget_elsewhere(person: Person, contacts: list[Contact]) -> None:
    """The admin's change log names each contact edited there (object_repr), and a
    tag may name the person ("referred by jo bloggs"). A portfolio pack built for
    their recruiter holds what they said (and their name, if names were asked for):
    its file goes now, not when its keeping time ends; its record stays."""
    LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(Contact),
        object_id__in=[str(c.pk) for c in contacts],
    ).delete()
    Tag.objects.filter(person.mentioned_in(Tag, ["name"])).delete()
    packs = Export.objects.filter(learner__in={c.owner_id for c in contacts})
    packs.exclude(data=None).update(data=None)
    _scrub_mentions(Export, ["names_note"], person)


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


def _retained(contacts: list[Contact], keep_until: datetime.date | None) -> list[RetainedRecord]:
    """Reg. 29's minimised record: who, the relationship, the last service, how long."""
    if keep_until is None:
        return []
    return [
        RetainedRecord(
            name=c.name,
            email=c.email,
            kind=c.kind,
            last_service_on=_last_service_on(c),
            keep_until=keep_until,
        )
        for c in contacts
    ]


def _disclosures(person: Person, ids: list[int]) -> list[dict]:
    """Whom to tell, with the recipient scrubbed in case it names the person."""
    return [
        {
            "recipient": person.scrub(d.recipient),
            "what": d.get_what_display(),
            "on": d.disclosed_on.isoformat(),
        }
        for d in Disclosure.objects.filter(contact__in=ids).order_by("disclosed_on", "id")
    ]


@transaction.atomic
def person_erase(
    *, contacts: list[Contact], request: DataRequest | None = None, keep_until=None
) -> ErasureRecord | None:
    """Remove a person from everywhere their data lives, in one transaction.

    Contacts go, and with them their consent, basis, notice, disclosure and retention
    rows (cascade). Activities and outcomes they took part in stay as evidence with the
    person replaced by a placeholder; anything else naming them is scrubbed. Under a
    legal obligation, a minimised record is kept until `keep_until`. The returned
    record holds counts and the disclosures to follow up, never who it was. None when
    a retention erasure finds its contacts already gone (a run that overlapped)."""
    # Locked and read again: whatever was linked or written since the caller looked.
    contacts = list(Contact.objects.select_for_update().filter(pk__in=[c.pk for c in contacts]))
    if not contacts and request is None:
        return None
    ids = [c.pk for c in contacts]
    person = Person.of(contacts, request)
    disclosures = _disclosures(person, ids)
    retained = _retained(contacts, keep_until)
    activities, activities_alone = _evidence_rows(
        Activity, ["summary", "context", "outcome"], ids, person
    )
    outcomes, outcomes_alone = _evidence_rows(Outcome, ["notes"], ids, person)
    _scrub_mentions(Contact, ["notes"], person, skip=ids)
    _scrub_mentions(Activity, ["summary", "context", "outcome"], person, skip=activities)
    _scrub_mentions(Outcome, ["notes"], person, skip=outcomes)
    reviews, reflections = _reviews_and_reflections(person, ids)
    _forget_in_testimonies(person, ids)
    _scrub_mentions(TestimonyRequest, ["message"], person)
    shared = {
        "contacts.activity": set(activities) - activities_alone,
        "contacts.outcome": set(outcomes) - outcomes_alone,
        "reviews.reflection": reflections,
    }
    SensitiveConfirmation.objects.filter(
        Q(object_type="contacts.activity", object_id__in=activities_alone)
        | Q(object_type="contacts.outcome", object_id__in=outcomes_alone)
        | Q(object_type="reviews.review", object_id__in=reviews)
    ).delete()
    _scrub_history(person, ids, shared)
    _forget_requests(person, ids, request)
    _forget_elsewhere(person, contacts)
    # Only the person's own request signs their account out: retention is the agency
    # tidying up, and a contact's address may be a colleague's.
    emails = [t for t in person.strong if "@" in t]
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


def _suppress(request: DataRequest) -> None:
    contacts = list(request.contacts.all())
    suppression_add(
        emails=[c.email for c in contacts] + [request.requester_email],
        phones=[c.phone for c in contacts] + [request.requester_phone],
    )


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
    _suppress(request)
    record = person_erase(
        contacts=list(request.contacts.all()), request=request, keep_until=request.keep_until
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
    and no live consent in that time (consent that ran until after the cutoff counts),
    and no open request (which must be answered first). A relationship the recruiter
    decided to discontinue at its last review goes sooner: after discontinued_months."""
    cutoff = add_months(today, -policy.inactive_months)
    sooner = add_months(today, -policy.discontinued_months)
    open_request = Q(data_requests__status__in=[Status.RECEIVED, Status.APPROVED])
    contacts = Contact.objects.exclude(open_request).annotate(last_outcome=Max("outcomes__date"))

    def quiet_since(day: datetime.date) -> Q:
        return (
            (Q(last_activity_on__isnull=True) | Q(last_activity_on__lt=day))
            & (Q(last_outcome__isnull=True) | Q(last_outcome__lt=day))
            & Q(created_at__date__lt=day)
            & ~live_consent(day)
        )

    discontinued = Q(last_decision=Decision.DISCONTINUE) & quiet_since(sooner)
    return contacts.filter(quiet_since(cutoff) | discontinued)


def retention_plan(*, today: datetime.date) -> RetentionPlan:
    policy = RetentionPolicy.current()
    plan = RetentionPlan(today=today, policy=policy)
    plan.retained_expired = list(
        RetainedRecord.objects.filter(keep_until__lt=today).values_list("pk", flat=True)
    )
    if not policy.enabled:
        # Off means off: warnings lapse, and switching it on again starts a fresh
        # notice period rather than erasing at once on an old warning.
        warned = RetentionWarning.objects.select_related("contact__owner")
        plan.cancel = [w.contact for w in warned]
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
        # ignore_conflicts: a run that overlaps this one may have warned them already.
        RetentionWarning.objects.bulk_create(
            [RetentionWarning(contact=c, warned_on=today, erase_on=erase_on) for c in plan.warn],
            ignore_conflicts=True,
        )
        RetentionWarning.objects.filter(contact__in=plan.cancel).delete()
        RetainedRecord.objects.filter(pk__in=plan.retained_expired).delete()
    retention_warn_owners(plan.warn, erase_on=erase_on)
    for contact in plan.erase:
        try:
            _retention_erase(contact, today=today, policy=plan.policy)
        except Exception:
            plan.failed.append(contact)
            logger.exception("Retention could not erase contact %s", contact.pk)
    return plan


@transaction.atomic
def retention_policy_save(*, policy: RetentionPolicy, by: User) -> None:
    policy.updated_at = timezone.now()
    policy.save()
    state = "on" if policy.enabled else "off"
    detail = (
        f"{policy.inactive_months} months ({policy.discontinued_months} if discontinued), "
        f"{policy.grace_days} days' notice, {state}"
    )
    audit_log(actor=by, action=Action.POLICY, obj=policy, detail=detail)


@transaction.atomic
def _retention_erase(contact: Contact, *, today: datetime.date, policy: RetentionPolicy) -> None:
    """Erase one contact if it is still due: locked, then checked again, since the
    plan was made before the emails went out and someone may have logged an activity."""
    locked = Contact.objects.select_for_update().filter(pk=contact.pk).first()
    due = RetentionWarning.objects.filter(contact=contact.pk, erase_on__lte=today)
    if locked and due.exists() and retention_stale(today, policy).filter(pk=locked.pk).exists():
        person_erase(contacts=[locked])

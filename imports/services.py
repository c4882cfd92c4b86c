"""Importing contacts in three steps: upload (the file is checked as a whole and kept),
preview (a job reads every row, checks it and decides create, merge or skip, stored
as PreviewRows), and commit (a job applies the preview in one transaction: all or
nothing). Both jobs work in batches: bulk inserts and one query per thousand rows,
never one per row."""

import functools
import itertools
import logging
from collections.abc import Iterator

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator, URLValidator
from django.db import connection, transaction
from django.db.models import Count, Q
from django.db.models.functions import Lower
from django.utils import timezone

from accounts.models import User
from contacts.duplicates import EMAIL, FILLABLE, NAME, PROFILE, Index, fill_blanks, keys_of
from contacts.models import Contact, phone_validator
from imports import parsers
from imports.models import IMPORT_KEPT, Batch, PreviewRow, RowAction, Source, Status, Why
from netlog.jobs import send_on_commit
from netlog.progress import set_progress
from privacy.models import Action, Suppression
from privacy.services import audit_log, suppressed_among
from reviews.summary import contacts_touch

logger = logging.getLogger(__name__)

CHUNK = 1000
MAX_PROBLEMS = 10  # a file with more bad rows than this is not worth listing in full
WHY = {EMAIL: Why.MATCH_EMAIL, PROFILE: Why.MATCH_PROFILE, NAME: Why.MATCH_NAME}
LIMITS = {
    name: PreviewRow._meta.get_field(name).max_length
    for name in ["first_name", "last_name", "organisation", "role", "email"]
}
LABELS = {
    "first_name": "first name",
    "last_name": "last name",
    "organisation": "organisation",
    "role": "job title",
    "email": "email address",
}
_email = EmailValidator()
_url = URLValidator(schemes=["http", "https"])


def _chunks(rows):
    """Lists of up to CHUNK rows, read lazily (itertools.batched is Python 3.12)."""
    rows = iter(rows)
    while chunk := list(itertools.islice(rows, CHUNK)):
        yield chunk


def size_problem(size: int) -> str | None:
    """What is wrong with a file of `size` bytes, if anything: the form asks before
    reading an upload, the service again for any other caller."""
    if size > settings.IMPORT_MAX_MB * 1024 * 1024:
        return (
            f"The file is larger than {settings.IMPORT_MAX_MB} MB. Split it, or ask "
            "your administrator to raise IMPORT_MAX_MB."
        )
    if size == 0:
        return parsers.EMPTY
    return None


# Upload


@transaction.atomic
def upload(
    *, owner: User, source: str, kind: str, channel: str, file_name: str, data: bytes
) -> Batch:
    """Keep the file if it can be read at all (raises parsers.ImportFileError with the
    reason otherwise); then a job previews it, except another CSV, whose columns the
    person maps first."""
    if problem := size_problem(len(data)):
        raise parsers.ImportFileError(problem)
    text = parsers.decode(data)
    mapping: dict[str, str] = {}
    if source == Source.CSV:
        mapping = parsers.guess_mapping(parsers.headers(text))
    else:
        next(_read(source, text, {}), None)  # the header or the first card, or an error
    batch = Batch.objects.create(
        owner=owner,
        source=source,
        kind=kind,
        channel=channel,
        file_name=file_name[:200],
        data=data,
        mapping=mapping,
        status=Status.MAPPING if source == Source.CSV else Status.READING,
    )
    audit_log(actor=owner, action=Action.CREATED, obj=batch, detail="import uploaded")
    if batch.status == Status.READING:
        _queue("preview", batch)
    return batch


def _queue(job: str, batch: Batch) -> None:
    """Run `job` for the batch once this transaction commits; if the broker cannot
    take it, the import says so rather than waiting for ever."""
    from imports import tasks

    send_on_commit(
        getattr(tasks, job),
        batch.pk,
        unsent=lambda: _fail(
            batch, ["The import could not be started; nothing was imported. Try again."]
        ),
    )


@transaction.atomic
def map_columns(*, batch: Batch, mapping: dict[str, str]) -> None:
    """Another CSV: which column holds what; checked against the file, then previewed."""
    text = parsers.open_text(bytes(batch.data))
    next(parsers.any_csv(text, mapping), None)  # raises if a column is not in the file
    mapped = Batch.objects.filter(pk=batch.pk, status=Status.MAPPING).update(
        mapping=mapping, status=Status.READING, progress=0
    )
    if mapped:
        _queue("preview", batch)


def _read(source: str, text: parsers.Text, mapping: dict[str, str]) -> Iterator[parsers.Row]:
    if source == Source.LINKEDIN:
        return parsers.linkedin(text)
    if source == Source.VCARD:
        return parsers.vcard(text)
    return parsers.any_csv(text, mapping)


# Preview


def check(row: parsers.Row) -> list[str]:
    """What makes this row unusable (the file is then refused); a phone or profile
    that is not valid is left out with a remark instead, since address books are full
    of both and neither is needed."""
    problems = []
    for name, limit in LIMITS.items():
        if len(getattr(row, name)) > limit:
            problems.append(
                f"Line {row.line}: the {LABELS[name]} is longer than {limit} characters."
            )
    if row.email:
        try:
            _email(row.email)
        except ValidationError:
            problems.append(
                f"Line {row.line}: \u201c{row.email}\u201d is not a valid email address."
            )
    if row.phone:
        try:
            phone_validator(row.phone)
        except ValidationError:
            row.phone = ""
            row.notes.append("phone left out: not a valid phone number")
    if row.profile_url:
        try:
            _url(row.profile_url)
            if len(row.profile_url) > 500:
                raise ValidationError("too long")
        except ValidationError:
            row.profile_url = ""
            row.notes.append("profile URL left out: not a valid web address")
    return problems


def _notes(row: parsers.Row, source: str) -> str:
    if row.connected_on and source == Source.LINKEDIN:
        return _connected(row.connected_on)
    return ""


@functools.lru_cache(maxsize=4096)
def _connected(day) -> str:
    return f"Connected on LinkedIn on {day:%-d %B %Y}."


class Refused(Exception):
    """The file cannot be imported; `problems` say why, for the person uploading."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("the import was refused")
        self.problems = problems


class ImportFailed(Exception):
    """A job failed for a reason the person cannot fix. Raised instead of the database's
    own error, whose message may quote a row (and the job's log must name no one)."""


def preview(*, batch_id: int) -> None:
    """Read every row, check it, and decide what it will do. A file with a bad row is
    refused as a whole, with every problem found (up to MAX_PROBLEMS), and nothing of
    it is kept."""
    batch = Batch.objects.filter(pk=batch_id, status=Status.READING).defer("data").first()
    if batch is None:
        return
    try:
        _preview(batch)
    except parsers.ImportFileError as error:
        _fail(batch, [str(error)])
    except Refused as refusal:
        _fail(batch, refusal.problems)
    except Exception as error:
        _fail(batch, ["Something went wrong reading the file; nothing was imported."])
        raise ImportFailed(f"import {batch_id}: preview failed ({type(error).__name__})") from None


@transaction.atomic
def _preview(batch: Batch) -> None:
    batch = Batch.objects.select_for_update().get(pk=batch.pk)
    if batch.status != Status.READING:
        return
    PreviewRow.objects.filter(batch=batch).delete()  # a retried job starts again
    held = Contact.objects.filter(owner=batch.owner).only("pk", *FILLABLE)
    index = Index(held.iterator(chunk_size=2000))
    earlier = Index([])  # rows of this file, by line
    data = bytes(batch.data)
    lines, problems = max(1, data.count(b"\n")), []
    counts = dict.fromkeys(["rows", "suppressed"], 0)
    text = parsers.open_text(data)
    del data, batch.data  # the stream holds the file; keep no second copy
    for chunk in _chunks(_read(batch.source, text, batch.mapping)):
        # The erased first, on the details as written: they are neither checked (a
        # problem would quote them) nor stored, only counted.
        gone = suppressed_among([(row.email, row.phone) for row in chunk])
        counts["suppressed"] += len(gone)
        counts["rows"] += len(chunk)
        chunk = [row for n, row in enumerate(chunk) if n not in gone]
        for row in chunk:
            problems += check(row)
        if len(problems) >= MAX_PROBLEMS:
            break
        if problems:
            continue  # read on for the other problems; store nothing more
        PreviewRow.objects.bulk_create([_plan(row, batch, index, earlier) for row in chunk])
        if chunk:
            set_progress("import", batch.pk, 95 * chunk[-1].line // lines)
    if problems:
        raise Refused(problems[:MAX_PROBLEMS])  # and the rows stored so far roll back
    if not counts["rows"]:
        raise Refused(["The file holds no contacts: only a header, or nothing after it."])
    Batch.objects.filter(pk=batch.pk).update(
        status=Status.READY,
        progress=100,
        rows=counts["rows"],
        suppressed=counts["suppressed"],
        **_what_it_will_do(batch),
    )
    set_progress("import", batch.pk, 100)


def _plan(row: parsers.Row, batch: Batch, index: Index, earlier: Index) -> PreviewRow:
    planned = PreviewRow(
        batch=batch,
        line=row.line,
        first_name=row.first_name,
        last_name=row.last_name,
        email=row.email,
        phone=row.phone,
        profile_url=row.profile_url,
        organisation=row.organisation,
        role=row.role,
        notes=_notes(row, batch.source),
        remarks="; ".join(row.notes)[:300],
    )
    found = keys_of(row)
    if not (row.first_name or row.last_name):
        planned.action, planned.why = RowAction.SKIP, Why.NO_NAME
    elif same := earlier.find(row, found):
        planned.action, planned.why = RowAction.SKIP, Why.IN_FILE
        planned.remarks = "; ".join(filter(None, [f"line {same.pk}", planned.remarks]))[:300]
    elif held := index.find(row, found):
        planned.action, planned.why, planned.match_id = RowAction.MERGE, WHY[held.reason], held.pk
    else:
        planned.action, planned.why = RowAction.CREATE, Why.NEW
    earlier.add(row.line, row, found)
    return planned


def _fail(batch: Batch, problems: list[str]) -> None:
    """Refused: say why (the batch and its problems go with the nightly expiry), and
    keep nothing of the file."""
    with transaction.atomic():
        PreviewRow.objects.filter(batch=batch).delete()
        Batch.objects.filter(pk=batch.pk).update(
            status=Status.FAILED, problems=problems, data=None, finished_at=timezone.now()
        )
    set_progress("import", batch.pk, 100)


# The person's choices on the preview


def _ready(batch: Batch) -> Batch:
    """The batch, locked, if it still waits for the person's choices (not being
    imported or cancelled meanwhile, from another tab)."""
    locked = Batch.objects.select_for_update().defer("data").filter(pk=batch.pk).first()
    if locked is None or locked.status != Status.READY:
        raise ValueError("This import is not waiting for you any more.")
    return locked


@transaction.atomic
def choose(*, batch: Batch, row: PreviewRow, action: str) -> None:
    """Merge a duplicate into the contact it matches, or skip it."""
    batch = _ready(batch)
    if not row.is_duplicate or row.batch_id != batch.pk:
        raise ValueError("Only a duplicate of a contact you have can be merged or skipped.")
    PreviewRow.objects.filter(pk=row.pk).update(action=action)
    _recount(batch)


@transaction.atomic
def choose_all(*, batch: Batch, action: str) -> None:
    batch = _ready(batch)
    PreviewRow.objects.filter(batch=batch, match__isnull=False).update(action=action)
    _recount(batch)


def counts(batch: Batch) -> dict[str, int]:
    """What the preview will do now, and how many rows each of its tabs shows, in one
    query; a duplicate whose contact was deleted since the preview is a new one again."""
    merge, matched = Q(action=RowAction.MERGE), Q(match__isnull=False)
    return PreviewRow.objects.filter(batch=batch).aggregate(
        to_create=Count("pk", filter=Q(action=RowAction.CREATE) | merge & ~matched),
        to_merge=Count("pk", filter=merge & matched),
        to_skip=Count("pk", filter=Q(action=RowAction.SKIP)),
        duplicates=Count("pk", filter=matched),
        rows=Count("pk"),
    )


def _what_it_will_do(batch: Batch) -> dict[str, int]:
    """The batch's stored counts of new, merged and skipped rows, from counts()."""
    now = counts(batch)
    return {name: now[name] for name in ["to_create", "to_merge", "to_skip"]}


def _recount(batch: Batch) -> None:
    Batch.objects.filter(pk=batch.pk).update(**_what_it_will_do(batch))


# Commit


def commit_request(*, batch: Batch) -> bool:
    """Queue the import of a ready preview; False if it is not ready (any more)."""
    with transaction.atomic():
        claimed = Batch.objects.filter(pk=batch.pk, status=Status.READY).update(
            status=Status.IMPORTING, progress=0
        )
        if claimed:
            set_progress("import", batch.pk, 0)  # not the preview's 100
            _queue("commit", batch)
    return bool(claimed)


def commit(*, batch_id: int) -> None:
    """Apply the preview in one transaction: every new contact and every merge, or,
    if anything fails, none of them."""
    try:
        _commit(batch_id)
    except Exception as error:
        batch = Batch.objects.filter(pk=batch_id, status=Status.IMPORTING).first()
        if batch:
            _fail(batch, ["Something went wrong while importing; nothing was imported."])
        raise ImportFailed(f"import {batch_id}: commit failed ({type(error).__name__})") from None


@transaction.atomic
def _commit(batch_id: int) -> None:
    batch = Batch.objects.select_for_update().filter(pk=batch_id, status=Status.IMPORTING).first()
    if batch is None:
        return
    batch.suppressed += _suppressed_since(batch)
    rows = PreviewRow.objects.filter(batch=batch)
    new = rows.filter(Q(action=RowAction.CREATE) | Q(action=RowAction.MERGE, match=None))
    _match_added_since(batch, new)
    merges = rows.filter(action=RowAction.MERGE, match__isnull=False)
    done, total = 0, max(1, batch.to_create + batch.to_merge)
    for chunk in _chunks(merges.order_by("line").iterator(chunk_size=CHUNK)):
        mine = Contact.objects.select_for_update().filter(owner=batch.owner)
        matched = mine.in_bulk([row.match_id for row in chunk])
        _leave_out_emails_held(batch, [row for row in chunk if row.match_id in matched])
        gone = [row.pk for row in chunk if row.match_id not in matched]  # deleted meanwhile
        PreviewRow.objects.filter(pk__in=gone).update(match=None)  # so: a new contact
        filled = [(matched[row.match_id], row) for row in chunk if row.match_id in matched]
        updated = [contact for contact, row in filled if fill_blanks(contact, row)]
        Contact.objects.bulk_update(updated, FILLABLE)
        batch.merged += len(filled)
        done += len(chunk)
        set_progress("import", batch.pk, 90 * done // total)
    # New contacts, and matches deleted since the preview: in one statement, database
    # side, as 30,000 model objects would cost seconds of Python for nothing.
    batch.created = _insert_contacts(batch, new)
    PreviewRow.objects.filter(batch=batch).delete()
    batch.status, batch.progress, batch.data, batch.file_name = Status.DONE, 100, None, ""
    batch.finished_at = timezone.now()
    batch.save()
    audit_log(
        actor=batch.owner,
        action=Action.CREATED,
        obj=batch,
        detail=f"imported: {batch.created} new, {batch.merged} merged, "
        f"{batch.to_skip} skipped, {batch.suppressed} suppressed",
    )
    set_progress("import", batch.pk, 100)


def _held_by_email(batch: Batch, emails: set[str]) -> dict[str, int]:
    """The owner's contacts with any of these (lower-case) emails: email -> id. Emails
    are unique per owner, case-insensitively."""
    held = Contact.objects.filter(owner=batch.owner).annotate(address=Lower("email"))
    return dict(held.filter(address__in=emails).values_list("address", "pk"))


def _leave_out_emails_held(batch: Batch, rows: list[PreviewRow]) -> None:
    """A merge fills a blank email only if no other contact of the owner has it (one
    email per owner): such a row's email is left out of the merge."""
    taken = _held_by_email(batch, {row.email.lower() for row in rows if row.email})
    for row in rows:
        if row.email.lower() in taken:
            row.email = ""


def _match_added_since(batch: Batch, new) -> None:
    """A contact with the same email, added by hand since the preview, is merged into
    rather than added twice (one email per owner): one query per thousand rows."""
    emailed = new.exclude(email="").values_list("pk", "email")
    for chunk in _chunks(emailed.iterator(chunk_size=CHUNK)):
        held = _held_by_email(batch, {email.lower() for _, email in chunk})
        found = [
            PreviewRow(pk=pk, action=RowAction.MERGE, match_id=held[email.lower()])
            for pk, email in chunk
            if email.lower() in held
        ]
        PreviewRow.objects.bulk_update(found, ["action", "match"])


def _suppressed_since(batch: Batch) -> int:
    """Someone erased (and suppressed) after the preview was made is left out too. The
    rows are hashed only if the suppression list has grown since then, which is rare."""
    if not Suppression.objects.filter(created_at__gte=batch.created_at).exists():
        return 0
    left_out = []
    wanted = PreviewRow.objects.filter(batch=batch).exclude(action=RowAction.SKIP)
    people = wanted.exclude(email="", phone="").values_list("pk", "email", "phone")
    for chunk in _chunks(people.iterator(chunk_size=CHUNK)):
        gone = suppressed_among([(email, phone) for _, email, phone in chunk])
        left_out += [chunk[n][0] for n in gone]
    PreviewRow.objects.filter(pk__in=left_out).delete()
    return len(left_out)


# Contact's columns as INSERT ... SELECT fills them from a PreviewRow: the row's own
# column, an SQL expression, or a value given in _insert_contacts. A new field on
# Contact must be added here (the import refuses to run, and its tests fail, until it is).
_FROM_ROW = {
    "first_name": "CASE WHEN first_name = '' THEN last_name ELSE first_name END",
    "last_name": "CASE WHEN first_name = '' THEN '' ELSE last_name END",
    "organisation": "organisation",
    "role": "role",
    "email": "email",
    "phone": "phone",
    "profile_url": "profile_url",
    "notes": "notes",
    "lawful_basis": "''",
    "consent_expires_on": "NULL",
    "notice_delivered_on": "NULL",
    "last_activity_on": "NULL",  # nothing logged or reviewed yet
    "last_reviewed_on": "NULL",
    "last_decision": "''",
    "year_given": "0",
    "year_received": "0",
    "year_mutual": "0",
    "touch_ideal_on": "NULL",  # worked out once the rows are in (contacts_touch)
    "touch_max_on": "NULL",
}


def _insert_contacts(batch: Batch, rows) -> int:
    """Create a contact from each of `rows`: the import's relationship and channel,
    created now, which starts the Art. 14 clock (their details did not come from
    them). Returns how many."""
    now = timezone.now()
    given = {
        "owner": batch.owner_id,
        "kind": batch.kind,
        "source_channel": batch.channel,
        "created_at": now,
        "updated_at": now,
    }
    fields = [f for f in Contact._meta.concrete_fields if not f.primary_key]
    unknown = {f.name for f in fields} - set(_FROM_ROW) - set(given)
    if unknown:
        raise RuntimeError(f"The import does not know how to fill Contact.{unknown.pop()}.")
    quote = connection.ops.quote_name
    columns = ", ".join(quote(f.column) for f in fields)
    select = ", ".join(_FROM_ROW.get(f.name, "%s") for f in fields)
    params = [f.get_db_prep_save(given[f.name], connection) for f in fields if f.name in given]
    chosen, chosen_params = rows.order_by().values("pk").query.sql_with_params()
    row = PreviewRow._meta
    sql = (
        f"INSERT INTO {quote(Contact._meta.db_table)} ({columns}) "
        f"SELECT {select} FROM {quote(row.db_table)} "
        f"WHERE {quote(row.pk.column)} IN ({chosen}) "
        f"ORDER BY {quote(row.get_field('line').column)}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, *chosen_params])
        created = cursor.rowcount
    # Their stay-in-touch days, by the same rule as for any contact: found by the
    # moment they were made (the index on owner and created_at).
    contacts_touch(contacts=Contact.objects.filter(owner=batch.owner_id, created_at=now))
    return created


@transaction.atomic
def cancel(*, batch: Batch) -> bool:
    """Drop an import still waiting for the person (not one being imported)."""
    locked = Batch.objects.select_for_update().defer("data").filter(pk=batch.pk).first()
    if locked is None or locked.status not in {Status.MAPPING, Status.READY}:
        return False
    PreviewRow.objects.filter(batch=batch).delete()
    Batch.objects.filter(pk=batch.pk).update(
        status=Status.CANCELLED, data=None, file_name="", finished_at=timezone.now()
    )
    return True


def expire() -> int:
    """Delete imports left unfinished (or refused) past IMPORT_KEPT, with their file and
    preview; finished ones keep only their counts."""
    now = timezone.now()
    stale = Batch.objects.filter(created_at__lt=now - IMPORT_KEPT).exclude(status=Status.DONE)
    # An import still importing after a day lost its job (a worker died, a broker reset).
    stale = stale.exclude(status=Status.IMPORTING, created_at__gte=now - 2 * IMPORT_KEPT)
    count = stale.count()
    stale.delete()
    return count

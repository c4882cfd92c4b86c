"""Merging two records of one person that a recruiter already holds (found by
contacts.duplicates). Everything that points at the record given up moves to the record
kept, so no history, evidence or request is lost; then the record given up is deleted.

What points at a contact is read from the models, not listed by hand, and each kind of
relation is handled one way:

- many-to-many (activities, outcomes, tags, reflections, data requests): the links
  move, and a row linked to both contacts stays linked once;
- one-to-one (the contact's own cadence, a retention warning): the kept contact's
  wins; the other's moves across only when the kept contact has none;
- foreign key (consent and basis history, notice deliveries, disclosures, reviews,
  testimony requests, an import's match): the rows move.

KNOWN names every relation this was decided for. A relation added later stops every
merge until someone decides how it merges and adds it there (a test says so first).
"""

import copy
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.db import models, transaction
from django.db.models import Count, QuerySet
from django.utils.text import capfirst

from accounts.models import User
from consent.services import consent_state_rebuild
from contacts.duplicates import FILLABLE, KEY_FIELDS, REASONS, fill_blanks, groups
from contacts.forms import MAX_TAGS
from contacts.models import Activity, Contact
from netlog.access import can_edit, editable_by
from netlog.history import AppendOnlyModel
from privacy.models import Action, SensitiveConfirmation
from privacy.services import audit_log, sensitive_forget
from reviews.models import Review
from reviews.summary import activities_classify, contacts_summarise

LINKS, ONE, ROWS = "links", "one", "rows"

# Every relation to Contact the merge has been thought through for, as
# "app_label.Model.field" (the field that points at the contact, wherever it is).
KNOWN = frozenset(
    {
        "contacts.Contact.tags",
        "contacts.Activity.contacts",
        "contacts.Outcome.contacts",
        "reviews.Reflection.contacts",
        "privacy.DataRequest.contacts",
        # Append-only history: see _repoint for why these rows may be moved at all.
        "consent.LawfulBasisRecord.contact",
        "consent.ConsentRecord.contact",
        "consent.NoticeDelivery.contact",
        "consent.Disclosure.contact",
        # Evidence and settings of the relationship, which is the kept contact's now.
        "reviews.Review.contact",
        "reviews.TestimonyRequest.contact",
        "reviews.Cadence.contact",
        # Kept only while its owner is warned; the nightly job drops it if the merged
        # contact turns out to be active, and erasure checks again before acting.
        "privacy.RetentionWarning.contact",
        # An import preview that matched the record given up now matches the one kept.
        "imports.PreviewRow.match",
    }
)


class MergeError(ValueError):
    """A merge that cannot be done; the message is for the user."""


@dataclass(frozen=True)
class Relation:
    key: str  # "app_label.Model.field", as in KNOWN
    table: type[models.Model]  # whose rows move: the related model, or a link table
    column: str  # the field of `table` that points at the contact
    kind: str  # LINKS, ONE or ROWS
    far_end: str  # LINKS only: the link table's field for the other end
    model: type[models.Model]  # what a row is, for saying how many moved


@cache
def relations() -> tuple[Relation, ...]:
    """Every relation to Contact, hidden ones (related_name="+") included."""
    found = []
    for field in Contact._meta.get_fields(include_hidden=True):
        if not field.is_relation or field.related_model._meta.auto_created:
            continue  # a plain field, or a link table (its many-to-many field covers it)
        if field.many_to_many:
            # Declared on Contact (the tags) or on the other model (Activity.contacts).
            m2m = field if field.concrete else field.field
            ours, theirs = m2m.m2m_field_name(), m2m.m2m_reverse_field_name()
            if not field.concrete:
                ours, theirs = theirs, ours
            key = f"{m2m.model._meta.label}.{m2m.name}"
            through = m2m.remote_field.through
            found.append(Relation(key, through, ours, LINKS, theirs, field.related_model))
        elif field.auto_created:  # a foreign key or one-to-one on another model
            key = f"{field.related_model._meta.label}.{field.field.name}"
            kind = ONE if field.one_to_one else ROWS
            model = field.related_model
            found.append(Relation(key, model, field.field.name, kind, "", model))
    return tuple(found)


def unknown_relations() -> set[str]:
    return {r.key for r in relations()} - KNOWN


def _moving(relation: Relation, keep: Contact, other: Contact) -> QuerySet:
    """The rows of `other` that will become `keep`'s."""
    rows = relation.table.objects.filter(**{relation.column: other})
    if relation.kind == LINKS:
        held = relation.table.objects.filter(**{relation.column: keep})
        return rows.exclude(**{f"{relation.far_end}__in": held.values(relation.far_end)})
    if relation.kind == ONE and relation.table.objects.filter(**{relation.column: keep}).exists():
        return rows.none()
    return rows


def _repoint(rows: QuerySet, relation: Relation, keep: Contact) -> None:
    if issubclass(relation.table, AppendOnlyModel):
        # History is never updated, except here and in erasure. The records stay as
        # they were written (who, when, what, under which notice); only the record of
        # the person they belong to changes, because both records were that person all
        # along. Leaving them on the record given up would delete them with it, and
        # with them the proof of consent. The plain QuerySet.update is the bypass that
        # AppendOnlyQuerySet refuses to everyone else (as privacy.services does).
        models.QuerySet.update(rows, **{relation.column: keep})
    else:
        rows.update(**{relation.column: keep})


def _move(relation: Relation, keep: Contact, other: Contact) -> None:
    _repoint(_moving(relation, keep, other), relation, keep)
    if relation.kind != ROWS:
        # What did not move: links the kept contact already had, or a one-to-one row
        # that the kept contact's own replaces.
        relation.table.objects.filter(**{relation.column: other}).delete()


def _move_justifications(keep: Contact, other: Contact, filled: list[str]) -> None:
    """The guard's reasons for keeping flagged notes go with the notes: to the kept
    contact if its notes were blank and take the other's, else away with the text."""
    if "notes" in filled:
        rows = SensitiveConfirmation.objects.filter(
            object_type=other._meta.label_lower, object_id=other.pk
        )
        # As in _repoint: the justification is history, re-pointed, never rewritten.
        models.QuerySet.update(rows, object_id=keep.pk)
    else:
        sensitive_forget(other)


def _cap_tags(contact: Contact, own: set[int]) -> int:
    """At most MAX_TAGS tags: the kept contact's own first, then the other's by name.
    Returns how many of the other's were dropped."""
    tags = list(contact.tags.order_by("name", "pk").values_list("pk", flat=True))
    tags.sort(key=lambda pk: pk not in own)  # stable: by name within each group
    if beyond := tags[MAX_TAGS:]:
        contact.tags.remove(*beyond)
    return len(beyond)


@transaction.atomic
def contacts_merge(*, keep: Contact, other: Contact, by: User) -> Contact:
    """Merge `other` into `keep`, both `by`'s own contacts, and delete `other`.

    Everything linked to `other` moves to `keep` (see the module's docstring). `keep`'s
    blank details take `other`'s (contacts.duplicates.fill_blanks) and its filled ones
    stay, as do its relationship and how you met; it keeps the earlier of the two
    `created_at`s, since the Art. 14 clock started when the data was first held. Its
    lawful basis, consent and notice date are worked out again from the joined
    history. Tags are the union; over MAX_TAGS, keep's own stay and the other's fill
    the rest by name (the audit entry says how many were dropped).

    Raises PermissionDenied unless `by` is the recruiter who holds both, MergeError
    when they are the same contact or one is gone. Returns `keep` as now saved."""
    if unknown := unknown_relations():
        raise ImproperlyConfigured(
            f"contacts.merge does not know how to merge {sorted(unknown)}: add to KNOWN."
        )
    if keep.pk == other.pk:
        raise MergeError("A contact cannot be merged with itself.")
    # Locked in id order, so two merges of the same pair cannot deadlock.
    locked = Contact.objects.select_for_update().filter(pk__in=[keep.pk, other.pk])
    locked = {c.pk: c for c in locked.order_by("pk")}
    if len(locked) < 2:
        raise MergeError("One of these contacts is no longer there.")
    keep, other = locked[keep.pk], locked[other.pk]
    if not (can_edit(keep, by) and can_edit(other, by)):
        raise PermissionDenied("Only the recruiter who holds both contacts can merge them.")
    own_tags = set(keep.tags.values_list("pk", flat=True))
    filled = fill_blanks(keep, other)
    keep.created_at = min(keep.created_at, other.created_at)
    for relation in relations():
        _move(relation, keep, other)
    _move_justifications(keep, other, filled)
    other_pk = other.pk
    # Deleted before `keep` is saved: `keep` may take the other's email, which is unique.
    other.delete()
    keep.save(update_fields=[*filled, "created_at", "updated_at"])
    consent_state_rebuild(contact=keep)
    contacts_summarise(contacts=[keep.pk])  # the links and reviews moved in bulk
    activities_classify(activities=keep.activities.values("pk"))  # `other` may differ in kind
    dropped = _cap_tags(keep, own_tags)
    detail = f"merged contact {other_pk}" + (
        f"; {dropped} tag(s) over the limit" if dropped else ""
    )
    audit_log(actor=by, action=Action.CHANGED, obj=keep, detail=detail)
    return keep


# What the pages show


@dataclass
class FieldRow:
    label: str
    kept: object
    other: object
    result: object
    # "filled" (from the other), "dropped" (the other's differs), "kept", "" (both
    # empty), or "earlier" (the dates added: the earlier one is kept)
    state: str


@dataclass
class Preview:
    fields: list[FieldRow]
    moves: list[tuple[str, int]]


def moves(*, keep: Contact, other: Contact) -> list[tuple[str, int]]:
    """(what, how many) of what a merge would move to `keep`, leaving out nothing but
    rows it already has; one count per relation."""
    counts = []
    for relation in relations():
        if n := _moving(relation, keep, other).count():
            meta = relation.model._meta
            counts.append((str(meta.verbose_name if n == 1 else meta.verbose_name_plural), n))
    return counts


def describe(counts: Iterable[tuple[str, int]]) -> str:
    """The counts in words: "3 activities, 2 consent records and 1 review"."""
    parts = [f"{n} {what}" for what, n in counts]
    if not parts:
        return "nothing"
    return parts[0] if len(parts) == 1 else f"{', '.join(parts[:-1])} and {parts[-1]}"


def _field_row(label: str, kept, other, result, filled: bool) -> FieldRow:
    if filled:
        state = "filled"
    elif other not in ("", None) and other != kept:
        state = "dropped"
    else:
        state = "kept" if kept not in ("", None) else ""
    return FieldRow(label, kept, other, result, state)


def merge_preview(*, keep: Contact, other: Contact) -> Preview:
    """Field by field, what `keep` will hold after the merge, and what moves to it."""
    merged = copy.copy(keep)
    filled = fill_blanks(merged, other)
    rows = []
    for name in FILLABLE:
        label = capfirst(Contact._meta.get_field(name).verbose_name)
        value = getattr(merged, name)
        rows.append(
            _field_row(label, getattr(keep, name), getattr(other, name), value, name in filled)
        )
    for name in ["kind", "source_channel"]:
        label = capfirst(Contact._meta.get_field(name).verbose_name)
        display = f"get_{name}_display"
        kept, theirs = getattr(keep, display)(), getattr(other, display)()
        rows.append(_field_row(label, kept, theirs, kept, False))
    added = min(keep.created_at, other.created_at)
    rows.append(FieldRow("Added", keep.created_at, other.created_at, added, "earlier"))
    return Preview(rows, moves(keep=keep, other=other))


# The duplicates page

GROUPS_SHOWN = 50


@dataclass
class Group:
    reason: str  # in words: "same email"
    members: list[Contact]  # oldest first, each with .activity_count and .review_count


def duplicate_groups(user: User) -> tuple[list[Group], int]:
    """The first GROUPS_SHOWN groups of `user`'s own contacts that look like one person,
    and how many groups there are in all. Three queries however many there are: the
    contacts, then the activity and review counts of those shown."""
    contacts = editable_by(Contact.objects.all(), user).only(*KEY_FIELDS, "created_at")
    found = groups(contacts.order_by("pk"))
    shown = [Group(REASONS[reason], members) for reason, members in found[:GROUPS_SHOWN]]
    members = {c.pk: c for group in shown for c in group.members}
    activities = _counts(Activity.contacts.through.objects, "contact", members)
    reviews = _counts(Review.objects, "contact", members)
    for pk, contact in members.items():
        contact.activity_count = activities.get(pk, 0)
        contact.review_count = reviews.get(pk, 0)
    return shown, len(found)


def _counts(rows: QuerySet, column: str, contacts: dict[int, Contact]) -> dict[int, int]:
    if not contacts:
        return {}
    per_contact = rows.filter(**{f"{column}__in": list(contacts)}).values_list(column)
    return dict(per_contact.order_by().annotate(n=Count("pk")))

"""What is stored for speed, worked out from other rows so that pages read one:

- each contact's last activity, last review date and last decision, its last year's
  activities by direction, and the last days within its stay-in-touch gaps
  (Contact.STORED_FIELDS), so that stay in touch, reviews due, retention and
  reciprocity read one row per contact instead of the whole networking log and the
  cadences;
- whether each activity is private (Activity.private_rule(): personal / social
  contacts and no professional one), so that every read hiding private life, a
  manager's above all, filters one column instead of testing each activity's links;
- how many shared activities each owner logged each day in each direction
  (ActivityDay), so that network health reads a team's year from a few thousand rows.
  These are kept by adding and taking away (an upsert that adds), which two writers at
  once cannot get wrong the way recounting could; activity_days_recount checks them.

`contacts_summarise` and `activities_classify` work them out again. The signal
receivers below call them for every change made through the ORM one row at a time
(forms, the admin, the demo, factories, erasure's deletes); code that moves links in
bulk (a merge, the data generator) calls them itself.
"""

import datetime
import logging
from collections import Counter
from collections.abc import Iterable

from django.db import connection, transaction
from django.db.models import Count, F, Max, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce, TruncDate
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete, pre_save
from django.dispatch import receiver
from django.utils import timezone

from accounts.models import User
from contacts.models import Activity, Contact, Direction
from netlog.functions import AddDays
from reviews.models import (
    DEFAULT_IDEAL_DAYS,
    DEFAULT_MAX_DAYS,
    ActivityDay,
    Cadence,
    Review,
    latest_review,
)
from reviews.services import YEAR

Links = Activity.contacts.through
Day = tuple[int, datetime.date, str]  # owner id, date, direction: an ActivityDay's key
KEY = ("owner_id", "date", "direction")
DAYS_PER_STATEMENT = 200  # 4 parameters each: within SQLite's oldest limit of 999

logger = logging.getLogger(__name__)


def contacts_summarise(*, contacts: Iterable[int] | None = None) -> int:
    """Store the summary of these contacts (ids, or a query of them), or of every
    contact when None. Returns how many rows were updated.

    The year's counts are of activities dated after today - YEAR, today's included and
    any dated ahead; contacts_rebalance moves the year on each night."""
    links = Links.objects.filter(contact=OuterRef("pk")).order_by().values("contact")
    since = timezone.localdate() - YEAR

    def year(direction: str) -> Coalesce:
        counted = links.filter(activity__date__gt=since, activity__direction=direction)
        return Coalesce(Subquery(counted.annotate(n=Count("pk")).values("n")), 0)

    last_activity = Subquery(links.annotate(last=Max("activity__date")).values("last"))
    return _rows(contacts).update(
        last_activity_on=last_activity,
        last_reviewed_on=latest_review("reviewed_on"),
        last_decision=Coalesce(latest_review("decision"), Value("")),
        year_given=year(Direction.GIVEN),
        year_received=year(Direction.RECEIVED),
        year_mutual=year(Direction.MUTUAL),
        **_touch(last_activity),  # an UPDATE's right-hand sides read the row as it was
    )


def contacts_touch(*, contacts: Iterable[int] | None = None) -> int:
    """Store the stay-in-touch days of these contacts (ids, or a query of them), or of
    every contact when None, from their stored last activity: for a change of cadence,
    kind or the day they were added. Returns how many rows were updated."""
    return _rows(contacts).update(**_touch(F("last_activity_on")))


def _rows(contacts):
    """The contacts to write, locked first (in id order) when they are some rather than
    all: on PostgreSQL an UPDATE that waits for another transaction's lock on a row
    then writes it from its own, older view of the links and cadences, and would
    leave out what that transaction added (a link, a cadence); the statement after a
    lock is taken sees it."""
    if contacts is None:
        return Contact.objects.all()
    rows = Contact.objects.filter(pk__in=contacts)
    if transaction.get_connection().in_atomic_block:
        _lock(rows)
    return rows


def _lock(contacts) -> None:
    """Lock these contacts' rows for this transaction, in id order (two writers locking
    overlapping sets take them in the same order, so neither waits on the other)."""
    list(contacts.order_by("pk").select_for_update(no_key=True).values_list("pk", flat=True))


def _touch(last_activity) -> dict:
    """touch_ideal_on and touch_max_on: the last touch (the last activity, or the local
    day the contact was added) plus the contact's own cadence, else its owner's for its
    kind, else the default."""
    own = Cadence.objects.filter(contact=OuterRef("pk"))
    kind = Cadence.objects.filter(owner=OuterRef("owner"), kind=OuterRef("kind"), contact=None)
    last_touch = Coalesce(last_activity, TruncDate("created_at"))

    def gap(days: str, default: int) -> Coalesce:
        return Coalesce(
            Subquery(own.values(days)[:1]), Subquery(kind.values(days)[:1]), Value(default)
        )

    return {
        "touch_ideal_on": AddDays(last_touch, gap("ideal_days", DEFAULT_IDEAL_DAYS)),
        "touch_max_on": AddDays(last_touch, gap("max_days", DEFAULT_MAX_DAYS)),
    }


def contacts_rebalance(*, days: int = 7) -> int:
    """Move the stored year on: summarise again the contacts of activities that left
    it in the last `days` days (dated today - YEAR or up to `days` - 1 days before), so
    that a night or a few missed still come right. Returns how many were updated."""
    since = timezone.localdate() - YEAR
    left = Links.objects.filter(
        activity__date__gt=since - datetime.timedelta(days=days), activity__date__lte=since
    )
    return contacts_summarise(contacts=left.values("contact"))


@transaction.atomic
def activities_classify(*, activities=None) -> int:
    """Store `private` for these activities (ids, or a query of them), or for every
    activity when None, writing only those whose answer changed. Returns how many.

    The activities' contacts are locked first, in id order: a change of one's kind in
    another transaction, not yet committed, is waited for and then read, rather than
    read as it was (and a change of kind that comes later waits for this one, then sees
    its links). Without it, a link added while its contact was being made personal
    could leave an activity marked shared. activities_reclassify (nightly) checks
    every activity again."""
    rows = Activity.objects.all()
    if activities is not None:
        rows = rows.filter(pk__in=activities)
        contacts = Links.objects.filter(activity__in=rows).values("contact")
        _lock(Contact.objects.filter(pk__in=contacts))
    rule = Activity.private_rule()
    to_private, to_shared = rows.filter(rule, private=False), rows.filter(~rule, private=True)
    days = Counter({day: -n for day, n in _days_of(to_private).items()})
    days.update(_days_of(to_shared))
    changed = to_private.update(private=True) + to_shared.update(private=False)
    activity_days_add(days)
    return changed


def _days_of(activities) -> Counter[Day]:
    rows = activities.values_list(*KEY).annotate(n=Count("pk")).order_by()
    return Counter({(owner, day, direction): n for owner, day, direction, n in rows})


def activity_days_add(days: Counter[Day]) -> None:
    """Add each of `days`' numbers (negative: take away) to its ActivityDay, in one
    statement that adds to the row as it stands when written, however many writers."""
    rows = sorted((*day, n) for day, n in days.items() if n)  # one order: no deadlock
    table = connection.ops.quote_name(ActivityDay._meta.db_table)
    with connection.cursor() as cursor:
        for start in range(0, len(rows), DAYS_PER_STATEMENT):
            batch = rows[start : start + DAYS_PER_STATEMENT]
            params = []
            for owner, day, direction, n in batch:
                params += [owner, connection.ops.adapt_datefield_value(day), direction, n]
            cursor.execute(
                f"INSERT INTO {table} (owner_id, date, direction, activities) VALUES "
                + ", ".join(["(%s, %s, %s, %s)"] * len(batch))
                + " ON CONFLICT (owner_id, date, direction)"
                f" DO UPDATE SET activities = {table}.activities + EXCLUDED.activities",
                params,
            )


def activity_days_recount(*, owners: Iterable[int] | None = None) -> int:
    """Check these owners' ActivityDay rows (every user's when None) against the log,
    owner by owner, and put right those that differ; drops rows counting nothing.
    Returns how many were put right (a write around the receivers, a race)."""
    corrected = 0
    for owner in User.objects.values_list("pk", flat=True) if owners is None else owners:
        with transaction.atomic():
            # Their rows locked first: a writer adding to one waits, then adds to what is
            # written here, which its activity (not committed when counted) is not in.
            stored = ActivityDay.objects.filter(owner=owner)
            have = {
                (day, way): (pk, n)
                for pk, day, way, n in stored.select_for_update().values_list(
                    "pk", "date", "direction", "activities"
                )
            }
            log = Activity.objects.filter(owner=owner, private=False)
            truth = {(day, way): n for (_, day, way), n in _days_of(log).items()}
            wrong = [
                key
                for key in truth.keys() | have.keys()
                if truth.get(key, 0) != have.get(key, (None, 0))[1]
            ]
            gone = [have[key][0] for key in wrong if not truth.get(key)]
            gone += [pk for pk, n in have.values() if n == 0]  # rows counting nothing go too
            for start in range(0, len(gone), 1000):
                ActivityDay.objects.filter(pk__in=gone[start : start + 1000]).delete()
            ActivityDay.objects.bulk_create(
                (
                    ActivityDay(owner_id=owner, date=day, direction=way, activities=truth[day, way])
                    for day, way in wrong
                    if truth.get((day, way))
                ),
                batch_size=1000,
                update_conflicts=True,  # one another writer added meanwhile: this is the count
                unique_fields=["owner", "date", "direction"],
                update_fields=["activities"],
            )
        corrected += len(wrong)
    return corrected


def _activities_of(contact: Contact):
    """The ids of the contact's activities: a query, for a subquery or a list."""
    return Links.objects.filter(contact=contact).values_list("activity", flat=True)


def _linked(activity: Activity) -> list[int]:
    return list(Links.objects.filter(activity=activity).values_list("contact_id", flat=True))


def _as_stored(activity: Activity) -> tuple[Day, bool] | None:
    """The activity's day and private flag as the database holds them (the instance's
    own may be older: the flag is written by queries, not by save)."""
    row = Activity.objects.filter(pk=activity.pk).values_list(*KEY, "private").first()
    return (row[:3], row[3]) if row else None


@receiver(pre_save, sender=Activity)
def _activity_saving(sender, instance: Activity, raw: bool = False, update_fields=None, **kwargs):
    moves = update_fields is None or {"owner", "date", "direction"} & set(update_fields)
    if not raw and not instance._state.adding and moves:
        instance._counted_before = _as_stored(instance)


@receiver(post_save, sender=Activity)
def _activity_saved(sender, instance: Activity, created: bool, raw: bool = False, **kwargs):
    if raw:
        return
    date = Activity._meta.get_field("date").to_python(instance.date)  # as it was stored
    day = (instance.owner_id, date, instance.direction)
    if created:  # no contacts until they are added, so nothing to summarise yet
        if not instance.private:
            activity_days_add(Counter({day: 1}))
        return
    contacts_summarise(contacts=_linked(instance))
    before = getattr(instance, "_counted_before", None)
    if before and not before[1] and before[0] != day:  # save() never writes `private`
        activity_days_add(Counter({before[0]: -1, day: 1}))
    instance._counted_before = None


@receiver(pre_delete, sender=Activity)
def _activity_deleting(sender, instance: Activity, **kwargs):
    instance._summarise_after_delete = _linked(instance)
    instance._counted_before = _as_stored(instance)


@receiver(post_delete, sender=Activity)
def _activity_deleted(sender, instance: Activity, **kwargs):
    contacts_summarise(contacts=getattr(instance, "_summarise_after_delete", []))
    before = getattr(instance, "_counted_before", None)
    if before and not before[1]:
        activity_days_add(Counter({before[0]: -1}))


@receiver(m2m_changed, sender=Links)
def _links_changed(sender, instance, action: str, reverse: bool, pk_set, **kwargs):
    """`activity.contacts` changed (reverse: `contact.activities`)."""
    if action == "pre_clear":
        instance._summarise_after_clear = [instance.pk] if reverse else _linked(instance)
        instance._classify_after_clear = (
            list(_activities_of(instance)) if reverse else [instance.pk]
        )
    elif action == "post_clear":
        contacts_summarise(contacts=getattr(instance, "_summarise_after_clear", []))
        activities_classify(activities=getattr(instance, "_classify_after_clear", []))
    elif action in {"post_add", "post_remove"}:
        contacts_summarise(contacts=[instance.pk] if reverse else pk_set or [])
        activities_classify(activities=(pk_set or []) if reverse else [instance.pk])


@receiver(post_save, sender=Contact)
def _contact_saved(
    sender, instance: Contact, created: bool, update_fields=None, raw: bool = False, **kwargs
):
    """New, its stay-in-touch days start from the day it was added. Its kind may have
    changed: its activities may have become private, or not, and its kind's cadence
    may be another; or the day it was added (a merge keeps the earlier)."""
    if raw:
        return
    changed = set(update_fields) if update_fields is not None else {"kind", "created_at"}
    if created or changed & {"kind", "created_at"}:
        contacts_touch(contacts=[instance.pk])
    if not created and "kind" in changed:
        activities_classify(activities=_activities_of(instance))


@receiver(pre_save, sender=Cadence)
def _cadence_saving(sender, instance: Cadence, raw: bool = False, **kwargs):
    if not raw and not instance._state.adding:  # a cadence moved elsewhere leaves its old
        instance._touched_before = Cadence.objects.filter(pk=instance.pk).first()


@receiver(post_save, sender=Cadence)
@receiver(post_delete, sender=Cadence)
def _cadence_changed(sender, instance: Cadence, raw: bool = False, **kwargs):
    """The contacts it sets the gaps of: its contact, or its owner's of its kind."""
    if raw:
        return
    before = getattr(instance, "_touched_before", None)
    instance._touched_before = None
    for contact, owner, kind in {
        (c.contact_id, c.owner_id, c.kind) for c in (instance, before) if c is not None
    }:
        if contact:
            contacts_touch(contacts=[contact])
        else:
            of_kind = Contact.objects.filter(owner=owner, kind=kind)
            contacts_touch(contacts=of_kind.values("pk"))


@receiver(pre_delete, sender=Contact)
def _contact_deleting(sender, instance: Contact, **kwargs):
    # Its links go with it, without m2m_changed: an activity it was the only
    # professional contact of becomes private.
    instance._classify_after_delete = list(_activities_of(instance))


@receiver(post_delete, sender=Contact)
def _contact_deleted(sender, instance: Contact, **kwargs):
    activities_classify(activities=getattr(instance, "_classify_after_delete", []))


@receiver(post_save, sender=Review)
@receiver(post_delete, sender=Review)
def _review_changed(sender, instance: Review, raw: bool = False, **kwargs):
    if instance.contact_id and not raw:
        contacts_summarise(contacts=[instance.contact_id])

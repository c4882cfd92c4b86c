"""What is stored for speed, worked out from other rows so that pages read one:

- each contact's last activity, last review date and last decision, and its last
  year's activities by direction (Contact.STORED_FIELDS), so that stay in touch,
  reviews due, retention and reciprocity read one row per contact instead of the
  whole networking log;
- whether each activity is private (Activity.private_rule(): personal / social
  contacts and no professional one), so that every read hiding private life, a
  manager's above all, filters one column instead of testing each activity's links.

`contacts_summarise` and `activities_classify` work them out again. The signal
receivers below call them for every change made through the ORM one row at a time
(forms, the admin, the demo, factories, erasure's deletes); code that moves links in
bulk (a merge, the data generator) calls them itself.
"""

import datetime
from collections.abc import Iterable

from django.db import transaction
from django.db.models import Count, Max, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete
from django.dispatch import receiver
from django.utils import timezone

from contacts.models import Activity, Contact, Direction
from reviews.models import Review, latest_review
from reviews.services import YEAR

Links = Activity.contacts.through


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

    rows = Contact.objects.all() if contacts is None else Contact.objects.filter(pk__in=contacts)
    return rows.update(
        last_activity_on=Subquery(links.annotate(last=Max("activity__date")).values("last")),
        last_reviewed_on=latest_review("reviewed_on"),
        last_decision=Coalesce(latest_review("decision"), Value("")),
        year_given=year(Direction.GIVEN),
        year_received=year(Direction.RECEIVED),
        year_mutual=year(Direction.MUTUAL),
    )


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
        locked = Contact.objects.filter(pk__in=contacts).order_by("pk")
        list(locked.select_for_update(no_key=True).values_list("pk", flat=True))
    rule = Activity.private_rule()
    return rows.filter(rule, private=False).update(private=True) + rows.filter(
        ~rule, private=True
    ).update(private=False)


def _activities_of(contact: Contact):
    """The ids of the contact's activities: a query, for a subquery or a list."""
    return Links.objects.filter(contact=contact).values_list("activity", flat=True)


def _linked(activity: Activity) -> list[int]:
    return list(Links.objects.filter(activity=activity).values_list("contact_id", flat=True))


@receiver(post_save, sender=Activity)
def _activity_saved(sender, instance: Activity, created: bool, raw: bool = False, **kwargs):
    if not created and not raw:  # a new activity has no contacts until they are added
        contacts_summarise(contacts=_linked(instance))


@receiver(pre_delete, sender=Activity)
def _activity_deleting(sender, instance: Activity, **kwargs):
    instance._summarise_after_delete = _linked(instance)


@receiver(post_delete, sender=Activity)
def _activity_deleted(sender, instance: Activity, **kwargs):
    contacts_summarise(contacts=getattr(instance, "_summarise_after_delete", []))


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
    """Its kind may have changed: its activities may have become private, or not."""
    if created or raw or (update_fields is not None and "kind" not in update_fields):
        return
    activities_classify(activities=_activities_of(instance))


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

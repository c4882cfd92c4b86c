"""The calendar feed link's lifecycle: made (or replaced), opened by the calendar app,
turned off. Each change is one transaction with its audit entry, which never holds
the token."""

from django.db import transaction
from django.utils import timezone

from accounts.models import Role, User
from netlog.tokens import new_token, token_hash
from privacy.models import Action
from privacy.services import audit_log
from takeout.models import CalendarFeed


@transaction.atomic
def calendar_feed_create(*, owner: User) -> tuple[CalendarFeed, str]:
    """A new link for `owner`, replacing any earlier one; returns the feed and the
    token, which is never stored (only its hash), so the link can be shown only now."""
    token = new_token()
    feed, created = CalendarFeed.objects.update_or_create(
        owner=owner, defaults={"token_hash": token_hash(token), "created_at": timezone.now()}
    )
    audit_log(
        actor=owner,
        action=Action.CREATED if created else Action.CHANGED,
        obj=feed,
        detail="calendar feed link" if created else "calendar feed link replaced",
    )
    return feed, token


@transaction.atomic
def calendar_feed_revoke(*, owner: User) -> bool:
    """Turn `owner`'s link off; False if there was none (a second click)."""
    feed = CalendarFeed.objects.select_for_update().filter(owner=owner).first()
    if feed is None:
        return False
    audit_log(actor=owner, action=Action.DELETED, obj=feed, detail="calendar feed link")
    feed.delete()
    return True


def calendar_feed_open(token: str) -> CalendarFeed | None:
    """The live feed for `token`, or None, whatever the reason: unknown, replaced,
    turned off, or its owner is no longer an active recruiter."""
    if not token:
        return None
    feeds = CalendarFeed.objects.select_related("owner").filter(
        token_hash=token_hash(token), owner__is_active=True, owner__role=Role.RECRUITER
    )
    return feeds.first()

"""Jobs of the reviews app: thin entry points that call a service."""

import logging

from celery import shared_task
from django.utils import timezone

from netlog.jobs import once_a_day
from reviews.reminders import digests_send
from reviews.summary import activities_classify, activity_days_recount, contacts_rebalance

logger = logging.getLogger(__name__)


@shared_task(acks_late=True)
@once_a_day
def reminders_daily() -> int:
    """The daily digest (scheduled by this app's migration); returns emails sent."""
    return digests_send(timezone.localdate())


@shared_task(acks_late=True)
@once_a_day
def activities_reclassify() -> int:
    """Every activity's stored `private` checked against its links, then every
    ActivityDay against the log (scheduled nightly by this app's migration): the
    receivers keep both as changes are made, and this puts right anything they could
    not see, such as a write by code that skips signals. Returns how many flags were
    corrected; any correction is logged (counts only)."""
    corrected = activities_classify()
    if corrected:
        logger.warning("activities_reclassify corrected %d activities' private flag", corrected)
    if days := activity_days_recount():
        logger.warning("activities_reclassify corrected %d days' activity counts", days)
    return corrected


@shared_task(acks_late=True)
@once_a_day
def contacts_year_moved_on() -> int:
    """Each contact's stored year of activities moved on a day (scheduled just after
    midnight by this app's migration): activities that left the year no longer count.
    Returns how many contacts were summarised again."""
    return contacts_rebalance()

"""Jobs of the reviews app: thin entry points that call a service."""

from celery import shared_task
from django.utils import timezone

from reviews.reminders import digests_send


@shared_task(acks_late=True)
def reminders_daily() -> int:
    """The daily digest (scheduled by this app's migration); returns emails sent."""
    return digests_send(timezone.localdate())

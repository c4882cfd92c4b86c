"""Checks shared by the tests of what reviews.summary stores."""

from django.db.models import Count

from contacts.models import Activity
from reviews.models import ActivityDay


def activity_days() -> dict:
    """The stored ActivityDay counts (those counting something), after checking them
    against the log counted afresh."""
    stored = {
        (owner, day, direction): n
        for owner, day, direction, n in ActivityDay.objects.exclude(activities=0).values_list(
            "owner", "date", "direction", "activities"
        )
    }
    log = Activity.objects.filter(private=False).values_list("owner", "date", "direction")
    truth = {(owner, day, way): n for owner, day, way, n in log.annotate(n=Count("pk")).order_by()}
    assert stored == truth
    return stored

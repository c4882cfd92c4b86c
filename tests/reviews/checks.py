"""Checks shared by the tests of what reviews.summary stores."""

from django.db.models import Count

from contacts.models import Activity, Contact
from reviews.models import ActivityDay
from reviews.summary import contacts_summarise

SUMMARY = [
    *("last_activity_on", "last_reviewed_on", "last_decision", "year_given", "year_received"),
    *("year_mutual", "touch_ideal_on", "touch_max_on"),
]


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


def summaries(contacts) -> dict:
    """The contacts' stored summaries, after checking them against the summaries
    worked out afresh (which are then stored: the same, or the check fails)."""
    rows = Contact.objects.filter(pk__in=contacts).order_by("pk")
    kept = {row[0]: row[1:] for row in rows.values_list("pk", *SUMMARY)}
    contacts_summarise(contacts=list(kept))
    assert {row[0]: row[1:] for row in rows.values_list("pk", *SUMMARY)} == kept
    return kept

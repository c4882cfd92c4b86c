"""A recruiter's private calendar feed link. The link's token is shown once, when it
is made; only its SHA-256 is kept, so a copy of the database does not open anyone's
calendar."""

from django.conf import settings
from django.db import models
from django.utils import timezone


class CalendarFeed(models.Model):
    """One link per recruiter: replacing it overwrites the hash, so the old link stops
    working at once; turning it off deletes the row."""

    owner = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feed"
    )
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    def __str__(self) -> str:
        return f"Calendar feed of {self.owner}"

"""An import: the uploaded file, the preview of what it will do row by row, and the
result. The file and the preview rows are deleted once it is committed or cancelled
(and by the nightly job if left); the batch row stays with its counts only."""

import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone

from contacts.models import Channel, Kind


class Source(models.TextChoices):
    LINKEDIN = "linkedin", "LinkedIn Connections.csv"
    VCARD = "vcard", "vCard (.vcf) from a phone or address book"
    CSV = "csv", "Another CSV (you map its columns)"


# Sensible defaults for the whole import: LinkedIn connections and spreadsheets are
# mostly candidates; a phone's address book is mostly private life, kept apart.
DEFAULT_KIND = {
    Source.LINKEDIN: Kind.CANDIDATE,
    Source.VCARD: Kind.PERSONAL,
    Source.CSV: Kind.CANDIDATE,
}
DEFAULT_CHANNEL = {
    Source.LINKEDIN: Channel.LINKEDIN,
    Source.VCARD: Channel.OTHER,
    Source.CSV: Channel.OTHER,
}


class Status(models.TextChoices):
    MAPPING = "mapping", "Waiting for its columns"
    READING = "reading", "Reading the file"
    READY = "ready", "Ready to import"
    IMPORTING = "importing", "Importing"
    DONE = "done", "Imported"
    FAILED = "failed", "Not imported"
    CANCELLED = "cancelled", "Cancelled"


# A preview left unconfirmed is deleted after this long (it holds people's details).
IMPORT_KEPT = datetime.timedelta(days=1)


class Batch(models.Model):
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    source = models.CharField(max_length=10, choices=Source.choices)
    kind = models.CharField(
        "relationship for everyone imported", max_length=20, choices=Kind.choices
    )
    channel = models.CharField("how you got their details", max_length=20, choices=Channel.choices)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.READING)
    progress = models.PositiveSmallIntegerField(default=0)  # per cent
    file_name = models.CharField(max_length=200, blank=True)
    data = models.BinaryField(null=True, blank=True, editable=False)
    mapping = models.JSONField(default=dict, blank=True)  # field -> column (another CSV)
    problems = models.JSONField(default=list, blank=True)  # why it was not imported
    rows = models.PositiveIntegerField(default=0)
    to_create = models.PositiveIntegerField(default=0)
    to_merge = models.PositiveIntegerField(default=0)
    to_skip = models.PositiveIntegerField(default=0)
    suppressed = models.PositiveIntegerField(default=0)
    created = models.PositiveIntegerField(default=0)
    merged = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(progress__lte=100), name="batch_progress_percent"
            ),
            models.CheckConstraint(
                condition=models.Q(channel__in=Channel.indirect()), name="batch_channel_indirect"
            ),
        ]

    def __str__(self) -> str:
        return f"Import {self.pk} ({self.get_source_display()})"

    @property
    def working(self) -> bool:
        """A job is reading or importing it: its page follows the progress."""
        return self.status in {Status.READING, Status.IMPORTING}


class RowAction(models.TextChoices):
    CREATE = "create", "New contact"
    MERGE = "merge", "Update the contact you have"
    SKIP = "skip", "Skip"


class Why(models.TextChoices):
    NEW = "new", "not in your contacts"
    MATCH_EMAIL = "email", "same email as a contact you have"
    MATCH_PROFILE = "profile", "same profile URL as a contact you have"
    MATCH_NAME = "name", "same name and organisation as a contact you have"
    IN_FILE = "in_file", "the same person as an earlier line of the file"
    NO_NAME = "no_name", "no name"


class PreviewRow(models.Model):
    """One person of the file as the preview shows them. Suppressed people are never
    stored here: the batch counts them, nothing more."""

    batch = models.ForeignKey(Batch, on_delete=models.CASCADE, related_name="preview")
    line = models.PositiveIntegerField()
    action = models.CharField(max_length=10, choices=RowAction.choices)
    why = models.CharField(max_length=10, choices=Why.choices)
    match = models.ForeignKey(
        "contacts.Contact", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    first_name = models.CharField(max_length=100, blank=True)
    last_name = models.CharField(max_length=100, blank=True)
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=30, blank=True)
    profile_url = models.URLField(max_length=500, blank=True)
    organisation = models.CharField(max_length=200, blank=True)
    role = models.CharField(max_length=200, blank=True)
    notes = models.TextField(blank=True)  # goes into the new contact's notes
    remarks = models.CharField(max_length=300, blank=True)  # what the preview says

    class Meta:
        ordering = ["line", "id"]
        indexes = [models.Index(fields=["batch", "action", "line"], name="import_row_batch_action")]

    def __str__(self) -> str:
        return f"Row {self.line}"

    @property
    def name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    @property
    def is_duplicate(self) -> bool:
        return self.match_id is not None

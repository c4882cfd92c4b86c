"""The DPO's workspace: erasure and access requests, the suppression list, retention,
the special-category guard and the audit log.

What is personal data here, and what is not:
- a request holds who asked (name, email, phone) until it is erased with them;
- an erasure record, a suppression digest and an audit event never hold personal data;
- a retained record is the one minimised exception the law requires (reg. 29).
"""

import datetime
import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone

from consent.models import RecordedModel
from netlog.history import AppendOnlyModel
from netlog.paths import path_to


class Action(models.TextChoices):
    VIEWED = "viewed", "Viewed"
    CREATED = "created", "Created"
    CHANGED = "changed", "Changed"
    DELETED = "deleted", "Deleted"
    EXPORTED = "exported", "Exported"
    REQUEST = "request", "Request handled"
    ERASED = "erased", "Erased"
    POLICY = "policy", "Policy changed"


class AuditEvent(AppendOnlyModel):
    """Who read, changed, exported or erased personal data, and when. It names the row
    (type and id) and what was done to it, never the contents: the log must not become
    a second copy of the data it watches."""

    at = models.DateTimeField(default=timezone.now)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="Empty for scheduled jobs.",
    )
    action = models.CharField(max_length=10, choices=Action.choices)
    object_type = models.CharField(max_length=50)
    object_id = models.PositiveBigIntegerField(null=True, blank=True)
    detail = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(action__in=Action.values), name="audit_action_valid")
        ]
        indexes = [
            models.Index(fields=["-at", "-id"], name="audit_at"),
            models.Index(fields=["object_type", "object_id"], name="audit_object"),
            models.Index(fields=["actor", "-at", "-id"], name="audit_actor_at"),
        ]

    def __str__(self) -> str:
        return f"{self.get_action_display()} {self.object_type} {self.object_id or ''}".strip()


class RequestKind(models.TextChoices):
    ERASURE = "erasure", "Erasure"
    ACCESS = "access", "Access"


class ReceivedHow(models.TextChoices):
    EMAIL = "email", "Email (written)"
    LETTER = "letter", "Letter (written)"
    PHONE = "phone", "Phone call (verbal)"
    IN_PERSON = "in_person", "In person (verbal)"


class IdentityMethod(models.TextChoices):
    KNOWN_EMAIL = "known_email", "Confirmed from the email address we hold"
    KNOWN_PHONE = "known_phone", "Called back on the number we hold"
    PHOTO_ID = "photo_id", "Photo ID seen"
    KNOWN_PERSONALLY = "known_personally", "Known to us in person"


class Status(models.TextChoices):
    RECEIVED = "received", "Received"
    APPROVED = "approved", "Approved"
    REFUSED = "refused", "Refused"
    COMPLETED = "completed", "Completed"


class DataRequestQuerySet(models.QuerySet):
    def open(self) -> "DataRequestQuerySet":
        return self.filter(status__in=[Status.RECEIVED, Status.APPROVED])


class DataRequest(models.Model):
    """A person's request to erase (Art. 17) or to see (Art. 15) their data."""

    kind = models.CharField(max_length=10, choices=RequestKind.choices)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.RECEIVED)
    # Who asked: personal data, blanked when the request erases them.
    requester_name = models.CharField("name", max_length=200, blank=True)
    requester_email = models.EmailField("email", blank=True)
    requester_phone = models.CharField("phone", max_length=30, blank=True)
    received_on = models.DateField(default=timezone.localdate)
    received_how = models.CharField(max_length=10, choices=ReceivedHow.choices)
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    due_on = models.DateField()
    identity_method = models.CharField(max_length=20, choices=IdentityMethod.choices, blank=True)
    identity_checked_on = models.DateField(null=True, blank=True)
    extended_on = models.DateField("person told of the extension on", null=True, blank=True)
    extension_reason = models.TextField(blank=True)
    decided_on = models.DateField(null=True, blank=True)
    refusal_reason = models.TextField(blank=True)
    # Conduct of Employment Agencies Regulations 2003, reg. 29: a minimised record is
    # kept until this date instead of being erased.
    keep_until = models.DateField(null=True, blank=True)
    erasure_queued_at = models.DateTimeField(null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    # What was done, in words with no personal data in them.
    outcome = models.TextField(blank=True)
    contacts = models.ManyToManyField("contacts.Contact", blank=True, related_name="data_requests")
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = DataRequestQuerySet.as_manager()

    class Meta:
        ordering = ["due_on", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=RequestKind.values), name="request_kind"),
            models.CheckConstraint(condition=Q(status__in=Status.values), name="request_status"),
            models.CheckConstraint(
                condition=~Q(status=Status.REFUSED) | ~Q(refusal_reason=""),
                name="request_refusal_has_reason",
            ),
            models.CheckConstraint(
                condition=Q(extended_on__isnull=True) | ~Q(extension_reason=""),
                name="request_extension_has_reason",
            ),
            models.CheckConstraint(
                condition=Q(status__in=[Status.RECEIVED, Status.REFUSED])
                | Q(identity_checked_on__isnull=False),
                name="request_approved_after_identity",
            ),
        ]
        indexes = [models.Index(fields=["status", "due_on", "id"], name="request_status_due")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} request {self.pk}"

    def get_absolute_url(self) -> str:
        return path_to("privacy:request_detail", self.pk)

    @property
    def is_open(self) -> bool:
        return self.status in (Status.RECEIVED, Status.APPROVED)

    def due_state(self, today: datetime.date) -> str:
        """'' (closed), 'overdue', 'soon' (within a week) or 'ok'."""
        if not self.is_open:
            return ""
        if self.due_on < today:
            return "overdue"
        return "soon" if (self.due_on - today).days <= 7 else "ok"


class ErasureRecord(AppendOnlyModel):
    """That an erasure happened and what it did, in counts and dates only: it outlives
    the person, so it must not identify them."""

    request = models.OneToOneField(
        DataRequest, on_delete=models.PROTECT, null=True, blank=True, related_name="erasure"
    )
    by_retention = models.BooleanField(default=False)
    completed_at = models.DateTimeField(default=timezone.now)
    contacts_erased = models.PositiveIntegerField(default=0)
    activities_kept = models.PositiveIntegerField(default=0)
    outcomes_kept = models.PositiveIntegerField(default=0)
    records_retained = models.PositiveIntegerField(default=0)
    kept_until = models.DateField(null=True, blank=True)
    sessions_ended = models.PositiveIntegerField(default=0)
    # Third parties who received the data and must be told: [{recipient, what, on}].
    disclosures = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["-completed_at", "-id"]

    def __str__(self) -> str:
        return f"Erasure of {self.contacts_erased} record(s) on {self.completed_at:%d/%m/%Y}"

    def disclosure_rows(self) -> list[dict]:
        """The disclosures with their dates as dates again (JSON keeps them as text)."""
        return [{**d, "on": datetime.date.fromisoformat(d["on"])} for d in self.disclosures]

    def summary(self) -> str:
        parts = [f"Erased {self.contacts_erased} contact record(s)."]
        if self.activities_kept or self.outcomes_kept:
            parts.append(
                f"Kept {self.activities_kept} activit{'y' if self.activities_kept == 1 else 'ies'}"
                f" and {self.outcomes_kept} outcome(s) as evidence, with the person removed."
            )
        if self.records_retained:
            parts.append(
                f"Kept {self.records_retained} minimised record(s) under the Conduct of "
                f"Employment Agencies Regulations 2003 (reg. 29) until "
                f"{self.kept_until:%d/%m/%Y}."
            )
        if self.sessions_ended:
            parts.append(f"Ended {self.sessions_ended} signed-in session(s) of their account.")
        if self.disclosures:
            parts.append(f"Tell {len(self.disclosures)} recipient(s) of their data (listed).")
        return " ".join(parts)


class Suppression(AppendOnlyModel):
    """A keyed hash (HMAC) of an erased person's email or phone: enough to recognise
    them if they are entered again, useless for finding out who they were."""

    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"Suppressed {self.digest[:8]}…"


class RetainedRecord(models.Model):
    """The minimised record an agency must keep (reg. 29) after an erasure: who, what
    kind of relationship, when we last acted for them, and until when it is kept."""

    erasure = models.ForeignKey(ErasureRecord, on_delete=models.PROTECT, related_name="retained")
    name = models.CharField(max_length=200)
    email = models.EmailField(blank=True)
    kind = models.CharField(max_length=20)
    last_service_on = models.DateField()
    keep_until = models.DateField()

    class Meta:
        ordering = ["keep_until", "id"]
        indexes = [models.Index(fields=["keep_until"], name="retained_keep_until")]

    def __str__(self) -> str:
        return f"Retained record until {self.keep_until:%d/%m/%Y}"


class RetentionPolicy(models.Model):
    """One row: how long an inactive contact is kept, and the warning before erasure."""

    inactive_months = models.PositiveSmallIntegerField(
        "erase after this many months with no activity and no live consent",
        default=24,
        validators=[MinValueValidator(6), MaxValueValidator(120)],
    )
    grace_days = models.PositiveSmallIntegerField(
        "days between the owner's warning and erasure",
        default=30,
        validators=[MinValueValidator(7), MaxValueValidator(365)],
    )
    discontinued_months = models.PositiveSmallIntegerField(
        "erase a discontinued relationship after this many months with no activity",
        default=6,
        validators=[MinValueValidator(1), MaxValueValidator(120)],
        help_text="When the last review decided to discontinue it (and no live consent).",
    )
    enabled = models.BooleanField("erase automatically", default=True)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name_plural = "retention policy"

    def __str__(self) -> str:
        return f"Erase after {self.inactive_months} months inactive, {self.grace_days} days' notice"

    @classmethod
    def current(cls) -> "RetentionPolicy":
        """The policy saved, or the defaults until the DPO saves one: reading it (the
        retention page, the daily run's plan) never writes."""
        return cls.objects.filter(pk=1).first() or cls(pk=1)


class RetentionWarning(models.Model):
    """The owner was warned that this contact will be erased on `erase_on`."""

    contact = models.OneToOneField(
        "contacts.Contact", on_delete=models.CASCADE, related_name="retention_warning"
    )
    warned_on = models.DateField()
    erase_on = models.DateField()

    class Meta:
        indexes = [models.Index(fields=["erase_on"], name="retention_erase_on")]

    def __str__(self) -> str:
        return f"Erasure on {self.erase_on:%d/%m/%Y}"


class SensitiveCategory(models.TextChoices):
    AGE = "age", "Age"
    DISABILITY = "disability", "Disability"
    GENDER_REASSIGNMENT = "gender_reassignment", "Gender reassignment"
    MARRIAGE = "marriage", "Marriage or civil partnership"
    PREGNANCY = "pregnancy", "Pregnancy or maternity"
    RACE = "race", "Race or ethnic origin"
    RELIGION = "religion", "Religion or belief"
    SEX = "sex", "Sex"
    SEXUAL_ORIENTATION = "sexual_orientation", "Sexual orientation"
    HEALTH = "health", "Health"
    TRADE_UNION = "trade_union", "Trade union membership"
    POLITICS = "politics", "Political opinions"


def compile_term(pattern: str) -> re.Pattern:
    """A phrase as the guard matches it: whole words, any case. Raises re.error."""
    return re.compile(rf"(?<!\w)(?:{pattern})(?!\w)", re.IGNORECASE)


class SensitiveTerm(models.Model):
    """A phrase that likely records a protected characteristic (Equality Act 2010) or
    special-category data (UK GDPR Art. 9). Data, not code: admins extend the list, and
    a migration loads the starting list from data/sensitive-terms.csv.

    `pattern` is a regular expression matched case-insensitively on whole words."""

    pattern = models.CharField(max_length=200, unique=True)
    category = models.CharField(max_length=20, choices=SensitiveCategory.choices)

    class Meta:
        ordering = ["category", "pattern"]

    def __str__(self) -> str:
        return f"{self.pattern} ({self.get_category_display()})"

    def clean(self) -> None:
        try:
            compiled = compile_term(self.pattern)
        except re.error as error:
            raise ValidationError({"pattern": f"Not a valid pattern: {error}."}) from error
        if compiled.fullmatch(""):
            raise ValidationError(
                {"pattern": "This pattern matches empty text: it would flag everything."}
            )


class SensitiveConfirmation(RecordedModel):
    """A user kept text the guard flagged, and said why (the lawful condition)."""

    object_type = models.CharField(max_length=50)
    object_id = models.PositiveBigIntegerField()
    categories = models.JSONField(default=list)
    justification = models.TextField()

    class Meta:
        ordering = ["-recorded_at", "-id"]
        indexes = [models.Index(fields=["object_type", "object_id"], name="sensitive_object")]

    def __str__(self) -> str:
        return f"Sensitive text kept on {self.object_type} {self.object_id}"

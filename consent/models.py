"""Data protection records: lawful basis and consent history, privacy notices, and the
bank holidays that deadlines skip."""

import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone

from netlog.history import AppendOnlyModel


class Basis(models.TextChoices):
    CONSENT = "consent", "Consent"
    LEGITIMATE_INTERESTS = "legitimate_interests", "Legitimate interests"
    CONTRACT = "contract", "Contract"
    LEGAL_OBLIGATION = "legal_obligation", "Legal obligation"


class Method(models.TextChoices):
    FORM = "form", "Form"
    EMAIL = "email", "Email"
    CALL = "call", "Call"
    EVENT = "event", "In person at an event"


class Purpose(models.TextChoices):
    ROLES = "roles", "Contact about suitable roles"
    SHARE_CV = "share_cv", "Share their CV with clients"
    KEEP_ON_FILE = "keep_on_file", "Keep their details on file"
    MARKET_NEWS = "market_news", "Send market news and events"


class RecordedModel(AppendOnlyModel):
    """History that says who recorded it and when."""

    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        abstract = True


class PrivacyNotice(AppendOnlyModel):
    """One version of the privacy notice. A new version is a new row; old versions stay
    as they were, since consent records point at the version the person was shown."""

    version = models.PositiveIntegerField(unique=True)
    text = models.TextField()
    published_on = models.DateField(default=timezone.localdate)

    class Meta:
        ordering = ["-version"]

    def __str__(self) -> str:
        return f"Privacy notice v{self.version} ({self.published_on:%d/%m/%Y})"


class LawfulBasisRecord(RecordedModel):
    """The lawful basis for holding a contact's data, as recorded at a moment. The
    contact's current basis is its newest record (kept on Contact for fast lists)."""

    contact = models.ForeignKey(
        "contacts.Contact", on_delete=models.CASCADE, related_name="basis_history"
    )
    basis = models.CharField(max_length=30, choices=Basis.choices)
    # Legitimate interests needs its assessment recorded before the data is used.
    li_purpose = models.TextField("purpose", blank=True)
    li_necessity = models.TextField("necessity", blank=True)
    li_balance = models.TextField("balance", blank=True)

    class Meta:
        ordering = ["-recorded_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(basis__in=Basis.values), name="basis_valid"),
            models.CheckConstraint(
                condition=~models.Q(basis=Basis.LEGITIMATE_INTERESTS)
                | (
                    ~models.Q(li_purpose="") & ~models.Q(li_necessity="") & ~models.Q(li_balance="")
                ),
                name="basis_li_assessed",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_basis_display()} from {self.recorded_at:%d/%m/%Y}"


class ConsentEvent(models.TextChoices):
    GIVEN = "given", "Given"
    WITHDRAWN = "withdrawn", "Withdrawn"


class ConsentRecord(RecordedModel):
    """Consent given or withdrawn: who, when, how, for what, after which notice."""

    contact = models.ForeignKey(
        "contacts.Contact", on_delete=models.CASCADE, related_name="consent_history"
    )
    event = models.CharField(max_length=10, choices=ConsentEvent.choices)
    on = models.DateField("date", default=timezone.localdate)
    method = models.CharField("how", max_length=10, choices=Method.choices)
    purposes = models.JSONField(default=list, blank=True)
    notice = models.ForeignKey(
        PrivacyNotice,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="privacy notice shown",
    )
    expires_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["-recorded_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(event__in=ConsentEvent.values), name="consent_event_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(method__in=Method.values), name="consent_method_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(event=ConsentEvent.WITHDRAWN)
                | models.Q(expires_on__isnull=False),
                name="consent_given_expires",
            ),
        ]

    def __str__(self) -> str:
        return f"Consent {self.get_event_display().lower()} on {self.on:%d/%m/%Y}"

    def purpose_labels(self) -> list[str]:
        return [Purpose(p).label for p in self.purposes if p in Purpose.values]


class DeliveryMethod(models.TextChoices):
    EMAIL = "email", "Email"
    LINK = "link", "Link in a message"
    LETTER = "letter", "Letter"
    IN_PERSON = "in_person", "Handed over in person"


class NoticeDelivery(RecordedModel):
    """Which version of the privacy notice went to which contact, when and how."""

    contact = models.ForeignKey(
        "contacts.Contact", on_delete=models.CASCADE, related_name="notice_deliveries"
    )
    notice = models.ForeignKey(PrivacyNotice, on_delete=models.PROTECT, related_name="deliveries")
    delivered_on = models.DateField(default=timezone.localdate)
    method = models.CharField(max_length=10, choices=DeliveryMethod.choices)

    class Meta:
        ordering = ["-delivered_on", "-id"]
        verbose_name_plural = "notice deliveries"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(method__in=DeliveryMethod.values), name="delivery_method_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"Notice v{self.notice.version} delivered on {self.delivered_on:%d/%m/%Y}"


class BankHolidayQuerySet(models.QuerySet):
    # Not `dates()`: that is QuerySet.dates(field, kind), which the admin's date
    # hierarchy calls; overriding it broke the bank holidays' admin list.
    def date_set(self) -> set[datetime.date]:
        return set(self.values_list("date", flat=True))


class BankHoliday(models.Model):
    """An England and Wales bank holiday: deadlines skip it. Data, not code: admins add
    each year's dates (a migration loads them from data/bank-holidays-*.csv)."""

    date = models.DateField(unique=True)
    name = models.CharField(max_length=100)

    objects = BankHolidayQuerySet.as_manager()

    class Meta:
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.name} ({self.date:%d/%m/%Y})"


class Disclosed(models.TextChoices):
    CV = "cv", "CV"
    CONTACT_DETAILS = "contact_details", "Contact details"
    REFERENCE = "reference", "Reference"
    OTHER = "other", "Other personal data"


class Disclosure(RecordedModel):
    """A contact's data went to a third party (a CV sent to a client). Erasure lists
    these, so whoever received the data can be told."""

    contact = models.ForeignKey(
        "contacts.Contact", on_delete=models.CASCADE, related_name="disclosures"
    )
    recipient = models.CharField(
        max_length=200, help_text="The organisation (and team) the data went to."
    )
    what = models.CharField("what was shared", max_length=20, choices=Disclosed.choices)
    disclosed_on = models.DateField("date", default=timezone.localdate)

    class Meta:
        ordering = ["-disclosed_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(what__in=Disclosed.values), name="disclosure_what_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_what_display()} to {self.recipient} on {self.disclosed_on:%d/%m/%Y}"

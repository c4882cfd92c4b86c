"""The network: contacts, the networking log (activities) and recruitment outcomes."""

import datetime

from django.conf import settings
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone

from consent.deadlines import add_months
from consent.models import Basis
from netlog.paths import path_to

phone_validator = RegexValidator(
    r"^\+?[0-9 ()\-.]{7,20}$",
    "Enter a phone number of digits, spaces and + ( ) - only, e.g. +44 20 7946 0958.",
)


class Kind(models.TextChoices):
    """Relationship kind. Personal / social contacts stay out of metrics and evidence."""

    CANDIDATE = "candidate", "Candidate"
    CLIENT = "client", "Client"
    HIRING_MANAGER = "hiring_manager", "Hiring manager"
    REFERRER = "referrer", "Referrer"
    INDUSTRY_PEER = "industry_peer", "Industry peer"
    PERSONAL = "personal", "Personal / social"

    @classmethod
    def professional(cls) -> list[str]:
        return [kind.value for kind in cls if kind != cls.PERSONAL]


class Channel(models.TextChoices):
    JOB_BOARD = "job_board", "Job board"
    LINKEDIN = "linkedin", "LinkedIn"
    REFERRAL = "referral", "Referral"
    EVENT = "event", "Event"
    INBOUND = "inbound", "Inbound"
    OTHER = "other", "Other"

    @classmethod
    def indirect(cls) -> list[str]:
        """Channels through which data is not obtained from the person themselves, which
        starts the UK GDPR Art. 14 clock. 'Other' counts as indirect: the safe side."""
        return [cls.LINKEDIN, cls.REFERRAL, cls.OTHER]


class Tag(models.Model):
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="tags"
    )
    name = models.CharField(max_length=40)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["owner", "name"], name="tag_unique_per_owner")
        ]

    def __str__(self) -> str:
        return self.name


def valid_basis(today: datetime.date) -> Q:
    """A lawful basis that holds today: consent only while it has not expired or been
    withdrawn (expired consent counts as no consent)."""
    return Q(lawful_basis__in=[b for b in Basis.values if b != Basis.CONSENT]) | Q(
        lawful_basis=Basis.CONSENT, consent_expires_on__gte=today
    )


def live_consent(today: datetime.date) -> Q:
    """Consent given and not yet expired or withdrawn, whatever the recorded basis."""
    return Q(consent_expires_on__gte=today)


class ContactQuerySet(models.QuerySet):
    def professional(self) -> "ContactQuerySet":
        return self.filter(kind__in=Kind.professional())

    def with_valid_basis(self, today: datetime.date) -> "ContactQuerySet":
        return self.filter(valid_basis(today))

    def without_valid_basis(self, today: datetime.date) -> "ContactQuerySet":
        return self.exclude(valid_basis(today))

    def notice_outstanding(self) -> "ContactQuerySet":
        """Obtained indirectly and not yet sent a privacy notice (Art. 14), annotated
        with `notice_due_on` (a month after we obtained the data) and `contacted`
        (whether an activity with them is logged: then the notice was due then)."""
        logged = Activity.contacts.through.objects.filter(contact=OuterRef("pk"))
        return self.filter(
            source_channel__in=Channel.indirect(), notice_delivered_on__isnull=True
        ).annotate(contacted=Exists(logged))


class KeepsStoredFields:
    """A model with fields that reviews.summary alone writes (STORED_FIELDS), worked out
    from other rows so that pages read one. A full save() leaves them alone: an
    instance loaded before the last change would otherwise put back an older value."""

    STORED_FIELDS: frozenset[str] = frozenset()

    def save(self, *args, **kwargs) -> None:
        if not self._state.adding and kwargs.get("update_fields") is None:
            kwargs["update_fields"] = [
                f.name
                for f in self._meta.concrete_fields
                if not f.primary_key and f.name not in self.STORED_FIELDS
            ]
        super().save(*args, **kwargs)


class Contact(KeepsStoredFields, models.Model):
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="contacts"
    )
    first_name = models.CharField(max_length=100)
    last_name = models.CharField(max_length=100, blank=True)
    kind = models.CharField("relationship", max_length=20, choices=Kind.choices)
    source_channel = models.CharField(
        "how you met", max_length=20, choices=Channel.choices, default=Channel.OTHER
    )
    organisation = models.CharField(max_length=200, blank=True)
    role = models.CharField("job title", max_length=200, blank=True)
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=30, blank=True, validators=[phone_validator])
    profile_url = models.URLField("profile URL", max_length=500, blank=True)
    tags = models.ManyToManyField(Tag, blank=True, related_name="contacts")
    notes = models.TextField(blank=True)
    # The current lawful basis and consent, kept in step with the append-only history
    # (consent.LawfulBasisRecord, consent.ConsentRecord) by consent.services only, so
    # lists can filter on them without reading the history.
    lawful_basis = models.CharField(
        max_length=30, choices=Basis.choices, blank=True, editable=False
    )
    consent_expires_on = models.DateField(null=True, blank=True, editable=False)
    notice_delivered_on = models.DateField(null=True, blank=True, editable=False)
    # What stay in touch, reviews due and retention read for every contact on a page,
    # kept from the networking log and the reviews by reviews.summary only: reading
    # them from the log for a team's or the agency's contacts is a join over millions
    # of rows on every page.
    last_activity_on = models.DateField(null=True, blank=True, editable=False)
    last_reviewed_on = models.DateField(null=True, blank=True, editable=False)
    last_decision = models.CharField(max_length=12, blank=True, default="", editable=False)
    # Its activities of the last year (reviews.services.YEAR) by direction, which
    # reciprocity reads; kept by reviews.summary as the log changes, and as the year
    # moves on by reviews.tasks.contacts_rebalance (nightly). A database default too, so
    # that code from before them (still running while a deploy migrates) can insert.
    year_given = models.PositiveIntegerField(default=0, db_default=0, editable=False)
    year_received = models.PositiveIntegerField(default=0, db_default=0, editable=False)
    year_mutual = models.PositiveIntegerField(default=0, db_default=0, editable=False)
    # The last days within its stay-in-touch gaps: its last activity (or the day it was
    # added) plus its cadence's ideal and maximum (its own, else its kind's, else the
    # default); kept by reviews.summary as the log, its kind and the cadences change.
    touch_ideal_on = models.DateField(null=True, blank=True, editable=False)
    touch_max_on = models.DateField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ContactQuerySet.as_manager()

    STORED_FIELDS = frozenset(
        {
            "last_activity_on",
            "last_reviewed_on",
            "last_decision",
            "year_given",
            "year_received",
            "year_mutual",
            "touch_ideal_on",
            "touch_max_on",
        }
    )

    class Meta:
        ordering = ["last_name", "first_name", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=Kind.values), name="contact_kind_valid"),
            models.CheckConstraint(
                condition=Q(source_channel__in=Channel.values), name="contact_channel_valid"
            ),
            models.CheckConstraint(
                condition=Q(lawful_basis__in=["", *Basis.values]), name="contact_basis_valid"
            ),
            models.UniqueConstraint(
                "owner",
                Lower("email"),
                condition=~Q(email=""),
                name="contact_email_unique_per_owner",
            ),
        ]
        # One index per list filter and sort, each led by the owner (every list is
        # scoped to an owner or a team).
        indexes = [
            models.Index(
                fields=["owner", "last_name", "first_name", "id"], name="contact_owner_name"
            ),
            models.Index(fields=["owner", "organisation", "id"], name="contact_owner_org"),
            models.Index(fields=["owner", "-created_at", "-id"], name="contact_owner_created"),
            models.Index(fields=["owner", "kind"], name="contact_owner_kind"),
            models.Index(fields=["owner", "source_channel"], name="contact_owner_channel"),
            models.Index(
                fields=["owner", "lawful_basis", "consent_expires_on"], name="contact_owner_basis"
            ),
            # Managers and the DPO read across owners: the same sorts without the owner.
            models.Index(fields=["last_name", "first_name", "id"], name="contact_name"),
            models.Index(fields=["organisation", "id"], name="contact_org"),
            models.Index(fields=["-created_at", "-id"], name="contact_created"),
            # Reciprocity's one-sided list reads only contacts with enough of the year's
            # activities one way (reviews.services.ONE_SIDED_MIN) to lean.
            models.Index(
                fields=["owner", "id"],
                name="contact_year_lopsided",
                condition=Q(year_given__gte=3) | Q(year_received__gte=3),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return path_to("contacts:contact_detail", self.pk)

    @staticmethod
    def personal_rows() -> Q:
        """The recruiter's private contacts: hidden from their manager (netlog.access)."""
        return Q(kind=Kind.PERSONAL)

    @property
    def name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    @property
    def is_professional(self) -> bool:
        return self.kind != Kind.PERSONAL

    def notice_deadline(self, first_contact: datetime.date | None = None) -> datetime.date | None:
        """Art. 14: a month after we obtained the data, or the first contact with the
        person if that is sooner. None when the data came from the person."""
        if self.source_channel not in Channel.indirect():
            return None
        month = add_months(timezone.localtime(self.created_at).date(), 1)
        return min(month, first_contact) if first_contact else month

    @property
    def notice_due_on(self) -> datetime.date | None:
        """A month after we obtained the data while the notice is still to be
        delivered (`notice_state` says overdue at once if they have been contacted);
        None once it is delivered or when none is owed."""
        return None if self.notice_delivered_on else self.notice_deadline()

    def notice_state(self, today: datetime.date, *, contacted: bool) -> str:
        """'' (nothing due), 'delivered', 'overdue' or 'due'."""
        if self.notice_delivered_on:
            return "delivered"
        due_on = self.notice_due_on
        if due_on is None:
            return ""
        return "overdue" if contacted or today > due_on else "due"

    def basis_state(self, today: datetime.date) -> str:
        """'valid', 'expired' (consent past its date), 'withdrawn' or 'none'."""
        if self.lawful_basis and self.lawful_basis != Basis.CONSENT:
            return "valid"
        if self.lawful_basis == Basis.CONSENT:
            if self.consent_expires_on is None:
                return "withdrawn"
            return "valid" if self.consent_expires_on >= today else "expired"
        return "none"


class ActivityType(models.TextChoices):
    EMAIL = "email", "Email"
    CALL = "call", "Call"
    MEETING = "meeting", "Meeting"
    EVENT = "event", "Event attended"
    LINKEDIN = "linkedin", "LinkedIn message"
    REFERRAL_GIVEN = "referral_given", "Referral given"
    REFERRAL_RECEIVED = "referral_received", "Referral received"
    OTHER = "other", "Other"


class Direction(models.TextChoices):
    """Which way value flowed: a network that only receives is one-sided."""

    GIVEN = "given", "Given"
    RECEIVED = "received", "Received"
    MUTUAL = "mutual", "Mutual"


FOLLOW_UP_DUE_DAYS = 7  # a follow-up is "due" from today to a week ahead


class ActivityQuerySet(models.QuerySet):
    def follow_ups_open(self) -> "ActivityQuerySet":
        return self.filter(follow_up_on__isnull=False, follow_up_done_at__isnull=True)

    def follow_ups_overdue(self, today: datetime.date) -> "ActivityQuerySet":
        return self.follow_ups_open().filter(follow_up_on__lt=today)

    def follow_ups_due(
        self, today: datetime.date, days: int = FOLLOW_UP_DUE_DAYS
    ) -> "ActivityQuerySet":
        """Open follow-ups from today up to `days` ahead."""
        end = today + datetime.timedelta(days=days)
        return self.follow_ups_open().filter(follow_up_on__gte=today, follow_up_on__lte=end)


class Activity(KeepsStoredFields, models.Model):
    """One networking activity: the log the qualification asks for."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="activities"
    )
    date = models.DateField(default=timezone.localdate)
    contacts = models.ManyToManyField(Contact, related_name="activities")
    type = models.CharField(max_length=20, choices=ActivityType.choices)
    context = models.CharField(
        max_length=200, blank=True, help_text="Where or what: an event's name, a place, a thread."
    )
    summary = models.TextField()
    outcome = models.TextField(blank=True, help_text="What came of it.")
    direction = models.CharField(
        "value", max_length=10, choices=Direction.choices, default=Direction.MUTUAL
    )
    follow_up_on = models.DateField("follow up on", null=True, blank=True)
    follow_up_done_at = models.DateTimeField(null=True, blank=True, editable=False)
    # People removed by an erasure request: the activity stays as evidence without them.
    erased_people = models.PositiveSmallIntegerField(default=0, editable=False)
    # Private (private_rule()): with personal / social contacts and no professional one.
    # Stored by reviews.summary whenever links or a contact's kind change, so that
    # every read hiding private life filters one column.
    private = models.BooleanField(default=False, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ActivityQuerySet.as_manager()

    STORED_FIELDS = frozenset({"private"})

    class Meta:
        ordering = ["-date", "-id"]
        verbose_name_plural = "activities"
        constraints = [
            models.CheckConstraint(
                condition=Q(type__in=ActivityType.values), name="activity_type_valid"
            ),
            models.CheckConstraint(
                condition=Q(direction__in=Direction.values), name="activity_direction_valid"
            ),
            models.CheckConstraint(
                condition=Q(follow_up_on__isnull=True) | Q(follow_up_on__gte=models.F("date")),
                name="activity_follow_up_after_date",
            ),
        ]
        indexes = [
            models.Index(fields=["owner", "-date", "-id"], name="activity_owner_date"),
            models.Index(
                fields=["owner", "follow_up_on"],
                name="activity_open_follow_up",
                condition=Q(follow_up_on__isnull=False, follow_up_done_at__isnull=True),
            ),
            # Managers and the DPO read across owners: the same orders without the owner.
            models.Index(fields=["-date", "-id"], name="activity_date"),
            models.Index(
                fields=["follow_up_on", "id"],
                name="activity_open_follow_up_all",
                condition=Q(follow_up_on__isnull=False, follow_up_done_at__isnull=True),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_type_display()} on {self.date:%d/%m/%Y}"

    def get_absolute_url(self) -> str:
        return path_to("contacts:activity_detail", self.pk)

    @staticmethod
    def personal_rows() -> Q:
        """Activities with personal contacts and no professional one: private, like
        them (netlog.access). Stored: see `private`."""
        return Q(private=True)

    @staticmethod
    def private_rule() -> Q:
        """What `private` stores, worked out from the links (reviews.summary)."""
        links = Activity.contacts.through.objects.filter(activity=OuterRef("pk"))
        personal = links.filter(contact__kind=Kind.PERSONAL)
        return Exists(personal) & ~Exists(links.exclude(contact__kind=Kind.PERSONAL))

    def follow_up_state(self, today: datetime.date) -> str:
        """'' (none), 'done', 'overdue', 'due' (within a week) or 'later'."""
        if self.follow_up_on is None:
            return ""
        if self.follow_up_done_at:
            return "done"
        if self.follow_up_on < today:
            return "overdue"
        if self.follow_up_on <= today + datetime.timedelta(days=FOLLOW_UP_DUE_DAYS):
            return "due"
        return "later"


class OutcomeKind(models.TextChoices):
    PLACEMENT = "placement", "Candidate placed"
    CLIENT_WON = "client_won", "Client won"
    VACANCY = "vacancy", "Vacancy registered"
    REFERRAL = "referral", "Candidate referred"


class Outcome(models.Model):
    """A recruitment result attributed to contacts and activities: the network's KPIs."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="outcomes"
    )
    kind = models.CharField(max_length=20, choices=OutcomeKind.choices)
    date = models.DateField(default=timezone.localdate)
    value = models.DecimalField(
        "value (£)",
        max_digits=10,
        decimal_places=2,
        validators=[MinValueValidator(0)],
        null=True,
        blank=True,
        help_text="Fee or contract value, if known.",
    )
    contacts = models.ManyToManyField(Contact, blank=True, related_name="outcomes")
    activities = models.ManyToManyField(Activity, blank=True, related_name="outcomes")
    notes = models.TextField(blank=True)
    erased_people = models.PositiveSmallIntegerField(default=0, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["-date", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=OutcomeKind.values), name="outcome_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(value__isnull=True) | Q(value__gte=0), name="outcome_value_not_negative"
            ),
        ]
        indexes = [
            models.Index(fields=["owner", "-date", "-id"], name="outcome_owner_date"),
            models.Index(fields=["-date", "-id"], name="outcome_date"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} on {self.date:%d/%m/%Y}"

    def get_absolute_url(self) -> str:
        return reverse("contacts:outcome_list")

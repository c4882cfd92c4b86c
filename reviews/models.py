"""Evaluating the network: reviews of relationships, the stay-in-touch cadence,
reflective accounts, and the unit's criteria that evidence is linked to."""

import datetime
import hashlib
import hmac
import json

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import OuterRef, Q, Subquery
from django.utils import timezone

from contacts.models import Direction, Kind
from netlog.history import AppendOnlyModel
from netlog.paths import path_to

# Stay in touch: a contact is due a conversation after the ideal gap (amber) and is
# overdue after the maximum (red), counted from the last logged activity.
DEFAULT_IDEAL_DAYS = 90
DEFAULT_MAX_DAYS = 180
# A relationship is due a review when its last one is older than this.
REVIEW_EVERY_DAYS = 180


class Decision(models.TextChoices):
    STRENGTHEN = "strengthen", "Strengthen"
    MAINTAIN = "maintain", "Maintain"
    DISCONTINUE = "discontinue", "Discontinue"


SCORE = [MinValueValidator(1), MaxValueValidator(5)]


class ReviewQuerySet(models.QuerySet):
    def actions_open(self) -> "ReviewQuerySet":
        return self.filter(next_action_on__isnull=False, next_action_done_at__isnull=True)


class Review(models.Model):
    """A periodic, reasoned review of one professional relationship."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="reviews"
    )
    # SET_NULL: a review is evidence; it outlives the contact (deleted or erased).
    contact = models.ForeignKey(
        "contacts.Contact",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="reviews",
    )
    reviewed_on = models.DateField(default=timezone.localdate)
    value = models.PositiveSmallIntegerField(validators=SCORE, help_text="What they bring.")
    activity = models.PositiveSmallIntegerField(
        "activity level", validators=SCORE, help_text="How often you are in touch."
    )
    potential = models.PositiveSmallIntegerField(
        validators=SCORE, help_text="What the relationship could become."
    )
    suggested_activity = models.PositiveSmallIntegerField(
        null=True, blank=True, editable=False, help_text="The activity score the log suggested."
    )
    rationale = models.TextField(help_text="Why these scores and this decision.")
    decision = models.CharField(max_length=12, choices=Decision.choices)
    next_actions = models.TextField(blank=True)
    next_action_on = models.DateField("next action by", null=True, blank=True)
    next_action_done_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = ReviewQuerySet.as_manager()

    class Meta:
        ordering = ["-reviewed_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(value__gte=1, value__lte=5)
                & Q(activity__gte=1, activity__lte=5)
                & Q(potential__gte=1, potential__lte=5),
                name="review_scores_1_to_5",
            ),
            models.CheckConstraint(
                condition=Q(decision__in=Decision.values), name="review_decision_valid"
            ),
            models.CheckConstraint(condition=~Q(rationale=""), name="review_has_rationale"),
        ]
        indexes = [
            models.Index(fields=["owner", "-reviewed_on", "-id"], name="review_owner_date"),
            models.Index(fields=["contact", "-reviewed_on", "-id"], name="review_contact_date"),
            models.Index(
                fields=["owner", "next_action_on"],
                name="review_open_action",
                condition=Q(next_action_on__isnull=False, next_action_done_at__isnull=True),
            ),
        ]

    def __str__(self) -> str:
        return f"Review on {self.reviewed_on:%d/%m/%Y}"

    def get_absolute_url(self) -> str:
        return path_to("reviews:review_detail", self.pk)

    @staticmethod
    def personal_rows() -> Q:
        """Reviews of a contact since made personal / social: private (netlog.access)."""
        return Q(contact__kind=Kind.PERSONAL)

    @property
    def total(self) -> int:
        return self.value + self.activity + self.potential


def latest_review(field_name: str) -> Subquery:
    """`field_name` of a contact's latest review, for annotating contacts."""
    latest = Review.objects.filter(contact=OuterRef("pk")).order_by("-reviewed_on", "-id")
    return Subquery(latest.values(field_name)[:1])


class Cadence(models.Model):
    """How often to be in touch: for one contact, or for all of a kind (per owner).
    Without one, DEFAULT_IDEAL_DAYS and DEFAULT_MAX_DAYS apply."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="cadences"
    )
    contact = models.OneToOneField(
        "contacts.Contact", on_delete=models.CASCADE, null=True, blank=True, related_name="cadence"
    )
    kind = models.CharField(
        "relationship", max_length=20, choices=Kind.choices, blank=True, default=""
    )
    ideal_days = models.PositiveSmallIntegerField(
        "ideal gap (days)", validators=[MinValueValidator(1), MaxValueValidator(730)]
    )
    max_days = models.PositiveSmallIntegerField(
        "maximum gap (days)", validators=[MinValueValidator(1), MaxValueValidator(1095)]
    )

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=(Q(contact__isnull=False) & Q(kind=""))
                | (Q(contact__isnull=True) & ~Q(kind="")),
                name="cadence_contact_or_kind",
            ),
            models.CheckConstraint(
                condition=Q(max_days__gte=models.F("ideal_days")), name="cadence_max_after_ideal"
            ),
            models.UniqueConstraint(
                fields=["owner", "kind"], condition=~Q(kind=""), name="cadence_one_per_kind"
            ),
        ]

    def __str__(self) -> str:
        return f"Every {self.ideal_days} days (at most {self.max_days})"


def stay_in_touch_state(
    last_contact: datetime.date, ideal_days: int, max_days: int, today: datetime.date
) -> tuple[str, int]:
    """('ok' | 'due' | 'overdue', days past the ideal gap). The gap is counted from the
    last logged activity (or when the contact was added), never from a fixed date."""
    gap = (today - last_contact).days
    if gap > max_days:
        return "overdue", gap - ideal_days
    if gap > ideal_days:
        return "due", gap - ideal_days
    return "ok", gap - ideal_days


class Reflection(models.Model):
    """A reflective account: the recruiter critically evaluates contacts or events and
    says what to strengthen or drop."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="reflections"
    )
    title = models.CharField(max_length=200)
    written_on = models.DateField(default=timezone.localdate)
    text = models.TextField(
        help_text="What happened, how useful the contacts were, and what you will do next."
    )
    contacts = models.ManyToManyField("contacts.Contact", blank=True, related_name="reflections")
    activities = models.ManyToManyField("contacts.Activity", blank=True, related_name="reflections")
    reviews = models.ManyToManyField(Review, blank=True, related_name="reflections")
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-written_on", "-id"]
        indexes = [
            models.Index(fields=["owner", "-written_on", "-id"], name="reflection_owner_date")
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return path_to("reviews:reflection_detail", self.pk)


class WitnessRelationship(models.TextChoices):
    MANAGER = "manager", "Their manager"
    COLLEAGUE = "colleague", "A colleague"
    CLIENT = "client", "A client"
    CANDIDATE = "candidate", "A candidate"
    INDUSTRY_PEER = "industry_peer", "An industry peer"
    OTHER = "other", "Other"


TESTIMONY_LINK_DAYS = 7


class TestimonyRequest(models.Model):
    """A recruiter asks a contact for a testimony through a single-use link that
    expires. Only a hash of the link's token is kept: the link is shown once."""

    __test__ = False  # a model, not a test class, whatever pytest thinks of its name

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="testimony_requests"
    )
    contact = models.ForeignKey(
        "contacts.Contact", on_delete=models.CASCADE, related_name="testimony_requests"
    )
    activities = models.ManyToManyField("contacts.Activity", blank=True, related_name="+")
    message = models.TextField(blank=True, help_text="What you would like them to comment on.")
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"Testimony request of {self.created_at:%d/%m/%Y}"

    def state(self, now: datetime.datetime) -> str:
        if self.used_at:
            return "answered"
        return "expired" if now >= self.expires_at else "open"


class Testimony(AppendOnlyModel):
    """A witness statement about a recruiter's networking, by their manager or by a
    contact through a request link. Signed and immutable once submitted; the checksum
    over its content shows if it was altered afterwards."""

    __test__ = False  # a model, not a test class

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="testimonies",
        help_text="The recruiter it is about.",
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="testimonies_written",
        help_text="The manager who wrote it; empty for an external witness.",
    )
    request = models.OneToOneField(
        TestimonyRequest,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="testimony",
    )
    witness_name = models.CharField("name", max_length=200)
    witness_role = models.CharField("role", max_length=200)
    relationship = models.CharField(max_length=20, choices=WitnessRelationship.choices)
    signed_on = models.DateField(default=timezone.localdate)
    text = models.TextField("statement")
    activities = models.ManyToManyField("contacts.Activity", blank=True, related_name="testimonies")
    submitted_at = models.DateTimeField(default=timezone.now)
    checksum = models.CharField(max_length=64, editable=False)
    # Set when an erasure request took a person out of it (UK GDPR Art. 17).
    redacted_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-submitted_at", "-id"]
        verbose_name_plural = "testimonies"
        constraints = [
            models.CheckConstraint(
                condition=Q(relationship__in=WitnessRelationship.values),
                name="testimony_relationship_valid",
            ),
            models.CheckConstraint(condition=~Q(text=""), name="testimony_has_text"),
        ]
        indexes = [models.Index(fields=["owner", "-submitted_at"], name="testimony_owner_date")]

    def __str__(self) -> str:
        return f"Testimony of {self.signed_on:%d/%m/%Y}"

    def get_absolute_url(self) -> str:
        return path_to("reviews:testimony_detail", self.pk)

    def content(self, activity_ids: list[int]) -> str:
        """The signed content, canonical: what the checksum covers."""
        return json.dumps(
            {
                "about": self.owner_id,
                "author": self.author_id,
                "name": self.witness_name,
                "role": self.witness_role,
                "relationship": self.relationship,
                "signed_on": self.signed_on.isoformat(),
                "statement": self.text,
                "activities": sorted(activity_ids),
                "submitted_at": self.submitted_at.isoformat(),
            },
            sort_keys=True,
            ensure_ascii=False,
        )

    def compute_checksum(self, activity_ids: list[int] | None = None) -> str:
        """HMAC-SHA256 of the signed content, keyed with EVIDENCE_KEY: someone who can
        write to the database but does not hold the key cannot re-sign an edit."""
        if activity_ids is None:
            activity_ids = list(self.activities.values_list("pk", flat=True))
        key = (settings.EVIDENCE_KEY or settings.SECRET_KEY).encode()
        return hmac.new(key, self.content(activity_ids).encode(), hashlib.sha256).hexdigest()

    @property
    def is_intact(self) -> bool:
        return hmac.compare_digest(self.checksum, self.compute_checksum())


class Unit(models.Model):
    """A qualification unit. Units, outcomes and criteria are data: a migration loads
    the default unit from data/, and admins add or edit others."""

    code = models.CharField(max_length=30, unique=True)
    title = models.CharField(max_length=200)
    awarding_body = models.CharField(max_length=100, blank=True)

    class Meta:
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"


class LearningOutcome(models.Model):
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="outcomes")
    number = models.PositiveSmallIntegerField()
    text = models.CharField(max_length=300)

    class Meta:
        ordering = ["unit", "number"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "number"], name="outcome_number_per_unit")
        ]

    def __str__(self) -> str:
        return f"LO{self.number} {self.text}"


class Criterion(models.Model):
    outcome = models.ForeignKey(LearningOutcome, on_delete=models.CASCADE, related_name="criteria")
    code = models.CharField(max_length=10, help_text="e.g. 2.1")
    text = models.TextField()

    class Meta:
        ordering = ["outcome__unit", "outcome__number", "code"]
        verbose_name_plural = "criteria"
        constraints = [
            models.UniqueConstraint(fields=["outcome", "code"], name="criterion_code_per_outcome")
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.text}"


_EVIDENCE_ITEMS = ["activity", "review", "reflection", "testimony", "outcome"]


class EvidenceLink(models.Model):
    """One piece of a learner's evidence linked to one criterion. Exactly one of the
    item columns is set; deleting the item deletes its links."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="evidence_links"
    )
    criterion = models.ForeignKey(Criterion, on_delete=models.CASCADE, related_name="links")
    activity = models.ForeignKey(
        "contacts.Activity", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    review = models.ForeignKey(
        Review, on_delete=models.CASCADE, null=True, blank=True, related_name="evidence"
    )
    reflection = models.ForeignKey(
        Reflection, on_delete=models.CASCADE, null=True, blank=True, related_name="evidence"
    )
    testimony = models.ForeignKey(
        Testimony, on_delete=models.CASCADE, null=True, blank=True, related_name="evidence"
    )
    outcome = models.ForeignKey(
        "contacts.Outcome", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    ITEMS = _EVIDENCE_ITEMS

    class Meta:
        constraints = [
            models.CheckConstraint(
                # Exactly one item: for some item, it is set and every other is empty.
                condition=Q(
                    *[
                        Q(**{f"{other}__isnull": other != item for other in _EVIDENCE_ITEMS})
                        for item in _EVIDENCE_ITEMS
                    ],
                    _connector=Q.OR,
                ),
                name="evidence_one_item",
            ),
            *[
                models.UniqueConstraint(
                    fields=["criterion", item],
                    condition=Q(**{f"{item}__isnull": False}),
                    name=f"evidence_once_per_{item}",
                )
                for item in _EVIDENCE_ITEMS
            ],
        ]
        indexes = [models.Index(fields=["owner", "criterion"], name="evidence_owner_criterion")]

    def __str__(self) -> str:
        return f"Evidence for {self.criterion.code}"

    @property
    def item(self):
        return next(getattr(self, name) for name in self.ITEMS if getattr(self, f"{name}_id"))

    @property
    def kind(self) -> str:
        return next(name for name in self.ITEMS if getattr(self, f"{name}_id"))


class SignOff(AppendOnlyModel):
    """The assessor's judgement that a learner's evidence meets a criterion."""

    learner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="sign_offs"
    )
    criterion = models.ForeignKey(Criterion, on_delete=models.CASCADE, related_name="sign_offs")
    assessor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    signed_at = models.DateTimeField(default=timezone.now)
    comment = models.TextField(help_text="Why the evidence meets the criterion.")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["learner", "criterion"], name="sign_off_once"),
            models.CheckConstraint(condition=~Q(comment=""), name="sign_off_has_comment"),
        ]

    def __str__(self) -> str:
        return f"{self.criterion.code} signed off"


class DigestSent(models.Model):
    """That a person's reminders digest went out on a day: claimed before sending, so
    the daily job can run twice without emailing twice."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="digests"
    )
    on = models.DateField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "on"], name="digest_once_a_day")]

    def __str__(self) -> str:
        return f"Digest of {self.on:%d/%m/%Y}"


class ActivityDay(models.Model):
    """How many shared activities (not private) an owner logged on a day in a
    direction: network health's activity charts read a team's year from these few
    thousand rows rather than from a year of the log. Kept by reviews.summary from
    every change to an activity's date, direction, owner or private flag, and checked
    against the log each night (reviews.tasks.activities_reclassify)."""

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    date = models.DateField()
    direction = models.CharField(max_length=10, choices=Direction.choices)
    # Not PositiveIntegerField: a count put wrong by a write around the receivers must
    # not make a recruiter's next save fail on a check; the nightly check corrects it.
    activities = models.IntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["owner", "date", "direction"], name="activity_day_once")
        ]

    def __str__(self) -> str:
        return f"{self.activities} {self.direction} on {self.date:%d/%m/%Y}"

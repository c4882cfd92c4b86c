"""Assessors and the learners whose portfolios they judge, and the packs built for
them."""

import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone


class Assignment(models.Model):
    """An assessor may read (and sign off) this learner's portfolio, nothing else."""

    assessor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="assessing",
        limit_choices_to={"role": "assessor"},
    )
    learner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="assessed_by",
        limit_choices_to={"role": "recruiter"},
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["assessor", "learner"], name="assignment_once")
        ]

    def __str__(self) -> str:
        return f"{self.assessor} assesses {self.learner}"


class ExportStatus(models.TextChoices):
    QUEUED = "queued", "Queued"
    BUILDING = "building", "Building"
    DONE = "done", "Ready"
    FAILED = "failed", "Failed"


class NamesReason(models.TextChoices):
    """Why a pack names contacts instead of pseudonymising them: the audit says which."""

    WITNESS = "witness", "Confirming a testimony with its witness"
    INTERNAL_QA = "internal_qa", "Internal quality assurance of the evidence"
    EXTERNAL_QA = "external_qa", "External quality assurance sample"
    APPEAL = "appeal", "An appeal or complaint about the assessment"
    OTHER = "other", "Another reason (say which)"


EXPORT_KEPT_DAYS = 7
KEPT = datetime.timedelta(days=EXPORT_KEPT_DAYS)


class ExportQuerySet(models.QuerySet):
    def kept(self) -> "ExportQuerySet":
        """Packs still within their EXPORT_KEPT_DAYS."""
        return self.filter(created_at__gte=timezone.now() - KEPT)


class Export(models.Model):
    """A portfolio pack built by a job. The file is kept for EXPORT_KEPT_DAYS, for the
    person who asked, the learner and the learner's assigned assessors only; the row
    stays afterwards as the record of what was issued (its SHA-256) and why names
    were shown, if they were."""

    learner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="exports"
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    status = models.CharField(
        max_length=10, choices=ExportStatus.choices, default=ExportStatus.QUEUED
    )
    progress = models.PositiveSmallIntegerField(default=0)  # per cent
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    finished_at = models.DateTimeField(null=True, blank=True)
    data = models.BinaryField(null=True, blank=True, editable=False)
    sha256 = models.CharField(max_length=64, blank=True)
    real_names = models.BooleanField("show contacts' real names", default=False)
    names_reason = models.CharField(
        "why names are needed", max_length=20, choices=NamesReason.choices, blank=True
    )
    names_note = models.CharField("the reason, in a few words", max_length=300, blank=True)

    objects = ExportQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(progress__lte=100), name="export_progress_percent"
            ),
            models.CheckConstraint(
                condition=models.Q(real_names=False, names_reason="")
                | models.Q(real_names=True, names_reason__in=NamesReason.values),
                name="export_names_have_a_reason",
            ),
            models.CheckConstraint(
                condition=~models.Q(names_reason=NamesReason.OTHER) | ~models.Q(names_note=""),
                name="export_other_reason_said",
            ),
        ]

    def __str__(self) -> str:
        return f"Portfolio pack of {self.created_at:%d/%m/%Y %H:%M}"

    @property
    def finished(self) -> bool:
        return self.status in {ExportStatus.DONE, ExportStatus.FAILED}

    @property
    def expires_at(self) -> datetime.datetime:
        return self.created_at + KEPT

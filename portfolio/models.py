"""Assessors and the learners whose portfolios they judge."""

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

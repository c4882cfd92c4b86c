from django.contrib.auth.models import AbstractUser
from django.db import models


class Role(models.TextChoices):
    RECRUITER = "recruiter", "Recruiter"
    MANAGER = "manager", "Manager"
    DPO = "dpo", "Data protection officer"
    ASSESSOR = "assessor", "Assessor"


class Team(models.Model):
    """A manager's team of recruiters; the manager reads (never edits) their work."""

    name = models.CharField(max_length=100, unique=True)
    manager = models.ForeignKey(
        "accounts.User",
        on_delete=models.PROTECT,
        related_name="managed_teams",
        limit_choices_to={"role": Role.MANAGER},
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class User(AbstractUser):
    role = models.CharField(max_length=20, choices=Role.choices, default=Role.RECRUITER)
    team = models.ForeignKey(
        Team,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="members",
        help_text="The team a recruiter belongs to.",
    )

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(role__in=Role.values), name="user_role_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    @property
    def is_recruiter(self) -> bool:
        return self.role == Role.RECRUITER

    @property
    def is_manager(self) -> bool:
        return self.role == Role.MANAGER

    @property
    def is_dpo(self) -> bool:
        return self.role == Role.DPO

    @property
    def is_assessor(self) -> bool:
        return self.role == Role.ASSESSOR

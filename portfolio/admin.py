from django.contrib import admin

from portfolio.models import Assignment


@admin.register(Assignment)
class AssignmentAdmin(admin.ModelAdmin):
    """Who assesses whom: set by an administrator."""

    list_display = ("assessor", "learner", "created_at")
    raw_id_fields = ("assessor", "learner")

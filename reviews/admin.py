from django.contrib import admin

from reviews.models import Criterion, LearningOutcome, Unit


class CriterionInline(admin.TabularInline):
    model = Criterion
    extra = 1


class OutcomeInline(admin.TabularInline):
    model = LearningOutcome
    extra = 1


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    """Units, outcomes and criteria are data: admins add another awarding body's unit
    here (or with `manage.py load_unit FILE`) and correct the wording."""

    list_display = ("code", "title", "awarding_body")
    inlines = [OutcomeInline]


@admin.register(LearningOutcome)
class LearningOutcomeAdmin(admin.ModelAdmin):
    list_display = ("unit", "number", "text")
    list_filter = ("unit",)
    inlines = [CriterionInline]

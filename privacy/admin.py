from django.contrib import admin

from privacy.models import AuditEvent, SensitiveTerm


@admin.register(SensitiveTerm)
class SensitiveTermAdmin(admin.ModelAdmin):
    """The guard's phrases are data: admins add the ones their recruiters need."""

    list_display = ("pattern", "category")
    list_filter = ("category",)
    search_fields = ("pattern",)


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """Read-only: the audit log is append-only, even for administrators."""

    list_display = ("at", "actor", "action", "object_type", "object_id", "detail")
    list_filter = ("action", "object_type")
    date_hierarchy = "at"

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

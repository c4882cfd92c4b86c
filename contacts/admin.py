from django.contrib import admin

from contacts.models import Activity, Contact, Outcome, Tag


@admin.register(Contact)
class ContactAdmin(admin.ModelAdmin):
    list_display = ("first_name", "last_name", "kind", "organisation", "owner")
    list_filter = ("kind", "source_channel")
    search_fields = ("first_name", "last_name", "organisation", "email")
    raw_id_fields = ("owner", "tags")


@admin.register(Activity)
class ActivityAdmin(admin.ModelAdmin):
    list_display = ("date", "type", "direction", "owner")
    list_filter = ("type", "direction")
    raw_id_fields = ("owner", "contacts")


@admin.register(Outcome)
class OutcomeAdmin(admin.ModelAdmin):
    list_display = ("date", "kind", "value", "owner")
    list_filter = ("kind",)
    raw_id_fields = ("owner", "contacts", "activities")


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    list_display = ("name", "owner")
    raw_id_fields = ("owner",)

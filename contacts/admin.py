from django import forms
from django.contrib import admin

from contacts.forms import ContactForm, refuse_suppressed
from contacts.models import Activity, Contact, Outcome, Tag


class ContactAdminForm(forms.ModelForm):
    """The admin's contact form (ModelAdmin supplies the model and fields)."""

    profile_url = ContactForm.base_fields["profile_url"]  # https assumed, as in the app

    def clean(self) -> dict:
        cleaned = super().clean()
        refuse_suppressed(self, cleaned)
        return cleaned


@admin.register(Contact)
class ContactAdmin(admin.ModelAdmin):
    form = ContactAdminForm
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

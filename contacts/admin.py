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
        _refuse_others(self, cleaned, "tags", "Tags are the recruiter's own")
        return cleaned


class ActivityAdminForm(forms.ModelForm):
    def clean(self) -> dict:
        cleaned = super().clean()
        _refuse_others(
            self, cleaned, "contacts", "An activity is with its recruiter's own contacts"
        )
        return cleaned


def _refuse_others(form: forms.ModelForm, cleaned: dict, field: str, rule: str) -> None:
    """The app keeps a contact's tags and an activity's contacts to the row's owner,
    and its queries rely on it (the tag filter, the stored private flag); the admin,
    which can choose any row by id or change the owner, is held to it too."""
    owner, chosen = cleaned.get("owner"), cleaned.get(field)
    if owner is None or chosen is None:
        return
    if others := [str(row) for row in chosen if row.owner_id != owner.pk]:
        form.add_error(field, f"{rule}: {', '.join(sorted(others))} belong to someone else.")


@admin.register(Contact)
class ContactAdmin(admin.ModelAdmin):
    form = ContactAdminForm
    list_display = ("first_name", "last_name", "kind", "organisation", "owner")
    list_filter = ("kind", "source_channel")
    search_fields = ("first_name", "last_name", "organisation", "email")
    raw_id_fields = ("owner", "tags")


@admin.register(Activity)
class ActivityAdmin(admin.ModelAdmin):
    form = ActivityAdminForm
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

    def get_readonly_fields(self, request, obj=None):
        # A tag moved to another recruiter would leave it on contacts they don't hold.
        return ("owner",) if obj else ()

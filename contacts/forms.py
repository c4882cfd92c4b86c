from django import forms
from django.db.models import Q, QuerySet
from django.utils import timezone

from accounts.models import User
from contacts.models import Activity, ActivityType, Contact, Kind, Outcome, Tag
from netlog.access import editable_by
from netlog.forms import DATE_WIDGET, choose
from netlog.params import parse_id
from privacy.forms import SensitiveTextGuard
from privacy.services import SUPPRESSED_MESSAGE, is_suppressed

MAX_TAGS = 20


def parse_tags(raw: str) -> list[str]:
    """'Fintech, London ,fintech' -> ['fintech', 'london']: lower-case, de-duplicated."""
    names: list[str] = []
    for part in raw.split(","):
        name = " ".join(part.split()).lower()
        if name and name not in names:
            names.append(name)
    return names


def refuse_suppressed(form: forms.ModelForm, cleaned: dict) -> None:
    """A contact's new email or phone must not belong to someone erased at their
    request. Every way in (this form, the admin, an import) asks the same question."""
    details = {"email": cleaned.get("email", ""), "phone": cleaned.get("phone", "")}
    changed = {k: v for k, v in details.items() if k in form.changed_data and v}
    if changed and is_suppressed(**changed):
        raise forms.ValidationError(SUPPRESSED_MESSAGE, code="suppressed")


class ContactForm(SensitiveTextGuard, forms.ModelForm):
    guarded_fields = ("notes",)

    # "linkedin.com/in/x" means https, as it will in Django 6.
    profile_url = forms.URLField(
        label="Profile URL", max_length=500, required=False, assume_scheme="https"
    )
    tag_names = forms.CharField(
        label="Tags",
        required=False,
        help_text="Separate tags with commas, e.g. fintech, london.",
    )

    class Meta:
        model = Contact
        fields = [
            "first_name",
            "last_name",
            "kind",
            "source_channel",
            "organisation",
            "role",
            "email",
            "phone",
            "profile_url",
            "tag_names",
            "notes",
        ]
        widgets = {"notes": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, owner: User, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.instance.owner = owner
        self.fields["kind"].choices = choose("Choose a relationship…", Kind.choices)
        if self.instance.pk:
            self.fields["tag_names"].initial = ", ".join(t.name for t in self.instance.tags.all())

    def clean_email(self) -> str:
        email = self.cleaned_data["email"].strip()
        if email:
            clash = Contact.objects.filter(owner=self.instance.owner, email__iexact=email)
            if clash.exclude(pk=self.instance.pk).exists():
                raise forms.ValidationError("You already have a contact with this email address.")
        return email

    def clean(self) -> dict:
        cleaned = super().clean()
        refuse_suppressed(self, cleaned)
        return cleaned

    def clean_tag_names(self) -> list[str]:
        names = parse_tags(self.cleaned_data["tag_names"])
        if len(names) > MAX_TAGS:
            raise forms.ValidationError(f"Use at most {MAX_TAGS} tags.")
        too_long = [n for n in names if len(n) > Tag._meta.get_field("name").max_length]
        if too_long:
            raise forms.ValidationError("Each tag can be at most 40 characters long.")
        return names

    def _save_m2m(self) -> None:
        super()._save_m2m()
        owner = self.instance.owner
        names = self.cleaned_data["tag_names"]
        # ignore_conflicts: two saves adding the same new tag at once both succeed.
        Tag.objects.bulk_create([Tag(owner=owner, name=n) for n in names], ignore_conflicts=True)
        self.instance.tags.set(Tag.objects.filter(owner=owner, name__in=names))


class ActivityForm(SensitiveTextGuard, forms.ModelForm):
    guarded_fields = ("summary", "outcome", "context")

    class Meta:
        model = Activity
        fields = [
            "date",
            "contacts",
            "type",
            "context",
            "summary",
            "outcome",
            "direction",
            "follow_up_on",
        ]
        widgets = {
            "date": DATE_WIDGET,
            "follow_up_on": DATE_WIDGET,
            "summary": forms.Textarea(attrs={"rows": 3}),
            "outcome": forms.Textarea(attrs={"rows": 2}),
            "contacts": forms.SelectMultiple(attrs={"size": 8}),
        }

    def __init__(self, *args, owner: User, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.instance.owner = owner
        self.fields["type"].choices = choose("Choose a type…", ActivityType.choices)
        if "contacts" in self.fields:
            offer_recent(self, "contacts", editable_by(Contact.objects.all(), owner), **CONTACTS)

    def clean_date(self):
        date = self.cleaned_data["date"]
        if date > timezone.localdate():
            raise forms.ValidationError(
                "An activity is something that has happened; plan the next one as a follow-up."
            )
        return date

    def save(self, commit: bool = True) -> Activity:
        if "follow_up_on" in self.changed_data:
            self.instance.follow_up_done_at = None  # a new follow-up date is a new task
        return super().save(commit)

    def clean(self):
        cleaned = super().clean()
        date, follow_up = cleaned.get("date"), cleaned.get("follow_up_on")
        if date and follow_up and follow_up < date:
            self.add_error("follow_up_on", "The follow-up cannot be before the activity.")
        return cleaned


class QuickActivityForm(ActivityForm):
    """Log an activity from a contact's page: the contact is given, not chosen."""

    class Meta(ActivityForm.Meta):
        fields = ["type", "date", "summary", "outcome", "context", "direction", "follow_up_on"]

    def __init__(self, *args, contact: Contact, **kwargs) -> None:
        self.contact = contact
        super().__init__(*args, owner=contact.owner, **kwargs)

    def _save_m2m(self) -> None:
        super()._save_m2m()
        self.instance.contacts.add(self.contact)


class OutcomeForm(SensitiveTextGuard, forms.ModelForm):
    guarded_fields = ("notes",)

    class Meta:
        model = Outcome
        fields = ["kind", "date", "value", "contacts", "activities", "notes"]
        widgets = {
            "date": DATE_WIDGET,
            "notes": forms.Textarea(attrs={"rows": 3}),
            "contacts": forms.SelectMultiple(attrs={"size": 6}),
            "activities": forms.SelectMultiple(attrs={"size": 6}),
        }

    def __init__(self, *args, owner: User, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.instance.owner = owner
        self.fields["activities"].label_from_instance = activity_label
        offer_recent(self, "contacts", editable_by(Contact.objects.all(), owner), **CONTACTS)
        offer_recent(self, "activities", editable_by(Activity.objects.all(), owner), **ACTIVITIES)

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("contacts") and not cleaned.get("activities"):
            raise forms.ValidationError(
                "Attribute the outcome to at least one contact or activity."
            )
        return cleaned


CHOICES_SHOWN = 200
CONTACTS = {"recent": ["-updated_at", "-id"], "order": ["last_name", "first_name", "id"]}
ACTIVITIES = {"recent": ["-date", "-id"], "order": ["-date", "-id"]}


def offer_recent(
    form: forms.ModelForm, name: str, queryset: QuerySet, *, recent: list[str], order: list[str]
) -> None:
    """Accept any row of `queryset` (the owner's own: another recruiter's id fails
    validation like any unknown choice), but list only the CHOICES_SHOWN most recent
    plus those already chosen. A select of 5,000 contacts takes a second to render."""
    field = form.fields[name]
    field.queryset = queryset
    # Before form[name] below: a bound field copies its help text when first made.
    if queryset.order_by()[CHOICES_SHOWN : CHOICES_SHOWN + 1].exists():
        field.help_text = (
            f"Showing your {CHOICES_SHOWN} most recent; for anyone else, start from their page."
        )
    chosen = [pk for pk in map(str, form[name].value() or []) if parse_id(pk)]
    shown = Q(pk__in=queryset.order_by(*recent).values("pk")[:CHOICES_SHOWN]) | Q(pk__in=chosen)
    field.widget.choices = [
        (row.pk, field.label_from_instance(row)) for row in queryset.filter(shown).order_by(*order)
    ]


def activity_label(activity: Activity) -> str:
    return f"{activity.date:%d/%m/%Y} · {activity.get_type_display()} · {activity.summary[:60]}"

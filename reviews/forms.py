from django import forms

from accounts.models import User
from contacts.forms import ACTIVITIES, CONTACTS, activity_label, offer_recent
from contacts.models import Activity, Contact
from netlog.access import editable_by, visible_to
from netlog.forms import DATE_WIDGET, choose, not_in_future
from privacy.forms import SensitiveTextGuard
from reviews.models import (
    Cadence,
    Criterion,
    Decision,
    Reflection,
    Review,
    WitnessRelationship,
)

SCORES = [(1, "1 (low)"), (2, "2"), (3, "3"), (4, "4"), (5, "5 (high)")]


class ReviewForm(SensitiveTextGuard, forms.ModelForm):
    guarded_fields = ("rationale", "next_actions")

    class Meta:
        model = Review
        fields = [
            "reviewed_on",
            "value",
            "activity",
            "potential",
            "rationale",
            "decision",
            "next_actions",
            "next_action_on",
        ]
        widgets = {
            "reviewed_on": DATE_WIDGET,
            "next_action_on": DATE_WIDGET,
            "value": forms.RadioSelect(choices=SCORES),
            "activity": forms.RadioSelect(choices=SCORES),
            "potential": forms.RadioSelect(choices=SCORES),
            "rationale": forms.Textarea(attrs={"rows": 4}),
            "next_actions": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(
        self,
        *args,
        owner: User,
        contact: Contact | None = None,
        suggestion: int | None = None,
        **kwargs,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.instance.owner = owner
        if contact is not None:
            self.instance.contact = contact
        if suggestion is not None:
            # Kept with the review: an assessor sees where the recruiter disagreed.
            self.instance.suggested_activity = suggestion
            self.fields[
                "activity"
            ].help_text = f"How often you are in touch. Suggested from the log: {suggestion}."
        self.fields["decision"].choices = choose("Choose a decision…", Decision.choices)
        self.fields["reviewed_on"].validators.append(not_in_future)

    def clean(self) -> dict:
        cleaned = super().clean()
        action_on, reviewed_on = cleaned.get("next_action_on"), cleaned.get("reviewed_on")
        if action_on and reviewed_on and action_on < reviewed_on:
            self.add_error("next_action_on", "The next action cannot be before the review.")
        if action_on and not cleaned.get("next_actions", "").strip():
            self.add_error("next_actions", "Say what the next action is.")
        return cleaned


class ReflectionForm(SensitiveTextGuard, forms.ModelForm):
    guarded_fields = ("title", "text")

    class Meta:
        model = Reflection
        fields = ["title", "written_on", "text", "contacts", "activities", "reviews"]
        widgets = {
            "written_on": DATE_WIDGET,
            "text": forms.Textarea(attrs={"rows": 10}),
            "contacts": forms.SelectMultiple(attrs={"size": 6}),
            "activities": forms.SelectMultiple(attrs={"size": 6}),
            "reviews": forms.SelectMultiple(attrs={"size": 4}),
        }

    def __init__(self, *args, owner: User, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.instance.owner = owner
        self.fields["written_on"].validators.append(not_in_future)
        self.fields["activities"].label_from_instance = activity_label
        self.fields["reviews"].label_from_instance = review_label
        offer_recent(self, "contacts", editable_by(Contact.objects.all(), owner), **CONTACTS)
        offer_recent(self, "activities", editable_by(Activity.objects.all(), owner), **ACTIVITIES)
        offer_recent(
            self,
            "reviews",
            editable_by(Review.objects.select_related("contact"), owner),
            recent=["-reviewed_on", "-id"],
            order=["-reviewed_on", "-id"],
        )


def review_label(review: Review) -> str:
    who = review.contact.name if review.contact else "a contact no longer held"
    return f"{review.reviewed_on:%d/%m/%Y} · {who} · {review.get_decision_display()}"


class GapsInOrder:
    """A form mixin: the maximum gap cannot be shorter than the ideal one."""

    def clean(self) -> dict:
        cleaned = super().clean()
        ideal, most = cleaned.get("ideal_days"), cleaned.get("max_days")
        if ideal and most and most < ideal:
            self.add_error("max_days", "The maximum gap cannot be shorter than the ideal one.")
        return cleaned


class CadenceForm(GapsInOrder, forms.Form):
    ideal_days = forms.IntegerField(
        label="Ideal gap (days)", required=False, min_value=1, max_value=730
    )
    max_days = forms.IntegerField(
        label="Maximum gap (days)", required=False, min_value=1, max_value=1095
    )

    def clean(self) -> dict:
        cleaned = super().clean()
        ideal, most = cleaned.get("ideal_days"), cleaned.get("max_days")
        if (ideal is None) != (most is None) and not self.errors:
            raise forms.ValidationError("Give both gaps, or leave both empty for the default.")
        return cleaned


class KindCadenceForm(GapsInOrder, forms.ModelForm):
    class Meta:
        model = Cadence
        fields = ["ideal_days", "max_days"]


class EvidenceForm(forms.Form):
    criteria = forms.ModelMultipleChoiceField(
        label="Criteria this evidences",
        queryset=Criterion.objects.select_related("outcome__unit"),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )


CONFIRM = "I confirm this statement is true, and I sign it with the name above."


class TestimonyRequestForm(forms.Form):
    activities = forms.ModelMultipleChoiceField(
        label="Activities to comment on",
        queryset=Activity.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    message = forms.CharField(
        label="Message to them",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Shown on the page they open, e.g. what you would like them to describe.",
    )
    send_email = forms.BooleanField(label="Email the link to them", required=False)

    def __init__(self, *args, contact: Contact, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.contact = contact
        self.fields["activities"].queryset = contact.activities.order_by("-date", "-id")
        self.fields["activities"].label_from_instance = activity_label
        if not contact.email:
            del self.fields["send_email"]
        else:
            self.fields["send_email"].label = f"Email the link to {contact.email}"


class WitnessForm(forms.Form):
    witness_name = forms.CharField(label="Your name", max_length=200)
    witness_role = forms.CharField(
        label="Your role", max_length=200, help_text="e.g. Head of Data, Northwind Analytics"
    )
    relationship = forms.ChoiceField(
        label="How you know them",
        choices=choose("Choose…", [c for c in WitnessRelationship.choices if c[0] != "manager"]),
    )
    text = forms.CharField(
        label="Your statement",
        widget=forms.Textarea(attrs={"rows": 8}),
        min_length=30,
        max_length=5000,
        help_text="What they did, when, and what came of it, in your own words.",
    )
    confirm = forms.BooleanField(label=CONFIRM)

    def clean_witness_name(self) -> str:
        return " ".join(self.cleaned_data["witness_name"].split())


class ManagerTestimonyForm(SensitiveTextGuard, forms.Form):
    guarded_fields = ("text",)

    activities = forms.ModelMultipleChoiceField(
        label="Activities you witnessed",
        queryset=Activity.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    witness_role = forms.CharField(label="Your role", max_length=200, initial="Team manager")
    text = forms.CharField(
        label="Your statement",
        widget=forms.Textarea(attrs={"rows": 8}),
        min_length=30,
        help_text="What you saw them do, when, and what came of it.",
    )
    confirm = forms.BooleanField(label=CONFIRM)

    def __init__(self, *args, recruiter: User, manager: User, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["activities"].label_from_instance = activity_label
        # What the manager may read of the recruiter's work: never their private life.
        team_work = visible_to(Activity.objects.filter(owner=recruiter), manager)
        offer_recent(self, "activities", team_work, **ACTIVITIES)
        self.fields["activities"].help_text = ""

from django import forms

from consent.models import (
    Basis,
    ConsentEvent,
    DeliveryMethod,
    Disclosed,
    Method,
    PrivacyNotice,
    Purpose,
)
from contacts.models import Contact
from netlog.forms import choose, past_date

TEXT = {"widget": forms.Textarea(attrs={"rows": 2}), "required": False}


class BasisForm(forms.Form):
    basis = forms.ChoiceField(
        label="Lawful basis", choices=choose("Choose a basis…", Basis.choices)
    )
    li_purpose = forms.CharField(
        label="Purpose", help_text="What legitimate interest is served, and for whom?", **TEXT
    )
    li_necessity = forms.CharField(
        label="Necessity", help_text="Why is holding this data needed for it?", **TEXT
    )
    li_balance = forms.CharField(
        label="Balance",
        help_text="Why does it not override the person's interests, rights and freedoms?",
        **TEXT,
    )

    def __init__(self, *args, contact: Contact, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.contact = contact

    def clean_basis(self) -> str:
        basis = self.cleaned_data["basis"]
        if basis == Basis.CONSENT and self.contact.consent_expires_on is None:
            raise forms.ValidationError(
                "There is no consent on record: record the consent itself, which makes it "
                "the basis."
            )
        return basis

    def clean(self):
        cleaned = super().clean()
        assessment = ("li_purpose", "li_necessity", "li_balance")
        if cleaned.get("basis") == Basis.LEGITIMATE_INTERESTS:
            for field in assessment:
                if not cleaned.get(field, "").strip():
                    self.add_error(field, "Legitimate interests needs this assessment first.")
        else:  # an assessment belongs only to legitimate interests
            cleaned.update(dict.fromkeys(assessment, ""))
        return cleaned


class ConsentForm(forms.Form):
    on = past_date("Date given")
    method = forms.ChoiceField(label="How", choices=choose("Choose how…", Method.choices))
    purposes = forms.MultipleChoiceField(
        label="Purposes", choices=Purpose.choices, widget=forms.CheckboxSelectMultiple
    )
    notice = forms.ModelChoiceField(
        label="Privacy notice shown",
        queryset=PrivacyNotice.objects.all(),
        empty_label="Choose the version shown…",
    )

    def __init__(self, *args, contact: Contact, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if not PrivacyNotice.objects.exists():
            self.fields["notice"].required = False
            self.fields["notice"].help_text = "No privacy notice has been published yet."


class WithdrawForm(forms.Form):
    on = past_date("Date withdrawn")
    method = forms.ChoiceField(label="How", choices=choose("Choose how…", Method.choices))

    def __init__(self, *args, contact: Contact, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.contact = contact

    def clean(self):
        cleaned = super().clean()
        last_given = self.contact.consent_history.filter(event=ConsentEvent.GIVEN).first()
        if self.contact.consent_expires_on is None or last_given is None:
            raise forms.ValidationError("There is no consent on record to withdraw.")
        if cleaned.get("on") and cleaned["on"] < last_given.on:
            self.add_error("on", "A withdrawal cannot be dated before the consent it ends.")
        return cleaned


class DeliveryForm(forms.Form):
    notice = forms.ModelChoiceField(
        label="Privacy notice version", queryset=PrivacyNotice.objects.all(), empty_label=None
    )
    delivered_on = past_date("Date sent")
    method = forms.ChoiceField(label="How", choices=choose("Choose how…", DeliveryMethod.choices))

    def __init__(self, *args, contact: Contact, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if not PrivacyNotice.objects.exists():
            self.fields["notice"].help_text = "The DPO has not published a privacy notice yet."


class DisclosureForm(forms.Form):
    recipient = forms.CharField(
        label="Shared with",
        max_length=200,
        help_text="The organisation (and team) the data went to, e.g. Acme Ltd, finance hiring.",
    )
    what = forms.ChoiceField(
        label="What was shared", choices=choose("Choose what…", Disclosed.choices)
    )
    disclosed_on = past_date("Date shared")

    def __init__(self, *args, contact: Contact, **kwargs) -> None:
        super().__init__(*args, **kwargs)

    def clean_recipient(self) -> str:
        return " ".join(self.cleaned_data["recipient"].split())


class NoticeForm(forms.Form):
    text = forms.CharField(
        label="Notice text",
        widget=forms.Textarea(attrs={"rows": 14}),
        help_text="Say who holds the data, why, where it came from (source) and which "
        "categories of data, how long it is kept, and how to exercise each right.",
        min_length=100,
    )

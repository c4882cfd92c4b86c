from django import forms
from django.db.models import Model
from django.utils import timezone

from accounts.models import User
from contacts.models import phone_validator
from netlog.forms import DATE_WIDGET, choose, past_date
from privacy.guard import Finding, find_sensitive
from privacy.models import (
    IdentityMethod,
    ReceivedHow,
    RequestKind,
    RetentionPolicy,
    SensitiveConfirmation,
)
from privacy.services import KEEP_UNTIL_FUTURE


class SensitiveTextGuard:
    """A form mixin: the free-text fields in `guarded_fields` are checked when they
    change. A likely mention stops the save until the user removes it or ticks
    "keep" and gives the lawful reason, which is recorded with the row."""

    guarded_fields: tuple[str, ...] = ()
    findings: list[Finding]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.findings = []
        self.fields["sensitive_confirmed"] = forms.BooleanField(
            label="Keep this text: recording it is necessary and lawful", required=False
        )
        self.fields["sensitive_justification"] = forms.CharField(
            label="Why (the lawful condition)",
            required=False,
            widget=forms.Textarea(attrs={"rows": 2}),
            help_text="For example: the candidate asked us to arrange interview adjustments.",
        )

    def clean(self) -> dict:
        cleaned = super().clean()
        self._check_sensitive(cleaned)
        return cleaned

    def save(self, commit: bool = True):
        obj = super().save(commit)
        if commit:
            self._record_justification(obj, by=obj.owner)
        return obj

    def _check_sensitive(self, cleaned: dict) -> None:
        changed = [n for n in self.guarded_fields if n in self.fields and n in self.changed_data]
        self.findings = find_sensitive(
            {str(self.fields[n].label): cleaned.get(n) or "" for n in changed}
        )
        if not self.findings:
            return
        if not cleaned.get("sensitive_confirmed"):
            self.add_error(
                "sensitive_confirmed",
                "This text may record a protected characteristic or special-category data "
                "(see above). Remove it, or tick this box and say why it is needed.",
            )
        elif not cleaned.get("sensitive_justification", "").strip():
            self.add_error("sensitive_justification", "Say why keeping this text is lawful.")

    def _record_justification(self, obj: Model, by: User) -> None:
        if self.findings:
            SensitiveConfirmation.objects.create(
                object_type=obj._meta.label_lower,
                object_id=obj.pk,
                categories=sorted({f.category for f in self.findings}),
                justification=self.cleaned_data["sensitive_justification"].strip(),
                recorded_by=by,
            )


class ReceiveForm(forms.Form):
    kind = forms.ChoiceField(
        label="The person asks", choices=RequestKind.choices, widget=forms.RadioSelect
    )
    received_on = past_date("Date received")
    received_how = forms.ChoiceField(
        label="How it came", choices=choose("Choose how…", ReceivedHow.choices)
    )
    requester_name = forms.CharField(label="Their name", max_length=200)
    requester_email = forms.EmailField(label="Their email", required=False)
    requester_phone = forms.CharField(
        label="Their phone", max_length=30, required=False, validators=[phone_validator]
    )

    def clean_requester_name(self) -> str:
        return " ".join(self.cleaned_data["requester_name"].split())


class VerifyForm(forms.Form):
    method = forms.ChoiceField(
        label="How identity was checked", choices=choose("Choose how…", IdentityMethod.choices)
    )
    checked_on = past_date("Date checked")


class OwnIds:
    """A form mixin for the request page, which shows several forms at once: their
    fields' ids start with `id_prefix`, so two fields of one name (the extension's and
    the refusal's reason) do not share an id, and each label names its own field. The
    fields' names, which are posted, stay as they are."""

    id_prefix = "id"

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("auto_id", f"{self.id_prefix}_%s")
        super().__init__(*args, **kwargs)


class ExtendForm(OwnIds, forms.Form):
    id_prefix = "extend"

    told_on = past_date("Date the person was told")
    reason = forms.CharField(
        label="Why the request is complex",
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="What you told the person. No extension after the first month.",
    )


class ApproveForm(forms.Form):
    keep_until = forms.DateField(
        label="Keep a minimised record until",
        required=False,
        widget=DATE_WIDGET,
        help_text="Only for erasure, where the Conduct of Employment Agencies Regulations 2003 "
        "(reg. 29) require records of work-seekers and hirers for at least a year after "
        "the last service. Leave empty to erase everything.",
    )

    def clean_keep_until(self):
        keep_until = self.cleaned_data["keep_until"]
        if keep_until and keep_until <= timezone.localdate():
            raise forms.ValidationError(KEEP_UNTIL_FUTURE)
        return keep_until


class RefuseForm(OwnIds, forms.Form):
    id_prefix = "refuse"

    reason = forms.CharField(
        label="Reason for refusing",
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="The exemption relied on, as told to the person.",
    )


class RetentionPolicyForm(forms.ModelForm):
    class Meta:
        model = RetentionPolicy
        fields = ["inactive_months", "discontinued_months", "grace_days", "enabled"]

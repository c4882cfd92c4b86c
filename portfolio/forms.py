from django import forms

from portfolio.models import Export, NamesReason


class SignOffForm(forms.Form):
    comment = forms.CharField(
        label="Comment",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Why the evidence meets the criterion.",
        error_messages={"required": "Say why the evidence meets the criterion."},
    )


class ExportForm(forms.ModelForm):
    """Pseudonymised unless names are asked for, with a reason (audited)."""

    class Meta:
        model = Export
        fields = ["real_names", "names_reason", "names_note"]
        help_texts = {
            "real_names": "Off by default: an assessor needs the evidence, not the people.",
            "names_note": "Needed for another reason. Do not name anyone here.",
        }

    def clean(self):
        data = super().clean()
        if not data.get("real_names"):
            data["names_reason"], data["names_note"] = "", ""
            return data
        if not data.get("names_reason"):
            self.add_error("names_reason", "Say why the pack needs names.")
        elif data["names_reason"] == NamesReason.OTHER and not data.get("names_note", "").strip():
            self.add_error("names_note", "Say what the other reason is.")
        return data

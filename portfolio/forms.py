from django import forms


class SignOffForm(forms.Form):
    comment = forms.CharField(
        label="Comment",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Why the evidence meets the criterion.",
        error_messages={"required": "Say why the evidence meets the criterion."},
    )

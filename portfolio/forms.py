from django import forms


class SignOffForm(forms.Form):
    comment = forms.CharField(
        label="Comment",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Why the evidence meets the criterion.",
    )

    def clean_comment(self) -> str:
        comment = self.cleaned_data["comment"].strip()
        if not comment:
            raise forms.ValidationError("Say why the evidence meets the criterion.")
        return comment

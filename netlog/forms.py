"""Form pieces every app uses, so dates and prompts look and behave the same."""

from django import forms
from django.utils import timezone

# A native date picker; the value travels as ISO, the browser shows the user's format.
DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def choose(prompt: str, choices: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """Choices led by an empty prompt ("Choose how…") instead of Django's dashes."""
    return [("", prompt), *choices]


def not_in_future(day) -> None:
    if day > timezone.localdate():
        raise forms.ValidationError("This cannot be dated in the future.")


def past_date(label: str) -> forms.DateField:
    """A date that has happened, today by default."""
    return forms.DateField(
        label=label, initial=timezone.localdate, widget=DATE_WIDGET, validators=[not_in_future]
    )

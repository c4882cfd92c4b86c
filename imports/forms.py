from pathlib import Path

from django import forms

from contacts.models import Channel, Kind
from imports.models import DEFAULT_CHANNEL, DEFAULT_KIND, Source
from imports.parsers import MAPPABLE
from imports.services import size_problem

EXTENSIONS = {
    Source.LINKEDIN: {".csv"},
    Source.VCARD: {".vcf", ".vcard"},
    Source.CSV: {".csv", ".txt"},
}


class UploadForm(forms.Form):
    source = forms.ChoiceField(
        label="What are you importing?",
        choices=Source.choices,
        initial=Source.LINKEDIN,
        widget=forms.RadioSelect,
    )
    file = forms.FileField(
        label="File",
        help_text=(
            "LinkedIn: Settings, Data privacy, Get a copy of your data, Connections; "
            "the file is Connections.csv. A phone or address book: export contacts as "
            "a .vcf file."
        ),
    )
    kind = forms.ChoiceField(
        label="Relationship for everyone imported",
        choices=[("", "The usual for this kind of file")] + list(Kind.choices),
        required=False,
        help_text=(
            "Usually candidates for LinkedIn and spreadsheets, personal / social for a "
            "phone's address book (kept apart from your work). Change any one later."
        ),
    )
    channel = forms.ChoiceField(
        label="How you got their details",
        choices=[("", "The usual for this kind of file")]
        + [(c, label) for c, label in Channel.choices if c in Channel.indirect()],
        required=False,
        help_text=(
            "Imported details did not come from the people themselves, so each of them "
            "is due a privacy notice within a month (UK GDPR Art. 14)."
        ),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if problem := size_problem(upload.size):  # before reading it
            raise forms.ValidationError(problem)
        return upload

    def clean(self):
        data = super().clean()
        source, upload = data.get("source"), data.get("file")
        if source and upload:
            extension = Path(upload.name).suffix.lower()
            if extension not in EXTENSIONS[source]:
                wanted = " or ".join(sorted(EXTENSIONS[source]))
                self.add_error(
                    "file",
                    f"A {Source(source).label} file ends in {wanted}; this one is "
                    f"\u201c{extension or 'without an extension'}\u201d.",
                )
        if source:
            data["kind"] = data.get("kind") or DEFAULT_KIND[source]
            data["channel"] = data.get("channel") or DEFAULT_CHANNEL[source]
        return data


class MappingForm(forms.Form):
    """Which column holds what, for another CSV: one choice per contact field."""

    def __init__(self, *args, columns: list[str], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        choices = [("", "(not in this file)")] + [(c, c) for c in columns if c]
        for name, (label, _) in MAPPABLE.items():
            self.fields[name] = forms.ChoiceField(label=label, choices=choices, required=False)

    def clean(self):
        data = super().clean()
        mapping = {name: column for name, column in data.items() if column}
        if not ({"first_name", "full_name"} & set(mapping)):
            raise forms.ValidationError(
                "Choose the column that holds the first name, or the full name."
            )
        used = list(mapping.values())
        if len(used) != len(set(used)):
            raise forms.ValidationError("Map each column to one field only.")
        data["mapping"] = mapping
        return data

"""The special-category guard: free text is checked when saved for likely mentions of
a protected characteristic (Equality Act 2010) or special-category data (UK GDPR
Art. 9). It flags; the user removes the text or keeps it with a recorded reason.

The phrases are data (SensitiveTerm, loaded from data/sensitive-terms.csv), matched
on whole words, so "aged 58" is flagged and "the Age of AI conference" is not."""

import re
from dataclasses import dataclass

from privacy.models import SensitiveCategory, SensitiveTerm


@dataclass(frozen=True)
class Finding:
    field: str
    phrase: str
    category: str

    @property
    def category_label(self) -> str:
        return SensitiveCategory(self.category).label


def _patterns() -> list[tuple[re.Pattern, str]]:
    compiled = []
    for pattern, category in SensitiveTerm.objects.values_list("pattern", "category"):
        try:
            compiled.append((re.compile(rf"(?<!\w)(?:{pattern})(?!\w)", re.IGNORECASE), category))
        except re.error:
            continue  # one bad admin entry must not stop every save
    return compiled


def find_sensitive(texts: dict[str, str]) -> list[Finding]:
    """Likely mentions in `texts` ({field label: text}), one per phrase and field."""
    if not any(texts.values()):
        return []
    findings: dict[tuple[str, str], Finding] = {}
    patterns = _patterns()
    for label, text in texts.items():
        for pattern, category in patterns:
            for match in pattern.finditer(text or ""):
                phrase = match.group(0)
                findings.setdefault((label, phrase.lower()), Finding(label, phrase, category))
    return list(findings.values())

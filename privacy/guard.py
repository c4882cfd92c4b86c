"""The special-category guard: free text is checked when saved for likely mentions of
a protected characteristic (Equality Act 2010) or special-category data (UK GDPR
Art. 9). It flags; the user removes the text or keeps it with a recorded reason.

The phrases are data (SensitiveTerm, loaded from data/sensitive-terms.csv), matched
on whole words, so "aged 58" is flagged and "the Age of AI conference" is not."""

import re
from dataclasses import dataclass

from privacy.models import SensitiveCategory, SensitiveTerm, compile_term


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
            compiled.append((compile_term(pattern), category))
        except re.error:
            continue  # one bad admin entry must not stop every save
    return compiled


def find_sensitive(texts: dict[str, str]) -> list[Finding]:
    """Likely mentions in `texts` ({field label: text}), one per phrase and field; a
    phrase inside a longer one ("Muslim" in "practising Muslim") is not repeated."""
    if not any(texts.values()):
        return []
    patterns = _patterns()
    findings: list[Finding] = []
    for label, text in texts.items():
        spans: dict[tuple[int, int], str] = {}
        for pattern, category in patterns:
            for match in pattern.finditer(text or ""):
                if match.end() > match.start():  # an empty match flags nothing
                    spans.setdefault(match.span(), category)
        seen: set[str] = set()
        for (start, end), category in sorted(spans.items()):
            inside = any(s <= start and end <= e and (s, e) != (start, end) for s, e in spans)
            phrase = text[start:end]
            if not inside and phrase.lower() not in seen:
                seen.add(phrase.lower())
                findings.append(Finding(label, phrase, category))
    return findings

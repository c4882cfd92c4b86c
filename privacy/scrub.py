"""Finding a person in free text and taking them out of it: the one place that knows
how a name, an email or a UK phone number may be written."""

import re
from dataclasses import dataclass

from django.db.models import Q, TextField
from django.db.models.functions import Cast, Upper
from django.db.models.lookups import Regex

ERASED = "[erased]"
REMOVED = "Details removed after an erasure request."
_SEPARATOR = r"[\s\-.()]"
_SEPARATORS = _SEPARATOR + "*"
# The same separators listed one by one, for the filter that finds the rows to scrub:
# PostgreSQL's trigram index can follow a bracket of listed characters below U+0800
# (it reads them as gaps between words), but not \s, which reaches beyond (a thin
# space, U+2009): a phone spaced with those is scrubbed only in a row that another
# term finds.
_LISTED = sorted(c for c in map(chr, range(0x800)) if re.fullmatch(_SEPARATOR, c))
_LISTED_SEPARATORS = "[" + "".join(c for c in _LISTED if c != "-") + "-]*"


def normal_phone(phone: str) -> str:
    """The same number however it was written: '+44 20 7946 0958' and '020 7946 0958'
    both give '2079460958'."""
    digits = re.sub(r"\D", "", phone)
    if digits.startswith("00"):
        digits = digits[2:]
    if digits.startswith("44"):
        digits = digits[2:]
    return digits.lstrip("0")


def _whole(pattern: str) -> str:
    """Matched as a whole word (or number): not inside a longer one."""
    return rf"(?<![\w+]){pattern}(?!\w)"


def url_forms(url: str) -> list[str]:
    """A profile URL as people paste it: with or without the scheme, "www." or the
    closing slash ("linkedin.com/in/jo-bloggs")."""
    url = url.strip()
    bare = re.sub(r"^[a-z][a-z0-9+.-]*://", "", url, flags=re.IGNORECASE).rstrip("/")
    shorter = re.sub(r"^www\.", "", bare, flags=re.IGNORECASE)
    return list(dict.fromkeys(form for form in (url, bare, shorter) if form))


@dataclass
class Person:
    """What names the person in free text. `strong` terms (a full name, email, phone,
    profile) are safe to replace anywhere in the organisation; `weak` ones (a first or
    last name alone) only where the person is known to take part, since "Baker" or
    "Sam" may be someone else."""

    strong: list[str]
    weak: list[str]
    phones: list[str]

    @classmethod
    def of(cls, contacts: list, request=None) -> "Person":
        """From contact records and, if given, the erasure request (who asked)."""
        names = [c.name for c in contacts]
        weak = [n for c in contacts for n in (c.first_name, c.last_name)]
        identifiers = [c.email for c in contacts]
        identifiers += [url for c in contacts for url in url_forms(c.profile_url)]
        phones = [c.phone for c in contacts]
        if request is not None:
            names.append(request.requester_name)
            weak += request.requester_name.split()
            identifiers.append(request.requester_email)
            phones.append(request.requester_phone)
        strong = {" ".join(n.split()) for n in names if len(n.split()) >= 2}
        strong |= {x.strip() for x in identifiers if len(x.strip()) >= 3}
        phones = {normal_phone(p) for p in phones}
        return cls(
            strong=sorted(strong),
            weak=sorted({w.strip() for w in weak if len(w.strip()) >= 2} - strong),
            phones=sorted(p for p in phones if len(p) >= 6),
        )

    def patterns(self, *, weak: bool) -> list[str]:
        """Regular expressions for the terms, longest first; a phone in any format."""
        terms = self.strong + (self.weak if weak else [])
        found = [re.escape(t) for t in sorted(terms, key=len, reverse=True)]
        return [_whole(p) for p in found] + self.phone_patterns()

    def phone_patterns(self) -> list[str]:
        """Each phone number however it is written: +44 or 0, spaces, dashes, brackets."""
        prefix = rf"(?:(?:\+|00)44{_SEPARATORS}(?:\(0\))?{_SEPARATORS}|0)?"
        return [_whole(prefix + _SEPARATORS.join(phone)) for phone in self.phones]

    def scrub(self, text: str, *, weak: bool = False) -> str:
        for pattern in self.patterns(weak=weak):
            text = re.sub(pattern, ERASED, text, flags=re.IGNORECASE)
        return text

    def mentioned_in(self, model, fields: list[str]) -> Q:
        """Rows of `model` whose `fields` may mention a strong term or a phone: a cheap
        filter, then `scrub`. Each field and term is its own SELECT, joined by UNION,
        so PostgreSQL reads each through the trigram index on upper(col::text)
        (PERFORMANCE.md): joined by OR, it prices them above reading every row, which
        takes a hundred times longer (2.5 s against 12 ms on the assessments)."""
        found = []
        for name in fields:
            text = Upper(Cast(name, TextField()))
            found += [Q(**{f"{name}__icontains": term}) for term in self._shortest()]
            found += [Q(Regex(text, _LISTED_SEPARATORS.join(p))) for p in self.phones]
        rows = [model._default_manager.filter(q).order_by().values("pk") for q in found]
        if len(rows) <= 1:
            return Q(pk__in=rows[0] if rows else [])
        return Q(pk__in=rows[0].union(*rows[1:]))

    def _shortest(self) -> list[str]:
        """The strong terms without any that holds another ("linkedin.com/in/jo" for
        "https://www.linkedin.com/in/jo"): a text that names one names the other."""
        return [t for t in self.strong if not any(o != t and o in t for o in self.strong)]

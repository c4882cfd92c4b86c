"""Contacts as stable pseudonyms ("Hiring manager HM-0031") for assessors: they need
the evidence, not the candidate's name or phone number (data minimisation).

A pseudonym is derived from the contact's id, so it is the same on every page and in
every export. Free text is rewritten with the same terms erasure uses to find a person
(privacy.scrub.Person): full names, emails, phones and profiles, and first or last
names alone, since over-replacing is the safe side here.

With `real_names` (an explicit, audited choice) professional contacts are named
beside their pseudonym, and only their contact details are taken out of the text:
an assessor never needs an email, phone number or profile. Personal / social contacts
stay pseudonymised whatever is chosen."""

import re

from accounts.models import User
from contacts.models import Contact, Kind
from privacy.scrub import Person, url_forms

_WORD = re.compile(r"\w+")
_WORD_START = re.compile(r"(?<![\w+])\w+")  # a word not inside another (nor after a +)
_NUMBER = re.compile(r"\d[\d\s\-.()]{4,}\d")  # six digits or more, however written


def _fold(text: str) -> str:
    """Lower case, with the dot that lower() adds to "İ" dropped: "İlker" is "Ilker"
    (over-replacing is the safe side)."""
    return text.lower().replace("\u0307", "")


PREFIX = {
    Kind.CANDIDATE: "CA",
    Kind.CLIENT: "CL",
    Kind.HIRING_MANAGER: "HM",
    Kind.REFERRER: "RF",
    Kind.INDUSTRY_PEER: "IP",
    Kind.PERSONAL: "PS",
}


def pseudonym(contact: Contact) -> str:
    return f"{Kind(contact.kind).label} {PREFIX[Kind(contact.kind)]}-{contact.pk:04d}"


class Pseudonymiser:
    """Rewrites text about `learner`'s contacts; one compiled pattern for them all."""

    def __init__(self, learner: User, *, real_names: bool = False) -> None:
        self.real_names = real_names
        self.names: dict[int, str] = {}
        terms: dict[str, tuple[str, str]] = {}  # casefolded term -> (term as stored, label)
        phones: list[tuple[str, str]] = []
        for contact in Contact.objects.filter(owner=learner).order_by("-id"):
            label = pseudonym(contact)
            # Personal / social contacts are never named: they are no one's evidence.
            named = real_names and contact.is_professional
            self.names[contact.pk] = f"{contact.name} ({label})" if named else label
            person = Person.of([contact])
            details = [contact.email.strip(), *url_forms(contact.profile_url)]
            terms_of = [t for t in person.strong if t in details] if named else person.strong
            for term in terms_of + ([] if named else person.weak):
                terms.setdefault(term.casefold(), (term, label))
            phones += [(pattern, label) for pattern in person.phone_patterns()]
        # Terms by their first word, longest first: a text is read once, word by word,
        # and each word is checked only against the terms that start with it (one big
        # pattern of thousands of alternatives took a tenth of a second per text).
        # (Lengths are the terms' as stored: lower() can lengthen a name, as "İ" does.)
        self._by_first: dict[str, list[tuple[str, int, str]]] = {}
        for term, label in sorted(terms.values(), key=lambda pair: -len(pair[0])):
            if first := _WORD.match(term):
                entry = (_fold(term), len(term), label)
                self._by_first.setdefault(_fold(first.group()), []).append(entry)
        # The phones in one pattern, a group each, tried only on a text with a number.
        self._phone_labels = [label for _, label in phones]
        self._phones = (
            re.compile("|".join(f"({pattern})" for pattern, _ in phones), re.IGNORECASE)
            if phones
            else None
        )

    def text(self, text: str) -> str:
        if self._phones and _NUMBER.search(text):
            text = self._phones.sub(lambda m: self._phone_labels[m.lastindex - 1], text)
        if not self._by_first:
            return text
        out, done = [], 0
        for word in _WORD_START.finditer(text):
            start = word.start()
            if start < done:
                continue
            for term, length, label in self._by_first.get(_fold(word.group()), ()):
                end = start + length
                # The same rule as a whole-word match: no letter or digit after it.
                if _fold(text[start:end]) == term and not _WORD.match(text, end):
                    out += [text[done:start], label]
                    done = end
                    break
        return "".join(out) + text[done:]

    def contact(self, contact: Contact) -> str:
        return self.names.get(contact.pk) or pseudonym(contact)

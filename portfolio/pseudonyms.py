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
        # One group per term, longest first; the group that matched says which label.
        # Built from the terms as stored: lower() can change a name's length ("İ").
        ordered = sorted(terms.values(), key=lambda pair: len(pair[0]), reverse=True)
        self._labels = [label for _, label in ordered]
        alternatives = "|".join(f"({re.escape(term)})" for term, _ in ordered)
        self._words = (
            re.compile(rf"(?<![\w+])(?:{alternatives})(?!\w)", re.IGNORECASE) if ordered else None
        )
        # The phones too in one pattern, a group each: one pass over a text, not one per
        # contact (a recruiter has thousands).
        self._phone_labels = [label for _, label in phones]
        self._phones = (
            re.compile("|".join(f"({pattern})" for pattern, _ in phones), re.IGNORECASE)
            if phones
            else None
        )

    def text(self, text: str) -> str:
        if self._phones:
            text = self._phones.sub(lambda m: self._phone_labels[m.lastindex - 1], text)
        if self._words:
            text = self._words.sub(lambda m: self._labels[m.lastindex - 1], text)
        return text

    def contact(self, contact: Contact) -> str:
        return self.names.get(contact.pk) or pseudonym(contact)

"""When two records are the same person: the same email, else the same profile URL,
else the same name at the same organisation. Imports use it to match incoming rows
to the recruiter's contacts, and the duplicates page to find pairs already held."""

import re
from collections.abc import Iterable
from dataclasses import dataclass

from privacy.scrub import url_forms

# The reasons, strongest first: a match on an earlier one wins.
EMAIL, PROFILE, NAME = "email", "profile", "name"
REASONS = {
    EMAIL: "same email",
    PROFILE: "same profile URL",
    NAME: "same name and organisation",
}


def profile_key(url: str) -> str:
    """The profile however it was written: no scheme, "www.", query or closing slash,
    lower case ("linkedin.com/in/jo-bloggs")."""
    forms = url_forms(re.split(r"[?#]", url.strip(), maxsplit=1)[0])
    return forms[-1].rstrip("/").lower() if forms else ""


def _words(*parts: str) -> str:
    return " ".join(" ".join(parts).split()).casefold()


def keys(
    *, first_name: str, last_name: str, email: str, profile_url: str, organisation: str
) -> list[tuple[str, str]]:
    """(reason, key) pairs for one person, strongest first. A name alone is no match:
    it needs the organisation too ("Sam Patel" is many people)."""
    found = []
    if email.strip():
        found.append((EMAIL, email.strip().lower()))
    if profile := profile_key(profile_url):
        found.append((PROFILE, profile))
    if organisation.strip() and (first_name.strip() or last_name.strip()):
        found.append((NAME, _words(first_name, last_name) + " @ " + _words(organisation)))
    return found


def keys_of(contact) -> list[tuple[str, str]]:
    """keys() of anything with the contact's fields (a Contact, an import row)."""
    return keys(
        first_name=contact.first_name,
        last_name=contact.last_name,
        email=contact.email,
        profile_url=contact.profile_url,
        organisation=contact.organisation,
    )


KEY_FIELDS = ["first_name", "last_name", "email", "profile_url", "organisation"]


@dataclass
class Match:
    pk: int
    reason: str

    @property
    def why(self) -> str:
        return REASONS[self.reason]


class Index:
    """Who is already held, by key: built once from one query, then asked per row.
    Keys are kept as their hashes, a third of the memory of the strings, so an import
    of 30,000 rows holds a few MB here (two different people sharing a 64-bit hash is
    a chance in billions, and would only show one as a duplicate in the preview)."""

    def __init__(self, contacts: Iterable) -> None:
        self._by_key: dict[int, int] = {}
        for contact in contacts:
            self.add(contact.pk, contact)

    def add(self, pk: int, person, found: list[tuple[str, str]] | None = None) -> None:
        """Remember `person` as `pk`; `found` is keys_of(person) if already known."""
        for key in keys_of(person) if found is None else found:
            self._by_key.setdefault(hash(key), pk)

    def find(self, person, found: list[tuple[str, str]] | None = None) -> Match | None:
        for reason, key in keys_of(person) if found is None else found:
            if (pk := self._by_key.get(hash((reason, key)))) is not None:
                return Match(pk, reason)
        return None


def groups(contacts: Iterable) -> list[tuple[str, list]]:
    """Sets of `contacts` that are the same person, each with the strongest reason
    that joins them, oldest contact first. A contact is in one group at most."""
    by_key: dict[tuple[str, str], list] = {}
    for contact in contacts:
        for key in keys_of(contact):
            by_key.setdefault(key, []).append(contact)
    seen: set[int] = set()
    found = []
    order = {reason: n for n, reason in enumerate(REASONS)}
    for (reason, _), members in sorted(by_key.items(), key=lambda item: order[item[0][0]]):
        members = [c for c in members if c.pk not in seen]
        if len(members) > 1:
            seen.update(c.pk for c in members)
            found.append((reason, sorted(members, key=lambda c: c.pk)))
    return found


# What a merge may fill in: a blank field of the contact kept takes the other's value;
# a field already filled is never overwritten (the recruiter's own entry wins).
FILLABLE = [
    "first_name",
    "last_name",
    "organisation",
    "role",
    "email",
    "phone",
    "profile_url",
    "notes",
]


def fill_blanks(contact, other) -> list[str]:
    """Copy `other`'s values into `contact`'s blank FILLABLE fields (not saved);
    returns the names of the fields filled."""
    filled = []
    for name in FILLABLE:
        value = getattr(other, name, "") or ""
        if value.strip() and not (getattr(contact, name) or "").strip():
            setattr(contact, name, value)
            filled.append(name)
    return filled

"""The pseudonymiser, for any contact: whatever their name, email and phone, and however
a learner wrote them into a note, none of it reaches the assessor."""

import re

import pytest
from django.db import transaction
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from contacts.models import Kind
from portfolio.pseudonyms import Pseudonymiser, pseudonym
from tests.factories import ContactFactory, UserFactory

# Names in Latin letters, accented ones too (each keeps its length in either case).
LETTERS = "abcdefghijklmnopqrstuvwxyzéèáàöüñçø"
NAME = st.text(alphabet=LETTERS + LETTERS.upper(), min_size=2, max_size=12)
FILLER = st.lists(
    st.sampled_from(["met", "about", "the", "role", "call", "with", "on", "at", "and", "re"]),
    min_size=1,
    max_size=5,
)
CASE = st.sampled_from([str.lower, str.upper, str.title, str])
PHONE_SEPARATORS = st.sampled_from([" ", "-", ".", ""])


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    first=NAME,
    last=NAME,
    mailbox=st.from_regex(r"[a-z][a-z0-9.]{1,10}[a-z]", fullmatch=True),
    digits=st.from_regex(r"7[0-9]{9}", fullmatch=True),
    separator=PHONE_SEPARATORS,
    before=FILLER,
    after=FILLER,
    case=CASE,
    kind=st.sampled_from(Kind.values),
)
@pytest.mark.django_db
def test_no_name_email_or_phone_survives(
    first, last, mailbox, digits, separator, before, after, case, kind
):
    label = pseudonym(ContactFactory.build(kind=kind, pk=1))
    label_words = {w.casefold() for w in re.findall(r"\w+", label)}
    assume(first.casefold() not in label_words and last.casefold() not in label_words)
    email = f"{mailbox}@firm.example"
    phone = separator.join(["0" + digits[:4], digits[4:7], digits[7:]])
    with transaction.atomic():
        owner = UserFactory()
        contact = ContactFactory(
            owner=owner,
            kind=kind,
            first_name=first,
            last_name=last,
            email=email,
            phone=f"0{digits[:4]} {digits[4:]}",
        )
        note = " ".join(
            [
                *before,
                case(f"{first} {last}"),
                "emailed",
                email,
                "or rang",
                phone,
                "so",
                case(first),
                "and",
                case(last),
                *after,
            ]
        )

        written = Pseudonymiser(owner).text(note)

        words = {w.casefold() for w in re.findall(r"\w+", written)}
        assert first.casefold() not in words and last.casefold() not in words, written
        assert email not in written.casefold()
        assert not re.search(r"\d[\d\s\-.()]{4,}\d", written), written  # no phone number
        assert pseudonym(contact) in written
        transaction.set_rollback(True)

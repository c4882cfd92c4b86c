import pytest
from django.db import IntegrityError, transaction

from contacts.forms import parse_tags
from contacts.models import Contact, Kind
from tests.factories import ContactFactory


def test_professional_kinds_leave_out_personal_contacts():
    assert Kind.PERSONAL not in Kind.professional()
    assert set(Kind.professional()) == set(Kind.values) - {Kind.PERSONAL}


def test_professional_queryset(recruiter):
    ContactFactory(owner=recruiter, kind=Kind.REFERRER)
    ContactFactory(owner=recruiter, kind=Kind.PERSONAL)
    assert [c.kind for c in Contact.objects.professional()] == [Kind.REFERRER]


def test_name_copes_with_a_missing_last_name(recruiter):
    assert ContactFactory(owner=recruiter, first_name="Cher", last_name="").name == "Cher"


def test_the_database_refuses_an_unknown_kind(recruiter):
    with pytest.raises(IntegrityError), transaction.atomic():
        ContactFactory(owner=recruiter, kind="friend")


def test_the_database_refuses_the_same_email_twice_for_one_owner(recruiter, outsider):
    ContactFactory(owner=recruiter, email="a@example.com")
    ContactFactory(owner=outsider, email="a@example.com")
    ContactFactory(owner=recruiter, email="")
    ContactFactory(owner=recruiter, email="")  # blank emails never clash
    with pytest.raises(IntegrityError), transaction.atomic():
        ContactFactory(owner=recruiter, email="A@Example.com")


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("", []),
        ("Fintech, London ,fintech", ["fintech", "london"]),
        ("  key   account , ,", ["key account"]),
    ],
)
def test_parse_tags(raw, expected):
    assert parse_tags(raw) == expected

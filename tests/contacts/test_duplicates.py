"""contacts.duplicates: the keys that say two records are one person, the index an
import asks, the groups the duplicates page shows, and filling blanks on a merge."""

from types import SimpleNamespace

import pytest

from contacts.duplicates import EMAIL, NAME, PROFILE, Index, fill_blanks, groups, keys, profile_key


def person(pk=None, **fields):
    values = dict(first_name="", last_name="", email="", profile_url="", organisation="")
    values.update(fields)
    return SimpleNamespace(pk=pk, **values)


@pytest.mark.parametrize(
    "url",
    [
        "https://www.linkedin.com/in/jo-bloggs",
        "http://linkedin.com/in/jo-bloggs/",
        "www.LinkedIn.com/in/Jo-Bloggs?trk=public_profile",
        " linkedin.com/in/jo-bloggs#about ",
    ],
)
def test_a_profile_is_the_same_however_it_was_written(url):
    assert profile_key(url) == "linkedin.com/in/jo-bloggs"


def test_the_keys_come_strongest_first_and_a_name_needs_an_organisation():
    assert keys(
        first_name="Jo",
        last_name="Bloggs",
        email=" Jo@Example.COM ",
        profile_url="https://linkedin.com/in/jo",
        organisation="Acme  Ltd",
    ) == [
        (EMAIL, "jo@example.com"),
        (PROFILE, "linkedin.com/in/jo"),
        (NAME, "jo bloggs @ acme ltd"),
    ]
    assert (
        keys(first_name="Jo", last_name="Bloggs", email="", profile_url="", organisation="") == []
    )


def test_the_index_finds_by_email_before_profile_before_name():
    index = Index(
        [
            person(1, first_name="Jo", last_name="Bloggs", organisation="Acme"),
            person(2, profile_url="https://linkedin.com/in/jo"),
            person(3, email="jo@example.com"),
        ]
    )

    both = person(
        first_name="Jo",
        last_name="Bloggs",
        organisation="ACME",
        profile_url="linkedin.com/in/jo/",
        email="JO@example.com",
    )
    match = index.find(both)
    assert (match.pk, match.reason, match.why) == (3, EMAIL, "same email")
    assert index.find(person(profile_url="www.linkedin.com/in/jo")).pk == 2
    assert index.find(person(first_name="jo", last_name="bloggs", organisation="acme")).pk == 1
    assert index.find(person(first_name="Jo", last_name="Bloggs", organisation="Other")) is None


def test_groups_put_each_contact_in_one_group_with_the_strongest_reason():
    a = person(1, email="a@x.com", first_name="Al", organisation="X")
    b = person(2, email="A@x.com")
    c = person(3, first_name="Al", organisation="x")
    d = person(4, email="d@x.com")

    assert groups([c, b, a, d]) == [(EMAIL, [a, b])]  # c's only partner is already taken
    assert groups([a, c]) == [(NAME, [a, c])]


def test_fill_blanks_fills_only_what_is_empty():
    kept = SimpleNamespace(
        first_name="Jo",
        last_name="",
        organisation="Acme",
        role="",
        email="",
        phone="",
        profile_url="",
        notes="mine",
    )
    other = SimpleNamespace(
        first_name="Joanna",
        last_name="Bloggs",
        organisation="Other",
        role="CTO",
        email="jo@x.com",
        phone="  ",
        profile_url="",
        notes="theirs",
    )

    assert fill_blanks(kept, other) == ["last_name", "role", "email"]
    assert (kept.first_name, kept.last_name, kept.organisation, kept.notes) == (
        "Jo",
        "Bloggs",
        "Acme",
        "mine",
    )

"""The suppression list (privacy.services: _normal_phone, _digests, suppression_add,
is_suppressed) and the check the contact form makes with it (contacts.forms.ContactForm).

Someone erased at their own request must not come back through a recruiter typing them
in again, yet the list that recognises them must not say who they were: it holds keyed
hashes (HMAC) of their email and phone, never the values."""

import re

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import override_settings
from django.urls import reverse
from django.utils.html import escape

from contacts.models import Contact, Kind
from privacy import services
from privacy.models import Suppression
from tests.conftest import client_for
from tests.factories import ContactFactory, DataRequestFactory, approved

EMAIL = "blue.heron.77@example.org"
PHONE = "+44 20 7946 0958"
PHONE_DIGITS = "2079460958"
CREATE_URL = reverse("contacts:contact_create")


# Phone numbers


@pytest.mark.parametrize(
    "written",
    [
        "+44 20 7946 0958",
        "020 7946 0958",
        "02079460958",
        "(020) 7946-0958",
        "0044 20 7946 0958",
        "0044 (0)20-7946-0958",
        "+44 (0)20 7946 0958",
    ],
)
def test_it_reads_a_uk_number_the_same_however_it_is_written(written):
    assert services._normal_phone(written) == services._normal_phone(PHONE)
    assert services._normal_phone(written) == PHONE_DIGITS  # the promise in its docstring


def test_it_tells_two_different_numbers_apart():
    assert services._normal_phone("020 7946 0958") != services._normal_phone("020 7946 0959")


@pytest.mark.parametrize("short", ["", "999", "0044 12345", "+44 (0) 1"])
def test_it_ignores_a_number_too_short_to_identify_anyone(db, short):
    assert services._digests(phones=[short]) == set()
    services.suppression_add(phones=[short])
    assert Suppression.objects.count() == 0
    assert not services.is_suppressed(phone=short)


# What the list stores


def test_it_stores_only_keyed_digests_never_the_details(db):
    services.suppression_add(emails=[EMAIL], phones=[PHONE])

    stored = list(Suppression.objects.values_list("digest", flat=True))
    assert len(stored) == 2
    assert all(re.fullmatch(r"[0-9a-f]{64}", digest) for digest in stored)
    clear = [EMAIL, EMAIL.split("@")[0], "heron", PHONE, PHONE_DIGITS, "7946"]
    for row in Suppression.objects.values():
        for value in map(str, row.values()):
            assert not any(part in value.lower() for part in clear), value


def test_adding_the_same_person_twice_keeps_one_row_per_detail(db):
    services.suppression_add(emails=[EMAIL], phones=[PHONE])
    services.suppression_add(emails=[EMAIL.upper(), f"  {EMAIL} "], phones=["020 7946 0958"])
    assert Suppression.objects.count() == 2


def test_the_digest_depends_on_the_suppression_key(db):
    with override_settings(SUPPRESSION_KEY="first key"):
        first = services._digests(emails=[EMAIL], phones=[PHONE])
        services.suppression_add(emails=[EMAIL])
    with override_settings(SUPPRESSION_KEY="second key"):
        second = services._digests(emails=[EMAIL], phones=[PHONE])
        suppressed_under_another_key = services.is_suppressed(email=EMAIL)

    assert len(first) == len(second) == 2
    assert first.isdisjoint(second)
    assert not suppressed_under_another_key
    with override_settings(SUPPRESSION_KEY="first key"):
        assert services.is_suppressed(email=EMAIL)


# Who is suppressed


@pytest.fixture
def suppressed(db):
    services.suppression_add(emails=[EMAIL], phones=[PHONE])


@pytest.mark.parametrize(
    "email", [EMAIL, EMAIL.upper(), "Blue.Heron.77@Example.ORG", f"  {EMAIL}\t"]
)
def test_an_email_is_suppressed_in_any_case_and_with_spaces_around(suppressed, email):
    assert services.is_suppressed(email=email)


@pytest.mark.parametrize("phone", ["020 7946 0958", "0044 (0)20-7946-0958", "02079460958"])
def test_a_phone_is_suppressed_however_it_is_written(suppressed, phone):
    assert services.is_suppressed(phone=phone)


def test_one_suppressed_detail_is_enough(suppressed):
    assert services.is_suppressed(email="someone.else@example.org", phone="020 7946 0958")
    assert services.is_suppressed(email=EMAIL, phone="0161 496 0000")


@pytest.mark.parametrize(
    "details",
    [
        {},
        {"email": "", "phone": ""},
        {"email": "   "},
        {"email": "blue.heron@example.org"},
        {"email": "blue.heron.77@example.com"},
        {"phone": "020 7946 0959"},
        {"phone": "0958"},
    ],
)
def test_blank_or_other_details_are_not_suppressed(suppressed, details):
    assert not services.is_suppressed(**details)


def test_an_import_can_ask_which_rows_belong_to_an_erased_person(suppressed):
    """Importing contacts (issue 6) does not exist yet; it will call is_suppressed for
    each row before saving it, as the contact form does, so this is the check it gets."""
    rows = [
        {"email": "NEW.PERSON@example.org", "phone": ""},
        {"email": EMAIL.title(), "phone": ""},
        {"email": "", "phone": "0044 20 7946 0958"},
        {"email": "", "phone": ""},
    ]
    assert [services.is_suppressed(**row) for row in rows] == [False, True, True, False]


# After an erasure, the contact form


@pytest.fixture
def erased(recruiter):
    """Someone the recruiter held, erased at their request."""
    contact = ContactFactory(
        owner=recruiter, first_name="Wilhelmina", last_name="Vantreck", email=EMAIL, phone=PHONE
    )
    request = approved(DataRequestFactory(contacts=[contact], requester_name="W Vantreck"))
    services.erasure_carry_out(request_id=request.pk)
    assert not Contact.objects.filter(pk=contact.pk).exists()
    return contact


def new_contact(**details) -> dict:
    return {"first_name": "Morgan", "kind": Kind.CANDIDATE, "source_channel": "linkedin", **details}


def assert_refused(response) -> None:
    assert response.status_code == 200
    assert services.SUPPRESSED_MESSAGE in response.context["form"].non_field_errors()
    html = response.content.decode()
    assert escape(services.SUPPRESSED_MESSAGE) in html
    assert "Wilhelmina" not in html  # nothing says who it was
    assert "Vantreck" not in html


@pytest.mark.parametrize("email", [EMAIL, EMAIL.upper(), "Blue.Heron.77@EXAMPLE.org"])
def test_it_refuses_to_add_an_erased_person_again_by_email(as_recruiter, erased, email):
    response = as_recruiter.post(CREATE_URL, new_contact(email=email))
    assert_refused(response)
    assert Contact.objects.count() == 0


@pytest.mark.parametrize("phone", ["020 7946 0958", "0044 (0)20-7946-0958"])
def test_it_refuses_to_add_an_erased_person_again_by_phone(as_recruiter, erased, phone):
    response = as_recruiter.post(CREATE_URL, new_contact(phone=phone))
    assert_refused(response)
    assert Contact.objects.count() == 0


def test_it_refuses_an_erased_persons_email_for_another_recruiter_too(teammate, erased):
    response = client_for(teammate).post(CREATE_URL, new_contact(email=EMAIL))
    assert_refused(response)
    assert Contact.objects.count() == 0


def test_it_adds_a_contact_with_an_unrelated_email(as_recruiter, erased):
    response = as_recruiter.post(
        CREATE_URL, new_contact(email="morgan@example.org", phone="0161 496 0000")
    )
    contact = Contact.objects.get()
    assert response.status_code == 302
    assert (contact.first_name, contact.email) == ("Morgan", "morgan@example.org")


def edit_data(contact: Contact, **changes) -> dict:
    fields = ["first_name", "last_name", "kind", "source_channel", "organisation", "role"]
    data = {name: getattr(contact, name) for name in fields}
    data |= {"email": contact.email, "phone": contact.phone, "profile_url": "", "notes": ""}
    return {**data, "tag_names": "", **changes}


@pytest.mark.parametrize("changes", [{"email": EMAIL.upper()}, {"phone": "0044 (0)20-7946-0958"}])
def test_it_refuses_to_change_a_contact_to_an_erased_persons_details(
    as_recruiter, recruiter, erased, changes
):
    contact = ContactFactory(owner=recruiter, email="morgan@example.org", phone="")
    url = reverse("contacts:contact_edit", args=[contact.pk])

    response = as_recruiter.post(url, edit_data(contact, **changes))

    assert_refused(response)
    contact.refresh_from_db()
    assert (contact.email, contact.phone) == ("morgan@example.org", "")


def test_it_saves_an_edit_that_leaves_the_email_and_phone_alone(as_recruiter, recruiter, erased):
    """A record made before the erasure, and not linked to the request, can still be
    kept up to date: the check is on details being entered, not on every save."""
    contact = ContactFactory(owner=recruiter, email=EMAIL.upper(), phone="020 7946 0958")
    url = reverse("contacts:contact_edit", args=[contact.pk])

    response = as_recruiter.post(url, edit_data(contact, notes="Called back about a role."))

    assert response.status_code == 302
    contact.refresh_from_db()
    assert contact.notes == "Called back about a role."


def test_a_retention_erasure_does_not_suppress_the_person(as_recruiter, recruiter):
    """The person did not ask to be forgotten: they may be added again."""
    contact = ContactFactory(owner=recruiter, email=EMAIL, phone=PHONE)
    services.person_erase(contacts=[contact])

    assert Suppression.objects.count() == 0
    assert not services.is_suppressed(email=EMAIL, phone=PHONE)
    response = as_recruiter.post(CREATE_URL, new_contact(email=EMAIL, phone=PHONE))
    assert response.status_code == 302
    assert Contact.objects.get().email == EMAIL


def test_an_erasure_request_suppresses_the_details_it_came_from(db):
    """The requester's own email and phone are suppressed even when no record held them."""
    request = approved(
        DataRequestFactory(requester_email="w.v@example.net", requester_phone="07700 900 456")
    )
    services.erasure_carry_out(request_id=request.pk)
    assert services.is_suppressed(email="W.V@example.net")
    assert services.is_suppressed(phone="+44 7700 900456")


@override_settings(SUPPRESSION_KEY="", SECRET_KEY="the-secret-key")
def test_the_key_falls_back_to_the_secret_key():
    with override_settings(SUPPRESSION_KEY="the-secret-key"):
        expected = services._digests(emails=["a@example.com"])

    assert services._digests(emails=["a@example.com"]) == expected


@override_settings(SUPPRESSION_KEY="", SECRET_KEY="")
def test_without_any_key_it_refuses_to_hash_rather_than_hash_with_nothing():
    with pytest.raises(ImproperlyConfigured):
        services._digests(emails=["a@example.com"])


def test_the_admin_refuses_an_erased_persons_email_too(admin_client, recruiter):
    services.suppression_add(emails=["gone@example.com"])

    response = admin_client.post(
        "/admin/contacts/contact/add/",
        {
            "owner": recruiter.pk,
            "first_name": "Back",
            "kind": "candidate",
            "source_channel": "other",
            "email": "Gone@Example.com",
            "updated_at_0": "",
        },
    )

    assert response.status_code == 200
    assert escape(services.SUPPRESSED_MESSAGE) in response.content.decode()
    assert not Contact.objects.filter(first_name="Back").exists()

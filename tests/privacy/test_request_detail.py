"""GET /privacy/requests/<id>/: one request, the records linked to it, and the records
anywhere in the agency that may be the same person (same email, phone or full name)."""

import re

import pytest
from django.utils import timezone
from django.utils.html import escape

from contacts.models import Kind
from privacy.models import RequestKind, Status
from tests.conftest import client_for
from tests.factories import ContactFactory, DataRequestFactory, approved


@pytest.fixture
def as_dpo(dpo):
    return client_for(dpo)


def url(data_request) -> str:
    return f"/privacy/requests/{data_request.pk}/"


def match_ids(response) -> set[int]:
    return {c.pk for c in response.context["matches"]}


def olivias_request(**fields):
    data = {
        "requester_name": "Olivia Bennett",
        "requester_email": "Olivia.Bennett@example.com",
        "requester_phone": "+44 20 7946 0958",
    }
    return DataRequestFactory(**{**data, **fields})


def test_it_shows_the_request_and_who_asked(as_dpo):
    data_request = olivias_request(kind=RequestKind.ACCESS)

    response = as_dpo.get(url(data_request))

    html = response.content.decode()
    assert response.status_code == 200
    assert response.context["req"] == data_request
    assert f"Access request {data_request.pk}" in html
    assert "Olivia Bennett · Olivia.Bennett@example.com · +44 20 7946 0958" in html
    assert f"{data_request.due_on:%-d %b %Y}" in html


def test_it_shows_linked_records_of_every_recruiter(as_dpo, recruiter, outsider):
    mine = ContactFactory(owner=recruiter, first_name="Olivia", last_name="Bennett")
    theirs = ContactFactory(owner=outsider, first_name="Liv", last_name="Bennett")
    data_request = olivias_request(contacts=[mine, theirs])

    response = as_dpo.get(url(data_request))

    assert list(response.context["linked"]) == [mine, theirs]
    html = response.content.decode()
    # Escaped as the page escapes it: Faker's names include O'Sullivan.
    assert escape(f"held by {recruiter}") in html
    assert escape(f"held by {outsider}") in html
    assert f'href="/contacts/{theirs.pk}/"' in html


def test_it_offers_records_with_the_same_email_in_any_case(as_dpo, recruiter, outsider):
    same = ContactFactory(owner=outsider, email="OLIVIA.BENNETT@EXAMPLE.COM")
    ContactFactory(owner=recruiter, email="olivia.bennett@example.org")
    data_request = olivias_request(requester_name="O B", requester_phone="")

    assert match_ids(as_dpo.get(url(data_request))) == {same.pk}


@pytest.mark.parametrize("phone", ["020 7946 0958", "02079460958", "+44 (0)20 7946-0958"])
def test_it_offers_records_with_the_same_phone_written_another_way(as_dpo, outsider, phone):
    same = ContactFactory(owner=outsider, phone=phone)
    ContactFactory(owner=outsider, phone="020 7946 1958")  # the same last four digits
    data_request = olivias_request(requester_name="O B", requester_email="")

    assert match_ids(as_dpo.get(url(data_request))) == {same.pk}


def test_it_offers_records_with_the_same_full_name(as_dpo, recruiter, teammate, outsider):
    mine = ContactFactory(owner=recruiter, first_name="olivia", last_name="BENNETT")
    theirs = ContactFactory(owner=outsider, first_name="Olivia", last_name="Bennett")
    ContactFactory(owner=teammate, first_name="Olivia", last_name="Benson")
    ContactFactory(owner=teammate, first_name="Oliver", last_name="Bennett")
    data_request = olivias_request(requester_email="", requester_phone="")

    assert match_ids(as_dpo.get(url(data_request))) == {mine.pk, theirs.pk}


def test_it_offers_personal_contacts_too(as_dpo, recruiter):
    friend = ContactFactory(owner=recruiter, kind=Kind.PERSONAL, email="olivia.bennett@example.com")
    data_request = olivias_request()

    assert match_ids(as_dpo.get(url(data_request))) == {friend.pk}


def test_it_does_not_offer_records_already_linked(as_dpo, recruiter, outsider):
    linked = ContactFactory(owner=recruiter, email="olivia.bennett@example.com")
    other = ContactFactory(owner=outsider, email="olivia.bennett@example.com")
    data_request = olivias_request(contacts=[linked])

    response = as_dpo.get(url(data_request))

    assert match_ids(response) == {other.pk}
    assert f'name="contact" value="{other.pk}"' in response.content.decode()
    assert f'name="contact" value="{linked.pk}"' not in response.content.decode()


def test_it_does_not_offer_a_record_linked_to_another_request(as_dpo, recruiter):
    contact = ContactFactory(owner=recruiter, email="olivia.bennett@example.com")
    olivias_request(contacts=[contact])
    second = olivias_request()

    assert match_ids(as_dpo.get(url(second))) == {contact.pk}


def test_it_offers_nothing_when_nothing_matches(as_dpo, recruiter):
    ContactFactory(owner=recruiter, first_name="Zara", last_name="Quinn", phone="07700 900 999")

    response = as_dpo.get(url(olivias_request()))

    assert response.context["matches"] == []
    assert "Records that may be theirs" not in response.content.decode()


def test_it_offers_a_mobile_number_grouped_differently(as_dpo, outsider):
    same = ContactFactory(owner=outsider, phone="07700 900 123")
    data_request = olivias_request(
        requester_name="O B", requester_email="", requester_phone="+447700900123"
    )

    assert match_ids(as_dpo.get(url(data_request))) == {same.pk}


def test_it_offers_a_record_whose_first_name_has_two_words(as_dpo, outsider):
    same = ContactFactory(owner=outsider, first_name="Mary Jane", last_name="Watson")
    data_request = olivias_request(
        requester_name="Mary Jane Watson", requester_email="", requester_phone=""
    )

    assert match_ids(as_dpo.get(url(data_request))) == {same.pk}


@pytest.mark.parametrize("status", [Status.REFUSED, Status.COMPLETED])
def test_a_closed_request_offers_no_matches(as_dpo, recruiter, status):
    ContactFactory(owner=recruiter, email="olivia.bennett@example.com")
    data_request = approved(olivias_request())
    data_request.status = status
    data_request.refusal_reason = "Manifestly unfounded."
    data_request.completed_at = timezone.now()
    data_request.save()

    response = as_dpo.get(url(data_request))

    assert response.status_code == 200
    assert response.context["matches"] == []
    assert "Records that may be theirs" not in response.content.decode()


def test_a_request_waiting_for_its_identity_check_offers_the_check(as_dpo):
    html = as_dpo.get(url(olivias_request())).content.decode()

    assert "Record the identity check" in html
    assert "Check their identity before approving." in html


def test_it_answers_404_for_an_unknown_request(as_dpo):
    assert as_dpo.get("/privacy/requests/999999/").status_code == 404


@pytest.mark.parametrize("role", ["recruiter", "manager", "assessor"])
def test_only_the_dpo_may_see_a_request(request, role, recruiter):
    contact = ContactFactory(owner=recruiter)
    data_request = olivias_request(contacts=[contact])

    response = client_for(request.getfixturevalue(role)).get(url(data_request))

    assert response.status_code == 403
    assert "Olivia.Bennett@example.com" not in response.content.decode()


def test_no_two_fields_of_its_forms_share_an_id(as_dpo):
    """The extension's and the refusal's reason are both called `reason`: each label
    must still name its own textarea, not the other form's hidden one."""
    data_request = olivias_request(kind=RequestKind.ACCESS)

    html = as_dpo.get(url(data_request)).content.decode()

    ids = re.findall(r'\sid="([^"]+)"', html)
    assert sorted({i for i in ids if ids.count(i) > 1}) == []
    assert 'for="extend_reason"' in html and 'id="extend_reason"' in html
    assert 'for="refuse_reason"' in html and 'id="refuse_reason"' in html

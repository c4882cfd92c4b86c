"""How far an erasure reaches beyond the person's own rows, and where it stops: other
people's records name the person in many ways (a tag, an assessment, a phone written
differently, an earlier request), and a name alone must not erase someone else."""

import pytest
from django.urls import reverse

from consent.models import Basis, LawfulBasisRecord
from consent.services import basis_record
from contacts.models import Activity, Kind, Tag
from privacy import services
from privacy.models import DataRequest, RequestKind, SensitiveConfirmation
from tests.conftest import client_for
from tests.factories import (
    ActivityFactory,
    ContactFactory,
    DataRequestFactory,
    DisclosureFactory,
    TagFactory,
    approved,
)

ERASED = services.ERASED


def erase(*contacts, **request_fields):
    request = approved(DataRequestFactory(contacts=list(contacts), **request_fields))
    return services.erasure_carry_out(request_id=request.pk)


def test_a_first_name_alone_is_left_in_other_peoples_notes(recruiter, teammate):
    sam = ContactFactory(owner=recruiter, first_name="Sam", last_name="", email="")
    other = ContactFactory(owner=teammate, notes="Sam Jones: great Java developer.")

    erase(sam, requester_name="Sam", requester_email="")

    other.refresh_from_db()
    assert other.notes == "Sam Jones: great Java developer."


def test_a_tag_that_names_the_person_goes(recruiter):
    person = ContactFactory(owner=recruiter, first_name="Zed", last_name="Quill")
    TagFactory(owner=recruiter, name="zed quill referrals")
    TagFactory(owner=recruiter, name="fintech")

    erase(person)

    assert list(Tag.objects.values_list("name", flat=True)) == ["fintech"]


def test_an_assessment_on_someone_else_that_names_the_person_is_rewritten(recruiter):
    person = ContactFactory(owner=recruiter, first_name="Zed", last_name="Quill")
    other = ContactFactory(owner=recruiter)
    kept = basis_record(
        contact=other,
        basis=Basis.LEGITIMATE_INTERESTS,
        by=recruiter,
        li_purpose="Referred by Zed Quill.",
        li_necessity="Needed.",
        li_balance="Fine.",
    )

    erase(person)

    record = LawfulBasisRecord.objects.get()
    assert (record.pk, record.li_purpose, record.li_necessity) == (
        kept.pk,
        f"Referred by {ERASED}.",
        "Needed.",
    )


def test_a_phone_number_written_another_way_is_taken_out(recruiter, teammate):
    person = ContactFactory(owner=recruiter, phone="+44 7700 900123")
    note = ContactFactory(owner=teammate, notes="Call back on 07700900123 or 07700 900 999.")

    erase(person)

    note.refresh_from_db()
    assert note.notes == f"Call back on {ERASED} or 07700 900 999."


@pytest.mark.parametrize(
    "written", ["+44 (0)7700 900.123", "07700-900-123", "07700\xa0900\xa0123", "0770 090 0123"]
)
def test_a_phone_number_in_a_colleagues_activity_is_taken_out_however_it_is_spaced(
    recruiter, teammate, written
):
    person = ContactFactory(owner=recruiter, phone="07700 900123")
    theirs = ActivityFactory(owner=teammate, summary=f"Text {written} about the role.")

    erase(person)

    theirs.refresh_from_db()
    assert theirs.summary == f"Text {ERASED} about the role."


def test_a_profile_pasted_in_full_into_a_colleagues_note_is_taken_out(recruiter, teammate):
    person = ContactFactory(owner=recruiter, profile_url="https://www.linkedin.com/in/zq-7")
    note = ContactFactory(owner=teammate, notes="See https://www.linkedin.com/in/zq-7/ first.")

    erase(person)

    note.refresh_from_db()
    assert "zq-7" not in note.notes
    assert note.notes.startswith(f"See {ERASED}")


def test_the_requests_own_reasons_lose_the_first_name_and_earlier_requests_who_asked(
    recruiter, dpo
):
    person = ContactFactory(owner=recruiter, first_name="Zephyr", last_name="Quince")
    earlier = DataRequestFactory(
        kind=RequestKind.ACCESS,
        requester_name="Zephyr Quince",
        requester_email=person.email.upper(),
    )
    request = DataRequestFactory(contacts=[person], requester_name="Zephyr Quince")
    request.extended_on, request.extension_reason = (
        request.received_on,
        "Zephyr's records: 3 teams.",
    )
    request.save()

    services.erasure_carry_out(request_id=approved(request).pk)

    request.refresh_from_db()
    earlier.refresh_from_db()
    assert request.extension_reason == f"{ERASED}'s records: 3 teams."
    assert (earlier.requester_name, earlier.requester_email) == ("", "")


def test_the_recipients_to_tell_do_not_name_the_person(recruiter):
    person = ContactFactory(owner=recruiter, first_name="Zed", last_name="Quill")
    DisclosureFactory(contact=person, recipient="Acme Ltd (Zed Quill CV)")

    record = erase(person)

    assert record.disclosures[0]["recipient"] == f"Acme Ltd ({ERASED} CV)"


def test_a_private_activity_goes_rather_than_becoming_visible_to_the_manager(recruiter, manager):
    friend = ContactFactory(owner=recruiter, kind=Kind.PERSONAL)
    private = ActivityFactory(owner=recruiter, contacts=[friend], summary="Dinner.")
    work = ActivityFactory(
        owner=recruiter, contacts=[friend, ContactFactory(owner=recruiter)], summary="Intro."
    )

    record = erase(friend)

    assert not Activity.objects.filter(pk=private.pk).exists()
    assert Activity.objects.filter(pk=work.pk).exists()
    assert record.activities_kept == 1
    url = reverse("contacts:activity_detail", args=[work.pk])
    assert client_for(manager).get(url).status_code == 200


def test_an_unrelated_justification_keeps_a_shared_first_name(recruiter):
    person = ContactFactory(owner=recruiter, first_name="Priya", last_name="Quill")
    unrelated = SensitiveConfirmation.objects.create(
        object_type="contacts.contact",
        object_id=ContactFactory(owner=recruiter).pk,
        categories=["health"],
        justification="Priya Patel asked for adjustments.",
        recorded_by=recruiter,
    )

    erase(person)

    unrelated.refresh_from_db()
    assert unrelated.justification == "Priya Patel asked for adjustments."


@pytest.mark.parametrize("alone", [True, False])
def test_the_request_is_always_free_of_who_asked(recruiter, alone):
    person = ContactFactory(owner=recruiter)
    others = [] if alone else [ContactFactory(owner=recruiter)]
    ActivityFactory(owner=recruiter, contacts=[person, *others])

    erase(person, requester_phone="020 7946 0000")

    request = DataRequest.objects.get()
    assert (request.requester_name, request.requester_email, request.requester_phone) == (
        "",
        "",
        "",
    )

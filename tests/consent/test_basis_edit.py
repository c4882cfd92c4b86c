"""GET/POST /contacts/<pk>/basis/: record a contact's lawful basis (appended history)."""

import pytest
from django.urls import reverse
from django.utils import timezone

from consent.models import Basis, LawfulBasisRecord
from consent.services import consent_record
from contacts.models import Contact
from tests.conftest import client_for
from tests.factories import ContactFactory

LI_ASSESSMENT = {
    "li_purpose": "Placing candidates with our clients.",
    "li_necessity": "We cannot put them forward without their details.",
    "li_balance": "They applied to us and expect to be contacted.",
}


def url(contact) -> str:
    return f"/contacts/{contact.pk}/basis/"


@pytest.fixture
def contact(recruiter):
    return ContactFactory(owner=recruiter, first_name="Olivia", last_name="Bennett")


def test_it_shows_the_form(as_recruiter, contact):
    response = as_recruiter.get(url(contact))

    assert response.status_code == 200
    assert set(response.context["form"].fields) == {
        "basis",
        "li_purpose",
        "li_necessity",
        "li_balance",
    }
    assert "Record the lawful basis" in response.content.decode()


def test_it_saves_nothing_on_get(as_recruiter, contact):
    as_recruiter.get(url(contact), {"basis": Basis.CONTRACT})

    assert not LawfulBasisRecord.objects.exists()
    contact.refresh_from_db()
    assert contact.lawful_basis == ""


@pytest.mark.parametrize("basis", [Basis.CONTRACT, Basis.LEGAL_OBLIGATION])
def test_it_records_each_basis_once(as_recruiter, recruiter, contact, basis):
    response = as_recruiter.post(url(contact), {"basis": basis})

    assert response.status_code == 302
    assert response["Location"] == contact.get_absolute_url()
    record = LawfulBasisRecord.objects.get()
    assert (record.contact, record.basis, record.recorded_by) == (contact, basis, recruiter)
    contact.refresh_from_db()
    assert contact.lawful_basis == basis


def test_it_records_legitimate_interests_with_its_assessment(as_recruiter, contact):
    response = as_recruiter.post(
        url(contact), {"basis": Basis.LEGITIMATE_INTERESTS, **LI_ASSESSMENT}
    )

    assert response.status_code == 302
    record = LawfulBasisRecord.objects.get()
    assert record.basis == Basis.LEGITIMATE_INTERESTS
    assert record.li_purpose == LI_ASSESSMENT["li_purpose"]
    assert record.li_necessity == LI_ASSESSMENT["li_necessity"]
    assert record.li_balance == LI_ASSESSMENT["li_balance"]
    contact.refresh_from_db()
    assert contact.lawful_basis == Basis.LEGITIMATE_INTERESTS


def test_it_says_so_after_recording(as_recruiter, contact):
    response = as_recruiter.post(url(contact), {"basis": Basis.CONTRACT}, follow=True)

    assert "Lawful basis recorded." in response.content.decode()


@pytest.mark.parametrize("blank", ["", "   "])
def test_it_asks_for_each_part_of_the_legitimate_interests_assessment(as_recruiter, contact, blank):
    data = {"basis": Basis.LEGITIMATE_INTERESTS, **dict.fromkeys(LI_ASSESSMENT, blank)}

    response = as_recruiter.post(url(contact), data)

    assert response.status_code == 200
    errors = response.context["form"].errors
    assert set(errors) == set(LI_ASSESSMENT)
    html = response.content.decode()
    for field in LI_ASSESSMENT:
        assert errors[field] == ["Legitimate interests needs this assessment first."]
        assert f'id="error_1_id_{field}"' in html  # shown by the field, not only at the top
    assert not LawfulBasisRecord.objects.exists()
    contact.refresh_from_db()
    assert contact.lawful_basis == ""


def test_a_partial_assessment_flags_only_the_missing_part(as_recruiter, contact):
    data = {"basis": Basis.LEGITIMATE_INTERESTS, **LI_ASSESSMENT, "li_balance": ""}

    response = as_recruiter.post(url(contact), data)

    assert set(response.context["form"].errors) == {"li_balance"}
    assert not LawfulBasisRecord.objects.exists()


def test_a_failed_assessment_leaves_the_current_basis_alone(as_recruiter, contact):
    as_recruiter.post(url(contact), {"basis": Basis.CONTRACT})

    as_recruiter.post(url(contact), {"basis": Basis.LEGITIMATE_INTERESTS})

    assert LawfulBasisRecord.objects.count() == 1
    contact.refresh_from_db()
    assert contact.lawful_basis == Basis.CONTRACT


@pytest.mark.parametrize("basis", ["", "vital_interests", "CONTRACT"])
def test_it_refuses_an_unknown_basis(as_recruiter, contact, basis):
    response = as_recruiter.post(url(contact), {"basis": basis})

    assert response.status_code == 200
    assert "basis" in response.context["form"].errors
    assert not LawfulBasisRecord.objects.exists()
    contact.refresh_from_db()
    assert contact.lawful_basis == ""


def test_a_second_basis_is_added_to_the_history_not_written_over(as_recruiter, contact):
    as_recruiter.post(url(contact), {"basis": Basis.CONTRACT})
    first = LawfulBasisRecord.objects.get()

    as_recruiter.post(url(contact), {"basis": Basis.LEGITIMATE_INTERESTS, **LI_ASSESSMENT})

    assert LawfulBasisRecord.objects.count() == 2
    again = LawfulBasisRecord.objects.get(pk=first.pk)
    assert (again.basis, again.recorded_at, again.li_purpose) == (
        Basis.CONTRACT,
        first.recorded_at,
        "",
    )
    assert list(contact.basis_history.values_list("basis", flat=True)) == [
        Basis.LEGITIMATE_INTERESTS,
        Basis.CONTRACT,
    ]
    contact.refresh_from_db()
    assert contact.lawful_basis == Basis.LEGITIMATE_INTERESTS


def test_another_recruiter_gets_404_and_changes_nothing(as_outsider, contact):
    assert as_outsider.get(url(contact)).status_code == 404
    assert as_outsider.post(url(contact), {"basis": Basis.CONTRACT}).status_code == 404
    assert not LawfulBasisRecord.objects.exists()


def test_a_teammate_gets_404(teammate, contact):
    assert client_for(teammate).get(url(contact)).status_code == 404


@pytest.mark.parametrize(
    ("role", "status"),
    [("manager", 403), ("dpo", 403), ("other_manager", 404), ("assessor", 403)],
)
def test_only_the_owner_may_record_a_basis(request, contact, role, status):
    client = client_for(request.getfixturevalue(role))

    assert client.get(url(contact)).status_code == status
    assert client.post(url(contact), {"basis": Basis.CONTRACT}).status_code == status
    assert not LawfulBasisRecord.objects.exists()
    assert Contact.objects.get().lawful_basis == ""


def test_it_sends_an_anonymous_visitor_to_the_login_page(client, contact):
    response = client.post(url(contact), {"basis": Basis.CONTRACT})

    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next={url(contact)}"
    assert not LawfulBasisRecord.objects.exists()


def test_a_missing_contact_is_404(as_recruiter):
    assert as_recruiter.get("/contacts/999999/basis/").status_code == 404


def test_consent_as_the_basis_needs_consent_on_record(as_recruiter, recruiter, contact):
    response = as_recruiter.post(url(contact), {"basis": Basis.CONSENT})
    assert "record the consent itself" in str(response.context["form"].errors["basis"])
    assert not LawfulBasisRecord.objects.exists()


def test_it_switches_back_to_consent_when_consent_is_live(as_recruiter, recruiter, contact):
    consent_record(
        contact=contact,
        on=timezone.localdate(),
        method="form",
        purposes=["roles"],
        notice=None,
        by=recruiter,
    )
    as_recruiter.post(url(contact), {"basis": Basis.CONTRACT})
    response = as_recruiter.post(url(contact), {"basis": Basis.CONSENT})
    assert response.status_code == 302
    contact.refresh_from_db()
    assert contact.lawful_basis == Basis.CONSENT


def test_an_assessment_is_kept_only_with_legitimate_interests(as_recruiter, contact):
    as_recruiter.post(url(contact), {"basis": Basis.CONTRACT, **LI_ASSESSMENT})
    record = LawfulBasisRecord.objects.get()
    assert (record.li_purpose, record.li_necessity, record.li_balance) == ("", "", "")

import pytest

from contacts.models import Contact
from tests.conftest import client_for
from tests.factories import ContactFactory, TagFactory


def url(contact) -> str:
    return f"/contacts/{contact.pk}/edit/"


def form_data(contact, **overrides) -> dict:
    data = {
        "first_name": contact.first_name,
        "last_name": contact.last_name,
        "kind": contact.kind,
        "source_channel": contact.source_channel,
        "organisation": contact.organisation,
        "role": contact.role,
        "email": contact.email,
        "phone": contact.phone,
        "profile_url": contact.profile_url,
        "tag_names": ", ".join(contact.tags.values_list("name", flat=True)),
        "notes": contact.notes,
    }
    return {**data, **overrides}


def test_it_shows_the_form_filled_in_with_the_current_tags(as_recruiter, recruiter):
    contact = ContactFactory(owner=recruiter)
    contact.tags.set([TagFactory(owner=recruiter, name="fintech")])
    response = as_recruiter.get(url(contact))
    assert response.status_code == 200
    assert response.context["form"]["tag_names"].value() == "fintech"


def test_it_saves_changes_and_replaces_tags(as_recruiter, recruiter):
    contact = ContactFactory(owner=recruiter, organisation="Old Co")
    contact.tags.set([TagFactory(owner=recruiter, name="old")])
    response = as_recruiter.post(
        url(contact), form_data(contact, organisation="New Co", tag_names="new")
    )
    assert response.status_code == 302
    contact.refresh_from_db()
    assert contact.organisation == "New Co"
    assert list(contact.tags.values_list("name", flat=True)) == ["new"]


def test_keeping_the_same_email_is_not_a_duplicate(as_recruiter, recruiter):
    contact = ContactFactory(owner=recruiter, email="same@example.com")
    response = as_recruiter.post(url(contact), form_data(contact, role="New role"))
    assert response.status_code == 302


def test_bad_input_changes_nothing(as_recruiter, recruiter):
    contact = ContactFactory(owner=recruiter, first_name="Olivia", email="olivia@example.com")
    contact.tags.set([TagFactory(owner=recruiter, name="keep")])
    response = as_recruiter.post(
        url(contact), form_data(contact, first_name="Changed", email="broken", tag_names="other")
    )
    assert response.status_code == 200
    assert "Enter a valid email address." in str(response.context["form"].errors["email"])
    contact.refresh_from_db()
    assert contact.first_name == "Olivia"
    assert list(contact.tags.values_list("name", flat=True)) == ["keep"]


def test_another_recruiter_gets_404_and_changes_nothing(as_outsider, recruiter):
    contact = ContactFactory(owner=recruiter, first_name="Olivia")
    assert as_outsider.get(url(contact)).status_code == 404
    assert (
        as_outsider.post(url(contact), form_data(contact, first_name="Hacked")).status_code == 404
    )
    assert Contact.objects.get().first_name == "Olivia"


@pytest.mark.parametrize("role", ["manager", "dpo"])
def test_readers_who_may_not_edit_get_403(request, recruiter, role):
    contact = ContactFactory(owner=recruiter, first_name="Olivia")
    client = client_for(request.getfixturevalue(role))
    assert client.get(url(contact)).status_code == 403
    assert client.post(url(contact), form_data(contact, first_name="Changed")).status_code == 403
    assert Contact.objects.get().first_name == "Olivia"

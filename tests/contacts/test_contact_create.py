import pytest

from contacts.models import Contact, Kind, Tag
from tests.conftest import assert_labelled, client_for
from tests.factories import ContactFactory

URL = "/contacts/new/"


def valid_data(**overrides) -> dict:
    data = {
        "first_name": "Olivia",
        "last_name": "Bennett",
        "kind": Kind.CANDIDATE,
        "source_channel": "linkedin",
        "organisation": "Northwind Analytics",
        "role": "Senior Data Engineer",
        "email": "olivia.bennett@example.com",
        "phone": "+44 20 7946 0958",
        "profile_url": "https://www.linkedin.com/in/olivia-bennett-example",
        "tag_names": "Data, python , data",
        "notes": "Met at the Leeds meetup.",
    }
    return {**data, **overrides}


def test_it_shows_an_empty_form_with_labels(as_recruiter):
    response = as_recruiter.get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    labels = {
        "first_name": "First name",
        "kind": "Relationship",
        "source_channel": "How you met",
        "email": "Email",
        "tag_names": "Tags",
    }
    for field, label in labels.items():
        assert_labelled(html, field, label)


def test_it_creates_a_contact_owned_by_the_recruiter(as_recruiter, recruiter):
    response = as_recruiter.post(URL, valid_data())
    contact = Contact.objects.get()
    assert response.status_code == 302
    assert response.url == contact.get_absolute_url()
    assert contact.owner == recruiter
    assert contact.name == "Olivia Bennett"
    assert contact.profile_url.startswith("https://www.linkedin.com/")
    assert sorted(contact.tags.values_list("name", flat=True)) == ["data", "python"]


def test_it_reuses_the_recruiters_existing_tags(as_recruiter, recruiter):
    Tag.objects.create(owner=recruiter, name="data")
    as_recruiter.post(URL, valid_data())
    assert Tag.objects.filter(owner=recruiter).count() == 2


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("first_name", "", "This field is required."),
        ("kind", "", "This field is required."),
        ("kind", "friend", "Select a valid choice."),
        ("email", "not-an-email", "Enter a valid email address."),
        ("phone", "call me maybe", "Enter a phone number"),
        ("profile_url", "javascript:alert(1)", "Enter a valid URL."),
        ("tag_names", "x" * 41, "at most 40 characters"),
    ],
)
def test_bad_input_shows_the_error_by_the_field_and_saves_nothing(
    as_recruiter, field, value, message
):
    response = as_recruiter.post(URL, valid_data(**{field: value}))
    assert response.status_code == 200
    assert message in str(response.context["form"].errors[field])
    assert f'id="error_1_id_{field}"' in response.content.decode()
    assert Contact.objects.count() == 0
    assert Tag.objects.count() == 0


def test_it_refuses_more_than_twenty_tags(as_recruiter):
    response = as_recruiter.post(URL, valid_data(tag_names=",".join(f"t{i}" for i in range(21))))
    assert "at most 20 tags" in str(response.context["form"].errors["tag_names"])
    assert Contact.objects.count() == 0


def test_it_refuses_a_second_contact_with_the_same_email_in_any_case(as_recruiter, recruiter):
    ContactFactory(owner=recruiter, email="olivia.bennett@example.com")
    response = as_recruiter.post(URL, valid_data(email="Olivia.Bennett@Example.com"))
    assert "already have a contact with this email" in str(response.context["form"].errors["email"])
    assert Contact.objects.count() == 1


def test_another_recruiter_may_hold_the_same_person(as_recruiter, outsider):
    ContactFactory(owner=outsider, email="olivia.bennett@example.com")
    response = as_recruiter.post(URL, valid_data())
    assert response.status_code == 302
    assert Contact.objects.count() == 2


@pytest.mark.parametrize("role", ["manager", "dpo", "assessor"])
def test_only_recruiters_keep_contacts(request, role):
    user = request.getfixturevalue(role)
    client = client_for(user)
    assert client.get(URL).status_code == 403
    assert client.post(URL, valid_data()).status_code == 403
    assert Contact.objects.count() == 0


def test_anonymous_users_are_sent_to_sign_in(client, db):
    response = client.get(URL)
    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/")

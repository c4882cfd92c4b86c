"""GET and POST /outcomes/new/: record a recruitment outcome."""

import re
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from contacts.models import Outcome, OutcomeKind
from tests.conftest import client_for
from tests.factories import ActivityFactory, ContactFactory

URL = reverse("contacts:outcome_create")


@pytest.fixture
def sam(recruiter):
    return ContactFactory(owner=recruiter, first_name="Sam")


@pytest.fixture
def alex(recruiter):
    return ContactFactory(owner=recruiter, first_name="Alex")


@pytest.fixture
def call(recruiter, sam):
    return ActivityFactory(owner=recruiter, contacts=[sam], summary="Call with Sam")


def _valid(contacts=(), activities=(), **overrides) -> dict:
    data = {
        "kind": OutcomeKind.PLACEMENT,
        "date": str(timezone.localdate()),
        "value": "8500.00",
        "contacts": [c.pk for c in contacts],
        "activities": [a.pk for a in activities],
        "notes": "Placed as senior data engineer",
    }
    return {**data, **overrides}


def _selected(response, name: str) -> list[str]:
    select = re.search(rf'<select name="{name}".*?</select>', response.content.decode(), re.S)
    return re.findall(r'<option value="(\d+)" selected>', select.group(0))


def _assert_nothing_saved() -> None:
    assert Outcome.objects.count() == 0
    assert Outcome.contacts.through.objects.count() == 0
    assert Outcome.activities.through.objects.count() == 0


def test_it_offers_only_the_users_contacts_and_activities(as_recruiter, sam, call, outsider):
    theirs = ActivityFactory(owner=outsider)

    response = as_recruiter.get(URL)

    assert response.status_code == 200
    form = response.context["form"]
    assert list(form.fields["contacts"].queryset) == [sam]
    assert list(form.fields["activities"].queryset) == [call]
    assert f'value="{theirs.pk}"' not in response.content.decode()


def test_it_records_an_outcome_for_several_contacts_and_an_activity(
    as_recruiter, recruiter, sam, alex, call
):
    response = as_recruiter.post(URL, _valid(contacts=[sam, alex], activities=[call]))

    assert response.status_code == 302
    assert response["Location"] == reverse("contacts:outcome_list")
    outcome = Outcome.objects.get()
    assert outcome.owner == recruiter
    assert outcome.kind == OutcomeKind.PLACEMENT
    assert outcome.value == Decimal("8500.00")
    assert set(outcome.contacts.all()) == {sam, alex}
    assert list(outcome.activities.all()) == [call]


def test_it_records_an_outcome_for_an_activity_alone_without_a_value(as_recruiter, call):
    as_recruiter.post(URL, _valid(activities=[call], value=""))

    outcome = Outcome.objects.get()
    assert outcome.value is None
    assert list(outcome.activities.all()) == [call]
    assert not outcome.contacts.exists()


def test_it_confirms_the_outcome_was_recorded(as_recruiter, sam):
    response = as_recruiter.post(URL, _valid(contacts=[sam]), follow=True)

    assert "Outcome recorded." in response.content.decode()
    assert "Placed as senior data engineer" in response.content.decode()


def test_it_preselects_the_contact_and_activity_named_in_the_url(as_recruiter, sam, alex, call):
    response = as_recruiter.get(URL, {"contact": sam.pk, "activity": call.pk})

    assert _selected(response, "contacts") == [str(sam.pk)]
    assert _selected(response, "activities") == [str(call.pk)]


def test_it_does_not_preselect_another_recruiters_records(as_recruiter, sam, teammate):
    their_contact = ContactFactory(owner=teammate)
    their_activity = ActivityFactory(owner=teammate, contacts=[their_contact])

    response = as_recruiter.get(URL, {"contact": their_contact.pk, "activity": their_activity.pk})

    assert _selected(response, "contacts") == []
    assert _selected(response, "activities") == []


@pytest.mark.parametrize("param", ["contact", "activity"])
def test_it_preselects_nothing_for_a_digit_that_is_not_a_number(as_recruiter, call, param):
    response = as_recruiter.get(URL, {param: "²"})

    assert response.status_code == 200
    assert _selected(response, "contacts") == []
    assert _selected(response, "activities") == []


def test_it_requires_a_contact_or_an_activity(as_recruiter):
    response = as_recruiter.post(URL, _valid())

    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [
        "Attribute the outcome to at least one contact or activity."
    ]
    assert "Attribute the outcome to at least one contact or activity." in (
        response.content.decode()
    )
    _assert_nothing_saved()


def test_it_rejects_a_negative_value_next_to_the_value_field(as_recruiter, sam):
    response = as_recruiter.post(URL, _valid(contacts=[sam], value="-100"))

    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["value"]
    assert 'id="id_value_error"' in response.content.decode()
    assert "Constraint" not in response.content.decode()
    _assert_nothing_saved()


@pytest.mark.parametrize(
    "field, overrides",
    [
        ("kind", {"kind": "world_domination"}),
        ("date", {"date": "not a date"}),
        ("value", {"value": "lots"}),
        ("value", {"value": "12345678901"}),
    ],
)
def test_it_shows_the_error_next_to_the_field_and_saves_nothing(
    as_recruiter, sam, field, overrides
):
    response = as_recruiter.post(URL, _valid(contacts=[sam], **overrides))

    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert f'id="id_{field}_error"' in response.content.decode()
    _assert_nothing_saved()


def test_it_rejects_another_recruiters_contact(as_recruiter, sam, outsider):
    theirs = ContactFactory(owner=outsider)

    response = as_recruiter.post(URL, _valid(contacts=[sam, theirs]))

    assert "contacts" in response.context["form"].errors
    assert "Select a valid choice" in response.content.decode()
    _assert_nothing_saved()


def test_it_rejects_another_recruiters_activity(as_recruiter, sam, outsider):
    theirs = ActivityFactory(owner=outsider)

    response = as_recruiter.post(URL, _valid(contacts=[sam], activities=[theirs]))

    assert "activities" in response.context["form"].errors
    _assert_nothing_saved()


@pytest.mark.parametrize("role", ["manager", "dpo", "assessor"])
def test_it_forbids_anyone_but_a_recruiter(request, sam, role):
    client = client_for(request.getfixturevalue(role))

    assert client.get(URL).status_code == 403
    assert client.post(URL, _valid(contacts=[sam])).status_code == 403
    _assert_nothing_saved()


def test_it_sends_an_anonymous_visitor_to_the_login_page(client, sam):
    response = client.post(URL, _valid(contacts=[sam]))

    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next={URL}"
    _assert_nothing_saved()

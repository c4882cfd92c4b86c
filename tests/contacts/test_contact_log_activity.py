"""POST /contacts/<pk>/log/: the quick-log form on a contact's page."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from contacts.models import Activity, ActivityType, Direction
from tests.conftest import client_for
from tests.factories import ContactFactory

DAY = datetime.timedelta(days=1)


@pytest.fixture
def contact(recruiter):
    return ContactFactory(owner=recruiter, first_name="Sam", last_name="Okafor")


def _url(contact) -> str:
    return reverse("contacts:contact_log_activity", args=[contact.pk])


def _valid(**overrides) -> dict:
    today = timezone.localdate()
    data = {
        "type": ActivityType.CALL,
        "date": str(today),
        "summary": "Called about the data engineering role",
        "outcome": "",
        "context": "",
        "direction": Direction.GIVEN,
        "follow_up_on": str(today + 2 * DAY),
    }
    return {**data, **overrides}


def test_it_puts_the_activity_on_the_contacts_timeline(as_recruiter, recruiter, contact):
    response = as_recruiter.post(_url(contact), _valid())

    assert response.status_code == 302
    assert response["Location"] == contact.get_absolute_url()
    activity = Activity.objects.get()
    assert activity.owner == recruiter
    assert list(activity.contacts.all()) == [contact]
    assert activity.direction == Direction.GIVEN
    assert activity.follow_up_on == timezone.localdate() + 2 * DAY
    page = as_recruiter.get(response["Location"])
    assert list(page.context["timeline"]) == [activity]
    assert "Called about the data engineering role" in page.content.decode()


def test_it_confirms_the_activity_was_logged(as_recruiter, contact):
    response = as_recruiter.post(_url(contact), _valid(), follow=True)

    assert "Activity logged." in response.content.decode()


def test_it_ignores_a_contacts_field_sent_with_the_form(as_recruiter, recruiter, contact):
    other = ContactFactory(owner=recruiter)

    as_recruiter.post(_url(contact), {**_valid(), "contacts": [other.pk]})

    assert list(Activity.objects.get().contacts.all()) == [contact]


@pytest.mark.parametrize(
    "field, overrides, message",
    [
        ("summary", lambda today: {"summary": ""}, "This field is required."),
        ("type", lambda today: {"type": ""}, "This field is required."),
        ("date", lambda today: {"date": str(today + DAY)}, "An activity is something"),
        (
            "follow_up_on",
            lambda today: {"follow_up_on": str(today - DAY)},
            "The follow-up cannot be before the activity.",
        ),
    ],
)
def test_it_shows_the_errors_on_the_contact_page_and_saves_nothing(
    as_recruiter, contact, field, overrides, message
):
    response = as_recruiter.post(_url(contact), _valid(**overrides(timezone.localdate())))

    assert response.status_code == 200
    assert "contacts/contact_detail.html" in [t.name for t in response.templates]
    assert response.context["contact"] == contact
    assert list(response.context["form"].errors) == [field]
    assert message in response.content.decode()
    assert f'id="id_{field}_error"' in response.content.decode()
    assert Activity.objects.count() == 0


def test_it_keeps_what_was_typed_after_an_error(as_recruiter, contact):
    response = as_recruiter.post(_url(contact), _valid(summary="", context="Tech Nation mixer"))

    assert 'value="Tech Nation mixer"' in response.content.decode()


def test_it_rejects_get(as_recruiter, contact):
    response = as_recruiter.get(_url(contact))

    assert response.status_code == 405
    assert Activity.objects.count() == 0


def test_it_hides_someone_elses_contact_from_an_outsider(as_outsider, contact):
    response = as_outsider.post(_url(contact), _valid())

    assert response.status_code == 404
    assert Activity.objects.count() == 0


def test_it_hides_a_teammates_contact(teammate, contact):
    response = client_for(teammate).post(_url(contact), _valid())

    assert response.status_code == 404
    assert Activity.objects.count() == 0


def test_it_forbids_the_manager_to_log_on_a_team_members_contact(as_manager, contact):
    response = as_manager.post(_url(contact), _valid())

    assert response.status_code == 403
    assert Activity.objects.count() == 0


def test_it_hides_the_contact_from_another_teams_manager(other_manager, contact):
    response = client_for(other_manager).post(_url(contact), _valid())

    assert response.status_code == 404


def test_it_answers_404_for_an_unknown_contact(as_recruiter):
    response = as_recruiter.post(reverse("contacts:contact_log_activity", args=[999999]), _valid())

    assert response.status_code == 404

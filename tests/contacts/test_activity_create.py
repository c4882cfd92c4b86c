"""GET and POST /activities/new/: log a networking activity."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from contacts.models import Activity, ActivityType, Direction
from tests.conftest import client_for
from tests.factories import ContactFactory

URL = reverse("contacts:activity_create")
DAY = datetime.timedelta(days=1)


@pytest.fixture
def sam(recruiter):
    return ContactFactory(owner=recruiter, first_name="Sam", last_name="Okafor")


@pytest.fixture
def alex(recruiter):
    return ContactFactory(owner=recruiter, first_name="Alex", last_name="Brennan")


def _valid(*contacts, **overrides) -> dict:
    today = timezone.localdate()
    data = {
        "type": ActivityType.MEETING,
        "date": str(today - DAY),
        "contacts": [c.pk for c in contacts],
        "summary": "Coffee at the Fintech Week breakfast",
        "outcome": "Agreed to share two senior vacancies",
        "context": "Fintech Week, Shoreditch",
        "direction": Direction.RECEIVED,
        "follow_up_on": str(today + 3 * DAY),
    }
    return {**data, **overrides}


def _selected(response) -> list[str]:
    """Values of the selected options of the contacts <select>."""
    select = re.search(r'<select name="contacts".*?</select>', response.content.decode(), re.S)
    return re.findall(r'<option value="(\d+)" selected>', select.group(0))


def test_it_shows_the_form_with_only_the_users_contacts(as_recruiter, sam, outsider):
    theirs = ContactFactory(owner=outsider, first_name="Hidden")

    response = as_recruiter.get(URL)

    assert response.status_code == 200
    assert list(response.context["form"].fields["contacts"].queryset) == [sam]
    assert "Hidden" not in response.content.decode()
    assert f'value="{theirs.pk}"' not in response.content.decode()


def test_it_logs_an_activity_with_several_contacts_and_a_follow_up(
    as_recruiter, recruiter, sam, alex
):
    response = as_recruiter.post(URL, _valid(sam, alex))

    activity = Activity.objects.get()
    assert response.status_code == 302
    assert response["Location"] == activity.get_absolute_url()
    assert activity.owner == recruiter
    assert set(activity.contacts.all()) == {sam, alex}
    assert activity.type == ActivityType.MEETING
    assert activity.direction == Direction.RECEIVED
    assert activity.summary == "Coffee at the Fintech Week breakfast"
    assert activity.follow_up_on == timezone.localdate() + 3 * DAY
    assert activity.follow_up_done_at is None


def test_it_logs_an_activity_dated_today_without_a_follow_up(as_recruiter, sam):
    today = timezone.localdate()

    as_recruiter.post(URL, _valid(sam, date=str(today), follow_up_on=""))

    activity = Activity.objects.get()
    assert activity.date == today
    assert activity.follow_up_on is None


def test_it_confirms_the_activity_was_logged(as_recruiter, sam):
    response = as_recruiter.post(URL, _valid(sam), follow=True)

    assert "Activity logged." in response.content.decode()
    assert "Coffee at the Fintech Week breakfast" in response.content.decode()


def test_it_preselects_the_contact_named_in_the_url(as_recruiter, sam, alex):
    response = as_recruiter.get(URL, {"contact": sam.pk})

    assert response.context["form"]["contacts"].value() == [sam.pk]
    assert _selected(response) == [str(sam.pk)]


@pytest.mark.parametrize("raw", ["abc", "-1", "999999", "99999999999999999999999", ""])
def test_it_preselects_nothing_for_an_unknown_contact(as_recruiter, sam, raw):
    response = as_recruiter.get(URL, {"contact": raw})

    assert response.status_code == 200
    assert _selected(response) == []


def test_it_preselects_nothing_for_a_digit_that_is_not_a_number(as_recruiter, sam):
    response = as_recruiter.get(URL, {"contact": "²"})

    assert response.status_code == 200
    assert _selected(response) == []


def test_it_does_not_preselect_another_recruiters_contact(as_recruiter, sam, teammate):
    theirs = ContactFactory(owner=teammate, first_name="Theirs")

    response = as_recruiter.get(URL, {"contact": theirs.pk})

    assert _selected(response) == []
    assert "Theirs" not in response.content.decode()


@pytest.mark.parametrize(
    "field, overrides, message",
    [
        ("contacts", lambda today: {"contacts": []}, "This field is required."),
        ("summary", lambda today: {"summary": ""}, "This field is required."),
        ("summary", lambda today: {"summary": "   "}, "This field is required."),
        ("date", lambda today: {"date": str(today + DAY)}, "An activity is something"),
        ("date", lambda today: {"date": "2025-02-31"}, "Enter a valid date."),
        ("type", lambda today: {"type": "carrier_pigeon"}, "Select a valid choice."),
        (
            "follow_up_on",
            lambda today: {"date": str(today - DAY), "follow_up_on": str(today - 2 * DAY)},
            "The follow-up cannot be before the activity.",
        ),
    ],
)
def test_it_shows_the_error_next_to_the_field_and_saves_nothing(
    as_recruiter, sam, field, overrides, message
):
    response = as_recruiter.post(URL, _valid(sam, **overrides(timezone.localdate())))

    assert response.status_code == 200
    errors = response.context["form"].errors
    assert list(errors) == [field]
    assert message in errors[field][0]
    content = response.content.decode()
    assert re.search(rf'id="id_{field}_error".*?{re.escape(message)}', content, re.S)
    assert Activity.objects.count() == 0


def test_it_rejects_another_recruiters_contact(as_recruiter, sam, outsider):
    theirs = ContactFactory(owner=outsider)

    response = as_recruiter.post(URL, _valid(sam, contacts=[sam.pk, theirs.pk]))

    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["contacts"]
    assert "Select a valid choice" in response.content.decode()
    assert Activity.objects.count() == 0
    assert not theirs.activities.exists()


def test_it_keeps_what_was_typed_after_an_error(as_recruiter, sam):
    response = as_recruiter.post(URL, _valid(sam, summary="", context="Tech Nation mixer"))

    assert 'value="Tech Nation mixer"' in response.content.decode()
    assert _selected(response) == [str(sam.pk)]


@pytest.mark.parametrize("role", ["manager", "dpo", "assessor"])
def test_it_forbids_anyone_but_a_recruiter(request, sam, role):
    client = client_for(request.getfixturevalue(role))

    assert client.get(URL).status_code == 403
    assert client.post(URL, _valid(sam)).status_code == 403
    assert Activity.objects.count() == 0


def test_it_sends_an_anonymous_visitor_to_the_login_page(client, sam):
    response = client.post(URL, _valid(sam))

    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next={URL}"
    assert Activity.objects.count() == 0

"""Logging an activity with someone whose details came from elsewhere and who has not
been sent the privacy notice warns that it was due at first contact (UK GDPR Art. 14).
Both ways of logging: the quick-log form on a contact's page and /activities/new/."""

import datetime

import pytest
from django.contrib.messages import constants, get_messages
from django.urls import reverse
from django.utils import timezone

from consent import services
from consent.models import DeliveryMethod, PrivacyNotice
from contacts.models import Activity, ActivityType, Channel, Contact, Direction
from tests.factories import ContactFactory

DAY = datetime.timedelta(days=1)


@pytest.fixture
def linkedin_contact(recruiter):
    return ContactFactory(
        owner=recruiter, first_name="Olivia", last_name="Bennett", source_channel=Channel.LINKEDIN
    )


@pytest.fixture
def inbound_contact(recruiter):
    return ContactFactory(
        owner=recruiter, first_name="Sam", last_name="Okafor", source_channel=Channel.INBOUND
    )


def _activity(**overrides) -> dict:
    data = {
        "type": ActivityType.CALL,
        "date": timezone.localdate().isoformat(),
        "summary": "Called about the data engineering role",
        "outcome": "",
        "context": "",
        "direction": Direction.GIVEN,
        "follow_up_on": "",
    }
    return {**data, **overrides}


def _log_quickly(client, contact: Contact):
    return client.post(reverse("contacts:contact_log_activity", args=[contact.pk]), _activity())


def _log_in_full(client, contact: Contact, *others: Contact):
    contacts = [c.pk for c in (contact, *others)]
    return client.post(reverse("contacts:activity_create"), _activity(contacts=contacts))


LOGGERS = [_log_quickly, _log_in_full]


def _warnings(response) -> list[str]:
    return [m.message for m in get_messages(response.wsgi_request) if m.level == constants.WARNING]


def _deliver(contact: Contact) -> None:
    notice = PrivacyNotice.objects.create(version=1, text="We keep your details. " * 6)
    services.notice_deliver(
        contact=contact,
        notice=notice,
        delivered_on=timezone.localdate() - DAY,
        method=DeliveryMethod.EMAIL,
        by=contact.owner,
    )


@pytest.mark.parametrize("log", LOGGERS)
def test_it_warns_that_the_notice_was_due_at_first_contact(as_recruiter, linkedin_contact, log):
    response = log(as_recruiter, linkedin_contact)

    assert response.status_code == 302
    assert Activity.objects.get().contacts.get() == linkedin_contact
    [warning] = _warnings(response)
    assert "privacy notice has not been sent" in warning
    assert "due at first contact" in warning


@pytest.mark.parametrize("log", LOGGERS)
def test_the_warning_names_no_one(as_recruiter, linkedin_contact, log):
    [warning] = _warnings(log(as_recruiter, linkedin_contact))

    assert "Olivia" not in warning
    assert "Bennett" not in warning
    assert linkedin_contact.email not in warning


@pytest.mark.parametrize("log", LOGGERS)
def test_the_warning_shows_on_the_next_page(as_recruiter, linkedin_contact, log):
    response = as_recruiter.get(log(as_recruiter, linkedin_contact)["Location"])

    html = response.content.decode()
    assert "Activity logged." in html
    assert "it was due at first contact" in html


@pytest.mark.parametrize("log", LOGGERS)
def test_no_warning_once_the_notice_is_delivered(as_recruiter, linkedin_contact, log):
    _deliver(linkedin_contact)

    response = log(as_recruiter, linkedin_contact)

    assert response.status_code == 302
    assert _warnings(response) == []


@pytest.mark.parametrize("log", LOGGERS)
def test_no_warning_for_someone_who_gave_their_own_details(as_recruiter, inbound_contact, log):
    response = log(as_recruiter, inbound_contact)

    assert response.status_code == 302
    assert _warnings(response) == []


def test_it_counts_only_those_without_a_notice(as_recruiter, linkedin_contact, inbound_contact):
    response = _log_in_full(as_recruiter, linkedin_contact, inbound_contact)

    [warning] = _warnings(response)
    assert "has not been sent to 1 of the people in this activity" in warning
    assert "Sam" not in warning and "Olivia" not in warning


def test_an_activity_that_is_refused_warns_of_nothing(as_recruiter, linkedin_contact):
    url = reverse("contacts:contact_log_activity", args=[linkedin_contact.pk])
    response = as_recruiter.post(url, _activity(summary=""))

    assert response.status_code == 200
    assert not Activity.objects.exists()
    assert _warnings(response) == []

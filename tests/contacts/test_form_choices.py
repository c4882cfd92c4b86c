"""The activity and outcome forms list only the most recent contacts and activities
(a select of thousands takes seconds to render) but accept any of the owner's own."""

import datetime

import pytest
from django.utils import timezone

from contacts import forms
from contacts.models import Activity
from tests.factories import ActivityFactory, ContactFactory


@pytest.fixture(autouse=True)
def few_choices(monkeypatch):
    monkeypatch.setattr(forms, "CHOICES_SHOWN", 3)


@pytest.fixture
def contacts(recruiter):
    made = []
    for i in range(5):
        contact = ContactFactory(owner=recruiter, first_name=f"C{i}", last_name="X")
        made.append(contact)
    # Oldest first: C0 was updated longest ago.
    for age, contact in enumerate(reversed(made)):
        type(contact).objects.filter(pk=contact.pk).update(
            updated_at=timezone.now() - datetime.timedelta(days=age)
        )
    return made


def offered(response, field="contacts") -> set[str]:
    return {label for _, label in response.context["form"].fields[field].widget.choices}


def test_it_lists_the_most_recent_contacts_and_says_so(as_recruiter, contacts):
    response = as_recruiter.get("/activities/new/")
    assert offered(response) == {"C2 X", "C3 X", "C4 X"}
    assert "Showing your 3 most recent" in response.content.decode()


def test_a_preselected_older_contact_is_listed_too(as_recruiter, contacts):
    response = as_recruiter.get("/activities/new/", {"contact": contacts[0].pk})
    assert offered(response) == {"C0 X", "C2 X", "C3 X", "C4 X"}


def test_an_older_contact_not_listed_is_still_accepted(as_recruiter, contacts):
    data = {
        "date": timezone.localdate().isoformat(),
        "contacts": [contacts[0].pk],
        "type": "call",
        "summary": "Caught up",
        "direction": "mutual",
    }
    response = as_recruiter.post("/activities/new/", data)
    assert response.status_code == 302
    assert list(Activity.objects.get().contacts.all()) == [contacts[0]]


def test_another_recruiters_contact_is_refused_even_by_id(as_recruiter, outsider, contacts):
    theirs = ContactFactory(owner=outsider)
    data = {
        "date": timezone.localdate().isoformat(),
        "contacts": [theirs.pk],
        "type": "call",
        "summary": "Caught up",
        "direction": "mutual",
    }
    response = as_recruiter.post("/activities/new/", data)
    assert "Select a valid choice" in str(response.context["form"].errors["contacts"])
    assert not Activity.objects.exists()


def test_an_outcome_lists_recent_activities_plus_the_ones_it_names(as_recruiter, recruiter):
    today = timezone.localdate()
    activities = [
        ActivityFactory(owner=recruiter, date=today - datetime.timedelta(days=d), summary=f"A{d}")
        for d in range(5)
    ]
    response = as_recruiter.get("/outcomes/new/", {"activity": activities[4].pk})
    shown = {label.rsplit(" · ", 1)[1] for label in offered(response, "activities")}
    assert shown == {"A0", "A1", "A2", "A4"}


def test_no_note_when_everything_fits(as_recruiter, recruiter):
    ContactFactory(owner=recruiter)
    response = as_recruiter.get("/activities/new/")
    assert "most recent" not in response.content.decode()

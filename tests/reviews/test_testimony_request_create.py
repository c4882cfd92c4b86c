"""GET and POST /contacts/<pk>/testimony-request/: a recruiter asks one of their
contacts for a testimony; the single-use link is shown once, and optionally emailed."""

import hashlib
import re

import pytest
from django.urls import reverse

from contacts.models import Kind
from privacy.models import Action, AuditEvent
from reviews import services
from reviews.models import TestimonyRequest as LinkRequest  # not "Test*": pytest collects those
from tests.conftest import client_for, hidden_from
from tests.factories import ActivityFactory, ContactFactory


@pytest.fixture
def sam(recruiter):
    return ContactFactory(
        owner=recruiter,
        first_name="Sam",
        last_name="Okafor",
        kind=Kind.CLIENT,
        email="sam.okafor@northwind.test",
    )


@pytest.fixture
def breakfast(recruiter, sam):
    return ActivityFactory(owner=recruiter, contacts=[sam], summary="Fintech breakfast intro.")


@pytest.fixture
def with_someone_else(recruiter):
    """The recruiter's activity with another contact: not Sam's to comment on."""
    jo = ContactFactory(
        owner=recruiter, first_name="Jo", last_name="Otherley", email="jo.otherley@elsewhere.test"
    )
    return ActivityFactory(owner=recruiter, contacts=[jo], summary="Lunch with Jo.")


def _url(contact) -> str:
    return reverse("reviews:testimony_request_create", args=[contact.pk])


def _link(response) -> str:
    found = re.search(
        r'id="testimony-link" type="text" readonly value="([^"]+)"', response.content.decode()
    )
    return found.group(1) if found else ""


def _token(link: str) -> str:
    return link.split("?t=", 1)[1]


# The form


def test_it_offers_only_the_activities_with_that_contact(
    as_recruiter, sam, breakfast, with_someone_else
):
    response = as_recruiter.get(_url(sam))

    assert response.status_code == 200
    offered = [a.pk for a in response.context["form"].fields["activities"].queryset]
    assert offered == [breakfast.pk]
    assert "Ask Sam Okafor for a testimony" in response.content.decode()


def test_it_offers_to_email_the_link_only_to_a_contact_with_an_email(as_recruiter, recruiter):
    no_email = ContactFactory(owner=recruiter, email="")
    assert "send_email" not in as_recruiter.get(_url(no_email)).context["form"].fields
    with_email = ContactFactory(owner=recruiter, email="pat@example.test")
    field = as_recruiter.get(_url(with_email)).context["form"].fields["send_email"]
    assert field.label == "Email the link to pat@example.test"


def test_showing_the_form_makes_no_request(as_recruiter, sam, breakfast):
    as_recruiter.get(_url(sam), {"activities": [breakfast.pk], "message": "Hi"})
    assert not LinkRequest.objects.exists()


# Making the link


def test_it_makes_the_request_and_shows_the_link_once(as_recruiter, recruiter, sam, breakfast):
    response = as_recruiter.post(
        _url(sam), {"activities": [breakfast.pk], "message": "The fintech breakfast."}
    )

    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    request = LinkRequest.objects.get()
    assert (request.owner, request.contact, request.message) == (
        recruiter,
        sam,
        "The fintech breakfast.",
    )
    assert list(request.activities.all()) == [breakfast]
    link = _link(response)
    assert link.startswith("http://testserver/testimony/?t=")
    assert request.token_hash == hashlib.sha256(_token(link).encode()).hexdigest()
    assert services.testimony_request_open(_token(link)) == request


def test_it_does_not_show_the_link_again(as_recruiter, sam):
    token = _token(_link(as_recruiter.post(_url(sam), {"message": ""})))

    again = as_recruiter.get(_url(sam))

    assert again.status_code == 200
    assert token not in again.content.decode()
    assert _link(again) == ""


def test_it_records_an_audit_event(as_recruiter, recruiter, sam):
    as_recruiter.post(_url(sam), {"message": ""})
    event = AuditEvent.objects.get(object_type="reviews.testimonyrequest")
    assert (event.actor, event.action, event.object_id) == (
        recruiter,
        Action.CREATED,
        LinkRequest.objects.get().pk,
    )


def test_it_sends_nothing_unless_asked(as_recruiter, sam, mailoutbox):
    as_recruiter.post(_url(sam), {"message": "Hi"})
    assert mailoutbox == []


def test_it_emails_the_link_to_the_contact_once(
    as_recruiter, recruiter, sam, breakfast, with_someone_else, mailoutbox
):
    response = as_recruiter.post(
        _url(sam),
        {"activities": [breakfast.pk], "message": "The fintech breakfast.", "send_email": "on"},
    )

    assert len(mailoutbox) == 1
    email = mailoutbox[0]
    assert email.to == ["sam.okafor@northwind.test"]
    assert recruiter.get_full_name() in email.subject
    assert _link(response) in email.body
    assert "Hello Sam," in email.body
    assert "The fintech breakfast." in email.body
    assert "Emailed to sam.okafor@northwind.test." in response.content.decode()
    for someone_elses in ["Otherley", "jo.otherley@elsewhere.test", "Lunch with Jo"]:
        assert someone_elses not in email.subject + email.body


# Bad input


def test_it_refuses_an_activity_with_another_contact(as_recruiter, sam, with_someone_else):
    response = as_recruiter.post(_url(sam), {"activities": [with_someone_else.pk]})

    assert response.status_code == 200
    assert "activities" in response.context["form"].errors
    assert not LinkRequest.objects.exists()


def test_it_refuses_another_recruiters_activity(as_recruiter, sam, teammate):
    theirs = ActivityFactory(owner=teammate)
    response = as_recruiter.post(_url(sam), {"activities": [theirs.pk], "send_email": "on"})

    assert "activities" in response.context["form"].errors
    assert not LinkRequest.objects.exists()


# Who may ask


@pytest.mark.parametrize("who", ["teammate", "outsider", "other_manager", "assessor"])
def test_it_hides_the_contact_from_everyone_else(request, sam, who):
    client = client_for(request.getfixturevalue(who))

    assert client.get(_url(sam)).status_code == hidden_from(who)
    assert client.post(_url(sam), {"message": "Hi"}).status_code == hidden_from(who)
    assert not LinkRequest.objects.exists()


@pytest.mark.parametrize("who", ["manager", "dpo"])
def test_it_refuses_those_who_may_only_read_the_contact(request, sam, mailoutbox, who):
    client = client_for(request.getfixturevalue(who))

    assert client.get(_url(sam)).status_code == 403
    assert client.post(_url(sam), {"message": "Hi", "send_email": "on"}).status_code == 403
    assert not LinkRequest.objects.exists()
    assert mailoutbox == []


def test_it_answers_404_for_an_unknown_contact(as_recruiter):
    assert (
        as_recruiter.get(reverse("reviews:testimony_request_create", args=[999999])).status_code
        == 404
    )


def test_it_sends_an_anonymous_visitor_to_sign_in(client, sam):
    response = client.get(_url(sam))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    assert not LinkRequest.objects.exists()


def test_it_refuses_a_personal_contact(as_recruiter, recruiter):

    friend = ContactFactory(owner=recruiter, kind=Kind.PERSONAL)

    response = as_recruiter.post(
        reverse("reviews:testimony_request_create", args=[friend.pk]), {"message": "Hi"}
    )

    assert response.status_code == 302
    assert not LinkRequest.objects.exists()


def test_a_failed_email_still_shows_the_link_and_logs_no_address(
    as_recruiter, recruiter, monkeypatch, caplog
):
    contact = ContactFactory(owner=recruiter, email="grace@example.com")

    def refused(*args, **kwargs):
        raise OSError("grace@example.com refused")

    monkeypatch.setattr("reviews.notify.send_mail", refused)

    response = as_recruiter.post(
        reverse("reviews:testimony_request_create", args=[contact.pk]), {"send_email": "on"}
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert "/testimony/?t=" in html
    assert "could not be sent" in html
    assert "grace@example.com" not in caplog.text

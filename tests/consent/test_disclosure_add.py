"""GET/POST /contacts/<pk>/disclosures/: record that a contact's data went to a third
party (a CV sent to a client), so an erasure can say who must be told."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from consent import services
from consent.models import Disclosed, Disclosure
from contacts.models import Kind
from netlog.history import HistoryIsAppendOnly
from privacy.models import Action, AuditEvent
from tests.conftest import assert_labelled, client_for
from tests.factories import ContactFactory, DisclosureFactory

DAY = datetime.timedelta(days=1)
SHARED_ON = datetime.date(2024, 3, 15)
RECIPIENT = "Acme Ltd, finance hiring"


def url(contact) -> str:
    return reverse("consent:disclosure_add", args=[contact.pk])


@pytest.fixture
def contact(recruiter):
    return ContactFactory(owner=recruiter, first_name="Olivia", last_name="Bennett")


def form_data(**overrides) -> dict:
    data = {"recipient": RECIPIENT, "what": Disclosed.CV, "disclosed_on": SHARED_ON.isoformat()}
    return {**data, **overrides}


def test_it_shows_the_form_dated_today(as_recruiter, contact):
    response = as_recruiter.get(url(contact))

    assert response.status_code == 200
    assert response.context["form"]["disclosed_on"].value() == timezone.localdate()
    html = response.content.decode()
    assert "Record data shared with a third party" in html
    assert_labelled(html, "recipient", "Shared with")
    assert_labelled(html, "what", "What was shared")
    assert_labelled(html, "disclosed_on", "Date shared")


def test_it_records_a_cv_sent_to_a_client(as_recruiter, recruiter, contact):
    response = as_recruiter.post(url(contact), form_data())

    assert response.status_code == 302
    assert response["Location"] == contact.get_absolute_url()
    disclosure = Disclosure.objects.get()
    assert disclosure.contact == contact
    assert disclosure.recipient == RECIPIENT
    assert disclosure.what == Disclosed.CV
    assert disclosure.disclosed_on == SHARED_ON
    assert disclosure.recorded_by == recruiter


def test_it_shows_on_the_contact_page_under_shared_with(as_recruiter, contact):
    response = as_recruiter.post(url(contact), form_data(), follow=True)

    html = response.content.decode()
    assert "Disclosure recorded." in html
    shared = html.split('aria-label="Data shared with third parties"', 1)[1].split("</ul>")[0]
    assert "15 Mar 2024: CV to Acme Ltd, finance hiring" in shared


def test_it_lists_the_latest_disclosure_first(as_recruiter, contact):
    as_recruiter.post(url(contact), form_data(recipient="Globex, data team"))
    later = (SHARED_ON + 10 * DAY).isoformat()
    as_recruiter.post(url(contact), form_data(what=Disclosed.REFERENCE, disclosed_on=later))

    response = as_recruiter.get(contact.get_absolute_url())

    assert [str(d) for d in response.context["disclosures"]] == [
        "Reference to Acme Ltd, finance hiring on 25/03/2024",
        "CV to Globex, data team on 15/03/2024",
    ]


def test_it_normalises_whitespace_in_the_recipient(as_recruiter, contact):
    as_recruiter.post(url(contact), form_data(recipient="  Acme   Ltd,\tfinance\n hiring  "))

    assert Disclosure.objects.get().recipient == RECIPIENT


def test_a_disclosure_can_be_dated_today(as_recruiter, contact):
    today = timezone.localdate()

    response = as_recruiter.post(url(contact), form_data(disclosed_on=today.isoformat()))

    assert response.status_code == 302
    assert Disclosure.objects.get().disclosed_on == today


def test_it_refuses_a_disclosure_dated_in_the_future(as_recruiter, contact):
    tomorrow = timezone.localdate() + DAY

    response = as_recruiter.post(url(contact), form_data(disclosed_on=tomorrow.isoformat()))

    assert response.status_code == 200
    assert response.context["form"].errors["disclosed_on"] == [
        "This cannot be dated in the future."
    ]
    assert not Disclosure.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"recipient": ""}, "recipient"),
        ({"recipient": "   "}, "recipient"),
        ({"recipient": "x" * 201}, "recipient"),
        ({"what": ""}, "what"),
        ({"what": "bank_details"}, "what"),
        ({"disclosed_on": ""}, "disclosed_on"),
        ({"disclosed_on": "last week"}, "disclosed_on"),
    ],
)
def test_bad_input_saves_nothing(as_recruiter, contact, overrides, field):
    response = as_recruiter.post(url(contact), form_data(**overrides))

    assert response.status_code == 200
    assert list(response.context["form"].errors) == [field]
    assert "Nothing was saved." in response.content.decode()
    assert not Disclosure.objects.exists()
    assert not AuditEvent.objects.filter(action=Action.CHANGED).exists()


def test_it_saves_nothing_on_get(as_recruiter, contact):
    as_recruiter.get(url(contact), form_data())

    assert not Disclosure.objects.exists()
    assert not AuditEvent.objects.filter(action=Action.CHANGED).exists()


def test_it_writes_an_audit_event_without_the_recipient_or_any_name(
    as_recruiter, recruiter, contact
):
    as_recruiter.post(url(contact), form_data())

    event = AuditEvent.objects.get()
    assert event.actor == recruiter
    assert event.action == Action.CHANGED
    assert (event.object_type, event.object_id) == ("contacts.contact", contact.pk)
    assert event.detail == "Disclosure recorded."
    for personal in ("Acme", "finance", "Olivia", "Bennett", recruiter.first_name):
        assert personal not in event.detail


def test_another_recruiter_gets_404_and_records_nothing(as_outsider, contact):
    assert as_outsider.get(url(contact)).status_code == 404
    assert as_outsider.post(url(contact), form_data()).status_code == 404
    assert not Disclosure.objects.exists()


def test_a_teammate_gets_404(teammate, contact):
    client = client_for(teammate)

    assert client.get(url(contact)).status_code == 404
    assert client.post(url(contact), form_data()).status_code == 404
    assert not Disclosure.objects.exists()


@pytest.mark.parametrize(
    ("role", "status"),
    [("manager", 403), ("dpo", 403), ("other_manager", 404), ("assessor", 403)],
)
def test_only_the_owner_may_record_a_disclosure(request, contact, role, status):
    client = client_for(request.getfixturevalue(role))

    assert client.get(url(contact)).status_code == status
    assert client.post(url(contact), form_data()).status_code == status
    assert not Disclosure.objects.exists()
    assert not AuditEvent.objects.filter(action=Action.CHANGED).exists()


def test_a_manager_gets_404_for_a_personal_contact(recruiter, manager):
    personal = ContactFactory(owner=recruiter, kind=Kind.PERSONAL)

    assert client_for(manager).post(url(personal), form_data()).status_code == 404
    assert not Disclosure.objects.exists()


def test_it_answers_404_for_an_unknown_contact(as_recruiter):
    response = as_recruiter.post(reverse("consent:disclosure_add", args=[999999]), form_data())

    assert response.status_code == 404


def test_it_sends_an_anonymous_visitor_to_the_login_page(client, contact):
    response = client.post(url(contact), form_data())

    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next={url(contact)}"
    assert not Disclosure.objects.exists()


def test_only_the_owner_is_offered_the_button(as_recruiter, as_manager, contact):
    button = f'href="{url(contact)}"'

    assert button in as_recruiter.get(contact.get_absolute_url()).content.decode()
    assert button not in as_manager.get(contact.get_absolute_url()).content.decode()


def test_a_manager_sees_what_was_shared(as_manager, contact):
    DisclosureFactory(contact=contact, recipient=RECIPIENT, disclosed_on=SHARED_ON)

    html = as_manager.get(contact.get_absolute_url()).content.decode()

    assert "15 Mar 2024: CV to Acme Ltd, finance hiring" in html


def test_a_disclosure_cannot_be_rewritten(recruiter, contact):
    disclosure = services.disclosure_record(
        contact=contact,
        recipient=RECIPIENT,
        what=Disclosed.CV,
        disclosed_on=SHARED_ON,
        by=recruiter,
    )

    disclosure.recipient = "Someone else"
    with pytest.raises(HistoryIsAppendOnly):
        disclosure.save()
    with pytest.raises(HistoryIsAppendOnly):
        Disclosure.objects.filter(pk=disclosure.pk).update(what=Disclosed.REFERENCE)

    disclosure.refresh_from_db()
    assert (disclosure.recipient, disclosure.what) == (RECIPIENT, Disclosed.CV)

"""GET /privacy/: the privacy notices due and overdue (UK GDPR Art. 14) among the
contacts the user may see, and the notice versions."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from consent import services
from consent.models import DeliveryMethod, PrivacyNotice
from contacts.models import Channel, Contact, Kind
from tests.conftest import client_for
from tests.factories import ActivityFactory, ContactFactory

URL = "/privacy/"
DAY = datetime.timedelta(days=1)
# Session, user, the outstanding contacts (with their owners and whether they were
# contacted, in one query) and the notice versions.
MAX_QUERIES = 4
NOTICE_TEXT = "We keep your details to find you work. " * 3


@pytest.fixture
def as_dpo(dpo):
    return client_for(dpo)


def _created_days_ago(contact: Contact, days: int) -> Contact:
    Contact.objects.filter(pk=contact.pk).update(created_at=timezone.now() - days * DAY)
    return contact


def _lists(response) -> tuple[list[Contact], list[Contact]]:
    return list(response.context["overdue"]), list(response.context["due"])


def _deliver(contact: Contact) -> None:
    notice = PrivacyNotice.objects.first() or PrivacyNotice.objects.create(
        version=1, text=NOTICE_TEXT
    )
    services.notice_deliver(
        contact=contact,
        notice=notice,
        delivered_on=timezone.localdate(),
        method=DeliveryMethod.EMAIL,
        by=contact.owner,
    )


@pytest.mark.parametrize("channel", Channel.indirect())
def test_a_new_contact_from_elsewhere_is_due(as_recruiter, recruiter, channel):
    contact = ContactFactory(owner=recruiter, source_channel=channel)

    response = as_recruiter.get(URL)

    assert response.status_code == 200
    assert _lists(response) == ([], [contact])


@pytest.mark.parametrize("channel", Channel.indirect())
def test_a_contact_obtained_over_a_month_ago_is_overdue(as_recruiter, recruiter, channel):
    contact = _created_days_ago(ContactFactory(owner=recruiter, source_channel=channel), 33)

    assert _lists(as_recruiter.get(URL)) == ([contact], [])


def test_a_contact_obtained_under_a_month_ago_is_still_due(as_recruiter, recruiter):
    contact = _created_days_ago(ContactFactory(owner=recruiter), 27)

    assert _lists(as_recruiter.get(URL)) == ([], [contact])


def test_a_contact_is_overdue_from_first_contact(as_recruiter, recruiter):
    contact = ContactFactory(owner=recruiter)
    ActivityFactory(owner=recruiter, contacts=[contact])

    response = as_recruiter.get(URL)

    assert _lists(response) == ([contact], [])
    assert "or already at first contact" in response.content.decode()


def test_it_shows_when_each_notice_is_due(as_recruiter, recruiter):
    contact = ContactFactory(owner=recruiter, first_name="Olivia", last_name="Bennett")
    created = timezone.localdate(contact.created_at)
    due_on = contact.notice_due_on

    html = as_recruiter.get(URL).content.decode()

    assert due_on > created
    assert "Olivia Bennett</a>" in html
    assert f"LinkedIn · due {due_on.day} {due_on:%b %Y}" in html


@pytest.mark.parametrize("channel", [Channel.INBOUND, Channel.EVENT, Channel.JOB_BOARD])
def test_contacts_who_gave_their_own_details_are_never_listed(as_recruiter, recruiter, channel):
    old = _created_days_ago(ContactFactory(owner=recruiter, source_channel=channel), 90)
    ActivityFactory(owner=recruiter, contacts=[old])
    ContactFactory(owner=recruiter, source_channel=channel)

    assert _lists(as_recruiter.get(URL)) == ([], [])


def test_a_delivered_notice_takes_the_contact_off_the_lists(as_recruiter, recruiter):
    overdue = _created_days_ago(ContactFactory(owner=recruiter), 33)
    due = ContactFactory(owner=recruiter)
    contacted = ContactFactory(owner=recruiter)
    ActivityFactory(owner=recruiter, contacts=[contacted])
    for contact in (overdue, due, contacted):
        _deliver(contact)

    assert _lists(as_recruiter.get(URL)) == ([], [])


def test_delivering_through_the_form_takes_the_contact_off(as_recruiter, recruiter):
    contact = ContactFactory(owner=recruiter)
    notice = PrivacyNotice.objects.create(version=1, text=NOTICE_TEXT)
    as_recruiter.post(
        f"/contacts/{contact.pk}/notice/",
        {
            "notice": notice.pk,
            "delivered_on": timezone.localdate().isoformat(),
            "method": DeliveryMethod.LINK,
        },
    )

    assert _lists(as_recruiter.get(URL)) == ([], [])


def test_it_lists_the_oldest_first(as_recruiter, recruiter):
    newer = _created_days_ago(ContactFactory(owner=recruiter), 40)
    older = _created_days_ago(ContactFactory(owner=recruiter), 50)

    assert _lists(as_recruiter.get(URL)) == ([older, newer], [])


def test_it_says_when_nothing_is_outstanding(as_recruiter):
    html = as_recruiter.get(URL).content.decode()

    assert "Nothing overdue." in html
    assert "Nothing due." in html


@pytest.fixture
def everyones(recruiter, teammate, outsider) -> dict[str, Contact]:
    return {
        "own": ContactFactory(owner=recruiter),
        "own_personal": ContactFactory(owner=recruiter, kind=Kind.PERSONAL),
        "teammate": ContactFactory(owner=teammate),
        "outsider": ContactFactory(owner=outsider),
    }


def _due_names(response, everyones: dict[str, Contact]) -> set[str]:
    due = set(response.context["due"])
    return {name for name, contact in everyones.items() if contact in due}


def test_a_recruiter_sees_only_their_own(as_recruiter, everyones):
    assert _due_names(as_recruiter.get(URL), everyones) == {"own", "own_personal"}


def test_a_manager_sees_the_teams_work_but_not_personal_contacts(as_manager, everyones):
    assert _due_names(as_manager.get(URL), everyones) == {"own", "teammate"}


def test_another_teams_manager_sees_only_their_team(other_manager, everyones):
    response = client_for(other_manager).get(URL)

    assert _due_names(response, everyones) == {"outsider"}


def test_the_dpo_sees_everyones(as_dpo, everyones):
    assert _due_names(as_dpo.get(URL), everyones) == set(everyones)


def test_an_assessor_sees_none(assessor, everyones):
    response = client_for(assessor).get(URL)

    assert response.status_code == 200
    assert _lists(response) == ([], [])


def _deliver_url(contact: Contact) -> str:
    return reverse("consent:notice_deliver", args=[contact.pk])


def test_the_owner_may_record_the_notice_from_the_list(as_recruiter, everyones):
    html = as_recruiter.get(URL).content.decode()

    assert f'href="{_deliver_url(everyones["own"])}">Record notice sent' in html


@pytest.mark.parametrize("role", ["manager", "dpo"])
def test_others_see_no_button_to_record_it(request, everyones, role):
    html = client_for(request.getfixturevalue(role)).get(URL).content.decode()

    assert "Record notice sent" not in html
    for contact in everyones.values():
        assert _deliver_url(contact) not in html


def test_others_see_whose_contact_it_is(as_manager, teammate, everyones):
    html = as_manager.get(URL).content.decode()

    assert escape(str(teammate)) in html


def test_it_lists_the_notice_versions(as_recruiter):
    PrivacyNotice.objects.create(version=1, text=NOTICE_TEXT)
    PrivacyNotice.objects.create(version=2, text=NOTICE_TEXT + "Second version.")

    response = as_recruiter.get(URL)

    assert [n.version for n in response.context["notices"]] == [2, 1]
    assert "Second version." in response.content.decode()


def test_the_dpo_may_publish_a_new_version(as_dpo):
    html = as_dpo.get(URL).content.decode()

    assert f'href="{reverse("consent:notice_publish")}">Publish a new version' in html


@pytest.mark.parametrize("role", ["recruiter", "manager", "assessor"])
def test_no_one_else_is_offered_to_publish(request, role):
    html = client_for(request.getfixturevalue(role)).get(URL).content.decode()

    assert "Publish a new version" not in html
    assert reverse("consent:notice_publish") not in html


@pytest.mark.parametrize("role", ["recruiter", "manager", "dpo", "assessor"])
def test_the_main_navigation_links_to_it(request, role):
    # Any page will do (an assessor's dashboard redirects to the portfolios).
    page = client_for(request.getfixturevalue(role)).get(reverse("dashboard"), follow=True)
    html = page.content.decode()

    nav = re.search(r'<nav[^>]*aria-label="Main".*?</nav>', html, re.S).group(0)
    assert re.search(r'<a class="nav-link[^"]*" href="/privacy/">Privacy</a>', nav)


def test_it_sends_an_anonymous_visitor_to_the_login_page(client, db):
    response = client.get(URL)

    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next={URL}"


@pytest.mark.parametrize("outstanding", [3, 30])
def test_the_number_of_queries_does_not_grow(
    django_assert_max_num_queries, as_manager, recruiter, teammate, outstanding
):
    PrivacyNotice.objects.create(version=1, text=NOTICE_TEXT)
    for i in range(outstanding):
        contact = ContactFactory(owner=recruiter if i % 2 else teammate)
        if i % 3 == 0:
            _created_days_ago(contact, 40)
        if i % 3 == 1:
            ActivityFactory(owner=contact.owner, contacts=[contact])

    with django_assert_max_num_queries(MAX_QUERIES):
        response = as_manager.get(URL)

    overdue, due = _lists(response)
    assert len(overdue) + len(due) == outstanding

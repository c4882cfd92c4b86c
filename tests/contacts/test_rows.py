"""The list rows written in Python (contacts.templatetags.contacts_tags): every value a
user typed is escaped on every page that shows it, and each row says what the
templates it replaced said."""

import datetime
import html

import pytest
from django.urls import reverse
from django.utils import timezone

from contacts.models import Kind
from tests.conftest import client_for
from tests.factories import ActivityFactory, ContactFactory, TagFactory

PAYLOAD = """<script>alert("x")</script><img src=x onerror='y'>&amp;"""
ESCAPED = html.escape(PAYLOAD)


@pytest.fixture
def hostile(recruiter):
    """A contact and an activity with the payload in every free-text field, and a
    recruiter whose name carries it too (their manager and the DPO see it)."""
    recruiter.first_name = PAYLOAD
    recruiter.save()
    contact = ContactFactory(
        owner=recruiter,
        first_name=PAYLOAD,
        last_name=PAYLOAD,
        organisation=PAYLOAD,
        role=PAYLOAD,
        kind=Kind.PERSONAL,
    )
    contact.tags.set([TagFactory(owner=recruiter, name=PAYLOAD[:40])])
    professional = ContactFactory(owner=recruiter, first_name=PAYLOAD, kind=Kind.CLIENT)
    activity = ActivityFactory(
        owner=recruiter,
        contacts=[professional],
        context=PAYLOAD,
        summary=PAYLOAD,
        outcome=PAYLOAD,
        follow_up_on=timezone.localdate() - datetime.timedelta(days=1),
    )
    return {"contact": contact, "professional": professional, "activity": activity}


def _page(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def _assert_escaped(page: str, times: int) -> None:
    assert PAYLOAD not in page
    assert "<script>alert" not in page and "onerror='y'" not in page
    assert page.count(ESCAPED) >= times


def test_the_contact_list_escapes_every_column(as_recruiter, hostile):
    page = _page(as_recruiter, reverse("contacts:contact_list"))

    # Both names of the personal contact, its organisation and job title; the
    # professional contact's first name; the tag (cut to 40 characters).
    _assert_escaped(page, 5)
    assert html.escape(PAYLOAD[:40]) in page
    assert f'<span class="badge text-bg-secondary">{Kind.PERSONAL.label}</span>' in page


def test_the_logs_escape_context_summary_outcome_and_names(as_recruiter, hostile):
    for url in [
        reverse("contacts:activity_list"),
        reverse("dashboard"),
        hostile["professional"].get_absolute_url(),
    ]:
        page = _page(as_recruiter, url)
        # context, summary and outcome in every log; the contact's name where the
        # row says with whom (the log and the dashboard), or in the page's heading.
        _assert_escaped(page, 3)
        assert "Follow-up " in page and " · overdue</span>" in page


@pytest.mark.parametrize("who", ["manager", "dpo"])
def test_those_who_see_others_rows_see_whose_they_are_escaped(who, request, hostile):
    client = client_for(request.getfixturevalue(who))
    owner = html.escape(str(hostile["contact"].owner))
    assert ESCAPED in owner
    if who == "dpo":
        page = _page(client, reverse("contacts:contact_list"))
        assert f"<td>{owner}</td></tr>" in page  # the Recruiter column
    else:
        page = _page(client, reverse("contacts:activity_list"))
        assert f"Logged by {owner}</div>" in page
    assert PAYLOAD not in page


def test_a_recruiter_sees_no_owner_column_or_logged_by(as_recruiter, hostile):
    contacts = _page(as_recruiter, reverse("contacts:contact_list"))
    activities = _page(as_recruiter, reverse("contacts:activity_list"))

    assert ">Recruiter</th>" not in contacts
    assert "Logged by" not in activities


def test_empty_lists_say_so(as_recruiter):
    assert "No contacts match." in _page(as_recruiter, reverse("contacts:contact_list"))
    assert "No activities match." in _page(as_recruiter, reverse("contacts:activity_list"))
    assert "No activity logged yet." in _page(as_recruiter, reverse("dashboard"))

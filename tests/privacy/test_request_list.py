"""GET /privacy/requests/: the DPO's list of requests, open ones by due date and closed
ones apart. Only the DPO uses any page of the privacy app: this file also checks every
privacy URL against every other role."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from contacts.models import Contact
from privacy import urls as privacy_urls
from privacy.models import AuditEvent, DataRequest, RequestKind, Status
from tests.conftest import client_for
from tests.factories import ContactFactory, DataRequestFactory, approved

URL = "/privacy/requests/"
URL_NAMES = [pattern.name for pattern in privacy_urls.urlpatterns]
READ_ONLY = {"request_list", "request_detail", "access_report", "access_download", "audit_list"}
POST_ONLY = {
    "request_link",
    "request_unlink",
    "request_verify",
    "request_extend",
    "request_approve",
    "request_refuse",
    "request_carry_out",
    "request_complete",
}


@pytest.fixture
def as_dpo(dpo):
    return client_for(dpo)


def days_ago(days: int) -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=days)


def ids(requests) -> list[int]:
    return [r.pk for r in requests]


def completed(request: DataRequest) -> DataRequest:
    approved(request)
    request.status = Status.COMPLETED
    request.completed_at = timezone.now()
    request.save()
    return request


def test_it_lists_open_requests_soonest_due_first(as_dpo):
    later = DataRequestFactory(received_on=days_ago(1))
    sooner = approved(DataRequestFactory(received_on=days_ago(20), kind=RequestKind.ACCESS))
    soonest = DataRequestFactory(received_on=days_ago(25))

    response = as_dpo.get(URL)

    assert response.status_code == 200
    assert ids(response.context["open"]) == [soonest.pk, sooner.pk, later.pk]
    assert not response.context["closed"]
    assert "None yet." in response.content.decode()


def test_it_shows_closed_requests_apart_newest_received_first(as_dpo):
    open_request = DataRequestFactory(received_on=days_ago(1))
    refused = DataRequestFactory(
        received_on=days_ago(10), status=Status.REFUSED, refusal_reason="Manifestly unfounded."
    )
    done = completed(DataRequestFactory(received_on=days_ago(5)))

    response = as_dpo.get(URL)

    assert ids(response.context["open"]) == [open_request.pk]
    assert ids(response.context["closed"]) == [done.pk, refused.pk]


def test_it_marks_overdue_and_soon_due_requests(as_dpo):
    DataRequestFactory(received_on=days_ago(60))
    DataRequestFactory(received_on=days_ago(27))

    html = as_dpo.get(URL).content.decode()

    assert "overdue" in html
    assert "due soon" in html


def test_it_names_requests_by_kind_and_number_only(as_dpo):
    data_request = DataRequestFactory(
        requester_name="Zebedee Quartermaine", requester_email="zebedee@example.com"
    )

    html = as_dpo.get(URL).content.decode()

    assert f"Erasure request {data_request.pk}" in html
    assert "Zebedee" not in html
    assert "zebedee@example.com" not in html


def test_it_shows_at_most_50_closed_requests(as_dpo):
    for _ in range(51):
        DataRequestFactory(status=Status.REFUSED, refusal_reason="Manifestly excessive.")

    response = as_dpo.get(URL)

    assert len(response.context["closed"]) == 50
    assert "Showing the 50 most recent." in response.content.decode()


def test_it_ignores_unknown_query_parameters(as_dpo):
    data_request = DataRequestFactory()

    response = as_dpo.get(URL, {"status": "'; DROP TABLE", "page": "-1"})

    assert response.status_code == 200
    assert ids(response.context["open"]) == [data_request.pk]


def test_its_query_count_does_not_grow_with_the_requests(as_dpo, django_assert_max_num_queries):
    DataRequestFactory()
    # The session, the user, the open requests, the closed ones.
    with django_assert_max_num_queries(4) as few:
        as_dpo.get(URL)
    for days in range(20):
        DataRequestFactory(received_on=days_ago(days))
        DataRequestFactory(status=Status.REFUSED, refusal_reason="Manifestly excessive.")

    with django_assert_max_num_queries(len(few.captured_queries)):
        as_dpo.get(URL)


@pytest.mark.parametrize("role", ["recruiter", "manager", "other_manager", "assessor"])
def test_it_refuses_anyone_but_the_dpo(request, db, role):
    DataRequestFactory()

    response = client_for(request.getfixturevalue(role)).get(URL)

    assert response.status_code == 403


# Every privacy URL, every role


@pytest.fixture
def live_request(recruiter):
    """An approved erasure with a linked contact: any step that got through would show."""
    contact = ContactFactory(owner=recruiter)
    return approved(DataRequestFactory(contacts=[contact])), contact


def url_for(name: str, data_request: DataRequest, contact: Contact) -> str:
    pattern = next(p for p in privacy_urls.urlpatterns if p.name == name)
    values = {"pk": data_request.pk, "contact_pk": contact.pk}
    kwargs = {key: values[key] for key in pattern.pattern.converters}
    return reverse(f"privacy:{name}", kwargs=kwargs)


def every_field(contact: Contact) -> dict:
    today = timezone.localdate().isoformat()
    return {
        "contact": contact.pk,
        "method": "photo_id",
        "checked_on": today,
        "told_on": today,
        "reason": "Complex.",
        "kind": RequestKind.ERASURE,
        "received_on": today,
        "received_how": "email",
        "requester_name": "Someone Else",
        "inactive_months": 6,
        "grace_days": 7,
    }


def test_the_role_check_covers_every_privacy_url():
    assert set(URL_NAMES) >= POST_ONLY
    assert {"request_list", "request_new", "audit_list", "retention"} <= set(URL_NAMES)


@pytest.mark.parametrize("name", URL_NAMES)
@pytest.mark.parametrize("role", ["recruiter", "manager", "assessor"])
def test_only_the_dpo_may_use_a_privacy_url(
    request, role, name, live_request, django_capture_on_commit_callbacks
):
    data_request, contact = live_request
    client = client_for(request.getfixturevalue(role))
    url = url_for(name, data_request, contact)
    events = AuditEvent.objects.count()

    with django_capture_on_commit_callbacks() as callbacks:
        posted = client.post(url, every_field(contact))
    got = client.get(url)

    # A POST-only URL answers GET with 405 before asking who is there, and a page that
    # only shows answers POST with 405: neither reveals anything. An assessor is refused
    # every page outside the portfolio before that (netlog.access).
    if role == "assessor":
        assert (posted.status_code, got.status_code) == (403, 403)
    else:
        assert posted.status_code == (405 if name in READ_ONLY else 403)
        assert got.status_code == (405 if name in POST_ONLY else 403)
    assert not callbacks
    assert AuditEvent.objects.count() == events
    assert DataRequest.objects.count() == 1
    assert DataRequest.objects.get().status == Status.APPROVED
    assert list(data_request.contacts.all()) == [contact]


@pytest.mark.parametrize("name", URL_NAMES)
def test_an_anonymous_visitor_is_sent_to_log_in(client, name, live_request):
    data_request, contact = live_request
    url = url_for(name, data_request, contact)

    for response in (client.get(url), client.post(url, every_field(contact))):
        assert response.status_code == 302
        assert response["Location"] == f"{reverse('login')}?next={url}"
    assert DataRequest.objects.get().status == Status.APPROVED
    assert Contact.objects.filter(pk=contact.pk).exists()

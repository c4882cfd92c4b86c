"""GET /privacy/requests/<id>/report/ and /report.json: everything held about the person
who made an approved access request, from every record linked to it whoever holds it,
as a readable page and as a JSON download. Each copy made is logged."""

import datetime
import json

import pytest
from django.utils import timezone
from django.utils.html import escape

from consent.models import Disclosed, Method
from consent.services import basis_record, consent_record, notice_deliver, notice_publish
from contacts.models import ActivityType, OutcomeKind
from privacy.models import Action, AuditEvent, RequestKind, SensitiveConfirmation, Status
from reviews import services as reviews_services
from reviews.models import Reflection, Review
from tests.conftest import client_for
from tests.factories import (
    ActivityFactory,
    ContactFactory,
    DataRequestFactory,
    DisclosureFactory,
    OutcomeFactory,
    TagFactory,
    approved,
)


@pytest.fixture
def as_dpo(dpo):
    return client_for(dpo)


@pytest.fixture
def held(recruiter, outsider):
    """Zebedee Quartermaine, held by two recruiters in different teams, and a stranger
    held by the same recruiter."""
    notice = notice_publish(text="Netlog Recruitment Ltd holds your details. " * 3)
    mine = ContactFactory(
        owner=recruiter,
        first_name="Zebedee",
        last_name="Quartermaine",
        organisation="Harbour Bank",
        role="Data Engineer",
        email="zebedee@example.com",
        phone="020 7946 0958",
        profile_url="https://www.linkedin.com/in/zebedee-q",
        notes="Prefers calls after 5pm.",
    )
    mine.tags.add(TagFactory(owner=recruiter, name="fintech"))
    consent_record(
        contact=mine,
        on=datetime.date(2026, 9, 1),
        method=Method.EMAIL,
        purposes=["roles", "share_cv"],
        notice=notice,
        by=recruiter,
    )
    notice_deliver(
        contact=mine,
        notice=notice,
        delivered_on=datetime.date(2026, 8, 20),
        method="email",
        by=recruiter,
    )
    OutcomeFactory(
        owner=recruiter,
        contacts=[mine],
        kind=OutcomeKind.PLACEMENT,
        date=datetime.date(2026, 10, 12),
        notes="Placed as a data engineer.",
    )
    theirs = ContactFactory(
        owner=outsider, first_name="Zeb", last_name="Quartermaine", email="zq@example.org"
    )
    DisclosureFactory(
        contact=theirs,
        recipient="Northwind Traders Ltd",
        what=Disclosed.CV,
        disclosed_on=datetime.date(2026, 10, 2),
    )
    ActivityFactory(
        owner=outsider,
        contacts=[theirs],
        date=datetime.date(2026, 10, 1),
        type=ActivityType.MEETING,
        context="Canary Wharf",
        summary="Talked through the Northwind role.",
        outcome="Agreed to send the CV.",
    )
    stranger = ContactFactory(owner=recruiter, first_name="Xanthippe", notes="Not the requester.")
    return mine, theirs, stranger


@pytest.fixture
def access_request(held):
    mine, theirs, _ = held
    return approved(
        DataRequestFactory(
            kind=RequestKind.ACCESS,
            received_on=datetime.date(2026, 11, 2),
            contacts=[mine, theirs],
        )
    )


def report_url(data_request) -> str:
    return f"/privacy/requests/{data_request.pk}/report/"


def download_url(data_request) -> str:
    return f"/privacy/requests/{data_request.pk}/report.json"


def test_the_page_shows_everything_held_in_every_linked_record(
    as_dpo, access_request, recruiter, outsider
):
    response = as_dpo.get(report_url(access_request))

    assert response.status_code == 200
    html = response.content.decode()
    for shown in [
        f"Reference {access_request.pk}",
        "Record 1: Zebedee Quartermaine",
        "Record 2: Zeb Quartermaine",
        # Escaped as the page escapes them: Faker's names include O'Sullivan.
        escape(recruiter.get_full_name()),
        escape(outsider.get_full_name()),
        "Harbour Bank",
        "Data Engineer",
        "zebedee@example.com",
        "020 7946 0958",
        "https://www.linkedin.com/in/zebedee-q",
        "fintech",
        "Prefers calls after 5pm.",
        "Consent</h3>",
        "Given on 1 Sep 2026 (Email) for Contact about suitable roles, Share their CV",
        "Version 1 on 20 Aug 2026",
        "CV to Northwind Traders Ltd on 2 Oct 2026",
        "1 Oct 2026: Meeting (Canary Wharf): Talked through the Northwind role.",
        "Agreed to send the CV.",
        "Candidate placed on 12 Oct 2026: Placed as a data engineer.",
        "zq@example.org",
    ]:
        assert shown in html, shown
    assert "Xanthippe" not in html
    assert "Not the requester." not in html


def test_the_download_is_the_same_data_as_json(as_dpo, access_request, recruiter, outsider):
    response = as_dpo.get(download_url(access_request))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response["Content-Disposition"] == (
        f'attachment; filename="netlog-access-request-{access_request.pk}.json"'
    )
    assert response["Cache-Control"] == "no-store"
    data = json.loads(response.content)
    assert data["request"]["reference"] == access_request.pk
    assert data["request"]["received_on"] == "2026-11-02"
    mine, theirs = data["records"]
    assert mine["held_by"] == recruiter.get_full_name()
    assert theirs["held_by"] == outsider.get_full_name()
    assert {
        key: mine[key]
        for key in ["name", "organisation", "job_title", "email", "phone", "profile_url", "tags"]
    } == {
        "name": "Zebedee Quartermaine",
        "organisation": "Harbour Bank",
        "job_title": "Data Engineer",
        "email": "zebedee@example.com",
        "phone": "020 7946 0958",
        "profile_url": "https://www.linkedin.com/in/zebedee-q",
        "tags": ["fintech"],
    }
    assert mine["notes"] == "Prefers calls after 5pm."
    assert mine["lawful_basis"] == [
        {"basis": "Consent", "recorded_on": timezone.localdate().isoformat(), "assessment": None}
    ]
    assert mine["consent"] == [
        {
            "event": "Given",
            "on": "2026-09-01",
            "how": "Email",
            "purposes": ["Contact about suitable roles", "Share their CV with clients"],
            "notice_version": 1,
            "expires_on": mine["consent"][0]["expires_on"],
        }
    ]
    assert mine["privacy_notices_sent"] == [{"version": 1, "on": "2026-08-20"}]
    assert mine["outcomes"] == [
        {"kind": "Candidate placed", "date": "2026-10-12", "notes": "Placed as a data engineer."}
    ]
    assert theirs["shared_with"] == [
        {"recipient": "Northwind Traders Ltd", "what": "CV", "on": "2026-10-02"}
    ]
    assert theirs["activities"] == [
        {
            "date": "2026-10-01",
            "type": "Meeting",
            "context": "Canary Wharf",
            "summary": "Talked through the Northwind role.",
            "outcome": "Agreed to send the CV.",
            "involves_others": False,
        }
    ]
    assert mine["sensitive_data_kept"] == theirs["sensitive_data_kept"] == []
    assert "Xanthippe" not in response.content.decode()


def test_a_request_with_no_records_says_nothing_is_held(as_dpo):
    data_request = approved(DataRequestFactory(kind=RequestKind.ACCESS))

    page = as_dpo.get(report_url(data_request))
    download = as_dpo.get(download_url(data_request))

    assert "We hold no personal data about you." in page.content.decode()
    assert json.loads(download.content)["records"] == []


@pytest.mark.parametrize(
    ("view", "detail"), [(report_url, "access report page"), (download_url, "access JSON")]
)
def test_each_copy_is_logged_as_an_export(as_dpo, dpo, access_request, view, detail):
    as_dpo.get(view(access_request))

    event = AuditEvent.objects.get()
    assert (event.actor, event.action, event.detail) == (dpo, Action.EXPORTED, detail)
    assert (event.object_type, event.object_id) == ("privacy.datarequest", access_request.pk)


@pytest.mark.parametrize("view", [report_url, download_url])
def test_a_completed_access_request_can_still_be_copied(as_dpo, access_request, view):
    access_request.status, access_request.completed_at = Status.COMPLETED, timezone.now()
    access_request.save()

    assert as_dpo.get(view(access_request)).status_code == 200


@pytest.mark.parametrize("view", [report_url, download_url])
@pytest.mark.parametrize("status", [Status.RECEIVED, Status.REFUSED])
def test_an_access_request_not_approved_has_no_copy(as_dpo, held, view, status):
    data_request = DataRequestFactory(
        kind=RequestKind.ACCESS, status=status, refusal_reason="Unfounded.", contacts=held[:2]
    )

    assert as_dpo.get(view(data_request)).status_code == 404
    assert not AuditEvent.objects.exists()


@pytest.mark.parametrize("view", [report_url, download_url])
def test_an_erasure_request_has_no_copy(as_dpo, held, view):
    data_request = approved(DataRequestFactory(kind=RequestKind.ERASURE, contacts=held[:2]))

    assert as_dpo.get(view(data_request)).status_code == 404
    assert not AuditEvent.objects.exists()


@pytest.mark.parametrize("view", [report_url, download_url])
def test_it_answers_404_for_an_unknown_request(as_dpo, view):
    class Unknown:
        pk = 999999

    assert as_dpo.get(view(Unknown)).status_code == 404


@pytest.mark.parametrize("view", [report_url, download_url])
@pytest.mark.parametrize("role", ["recruiter", "manager", "assessor"])
def test_only_the_dpo_may_copy_the_data(request, access_request, view, role):
    response = client_for(request.getfixturevalue(role)).get(view(access_request))

    assert response.status_code == 403
    assert "Zebedee" not in response.content.decode()
    assert not AuditEvent.objects.exists()


def test_it_includes_the_assessment_the_kept_sensitive_data_and_flags_shared_activities(
    as_dpo, recruiter, dpo
):
    person = ContactFactory(owner=recruiter, first_name="Ines", last_name="Quarry")
    other = ContactFactory(owner=recruiter, first_name="Otto", last_name="Bystander")
    basis_record(
        contact=person,
        basis="legitimate_interests",
        by=recruiter,
        li_purpose="Placing her.",
        li_necessity="No other way.",
        li_balance="She applied.",
    )
    shared = ActivityFactory(owner=recruiter, contacts=[person, other], summary="Met both.")
    SensitiveConfirmation.objects.create(
        object_type="contacts.activity",
        object_id=shared.pk,
        categories=["health"],
        justification="Asked for a step-free venue.",
        recorded_by=recruiter,
    )
    data_request = approved(DataRequestFactory(kind=RequestKind.ACCESS, contacts=[person]))

    record = json.loads(as_dpo.get(download_url(data_request)).content)["records"][0]
    page = as_dpo.get(report_url(data_request)).content.decode()

    assert record["lawful_basis"][0]["assessment"] == {
        "purpose": "Placing her.",
        "necessity": "No other way.",
        "balance": "She applied.",
    }
    assert record["activities"][0]["involves_others"] is True
    assert [(j["categories"], j["why"]) for j in record["sensitive_data_kept"]] == [
        (["Health"], "Asked for a step-free venue.")
    ]
    assert "involves others: remove their data before sending" in page
    assert "Asked for a step-free venue." in page


def test_it_includes_reviews_reflections_and_testimonies_about_the_person(as_dpo, recruiter):
    person = ContactFactory(owner=recruiter, first_name="Ines", last_name="Quarry")
    Review.objects.create(
        owner=recruiter,
        contact=person,
        value=4,
        activity=3,
        potential=5,
        rationale="Reliable referrer.",
        decision="strengthen",
    )
    Reflection.objects.create(owner=recruiter, title="Q3", text="Ines opened doors.").contacts.set(
        [person]
    )
    _, token = reviews_services.testimony_request_create(
        contact=person, by=recruiter, activities=[], message="The breakfast"
    )
    reviews_services.testimony_submit(
        token=token,
        witness_name="Ines Quarry",
        witness_role="Head of Data",
        relationship="client",
        text="Priya found us two engineers in a month.",
    )
    data_request = approved(DataRequestFactory(kind=RequestKind.ACCESS, contacts=[person]))

    record = json.loads(as_dpo.get(download_url(data_request)).content)["records"][0]
    page = as_dpo.get(report_url(data_request)).content.decode()

    assert [r["rationale"] for r in record["reviews_of_you"]] == ["Reliable referrer."]
    assert [r["text"] for r in record["reflections_about_you"]] == ["Ines opened doors."]
    asked = record["testimonies_asked_of_you"][0]
    assert asked["message"] == "The breakfast"
    assert asked["answered"]["statement"] == "Priya found us two engineers in a month."
    for shown in ["Reliable referrer.", "Ines opened doors.", "two engineers in a month"]:
        assert shown in page


# Hostile text in what is held

MARKUP = '"><script>alert(1)</script><img src="http://127.0.0.1:9/x">'
JSON_BREAKER = '"}, "injected": true, "x": {"\u2028</script>\\'
HOSTILE_NAME = '../../evil"; filename="x.exe'


@pytest.fixture
def hostile_request(recruiter):
    contact = ContactFactory(
        owner=recruiter,
        first_name=HOSTILE_NAME,
        last_name="Jones",
        organisation=MARKUP,
        notes=JSON_BREAKER,
    )
    ActivityFactory(owner=recruiter, contacts=[contact], summary=MARKUP, outcome=JSON_BREAKER)
    return approved(
        DataRequestFactory(kind=RequestKind.ACCESS, requester_name=HOSTILE_NAME, contacts=[contact])
    )


def test_markup_in_what_is_held_is_shown_as_text(as_dpo, hostile_request):
    html = as_dpo.get(report_url(hostile_request)).content.decode()

    assert escape(MARKUP) in html
    assert "<script>alert" not in html and '<img src="http://127.0.0.1' not in html


def test_the_json_reads_back_exactly_whatever_the_text(as_dpo, hostile_request):
    response = as_dpo.get(download_url(hostile_request))

    (record,) = json.loads(response.content)["records"]
    assert (record["name"], record["organisation"], record["notes"]) == (
        HOSTILE_NAME + " Jones",
        MARKUP,
        JSON_BREAKER,
    )
    assert (record["activities"][0]["summary"], record["activities"][0]["outcome"]) == (
        MARKUP,
        JSON_BREAKER,
    )
    assert "injected" not in record


def test_the_download_is_named_by_the_request_whatever_the_person_is_called(
    as_dpo, hostile_request
):
    response = as_dpo.get(download_url(hostile_request))

    assert response["Content-Disposition"] == (
        f'attachment; filename="netlog-access-request-{hostile_request.pk}.json"'
    )
